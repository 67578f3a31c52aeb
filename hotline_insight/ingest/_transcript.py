"""Shared pieces of the transcript text parsers (plain text, WebVTT, SRT).

One file holds one call, so each parser first reads the whole file into a
:class:`TranscriptDraft` (turn by turn, stopping at the first structural or
timing error, which it raises as :class:`TranscriptError` with the line) and
then builds one :class:`~hotline_insight.records.Interaction` from it.

Speaker labels (``Agent``, ``CUSTOMER``, ``Caller``, ``Rep``, ``Speaker 1``,
``Dana``, ``Dana (Agent)``) are read by :class:`RoleResolver`:

1. the user's ``agent=``/``customer=`` options, matched against the whole label
   and against its name part, win;
2. a role stated in the label wins next: a label that is a role word
   (``Agent``, ``Caller``, ``Rep``, see :func:`~hotline_insight.ingest.map_role`),
   a ``Name (Role)`` or ``Role (Name)`` label, or a WebVTT voice class
   (``<v.agent Dana>``);
3. the header's ``agent_name``/``customer_name`` fields;
4. otherwise the role is ``unknown`` for now: :func:`settle_roles` gives the
   speaker the role stated on their other turns, or applies the IVR, greeting
   and other-party heuristics (unless ``infer_roles=False``).

A label that is only a role word gives ``Turn.speaker = None``; any other
label (a name, ``Speaker 1``, ``spk_0``) is kept as ``Turn.speaker``.
``Unknown`` (or ``Unknown speaker``) is the label of a turn with neither.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._time import TimestampError
from ..errors import ConfigError, Errors, ParseFailureReason, scrub
from ..records import Channel, Interaction, Role, Turn, hash_identifier
from ._base import ParseContext, ParseOptions, map_role
from ._roles import AGENT_GREETING

__all__ = [
    "INFER_ROLES_OPTION",
    "KNOWN_KEYS",
    "LABEL",
    "HeaderBlock",
    "RoleResolver",
    "TranscriptDraft",
    "TranscriptError",
    "TurnDraft",
    "file_stem",
    "format_offset",
    "header_key",
    "header_lines",
    "infer_roles_option",
    "label_prefix",
    "looks_like_speaker",
    "offset_seconds",
    "render_label",
    "settle_roles",
    "single_interaction",
]

INFER_ROLES_OPTION = (
    "bool, default True: guess the roles of named speakers that no label, option or header states: "
    "a speaker who only reads IVR prompts ('press 1', 'calls may be recorded') is 'system'; of "
    "exactly two remaining speakers, the one whose first turns greet like an agent ('thank you "
    "for calling', 'how can I help') is the agent and the other the customer; a single remaining "
    "speaker is the other party of a call whose agent (or customer) is known. False keeps them "
    "'unknown'."
)


class TranscriptError(Exception):
    """A transcript file whose structure or timing is broken; becomes one coded failure."""

    def __init__(self, reason: ParseFailureReason, message: str, line: int | None) -> None:
        super().__init__(message)
        self.reason = reason
        self.line = line


# -- speaker labels ------------------------------------------------------------

_UNKNOWN_LABELS = frozenset({"unknown", "unknown speaker", "unidentified", "speaker", "?"})
_ROLE_TITLES: dict[str, str] = {
    "agent": "Agent",
    "customer": "Customer",
    "system": "System",
    "bot": "Bot",
}

# A label: a name of at most 40 characters starting with a letter (letters,
# digits, spaces, . ' ’ - _), optionally followed by a parenthesised part.
_NAME = r"[^\W\d_][\w.'’\- ]{0,39}?"
_PAREN = r"(?:[ \t]*\((?![ \t]*\d)[^()\n:]{1,40}\))?"
LABEL = rf"(?P<label>{_NAME}{_PAREN})"
_LABEL_PREFIX = re.compile(rf"[ \t]*{LABEL}[ \t]*:(?=\s|$)[ \t]*")
_LABEL_PARTS = re.compile(r"^(?P<name>[^()]*?)\s*\((?P<inner>[^()]*)\)$")
_NUMBERED = re.compile(r"^[a-z]+[_ -]?\d+$")


def _norm_label(label: str) -> str:
    return " ".join(label.split())


def label_prefix(text: str, options: ParseOptions | None = None) -> tuple[str, str] | None:
    """Split ``'Dana: hello'`` into ``('Dana', 'hello')`` when the prefix looks like a speaker.

    A prefix counts when it has at most four words and does not start with a
    lower-case letter, unless it is a role word (``agent``), a numbered label
    (``spk_0``) or one of the user's ``agent=``/``customer=`` labels. This keeps
    ``note: ...`` or ``http://...`` from opening a turn.

    Examples:
        >>> label_prefix("Speaker 1: hi there")
        ('Speaker 1', 'hi there')
        >>> label_prefix("Dana (Agent):")
        ('Dana (Agent)', '')
        >>> label_prefix("and then: it broke") is None
        True
    """
    match = _LABEL_PREFIX.match(text)
    if not match:
        return None
    label = _norm_label(match["label"])
    if not looks_like_speaker(label, options):
        return None
    return label, text[match.end() :].strip()


def looks_like_speaker(label: str, options: ParseOptions | None = None) -> bool:
    """Whether ``label`` is shaped like a speaker label (see :func:`label_prefix`)."""
    label = _norm_label(label)
    if not label:
        return False
    lowered = label.lower()
    if options is not None and lowered in {v.lower() for v in (*options.agent, *options.customer)}:
        return True
    parts = _LABEL_PARTS.match(label)
    name = _norm_label(parts["name"]) if parts else label
    if not name or len(name.split()) > 4:
        return False
    if lowered in _UNKNOWN_LABELS or map_role(label) != "unknown":
        return True
    if parts and (
        map_role(parts["inner"]) != "unknown"
        or parts["inner"].strip().lower() in _UNKNOWN_LABELS
        or map_role(name) != "unknown"
    ):
        return True
    if _NUMBERED.match(name.lower()):
        return True
    first = name[0]
    return not (first.isalpha() and first.islower())


class RoleResolver:
    """Maps speaker labels to ``(speaker, role)`` for one file (see the module docs)."""

    def __init__(
        self,
        options: ParseOptions,
        *,
        agent_names: Iterable[str] = (),
        customer_names: Iterable[str] = (),
    ) -> None:
        self._agent = {a.strip().lower() for a in options.agent}
        self._customer = {c.strip().lower() for c in options.customer}
        self._header_agent = {a.strip().lower() for a in agent_names if a.strip()}
        self._header_customer = {c.strip().lower() for c in customer_names if c.strip()}

    def _option_role(self, *labels: str | None) -> Role | None:
        for label in labels:
            if label is None:
                continue
            lowered = label.lower()
            if lowered in self._agent:
                return "agent"
            if lowered in self._customer:
                return "customer"
        return None

    def _header_role(self, label: str | None) -> Role | None:
        if label is None:
            return None
        lowered = label.lower()
        if lowered in self._header_agent:
            return "agent"
        if lowered in self._header_customer:
            return "customer"
        return None

    def resolve(self, label: str | None, classes: Sequence[str] = ()) -> tuple[str | None, Role, bool]:
        """``(speaker, role, stated)`` for a label; ``classes`` are WebVTT voice classes.

        ``stated`` is False only when nothing said the role (a bare name such
        as ``Dana`` or ``Speaker 1``): only such turns are open to
        :func:`settle_roles`. ``Dana (Unknown)`` states that the role is unknown.

        Examples:
            >>> r = RoleResolver(ParseOptions(agent=("Dana",)))
            >>> r.resolve("Dana"), r.resolve("CUSTOMER"), r.resolve("Sam (Rep)"), r.resolve("Speaker 2")
            (('Dana', 'agent', True), (None, 'customer', True), ('Sam', 'agent', True), ('Speaker 2', 'unknown', False))
        """
        label = _norm_label(label or "")
        class_role: Role | None = None
        for cls in classes:
            mapped = map_role(cls)
            if mapped != "unknown":
                class_role = mapped
                break
            if cls.lower() in _UNKNOWN_LABELS:
                class_role = "unknown"
        if not label or label.lower() in _UNKNOWN_LABELS:
            return None, self._option_role(label) or class_role or "unknown", True
        speaker: str | None = label
        stated: Role | None = class_role
        name_part: str | None = None
        parts = _LABEL_PARTS.match(label)
        if parts:
            name, inner = _norm_label(parts["name"]), _norm_label(parts["inner"])
            if name and (map_role(inner) != "unknown" or inner.lower() in _UNKNOWN_LABELS):
                speaker, name_part, stated = name, name, map_role(inner)
            elif inner and map_role(name) != "unknown":
                speaker, name_part, stated = inner, inner, map_role(name)
        if name_part is None and map_role(label) != "unknown":
            speaker, stated = None, stated or map_role(label)
        role = self._option_role(label, name_part) or stated or self._header_role(speaker)
        return speaker, role or "unknown", role is not None


def render_label(role: str, speaker: str | None) -> str:
    """The label that :class:`RoleResolver` reads back as ``(speaker, role)``.

    Examples:
        >>> render_label("agent", "Dana"), render_label("customer", None), render_label("unknown", None)
        ('Dana (Agent)', 'Customer', 'Unknown')
        >>> render_label("unknown", "Speaker 1")
        'Speaker 1 (Unknown)'
    """
    title = _ROLE_TITLES.get(role, "Unknown")
    return f"{speaker} ({title})" if speaker else title


_HELP = re.compile(r"\bhow (?:can|may|could|might) (?:i|we) (?:help|assist)", re.IGNORECASE)
_IVR = re.compile(
    r"\bpress (?:\d|one|two|three|four|five|six|seven|eight|nine|zero|star|pound|hash)\b"
    r"|\b(?:calls?|this call) (?:may|will|might) be (?:recorded|monitored)\b"
    r"|\byou are (?:number \w+|next) in (?:the )?(?:queue|line)\b"
    r"|\byour call is important\b",
    re.IGNORECASE,
)


def settle_roles(turns: Sequence[TurnDraft], *, infer: bool) -> str | None:
    """Give roles to turns whose label did not state one; returns the heuristics used, if any.

    1. A speaker whose role is stated on some turns (``Dana (Agent)``,
       ``<v.agent Dana>``) and never stated otherwise has it on all their turns
       (always applied: the file says so).
    2. With ``infer`` (the ``infer_roles`` option), among the named speakers
       still without a role (``Dana``, ``Speaker 1``):

       * ``"ivr"``: a speaker who says IVR phrases ("press 1", "calls may be
         recorded", "you are number 4 in the queue", "your call is important")
         and never "how can I help" is ``system``, when another open speaker
         remains;
       * ``"greeting"``: when exactly two remain and no turn is agent or
         customer, and exactly one of them greets like an agent in their
         first two turns ("thank you for calling", "how can I help", "you've
         reached", "you're through to", "welcome to", "can I take your
         name"), that one is the agent and the other the customer;
       * ``"other_party"``: when exactly one remains and the other turns name
         exactly one of agent or customer, that speaker is the other.

    The result names the heuristics applied, joined with ``+`` (``"ivr+greeting"``).
    """
    stated: dict[str, set[Role]] = {}
    for turn in turns:
        if turn.speaker is not None and turn.stated and turn.role != "unknown":
            stated.setdefault(turn.speaker.lower(), set()).add(turn.role)
    for turn in turns:
        if not turn.stated and turn.speaker is not None:
            roles = stated.get(turn.speaker.lower(), set())
            if len(roles) == 1:
                turn.role, turn.stated = next(iter(roles)), True
    if not infer:
        return None
    open_turns = [t for t in turns if not t.stated and t.speaker is not None]
    texts: dict[str, list[str]] = {}
    for turn in open_turns:
        texts.setdefault(turn.speaker.lower(), []).append(turn.text)  # type: ignore[union-attr]
    assign: dict[str, Role] = {}
    methods: list[str] = []
    ivr = [
        name
        for name, said in texts.items()
        if any(_IVR.search(t) for t in said) and not any(_HELP.search(t) for t in said)
    ]
    if ivr and len(ivr) < len(texts):
        assign.update(dict.fromkeys(ivr, "system"))
        methods.append("ivr")
    first_text = {name: " ".join(said[:2]) for name, said in texts.items() if name not in assign}
    known = {t.role for t in turns if t.role in ("agent", "customer")}
    if len(first_text) == 2 and not known:
        greeters = [name for name, text in first_text.items() if AGENT_GREETING.search(text)]
        if len(greeters) == 1:
            assign.update({name: "agent" if name == greeters[0] else "customer" for name in first_text})
            methods.append("greeting")
    elif len(first_text) == 1 and len(known) == 1:
        other: Role = "customer" if "agent" in known else "agent"
        assign.update(dict.fromkeys(first_text, other))
        methods.append("other_party")
    for turn in open_turns:
        turn.role = assign.get(turn.speaker.lower(), turn.role)  # type: ignore[union-attr]
    return "+".join(methods) or None


def infer_roles_option(extra: Mapping[str, Any]) -> bool:
    """The ``infer_roles`` option's value, checked."""
    value = extra.get("infer_roles", True)
    if not isinstance(value, bool):
        raise ConfigError(Errors.E109.format(name="infer_roles", expected="True or False", value=value))
    return value


# -- offsets ---------------------------------------------------------------------

_CLOCK_SHAPE = re.compile(r"^(\d+):(\d+)(?::(\d+))?(?:[.,](\d+))?$")


def offset_seconds(text: str) -> float:
    """Seconds from ``hh:mm:ss.ttt``, ``mm:ss``, ``h:mm:ss,ttt`` (exact to the microsecond).

    ``mm:ss`` may count minutes past 59 (``75:10``); with hours, minutes and
    seconds must be below 60.

    Raises:
        TimestampError: an impossible clock (``00:75:00``) or an unreadable one.

    Examples:
        >>> offset_seconds("00:01:02.500"), offset_seconds("75:10"), offset_seconds("1:00:00,25")
        (62.5, 4510.0, 3600.25)
    """
    match = _CLOCK_SHAPE.match(text.strip())
    if not match:
        raise TimestampError(f"unrecognised time offset {scrub(text, mask_digits=False)}")
    first, second, third, frac = match.groups()
    if third is None:
        hours, minutes, seconds = 0, int(first), int(second)
        if seconds >= 60:
            raise TimestampError(f"impossible time offset {scrub(text, mask_digits=False)}")
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
        if minutes >= 60 or seconds >= 60:
            raise TimestampError(f"impossible time offset {scrub(text, mask_digits=False)}")
    if frac is not None and len(frac) > 6:
        raise TimestampError(f"time offset {scrub(text, mask_digits=False)} is finer than microseconds")
    micros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000
    if frac:
        micros += int(frac.ljust(6, "0"))
    return micros / 1_000_000


def format_offset(seconds: float, *, decimal: str = ".") -> str:
    """``hh:mm:ss.ttt`` (milliseconds) for an offset in seconds.

    Examples:
        >>> format_offset(3723.5), format_offset(1.25, decimal=",")
        ('01:02:03.500', '00:00:01,250')
    """
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{ms:03d}"


# -- header fields ----------------------------------------------------------------

_ID_KEYS = (
    "call_id",
    "interaction_id",
    "conversation_id",
    "contact_id",
    "transcript_id",
    "session_id",
    "chat_id",
    "ticket_id",
    "recording_id",
    "id",
)
_START_KEYS = (
    "started_at",
    "start_time",
    "started",
    "call_start",
    "start",
    "created_at",
    "datetime",
    "date_time",
    "timestamp",
)
_FIELD_KEYS: dict[str, str] = {
    "customer_id": "customer_id",
    "client_id": "customer_id",
    "user_id": "customer_id",
    "agent_id": "agent_id",
    "rep_id": "agent_id",
    "operator_id": "agent_id",
    "employee_id": "agent_id",
    "language": "language",
    "lang": "language",
    "locale": "language",
    "subject": "subject",
    "title": "subject",
    "product": "product",
    "category": "category",
    "status": "status",
    "priority": "priority",
}
_CHANNEL_KEYS = ("channel", "media", "media_type")
_PHONE_KEYS = frozenset(
    {
        "ani",
        "caller_id",
        "caller_number",
        "phone",
        "phone_number",
        "customer_phone",
        "from_number",
        "msisdn",
        "callback_number",
    }
)
_EMAIL_KEYS = frozenset({"email", "e_mail", "customer_email", "email_address"})
_ACCOUNT_KEYS = frozenset({"account", "account_number", "account_no", "account_id"})
_AGENT_NAME_KEYS = frozenset({"agent", "agent_name", "rep", "rep_name"})
_CUSTOMER_NAME_KEYS = frozenset({"customer", "customer_name", "caller", "caller_name"})
_META_KEYS = frozenset(
    {
        "queue",
        "direction",
        "duration",
        "ended_at",
        "end_time",
        "disposition",
        "campaign",
        "skill",
        "team",
        "site",
        "recording",
        "outcome",
        "tags",
        "date",
        "time",
        "source",
        "brand",
    }
)
#: Keys that may open a plain-text file without a ``#`` (a role word such as
#: ``agent`` or ``customer`` never does: ``Agent: ...`` is a turn).
KNOWN_KEYS = frozenset(
    {
        *_ID_KEYS,
        *_START_KEYS,
        *_FIELD_KEYS,
        *_CHANNEL_KEYS,
        *_PHONE_KEYS,
        *_EMAIL_KEYS,
        *_ACCOUNT_KEYS,
        *_META_KEYS,
        "agent_name",
        "customer_name",
        "caller_name",
        "rep_name",
    }
)
_CHANNEL_WORDS: dict[str, Channel] = {
    "voice": "call",
    "phone": "call",
    "telephony": "call",
    "audio": "call",
    "call": "call",
    "chat": "chat",
    "webchat": "chat",
    "web_chat": "chat",
    "sms": "chat",
    "messaging": "chat",
    "whatsapp": "chat",
    "email": "email",
    "e_mail": "email",
    "mail": "email",
    "social": "social",
    "ticket": "ticket",
}
_EMAIL_VALUE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def header_key(key: str) -> str:
    """Normalise a header key: ``'Call ID'`` -> ``'call_id'``."""
    return re.sub(r"[\s\-.]+", "_", key.strip().lower()).strip("_")


@dataclass
class HeaderBlock:
    """``key: value`` fields read before the turns, with their lines."""

    fields: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add(self, key: str, value: str, line: int) -> None:
        name = header_key(key)
        if name and name not in self.fields:
            self.fields[name] = (value.strip(), line)

    def names(self, keys: frozenset[str]) -> list[str]:
        return [v for k, (v, _) in self.fields.items() if k in keys and v]

    def interaction_fields(self, ctx: ParseContext) -> dict[str, Any]:
        """The Interaction fields the header gives (raises TranscriptError on a bad time).

        Returns keys ``id``, ``created_at``, ``channel`` (or None), ``customer_keys``,
        ``meta`` and any of ``customer_id``, ``agent_id``, ``language``, ``subject``,
        ``product``, ``category``, ``status``, ``priority``.
        """
        out: dict[str, Any] = {"id": None, "created_at": None, "channel": None}
        keys: list[str] = []
        meta: dict[str, str] = {}
        used: set[str] = set()
        for key in _ID_KEYS:
            value, _ = self.fields.get(key, ("", 0))
            if value:
                out["id"] = value
                used.add(key)
                break
        start_key = next((k for k in _START_KEYS if self.fields.get(k, ("", 0))[0]), None)
        if start_key is not None:
            value, line = self.fields[start_key]
            out["created_at"] = self._time(ctx, value, line)
            used.add(start_key)
        elif self.fields.get("date", ("", 0))[0]:
            date, line = self.fields["date"]
            time = self.fields.get("time", ("", 0))[0]
            out["created_at"] = self._time(ctx, f"{date} {time}".strip(), line)
            used.update(("date", "time"))
        for key, (value, _) in self.fields.items():
            if key in used or not value:
                continue
            target = _FIELD_KEYS.get(key)
            if target is not None and target not in out:
                out[target] = value
            elif key in _CHANNEL_KEYS and out["channel"] is None and header_key(value) in _CHANNEL_WORDS:
                out["channel"] = _CHANNEL_WORDS[header_key(value)]
            elif key in _PHONE_KEYS:
                keys.append(hash_identifier("phone", value))
            elif key in _EMAIL_KEYS or _EMAIL_VALUE.search(value):
                keys.append(hash_identifier("email", _email_in(value)))
            elif key in _ACCOUNT_KEYS:
                keys.append(hash_identifier("account", value))
            elif key == "tags":
                out["tags"] = tuple(t.strip() for t in value.split(",") if t.strip())
            else:
                meta[key] = value
        out["customer_keys"] = tuple(dict.fromkeys(keys))
        out["meta"] = meta
        return out

    @staticmethod
    def _time(ctx: ParseContext, value: str, line: int) -> dt.datetime | None:
        try:
            return ctx.time(value)
        except TimestampError as exc:
            raise TranscriptError(
                ParseFailureReason.INVALID_TIMESTAMP, f"header start time: {exc}", line
            ) from None


def _email_in(value: str) -> str:
    match = _EMAIL_VALUE.search(value)
    return match.group(0) if match else value


# -- drafts --------------------------------------------------------------------------


@dataclass
class TurnDraft:
    """A turn while it is being read."""

    line: int
    label: str | None = None
    classes: tuple[str, ...] = ()
    lines: list[str] = field(default_factory=list)
    start_s: float | None = None
    end_s: float | None = None
    at: dt.datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    speaker: str | None = None
    role: Role = "unknown"
    stated: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class TranscriptDraft:
    """One file's call while it is being read."""

    turns: list[TurnDraft] = field(default_factory=list)
    header: HeaderBlock = field(default_factory=HeaderBlock)
    meta: dict[str, Any] = field(default_factory=dict)

    def build(
        self,
        ctx: ParseContext,
        *,
        default_channel: Channel,
        infer: bool,
        line: int = 1,
    ) -> Interaction:
        """The Interaction (raises TranscriptError for a bad header time)."""
        fields = self.header.interaction_fields(ctx)
        resolver = RoleResolver(
            ctx.options,
            agent_names=self.header.names(_AGENT_NAME_KEYS),
            customer_names=self.header.names(_CUSTOMER_NAME_KEYS),
        )
        for draft in self.turns:
            draft.speaker, draft.role, draft.stated = resolver.resolve(draft.label, draft.classes)
        meta: dict[str, Any] = {**self.meta, **fields.pop("meta")}
        method = settle_roles(self.turns, infer=infer)
        if method is not None:
            meta["role_heuristic"] = method
        turns = tuple(
            Turn(
                position=i,
                role=t.role,
                speaker=t.speaker,
                text=t.text,
                start_s=t.start_s,
                end_s=t.end_s,
                at=t.at,
                meta=t.meta,
            )
            for i, t in enumerate(self.turns)
        )
        ident = fields.pop("id") or file_stem(ctx.src.name)
        channel = fields.pop("channel")
        created_at = fields.pop("created_at")
        if created_at is None:
            created_at = next((t.at for t in turns if t.at is not None), None)
        return Interaction(
            id=ident,
            source=ctx.ref(line=line),
            channel=ctx.channel(channel or default_channel),
            created_at=created_at,
            turns=turns,
            meta=meta,
            **fields,
        )


def file_stem(name: str) -> str:
    """The id of a file without an id header: its name without the last suffix.

    Examples:
        >>> file_stem("call_0042.vtt"), file_stem("2026.03.01-c17.txt"), file_stem("README")
        ('call_0042', '2026.03.01-c17', 'README')
    """
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return stem or name


def single_interaction(interactions: Interaction | Iterable[Interaction], fmt: str) -> Interaction:
    """The one Interaction that ``render`` writes (these formats hold one call per file)."""
    if isinstance(interactions, Interaction):
        return interactions
    items = list(interactions)
    if len(items) != 1:
        raise ConfigError(
            Errors.E109.format(
                name="interactions",
                expected=f"one Interaction ({fmt} holds one call per file)",
                value=f"{len(items)} interactions",
            )
        )
    return items[0]


def header_lines(call: Interaction, *, prefix: str = "") -> list[str]:
    """``key: value`` lines that :meth:`HeaderBlock.interaction_fields` reads back."""
    rows: list[tuple[str, object]] = [
        ("call_id", call.id),
        ("channel", call.channel),
        ("started_at", call.created_at.isoformat() if call.created_at else None),
        ("customer_id", call.customer_id),
        ("agent_id", call.agent_id),
        ("language", call.language),
        ("subject", call.subject),
        ("product", call.product),
        ("category", call.category),
        ("status", call.status),
        ("priority", call.priority),
        ("tags", ", ".join(call.tags) if call.tags else None),
    ]
    rows.extend((key, value) for key, value in call.meta.items() if isinstance(value, (str, int, float)))
    out = []
    for key, value in rows:
        text = " ".join(str(value).split()) if value is not None else ""
        if text:
            out.append(f"{prefix}{key}: {text}")
    return out

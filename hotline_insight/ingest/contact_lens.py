"""Amazon Connect Contact Lens conversational analytics output files.

Connect writes one file per analysed contact, at
``Analysis/{Voice|Chat|Email}/[Redacted/]YYYY/MM/DD/<contactId>_analysis[_redacted]_<ts>.json``.
Versions read: ``VOICE-2022-11-30``, ``1.1.0`` (older voice and chat files) and
``EMAIL-2026-01-01``. A file with another ``Version`` is still read when its
structure fits (a ``Transcript`` array; e-mail files may lack it), with a
warning (W104); otherwise it fails as ``unsupported_version``.

How it maps:

* ``id`` is ``CustomerMetadata.ContactId``, else the contact id in the file
  name. ``channel`` from ``Channel`` (else the ``Version`` prefix): VOICE ->
  call, CHAT -> chat, EMAIL -> email, TASK -> ticket (else the CTR's ``Channel``).
* ``created_at``, first found of: the CTR's ``InitiationTimestamp`` (see the
  ``ctr`` option), the earliest ``AbsoluteTime`` of a chat message or event, the
  timestamp in the file name (when Connect wrote the analysis, so after the
  contact), the ``YYYY/MM/DD`` date of the path (midnight UTC).
  ``meta["created_at_source"]`` says which: ``"ctr"``, ``"transcript"``,
  ``"file_name"``, ``"path_date"``.
* Each ``Transcript[]`` entry with ``Content`` is a turn: the role comes
  from the entry's ``ParticipantRole`` or from ``Participants`` by its
  ``ParticipantId`` (AGENT, CUSTOMER, SYSTEM; AUTOMATED and CUSTOM_BOT are
  bots, SUPERVISOR an agent); the speaker is the ``ParticipantId``.
  ``BeginOffsetMillis``/``EndOffsetMillis`` become ``start_s``/``end_s``,
  ``AbsoluteTime`` (chat) ``at``. The turn keeps ``Id``, ``Sentiment``
  (``meta["vendor_sentiment"]``), ``LoudnessScore`` and ``Redaction`` (with
  its ``RedactedTimestamps``) in ``turn.meta``. Chat events without content
  (participant joined/left, typing) are not turns; they are listed in
  ``meta["events"]``. Display names are not kept (a customer's name).
* ``IssuesDetected[{CharacterOffsets{BeginOffsetChar, EndOffsetChar}}]`` become
  :class:`~hotline_insight.records.VendorIssue` spans; offsets outside the
  turn's text keep the issue (and the vendor's ``Text``) without a span, with
  a W104 warning. Categories, ``ConversationCharacteristics`` and the summary
  map as for Call Analytics (e-mail files have no sentiment or loudness).
* ``JobDetails.SkippedAnalysis`` -> ``meta["skipped_analysis"]``; other
  fields (``Version``, ``JobStatus``, ``AccountId``, ``InstanceId``, ...) to
  ``meta``. ``meta["redacted"]`` is True for redacted output.

The ``ctr`` option joins the Connect contact record on ``ContactId``:
``InitialContactId``, ``PreviousContactId``, ``Channel``, ``InitiationMethod``,
``DisconnectReason``, ``DisconnectTimestamp`` (``meta["disconnected_at"]``),
``Agent`` hold and interaction figures, ``Queue`` name and wait go to
``meta``; ``Agent.Username`` to ``agent_id``. ``CustomerEndpoint.Address``
(a phone number or e-mail) is only kept hashed in ``customer_keys``; so are
``Attributes`` values that are e-mails or phone numbers (by value, or by a
key that says email/phone); the other attributes go to ``meta["attributes"]``.
Contact flows usually store the caller's CRM id in a contact attribute: the
attribute named by the ``customer_attribute`` option, else the first of
``customer_id``, ``CustomerId``, ``customerId``, ``customer_number``,
``CustomerNumber`` that is present, becomes ``customer_id``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from ..errors import ConfigError, Errors, ParseFailureReason, Warnings, scrub
from ..records import Channel, Interaction, Role, Turn, hash_identifier
from ._amazon import (
    VendorFindings,
    get_dict,
    get_list,
    get_number,
    get_str,
    load_document,
    other_fields,
    seconds,
)
from ._base import FieldError, ParseContext, ParseOptions, Parser, ParserResult, register
from ._source import SourceFile

__all__ = ["ContactLensParser", "load_ctr_index"]

VERSIONS = frozenset({"1.1.0", "VOICE-2022-11-30", "EMAIL-2026-01-01"})
_CHANNELS: dict[str, Channel] = {"VOICE": "call", "CHAT": "chat", "EMAIL": "email", "TASK": "ticket"}
_ROLES: dict[str, Role] = {
    "AGENT": "agent",
    "SUPERVISOR": "agent",
    "CUSTOMER": "customer",
    "SYSTEM": "system",
    "AUTOMATED": "bot",
    "CUSTOM_BOT": "bot",
}
_KNOWN = frozenset(
    {
        "Version",
        "Channel",
        "JobStatus",
        "AccountId",
        "LanguageCode",
        "Participants",
        "Transcript",
        "Categories",
        "ConversationCharacteristics",
        "CustomerMetadata",
        "JobDetails",
        "ContentMetadata",
        "ContactSummary",
    }
)
_FILE_NAME = re.compile(r"^(?P<id>.+?)_analysis(?P<redacted>_redacted)?_(?P<ts>.+)\.json$", re.IGNORECASE)
_FILE_TS = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<h>\d{2})[:_-]?(?P<m>\d{2})[:_-]?(?P<s>\d{2})"
    r"(?P<frac>\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_PATH_DATE = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/[^/]+$")
_VERSION_IN_HEAD = re.compile(r'"Version"\s*:\s*"([^"]{1,40})"')
_EMAIL_VALUE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_E164 = re.compile(r"^\+\d{7,15}$")
_EMAIL_KEY = re.compile(r"e-?mail", re.IGNORECASE)
_PHONE_KEY = re.compile(r"phone|mobile|msisdn|caller_?id|callback_?number|\bani\b", re.IGNORECASE)
_CTR_FIELDS = (
    "ContactId",
    "InitialContactId",
    "PreviousContactId",
    "NextContactId",
    "RelatedContactId",
    "Channel",
    "InitiationMethod",
    "InitiationTimestamp",
    "DisconnectTimestamp",
    "DisconnectReason",
    "Agent",
    "Queue",
    "CustomerEndpoint",
    "Attributes",
)


def load_ctr_index(path: str | os.PathLike[str]) -> tuple[dict[str, dict[str, Any]], int]:
    """Contact records by ``ContactId`` from a file or a directory of files, and the count of unreadable parts.

    Each file holds one JSON record, a JSON array of records, JSON lines, or
    records written back to back (as Kinesis Firehose delivers them). A record
    read later replaces an earlier one with the same ``ContactId`` (a CTR is
    re-sent when it is updated). Only the fields the join uses are kept.
    """
    root = Path(path)
    files = (
        sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )
        if root.is_dir()
        else [root]
    )
    index: dict[str, dict[str, Any]] = {}
    problems = 0
    decoder = json.JSONDecoder()
    space = re.compile(r"\s*")
    for file in files:
        try:
            text = SourceFile(file).read_text()
        except (OSError, UnicodeDecodeError, EOFError, ValueError):
            problems += 1
            continue
        pos = 0
        while True:
            m = space.match(text, pos)
            pos = m.end() if m else pos
            if pos >= len(text):
                break
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError:
                problems += 1
                newline = text.find("\n", pos)
                if newline == -1:
                    break
                pos = newline + 1
                continue
            for record in value if isinstance(value, list) else [value]:
                contact = record.get("ContactId") if isinstance(record, dict) else None
                if isinstance(contact, str) and contact:
                    index[contact] = {k: record[k] for k in _CTR_FIELDS if record.get(k) is not None}
                else:
                    problems += 1
    return index, problems


def _file_time(ts: str, ctx: ParseContext) -> dt.datetime | None:
    m = _FILE_TS.match(ts)
    if not m:
        return None
    zone = m["zone"] or ""
    if zone and zone.upper() != "Z" and ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return ctx.time(f"{m['date']}T{m['h']}:{m['m']}:{m['s']}{m['frac'] or ''}{zone}")


def _created_at(
    sources: tuple[tuple[str, Callable[[], dt.datetime | None]], ...],
) -> tuple[dt.datetime | None, str | None]:
    """The first time a source gives, with its name; sources after it are not read."""
    for name, read in sources:
        value = read()
        if value is not None:
            return value, name
    return None, None


def _path_date(path: str) -> dt.datetime | None:
    m = _PATH_DATE.search(path.replace("\\", "/"))
    if not m:
        return None
    try:
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=dt.UTC)
    except ValueError:
        return None


def _endpoint_key(address: str, kind_hint: str | None) -> str | None:
    value = address.strip()
    if not value:
        return None
    if kind_hint == "EMAIL_ADDRESS" or "@" in value:
        return hash_identifier("email", value)
    if sum(ch.isdigit() for ch in value) >= 7:
        return hash_identifier("phone", value)
    return None


_CUSTOMER_ATTRIBUTES = ("customer_id", "CustomerId", "customerId", "customer_number", "CustomerNumber")


@register
class ContactLensParser(Parser):
    """Amazon Connect Contact Lens analysis files (voice, chat, e-mail), optionally joined to CTRs.

    Examples:
        >>> import json, hotline_insight as hi
        >>> doc = {"Version": "1.1.0", "Channel": "VOICE",
        ...        "Participants": [{"ParticipantId": "p-1", "ParticipantRole": "CUSTOMER"}],
        ...        "Transcript": [{"ParticipantId": "p-1", "Content": "My bill is wrong.",
        ...                        "BeginOffsetMillis": 0, "EndOffsetMillis": 1800}]}
        >>> src = hi.SourceFile(data=json.dumps(doc).encode(), name="c-42_analysis_2024-03-05T14:27:40Z.json")
        >>> rec = hi.read(src, format="contact_lens")[0]
        >>> rec.id, rec.created_at.isoformat(), rec.meta["created_at_source"], rec.turns[0].role
        ('c-42', '2024-03-05T14:27:40+00:00', 'file_name', 'customer')
    """

    name = "contact_lens"
    family = "contact_lens"
    label = "Amazon Connect Contact Lens output file"
    channel = "call"
    extensions = (".json",)
    options: ClassVar[Mapping[str, str]] = {
        "ctr": (
            "path to Amazon Connect contact records (CTR): a JSON file (one record, an array or JSON "
            "lines) or a directory of them, joined on ContactId for created_at, contact chain, queue, "
            "holds and hashed customer keys"
        ),
        "customer_attribute": (
            "name of the CTR contact attribute holding the customer id (default: the first of "
            "customer_id, CustomerId, customerId, customer_number, CustomerNumber present)"
        ),
    }

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        ctr = self.opts.extra.get("ctr")
        if ctr is not None and (not isinstance(ctr, (str, os.PathLike)) or not Path(ctr).exists()):
            raise ConfigError(
                Errors.E109.format(name="ctr", expected="the path of a CTR file or directory", value=ctr)
            )
        self._ctr_path = ctr
        attribute = self.opts.extra.get("customer_attribute")
        if attribute is not None and not isinstance(attribute, str):
            raise ConfigError(
                Errors.E109.format(name="customer_attribute", expected="an attribute name", value=attribute)
            )
        self._customer_attributes = (attribute,) if attribute else _CUSTOMER_ATTRIBUTES
        self._ctr: dict[str, dict[str, Any]] | None = None
        self._variants: dict[str, set[bool]] = {}

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if not head.lstrip().startswith("{") or '"JobName"' in head:
            return 0.0
        version = _VERSION_IN_HEAD.search(head)
        strong = '"CustomerMetadata"' in head or ('"Participants"' in head and '"ParticipantId"' in head)
        if strong and ('"Transcript"' in head or '"Channel"' in head or version):
            return 0.9
        if (
            version
            and '"Channel"' in head
            and (version[1] in VERSIONS or version[1].split("-", 1)[0] in {"VOICE", "CHAT", "EMAIL"})
        ):
            return 0.8
        return 0.0

    # -- CTR ------------------------------------------------------------------
    def _ctr_index(self, ctx: ParseContext) -> dict[str, dict[str, Any]] | None:
        if self._ctr_path is None:
            return None
        if self._ctr is None:
            self._ctr, problems = load_ctr_index(self._ctr_path)
            if problems:
                ctx.warn(
                    "W104",
                    Warnings.W104.format(
                        source=str(self._ctr_path),
                        detail=f"{problems} part(s) of the contact record (ctr) files could not be read "
                        "or had no ContactId",
                    ),
                )
        return self._ctr

    # -- parsing ----------------------------------------------------------------
    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        doc = load_document(src, ctx)
        if not isinstance(doc, dict):
            yield doc
            return
        raw_version = doc.get("Version")
        version = str(raw_version) if raw_version is not None else None
        if version not in VERSIONS:
            channel = doc.get("Channel") or (version or "").split("-", 1)[0]
            transcript = doc.get("Transcript")
            fits = (isinstance(transcript, list) or (transcript is None and channel == "EMAIL")) and (
                isinstance(doc.get("Participants"), list) or isinstance(doc.get("CustomerMetadata"), dict)
            )
            if not fits:
                yield ctx.failure(
                    ParseFailureReason.UNSUPPORTED_VERSION,
                    f"Contact Lens version {scrub(version, 40, mask_digits=False)} is not supported and its structure does not match "
                    f"the versions read ({', '.join(sorted(VERSIONS))})",
                    line=1,
                )
                return
            ctx.warn(
                "W104",
                Warnings.W104.format(
                    source=ctx.src.path,
                    detail=f"unknown Contact Lens version {scrub(version, 40, mask_digits=False)}; read as its structure fits the known versions",
                ),
            )
        ctr = self._ctr_index(ctx)
        yield ctx.build(lambda: self._interaction(doc, src, ctx, ctr), line=1)

    def _role(self, participant: str | None, label: str | None, ctx: ParseContext) -> Role:
        role: Role = ctx.role(participant) if participant else "unknown"
        if role == "unknown" and label:
            role = ctx.role(label)
            if role == "unknown":
                role = _ROLES.get(label.upper(), "unknown")
        return role

    def _interaction(
        self,
        doc: Mapping[str, Any],
        src: SourceFile,
        ctx: ParseContext,
        ctr: dict[str, dict[str, Any]] | None,
    ) -> Interaction:
        name_match = _FILE_NAME.match(src.name)
        customer_meta = get_dict(doc, "CustomerMetadata", "CustomerMetadata")
        contact_id = get_str(customer_meta, "ContactId", "CustomerMetadata.ContactId")
        if not contact_id:
            if name_match is None:
                raise FieldError(
                    ParseFailureReason.MISSING_FIELD,
                    "required field 'CustomerMetadata.ContactId' is missing and the file name is not "
                    "'<contactId>_analysis[_redacted]_<timestamp>.json'",
                )
            contact_id = name_match["id"]
        prefix = str(doc.get("Version") or "").split("-", 1)[0].upper()
        channel_raw = get_str(doc, "Channel", "Channel") or (prefix if prefix in _CHANNELS else None)
        if channel_raw is None and ctr is not None and contact_id in ctr:
            channel_raw = get_str(ctr[contact_id], "Channel", "ctr.Channel")
        if channel_raw is None:
            raise FieldError(ParseFailureReason.MISSING_FIELD, "required field 'Channel' is missing")
        channel = _CHANNELS.get(channel_raw.upper())
        if channel is None:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE,
                f"field 'Channel' must be one of VOICE, CHAT, EMAIL, TASK; got {channel_raw[:20]!r}",
            )

        participants: dict[str, str] = {}
        for i, p in enumerate(get_list(doc, "Participants", "Participants")):
            if not isinstance(p, Mapping):
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE, f"field 'Participants[{i}]' must be an object"
                )
            pid = get_str(p, "ParticipantId", f"Participants[{i}].ParticipantId")
            role = get_str(p, "ParticipantRole", f"Participants[{i}].ParticipantRole")
            if pid and role:
                participants[pid] = role

        transcript = get_list(doc, "Transcript", "Transcript", required=channel_raw.upper() != "EMAIL")
        turns: list[Turn] = []
        findings = VendorFindings(("BeginOffsetChar", "EndOffsetChar"))
        events: list[dict[str, Any]] = []
        seen_times: list[
            dt.datetime | None
        ] = []  # of messages and events: a chat starts with its first event
        for i, entry in enumerate(transcript):
            where = f"Transcript[{i}]"
            if not isinstance(entry, Mapping):
                raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
            pid = get_str(entry, "ParticipantId", f"{where}.ParticipantId")
            label = get_str(entry, "ParticipantRole", f"{where}.ParticipantRole") or participants.get(
                pid or ""
            )
            at = ctx.time(entry.get("AbsoluteTime"))
            seen_times.append(at)
            kind = get_str(entry, "Type", f"{where}.Type")
            content_type = get_str(entry, "ContentType", f"{where}.ContentType")
            if "Content" not in entry or (kind or "").upper() == "EVENT":
                if kind is None and content_type is None:
                    raise FieldError(
                        ParseFailureReason.MISSING_FIELD, f"required field '{where}.Content' is missing"
                    )
                events.append(
                    {
                        "type": kind,
                        "content_type": content_type,
                        "role": self._role(pid, label, ctx),
                        "at": at.isoformat() if at else None,
                    }
                )
                continue
            content = get_str(entry, "Content", f"{where}.Content") or ""
            position = len(turns)
            meta: dict[str, Any] = {}
            for key, name in (
                ("Id", "id"),
                ("Sentiment", "vendor_sentiment"),
                ("LoudnessScore", "loudness_scores"),
                ("Redaction", "redaction"),
                ("ContentType", "content_type"),
            ):
                if entry.get(key) is not None:
                    meta[name] = entry[key]
            findings.add_turn(entry, content, position=position, where=where)
            turns.append(
                Turn(
                    position=position,
                    role=self._role(pid, label, ctx),
                    speaker=pid or label,
                    text=content,
                    start_s=seconds(get_number(entry, "BeginOffsetMillis", f"{where}.BeginOffsetMillis")),
                    end_s=seconds(get_number(entry, "EndOffsetMillis", f"{where}.EndOffsetMillis")),
                    at=at,
                    meta=meta,
                )
            )
        vendor = findings.annotations(doc, ctx)

        meta = other_fields(doc, _KNOWN)
        for key, name in (("Version", "version"), ("JobStatus", "job_status"), ("AccountId", "account_id")):
            if doc.get(key) is not None:
                meta[name] = doc[key]
        for key, name in (
            ("InstanceId", "instance_id"),
            ("InputS3Uri", "input_s3_uri"),
            ("InputFiles", "input_files"),
        ):
            if customer_meta.get(key) is not None:
                meta[name] = customer_meta[key]
        if participants:
            meta["participants"] = [{"id": pid, "role": role} for pid, role in participants.items()]
        output = get_str(
            get_dict(doc, "ContentMetadata", "ContentMetadata"), "Output", "ContentMetadata.Output"
        )
        if output:
            meta["output"] = output
        redacted = (output or "").lower() == "redacted" or bool(name_match and name_match["redacted"])
        meta["redacted"] = redacted
        skipped = get_list(
            get_dict(doc, "JobDetails", "JobDetails"), "SkippedAnalysis", "JobDetails.SkippedAnalysis"
        )
        if skipped:
            meta["skipped_analysis"] = skipped
        if events:
            meta["events"] = events
        language = get_str(doc, "LanguageCode", "LanguageCode") or get_str(
            get_dict(doc, "Configuration", "Configuration"), "LanguageLocale", "Configuration.LanguageLocale"
        )

        agent_id: str | None = None
        customer_id: str | None = None
        customer_keys: list[str] = []
        record = ctr.get(contact_id) if ctr is not None else None
        if ctr is not None:
            meta["ctr_joined"] = record is not None
        if record is not None:
            agent_id = self._join_ctr(record, ctx, meta, customer_keys)
            attributes = meta.get("attributes", {})
            customer_id = next(
                (
                    str(attributes[a])
                    for a in self._customer_attributes
                    if attributes.get(a) not in (None, "")
                ),
                None,
            )
        created_at, created_source = _created_at(
            (
                ("ctr", lambda: ctx.time(record.get("InitiationTimestamp")) if record is not None else None),
                ("transcript", lambda: min((t for t in seen_times if t is not None), default=None)),
                ("file_name", lambda: _file_time(name_match["ts"], ctx) if name_match is not None else None),
                ("path_date", lambda: _path_date(src.path)),
            )
        )
        if created_source:
            meta["created_at_source"] = created_source

        self._note_variant(contact_id, redacted, ctx)
        return Interaction(
            id=contact_id,
            source=ctx.ref(line=1),
            channel=ctx.channel(channel),
            created_at=created_at,
            agent_id=agent_id,
            customer_id=customer_id,
            customer_keys=tuple(dict.fromkeys(customer_keys)),
            language=language,
            turns=tuple(turns),
            vendor=vendor,
            meta=meta,
        )

    def _note_variant(self, contact_id: str, redacted: bool, ctx: ParseContext) -> None:
        """Warn once when both the original and the redacted file of a contact are read."""
        seen = self._variants.setdefault(contact_id, set())
        if seen and redacted not in seen:
            ctx.warn(
                "W104",
                Warnings.W104.format(
                    source=ctx.src.path,
                    detail="both the original and the redacted analysis file of one contact were read; "
                    "the redacted one is kept. Read only Analysis/<Channel>/ or only its Redacted/ folder "
                    "to silence this",
                ),
            )
        seen.add(redacted)

    def _join_ctr(
        self, record: Mapping[str, Any], ctx: ParseContext, meta: dict[str, Any], keys: list[str]
    ) -> str | None:
        """Copy a contact record's fields into ``meta`` and ``keys``; return the agent id."""
        for key, name in (
            ("InitialContactId", "initial_contact_id"),
            ("PreviousContactId", "previous_contact_id"),
            ("NextContactId", "next_contact_id"),
            ("RelatedContactId", "related_contact_id"),
            ("Channel", "ctr_channel"),
            ("InitiationMethod", "initiation_method"),
            ("DisconnectReason", "disconnect_reason"),
        ):
            value = get_str(record, key, f"ctr.{key}")
            if value:
                meta[name] = value
        disconnected = ctx.time(record.get("DisconnectTimestamp"))
        if disconnected is not None:
            meta["disconnected_at"] = disconnected.isoformat()
        agent = get_dict(record, "Agent", "ctr.Agent")
        figures = {
            name: get_number(agent, key, f"ctr.Agent.{key}")
            for key, name in (
                ("CustomerHoldDuration", "customer_hold_duration_s"),
                ("LongestHoldDuration", "longest_hold_duration_s"),
                ("NumberOfHolds", "number_of_holds"),
                ("AgentInteractionDuration", "agent_interaction_duration_s"),
                ("AfterContactWorkDuration", "after_contact_work_duration_s"),
            )
        }
        figures = {k: (int(v) if k == "number_of_holds" else v) for k, v in figures.items() if v is not None}
        if figures:
            meta["agent"] = figures
        agent_id = get_str(agent, "Username", "ctr.Agent.Username")
        if not agent_id:
            arn = get_str(agent, "ARN", "ctr.Agent.ARN")
            agent_id = arn.rsplit("/", 1)[-1] if arn else None
        queue = get_dict(record, "Queue", "ctr.Queue")
        queue_meta = {
            "name": get_str(queue, "Name", "ctr.Queue.Name"),
            "duration_s": get_number(queue, "Duration", "ctr.Queue.Duration"),
        }
        if any(v is not None for v in queue_meta.values()):
            meta["queue"] = queue_meta
        endpoint = get_dict(record, "CustomerEndpoint", "ctr.CustomerEndpoint")
        address = get_str(endpoint, "Address", "ctr.CustomerEndpoint.Address")
        if address:
            endpoint_key = _endpoint_key(address, get_str(endpoint, "Type", "ctr.CustomerEndpoint.Type"))
            if endpoint_key:
                keys.append(endpoint_key)
        attributes: dict[str, Any] = {}
        hashed: list[str] = []
        for attr, value in get_dict(record, "Attributes", "ctr.Attributes").items():
            text = value.strip() if isinstance(value, str) else None
            hashed_key = None
            if text is not None:
                if _EMAIL_VALUE.match(text) or (_EMAIL_KEY.search(attr) and "@" in text):
                    hashed_key = hash_identifier("email", text)
                elif _E164.match(text.replace(" ", "")) or (
                    _PHONE_KEY.search(attr) and sum(ch.isdigit() for ch in text) >= 7
                ):
                    hashed_key = hash_identifier("phone", text)
            if hashed_key is not None:
                keys.append(hashed_key)
                hashed.append(attr)
            else:
                attributes[attr] = value
        if attributes:
            meta["attributes"] = attributes
        if hashed:
            meta["attributes_hashed"] = hashed
        return agent_id

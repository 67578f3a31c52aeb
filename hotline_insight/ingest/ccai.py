"""Google Contact Center AI Insights conversation JSON (``format="google_ccai"``).

The transcript upload format of CCAI (Conversational) Insights, one
conversation per file::

    {"conversation_info": {"categories": [{"display_name": "Billing"}]},
     "entries": [{"text": "Thanks for calling.", "user_id": 1, "role": "AGENT",
                  "start_timestamp_usec": 1767258000000000}, ...]}

A file may also hold a JSON array of conversations, a page
``{"conversations": [...]}`` or JSON lines (one conversation a line); each
conversation is one record (lineage: line and index in the file). The
camelCase spellings of the REST API (``conversationInfo``, ``displayName``,
``userId``, ``startTimestampUsec``) are read too.

Mapping:

* ``id``: the last path segment of ``name`` when present
  (``projects/p/locations/l/conversations/c-9`` -> ``c-9``); else the file
  stem, which is how Insights names conversations imported from a bucket. The
  second and later unnamed conversations of one file get ``<stem>#<index>``.
* ``channel``: ``chat``; ``medium`` (``PHONE_CALL`` -> ``call``, ``CHAT`` ->
  ``chat``) when present; the ``channel=`` option overrides both.
* turns: one per entry, ordered by ``start_timestamp_usec`` (stable; file
  order when any entry lacks it). ``at`` is the absolute time, ``start_s``
  the seconds since the first entry; there is no ``end_s`` (the format has
  no end times). Roles: ``AGENT``/``HUMAN_AGENT`` -> agent,
  ``AUTOMATED_AGENT`` -> bot, ``CUSTOMER``/``END_USER`` -> customer; the
  ``agent=``/``customer=`` options match a ``user_id`` or a role first.
  ``speaker`` is the ``user_id``.
* ``created_at``: the first entry's time (else ``start_time``, if given).
* ``vendor.categories``: ``conversation_info.categories[].display_name``;
  a ``latest_analysis`` block, when present, goes to ``vendor.extra``.
* ``agent_id``/``language`` from ``agent_id``/``language_code`` when present;
  other top-level fields go to ``meta`` (e-mail/phone fields hashed into
  ``customer_keys`` instead), other ``conversation_info`` fields to
  ``meta["conversation_info"]``, other entry fields to the turn's ``meta``.

Failures: no ``entries`` -> ``missing_field``; an empty ``entries`` ->
``empty_record``; an entry without ``text`` -> ``missing_field``; an
implausible timestamp -> ``invalid_timestamp``; malformed or cut-off JSON ->
``malformed_json``/``truncated`` (per line in JSON lines files).

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("tests/fixtures/google_ccai/billing-7731.json")
    >>> call = corpus[0]
    >>> (call.id, call.channel, call.turns[0].role, call.vendor.categories)
    ('billing-7731', 'chat', 'agent', ('Billing dispute', 'Refund'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any, ClassVar

from ..errors import ParseFailureReason
from ..records import Channel, Interaction, Role, Turn, VendorAnnotations
from ._base import FieldError, ParseContext, Parser, ParserResult, register
from ._jsonconv import (
    first_key,
    get_dict,
    get_list,
    get_str,
    has_key,
    head_start,
    iter_json_items,
    option_role,
    pop_identifiers,
    problem_failure,
    stem,
)
from ._jsonstream import JsonProblem
from ._source import SourceFile

__all__ = ["CcaiParser"]

_MEDIUM: dict[str, Channel] = {"PHONE_CALL": "call", "CHAT": "chat"}
_ROLES: dict[str, Role] = {
    "AGENT": "agent",
    "HUMAN_AGENT": "agent",
    "AUTOMATED_AGENT": "bot",
    "CUSTOMER": "customer",
    "END_USER": "customer",
}

# snake_case name -> camelCase spelling of the REST API
_ENTRIES = ("entries",)
_INFO = ("conversation_info", "conversationInfo")
_USEC = ("start_timestamp_usec", "startTimestampUsec")
_USER = ("user_id", "userId")
_NAME = ("display_name", "displayName")
_TOP_KNOWN = {
    "name", "medium", "entries", "conversation_info", "conversationInfo", "agent_id", "agentId",
    "language_code", "languageCode", "start_time", "startTime", "latest_analysis", "latestAnalysis",
}  # fmt: skip
_ENTRY_KNOWN = {"text", "role", *_USER, *_USEC}


@register
class CcaiParser(Parser):
    """Google CCAI Insights conversation transcripts (JSON, JSON array or JSON lines)."""

    name: ClassVar[str] = "google_ccai"
    label: ClassVar[str] = "Google Contact Center AI Insights conversation JSON"
    channel: ClassVar[Channel] = "chat"
    extensions: ClassVar[tuple[str, ...]] = (".json", ".jsonl")
    options: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if head_start(head) not in ("{", "["):
            return 0.0
        if not has_key(head, "entries"):
            return 0.0
        if any(has_key(head, k) for k in _USEC):
            return 0.9
        if any(has_key(head, k) for k in _INFO):
            return 0.7
        if has_key(head, "role") and any(has_key(head, k) for k in _USER):
            return 0.6
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        base = stem(src)
        for item in iter_json_items(src, container_keys=("conversations",)):
            if isinstance(item, JsonProblem):
                yield problem_failure(ctx, item)
                continue
            value = item.value
            if (
                isinstance(value, Mapping)
                and "entries" not in value
                and isinstance(value.get("conversations"), list)
            ):
                numbered = list(enumerate(value["conversations"]))  # a page on one line
            else:
                numbered = [(item.index, value)]
            for index, conv in numbered:
                fallback_id = base if index == 0 else f"{base}#{index}"
                make = partial(self._conversation, conv, fallback_id, ctx, item.line, index)
                yield ctx.build(make, line=item.line, index=index)

    def _conversation(
        self, conv: Any, fallback_id: str, ctx: ParseContext, line: int, index: int
    ) -> Interaction:
        if not isinstance(conv, Mapping):
            raise FieldError(
                ParseFailureReason.INVALID_VALUE,
                f"a conversation must be a JSON object; got {type(conv).__name__}",
            )
        entries = get_list(conv, "entries", required=True)
        if not entries:
            raise FieldError(ParseFailureReason.EMPTY_RECORD, "the conversation has no entries")
        name = get_str(conv, "name")
        conv_id = name.rstrip("/").rsplit("/", 1)[-1] if name else fallback_id

        turns, keys = self._turns(entries, ctx)
        info_key = first_key(conv, _INFO) or "conversation_info"
        info = dict(get_dict(conv, info_key))
        categories: list[str] = []
        for i, cat in enumerate(get_list(info, "categories", f"{info_key}.categories")):
            if not isinstance(cat, Mapping):
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"field '{info_key}.categories[{i}]' must be an object",
                )
            label = get_str(
                cat, first_key(cat, _NAME) or "display_name", f"{info_key}.categories[{i}].display_name"
            )
            if label:
                categories.append(label)
        info.pop("categories", None)

        medium = get_str(conv, "medium")
        channel = ctx.channel(_MEDIUM.get(medium.upper(), self.channel) if medium else self.channel)
        analysis = conv.get("latest_analysis", conv.get("latestAnalysis"))
        vendor = VendorAnnotations(
            categories=tuple(categories),
            extra={"latest_analysis": analysis} if analysis is not None else {},
        )

        meta: dict[str, Any] = {k: v for k, v in conv.items() if k not in _TOP_KNOWN}
        keys += pop_identifiers(meta)
        if medium:
            meta["medium"] = medium
        if info:
            keys += pop_identifiers(info)
            meta["conversation_info"] = info
        if name and name != conv_id:
            meta["name"] = name

        known = [t.at for t in turns if t.at is not None]
        start = conv.get("start_time", conv.get("startTime"))
        return Interaction(
            id=conv_id,
            source=ctx.ref(line=line, index=index),
            channel=channel,
            created_at=min(known) if known else ctx.time(start),
            agent_id=get_str(conv, first_key(conv, ("agent_id", "agentId")) or "agent_id"),
            language=get_str(conv, first_key(conv, ("language_code", "languageCode")) or "language_code"),
            customer_keys=tuple(dict.fromkeys(keys)),
            turns=tuple(turns),
            vendor=None if vendor.is_empty else vendor,
            meta=meta,
        )

    def _turns(self, entries: list[Any], ctx: ParseContext) -> tuple[list[Turn], list[str]]:
        """The entries as turns in time order, and the hashed identifiers found in them."""
        rows: list[tuple[dt.datetime | None, dict[str, Any]]] = []
        keys: list[str] = []
        for i, entry in enumerate(entries):
            where = f"entries[{i}]"
            if not isinstance(entry, Mapping):
                raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
            text = get_str(entry, "text", f"{where}.text", required=True, allow_empty=True)
            user = get_str(entry, first_key(entry, _USER) or "user_id", f"{where}.user_id")
            role_label = get_str(entry, "role", f"{where}.role")
            role = option_role(ctx, user) or option_role(ctx, role_label)
            if role is None:
                role = _ROLES.get(role_label.upper(), ctx.role(role_label)) if role_label else "unknown"
            usec = entry.get(first_key(entry, _USEC) or "start_timestamp_usec")
            at = ctx.time(usec, unit="us")
            extra = {k: v for k, v in entry.items() if k not in _ENTRY_KNOWN}
            keys += pop_identifiers(extra)
            rows.append((at, {"role": role, "speaker": user, "text": text, "at": at, "meta": extra}))
        timed = all(at is not None for at, _ in rows)
        if timed:
            rows.sort(key=lambda r: r[0])  # type: ignore[arg-type, return-value]
        first = rows[0][0] if timed else None
        turns = []
        for position, (at, fields) in enumerate(rows):
            start_s = (at - first).total_seconds() if first is not None and at is not None else None
            turns.append(Turn(position=position, start_s=start_s, **fields))
        return turns, keys

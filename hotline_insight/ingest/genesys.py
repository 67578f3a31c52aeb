"""Genesys Cloud speech and text analytics transcripts (``format="genesys"``).

One transcript document per communication, as the transcript URL of
``/api/v2/speechandtextanalytics/conversations/{id}/communications/{id}/transcripturl``
returns it::

    {"organizationId": "...", "conversationId": "...", "communicationId": "...",
     "mediaType": "call",
     "transcripts": [{"transcriptId": "...", "language": "en-us",
        "phrases": [{"phraseIndex": 0, "participantPurpose": "internal",
                     "text": "...", "decoratedText": "...", "confidence": 0.93,
                     "startTimeMs": 1767258000000, "duration": {"milliseconds": 2400},
                     "words": [...]}],
        "analytics": {"sentiment": [...], "topics": [...]}}]}

A file may also hold a JSON array of such documents or JSON lines of them;
each document is one record.

Mapping:

* ``id``: ``conversationId`` (required). Several communications of one
  conversation (a transfer) arrive as several files with the same id; the
  reader merges them into one interaction (family ``genesys``).
* ``channel``: from ``mediaType``: ``call``/``callback``/``voice`` -> call,
  ``chat``/``message`` (SMS, WhatsApp, web messaging) -> chat, ``email`` ->
  email; otherwise ``call``. The ``channel=`` option overrides.
* turns: **one turn per phrase** (consecutive phrases of one speaker are not
  merged: simple, lossless, and the vendor's per-phrase analytics keep their
  ``phraseIndex``), from every transcript in the document, ordered by
  ``startTimeMs`` (stable; file order when a phrase has none). ``at`` is the
  absolute start, ``start_s`` the seconds since the first phrase, ``end_s``
  adds ``duration.milliseconds`` (or ``durationMs``). Roles from
  ``participantPurpose``: ``internal`` -> agent, ``external`` -> customer,
  ``acd``/``ivr`` -> system (``agent=``/``customer=`` options first).
  ``speaker`` is the phrase's ``participantId`` when given.
  Turn ``meta``: ``phrase_index``, ``confidence``, ``decorated_text`` (only
  when it differs from ``text``), ``transcript_id`` and the phrase's other
  fields. Per-word timings (``words[]``) are not kept.
* ``created_at``: ``conversationStartTime`` when present, else the first phrase.
* ``language``: the first transcript's ``language``.
* ``agent_id``: the ``userId`` of the first ``internal`` participant, when
  the document lists ``participants``; participants' phone and e-mail
  fields are hashed into ``customer_keys`` and removed.
* ``vendor``: ``analytics.topics[].topicName`` -> ``categories`` (topics in
  full in ``extra["topics"]``), ``analytics.sentiment`` ->
  ``sentiment["by_phrase"]``, other analytics blocks in ``extra``.
* ``meta``: ``organization_id``, ``communication_id``, ``media_type``,
  the transcripts' own fields (without phrases) under ``transcripts``, and
  other top-level fields.

Failures: no ``conversationId`` or ``transcripts`` -> ``missing_field``; no
phrases -> ``empty_record``; a phrase without ``text`` -> ``missing_field``;
an implausible ``startTimeMs`` -> ``invalid_timestamp``.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("tests/fixtures/genesys/transcript-call.json")
    >>> call = corpus[0]
    >>> (call.channel, [t.role for t in call.turns][:3])
    ('call', ['system', 'agent', 'customer'])
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
    get_dict,
    get_list,
    get_number,
    get_str,
    has_key,
    head_start,
    iter_json_items,
    option_role,
    pop_identifiers,
    problem_failure,
)
from ._jsonstream import JsonProblem
from ._source import SourceFile

__all__ = ["GenesysParser"]

_MEDIA: dict[str, Channel] = {
    "call": "call",
    "callback": "call",
    "voice": "call",
    "chat": "chat",
    "message": "chat",
    "messaging": "chat",
    "email": "email",
}
_PURPOSE: dict[str, Role] = {
    "internal": "agent",
    "agent": "agent",
    "external": "customer",
    "customer": "customer",
    "acd": "system",
    "ivr": "system",
}
_TOP_KNOWN = {
    "organizationId", "conversationId", "communicationId", "mediaType", "transcripts",
    "participants", "conversationStartTime",
}  # fmt: skip
_PHRASE_KNOWN = {
    "text", "decoratedText", "participantPurpose", "participantId", "phraseIndex", "confidence",
    "startTimeMs", "duration", "durationMs", "words",
}  # fmt: skip


@register
class GenesysParser(Parser):
    """Genesys Cloud speech and text analytics transcript JSON."""

    name: ClassVar[str] = "genesys"
    label: ClassVar[str] = "Genesys Cloud speech and text analytics transcript"
    channel: ClassVar[Channel] = "call"
    extensions: ClassVar[tuple[str, ...]] = (".json", ".jsonl")
    options: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if head_start(head) not in ("{", "[") or not has_key(head, "phrases"):
            return 0.0
        if has_key(head, "transcripts") and (
            has_key(head, "participantPurpose") or has_key(head, "conversationId")
        ):
            return 0.9
        if has_key(head, "startTimeMs") or has_key(head, "participantPurpose"):
            return 0.6
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        for item in iter_json_items(src):
            if isinstance(item, JsonProblem):
                yield problem_failure(ctx, item)
                continue
            make = partial(self._document, item.value, ctx, item.line, item.index)
            yield ctx.build(make, line=item.line, index=item.index)

    def _document(self, doc: Any, ctx: ParseContext, line: int, index: int) -> Interaction:
        if not isinstance(doc, Mapping):
            raise FieldError(
                ParseFailureReason.INVALID_VALUE,
                f"a transcript document must be a JSON object; got {type(doc).__name__}",
            )
        conv_id = get_str(doc, "conversationId", required=True)
        assert conv_id is not None
        transcripts = get_list(doc, "transcripts", required=True)

        rows: list[dict[str, Any]] = []
        transcript_meta: list[dict[str, Any]] = []
        categories: list[str] = []
        topics: list[Any] = []
        by_phrase: list[Any] = []
        extra: dict[str, Any] = {}
        language: str | None = None
        for t, transcript in enumerate(transcripts):
            where = f"transcripts[{t}]"
            if not isinstance(transcript, Mapping):
                raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
            transcript_id = get_str(transcript, "transcriptId", f"{where}.transcriptId")
            language = language or get_str(transcript, "language", f"{where}.language")
            for p, phrase in enumerate(get_list(transcript, "phrases", f"{where}.phrases")):
                rows.append(self._phrase(phrase, f"{where}.phrases[{p}]", transcript_id, ctx))
            analytics = dict(get_dict(transcript, "analytics", f"{where}.analytics"))
            for topic in get_list(analytics, "topics", f"{where}.analytics.topics"):
                topics.append(topic)
                name = topic.get("topicName") if isinstance(topic, Mapping) else None
                if isinstance(name, str) and name and name not in categories:
                    categories.append(name)
            by_phrase.extend(get_list(analytics, "sentiment", f"{where}.analytics.sentiment"))
            for key, value in analytics.items():
                if key not in ("topics", "sentiment"):
                    extra.setdefault(key, []).append(value)
            transcript_meta.append({k: v for k, v in transcript.items() if k not in ("phrases", "analytics")})
        if not rows:
            raise FieldError(ParseFailureReason.EMPTY_RECORD, "the transcript has no phrases")

        started = ctx.time(doc.get("conversationStartTime"), unit="ms")
        turns = _turns(rows, started)
        agent_id: str | None = None
        keys: list[str] = []
        participants: list[Any] = []
        for i, part in enumerate(get_list(doc, "participants")):
            if not isinstance(part, Mapping):
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE, f"field 'participants[{i}]' must be an object"
                )
            clean = dict(part)
            keys += pop_identifiers(clean)
            participants.append(clean)
            if agent_id is None and str(part.get("participantPurpose", "")).lower() == "internal":
                agent_id = get_str(part, "userId", f"participants[{i}].userId")

        meta: dict[str, Any] = {k: v for k, v in doc.items() if k not in _TOP_KNOWN}
        keys += pop_identifiers(meta)
        for key, name in (
            ("organizationId", "organization_id"),
            ("communicationId", "communication_id"),
            ("mediaType", "media_type"),
        ):
            if doc.get(key) is not None:
                meta[name] = doc[key]
        meta["transcripts"] = transcript_meta
        if participants:
            meta["participants"] = participants

        media = get_str(doc, "mediaType")
        channel = ctx.channel(_MEDIA.get(media.lower(), self.channel) if media else self.channel)
        if topics:
            extra["topics"] = topics
        vendor = VendorAnnotations(
            categories=tuple(categories),
            sentiment={"by_phrase": by_phrase} if by_phrase else {},
            extra=extra,
        )
        known = [t.at for t in turns if t.at is not None]
        return Interaction(
            id=conv_id,
            source=ctx.ref(line=line, index=index),
            channel=channel,
            created_at=started or (min(known) if known else None),
            agent_id=agent_id,
            customer_keys=tuple(dict.fromkeys(keys)),
            language=language,
            turns=tuple(turns),
            vendor=None if vendor.is_empty else vendor,
            meta=meta,
        )

    def _phrase(
        self, phrase: Any, where: str, transcript_id: str | None, ctx: ParseContext
    ) -> dict[str, Any]:
        if not isinstance(phrase, Mapping):
            raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
        text = get_str(phrase, "text", f"{where}.text", required=True, allow_empty=True)
        purpose = get_str(phrase, "participantPurpose", f"{where}.participantPurpose")
        role: Role = option_role(ctx, purpose) or (
            _PURPOSE.get(purpose.lower(), ctx.role(purpose)) if purpose else "unknown"
        )
        at = ctx.time(phrase.get("startTimeMs"), unit="ms")
        duration = get_number(
            get_dict(phrase, "duration", f"{where}.duration"),
            "milliseconds",
            f"{where}.duration.milliseconds",
        )
        if duration is None:
            duration = get_number(phrase, "durationMs", f"{where}.durationMs")
        if duration is not None and duration < 0:
            raise FieldError(ParseFailureReason.INVALID_VALUE, f"field '{where}.duration' is negative")
        meta: dict[str, Any] = {}
        if phrase.get("phraseIndex") is not None:
            meta["phrase_index"] = phrase["phraseIndex"]
        if phrase.get("confidence") is not None:
            meta["confidence"] = phrase["confidence"]
        decorated = phrase.get("decoratedText")
        if decorated is not None and decorated != text:
            meta["decorated_text"] = decorated
        if transcript_id is not None:
            meta["transcript_id"] = transcript_id
        meta.update({k: v for k, v in phrase.items() if k not in _PHRASE_KNOWN})
        return {
            "role": role,
            "speaker": get_str(phrase, "participantId", f"{where}.participantId"),
            "text": text,
            "at": at,
            "duration": dt.timedelta(milliseconds=duration) if duration is not None else None,
            "meta": meta,
        }


def _turns(rows: list[dict[str, Any]], origin: dt.datetime | None) -> list[Turn]:
    """Phrases as turns in time order, with offsets from ``origin`` (else the first phrase)."""
    timed = all(r["at"] is not None for r in rows)
    if timed:
        rows = sorted(rows, key=lambda r: r["at"])
        if origin is None or origin > rows[0]["at"]:
            origin = rows[0]["at"]
    turns = []
    for position, row in enumerate(rows):
        duration = row.pop("duration")
        start_s = end_s = None
        if timed and origin is not None:
            start_s = (row["at"] - origin).total_seconds()
            if duration is not None:
                end_s = (row["at"] + duration - origin).total_seconds()
        turns.append(Turn(position=position, start_s=start_s, end_s=end_s, **row))
    return turns

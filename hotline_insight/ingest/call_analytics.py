"""Amazon Transcribe Call Analytics post-call output (one JSON document per call).

How it maps:

* ``id`` is ``JobName``; ``channel`` is ``"call"``; ``language`` is
  ``LanguageCode``; ``created_at`` stays None (the output has no call time).
* Each ``Transcript[]`` entry is a turn: ``Content`` is its text,
  ``BeginOffsetMillis``/``EndOffsetMillis`` become ``start_s``/``end_s``,
  ``ParticipantRole`` (``AGENT``/``CUSTOMER``) the role and speaker. The turn
  keeps ``Id``, the vendor's ``Sentiment`` (``meta["vendor_sentiment"]``),
  ``LoudnessScores``, the ``Redaction`` list as given and the mean word
  confidence of its ``Items`` in ``turn.meta``.
* The vendor's own analytics go to ``vendor``: ``IssuesDetected`` as
  :class:`~hotline_insight.records.VendorIssue` spans on their turn
  (``text == turn.text[start_char:end_char]``); ``OutcomesDetected`` and
  ``ActionItemsDetected`` the same way in ``vendor.extra["outcomes"]`` and
  ``vendor.extra["action_items"]``; ``Categories.MatchedCategories`` as
  ``vendor.categories`` (with ``MatchedDetails`` in ``vendor.extra``);
  ``ConversationCharacteristics`` as ``vendor.sentiment`` (overall -5..5
  scores by role) and ``vendor.extra`` (interruptions, non-talk time, talk
  speed and time, in seconds); the generated summary as ``vendor.summary``.
* Character offsets that do not fit inside their turn's text (not integers,
  negative, empty, or past its end) are not kept: the finding stays, with its
  turn but without a span, and the parse report warns (W104).
* ``AnalyticsJobDetails.Skipped`` goes to ``meta["skipped_analysis"]``;
  ``JobStatus`` and ``AccountId`` to ``meta``, and any other top-level field
  under its snake_case name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import ParseFailureReason
from ..records import Interaction, Turn
from ._amazon import (
    VendorFindings,
    get_dict,
    get_list,
    get_number,
    get_str,
    load_document,
    mean,
    other_fields,
    seconds,
)
from ._base import FieldError, ParseContext, Parser, ParserResult, register
from ._source import SourceFile

__all__ = ["CallAnalyticsParser"]

_KNOWN = frozenset(
    {
        "JobName",
        "JobStatus",
        "LanguageCode",
        "AccountId",
        "Transcript",
        "Categories",
        "ConversationCharacteristics",
        "AnalyticsJobDetails",
    }
)


@register
class CallAnalyticsParser(Parser):
    """Amazon Transcribe Call Analytics post-call JSON (``JobName`` + ``Transcript[]`` with ``ParticipantRole``).

    Examples:
        >>> import json, hotline_insight as hi
        >>> doc = {"JobName": "call-7", "Transcript": [
        ...     {"Content": "I want to cancel.", "ParticipantRole": "CUSTOMER", "BeginOffsetMillis": 1200,
        ...      "EndOffsetMillis": 2900, "Sentiment": "NEGATIVE",
        ...      "IssuesDetected": [{"CharacterOffsets": {"Begin": 2, "End": 16}}]}]}
        >>> src = hi.SourceFile(data=json.dumps(doc).encode(), name="call-7.json")
        >>> call = hi.read(src, format="transcribe_call_analytics")[0]
        >>> call.turns[0].role, call.turns[0].start_s, call.turns[0].meta["vendor_sentiment"]
        ('customer', 1.2, 'NEGATIVE')
        >>> call.vendor.issues[0].text
        'want to cancel'
    """

    name = "transcribe_call_analytics"
    family = "transcribe_call_analytics"
    label = "Amazon Transcribe Call Analytics (post-call JSON)"
    channel = "call"
    extensions = (".json",)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if not head.lstrip().startswith("{") or '"Transcript"' not in head:
            return 0.0
        # Contact Lens files look alike but name participants by id and carry their contact's metadata.
        if '"CustomerMetadata"' in head or '"ParticipantId"' in head:
            return 0.0
        if '"JobName"' in head or '"AnalyticsJobDetails"' in head:
            return 0.9
        # JobName is often written after the transcript, beyond the head of a long call.
        if '"ParticipantRole"' in head and ('"BeginOffsetMillis"' in head or '"LoudnessScores"' in head):
            return 0.7
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        doc = load_document(src, ctx)
        if not isinstance(doc, dict):
            yield doc
            return
        yield ctx.build(lambda: self._interaction(doc, ctx), line=1)

    def _interaction(self, doc: Mapping[str, Any], ctx: ParseContext) -> Interaction:
        job = get_str(doc, "JobName", "JobName", required=True)
        assert job is not None
        turns: list[Turn] = []
        findings = VendorFindings(("Begin", "End"))
        for i, entry in enumerate(get_list(doc, "Transcript", "Transcript", required=True)):
            where = f"Transcript[{i}]"
            if not isinstance(entry, Mapping):
                raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
            if "Content" not in entry:
                raise FieldError(
                    ParseFailureReason.MISSING_FIELD, f"required field '{where}.Content' is missing"
                )
            content = get_str(entry, "Content", f"{where}.Content") or ""
            label = get_str(entry, "ParticipantRole", f"{where}.ParticipantRole")
            meta: dict[str, Any] = {}
            for key, name in (
                ("Id", "id"),
                ("Sentiment", "vendor_sentiment"),
                ("LoudnessScores", "loudness_scores"),
                ("Redaction", "redaction"),
            ):
                if entry.get(key) is not None:
                    meta[name] = entry[key]
            confidences = [
                c
                for k, item in enumerate(get_list(entry, "Items", f"{where}.Items"))
                if isinstance(item, Mapping)
                and (c := get_number(item, "Confidence", f"{where}.Items[{k}].Confidence")) is not None
            ]
            if confidences:
                meta["confidence"] = mean(confidences)
            findings.add_turn(entry, content, position=i, where=where)
            turns.append(
                Turn(
                    position=i,
                    role=ctx.role(label) if label else "unknown",
                    speaker=label,
                    text=content,
                    start_s=seconds(get_number(entry, "BeginOffsetMillis", f"{where}.BeginOffsetMillis")),
                    end_s=seconds(get_number(entry, "EndOffsetMillis", f"{where}.EndOffsetMillis")),
                    meta=meta,
                )
            )
        vendor = findings.annotations(doc, ctx)
        meta = other_fields(doc, _KNOWN)
        meta.update(
            {
                name: doc[key]
                for key, name in (("JobStatus", "job_status"), ("AccountId", "account_id"))
                if doc.get(key)
            }
        )
        skipped = get_list(
            get_dict(doc, "AnalyticsJobDetails", "AnalyticsJobDetails"),
            "Skipped",
            "AnalyticsJobDetails.Skipped",
        )
        if skipped:
            meta["skipped_analysis"] = skipped
        return Interaction(
            id=job,
            source=ctx.ref(line=1),
            channel=ctx.channel("call"),
            language=get_str(doc, "LanguageCode", "LanguageCode"),
            turns=tuple(turns),
            vendor=vendor,
            meta=meta,
        )

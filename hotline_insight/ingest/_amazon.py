"""Helpers shared by the Amazon parsers (Transcribe, Transcribe Call Analytics, Contact Lens).

All three read one JSON document per file. This module holds what they have
in common: loading the document with coded failures for malformed and
truncated JSON, typed field access that names the offending field, the
vendor's character-offset spans, and the ``ConversationCharacteristics``
block that Call Analytics and Contact Lens share.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ParseFailureReason, Warnings, scrub
from ..records import ParseFailure, VendorAnnotations, VendorIssue
from ._base import FieldError, ParseContext
from ._source import SourceFile

__all__ = [
    "VendorFindings",
    "characteristics",
    "get_dict",
    "get_list",
    "get_number",
    "get_str",
    "load_document",
    "mean",
    "other_fields",
    "seconds",
    "span",
    "summary",
]


# What the end of a cut-off document can hold where the decoder stops: part of a literal or a number.
_PARTIAL_TOKEN = re.compile(r"[-+.0-9eE]{1,40}|t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?")


class _NonStandardConstant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonStandardConstant(name)


def load_document(src: SourceFile, ctx: ParseContext) -> dict[str, Any] | ParseFailure:
    """The file's single JSON object, or a coded failure for the whole file.

    A decoder error at the end of the text (ignoring trailing whitespace), in
    an unterminated string, or in a cut-off last token (``tru``, ``12.``)
    means the file was cut short: ``TRUNCATED``. Any other decoder error, and
    the non-standard ``NaN``/``Infinity``, is ``MALFORMED_JSON``; a top-level
    value that is not an object is ``INVALID_VALUE``. Failures carry the
    error's line.
    """
    text = src.read_text()
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except _NonStandardConstant as exc:
        name = exc.args[0]
        return ctx.failure(
            ParseFailureReason.MALFORMED_JSON,
            f"non-standard JSON constant {name} (JSON has no NaN or Infinity)",
            line=text.count("\n", 0, max(text.find(name), 0)) + 1,
        )
    except json.JSONDecodeError as exc:
        rest = text[exc.pos :].rstrip()
        truncated = (
            not rest
            or exc.msg.startswith("Unterminated string")
            or _PARTIAL_TOKEN.fullmatch(rest) is not None
        )
        reason = ParseFailureReason.TRUNCATED if truncated else ParseFailureReason.MALFORMED_JSON
        what = "the JSON document ends early" if truncated else "not valid JSON"
        return ctx.failure(reason, f"{what}: {exc.msg} (column {exc.colno})", line=exc.lineno)
    if not isinstance(doc, dict):
        return ctx.failure(
            ParseFailureReason.INVALID_VALUE,
            f"the top-level JSON value must be an object; got {type(doc).__name__}",
            line=1,
        )
    return doc


def _bad(field: str, expected: str, value: object) -> FieldError:
    return FieldError(
        ParseFailureReason.INVALID_VALUE,
        f"field {field!r} must be {expected}; got {type(value).__name__} {scrub(value, 30)}",
    )


def get_dict(record: Mapping[str, Any], key: str, field: str) -> Mapping[str, Any]:
    """``record[key]`` as an object; ``{}`` when absent or null; INVALID_VALUE otherwise."""
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _bad(field, "an object", value)
    return value


def get_list(record: Mapping[str, Any], key: str, field: str, *, required: bool = False) -> list[Any]:
    """``record[key]`` as an array; ``[]`` when absent (MISSING_FIELD if required)."""
    value = record.get(key)
    if value is None:
        if required:
            raise FieldError(ParseFailureReason.MISSING_FIELD, f"required field {field!r} is missing")
        return []
    if not isinstance(value, list):
        raise _bad(field, "an array", value)
    return value


def get_str(record: Mapping[str, Any], key: str, field: str, *, required: bool = False) -> str | None:
    """``record[key]`` as a string (numbers are accepted and written out); None when absent."""
    value = record.get(key)
    if value is None or (required and value == ""):
        if required:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD, f"required field {field!r} is missing or empty"
            )
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _bad(field, "a string", value)
    return str(value)


def get_number(record: Mapping[str, Any], key: str, field: str) -> float | None:
    """``record[key]`` as a finite number; numeric strings (Transcribe writes times as strings) too."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _bad(field, "a number", value)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise _bad(field, "a number", value) from None
    else:
        raise _bad(field, "a number", value)
    if not math.isfinite(number):
        raise _bad(field, "a finite number", value)
    return number


def mean(values: list[float]) -> float | None:
    """The mean rounded to 4 places, or None for no values."""
    return round(sum(values) / len(values), 4) if values else None


def span(
    content: str, begin: object, end: object, *, position: int, text: str | None = None
) -> tuple[VendorIssue, bool]:
    """A vendor span on a turn, and whether its offsets were usable.

    Offsets are half-open character offsets into the turn's text. When they
    are integers with ``0 <= begin < end <= len(content)`` the span keeps
    them and its text is ``content[begin:end]``. Otherwise the span keeps
    only its turn (and the vendor's own ``text`` when given), so no finding
    is dropped and no wrong offset is kept.
    """
    ok = (
        isinstance(begin, int)
        and isinstance(end, int)
        and not isinstance(begin, bool)
        and not isinstance(end, bool)
        and 0 <= begin < end <= len(content)
    )
    if ok:
        assert isinstance(begin, int) and isinstance(end, int)
        return VendorIssue(
            text=content[begin:end], turn_position=position, start_char=begin, end_char=end
        ), True
    return VendorIssue(text=text, turn_position=position), False


class VendorFindings:
    """The vendor's annotations of one document: spans collected turn by turn, then the rest.

    Issues become ``VendorAnnotations.issues``; outcomes and action items go
    to ``extra["outcomes"]`` and ``extra["action_items"]`` as dumped spans.
    Each listed element is ``{"CharacterOffsets": {<begin>: int, <end>: int},
    "Text": ...}`` with the offset key names given in ``offsets`` (Call
    Analytics: ``Begin``/``End``; Contact Lens: ``BeginOffsetChar``/``EndOffsetChar``).
    See :func:`span` for offsets that do not fit.
    """

    _KEYS = (
        ("IssuesDetected", None),
        ("OutcomesDetected", "outcomes"),
        ("ActionItemsDetected", "action_items"),
    )

    def __init__(self, offsets: tuple[str, str]) -> None:
        self.offsets = offsets
        self.issues: list[VendorIssue] = []
        self.spans: dict[str, list[dict[str, Any]]] = {}
        self.n_bad = 0

    def add_turn(self, entry: Mapping[str, Any], content: str, *, position: int, where: str) -> None:
        """Collect the spans a ``Transcript[]`` entry lists, placed on turn ``position``."""
        for key, extra_key in self._KEYS:
            for k, item in enumerate(get_list(entry, key, f"{where}.{key}")):
                field = f"{where}.{key}[{k}]"
                if not isinstance(item, Mapping):
                    raise _bad(field, "an object", item)
                chars = get_dict(item, "CharacterOffsets", f"{field}.CharacterOffsets")
                text = get_str(item, "Text", f"{field}.Text")
                found, ok = span(
                    content,
                    chars.get(self.offsets[0]),
                    chars.get(self.offsets[1]),
                    position=position,
                    text=text,
                )
                self.n_bad += not ok
                if extra_key is None:
                    self.issues.append(found)
                else:
                    self.spans.setdefault(extra_key, []).append(found.model_dump())

    def annotations(self, doc: Mapping[str, Any], ctx: ParseContext) -> VendorAnnotations | None:
        """The document's VendorAnnotations (None when it has none); warns W104 about unusable offsets.

        Adds ``Categories.MatchedCategories`` (stripped), ``MatchedDetails``
        (``extra["matched_details"]``) and other ``Categories`` fields
        (``extra["categories_<name>"]``), :func:`characteristics` and :func:`summary`.
        """
        if self.n_bad:
            ctx.warn(
                "W104",
                Warnings.W104.format(
                    source=ctx.src.path,
                    detail=f"{self.n_bad} vendor span(s) with character offsets outside their turn "
                    "were kept without offsets",
                ),
            )
        categories = get_dict(doc, "Categories", "Categories")
        matched = get_list(categories, "MatchedCategories", "Categories.MatchedCategories")
        sentiment, extra = characteristics(doc)
        extra.update(self.spans)
        if categories.get("MatchedDetails"):
            extra["matched_details"] = categories["MatchedDetails"]
        rest = other_fields(categories, frozenset({"MatchedCategories", "MatchedDetails"}))
        extra.update({f"categories_{k}": v for k, v in rest.items()})
        vendor = VendorAnnotations(
            sentiment=sentiment,
            issues=tuple(self.issues),
            categories=tuple(str(c).strip() for c in matched if str(c).strip()),
            summary=summary(doc),
            extra=extra,
        )
        return None if vendor.is_empty else vendor


def other_fields(doc: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The document's top-level fields a parser does not map, under snake_case names, for ``meta``."""
    return {
        _camel_to_snake(key): value for key, value in doc.items() if key not in known and value is not None
    }


def seconds(millis: float | None) -> float | None:
    """Milliseconds as seconds (3 decimals), None for None."""
    return None if millis is None else round(millis / 1000, 3)


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)


def _camel_to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _by_role(details: Mapping[str, Any], key: str, field: str, scale: float = 1.0) -> dict[str, float]:
    """``{"agent": x, "customer": y}`` from ``{"AGENT": {key: x}, ...}`` (or ``{"AGENT": x}`` when key is '')."""
    out: dict[str, float] = {}
    for role, item in details.items():
        where = f"{field}.{role}"
        if key:
            if not isinstance(item, Mapping):
                raise _bad(where, "an object", item)
            value = get_number(item, key, f"{where}.{key}")
        else:
            value = get_number({"v": item}, "v", where)
        if value is not None:
            out[str(role).lower()] = round(value / scale, 3) if scale != 1.0 else value
    return out


def characteristics(doc: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(sentiment, extra)`` for VendorAnnotations from ``ConversationCharacteristics``.

    ``sentiment``: ``{"agent": score, "customer": score}`` from
    ``Sentiment.OverallSentiment`` (the vendor's -5..5 scale, noted as
    ``"scale"``), plus the vendor's ``SentimentByPeriod`` and (chat)
    ``DetailsByParticipantRole`` as given. ``extra``: total duration,
    interruptions, non-talk time, talk speed and talk time with durations
    in seconds; any other characteristic as given, under a snake_case name.
    """
    cc = get_dict(doc, "ConversationCharacteristics", "ConversationCharacteristics")
    sentiment: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in cc.items():
        field = f"ConversationCharacteristics.{key}"
        if key == "Sentiment":
            block = get_dict(cc, key, field)
            overall = _by_role(
                get_dict(block, "OverallSentiment", f"{field}.OverallSentiment"),
                "",
                f"{field}.OverallSentiment",
            )
            sentiment.update(overall)
            if overall:
                sentiment["scale"] = "-5..5"
            for sub, name in (
                ("SentimentByPeriod", "by_period"),
                ("DetailsByParticipantRole", "by_participant_role"),
                ("DetailsByInteraction", "by_interaction"),
            ):
                if block.get(sub) is not None:
                    sentiment[name] = block[sub]
        elif key == "TotalConversationDurationMillis":
            extra["total_conversation_duration_s"] = seconds(get_number(cc, key, field))
        elif key == "Interruptions":
            block = get_dict(cc, key, field)
            by = get_dict(block, "InterruptionsByInterrupter", f"{field}.InterruptionsByInterrupter")
            extra["interruptions"] = {
                "total_count": _count(get_number(block, "TotalCount", f"{field}.TotalCount")),
                "total_time_s": seconds(get_number(block, "TotalTimeMillis", f"{field}.TotalTimeMillis")),
                "count_by_interrupter": {
                    str(role).lower(): len(get_list(by, role, f"{field}.InterruptionsByInterrupter.{role}"))
                    for role in by
                },
            }
        elif key == "NonTalkTime":
            block = get_dict(cc, key, field)
            extra["non_talk_time"] = {
                "total_time_s": seconds(get_number(block, "TotalTimeMillis", f"{field}.TotalTimeMillis")),
                "n_instances": len(get_list(block, "Instances", f"{field}.Instances")),
            }
        elif key == "TalkSpeed":
            block = get_dict(cc, key, field)
            details = get_dict(block, "DetailsByParticipant", f"{field}.DetailsByParticipant")
            extra["talk_speed_wpm"] = _by_role(
                details, "AverageWordsPerMinute", f"{field}.DetailsByParticipant"
            )
        elif key == "TalkTime":
            block = get_dict(cc, key, field)
            details = get_dict(block, "DetailsByParticipant", f"{field}.DetailsByParticipant")
            extra["talk_time_s"] = {
                "total": seconds(get_number(block, "TotalTimeMillis", f"{field}.TotalTimeMillis")),
                **_by_role(details, "TotalTimeMillis", f"{field}.DetailsByParticipant", scale=1000.0),
            }
        elif key == "ContactSummary":
            block = get_dict(cc, key, field)  # the summary text itself is read by summary()
            rest = {k: v for k, v in block.items() if k not in {p[0] for p in _SUMMARY_PATHS}}
            if rest:
                extra["contact_summary"] = rest
        elif value is not None:
            extra[_camel_to_snake(key)] = value
    return sentiment, extra


_SUMMARY_PATHS = (
    ("AutoGenerated", "OverallSummary"),
    ("PostContactSummary",),
    ("ContactChainSummary",),
)


def summary(doc: Mapping[str, Any]) -> str | None:
    """The vendor's generated summary text, wherever this version keeps it.

    Call Analytics: ``ContactSummary.AutoGenerated.OverallSummary.Content``;
    Contact Lens: ``ContactSummary.PostContactSummary.Content`` (calls, chats)
    or ``ContactSummary.ContactChainSummary.Content`` (e-mail). The block is
    looked for under ``ConversationCharacteristics`` and at the top level.
    """
    cc = get_dict(doc, "ConversationCharacteristics", "ConversationCharacteristics")
    for parent, prefix in ((cc, "ConversationCharacteristics."), (doc, "")):
        block = get_dict(parent, "ContactSummary", f"{prefix}ContactSummary")
        for path in _SUMMARY_PATHS:
            node: Mapping[str, Any] = block
            field = f"{prefix}ContactSummary"
            for key in path:
                field += f".{key}"
                node = get_dict(node, key, field)
            text = get_str(node, "Content", f"{field}.Content")
            if text:
                return text
    return None

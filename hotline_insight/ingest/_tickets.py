"""Helpers shared by the ticket-log parsers (Zendesk, Freshdesk, Salesforce, Jira, CFPB).

Small and hot: these run once per field of every record of files that can
hold millions of tickets, so each does the least work that is correct.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache, partial
from html import unescape
from typing import Any, TypeVar

from .._time import TimestampError
from ..errors import ConfigError, Errors, ParseFailureReason, scrub
from ..records import Interaction, hash_identifier
from ._base import FieldError, ParseContext, ParserResult
from ._csvstream import CsvProblem, iter_csv_rows, read_header, sniff_delimiter
from ._jsonstream import looks_like_json_lines
from ._source import SourceFile

__all__ = [
    "DateCache",
    "cell",
    "column_map",
    "csv_records",
    "fast_time",
    "hash_cached",
    "helpdesk_evidence",
    "html_to_text",
    "id_text",
    "is_json_lines",
    "json_kind",
    "opt_str",
    "option_text",
    "parse_bool",
    "personal_keys",
    "read_fields",
    "sniff_header",
    "split_tags",
]

L = TypeVar("L")

_UTC = dt.UTC
# the plausible window of _time.parse_datetime; values outside it take the slow path,
# which raises the coded error
_MIN = dt.datetime(1980, 1, 1, tzinfo=_UTC)
_MAX = dt.datetime(2100, 1, 1, tzinfo=_UTC)
_fromiso = dt.datetime.fromisoformat


def fast_time(ctx: ParseContext, value: object) -> dt.datetime | None:
    """``ctx.time(value)``, with a fast path for ISO 8601 strings.

    Exports write most timestamps as ``2026-03-01T10:00:00Z`` or
    ``2026-03-01 10:00:00``; the standard library reads those directly
    (naive ones are placed in the ``timezone=`` zone and counted for the
    W101 warning, as :func:`~hotline_insight._time.parse_datetime` does).
    Anything else (US dates, epochs, impossible dates) goes through
    :meth:`ParseContext.time`, so results and errors are the same as the
    shared parser's.

    Examples:
        >>> from hotline_insight.ingest._base import ParseContext, ParseOptions
        >>> from hotline_insight.ingest._source import SourceFile
        >>> ctx = ParseContext(SourceFile(data=b"x"), ParseOptions(), "zendesk_json")
        >>> fast_time(ctx, "2026-03-01T10:00:00+01:00").isoformat()
        '2026-03-01T09:00:00+00:00'
        >>> fast_time(ctx, "2026-03-01 10:00:00").isoformat(), ctx.naive.n
        ('2026-03-01T10:00:00+00:00', 1)
    """
    if type(value) is str and value[4:5] == "-":
        try:
            parsed = _fromiso(value)
        except ValueError:
            return ctx.time(value)
        if parsed.tzinfo is None:
            tz = ctx.tz
            if tz is None:
                ctx.naive.n += 1
                parsed = parsed.replace(tzinfo=_UTC)
            else:
                parsed = parsed.replace(tzinfo=tz)
        if _MIN <= parsed < _MAX:
            return parsed.astimezone(_UTC)
        raise TimestampError(f"timestamp {value!r} is outside 1980-2099")
    return ctx.time(value)


class DateCache:
    """Memoised :func:`fast_time` for columns whose values repeat (dates, report times).

    Naive values still count towards the W101 warning each time they are
    read. When the first ``limit`` distinct values were hit less than a
    quarter of the time (timestamps to the second rarely repeat), the cache
    turns itself off.
    """

    def __init__(self, ctx: ParseContext, limit: int = 4096) -> None:
        self._ctx = ctx
        self._seen: dict[str, tuple[dt.datetime | None, bool]] = {}
        self._limit = limit
        self._on = True
        self._calls = 0
        self._misses = 0

    def __call__(self, value: str | None) -> dt.datetime | None:
        if value is None:
            return None
        ctx = self._ctx
        if not self._on:
            return fast_time(ctx, value)
        self._calls += 1
        hit = self._seen.get(value)
        if hit is not None:
            if hit[1]:
                ctx.naive.n += 1
            return hit[0]
        before = ctx.naive.n
        result = fast_time(ctx, value)
        self._misses += 1
        seen = self._seen
        if len(seen) < self._limit:
            seen[value] = (result, ctx.naive.n != before)
        elif (self._calls - self._misses) * 4 < self._calls:  # full, and hit less than 1 time in 4
            self._on = False
            seen.clear()
        return result


_BLOCK = "p|div|br|li|ul|ol|tr|table|h[1-6]|blockquote|pre|hr|section|article|header|footer"
_HIDDEN = re.compile(r"<(script|style|head|title)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(rf"</?(?:{_BLOCK})\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>|<\?[^>]*>")


def html_to_text(html: str) -> str:
    r"""Plain text from an HTML fragment (a ticket body): block elements become line breaks.

    Scripts, styles and comments are dropped, other tags removed, entities
    decoded; spaces are collapsed and lines stripped, and blank lines dropped
    (one paragraph or list item a line). Source line breaks inside tagged
    HTML are spaces, as in a browser. Regular expressions rather than
    :mod:`html.parser`: ticket bodies are small fragments, and this is
    several times faster, which matters at millions of comments. Only ``<`` followed by a letter, ``/``,
    ``!`` or ``?`` starts a tag, so "1 < 2" survives.

    Examples:
        >>> html_to_text("<p>Hi&nbsp;there,</p><div>my <b>router</b> drops.<br>1 < 2!</div>")
        'Hi there,\nmy router drops.\n1 < 2!'
    """
    if "<" not in html:
        return unescape(html).strip() if "&" in html else html.strip()
    text = html.replace("\r\n", " ").replace("\n", " ")
    if "<!--" in text or "<s" in text or "<S" in text or "<h" in text or "<t" in text:
        text = _HIDDEN.sub("", text)
    text = _TAG.sub("", _BREAK.sub("\n", text))
    if "&" in text:
        text = unescape(text)
    return "\n".join(line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line)


def split_tags(value: str | None) -> tuple[str, ...]:
    """Tags from one cell: comma-separated when there is a comma, else space-separated.

    Examples:
        >>> split_tags("billing refund")
        ('billing', 'refund')
        >>> split_tags("Older American, Servicemember")
        ('Older American', 'Servicemember')
    """
    if not value:
        return ()
    parts = value.split(",") if "," in value else value.split()
    return tuple(p for p in (part.strip() for part in parts) if p)


_TRUE = frozenset(("true", "1", "yes", "y", "t"))
_FALSE = frozenset(("false", "0", "no", "n", "f"))


def parse_bool(value: str | None, field: str) -> bool | None:
    """A boolean cell (``true``/``false``, ``1``/``0``, ``Yes``/``No``); None when missing.

    Raises:
        FieldError: the cell holds something else (INVALID_VALUE).
    """
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {field!r} is not a boolean: {scrub(value)}")


def id_text(value: object, field: str) -> str:
    """An id as text (JSON numbers become their digits); MISSING_FIELD when absent or empty.

    Raises:
        FieldError: the id is missing, empty, or not a string or integer.
    """
    if value is None or value == "":
        raise FieldError(ParseFailureReason.MISSING_FIELD, f"required field {field!r} is missing or empty")
    if value.__class__ is int or value.__class__ is str:
        text = str(value).strip()
        if text:
            return text
        raise FieldError(ParseFailureReason.MISSING_FIELD, f"required field {field!r} is missing or empty")
    raise FieldError(
        ParseFailureReason.INVALID_VALUE,
        f"field {field!r} must be a string or an integer, not {type(value).__name__}",
    )


def option_text(options: Mapping[str, Any], name: str, fmt: str) -> str | None:
    """A parser option that names a field or column: str (or int for ids), else a coded error."""
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ConfigError(
            Errors.E109.format(name=name, expected="a field name or id (str or int)", value=value)
        )
    text = str(value).strip()
    if not text:
        raise ConfigError(Errors.E109.format(name=name, expected="a non-empty field name or id", value=value))
    return text


def column_map(columns: Iterable[str], synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Map canonical field names to the CSV's own header names, case-insensitively.

    ``synonyms`` lists, per canonical name, the header spellings to look for
    in order of preference (API names, report labels, ...).

    Examples:
        >>> column_map(["CASENUMBER", "Case Origin"], {"CaseNumber": ("CaseNumber", "Case Number"),
        ...                                           "Origin": ("Origin", "Case Origin")})
        {'CaseNumber': 'CASENUMBER', 'Origin': 'Case Origin'}
    """
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(column.strip().lower(), column)
    found: dict[str, str] = {}
    for canonical, names in synonyms.items():
        for name in names:
            actual = by_lower.get(name.lower())
            if actual is not None:
                found[canonical] = actual
                break
    return found


def sniff_header(head: str) -> set[str]:
    """The lower-cased header cells of a CSV head, or an empty set when it is not CSV-like.

    JSON documents and text without a delimiter in its first line give an empty set.
    """
    text = head.lstrip("\ufeff")
    if not text or text.lstrip()[:1] in ("{", "["):
        return set()
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    if delimiter not in first:
        return set()
    return {cell.lower() for cell in read_header(text, delimiter) if cell}


_KINDS = {
    dict: "an object",
    list: "an array",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    str: "a string",
}


def json_kind(value: object) -> str:
    """'an object', 'an array', ... for messages about a value's JSON type."""
    return _KINDS.get(value.__class__, type(value).__name__)


def opt_str(value: object, field: str) -> str | None:
    """A text field: None when missing or blank; numbers become text; anything else INVALID_VALUE.

    Raises:
        FieldError: the value is an object, an array or a boolean.
    """
    if value is None:
        return None
    if type(value) is str:
        return value.strip() or None
    cls = value.__class__
    if cls is int or cls is float:
        return str(value)
    raise FieldError(
        ParseFailureReason.INVALID_VALUE, f"field {field!r} must be text, not {json_kind(value)}"
    )


def _casings(word: str) -> set[str]:
    variants = {""}
    for ch in word:
        variants = {v + c for v in variants for c in {ch.lower(), ch.upper()}}
    return variants


# every casing of the markers CsvRow.get treats as missing, so one set lookup decides
_MISSING = frozenset(set().union(*(_casings(w) for w in ("", "none", "null", "n/a", "na", "nan"))))


def cell(values: Mapping[str, str], key: str | None) -> str | None:
    """A CSV cell by header name, stripped; None when the column is absent or the cell
    holds a missing-value marker ('', 'None', 'null', 'N/A', 'NA', 'NaN', any case), as CsvRow.get.

    Examples:
        >>> [cell({"a": v}, "a") for v in (" x ", "None", "n/A", "")] + [cell({}, None)]
        ['x', None, None, None, None]
    """
    if key is None:
        return None
    value = values[key].strip()
    return None if value in _MISSING else value


def read_fields(values: Mapping[str, str], pairs: Iterable[tuple[str, str]]) -> dict[str, str | None]:
    """Every mapped cell at once: ``{canonical name: stripped value or None}`` (as :func:`cell`).

    Columns the file lacks are absent from the result, so ``.get`` gives None for them too.
    """
    return {name: (v if (v := values[key].strip()) not in _MISSING else None) for name, key in pairs}


def csv_records(
    src: SourceFile,
    ctx: ParseContext,
    make_layout: Callable[[list[str]], L],
    build: Callable[[dict[str, str], int, int, L], Interaction],
) -> Iterator[ParserResult]:
    """Drive a CSV ticket parser: one record or failure per row, the layout worked out once.

    ``make_layout`` gets the header (from the first row) and returns whatever
    ``build`` needs to find its columns; ``build(values, line, index, layout)``
    runs inside :meth:`ParseContext.build`.
    """
    delimiter = sniff_delimiter(src.head_text().lstrip("\ufeff"))
    layout: L | None = None
    with src.open_text() as fh:
        for row in iter_csv_rows(fh, delimiter=delimiter):
            if isinstance(row, CsvProblem):
                yield ctx.failure(row.reason, row.message, line=row.line, index=row.index)
                continue
            if layout is None:
                layout = make_layout(list(row.values))
            yield ctx.build(
                partial(build, row.values, row.line, row.index, layout), line=row.line, index=row.index
            )


hash_cached = lru_cache(maxsize=1 << 16)(hash_identifier)
""":func:`~hotline_insight.records.hash_identifier`, memoised (the same customers recur)."""


def personal_keys(values: Mapping[str, str], columns: Iterable[str]) -> tuple[str, ...]:
    """Hashed e-mail / phone keys from columns that hold personal contact data.

    A value with '@' is an e-mail; one with at least five digits a phone
    number; anything else (a name, 'XXXX') is left out.
    """
    keys: list[str] = []
    for column in columns:
        value = values[column].strip()
        if not value:
            continue
        if "@" in value:
            key = hash_cached("email", value)
        elif sum(ch.isdigit() for ch in value) >= 5:
            key = hash_cached("phone", value)
        else:
            continue
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def is_json_lines(head: str) -> bool:
    """True when the head reads as JSON lines: the first line is a whole JSON object and at
    least half of the first ten lines are.

    More tolerant than :func:`~hotline_insight.ingest._jsonstream.looks_like_json_lines`
    of one bad line near the top (which is then reported by itself), and still
    False for pretty-printed documents and pages that span several lines.
    """
    if looks_like_json_lines(head):
        return True
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if not head.endswith("\n") and len(lines) > 2:
        lines = lines[:-1]  # the head may end inside a line
    lines = lines[:10]
    if len(lines) < 2 or not lines[0].startswith("{"):
        return False
    good = 0
    for i, line in enumerate(lines):
        try:
            ok = json.loads(line).__class__ is dict
        except ValueError:
            ok = False
        if i == 0 and not ok:
            return False
        good += ok
    return good * 2 >= len(lines)


# Keys only one of the two helpdesks writes; both sniffers weigh the same evidence.
_ZENDESK_ONLY_KEYS = re.compile(
    r'"(via|submitter_id|raw_subject|assignee_id|satisfaction_rating|brand_id|problem_id|has_incidents)"\s*:'
)
_FRESHDESK_ONLY_KEYS = re.compile(
    r'"(description_text|responder_id|fr_escalated|due_by|fr_due_by|cf_[a-z0-9_]+)"\s*:|"source"\s*:\s*\d'
)


def helpdesk_evidence(head: str) -> tuple[int, int]:
    """How many distinct Zendesk-only and Freshdesk-only keys a JSON head holds.

    Freshdesk's ``cf_*`` custom fields count once, and a numeric ``source``
    (Freshdesk's channel code) counts as one Freshdesk key.

    Examples:
        >>> helpdesk_evidence('{"id": 1, "via": {}, "requester_id": 2, "brand_id": 3}')
        (2, 0)
        >>> helpdesk_evidence('{"id": 1, "source": 2, "cf_plan": "x", "cf_seat": 1, "responder_id": 4}')
        (0, 3)
    """
    zendesk = len(set(_ZENDESK_ONLY_KEYS.findall(head)))
    freshdesk = len(
        {"cf_" if m.startswith("cf_") else m or "source" for m in _FRESHDESK_ONLY_KEYS.findall(head)}
    )
    return zendesk, freshdesk

"""Helpers shared by the JSON conversation parsers (CCAI, Genesys, Twilio, utterances, social).

What they have in common: reading a file that is either one JSON document,
a JSON array of records or JSON lines (streamed through
:mod:`~hotline_insight.ingest._jsonstream`), cheap content sniffing from the
first 64 KiB, typed field access whose failures name the field, grouping a
stream of records into conversations, and moving personal identifiers out of
``meta`` into hashed customer keys.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from ..errors import ParseFailureReason, scrub
from ..records import Interaction, ParseFailure, Role, hash_identifier
from ._base import FieldError, ParseContext
from ._jsonstream import JsonItem, JsonProblem, iter_json_lines, iter_json_records
from ._source import SourceFile

__all__ = [
    "build_part",
    "first_key",
    "get_dict",
    "get_list",
    "get_number",
    "get_str",
    "has_key",
    "head_line_objects",
    "head_objects",
    "head_start",
    "is_json_lines",
    "iter_json_items",
    "option_role",
    "pop_identifiers",
    "problem_failure",
    "stem",
]

T = TypeVar("T")

_DECODER = json.JSONDecoder()
_WS = " \t\r\n\ufeff"


# -- sniffing -----------------------------------------------------------------
def head_start(head: str) -> str:
    """The first character of the head that is not whitespace or a BOM ('' when none)."""
    stripped = head.lstrip(_WS)
    return stripped[:1]


def has_key(head: str, key: str) -> bool:
    """True when ``"key":`` occurs in the head (a cheap test for a JSON field name)."""
    return re.search(r'"' + re.escape(key) + r'"\s*:', head) is not None


def head_objects(head: str, limit: int = 5) -> list[Any]:
    """Up to ``limit`` complete JSON values decoded from the start of the head.

    Elements of a top-level array, else successive top-level values (JSON
    lines). A value cut off by the end of the head ends the list. Never raises.

    Examples:
        >>> head_objects('{"a": 1}\\n{"a": 2}\\n{"a":')
        [{'a': 1}, {'a': 2}]
        >>> head_objects('[{"a": 1}, {"b": 2}, {"c"')
        [{'a': 1}, {'b': 2}]
    """
    text = head
    pos = _skip(text, 0)
    in_array = pos < len(text) and text[pos] == "["
    if in_array:
        pos += 1
    values: list[Any] = []
    while len(values) < limit:
        pos = _skip(text, pos)
        if in_array and pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
        if pos >= len(text) or (in_array and text[pos] == "]"):
            break
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        values.append(value)
    return values


def head_line_objects(head: str, limit: int = 5) -> list[dict[str, Any]]:
    """The JSON objects among the head's first lines (JSON lines sniffing); bad lines are passed over.

    Looks at most ``2 * limit`` non-blank lines and returns at most ``limit``
    objects. The head's last line is ignored when the head does not end with
    a line break (it may be cut). Never raises.

    Examples:
        >>> head_line_objects('{"a": 1}\\nnot json\\n{"a": 2}\\n{"a": 3, "b"')
        [{'a': 1}, {'a': 2}]
    """
    lines = head.split("\n")
    if len(lines) > 1 and not head.endswith(("\n", "\r")):
        lines = lines[:-1]
    found: list[dict[str, Any]] = []
    seen = 0
    for raw in lines:
        text = raw.strip(_WS)
        if not text:
            continue
        seen += 1
        if seen > 2 * limit or len(found) >= limit:
            break
        if not text.startswith("{"):
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def is_json_lines(head: str, lines: int = 5) -> bool:
    """True when one of the head's first non-blank lines is a whole JSON object starting in column 0.

    That is how JSON lines look, and how a pretty-printed document never
    looks (its opening ``{`` line is incomplete and its nested objects are
    indented). A malformed first line does not hide the lines after it. A
    single-line document counts as JSON lines of one record.

    Examples:
        >>> is_json_lines('{"a": 1}\\n{"a": 2}\\n')
        True
        >>> is_json_lines('oops\\n{"a": 2}\\n')
        True
        >>> is_json_lines('{\\n  "a": {"b": 1}\\n}\\n')
        False
    """
    seen = 0
    for raw in head.lstrip("\ufeff").split("\n"):
        line = raw.rstrip(" \t\r")
        if not line.strip():
            continue
        seen += 1
        if seen > lines:
            break
        if not line.startswith("{"):
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return True
    return False


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


# -- reading --------------------------------------------------------------------
def iter_json_items(
    src: SourceFile, *, lines: bool | None = None, container_keys: tuple[str, ...] = ()
) -> Iterator[JsonItem | JsonProblem]:
    """The file's top-level JSON values, streamed.

    JSON lines (decided by :func:`is_json_lines` unless ``lines`` is given) yield one
    item per non-blank line, and a bad line is a non-fatal problem. Anything
    else is read as JSON documents: a top-level array yields its elements one
    at a time, as does an object's array under one of ``container_keys``;
    any other object is yielded whole. A malformed document is one fatal problem.
    """
    if lines is None:
        lines = is_json_lines(src.head_text())
    with src.open_text() as fh:
        if lines:
            yield from iter_json_lines(fh)
        else:
            yield from iter_json_records(fh, container_keys)


def problem_failure(ctx: ParseContext, problem: JsonProblem) -> ParseFailure:
    """A :class:`JsonProblem` as this file's coded failure."""
    return ctx.failure(problem.reason, problem.message, line=problem.line, index=problem.index)


def build_part(
    ctx: ParseContext, make: Callable[[], T], *, line: int | None = None, index: int | None = None
) -> T | ParseFailure:
    """Like :meth:`ParseContext.build`, for a part of a record (a turn) instead of an Interaction."""
    result = ctx.build(cast("Callable[[], Interaction]", make), line=line, index=index)
    return cast("T | ParseFailure", result)


def option_role(ctx: ParseContext, label: object) -> Role | None:
    """``"agent"``/``"customer"`` when the user's agent=/customer= options name ``label``, else None.

    Unlike :meth:`ParseContext.role` this does not fall back to common words,
    so it is safe for ids and handles ("support_team" is not thereby an agent).
    """
    if label is None:
        return None
    text = str(label).strip().lower()
    if text in {a.strip().lower() for a in ctx.options.agent}:
        return "agent"
    if text in {c.strip().lower() for c in ctx.options.customer}:
        return "customer"
    return None


def stem(src: SourceFile) -> str:
    """The file name without its extension (``calls/c-42.json.gz`` -> ``c-42``)."""
    name = src.name
    return name.rsplit(".", 1)[0] if "." in name.strip(".") else name


# -- typed field access -------------------------------------------------------------
def _bad(field: str, expected: str, value: object) -> FieldError:
    return FieldError(
        ParseFailureReason.INVALID_VALUE,
        f"field {field!r} must be {expected}; got {type(value).__name__} {scrub(value, 30)}",
    )


def first_key(record: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    """The first of ``keys`` present in ``record`` with a non-null value, else None."""
    for key in keys:
        if record.get(key) is not None:
            return key
    return None


def get_dict(record: Mapping[str, Any], key: str, field: str | None = None) -> Mapping[str, Any]:
    """``record[key]`` as an object; ``{}`` when absent or null; INVALID_VALUE otherwise."""
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _bad(field or key, "an object", value)
    return value


def get_list(
    record: Mapping[str, Any], key: str, field: str | None = None, *, required: bool = False
) -> list[Any]:
    """``record[key]`` as an array; ``[]`` when absent (MISSING_FIELD when ``required``)."""
    value = record.get(key)
    if value is None:
        if required:
            raise FieldError(ParseFailureReason.MISSING_FIELD, f"required field {field or key!r} is missing")
        return []
    if not isinstance(value, list):
        raise _bad(field or key, "an array", value)
    return value


def get_str(
    record: Mapping[str, Any],
    key: str,
    field: str | None = None,
    *,
    required: bool = False,
    allow_empty: bool = False,
) -> str | None:
    """``record[key]`` as a string (integers are written out); None when absent or null.

    With ``required``, an absent or null value (or an empty one unless
    ``allow_empty``) is a MISSING_FIELD failure.
    """
    value = record.get(key)
    if value is None or (value == "" and required and not allow_empty):
        if required:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD, f"required field {field or key!r} is missing or empty"
            )
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _bad(field or key, "a string", value)
    return str(value)


def get_number(record: Mapping[str, Any], key: str, field: str | None = None) -> float | None:
    """``record[key]`` as a finite number (numeric strings too); None when absent, null or ''."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _bad(field or key, "a number", value)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise _bad(field or key, "a number", value) from None
    else:
        raise _bad(field or key, "a number", value)
    if not math.isfinite(number):
        raise _bad(field or key, "a finite number", value)
    return number


# -- personal identifiers -------------------------------------------------------------
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _identifier_kind(key: str) -> str | None:
    tokens = _CAMEL.sub("_", key).lower().replace("-", "_").split("_")
    if "email" in tokens or "mail" == tokens[-1] or tokens[-1].endswith("email"):
        return "email"
    if "phone" in tokens or tokens[-1] in {"ani", "msisdn"}:
        return "phone"
    if tokens[-2:] == ["account", "number"] or tokens[-1] in {"accountnumber", "iban"}:
        return "account"
    return None


def pop_identifiers(fields: dict[str, Any]) -> list[str]:
    """Remove e-mail, phone and account-number fields from ``fields``; return them hashed.

    Field names are matched by their words (``email``, ``customerEmail``,
    ``phone_number``, ``ani``, ``account_number``). Non-string values under
    such names are removed too, but only strings are hashed.

    Examples:
        >>> meta = {"author_email": "Jo@Example.com", "platform": "forum"}
        >>> keys = pop_identifiers(meta)
        >>> (sorted(meta), keys[0].startswith("email:"))
        (['platform'], True)
    """
    keys: list[str] = []
    for name in list(fields):
        kind = _identifier_kind(name)
        if kind is None:
            continue
        value = fields.pop(name)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            keys.append(hash_identifier(kind, str(value)))
    return keys

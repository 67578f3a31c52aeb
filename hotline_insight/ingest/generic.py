"""The generic reader: CSV, TSV, JSON lines, JSON arrays, Parquet and DataFrames with a column mapping.

This is the escape hatch for every export no specific parser knows. A
:class:`ColumnMapping` says which column holds what; the parser reads the
file by content (Parquet by its magic bytes, JSON when it starts with ``[``
or ``{``, else CSV with the delimiter sniffed from the header line, tab for
``.tsv``) and streams it record by record, so files of any size read in
bounded memory.

Three shapes of data are understood:

* **one row per interaction** (tickets, single queries): ``id`` plus one
  ``text`` column (one turn) or several (one turn each, role ``text_role``,
  with the column name in ``Turn.meta["column"]``);
* **a list of turns in a column** (``turns``): either ``[speaker, text]``
  pairs (ABCD's ``original``) or objects whose keys are set by
  ``turn_speaker_key`` / ``turn_text_key`` / ``turn_time_key``; a CSV cell
  holding such a list as JSON text is decoded;
* **one row per utterance** (``conversation_id`` + ``text``, optionally
  ``speaker``, ``role``, ``turn_order``, ``turn_time``): consecutive rows
  with the same conversation id form one interaction, with the turns sorted
  by ``turn_order`` when it is mapped. Reading streams, so the rows of a
  conversation are assumed to be grouped; a conversation id that reappears
  later yields another record with the same id, which :func:`hotline_insight.read`
  merges (``iter_interactions`` does not merge). In this shape the ``meta``
  columns are per row and go to ``Turn.meta`` (with the row's ``turn_order``),
  and each row is checked on its own: a row with a bad value fails alone
  (its turn is left out, the failure names its line) and the conversation
  is still read. Interaction-level fields take the first row's non-empty value.

Decisions worth knowing:

* Detection: :meth:`GenericParser.sniff` gives every CSV / JSON / Parquet
  file a low score (0.05), so any specific parser that claims a file wins
  and auto-detection falls back to ``generic`` only when nothing else does.
  With ``mapping=`` pass ``format="generic"`` to be sure the mapping is used.
  DataFrames always go to the generic reader.
* Without ``mapping=`` the columns are mapped by their common names
  (``id``/``ticket_id``/``conversation_id``, ``text``/``body``/``message``/
  ``description``/``utterance``, ``created_at``/``timestamp``/``date``,
  ``customer_id``/``user_id``, ``speaker``/``role``, ...; case and
  punctuation ignored). When no text column is recognised the file fails
  once with ``missing_field``.
* Without ``id`` (and without ``conversation_id``) records get positional
  ids ``"<path>#<row index>"``: lineage, not a value the source had. Map an
  id when reading several DataFrames, whose path is always ``<DataFrame>``.
* A mapped column absent from the data is one ``missing_field`` failure for
  the whole file, listing the available columns (for JSON, "absent" means
  absent from every one of the first 100 records). Unknown mapping keys are
  a :class:`~hotline_insight.errors.ConfigError` (E112).
* Missing values: in CSV cells ``''``, ``None``, ``null``, ``N/A``, ``NA``,
  ``NaN`` mean missing, except in text columns, where only an absent value is
  missing (customers do write "none"). A one-row-per-interaction record
  without any text fails with ``missing_field``; an utterance row with an
  empty text cell is an empty turn (the utterance happened, e.g. an
  attachment), while a JSON utterance whose text is absent or null fails.
* Channel: the ``channel=`` option, else the ``channel`` column (common words
  such as phone/voice -> call, sms/whatsapp/webchat -> chat, e-mail -> email,
  web/form/api -> ticket, twitter/facebook/forum -> social, plus the
  mapping's ``channel_map``; other values fail with ``invalid_value``), else
  ``default_channel``, else ``"ticket"``.
* Roles: ``role_map`` (case-insensitive) first, then the common speaker
  words (with the ``agent=``/``customer=`` options); a turn with no speaker
  label gets ``text_role``.
* Satisfaction: ``satisfaction_scale`` normalises the score to [0, 1]
  (``1-5``: (v-1)/4; ``0-10``: v/10; ``0-1``: v; ``good/bad``: 1/0). Without
  a scale only ``raw`` is kept. Out-of-range values fail with ``invalid_value``.
* Personal identifiers: ``customer_keys`` columns are hashed with
  :func:`~hotline_insight.records.hash_identifier` and never stored in meta.
  Meta columns (and keys nested inside meta values) whose *names* say
  e-mail, phone or account/card number are hashed into ``customer_keys``
  the same way instead of being kept in clear (when the name points at the
  company's side, such as ``agent_email``, the hash stays in meta and is not
  a customer key). Meta strings that are wholly an e-mail address or a
  formatted phone number (``(977) 625-2661``) are replaced by their hash.
  Turn text is left as written: redaction is a later stage.
* JSON: a file whose first line is a whole JSON object is read as JSON lines
  (a bad line fails alone and reading goes on); otherwise as a JSON array or
  concatenated documents, where a malformed value ends the file with one
  ``malformed_json``/``truncated`` failure.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> frame = pd.DataFrame({"ticket": ["T-1"], "body": ["My card was charged twice."],
    ...                       "csat": [2]})
    >>> mapping = {"id": "ticket", "text": "body", "satisfaction": "csat",
    ...            "satisfaction_scale": "1-5"}
    >>> [(i.id, i.turns[0].role, i.satisfaction.score)
    ...  for i in hi.iter_interactions(frame, mapping=mapping)]
    [('T-1', 'customer', 0.25)]
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from itertools import chain
from typing import Any, ClassVar, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._time import TimestampError
from ..errors import ConfigError, Errors, ParseFailureReason, scrub
from ..records import (
    Channel,
    Interaction,
    ParseFailure,
    Role,
    Satisfaction,
    hash_identifier,
    make_interaction,
    make_turn,
)
from ._base import FieldError, ParseContext, Parser, ParserResult, register
from ._csvstream import CsvProblem, iter_csv_rows, read_header, sniff_delimiter
from ._jsonstream import JsonItem, JsonProblem, iter_json_lines, iter_json_records, looks_like_json_lines
from ._source import SourceFile

__all__ = ["ColumnMapping", "GenericParser"]

SatisfactionScale = Literal["1-5", "0-10", "0-1", "good/bad"]

PARQUET_BATCH_ROWS = 10_000
JSON_SAMPLE_RECORDS = 100  # records read ahead to check a mapping against JSON data

# Mapping keys whose value is one column name.
_SCALAR_COLUMNS: tuple[str, ...] = (
    "id",
    "conversation_id",
    "created_at",
    "updated_at",
    "resolved_at",
    "customer_id",
    "agent_id",
    "channel",
    "subject",
    "product",
    "category",
    "status",
    "priority",
    "language",
    "tags",
    "satisfaction",
    "satisfaction_comment",
    "turns",
    "speaker",
    "role",
    "turn_order",
    "turn_time",
)
_TIME_FIELDS = ("created_at", "updated_at", "resolved_at")
_TEXT_FIELDS = ("customer_id", "agent_id", "subject", "product", "category", "status", "priority", "language")


class ColumnMapping(BaseModel):
    """Which column of a generic export holds what.

    Every column-valued field takes a column name; for nested JSON a dotted
    path such as ``"scenario.flow"`` (an exact column name wins over a path).
    Pass an instance or a plain dict as ``mapping=`` to
    :func:`hotline_insight.read`. Unknown keys raise
    :class:`~hotline_insight.errors.ConfigError` (E112).

    Attributes:
        id: the interaction id (positional ids when neither this nor
            ``conversation_id`` is mapped).
        conversation_id: rows are utterances; consecutive rows with the same
            value form one interaction with that id.
        created_at: creation time (for utterance rows: the first row's value).
        updated_at: last update time.
        resolved_at: resolution time.
        customer_id: the customer's id in the source system.
        agent_id: the agent's id.
        channel: a column naming the channel (see ``channel_map``).
        default_channel: the channel when there is no channel column or it is empty.
        channel_map: extra channel values, e.g. ``{"kiosk": "chat"}`` (case-insensitive; keys
            are stored lower-cased).
        subject: subject or title.
        product: the source's product field.
        category: the source's category, intent or reason field.
        status: status.
        priority: priority.
        language: language code.
        tags: a list, or a string split on ``tags_sep`` (default: the first of
            ``,``, ``;``, ``|`` present; a JSON list string is decoded).
        tags_sep: the tag separator in tag strings.
        satisfaction: a satisfaction score or rating.
        satisfaction_scale: how to normalise ``satisfaction`` to [0, 1].
        satisfaction_comment: the customer's comment on the rating.
        text: one text column, or a list of them (one turn each).
        text_role: the role of turns that have no speaker label.
        turns: a column holding a list of turns.
        turn_speaker_key: the speaker key of turn objects.
        turn_text_key: the text key of turn objects.
        turn_time_key: the key of a turn object's absolute time (``Turn.at``).
        speaker: the speaker label of a row's turn (utterance rows, or single rows).
        role: a column holding the role (agent/customer/...) of a row's turn.
        turn_order: the position of an utterance row within its conversation.
        turn_time: the absolute time of a row's turn (``Turn.at``).
        meta: columns to keep in ``meta`` (default: every unmapped column).
        customer_keys: ``{"email": column, "phone": column, ...}``, hashed.
        role_map: speaker value -> role, applied before the common words (case-insensitive;
            keys are stored lower-cased).

    Examples:
        >>> m = ColumnMapping(id="convo_id", turns="original", role_map={"action": "system"})
        >>> m.text_role
        'customer'
        >>> ColumnMapping(id="x", txt="body")
        Traceback (most recent call last):
        ...
        hotline_insight.errors.ConfigError: [E112] Invalid column mapping: unknown key 'txt'...
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = None
    conversation_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    resolved_at: str | None = None
    customer_id: str | None = None
    agent_id: str | None = None
    channel: str | None = None
    default_channel: Channel | None = None
    channel_map: dict[str, Channel] = Field(default_factory=dict)
    subject: str | None = None
    product: str | None = None
    category: str | None = None
    status: str | None = None
    priority: str | None = None
    language: str | None = None
    tags: str | None = None
    tags_sep: str | None = None
    satisfaction: str | None = None
    satisfaction_scale: SatisfactionScale | None = None
    satisfaction_comment: str | None = None
    text: str | tuple[str, ...] | None = None
    text_role: Role = "customer"
    turns: str | None = None
    turn_speaker_key: str = "speaker"
    turn_text_key: str = "text"
    turn_time_key: str | None = None
    speaker: str | None = None
    role: str | None = None
    turn_order: str | None = None
    turn_time: str | None = None
    meta: tuple[str, ...] | None = None
    customer_keys: dict[str, str] = Field(default_factory=dict)
    role_map: dict[str, Role] = Field(default_factory=dict)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ConfigError(_mapping_error(exc)) from None

    @classmethod
    def coerce(cls, value: object) -> ColumnMapping:
        """A mapping from a ColumnMapping or a dict; ConfigError for anything else.

        Examples:
            >>> ColumnMapping.coerce({"text": ["subject", "body"]}).text
            ('subject', 'body')
        """
        if isinstance(value, ColumnMapping):
            return value
        if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
            return cls(**value)
        raise ConfigError(
            Errors.E109.format(
                name="mapping",
                expected="a hotline_insight.ColumnMapping or a dict of mapping key -> column name",
                value=type(value).__name__,
            )
        )

    @field_validator("text", mode="before")
    @classmethod
    def _text_list(cls, value: object) -> object:
        if isinstance(value, list):
            return tuple(value)
        return value

    @field_validator("role_map", "channel_map")
    @classmethod
    def _fold_case(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {str(k).strip().lower(): v for k, v in value.items()}

    @field_validator("text", "meta")
    @classmethod
    def _names_given(cls, value: str | tuple[str, ...] | None) -> str | tuple[str, ...] | None:
        names = (value,) if isinstance(value, str) else value or ()
        if any(not name for name in names):
            raise ValueError("column names must be non-empty strings")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ColumnMapping:
        for key in _SCALAR_COLUMNS:
            if getattr(self, key) == "":
                raise ValueError(f"'{key}' must be a column name, not an empty string")
        if not self.text and not self.turns:
            raise ValueError("map 'text' (a column or a list of columns) or 'turns' (a column of turn lists)")
        if self.id and self.conversation_id:
            raise ValueError(
                "map either 'id' (one row per interaction) or 'conversation_id' (one row per "
                "utterance), not both; keep utterance ids with 'meta'"
            )
        if self.conversation_id:
            if self.turns:
                raise ValueError("'turns' can't be combined with 'conversation_id' (one row per utterance)")
            if not isinstance(self.text, str):
                raise ValueError("with 'conversation_id', 'text' must be one column (the utterance)")
        elif self.turn_order:
            raise ValueError("'turn_order' needs 'conversation_id' (it orders utterance rows)")
        return self

    def columns(self) -> list[tuple[str, str]]:
        """Every (mapping key, column) pair the mapping reads from the data."""
        pairs = [(key, getattr(self, key)) for key in _SCALAR_COLUMNS if getattr(self, key)]
        texts = (self.text,) if isinstance(self.text, str) else self.text or ()
        pairs += [("text", col) for col in texts]
        pairs += [("meta", col) for col in self.meta or ()]
        pairs += [(f"customer_keys.{kind}", col) for kind, col in self.customer_keys.items()]
        return pairs

    @property
    def text_columns(self) -> tuple[str, ...]:
        return (self.text,) if isinstance(self.text, str) else self.text or ()


def _mapping_error(exc: ValidationError) -> str:
    reasons = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        if err.get("type") == "extra_forbidden":
            reasons.append(f"unknown key {loc!r}")
        elif loc:
            reasons.append(f"{loc!r}: {err.get('msg', 'invalid')}")
        else:
            reasons.append(str(err.get("msg", "invalid")).removeprefix("Value error, "))
    return Errors.E112.format(reason="; ".join(reasons), expected=", ".join(ColumnMapping.model_fields))


# -- values -------------------------------------------------------------------

_ABSENT: Any = object()
_MISSING_MARKERS = {"", "none", "null", "n/a", "na", "nan"}

_CHANNEL_WORDS: dict[str, Channel] = {}
for _channel, _words in {
    "call": ("call", "phone", "voice", "telephone", "telephony", "inbound_call", "outbound_call", "ivr"),
    "chat": (
        "chat",
        "webchat",
        "web_chat",
        "live_chat",
        "livechat",
        "messaging",
        "sms",
        "whatsapp",
        "messenger",
    ),
    "email": ("email", "e_mail", "mail"),
    "ticket": ("ticket", "web", "web_form", "webform", "form", "api", "portal"),
    "social": ("social", "twitter", "x", "facebook", "instagram", "forum", "community", "review"),
}.items():
    for _word in _words:
        _CHANNEL_WORDS[_word] = _channel  # type: ignore[assignment]

_GOOD = {"good", "positive", "satisfied", "yes", "y", "true", "1", "thumbs_up", "up", "+"}
_BAD = {"bad", "negative", "unsatisfied", "dissatisfied", "no", "n", "false", "0", "thumbs_down", "down", "-"}
_UNRATED = {"offered", "unoffered", "not_offered", "unrated"}
_SCALES: dict[str, tuple[float, float]] = {"1-5": (1.0, 5.0), "0-10": (0.0, 10.0), "0-1": (0.0, 1.0)}

_HEADER_CELL = re.compile(r"^[\w .\-/#()\[\]:'\"]{1,80}$")  # a plausible CSV header cell
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PII_NAME = re.compile(
    r"(?:^|_)(?:(?P<email>e_?mail(?:_?address)?|mail_address)"
    r"|(?P<phone>phone(?:_?(?:number|no|num))?|telephone|tel|mobile(?:_?(?:number|phone))?|cell_?phone|msisdn)"
    r"|(?P<account>account_?(?:number|no|num)|acct_?(?:number|no|num)|card_?(?:number|no|num)|iban))$"
)


@lru_cache(maxsize=4096)
def _pii_kind(name: str) -> str | None:
    """'email', 'phone' or 'account' when a field name says it holds such an identifier."""
    snake = _CAMEL.sub("_", name.strip()).lower().replace("-", "_").replace(" ", "_").replace(".", "_")
    match = _PII_NAME.search(snake)
    if match is None:
        return None
    return next(kind for kind, value in match.groupdict().items() if value)


# Identifier fields about the company's side are hashed in place, not taken as the customer's keys.
_STAFF = re.compile(r"agent|assignee|owner|staff|employee|operator|support|company|brand", re.IGNORECASE)
# Values that are wholly an e-mail address or a formatted phone number are hashed wherever they sit in meta.
_EMAIL_VALUE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_VALUE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{2,4}[\s.-]?\d{3,4}")


def _hashed(kind: str, value: object) -> str | None:
    """``hash_identifier(kind, value)`` for a present scalar, else None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if not text or text.lower() in _MISSING_MARKERS:
        return None
    return hash_identifier(kind, text)


def _add_key(keys: list[str], kind: str, value: object) -> None:
    hashed = _hashed(kind, _py(value))
    if hashed is not None:
        keys.append(hashed)


def _identifier_field(name: str, value: Any, keys: list[str], out: dict[str, Any]) -> bool:
    """Handle a field whose name says e-mail/phone/account: True when handled (never kept in clear).

    The customer's identifiers go to ``keys``; staff ones (agent_email, ...) stay in ``out`` hashed.
    """
    kind = _pii_kind(name)
    if kind is None:
        return False
    if _STAFF.search(name):
        out[name] = _hashed(kind, _py(value))
    else:
        _add_key(keys, kind, value)
    return True


def _identifier_value(text: str) -> str | None:
    """The hash of a string that is wholly an e-mail address or a formatted phone number."""
    text = text.strip()
    if _EMAIL_VALUE.fullmatch(text):
        return hash_identifier("email", text)
    if _PHONE_VALUE.fullmatch(text) and 10 <= sum(ch.isdigit() for ch in text) <= 15:
        return hash_identifier("phone", text)
    return None


def _py(value: Any) -> Any:
    """A pandas / numpy value as a plain Python value; missing markers (NaN, NA, NaT) as None."""
    if value is None or isinstance(value, (str, bool, int, dict, list)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    kind = type(value).__name__
    if kind in ("NAType", "NaTType"):
        return None
    if kind == "datetime64":
        return value.astype("datetime64[us]").tolist()
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if tolist is not None and not isinstance(value, (bytes, bytearray)):
        return _py(tolist())
    return value


def _jsonable(value: Any) -> Any:
    """A scalar as a JSON-able value (times as ISO strings)."""
    value = _py(value)
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    isoformat = getattr(value, "isoformat", None)  # pandas Timestamp
    if isoformat is not None:
        return isoformat()
    return str(value)


def _clean_meta(value: Any, drop: set[tuple[str, ...]], keys: list[str], markers: bool) -> Any:
    """A JSON-able copy of a meta value without the ``drop`` sub-paths; identifiers hashed, never in clear."""
    value = _py(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for raw_key, item in value.items():
            key = str(raw_key)
            if (key,) in drop:
                continue
            if _identifier_field(key, item, keys, out):
                continue
            sub = {path[1:] for path in drop if len(path) > 1 and path[0] == key}
            out[key] = _clean_meta(item, sub, keys, False)
        return out
    if isinstance(value, (list, tuple)):
        return [_clean_meta(item, set(), keys, False) for item in value]
    if isinstance(value, str):
        if markers and value.strip().lower() in _MISSING_MARKERS:
            return None
        return _identifier_value(value) or value
    return _jsonable(value)


def _lookup(values: Mapping[str, Any], path: str) -> Any:
    """``values[path]``; else the dotted path through nested objects/lists; else _ABSENT."""
    if path in values:
        return values[path]
    if "." not in path:
        return _ABSENT
    current: Any = values
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, (list, tuple)) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _ABSENT
    return current


def _as_text(value: Any, col: str) -> str:
    """A single source value as a string (ids, labels)."""
    value = _py(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dict, list, tuple)):
        raise FieldError(
            ParseFailureReason.INVALID_VALUE,
            f"column {col!r} holds a {type(value).__name__}, expected a single value",
        )
    return str(_jsonable(value))


def _number(value: Any, col: str, what: str) -> float:
    value = _py(value)
    if isinstance(value, bool):
        raise FieldError(
            ParseFailureReason.INVALID_VALUE, f"column {col!r}: {what} {value!r} is not a number"
        )
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"column {col!r}: {what} {scrub(value)} is not a number"
            ) from None
    else:
        raise FieldError(
            ParseFailureReason.INVALID_VALUE,
            f"column {col!r}: {what} is a {type(value).__name__}, not a number",
        )
    if not math.isfinite(number):
        raise FieldError(ParseFailureReason.INVALID_VALUE, f"column {col!r}: {what} {number!r} is not finite")
    return number


def _score(value: Any, scale: str, col: str) -> float | None:
    if scale == "good/bad":
        key = _as_text(value, col).lower().replace(" ", "_").replace("-", "_")
        if key in _GOOD:
            return 1.0
        if key in _BAD:
            return 0.0
        if key in _UNRATED:
            return None
        raise FieldError(
            ParseFailureReason.INVALID_VALUE,
            f"column {col!r}: rating {scrub(value)} is neither good nor bad "
            f"(expected one of {sorted(_GOOD | _BAD)})",
        )
    low, high = _SCALES[scale]
    number = _number(value, col, "satisfaction")
    if not low <= number <= high:
        raise FieldError(
            ParseFailureReason.INVALID_VALUE,
            f"column {col!r}: satisfaction {number:g} is outside the {scale} scale",
        )
    return (number - low) / (high - low)


def _split_tags(value: Any, sep: str | None) -> tuple[str, ...]:
    value = _py(value)
    if value is None:
        return ()
    items: Iterable[Any]
    if isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, str):
        text = value.strip()
        decoded: Any = None
        if text.startswith("["):
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = None
        if isinstance(decoded, list):
            items = decoded
        elif sep is not None:
            items = text.split(sep)
        else:
            auto = next((d for d in (",", ";", "|") if d in text), None)
            items = text.split(auto) if auto else [text]
    else:
        items = [value]
    cleaned = (str(_jsonable(item)).strip() for item in items if _py(item) is not None)
    return tuple(dict.fromkeys(tag for tag in cleaned if tag))


# -- rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One source record: a dict of column -> value, with its position."""

    values: Mapping[str, Any]
    index: int
    line: int | None = None
    offset: int | None = None
    markers: bool = False  # CSV: 'None', 'N/A', '' mean missing in non-text columns

    @property
    def where(self) -> dict[str, int | None]:
        return {"line": self.line, "offset": self.offset, "index": self.index}


@dataclass
class _Utterance:
    """One utterance row, checked and ready to join its conversation."""

    conversation_id: str
    order: float | None
    turn: dict[str, Any]
    fields: dict[str, Any]
    channel: Channel | None
    keys: list[str]
    row: _Row


@dataclass
class _Resolved:
    """A mapping checked against one source, with the columns it consumes."""

    mapping: ColumnMapping
    mapped: set[str] = field(default_factory=set)  # columns (paths) the mapping reads, meta aside
    secret: set[str] = field(default_factory=set)  # customer_keys columns: never in meta
    _drops: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def of(cls, mapping: ColumnMapping) -> _Resolved:
        mapped = {col for key, col in mapping.columns() if key != "meta"}
        return cls(mapping, mapped, set(mapping.customer_keys.values()))

    def drop(self, name: str) -> set[tuple[str, ...]]:
        """The mapped sub-paths below meta column ``name`` (left out of its value)."""
        found = self._drops.get(name)
        if found is None:
            head = tuple(name.split("."))
            found = {
                path[len(head) :]
                for path in (tuple(col.split(".")) for col in self.mapped)
                if len(path) > len(head) and path[: len(head)] == head
            }
            self._drops[name] = found
        return found


def _scalar(row: _Row, col: str) -> Any:
    """A non-text cell: None when absent or a missing marker."""
    value = _py(_lookup(row.values, col))
    if value is _ABSENT or value is None:
        return None
    if isinstance(value, str) and (
        not value.strip() or (row.markers and value.strip().lower() in _MISSING_MARKERS)
    ):
        return None
    return value


def _text(value: Any, what: str) -> str | None:
    """A text value as str (numbers as written); None when absent or null."""
    value = _py(value)
    if value is _ABSENT or value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        raise FieldError(
            ParseFailureReason.INVALID_VALUE, f"{what} holds a {type(value).__name__}, expected text"
        )
    return _as_text(value, what)


# -- auto-mapping -------------------------------------------------------------

_AUTO: dict[str, tuple[str, ...]] = {
    "id": ("id", "ticketid", "caseid", "interactionid", "contactid", "callid", "chatid", "conversationid"),
    "conversation_id": ("conversationid", "conversation", "dialogueid", "dialogid", "sessionid", "threadid"),
    "text": (
        "text",
        "body",
        "message",
        "messagetext",
        "description",
        "utterance",
        "content",
        "transcript",
        "comment",
        "query",
        "narrative",
    ),
    "created_at": ("createdat", "created", "creationdate", "timestamp", "datetime", "date"),
    "customer_id": ("customerid", "userid", "clientid", "requesterid"),
    "agent_id": ("agentid", "assigneeid"),
    "speaker": ("speaker", "author", "sender", "participant", "from"),
    "role": ("role", "speakerrole", "participantrole"),
    "turn_order": ("turnorder", "turnnumber", "turn", "turnindex", "turnid", "sequence", "seq", "position"),
    "subject": ("subject", "title"),
    "product": ("product",),
    "category": ("category",),
    "intent": ("intent",),  # the category of a one-row record; per turn (meta) for utterance rows
    "status": ("status",),
    "priority": ("priority",),
    "language": ("language", "lang", "locale"),
    "tags": ("tags", "labels"),
    "channel": ("channel", "medium"),
    "turns": ("turns", "messages", "dialogue", "dialog", "utterances", "conversation"),
}


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _auto_mapping(columns: Sequence[str], samples: Sequence[Mapping[str, Any]]) -> ColumnMapping | None:
    """A best-effort mapping from common column names; None when no text column is recognised.

    Examples:
        >>> m = _auto_mapping(["Ticket ID", "Body", "Created At", "email"], [])
        >>> (m.id, m.text, m.created_at, m.meta)
        ('Ticket ID', 'Body', 'Created At', None)
        >>> m = _auto_mapping(["conversationId", "turnNumber", "speaker", "utterance"], [])
        >>> (m.conversation_id, m.turn_order, m.speaker, m.text)
        ('conversationId', 'turnNumber', 'speaker', 'utterance')
    """
    by_norm: dict[str, str] = {}
    for name in columns:
        by_norm.setdefault(_norm(name), name)
    used: set[str] = set()

    def find(key: str) -> str | None:
        for candidate in _AUTO[key]:
            col = by_norm.get(candidate)
            if col is not None and col not in used:
                return col
        return None

    def is_list(col: str) -> bool:
        return any(isinstance(_py(rec.get(col)), (list, tuple)) for rec in samples)

    chosen: dict[str, str] = {}
    text = find("text")
    turns = find("turns")
    if turns is not None and is_list(turns) and (text is None or is_list(text)):
        chosen["turns"] = turns
        text = None
    elif text is None:
        return None
    else:
        chosen["text"] = text
    used.update(chosen.values())
    speaker, role, conversation = find("speaker"), find("role"), find("conversation_id")
    if conversation is not None:
        used.add(conversation)
    ident = find("id")
    if conversation is not None and text is not None and (speaker or role or ident is None):
        chosen["conversation_id"] = conversation
        order = find("turn_order")
        for key, col in (("turn_order", order), ("speaker", speaker), ("role", role)):
            if col is not None:
                chosen[key] = col
    else:
        used.discard(conversation or "")
        ident = find("id")
        if ident is not None:
            chosen["id"] = ident
        if speaker or role:
            chosen["speaker"] = cast(str, speaker or role)
        intent = find("intent")
        if intent is not None and find("category") is None:
            chosen["category"] = intent
    used.update(chosen.values())
    for key in (
        "created_at",
        "customer_id",
        "agent_id",
        "subject",
        "product",
        "category",
        "status",
        "priority",
        "language",
        "tags",
        "channel",
    ):
        col = find(key)
        if col is not None:
            chosen[key] = col
            used.add(col)
    if "conversation_id" in chosen and "created_at" in chosen:
        chosen["turn_time"] = chosen["created_at"]
    return ColumnMapping(**chosen)


# -- the parser ---------------------------------------------------------------


@register
class GenericParser(Parser):
    """CSV / TSV / JSON lines / JSON arrays / Parquet / DataFrames, read through a :class:`ColumnMapping`.

    See the module documentation for the shapes of data, the defaults and
    the detection rule (a low score, so specific parsers win).

    Examples:
        >>> import hotline_insight as hi
        >>> from hotline_insight.ingest import SourceFile
        >>> src = SourceFile(data=b"conv,who,said\\nc1,agent,Hello\\nc1,caller,Hi there\\n", name="chat.csv")
        >>> [(i.id, [t.role for t in i.turns]) for i in hi.iter_interactions(src, format="generic",
        ...     mapping={"conversation_id": "conv", "speaker": "who", "text": "said"})]
        [('c1', ['agent', 'customer'])]
    """

    name = "generic"
    family = "generic"
    label = "Generic CSV / TSV / JSON / Parquet / DataFrame (column mapping)"
    channel = "ticket"
    extensions = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
    options: ClassVar[Mapping[str, str]] = {
        "mapping": "a ColumnMapping or dict: which column holds the id, text, turns, times, "
        "customer, channel, ... (default: common column names)",
    }
    binary: ClassVar[bool] = True  # Parquet is binary; other binary content is refused in parse()

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        raw = self.opts.extra.get("mapping")
        self.mapping: ColumnMapping | None = None if raw is None else ColumnMapping.coerce(raw)

    # -- detection --------------------------------------------------------------
    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        """0.05 for anything that looks like CSV/TSV, JSON or Parquet: the fallback of last resort."""
        try:
            if src.head_bytes().startswith(b"PAR1"):
                return 0.05
            text = src.head_text().lstrip("\ufeff \t\r\n")
        except (OSError, EOFError, ValueError):
            return 0.0
        if not text:
            return 0.0
        if text[0] in "[{":
            return 0.05
        first, _, rest = text.partition("\n")
        delimiter = "\t" if src.suffix == ".tsv" else sniff_delimiter(first)
        cells = read_header(first, delimiter)
        if len(cells) >= 2 and rest.strip() and all(_HEADER_CELL.match(c) for c in cells):
            return 0.05
        return 0.0

    # -- entry points -------------------------------------------------------------
    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        """Read a CSV/TSV, JSON lines, JSON array or Parquet file, decided by content."""
        if src.head_bytes().startswith(b"PAR1"):
            yield from self._parse_parquet(src, ctx)
            return
        if src.is_binary:
            yield ctx.failure(ParseFailureReason.BINARY, "the file holds binary data, not text or Parquet")
            return
        head = src.head_text().lstrip("\ufeff")
        start = head.lstrip(" \t\r\n")[:1]
        if start in ("[", "{"):
            yield from self._parse_json(src, ctx, head)
        else:
            yield from self._parse_csv(src, ctx, head)

    def parse_frame(self, frame: Any, ctx: ParseContext) -> Iterator[ParserResult]:
        """Read a pandas DataFrame row by row (``itertuples``); lineage is the row's position."""
        columns = [str(c) for c in frame.columns]
        names = set(columns)
        samples = [
            dict(zip(columns, values, strict=True))
            for values in frame.head(20).itertuples(index=False, name=None)
        ]
        resolved = self._resolve(
            columns,
            lambda col: col in names or any(col.startswith(f"{c}.") for c in names),
            samples,
            ctx,
        )
        if isinstance(resolved, ParseFailure):
            yield resolved
            return
        rows = (
            _Row(dict(zip(columns, values, strict=True)), index=i)
            for i, values in enumerate(frame.itertuples(index=False, name=None))
        )
        yield from self._emit(rows, resolved, ctx)

    # -- sources ----------------------------------------------------------------
    def _parse_csv(self, src: SourceFile, ctx: ParseContext, head: str) -> Iterator[ParserResult]:
        delimiter = "\t" if src.suffix == ".tsv" else sniff_delimiter(head)
        header = read_header(head, delimiter)
        if not header:
            yield ctx.failure(ParseFailureReason.MALFORMED_CSV, "the header row cannot be read", line=1)
            return
        resolved = self._resolve(header, set(header).__contains__, [], ctx, line=1)
        if isinstance(resolved, ParseFailure):
            yield resolved
            return
        with src.open_text() as fh:
            items = iter_csv_rows(fh, delimiter=delimiter)
            rows = (
                ctx.failure(item.reason, item.message, line=item.line, index=item.index)
                if isinstance(item, CsvProblem)
                else _Row(item.values, index=item.index, line=item.line, markers=True)
                for item in items
            )
            yield from self._emit(rows, resolved, ctx)

    def _parse_json(self, src: SourceFile, ctx: ParseContext, head: str) -> Iterator[ParserResult]:
        with src.open_text() as fh:
            items = iter_json_lines(fh) if _is_json_lines(head) else iter_json_records(fh)
            # Read ahead up to JSON_SAMPLE_RECORDS items holding at least one object, to check
            # the mapping against; items before the first object can only be failures.
            pending: list[JsonItem | JsonProblem] = []
            records: list[Mapping[str, Any]] = []
            for item in items:
                pending.append(item)
                if isinstance(item, JsonItem) and isinstance(item.value, Mapping):
                    records.append(item.value)
                if len(pending) >= JSON_SAMPLE_RECORDS:
                    if records:
                        break
                    yield from (cast(ParseFailure, _json_row(i, ctx)) for i in pending)
                    pending = []
            if not records:
                yield from (cast(ParseFailure, _json_row(i, ctx)) for i in pending)
                return
            columns = list(dict.fromkeys(key for rec in records for key in rec))
            resolved = self._resolve(
                columns,
                lambda col: any(_lookup(rec, col) is not _ABSENT for rec in records),
                records,
                ctx,
            )
            if isinstance(resolved, ParseFailure):
                yield resolved
                return
            rows = (_json_row(item, ctx) for item in chain(pending, items))
            yield from self._emit(rows, resolved, ctx)

    def _parse_parquet(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        with src.open_binary() as fh:
            try:
                parquet = pq.ParquetFile(fh)
                schema = parquet.schema_arrow
            except (pa.ArrowException, OSError, ValueError) as exc:
                yield ctx.failure(
                    ParseFailureReason.UNREADABLE, f"not a readable Parquet file ({type(exc).__name__})"
                )
                return
            paths = _schema_paths(schema)
            opaque = {f.name for f in schema if not pa.types.is_struct(f.type)}
            resolved = self._resolve(
                list(schema.names),
                lambda col: col in paths or any(col.startswith(f"{name}.") for name in opaque),
                [],
                ctx,
            )
            if isinstance(resolved, ParseFailure):
                yield resolved
                return

            def rows() -> Iterator[_Row | ParseFailure]:
                index = 0
                batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS)
                while True:
                    try:
                        batch = next(batches)
                    except StopIteration:
                        return
                    except (pa.ArrowException, OSError) as exc:
                        yield ctx.failure(
                            ParseFailureReason.UNREADABLE,
                            f"corrupt Parquet data ({type(exc).__name__}); the rest of the file was not read",
                            index=index,
                        )
                        return
                    for record in batch.to_pylist():
                        yield _Row(record, index=index)
                        index += 1

            yield from self._emit(rows(), resolved, ctx)

    # -- mapping ------------------------------------------------------------------
    def _resolve(
        self,
        columns: Sequence[str],
        available: Callable[[str], bool],
        samples: Sequence[Mapping[str, Any]],
        ctx: ParseContext,
        *,
        line: int | None = None,
    ) -> _Resolved | ParseFailure:
        """The mapping to use for this source, or one failure when it doesn't fit the data."""
        mapping = self.mapping
        if mapping is None:
            mapping = _auto_mapping(columns, samples)
            if mapping is None:
                return ctx.failure(
                    ParseFailureReason.MISSING_FIELD,
                    "no mapping= was given and no text column was recognised (looked for "
                    f"{', '.join(_AUTO['text'])}); available columns: {_listing(columns)}. "
                    "Pass mapping={'text': ..., 'id': ...}",
                    line=line,
                )
        missing = [(key, col) for key, col in mapping.columns() if not available(col)]
        if missing:
            named = ", ".join(f"{scrub(col, 40)} (mapping key {key!r})" for key, col in missing)
            return ctx.failure(
                ParseFailureReason.MISSING_FIELD,
                f"mapped column(s) not in the data: {named}; available columns: {_listing(columns)}",
                line=line,
            )
        return _Resolved.of(mapping)

    # -- records ------------------------------------------------------------------
    def _emit(
        self, rows: Iterable[_Row | ParseFailure], resolved: _Resolved, ctx: ParseContext
    ) -> Iterator[ParserResult]:
        if resolved.mapping.conversation_id:
            yield from self._emit_conversations(rows, resolved, ctx)
            return
        for row in rows:
            if isinstance(row, ParseFailure):
                yield row
            else:
                yield ctx.build(partial(self._interaction, row, resolved, ctx), **row.where)

    def _interaction(self, row: _Row, resolved: _Resolved, ctx: ParseContext) -> Interaction:
        m = resolved.mapping
        keys: list[str] = []
        if m.id:
            value = _scalar(row, m.id)
            if value is None:
                raise FieldError(
                    ParseFailureReason.MISSING_FIELD, f"the id column {m.id!r} is empty or missing"
                )
            ident = _as_text(value, m.id)
        else:
            ident = f"{ctx.src.path}#{row.index}"
        fields = self._fields(row, m, ctx, keys)
        turns = self._turns(row, m, ctx, keys)
        meta = self._meta(row, resolved, keys)
        return make_interaction(
            id=ident,
            source=ctx.ref(**row.where),
            channel=ctx.options.channel or self._channel(row, m) or m.default_channel or self.channel,
            turns=tuple(make_turn(position=i, **turn) for i, turn in enumerate(turns)),
            customer_keys=tuple(dict.fromkeys(keys)),
            meta=meta,
            **fields,
        )

    def _emit_conversations(
        self, rows: Iterable[_Row | ParseFailure], resolved: _Resolved, ctx: ParseContext
    ) -> Iterator[ParserResult]:
        group: list[_Utterance] = []
        for row in rows:
            if isinstance(row, ParseFailure):
                yield row
                continue
            result = ctx.build(
                cast(Callable[[], Interaction], partial(self._utterance, row, resolved, ctx)), **row.where
            )
            if isinstance(result, ParseFailure):
                yield result
                continue
            utterance = cast(_Utterance, result)
            if group and utterance.conversation_id != group[0].conversation_id:
                yield self._conversation(group, resolved, ctx)
                group = []
            group.append(utterance)
        if group:
            yield self._conversation(group, resolved, ctx)

    def _utterance(self, row: _Row, resolved: _Resolved, ctx: ParseContext) -> _Utterance:
        m = resolved.mapping
        assert m.conversation_id is not None and isinstance(m.text, str)
        value = _scalar(row, m.conversation_id)
        if value is None:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD,
                f"the conversation id column {m.conversation_id!r} is empty or missing",
            )
        conversation_id = _as_text(value, m.conversation_id)
        text = _text(_lookup(row.values, m.text), f"column {m.text!r}")
        if text is None:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD, f"the text column {m.text!r} is missing or null"
            )
        order: float | None = None
        keys: list[str] = []
        turn_meta = self._meta(row, resolved, keys)
        if m.turn_order:
            raw = _scalar(row, m.turn_order)
            if raw is None:
                raise FieldError(
                    ParseFailureReason.MISSING_FIELD, f"the turn order column {m.turn_order!r} is empty"
                )
            order = _number(raw, m.turn_order, "turn order")
            turn_meta["turn_order"] = int(order) if order.is_integer() else order
        turn = self._row_turn(row, m, ctx, text)
        turn["meta"] = turn_meta
        fields = self._fields(row, m, ctx, keys)
        return _Utterance(conversation_id, order, turn, fields, self._channel(row, m), keys, row)

    def _conversation(self, group: list[_Utterance], resolved: _Resolved, ctx: ParseContext) -> ParserResult:
        m = resolved.mapping
        first = group[0]

        def make() -> Interaction:
            ordered = sorted(group, key=lambda u: u.order or 0.0) if m.turn_order else group
            fields: dict[str, Any] = {}
            for utterance in group:
                for name, value in utterance.fields.items():
                    if name == "tags":
                        fields["tags"] = tuple(dict.fromkeys((*fields.get("tags", ()), *value)))
                    elif fields.get(name) is None:
                        fields[name] = value
            channel = next((u.channel for u in group if u.channel is not None), None)
            return make_interaction(
                id=first.conversation_id,
                source=ctx.ref(**first.row.where),
                channel=ctx.options.channel or channel or m.default_channel or self.channel,
                turns=tuple(make_turn(position=i, **u.turn) for i, u in enumerate(ordered)),
                customer_keys=tuple(dict.fromkeys(k for u in group for k in u.keys)),
                **fields,
            )

        return ctx.build(make, **first.row.where)

    # -- fields -------------------------------------------------------------------
    def _fields(self, row: _Row, m: ColumnMapping, ctx: ParseContext, keys: list[str]) -> dict[str, Any]:
        """The interaction-level fields of a row (times, ids, labels, tags, satisfaction, keys)."""
        out: dict[str, Any] = {}
        for name in _TIME_FIELDS:
            col = getattr(m, name)
            if col:
                out[name] = _time(ctx, _scalar(row, col), col)
        for name in _TEXT_FIELDS:
            col = getattr(m, name)
            if col:
                value = _scalar(row, col)
                out[name] = None if value is None else _as_text(value, col) or None
        if m.tags:
            out["tags"] = _split_tags(_scalar(row, m.tags), m.tags_sep)
        if m.satisfaction or m.satisfaction_comment:
            out["satisfaction"] = self._satisfaction(row, m)
        for kind, col in m.customer_keys.items():
            _add_key(keys, kind, _scalar(row, col))
        return out

    def _satisfaction(self, row: _Row, m: ColumnMapping) -> Satisfaction | None:
        value = _scalar(row, m.satisfaction) if m.satisfaction else None
        comment = None
        if m.satisfaction_comment:
            comment = _text(_scalar(row, m.satisfaction_comment), f"column {m.satisfaction_comment!r}")
        if value is None and not comment:
            return None
        score = raw = None
        if value is not None and m.satisfaction:
            raw = _as_text(value, m.satisfaction)
            if m.satisfaction_scale:
                score = _score(value, m.satisfaction_scale, m.satisfaction)
        return Satisfaction(score=score, raw=raw, scale=m.satisfaction_scale, comment=comment or None)

    def _channel(self, row: _Row, m: ColumnMapping) -> Channel | None:
        if not m.channel:
            return None
        value = _scalar(row, m.channel)
        if value is None:
            return None
        key = _as_text(value, m.channel).lower()
        found = m.channel_map.get(key) or _CHANNEL_WORDS.get(re.sub(r"[\s\-]+", "_", key))
        if found is None:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE,
                f"column {m.channel!r}: channel {scrub(value)} is not a known channel; add it to the "
                "mapping's channel_map (value -> call/chat/email/ticket/social)",
            )
        return found

    def _role(self, label: object, m: ColumnMapping, ctx: ParseContext) -> Role:
        """role_map first (case-insensitive), then the common speaker words; text_role without a label."""
        text = "" if label is None else _as_text(label, "speaker")
        if not text:
            return m.text_role
        return m.role_map.get(text.lower()) or ctx.role(text)

    def _row_turn(self, row: _Row, m: ColumnMapping, ctx: ParseContext, text: str) -> dict[str, Any]:
        """Turn fields (without position) for a row-level text column."""
        speaker = _scalar(row, m.speaker) if m.speaker else None
        role_label = _scalar(row, m.role) if m.role else None
        speaker_text = None if speaker is None else _as_text(speaker, m.speaker or "speaker") or None
        return {
            "role": self._role(role_label if role_label is not None else speaker, m, ctx),
            "speaker": speaker_text,
            "text": text,
            "at": _time(ctx, _scalar(row, m.turn_time), m.turn_time) if m.turn_time else None,
        }

    def _turns(self, row: _Row, m: ColumnMapping, ctx: ParseContext, keys: list[str]) -> list[dict[str, Any]]:
        turns: list[dict[str, Any]] = []
        several = len(m.text_columns) > 1
        for col in m.text_columns:
            text = _text(_lookup(row.values, col), f"column {col!r}")
            if text is None or not text.strip():
                continue
            turn = self._row_turn(row, m, ctx, text)
            turn["meta"] = {"column": col} if several else {}
            turns.append(turn)
        value = _py(_lookup(row.values, m.turns)) if m.turns else None
        if isinstance(value, str):
            if value.strip().lower() in _MISSING_MARKERS:
                value = None
            else:
                try:
                    value = json.loads(value)
                except ValueError:
                    raise FieldError(
                        ParseFailureReason.INVALID_VALUE,
                        f"column {m.turns!r} is text, not a JSON list of turns",
                    ) from None
        if value is not None and value is not _ABSENT:
            if not isinstance(value, (list, tuple)):
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"column {m.turns!r} holds a {type(value).__name__}, expected a list of turns",
                )
            turns.extend(self._listed_turn(entry, i, m, ctx, keys) for i, entry in enumerate(value))
            if not turns:
                raise FieldError(ParseFailureReason.EMPTY_RECORD, f"column {m.turns!r} holds no turns")
        if not turns:
            columns = [*m.text_columns, *([m.turns] if m.turns else [])]
            raise FieldError(
                ParseFailureReason.MISSING_FIELD,
                f"no text: column(s) {', '.join(repr(c) for c in columns)} are empty or missing",
            )
        return turns

    def _listed_turn(
        self, entry: Any, i: int, m: ColumnMapping, ctx: ParseContext, keys: list[str]
    ) -> dict[str, Any]:
        """One element of a turns list: a [speaker, text] pair or an object."""
        entry = _py(entry)
        where = f"turn {i} of column {m.turns!r}"
        if isinstance(entry, Mapping):
            speaker = _py(entry.get(m.turn_speaker_key))
            text = _text(entry.get(m.turn_text_key, _ABSENT), where)
            if text is None:
                raise FieldError(ParseFailureReason.MISSING_FIELD, f"{where} has no {m.turn_text_key!r}")
            used = {m.turn_speaker_key, m.turn_text_key, m.turn_time_key}
            rest = {k: v for k, v in entry.items() if k not in used}
            at = (
                _time(ctx, entry.get(m.turn_time_key), f"{where}.{m.turn_time_key}")
                if m.turn_time_key
                else None
            )
            meta = _clean_meta(rest, set(), keys, False)
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            speaker = _py(entry[0])
            text = _text(entry[1], where)
            if text is None:
                raise FieldError(ParseFailureReason.MISSING_FIELD, f"{where} has no text")
            at, meta = None, {}
        else:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE,
                f"{where} is a {type(entry).__name__}, expected a [speaker, text] pair or an object",
            )
        return {
            "role": self._role(speaker, m, ctx),
            "speaker": None if speaker is None else _as_text(speaker, where) or None,
            "text": text,
            "at": at,
            "meta": meta,
        }

    def _meta(self, row: _Row, resolved: _Resolved, keys: list[str]) -> dict[str, Any]:
        """The meta columns of a row: listed ones, else every unmapped one; PII hashed into ``keys``."""
        m = resolved.mapping
        names = m.meta if m.meta is not None else [c for c in row.values if c not in resolved.mapped]
        out: dict[str, Any] = {}
        for name in names:
            if name in resolved.secret:
                continue
            value = _lookup(row.values, name)
            if value is _ABSENT:
                out[name] = None
                continue
            if _identifier_field(name, value, keys, out):
                continue
            out[name] = _clean_meta(value, resolved.drop(name), keys, row.markers)
        return out


def _is_json_lines(head: str) -> bool:
    """JSON lines when the first line is a whole JSON object; a bad later line then fails alone."""
    text = head.lstrip(" \t\r\n")
    if not text.startswith("{"):
        return False
    if looks_like_json_lines(text):
        return True
    first = text.split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _json_row(item: JsonItem | JsonProblem, ctx: ParseContext) -> _Row | ParseFailure:
    where = {"line": item.line, "offset": item.offset, "index": item.index}
    if isinstance(item, JsonProblem):
        return ctx.failure(item.reason, item.message, **where)
    if not isinstance(item.value, Mapping):
        return ctx.failure(
            ParseFailureReason.INVALID_VALUE,
            f"record is a JSON {type(item.value).__name__}, expected an object",
            **where,
        )
    return _Row(item.value, index=item.index, line=item.line, offset=item.offset)


def _time(ctx: ParseContext, value: Any, col: str) -> dt.datetime | None:
    try:
        return ctx.time(value)
    except TimestampError:
        raise FieldError(
            ParseFailureReason.INVALID_TIMESTAMP,
            f"column {col!r}: {scrub(value, mask_digits=False)} is not a valid timestamp "
            "(ISO 8601, MM/DD/YY or epoch seconds/milliseconds within 1980-2099 expected)",
        ) from None


def _listing(columns: Sequence[str], limit: int = 30) -> str:
    shown = ", ".join(scrub(c, 40) for c in columns[:limit]) or "none"
    if len(columns) > limit:
        shown += f", ... and {len(columns) - limit} more"
    return shown


def _schema_paths(schema: Any) -> set[str]:
    """Every column and nested struct field of an Arrow schema, as dotted paths."""
    import pyarrow as pa

    paths: set[str] = set()

    def walk(prefix: str, fields: Iterable[Any]) -> None:
        for f in fields:
            path = f"{prefix}{f.name}"
            paths.add(path)
            if pa.types.is_struct(f.type):
                walk(f"{path}.", list(f.type))

    walk("", schema)
    return paths

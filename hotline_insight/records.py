"""Typed records that every stage passes on.

All records are pydantic v2 models, frozen and strict about unknown fields.
Times are timezone-aware and normalised to UTC; offsets inside a conversation
are seconds from its start (``start_s``/``end_s``).

Examples:
    >>> from hotline_insight.records import Interaction, Turn, SourceRef
    >>> call = Interaction(
    ...     id="c-1",
    ...     source=SourceRef(format="plain_text", path="call.txt", line=1),
    ...     channel="call",
    ...     turns=(Turn(position=0, role="customer", text="My router keeps dropping."),),
    ... )
    >>> call.customer_text
    'My router keeps dropping.'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, field_validator
from pydantic_core import core_schema

from .errors import ParseFailureReason

__all__ = [
    "CHANNELS",
    "ROLES",
    "Channel",
    "Customer",
    "Interaction",
    "ParseFailure",
    "Role",
    "Satisfaction",
    "SourceRef",
    "Turn",
    "VendorAnnotations",
    "VendorIssue",
    "hash_identifier",
]

Channel = Literal["call", "chat", "email", "ticket", "social"]
Role = Literal["agent", "customer", "system", "bot", "unknown"]
CHANNELS: tuple[str, ...] = ("call", "chat", "email", "ticket", "social")
ROLES: tuple[str, ...] = ("agent", "customer", "system", "bot", "unknown")


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            "datetime must be timezone-aware; parsers convert naive source times with the timezone= option"
        )
    return value.astimezone(dt.UTC)


class _UtcDatetime:
    """A datetime that must be aware and is stored in UTC.

    A value already in UTC is checked by pydantic's own (compiled) datetime
    validator; any other aware value is converted; a naive one is refused.
    Records are built by the million, so the common case stays out of Python.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.datetime_schema(tz_constraint=0, strict=True),
                core_schema.no_info_after_validator_function(_utc, core_schema.datetime_schema()),
            ],
            mode="left_to_right",
        )


class _Fields:
    """Source fields kept as given: any mapping with string keys, not copied key by key.

    ``meta`` holds whatever a source carried beyond the documented fields;
    it is checked to be a mapping (in compiled code) but its values are the
    parser's to keep JSON-able, so a record costs no per-key validation.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=core_schema.dict_schema(core_schema.str_schema(), core_schema.any_schema()),
            python_schema=core_schema.is_instance_schema(Mapping),
        )


if TYPE_CHECKING:
    UtcDatetime = dt.datetime
    SourceFields = Mapping[str, Any]
else:
    UtcDatetime = Annotated[dt.datetime, _UtcDatetime]
    SourceFields = Annotated[Mapping[str, Any], _Fields]


_DIGEST_CHARS = 20
"""Hex characters of the SHA-256 digest :func:`hash_identifier` keeps."""


def hash_identifier(kind: str, value: str) -> str:
    """Hash a personal identifier (e-mail, phone, account) so it can be joined but not read.

    E-mails are lower-cased and phones reduced to their digits before hashing,
    so the same person written two ways hashes the same.

    Examples:
        >>> hash_identifier("email", " Jane@Example.com ") == hash_identifier("email", "jane@example.com")
        True
        >>> hash_identifier("phone", "+1 (555) 010-2000")[:6]
        'phone:'
    """
    text = value.strip()
    if kind == "email":
        text = text.lower()
    elif kind == "phone":
        text = "".join(ch for ch in text if ch.isdigit())
        if len(text) == 11 and text.startswith("1"):
            text = text[1:]
    digest = hashlib.sha256(f"{kind}:{text}".encode()).hexdigest()[:_DIGEST_CHARS]
    return f"{kind}:{digest}"


def is_hashed(kind: str, value: str) -> bool:
    """Whether ``value`` has the shape :func:`hash_identifier` gives for ``kind``.

    Examples:
        >>> is_hashed("meta", hash_identifier("meta", "C187297")), is_hashed("meta", "C187297")
        (True, False)
    """
    prefix = f"{kind}:"
    digest = value[len(prefix) :]
    return (
        value.startswith(prefix)
        and len(digest) == _DIGEST_CHARS
        and all(c in "0123456789abcdef" for c in digest)
    )


class SourceRef(_Record):
    """Where a record came from: format, file, and position within the file.

    ``line`` is 1-based; ``offset`` is a character offset in the decoded text
    where the format has no lines; ``index`` is the record's position in a
    collection (row of a DataFrame, element of a JSON array).
    """

    format: str
    path: str | None = None
    line: int | None = Field(default=None, ge=1)
    offset: int | None = Field(default=None, ge=0)
    index: int | None = Field(default=None, ge=0)

    @property
    def location(self) -> str:
        """A human-readable position: ``'file.json:12'`` or ``'file.json#3'``."""
        where = self.path or "<memory>"
        if self.line is not None:
            return f"{where}:{self.line}"
        if self.index is not None:
            return f"{where}#{self.index}"
        if self.offset is not None:
            return f"{where}@{self.offset}"
        return where


class Turn(_Record):
    """One utterance, message, comment or post within an interaction."""

    position: int = Field(ge=0)
    role: Role = "unknown"
    speaker: str | None = None
    text: str
    start_s: float | None = Field(default=None, ge=0)
    end_s: float | None = Field(default=None, ge=0)
    at: UtcDatetime | None = None
    is_public: bool | None = None
    meta: SourceFields = Field(default_factory=dict)


class VendorIssue(_Record):
    """An issue the source system detected, with where it sits in our turns."""

    text: str | None = None
    turn_position: int | None = None
    start_char: int | None = None
    end_char: int | None = None


class VendorAnnotations(_Record):
    """What the source system itself concluded; kept apart as evidence, never used as ours."""

    sentiment: SourceFields = Field(default_factory=dict)
    issues: tuple[VendorIssue, ...] = ()
    categories: tuple[str, ...] = ()
    summary: str | None = None
    extra: SourceFields = Field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.sentiment or self.issues or self.categories or self.summary or self.extra)


class Satisfaction(_Record):
    """A satisfaction signal: CSAT, NPS, a good/bad rating, the CFPB's dispute flag.

    ``score`` is normalised to [0, 1] (higher is happier) where the scale is known;
    ``raw`` keeps the value as the source wrote it.
    """

    score: float | None = Field(default=None, ge=0, le=1)
    raw: str | None = None
    scale: str | None = None
    comment: str | None = None


class Interaction(_Record):
    """A call, chat, e-mail thread, ticket or social thread.

    A ticket is an interaction whose turns are its description and comments.
    ``customer_keys`` holds hashed identifiers (see :func:`hash_identifier`)
    taken from the source's fields, for joining a customer across channels;
    e-mail addresses and phone numbers are never stored in clear.
    """

    id: str = Field(min_length=1)
    source: SourceRef
    channel: Channel
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    resolved_at: UtcDatetime | None = None
    customer_id: str | None = None
    customer_keys: tuple[str, ...] = ()
    agent_id: str | None = None
    subject: str | None = None
    turns: tuple[Turn, ...] = ()
    product: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    status: str | None = None
    priority: str | None = None
    language: str | None = None
    satisfaction: Satisfaction | None = None
    vendor: VendorAnnotations | None = None
    meta: SourceFields = Field(default_factory=dict)

    @field_validator("turns")
    @classmethod
    def _positions_in_order(cls, turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
        for expected, turn in enumerate(turns):
            if turn.position != expected:
                raise ValueError(
                    f"turn positions must run 0, 1, 2, ...; turn {expected} has position {turn.position}"
                )
        return turns

    @property
    def text(self) -> str:
        """All turns' text, one turn a line."""
        return "\n".join(t.text for t in self.turns)

    @property
    def customer_text(self) -> str:
        """The customer's turns only, one a line."""
        return "\n".join(t.text for t in self.turns if t.role == "customer")

    @property
    def duration_s(self) -> float | None:
        ends = [t.end_s for t in self.turns if t.end_s is not None]
        return max(ends) if ends else None


class Customer(_Record):
    """A customer, as known from a customers table and the ids sources give."""

    id: str = Field(min_length=1)
    keys: tuple[str, ...] = ()
    segment: str | None = None
    value: float | None = None
    meta: SourceFields = Field(default_factory=dict)


class ParseFailure(_Record):
    """A record that could not be parsed, with where and why.

    ``message`` never quotes customer text (see :func:`hotline_insight.errors.scrub`).
    """

    source: str
    format: str | None = None
    line: int | None = None
    offset: int | None = None
    index: int | None = None
    reason: ParseFailureReason
    message: str

    @property
    def location(self) -> str:
        if self.line is not None:
            return f"line {self.line}"
        if self.index is not None:
            return f"record {self.index}"
        if self.offset is not None:
            return f"offset {self.offset}"
        return "file"

    def __str__(self) -> str:
        return f"{self.source} ({self.location}) [{self.reason.value}] {self.message}"


def _validated_builder(model: Any) -> Any:
    validate = model.__pydantic_validator__.validate_python

    def build(**fields: Any) -> Any:
        return validate(fields)

    build.__name__ = build.__qualname__ = f"make_{model.__name__.lower()}"
    build.__doc__ = (
        f"Build a :class:`{model.__name__}` with exactly the validation ``{model.__name__}(**fields)`` "
        "applies, without pydantic's Python ``__init__`` frame (about 0.7 us less a record). "
        "For parsers that build records by the million."
    )
    return build


if TYPE_CHECKING:

    def make_turn(**fields: Any) -> Turn: ...
    def make_interaction(**fields: Any) -> Interaction: ...
    def make_source_ref(**fields: Any) -> SourceRef: ...

else:
    make_turn = _validated_builder(Turn)
    make_interaction = _validated_builder(Interaction)
    make_source_ref = _validated_builder(SourceRef)

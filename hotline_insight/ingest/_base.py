"""The parser contract, the registry and the per-file parse context.

A parser is a class registered with :func:`register`. For each input file the
reader asks every parser how sure it is that the file is in its format
(:meth:`Parser.sniff`, from the first 64 KiB of content), picks the surest,
and iterates :meth:`Parser.parse`, which yields one
:class:`~hotline_insight.records.Interaction` or one
:class:`~hotline_insight.records.ParseFailure` per record read. Every yield
counts as one record read, so ``read = parsed + failed`` holds by
construction. Parsers build records inside :meth:`ParseContext.build`, which
turns the usual ways a record goes wrong into a coded failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import ValidationError

from .._time import NaiveCounter, TimestampError, get_zone, parse_datetime
from ..errors import ConfigError, Errors, ParseFailureReason, scrub
from ..records import Channel, Interaction, ParseFailure, Role, SourceRef, make_source_ref
from ._source import SourceFile

__all__ = [
    "FieldError",
    "ParseContext",
    "ParseOptions",
    "Parser",
    "ParserResult",
    "get_parser",
    "map_role",
    "register",
    "registered_parsers",
]

ParserResult = Interaction | ParseFailure


class FieldError(ValueError):
    """Raised inside a parser for a bad or missing field; becomes a coded failure."""

    def __init__(self, reason: ParseFailureReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# What building one record may raise on bad input (anything else is a bug).
RECORD_ERRORS: tuple[type[Exception], ...] = (
    FieldError,
    TimestampError,
    ValidationError,
    KeyError,
    TypeError,
    AttributeError,
    ValueError,
    IndexError,
)


@dataclass(frozen=True)
class ParseOptions:
    """Options shared by every parser, plus parser-specific ones in ``extra``.

    Attributes:
        timezone: IANA zone for naive source times. When None, naive times are
            read as UTC and the parse report warns (W101) with their count.
        encoding: encoding to use when the content is not valid UTF-8 and has no BOM.
        agent: speaker labels, ids or channels that are the agent (case-insensitive),
            for sources that do not say (``["spk_0"]``, ``["ch_1"]``, ``["Dana"]``).
        customer: the same for the customer side.
        channel: override the channel the parser would assign.
        extra: parser-specific options (see each parser's ``options``).
    """

    timezone: str | None = None
    encoding: str | None = None
    agent: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()
    channel: Channel | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


_ROLE_WORDS: dict[str, Role] = {}
for _role, _words in {
    "agent": (
        "agent",
        "rep",
        "representative",
        "advisor",
        "adviser",
        "associate",
        "csr",
        "operator",
        "support",
        "staff",
        "internal",
        "employee",
        "specialist",
        "consultant",
        "human_agent",
        "moderator",
        "company",
        "brand",
    ),
    "customer": (
        "customer",
        "caller",
        "client",
        "user",
        "end_user",
        "enduser",
        "member",
        "consumer",
        "external",
        "visitor",
        "guest",
        "requester",
        "patient",
        "you",
    ),
    "system": ("system", "ivr", "acd", "action", "notice", "queue", "recording", "workflow"),
    "bot": ("bot", "chatbot", "automated_agent", "virtual_agent", "assistant", "va", "automated"),
}.items():
    for _word in _words:
        _ROLE_WORDS[_word] = _role  # type: ignore[assignment]


def map_role(label: object, options: ParseOptions | None = None) -> Role:
    """Map a source's speaker label to a role.

    The user's ``agent``/``customer`` options win; then common words
    ("Rep", "Caller", "END_USER", "internal", ...); else ``"unknown"``.

    Examples:
        >>> map_role("Caller")
        'customer'
        >>> map_role("AUTOMATED_AGENT")
        'bot'
        >>> map_role("spk_0", ParseOptions(agent=("spk_0",)))
        'agent'
        >>> map_role("Speaker 1")
        'unknown'
    """
    if label is None:
        return "unknown"
    text = str(label).strip()
    lowered = text.lower()
    if options is not None:
        if lowered in {a.lower() for a in options.agent}:
            return "agent"
        if lowered in {c.lower() for c in options.customer}:
            return "customer"
    key = lowered.replace(" ", "_").replace("-", "_")
    return _ROLE_WORDS.get(key, "unknown")


class ParseContext:
    """What a parser needs while reading one file: options, times, failures, lineage."""

    def __init__(self, src: SourceFile, options: ParseOptions, fmt: str) -> None:
        self.src = src
        self.options = options
        self.format = fmt
        self.tz = get_zone(options.timezone)
        self.naive = NaiveCounter()
        self.warnings: list[tuple[str, str]] = []

    # -- lineage and failures ---------------------------------------------
    def ref(
        self, *, line: int | None = None, offset: int | None = None, index: int | None = None
    ) -> SourceRef:
        """A :class:`SourceRef` for the current file at a position."""
        return make_source_ref(format=self.format, path=self.src.path, line=line, offset=offset, index=index)

    def failure(
        self,
        reason: ParseFailureReason,
        message: str,
        *,
        line: int | None = None,
        offset: int | None = None,
        index: int | None = None,
    ) -> ParseFailure:
        """A failure record for the current file. ``message`` must not quote customer text."""
        return ParseFailure(
            source=self.src.path,
            format=self.format,
            line=line,
            offset=offset,
            index=index,
            reason=reason,
            message=message,
        )

    def build(
        self,
        make: Callable[[], Interaction],
        *,
        line: int | None = None,
        offset: int | None = None,
        index: int | None = None,
    ) -> ParserResult:
        """Call ``make`` and return its record, or a coded failure if it raises.

        Catches :data:`RECORD_ERRORS`: :class:`FieldError`, timestamp errors,
        pydantic validation errors and the ``KeyError``/``TypeError``/
        ``ValueError``/``AttributeError``/``IndexError`` that malformed source
        structures cause (a list where an object was expected, a missing key).
        Other exceptions propagate: they are bugs.
        """
        try:
            return make()
        except RECORD_ERRORS as exc:
            return self.failure_for(exc, line=line, offset=offset, index=index)

    def failure_for(
        self,
        exc: Exception,
        *,
        line: int | None = None,
        offset: int | None = None,
        index: int | None = None,
    ) -> ParseFailure:
        """The coded failure for one of :data:`RECORD_ERRORS` raised while building a record.

        Hot loops may catch ``RECORD_ERRORS`` themselves and call this, instead of
        :meth:`build`, to save a call per record.
        """
        where = {"line": line, "offset": offset, "index": index}
        if isinstance(exc, FieldError):
            return self.failure(exc.reason, str(exc), **where)
        if isinstance(exc, TimestampError):
            return self.failure(ParseFailureReason.INVALID_TIMESTAMP, str(exc), **where)
        if isinstance(exc, ValidationError):
            return self.failure(ParseFailureReason.INVALID_VALUE, _validation_message(exc), **where)
        if isinstance(exc, KeyError):
            return self.failure(
                ParseFailureReason.MISSING_FIELD, f"required field {exc.args[0]!r} is missing", **where
            )
        return self.failure(
            ParseFailureReason.INVALID_VALUE, f"unexpected structure: {type(exc).__name__}", **where
        )

    # -- values --------------------------------------------------------------
    def time(self, value: object, *, unit: str | None = None) -> dt.datetime | None:
        """Parse a timestamp to aware UTC with the file's timezone policy.

        Raises TimestampError (caught by :meth:`build`) for invalid values.
        """
        return parse_datetime(value, tz=self.tz, unit=unit, naive=self.naive)  # type: ignore[arg-type]

    def role(self, label: object) -> Role:
        """Map a speaker label with the user's agent/customer options."""
        return map_role(label, self.options)

    def channel(self, default: Channel) -> Channel:
        return self.options.channel or default

    def warn(self, code: str, message: str) -> None:
        """Record a warning for the parse report (shown once per file)."""
        self.warnings.append((code, message))


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def require(record: Mapping[str, Any], key: str) -> Any:
    """``record[key]``, or a MISSING_FIELD failure when absent, None or empty."""
    value = record.get(key) if isinstance(record, Mapping) else None
    if value is None or value == "":
        raise FieldError(ParseFailureReason.MISSING_FIELD, f"required field {key!r} is missing or empty")
    return value


class Parser:
    """Base class of every format parser.

    Subclasses set the class attributes, implement :meth:`sniff` and
    :meth:`parse`, and are registered with :func:`register`.

    Attributes:
        name: registry name, used as ``format=``.
        family: namespace for interaction ids; records from parsers of one
            family with the same id are the same interaction (merged).
        label: human-readable name for docs and reports.
        channel: the default channel of the records.
        extensions: typical file suffixes (a hint for detection, never a requirement).
        options: parser-specific options this parser accepts, with a description each.
    """

    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    label: ClassVar[str] = ""
    channel: ClassVar[Channel] = "ticket"
    extensions: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[Mapping[str, str]] = {}

    def __init__(self, options: ParseOptions | None = None) -> None:
        self.opts = options or ParseOptions()
        unknown = set(self.opts.extra) - set(self.options)
        if unknown:
            raise ConfigError(
                Errors.E107.format(
                    name=sorted(unknown)[0],
                    fmt=self.name,
                    expected=", ".join(sorted(self.options)) or "none",
                )
            )

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        """How sure (0 to 1) we are that ``src`` is in this format, from its head."""
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        """Yield one Interaction or ParseFailure per record in ``src``."""
        raise NotImplementedError

    def parse_frame(self, frame: Any, ctx: ParseContext) -> Iterator[ParserResult]:
        """Yield records from a pandas DataFrame (only parsers that read frames)."""
        raise ConfigError(Errors.E110.format(value=self.name))


_REGISTRY: dict[str, type[Parser]] = {}


def register(cls: type[Parser]) -> type[Parser]:
    """Class decorator: add a parser to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(Errors.E111.format(value=cls.name))
    if not cls.family:
        cls.family = cls.name
    _REGISTRY[cls.name] = cls
    return cls


def _load_builtin_parsers() -> None:
    from . import _builtin  # noqa: F401  (imports every parser module)


def registered_parsers() -> dict[str, type[Parser]]:
    """All registered parsers by name, built-in ones included."""
    _load_builtin_parsers()
    return dict(_REGISTRY)


def get_parser(name: str) -> type[Parser]:
    """The parser class registered under ``name``; a coded error when unknown."""
    parsers = registered_parsers()
    try:
        return parsers[name]
    except KeyError:
        raise ConfigError(Errors.E103.format(value=name, expected=", ".join(sorted(parsers)))) from None


def scrubbed(value: object) -> str:
    """Shorthand for quoting a source value in a failure message."""
    return scrub(value)

"""``read`` and ``iter_interactions``: sources in, records and a parse report out."""

from __future__ import annotations

import glob as _glob
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import (
    ConfigError,
    Errors,
    ParseError,
    ParseFailureReason,
    Warnings,
    warn,
)
from ..records import Channel, Interaction, ParseFailure
from ._base import ParseContext, ParseOptions, Parser, ParserResult, get_parser, registered_parsers
from ._merge import merge_interactions
from ._report import ParseReport, ParseWarningRecord
from ._source import SourceFile

if TYPE_CHECKING:
    from ..corpus import Corpus

__all__ = ["InteractionStream", "detect_format", "iter_interactions", "read"]

OnError = Literal["raise", "collect", "ignore"]
_ON_ERROR = ("raise", "collect", "ignore")


def _is_frame(obj: object) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


def _expand(source: Any) -> Iterator[SourceFile | Any]:
    """Files (as SourceFile) or DataFrames, in a stable order."""
    if isinstance(source, SourceFile) or _is_frame(source):
        yield source
        return
    if isinstance(source, (list, tuple)):
        for item in source:
            yield from _expand(item)
        return
    if not isinstance(source, (str, os.PathLike)):
        raise ConfigError(Errors.E102.format(source=type(source).__name__))
    path = Path(source)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            raise ConfigError(Errors.E102.format(source=str(source)))
        for p in files:
            yield SourceFile(p)
        return
    if path.is_file():
        yield SourceFile(path)
        return
    text = str(source)
    if any(ch in text for ch in "*?["):
        matches = sorted(m for m in _glob.glob(text, recursive=True) if os.path.isfile(m))
        if not matches:
            raise ConfigError(Errors.E102.format(source=text))
        for m in matches:
            yield SourceFile(m)
        return
    raise ConfigError(Errors.E102.format(source=text))


def detect_format(src: SourceFile, candidates: Iterable[type[Parser]] | None = None) -> type[Parser] | None:
    """The registered parser most sure it reads ``src`` (by content), or None.

    Ties go to the parser registered first. A parser's score is from its
    :meth:`~hotline_insight.ingest.Parser.sniff`; file extensions only break
    near-ties inside a sniff, never decide alone.
    """
    best: type[Parser] | None = None
    best_score = 0.0
    for parser in candidates or registered_parsers().values():
        try:
            score = float(parser.sniff(src))
        except Exception:  # a sniff must never break reading; treat as "not mine"
            score = 0.0
        if score > best_score:
            best, best_score = parser, score
    return best


def _options(
    timezone: str | None,
    encoding: str | None,
    agent: str | Sequence[str] | None,
    customer: str | Sequence[str] | None,
    channel: Channel | None,
    extra: dict[str, Any],
) -> ParseOptions:
    def as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        return tuple(str(v) for v in value)

    return ParseOptions(
        timezone=timezone,
        encoding=encoding,
        agent=as_tuple(agent),
        customer=as_tuple(customer),
        channel=channel,
        extra=extra,
    )


class InteractionStream(Iterator[Interaction]):
    """An iterator of interactions whose :attr:`report` fills as it is consumed.

    Memory does not depend on the input's size: files are read one at a
    time, and each parser streams its file. Duplicate ids are *not* merged
    here (that needs every id in memory); :func:`read` merges them.
    """

    def __init__(
        self,
        source: Any,
        fmt: str | None,
        on_error: OnError,
        options: ParseOptions,
        progress: bool | None,
    ) -> None:
        if on_error not in _ON_ERROR:
            raise ConfigError(Errors.E105.format(expected=_ON_ERROR, value=on_error))
        self.on_error = on_error
        self.report = ParseReport(keep_failures=on_error != "ignore")
        self._fmt = fmt
        self._options = options
        self._progress = progress
        parsers = registered_parsers()
        if fmt is None and "mapping" in options.extra:
            fmt = "generic"  # a column mapping only means something to the generic reader
            self._fmt = fmt
        if fmt is not None:
            parser_cls = get_parser(fmt)
            self._fixed: Parser | None = parser_cls(options)
        else:
            self._fixed = None
            accepted = set().union(*(set(p.options) for p in parsers.values()))
            unknown = sorted(set(options.extra) - accepted)
            if unknown:
                raise ConfigError(
                    Errors.E107.format(name=unknown[0], fmt="any", expected=", ".join(sorted(accepted)))
                )
        self._instances: dict[str, Parser] = {}
        self._sources = list(_expand(source))
        self._it = self._run()

    def _parser_for(self, cls: type[Parser]) -> Parser:
        if cls.name not in self._instances:
            extra = {k: v for k, v in self._options.extra.items() if k in cls.options}
            opts = ParseOptions(
                timezone=self._options.timezone,
                encoding=self._options.encoding,
                agent=self._options.agent,
                customer=self._options.customer,
                channel=self._options.channel,
                extra=extra,
            )
            self._instances[cls.name] = cls(opts)
        return self._instances[cls.name]

    def __iter__(self) -> InteractionStream:
        return self

    def __next__(self) -> Interaction:
        return next(self._it)

    def _progress_bar(self) -> Any:
        show = self._progress
        if show is None:
            show = len(self._sources) > 1 and sys.stderr.isatty()
        if not show:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=len(self._sources), unit="file", desc="reading")

    def _run(self) -> Iterator[Interaction]:
        bar = self._progress_bar()
        report = self.report
        strict = isinstance(self, _StrictStream)
        formats = report.formats
        try:
            for item in self._sources:
                report.n_files += 1
                ctx, results = self._open(item)
                n = parsed = 0
                stop: ParseFailure | None = None
                # One flat loop per file: this is the hot path of every read.
                try:
                    for result in results:
                        n += 1
                        if isinstance(result, ParseFailure):
                            report.add_failure(result)
                            if strict:
                                stop = result
                                break
                        else:
                            report.n_read += 1
                            report.n_parsed += 1
                            parsed += 1
                            yield result
                except Exception as exc:  # recorded as a failure, never silent
                    n += 1
                    stop = self._exception_failure(exc, ctx)
                    report.add_failure(stop)
                    if not strict:
                        stop = None
                if parsed:
                    formats[ctx.format] += parsed  # a file's records all come from its one parser
                if n == 0 and stop is None:
                    stop = ctx.failure(ParseFailureReason.EMPTY_FILE, "the file holds no records")
                    report.add_failure(stop)
                    if not strict:
                        stop = None
                if stop is not None:
                    raise ParseError(
                        Errors.E106.format(n_failed=1, n_read=report.n_read, listing=f"  {stop}"), [stop]
                    )
                self._finish(ctx)
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()

    def _open(self, item: Any) -> tuple[ParseContext, Iterator[ParserResult]]:
        """The context and the record iterator for one source (or one immediate failure)."""
        if _is_frame(item):
            parser = self._fixed or self._parser_for(get_parser("generic"))
            frame_src = SourceFile(data=b"", name="<DataFrame>")
            ctx = ParseContext(frame_src, parser.opts, parser.name)
            return ctx, parser.parse_frame(item, ctx)
        src: SourceFile = item
        if self._options.encoding:
            src._requested_encoding = self._options.encoding
        fail_ctx = ParseContext(src, self._options, self._fmt or "unknown")

        def fail(reason: ParseFailureReason, message: str) -> tuple[ParseContext, Iterator[ParserResult]]:
            return fail_ctx, iter([fail_ctx.failure(reason, message)])

        try:
            head = src.head_bytes()
        except OSError as exc:
            return fail(
                ParseFailureReason.UNREADABLE, Errors.E101.format(source=src.path, reason=type(exc).__name__)
            )
        except (EOFError, ValueError) as exc:  # corrupt gzip
            return fail(ParseFailureReason.UNREADABLE, f"corrupt compressed data ({type(exc).__name__})")
        if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            return fail(ParseFailureReason.EMPTY_FILE, "the file is empty")
        if self._fixed is not None:
            parser = self._fixed
        else:
            parser_cls = detect_format(src)
            if parser_cls is None:
                reason = ParseFailureReason.BINARY if src.is_binary else ParseFailureReason.UNKNOWN_FORMAT
                return fail(
                    reason,
                    Errors.E104.format(source=src.path, expected=", ".join(sorted(registered_parsers()))),
                )
            parser = self._parser_for(parser_cls)
        if not getattr(parser, "binary", False) and src.is_binary:
            return fail(ParseFailureReason.BINARY, "the file holds binary data, not text")
        ctx = ParseContext(src, parser.opts, parser.name)
        return ctx, parser.parse(src, ctx)

    @staticmethod
    def _exception_failure(exc: Exception, ctx: ParseContext) -> ParseFailure:
        """The one failure recorded when an exception escapes a parser: the rest of that file is lost."""
        if isinstance(exc, ParseError) and exc.failures:
            first: ParseFailure = exc.failures[0]
            return first
        if isinstance(exc, UnicodeDecodeError):
            return ctx.failure(
                ParseFailureReason.ENCODING,
                f"bytes not valid {ctx.src.encoding} ({exc.reason}); the rest of the file was not read. "
                "Pass encoding= to choose another encoding",
            )
        if isinstance(exc, (EOFError, OSError)):
            return ctx.failure(ParseFailureReason.UNREADABLE, f"read error: {type(exc).__name__}")
        if isinstance(exc, RecursionError):
            return ctx.failure(ParseFailureReason.MALFORMED_JSON, "structure nested too deeply")
        if isinstance(exc, MemoryError):
            return ctx.failure(ParseFailureReason.TOO_LARGE, "a record is too large to hold in memory")
        if isinstance(exc, ParseError):
            return ctx.failure(ParseFailureReason.MALFORMED_TEXT, str(exc))
        return ctx.failure(
            ParseFailureReason.INTERNAL,
            f"parser {ctx.format!r} failed with {type(exc).__name__}; please report this",
        )

    def _finish(self, ctx: ParseContext) -> None:
        records = []
        if ctx.naive.n:
            tz = "UTC"
            records.append(("W101", Warnings.W101.format(source=ctx.src.path, n=ctx.naive.n, tz=tz)))
        if ctx.src.encoding_fallback:
            records.append(("W102", Warnings.W102.format(source=ctx.src.path, encoding=ctx.src.encoding)))
        for code, message in ctx.warnings:
            records.append((code, message))
        for code, message in records:
            self.report.warnings.append(ParseWarningRecord(ctx.src.path, code, message))
            warn(message, stacklevel=4)


class _StrictStream(InteractionStream):
    """A stream that raises at the first failure (``iter_interactions(on_error='raise')``)."""


def iter_interactions(
    source: Any,
    format: str | None = None,
    on_error: OnError = "raise",
    *,
    timezone: str | None = None,
    encoding: str | None = None,
    agent: str | Sequence[str] | None = None,
    customer: str | Sequence[str] | None = None,
    channel: Channel | None = None,
    progress: bool | None = None,
    **options: Any,
) -> InteractionStream:
    """Yield interactions one at a time, in memory independent of the input's size.

    Takes the same arguments as :func:`read`. With ``on_error="raise"`` the
    first failure raises :class:`~hotline_insight.errors.ParseError`; with
    ``"collect"`` failures go to ``stream.report``. Duplicate ids are not merged.

    Examples:
        >>> import hotline_insight as hi
        >>> stream = hi.iter_interactions("sample_data/calls", on_error="collect")
        >>> first = next(stream)
        >>> first.channel in {"call", "chat"}
        True
    """
    stream_cls = _StrictStream if on_error == "raise" else InteractionStream
    return stream_cls(
        source,
        format,
        on_error,
        _options(timezone, encoding, agent, customer, channel, options),
        progress,
    )


def read(
    source: Any,
    format: str | None = None,
    on_error: OnError = "raise",
    *,
    timezone: str | None = None,
    encoding: str | None = None,
    agent: str | Sequence[str] | None = None,
    customer: str | Sequence[str] | None = None,
    channel: Channel | None = None,
    progress: bool | None = None,
    **options: Any,
) -> Corpus:
    """Read exports into a :class:`~hotline_insight.corpus.Corpus`.

    Args:
        source: a file, a directory (read recursively; hidden files skipped),
            a glob pattern, a ``.gz`` file, a pandas DataFrame, or a list of these.
        format: a registered format name (see :func:`available_formats`); when
            None, each file's format is detected from its content.
        on_error: ``"raise"`` reads everything, then raises one
            :class:`~hotline_insight.errors.ParseError` listing every failure;
            ``"collect"`` keeps them in ``corpus.parse_report``; ``"ignore"``
            only counts them.
        timezone: IANA zone of naive source times (else read as UTC, with warning W101).
        encoding: encoding for files that are neither UTF-8 nor marked by a BOM.
        agent: speaker labels, ids or channels that are the agent, where the source doesn't say.
        customer: the same for the customer.
        channel: override the channel of every record.
        progress: show a progress bar (default: when reading several files on a terminal).
        **options: parser-specific options, such as ``mapping=`` for the
            generic reader (given without ``format``, it selects ``"generic"``
            for every file) or ``ctr=`` for Contact Lens.

    Returns:
        The corpus, with duplicate ids merged and ``parse_report`` filled.

    Raises:
        ParseError: with ``on_error="raise"``, when any record failed.
        ConfigError: unknown format, option or timezone; no input found.

    Examples:
        >>> import hotline_insight as hi
        >>> corpus = hi.read("sample_data/tickets", on_error="collect")
        >>> r = corpus.parse_report
        >>> r.n_read == r.n_parsed + r.n_failed
        True
    """
    from ..corpus import Corpus

    if on_error not in _ON_ERROR:
        raise ConfigError(Errors.E105.format(expected=_ON_ERROR, value=on_error))
    stream = InteractionStream(
        source,
        format,
        on_error,
        _options(timezone, encoding, agent, customer, channel, options),
        progress,
    )
    by_key: dict[tuple[str, str], int] = {}
    records: list[Interaction] = []
    registry = registered_parsers()
    for record in stream:
        family = (
            registry[record.source.format].family
            if record.source.format in registry
            else record.source.format
        )
        key = (family, record.id)
        at = by_key.get(key)
        if at is None:
            by_key[key] = len(records)
            records.append(record)
        else:
            records[at] = merge_interactions(records[at], record)
            stream.report.n_merged += 1
            stream.report.merged_ids.append(record.id)
    report = stream.report
    if report.n_merged:
        message = Warnings.W103.format(source="input", n=report.n_merged)
        report.warnings.append(ParseWarningRecord("input", "W103", message))
    if on_error == "raise" and report.n_failed:
        raise _parse_error(report.failure_records, report.n_read)
    return Corpus(records, parse_report=report)


def _parse_error(failures: list[ParseFailure], n_read: int) -> ParseError:
    listing = "\n".join(f"  {f}" for f in failures[:5])
    if len(failures) > 5:
        listing += f"\n  ... and {len(failures) - 5} more"
    return ParseError(Errors.E106.format(n_failed=len(failures), n_read=n_read, listing=listing), failures)

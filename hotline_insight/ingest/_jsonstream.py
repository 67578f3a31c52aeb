"""Streaming JSON readers with positions, in memory bounded by the largest record.

Three shapes of JSON export occur in the wild and all stream here:

* a top-level array of records (``[{...}, {...}]``);
* an object that wraps the array under a known key (``{"tickets": [...],
  "next_page": ...}``), possibly several such pages one after another;
* JSON lines (one record a line), where a bad line is reported and reading
  goes on at the next line.

Each element is decoded with the standard library's C decoder
(``JSONDecoder.raw_decode``) straight from a sliding text buffer, so speed
stays close to ``json.loads`` while memory holds one buffer and one record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..errors import ParseFailureReason

__all__ = ["JsonItem", "JsonProblem", "iter_json_lines", "iter_json_records"]

CHUNK = 1 << 20  # characters read at a time
MAX_RECORD_CHARS = 256 << 20  # a record larger than this is reported, not held

_DECODER = json.JSONDecoder()
_WS_RUN = re.compile(r"[ \t\r\n]*").match


@dataclass(slots=True)
class JsonItem:
    """One decoded record with where it started (1-based line, character offset, index in file)."""

    value: Any
    line: int
    offset: int
    index: int


@dataclass(frozen=True)
class JsonProblem:
    """A record (or the rest of a file) that could not be decoded."""

    reason: ParseFailureReason
    message: str
    line: int
    offset: int
    index: int
    fatal: bool  # True when the rest of the file could not be read


class _Buffer:
    """A sliding window over a text stream that tracks absolute offsets and line numbers."""

    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.text = ""
        self.pos = 0  # position in self.text
        self.base = 0  # absolute offset of self.text[0]
        self.line = 1  # line number at self.pos
        self._line_pos = 0  # position up to which lines are counted
        self.eof = False
        self.index = 0  # records yielded so far

    def fill(self, minimum: int = CHUNK) -> bool:
        """Read more text; False at end of input."""
        if self.eof:
            return False
        if self.pos:  # drop what has been consumed (decode errors then count lines from here, not from 0)
            self._count_lines()
            self.base += self.pos
            self.text = self.text[self.pos :]
            self._line_pos -= self.pos
            self.pos = 0
        chunk = self.fh.read(max(minimum, CHUNK))
        if not chunk:
            self.eof = True
            return False
        self.text += chunk
        return True

    def _count_lines(self) -> None:
        if self.pos > self._line_pos:
            self.line += self.text.count("\n", self._line_pos, self.pos)
            self._line_pos = self.pos

    def where(self) -> tuple[int, int]:
        """(line, absolute offset) at the current position."""
        self._count_lines()
        return self.line, self.base + self.pos

    def skip_ws(self) -> str:
        """Skip whitespace; return the next character ('' at end of input)."""
        while True:
            text = self.text
            pos = _WS_RUN(text, self.pos).end()  # type: ignore[union-attr]  # '*' always matches
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.fill():
                return ""

    def decode(self) -> Any:
        """Decode one JSON value at the current position, reading more as needed.

        Raises:
            json.JSONDecodeError: the value is malformed (``truncated`` attribute
                set when input ended inside it).
            OverflowError: the value exceeds MAX_RECORD_CHARS.
        """
        want = CHUNK
        if not self.eof and len(self.text) - self.pos < CHUNK // 4:
            self.fill()  # read ahead, so that a value is rarely cut by the buffer's end
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.text) - 8 or exc.msg.startswith("Unterminated string")
                if near_end and not self.eof:
                    if len(self.text) - self.pos > MAX_RECORD_CHARS:
                        raise OverflowError from None
                    want *= 2
                    self.fill(want)
                    continue
                at_end = exc.pos >= len(self.text.rstrip()) or exc.msg.startswith("Unterminated string")
                exc.truncated = at_end  # type: ignore[attr-defined]
                raise
            if end >= len(self.text) and not self.eof:
                # a number or literal may continue in the next chunk
                if self.fill(want):
                    continue
            self.pos = end
            return value

    def error_where(self, exc: json.JSONDecodeError) -> tuple[int, int]:
        self._count_lines()
        line = self.line + self.text.count("\n", self.pos, exc.pos)
        return line, self.base + exc.pos


def _problem(buf: _Buffer, exc: Exception, index: int) -> JsonProblem:
    if isinstance(exc, OverflowError):
        line, offset = buf.where()
        return JsonProblem(
            ParseFailureReason.TOO_LARGE,
            f"a JSON value is larger than {MAX_RECORD_CHARS // (1 << 20)} MiB characters; the rest of the file was not read",
            line,
            offset,
            index,
            True,
        )
    assert isinstance(exc, json.JSONDecodeError)
    line, offset = buf.error_where(exc)
    truncated = getattr(exc, "truncated", False)
    reason = ParseFailureReason.TRUNCATED if truncated else ParseFailureReason.MALFORMED_JSON
    what = "the JSON ends in the middle of a value" if truncated else f"malformed JSON ({exc.msg})"
    return JsonProblem(reason, f"{what}; the rest of the file was not read", line, offset, index, True)


def iter_json_records(
    fh: IO[str],
    container_keys: tuple[str, ...] = (),
) -> Iterator[JsonItem | JsonProblem]:
    """Yield the records of a JSON document (or a sequence of documents) one at a time.

    A top-level array yields its elements. A top-level object whose key in
    ``container_keys`` holds an array yields that array's elements (the
    object's other keys are skipped: paging fields such as ``next_page``);
    any other object is yielded whole. Several top-level values one after
    another (JSON lines, concatenated pages) are each handled the same way.

    A malformed value ends the file with one fatal :class:`JsonProblem`,
    since an array cannot be re-synchronised safely.

    Examples:
        >>> import io
        >>> doc = '{"tickets": [{"id": 1}, {"id": 2}], "next_page": null}'
        >>> [item.value["id"] for item in iter_json_records(io.StringIO(doc), ("tickets",))]
        [1, 2]
    """
    buf = _Buffer(fh)
    try:
        while True:
            ch = buf.skip_ws()
            if ch == "":
                return
            if ch == "[":
                buf.pos += 1
                yield from _iter_array(buf)
            elif ch == "{" and container_keys:
                yield from _iter_object(buf, container_keys)
            else:
                line, offset = buf.where()
                value = buf.decode()
                yield JsonItem(value, line, offset, buf.index)
                buf.index += 1
    except (json.JSONDecodeError, OverflowError) as exc:
        yield _problem(buf, exc, buf.index)


_SEPARATOR = re.compile(r"[ \t\r\n]*([,\]])[ \t\r\n]*").match


WHOLE_LINE_LIMIT = 8 * CHUNK  # a longer line is streamed record by record


def _whole_line_array(buf: _Buffer) -> list[JsonItem] | None:
    """Decode an array that lies on one line in one call, or return None.

    API pages (``{"tickets": [...]}``, one page a line or a file) are the
    commonest export. Decoding a page at once costs one C call instead of one
    per record; every record on the line gets that line's number, its own
    index, and the offset of the array. Arrays spread over several lines
    (pretty-printed) or longer than WHOLE_LINE_LIMIT are streamed instead, so
    each record keeps its own line. Called just after the '[' is consumed;
    on None the buffer is left there.
    """
    buf.pos -= 1  # keep '[' in the buffer while reading ahead
    while buf.text.find("\n", buf.pos) == -1 and not buf.eof:
        if len(buf.text) - buf.pos > WHOLE_LINE_LIMIT or not buf.fill():
            break
    text, start = buf.text, buf.pos
    buf.pos += 1
    newline = text.find("\n", start)
    if newline == -1:
        if not buf.eof:
            return None
        newline = len(text)
    if newline - start > WHOLE_LINE_LIMIT or text.find("\n", start, min(newline, start + 4096)) != -1:
        return None
    try:
        values, end = _DECODER.raw_decode(text[start:newline])
    except json.JSONDecodeError:
        return None  # malformed or cut: streaming locates the problem
    if values.__class__ is not list:
        return None
    buf.pos = start
    line, offset = buf.where()
    buf.pos = start + end
    index = buf.index
    buf.index += len(values)
    return [JsonItem(value, line, offset, index + i) for i, value in enumerate(values)]


def _iter_array(buf: _Buffer) -> Iterator[JsonItem]:
    ch = buf.skip_ws()
    if ch == "]":
        buf.pos += 1
        return
    whole = _whole_line_array(buf)
    if whole is not None:
        yield from whole
        return
    raw_decode = _DECODER.raw_decode
    while True:
        # Fast path: the element and the separator after it are in the buffer.
        text, pos = buf.text, buf.pos
        if pos > buf._line_pos:
            buf.line += text.count("\n", buf._line_pos, pos)
            buf._line_pos = pos
        line, offset = buf.line, buf.base + pos
        try:
            value, end = raw_decode(text, pos)
            sep = _SEPARATOR(text, end)
        except json.JSONDecodeError:
            sep = None
        if sep is None or sep.end() >= len(text):
            # slow path: near the end of the buffer, or malformed
            value = buf.decode()
            yield JsonItem(value, line, offset, buf.index)
            buf.index += 1
            ch = buf.skip_ws()
            if ch == ",":
                buf.pos += 1
                buf.skip_ws()
                continue
            if ch == "]":
                buf.pos += 1
                return
            _raise_expected(buf, "',' or ']'", ch)
        assert sep is not None
        buf.pos = sep.end()
        yield JsonItem(value, line, offset, buf.index)
        buf.index += 1
        if sep.group(1) == "]":
            return


def _iter_object(buf: _Buffer, container_keys: tuple[str, ...]) -> Iterator[JsonItem]:
    """Walk a top-level object key by key, streaming a container array; else yield the object."""
    line, offset = buf.where()
    buf.pos += 1  # '{'
    whole: dict[str, Any] = {}
    streamed = False
    ch = buf.skip_ws()
    if ch == "}":
        buf.pos += 1
        yield JsonItem(whole, line, offset, buf.index)
        buf.index += 1
        return
    while True:
        if buf.skip_ws() != '"':
            _raise_expected(buf, "a key", buf.skip_ws())
        key = buf.decode()
        if buf.skip_ws() != ":":
            _raise_expected(buf, "':'", buf.skip_ws())
        buf.pos += 1
        ch = buf.skip_ws()
        if key in container_keys and ch == "[":
            buf.pos += 1
            yield from _iter_array(buf)
            streamed = True
        else:
            whole[key] = buf.decode()
        ch = buf.skip_ws()
        if ch == ",":
            buf.pos += 1
            continue
        if ch == "}":
            buf.pos += 1
            break
        _raise_expected(buf, "',' or '}'", ch)
    if not streamed:
        yield JsonItem(whole, line, offset, buf.index)
        buf.index += 1


def _raise_expected(buf: _Buffer, expected: str, got: str) -> None:
    msg = f"Expecting {expected}" if got else f"Expecting {expected}, input ended"
    exc = json.JSONDecodeError(msg, buf.text, buf.pos)
    exc.truncated = got == ""  # type: ignore[attr-defined]
    raise exc


def iter_json_lines(fh: IO[str]) -> Iterator[JsonItem | JsonProblem]:
    """Yield one record per non-blank line; a bad line is a problem and reading goes on.

    A last line that breaks off inside a value (no final newline) is
    reported as ``truncated``; other bad lines as ``malformed_json``.

    Examples:
        >>> import io
        >>> items = list(iter_json_lines(io.StringIO('{"a": 1}\\n\\nnot json\\n{"a": 2}')))
        >>> [type(i).__name__ for i in items]
        ['JsonItem', 'JsonProblem', 'JsonItem']
    """
    offset = 0
    index = 0
    for number, raw in enumerate(fh, start=1):
        stripped = raw.strip()
        start = offset
        offset += len(raw)
        if not stripped:
            continue
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            truncated = not raw.endswith("\n") and (
                exc.pos >= len(stripped) - 1 or exc.msg.startswith("Unterminated string")
            )
            reason = ParseFailureReason.TRUNCATED if truncated else ParseFailureReason.MALFORMED_JSON
            what = (
                "the line ends in the middle of a JSON value" if truncated else f"malformed JSON ({exc.msg})"
            )
            yield JsonProblem(reason, what, number, start, index, False)
        else:
            yield JsonItem(value, number, start, index)
        index += 1


def looks_like_json_lines(head: str) -> bool:
    """True when the head's first two non-blank lines each hold one complete JSON object."""
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("{"):
        return False
    checked = 0
    for line in lines[:2]:
        try:
            json.loads(line)
        except ValueError:
            return False
        checked += 1
    return checked >= 1 and (len(lines) >= 2 or head.rstrip().endswith("}"))

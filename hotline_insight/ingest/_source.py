"""Opening inputs: gzip by magic bytes, encodings by BOM and validation, binary detection."""

from __future__ import annotations

import codecs
import gzip
import io
from pathlib import Path
from typing import IO, BinaryIO

__all__ = ["HEAD_BYTES", "SourceFile"]

HEAD_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class SourceFile:
    """One input file (or in-memory text) as parsers see it.

    ``path`` is the name shown in reports. The content is opened lazily and
    can be opened again as often as a parser needs (sniffing reads only the
    first 64 KiB). Gzip is recognised by its magic bytes, not only by ``.gz``.

    Encoding: a BOM decides (UTF-8, UTF-16, UTF-32); UTF-16 without a BOM is
    recognised by its zero bytes; otherwise UTF-8 when the first 64 KiB
    decode, else the ``encoding`` given, else cp1252 (then latin-1), which
    the parse report then warns about.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        data: bytes | None = None,
        name: str | None = None,
        encoding: str | None = None,
    ) -> None:
        if path is None and data is None:
            raise ValueError("SourceFile needs a path or data")
        self.fs_path = Path(path) if path is not None else None
        self._data = data
        self.path = name or (str(path) if path is not None else "<memory>")
        self._requested_encoding = encoding
        self._head: bytes | None = None
        self._encoding: str | None = None
        self.encoding_fallback = False

    # -- bytes -------------------------------------------------------------
    @property
    def name(self) -> str:
        """The file name without directories and without a trailing ``.gz``."""
        base = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return base[:-3] if base.lower().endswith(".gz") else base

    @property
    def suffix(self) -> str:
        """Lower-case extension of :attr:`name` (``'.json'``), or ``''``."""
        name = self.name
        return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""

    def _raw(self) -> BinaryIO:
        if self._data is not None:
            return io.BytesIO(self._data)
        assert self.fs_path is not None
        return open(self.fs_path, "rb")

    @property
    def is_gzip(self) -> bool:
        with self._raw() as fh:
            return fh.read(2) == b"\x1f\x8b"

    def open_binary(self) -> BinaryIO:
        """The content as bytes, decompressed when gzipped."""
        raw = self._raw()
        magic = raw.read(2)
        raw.seek(0)
        if magic == b"\x1f\x8b":
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def head_bytes(self) -> bytes:
        """The first 64 KiB of (decompressed) content."""
        if self._head is None:
            with self.open_binary() as fh:
                self._head = fh.read(HEAD_BYTES)
        return self._head

    def size(self) -> int | None:
        """Size in bytes on disk (compressed size for gzip)."""
        if self._data is not None:
            return len(self._data)
        assert self.fs_path is not None
        return self.fs_path.stat().st_size

    # -- text --------------------------------------------------------------
    @property
    def is_binary(self) -> bool:
        """True when the head looks like binary data rather than text in any encoding we read."""
        head = self.head_bytes()
        if not head or self.encoding.startswith(("utf-16", "utf-32")):
            return False
        sample = head[:8192]
        if b"\x00" in sample:
            return True
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        return controls > max(8, len(sample) // 100)

    @property
    def encoding(self) -> str:
        if self._encoding is None:
            self._encoding = self._detect_encoding()
        return self._encoding

    def _detect_encoding(self) -> str:
        head = self.head_bytes()
        for bom, enc in _BOMS:
            if head.startswith(bom):
                return enc
        if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
            return "utf-16-le"
        if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
            return "utf-16-be"
        if self._requested_encoding:
            return self._requested_encoding
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        self.encoding_fallback = True
        try:
            head.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"

    def head_text(self) -> str:
        """The first 64 KiB decoded (a character cut at the end is dropped); '' if undecodable."""
        try:
            decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
            return decoder.decode(self.head_bytes(), final=False)
        except (UnicodeDecodeError, LookupError):
            return ""

    def open_text(self) -> IO[str]:
        """The content as text, with universal newlines off (``newline=''``) as csv needs.

        Decoding is strict: a byte sequence that is not valid in the detected
        encoding raises ``UnicodeDecodeError`` where it occurs, and the reader
        records it as an ``encoding`` failure at that place.
        """
        return io.TextIOWrapper(self.open_binary(), encoding=self.encoding, newline="")

    def read_text(self) -> str:
        """The whole content as one string (for formats read whole, such as one JSON document)."""
        with self.open_text() as fh:
            return fh.read()

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r})"

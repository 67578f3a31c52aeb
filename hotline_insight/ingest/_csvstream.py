"""Streaming CSV rows with their line numbers, and shifted rows caught rather than misread."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from ..errors import ParseFailureReason

__all__ = ["CsvProblem", "CsvRow", "iter_csv_rows", "read_header", "sniff_delimiter"]

# Narratives and descriptions can be long; a 50 MB cell is read, not refused.
csv.field_size_limit(min(sys.maxsize, 1 << 31 - 1))

_MISSING = {"", "none", "null", "n/a", "na", "nan"}


@dataclass(frozen=True)
class CsvRow:
    """One data row as a dict keyed by header name, with its first physical line (1-based)."""

    values: dict[str, str]
    line: int
    index: int

    def get(self, key: str) -> str | None:
        """The cell, or None when absent or a missing-value marker ('', 'None', 'N/A', ...)."""
        value = self.values.get(key)
        if value is None or value.strip().lower() in _MISSING:
            return None
        return value


@dataclass(frozen=True)
class CsvProblem:
    reason: ParseFailureReason
    message: str
    line: int
    index: int


def sniff_delimiter(head: str, default: str = ",") -> str:
    """Pick ',', tab, ';' or '|' from the header line: the one that occurs most often."""
    first = head.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else default


def read_header(head: str, delimiter: str | None = None) -> list[str]:
    """The header cells of a CSV head (BOM and surrounding spaces stripped)."""
    delim = delimiter or sniff_delimiter(head)
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        return [cell.strip() for cell in next(csv.reader([first], delimiter=delim))]
    except (csv.Error, StopIteration):
        return []


def iter_csv_rows(fh: IO[str], *, delimiter: str = ",") -> Iterator[CsvRow | CsvProblem]:
    """Yield each data row with its line number; rows with the wrong number of cells are problems.

    A row with more or fewer cells than the header is the sign of a shifted
    column (an unquoted delimiter, a lost quote); reading it by position would
    put values in the wrong fields, so it is reported instead. A row the csv
    module cannot tokenise is reported, and reading goes on at the next row.

    Examples:
        >>> import io
        >>> rows = list(iter_csv_rows(io.StringIO('id,text\\n1,"a\\nb"\\n2,x,extra\\n3,c\\n')))
        >>> [(type(r).__name__, r.line) for r in rows]
        [('CsvRow', 2), ('CsvProblem', 4), ('CsvRow', 5)]
    """
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield CsvProblem(ParseFailureReason.MALFORMED_CSV, f"header row cannot be read ({exc})", 1, 0)
        return
    header = [h.lstrip("\ufeff").strip() for h in header]
    width = len(header)
    index = 0
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            previous_end = reader.line_num
            yield CsvProblem(
                ParseFailureReason.MALFORMED_CSV, f"row cannot be tokenised ({exc})", start, index
            )
            index += 1
            continue
        previous_end = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line
        if len(cells) != width:
            yield CsvProblem(
                ParseFailureReason.MALFORMED_CSV,
                f"row has {len(cells)} cells but the header has {width}; a column is shifted "
                "(an unquoted delimiter or a lost quote)",
                start,
                index,
            )
        else:
            yield CsvRow(dict(zip(header, cells, strict=True)), start, index)
        index += 1

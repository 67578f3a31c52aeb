"""ParseReport: the exact account of what was read, parsed, failed and merged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..records import ParseFailure

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ParseReport", "ParseWarningRecord"]


@dataclass(frozen=True)
class ParseWarningRecord:
    source: str
    code: str
    message: str


@dataclass
class ParseReport:
    """Counts and failures of one read. ``n_read == n_parsed + n_failed`` always.

    ``n_merged`` counts parsed records that were merged into an earlier record
    with the same id (overlapping exports); a corpus therefore holds
    ``n_parsed - n_merged`` interactions.

    Attributes:
        n_read: records read (each parsed or failed).
        n_parsed: records parsed into an Interaction.
        n_failed: records that could not be parsed.
        n_merged: parsed records merged into an earlier one with the same id.
        n_files: input files opened.
        failure_records: every ParseFailure, unless ``on_error="ignore"``.
        warnings: warnings raised while reading (naive times, encodings, merges).
        formats: records read per detected format.
        merged_ids: ids that occurred more than once.
    """

    n_read: int = 0
    n_parsed: int = 0
    n_failed: int = 0
    n_merged: int = 0
    n_files: int = 0
    failure_records: list[ParseFailure] = field(default_factory=list)
    warnings: list[ParseWarningRecord] = field(default_factory=list)
    formats: Counter[str] = field(default_factory=Counter)
    merged_ids: list[str] = field(default_factory=list)
    keep_failures: bool = True

    def add_failure(self, failure: ParseFailure) -> None:
        self.n_read += 1
        self.n_failed += 1
        if self.keep_failures:
            self.failure_records.append(failure)

    def add_parsed(self, fmt: str) -> None:
        self.n_read += 1
        self.n_parsed += 1
        self.formats[fmt] += 1

    @property
    def failures(self) -> pd.DataFrame:
        """One row per failure: source, format, location, line, offset, index, reason, message."""
        import pandas as pd

        rows = [
            {
                "source": f.source,
                "format": f.format,
                "location": f.location,
                "line": f.line,
                "offset": f.offset,
                "index": f.index,
                "reason": f.reason.value,
                "message": f.message,
            }
            for f in self.failure_records
        ]
        columns = ["source", "format", "location", "line", "offset", "index", "reason", "message"]
        frame = pd.DataFrame(rows, columns=columns)
        for col in ("line", "offset", "index"):
            frame[col] = frame[col].astype("Int64")
        for col in ("source", "format", "location", "reason", "message"):
            frame[col] = frame[col].astype("string")
        return frame

    @property
    def is_consistent(self) -> bool:
        return self.n_read == self.n_parsed + self.n_failed

    @property
    def failure_rate(self) -> float:
        return self.n_failed / self.n_read if self.n_read else 0.0

    def merge(self, other: ParseReport) -> ParseReport:
        """The report of two reads combined (used by ``Corpus + Corpus``)."""
        return ParseReport(
            n_read=self.n_read + other.n_read,
            n_parsed=self.n_parsed + other.n_parsed,
            n_failed=self.n_failed + other.n_failed,
            n_merged=self.n_merged + other.n_merged,
            n_files=self.n_files + other.n_files,
            failure_records=self.failure_records + other.failure_records,
            warnings=self.warnings + other.warnings,
            formats=self.formats + other.formats,
            merged_ids=self.merged_ids + other.merged_ids,
        )

    def summary(self) -> dict[str, Any]:
        """Counts as a plain dict (reason counts included), for logs and reports."""
        return {
            "n_files": self.n_files,
            "n_read": self.n_read,
            "n_parsed": self.n_parsed,
            "n_failed": self.n_failed,
            "n_merged": self.n_merged,
            "formats": dict(sorted(self.formats.items())),
            "failures_by_reason": dict(sorted(Counter(f.reason.value for f in self.failure_records).items())),
            "warnings": len(self.warnings),
        }

    def __repr__(self) -> str:
        return (
            f"ParseReport(n_files={self.n_files}, n_read={self.n_read}, n_parsed={self.n_parsed}, "
            f"n_failed={self.n_failed}, n_merged={self.n_merged})"
        )

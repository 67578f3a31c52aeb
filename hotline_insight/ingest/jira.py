"""Jira Service Management issues from the data pipeline CSV (``issues_job<id>_<ts>.csv``).

Mapping (documented decisions):

* ``id`` (the numeric issue id, which stays the same when an issue moves
  between projects) -> ``id``; ``key`` (``HELP-123``) when there is no id.
  ``key``, ``url``, ``project_key``, ``project_type`` and every other column
  go to ``meta`` under their header name.
* ``summary`` -> ``subject``; ``description`` is turn 0 (role customer,
  speaker the reporter, at ``created_date``). The export writes embedded
  line breaks as the two characters backslash-n (``\\n``; also ``\\r\\n``):
  they become real newlines. A literal backslash-n the author typed is
  indistinguishable and becomes a newline too.
* The export cuts descriptions at 2,000 characters: when the cell (as
  written, or after unescaping) is exactly 2,000 characters long,
  ``meta["description_truncated"]`` is True (a description of exactly 2,000
  characters is flagged too; the export gives no other sign).
* ``reporter_id`` -> ``customer_id``; ``assignee_id`` -> ``agent_id``.
* ``status``, ``priority_name`` -> ``priority``; ``issue_type`` -> ``category``
  (and ``meta["issue_type"]``); ``status_category``, ``resolution``,
  ``due_date`` -> ``meta``.
* ``created_date`` -> ``created_at``; ``updated_date`` -> ``updated_at``;
  ``resolution_date`` -> ``resolved_at``. Channel "ticket".
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ..errors import ParseFailureReason
from ..records import Interaction, Turn, make_interaction, make_turn
from ._base import FieldError, ParseContext, Parser, ParserResult, register
from ._source import SourceFile
from ._tickets import DateCache, cell, column_map, csv_records, read_fields, sniff_header

__all__ = ["JiraServiceManagementParser"]

TRUNCATED_AT = 2000

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "issue_id"),
    "key": ("key", "issue_key"),
    "summary": ("summary",),
    "description": ("description",),
    "reporter_id": ("reporter_id", "reporter_account_id"),
    "assignee_id": ("assignee_id", "assignee_account_id"),
    "status": ("status", "status_name"),
    "priority_name": ("priority_name", "priority"),
    "issue_type": ("issue_type", "issue_type_name"),
    "created_date": ("created_date", "created"),
    "updated_date": ("updated_date", "updated"),
    "resolution_date": ("resolution_date", "resolved"),
}
# kept in meta under these names (read with the missing-value markers applied)
_META = (
    "key",
    "issue_type",
    "status_category",
    "resolution",
    "due_date",
    "project_key",
    "project_type",
    "url",
)


def unescape(text: str) -> str:
    r"""The export's ``\n`` (and ``\r\n``) escapes as real newlines.

    Examples:
        >>> unescape("Line one\\nLine two")
        'Line one\nLine two'
    """
    if "\\" not in text:
        return text
    return text.replace("\\r\\n", "\n").replace("\\n", "\n")


class _Layout:
    def __init__(self, columns: list[str]) -> None:
        self.cols = column_map(columns, FIELDS)
        self.pairs = list(self.cols.items())
        meta_cols = column_map(columns, {name: (name,) for name in _META})
        self.meta = list(meta_cols.items())
        used = set(self.cols.values()) | set(meta_cols.values())
        self.extra = [c for c in columns if c not in used]


@register
class JiraServiceManagementParser(Parser):
    """Jira Service Management data pipeline issues CSV."""

    name = "jira_sm"
    family = "jira"
    label = "Jira Service Management issues (data pipeline CSV)"
    channel = "ticket"
    extensions = (".csv",)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        cells = sniff_header(src.head_text())
        if {"project_key", "issue_type", "summary"} <= cells:
            return 0.9
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        yield from csv_records(src, ctx, _Layout, partial(self._row, ctx, DateCache(ctx)))

    def _row(
        self, ctx: ParseContext, dates: DateCache, values: dict[str, str], line: int, index: int, lay: _Layout
    ) -> Interaction:
        f = read_fields(values, lay.pairs).get
        issue_id = f("id") or f("key")
        if issue_id is None:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD, "required field 'id' (or 'key') is missing or empty"
            )
        reporter = f("reporter_id")
        created = dates(f("created_date"))
        meta: dict[str, Any] = {}
        for name, column in lay.meta:
            value = cell(values, column)
            if value is not None:
                meta[name] = value
        raw = f("description")
        turns: tuple[Turn, ...] = ()
        if raw is not None:
            text = unescape(raw)
            if (
                len(raw) == TRUNCATED_AT
                or len(text) == TRUNCATED_AT
                or len(values[lay.cols["description"]]) == TRUNCATED_AT
            ):
                meta["description_truncated"] = True
            turns = (make_turn(position=0, role="customer", speaker=reporter, text=text.strip(), at=created),)
        for column in lay.extra:
            value = values[column]
            if value != "":
                meta[column] = value
        return make_interaction(
            id=issue_id,
            source=ctx.ref(line=line, index=index),
            channel=ctx.channel("ticket"),
            created_at=created,
            updated_at=dates(f("updated_date")),
            resolved_at=dates(f("resolution_date")),
            customer_id=reporter,
            agent_id=f("assignee_id"),
            subject=f("summary"),
            turns=turns,
            category=f("issue_type"),
            status=f("status"),
            priority=f("priority_name"),
            meta=meta,
        )

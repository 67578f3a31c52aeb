"""Reports: a document model of typed blocks, and its HTML, Markdown and JSON writers.

Build a :class:`Report` from :class:`Section` objects holding blocks (text,
headline figures, tables, charts, quotes, recommendations, callouts); write
it with ``report.write("out/2026Q3.html")`` (``.md`` and ``.json`` too), or
show it in a notebook (``_repr_html_``). See :mod:`.document` for the blocks,
:mod:`.charts` for the SVG charts, :mod:`.html`, :mod:`.markdown` and
:mod:`.serialize` for the writers.

Output is safe and reproducible: all text is escaped for where it goes (no
caller text is ever markup), a PII guard redacts every text once more before
it is written, the HTML page runs no script and loads nothing, and the same
report gives the same bytes (only ``generated_at`` is a time).

Examples:
    >>> import datetime as dt
    >>> from hotline_insight.report import BarChart, Report, Section
    >>> report = Report(
    ...     title="Quarterly insight report",
    ...     generated_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC),
    ...     sections=[Section(id="themes", title="Recurring grievances", blocks=[
    ...         BarChart(title="Grievances by theme", categories=["Support fee", "Caller ID fee"], values=[412, 57]),
    ...     ])],
    ... )
    >>> sorted(report.chart_files())
    ['themes-1.svg']
"""

from __future__ import annotations

from .document import (
    BarChart,
    Block,
    Callout,
    Chart,
    Column,
    Effect,
    Figure,
    Figures,
    Format,
    Heading,
    Heatmap,
    LineChart,
    Marker,
    Paragraph,
    Quote,
    Recommendation,
    Report,
    Section,
    Series,
    Span,
    Sparkline,
    StackedBarChart,
    Table,
    em,
    strong,
)
from .serialize import json_schema

__all__ = [
    "BarChart",
    "Block",
    "Callout",
    "Chart",
    "Column",
    "Effect",
    "Figure",
    "Figures",
    "Format",
    "Heading",
    "Heatmap",
    "LineChart",
    "Marker",
    "Paragraph",
    "Quote",
    "Recommendation",
    "Report",
    "Section",
    "Series",
    "Span",
    "Sparkline",
    "StackedBarChart",
    "Table",
    "em",
    "json_schema",
    "strong",
]

"""The HTML writer: one self-contained page, safe to open, with no script and no network.

The page holds its CSS in one ``<style>`` element and its charts as inline
SVG. A Content-Security-Policy ``<meta>`` (the first element of ``<head>``)
forbids every script, plugin, frame, form target, base URL and network
request; the only thing it allows is that one stylesheet, by its SHA-256
hash, so even an injected ``style`` attribute does nothing. All text goes
through :func:`~hotline_insight.report._escape.html_text`; the only links are
fragment links (``#...``) to the page's own sections and quotes, built from
ids we derive.

Examples:
    >>> import datetime as dt
    >>> from hotline_insight.report import Paragraph, Report, Section
    >>> r = Report(title="<b>Q3</b>", generated_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    ...            sections=[Section(id="s", title="Summary", blocks=[Paragraph.of("<script>x</script>")])])
    >>> page = render_html(r)
    >>> "<script" in page, "&lt;script&gt;x&lt;/script&gt;" in page, "script-src 'none'" in page
    (False, True, True)
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from ._escape import anchor, html_text
from ._guard import guard
from .charts import render_chart, sparkline_svg
from .document import (
    BarChart,
    Callout,
    Figure,
    Figures,
    Heading,
    Heatmap,
    LineChart,
    Paragraph,
    Quote,
    Recommendation,
    Report,
    Span,
    Sparkline,
    StackedBarChart,
    Table,
)

__all__ = ["content_security_policy", "page", "render_html", "stylesheet"]

_CHANNEL_NAMES = {
    "call": "Call",
    "chat": "Chat",
    "email": "E-mail",
    "ticket": "Ticket",
    "social": "Social post",
}
_DOT = " \u00b7 "
_ARROWS = {"up": ("\u25b2", "up"), "down": ("\u25bc", "down"), "flat": ("\u25ac", "no change")}


@functools.cache
def stylesheet() -> str:
    """The report's CSS (every rule scoped to ``.hi-report``)."""
    return resources.files("hotline_insight.report").joinpath("report.css").read_text(encoding="utf-8")


def content_security_policy() -> str:
    """The page's Content-Security-Policy: nothing but its own stylesheet may load or run.

    Examples:
        >>> policy = content_security_policy()
        >>> policy.startswith("default-src 'none'; script-src 'none'; style-src 'sha256-")
        True
    """
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; script-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render_html(report: Report, *, fragment: bool = False) -> str:
    """Render a report as a complete HTML page, or as an embeddable ``<div>`` (for notebooks).

    The report goes through the PII guard first (see :class:`Report`).

    Args:
        report: the report.
        fragment: return ``<div class="hi-report">`` with its ``<style>``
            instead of a page (a CSP ``<meta>`` has no effect outside a page's
            ``<head>``, so it is left out).

    Returns:
        The HTML text (a page ends with a newline).
    """
    return page(guard(report), fragment=fragment)


def page(report: Report, *, fragment: bool = False) -> str:
    """:func:`render_html` for a report that has been through the guard."""
    body = _Body(report).render()
    if fragment:
        return f'<div class="hi-report"><style>{stylesheet()}</style>\n{body}</div>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="hotline_insight">\n'
        f"<title>{html_text(report.title)}</title>\n"
        f"<style>{stylesheet()}</style>\n"
        '</head>\n<body class="hi-page">\n'
        f'<div class="hi-report">\n{body}</div>\n'
        "</body>\n</html>\n"
    )


def _multiline(text: str) -> str:
    return "<br>".join(html_text(line) for line in text.split("\n"))


def _spans(spans: Sequence[Span]) -> str:
    out = []
    for span in spans:
        text = _multiline(span.text)
        out.append(f"<{span.style}>{text}</{span.style}>" if span.style != "plain" else text)
    return "".join(out)


class _Body:
    """Renders the inside of ``<div class="hi-report">``; tracks ids so each is used once."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.quote_anchors: dict[str, str] = {}
        for section in report.sections:
            for block in section.blocks:
                if isinstance(block, Quote) and block.interaction_id not in self.quote_anchors:
                    self.quote_anchors[block.interaction_id] = anchor(block.interaction_id)
        self.placed: set[str] = set()

    def render(self) -> str:
        r = self.report
        generated = r.generated_at.strftime("%Y-%m-%d %H:%M UTC")
        head = [f'<header class="hi-head">\n<h1>{html_text(r.title)}</h1>']
        if r.subtitle:
            head.append(f'<p class="hi-subtitle">{html_text(r.subtitle)}</p>')
        head.append(f'<p class="hi-generated">Generated {generated}</p>\n</header>')
        toc = ['<nav class="hi-toc" aria-label="Contents">\n<h2>Contents</h2>\n<ol>']
        toc.extend(f'<li><a href="#s-{s.id}">{html_text(s.title)}</a></li>' for s in r.sections)
        toc.append("</ol>\n</nav>")
        parts = ["\n".join(head), "\n".join(toc), "<main>"]
        for number, section in enumerate(r.sections, start=1):
            parts.append(self._section(number, section))
        parts.append("</main>")
        parts.append(
            '<footer class="hi-foot">Generated by hotline_insight. Customer text is redacted; '
            "quotes are identified by interaction id only.</footer>"
        )
        return "\n".join(parts) + "\n"

    def _section(self, number: int, section: Any) -> str:
        out = [
            f'<section class="hi-section" id="s-{section.id}" aria-labelledby="s-{section.id}-h">',
            f'<h2 id="s-{section.id}-h"><span class="hi-num">{number}</span>{html_text(section.title)}</h2>',
        ]
        chart_ids = {id(block): uid for uid, block in section.charts()}
        rec_number = 0
        quotes: list[str] = []
        for block in section.blocks:
            if isinstance(block, Quote):
                quotes.append(self._quote(block))
                continue
            if quotes:
                out.append(self._quote_group(quotes))
                quotes = []
            if isinstance(block, Recommendation):
                rec_number += 1
                out.append(self._recommendation(block, rec_number))
            elif isinstance(block, Sparkline | BarChart | LineChart | Heatmap | StackedBarChart):
                out.append(self._chart(block, "c-" + chart_ids[id(block)]))
            else:
                out.append(self._block(block))
        if quotes:
            out.append(self._quote_group(quotes))
        out.append("</section>")
        return "\n".join(out)

    def _block(self, block: Any) -> str:
        if isinstance(block, Heading):
            return f"<h{block.level}>{html_text(block.text)}</h{block.level}>"
        if isinstance(block, Paragraph):
            return f"<p>{_spans(block.spans)}</p>"
        if isinstance(block, Callout):
            title = f'<p class="hi-callout-title">{html_text(block.title)}</p>' if block.title else ""
            return (
                f'<aside class="hi-callout hi-callout-{block.tone}" role="note">{title}'
                f"<p>{_spans(block.spans)}</p></aside>"
            )
        if isinstance(block, Figures):
            return '<div class="hi-figures">\n' + "\n".join(_figure(f) for f in block.items) + "\n</div>"
        if isinstance(block, Table):
            return _table(block)
        raise TypeError(f"no HTML renderer for block kind {type(block).__name__}")  # pragma: no cover

    def _chart(self, chart: Any, uid: str) -> str:
        caption = f"<figcaption>{_multiline(chart.caption)}</figcaption>" if chart.caption else ""
        return f'<figure class="hi-chart">\n{render_chart(chart, uid=uid)}\n{caption}</figure>'

    def _quote(self, quote: Quote) -> str:
        ident = self.quote_anchors[quote.interaction_id]
        id_attr = ""
        if ident not in self.placed:
            self.placed.add(ident)
            id_attr = f' id="{ident}"'
        meta = []
        if quote.theme:
            meta.append(f'<span class="hi-q-theme">{html_text(quote.theme)}</span>')
        if quote.channel:
            meta.append(_CHANNEL_NAMES[quote.channel])
        if quote.date:
            meta.append(quote.date.isoformat())
        if quote.product:
            meta.append(html_text(quote.product))
        meta.append(f'<span class="hi-id">{html_text(quote.interaction_id)}</span>')
        return (
            f'<figure class="hi-quote"{id_attr}>\n<blockquote><p>{_multiline(quote.text)}</p></blockquote>\n'
            f"<figcaption>{_DOT.join(meta)}</figcaption>\n</figure>"
        )

    @staticmethod
    def _quote_group(quotes: list[str]) -> str:
        return '<div class="hi-quotes">\n' + "\n".join(quotes) + "\n</div>"

    def _recommendation(self, rec: Recommendation, number: int) -> str:
        kind = "Policy" if rec.target_kind == "policy" else "Product"
        out = [
            '<article class="hi-rec">',
            f'<span class="hi-rec-num" aria-hidden="true">{number}</span>',
            f'<p class="hi-rec-target"><span class="hi-badge hi-badge-{rec.target_kind}">{kind}</span>'
            f'<span class="hi-rec-name">{html_text(rec.target_name)}</span> '
            f'<span class="hi-id">{html_text(rec.target_id)}</span></p>',
            f'<p class="hi-rec-action">{_multiline(rec.action)}</p>',
        ]
        if rec.rationale:
            out.append(f'<p class="hi-rec-why">{_multiline(rec.rationale)}</p>')
        out.append('<ul class="hi-effects">')
        out.extend(
            f"<li><strong>{html_text(e.format.display(e.value))}</strong>{html_text(e.label)}</li>"
            for e in rec.effects
        )
        out.append("</ul>")
        if rec.evidence:
            out.append(f'<p class="hi-evidence">Evidence: {", ".join(self._evidence(rec.evidence))}</p>')
        out.append("</article>")
        return "\n".join(out)

    def _evidence(self, ids: Iterable[str]) -> list[str]:
        links = []
        for ident in ids:
            target = self.quote_anchors.get(ident)
            text = f'<span class="hi-id">{html_text(ident)}</span>'
            links.append(f'<a href="#{target}">{text}</a>' if target else text)
        return links


def _figure(fig: Figure) -> str:
    out = [
        '<div class="hi-figure">',
        f'<p class="hi-fig-label">{html_text(fig.label)}</p>',
        f'<p class="hi-fig-value">{html_text(fig.format.display(fig.value))}</p>',
    ]
    if fig.change is not None and fig.direction is not None:
        arrow, word = _ARROWS[fig.direction]
        tone = "hi-neutral"
        if fig.better is not None and fig.direction != "flat":
            tone = "hi-good" if fig.direction == fig.better else "hi-bad"
        previous = ""
        if fig.previous is not None:
            previous = f' <span class="hi-fig-prev">from {html_text(fig.format.display(fig.previous))}</span>'
        out.append(
            f'<p class="hi-fig-change {tone}"><span aria-hidden="true">{arrow}</span>'
            f'<span class="hi-sr">{word}</span> {html_text(fig.change_format.display(fig.change))}{previous}</p>'
        )
    elif fig.previous is not None:
        out.append(
            f'<p class="hi-fig-change hi-neutral"><span class="hi-fig-prev">previously '
            f"{html_text(fig.format.display(fig.previous))}</span></p>"
        )
    if fig.note:
        out.append(f'<p class="hi-fig-note">{_multiline(fig.note)}</p>')
    out.append("</div>")
    return "\n".join(out)


_RIGHT = ' class="hi-r"'


def _table(table: Table) -> str:
    right = [c.format.kind not in ("text", "sparkline") for c in table.columns]
    out = ['<div class="hi-table-wrap">', '<table class="hi-table">']
    if table.caption:
        out.append(f"<caption>{html_text(table.caption)}</caption>")
    head = "".join(
        f'<th scope="col"{_RIGHT if r else ""}>{html_text(c.label)}</th>'
        for c, r in zip(table.columns, right, strict=True)
    )
    out.append(f"<thead><tr>{head}</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        cells = []
        for column, value, is_right in zip(table.columns, row, right, strict=True):
            classes = ["hi-r"] if is_right else []
            if value is None:
                classes.append("hi-na")
                content = '<span title="no value">\u2013</span>'
            elif column.format.kind == "sparkline":
                classes.append("hi-sparkcell")
                label = f"{column.label}, {row[0]}" if isinstance(row[0], str) else column.label
                content = sparkline_svg(value, column.format, label=label)  # type: ignore[arg-type]
            elif column.format.kind == "text":
                content = _multiline(str(value))
            else:
                content = html_text(column.format.display(value))
            cls = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{cls}>{content}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody>\n</table>")
    notes = []
    if table.total_rows is not None and table.total_rows > len(table.rows):
        notes.append(f"Showing {len(table.rows):,} of {table.total_rows:,} rows.")
    if table.note:
        notes.append(_multiline(table.note))
    if notes:
        out.append(f'<p class="hi-table-note">{" ".join(notes)}</p>')
    out.append("</div>")
    return "\n".join(out)

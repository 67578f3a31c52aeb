"""Charts as deterministic inline SVG, drawn by our own code (no JavaScript, nothing loaded).

Each chart block of the document model becomes one ``<svg>`` element with an
accessible name and description (``<title>``/``<desc>``, referenced by
``aria-labelledby``), its title drawn at the top, axes with round ticks,
labelled values, and a colour-blind-safe palette (Okabe and Ito's eight
colours; lines also differ by dash pattern, so colour is never the only cue).
Heatmaps use a light-to-dark blue scale (blue to orange through white when
values fall on both sides of zero) with a legend.

Output depends only on the chart: coordinates are rounded to one decimal,
numbers go through :mod:`hotline_insight.report._format`, ids come from the
caller (the chart's position in the report). Text widths are estimated from
character classes, so long labels are cut with an ellipsis (the full label
stays in a tooltip ``<title>``), never measured by a browser.

Examples:
    >>> from hotline_insight.report import BarChart
    >>> svg = render_chart(BarChart(title="Grievances by theme", categories=["Fees", "Waits"],
    ...                             values=[312, 210]), uid="themes-1")
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'), 'aria-labelledby="themes-1-t themes-1-d"' in svg
    (True, True)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Final

from ._escape import html_text, one_line
from ._format import format_tick, nice_ticks
from .document import BarChart, Chart, Format, Heatmap, LineChart, Sparkline, StackedBarChart

__all__ = ["PALETTE", "describe", "render_chart", "sparkline_svg"]

PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
"""Okabe-Ito colours, most distinct on white first; series use them in this order."""
_DASHES: Final = ("", "7 3", "2 3", "9 3 2 3", "4 4", "1 3", "12 4", "5 2 1 2")
_BASE: Final = "#0072B2"
_ACCENT: Final = "#D55E00"
_INK: Final = "#1f2328"
_MUTED: Final = "#57606a"
_GRID: Final = "#e3e6ea"
_AXIS: Final = "#8c959f"
_MISSING_FILL: Final = "#eef0f2"
_FONT: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_WIDTH: Final = 840
_PAD: Final = 10
_TITLE_H: Final = 30

# light to dark blue (sequential); blue - white - orange (diverging); all readable with colour-vision deficiency
_SEQUENTIAL: Final = ("#f2f6fb", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
_DIVERGING: Final = ("#0b4f8a", "#6fa8d6", "#f5f5f5", "#f4a259", "#a84c05")

_UID = re.compile(r"[a-z][a-z0-9-]{0,80}")


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate: one decimal at most, no '-0'."""
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text in ("-0", "-0.0") else text


_NARROW = frozenset("iljtfr.,:;'|!()[] ")
_WIDE = frozenset("mwMW@%")


def _width(text: str, size: float) -> float:
    """Estimated rendered width of text in px, on the wide side (DejaVu Sans, Linux's usual sans-serif)."""
    total = 0.0
    for ch in text:
        if ch in _NARROW:
            total += 0.33
        elif ch in _WIDE:
            total += 0.92
        elif ch.isupper():
            total += 0.7
        elif ch.isdigit():
            total += 0.64
        else:
            total += 0.59
    return total * size


def _fit(text: str, max_px: float, size: float) -> tuple[str, bool]:
    """Cut text to fit ``max_px`` (adding an ellipsis); also says whether it was cut."""
    text = one_line(text)
    if _width(text, size) <= max_px:
        return text, False
    while text and _width(text + "\u2026", size) > max_px:
        text = text[:-1]
    return text.rstrip() + "\u2026", True


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = _INK,
    weight: str | None = None,
    max_px: float | None = None,
    rotate: float | None = None,
) -> str:
    shown, cut = _fit(text, max_px, size) if max_px is not None else (one_line(text), False)
    attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if rotate is not None:
        attrs += f' transform="rotate({_n(rotate)} {_n(x)} {_n(y)})"'
    tip = f"<title>{html_text(one_line(text))}</title>" if cut else ""
    return f"<text {attrs}>{tip}{html_text(shown)}</text>"


def _line(
    x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float = 1, dash: str = ""
) -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        f'stroke-width="{_n(width)}"{extra}/>'
    )


def _rect(
    x: float, y: float, w: float, h: float, *, fill: str, tip: str | None = None, extra: str = ""
) -> str:
    body = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}"{extra}'
    if tip is None:
        return f"<rect {body}/>"
    return f"<rect {body}><title>{html_text(tip)}</title></rect>"


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _ramp(stops: Sequence[str], t: float) -> str:
    """The colour at ``t`` in [0, 1] along evenly spaced stops (linear in sRGB)."""
    t = min(1.0, max(0.0, t))
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    f = pos - i
    a, b = _rgb(stops[i]), _rgb(stops[i + 1])
    return _hex((a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f))


def _is_dark(colour: str) -> bool:
    """Whether white text reads better than dark text on this colour (WCAG relative luminance)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.3


def _fmt(fmt: Format, value: float) -> str:
    return fmt.number(value)


def _ticks(low: float, high: float, fmt: Format, target: int = 5) -> list[float]:
    return nice_ticks(low, high, target, integer=fmt.kind == "int")


def _tick_label(value: float, ticks: Sequence[float], fmt: Format) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return format_tick(value, fmt.kind, step, currency=fmt.currency)


def _open(uid: str, width: float, height: float, title: str, desc: str, standalone: bool) -> list[str]:
    if not _UID.fullmatch(uid):
        raise ValueError(f"chart uid must match {_UID.pattern}")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return [
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{_FONT}" class="hi-svg">',
        f'<title id="{uid}-t">{html_text(title)}</title><desc id="{uid}-d">{html_text(desc)}</desc>',
        _rect(0, 0, width, height, fill="#ffffff"),
        _text(0, 19, title, size=15, weight="600", max_px=width),
    ]


def _no_data(width: float, y: float) -> str:
    return _text(width / 2, y, "No data", size=13, anchor="middle", fill=_MUTED)


def _legend(
    items: Sequence[tuple[str, str, str]], top: float, width: float, *, lines: bool
) -> tuple[list[str], float]:
    """Legend entries (name, colour, dash) wrapped into rows; returns the parts and the height used."""
    parts: list[str] = []
    x, y, row_h = 0.0, top + 12, 18.0
    for name, colour, dash in items:
        label, _ = _fit(name, 200, 12)
        w = 22 + _width(label, 12) + 16
        if x > 0 and x + w > width:
            x, y = 0.0, y + row_h
        if lines:
            parts.append(_line(x, y - 4, x + 16, y - 4, stroke=colour, width=2.5, dash=dash))
        else:
            parts.append(_rect(x, y - 10, 12, 12, fill=colour))
        parts.append(_text(x + 22, y, name, size=12, fill=_INK, max_px=200))
        x += w
    return parts, (y - top) + 8


def _summary(values: Sequence[float | None], fmt: Format) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "no data"
    return f"from {_fmt(fmt, present[0])} to {_fmt(fmt, present[-1])}, lowest {_fmt(fmt, min(present))}, highest {_fmt(fmt, max(present))}"


def _listing(pairs: Sequence[tuple[str, float | None]], fmt: Format, limit: int = 12) -> str:
    shown = [f"{label}: {'no data' if v is None else _fmt(fmt, v)}" for label, v in pairs[:limit]]
    more = f"; and {len(pairs) - limit} more" if len(pairs) > limit else ""
    return "; ".join(shown) + more


def describe(chart: Chart) -> str:
    """A plain-text description of a chart's data, for screen readers (used when none is given).

    Examples:
        >>> from hotline_insight.report import BarChart
        >>> describe(BarChart(title="t", categories=["Fees", "Waits"], values=[312, None]))
        'Bar chart of 2 categories. Fees: 312; Waits: no data.'
    """
    fmt = chart.value_format
    if isinstance(chart, Sparkline):
        return f"Trend of {len(chart.values)} values, {_summary(chart.values, fmt)}."
    if isinstance(chart, BarChart):
        pairs = list(zip(chart.categories, chart.values, strict=True))
        return f"Bar chart of {len(pairs)} categories. {_listing(pairs, fmt)}."
    if isinstance(chart, LineChart):
        labels = chart.x_labels or tuple(str(x) for x in chart.x)
        lines = "; ".join(f"{s.name} {_summary(s.values, fmt)}" for s in chart.series[:8])
        more = f"; and {len(chart.series) - 8} more series" if len(chart.series) > 8 else ""
        marks = "".join(f" Marker at {m.x}: {m.label}." for m in chart.markers)
        return (
            f"Line chart of {len(chart.series)} series over {len(labels)} points, {labels[0]} to {labels[-1]}. "
            f"{lines}{more}.{marks}"
        )
    if isinstance(chart, Heatmap):
        cells = [
            (r, c, v)
            for r, row in zip(chart.rows, chart.values, strict=True)
            for c, v in zip(chart.columns, row, strict=True)
        ]
        present = [cell for cell in cells if cell[2] is not None]
        text = f"Heatmap of {len(chart.rows)} rows by {len(chart.columns)} columns."
        if present:
            top = sorted(present, key=lambda cell: -(cell[2] or 0.0))[:3]
            text += " Highest: " + "; ".join(f"{r} and {c}: {_fmt(fmt, v or 0.0)}" for r, c, v in top) + "."
        return text
    totals = [
        sum(v for v in values if v is not None)
        for values in zip(*(s.values for s in chart.series), strict=True)
    ]
    pairs = list(zip(chart.categories, totals, strict=True))
    names = ", ".join(s.name for s in chart.series)
    return f"Stacked bar chart of {len(pairs)} categories, segments {names}. Totals: {_listing(pairs, fmt)}."


# ---------------------------------------------------------------------------
# the charts
# ---------------------------------------------------------------------------


def render_chart(chart: Chart, *, uid: str, standalone: bool = False) -> str:
    """One chart as an SVG element (``standalone``: a complete SVG file with an XML declaration).

    Args:
        chart: the chart block.
        uid: a unique id in the page (``[a-z][a-z0-9-]*``); the accessible
            title and description get ids ``<uid>-t`` and ``<uid>-d``.
        standalone: write a file that stands alone (for Markdown reports).

    Returns:
        The SVG markup.
    """
    desc = chart.description or describe(chart)
    if isinstance(chart, Sparkline):
        return _sparkline_block(chart, uid, desc, standalone)
    if isinstance(chart, BarChart):
        return _bar(chart, uid, desc, standalone)
    if isinstance(chart, LineChart):
        return _linechart(chart, uid, desc, standalone)
    if isinstance(chart, Heatmap):
        return _heatmap(chart, uid, desc, standalone)
    return _stacked(chart, uid, desc, standalone)


def sparkline_svg(
    values: Sequence[float | None], fmt: Format, *, label: str, width: int = 96, height: int = 24
) -> str:
    """A small inline trend line (for table cells): no axes, the last point marked.

    Examples:
        >>> svg = sparkline_svg([1, 3, None, 4], Format(kind="int"), label="Fees")
        >>> svg.count("<path"), 'aria-label="Fees: 1, 3, no data, 4"' in svg
        (1, True)
    """
    spoken = ", ".join("no data" if v is None else _fmt(fmt, v) for v in values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{html_text(one_line(label))}: {html_text(spoken)}" class="hi-spark">'
    ]
    parts.extend(_trend(values, 2, 3, width - 4, height - 6, stroke=_BASE, width=1.5, last_dot=True))
    parts.append("</svg>")
    return "".join(parts)


def _trend(
    values: Sequence[float | None],
    x0: float,
    y0: float,
    w: float,
    h: float,
    *,
    stroke: str,
    width: float,
    last_dot: bool,
) -> list[str]:
    present = [v for v in values if v is not None]
    if not present:
        return []
    lo, hi = min(present), max(present)
    span = hi - lo
    n = len(values)

    def px(i: int) -> float:
        return x0 + (w * i / (n - 1) if n > 1 else w / 2)

    def py(v: float) -> float:
        return y0 + h / 2 if span == 0 else y0 + h - (v - lo) / span * h

    parts: list[str] = []
    path: list[str] = []
    run = 0
    for i, v in enumerate(values):
        if v is None:
            run = 0
            continue
        path.append(f"{'L' if run else 'M'}{_n(px(i))} {_n(py(v))}")
        run += 1
    parts.append(
        f'<path d="{" ".join(path)}" fill="none" stroke="{stroke}" stroke-width="{_n(width)}" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
    )
    if last_dot:
        i = max(j for j, v in enumerate(values) if v is not None)
        last = values[i]
        assert last is not None
        parts.append(f'<circle cx="{_n(px(i))}" cy="{_n(py(last))}" r="2.5" fill="{stroke}"/>')
    return parts


def _sparkline_block(chart: Sparkline, uid: str, desc: str, standalone: bool) -> str:
    width, height = 360.0, 76.0
    parts = _open(uid, width, height, chart.title, desc, standalone)
    present = [v for v in chart.values if v is not None]
    if present:
        parts.extend(_trend(chart.values, 4, 34, 250, 34, stroke=_BASE, width=2, last_dot=True))
        parts.append(_text(266, 58, _fmt(chart.value_format, present[-1]), size=15, weight="600"))
    else:
        parts.append(_no_data(width, 56))
    parts.append("</svg>")
    return "\n".join(parts)


def _bar(chart: BarChart, uid: str, desc: str, standalone: bool) -> str:
    fmt = chart.value_format
    width = float(_WIDTH)
    row_h, bar_h = 26.0, 16.0
    present = [v for v in chart.values if v is not None]
    labels = [_fmt(fmt, v) if v is not None else "no data" for v in chart.values]
    label_w = min(max(_width(c, 12) for c in chart.categories) + 8, 250.0)
    value_w = max(44.0, max(_width(t, 11) for t in labels) + 10)
    x0 = _PAD + label_w + 8
    x1 = width - _PAD - value_w
    top = _TITLE_H + 8
    bottom = top + row_h * len(chart.categories)
    height = bottom + 24 + (20 if chart.x_label else 0) + _PAD
    parts = _open(uid, width, height, chart.title, desc, standalone)
    ticks = _ticks(min([0.0, *present]), max([0.0, *present]), fmt) if present else [0.0, 1.0]
    lo, hi = ticks[0], ticks[-1]

    def sx(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    for t in ticks:
        parts.append(_line(sx(t), top - 2, sx(t), bottom, stroke=_GRID))
        parts.append(
            _text(sx(t), bottom + 15, _tick_label(t, ticks, fmt), size=11, anchor="middle", fill=_MUTED)
        )
    highlight = set(chart.highlight)
    for i, (category, value) in enumerate(zip(chart.categories, chart.values, strict=True)):
        y = top + i * row_h
        parts.append(_text(x0 - 8, y + row_h / 2 + 4, category, size=12, anchor="end", max_px=label_w))
        if value is None:
            parts.append(_text(sx(0) + 4, y + row_h / 2 + 4, "no data", size=11, fill=_MUTED))
            continue
        left, right = sorted((sx(0), sx(value)))
        colour = _ACCENT if category in highlight else _BASE
        parts.append(
            _rect(
                left,
                y + (row_h - bar_h) / 2,
                right - left,
                bar_h,
                fill=colour,
                tip=f"{category}: {labels[i]}",
            )
        )
        parts.append(_text(max(right, sx(0)) + 5, y + row_h / 2 + 4, labels[i], size=11, fill=_INK))
    if lo < 0:
        parts.append(_line(sx(0), top - 2, sx(0), bottom, stroke=_AXIS, width=1.2))
    if chart.x_label:
        parts.append(_text((x0 + x1) / 2, bottom + 34, chart.x_label, size=12, anchor="middle", fill=_MUTED))
    parts.append("</svg>")
    return "\n".join(parts)


def _x_positions(chart: LineChart, x0: float, x1: float) -> list[float]:
    n = len(chart.x)
    if chart.x_type == "time":
        days = [x.toordinal() for x in chart.x if isinstance(x, dt.date)]
        first, last = days[0], days[-1]
        if first == last:
            return [(x0 + x1) / 2]
        return [x0 + (d - first) / (last - first) * (x1 - x0) for d in days]
    if n == 1:
        return [(x0 + x1) / 2]
    return [x0 + i * (x1 - x0) / (n - 1) for i in range(n)]


def _marker_x(chart: LineChart, value: dt.date | str, xs: Sequence[float], x0: float, x1: float) -> float:
    if chart.x_type == "time" and isinstance(value, dt.date):
        first, last = chart.x[0], chart.x[-1]
        assert isinstance(first, dt.date) and isinstance(last, dt.date)
        if first == last:
            return xs[0]
        return x0 + (value.toordinal() - first.toordinal()) / (last.toordinal() - first.toordinal()) * (
            x1 - x0
        )
    return xs[list(chart.x).index(value)]


def _linechart(chart: LineChart, uid: str, desc: str, standalone: bool) -> str:
    fmt = chart.value_format
    width = float(_WIDTH)
    items = [
        (s.name, PALETTE[i % len(PALETTE)], _DASHES[i % len(_DASHES)]) for i, s in enumerate(chart.series)
    ]
    legend, legend_h = _legend(items, _TITLE_H, width - 2 * _PAD, lines=True)
    markers_h = 16.0 * len(chart.markers)
    present = [v for s in chart.series for v in s.values if v is not None]
    ticks = _ticks(min([0.0, *present]), max([0.0, *present]), fmt) if present else [0.0, 1.0]
    tick_labels = [_tick_label(t, ticks, fmt) for t in ticks]
    y_title_w = 18.0 if chart.y_label else 0.0
    x0 = _PAD + y_title_w + max(_width(t, 11) for t in tick_labels) + 8
    labels = list(chart.x_labels or [x.isoformat() if isinstance(x, dt.date) else x for x in chart.x])
    x1 = width - _PAD - max(12.0, _width(labels[-1], 11) / 2)
    top = _TITLE_H + legend_h + markers_h + 10
    plot_h = 230.0
    bottom = top + plot_h
    height = bottom + 26 + _PAD
    parts = _open(uid, width, height, chart.title, desc, standalone)
    parts.append(f'<g transform="translate({_PAD} 0)">')
    parts.extend(legend)
    parts.append("</g>")
    lo, hi = ticks[0], ticks[-1]

    def sy(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * plot_h

    for t, label in zip(ticks, tick_labels, strict=True):
        parts.append(_line(x0, sy(t), x1, sy(t), stroke=_AXIS if t == 0 else _GRID, width=1))
        parts.append(_text(x0 - 6, sy(t) + 4, label, size=11, anchor="end", fill=_MUTED))
    if chart.y_label:
        mid = (top + bottom) / 2
        parts.append(
            _text(
                _PAD + 10,
                mid,
                chart.y_label,
                size=12,
                anchor="middle",
                fill=_MUTED,
                rotate=-90,
                max_px=plot_h,
            )
        )
    # the first point sits clear of the y axis and its labels
    px0 = x0 + max(12.0, _width(labels[0], 11) / 2 + 2)
    xs = _x_positions(chart, px0, x1)
    # x labels: as many as fit without overlapping, always the first and the last
    widest = max(_width(label, 11) for label in labels) + 10
    room = (x1 - px0) / max(1, len(xs) - 1) if len(xs) > 1 else widest
    every = max(1, math.ceil(widest / room)) if room > 0 else 1
    shown = list(range(0, len(xs), every))
    if shown[-1] != len(xs) - 1:
        if xs[-1] - xs[shown[-1]] < widest:
            shown.pop()
        shown.append(len(xs) - 1)
    for i in shown:
        parts.append(
            _text(
                xs[i],
                bottom + 16,
                labels[i],
                size=11,
                anchor="middle",
                fill=_MUTED,
                max_px=max(room * every, 40),
            )
        )
    for k, m in enumerate(chart.markers):
        mx = _marker_x(chart, m.x, xs, px0, x1)
        label_y = top - 6 - 16 * (len(chart.markers) - 1 - k)
        parts.append(_line(mx, label_y + 3, mx, bottom, stroke=_MUTED, width=1.2, dash="4 3"))
        w = _width(m.label, 11)
        anchor, tx = ("end", mx - 4) if mx + 4 + w > width - _PAD else ("start", mx + 4)
        parts.append(_text(tx, label_y, m.label, size=11, anchor=anchor, fill=_INK, max_px=width - 2 * _PAD))
    for i, s in enumerate(chart.series):
        colour, dash = PALETTE[i % len(PALETTE)], _DASHES[i % len(_DASHES)]
        path: list[str] = []
        prev = False
        for x, v in zip(xs, s.values, strict=True):
            if v is None:
                prev = False
                continue
            path.append(f"{'L' if prev else 'M'}{_n(x)} {_n(sy(v))}")
            prev = True
        if path:
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-linejoin="round" stroke-linecap="round"{extra}/>'
            )
        if len(xs) <= 40:
            for x, label, v in zip(xs, labels, s.values, strict=True):
                if v is not None:
                    parts.append(
                        f'<circle cx="{_n(x)}" cy="{_n(sy(v))}" r="3.5" fill="{colour}" stroke="#ffffff" '
                        f'stroke-width="1.5"><title>{html_text(f"{s.name}, {label}: {_fmt(fmt, v)}")}</title></circle>'
                    )
    if not present:
        parts.append(_no_data(width, (top + bottom) / 2))
    parts.append("</svg>")
    return "\n".join(parts)


def _heatmap(chart: Heatmap, uid: str, desc: str, standalone: bool) -> str:
    fmt = chart.value_format
    present = [v for row in chart.values for v in row if v is not None]
    label_w = min(max(_width(r, 12) for r in chart.rows) + 10, 210.0)
    n_cols = len(chart.columns)
    cell_w = max(22.0, min(76.0, (_WIDTH - 2 * _PAD - label_w - 40) / n_cols))
    cell_h = 30.0
    col_label_max = 150.0
    col_label_h = min(max(_width(c, 11) for c in chart.columns), col_label_max) * 0.72 + 14
    grid_x = _PAD + label_w
    grid_top = _TITLE_H + 8 + col_label_h
    grid_w = cell_w * n_cols
    width = max(float(_WIDTH), grid_x + grid_w + 40 + _PAD)
    grid_bottom = grid_top + cell_h * len(chart.rows)
    legend_top = grid_bottom + 18
    height = legend_top + 58 + _PAD
    parts = _open(uid, width, height, chart.title, desc, standalone)
    lo = min([0.0, *present]) if present else 0.0
    hi = max([0.0, *present]) if present else 1.0
    diverging = lo < 0 < hi
    if diverging:
        bound = max(-lo, hi)
        lo, hi = -bound, bound
    if hi == lo:
        hi = lo + 1.0

    def colour(v: float) -> str:
        return _ramp(_DIVERGING if diverging else _SEQUENTIAL, (v - lo) / (hi - lo))

    for j, column in enumerate(chart.columns):
        cx = grid_x + cell_w * (j + 0.5)
        parts.append(
            _text(cx - 2, grid_top - 8, column, size=11, fill=_INK, max_px=col_label_max, rotate=-45)
        )
    show_values = cell_w >= 34
    for i, (row_label, row) in enumerate(zip(chart.rows, chart.values, strict=True)):
        y = grid_top + i * cell_h
        parts.append(
            _text(grid_x - 8, y + cell_h / 2 + 4, row_label, size=12, anchor="end", max_px=label_w - 8)
        )
        for j, (column, v) in enumerate(zip(chart.columns, row, strict=True)):
            x = grid_x + j * cell_w
            shown = "no data" if v is None else _fmt(fmt, v)
            fill = _MISSING_FILL if v is None else colour(v)
            parts.append(
                _rect(
                    x + 1,
                    y + 1,
                    cell_w - 2,
                    cell_h - 2,
                    fill=fill,
                    tip=f"{row_label} \u00d7 {column}: {shown}",
                )
            )
            if show_values:
                text = "\u2013" if v is None else shown
                ink = "#ffffff" if v is not None and _is_dark(fill) else (_MUTED if v is None else _INK)
                parts.append(
                    _text(
                        x + cell_w / 2,
                        y + cell_h / 2 + 4,
                        text,
                        size=11,
                        anchor="middle",
                        fill=ink,
                        max_px=cell_w - 4,
                    )
                )
    # legend: a stepped colour bar with its ends and middle labelled
    steps, bar_w, bar_x = 48, 240.0, grid_x
    title = chart.legend_title or "Value"
    parts.append(_text(bar_x, legend_top + 12, title, size=12, fill=_MUTED, max_px=width - bar_x - _PAD))
    for k in range(steps):
        t = (k + 0.5) / steps
        parts.append(
            _rect(
                bar_x + k * bar_w / steps,
                legend_top + 20,
                bar_w / steps + 0.4,
                12,
                fill=colour(lo + t * (hi - lo)),
            )
        )
    marks = [t for t in nice_ticks(lo, hi, 4, integer=fmt.kind == "int") if lo <= t <= hi]
    for value in marks:
        x = bar_x + (value - lo) / (hi - lo) * bar_w
        parts.append(_line(x, legend_top + 32, x, legend_top + 35, stroke=_MUTED))
        parts.append(
            _text(x, legend_top + 47, _tick_label(value, marks, fmt), size=11, anchor="middle", fill=_MUTED)
        )
    if len(present) < len(chart.rows) * n_cols:
        parts.append(_rect(bar_x + bar_w + 24, legend_top + 20, 12, 12, fill=_MISSING_FILL))
        parts.append(_text(bar_x + bar_w + 42, legend_top + 30, "no data", size=11, fill=_MUTED))
    parts.append("</svg>")
    return "\n".join(parts)


def _stacked(chart: StackedBarChart, uid: str, desc: str, standalone: bool) -> str:
    fmt = chart.value_format
    width = float(_WIDTH)
    items = [(s.name, PALETTE[i % len(PALETTE)], "") for i, s in enumerate(chart.series)]
    legend, legend_h = _legend(items, _TITLE_H, width - 2 * _PAD, lines=False)
    totals = [
        sum(v for v in col if v is not None) for col in zip(*(s.values for s in chart.series), strict=True)
    ]
    ticks = _ticks(0.0, max(totals) if totals and max(totals) > 0 else 1.0, fmt)
    tick_labels = [_tick_label(t, ticks, fmt) for t in ticks]
    y_title_w = 18.0 if chart.y_label else 0.0
    x0 = _PAD + y_title_w + max(_width(t, 11) for t in tick_labels) + 8
    x1 = width - _PAD
    top = _TITLE_H + legend_h + 22
    plot_h = 230.0
    bottom = top + plot_h
    height = bottom + 26 + _PAD
    parts = _open(uid, width, height, chart.title, desc, standalone)
    parts.append(f'<g transform="translate({_PAD} 0)">')
    parts.extend(legend)
    parts.append("</g>")
    lo, hi = ticks[0], ticks[-1]

    def sy(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * plot_h

    for t, label in zip(ticks, tick_labels, strict=True):
        parts.append(_line(x0, sy(t), x1, sy(t), stroke=_AXIS if t == 0 else _GRID))
        parts.append(_text(x0 - 6, sy(t) + 4, label, size=11, anchor="end", fill=_MUTED))
    if chart.y_label:
        parts.append(
            _text(
                _PAD + 10,
                (top + bottom) / 2,
                chart.y_label,
                size=12,
                anchor="middle",
                fill=_MUTED,
                rotate=-90,
                max_px=plot_h,
            )
        )
    band = (x1 - x0) / len(chart.categories)
    bar_w = min(56.0, band * 0.62)
    for j, (category, total) in enumerate(zip(chart.categories, totals, strict=True)):
        cx = x0 + band * (j + 0.5)
        base = 0.0
        for i, s in enumerate(chart.series):
            v = s.values[j]
            if v is None or v == 0:
                continue
            y_top, y_bottom = sy(base + v), sy(base)
            parts.append(
                _rect(
                    cx - bar_w / 2,
                    y_top,
                    bar_w,
                    y_bottom - y_top,
                    fill=PALETTE[i % len(PALETTE)],
                    tip=f"{category}, {s.name}: {_fmt(fmt, v)}",
                    extra=' stroke="#ffffff" stroke-width="0.75"',
                )
            )
            base += v
        parts.append(_text(cx, sy(total) - 5, _fmt(fmt, total), size=11, anchor="middle", fill=_INK))
        parts.append(_text(cx, bottom + 16, category, size=11, anchor="middle", fill=_MUTED, max_px=band - 4))
    parts.append("</svg>")
    return "\n".join(parts)

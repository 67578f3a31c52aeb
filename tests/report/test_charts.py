from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight.report import (
    BarChart,
    Format,
    Heatmap,
    LineChart,
    Marker,
    Series,
    Sparkline,
    StackedBarChart,
)
from hotline_insight.report.charts import PALETTE, describe, render_chart, sparkline_svg

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"quotes\" 'single' ]]> </style>"

CHARTS: dict[str, Any] = {
    "sparkline": Sparkline(title="Trend", values=[1, 4, None, 9]),
    "bar": BarChart(
        title="Bars", categories=["a", "b", "c"], values=[100, 50, None], highlight=["a"], x_label="n"
    ),
    "bar_negative": BarChart(
        title="Change", categories=["up", "down"], values=[30, -12], value_format="percent"
    ),
    "line_time": LineChart(
        title="Lines",
        x=[dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)],
        series=[Series(name="one", values=[1, None, 3]), Series(name="two", values=[2, 2, 2])],
        markers=[Marker(x=dt.date(2026, 1, 16), label="change")],
        y_label="count",
    ),
    "line_category": LineChart(
        title="Quarters", x=["Q1", "Q2"], series=[Series(name="s", values=[0.1, 0.2])], value_format="percent"
    ),
    "heatmap": Heatmap(
        title="Grid", rows=["r1", "r2"], columns=["c1", "c2", "c3"], values=[[0, 5, 10], [None, 2, 8]]
    ),
    "heatmap_diverging": Heatmap(
        title="Lift", rows=["r"], columns=["a", "b"], values=[[-3, 6]], value_format="float:1"
    ),
    "stacked": StackedBarChart(
        title="Stacks",
        categories=["Q1", "Q2"],
        series=[Series(name="x", values=[10, 20]), Series(name="y", values=[5, None])],
    ),
}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _texts(root: ET.Element) -> list[str]:
    return [
        "".join(t.itertext()) if t.find(f"{NS}title") is None else (t.text or "") + (t[0].tail or "")
        for t in root.iter(f"{NS}text")
    ]


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts_are_wellformed_accessible_and_deterministic(name: str) -> None:
    chart = CHARTS[name]
    svg = render_chart(chart, uid=f"c-{name.replace('_', '-')}", standalone=True)
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    root = _parse(svg)
    uid = f"c-{name.replace('_', '-')}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == f"{uid}-t {uid}-d"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.get("id") == f"{uid}-t" and title.text == chart.title
    assert desc is not None and desc.get("id") == f"{uid}-d" and desc.text == describe(chart)
    assert render_chart(chart, uid=uid, standalone=True) == svg
    assert "<script" not in svg and "javascript" not in svg
    assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on") or "href" in a]
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    for element in root.iter():
        for attr in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy"):
            if element.get(attr) is not None:
                value = float(element.get(attr, "0"))
                assert -1 <= value <= max(width, height) + 1, (element.tag, attr, value)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_hostile_labels_are_text(name: str) -> None:
    chart = CHARTS[name].model_copy(update={"title": HOSTILE})
    svg = render_chart(chart, uid="c-x", standalone=True)
    root = _parse(svg)
    assert root.find(f"{NS}title").text == HOSTILE  # type: ignore[union-attr]
    assert not [e for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("style")]
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;") not in svg  # it was escaped, not pasted


def test_hostile_category_labels_and_custom_description() -> None:
    chart = BarChart(title="t", categories=[HOSTILE, "b"], values=[1, 2], description="Custom <desc>")
    root = _parse(render_chart(chart, uid="c-x"))
    assert root.find(f"{NS}desc").text == "Custom <desc>"  # type: ignore[union-attr]
    bar_tips = [r.find(f"{NS}title").text for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert bar_tips == [f"{HOSTILE}: 1", "b: 2"]


def test_invalid_uid_is_refused() -> None:
    with pytest.raises(ValueError):
        render_chart(CHARTS["bar"], uid='x" onload="alert(1)')


def _bars(svg: str) -> list[ET.Element]:
    return [r for r in _parse(svg).iter(f"{NS}rect") if r.find(f"{NS}title") is not None]


def test_bar_lengths_are_proportional_and_highlight_uses_the_accent() -> None:
    bars = _bars(render_chart(CHARTS["bar"], uid="c-b"))
    assert len(bars) == 2  # the missing value draws no bar
    w = [float(b.get("width", "0")) for b in bars]
    assert w[0] == pytest.approx(2 * w[1], abs=0.2)
    assert bars[0].get("fill") != bars[1].get("fill")
    assert "no data" in render_chart(CHARTS["bar"], uid="c-b")


def test_negative_bars_extend_left_of_zero() -> None:
    up, down = _bars(render_chart(CHARTS["bar_negative"], uid="c-b"))
    assert float(down.get("x", "0")) + float(down.get("width", "0")) == pytest.approx(
        float(up.get("x", "0")), abs=0.2
    )


def test_line_gaps_and_marker_position() -> None:
    root = _parse(render_chart(CHARTS["line_time"], uid="c-l"))
    paths = [p.get("d", "") for p in root.iter(f"{NS}path")]
    assert paths[0].count("M") == 2  # the gap splits the first series
    assert paths[1].count("M") == 1 and paths[1].count("L") == 2
    xs = sorted({float(c.get("cx", "0")) for c in root.iter(f"{NS}circle")})
    marker = next(ln for ln in root.iter(f"{NS}line") if ln.get("stroke-dasharray") == "4 3")
    # 15 of the 31 days from the first to the second point
    assert float(marker.get("x1", "0")) == pytest.approx(xs[0] + (xs[1] - xs[0]) * 15 / 31, abs=0.2)
    assert paths[1] != paths[0] and root.find(f".//{NS}path[@stroke-dasharray]") is not None


def _fills(svg: str) -> dict[str, str]:
    out = {}
    for r in _parse(svg).iter(f"{NS}rect"):
        tip = r.find(f"{NS}title")
        if tip is not None and tip.text:
            out[tip.text] = r.get("fill", "")
    return out


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_heatmap_colours_darken_with_value_and_missing_is_grey() -> None:
    fills = _fills(render_chart(CHARTS["heatmap"], uid="c-h"))
    lum = [_luminance(fills[f"r1 \u00d7 {c}: {v}"]) for c, v in (("c1", "0"), ("c2", "5"), ("c3", "10"))]
    assert lum[0] > lum[1] > lum[2]
    assert fills["r2 \u00d7 c1: no data"] == "#eef0f2"
    svg = render_chart(CHARTS["heatmap"], uid="c-h")
    assert "Value" in svg and "no data" in svg  # legend title and the missing swatch


def test_diverging_heatmap_centres_on_zero() -> None:
    svg = render_chart(CHARTS["heatmap_diverging"], uid="c-h")
    fills = _fills(svg)
    neg, pos = fills["r \u00d7 a: \u22123.0"], fills["r \u00d7 b: 6.0"]
    assert int(neg[1:3], 16) < int(neg[5:7], 16)  # blue side
    assert int(pos[1:3], 16) > int(pos[5:7], 16)  # orange side


def test_heatmap_with_many_columns_grows_wider() -> None:
    cols = [f"theme {i}" for i in range(40)]
    chart = Heatmap(title="wide", rows=["r"], columns=cols, values=[list(range(40))])
    root = _parse(render_chart(chart, uid="c-w"))
    assert float(root.get("width", "0")) > 840


def test_stacked_segments_sum_to_the_total() -> None:
    svg = render_chart(CHARTS["stacked"], uid="c-s")
    fills = _fills(svg)
    assert set(fills) == {"Q1, x: 10", "Q1, y: 5", "Q2, x: 20"}
    rects = {r.find(f"{NS}title").text: float(r.get("height", "0")) for r in _bars(svg)}  # type: ignore[union-attr]
    assert rects["Q1, x: 10"] + rects["Q1, y: 5"] == pytest.approx(rects["Q2, x: 20"] * 15 / 20, abs=0.3)
    assert fills["Q1, x: 10"] == PALETTE[0] and fills["Q1, y: 5"] == PALETTE[1]


def test_all_missing_data_says_no_data() -> None:
    for chart in (
        Sparkline(title="t", values=[None]),
        LineChart(title="t", x=["a"], series=[Series(name="s", values=[None])]),
    ):
        assert "No data" in render_chart(chart, uid="c-n")


def test_long_labels_are_cut_with_the_full_text_in_a_tooltip() -> None:
    long = "A grievance theme with a very long name that cannot possibly fit in the label column " * 2
    root = _parse(render_chart(BarChart(title="t", categories=[long], values=[1]), uid="c-x"))
    label = next(t for t in root.iter(f"{NS}text") if t.find(f"{NS}title") is not None)
    assert label.find(f"{NS}title").text == long.strip()  # type: ignore[union-attr]
    assert "".join(label.itertext()).endswith("\u2026")


def test_sparkline_svg_for_table_cells() -> None:
    svg = sparkline_svg([1, None, 3], Format(kind="int"), label="Fees <b>")
    root = _parse(svg)
    assert root.get("aria-label") == "Fees <b>: 1, no data, 3"
    assert len(list(root.iter(f"{NS}circle"))) == 1
    assert sparkline_svg([None], Format(kind="int"), label="x").count("<path") == 0


@pytest.mark.parametrize(
    "name,expected",
    [
        ("bar", "Bar chart of 3 categories. a: 100; b: 50; c: no data."),
        ("sparkline", "Trend of 4 values, from 1 to 9, lowest 1, highest 9."),
        ("stacked", "Stacked bar chart of 2 categories, segments x, y. Totals: Q1: 15; Q2: 20."),
        ("heatmap", "Heatmap of 2 rows by 3 columns. Highest: r1 and c3: 10; r2 and c3: 8; r1 and c2: 5."),
    ],
)
def test_describe(name: str, expected: str) -> None:
    assert describe(CHARTS[name]) == expected


@given(
    st.lists(st.one_of(st.none(), st.floats(-1e7, 1e7, allow_nan=False)), min_size=1, max_size=12),
    st.sampled_from(["int", "float", "percent", "money"]),
)
def test_bar_charts_of_any_values_render_valid_svg(values: list[float | None], kind: str) -> None:
    chart = BarChart(
        title="t", categories=[f"c{i}" for i in range(len(values))], values=values, value_format=kind
    )
    root = _parse(render_chart(chart, uid="c-h"))
    assert len(_bars(ET.tostring(root, encoding="unicode"))) == sum(v is not None for v in values)


@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=8))
def test_line_and_stacked_charts_of_any_values_render_valid_svg(values: list[float | None]) -> None:
    labels = [f"p{i}" for i in range(len(values))]
    _parse(render_chart(LineChart(title="t", x=labels, series=[Series(name="s", values=values)]), uid="c-l"))
    _parse(
        render_chart(
            StackedBarChart(title="t", categories=labels, series=[Series(name="s", values=values)]), uid="c-s"
        )
    )
    _parse(render_chart(Heatmap(title="t", rows=["r"], columns=labels, values=[values]), uid="c-h"))

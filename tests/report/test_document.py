from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from hotline_insight.errors import ConfigError
from hotline_insight.report import (
    BarChart,
    Callout,
    Effect,
    Figure,
    Heatmap,
    LineChart,
    Marker,
    Paragraph,
    Quote,
    Recommendation,
    Report,
    Section,
    Series,
    Sparkline,
    StackedBarChart,
    Table,
    em,
    strong,
)

T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def _report(*blocks: Any, sections: Any = None) -> Report:
    return Report(
        title="t", generated_at=T0, sections=sections or [Section(id="s", title="S", blocks=list(blocks))]
    )


def _code(exc: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(exc.value)
    start = text.index("[E")
    return text[start + 1 : text.index("]", start)]


INVALID: list[tuple[str, Callable[[], object], str]] = [
    ("empty title", lambda: Report(title="  ", generated_at=T0, sections=[]), "E1001"),
    ("no sections", lambda: Report(title="t", generated_at=T0, sections=[]), "E1016"),
    (
        "naive time",
        lambda: Report(
            title="t",
            generated_at=dt.datetime(2026, 1, 1),
            sections=[Section(id="a", title="A", blocks=[Paragraph.of("x")])],
        ),
        "E1001",
    ),
    (
        "duplicate sections",
        lambda: _report(sections=[Section(id="a", title="A", blocks=[Paragraph.of("x")])] * 2),
        "E1005",
    ),
    (
        "bad section id",
        lambda: Section(id="Policy Scorecard", title="A", blocks=[Paragraph.of("x")]),
        "E1006",
    ),
    ("section id with quote", lambda: Section(id='a"onload', title="A", blocks=[Paragraph.of("x")]), "E1006"),
    ("empty section", lambda: Section(id="a", title="A", blocks=[]), "E1016"),
    ("blank paragraph", lambda: Paragraph.of("  ", em(" ")), "E1016"),
    ("blank callout", lambda: Callout.of(""), "E1016"),
    ("bar lengths", lambda: BarChart(title="t", categories=["a", "b"], values=[1]), "E1002"),
    ("bar infinity", lambda: BarChart(title="t", categories=["a"], values=[math.inf]), "E1003"),
    ("bar duplicate category", lambda: BarChart(title="t", categories=["a", "a"], values=[1, 2]), "E1005"),
    (
        "bar unknown highlight",
        lambda: BarChart(title="t", categories=["a"], values=[1], highlight=["b"]),
        "E1001",
    ),
    ("bar text value", lambda: BarChart(title="t", categories=["a"], values=["12"]), "E1001"),
    ("bar bool value", lambda: BarChart(title="t", categories=["a"], values=[True]), "E1001"),
    (
        "bar text format",
        lambda: BarChart(title="t", categories=["a"], values=[1], value_format="text"),
        "E1001",
    ),
    ("empty sparkline", lambda: Sparkline(title="t", values=[]), "E1016"),
    ("line no series", lambda: LineChart(title="t", x=["a"], series=[]), "E1016"),
    (
        "line lengths",
        lambda: LineChart(title="t", x=["a", "b"], series=[Series(name="s", values=[1])]),
        "E1002",
    ),
    (
        "line mixed x",
        lambda: LineChart(title="t", x=["a", dt.date(2026, 1, 1)], series=[Series(name="s", values=[1, 2])]),
        "E1014",
    ),
    (
        "line duplicate x",
        lambda: LineChart(title="t", x=["a", "a"], series=[Series(name="s", values=[1, 2])]),
        "E1014",
    ),
    (
        "line dates out of order",
        lambda: LineChart(
            title="t", x=[dt.date(2026, 2, 1), dt.date(2026, 1, 1)], series=[Series(name="s", values=[1, 2])]
        ),
        "E1014",
    ),
    (
        "marker outside",
        lambda: LineChart(
            title="t",
            x=[dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
            series=[Series(name="s", values=[1, 2])],
            markers=[Marker(x=dt.date(2026, 3, 1), label="m")],
        ),
        "E1013",
    ),
    (
        "marker unknown label",
        lambda: LineChart(
            title="t",
            x=["a", "b"],
            series=[Series(name="s", values=[1, 2])],
            markers=[Marker(x="c", label="m")],
        ),
        "E1013",
    ),
    (
        "x_labels length",
        lambda: LineChart(title="t", x=["a", "b"], x_labels=["A"], series=[Series(name="s", values=[1, 2])]),
        "E1002",
    ),
    (
        "duplicate series",
        lambda: LineChart(
            title="t", x=["a"], series=[Series(name="s", values=[1]), Series(name="s", values=[2])]
        ),
        "E1005",
    ),
    ("heatmap rows", lambda: Heatmap(title="t", rows=["a", "b"], columns=["x"], values=[[1]]), "E1002"),
    ("heatmap row length", lambda: Heatmap(title="t", rows=["a"], columns=["x", "y"], values=[[1]]), "E1002"),
    (
        "stacked negative",
        lambda: StackedBarChart(title="t", categories=["a"], series=[Series(name="s", values=[-1])]),
        "E1017",
    ),
    ("figure direction", lambda: Figure(label="f", value=1, change=-0.1, direction="up"), "E1015"),
    ("figure text format", lambda: Figure(label="f", value=1, format="text"), "E1001"),
    (
        "no effects",
        lambda: Recommendation(target_kind="policy", target_id="p", target_name="P", action="a", effects=[]),
        "E1016",
    ),
    ("effect NaN", lambda: Effect(label="x", value=math.nan), "E1001"),
    ("table no columns", lambda: Table(columns=[], rows=[]), "E1016"),
    ("table row length", lambda: Table(columns=[{"key": "a", "label": "A"}], rows=[["x", "y"]]), "E1002"),
    ("table text column number", lambda: Table(columns=[{"key": "a", "label": "A"}], rows=[[3]]), "E1004"),
    (
        "table int column text",
        lambda: Table(columns=[{"key": "a", "label": "A", "format": "int"}], rows=[["3"]]),
        "E1004",
    ),
    (
        "table int column bool",
        lambda: Table(columns=[{"key": "a", "label": "A", "format": "int"}], rows=[[True]]),
        "E1004",
    ),
    (
        "table pvalue range",
        lambda: Table(columns=[{"key": "a", "label": "A", "format": "pvalue"}], rows=[[1.5]]),
        "E1004",
    ),
    (
        "table interval order",
        lambda: Table(columns=[{"key": "a", "label": "A", "format": "interval"}], rows=[[(2, 1)]]),
        "E1004",
    ),
    (
        "table interval shape",
        lambda: Table(columns=[{"key": "a", "label": "A", "format": "interval"}], rows=[[(1, 2, 3)]]),
        "E1004",
    ),
    (
        "table infinity",
        lambda: Table(columns=[{"key": "a", "label": "A", "format": "float"}], rows=[[math.inf]]),
        "E1003",
    ),
    (
        "table duplicate keys",
        lambda: Table(columns=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}], rows=[]),
        "E1005",
    ),
    (
        "table total below rows",
        lambda: Table(columns=[{"key": "a", "label": "A"}], rows=[["x"], ["y"]], total_rows=1),
        "E1001",
    ),
]


@pytest.mark.parametrize("name,build,code", INVALID, ids=[case[0] for case in INVALID])
def test_invalid_documents_raise_coded_errors(name: str, build: Callable[[], object], code: str) -> None:
    with pytest.raises(ValueError) as info:
        build()
    assert _code(info) == code


def test_validation_errors_never_echo_the_input() -> None:
    secret = "call me on 555-010-2000 jane@example.com"
    with pytest.raises(ValidationError) as info:
        Table(columns=[{"key": "a", "label": "A", "format": "int"}], rows=[[secret]])
    assert "555-010" not in str(info.value) and "example.com" not in str(info.value)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a\r\nb", "a b"),
        ("  Support\tfee  ", "Support fee"),
        ("x\x00y", "x\ufffdy"),
    ],
)
def test_labels_are_one_clean_line(text: str, expected: str) -> None:
    assert BarChart(title=text, categories=["a"], values=[1]).title == expected


def test_prose_keeps_line_breaks_and_strips_lines() -> None:
    q = Quote(text="  first line \r\n  second\x07 ", interaction_id="i")
    assert q.text == "first line\nsecond\ufffd"


@pytest.mark.parametrize(
    "change,direction",
    [(0.1, "up"), (-0.1, "down"), (0.0, "flat"), (None, None)],
)
def test_figure_direction_is_derived_from_the_change(change: float | None, direction: str | None) -> None:
    assert Figure(label="f", value=1, change=change).direction == direction


def test_a_change_always_shows_its_sign() -> None:
    f = Figure(label="f", value=0.41, format="percent", change=0.026, change_format="points:1")
    assert f.change_format.display(f.change) == "+2.6 pp"


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, np.float64("nan")])
def test_missing_numbers_become_none(missing: object) -> None:
    chart = BarChart(title="t", categories=["a", "b"], values=[1, missing])
    assert chart.values == (1.0, None)
    assert Figure(label="f", value=missing).value is None


def test_numpy_numbers_are_plain_numbers() -> None:
    chart = BarChart(title="t", categories=["a", "b"], values=np.array([1, 2], dtype=np.int64))
    assert chart.values == (1.0, 2.0) and all(type(v) is float for v in chart.values)
    with pytest.raises(ValueError, match=r"\[E1001\]"):
        BarChart(title="t", categories=["a"], values=np.array([True]))


def test_line_chart_x_type_is_inferred_and_markers_normalised() -> None:
    days = [dt.date(2026, 1, 1), dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)]
    chart = LineChart(
        title="t",
        x=days,
        series=[Series(name="s", values=[1, 2])],
        markers=[Marker(x="2026-01-15", label="m")],
    )
    assert chart.x_type == "time"
    assert chart.x == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert chart.markers[0].x == dt.date(2026, 1, 15)
    labels = LineChart(title="t", x=["2026Q1", "2026Q2"], series=[Series(name="s", values=[1, 2])])
    assert labels.x_type == "category"


def test_paragraph_spans() -> None:
    p = Paragraph.of("Fees rose ", strong("12%"), " after ", em("90 days"), ".")
    assert [(s.text, s.style) for s in p.spans] == [
        ("Fees rose ", "plain"),
        ("12%", "strong"),
        (" after ", "plain"),
        ("90 days", "em"),
        (".", "plain"),
    ]


def test_models_are_frozen() -> None:
    p = Paragraph.of("x")
    with pytest.raises(ValidationError):
        p.kind = "heading"  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Table.from_frame
# ---------------------------------------------------------------------------


def test_from_frame_infers_formats_and_keeps_values() -> None:
    frame = pd.DataFrame(
        {
            "name": pd.Series(["a", None, "c"], dtype="string"),
            "n": pd.Series([1, None, 3], dtype="Int64"),
            "x": [0.5, math.nan, 2.0],
            "flag": [True, False, True],
            "day": pd.to_datetime(["2026-01-01", None, "2026-03-01"]),
            "trend": [[1, 2], None, np.array([3, 4])],
        }
    )
    t = Table.from_frame(frame)
    assert [(c.key, c.format.kind) for c in t.columns] == [
        ("name", "text"),
        ("n", "int"),
        ("x", "float"),
        ("flag", "text"),
        ("day", "text"),
        ("trend", "sparkline"),
    ]
    assert t.rows == (
        ("a", 1, 0.5, "yes", "2026-01-01", (1.0, 2.0)),
        (None, None, None, "no", None, None),
        ("c", 3, 2.0, "yes", "2026-03-01", (3.0, 4.0)),
    )
    assert type(t.rows[0][1]) is int
    assert t.columns[5].format.of == "int"


def test_from_frame_columns_labels_intervals_and_cut() -> None:
    frame = pd.DataFrame(
        {"k": ["a", "b", "c"], "lo": [0.1, None, 0.3], "hi": [0.2, None, 0.5], "v": [3, 2, 1]}
    )
    t = Table.from_frame(
        frame,
        intervals={"ci": ("lo", "hi")},
        labels={"ci": "95% CI", "v": "Count"},
        formats={"ci": "interval:percent:0", "v": "int"},
        max_rows=2,
    )
    assert [c.key for c in t.columns] == ["k", "ci", "v"]
    assert [c.label for c in t.columns] == ["k", "95% CI", "Count"]
    assert t.rows == (("a", (0.1, 0.2), 3), ("b", None, 2))
    assert t.total_rows == 3
    chosen = Table.from_frame(frame, columns=["v", "k"])
    assert [c.key for c in chosen.columns] == ["v", "k"] and chosen.total_rows is None


def test_from_frame_with_datetime_times_and_timezones() -> None:
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-01-01 10:30", "2026-01-02 00:00"]).tz_localize("UTC")})
    assert Table.from_frame(frame).rows == (("2026-01-01 10:30",), ("2026-01-02 00:00",))


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"columns": ["missing"]}, "E1008"),
        ({"labels": {"missing": "x"}}, "E1008"),
        ({"formats": {"missing": "int"}}, "E1008"),
        ({"intervals": {"ci": ("lo", "nope")}}, "E1008"),
        ({"formats": {"k": "percentage"}}, "E1007"),
        ({"formats": {"k": "int"}}, "E1019"),
    ],
)
def test_from_frame_errors(kwargs: dict[str, Any], code: str) -> None:
    frame = pd.DataFrame({"k": ["a"], "lo": [0.1]})
    with pytest.raises(ConfigError) as info:
        Table.from_frame(frame, **kwargs)
    assert _code(info) == code


def test_from_frame_with_non_string_and_duplicate_column_names() -> None:
    t = Table.from_frame(pd.DataFrame({0: ["a"], 2026: [5]}))
    assert [c.key for c in t.columns] == ["0", "2026"] and t.rows == (("a", 5),)
    with pytest.raises(ConfigError, match=r"^\[E1005\]"):
        Table.from_frame(pd.DataFrame([[1, 2]], columns=["x", "x"]))


def test_from_frame_of_an_empty_frame() -> None:
    t = Table.from_frame(pd.DataFrame({"a": pd.Series([], dtype="int64")}))
    assert t.rows == () and t.columns[0].format.kind == "int"


def test_quote_from_grievance() -> None:
    from hotline_insight.grievances import Grievance

    g = Grievance(
        interaction_id="ZD-1",
        turn_position=0,
        start_char=0,
        end_char=10,
        text="I was charged [MONEY] again",
        role="customer",
        channel="ticket",
        created_at=dt.datetime(2026, 8, 14, 23, 30, tzinfo=dt.UTC),
        themes=("fee_after_period", "fees"),
        complaint_score=0.9,
    )
    q = Quote.from_grievance(g)
    assert (q.text, q.interaction_id, q.channel, q.date, q.theme) == (
        "I was charged [MONEY] again",
        "ZD-1",
        "ticket",
        dt.date(2026, 8, 14),
        "fee_after_period",
    )
    assert Quote.from_grievance(g, theme="Fees", product="Hub").product == "Hub"


def test_chart_ids_are_numbered_per_section() -> None:
    bar = BarChart(title="b", categories=["a"], values=[1])
    s = Section(id="sec", title="S", blocks=[Paragraph.of("x"), bar, Sparkline(title="s", values=[1]), bar])
    assert [uid for uid, _ in s.charts()] == ["sec-1", "sec-2", "sec-3"]


def test_generated_at_defaults_to_now_in_utc_whole_seconds() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    r = Report(title="t", sections=[Section(id="a", title="A", blocks=[Paragraph.of("x")])])
    assert r.generated_at.tzinfo == dt.UTC and r.generated_at.microsecond == 0 and r.generated_at >= before
    other = Report(
        title="t",
        generated_at=dt.datetime(2026, 10, 1, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        sections=r.sections,
    )
    assert other.generated_at == dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)

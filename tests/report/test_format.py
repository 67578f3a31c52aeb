from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight.errors import ConfigError
from hotline_insight.report import Format
from hotline_insight.report._format import MINUS, format_number, format_tick, nice_ticks


@pytest.mark.parametrize(
    "value,kind,digits,signed,expected",
    [
        (0, "int", None, False, "0"),
        (1234567, "int", None, False, "1,234,567"),
        (1234.5, "int", None, False, "1,235"),
        (-1234.5, "int", None, False, f"{MINUS}1,235"),
        (2.5, "int", None, False, "3"),
        (0.125, "float", None, False, "0.13"),
        (3, "float", 1, True, "+3.0"),
        (-0.04, "float", 1, True, "0.0"),
        (0.1234, "percent", None, False, "12.3%"),
        (0.5, "percent", 0, False, "50%"),
        (-0.052, "percent", None, True, f"{MINUS}5.2%"),
        (-0.0001, "percent", None, True, "0.0%"),
        (0.026, "points", None, True, "+2.6 pp"),
        (0.0004, "pvalue", None, False, "< 0.001"),
        (0.001, "pvalue", None, False, "0.001"),
        (0.04999, "pvalue", 2, False, "0.05"),
        (1.0, "pvalue", None, False, "1.000"),
        (381090.5, "money", None, False, "$381,091"),
        (-12.345, "money", 2, False, f"{MINUS}$12.35"),
        (1e12, "int", None, False, "1,000,000,000,000"),
    ],
)
def test_format_number(value: float, kind: str, digits: int | None, signed: bool, expected: str) -> None:
    assert format_number(value, kind, digits, signed=signed) == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_format_number_refuses_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        format_number(bad, "int")


@pytest.mark.parametrize(
    "low,high,integer,expected",
    [
        (0, 87, False, [0, 20, 40, 60, 80, 100]),
        (0, 1, False, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, 3, True, [0, 1, 2, 3]),
        (0, 0.3, True, [0, 1]),
        (-12, 30, False, [-20, -10, 0, 10, 20, 30]),
        (0, 0, False, [-1, -0.5, 0, 0.5, 1]),
        (0, 182400, False, [0, 50000, 100000, 150000, 200000]),
        (0.1, 0.3, False, [0.1, 0.15, 0.2, 0.25, 0.3]),
    ],
)
def test_nice_ticks(low: float, high: float, integer: bool, expected: list[float]) -> None:
    assert nice_ticks(low, high, integer=integer) == expected


@given(
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_nice_ticks_cover_the_range_evenly(low: float, span: float, integer: bool) -> None:
    high = low + span
    ticks = nice_ticks(low, high, integer=integer)
    assert ticks[0] <= low + 1e-9 * max(1, abs(low)) and ticks[-1] >= high - 1e-9 * max(1, abs(high))
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(ticks) >= 2 and len(ticks) <= 13
    assert max(steps) - min(steps) <= 1e-6 * max(1.0, max(steps))
    if integer:
        assert all(float(t).is_integer() for t in ticks)


@pytest.mark.parametrize(
    "value,kind,step,expected",
    [
        (15000, "int", 5000, "15k"),
        (5000, "int", 5000, "5,000"),
        (2_500_000, "int", 500_000, "2.5M"),
        (150000, "money", 50000, "$150k"),
        (-20, "float", 10, f"{MINUS}20"),
        (0.25, "percent", 0.05, "25%"),
        (0.025, "percent", 0.005, "2.5%"),
        (0.5, "float", 0.1, "0.5"),
        (0.04, "points", 0.02, "4"),
    ],
)
def test_format_tick(value: float, kind: str, step: float, expected: str) -> None:
    assert format_tick(value, kind, step) == expected


@pytest.mark.parametrize(
    "spec,kind,digits,of",
    [
        ("int", "int", None, None),
        ("percent:1", "percent", 1, None),
        ("money:2", "money", 2, None),
        ("interval:percent:0", "interval", 0, "percent"),
        ("interval", "interval", None, None),
        ("sparkline:int", "sparkline", None, "int"),
        (" text ", "text", None, None),
    ],
)
def test_format_parse(spec: str, kind: str, digits: int | None, of: str | None) -> None:
    fmt = Format.parse(spec)
    assert (fmt.kind, fmt.digits, fmt.of) == (kind, digits, of)


@pytest.mark.parametrize("spec", ["percentage", "percent:x", "percent:7", "int:1:2", "interval:text", "", 3])
def test_format_parse_errors_are_coded(spec: object) -> None:
    with pytest.raises(ConfigError, match=r"^\[E1007\]"):
        Format.parse(spec)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fmt,value,expected",
    [
        ("int", None, "\u2013"),
        ("text", "as is", "as is"),
        ("interval:percent:0", (0.21, 0.34), "21% \u2013 34%"),
        ("interval", (None, 2.5), "\u2013 \u2013 2.50"),
        ("sparkline:int", (1, 5, None), "5"),
        ("sparkline", (None, None), "\u2013"),
    ],
)
def test_display(fmt: str, value: object, expected: str) -> None:
    assert Format.parse(fmt).display(value) == expected


@pytest.mark.parametrize(
    "currency,ok", [("$", True), ("\u20ac", True), ("CHF ", True), ("<b>", False), ("\u202e", False)]
)
def test_currency_is_a_symbol_or_letters(currency: str, ok: bool) -> None:
    if ok:
        assert Format(kind="money", currency=currency).display(5) == f"{currency}5"
    else:
        with pytest.raises(ValueError, match=r"\[E1001\]"):
            Format(kind="money", currency=currency)

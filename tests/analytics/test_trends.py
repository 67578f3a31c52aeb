"""trends(), emerging() and early_warnings() on small hand-made series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.analytics.stats import rate_ratio, wilson_interval
from hotline_insight.analytics.trends import EMERGING_COLUMNS, TREND_COLUMNS
from hotline_insight.errors import ConfigError, HotlineWarning

from .conftest import check_schema, contacts_frame, grievance_frame


def series(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Grievances: {date: {theme: n}}, one contact each."""
    rows = []
    for day, themes in counts.items():
        for theme, n in themes.items():
            rows += [{"created_at": day, "themes": [theme]}] * n
    frame = grievance_frame(rows)
    frame.insert(0, "interaction_id", [str(i) for i in range(len(frame))])
    return frame


def test_quarters_with_no_data_are_shown_as_such() -> None:
    found = series({"2025-08-01": {"fee": 3}, "2026-02-01": {"fee": 6}})  # nothing in 2025Q4
    table = hi.trends(found, "theme", "quarter", exposure="days")
    check_schema(table, TREND_COLUMNS, {"theme": "string"})
    assert table["period"].tolist() == ["2025Q3", "2025Q4", "2026Q1"]
    assert table["n_contacts"].tolist() == [3, 0, 6]
    assert table["direction"].tolist() == ["first", "flat", "up"]  # 0 of 3 is not significant; 6 of 0 is
    rates = hi.trends(found, "theme", "quarter")  # exposure: contacts with a grievance
    assert rates["n_total_contacts"].tolist() == [3, 0, 6]
    assert rates["rate"].isna().tolist() == [False, True, False]  # no contacts: no rate, not 0%
    assert rates["direction"].tolist() == ["first", "no_data", "no_data"]
    assert rates["p_value"].isna().all()


def test_change_is_the_exact_rate_test() -> None:
    found = series({"2026-01-10": {"fee": 2}, "2026-04-10": {"fee": 10}})
    table = hi.trends(found, "theme", "quarter", exposure="days")
    q1_days, q2_days = 90.0, 91.0
    ratio, low, high, p = rate_ratio(10, q2_days, 2, q1_days)
    row = table.iloc[1]
    assert (row["n_contacts"], row["prev_contacts"], row["days"]) == (10, 2, q2_days)
    assert row["change_ratio"] == pytest.approx(float(ratio))
    assert (row["ratio_low"], row["ratio_high"]) == (pytest.approx(float(low)), pytest.approx(float(high)))
    assert row["p_value"] == pytest.approx(float(p)) and row["q_value"] == pytest.approx(float(p))
    assert row["direction"] == "up" and row["is_significant"]


def test_rates_against_all_contacts_of_the_corpus() -> None:
    contacts = contacts_frame(
        [{"id": str(i), "created_at": "2026-01-15" if i < 10 else "2026-04-15"} for i in range(30)]
    )
    found = grievance_frame([{"interaction_id": str(i), "themes": ["fee"]} for i in (0, 1, 10, 11, 12, 13)])
    table = hi.trends(found, "theme", "quarter", corpus=contacts)
    assert table["n_total_contacts"].tolist() == [10, 20]
    assert table["rate"].tolist() == [0.2, 0.2]
    low, _high = wilson_interval(4, 20)
    assert table["rate_low"].iloc[1] == pytest.approx(float(low))
    assert table["change_ratio"].iloc[1] == pytest.approx(1.0)


def test_periods_follow_the_timezone_calendar() -> None:
    found = series({"2026-10-01 03:00": {"fee": 1}, "2026-09-30 12:00": {"fee": 1}})
    utc = hi.trends(found, "theme", "quarter")
    chicago = hi.trends(found, "theme", "quarter", timezone="America/Chicago")
    assert utc["period"].tolist() == ["2026Q3", "2026Q4"]
    assert chicago["period"].tolist() == ["2026Q3"] and chicago["n_contacts"].tolist() == [2]
    assert str(chicago["period_start"].iloc[0]) == "2026-07-01 05:00:00+00:00"
    weeks = hi.trends(found, "theme", "week", timezone="America/Chicago")
    assert weeks["period"].tolist() == ["2026-W40"]


def test_pairs_and_single_interaction() -> None:
    found = grievance_frame(
        [{"interaction_id": "1", "created_at": "2026-01-01", "themes": ["fee"], "products": ["hub"]}]
    )
    table = hi.trends(found, ("product", "theme"), "month")
    assert table[["product", "theme", "period", "n_contacts", "direction"]].values.tolist() == [
        ["hub", "fee", "2026-01", 1, "first"]
    ]


def test_undated_contacts_are_left_out_with_a_warning_and_none_dated_is_an_error() -> None:
    found = grievance_frame(
        [
            {"interaction_id": "1", "created_at": "2026-01-05", "themes": ["fee"]},
            {"interaction_id": "2", "created_at": None, "themes": ["fee"]},
        ]
    )
    with pytest.warns(HotlineWarning, match=r"\[W302\]"):
        table = hi.trends(found, "theme", "month")
    assert table["n_contacts"].tolist() == [1]
    with pytest.warns(HotlineWarning, match=r"\[W302\]"), pytest.raises(ConfigError, match="E553"):
        hi.trends(grievance_frame([{"interaction_id": "1", "themes": ["fee"]}]))


@pytest.mark.parametrize(
    "kwargs", [{"freq": "day"}, {"exposure": "users"}, {"timezone": "Mars/Base"}, {"alpha": -1}]
)
def test_bad_parameters(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="E550"):
        hi.trends(series({"2026-01-01": {"fee": 1}}), **kwargs)  # type: ignore[arg-type]


MONTHS = ["2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15"]


def history() -> pd.DataFrame:
    counts: dict[str, dict[str, int]] = {m: {"billing": 4} for m in MONTHS}
    counts["2026-04-20"] = {"outage": 6}  # new in April
    counts["2026-05-20"] = {"outage": 9, "fee": 1}
    counts["2026-05-21"] = {"billing": 8}  # billing rises in May: 12 against 4 a month
    counts["2026-02-20"] = {"decoy": 2}  # too few to flag, ever
    return series(counts)


def test_emerging_new_rising_and_quiet() -> None:
    found = history()
    may = hi.emerging(found, "theme", "month", exposure="days")
    check_schema(may, EMERGING_COLUMNS, {"theme": "string"})
    rows = may.set_index("theme")
    assert rows.loc["billing", "reason"] == "rising" and rows.loc["billing", "is_emerging"]
    assert rows.loc["billing", "baseline_contacts"] == 16 and rows.loc["billing", "n_contacts"] == 12
    assert rows.loc["outage", "is_emerging"] and not rows.loc["outage", "is_new"]  # new in April, not May
    assert not rows.loc["fee", "is_emerging"]  # one contact
    april = hi.emerging(found, "theme", "month", as_of="2026-04", exposure="days").set_index("theme")
    assert april.loc["outage", "reason"] == "new" and april.loc["outage", "is_new"]
    assert not april.loc["billing", "is_emerging"]


def test_emerging_needs_history() -> None:
    found = history()
    feb = hi.emerging(found, "theme", "month", as_of="2026-02", exposure="days")
    assert set(feb["reason"]) == {"no_history"} and not feb["is_emerging"].any()


def test_emerging_uses_only_data_up_to_as_of() -> None:
    found = history()
    full = hi.emerging(found, "theme", "month", as_of="2026-04", exposure="days")
    cut = found[found["created_at"] < pd.Timestamp("2026-05-01", tz="UTC")]
    truncated = hi.emerging(cut, "theme", "month", exposure="days")
    pd.testing.assert_frame_equal(
        full.reset_index(drop=True), truncated.reset_index(drop=True), check_like=False
    )
    with pytest.raises(ConfigError, match="E560"):
        hi.emerging(found, "theme", "month", as_of="2025-06")
    with pytest.raises(ConfigError, match="E550"):
        hi.emerging(found, "theme", "month", as_of="2026Q2")


def test_early_warnings_are_emerging_as_of_each_period() -> None:
    found = history()
    warnings = hi.early_warnings(found, "theme", "month", exposure="days")
    assert warnings[["theme", "period", "reason", "is_first", "peak_period"]].values.tolist() == [
        ["outage", "2026-04", "new", True, "2026-05"],
        ["outage", "2026-05", "rising", False, "2026-05"],  # within a period, the strongest first
        ["billing", "2026-05", "rising", True, "2026-05"],
    ]
    for period in ("2026-04", "2026-05"):
        fired = set(warnings.loc[warnings["period"] == period, "theme"])
        as_of = hi.emerging(found, "theme", "month", as_of=period, exposure="days")
        assert fired == set(as_of.loc[as_of["is_emerging"], "theme"])
        # and the same from the data cut at the end of that period
        end = pd.Period(period, "M").end_time.tz_localize("UTC")
        cut = hi.early_warnings(found[found["created_at"] <= end], "theme", "month", exposure="days")
        np.testing.assert_array_equal(
            cut[["theme", "period"]].to_numpy(),
            warnings[warnings["period"] <= period][["theme", "period"]].to_numpy(),
        )


@pytest.mark.parametrize(
    "kwargs", [{"baseline_periods": 0}, {"min_history": 0}, {"min_contacts": 0}, {"min_ratio": 0}]
)
def test_emerging_bad_parameters(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="E550"):
        hi.emerging(history(), **kwargs)  # type: ignore[arg-type]

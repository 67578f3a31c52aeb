"""before_after(): did the change work, net of the trend under way."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.analytics.change import CHANGE_COLUMNS, _PreTrend
from hotline_insight.errors import ConfigError

from .conftest import check_schema, grievance_frame


def monthly(
    counts: list[int], start_year: int = 2025, key: str = "policies", value: str = "fee"
) -> pd.DataFrame:
    rows = []
    for i, n in enumerate(counts):
        year, month = divmod(i, 12)
        rows += [{"created_at": f"{start_year + year}-{month + 1:02d}-15", key: [value]}] * n
    frame = grievance_frame(rows)
    frame.insert(0, "interaction_id", [str(i) for i in range(len(frame))])
    return frame


def corpus_for(found: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """The grievances' contacts plus one other contact a month: the data runs all year."""
    others = pd.DataFrame(
        {
            "id": [f"k{i}" for i in range(months)],
            "created_at": pd.to_datetime([f"2025-{m + 1:02d}-02" for m in range(months)], utc=True),
        }
    )
    mine = pd.DataFrame({"id": found["interaction_id"], "created_at": found["created_at"]})
    return pd.concat([mine, others], ignore_index=True)


def one(found: pd.DataFrame, **kwargs: object) -> pd.Series:
    out = hi.before_after(
        found,
        "policy:fee",
        at="2025-07-01",
        exposure="days",
        corpus=corpus_for(found),
        **kwargs,  # type: ignore[arg-type]
    )
    check_schema(out, CHANGE_COLUMNS)
    assert len(out) == 1
    return out.iloc[0]


@pytest.mark.parametrize(
    "counts,verdict",
    [
        ([6, 5, 7, 6, 6, 5, 0, 1, 0, 0, 0, 1], "worked"),
        ([6, 5, 7, 6, 6, 5, 6, 7, 5, 6, 6, 5], "no_change"),
        ([2, 3, 2, 3, 2, 3, 9, 8, 10, 9, 11, 9], "backfired"),
        ([0, 0, 0, 0, 0, 0, 4, 5, 6, 5, 4, 6], "backfired"),  # nothing before: exact rate comparison
    ],
)
def test_verdicts(counts: list[int], verdict: str) -> None:
    row = one(monthly(counts))
    assert row["verdict"] == verdict
    if verdict != "insufficient_data":
        assert row["ratio_low"] <= row["ratio"] <= row["ratio_high"] or row["ratio"] == 0


def test_too_few_periods_before() -> None:
    found = monthly([6, 5, 7, 6, 6, 5, 0, 1, 0, 0, 0, 1])
    row = hi.before_after(found, "policy:fee", at="2025-03-01", corpus=corpus_for(found)).iloc[0]
    assert row["n_periods_before"] == 2 and row["verdict"] == "insufficient_data"
    assert pd.isna(row["ratio"]) and row["crude_ratio"] > 0  # the naive figures are still given
    assert (
        hi.before_after(found, "policy:fee", at="2025-03-01", corpus=corpus_for(found), min_periods=2).iloc[
            0
        ]["verdict"]
        != "insufficient_data"
    )


def test_counts_rates_and_crude_ratio() -> None:
    row = one(monthly([6, 5, 7, 6, 6, 5, 0, 1, 0, 0, 0, 1]))
    days_before = (pd.Timestamp("2025-07-01") - pd.Timestamp("2025-01-01")).days
    days_after = (pd.Timestamp("2026-01-01") - pd.Timestamp("2025-07-01")).days
    assert (row["contacts_before"], row["contacts_after"]) == (35, 2)
    assert (row["n_periods_before"], row["n_periods_after"]) == (6, 6)
    assert row["rate_before"] == pytest.approx(35 / days_before)
    assert row["crude_ratio"] == pytest.approx((2 / days_after) / (35 / days_before))
    assert row["method"] == "pre_level"  # a flat series has no trend to extrapolate
    assert row["expected_after"] == pytest.approx(35 / days_before * days_after)
    assert row["ratio"] == pytest.approx(2 / row["expected_after"])


def test_a_trend_under_way_is_extrapolated() -> None:
    # falling before the change, and falling on at the same pace after: not the change's doing
    counts = [40, 32, 26, 21, 17, 14, 11, 9, 7, 6, 5, 4]
    row = one(monthly(counts))
    assert row["method"] == "pre_trend"
    assert row["verdict"] == "no_change"
    assert row["crude_ratio"] < 0.5  # the naive comparison would say it worked
    naive = one(monthly(counts), trend=False)
    assert naive["verdict"] == "worked"


def test_zero_after_gives_ratio_zero_with_a_finite_upper_bound() -> None:
    row = one(monthly([6, 5, 7, 6, 6, 5, 0, 0, 0, 0, 0, 0]))
    assert row["ratio"] == 0 and row["ratio_low"] == 0 and 0 < row["ratio_high"] < 0.2
    assert row["verdict"] == "worked"


def test_profile_interval_matches_the_likelihood_ratio_by_hand() -> None:
    model = _PreTrend(
        y=np.array([5.0, 7.0, 6.0]),
        t=np.array([-3.0, -2.0, -1.0]),
        log_e=np.zeros(3),
        t_post=np.array([0.0, 1.0]),
        log_e_post=np.zeros(2),
        y_post=4.0,
        trend=False,
    )
    theta, low, high, p = model.ratio(3.841458820694124)
    # level model: pre rate 6 a period, expected 12 after; theta = 4 / 12
    assert theta == pytest.approx(1 / 3)

    def deviance(t: float) -> float:  # profile over the common rate by hand
        lam = (18 + 4) / (3 + 2 * t)
        ll = 18 * math.log(lam) - 3 * lam + 4 * math.log(t * lam) - 2 * t * lam
        lam0 = 6.0
        best = 18 * math.log(lam0) - 3 * lam0 + 4 * math.log(4 / 2) - 4
        return 2 * (best - ll)

    assert deviance(low) == pytest.approx(3.841458820694124, abs=1e-6)
    assert deviance(high) == pytest.approx(3.841458820694124, abs=1e-6)
    from scipy.stats import chi2

    assert p == pytest.approx(chi2.sf(deviance(1.0), 1))


def test_transition_period_is_left_out() -> None:
    found = monthly([6, 5, 7, 6, 6, 5, 0, 1, 0, 0, 0, 1])
    row = hi.before_after(found, "policy:fee", at="2025-07-10", exposure="days").iloc[0]
    assert (row["n_periods_before"], row["n_periods_after"]) == (6, 5)  # July is part before, part after


def test_catalog_dates() -> None:
    catalog = hi.Catalog.from_yaml(
        """
policies:
  - {id: fee, name: Paper bill fee, effective_from: 2024-01-01, effective_to: 2025-06-30}
  - {id: new, name: New fee, effective_from: 2025-07-01}
  - {id: old, name: Old fee, effective_from: 2020-01-01}
"""
    )
    found = monthly([6, 5, 7, 6, 6, 5, 0, 1, 0, 0, 0, 1])
    out = hi.before_after(found, catalog=catalog, exposure="days")
    assert out[["key", "event", "verdict"]].values.tolist() == [
        ["policy:fee", "effective_to", "worked"],
        ["policy:new", "effective_from", "insufficient_data"],
    ]
    assert str(out["changed_at"].iloc[0]) == "2025-07-01 00:00:00+00:00"  # the day after effective_to
    with pytest.raises(ConfigError, match="E556"):
        hi.before_after(found, "policy:old", catalog=catalog)
    with pytest.raises(KeyError, match="E306"):
        hi.before_after(found, "policy:nope", catalog=catalog)


@pytest.mark.parametrize(
    "key,kwargs,code",
    [
        ("policy:fee", {}, "E557"),
        ("theme:x", {"catalog": None}, "E557"),
        ("fee", {"at": "2025-07-01"}, "E558"),
        (None, {"at": "2025-07-01"}, "E558"),
        ("policy:fee", {"at": "someday"}, "E550"),
        ("policy:fee", {"at": "2025-07-01", "min_periods": 1}, "E550"),
        ("policy:fee", {"at": "2025-07-01", "trend": "maybe"}, "E550"),
    ],
)
def test_bad_input(key: str | None, kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(ConfigError, match=code):
        hi.before_after(monthly([1, 2, 3]), key, **kwargs)  # type: ignore[arg-type]


def test_without_a_corpus_the_data_ends_with_the_last_grievance() -> None:
    found = monthly([6, 5, 7, 6, 6, 5, 0, 0, 0, 0, 0, 0])
    alone = hi.before_after(found, "policy:fee", at="2025-07-01", exposure="days").iloc[0]
    assert alone["n_periods_after"] == 0 and alone["verdict"] == "insufficient_data"
    assert one(found)["verdict"] == "worked"


def test_unknown_value_and_empty_series() -> None:
    row = hi.before_after(monthly([6, 5, 7, 6, 6, 5, 0, 1]), "policy:other", at="2025-07-01").iloc[0]
    assert row["verdict"] == "insufficient_data" and pd.isna(row["ratio"])

"""The statistics, against published values and scipy's own implementations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sp

from hotline_insight.analytics.stats import (
    benjamini_hochberg,
    fisher_exact_p,
    log_odds_dirichlet,
    newcombe_difference,
    rate_ratio,
    two_by_two_test,
    welch_difference,
    wilson_interval,
)


@pytest.mark.parametrize(
    "x,n,low,high",
    [
        # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (8, 10, 0.4902, 0.9433),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_matches_published_values(x: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson_interval(x, n)
    assert round(float(got_low), 4) == low
    assert round(float(got_high), 4) == high


def test_wilson_is_undefined_for_no_trials() -> None:
    low, high = wilson_interval([0, 3], [0, 5])
    assert math.isnan(low[0]) and math.isnan(high[0])
    assert not math.isnan(low[1])


@given(st.integers(0, 500), st.integers(1, 500), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_contains_the_proportion(x: int, n: int, confidence: float) -> None:
    x = min(x, n)
    low, high = wilson_interval(x, n, confidence)
    assert 0 <= low <= x / n + 1e-12 <= high + 2e-12 <= 1 + 2e-12


@pytest.mark.parametrize(
    "x1,n1,x2,n2,diff,low,high",
    [
        # Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10
        (56, 70, 48, 80, 0.2, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.6, 0.1705, 0.8090),
        (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
    ],
)
def test_newcombe_matches_published_values(
    x1: int, n1: int, x2: int, n2: int, diff: float, low: float, high: float
) -> None:
    d, got_low, got_high = newcombe_difference(x1, n1, x2, n2)
    assert round(float(d), 4) == diff
    assert round(float(got_low), 4) == low
    assert round(float(got_high), 4) == high


@pytest.mark.parametrize(
    "m1,v1,n1,m2,v2,n2",
    [(0.8, 0.04, 50, 0.6, 0.09, 40), (3.1, 1.2, 12, 3.4, 0.4, 30), (10.0, 4.0, 5, 10.0, 4.0, 5)],
)
def test_welch_matches_scipy(m1: float, v1: float, n1: int, m2: float, v2: float, n2: int) -> None:
    _d, low, high, p = welch_difference(m1, v1, n1, m2, v2, n2)
    ref = sp.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m2, math.sqrt(v2), n2, equal_var=False)
    assert float(p) == pytest.approx(ref.pvalue, rel=1e-9)
    se = math.sqrt(v1 / n1 + v2 / n2)
    df = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    q = sp.t.ppf(0.975, df)
    assert float(low) == pytest.approx(m1 - m2 - q * se)
    assert float(high) == pytest.approx(m1 - m2 + q * se)


def test_welch_needs_two_values_per_group_and_handles_zero_variance() -> None:
    _, low, high, p = welch_difference(1.0, 0.0, 1, 0.5, 0.1, 10)
    assert math.isnan(low) and math.isnan(high) and math.isnan(p)
    d, low, high, p = welch_difference(1.0, 0.0, 5, 0.0, 0.0, 5)
    assert (float(d), float(low), float(high), float(p)) == (1.0, 1.0, 1.0, 0.0)


def test_benjamini_hochberg_by_hand() -> None:
    # p sorted: .005 .01 .03 .04 .2 with m = 5: q = min over later of p*m/rank
    q = benjamini_hochberg([0.04, 0.005, 0.2, 0.01, 0.03, float("nan")])
    expected = [0.05, 0.025, 0.2, 0.025, 0.05, float("nan")]
    assert np.allclose(q, expected, equal_nan=True)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=40))
def test_benjamini_hochberg_is_monotone_and_at_least_p(p: list[float]) -> None:
    q = benjamini_hochberg(p)
    arr = np.asarray(p)
    assert np.all(q >= arr - 1e-15) and np.all(q <= 1)
    order = np.argsort(arr, kind="mergesort")
    assert np.all(np.diff(q[order]) >= -1e-15)


def test_log_odds_dirichlet_by_hand() -> None:
    counts = np.array([[30.0, 5.0], [10.0, 40.0]])
    delta, z = log_odds_dirichlet(counts, prior_strength=10)
    # cell (0, 0): alpha = 10 * 35/85; in-group 30 + alpha of 40 + 10; out-group 5 + alpha of 45 + 10
    alpha = 10 * 35 / 85
    inside, outside = 30 + alpha, 5 + alpha
    expected = math.log(inside / (50 - inside)) - math.log(outside / (55 - outside))
    assert delta[0, 0] == pytest.approx(expected)
    assert z[0, 0] == pytest.approx(expected / math.sqrt(1 / inside + 1 / outside))
    assert delta[0, 1] == pytest.approx(-delta[0, 0])


def test_log_odds_prior_shrinks_small_counts() -> None:
    small = log_odds_dirichlet([[2, 0], [0, 2], [50, 50]], prior_strength=50)[0][0, 0]
    big = log_odds_dirichlet([[200, 0], [0, 200], [50, 50]], prior_strength=50)[0][0, 0]
    assert 0 < small < big


def test_log_odds_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        log_odds_dirichlet([1, 2, 3])
    with pytest.raises(ValueError):
        log_odds_dirichlet([[1, 2]], prior_strength=0)


@pytest.mark.parametrize(
    "x1,e1,x0,e0", [(30, 90, 10, 90), (3, 30, 0, 30), (5, 10, 5, 10), (12, 50, 3, 20), (0, 7, 4, 7)]
)
def test_rate_ratio_one_sided_p_is_the_exact_binomial_test(x1: int, e1: float, x0: int, e0: float) -> None:
    share = e1 / (e1 + e0)
    for alternative in ("greater", "less"):
        _, _, _, p = rate_ratio(x1, e1, x0, e0, alternative=alternative)
        ref = sp.binomtest(x1, x1 + x0, share, alternative=alternative).pvalue
        assert float(p) == pytest.approx(ref, rel=1e-9)
    _, _, _, p2 = rate_ratio(x1, e1, x0, e0)
    one = min(sp.binom.cdf(x1, x1 + x0, share), sp.binom.sf(x1 - 1, x1 + x0, share))
    assert float(p2) == pytest.approx(min(1.0, 2 * one), rel=1e-9)


def test_rate_ratio_interval_is_clopper_pearson_of_the_split() -> None:
    ratio, low, high, _ = rate_ratio(30, 90.0, 10, 90.0)
    ci = sp.binomtest(30, 40).proportion_ci(method="exact")
    assert float(ratio) == 3.0
    assert float(low) == pytest.approx(ci.low / (1 - ci.low))
    assert float(high) == pytest.approx(ci.high / (1 - ci.high))


def test_rate_ratio_edge_cases() -> None:
    ratio, low, high, p = rate_ratio([3, 0, 2], [30, 30, 0], [0, 0, 1], [30, 30, 5])
    assert ratio[0] == np.inf and high[0] == np.inf and low[0] > 0
    assert np.isnan(ratio[1]) and np.isnan(p[1])  # 0 against 0: undefined, not 1
    assert np.isnan(ratio[2]) and np.isnan(low[2])  # no exposure


@given(st.integers(0, 60), st.integers(0, 60), st.floats(1, 200), st.floats(1, 200))
def test_rate_ratio_interval_contains_the_ratio(x1: int, x0: int, e1: float, e0: float) -> None:
    ratio, low, high, p = rate_ratio(x1, e1, x0, e0)
    if x1 + x0 == 0:
        assert np.isnan(ratio)
        return
    assert low <= ratio * (1 + 1e-9) and ratio <= high * (1 + 1e-9)
    assert 0 <= p <= 1


def test_fisher_matches_scipy() -> None:
    rng = np.random.default_rng(0)
    for table in rng.integers(0, 25, size=(300, 4)):
        a, b, c, d = (int(v) for v in table)
        if a + b == 0 or c + d == 0:
            continue
        assert fisher_exact_p(a, b, c, d) == pytest.approx(sp.fisher_exact([[a, b], [c, d]]).pvalue, rel=1e-9)


def test_two_by_two_picks_fisher_for_small_counts() -> None:
    p, test = two_by_two_test([3, 120, 0], [1, 80, 0], [1, 60, 5], [10, 140, 5])
    assert test.tolist() == ["fisher", "chi2", "none"]
    assert p[0] == pytest.approx(sp.fisher_exact([[3, 1], [1, 10]]).pvalue)
    assert p[1] == pytest.approx(sp.chi2_contingency([[120, 80], [60, 140]], correction=False)[1])
    assert np.isnan(p[2])

"""The statistics behind every analytics table, vectorised over numpy arrays.

Each function takes counts (scalars or arrays that broadcast) and returns
arrays. Where a figure is undefined (an interval for zero trials, a ratio of
two zero rates) the result is ``NaN``; the table builders turn those into
``<NA>`` so an undefined figure never passes for a number.

* :func:`wilson_interval`: the Wilson score interval of a proportion.
* :func:`newcombe_difference`: a difference of two proportions with
  Newcombe's hybrid score interval (method 10).
* :func:`benjamini_hochberg`: false discovery rate adjusted p-values (q-values).
* :func:`log_odds_dirichlet`: log-odds ratios with an informative Dirichlet
  prior and their z-scores (Monroe, Colaresi and Quinn, 2008).
* :func:`rate_ratio`: the ratio of two Poisson rates with its exact
  conditional (binomial) test and Clopper-Pearson-based interval.
* :func:`two_by_two_test`: Fisher's exact test for small tables, Pearson's
  chi-square otherwise.

Examples:
    >>> import numpy as np
    >>> from hotline_insight.analytics.stats import wilson_interval, rate_ratio
    >>> low, high = wilson_interval(8, 10)
    >>> round(float(low), 3), round(float(high), 3)
    (0.49, 0.943)
    >>> ratio, low, high, p = rate_ratio(30, 90.0, 10, 90.0)
    >>> round(float(ratio), 2), bool(low > 1), round(float(p), 4)
    (3.0, True, 0.0022)
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "benjamini_hochberg",
    "fisher_exact_p",
    "log_odds_dirichlet",
    "newcombe_difference",
    "rate_ratio",
    "two_by_two_test",
    "welch_difference",
    "wilson_interval",
]

FloatArray = npt.NDArray[np.float64]
Alternative = Literal["two-sided", "greater", "less"]


def _z(confidence: float) -> float:
    from scipy.special import ndtri

    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}")
    return float(ndtri(0.5 + confidence / 2))


def wilson_interval(successes: Any, n: Any, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """The Wilson score interval of the proportion ``successes / n``.

    Args:
        successes: counts of successes (arrays broadcast).
        n: counts of trials; ``n == 0`` gives ``NaN`` bounds.
        confidence: the coverage, in (0, 1).

    Returns:
        ``(low, high)`` arrays, within [0, 1].

    Examples:
        >>> low, high = wilson_interval([0, 5, 3], [10, 10, 0])
        >>> [round(float(x), 3) for x in low[:2]], bool(np.isnan(low[2]))
        ([0.0, 0.237], True)
    """
    x = np.asarray(successes, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / m
        denom = 1 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denom
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    undefined = m <= 0
    low = np.where(undefined, np.nan, low)
    high = np.where(undefined, np.nan, high)
    # exact at the edges (rounding can leave 1e-17)
    low = np.where(~undefined & (x <= 0), 0.0, low)
    high = np.where(~undefined & (x >= m), 1.0, high)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def newcombe_difference(
    x1: Any, n1: Any, x2: Any, n2: Any, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The difference ``x1/n1 - x2/n2`` with Newcombe's hybrid score interval.

    Built from the two Wilson intervals (Newcombe 1998, method 10); well
    behaved for small counts and proportions near 0 or 1.

    Returns:
        ``(difference, low, high)``; ``NaN`` where either ``n`` is 0.

    Examples:
        >>> d, low, high = newcombe_difference(56, 70, 48, 80)
        >>> round(float(d), 3), round(float(low), 4), round(float(high), 4)
        (0.2, 0.0524, 0.3339)
    """
    a1 = np.asarray(x1, dtype=np.float64)
    m1 = np.asarray(n1, dtype=np.float64)
    a2 = np.asarray(x2, dtype=np.float64)
    m2 = np.asarray(n2, dtype=np.float64)
    l1, u1 = wilson_interval(a1, m1, confidence)
    l2, u2 = wilson_interval(a2, m2, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = a1 / m1, a2 / m2
        d = p1 - p2
        low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    bad = (m1 <= 0) | (m2 <= 0)
    return (
        np.where(bad, np.nan, d).astype(np.float64),
        np.where(bad, np.nan, low).astype(np.float64),
        np.where(bad, np.nan, high).astype(np.float64),
    )


def welch_difference(
    mean1: Any, var1: Any, n1: Any, mean2: Any, var2: Any, n2: Any, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The difference of two means with Welch's t interval and two-sided p-value.

    ``var1``/``var2`` are sample variances (``ddof=1``). Each group needs at
    least two values; otherwise the interval and p-value are ``NaN``. When
    both variances are 0 the interval collapses to the difference and the
    p-value is 0 if the means differ, else 1.

    Returns:
        ``(difference, low, high, p_value)``.

    Examples:
        >>> d, low, high, p = welch_difference(0.8, 0.04, 50, 0.6, 0.09, 40)
        >>> round(float(d), 2), round(float(low), 3), round(float(high), 3), round(float(p), 5)
        (0.2, 0.09, 0.31, 0.00057)
    """
    from scipy.special import stdtr, stdtrit

    m1, v1, k1 = (np.asarray(v, dtype=np.float64) for v in (mean1, var1, n1))
    m2, v2, k2 = (np.asarray(v, dtype=np.float64) for v in (mean2, var2, n2))
    d = m1 - m2
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, s2 = v1 / k1, v2 / k2
        se = np.sqrt(s1 + s2)
        df = (s1 + s2) ** 2 / (s1**2 / (k1 - 1) + s2**2 / (k2 - 1))
        q = stdtrit(df, 0.5 + confidence / 2)
        low, high = d - q * se, d + q * se
        p = 2 * stdtr(df, -np.abs(d) / se)
    degenerate = se == 0
    low = np.where(degenerate, d, low)
    high = np.where(degenerate, d, high)
    p = np.where(degenerate, np.where(d == 0, 1.0, 0.0), p)
    bad = (k1 < 2) | (k2 < 2)
    out = [np.where(bad, np.nan, a).astype(np.float64) for a in (low, high, p)]
    return d.astype(np.float64), out[0], out[1], out[2]


def benjamini_hochberg(p_values: Any) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values); ``NaN`` entries stay ``NaN`` and are not counted.

    Examples:
        >>> benjamini_hochberg([0.01, 0.04, 0.03, float("nan")]).round(3).tolist()
        [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p_values, dtype=np.float64).ravel()
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    values = p[ok]
    order = np.argsort(values, kind="mergesort")
    ranked = values[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    out[ok] = adjusted
    return out


def log_odds_dirichlet(counts: Any, prior_strength: float = 50.0) -> tuple[FloatArray, FloatArray]:
    """Log-odds ratios with an informative Dirichlet prior, and their z-scores.

    ``counts[i, j]`` is how often item ``i`` (a theme) occurs in group ``j``
    (a product). For each cell, the log-odds of ``i`` within ``j`` is compared
    with its log-odds in all other groups together, each smoothed by a prior
    ``alpha_i = prior_strength * (row total i / grand total)`` (Monroe,
    Colaresi and Quinn 2008, eq. 16-22), and divided by its approximate
    standard deviation to give a z-score. The prior shrinks rare cells towards
    no difference, so a pair seen twice does not outrank one seen fifty times.

    Args:
        counts: a 2-D array of non-negative counts.
        prior_strength: the total pseudo-count ``alpha_0`` of the prior (> 0).

    Returns:
        ``(delta, z)``, arrays of the shape of ``counts``; ``NaN`` where an
        item never occurs or there is only one group.

    Examples:
        >>> delta, z = log_odds_dirichlet([[30, 5], [10, 40]], prior_strength=10)
        >>> delta.round(2).tolist(), z.round(2).tolist()
        ([[2.38, -2.38], [-2.38, 2.38]], [[6.39, -6.39], [-8.18, 8.18]])
    """
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError(f"counts must be a 2-D array; got {y.ndim} dimension(s)")
    if prior_strength <= 0:
        raise ValueError(f"prior_strength must be > 0; got {prior_strength!r}")
    total = y.sum()
    row = y.sum(axis=1, keepdims=True)
    col = y.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = prior_strength * row / total
        a0 = prior_strength
        inside = y + alpha
        outside = (row - y) + alpha
        n_in = col + a0
        n_out = (total - col) + a0
        delta = np.log(inside / (n_in - inside)) - np.log(outside / (n_out - outside))
        var = 1.0 / inside + 1.0 / outside
        z = delta / np.sqrt(var)
    bad = (row <= 0) | (y.shape[1] < 2) | np.zeros_like(y, dtype=bool)
    return np.where(bad, np.nan, delta), np.where(bad, np.nan, z)


def _binom_p(x: FloatArray, n: FloatArray, p: FloatArray, alternative: Alternative) -> FloatArray:
    from scipy.special import betainc

    # P(X <= x) = I_{1-p}(n - x, x + 1); P(X >= x) = I_p(x, n - x + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(x >= n, 1.0, betainc(np.maximum(n - x, 1e-300), x + 1, 1 - p))
        upper = np.where(x <= 0, 1.0, betainc(np.maximum(x, 1e-300), n - x + 1, p))
    if alternative == "greater":
        out = upper
    elif alternative == "less":
        out = lower
    else:
        out = np.minimum(1.0, 2 * np.minimum(lower, upper))
    return np.asarray(out, dtype=np.float64)


def rate_ratio(
    x1: Any,
    exposure1: Any,
    x0: Any,
    exposure0: Any,
    *,
    confidence: float = 0.95,
    alternative: Alternative = "two-sided",
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The ratio of two Poisson rates ``(x1/exposure1) / (x0/exposure0)``, exactly tested.

    Conditional on ``x1 + x0``, ``x1`` is binomial with probability
    ``exposure1 / (exposure1 + exposure0)`` when the rates are equal. The
    p-value is that exact binomial test (two-sided: twice the smaller tail,
    capped at 1); the interval is the Clopper-Pearson interval of the split,
    turned into a ratio. Exposure is time (days) for counts, or trials
    (contacts) for rates; for common events the interval is then somewhat
    conservative.

    Args:
        x1: events in the period of interest.
        exposure1: its exposure (> 0).
        x0: events in the reference period.
        exposure0: its exposure (> 0).
        confidence: the interval's coverage.
        alternative: ``"two-sided"``, ``"greater"`` (rate 1 higher) or ``"less"``.

    Returns:
        ``(ratio, low, high, p_value)``. The ratio is ``inf`` when ``x0 == 0 <
        x1`` (its interval is then ``[low, inf]``); everything is ``NaN`` where
        an exposure is not positive; the ratio and p-value are ``NaN`` when both
        counts are 0.

    Examples:
        >>> ratio, low, high, p = rate_ratio([3, 0], [30, 30], [0, 0], [30, 30])
        >>> ratio.tolist(), bool(np.isnan(p[1]))
        ([inf, nan], True)
    """
    from scipy.special import betaincinv

    a1 = np.asarray(x1, dtype=np.float64)
    a0 = np.asarray(x0, dtype=np.float64)
    e1 = np.asarray(exposure1, dtype=np.float64)
    e0 = np.asarray(exposure0, dtype=np.float64)
    a1, a0, e1, e0 = np.broadcast_arrays(a1, a0, e1, e0)
    n = a1 + a0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = e1 / (e1 + e0)
        ratio = (a1 / e1) / (a0 / e0)
        p = _binom_p(a1, n, share, alternative)
        tail = (1 - confidence) / 2 if alternative == "two-sided" else 1 - confidence
        lo_split = np.where(a1 > 0, betaincinv(a1, a0 + 1, tail), 0.0)
        hi_split = np.where(a0 > 0, betaincinv(a1 + 1, a0, 1 - tail), 1.0)
        odds = e0 / e1
        low = lo_split / (1 - lo_split) * odds
        high = np.where(hi_split >= 1, np.inf, hi_split / (1 - hi_split) * odds)
    if alternative == "greater":
        high = np.full_like(high, np.inf)
    elif alternative == "less":
        low = np.zeros_like(low)
    no_exposure = (e1 <= 0) | (e0 <= 0) | np.isnan(e1) | np.isnan(e0)
    empty = n <= 0
    ratio = np.where(no_exposure | empty, np.nan, ratio)
    p = np.where(no_exposure | empty, np.nan, p)
    low = np.where(no_exposure | empty, np.nan, low)
    high = np.where(no_exposure | empty, np.nan, high)
    return (
        ratio.astype(np.float64),
        low.astype(np.float64),
        high.astype(np.float64),
        p.astype(np.float64),
    )


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test of the table ``[[a, b], [c, d]]``.

    The sum of the hypergeometric probabilities of every table with the same
    margins that is no more likely than the one observed (the usual two-sided
    definition, with a relative tolerance of 1e-7 for ties).

    Examples:
        >>> round(fisher_exact_p(3, 1, 1, 10), 4)
        0.033
    """
    from scipy.special import gammaln

    r1, c1, n = a + b, a + c, a + b + c + d
    low, high = max(0, r1 + c1 - n), min(r1, c1)
    k = np.arange(low, high + 1, dtype=np.float64)

    def log_pmf(x: Any) -> Any:
        return (
            gammaln(r1 + 1)
            - gammaln(x + 1)
            - gammaln(r1 - x + 1)
            + gammaln(n - r1 + 1)
            - gammaln(c1 - x + 1)
            - gammaln(n - r1 - c1 + x + 1)
            - gammaln(n + 1)
            + gammaln(c1 + 1)
            + gammaln(n - c1 + 1)
        )

    observed = log_pmf(float(a))
    pmf = log_pmf(k)
    keep = pmf <= observed + 1e-7
    return float(min(1.0, np.exp(pmf[keep]).sum()))


def two_by_two_test(
    n11: Any, n12: Any, n21: Any, n22: Any, *, min_expected: float = 5.0
) -> tuple[FloatArray, npt.NDArray[np.str_]]:
    """Two-sided p-values of independence in 2x2 tables, and which test gave each.

    Fisher's exact test where any expected cell count is below
    ``min_expected`` (the usual rule for the chi-square approximation),
    Pearson's chi-square test without continuity correction otherwise.
    Identical small tables are computed once.

    Returns:
        ``(p_value, test)``: ``test`` is ``"fisher"`` or ``"chi2"``; tables
        with an empty row or column get ``NaN`` and ``"none"``.

    Examples:
        >>> p, test = two_by_two_test([3, 120], [1, 80], [1, 60], [10, 140])
        >>> p.round(4).tolist(), test.tolist()
        ([0.033, 0.0], ['fisher', 'chi2'])
    """
    from scipy.special import chdtrc

    a, b, c, d = (np.asarray(v, dtype=np.float64).ravel() for v in (n11, n12, n21, n22))
    a, b, c, d = np.broadcast_arrays(a, b, c, d)
    n = a + b + c + d
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.stack([r1 * c1, r1 * c2, r2 * c1, r2 * c2]) / n
        stat = n * (a * d - b * c) ** 2 / (r1 * r2 * c1 * c2)
        p = chdtrc(1, stat)
    empty = (r1 <= 0) | (r2 <= 0) | (c1 <= 0) | (c2 <= 0)
    small = ~empty & (e.min(axis=0) < min_expected)
    p = np.where(empty, np.nan, p)
    test = np.where(empty, "none", np.where(small, "fisher", "chi2"))
    cache: dict[tuple[int, int, int, int], float] = {}
    for i in np.flatnonzero(small):
        key = (int(a[i]), int(b[i]), int(c[i]), int(d[i]))
        if key not in cache:
            cache[key] = fisher_exact_p(*key)
        p[i] = cache[key]
    return p.astype(np.float64), test

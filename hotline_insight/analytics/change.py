"""Did the change work? Grievance rates before and after a date, net of the trend under way.

:func:`before_after` takes a product or policy with an effective date in the
catalog (or any date the user names: a fix shipped, a fee dropped) and asks
how many contacts about it came after the change, against how many the
periods before would have predicted. It is an interrupted time series:

* before the change, the contacts per period follow a Poisson log-linear
  model with the period's exposure (all contacts, or days):
  ``y_t ~ Poisson(exposure_t * exp(b0 + b1 * t))``; the trend ``b1`` is the
  one under way (with ``trend="auto"``, kept only when the periods before
  show one: its likelihood-ratio test has p < ``trend_alpha``; a series
  mostly of zeros has an onset, not a trend, and is given its level only);
* the change's effect is ``ratio = observed after / expected after``, the
  expectation extrapolating that model over the periods after. Only the total
  after is used for the ratio, so the shape of the series after the change
  cannot bend the trend estimated before it;
* the interval inverts the profile likelihood-ratio test of the ratio, divided
  by the Pearson dispersion of the fit before when it is above 1
  (quasi-Poisson). It stays valid when the grievances stop altogether (the
  ratio is then 0 and only the upper bound is finite). With no contacts at all
  before the change there is nothing to extrapolate, and the exact comparison
  of the two rates is given instead.

The period containing the change date, when the date is not its first day,
is left out: it is part before, part after. A naive before/after rate ratio
with its exact interval is reported next to it.

The verdict: ``worked`` when the whole interval is below 1 (fewer grievances
than the trend predicts), ``backfired`` when it is above 1, ``no_change`` when
it contains 1, and ``insufficient_data`` with fewer than ``min_periods``
periods with data before the change, none after, or no contact at all.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> months = [f"2025-{m:02d}-15" for m in range(1, 13)]
    >>> counts = [6, 5, 7, 6, 6, 5, 0, 1, 0, 0, 0, 1]
    >>> when = [m for m, c in zip(months, counts) for _ in range(c)]
    >>> found = pd.DataFrame({"interaction_id": [str(i) for i in range(len(when))],
    ...     "created_at": pd.to_datetime(when, utc=True), "policies": [["paper_fee"]] * len(when)})
    >>> result = hi.before_after(found, "policy:paper_fee", at="2025-07-01", exposure="days")
    >>> result[["key", "contacts_before", "contacts_after", "verdict"]]
                    key  contacts_before  contacts_after verdict
    0  policy:paper_fee               35               2  worked
    >>> bool(result.loc[0, "ratio_high"] < 1)
    True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors
from ._frames import (
    Context,
    astype,
    check_choice,
    check_dims,
    check_number,
    check_timezone,
    nullable,
    period_ordinals,
    period_start,
)
from .stats import rate_ratio
from .trends import _Series, _series_of, _source

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..corpus import Corpus
    from ..grievances import Grievances
    from ..store import Store
    from .customers import CustomerIdentities
    from .prepare import PreparedAnalysis

__all__ = ["CHANGE_COLUMNS", "before_after"]

#: Columns of :func:`before_after`, with their dtypes.
CHANGE_COLUMNS: dict[str, str] = {
    "key": "string",
    "dimension": "string",
    "value": "string",
    "event": "string",
    "changed_at": "datetime64[ns, UTC]",
    "n_periods_before": "int64",
    "n_periods_after": "int64",
    "contacts_before": "int64",
    "contacts_after": "int64",
    "rate_before": "Float64",
    "rate_after": "Float64",
    "crude_ratio": "Float64",
    "crude_low": "Float64",
    "crude_high": "Float64",
    "expected_after": "Float64",
    "ratio": "Float64",
    "ratio_low": "Float64",
    "ratio_high": "Float64",
    "p_value": "Float64",
    "dispersion": "Float64",
    "method": "string",
    "verdict": "string",
}


def before_after(
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | Store,
    key: str | None = None,
    *,
    at: Any = None,
    catalog: Catalog | None = None,
    corpus: Corpus | pd.DataFrame | None = None,
    freq: Literal["week", "month", "quarter"] = "month",
    exposure: Literal["contacts", "days"] = "contacts",
    timezone: str | None = None,
    periods: int | None = None,
    trend: bool | Literal["auto"] = "auto",
    trend_alpha: float = 0.1,
    min_periods: int = 3,
    confidence: float = 0.95,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Grievance rates before and after a change, with a test that accounts for the trend under way.

    What to test:

    * ``key="policy:<id>"`` with ``catalog=``: the policy's own dates. A date
      inside the data is a change: ``effective_from`` (the policy started) and
      the day after ``effective_to`` (it was withdrawn); one row each.
    * ``key="<dimension>:<value>"`` (``"theme:unexpected_fees"``,
      ``"product:router_hub5"``) with ``at=``: any date the user names.
    * no key, with ``catalog=``: every policy with a date inside the data.

    Args:
        grievances: Grievances, a frame like ``Grievances.to_frame()``, the
            :class:`~hotline_insight.PreparedAnalysis` of :func:`~hotline_insight.prepare_analysis`,
            or a :class:`~hotline_insight.Store` (counted one partition at a time,
            as :func:`~hotline_insight.trends` counts it).
        key: what to count, ``"<dimension>:<value>"``.
        at: the change date (overrides the catalog's); a date or time (naive: in ``timezone``).
        catalog: products and policies with effective dates.
        corpus: the interactions: all contacts give the exposure, and the span of
            the data. Without it, the data runs from the first grievance to the
            last: periods after the last grievance are unknown, not zero.
        freq: the periods of the series: ``week``, ``month`` or ``quarter``.
        exposure: ``contacts`` (rate per contact) or ``days``.
        timezone: the zone whose calendar the periods follow.
        periods: use at most this many periods on each side (default: all).
        trend: extrapolate the log-linear trend under way before the change
            (``True``), only its level (``False``), or the trend when the
            periods before show one (``"auto"``: its likelihood-ratio test has
            p < ``trend_alpha``). A trend needs 3 periods before, with contacts
            in at least 2 of them and in at least half: a series that starts
            from nothing (a problem that began shortly before the change) has
            an onset, not a trend, and extrapolating its growth would predict
            without bound.
        trend_alpha: the level of the test for a trend under way.
        min_periods: periods with data needed before the change (>= 2).
        confidence: coverage of the intervals.
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse.
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        One row per key and change date:

        ======================  =====================  =================================================
        column                  dtype                  meaning
        ======================  =====================  =================================================
        ``key``                 string                 ``"<dimension>:<value>"``
        ``dimension``/``value`` string                 its two parts
        ``event``               string                 ``effective_from``, ``effective_to`` or ``at``
        ``changed_at``          datetime64[ns, UTC]    the change
        ``n_periods_before``    int64                  periods with data used before
        ``n_periods_after``     int64                  and after
        ``contacts_before``     int64                  contacts about the key before
        ``contacts_after``      int64                  and after
        ``rate_before/after``   Float64                contacts per exposure unit
        ``crude_ratio``         Float64                ``rate_after / rate_before``
        ``crude_low/high``      Float64                its exact interval (ignores the trend)
        ``expected_after``      Float64                contacts after, had the trend gone on
        ``ratio``               Float64                ``contacts_after / expected_after``
        ``ratio_low/high``      Float64                profile-likelihood interval
        ``p_value``             Float64                likelihood-ratio test of ``ratio = 1``
        ``dispersion``          Float64                Pearson dispersion before (>= 1)
        ``method``              string                 ``pre_trend`` (the trend before is extrapolated)
                                                       or ``pre_level`` (its level)
        ``verdict``             string                 ``worked``, ``backfired``, ``no_change``,
                                                       ``insufficient_data``
        ======================  =====================  =================================================

    Raises:
        ConfigError: E550 for a bad parameter, E557 with neither a date nor a
            catalog date, E556 when a policy's dates are all outside the data,
            E558 for a malformed key.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> when = [f"2025-{m:02d}-10" for m in range(1, 7) for _ in range(5)] + ["2025-08-10"]
        >>> found = pd.DataFrame({"interaction_id": [str(i) for i in range(len(when))],
        ...     "created_at": pd.to_datetime(when, utc=True), "themes": [["fee"]] * len(when)})
        >>> contacts = pd.DataFrame({"id": found["interaction_id"].tolist() + ["x"],
        ...     "created_at": list(found["created_at"]) + [pd.Timestamp("2025-12-20", tz="UTC")]})
        >>> result = hi.before_after(found, "theme:fee", at="2025-07-01", corpus=contacts, exposure="days")
        >>> result[["contacts_before", "contacts_after", "method", "verdict"]]
           contacts_before  contacts_after     method verdict
        0               30               1  pre_level  worked
    """
    func = "before_after"
    check_choice(func, "freq", freq, ("week", "month", "quarter"))
    check_choice(func, "exposure", exposure, ("contacts", "days"))
    tz = check_timezone(func, timezone)
    check_number(func, "min_periods", min_periods, low=2, integer=True)
    check_number(func, "trend_alpha", trend_alpha, low=0, high=1)
    if trend not in (True, False, "auto"):
        raise ConfigError(
            Errors.E550.format(name="trend", func=func, expected="True, False or 'auto'", value=trend)
        )
    check_number(func, "confidence", confidence, low=0, high=1, low_open=True)
    if periods is not None:
        check_number(func, "periods", periods, low=1, integer=True)
    ctx = _source(func, grievances, corpus, customers_table, identities, clock_offsets)
    start, end = ctx.data_start, ctx.data_end
    if start is None or end is None:
        raise ConfigError(
            Errors.E553.format(func=func, reason="no dated contacts (every created_at is missing)")
        )
    jobs = _jobs(func, key, at, catalog, tz, start, end)
    rows = []
    cache: dict[str, _Series] = {}
    for dim, value, event, changed_at in jobs:
        if isinstance(ctx, Context):
            check_dims(func, (dim,), ctx)
        else:
            ctx.check_dims((dim,))
        if dim not in cache:
            cache[dim] = _series_of(ctx, (dim,), freq, exposure, tz)
        rows.append(
            _evaluate(
                cache[dim],
                dim,
                value,
                event,
                changed_at,
                freq,
                tz,
                periods,
                trend,
                trend_alpha,
                min_periods,
                confidence,
            )
        )
    out = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    for column, dtype in CHANGE_COLUMNS.items():
        if dtype == "Float64":
            out[column] = nullable(out[column].to_numpy(dtype=np.float64))
        elif dtype.startswith("datetime"):
            out[column] = astype(pd.to_datetime(out[column], utc=True), dtype)
        else:
            out[column] = astype(out[column], dtype)
    out.attrs.update({"freq": freq, "exposure": exposure, "timezone": tz, "confidence": confidence})
    return out


def _parse_key(func: str, key: str) -> tuple[str, str]:
    if not isinstance(key, str) or ":" not in key:
        raise ConfigError(Errors.E558.format(func=func, value=key))
    dim, value = key.split(":", 1)
    if not dim or not value:
        raise ConfigError(Errors.E558.format(func=func, value=key))
    return dim, value


def _jobs(
    func: str,
    key: str | None,
    at: Any,
    catalog: Catalog | None,
    tz: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> list[tuple[str, str, str, pd.Timestamp]]:
    if at is not None:
        if key is None:
            raise ConfigError(Errors.E558.format(func=func, value=key))
        dim, value = _parse_key(func, key)
        try:
            stamp = pd.Timestamp(at)
        except (TypeError, ValueError):
            stamp = None
        if stamp is None or not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
            raise ConfigError(
                Errors.E550.format(
                    name="at", func=func, expected="a date or time such as '2026-04-01'", value=at
                )
            )
        when = stamp.tz_localize(tz).tz_convert("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return [(dim, value, "at", when)]
    if catalog is None:
        raise ConfigError(Errors.E557.format(func=func))
    if key is not None:
        dim, value = _parse_key(func, key)
        if dim != "policy":
            raise ConfigError(Errors.E557.format(func=func))
        policies = [catalog.policy(value)]
    else:
        policies = list(catalog.policies)
    jobs = []
    for policy in policies:
        found = []
        for event, date in (
            ("effective_from", policy.effective_from),
            ("effective_to", policy.effective_to + dt.timedelta(days=1) if policy.effective_to else None),
        ):
            if date is None:
                continue
            when = pd.Timestamp(date).tz_localize(tz).tz_convert("UTC")
            if start < when <= end:
                found.append(("policy", policy.id, event, when))
        if not found and key is not None:
            raise ConfigError(
                Errors.E556.format(
                    value=policy.id,
                    start=start,
                    end=end,
                    effective_from=policy.effective_from,
                    effective_to=policy.effective_to,
                )
            )
        jobs.extend(found)
    return jobs


def _evaluate(
    series: _Series,
    dim: str,
    value: str,
    event: str,
    changed_at: pd.Timestamp,
    freq: str,
    tz: str,
    periods: int | None,
    trend: bool | str,
    trend_alpha: float,
    min_periods: int,
    confidence: float,
) -> dict[str, Any]:
    from scipy.special import chdtrc, chdtri

    keys = series.keys[dim].to_numpy()
    hit = np.flatnonzero(keys == value)
    counts = series.counts[hit[0]] if len(hit) else np.zeros(len(series.ordinals))
    expo = series.exposure
    change_period = int(period_ordinals(pd.Series([changed_at]), freq, tz)[0])
    starts_on_boundary = period_start(change_period, freq, tz) == changed_at
    ordinals = series.ordinals
    after = ordinals >= change_period
    if not starts_on_boundary:
        after = ordinals > change_period
    use = (expo > 0) & ((ordinals != change_period) | starts_on_boundary)
    before_idx = np.flatnonzero(use & ~after)
    after_idx = np.flatnonzero(use & after)
    if periods is not None:
        before_idx, after_idx = before_idx[-periods:], after_idx[:periods]
    row: dict[str, Any] = {
        "key": f"{dim}:{value}",
        "dimension": dim,
        "value": value,
        "event": event,
        "changed_at": changed_at,
        "n_periods_before": len(before_idx),
        "n_periods_after": len(after_idx),
        "contacts_before": int(counts[before_idx].sum()),
        "contacts_after": int(counts[after_idx].sum()),
    }
    e_before, e_after = float(expo[before_idx].sum()), float(expo[after_idx].sum())
    row["rate_before"] = row["contacts_before"] / e_before if e_before > 0 else np.nan
    row["rate_after"] = row["contacts_after"] / e_after if e_after > 0 else np.nan
    crude, c_low, c_high, _ = rate_ratio(
        row["contacts_after"], e_after, row["contacts_before"], e_before, confidence=confidence
    )
    row["crude_ratio"], row["crude_low"], row["crude_high"] = float(crude), float(c_low), float(c_high)
    empty = {
        "expected_after": np.nan,
        "ratio": np.nan,
        "ratio_low": np.nan,
        "ratio_high": np.nan,
        "p_value": np.nan,
        "dispersion": np.nan,
    }
    row["method"] = "pre_level"
    if len(before_idx) < min_periods or not len(after_idx) or counts[np.r_[before_idx, after_idx]].sum() == 0:
        row.update(empty)
        row["verdict"] = "insufficient_data"
        return row
    if row["contacts_before"] == 0:
        # nothing before: no trend or level to extrapolate; the exact comparison of rates is all there is
        ratio, low_, _, p_ = rate_ratio(row["contacts_after"], e_after, 0, e_before, confidence=confidence)
        row.update(
            {
                "expected_after": 0.0,
                "ratio": float(ratio),
                "ratio_low": float(low_),
                "ratio_high": np.inf,
                "p_value": float(p_),
                "dispersion": np.nan,
            }
        )
        row["verdict"] = "backfired" if float(low_) > 1 else "no_change"
        return row
    crit = float(chdtri(1, 1 - confidence))
    inputs: dict[str, Any] = {
        "y": counts[before_idx].astype(np.float64),
        "t": (ordinals[before_idx] - change_period).astype(np.float64),
        "log_e": np.log(expo[before_idx]),
        "t_post": (ordinals[after_idx] - change_period).astype(np.float64),
        "log_e_post": np.log(expo[after_idx]),
        "y_post": float(counts[after_idx].sum()),
    }
    model = _PreTrend(**inputs, trend=False)
    nonzero = np.count_nonzero(inputs["y"])
    if trend is not False and len(before_idx) >= 3 and nonzero >= 2 and 2 * nonzero >= len(before_idx):
        trended = _PreTrend(**inputs, trend=True)
        keep = trend is True
        if trend == "auto":
            stat = 2 * (trended.best - model.best) / trended.dispersion
            keep = float(chdtrc(1, max(stat, 0.0))) < trend_alpha
        if keep:
            model = trended
            row["method"] = "pre_trend"
    theta, low, high, p_value = model.ratio(crit)
    row.update(
        {
            "expected_after": model.expected,
            "ratio": theta,
            "ratio_low": low,
            "ratio_high": high,
            "p_value": p_value,
            "dispersion": model.dispersion,
        }
    )
    row["verdict"] = "worked" if high < 1 else "backfired" if low > 1 else "no_change"
    return row


class _PreTrend:
    """Observed over expected after a change, the expectation extrapolating the log-linear trend before it.

    Before the change, ``y_t ~ Poisson(e_t exp(b0 + b1 t))``; after it, the
    total ``Y ~ Poisson(theta * C(b))`` with ``C(b) = sum_t e_t exp(b0 + b1 t)``
    over the periods after. Only the total after informs ``theta`` (its shape
    after the change does not bend the trend), so the estimate is
    ``theta = Y / C(b_hat)`` with ``b_hat`` fitted on the periods before. The
    interval inverts the profile likelihood-ratio test of ``theta``, divided by
    the Pearson dispersion of the fit before (when above 1).
    """

    def __init__(
        self,
        *,
        y: np.ndarray,
        t: np.ndarray,
        log_e: np.ndarray,
        t_post: np.ndarray,
        log_e_post: np.ndarray,
        y_post: float,
        trend: bool,
    ) -> None:
        self.y, self.y_post = y, y_post
        self.x = np.column_stack([np.ones(len(t)), t]) if trend else np.ones((len(t), 1))
        self.x_post = np.column_stack([np.ones(len(t_post)), t_post]) if trend else np.ones((len(t_post), 1))
        self.log_e, self.log_e_post = log_e, log_e_post
        self.beta = self._maximise(None, self._start())
        mu = np.exp(self.log_e + self.x @ self.beta)
        n, p = len(y), self.x.shape[1]
        pearson = float(np.sum((y - mu) ** 2 / np.maximum(mu, 1e-300)))
        self.dispersion = max(1.0, pearson / (n - p)) if n > p else 1.0
        self.expected = float(np.exp(self.log_e_post + self.x_post @ self.beta).sum())
        self.best = self._loglik(self.beta, None)

    def _start(self) -> np.ndarray:
        beta = np.zeros(self.x.shape[1])
        total = self.y.sum() + self.y_post
        exposure = np.exp(self.log_e).sum() + np.exp(self.log_e_post).sum()
        beta[0] = np.log(max(total, 0.5) / exposure)
        return beta

    def _loglik(self, beta: np.ndarray, log_theta: float | None) -> float:
        eta = np.minimum(self.log_e + self.x @ beta, 700)
        value = float(np.sum(self.y * eta - np.exp(eta)))
        if log_theta is not None:
            c = float(np.exp(np.minimum(self.log_e_post + self.x_post @ beta, 700)).sum())
            value += self.y_post * (log_theta + np.log(c)) - np.exp(log_theta) * c if c > 0 else -np.inf
        return value

    def _maximise(self, log_theta: float | None, beta: np.ndarray) -> np.ndarray:
        """Newton steps with halving on the log-likelihood (before only, or with the total after at ``theta``)."""
        current = self._loglik(beta, log_theta)
        for _ in range(200):
            mu = np.exp(np.minimum(self.log_e + self.x @ beta, 700))
            grad = self.x.T @ (self.y - mu)
            hess = -(self.x.T @ (self.x * mu[:, None]))
            if log_theta is not None:
                c_t = np.exp(np.minimum(self.log_e_post + self.x_post @ beta, 700))
                c = c_t.sum()
                s1 = self.x_post.T @ c_t
                s2 = self.x_post.T @ (self.x_post * c_t[:, None])
                grad = grad + self.y_post * s1 / c - np.exp(log_theta) * s1
                hess = hess + self.y_post * (s2 / c - np.outer(s1, s1) / c**2) - np.exp(log_theta) * s2
            try:
                step = np.linalg.solve(hess - 1e-9 * np.eye(len(beta)), -grad)
            except np.linalg.LinAlgError:  # pragma: no cover - degenerate design
                step = -grad
            scale, improved = 1.0, False
            while scale > 1e-10:
                candidate = beta + scale * step
                value = self._loglik(candidate, log_theta)
                if value >= current - 1e-12:
                    improved = True
                    break
                scale /= 2
            if not improved:
                break
            beta, previous, current = candidate, current, value
            if abs(current - previous) < 1e-12 * (1 + abs(current)) and np.max(np.abs(scale * step)) < 1e-9:
                break
        return beta

    def _excess(self, log_theta: float, crit: float) -> float:
        """Scaled likelihood-ratio statistic of ``theta = exp(log_theta)`` minus the critical value."""
        beta = self._maximise(log_theta, self.beta.copy())
        post_best = self.y_post * np.log(self.y_post) - self.y_post if self.y_post > 0 else 0.0
        full = self.best + post_best
        return 2 * (full - self._loglik(beta, log_theta)) / self.dispersion - crit

    def ratio(self, crit: float) -> tuple[float, float, float, float]:
        """``(theta, low, high, p_value)``."""
        from scipy.optimize import brentq
        from scipy.special import chdtrc

        if self.expected <= 0:  # pragma: no cover - exp() is positive; kept for safety
            return np.nan, np.nan, np.nan, np.nan
        theta = self.y_post / self.expected
        centre = np.log(theta) if theta > 0 else -np.inf

        def bound(direction: int) -> float:
            inner = centre if np.isfinite(centre) else np.log(0.5 / self.expected)
            if not np.isfinite(centre) and direction < 0:
                return 0.0
            for width in (2.0, 5.0, 12.0, 30.0):
                outer = inner + direction * width
                if self._excess(outer, crit) > 0:
                    root = brentq(
                        lambda v: self._excess(v, crit), min(inner, outer), max(inner, outer), xtol=1e-9
                    )
                    return float(np.exp(root))
            return 0.0 if direction < 0 else np.inf

        low, high = bound(-1), bound(1)
        stat = self._excess(0.0, 0.0)
        return float(theta), low, high, float(chdtrc(1, max(stat, 0.0)))

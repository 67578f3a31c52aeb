"""Trends: what is rising, what is new, and what would have warned in time.

* :func:`trends`: contacts per theme (topic, product, pair, ...) per week,
  month or quarter, with the change from the previous period and its exact
  test.
* :func:`emerging`: in one period, the values rising above their trailing
  baseline, or new.
* :func:`early_warnings`: :func:`emerging` evaluated as of every period in
  turn, each time with only the data up to the end of that period: the list
  that would have fired, and when.

Given a :class:`~hotline_insight.Store`, each function counts the store one
quarter partition at a time and adds the counts up (customers are resolved
first, from the interactions' ids and keys alone; see
:mod:`hotline_insight.analytics._store_series`).

Rates and tests. With ``exposure="contacts"`` (the default) a value's rate is
its share of all contacts in the period (all interactions of the corpus, or,
without one, all contacts with a grievance); with ``exposure="days"`` it is
contacts per day. Two periods are compared with the exact conditional test
for two Poisson rates (given both counts' sum, the first is binomial; see
:func:`~hotline_insight.analytics.stats.rate_ratio`), which is the binomial
test of the split; the ratio's interval is the matching Clopper-Pearson one.
p-values are corrected with Benjamini-Hochberg across the values of a
period. Periods run over the whole span of the data (the corpus's contacts,
or without a corpus the grievances'), so a period with no data appears with
zero contacts and ``<NA>`` rates (``direction == "no_data"``), never a
made-up 0%.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> found = pd.DataFrame({
    ...     "interaction_id": [str(i) for i in range(12)],
    ...     "created_at": pd.to_datetime(["2026-01-10"] * 2 + ["2026-04-10"] * 10, utc=True),
    ...     "themes": [["outage"]] * 12,
    ... })
    >>> table = hi.trends(found, by="theme", freq="quarter", exposure="days")
    >>> table[["theme", "period", "n_contacts", "change_ratio", "direction"]]
        theme  period  n_contacts  change_ratio direction
    0  outage  2026Q1           2          <NA>     first
    1  outage  2026Q2          10      4.945055        up
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors, Warnings, warn
from ._frames import (
    Context,
    build_context,
    check_choice,
    check_dims,
    check_number,
    check_timezone,
    combined_key,
    customer_codes,
    dense_codes,
    dim_values,
    join_on_grievance,
    nullable,
    period_days,
    period_label,
    period_of,
    period_ordinals,
    period_start,
    unique_pairs,
)
from .stats import benjamini_hochberg, rate_ratio, wilson_interval

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..grievances import Grievances
    from ..store import Store
    from ._store_series import StoreSeries
    from .customers import CustomerIdentities
    from .prepare import PreparedAnalysis

__all__ = ["EMERGING_COLUMNS", "TREND_COLUMNS", "early_warnings", "emerging", "trends"]

Exposure = Literal["contacts", "days"]

#: Columns of :func:`trends` after the dimension columns.
TREND_COLUMNS: dict[str, str] = {
    "period": "string",
    "period_start": "datetime64[ns, UTC]",
    "period_end": "datetime64[ns, UTC]",
    "n_contacts": "int64",
    "n_grievances": "int64",
    "n_customers": "int64",
    "n_total_contacts": "int64",
    "days": "float64",
    "rate": "Float64",
    "rate_low": "Float64",
    "rate_high": "Float64",
    "prev_contacts": "Int64",
    "change_ratio": "Float64",
    "ratio_low": "Float64",
    "ratio_high": "Float64",
    "p_value": "Float64",
    "q_value": "Float64",
    "is_significant": "bool",
    "direction": "string",
}

#: Columns of :func:`emerging` and :func:`early_warnings` after the dimension columns.
EMERGING_COLUMNS: dict[str, str] = {
    "period": "string",
    "n_contacts": "int64",
    "n_customers": "int64",
    "exposure": "float64",
    "baseline_contacts": "int64",
    "baseline_exposure": "float64",
    "expected": "Float64",
    "ratio": "Float64",
    "ratio_low": "Float64",
    "p_value": "Float64",
    "q_value": "Float64",
    "is_new": "bool",
    "is_emerging": "bool",
    "reason": "string",
}


class _Series:
    """Contacts per value and period, as dense matrices (values x periods)."""

    keys: pd.DataFrame
    """The values (one str column per dimension), sorted; row ``k`` is row ``k`` of the matrices."""
    counts: np.ndarray
    grievances: np.ndarray
    customers: np.ndarray

    def __init__(
        self,
        ctx: Context,
        dims: tuple[str, ...],
        freq: str,
        exposure: str,
        timezone: str,
        until: pd.Timestamp | None = None,
        last: int | None = None,
        shared: np.ndarray | None = None,
    ) -> None:
        """Count ``ctx`` (``shared``: periods whose customers other parts also count; see :meth:`merge`)."""
        contacts = ctx.contacts
        times = contacts["created_at"]
        if until is not None:
            times = times.where(times < until)
        period = period_ordinals(times, freq, timezone)
        self.freq, self.timezone, self.dims = freq, timezone, dims
        dated = period >= 0
        undated = int(contacts["created_at"].isna().sum())
        if undated:
            warn(Warnings.W302.format(func=ctx.func, n=undated, what="the periods"), stacklevel=4)
        if ctx.has_corpus:
            base_rows = np.flatnonzero(dated)
        else:
            g_rows = (
                np.unique(ctx.grievances["row"].to_numpy()) if len(ctx.grievances) else np.zeros(0, np.int64)
            )
            base_rows = g_rows[dated[g_rows]]
        if not len(base_rows):
            raise ConfigError(
                Errors.E553.format(func=ctx.func, reason="no dated contacts (every created_at is missing)")
            )
        self.first = int(period[base_rows].min())
        self.last = int(period[base_rows].max()) if last is None else max(int(last), self.first)
        n_periods = self.last - self.first + 1
        self.ordinals = np.arange(self.first, self.last + 1)
        self.total = np.bincount(period[base_rows] - self.first, minlength=n_periods).astype(np.float64)
        self.days = np.array([period_days(int(o), freq, timezone) for o in self.ordinals])
        if until is not None:
            start_last = period_start(self.last, freq, timezone)
            self.days[-1] = min(self.days[-1], (until - start_last) / pd.Timedelta(days=1))
        self.exposure = self.total if exposure == "contacts" else self.days
        self._count(ctx, period, dated, n_periods, shared)

    def _count(
        self,
        ctx: Context,
        period: np.ndarray,
        dated: np.ndarray,
        n_periods: int,
        shared: np.ndarray | None = None,
    ) -> None:
        """Contacts, grievances and customers per value and period, from int codes (no object frames).

        Keys are the value combinations seen on dated contacts, sorted by their
        names (str order, dimension by dimension); equal names are one key.
        """
        dims = self.dims
        g_rows = ctx.grievances["row"].to_numpy(dtype=np.int64)
        names: list[np.ndarray] = []
        positions: list[np.ndarray] = []
        ranks: list[np.ndarray] = []
        for dim in dims:
            found = dim_values(ctx, dim)
            # rank of each code among the sorted distinct names (a name met twice is one value)
            uniques, rank_of_code = np.unique(found.names.astype(object), return_inverse=True)
            keep = dated[g_rows[found.g]]
            names.append(uniques)
            positions.append(found.g[keep])
            ranks.append(np.asarray(rank_of_code, dtype=np.int64).reshape(-1)[found.code[keep]])
        g, taken = join_on_grievance(positions, len(g_rows))
        del positions
        key, decode = combined_key([r[t] for r, t in zip(ranks, taken, strict=True)], [len(n) for n in names])
        del ranks, taken
        present, kidx = dense_codes(key)
        del key
        n_keys = len(present)
        self.keys = pd.DataFrame(
            {d: n[r] for d, n, r in zip(dims, names, decode(present), strict=True)}
            if n_keys
            else {d: np.array([], dtype=object) for d in dims}
        ).astype(str)
        cells = n_keys * n_periods
        # grievances: each (grievance, key) once
        g_u, k_u = unique_pairs(g, kidx, n_keys)
        cell = k_u * n_periods + (period[g_rows[g_u]] - self.first)
        self.grievances = np.bincount(cell, minlength=cells).reshape(n_keys, n_periods).astype(np.float64)
        del g_u, k_u, cell
        # contacts: each (contact, key) once
        row_u, k_u = unique_pairs(g_rows[g], kidx, n_keys)
        del g, kidx
        cell = k_u * n_periods + (period[row_u] - self.first)
        self.counts = np.bincount(cell, minlength=cells).reshape(n_keys, n_periods).astype(np.float64)
        # customers: each identified (customer, key, period) once (codes cached on the context)
        codes, customer_names = customer_codes(ctx)
        customer = codes[row_u]
        known = customer >= 0
        cell_u, _ = unique_pairs(cell[known], customer[known], len(customer_names))
        self.customers = np.bincount(cell_u, minlength=cells).reshape(n_keys, n_periods).astype(np.float64)
        self.shared_customers: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if shared is not None:
            # the customers of periods other parts count too, to be counted once when parts are merged
            in_shared = known & np.isin(period[row_u], shared)
            cell_s, customer_s = unique_pairs(cell[in_shared], customer[in_shared], len(customer_names))
            self.shared_customers = (
                cell_s // n_periods,
                cell_s % n_periods + self.first,
                np.asarray(customer_names, dtype=object)[customer_s],
            )

    @classmethod
    def merge(
        cls,
        parts: Sequence[_Series],
        dims: tuple[str, ...],
        freq: str,
        exposure: str,
        timezone: str,
        until: pd.Timestamp | None = None,
        last: int | None = None,
    ) -> _Series:
        """The series of the union of disjoint parts (contacts split between them, each with its grievances).

        Counts add up. Distinct customers add up too, except in the periods
        that more than one part has contacts in: each part then gave its
        (value, period, customer) triples for those periods
        (``shared_customers``), and they are counted once here.
        """
        out = cls.__new__(cls)
        out.freq, out.timezone, out.dims = freq, timezone, dims
        out.first = min(p.first for p in parts)
        top = max(p.last for p in parts)
        out.last = top if last is None else max(int(last), out.first)
        n_periods = out.last - out.first + 1
        out.ordinals = np.arange(out.first, out.last + 1)
        # the keys of every part (str already), sorted as one series sorts its own (str order, dimension by dimension)
        every = pd.concat([p.keys for p in parts], ignore_index=True)
        merged = every.drop_duplicates().sort_values(list(dims), kind="stable", ignore_index=True)
        out.keys = merged
        index = pd.MultiIndex.from_frame(merged)
        n_keys = len(merged)
        out.total = np.zeros(n_periods)
        out.counts = np.zeros((n_keys, n_periods))
        out.grievances = np.zeros((n_keys, n_periods))
        out.customers = np.zeros((n_keys, n_periods))
        triples: list[pd.DataFrame] = []
        for p in parts:
            offset = p.first - out.first
            width = min(len(p.total), n_periods - offset)
            if width <= 0:  # the part lies after the last period asked for
                continue
            out.total[offset : offset + width] += p.total[:width]
            if not len(p.keys):
                continue
            rows = index.get_indexer(pd.MultiIndex.from_frame(p.keys))
            for name in ("counts", "grievances", "customers"):
                getattr(out, name)[rows, offset : offset + width] += getattr(p, name)[:, :width]
            if p.shared_customers is not None and len(p.shared_customers[0]):
                key, ordinal, customer = p.shared_customers
                inside = ordinal <= out.last
                key, ordinal, customer = rows[key[inside]], ordinal[inside], customer[inside]
                # the part counted each of its triples once: take them back, to count them across parts below
                np.subtract.at(out.customers, (key, ordinal - out.first), 1.0)
                triples.append(pd.DataFrame({"key": key, "ordinal": ordinal, "customer": customer}))
        if triples:
            distinct = pd.concat(triples, ignore_index=True).drop_duplicates()
            np.add.at(
                out.customers,
                (
                    distinct["key"].to_numpy(dtype=np.int64),
                    distinct["ordinal"].to_numpy(dtype=np.int64) - out.first,
                ),
                1.0,
            )
        out.days = np.array([period_days(int(o), freq, timezone) for o in out.ordinals])
        if until is not None:
            start_last = period_start(out.last, freq, timezone)
            out.days[-1] = min(out.days[-1], (until - start_last) / pd.Timedelta(days=1))
        out.exposure = out.total if exposure == "contacts" else out.days
        out.shared_customers = None
        return out


def _check_common(func: str, freq: str, exposure: str, alpha: float, timezone: str | None) -> str:
    check_choice(func, "freq", freq, ("week", "month", "quarter"))
    check_choice(func, "exposure", exposure, ("contacts", "days"))
    check_number(func, "alpha", alpha, low=0, high=1)
    return check_timezone(func, timezone)


def trends(
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | Store,
    by: str | Sequence[str] = "theme",
    freq: Literal["week", "month", "quarter"] = "quarter",
    *,
    corpus: Corpus | pd.DataFrame | None = None,
    exposure: Exposure = "contacts",
    timezone: str | None = None,
    alpha: float = 0.05,
    confidence: float = 0.95,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Contacts per value and period, with the change from the previous period and its exact test.

    Args:
        grievances: Grievances, a frame like ``Grievances.to_frame()``, the
            :class:`~hotline_insight.PreparedAnalysis` of :func:`~hotline_insight.prepare_analysis`,
            or a :class:`~hotline_insight.Store` (``corpus`` left out: its
            interactions are the corpus). A store is counted one quarter
            partition at a time, so memory holds one partition's rows, not
            the store's; the table is the same as from its rows read whole.
        by: a dimension or several (a pair such as ``("product", "theme")``);
            see :func:`~hotline_insight.link` for the names.
        freq: ``week`` (ISO, from Monday), ``month`` or ``quarter``.
        corpus: the interactions: all contacts give the rate's denominator.
        exposure: ``contacts`` (rate = share of the period's contacts) or
            ``days`` (contacts per day; for counts without a denominator).
        timezone: the IANA zone whose calendar the periods follow (default UTC).
        alpha: false discovery rate for ``is_significant``.
        confidence: coverage of the intervals.
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse.
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        One row per value and period (every period from the first to the last
        with data), by value then period: the dimension columns (string), then

        ====================  =====================  ================================================
        column                dtype                  meaning
        ====================  =====================  ================================================
        ``period``            string                 ``2026Q3``, ``2026-08`` or ``2026-W32``
        ``period_start/end``  datetime64[ns, UTC]    the period, half-open
        ``n_contacts``        int64                  contacts with the value
        ``n_grievances``      int64                  grievances with the value
        ``n_customers``       int64                  distinct identified customers
        ``n_total_contacts``  int64                  all contacts in the period
        ``days``              float64                the period's length
        ``rate``              Float64                contacts / exposure (``<NA>`` without exposure)
        ``rate_low/high``     Float64                Wilson interval (``exposure="contacts"``)
        ``prev_contacts``     Int64                  contacts in the previous period
        ``change_ratio``      Float64                rate / previous rate (``inf``: from zero)
        ``ratio_low/high``    Float64                its exact interval
        ``p_value``           Float64                exact conditional test, two-sided
        ``q_value``           Float64                Benjamini-Hochberg across the period's values
        ``is_significant``    bool                   ``q_value <= alpha``
        ``direction``         string                 ``up``, ``down``, ``flat`` (not significant),
                                                     ``first``, ``no_data`` (a period without
                                                     exposure), ``absent`` (zero in both periods)
        ====================  =====================  ================================================

    Raises:
        ConfigError: E550 for a bad parameter, E552 for an unknown dimension,
            E553 when no contact is dated.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> found = pd.DataFrame({"interaction_id": ["1", "2", "3"],
        ...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-02-06"], utc=True),
        ...     "themes": [["fee"], ["fee"], ["fee"]]})
        >>> hi.trends(found, "theme", "month")[["theme", "period", "n_contacts", "rate", "direction"]]
          theme   period  n_contacts  rate direction
        0   fee  2026-01           1   1.0     first
        1   fee  2026-02           2   1.0      flat
    """
    func = "trends"
    tz = _check_common(func, freq, exposure, alpha, timezone)
    check_number(func, "confidence", confidence, low=0, high=1, low_open=True)
    dims = check_dims(func, by)
    ctx = _source(func, grievances, corpus, customers_table, identities, clock_offsets)
    if isinstance(ctx, Context):
        check_dims(func, dims, ctx)
    else:
        ctx.check_dims(dims)
    series = _series_of(ctx, dims, freq, exposure, tz)
    return _trend_frame(series, exposure, alpha, confidence)


def _source(
    func: str,
    grievances: Any,
    corpus: Any,
    customers_table: Any,
    identities: Any,
    clock_offsets: Any,
) -> Context | StoreSeries:
    """What to count: an analytics context of rows, or a store read one partition at a time.

    A :class:`~hotline_insight.analytics._store_series.StoreSeries` (the
    quarterly report's, with its series counted in one pass) is used as it is.
    """
    from ..store import Store
    from ._store_series import StoreSeries

    if isinstance(grievances, StoreSeries):
        return grievances
    if not isinstance(grievances, Store):
        return build_context(
            func,
            grievances,
            corpus=corpus,
            customers_table=customers_table,
            identities=identities,
            clock_offsets=clock_offsets,
        )
    if corpus is not None:
        raise ConfigError(
            Errors.E550.format(
                name="corpus",
                func=func,
                expected="left out when a Store is given (its interactions are the corpus)",
                value=type(corpus).__name__,
            )
        )
    return StoreSeries(
        func, grievances, customers_table=customers_table, identities=identities, clock_offsets=clock_offsets
    )


def _series_of(
    source: Context | StoreSeries,
    dims: tuple[str, ...],
    freq: str,
    exposure: str,
    tz: str,
    until: pd.Timestamp | None = None,
    last: int | None = None,
) -> _Series:
    if isinstance(source, Context):
        return _Series(source, dims, freq, exposure, tz, until=until, last=last)
    return source.series(dims, freq, exposure, tz, until=until, last=last)


def _trend_frame(series: _Series, exposure: str, alpha: float, confidence: float) -> pd.DataFrame:
    n_keys, n_periods = series.counts.shape
    counts = series.counts
    expo = np.broadcast_to(series.exposure, counts.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(expo > 0, counts / expo, np.nan)
    if exposure == "contacts":
        low, high = wilson_interval(counts, expo, confidence)
    else:
        low, high = np.full(counts.shape, np.nan), np.full(counts.shape, np.nan)
    prev = np.concatenate([np.full((n_keys, 1), np.nan), counts[:, :-1]], axis=1)
    prev_expo = np.concatenate([np.full((n_keys, 1), np.nan), expo[:, :-1]], axis=1)
    ratio, r_low, r_high, p = rate_ratio(counts, expo, np.nan_to_num(prev), prev_expo, confidence=confidence)
    q = np.full(counts.shape, np.nan)
    for j in range(n_periods):
        q[:, j] = benjamini_hochberg(p[:, j])
    significant = np.nan_to_num(q, nan=2.0) <= alpha
    direction = np.full(counts.shape, "flat", dtype=object)
    direction[significant & (ratio > 1)] = "up"
    direction[significant & (ratio < 1)] = "down"
    direction[(counts == 0) & (np.nan_to_num(prev) == 0)] = "absent"
    direction[(expo <= 0) | (prev_expo <= 0)] = "no_data"
    direction[:, 0] = "first"
    starts = np.array(
        [period_start(int(o), series.freq, series.timezone) for o in series.ordinals], dtype=object
    )
    ends = np.array(
        [period_start(int(o) + 1, series.freq, series.timezone) for o in series.ordinals], dtype=object
    )
    out = pd.DataFrame({d: np.repeat(series.keys[d].to_numpy(), n_periods) for d in series.dims})
    for d in series.dims:
        out[d] = out[d].astype("string")
    out["period"] = pd.array(
        np.tile(np.array([period_label(int(o), series.freq) for o in series.ordinals]), n_keys),
        dtype="string",
    )
    out["period_start"] = pd.to_datetime(np.tile(starts, n_keys) if n_keys else [], utc=True)
    out["period_end"] = pd.to_datetime(np.tile(ends, n_keys) if n_keys else [], utc=True)
    out["n_contacts"] = counts.ravel().astype(np.int64)
    out["n_grievances"] = series.grievances.ravel().astype(np.int64)
    out["n_customers"] = series.customers.ravel().astype(np.int64)
    out["n_total_contacts"] = np.tile(series.total, n_keys).astype(np.int64)
    out["days"] = np.tile(series.days, n_keys).astype(np.float64)
    out["rate"] = nullable(rate.ravel())
    out["rate_low"] = nullable(low.ravel())
    out["rate_high"] = nullable(high.ravel())
    out["prev_contacts"] = pd.array(np.where(np.isnan(prev), np.nan, prev).ravel(), dtype="Float64").astype(
        "Int64"
    )
    first_col = np.zeros(counts.shape, dtype=bool)
    first_col[:, 0] = True
    for name, values in (
        ("change_ratio", ratio),
        ("ratio_low", r_low),
        ("ratio_high", r_high),
        ("p_value", p),
        ("q_value", q),
    ):
        out[name] = nullable(np.where(first_col, np.nan, values).ravel())
    out["is_significant"] = significant.ravel()
    out["direction"] = pd.array(direction.ravel().astype(str), dtype="string")
    for column in ("period_start", "period_end"):
        out[column] = out[column].astype("datetime64[ns, UTC]")
    out.attrs.update(
        {"freq": series.freq, "timezone": series.timezone, "exposure": exposure, "dims": series.dims}
    )
    return out


def _emerging_matrix(
    series: _Series,
    *,
    baseline_periods: int,
    min_history: int,
    min_contacts: int,
    min_ratio: float,
    alpha: float,
    confidence: float,
) -> dict[str, np.ndarray]:
    """Emerging statistics for every value and period, each using only earlier periods and its own."""
    counts, expo = series.counts, series.exposure
    n_keys, n_periods = counts.shape
    cum = np.concatenate([np.zeros((n_keys, 1)), np.cumsum(counts, axis=1)], axis=1)
    cum_e = np.concatenate([[0.0], np.cumsum(expo)])
    j = np.arange(n_periods)
    lo = np.maximum(0, j - baseline_periods)
    base = cum[:, j] - cum[:, lo]  # periods lo .. j-1
    base_e = np.broadcast_to(cum_e[j] - cum_e[lo], counts.shape)
    has_data = (series.total > 0).astype(np.int64)
    history = np.concatenate([[0], np.cumsum(has_data)])[j]  # periods with data before j
    seen_before = cum[:, j] > 0
    ratio, r_low, _, p = rate_ratio(
        counts,
        np.broadcast_to(expo, counts.shape),
        base,
        base_e,
        confidence=confidence,
        alternative="greater",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(base_e > 0, base / base_e * expo, np.nan)
    judged = (history >= min_history)[None, :] & (np.broadcast_to(expo, counts.shape) > 0) & (counts > 0)
    p = np.where(judged & (base_e > 0), p, np.nan)
    q = np.full(counts.shape, np.nan)
    for col in range(n_periods):
        q[:, col] = benjamini_hochberg(p[:, col])
    big_enough = counts >= min_contacts
    is_new = judged & ~seen_before & big_enough
    rising = (
        judged
        & big_enough
        & (np.nan_to_num(q, nan=2.0) <= alpha)
        & (np.nan_to_num(ratio, nan=0.0) >= min_ratio)
    )
    is_emerging = is_new | rising
    reason = np.full(counts.shape, "", dtype=object)
    reason[rising] = "rising"
    reason[is_new] = "new"
    reason[~judged & (counts > 0) & (history < min_history)[None, :]] = "no_history"
    return {
        "base": base,
        "base_e": base_e,
        "expected": expected,
        "ratio": ratio,
        "ratio_low": r_low,
        "p": p,
        "q": q,
        "is_new": is_new,
        "is_emerging": is_emerging,
        "reason": reason,
    }


def _emerging_rows(
    series: _Series, stats: dict[str, np.ndarray], cols: np.ndarray, keys: np.ndarray
) -> pd.DataFrame:
    out = pd.DataFrame({d: series.keys[d].to_numpy()[keys] for d in series.dims})
    for d in series.dims:
        out[d] = out[d].astype("string")
    out["period"] = pd.array([period_label(series.ordinals[c], series.freq) for c in cols], dtype="string")
    out["n_contacts"] = series.counts[keys, cols].astype(np.int64)
    out["n_customers"] = series.customers[keys, cols].astype(np.int64)
    out["exposure"] = series.exposure[cols].astype(np.float64)
    out["baseline_contacts"] = stats["base"][keys, cols].astype(np.int64)
    out["baseline_exposure"] = stats["base_e"][keys, cols].astype(np.float64)
    for name, key in (
        ("expected", "expected"),
        ("ratio", "ratio"),
        ("ratio_low", "ratio_low"),
        ("p_value", "p"),
        ("q_value", "q"),
    ):
        out[name] = nullable(stats[key][keys, cols])
    out["is_new"] = stats["is_new"][keys, cols].astype(bool)
    out["is_emerging"] = stats["is_emerging"][keys, cols].astype(bool)
    out["reason"] = pd.array(stats["reason"][keys, cols].astype(str), dtype="string")
    return out


def emerging(
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | Store,
    by: str | Sequence[str] = "theme",
    freq: Literal["week", "month", "quarter"] = "month",
    *,
    as_of: Any = None,
    corpus: Corpus | pd.DataFrame | None = None,
    exposure: Exposure = "contacts",
    timezone: str | None = None,
    baseline_periods: int = 6,
    min_history: int = 3,
    min_contacts: int = 5,
    min_ratio: float = 2.0,
    alpha: float = 0.05,
    confidence: float = 0.95,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The values rising above their trailing baseline in one period, or new in it.

    Only data up to the end of the ``as_of`` period is used (and, if ``as_of``
    is a time inside a period, only data before it, that period's exposure
    being what was seen so far). A value *rises* when, in the period, it has at
    least ``min_contacts`` contacts, its rate is at least ``min_ratio`` times
    its rate over the ``baseline_periods`` before, and the one-sided exact test
    of that rise has a Benjamini-Hochberg q-value (across the values seen in the
    period) of at most ``alpha``. It is *new* when it has at least
    ``min_contacts`` contacts and none in any earlier period. Neither can be
    judged until the data has ``min_history`` earlier periods with contacts
    (``reason == "no_history"``): at the start of the data everything would
    look new.

    Args:
        grievances: Grievances, a frame like ``Grievances.to_frame()``, the
            :class:`~hotline_insight.PreparedAnalysis` of :func:`~hotline_insight.prepare_analysis`,
            or a :class:`~hotline_insight.Store` (``corpus`` left out: its
            interactions are the corpus). A store is counted one quarter
            partition at a time, so memory holds one partition's rows, not
            the store's; the table is the same as from its rows read whole.
        by: a dimension or several (``("product", "theme")`` for pairs).
        freq: ``week``, ``month`` or ``quarter``.
        as_of: the period (``'2026-08'``, ``'2026Q3'``, ``'2026-W32'``) or a
            time; default the last period with data.
        corpus: the interactions (the rate's denominator).
        exposure: ``contacts`` or ``days``.
        timezone: the zone whose calendar the periods follow.
        baseline_periods: how many earlier periods form the baseline (>= 1).
        min_history: earlier periods with data needed to judge (>= 1).
        min_contacts: contacts needed to flag (>= 1).
        min_ratio: the rise needed to flag (> 0).
        alpha: false discovery rate.
        confidence: coverage of the one-sided lower bound ``ratio_low``.
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse.
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        One row per value with contacts in the period, emerging first (then
        by ratio): the dimension columns, then ``period`` string,
        ``n_contacts`` int64, ``n_customers`` int64, ``exposure`` float64 (the
        period's contacts or days), ``baseline_contacts`` int64,
        ``baseline_exposure`` float64, ``expected`` Float64 (contacts the
        baseline rate predicts; ``<NA>`` without baseline exposure),
        ``ratio`` Float64 (``inf`` from a zero baseline), ``ratio_low``
        Float64 (one-sided lower bound), ``p_value``/``q_value`` Float64
        (one-sided exact test), ``is_new`` bool, ``is_emerging`` bool,
        ``reason`` string (``new``, ``rising``, ``no_history`` or empty).

    Raises:
        ConfigError: E550 for a bad parameter, E560 when ``as_of`` is before the data.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> months = ["2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15"]
        >>> rows = [(m, "billing") for m in months for _ in range(3)] + [("2026-04-20", "outage")] * 6
        >>> found = pd.DataFrame({"interaction_id": [str(i) for i in range(len(rows))],
        ...     "created_at": pd.to_datetime([r[0] for r in rows], utc=True),
        ...     "themes": [[r[1]] for r in rows]})
        >>> hi.emerging(found, freq="month", exposure="days")[["theme", "n_contacts", "is_emerging", "reason"]]
             theme  n_contacts  is_emerging reason
        0   outage           6         True    new
        1  billing           3        False
    """
    func = "emerging"
    tz, dims, ctx, until, cutoff = _prepare(
        func,
        grievances,
        by,
        freq,
        exposure,
        alpha,
        timezone,
        as_of,
        corpus,
        customers_table,
        identities,
        clock_offsets,
        baseline_periods,
        min_history,
        min_contacts,
        min_ratio,
        confidence,
    )
    start, end = ctx.data_start, ctx.data_end
    if until is not None and start is not None and until <= start:
        raise ConfigError(Errors.E560.format(func=func, name="as_of", value=as_of, start=start, end=end))
    series = _series_of(ctx, dims, freq, exposure, tz, until=until, last=cutoff)
    stats = _emerging_matrix(
        series,
        baseline_periods=baseline_periods,
        min_history=min_history,
        min_contacts=min_contacts,
        min_ratio=min_ratio,
        alpha=alpha,
        confidence=confidence,
    )
    col = series.counts.shape[1] - 1
    keys = np.flatnonzero(series.counts[:, col] > 0)
    out = _emerging_rows(series, stats, np.full(len(keys), col), keys)
    out = _sort_emerging(out, dims)
    out.attrs.update(
        {
            "freq": freq,
            "timezone": tz,
            "exposure": exposure,
            "dims": dims,
            "period": period_label(series.ordinals[col], freq),
        }
    )
    return out


def _sort_emerging(out: pd.DataFrame, dims: tuple[str, ...]) -> pd.DataFrame:
    ratio = np.nan_to_num(out["ratio"].to_numpy(dtype=np.float64, na_value=np.nan), nan=-1.0)
    order = np.lexsort(
        (
            *[out[d].astype(str).to_numpy() for d in reversed(dims)],
            -out["n_contacts"].to_numpy(),
            -ratio,
            ~out["is_emerging"].to_numpy(dtype=bool),
        )
    )
    return out.iloc[order].reset_index(drop=True)


def _prepare(
    func: str,
    grievances: Any,
    by: Any,
    freq: str,
    exposure: str,
    alpha: float,
    timezone: str | None,
    as_of: Any,
    corpus: Any,
    customers_table: Any,
    identities: Any,
    clock_offsets: Any,
    baseline_periods: int,
    min_history: int,
    min_contacts: int,
    min_ratio: float,
    confidence: float,
) -> tuple[str, tuple[str, ...], Context | StoreSeries, pd.Timestamp | None, int | None]:
    tz = _check_common(func, freq, exposure, alpha, timezone)
    check_number(func, "baseline_periods", baseline_periods, low=1, integer=True)
    check_number(func, "min_history", min_history, low=1, integer=True)
    check_number(func, "min_contacts", min_contacts, low=1, integer=True)
    check_number(func, "min_ratio", min_ratio, low=0, low_open=True)
    check_number(func, "confidence", confidence, low=0, high=1, low_open=True)
    dims = check_dims(func, by)
    ctx = _source(func, grievances, corpus, customers_table, identities, clock_offsets)
    if isinstance(ctx, Context):
        check_dims(func, dims, ctx)
    else:
        ctx.check_dims(dims)
    until: pd.Timestamp | None = None
    cutoff: int | None = None
    if as_of is not None:
        cutoff, is_label = period_of(as_of, freq, func, tz)
        if is_label:
            until = period_start(cutoff + 1, freq, tz)
        else:
            stamp = pd.Timestamp(as_of)
            until = (
                stamp.tz_localize(tz).tz_convert("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
            )
    return tz, dims, ctx, until, cutoff


def early_warnings(
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | Store,
    by: str | Sequence[str] = "theme",
    freq: Literal["week", "month", "quarter"] = "month",
    *,
    corpus: Corpus | pd.DataFrame | None = None,
    exposure: Exposure = "contacts",
    timezone: str | None = None,
    baseline_periods: int = 6,
    min_history: int = 3,
    min_contacts: int = 5,
    min_ratio: float = 2.0,
    alpha: float = 0.05,
    confidence: float = 0.95,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Every warning :func:`emerging` would have given, evaluated as of each period in turn.

    The statistics for a period use only that period and the ones before it
    (the same numbers :func:`emerging` gives with ``as_of`` that period), so the
    list shows what an analyst running the report each period would have seen,
    and when. Arguments are as for :func:`emerging`.

    Returns:
        One row per warning (value and period where ``is_emerging``), by period
        then strength: the columns of :func:`emerging` plus ``is_first`` bool
        (the first period this value fired) and ``peak_period`` string (the
        period with the value's most contacts in the whole data, to compare:
        a useful warning comes before its peak).

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> months = ["2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15"]
        >>> rows = [(m, "billing") for m in months for _ in range(3)]
        >>> rows += [("2026-04-20", "outage")] * 6 + [("2026-05-20", "outage")] * 9
        >>> found = pd.DataFrame({"interaction_id": [str(i) for i in range(len(rows))],
        ...     "created_at": pd.to_datetime([r[0] for r in rows], utc=True),
        ...     "themes": [[r[1]] for r in rows]})
        >>> hi.early_warnings(found, freq="month", exposure="days")[["theme", "period", "reason", "is_first", "peak_period"]]
            theme   period  reason  is_first peak_period
        0  outage  2026-04     new      True     2026-05
        1  outage  2026-05  rising     False     2026-05
    """
    func = "early_warnings"
    tz, dims, ctx, _, _ = _prepare(
        func,
        grievances,
        by,
        freq,
        exposure,
        alpha,
        timezone,
        None,
        corpus,
        customers_table,
        identities,
        clock_offsets,
        baseline_periods,
        min_history,
        min_contacts,
        min_ratio,
        confidence,
    )
    series = _series_of(ctx, dims, freq, exposure, tz)
    stats = _emerging_matrix(
        series,
        baseline_periods=baseline_periods,
        min_history=min_history,
        min_contacts=min_contacts,
        min_ratio=min_ratio,
        alpha=alpha,
        confidence=confidence,
    )
    keys, cols = np.nonzero(stats["is_emerging"])
    order = np.lexsort((keys, cols))
    keys, cols = keys[order], cols[order]
    out = _emerging_rows(series, stats, cols, keys)
    first_col: dict[int, int] = {}
    for k, c in zip(keys, cols, strict=True):
        first_col.setdefault(int(k), int(c))
    out["is_first"] = np.array(
        [first_col[int(k)] == int(c) for k, c in zip(keys, cols, strict=True)], dtype=bool
    )
    peaks = series.counts.argmax(axis=1) if len(series.counts) else np.zeros(0, np.int64)
    out["peak_period"] = pd.array(
        [period_label(series.ordinals[peaks[k]], freq) for k in keys], dtype="string"
    )
    if len(out):
        period_code = cols
        ratio = np.nan_to_num(out["ratio"].to_numpy(dtype=np.float64, na_value=np.nan), nan=-1.0)
        order2 = np.lexsort((*[out[d].astype(str).to_numpy() for d in reversed(dims)], -ratio, period_code))
        out = out.iloc[order2].reset_index(drop=True)
    out.attrs.update({"freq": freq, "timezone": tz, "exposure": exposure, "dims": dims})
    return out

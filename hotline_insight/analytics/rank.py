"""The ranked, value-weighted grievance table: one call from a corpus to what to fix first.

:func:`rank_grievances` puts together, per theme (or product, policy, topic,
pair, ...), what the other analytics functions give one by one: how many
contacts and customers, how much customer value it touches and whether that
value is out of proportion (the top value decile against the rest), whether
the problem is solved at the first contact, whether it is recurring, rising or
new, what it is linked to, and what it does to satisfaction. Customers are
resolved once (:func:`~hotline_insight.resolve_customers`) and shared by every
part.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> contacts = pd.DataFrame({"id": ["1", "2", "3", "4"], "customer_id": ["A", "B", "C", "D"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-02-01", "2026-02-02"], utc=True)})
    >>> found = pd.DataFrame({"interaction_id": ["1", "2", "3", "4"],
    ...     "themes": [["fee"], ["outage"], ["outage"], ["outage"]]})
    >>> table = pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "value": [900.0, 10.0, 20.0, 30.0]})
    >>> hi.rank_grievances(contacts, found, customers_table=table)[["rank", "theme", "n_customers", "value_at_risk"]]
       rank   theme  n_customers  value_at_risk
    0     1     fee            1          900.0
    1     2  outage            3           60.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ._frames import (
    LIST_DIMS,
    Context,
    astype,
    build_context,
    check_choice,
    check_dims,
    check_number,
    check_timezone,
    combine_codes,
    combined_values,
    count_distinct,
    customer_codes,
    first_of,
    nullable,
    period_label,
    period_ordinals,
    sorted_codes,
    to_timedelta,
)
from .customers import _deciles
from .links import link_table
from .repeats import _episodes, first_contact_resolution
from .stats import rate_ratio
from .trends import _emerging_matrix, _Series, _trend_frame

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..corpus import Corpus
    from ..grievances import Grievances
    from .customers import CustomerIdentities
    from .prepare import PreparedAnalysis

__all__ = ["RANK_COLUMNS", "rank_grievances"]

#: Columns of :func:`rank_grievances` (the ``by`` columns come after ``rank``).
RANK_COLUMNS: dict[str, str] = {
    "n_contacts": "int64",
    "n_grievances": "int64",
    "n_customers": "int64",
    "value_at_risk": "float64",
    "value_share": "Float64",
    "customer_share": "Float64",
    "value_index": "Float64",
    "n_top_decile": "int64",
    "top_decile_ratio": "Float64",
    "top_decile_low": "Float64",
    "top_decile_high": "Float64",
    "mean_intensity": "Float64",
    "fcr": "Float64",
    "fcr_low": "Float64",
    "fcr_high": "Float64",
    "n_repeat_contacts": "int64",
    "n_weeks": "int64",
    "is_recurring": "bool",
    "last_period": "string",
    "last_period_contacts": "int64",
    "change_ratio": "Float64",
    "change_p": "Float64",
    "direction": "string",
    "is_emerging": "bool",
    "linked": "object",
    "satisfaction_diff": "Float64",
    "satisfaction_low": "Float64",
    "satisfaction_high": "Float64",
}

_PROBLEM_DIMS = ("theme", "product", "policy", "topic", "facet")


def rank_grievances(
    corpus: Corpus | pd.DataFrame | PreparedAnalysis,
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | None = None,
    *,
    by: str | Sequence[str] = "theme",
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    catalog: Catalog | None = None,
    freq: Literal["week", "month", "quarter"] = "quarter",
    timezone: str | None = None,
    window: str | pd.Timedelta = "7D",
    recurring_customers: int = 5,
    recurring_weeks: int = 3,
    sort_by: Literal["value_at_risk", "n_customers", "n_contacts", "value_index"] = "value_at_risk",
    alpha: float = 0.05,
    confidence: float = 0.95,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Grievances ranked by the customer value they touch, with every figure needed to act on them.

    Args:
        corpus: the interactions (a Corpus or a frame like ``Corpus.to_frame()``), or a
            :class:`~hotline_insight.PreparedAnalysis` (then leave out ``grievances``,
            ``customers_table``, ``identities``, ``catalog`` and ``clock_offsets``).
        grievances: Grievances or a frame like ``Grievances.to_frame()``.
        by: what to rank: ``theme`` (default), ``product``, ``policy``,
            ``topic``, a pair such as ``("theme", "product")``, or any
            dimension :func:`~hotline_insight.link` takes.
        customers_table: a frame from :func:`~hotline_insight.read_customers`
            (segments, values, holdings); without it every customer is worth 1.
        identities: a resolution to reuse.
        catalog: products and policies (for holding links).
        freq: the period for the trend columns.
        timezone: the zone whose calendar the periods follow.
        window: the repeat-contact window.
        recurring_customers: customers a recurring grievance reaches.
        recurring_weeks: distinct weeks it spans.
        sort_by: the ranking: ``value_at_risk`` (default: the value of the
            customers it touches), ``n_customers``, ``n_contacts`` or
            ``value_index``; ties go to the next of value at risk, customers,
            contacts, then the value's name.
        alpha: false discovery rate for ``is_emerging``.
        confidence: coverage of the intervals.
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        One row per value, ranked by ``sort_by`` (largest first): ``rank``
        int64, the ``by`` column(s) (string), then

        ==========================  =======  ===============================================================
        column                      dtype    meaning
        ==========================  =======  ===============================================================
        ``n_contacts``              int64    contacts with the grievance
        ``n_grievances``            int64    grievances
        ``n_customers``             int64    distinct identified customers
        ``value_at_risk``           float64  sum of their values
        ``value_share``             Float64  ``value_at_risk`` / value of all identified customers
        ``customer_share``          Float64  ``n_customers`` / all identified customers
        ``value_index``             Float64  ``value_share / customer_share``: above 1, it touches the
                                             more valuable customers
        ``n_top_decile``            int64    its customers in the top value decile
        ``top_decile_ratio``        Float64  share of top-decile customers touched / share of the rest
        ``top_decile_low/high``     Float64  exact interval of that ratio
        ``mean_intensity``          Float64  mean grievance intensity
        ``fcr``                     Float64  first-contact resolution (problem dimensions only)
        ``fcr_low/high``            Float64  Wilson interval
        ``n_repeat_contacts``       int64    repeat contacts about it
        ``n_weeks``                 int64    distinct ISO weeks with contacts
        ``is_recurring``            bool     ``recurring_customers`` customers in ``recurring_weeks`` weeks
        ``last_period``             string   the last period with data
        ``last_period_contacts``    int64    contacts in it
        ``change_ratio``            Float64  rate change from the period before
        ``change_p``                Float64  its exact test (two-sided)
        ``direction``               string   as :func:`~hotline_insight.trends`
        ``is_emerging``             bool     as :func:`~hotline_insight.emerging` for the last period
        ``linked``                  object   up to 3 over-represented links of the other kinds
                                             (``"product:x"``, ``"policy:y"``, ``"theme:z"``)
        ``satisfaction_diff``       Float64  mean satisfaction with it minus without (commonest scale)
        ``satisfaction_low/high``   Float64  its interval
        ==========================  =======  ===============================================================

        ``attrs``: the identity summary, ``n_anonymous_contacts``, ``freq``,
        ``value_source`` counts and the notes of each part.
    """
    func = "rank_grievances"
    dims = check_dims(func, by)
    check_choice(func, "sort_by", sort_by, ("value_at_risk", "n_customers", "n_contacts", "value_index"))
    check_choice(func, "freq", freq, ("week", "month", "quarter"))
    tz = check_timezone(func, timezone)
    check_number(func, "recurring_customers", recurring_customers, low=1, integer=True)
    check_number(func, "recurring_weeks", recurring_weeks, low=1, integer=True)
    check_number(func, "alpha", alpha, low=0, high=1)
    check_number(func, "confidence", confidence, low=0, high=1, low_open=True)
    ctx = build_context(
        func,
        grievances,
        corpus=corpus,
        customers_table=customers_table,
        identities=identities,
        clock_offsets=clock_offsets,
        catalog=catalog,
    )
    check_dims(func, dims, ctx)
    base, long = _base(ctx, dims, recurring_customers, recurring_weeks)
    key_index = pd.MultiIndex.from_frame(base[list(dims)])
    _add_value(ctx, base, long)
    _add_repeats(ctx, base, dims, key_index, window, confidence)
    _add_trend(ctx, base, dims, key_index, freq, tz, alpha, confidence)
    _add_links(ctx, base, dims, key_index)
    _add_satisfaction(ctx, base, long, confidence)
    del long
    keys = [
        *[base[d].astype(str).to_numpy() for d in reversed(dims)],
        -base["n_contacts"].to_numpy(),
        -base["n_customers"].to_numpy(),
        -base["value_at_risk"].to_numpy(),
    ]
    if sort_by != "value_at_risk":
        first = base[sort_by].to_numpy(dtype=np.float64, na_value=np.nan)
        keys.append(-np.nan_to_num(first, nan=-np.inf))
    order = np.lexsort(tuple(keys))
    out = base.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype=np.int64))
    for column, dtype in RANK_COLUMNS.items():
        if dtype == "Float64":
            out[column] = nullable(out[column].to_numpy(dtype=np.float64, na_value=np.nan))
        elif dtype == "object":
            continue
        else:
            out[column] = astype(out[column], dtype)
    for d in dims:
        out[d] = out[d].astype("string")
    out = out[["rank", *dims, *RANK_COLUMNS]]
    value_sources = ctx.identities.values["value_source"].value_counts().to_dict()
    out.attrs.update(
        {
            **ctx.identities.summary,
            "n_anonymous_contacts": int(ctx.contacts["is_anonymous"].sum()),
            "freq": freq,
            "timezone": tz,
            "value_sources": {str(k): int(v) for k, v in value_sources.items()},
            "notes": list(ctx.notes),
        }
    )
    return out


@dataclass
class _Long:
    """The (contact x value) rows behind a ranking, as int arrays (no object column).

    ``rows``/``at``: each distinct (contact, value) pair's contact row and the
    position of its value in the ranking's base (values sorted); ``known``:
    the first of those rows of each distinct (value, identified customer),
    with the customer's code in ``customer``.
    """

    rows: np.ndarray
    at: np.ndarray
    known: np.ndarray
    customer: np.ndarray


def _base(
    ctx: Context, dims: tuple[str, ...], recurring_customers: int, recurring_weeks: int
) -> tuple[pd.DataFrame, _Long]:
    values = combined_values(ctx, dims)
    contacts = ctx.contacts
    # each dimension's values as codes in their sort order: the combined key sorts as the values do
    codes, names = [], []
    for d in dims:
        code, name = sorted_codes(values[d].to_numpy(dtype=object))
        codes.append(code)
        names.append(name)
    g = values["g"].to_numpy(dtype=np.int64)
    rows_all = values["row"].to_numpy(dtype=np.int64)
    del values
    key = combine_codes(*codes) if codes else np.zeros(0, dtype=np.int64)
    keys, first = np.unique(key, return_index=True)
    at = np.searchsorted(keys, key)
    n_keys = len(keys)
    out = pd.DataFrame(
        {d: name[code[first]] for d, code, name in zip(dims, codes, names, strict=True)}
        if n_keys
        else {d: np.zeros(0, dtype=object) for d in dims}
    )
    del codes, key
    contact_level = first_of(rows_all, at)
    rows, c_at = rows_all[contact_level], at[contact_level]
    del contact_level
    out["n_contacts"] = np.bincount(c_at, minlength=n_keys).astype(np.int64)
    g_level = first_of(g, at)
    out["n_grievances"] = np.bincount(at[g_level], minlength=n_keys).astype(np.int64)
    customer = customer_codes(ctx)[0][rows]
    known = np.flatnonzero(customer >= 0)
    known = known[first_of(c_at[known], customer[known])]
    out["n_customers"] = np.bincount(c_at[known], minlength=n_keys).astype(np.int64)
    week = period_ordinals(contacts["created_at"], "week")[rows]
    dated = week >= 0
    out["n_weeks"] = count_distinct(c_at[dated], week[dated], n_keys)
    del week, dated
    out["is_recurring"] = (out["n_customers"] >= recurring_customers) & (out["n_weeks"] >= recurring_weeks)
    intensity = ctx.grievances["intensity"].to_numpy(dtype=np.float64)
    mean_int = pd.Series(intensity[g[g_level]]).groupby(at[g_level]).mean()
    out["mean_intensity"] = mean_int.reindex(np.arange(n_keys)).to_numpy(dtype=np.float64)
    return out, _Long(rows=rows, at=c_at, known=known, customer=customer[known])


def _add_value(ctx: Context, base: pd.DataFrame, long: _Long) -> None:
    values = ctx.identities.values
    n_keys = len(base)
    value_of = values.set_index("customer_id")["value"]
    weighted = values["value_source"].to_numpy(dtype=object) != "unweighted"
    decile = np.zeros(len(values), dtype=np.int64)
    if weighted.any():
        decile[weighted] = _deciles(values["value"].to_numpy(dtype=np.float64)[weighted])
    top = set(values["customer_id"].to_numpy(dtype=object)[decile == 10].tolist())
    # the customers touched, once each: their value and whether they are in the top decile
    touched_codes, codes = np.unique(long.customer, return_inverse=True)
    touched = customer_codes(ctx)[1][touched_codes]
    touched_value = value_of.reindex(touched).to_numpy(dtype=np.float64)
    touched_top = pd.Index(touched, dtype=object).isin(top)
    at = long.at[long.known]
    value_at_risk = pd.Series(touched_value[codes]).groupby(at).sum()
    base["value_at_risk"] = value_at_risk.reindex(np.arange(n_keys), fill_value=0.0).to_numpy(
        dtype=np.float64
    )
    base["n_top_decile"] = np.bincount(at[touched_top[codes]], minlength=n_keys).astype(np.int64)
    total_value = float(values["value"].sum())
    n_customers = len(values)
    n_top = len(top)
    with np.errstate(divide="ignore", invalid="ignore"):
        base["value_share"] = base["value_at_risk"] / total_value if total_value > 0 else np.nan
        base["customer_share"] = base["n_customers"] / n_customers if n_customers else np.nan
        base["value_index"] = np.where(
            base["n_customers"] > 0, base["value_share"] / base["customer_share"], np.nan
        )
    x_top = base["n_top_decile"].to_numpy(dtype=np.float64)
    x_rest = base["n_customers"].to_numpy(dtype=np.float64) - x_top
    ratio, low, high, _ = rate_ratio(x_top, float(n_top), x_rest, float(n_customers - n_top))
    base["top_decile_ratio"], base["top_decile_low"], base["top_decile_high"] = ratio, low, high


def _add_repeats(
    ctx: Context,
    base: pd.DataFrame,
    dims: tuple[str, ...],
    key_index: pd.MultiIndex,
    window: Any,
    confidence: float,
) -> None:
    base["fcr"] = np.nan
    base["fcr_low"] = np.nan
    base["fcr_high"] = np.nan
    base["n_repeat_contacts"] = 0
    if len(dims) != 1 or dims[0] not in _PROBLEM_DIMS:
        return
    dim = dims[0]
    # the default problem kinds, so one pass over the episodes serves theme, product, policy and topic
    on = tuple(dict.fromkeys(("theme", "product", "policy", "topic", dim)))
    units = _repeat_units(ctx, window, on)[dim]
    frame = pd.DataFrame(
        {
            # the ids as stored (resolution per problem kind reads the flags, not the ids)
            "interaction_id": ctx.contacts["interaction_id"].array.take(units["first_row"].to_numpy()),
            "kind": dim,
            "value": units["value"].astype(str).to_numpy(),
            "is_repeat": units["is_repeat"].to_numpy(dtype=bool),
            "is_followed": units["is_followed"].to_numpy(dtype=bool),
            "is_censored": units["is_censored"].to_numpy(dtype=bool),
        }
    )
    fcr = first_contact_resolution(frame, by=dim, confidence=confidence).set_index(dim)
    keys = base[dim].astype(str).to_numpy()
    for column in ("fcr", "fcr_low", "fcr_high"):
        base[column] = fcr[column].reindex(keys).to_numpy(dtype=np.float64, na_value=np.nan)
    base["n_repeat_contacts"] = fcr["n_repeat_contacts"].reindex(keys, fill_value=0).to_numpy(dtype=np.int64)


def _repeat_units(ctx: Context, window: Any, on: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Per problem kind, the (episode, problem) rows first-contact resolution counts, computed once.

    Each frame has ``first_row`` (the episode's first contact, int32), ``value``
    (categorical) and ``is_repeat``, ``is_followed``, ``is_censored`` (bool):
    what :func:`first_contact_resolution` reads. Only these are kept on the
    context, not the episodes table (its id lists and per-row columns are most
    of a large context's memory).
    """
    win = to_timedelta("rank_grievances", "window", window).value
    key = ("rank_repeat_units", win, on)
    cached: dict[str, pd.DataFrame] | None = ctx.cache.get(key)
    if cached is not None:
        return cached
    result = _episodes(
        ctx, window=window, transfer_window="15min", on=on, func="rank_grievances", with_ids=False
    )
    long = result["long"]
    del result
    kind = long["kind"].to_numpy(dtype=object)
    small = np.int32 if len(ctx.contacts) < 2**31 else np.int64
    units: dict[str, pd.DataFrame] = {}
    for dim in on:
        mine = (kind == dim).astype(bool)
        units[dim] = pd.DataFrame(
            {
                "first_row": long["first_row"].to_numpy()[mine].astype(small),
                "value": long["value"][mine].reset_index(drop=True),
                "is_repeat": long["is_repeat"].to_numpy(dtype=bool)[mine],
                "is_followed": long["is_followed"].to_numpy(dtype=bool)[mine],
                "is_censored": long["is_censored"].to_numpy(dtype=bool)[mine],
            }
        )
    ctx.cache[key] = units
    return units


def _add_trend(
    ctx: Context,
    base: pd.DataFrame,
    dims: tuple[str, ...],
    key_index: pd.MultiIndex,
    freq: str,
    tz: str,
    alpha: float,
    confidence: float,
) -> None:
    base["last_period"] = None
    base["last_period_contacts"] = 0
    base["change_ratio"] = np.nan
    base["change_p"] = np.nan
    base["direction"] = None
    base["is_emerging"] = False
    if ctx.contacts["created_at"].isna().all():
        return
    series = _Series(ctx, dims, freq, "contacts", tz)
    frame = _trend_frame(series, "contacts", alpha, confidence)
    last = period_label(series.ordinals[-1], freq)
    at_last = frame[frame["period"] == last].set_index(list(dims))
    stats = _emerging_matrix(
        series,
        baseline_periods=4 if freq == "quarter" else 6,
        min_history=3,
        min_contacts=5,
        min_ratio=2.0,
        alpha=alpha,
        confidence=confidence,
    )
    emerging = pd.Series(stats["is_emerging"][:, -1], index=pd.MultiIndex.from_frame(series.keys))
    keys = pd.MultiIndex.from_frame(base[list(dims)].astype(str))
    at_last.index = pd.MultiIndex.from_frame(at_last.index.to_frame().astype(str))
    base["last_period"] = last
    base["last_period_contacts"] = at_last["n_contacts"].reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    base["change_ratio"] = at_last["change_ratio"].reindex(keys).to_numpy(dtype=np.float64, na_value=np.nan)
    base["change_p"] = at_last["p_value"].reindex(keys).to_numpy(dtype=np.float64, na_value=np.nan)
    base["direction"] = at_last["direction"].reindex(keys).astype("object").to_numpy()
    base["is_emerging"] = emerging.reindex(keys, fill_value=False).to_numpy(dtype=bool)


def _add_links(ctx: Context, base: pd.DataFrame, dims: tuple[str, ...], key_index: pd.MultiIndex) -> None:
    base["linked"] = [[] for _ in range(len(base))]
    if len(dims) != 1 or (dims[0] not in LIST_DIMS and dims[0] != "topic"):
        return
    dim = dims[0]
    found: dict[str, list[tuple[int, str]]] = {}
    for other in ("theme", "product", "policy"):
        if other == dim:
            continue
        table = link_table(ctx, (dim, other))
        table = table[(table["lift"].fillna(0) > 1) & table["is_significant"]]
        for key, value, n in zip(
            table[dim].astype(str), table[other].astype(str), table["n_contacts"], strict=True
        ):
            found.setdefault(key, []).append((int(n), f"{other}:{value}"))
    base["linked"] = [
        [name for _, name in sorted(found.get(str(k), []), key=lambda item: (-item[0], item[1]))[:3]]
        for k in base[dim].astype(str)
    ]


def _add_satisfaction(ctx: Context, base: pd.DataFrame, long: _Long, confidence: float) -> None:
    from .stats import newcombe_difference, welch_difference

    base["satisfaction_diff"] = np.nan
    base["satisfaction_low"] = np.nan
    base["satisfaction_high"] = np.nan
    contacts = ctx.contacts
    score = contacts["satisfaction_score"].to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(score).all():
        return
    scale = contacts["satisfaction_scale"].astype("object").fillna("unknown").to_numpy()
    scored = ~np.isnan(score)
    common = pd.Series(scale[scored]).value_counts().index[0]
    rows = np.flatnonzero(scored & (scale == common))
    use = np.isin(long.rows, rows)
    value_rows, value_at = long.rows[use], long.at[use]
    binary = bool(np.isin(score[rows], (0.0, 1.0)).all())
    total = score[rows].sum()
    n = len(rows)
    diff = np.full(len(base), np.nan)
    low_ = np.full(len(base), np.nan)
    high_ = np.full(len(base), np.nan)
    order = np.argsort(value_at, kind="stable")
    positions, starts = np.unique(value_at[order], return_index=True)
    parts = np.split(value_rows[order], starts[1:]) if len(positions) else []
    for position, part in zip(positions.tolist(), parts, strict=True):
        with_rows = np.unique(part)
        n1, n0 = len(with_rows), n - len(with_rows)
        if n1 < 2 or n0 < 2:
            continue
        s1 = score[with_rows]
        if binary:
            d, low, high = newcombe_difference(s1.sum(), n1, total - s1.sum(), n0, confidence)
        else:
            s0 = score[np.setdiff1d(rows, with_rows)]
            d, low, high, _ = welch_difference(
                s1.mean(), s1.var(ddof=1), n1, s0.mean(), s0.var(ddof=1), n0, confidence
            )
        diff[position], low_[position], high_[position] = float(d), float(low), float(high)
    base["satisfaction_diff"] = diff.tolist()
    base["satisfaction_low"] = low_.tolist()
    base["satisfaction_high"] = high_.tolist()

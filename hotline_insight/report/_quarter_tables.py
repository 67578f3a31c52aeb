"""The quarterly report's tables, computed from a :class:`~._quarter_data.QuarterData`.

Each function returns one DataFrame of :data:`~.quarterly.TABLES` (columns in
that order, with those dtypes: :func:`typed` casts them). Counts are of
contacts (interactions) unless a column says otherwise; every figure that is
a statistic carries its interval or test in its own columns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from ..analytics._frames import (
    combined_key,
    count_distinct,
    dense_codes,
    period_label,
    period_ordinals,
    period_start,
)
from ..analytics._store_series import SeriesRequest
from ..analytics.change import before_after
from ..analytics.customers import known_customers_of
from ..analytics.impact import satisfaction_impact
from ..analytics.links import link
from ..analytics.rank import rank_grievances
from ..analytics.repeats import first_contact_resolution, repeat_contacts
from ..analytics.stats import two_by_two_test, welch_difference, wilson_interval
from ..analytics.trends import early_warnings as find_early_warnings
from ..analytics.trends import emerging as find_emerging
from ..analytics.trends import trends
from ._quarter_data import LINK_STRENGTH, QuarterData, quarter_label

__all__ = ["Settings", "Tables", "compute_tables", "typed"]


@dataclass(frozen=True)
class Settings:
    """The thresholds of one report (documented in the method notes)."""

    window: str = "7D"
    confidence: float = 0.95
    alpha: float = 0.05
    min_contacts: int = 5
    min_ratio: float = 2.0
    novelty_share: float = 0.5
    max_rows: int = 15
    max_recommendations: int = 5
    n_quotes: int = 2


def typed(frame: pd.DataFrame, schema: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """The frame with exactly the schema's columns, in order, cast to its dtypes."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for column, (dtype, _) in schema.items():
        values = frame[column] if column in frame.columns else pd.Series([None] * len(frame))
        values = values.reset_index(drop=True)
        if dtype == "object":
            out[column] = pd.Series(
                [list(v) if isinstance(v, list | tuple | np.ndarray) else [] for v in values], dtype="object"
            )
        elif dtype == "string":
            out[column] = pd.array(
                [None if _missing(v) else str(v) for v in values.astype("object")], dtype="string"
            )
        elif dtype in ("Float64", "Int64"):
            numbers = pd.to_numeric(values.astype("object"), errors="coerce").to_numpy(dtype=np.float64)
            numbers = np.where(np.isinf(numbers), np.nan, numbers) if dtype == "Float64" else numbers
            if dtype == "Float64":
                out[column] = pd.array(numbers, dtype="Float64")
            else:
                out[column] = pd.array(np.round(numbers), dtype="Float64").astype("Int64")
        elif dtype == "int64":
            out[column] = pd.to_numeric(values.astype("object"), errors="coerce").fillna(0).astype("int64")
        elif dtype == "float64":
            out[column] = pd.to_numeric(values.astype("object"), errors="coerce").astype("float64")
        elif dtype == "bool":
            out[column] = values.astype("object").fillna(False).astype(bool)
        elif dtype.startswith("datetime64"):
            out[column] = pd.to_datetime(values, utc=True).astype(dtype)  # type: ignore[call-overload]
        else:  # pragma: no cover - the schema uses the kinds above
            raise AssertionError(dtype)
    return out


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts keyed by column name."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _num(value: Any) -> float | None:
    """A finite float, or None (for <NA>, NaN and infinities)."""
    if _missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# ---------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------


class Tables:
    """The computed tables, plus what the layout needs beside them (quotes chosen, ...)."""

    def __init__(self, data: QuarterData, settings: Settings) -> None:
        self.data = data
        self.settings = settings
        self.frames: dict[str, pd.DataFrame] = {}
        self.rep_q: pd.DataFrame = pd.DataFrame()
        """The repeat contacts (:func:`repeat_contacts`) that started in the reported quarter."""
        self.previous_figures: dict[str, Any] | None = None
        """The previous quarter's headline figures from the data (None when it has no contacts)."""
        self.trend_counts: dict[str, pd.DataFrame] = {}
        self.monthly: dict[str, pd.DataFrame] = {}
        self.quotes: dict[str, list[int]] = {}
        """claim key -> positions (in ``data.grievances``) of the grievances quoted for it."""
        self._used: set[str] = set()


def _rep(data: QuarterData, settings: Settings, q: int) -> pd.DataFrame:
    """The repeat contacts that started in quarter ``q``, judged against the whole history."""
    since = period_start(q, "quarter", data.timezone)
    until = period_start(q + 1, "quarter", data.timezone) if q < data.quarter else None
    rep = repeat_contacts(data.recent, window=settings.window, since=since, until=until)
    quarter = period_ordinals(rep["started_at"], "quarter", data.timezone)
    # the columns the report reads: the rest (the legs' id lists above all) held 531 MB at 1M
    out: pd.DataFrame = rep.loc[quarter == q, list(_REP_COLUMNS)].assign(quarter=q)
    return out


_REP_COLUMNS = (
    "customer_id",
    "interaction_id",
    "channel",
    "queue",
    "kind",
    "value",
    "is_repeat",
    "is_followed",
    "is_censored",
)


def _quarter_counts(data: QuarterData, dim: str) -> pd.DataFrame:
    """Contacts per value and quarter (all quarters shown), as value x quarter-label columns."""
    trend = trends(data.counted, dim, "quarter", timezone=data.timezone, confidence=0.95)
    return trend


def _trend_lists(trend: pd.DataFrame, dim: str, quarters: Sequence[int]) -> dict[str, list[int]]:
    labels = [quarter_label(q) for q in quarters]
    wide = trend.pivot_table(index=dim, columns="period", values="n_contacts", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=labels, fill_value=0)
    return {str(k): [int(x) for x in row] for k, row in zip(wide.index, wide.to_numpy(), strict=True)}


def _at_quarter(trend: pd.DataFrame, dim: str, label: str) -> pd.DataFrame:
    at = trend[trend["period"] == label]
    return at.assign(**{dim: at[dim].astype(str)}).set_index(dim)


# ---------------------------------------------------------------------------
# headline
# ---------------------------------------------------------------------------


def _quarter_figures(data: QuarterData, rep: pd.DataFrame, q: int, settings: Settings) -> dict[str, Any]:
    contacts = data.contacts[data.contacts["quarter"] == q]
    g = data.grievances.loc[data.grievances["quarter"] == q, ["interaction_id", "customer"]]
    ids = set(contacts["id"].astype(str))
    complaint_ids = set(g["interaction_id"].astype(str)) & ids
    customers = g["customer"].dropna().astype(str).unique()
    values = data.identities.values.set_index("customer_id")["value"]
    value = float(values.reindex(customers).fillna(0.0).sum()) if len(customers) else 0.0
    rq = rep[rep["quarter"] == q]
    n_repeat = int(rq.loc[rq["is_repeat"], "interaction_id"].astype(str).nunique())
    if len(rq):
        fcr = first_contact_resolution(rq, by="all", confidence=settings.confidence)
        judged = int(fcr["n_first_contacts"].sum())
        resolved = int(fcr["n_resolved"].sum())
    else:
        judged = resolved = 0
    score = contacts["satisfaction_score"].to_numpy(dtype=np.float64, na_value=np.nan)
    scale = contacts["satisfaction_scale"].astype("object").fillna("unknown").to_numpy()
    return {
        "n_contacts": len(contacts),
        "n_complaint_contacts": len(complaint_ids),
        "n_grievances": len(g),
        "n_customers": len(customers),
        "value_at_risk": value,
        "n_repeat_contacts": n_repeat,
        "fcr_judged": judged,
        "fcr_resolved": resolved,
        "scores": score,
        "scales": scale,
    }


def _satisfaction(
    f: dict[str, Any], scale: str | None, confidence: float
) -> tuple[float | None, float | None, float | None, int, np.ndarray]:
    score = f["scores"]
    ok = ~np.isnan(score)
    if scale is None or not ok.any():
        return None, None, None, 0, np.zeros(0)
    chosen = score[ok & (f["scales"] == scale)]
    if not len(chosen):
        return None, None, None, 0, chosen
    mean = float(chosen.mean())
    if np.isin(chosen, (0.0, 1.0)).all():
        low, high = wilson_interval(chosen.sum(), len(chosen), confidence)
        return mean, float(low), float(high), len(chosen), chosen
    if len(chosen) >= 2:
        _d, lo, hi_, _ = welch_difference(mean, chosen.var(ddof=1), len(chosen), 0.0, 0.0, 10**9, confidence)
        return mean, _num(lo), _num(hi_), len(chosen), chosen
    return mean, None, None, len(chosen), chosen


def headline(t: Tables) -> pd.DataFrame:
    data, settings = t.data, t.settings
    q = data.quarter
    now = _quarter_figures(data, t.rep_q, q, settings)
    before = t.previous_figures
    prev_report = data.previous.figures if data.previous is not None else {}
    conf = settings.confidence
    pct = f"{conf:.0%}"
    rows: list[dict[str, Any]] = []

    def previous_of(key: str, from_data: float | None) -> tuple[float | None, str]:
        if key in prev_report and data.previous is not None:
            return prev_report[key], f"previous: the {data.previous.quarter} report"
        return from_data, f"previous: {data.previous_label} in the data" if from_data is not None else ""

    def count(key: str, label: str, basis: str) -> None:
        value = float(now[key])
        prev, src = previous_of(key, float(before[key]) if before is not None else None)
        change = value / prev - 1 if prev is not None and prev != 0 else None
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "previous": prev,
                "change": change,
                "change_kind": "relative",
                "basis": "; ".join(x for x in (basis, src) if x),
            }
        )

    def share(key: str, label: str, x: int, n: int, px: int | None, pn: int | None, what: str) -> None:
        value = x / n if n else None
        low, high = wilson_interval(x, n, conf) if n else (np.nan, np.nan)
        prev_data = px / pn if px is not None and pn else None
        prev, src = previous_of(key, prev_data)
        change = value - prev if value is not None and prev is not None else None
        p = None
        if px is not None and pn and n and not (key in prev_report and data.previous is not None):
            pv, test = two_by_two_test([x], [n - x], [px], [pn - px])
            p = _num(pv[0])
            test_name = {"fisher": "Fisher's exact test", "chi2": "chi-square test"}.get(
                str(test[0]), "no test"
            )
        else:
            test_name = ""
        basis = f"{x:,} of {n:,} {what}; {pct} Wilson interval"
        if p is not None:
            basis += f"; change tested with {test_name}"
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "previous": prev,
                "change": change,
                "change_kind": "points",
                "low": _num(np.asarray(low).item()),
                "high": _num(np.asarray(high).item()),
                "p_value": p,
                "basis": "; ".join(x for x in (basis, src) if x),
            }
        )

    count("n_contacts", "Contacts", "interactions in the quarter, all channels")
    count("n_complaint_contacts", "Contacts with a grievance", "interactions with at least one grievance")
    share(
        "complaint_share",
        "Share with a grievance",
        now["n_complaint_contacts"],
        now["n_contacts"],
        before["n_complaint_contacts"] if before else None,
        before["n_contacts"] if before else None,
        "contacts",
    )
    count("n_grievances", "Grievances", "complaint segments found in customers' words")
    count("n_customers", "Customers complaining", "identified customers with a grievance")
    count(
        "value_at_risk",
        "Value at risk",
        "sum of the values of the customers complaining"
        + (" (no customer values given: 1 per customer)" if _unweighted(data) else ""),
    )
    count(
        "n_repeat_contacts",
        "Repeat contacts",
        f"contacts about the same problem within {settings.window} of the customer's previous one",
    )
    share(
        "fcr",
        "First-contact resolution",
        now["fcr_resolved"],
        now["fcr_judged"],
        before["fcr_resolved"] if before else None,
        before["fcr_judged"] if before else None,
        "first contacts not repeated (right-censored ones left out)",
    )
    # satisfaction on the commonest scale of the quarter
    scored = ~np.isnan(now["scores"])
    scale = pd.Series(now["scales"][scored]).value_counts().index[0] if scored.any() else None
    mean, low, high, n, chosen = _satisfaction(now, scale, conf)
    prev_mean = None
    p = None
    if before is not None and scale is not None:
        prev_mean, _, _, pn, prev_chosen = _satisfaction(before, scale, conf)
        if pn and n:
            binary = np.isin(np.concatenate([chosen, prev_chosen]), (0.0, 1.0)).all()
            if binary:
                pv, _ = two_by_two_test(
                    [chosen.sum()], [n - chosen.sum()], [prev_chosen.sum()], [pn - prev_chosen.sum()]
                )
                p = _num(pv[0])
            elif n >= 2 and pn >= 2:
                _, _, _, pw = welch_difference(
                    chosen.mean(),
                    chosen.var(ddof=1),
                    n,
                    prev_chosen.mean(),
                    prev_chosen.var(ddof=1),
                    pn,
                    conf,
                )
                p = _num(pw)
    prev, src = previous_of("satisfaction", prev_mean)
    rows.append(
        {
            "key": "satisfaction",
            "label": "Satisfaction",
            "value": mean,
            "previous": prev,
            "change": mean - prev if mean is not None and prev is not None else None,
            "change_kind": "points",
            "low": low,
            "high": high,
            "p_value": p,
            "basis": (
                f"mean score in [0, 1] of {n:,} scored contacts (scale {scale}); {pct} interval"
                if n
                else "no satisfaction scores in the quarter"
            )
            + (f"; {src}" if src and n else ""),
        }
    )
    return pd.DataFrame(rows)


def _unweighted(data: QuarterData) -> bool:
    sources = data.identities.values["value_source"]
    return bool(len(sources)) and bool((sources == "unweighted").all())


# ---------------------------------------------------------------------------
# ranked grievances, products, policies, topics
# ---------------------------------------------------------------------------


def ranked(t: Tables, dim: str, *, include: Iterable[str] = ()) -> pd.DataFrame:
    """One row per value of ``dim`` in the quarter (and each of ``include``), ranked by value at risk."""
    data, settings = t.data, t.settings
    label = data.label
    rank = rank_grievances(
        data.cur,
        by=dim,
        timezone=data.timezone,
        window=settings.window,
        confidence=settings.confidence,
        alpha=settings.alpha,
    )
    rank = rank.assign(**{dim: rank[dim].astype(str)})
    extra = [v for v in include if v not in set(rank[dim])]
    if extra:
        zeros = pd.DataFrame({dim: extra})
        rank = pd.concat([rank, zeros], ignore_index=True)
    trend = t.trend_counts.get(dim)
    if trend is None:
        trend = t.trend_counts[dim] = _quarter_counts(data, dim)
    lists = _trend_lists(trend, dim, data.quarters)
    at = _at_quarter(trend, dim, label)
    keys = rank[dim].astype(str)
    fcr = (
        first_contact_resolution(t.rep_q, by=dim, confidence=settings.confidence)
        if dim
        in (
            "theme",
            "product",
            "policy",
            "topic",
            "facet",
        )
        and len(t.rep_q)
        else None
    )
    out = pd.DataFrame({dim: keys})
    out["name"] = [data.name(dim, k) for k in keys]
    for column in (
        "n_contacts",
        "n_grievances",
        "n_customers",
        "value_at_risk",
        "value_share",
        "value_index",
        "n_top_decile",
        "top_decile_ratio",
        "top_decile_low",
        "top_decile_high",
        "mean_intensity",
        "is_recurring",
        "satisfaction_diff",
        "satisfaction_low",
        "satisfaction_high",
    ):
        out[column] = rank[column].to_numpy() if column in rank.columns else None
    for column in ("n_contacts", "n_grievances", "n_customers", "n_top_decile"):
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    out["value_at_risk"] = pd.to_numeric(out["value_at_risk"]).fillna(0.0)
    if fcr is not None:
        f = fcr.set_index(fcr[dim].astype(str))
        for column in ("fcr", "fcr_low", "fcr_high", "n_repeat_contacts"):
            out[column] = f[column].reindex(keys).to_numpy()
    if "n_repeat_contacts" not in out.columns:
        out["n_repeat_contacts"] = 0
    out["n_repeat_contacts"] = pd.to_numeric(out["n_repeat_contacts"], errors="coerce").fillna(0)
    out["prev_contacts"] = at["prev_contacts"].reindex(keys).to_numpy() if len(at) else None
    for column in ("change_ratio", "ratio_low", "ratio_high", "p_value", "q_value"):
        out[column] = at[column].reindex(keys).to_numpy() if len(at) else None
    out["direction"] = at["direction"].reindex(keys).to_numpy() if len(at) else None
    out["trend"] = [lists.get(k, [0] * len(data.quarters)) for k in keys]
    linked: Any = rank["linked"].to_numpy() if "linked" in rank.columns else [[]] * len(out)
    out["linked"] = [
        [_linked_name(data, x) for x in (v if isinstance(v, list | tuple | np.ndarray) else [])]
        for v in linked
    ]
    order = np.lexsort(
        (
            keys.to_numpy(),
            -out["n_contacts"].to_numpy(),
            -out["n_customers"].to_numpy(),
            -out["value_at_risk"].to_numpy(dtype=np.float64),
        )
    )
    out = out.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def _linked_name(data: QuarterData, value: str) -> str:
    kind, _, ident = str(value).partition(":")
    return f"{kind}: {data.name(kind, ident)}"


def product_theme(t: Tables) -> pd.DataFrame:
    data = t.data
    table = link(data.cur, ("product", "theme"), alpha=t.settings.alpha, confidence=t.settings.confidence)
    out = pd.DataFrame(
        {
            "product": table["product"].astype(str),
            "product_name": [data.name("product", v) for v in table["product"].astype(str)],
            "theme": table["theme"].astype(str),
            "theme_name": [data.name("theme", v) for v in table["theme"].astype(str)],
            "n_contacts": table["n_contacts"],
            "n_customers": table["n_customers"],
            "share": table["share"],
            "lift": table["lift"],
            "p_value": table["p_value"],
            "q_value": table["q_value"],
            "is_significant": table["is_significant"],
            "value_at_risk": table["value_at_risk"],
        }
    )
    return out.sort_values(
        ["n_contacts", "product", "theme"], ascending=[False, True, True], ignore_index=True
    )


# ---------------------------------------------------------------------------
# emerging issues, early warnings
# ---------------------------------------------------------------------------

_DIM_LABEL = {"theme": "theme", "product": "product", "policy": "policy", "topic": "topic", "facet": "facet"}


def _emerging_dims(data: QuarterData) -> list[tuple[str, ...]]:
    return _dims_watched(has_topics=data.has_topics)


def _dims_watched(*, has_topics: bool) -> list[tuple[str, ...]]:
    """The dimensions whose emerging issues and early warnings the report lists."""
    dims: list[tuple[str, ...]] = [("theme",), ("product",), ("policy",), ("product", "theme")]
    if has_topics:
        dims.append(("topic",))
    return dims


def _key(dims: Sequence[str], row: Mapping[str, Any]) -> str:
    return "|".join(f"{d}:{row[d]}" for d in dims)


def _label(data: QuarterData, dims: Sequence[str], row: Mapping[str, Any]) -> str:
    return " \u00d7 ".join(data.name(d, str(row[d])) for d in dims)


def emerging(t: Tables) -> pd.DataFrame:
    data, s = t.data, t.settings
    rows = []
    n_history = data.quarter - data.first_quarter
    for dims in _emerging_dims(data):
        em = find_emerging(
            data.counted,
            dims,
            "quarter",
            as_of=data.label,
            timezone=data.timezone,
            baseline_periods=4,
            min_history=min(3, max(1, n_history)),
            min_contacts=s.min_contacts,
            min_ratio=s.min_ratio,
            alpha=s.alpha,
            confidence=s.confidence,
        )
        for row in records(em[em["is_emerging"]]):
            rows.append(
                {
                    "dimension": " \u00d7 ".join(dims),
                    "key": _key(dims, row),
                    "label": _label(data, dims, row),
                    "n_contacts": row["n_contacts"],
                    "n_customers": row["n_customers"],
                    "baseline_contacts": row["baseline_contacts"],
                    "expected": row["expected"],
                    "ratio": row["ratio"],
                    "ratio_low": row["ratio_low"],
                    "q_value": row["q_value"],
                    "reason": row["reason"],
                }
            )
    out = pd.DataFrame(rows, columns=list(_EMERGING_KEYS))
    if len(out):
        ratio = pd.to_numeric(out["ratio"].astype("object"), errors="coerce").fillna(np.inf)
        out = out.assign(_r=ratio.to_numpy(dtype=np.float64))
        out = out.sort_values(["n_contacts", "_r", "key"], ascending=[False, False, True], ignore_index=True)
        out = out.drop(columns="_r")
    return out


_EMERGING_KEYS = (
    "dimension",
    "key",
    "label",
    "n_contacts",
    "n_customers",
    "baseline_contacts",
    "expected",
    "ratio",
    "ratio_low",
    "q_value",
    "reason",
)


def early_warnings(t: Tables) -> pd.DataFrame:
    data, s = t.data, t.settings
    months = _months_of(data)
    rows = []
    for dims in _emerging_dims(data):
        ew = find_early_warnings(
            data.counted,
            dims,
            "month",
            timezone=data.timezone,
            min_contacts=s.min_contacts,
            min_ratio=s.min_ratio,
            alpha=s.alpha,
            confidence=s.confidence,
        )
        ew = ew[ew["period"].astype(str).isin(months)]
        for row in records(ew):
            rows.append(
                {
                    "dimension": " \u00d7 ".join(dims),
                    "key": _key(dims, row),
                    "label": _label(data, dims, row),
                    "period": row["period"],
                    "n_contacts": row["n_contacts"],
                    "expected": row["expected"],
                    "ratio": row["ratio"],
                    "ratio_low": row["ratio_low"],
                    "q_value": row["q_value"],
                    "reason": row["reason"],
                    "is_first": row["is_first"],
                }
            )
    out = pd.DataFrame(rows, columns=[*_EW_KEYS])
    if len(out):
        out = out.sort_values(
            ["period", "n_contacts", "key"], ascending=[True, False, True], ignore_index=True
        )
    return out


_EW_KEYS = (
    "dimension",
    "key",
    "label",
    "period",
    "n_contacts",
    "expected",
    "ratio",
    "ratio_low",
    "q_value",
    "reason",
    "is_first",
)


def _months_of(data: QuarterData) -> list[str]:
    year, quarter = divmod(data.quarter, 4)
    return [period_label(year * 12 + 3 * quarter + i, "month") for i in range(3)]


def monthly_counts(t: Tables, dims: tuple[str, ...]) -> pd.DataFrame:
    """Contacts per value and month over the whole history (cached per dimension tuple)."""
    key = "|".join(dims)
    if key not in t.monthly:
        t.monthly[key] = trends(t.data.counted, dims, "month", timezone=t.data.timezone)
    return t.monthly[key]


# ---------------------------------------------------------------------------
# changes: before and after
# ---------------------------------------------------------------------------


def changes(t: Tables) -> pd.DataFrame:
    from ..errors import ConfigError

    data, s = t.data, t.settings
    frames = []
    catalog = data.catalog
    if catalog is not None:
        start, end = data.data_start, data.data_end
        for policy in catalog.policies:
            dates = [policy.effective_from, policy.effective_to]
            if not any(d is not None and start < _local_midnight(d, data.timezone) <= end for d in dates):
                continue
            try:
                frames.append(
                    before_after(
                        data.counted,
                        f"policy:{policy.id}",
                        catalog=catalog,
                        timezone=data.timezone,
                        confidence=s.confidence,
                    )
                )
            except ConfigError:
                continue
        for product in catalog.products:
            for event, day in (
                ("launched_at", product.launched_at),
                ("discontinued_at", product.discontinued_at),
            ):
                if day is None or not start < _local_midnight(day, data.timezone) <= end:
                    continue
                found = before_after(
                    data.counted,
                    f"product:{product.id}",
                    at=day.isoformat(),
                    timezone=data.timezone,
                    confidence=s.confidence,
                )
                frames.append(found.assign(event=event))
    if not frames:
        return pd.DataFrame(columns=list(_CHANGE_KEYS))
    out = pd.concat(frames, ignore_index=True)
    out["name"] = [
        data.name(d, v) for d, v in zip(out["dimension"].astype(str), out["value"].astype(str), strict=True)
    ]
    out = out.sort_values(["changed_at", "key", "event"], ignore_index=True)
    return out[list(_CHANGE_KEYS)]


_CHANGE_KEYS = (
    "key",
    "dimension",
    "value",
    "name",
    "event",
    "changed_at",
    "contacts_before",
    "contacts_after",
    "n_periods_before",
    "n_periods_after",
    "crude_ratio",
    "expected_after",
    "ratio",
    "ratio_low",
    "ratio_high",
    "p_value",
    "method",
    "verdict",
)


def _local_midnight(day: Any, tz: str) -> pd.Timestamp:
    return pd.Timestamp(day).tz_localize(tz).tz_convert("UTC")


# ---------------------------------------------------------------------------
# topics beyond the taxonomy
# ---------------------------------------------------------------------------


def topics(t: Tables) -> pd.DataFrame:
    data, s = t.data, t.settings
    g = data.grievances.loc[
        data.grievances["topic"].notna(), ["topic", "quarter", "themes", "interaction_id"]
    ]
    if not len(g):
        return pd.DataFrame(columns=list(_TOPIC_KEYS))
    topic = g["topic"].astype(int).to_numpy()
    rows = []
    info = data.topic_info.set_index("topic") if data.topic_info is not None else None
    for t_id in sorted(set(topic.tolist())):
        mine = g[topic == t_id]
        in_q = mine[mine["quarter"] == data.quarter]
        in_prev = mine[mine["quarter"] == data.quarter - 1]
        if not len(in_q):
            continue
        if data.history is None:
            n_all = len(mine)
            counts: dict[str, int] = {}
            for themes in mine["themes"].to_numpy(dtype=object):
                for theme in dict.fromkeys(_as_list(themes)):
                    counts[theme] = counts.get(theme, 0) + 1
        else:  # all of time, summed partition by partition
            n_all = data.history.topic_sizes[t_id]
            counts = data.history.topic_themes[t_id]
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else (None, 0)
        share = top[1] / n_all
        phrases: list[str] = []
        label = None
        if info is not None and t_id in info.index:
            label = str(info.loc[t_id, "label"])
            raw: Any = info.loc[t_id, "key_phrases"]
            listed: list[Any] = list(raw) if isinstance(raw, list | tuple | np.ndarray) else []
            phrases = [str(x) for x in listed][:6]
        rows.append(
            {
                "topic": t_id,
                "label": label or f"topic {t_id}",
                "key_phrases": phrases,
                "n_grievances": len(in_q),
                "n_contacts": in_q["interaction_id"].nunique(),
                "prev_contacts": in_prev["interaction_id"].nunique(),
                "n_grievances_all": n_all,
                "top_theme": top[0],
                "top_theme_name": data.name("theme", top[0]) if top[0] else None,
                "top_theme_share": share,
                "is_beyond_taxonomy": share < s.novelty_share,
            }
        )
    out = pd.DataFrame(rows, columns=list(_TOPIC_KEYS))
    return out.sort_values(["n_contacts", "topic"], ascending=[False, True], ignore_index=True)


_TOPIC_KEYS = (
    "topic",
    "label",
    "key_phrases",
    "n_grievances",
    "n_contacts",
    "prev_contacts",
    "n_grievances_all",
    "top_theme",
    "top_theme_name",
    "top_theme_share",
    "is_beyond_taxonomy",
)


def _as_list(value: Any) -> list[Any]:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


# ---------------------------------------------------------------------------
# the most valuable customers against the rest
# ---------------------------------------------------------------------------


def value_groups(t: Tables) -> pd.DataFrame:
    data, s = t.data, t.settings
    # the identified customers' ids, segments and top-decile flags (the customers table's, without the rest)
    known = known_customers_of(data.identities)
    q = data.quarter
    contacts = data.contacts[(data.contacts["quarter"] == q) & data.contacts["customer"].notna()]
    g = data.grievances.loc[
        (data.grievances["quarter"] == q) & data.grievances["customer"].notna(), ["customer"]
    ]
    rq = t.rep_q[t.rep_q["is_repeat"]]
    groups: list[tuple[str, str, pd.Series]] = []
    if not _unweighted(data):
        top = known["is_top_decile"].to_numpy(dtype=bool)
        groups.append(("value", "Top 10% by value", known["customer_id"][top]))
        groups.append(("value", "Other 90%", known["customer_id"][~top]))
    segments = known["segment"].dropna().astype(str)
    for segment in sorted(segments.unique()):
        groups.append(("segment", segment, known["customer_id"][known["segment"].astype(str) == segment]))
    rows = []
    complaining_all = set(g["customer"].astype(str))
    for kind, name, ids in groups:
        members = set(ids.astype(str))
        n = len(members)
        contacted = set(contacts["customer"].astype(str)) & members
        complaining = complaining_all & members
        mine = g[g["customer"].astype(str).isin(members)]
        value_of = data.identities.values.set_index("customer_id")["value"]
        repeat = int(rq[rq["customer_id"].astype(str).isin(members)]["interaction_id"].astype(str).nunique())
        low, high = wilson_interval(len(complaining), n, s.confidence) if n else (np.nan, np.nan)
        others: int | None = None
        n_all: int | None = None
        p: float | None = None
        if kind == "value":
            n_all = len(known)
            rest = n_all - n
            others = len(complaining_all & set(known["customer_id"].astype(str))) - len(complaining)
            if n and rest:
                pv, _ = two_by_two_test([len(complaining)], [n - len(complaining)], [others], [rest - others])
                p = _num(pv[0])
        rows.append(
            {
                "group_kind": kind,
                "group": name,
                "n_customers": n,
                "n_contacting": len(contacted),
                "n_complaining": len(complaining),
                "complaining_share": len(complaining) / n if n else None,
                "complaining_low": _num(np.asarray(low).item()),
                "complaining_high": _num(np.asarray(high).item()),
                "p_value": p,
                "n_grievances": len(mine),
                "n_repeat_contacts": repeat,
                "value_at_risk": float(value_of.reindex(sorted(complaining)).fillna(0.0).sum()),
                "mean_value": float(value_of.reindex(sorted(members)).mean()) if n else None,
            }
        )
    return pd.DataFrame(rows, columns=list(_VALUE_KEYS))


_VALUE_KEYS = (
    "group_kind",
    "group",
    "n_customers",
    "n_contacting",
    "n_complaining",
    "complaining_share",
    "complaining_low",
    "complaining_high",
    "p_value",
    "n_grievances",
    "n_repeat_contacts",
    "value_at_risk",
    "mean_value",
)


# ---------------------------------------------------------------------------
# drivers of repeat contacts
# ---------------------------------------------------------------------------


def repeat_drivers(t: Tables) -> pd.DataFrame:
    data, s = t.data, t.settings
    frames = []
    if not len(t.rep_q):
        return pd.DataFrame(columns=list(_REPEAT_KEYS))
    for dim in ("policy", "product", "theme", "queue", "channel"):
        f = first_contact_resolution(t.rep_q, by=dim, confidence=s.confidence)
        if not len(f):
            continue
        values = f[dim].astype(str)
        frames.append(
            pd.DataFrame(
                {
                    "dimension": dim,
                    "value": values,
                    "label": [data.name(dim, v) for v in values],
                    "n_first_contacts": f["n_first_contacts"],
                    "n_resolved": f["n_resolved"],
                    "n_censored": f["n_censored"],
                    "fcr": f["fcr"],
                    "fcr_low": f["fcr_low"],
                    "fcr_high": f["fcr_high"],
                    "n_repeat_contacts": f["n_repeat_contacts"],
                    "repeat_share": f["repeat_share"],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(_REPEAT_KEYS))
    return pd.concat(frames, ignore_index=True)


_REPEAT_KEYS = (
    "dimension",
    "value",
    "label",
    "n_first_contacts",
    "n_resolved",
    "n_censored",
    "fcr",
    "fcr_low",
    "fcr_high",
    "n_repeat_contacts",
    "repeat_share",
)


# ---------------------------------------------------------------------------
# recommendations
# ---------------------------------------------------------------------------


def recommendations(t: Tables) -> pd.DataFrame:
    data, s = t.data, t.settings
    q = data.quarter
    g = data.grievances
    has_target = g["target_id"].notna().to_numpy(dtype=bool)
    quarter = g["quarter"].to_numpy()
    in_now = has_target & (quarter == q)
    if not in_now.any():
        return pd.DataFrame(columns=list(_REC_KEYS))
    value_of = data.identities.values.set_index("customer_id")["value"]
    repeats = t.rep_q[t.rep_q["is_repeat"]]
    emerging_keys = set(t.frames["emerging"]["key"].astype(str)) if "emerging" in t.frames else set()
    # satisfaction impact first: its work is done before the quarter's rows below are copied
    impact: dict[str, pd.DataFrame] = {}
    for kind in ("policy", "product"):
        try:
            frame = satisfaction_impact(
                data.cur, by=kind, min_contacts=s.min_contacts, confidence=s.confidence
            )
        except Exception:
            frame = pd.DataFrame()
        impact[kind] = frame
    # the rows and columns used below only (a copy of every column is most of the stage's memory)
    now = g.loc[in_now, ["target_kind", "target_id", "customer", "interaction_id", "themes"]]
    before = g.loc[has_target & (quarter == q - 1), ["target_kind", "target_id", "interaction_id"]]
    del has_target, quarter, in_now
    scorecards = {
        "policy": t.frames.get("policies"),
        "product": t.frames.get("products"),
    }
    # per target, counted once: comparing long columns target by target cost +280 MB at 1M
    prev_contacts = _distinct_per_key(before, ["target_kind", "target_id"], "interaction_id")
    repeat_contacts_of = _distinct_per_key(repeats, ["kind", "value"], "interaction_id")
    rows = []
    for key, mine in now.groupby(["target_kind", "target_id"], sort=True):
        kind, ident = (str(x) for x in cast(tuple[Any, Any], key))
        customers = sorted(mine["customer"].dropna().astype(str).unique())
        n_contacts = mine["interaction_id"].nunique()
        themes: dict[str, int] = {}
        for values in mine["themes"].to_numpy(dtype=object):
            for theme in dict.fromkeys(_as_list(values)):
                themes[theme] = themes.get(theme, 0) + 1
        top_themes = [k for k, _ in sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
        gain = None
        frame = impact[kind]
        if len(frame) and kind in frame.columns:
            hit = frame[frame[kind].astype(str) == ident]
            if (
                len(hit)
                and _num(hit["q_value"].iloc[0]) is not None
                and float(hit["q_value"].iloc[0]) <= s.alpha
            ):
                gain = _num(hit["gain"].iloc[0])
        card = scorecards.get(kind)
        top_ratio = top_low = fcr = None
        if card is not None and len(card):
            hit = card[card[kind] == ident]
            if len(hit):
                top_ratio = _num(hit["top_decile_ratio"].iloc[0])
                top_low = _num(hit["top_decile_low"].iloc[0])
                fcr = _num(hit["fcr"].iloc[0])
        rows.append(
            {
                "target_kind": kind,
                "target_id": ident,
                "target_name": data.name(kind, ident),
                "n_grievances": len(mine),
                "n_contacts": n_contacts,
                "n_customers": len(customers),
                "value_at_risk": float(value_of.reindex(customers).fillna(0.0).sum()),
                "n_repeat_contacts": repeat_contacts_of.get((kind, ident), 0),
                "prev_contacts": prev_contacts.get((kind, ident), 0),
                "is_emerging": any(
                    k.startswith(f"{kind}:{ident}") or f"|{kind}:{ident}" in k for k in emerging_keys
                )
                or f"{kind}:{ident}" in emerging_keys,
                "top_decile_ratio": top_ratio,
                "top_decile_low": top_low,
                "fcr": fcr,
                "satisfaction_gain": gain,
                "themes": top_themes,
            }
        )
    out = pd.DataFrame(rows)
    order = np.lexsort(
        (
            out["target_id"].to_numpy(dtype=object).astype(str),
            out["target_kind"].to_numpy(dtype=object).astype(str),
            -out["n_contacts"].to_numpy(),
            -out["n_customers"].to_numpy(),
            -out["value_at_risk"].to_numpy(dtype=np.float64),
        )
    )
    out = out.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def _distinct_per_key(frame: pd.DataFrame, keys: list[str], column: str) -> dict[tuple[str, str], int]:
    """Distinct non-missing values of ``column`` per pair of key columns (named as str), from int codes."""
    if not len(frame):
        return {}
    (a, a_names), (b, b_names), (v, _) = (pd.factorize(frame[c].astype("string")) for c in (*keys, column))
    ok = (a >= 0) & (b >= 0) & (v >= 0)
    key, decode = combined_key([a[ok], b[ok]], [len(a_names), len(b_names)])
    present, at = dense_codes(key)
    counts = count_distinct(at, v[ok], len(present))
    first, second = decode(present)
    return {
        (str(a_names[i]), str(b_names[j])): int(n)
        for i, j, n in zip(first.tolist(), second.tolist(), counts.tolist(), strict=True)
    }


_REC_KEYS = (
    "rank",
    "target_kind",
    "target_id",
    "target_name",
    "n_grievances",
    "n_contacts",
    "n_customers",
    "value_at_risk",
    "n_repeat_contacts",
    "prev_contacts",
    "is_emerging",
    "top_decile_ratio",
    "top_decile_low",
    "fcr",
    "satisfaction_gain",
    "themes",
)


# ---------------------------------------------------------------------------
# evidence: representative quotes, chosen deterministically
# ---------------------------------------------------------------------------


def choose_quotes(
    t: Tables,
    claim: str,
    mask: np.ndarray,
    *,
    k: int | None = None,
    link: tuple[str, str] | None = None,
) -> list[int]:
    """Up to ``k`` grievances (positions) that stand for a claim, one per interaction.

    Preferred, in order: a link to the claim's product or policy made by a
    mention in the segment itself (``link``), a higher complaint score, a
    higher intensity, a readable length (40-320 characters), then the
    interaction id, turn and span (so the choice is the same every run). An
    interaction already quoted for another claim is used only when nothing
    else is left.
    """
    g = t.data.grievances
    k = t.settings.n_quotes if k is None else k
    positions = np.flatnonzero(mask)
    if not len(positions) or k <= 0:
        t.quotes[claim] = []
        return []
    sub = g.iloc[positions]
    order = quote_order(sub, link)
    ids = sub["interaction_id"].astype(str).to_numpy()
    chosen: list[int] = []
    seen: set[str] = set()
    for fresh_only in (True, False):
        for i in order:
            if len(chosen) == k:
                break
            ident_i = ids[i]
            if ident_i in seen or (fresh_only and ident_i in t._used):
                continue
            seen.add(ident_i)
            chosen.append(int(positions[i]))
    for p in chosen:
        t._used.add(str(g["interaction_id"].iloc[p]))
    t.quotes[claim] = chosen
    return chosen


def quote_order(sub: pd.DataFrame, link: tuple[str, str] | None) -> np.ndarray:
    """The rows of ``sub`` (positions) in the order :func:`choose_quotes` prefers them."""
    length = sub["text"].astype(str).str.len().to_numpy()
    one_block = ~sub["text"].astype(str).str.contains("\n", regex=False).to_numpy(dtype=bool)
    readable = ((length >= 40) & (length <= 320)).astype(np.int64) + one_block.astype(np.int64)
    if link is not None:
        kind, ident = link
        ids_col, methods_col = (
            ("policies", "policy_methods") if kind == "policy" else ("products", "product_methods")
        )
        strength = []
        for ids, methods in zip(
            sub[ids_col].to_numpy(dtype=object), sub[methods_col].to_numpy(dtype=object), strict=True
        ):
            ids_l, methods_l = _as_list(ids), _as_list(methods)
            best = 9
            for i, v in enumerate(ids_l):
                if str(v) == ident:
                    method = str(methods_l[i]) if i < len(methods_l) else ""
                    best = min(best, LINK_STRENGTH.get(method, 6))
            strength.append(best)
        link_rank = np.asarray(strength, dtype=np.int64)
    else:
        link_rank = np.zeros(len(sub), dtype=np.int64)
    score = np.round(sub["complaint_score"].to_numpy(dtype=np.float64, na_value=0.0), 6)
    intensity = np.round(sub["intensity"].to_numpy(dtype=np.float64, na_value=0.0), 6)
    ids = sub["interaction_id"].astype(str).to_numpy()
    turn = sub["turn_position"].to_numpy(dtype=np.int64, na_value=0)
    start = sub["start_char"].to_numpy(dtype=np.int64, na_value=0)
    order: np.ndarray = np.lexsort((start, turn, ids, -intensity, -score, -readable, link_rank))
    return order


def quotes_frame(t: Tables) -> pd.DataFrame:
    g = t.data.grievances
    rows = []
    for claim, positions in t.quotes.items():
        for p in positions:
            row = g.iloc[p]
            themes = _as_list(row["themes"])
            created = row.get("created_at")
            rows.append(
                {
                    "claim": claim,
                    "interaction_id": str(row["interaction_id"]),
                    "channel": None if _missing(row.get("channel")) else str(row.get("channel")),
                    "date": None
                    if created is None or _missing(created)
                    else pd.Timestamp(created).tz_convert(t.data.timezone).date().isoformat(),
                    "theme": themes[0] if themes else None,
                    "text": str(row["text"]),
                }
            )
    return pd.DataFrame(rows, columns=["claim", "interaction_id", "channel", "date", "theme", "text"])


# ---------------------------------------------------------------------------
# data quality
# ---------------------------------------------------------------------------


def data_quality(t: Tables) -> pd.DataFrame:
    data = t.data
    q = data.quarter
    contacts = data.contacts[data.contacts["quarter"] == q]
    rows: list[tuple[str, str, float | None, str]] = []
    ps = data.parse_summary
    if ps is not None:
        n_read = int(ps.get("n_read", 0))
        rows += [
            ("n_files", "Files read", float(ps.get("n_files", 0)), "all inputs, every quarter"),
            ("n_records", "Records read", float(n_read), "each parsed or failed"),
            (
                "n_failed",
                "Records that failed to parse",
                float(ps.get("n_failed", 0)),
                "see the failures by reason",
            ),
            (
                "failure_rate",
                "Share of records that failed",
                float(ps.get("n_failed", 0)) / n_read if n_read else None,
                "failed / read",
            ),
            ("n_merged", "Duplicate records merged", float(ps.get("n_merged", 0)), "overlapping exports"),
        ]
    n = len(contacts)
    g_q = data.grievances.loc[data.grievances["quarter"] == q, ["interaction_id"]]
    complaint = contacts["id"].astype(str).isin(set(g_q["interaction_id"].astype(str))).sum()
    anonymous = int(contacts["is_anonymous"].sum())
    rep_q = t.rep_q
    censored = (
        int(rep_q.loc[rep_q["is_censored"], "interaction_id"].astype(str).nunique()) if len(rep_q) else 0
    )
    values = data.identities.values
    in_q_customers = set(contacts["customer"].dropna().astype(str))
    not_in_table = int((~values["in_table"] & values["customer_id"].astype(str).isin(in_q_customers)).sum())
    rows += [
        ("n_contacts", "Contacts in the quarter", float(n), data.label),
        ("n_complaint_contacts", "Contacts with a grievance", float(complaint), "coverage of the extraction"),
        (
            "anonymous_contacts",
            "Contacts without a customer id",
            float(anonymous),
            "no id and no usable e-mail or phone: left out of per-customer figures",
        ),
        (
            "customers_not_in_table",
            "Customers not in the customers table",
            float(not_in_table),
            "valued at the median of the table (or their segment's)",
        ),
        (
            "censored_contacts",
            "Right-censored first contacts",
            float(censored),
            f"their {t.settings.window} repeat window runs past the end of the data: left out of resolution rates",
        ),
        ("undated_contacts", "Contacts without a date", float(data.n_undated), "all data; in no quarter"),
        (
            "contacts_after_quarter",
            "Contacts after the quarter",
            float(data.n_after_end),
            "left out of this report",
        ),
        (
            "orphan_grievances",
            "Grievances of no contact in the corpus",
            float(data.n_orphan_grievances),
            "dated by their own time",
        ),
    ]
    return pd.DataFrame(rows, columns=["key", "label", "value", "basis"])


def parse_failures(t: Tables) -> pd.DataFrame:
    ps = t.data.parse_summary or {}
    reasons = ps.get("failures_by_reason") or {}
    total = sum(int(v) for v in reasons.values())
    rows = [
        {"reason": str(k), "n_failed": int(v), "share": int(v) / total if total else None}
        for k, v in sorted(reasons.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    ]
    return pd.DataFrame(rows, columns=["reason", "n_failed", "share"])


def redactions(t: Tables) -> pd.DataFrame:
    counts = t.data.redactions or {}
    rows = [
        {"type": str(k), "n": int(v)}
        for k, v in sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    ]
    return pd.DataFrame(rows, columns=["type", "n"])


def coverage(t: Tables) -> pd.DataFrame:
    data = t.data
    q = data.quarter
    contacts = data.contacts[data.contacts["quarter"] == q]
    g_ids = set(data.grievances.loc[data.grievances["quarter"] == q, "interaction_id"].astype(str))
    frame = pd.DataFrame(
        {
            "channel": contacts["channel"].astype("object").fillna("unknown").astype(str).to_numpy(),
            "source_format": contacts["source_format"]
            .astype("object")
            .fillna("unknown")
            .astype(str)
            .to_numpy(),
            "has_grievance": contacts["id"].astype(str).isin(g_ids).to_numpy(),
            "has_customer": ~contacts["is_anonymous"].to_numpy(dtype=bool),
        }
    )
    if not len(frame):
        return pd.DataFrame(
            columns=["channel", "source_format", "n_contacts", "n_complaint_contacts", "n_identified"]
        )
    out = frame.groupby(["channel", "source_format"], sort=True).agg(
        n_contacts=("has_grievance", "size"),
        n_complaint_contacts=("has_grievance", "sum"),
        n_identified=("has_customer", "sum"),
    )
    return out.reset_index()


def by_channel(t: Tables) -> pd.DataFrame:
    """Contacts with a grievance per quarter and channel (for the headline chart)."""
    data = t.data
    if data.history is not None:  # counted over the whole store
        counts = data.history.channel_counts
        counts = counts[counts["quarter"].isin(data.quarters)]
        out = pd.DataFrame(
            {
                "period": [quarter_label(int(x)) for x in counts["quarter"]],
                "channel": counts["channel"].to_numpy(),
                "n_contacts": counts["n_contacts"].to_numpy(),
                "n_complaint_contacts": counts["n_complaint_contacts"].to_numpy(),
            }
        )
        return out.sort_values(["period", "channel"], ignore_index=True)
    g_ids = set(data.grievances["interaction_id"].astype(str))
    c = data.contacts[data.contacts["quarter"].isin(data.quarters)]
    frame = pd.DataFrame(
        {
            "period": [quarter_label(int(x)) for x in c["quarter"]],
            "channel": c["channel"].astype("object").fillna("unknown").astype(str).to_numpy(),
            "has_grievance": c["id"].astype(str).isin(g_ids).to_numpy(),
        }
    )
    out = frame.groupby(["period", "channel"], sort=True).agg(
        n_contacts=("has_grievance", "size"), n_complaint_contacts=("has_grievance", "sum")
    )
    return out.reset_index()


# ---------------------------------------------------------------------------
# all of them
# ---------------------------------------------------------------------------


def compute_tables(data: QuarterData, settings: Settings, *, links: pd.DataFrame | None = None) -> Tables:
    """Every table of the report (quotes are chosen later, by the layout, claim by claim)."""
    t = Tables(data, settings)
    q = data.quarter
    # one quarter's repeat contacts at a time: the previous quarter's are reduced to its figures
    if (data.contacts["quarter"] == q - 1).any():
        t.previous_figures = _quarter_figures(data, _rep(data, settings, q - 1), q - 1, settings)
    t.rep_q = _rep(data, settings, q)
    steps: list[tuple[str, Callable[[Tables], pd.DataFrame]]] = [
        ("headline", headline),
        ("grievances", lambda x: ranked(x, "theme")),
        ("policies", lambda x: ranked(x, "policy", include=_catalog_ids(data, "policy"))),
        ("products", lambda x: ranked(x, "product")),
        ("product_theme", product_theme),
        ("emerging", emerging),
        ("early_warnings", early_warnings),
        ("changes", changes),
        ("value_groups", value_groups),
        ("repeat_drivers", repeat_drivers),
        ("recommendations", recommendations),
        ("data_quality", data_quality),
        ("parse_failures", parse_failures),
        ("redactions", redactions),
        ("coverage", coverage),
        ("by_channel", by_channel),
    ]
    if data.has_topics:
        steps.insert(4, ("topics", topics))
    for name, step in steps:
        t.frames[name] = step(t)
    if links is not None:
        t.frames["links"] = links
    return t


def series_requests(quarter: int, timezone: str, *, has_topics: bool) -> list[SeriesRequest]:
    """Every series the tables count from ``data.hist`` (from a store, counted in one pass beforehand).

    The same requests as the calls above make: quarterly trends of the
    ranked dimensions, the emerging issues as of the quarter, the monthly
    series of the early warnings, the charts and the before/after tests.
    A series missing here is still counted when asked for, at the cost of
    another pass over the store.
    """
    tz = timezone
    until = period_start(quarter + 1, "quarter", tz)
    out = [SeriesRequest((dim,), "quarter", "contacts", tz) for dim in ("theme", "policy", "product")]
    for dims in _dims_watched(has_topics=has_topics):
        out.append(SeriesRequest(dims, "quarter", "contacts", tz, until, quarter))
        out.append(SeriesRequest(dims, "month", "contacts", tz))
    return out


def _catalog_ids(data: QuarterData, kind: str) -> list[str]:
    if data.catalog is None:
        return []
    entries = data.catalog.policies if kind == "policy" else data.catalog.products
    return [e.id for e in entries]

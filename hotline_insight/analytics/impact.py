"""Impact on satisfaction: the difference a grievance makes, and the score without it.

Where contacts carry a satisfaction signal (CSAT, a good/bad rating, NPS, the
CFPB's "consumer disputed?" flag; see :class:`~hotline_insight.Satisfaction`),
:func:`satisfaction_impact` compares the scored contacts with a grievance of a
kind (any grievance, or a theme, product, policy, topic, ...) against the
scored contacts without one, and gives the company's score as it would be if
those contacts had scored like the others.

The figure per scale (scores on different scales are never mixed: each gets
its own rows, and a warning says so):

* ``mean``: the mean of the normalised score in [0, 1]. For a good/bad rating
  or the CFPB flag (1 = not disputed) that is the share satisfied, and the
  difference gets Newcombe's hybrid score interval; for other scales (1-5
  CSAT), Welch's t interval.
* ``nps`` (scale ``0-10``): the Net Promoter Score, ``100 * (share of 9-10 -
  share of 0-6)``; its difference gets a normal interval from the
  multinomial variance.

``counterfactual = overall - share_with * difference``: the overall figure had
the contacts with the grievance scored like those without (an observational
contrast, not a causal estimate: customers who complain may differ in other
ways). Its interval carries the difference's interval.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> contacts = pd.DataFrame({"id": [str(i) for i in range(8)],
    ...     "satisfaction_score": [0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0],
    ...     "satisfaction_scale": ["good/bad"] * 8})
    >>> found = pd.DataFrame({"interaction_id": ["0", "1", "2", "3"], "themes": [["fee"]] * 4})
    >>> table = hi.satisfaction_impact(contacts, found, min_contacts=2)
    >>> table[["theme", "n_with", "score_with", "score_without", "overall", "counterfactual"]]
                 theme  n_with  score_with  score_without  overall  counterfactual
    0  (any grievance)       4        0.25            1.0    0.625             1.0
    1              fee       4        0.25            1.0    0.625             1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors, Warnings, warn
from ._frames import astype, build_context, check_choice, check_dims, check_number, first_of, nullable
from .links import dim_rows
from .stats import benjamini_hochberg, newcombe_difference, two_by_two_test, welch_difference

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..grievances import Grievances
    from .customers import CustomerIdentities
    from .prepare import PreparedAnalysis

__all__ = ["ANY_GRIEVANCE", "IMPACT_COLUMNS", "satisfaction_impact"]

#: The ``by`` value of the row comparing contacts with any grievance against those with none.
ANY_GRIEVANCE = "(any grievance)"

#: Columns of :func:`satisfaction_impact` (the ``by`` column comes third).
IMPACT_COLUMNS: dict[str, str] = {
    "scale": "string",
    "metric": "string",
    "n_with": "int64",
    "n_without": "int64",
    "score_with": "Float64",
    "score_without": "Float64",
    "difference": "Float64",
    "diff_low": "Float64",
    "diff_high": "Float64",
    "p_value": "Float64",
    "q_value": "Float64",
    "overall": "Float64",
    "counterfactual": "Float64",
    "cf_low": "Float64",
    "cf_high": "Float64",
    "gain": "Float64",
    "method": "string",
}


def satisfaction_impact(
    corpus: Corpus | pd.DataFrame | PreparedAnalysis,
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | None = None,
    by: str = "theme",
    *,
    metric: Literal["auto", "mean", "nps"] = "auto",
    min_contacts: int = 5,
    confidence: float = 0.95,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The difference a grievance makes to satisfaction, with its interval and the score without it.

    Args:
        corpus: the interactions with their satisfaction (a Corpus, or a frame
            with ``satisfaction_score`` in [0, 1] and, optionally,
            ``satisfaction_scale``), or a :class:`~hotline_insight.PreparedAnalysis`.
        grievances: Grievances or a frame like ``Grievances.to_frame()`` (None with prepared inputs).
        by: the dimension to break grievances down by (``theme``, ``product``,
            ``policy``, ``topic``, ``facet``, ``channel``, ...).
        metric: ``auto`` (NPS for the ``0-10`` scale, the mean otherwise),
            ``mean`` or ``nps``.
        min_contacts: leave out values with fewer scored contacts (>= 2).
        confidence: coverage of the intervals.
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse.
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        One row per scale and value, the "(any grievance)" row first, then by
        difference (most harmful first): ``scale`` string, ``metric`` string
        (``mean`` or ``nps``), the ``by`` column (string), then

        ===================  =======  ======================================================
        column               dtype    meaning
        ===================  =======  ======================================================
        ``n_with``           int64    scored contacts with the grievance
        ``n_without``        int64    scored contacts without it
        ``score_with``       Float64  the figure for those with it
        ``score_without``    Float64  and without
        ``difference``       Float64  with - without
        ``diff_low/high``    Float64  its interval
        ``p_value``          Float64  Fisher/chi-square (binary), Welch t, or z (NPS)
        ``q_value``          Float64  Benjamini-Hochberg within the scale
        ``overall``          Float64  the figure over all scored contacts
        ``counterfactual``   Float64  ``overall - n_with / (n_with + n_without) * difference``
        ``cf_low/high``      Float64  its interval
        ``gain``             Float64  ``counterfactual - overall``
        ``method``           string   ``newcombe``, ``welch`` or ``nps``
        ===================  =======  ======================================================

        An empty frame (with these columns) when no contact is scored.

    Raises:
        ConfigError: E550 for a bad parameter.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> contacts = pd.DataFrame({"id": ["1", "2", "3", "4"], "satisfaction_score": [0.0, 0.0, 1.0, 1.0],
        ...     "satisfaction_scale": ["good/bad"] * 4})
        >>> found = pd.DataFrame({"interaction_id": ["1", "2"], "themes": [["fee"], ["fee"]]})
        >>> hi.satisfaction_impact(contacts, found, min_contacts=2)[["theme", "difference", "counterfactual"]]
                     theme  difference  counterfactual
        0  (any grievance)        -1.0             1.0
        1              fee        -1.0             1.0
    """
    func = "satisfaction_impact"
    check_choice(func, "metric", metric, ("auto", "mean", "nps"))
    check_number(func, "min_contacts", min_contacts, low=2, integer=True)
    check_number(func, "confidence", confidence, low=0, high=1, low_open=True)
    dims = check_dims(func, by)
    if len(dims) != 1:
        raise ConfigError(Errors.E550.format(name="by", func=func, expected="one dimension", value=by))
    ctx = build_context(
        func,
        grievances,
        corpus=corpus,
        customers_table=customers_table,
        identities=identities,
        clock_offsets=clock_offsets,
    )
    check_dims(func, dims, ctx)
    dim = dims[0]
    contacts = ctx.contacts
    score = contacts["satisfaction_score"].to_numpy(dtype=np.float64, na_value=np.nan)
    scale = contacts["satisfaction_scale"].astype("object").to_numpy()
    scale = np.array([("unknown" if s is None or s is pd.NA else str(s)) for s in scale], dtype=object)
    scored = ~np.isnan(score)
    scales = sorted(set(scale[scored].tolist()))
    if len(scales) > 1:
        warn(Warnings.W303.format(func=func, n=len(scales), scales=", ".join(scales)), stacklevel=2)
    g_rows = np.unique(ctx.grievances["row"].to_numpy()) if len(ctx.grievances) else np.zeros(0, np.int64)
    # each (contact, value) once, as int codes (the names by code); groups go in the names' order below
    value_rows, value_code, names = dim_rows(ctx, dim)
    once = first_of(value_rows, value_code)
    value_rows, value_code = value_rows[once], value_code[once]
    del once
    frames = []
    for sc in scales:
        rows = np.flatnonzero(scored & (scale == sc))
        use = "nps" if (metric == "nps" or (metric == "auto" and sc == "0-10")) else "mean"
        if use == "nps":
            raw = np.rint(score * 10)
            contact_value = np.where(raw >= 9, 100.0, np.where(raw <= 6, -100.0, 0.0))
        else:
            contact_value = score
        groups = {ANY_GRIEVANCE: np.intersect1d(rows, g_rows)}
        in_scale = np.isin(value_rows, rows)
        sub_code, sub_rows = value_code[in_scale], value_rows[in_scale]
        order = np.argsort(sub_code, kind="stable")
        present, starts = np.unique(sub_code[order], return_index=True)
        parts = np.split(sub_rows[order], starts[1:]) if len(present) else []
        by_code = dict(zip(present.tolist(), parts, strict=True))
        for code in sorted(by_code, key=lambda c: names[c]):
            groups[str(names[code])] = np.unique(by_code[code])
        del in_scale, sub_code, sub_rows, order, parts, by_code
        frames.append(_compare(sc, use, dim, rows, groups, contact_value, min_contacts, confidence))
    columns = ["scale", "metric", dim, *list(IMPACT_COLUMNS)[2:]]
    if not frames:
        out = pd.DataFrame({c: pd.Series([], dtype=IMPACT_COLUMNS.get(c, "string")) for c in columns})
        return out
    return pd.concat(frames, ignore_index=True)[columns]


def _compare(
    scale: str,
    metric: str,
    dim: str,
    rows: np.ndarray,
    groups: dict[str, np.ndarray],
    value: np.ndarray,
    min_contacts: int,
    confidence: float,
) -> pd.DataFrame:
    all_values = value[rows]
    overall = float(all_values.mean()) if len(rows) else np.nan
    binary = metric == "mean" and bool(np.isin(all_values, (0.0, 1.0)).all())
    records = []
    for key, with_rows in groups.items():
        n1 = len(with_rows)
        n0 = len(rows) - n1
        if n1 < min_contacts:
            continue
        v1 = value[with_rows]
        v0 = value[np.setdiff1d(rows, with_rows, assume_unique=True)]
        m1 = float(v1.mean())
        m0 = float(v0.mean()) if n0 else np.nan
        if binary:
            x1, x0 = float(v1.sum()), float(v0.sum())
            d, low, high = (float(a) for a in newcombe_difference(x1, n1, x0, n0, confidence))
            p = float(two_by_two_test(x1, n1 - x1, x0, n0 - x0)[0][0]) if n0 else np.nan
            method = "newcombe"
        elif metric == "nps":
            d, low, high, p = _nps_difference(v1, v0, confidence)
            method = "nps"
        else:
            var1 = float(v1.var(ddof=1)) if n1 > 1 else np.nan
            var0 = float(v0.var(ddof=1)) if n0 > 1 else np.nan
            d, low, high, p = (float(a) for a in welch_difference(m1, var1, n1, m0, var0, n0, confidence))
            method = "welch"
        share = n1 / len(rows)
        records.append(
            {
                "scale": scale,
                "metric": metric,
                dim: key,
                "n_with": n1,
                "n_without": n0,
                "score_with": m1,
                "score_without": m0,
                "difference": d,
                "diff_low": low,
                "diff_high": high,
                "p_value": p,
                "overall": overall,
                "counterfactual": overall - share * d,
                "cf_low": overall - share * high,
                "cf_high": overall - share * low,
                "gain": -share * d,
                "method": method,
            }
        )
    out = pd.DataFrame(records, columns=["scale", "metric", dim, *list(IMPACT_COLUMNS)[2:]])
    is_any = (out[dim] == ANY_GRIEVANCE).to_numpy()
    q = np.full(len(out), np.nan)
    q[~is_any] = benjamini_hochberg(out["p_value"].to_numpy(dtype=np.float64)[~is_any])
    q[is_any] = out["p_value"].to_numpy(dtype=np.float64)[is_any]
    out["q_value"] = q
    for column, dtype in IMPACT_COLUMNS.items():
        if dtype == "Float64":
            out[column] = nullable(out[column].to_numpy(dtype=np.float64))
        else:
            out[column] = astype(out[column], dtype)
    out[dim] = out[dim].astype("string")
    diff = np.nan_to_num(out["difference"].to_numpy(dtype=np.float64, na_value=np.nan), nan=np.inf)
    order = np.lexsort((out[dim].astype(str).to_numpy(), diff, ~is_any))
    return out.iloc[order].reset_index(drop=True)


def _nps_difference(v1: np.ndarray, v0: np.ndarray, confidence: float) -> tuple[float, float, float, float]:
    from scipy.special import ndtr, ndtri

    def stats(v: np.ndarray) -> tuple[float, float]:
        n = len(v)
        pro, det = float(np.mean(v > 0)), float(np.mean(v < 0))
        return 100 * (pro - det), 100**2 * (pro + det - (pro - det) ** 2) / n if n else np.nan

    if not len(v0):
        return np.nan, np.nan, np.nan, np.nan
    s1, var1 = stats(v1)
    s0, var0 = stats(v0)
    d = s1 - s0
    se = float(np.sqrt(var1 + var0))
    z = float(ndtri(0.5 + confidence / 2))
    if se == 0:
        return d, d, d, (1.0 if d == 0 else 0.0)
    return d, d - z * se, d + z * se, float(2 * ndtr(-abs(d) / se))

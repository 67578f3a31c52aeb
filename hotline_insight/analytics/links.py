"""Links: which grievances sit with which products, policies, topics, segments or channels.

:func:`link` crosses two dimensions (a theme and a product, a theme and a
policy, a topic and a product, a policy and a customer segment, ...) and gives,
for every pair seen together in one grievance, the counts and the statistics
a sceptical analyst needs: lift over the base rate, a log-odds ratio with an
informative Dirichlet prior and its z-score, an exact or chi-square p-value
with Benjamini-Hochberg correction across the table, Wilson intervals, the
value of the customers it touches, and whether it is *recurring*.

Counts are of contacts (interactions), not grievance segments: a call that
complains three times about the same fee counts once.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> found = pd.DataFrame({
    ...     "interaction_id": ["1", "2", "3", "4", "5", "6"],
    ...     "customer_id": ["A", "B", "C", "D", "E", "F"],
    ...     "themes": [["fee"], ["fee"], ["fee"], ["outage"], ["outage"], ["fee"]],
    ...     "products": [["hub"], ["hub"], ["hub"], ["tv"], ["tv"], ["tv"]],
    ... })
    >>> table = hi.link(found, by=("theme", "product"))
    >>> table[["theme", "product", "n_contacts", "share", "lift"]]
        theme product  n_contacts     share  lift
    0     fee     hub           3       1.0   1.5
    1  outage      tv           2  0.666667   2.0
    2     fee      tv           1  0.333333   0.5
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors
from ._frames import (
    Context,
    as_tuple,
    astype,
    build_context,
    check_dims,
    check_number,
    combined_values,
    count_distinct,
    customer_codes,
    dim_values,
    first_of,
    nullable,
    period_ordinals,
    sorted_codes,
)
from .stats import benjamini_hochberg, log_odds_dirichlet, two_by_two_test, wilson_interval

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..corpus import Corpus
    from ..grievances import Grievances
    from .customers import CustomerIdentities
    from .prepare import PreparedAnalysis

__all__ = ["LINK_COLUMNS", "link"]

#: Columns of :func:`link` after the two dimension columns, with their dtypes.
LINK_COLUMNS: dict[str, str] = {
    "n_contacts": "int64",
    "n_grievances": "int64",
    "n_customers": "int64",
    "n_weeks": "int64",
    "n_contacts_a": "int64",
    "n_contacts_b": "int64",
    "n_contacts_all": "int64",
    "share": "Float64",
    "share_low": "Float64",
    "share_high": "Float64",
    "base_rate": "Float64",
    "lift": "Float64",
    "log_odds": "Float64",
    "z": "Float64",
    "p_value": "Float64",
    "test": "string",
    "q_value": "Float64",
    "is_significant": "bool",
    "value_at_risk": "float64",
    "n_via_holding": "int64",
    "is_recurring": "bool",
}


def link(
    grievances: Grievances | pd.DataFrame | PreparedAnalysis,
    by: Sequence[str] = ("theme", "product"),
    *,
    corpus: Corpus | pd.DataFrame | None = None,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    catalog: Catalog | None = None,
    min_contacts: int = 1,
    prior_strength: float = 50.0,
    alpha: float = 0.05,
    confidence: float = 0.95,
    recurring_customers: int = 5,
    recurring_weeks: int = 3,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Cross two dimensions of the grievances, with counts, lift and significance for every pair.

    For a pair (a, b), over the contacts with at least one grievance
    (``n_contacts_all``): ``n_contacts`` have a grievance naming both,
    ``n_contacts_a`` name a, ``n_contacts_b`` name b. Then ``share =
    n_contacts / n_contacts_b`` (the share of b's contacts about a, e.g. of a
    product's contacts about a theme), ``base_rate = n_contacts_a /
    n_contacts_all``, ``lift = share / base_rate``. The 2x2 table of the
    contacts (a and b together or not, b or not) is tested with Fisher's exact
    test when an expected count is under 5, else Pearson's chi-square, and the
    p-values are adjusted with Benjamini-Hochberg across every row of the table.
    ``log_odds``/``z`` compare a's share of b's pair counts with its share in
    the other b values, smoothed by a Dirichlet prior of total weight
    ``prior_strength`` proportional to a's overall frequency (see
    :func:`~hotline_insight.analytics.stats.log_odds_dirichlet`).

    A pair is *recurring* when it reaches ``recurring_customers`` distinct
    identified customers in at least ``recurring_weeks`` distinct ISO weeks.
    Anonymous contacts count in contacts but not in customers or value.

    With a ``catalog`` and a customers table that lists holdings, a grievance
    that names a policy but no product is linked to the products its customer
    holds that the policy applies to (link method ``holding``, weaker than a
    mention); ``n_via_holding`` counts the pair's contacts linked only that way.

    Args:
        grievances: Grievances, a frame like ``Grievances.to_frame()``, or the
            :class:`~hotline_insight.PreparedAnalysis` of :func:`~hotline_insight.prepare_analysis`.
        by: two dimensions: ``theme``, ``product``, ``policy``, ``facet``,
            ``topic``, ``channel``, ``queue``, ``segment``, ``source_format``,
            ``agent_id``, ``category``, ``source_product``, a column of the
            corpus frame, or ``meta.<field>``.
        corpus: the interactions (for contact fields, customers and dates).
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse.
        catalog: products and policies (for holding links).
        min_contacts: leave out pairs with fewer contacts (before the BH correction).
        prior_strength: the Dirichlet prior's total weight (> 0).
        alpha: the false discovery rate for ``is_significant``.
        confidence: coverage of the Wilson intervals.
        recurring_customers: customers a recurring pair reaches (>= 1).
        recurring_weeks: distinct weeks a recurring pair spans (>= 1).
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        One row per pair, most over-represented first (by ``z``, then contacts):
        the two dimension columns (string), then

        ==================  =========  =======================================================
        column              dtype      meaning
        ==================  =========  =======================================================
        ``n_contacts``      int64      contacts with a grievance naming both
        ``n_grievances``    int64      grievances naming both
        ``n_customers``     int64      distinct identified customers
        ``n_weeks``         int64      distinct ISO weeks
        ``n_contacts_a``    int64      contacts naming the first value
        ``n_contacts_b``    int64      contacts naming the second value
        ``n_contacts_all``  int64      contacts with any grievance
        ``share``           Float64    ``n_contacts / n_contacts_b``
        ``share_low/high``  Float64    its Wilson interval
        ``base_rate``       Float64    ``n_contacts_a / n_contacts_all``
        ``lift``            Float64    ``share / base_rate``
        ``log_odds``        Float64    log-odds ratio, informative Dirichlet prior
        ``z``               Float64    its z-score
        ``p_value``         Float64    Fisher (small counts) or chi-square, two-sided
        ``test``            string     ``fisher`` or ``chi2``
        ``q_value``         Float64    Benjamini-Hochberg across the table
        ``is_significant``  bool       ``q_value <= alpha``
        ``value_at_risk``   float64    sum of the values of its customers
        ``n_via_holding``   int64      contacts linked to the product only via holdings
        ``is_recurring``    bool       the recurring rule holds
        ==================  =========  =======================================================

        ``attrs``: ``dims``, ``n_contacts_all``, ``n_anonymous_contacts``,
        ``prior_strength``, ``recurring_customers``, ``recurring_weeks``, ``notes``.

    Raises:
        ConfigError: E550 for a bad parameter, E552 for an unknown dimension.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> found = pd.DataFrame({"interaction_id": ["1", "2", "3", "4"],
        ...     "themes": [["fee"], ["fee"], ["outage"], ["outage"]], "policies": [["p1"], ["p1"], ["p1"], []]})
        >>> hi.link(found, ("theme", "policy"))[["theme", "policy", "n_contacts", "share", "lift"]]
            theme policy  n_contacts     share      lift
        0     fee     p1           2  0.666667  1.333333
        1  outage     p1           1  0.333333  0.666667
    """
    func = "link"
    dims = check_dims(func, by)
    if len(dims) != 2:
        raise ConfigError(
            Errors.E550.format(
                name="by", func=func, expected="two dimensions, such as ('theme', 'product')", value=by
            )
        )
    check_number(func, "min_contacts", min_contacts, low=1, integer=True)
    check_number(func, "prior_strength", prior_strength, low=0, low_open=True)
    check_number(func, "alpha", alpha, low=0, high=1)
    check_number(func, "confidence", confidence, low=0, high=1, low_open=True)
    check_number(func, "recurring_customers", recurring_customers, low=1, integer=True)
    check_number(func, "recurring_weeks", recurring_weeks, low=1, integer=True)
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
    return link_table(
        ctx,
        dims,
        min_contacts=min_contacts,
        prior_strength=prior_strength,
        alpha=alpha,
        confidence=confidence,
        recurring_customers=recurring_customers,
        recurring_weeks=recurring_weeks,
    )


def link_table(
    ctx: Context,
    dims: tuple[str, ...],
    *,
    min_contacts: int = 1,
    prior_strength: float = 50.0,
    alpha: float = 0.05,
    confidence: float = 0.95,
    recurring_customers: int = 5,
    recurring_weeks: int = 3,
) -> pd.DataFrame:
    """The table of :func:`link` on a context; computed once per context and settings (a copy is returned)."""
    key = (
        "link_table",
        tuple(dims),
        min_contacts,
        prior_strength,
        alpha,
        confidence,
        recurring_customers,
        recurring_weeks,
    )
    cached: pd.DataFrame | None = ctx.cache.get(key)
    if cached is None:
        cached = _link_table(
            ctx,
            dims,
            min_contacts=min_contacts,
            prior_strength=prior_strength,
            alpha=alpha,
            confidence=confidence,
            recurring_customers=recurring_customers,
            recurring_weeks=recurring_weeks,
        )
        # the table is small (one row per pair): kept so the report's rankings and its
        # product x theme table, which ask for the same pairs, compute them once
        ctx.cache[key] = cached
    out = cached.copy(deep=True)
    out.attrs = {**cached.attrs, "notes": list(ctx.notes)}
    return out


def dim_rows(ctx: Context, dim: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (grievance, value) row of ``dim`` as its contact's row and the value's code (int64), and the names by code."""
    found = dim_values(ctx, dim)
    rows = ctx.grievances["row"].to_numpy(dtype=np.int64)[found.g]
    return rows, found.code.astype(np.int64), found.names


def contacts_per_value(ctx: Context, dim: str) -> pd.Series:
    """Distinct contacts naming each value of ``dim`` (indexed by value, in order of first appearance)."""
    rows, code, names = dim_rows(ctx, dim)
    seen = np.zeros(len(names), dtype=bool)
    seen[code] = True
    counts = np.bincount(code[first_of(rows, code)], minlength=len(names))
    return pd.Series(counts[seen].astype(np.int64), index=pd.Index(names[seen], dtype=object))


def _link_table(
    ctx: Context,
    dims: tuple[str, ...],
    *,
    min_contacts: int,
    prior_strength: float,
    alpha: float,
    confidence: float,
    recurring_customers: int,
    recurring_weeks: int,
) -> pd.DataFrame:
    a, b = dims
    gf = ctx.grievances
    contacts = ctx.contacts
    n_all = int(pd.unique(gf["row"]).size) if len(gf) else 0
    # the long (grievance x pair) rows as int codes: the pair key sorts as (a, b) values do
    pairs = combined_values(ctx, dims)
    a_code, a_names = sorted_codes(pairs[a].to_numpy(dtype=object))
    b_code, b_names = sorted_codes(pairs[b].to_numpy(dtype=object))
    g_all = pairs["g"].to_numpy(dtype=np.int64)
    rows_all = pairs["row"].to_numpy(dtype=np.int64)
    del pairs
    n_b = max(len(b_names), 1)
    pair = a_code * n_b + b_code
    del a_code, b_code
    keys = np.unique(pair)
    at = np.searchsorted(keys, pair)  # each row's position among the pairs
    n_keys = len(keys)

    # contacts and grievances per pair (a contact or grievance counts once per pair)
    pc = first_of(rows_all, pair)
    pc_rows, pc_at = rows_all[pc], at[pc]
    del pc
    out = pd.DataFrame(
        {
            a: a_names[keys // n_b] if n_keys else np.zeros(0, dtype=object),
            b: b_names[keys % n_b] if n_keys else np.zeros(0, dtype=object),
            "n_contacts": np.bincount(pc_at, minlength=n_keys).astype(np.int64),
        }
    )
    out["n_grievances"] = count_distinct(at, g_all, n_keys)

    # customers, value and weeks per pair (identified customers only)
    customer = customer_codes(ctx)[0][pc_rows]
    value = contacts["value"].to_numpy(dtype=np.float64)
    known = np.flatnonzero(customer >= 0)
    known = known[first_of(pc_at[known], customer[known])]
    out["n_customers"] = np.bincount(pc_at[known], minlength=n_keys).astype(np.int64)
    value_at_risk = pd.Series(value[pc_rows[known]]).groupby(pc_at[known]).sum()
    week = period_ordinals(contacts["created_at"], "week")[pc_rows]
    dated = week >= 0
    out["n_weeks"] = count_distinct(pc_at[dated], week[dated], n_keys)
    out["value_at_risk"] = value_at_risk.reindex(np.arange(n_keys), fill_value=0.0).to_numpy(dtype=np.float64)
    del customer, known, week, dated, pc_rows, pc_at

    # margins
    n_a = contacts_per_value(ctx, a)
    n_b_values = contacts_per_value(ctx, b)
    out["n_contacts_a"] = n_a.reindex(out[a].to_numpy(), fill_value=0).to_numpy(dtype=np.int64)
    out["n_contacts_b"] = n_b_values.reindex(out[b].to_numpy(), fill_value=0).to_numpy(dtype=np.int64)
    out["n_contacts_all"] = n_all
    x = out["n_contacts"].to_numpy(dtype=np.float64)
    na = out["n_contacts_a"].to_numpy(dtype=np.float64)
    nb = out["n_contacts_b"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = x / nb
        base = na / n_all if n_all else np.full(len(out), np.nan)
        lift = share / base
    low, high = wilson_interval(x, nb, confidence)
    out["share"], out["share_low"], out["share_high"] = share, low, high
    out["base_rate"], out["lift"] = base, lift

    # log-odds with an informative Dirichlet prior, over the pair-count matrix
    if len(out):
        a_codes, a_values = pd.factorize(out[a], sort=True)
        b_codes, b_values = pd.factorize(out[b], sort=True)
        matrix = np.zeros((len(a_values), len(b_values)))
        matrix[a_codes, b_codes] = x
        delta, z = log_odds_dirichlet(matrix, prior_strength=prior_strength)
        out["log_odds"], out["z"] = delta[a_codes, b_codes], z[a_codes, b_codes]
    else:
        out["log_odds"], out["z"] = np.zeros(0), np.zeros(0)

    kept = (out["n_contacts"] >= min_contacts).to_numpy(dtype=bool)
    out = out[kept].reset_index(drop=True)
    x = out["n_contacts"].to_numpy(dtype=np.float64)
    na = out["n_contacts_a"].to_numpy(dtype=np.float64)
    nb = out["n_contacts_b"].to_numpy(dtype=np.float64)
    p, test = two_by_two_test(x, nb - x, na - x, n_all - na - nb + x)
    out["p_value"], out["test"] = p, test
    out["q_value"] = benjamini_hochberg(p)
    out["is_significant"] = np.nan_to_num(out["q_value"].to_numpy(dtype=np.float64), nan=2.0) <= alpha
    if "product" in dims and len(out) and ctx.has_holding_links:
        # the long rows as values again, only for the holding links (a catalog and holdings given)
        pairs = pd.DataFrame(
            {
                "g": g_all,
                "row": rows_all,
                a: a_names[pair // n_b] if len(pair) else np.zeros(0, dtype=object),
                b: b_names[pair % n_b] if len(pair) else np.zeros(0, dtype=object),
            }
        )
        out["n_via_holding"] = _via_holding(ctx, pairs, dims, out)
        del pairs
    else:
        out["n_via_holding"] = np.zeros(len(out), dtype=np.int64)
    del g_all, rows_all, pair, at
    out["is_recurring"] = (out["n_customers"] >= recurring_customers) & (out["n_weeks"] >= recurring_weeks)

    for column, dtype in LINK_COLUMNS.items():
        if dtype == "Float64":
            out[column] = nullable(out[column].to_numpy(dtype=np.float64))
        elif dtype == "string":
            out[column] = out[column].astype("string")
        else:
            out[column] = astype(out[column], dtype)
    out[a] = out[a].astype("string")
    out[b] = out[b].astype("string")
    out = out[[a, b, *LINK_COLUMNS]]
    order = np.lexsort(
        (
            out[b].to_numpy(dtype=object).astype(str),
            out[a].to_numpy(dtype=object).astype(str),
            -out["n_contacts"].to_numpy(),
            -np.nan_to_num(out["z"].to_numpy(dtype=np.float64, na_value=np.nan), nan=-np.inf),
        )
    )
    out = out.iloc[order].reset_index(drop=True)
    out.attrs.update(
        {
            "dims": (a, b),
            "n_contacts_all": n_all,
            "n_anonymous_contacts": int(
                contacts["is_anonymous"].to_numpy(dtype=bool)[np.unique(gf["row"].to_numpy())].sum()
            )
            if len(gf)
            else 0,
            "prior_strength": prior_strength,
            "recurring_customers": recurring_customers,
            "recurring_weeks": recurring_weeks,
            "notes": list(ctx.notes),
        }
    )
    return out


def _via_holding(ctx: Context, pairs: pd.DataFrame, dims: tuple[str, ...], out: pd.DataFrame) -> np.ndarray:
    """Contacts of each pair whose product link came only through the customer's holdings."""
    if "product" not in dims or not len(out) or not ctx.has_holding_links:
        return np.zeros(len(out), dtype=np.int64)
    gf = ctx.grievances
    methods = [as_tuple(m) for m in gf["product_methods"].to_numpy(dtype=object)]
    products = gf["products"].to_numpy(dtype=object)
    held = {
        (int(g), p)
        for g in np.flatnonzero([("holding" in m) for m in methods])
        for p, m in zip(as_tuple(products[g]), methods[g], strict=False)
        if m == "holding"
    }
    if not held:
        return np.zeros(len(out), dtype=np.int64)
    other = dims[0] if dims[1] == "product" else dims[1]
    flag = np.fromiter(
        ((int(g), p) in held for g, p in zip(pairs["g"], pairs["product"], strict=True)), bool, len(pairs)
    )
    per_contact = pairs.assign(_h=flag).groupby(["row", other, "product"])["_h"].all().reset_index()
    counted = per_contact[per_contact["_h"]].groupby([other, "product"]).size()
    keys = pd.MultiIndex.from_arrays(
        [out[other].astype(str).to_numpy(), out["product"].astype(str).to_numpy()]
    )
    counted.index = pd.MultiIndex.from_arrays(
        [counted.index.get_level_values(0).astype(str), counted.index.get_level_values(1).astype(str)]
    )
    return counted.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)

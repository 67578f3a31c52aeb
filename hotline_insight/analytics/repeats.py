"""Repeat contacts and first-contact resolution.

A *contact* is one interaction, or several of one customer less than
``transfer_window`` apart (a transferred call, a chat escalated to a call: in
either order, so a few minutes of clock skew between systems do not split
them). A contact is a *repeat* when the same identified customer got in touch
about the same problem within ``window`` after the end of an earlier contact.
The *problem* is a value of the dimensions in ``on`` (a theme, product, policy
or topic of the contact's grievances), or, for a contact whose grievances say
it is a follow-up (themes in ``follow_up_themes``, such as a broken promise of
a call-back), the customer's previous contact within the window whatever it
was about.

A first contact whose window runs past the end of the data (or ``as_of``)
with no repeat seen yet cannot be judged: it is *right-censored*, flagged and
left out of resolution rates. Anonymous contacts (no customer) and undated
ones are left out; ``attrs`` says how many.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> contacts = pd.DataFrame({
    ...     "id": ["a", "b", "c", "d"], "customer_id": ["C1", "C1", "C1", "C2"],
    ...     "channel": ["call", "call", "chat", "email"],
    ...     "created_at": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 10:05",
    ...                                   "2026-03-05 09:00", "2026-03-30 12:00"], utc=True)})
    >>> found = pd.DataFrame({"interaction_id": ["a", "c", "d"],
    ...                       "themes": [["billing_error"], ["billing_error"], ["billing_error"]]})
    >>> rep = hi.repeat_contacts(contacts, found)
    >>> rep[["interaction_id", "interaction_ids", "is_repeat", "repeat_of", "is_followed", "is_censored"]]
      interaction_id interaction_ids  is_repeat repeat_of  is_followed  is_censored
    0              a          [a, b]      False       NaN         True        False
    1              c             [c]       True         a        False        False
    2              d             [d]      False       NaN        False         True
    >>> hi.first_contact_resolution(rep, by="theme")[["theme", "n_first_contacts", "n_resolved", "n_censored"]]
               theme  n_first_contacts  n_resolved  n_censored
    0  billing_error                 1           0           1
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors, Warnings, warn
from ._frames import (
    Context,
    build_context,
    check_choice,
    dim_values,
    nullable,
    to_ns,
    to_timedelta,
    to_timestamp,
)
from .stats import wilson_interval

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..grievances import Grievances
    from .customers import CustomerIdentities
    from .prepare import PreparedAnalysis

__all__ = ["REPEAT_COLUMNS", "first_contact_resolution", "repeat_contacts"]

#: Columns of :func:`repeat_contacts`, with their dtypes.
REPEAT_COLUMNS: dict[str, str] = {
    "customer_id": "category",
    "interaction_id": "category",
    "interaction_ids": "object",
    "n_legs": "int64",
    "channel": "category",
    "queue": "category",
    "started_at": "datetime64[ns, UTC]",
    "ended_at": "datetime64[ns, UTC]",
    "problem": "category",
    "kind": "category",
    "value": "category",
    "is_repeat": "bool",
    "repeat_of": "category",
    "via": "category",
    "gap_s": "Float64",
    "is_followed": "bool",
    "followed_by": "category",
    "is_censored": "bool",
}

_PROBLEM_DIMS = ("theme", "product", "policy", "topic", "facet")


def repeat_contacts(
    corpus: Corpus | pd.DataFrame | PreparedAnalysis | None,
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | None = None,
    *,
    window: str | pd.Timedelta = "7D",
    transfer_window: str | pd.Timedelta = "15min",
    on: Sequence[str] = ("theme", "product", "policy", "topic"),
    follow_up_themes: Sequence[str] = ("broken_promise", "unresolved_repeat"),
    as_of: Any = None,
    since: Any = None,
    until: Any = None,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Every problem contact of every identified customer, and whether it was repeated.

    See the module docstring for the definitions.

    Args:
        corpus: the interactions (a Corpus or a frame like ``Corpus.to_frame()``);
            None to work from the grievances alone (their ``customer_id`` and
            ``created_at``); or a :class:`~hotline_insight.PreparedAnalysis`.
        grievances: the grievances (Grievances or a frame like ``to_frame()``).
        window: how soon after a contact another about the same problem is a repeat.
        transfer_window: contacts of one customer this close together are one contact.
        on: the dimensions that name a problem: any of ``theme``, ``product``,
            ``policy``, ``topic``, ``facet``.
        follow_up_themes: themes that make a contact a follow-up of the
            customer's previous contact within the window.
        as_of: the end of the data (default: the last contact's time); contacts
            whose window runs past it with no repeat are censored.
        since: keep only the contacts that started at or after this time
            (default: all). Each is judged against the whole history, exactly
            as without ``since``, but only the contacts it can depend on (those
            ending within ``window`` before it, and later ones) are expanded
            into problem rows: one quarter's table from years of contacts
            costs about that quarter's memory.
        until: keep only the contacts that started before this time (default:
            all); judged as without it (the contacts within ``window`` after
            the last kept one still decide whether it was repeated).
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse (:func:`~hotline_insight.resolve_customers`).
        clock_offsets: per source format, how far its clock runs ahead
            (``{"zendesk_json": "5min"}``); times are corrected before anything else.

    Returns:
        One row per contact and problem, by customer and time. Columns of
        repeated values are categorical (ids included: the same contact
        appears once per problem, and the table can run to millions of rows):

        ===================  ====================  ==============================================
        column               dtype                 meaning
        ===================  ====================  ==============================================
        ``customer_id``      category              the resolved customer
        ``interaction_id``   category              the contact's first interaction
        ``interaction_ids``  object                all its interactions (transfers), in order
        ``n_legs``           int64                 how many
        ``channel``          category              channel of the first leg
        ``queue``            category              queue of the first leg (NaN where unknown)
        ``started_at``       datetime64[ns, UTC]   first leg's time
        ``ended_at``         datetime64[ns, UTC]   last leg's time
        ``problem``          category              ``"<kind>:<value>"``, e.g. ``theme:billing_error``
        ``kind``/``value``   category              the two parts of ``problem``
        ``is_repeat``        bool                  it repeats an earlier contact within the window
        ``repeat_of``        category              that contact's first interaction (NaN if none)
        ``via``              category              ``same_problem`` or ``follow_up`` (NaN if none)
        ``gap_s``            Float64               seconds since the earlier contact ended
        ``is_followed``      bool                  a later contact within the window repeats it
        ``followed_by``      category              that contact's first interaction (NaN if none)
        ``is_censored``      bool                  not followed, and its window runs past the data
        ===================  ====================  ==============================================

        ``attrs``: ``window_s``, ``transfer_window_s``, ``data_end``,
        ``n_contacts`` (interactions of identified customers, dated),
        ``n_merged_transfers``, ``n_anonymous_contacts`` and
        ``n_undated_contacts`` (both left out).

    Raises:
        ConfigError: E550 for a bad parameter.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> contacts = pd.DataFrame({"id": ["a", "b"], "customer_id": ["C1", "C1"],
        ...     "created_at": pd.to_datetime(["2026-03-02", "2026-03-04"], utc=True)})
        >>> found = pd.DataFrame({"interaction_id": ["a", "b"], "themes": [["billing_error"]] * 2})
        >>> hi.repeat_contacts(contacts, found)[["interaction_id", "problem", "is_repeat", "gap_s"]]
          interaction_id              problem  is_repeat     gap_s
        0              a  theme:billing_error      False      <NA>
        1              b  theme:billing_error       True  172800.0
    """
    func = "repeat_contacts"
    ctx = build_context(
        func,
        grievances,
        corpus=corpus,
        customers_table=customers_table,
        identities=identities,
        clock_offsets=clock_offsets,
    )
    result = _episodes(
        ctx,
        window=window,
        transfer_window=transfer_window,
        on=on,
        func=func,
        follow_up_themes=follow_up_themes,
        as_of=as_of,
        since=None if since is None else to_timestamp(func, "since", since),
        until=None if until is None else to_timestamp(func, "until", until),
    )
    long: pd.DataFrame = result["long"]
    out = long[list(REPEAT_COLUMNS)]
    out.attrs.update(result["attrs"])
    return out


def _episodes(
    ctx: Context,
    *,
    window: Any,
    transfer_window: Any,
    on: Sequence[str],
    func: str,
    follow_up_themes: Sequence[str] = ("broken_promise", "unresolved_repeat"),
    as_of: Any = None,
    rows: np.ndarray | None = None,
    with_ids: bool = True,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> dict[str, Any]:
    """The repeat-contact engine: episodes, their problems, repeats, follow-ups and censoring.

    Times are int64 nanoseconds throughout; ``long`` has one row per episode and problem.
    With ``since``, ``long`` holds the episodes starting at or after it: the
    same rows, in the same order and with the same categories, as the full
    table filtered on ``started_at``; only episodes that end within the
    window before ``since`` or later are expanded (an earlier one can neither
    be repeated by nor follow a kept one), and the result is not cached.
    ``until`` likewise keeps the episodes starting before it, expanding only
    those that start within the window after the last kept one ends.
    """
    win = to_timedelta(func, "window", window).value
    transfer = to_timedelta(func, "transfer_window", transfer_window).value
    on = (on,) if isinstance(on, str) else tuple(on)
    # one problem kind's rows do not depend on the other kinds asked for, so the result of the
    # default (all kinds) serves every call on the same context; it is computed once
    key = ("episodes", win, transfer, on, tuple(follow_up_themes), str(as_of))
    bounded = since is not None or until is not None
    if rows is None and not bounded and key in ctx.cache:
        cached: dict[str, Any] = ctx.cache[key]
        return cached
    if not on:
        raise ConfigError(
            Errors.E550.format(name="on", func=func, expected="at least one dimension", value=on)
        )
    for dim in on:
        check_choice(func, "on", dim, _PROBLEM_DIMS)
    contacts = ctx.contacts
    end = ctx.data_end if as_of is None else to_timestamp(func, "as_of", as_of)
    anonymous = contacts["is_anonymous"].to_numpy(dtype=bool)
    dated = contacts["created_at"].notna().to_numpy()
    keep = ~anonymous & dated
    if rows is not None:
        mask = np.zeros(len(contacts), dtype=bool)
        mask[rows] = True
        keep &= mask
    pos = np.flatnonzero(keep)
    n_undated = int((~anonymous & ~dated).sum()) if rows is None else 0
    if n_undated:
        warn(Warnings.W302.format(func=func, n=n_undated, what="repeat contacts"), stacklevel=4)
    customer_codes, customer_names = pd.factorize(contacts["customer"].astype("object").to_numpy()[pos])
    at_all = to_ns(contacts["created_at"])
    ids_all = contacts["interaction_id"].astype("object").to_numpy()
    order = np.lexsort((ids_all[pos].astype(str), at_all[pos], customer_codes))
    row = pos[order]
    cust = customer_codes[order]
    at = at_all[row]
    n = len(row)
    # episodes: a new one at each customer change or gap > transfer window
    starts = np.ones(n, dtype=bool)
    if n > 1:
        starts[1:] = (cust[1:] != cust[:-1]) | (np.diff(at) > transfer)
    ep_of = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], n][: len(first)] - 1  # no rows (every contact anonymous): no episodes
    n_ep = len(first)
    ep_first_row = row[first]
    ep_first_id = ids_all[ep_first_row]
    ep_customer = cust[first]
    ep_start = at[first]
    ep_end = at[last]
    ep_legs = np.diff(np.r_[first, n])
    leg_ids = ids_all[row]
    ep_ids = np.empty(n_ep, dtype=object)
    if with_ids and n_ep:
        legs = leg_ids.tolist()
        ep_ids[:] = [legs[a:b] for a, b in itertools.pairwise(np.r_[first, n].tolist())]
    row_to_ep = np.full(len(contacts), -1, dtype=np.int64)
    row_to_ep[row] = ep_of

    # problems of each episode: (episode, problem), once each; problems coded kind by kind
    eps_parts: list[np.ndarray] = []
    code_parts: list[np.ndarray] = []
    problem_names: list[str] = []
    problem_kind: list[int] = []
    problem_value: list[str] = []
    g_rows = ctx.grievances["row"].to_numpy(dtype=np.int64)
    for k, dim in enumerate(on):
        found = dim_values(ctx, dim)  # every code in names is used by some row
        uniques = found.names
        ep = row_to_ep[g_rows[found.g]]
        ok = ep >= 0
        eps_parts.append(ep[ok])
        code_parts.append(found.code[ok].astype(np.int64) + len(problem_names))
        del ep, ok
        problem_names.extend(f"{dim}:{v}" for v in uniques)
        problem_kind.extend([k] * len(uniques))
        problem_value.extend(str(v) for v in uniques)
    eps = np.concatenate(eps_parts) if eps_parts else np.zeros(0, np.int64)
    problem_code = np.concatenate(code_parts) if code_parts else np.zeros(0, np.int64)
    n_problems = len(problem_names) + 1
    if len(eps):
        duplicate = pd.Series(eps * n_problems + problem_code).duplicated().to_numpy()
        eps, problem_code = eps[~duplicate], problem_code[~duplicate]
    if until is not None and len(eps):
        # a kept episode is followed (or not) by one starting within the window after it ends
        kept_end = ep_end[ep_start < until.value]
        if len(kept_end):
            reach = ep_start[eps] <= int(kept_end.max()) + win
            eps, problem_code = eps[reach], problem_code[reach]
        else:
            eps, problem_code = eps[:0], problem_code[:0]
    if since is not None and len(eps):
        # episodes of a customer run in time order, so those ending this late are a suffix of each
        # customer's: every episode a kept one is compared with (its previous or next about the same
        # problem, its previous one for a follow-up) is among them, or is beyond the window either way
        reach = ep_end[eps] >= since.value - win
        eps, problem_code = eps[reach], problem_code[reach]
    # episodes are numbered in (customer, start) order, so (customer, problem, episode) is one int key
    if (len(customer_names) + 1) * n_problems * (n_ep + 1) < 2**62:
        o = np.argsort((ep_customer[eps] * n_problems + problem_code) * max(n_ep, 1) + eps, kind="stable")
    else:  # pragma: no cover - beyond int64 keys
        o = np.lexsort((eps, problem_code, ep_customer[eps]))
    eps, problem_code = eps[o], problem_code[o]
    m = len(eps)
    same = np.zeros(m, dtype=bool)
    if m > 1:
        same[1:] = (ep_customer[eps[1:]] == ep_customer[eps[:-1]]) & (problem_code[1:] == problem_code[:-1])
    start_ns, end_ns = ep_start[eps], ep_end[eps]
    prev_end = np.r_[0, end_ns[:-1]] if m else np.zeros(0, np.int64)
    gap_prev = start_ns - prev_end
    is_rep = same & (gap_prev <= win)
    next_same = np.r_[same[1:], False] if m else np.zeros(0, bool)
    next_start = np.r_[start_ns[1:], 0] if m else np.zeros(0, np.int64)
    is_fol = next_same & ((next_start - end_ns) <= win)
    prev_ep = np.r_[0, eps[:-1]] if m else np.zeros(0, np.int64)
    next_ep = np.r_[eps[1:], 0] if m else np.zeros(0, np.int64)
    repeat_of = np.where(is_rep, prev_ep, -1)
    via = np.where(is_rep, 0, -1)  # 0 same_problem, 1 follow_up
    gaps = np.where(is_rep, gap_prev / 1e9, np.nan)
    followed_by = np.where(is_fol, next_ep, -1)

    # follow-ups: a contact that says it is one repeats the customer's previous contact in the window
    follow_eps = _follow_up_episodes(ctx, row_to_ep, set(follow_up_themes))
    declared: dict[int, int] = {}
    for e in sorted(follow_eps):
        if e > 0 and ep_customer[e - 1] == ep_customer[e] and ep_start[e] - ep_end[e - 1] <= win:
            declared[e] = e - 1
    if declared:
        by_ep = pd.Series(np.arange(m)).groupby(eps).indices
        for e, prev in declared.items():
            for i in by_ep.get(e, []):
                if not is_rep[i]:
                    is_rep[i], repeat_of[i], via[i] = True, prev, 1
                    gaps[i] = (ep_start[e] - ep_end[prev]) / 1e9
            for i in by_ep.get(prev, []):
                if not is_fol[i]:
                    is_fol[i], followed_by[i] = True, e
    end_data = end.value if end is not None else np.iinfo(np.int64).max
    censored = ~is_fol & (end_ns + win > end_data)
    channel = contacts["channel"].astype("object").to_numpy()
    queue = contacts["queue"].astype("object").to_numpy()
    o = np.lexsort((problem_code, eps))  # by customer, time, episode (episode order), then problem
    if since is not None:
        o = o[ep_start[eps[o]] >= since.value]
    if until is not None:
        o = o[ep_start[eps[o]] < until.value]
    eps, problem_code = eps[o], problem_code[o]
    kinds = np.asarray(problem_kind, dtype=np.int64)
    value_codes, value_names = pd.factorize(np.asarray(problem_value, dtype=object))

    def categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)

    ids_dtype = pd.CategoricalDtype(pd.Index(ep_first_id, dtype=object))
    ep_channel = pd.Categorical(channel[ep_first_row])
    ep_queue = pd.Categorical(queue[ep_first_row])
    long = pd.DataFrame(
        {
            "customer_id": categorical(
                ep_customer[eps], pd.CategoricalDtype(pd.Index(customer_names, dtype=object))
            ),
            "interaction_id": categorical(eps, ids_dtype),
            "interaction_ids": pd.Series(ep_ids[eps], dtype=object),
            "n_legs": ep_legs[eps],
            "channel": categorical(ep_channel.codes[eps], ep_channel.dtype),
            "queue": categorical(ep_queue.codes[eps], ep_queue.dtype),
            "started_at": pd.to_datetime(start_ns[o], utc=True).as_unit("ns"),
            "ended_at": pd.to_datetime(end_ns[o], utc=True).as_unit("ns"),
            "problem": categorical(problem_code, pd.CategoricalDtype(pd.Index(problem_names, dtype=object))),
            "kind": categorical(
                kinds[problem_code] if len(kinds) else problem_code,
                pd.CategoricalDtype(pd.Index(list(on), dtype=object)),
            ),
            "value": categorical(
                value_codes[problem_code] if len(value_codes) else problem_code,
                pd.CategoricalDtype(pd.Index(value_names, dtype=object)),
            ),
            "is_repeat": is_rep[o],
            "repeat_of": categorical(repeat_of[o], ids_dtype),
            "via": categorical(
                via[o], pd.CategoricalDtype(pd.Index(["same_problem", "follow_up"], dtype=object))
            ),
            "gap_s": nullable(gaps[o]),
            "is_followed": is_fol[o],
            "followed_by": categorical(followed_by[o], ids_dtype),
            "is_censored": censored[o],
            "ep": eps,  # internal: the episode, and its first contact's row
            "first_row": ep_first_row[eps],
        }
    )

    # per contact row (for histories)
    repeated = is_rep[o]
    first_repeat = np.unique(eps[repeated], return_index=True)[1]
    repeat_eps = eps[repeated][first_repeat]
    repeat_prev = repeat_of[o][repeated][first_repeat]
    row_is_repeat = pd.Series(False, index=row, dtype=bool)
    row_repeat_of = pd.Series(None, index=row, dtype=object)
    row_is_repeat[ep_first_row[repeat_eps]] = True
    row_repeat_of[ep_first_row[repeat_eps]] = ep_first_id[repeat_prev]
    followed_by_followup = {int(ep_first_row[prev]): True for prev in declared.values()}
    attrs = {
        "window_s": win / 1e9,
        "transfer_window_s": transfer / 1e9,
        "data_end": end,
        "n_contacts": n,
        "n_merged_transfers": n - n_ep,
        "n_anonymous_contacts": int(anonymous.sum()) if rows is None else 0,
        "n_undated_contacts": n_undated,
    }
    result = {
        "long": long,
        "row_is_repeat": row_is_repeat,
        "row_repeat_of": row_repeat_of,
        "row_followed_by_followup": followed_by_followup,
        "attrs": attrs,
    }
    if rows is None and with_ids and not bounded:
        ctx.cache[key] = result
    return result


def _follow_up_episodes(ctx: Context, row_to_ep: np.ndarray, themes: set[str]) -> set[int]:
    if not themes:
        return set()
    found = dim_values(ctx, "theme")
    hit = np.isin(found.names, list(themes))[found.code]
    eps = row_to_ep[ctx.grievances["row"].to_numpy(dtype=np.int64)[found.g[hit]]]
    return set(eps[eps >= 0].tolist())


#: Columns of :func:`first_contact_resolution` after the ``by`` column.
FCR_COLUMNS: dict[str, str] = {
    "n_first_contacts": "int64",
    "n_resolved": "int64",
    "n_censored": "int64",
    "fcr": "Float64",
    "fcr_low": "Float64",
    "fcr_high": "Float64",
    "n_repeat_contacts": "int64",
    "repeat_share": "Float64",
}


def first_contact_resolution(
    repeats: pd.DataFrame, by: str = "theme", *, confidence: float = 0.95
) -> pd.DataFrame:
    """First-contact resolution per theme, product, policy, topic, channel or queue, with Wilson intervals.

    A first contact (not itself a repeat) about a problem is *resolved* when no
    repeat follows within the window. Censored first contacts (window past the
    end of the data) are counted apart and left out of the rate. For
    ``channel`` and ``queue``, a contact counts once, by its first leg; it is
    resolved when none of its problems came back. ``by="all"`` gives one row
    for everything.

    Args:
        repeats: the frame of :func:`repeat_contacts`.
        by: ``theme``, ``product``, ``policy``, ``topic``, ``facet``, ``channel``,
            ``queue`` or ``all``.
        confidence: the coverage of the Wilson intervals.

    Returns:
        One row per value, the biggest repeat drivers first (most repeat
        contacts, then most first contacts): the ``by`` column (string), then
        ``n_first_contacts`` int64 (judged: resolved or not), ``n_resolved``
        int64, ``n_censored`` int64 (not yet judgeable, left out),
        ``fcr``/``fcr_low``/``fcr_high`` Float64 (``<NA>`` when nothing was
        judged), ``n_repeat_contacts`` int64 (repeat contacts about it),
        ``repeat_share`` Float64 (its share of all repeat contacts in the table).

    Raises:
        ConfigError: E550 for an unknown ``by``; E551 when ``repeats`` is not
            a frame of :func:`repeat_contacts`.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> contacts = pd.DataFrame({"id": ["a", "b", "c", "d"], "customer_id": ["C1", "C1", "C2", "C3"],
        ...     "created_at": pd.to_datetime(["2026-03-02", "2026-03-04", "2026-03-05", "2026-04-30"], utc=True)})
        >>> found = pd.DataFrame({"interaction_id": ["a", "b", "c"], "themes": [["fee"]] * 3})
        >>> fcr = hi.first_contact_resolution(hi.repeat_contacts(contacts, found), by="theme")
        >>> fcr[["theme", "n_first_contacts", "n_resolved", "fcr", "n_repeat_contacts"]]
          theme  n_first_contacts  n_resolved  fcr  n_repeat_contacts
        0   fee                 2           1  0.5                  1
    """
    func = "first_contact_resolution"
    check_choice(func, "by", by, (*_PROBLEM_DIMS, "channel", "queue", "all"))
    missing = [
        c
        for c in ("interaction_id", "kind", "value", "is_repeat", "is_followed", "is_censored")
        if c not in repeats
    ]
    if not isinstance(repeats, pd.DataFrame) or missing:
        raise ConfigError(
            Errors.E551.format(
                func=func,
                what="the frame of repeat_contacts()",
                frame="repeats",
                column=missing[0] if missing else "interaction_id",
                columns=", ".join(map(str, getattr(repeats, "columns", []))) or "none",
            )
        )
    if by in _PROBLEM_DIMS:
        rows = repeats[repeats["kind"] == by]
        unit = pd.DataFrame(
            {
                "key": rows["value"].astype("object").to_numpy(),
                "first": ~rows["is_repeat"].to_numpy(dtype=bool),
                "repeat": rows["is_repeat"].to_numpy(dtype=bool),
                "followed": rows["is_followed"].to_numpy(dtype=bool),
                "censored": rows["is_censored"].to_numpy(dtype=bool),
            }
        )
    else:
        grouped = repeats.groupby("interaction_id", sort=False)
        ep = pd.DataFrame(
            {
                "key": grouped[by].first() if by in repeats else None,
                "repeat": grouped["is_repeat"].any(),
                "followed": grouped["is_followed"].any(),
                "censored": grouped["is_censored"].all(),
            }
        )
        if by == "all":
            ep["key"] = "all"
        ep = ep.dropna(subset=["key"])
        unit = pd.DataFrame(
            {
                "key": ep["key"].astype("object").to_numpy(),
                "first": ~ep["repeat"].to_numpy(dtype=bool),
                "repeat": ep["repeat"].to_numpy(dtype=bool),
                "followed": ep["followed"].to_numpy(dtype=bool),
                "censored": ep["censored"].to_numpy(dtype=bool) & ~ep["followed"].to_numpy(dtype=bool),
            }
        )
    judged = unit["first"] & ~unit["censored"]
    unit = unit.assign(
        judged=judged,
        resolved=judged & ~unit["followed"],
        censored_first=unit["first"] & unit["censored"],
    )
    agg = unit.groupby("key", sort=True).agg(
        n_first_contacts=("judged", "sum"),
        n_resolved=("resolved", "sum"),
        n_censored=("censored_first", "sum"),
        n_repeat_contacts=("repeat", "sum"),
    )
    n = agg["n_first_contacts"].to_numpy(dtype=np.float64)
    x = agg["n_resolved"].to_numpy(dtype=np.float64)
    low, high = wilson_interval(x, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, x / n, np.nan)
    total_repeats = float(agg["n_repeat_contacts"].sum())
    share = (
        agg["n_repeat_contacts"].to_numpy(dtype=np.float64) / total_repeats
        if total_repeats
        else np.full(len(agg), np.nan)
    )
    out = pd.DataFrame(
        {
            by: pd.array(agg.index.astype(str).to_numpy(), dtype="string"),
            "n_first_contacts": agg["n_first_contacts"].to_numpy(dtype=np.int64),
            "n_resolved": agg["n_resolved"].to_numpy(dtype=np.int64),
            "n_censored": agg["n_censored"].to_numpy(dtype=np.int64),
            "fcr": nullable(rate),
            "fcr_low": nullable(low),
            "fcr_high": nullable(high),
            "n_repeat_contacts": agg["n_repeat_contacts"].to_numpy(dtype=np.int64),
            "repeat_share": nullable(share),
        }
    )
    out = out.sort_values(
        ["n_repeat_contacts", "n_first_contacts", by], ascending=[False, False, True], ignore_index=True
    )
    out.attrs.update(repeats.attrs)
    return out

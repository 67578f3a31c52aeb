"""Customers across channels: identity resolution, the customers table and a customer's history.

Sources name a customer in different ways: a CRM customer id in a call's
header, a requester id in a ticketing system, an account number, hashed
e-mail addresses and phone numbers. :func:`resolve_customers` joins them into
one customer each; :func:`customers` gives the customers table (channels
used, contacts, grievances, segment, value); :func:`customer_history` gives one
customer's interactions across channels, in time order, with the context the
next conversation needs.

How identities are resolved (union-find, done with graph components):

1. *Ids* anchor a customer: each interaction's ``customer_id``, the values of
   ``id_fields`` (meta fields holding the CRM customer id, such as a Zendesk
   custom field), hashed ``account_fields`` values, and the customers table's
   ids. Ids that appear on the same record belong to the same customer. A
   ``customer_id`` is read in its source's *id space*: ticketing systems
   number their own users (a Zendesk requester id is not a CRM id), so
   ``zendesk_*``, ``freshdesk``, ``salesforce_case``, ``jira_sm`` and
   ``social`` ids each have their own space (``DEFAULT_ID_SPACES``; change it
   with ``id_spaces=``); every other source, the id fields and the customers
   table share the CRM space.
2. *Keys* (hashed e-mails and phones, from the interactions' ``customer_keys``
   and the customers table's ``keys``) then join customers, unless a key is
   *shared*: it points at more than ``max_customers_per_key`` different
   customers of one id space (a switchboard number, a family e-mail, a
   placeholder address). Shared keys are not used to merge; they are listed
   in :attr:`CustomerIdentities.shared_keys` and counted in the summary.
3. An interaction with no id and no usable key is *anonymous*: its own unit,
   never merged, named ``anonymous:<interaction id>``, and left out of
   repeat-contact and per-customer figures (every table that leaves them out
   says how many in its ``attrs``).

The resolved id is the customers table's id when the customer has one, else
the CRM id seen most often, else ``<space>:<id>`` of a ticketing system's id,
else the hashed account number, else the hashed key (ties go to the
alphabetically first). Identifiers never appear in clear beyond the ids the
sources themselves use as customer ids: e-mails and phones are hashed by the
parsers and ``account_fields`` values are hashed here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors, Warnings, scrub, warn
from ..records import hash_identifier, is_hashed
from ._frames import (
    CLOSED_STATUSES,
    Context,
    _meta_value,
    as_contacts,
    as_tuple,
    build_context,
    check_number,
    contacts_from_frame,
    sorted_codes,
    where,
)

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..grievances import Grievances
    from ..store import Store
    from .prepare import PreparedAnalysis

__all__ = [
    "DEFAULT_ID_SPACES",
    "CustomerHistory",
    "CustomerIdentities",
    "customer_history",
    "customers",
    "resolve_customers",
]

#: The id space of ``customer_id`` per source format; formats not listed use the CRM space ("").
DEFAULT_ID_SPACES: dict[str, str] = {
    "zendesk_json": "zendesk",
    "zendesk_jsonl": "zendesk",
    "zendesk_csv": "zendesk",
    "freshdesk": "freshdesk",
    "salesforce_case": "salesforce",
    "jira_sm": "jira",
    "social": "social",
}

_SEP = "\x1f"
_ANON = "anonymous:"
_AUTO_MIN_MATCHES = 3
_AUTO_MIN_SHARE = 0.2
_AUTO_SAMPLE = 20_000

ValueSource = Literal["table", "segment_median", "table_median", "unweighted"]


@dataclass
class CustomerIdentities:
    """Which customer each interaction belongs to, and how that was decided.

    Attributes:
        contacts: one row per interaction: ``interaction_id`` string,
            ``source_format`` string, ``customer_id`` string (the resolved id,
            ``anonymous:<interaction id>`` for anonymous ones), ``is_anonymous`` bool.
        shared_keys: the keys not used to merge: ``key`` string (hashed),
            ``kind`` string (``email``, ``phone``, ...), ``n_customers`` int64
            (the most customers of one id space it points at), ``n_contacts`` int64.
        values: one row per identified customer: ``customer_id`` string,
            ``in_table`` bool, ``segment`` string, ``value`` float64,
            ``value_source`` string (``table``, ``segment_median``,
            ``table_median``: the median of the table's values, for customers
            the table lacks or gives no value; ``unweighted``: 1.0 for everyone
            when no value is known at all).
        summary: counts: ``n_contacts``, ``n_customers`` (identified),
            ``n_anonymous_contacts``, ``n_multi_channel`` (customers seen in
            two or more channels), ``n_merged_ids`` (customers whose contacts
            carried two or more different ids or keys), ``n_shared_keys``,
            ``n_conflicts`` (customers holding two ids of the customers table,
            joined through other ids), ``id_fields`` (the meta fields used),
            ``max_customers_per_key``.
        holdings: resolved customer id -> the product ids the customers table
            says the customer holds (empty when the table has no holdings).
    """

    contacts: pd.DataFrame
    shared_keys: pd.DataFrame
    values: pd.DataFrame
    summary: dict[str, Any]
    holdings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _anchors: dict[str, str] = field(default_factory=dict, repr=False)
    _spaces: dict[str, str] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"CustomerIdentities({s['n_customers']} customers from {s['n_contacts']} contacts; "
            f"{s['n_anonymous_contacts']} anonymous, {s['n_shared_keys']} shared keys)"
        )

    def customer_of(self, source_id: str, source_format: str | None = None) -> str | None:
        """The resolved customer of a source's customer id (or resolved id, or hashed key); None if unknown.

        Examples:
            >>> import pandas as pd
            >>> frame = pd.DataFrame({"id": ["t1", "c1"], "customer_id": ["77", "C-77"],
            ...     "source_format": ["zendesk_json", "plain_text"],
            ...     "meta": [{"crm": "C-77"}, {}]})
            >>> ids = resolve_customers(frame, id_fields=["crm"])
            >>> ids.customer_of("77", "zendesk_json"), ids.customer_of("C-77")
            ('C-77', 'C-77')
        """
        space = self._spaces.get(source_format or "", "") if source_format else ""
        for candidate in (f"{space}{_SEP}{source_id}", f"{_SEP}{source_id}", source_id):
            if candidate in self._anchors:
                return self._anchors[candidate]
        if source_id in set(self.values["customer_id"].tolist()):
            return source_id
        return None

    # -- used by the analytics functions -------------------------------------------------
    def attach(self, contacts: pd.DataFrame, *, customers_table: pd.DataFrame | None = None) -> None:
        """Add ``customer`` (None when anonymous), ``is_anonymous``, ``segment``, ``value`` to contacts."""
        left = contacts[["interaction_id", "source_format"]].copy()
        left["source_format"] = left["source_format"].fillna("")
        right = self.contacts[["interaction_id", "source_format", "customer_id", "is_anonymous"]].copy()
        right["source_format"] = right["source_format"].fillna("")
        right = right.drop_duplicates(["interaction_id", "source_format"])
        merged = left.merge(right, on=["interaction_id", "source_format"], how="left")
        customer = merged["customer_id"].astype("object").to_numpy()
        anonymous = merged["is_anonymous"].astype("boolean").to_numpy(dtype=bool, na_value=True)
        unknown = merged["customer_id"].isna().to_numpy()
        if unknown.any():
            # contacts the identities were not built from: look their own id up
            raw = contacts["customer_id"].astype("object").to_numpy()
            fmt = contacts["source_format"].astype("object").to_numpy()
            for i in np.flatnonzero(unknown):
                found = None
                if raw[i] is not None and raw[i] is not pd.NA:
                    found = self.customer_of(str(raw[i]), None if fmt[i] is pd.NA else fmt[i])
                customer[i] = found
                anonymous[i] = found is None
        customer = where(anonymous, None, customer)
        contacts["customer"] = pd.array(customer, dtype="string")
        contacts["is_anonymous"] = anonymous
        values = self.values.set_index("customer_id")
        joined = values.reindex(contacts["customer"].astype("object").where(~anonymous, None))
        contacts["segment"] = pd.array(joined["segment"].to_numpy(), dtype="string")
        contacts["value"] = joined["value"].to_numpy(dtype=np.float64, na_value=np.nan)


# -- resolution -------------------------------------------------------------------------------


def resolve_customers(
    corpus: Corpus | pd.DataFrame | Store,
    customers_table: pd.DataFrame | None = None,
    *,
    id_fields: Sequence[str] | Literal["auto"] = "auto",
    account_fields: Sequence[str] = (),
    id_spaces: Mapping[str, str] | None = None,
    max_customers_per_key: int = 1,
    func: str = "resolve_customers",
) -> CustomerIdentities:
    """Resolve one customer from the ids and hashed keys every source gives.

    See the module docstring for the rules. The result feeds every other
    analytics function (``identities=``), so the work is done once.

    Args:
        corpus: a Corpus, a frame like ``Corpus.to_frame()`` (``id``;
            optionally ``source_format``, ``customer_id``, ``customer_keys``,
            ``meta``), or a :class:`~hotline_insight.Store` (its interactions'
            ids and keys, with the contacts its orphan grievances stand for, as
            :func:`~hotline_insight.trends` on the store resolves them: pass the
            result as ``identities=`` to count a store several times without
            resolving it each time).
        customers_table: a frame from :func:`~hotline_insight.read_customers`
            (``customer_id``; optionally ``segment``, ``value``, ``keys``, ``products``).
        id_fields: meta fields (dotted paths: ``"custom_fields.360011103"``)
            holding the CRM customer id. ``"auto"`` picks the fields whose
            values match known CRM ids (the customers table's, and the
            ``customer_id`` of sources in the CRM space) for at least 20% of
            their values and 3 records; the fields picked are in the summary.
        account_fields: meta fields holding account numbers; hashed at once,
            and used as ids in their own space.
        id_spaces: source format -> id space of its ``customer_id``; replaces
            ``DEFAULT_ID_SPACES``. Pass ``{}`` to read every ``customer_id`` as a CRM id.
        max_customers_per_key: a key pointing at more customers than this
            (in one id space) is shared and not used to merge.
        func: the name used in messages.

    Returns:
        The identities: per interaction, shared keys, values and a summary.

    Raises:
        ConfigError: E550 for a bad parameter, E559 for a customers table
            that is not a frame from ``read_customers``.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> contacts = pd.DataFrame({
        ...     "id": ["call-1", "t-9", "chat-4", "call-2", "call-3"],
        ...     "source_format": ["plain_text", "zendesk_json", "plain_text", "plain_text", "plain_text"],
        ...     "customer_id": ["C1", "501", None, "C2", None],
        ...     "customer_keys": [["phone:aa"], ["phone:aa"], ["email:bb"], ["email:bb"], []],
        ... })
        >>> ids = hi.resolve_customers(contacts)
        >>> ids.contacts[["interaction_id", "customer_id", "is_anonymous"]]
          interaction_id            customer_id  is_anonymous
        0         call-1                     C1         False
        1            t-9                     C1         False
        2         chat-4                     C2         False
        3         call-2                     C2         False
        4         call-3  anonymous:call-3          True
    """
    check_number(func, "max_customers_per_key", max_customers_per_key, low=1, integer=True)
    from ..store import Store

    if isinstance(corpus, Store):
        from ._store_series import StoreSeries

        def resolve(contacts: pd.DataFrame) -> CustomerIdentities:
            return resolve_customers(
                contacts,
                customers_table,
                id_fields=id_fields,
                account_fields=account_fields,
                id_spaces=id_spaces,
                max_customers_per_key=max_customers_per_key,
                func=func,
            )

        store = StoreSeries(
            func,
            corpus,
            customers_table=customers_table,
            identities=None,
            clock_offsets=None,
            resolve=resolve,
        )
        return store.identities
    if (
        isinstance(corpus, pd.DataFrame)
        and "interaction_id" in corpus.columns
        and "meta" in corpus.columns
        and ("customer_keys" in corpus.columns)
    ):
        contacts = corpus
    elif isinstance(corpus, pd.DataFrame):
        contacts = contacts_from_frame(corpus, func)
    else:
        contacts = as_contacts(corpus, func)
    table = _check_table(customers_table, func)
    spaces = dict(DEFAULT_ID_SPACES if id_spaces is None else id_spaces)
    return _resolve(
        contacts, table, id_fields, tuple(account_fields), spaces, int(max_customers_per_key), func
    )


def _check_table(table: pd.DataFrame | None, func: str) -> pd.DataFrame | None:
    if table is None:
        return None
    if not isinstance(table, pd.DataFrame) or "customer_id" not in table.columns:
        columns = list(map(str, table.columns)) if isinstance(table, pd.DataFrame) else type(table).__name__
        raise ConfigError(Errors.E559.format(func=func, columns=columns))
    if table["customer_id"].isna().any() or table["customer_id"].astype(str).duplicated().any():
        raise ConfigError(
            Errors.E559.format(func=func, columns="a customer_id column with missing or repeated ids")
        )
    return table


def _flatten(meta: Any) -> Iterable[tuple[str, str]]:
    if not isinstance(meta, Mapping):
        return
    for key, value in meta.items():
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                if isinstance(inner, (str, int)) and not isinstance(inner, bool) and inner != "":
                    yield f"{key}.{sub}", str(inner)
        elif isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
            yield str(key), str(value)


def _unhasher(metas: np.ndarray, known: Iterable[str]) -> dict[str, str]:
    """The known ids by their hash, when ``meta`` holds hashed values (a store's ``meta_ids``).

    The store keeps identifier-shaped meta fields only as
    ``hash_identifier("meta", value)``; hashing the ids resolution knows (the
    contacts' own and the customers table's) finds them again. Empty when no
    meta value is hashed, so in-memory inputs cost nothing.
    """
    for meta in metas:
        if meta and any(is_hashed("meta", v) for _path, v in _flatten(meta)):
            return {hash_identifier("meta", k): k for k in known}
    return {}


def _auto_id_fields(contacts: pd.DataFrame, known: set[str], unhash: Mapping[str, str]) -> list[str]:
    if not known:
        return []
    metas = contacts["meta"].to_numpy()
    fmts = contacts["source_format"].fillna("").to_numpy()
    own = contacts["customer_id"].astype("object").fillna("").to_numpy()
    seen: dict[str, int] = {}
    matched: dict[str, int] = {}
    taken: dict[str, int] = {}
    for i in range(len(contacts)):
        meta = metas[i]
        if not meta:
            continue
        if taken.get(fmts[i], 0) >= _AUTO_SAMPLE:
            continue
        taken[fmts[i]] = taken.get(fmts[i], 0) + 1
        for path, raw in _flatten(meta):
            value = unhash.get(raw, raw)
            seen[path] = seen.get(path, 0) + 1
            if value in known and value != own[i]:
                matched[path] = matched.get(path, 0) + 1
    return sorted(p for p, m in matched.items() if m >= _AUTO_MIN_MATCHES and m / seen[p] >= _AUTO_MIN_SHARE)


def _resolve(
    contacts: pd.DataFrame,
    table: pd.DataFrame | None,
    id_fields: Sequence[str] | Literal["auto"],
    account_fields: tuple[str, ...],
    spaces: dict[str, str],
    max_per_key: int,
    func: str,
) -> CustomerIdentities:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(contacts)
    m = 0 if table is None else len(table)
    fmts = contacts["source_format"].astype("object").where(contacts["source_format"].notna(), "").to_numpy()
    raw_ids = contacts["customer_id"].astype("object").to_numpy()

    # anchors: (unit, anchor, space)
    units: list[np.ndarray] = []
    anchors: list[np.ndarray] = []
    anchor_spaces: list[np.ndarray] = []
    has_id = np.array(
        [v is not None and v is not pd.NA and str(v).strip() != "" for v in raw_ids], dtype=bool
    )
    idx = np.flatnonzero(has_id)
    space_of = np.array([spaces.get(f, "") for f in fmts[idx]], dtype=object)
    units.append(idx)
    anchors.append(
        np.array(
            [f"{s}{_SEP}{str(v).strip()}" for s, v in zip(space_of, raw_ids[idx], strict=True)], dtype=object
        )
    )
    anchor_spaces.append(space_of)

    table_ids: np.ndarray = np.array([], dtype=object)
    if table is not None:
        table_ids = table["customer_id"].astype(str).str.strip().to_numpy(dtype=object)
        units.append(np.arange(n, n + m))
        anchors.append(np.array([f"{_SEP}{v}" for v in table_ids], dtype=object))
        anchor_spaces.append(np.full(m, "", dtype=object))

    known = {a[len(_SEP) :] for a in anchors[0][space_of == ""]} | set(table_ids.tolist())
    metas = contacts["meta"].to_numpy()
    unhash = _unhasher(metas, known)
    if id_fields == "auto":
        fields = _auto_id_fields(contacts, known, unhash)
    elif isinstance(id_fields, str):
        fields = [id_fields]
    else:
        fields = list(id_fields)
    for kind, paths in (("id", fields), ("account", list(account_fields))):
        for path in paths:
            parts = path.split(".")
            found = [_meta_value(meta, parts) for meta in metas]
            idx = np.array([i for i, v in enumerate(found) if v not in (None, "")], dtype=np.int64)
            if not len(idx):
                continue
            if kind == "id":
                values = [str(found[i]).strip() for i in idx]
                labels = [f"{_SEP}{unhash.get(v, v)}" for v in values]
                space = ""
            else:
                labels = [f"account{_SEP}{hash_identifier('account', str(found[i]))}" for i in idx]
                space = "account"
            units.append(idx)
            anchors.append(np.array(labels, dtype=object))
            anchor_spaces.append(np.full(len(idx), space, dtype=object))

    a_unit = np.concatenate(units) if units else np.zeros(0, dtype=np.int64)
    a_name = np.concatenate(anchors) if anchors else np.zeros(0, dtype=object)
    a_space = np.concatenate(anchor_spaces) if anchor_spaces else np.zeros(0, dtype=object)
    a_codes, a_uniques = pd.factorize(a_name)

    # keys: (unit, key)
    key_lists = contacts["customer_keys"].to_numpy()
    lengths = np.fromiter(
        (len(k) if isinstance(k, (list, tuple, np.ndarray)) else 0 for k in key_lists), np.int64, n
    )
    k_unit = np.repeat(np.arange(n), lengths)
    k_name = np.fromiter(
        (k for ks in key_lists if isinstance(ks, (list, tuple, np.ndarray)) for k in ks),
        dtype=object,
        count=int(lengths.sum()),
    )
    if table is not None and "keys" in table.columns:
        t_lists = table["keys"].to_numpy()
        t_len = np.fromiter(
            (len(k) if isinstance(k, (list, tuple, np.ndarray)) else 0 for k in t_lists), np.int64, m
        )
        k_unit = np.concatenate([k_unit, n + np.repeat(np.arange(m), t_len)])
        k_name = np.concatenate(
            [
                k_name,
                np.fromiter(
                    (k for ks in t_lists if isinstance(ks, (list, tuple, np.ndarray)) for k in ks),
                    dtype=object,
                    count=int(t_len.sum()),
                ),
            ]
        )
    k_codes, k_uniques = pd.factorize(k_name)
    n_units = n + m
    n_anchor = len(a_uniques)
    n_keys = len(k_uniques)

    def components(edges_u: np.ndarray, edges_v: np.ndarray, size: int) -> np.ndarray:
        graph = coo_matrix((np.ones(len(edges_u), dtype=np.int8), (edges_u, edges_v)), shape=(size, size))
        return np.asarray(connected_components(graph, directed=False)[1], dtype=np.int64)

    # 1. components of ids alone
    comp1 = components(a_unit, n_units + a_codes, n_units + n_anchor)[:n_units]
    anchored_comp = pd.DataFrame({"comp": comp1[a_unit], "space": a_space}).drop_duplicates()
    # 2. key degrees: the most components of one id space a key touches
    shared = np.zeros(n_keys, dtype=bool)
    degree = np.zeros(n_keys, dtype=np.int64)
    if n_keys:
        touch = pd.DataFrame({"key": k_codes, "comp": comp1[k_unit]}).drop_duplicates()
        touch = touch.merge(anchored_comp, on="comp", how="inner")
        if len(touch):
            per_space = touch.groupby(["key", "space"], sort=False)["comp"].nunique()
            best = per_space.groupby(level="key").max()
            degree[best.index.to_numpy()] = best.to_numpy()
            shared = degree > max_per_key
    # 3. components of ids and the usable keys
    usable = ~shared[k_codes] if n_keys else np.zeros(0, dtype=bool)
    size = n_units + n_anchor + n_keys
    comp = components(
        np.concatenate([a_unit, k_unit[usable]]),
        np.concatenate([n_units + a_codes, n_units + n_anchor + k_codes[usable]]),
        size,
    )[:n_units]
    has_anchor = np.zeros(n_units, dtype=bool)
    has_anchor[a_unit] = True
    has_key = np.zeros(n_units, dtype=bool)
    has_key[k_unit[usable]] = True
    identified = has_anchor | has_key

    # 4. the resolved id of each component
    names = _component_names(
        comp, identified, a_unit, a_name, a_space, k_unit[usable], k_name[usable], n, m, table_ids
    )
    resolved = names.reindex(comp).to_numpy(dtype=object)
    contact_ids = contacts["interaction_id"].astype(str).to_numpy(dtype=object)
    anonymous = ~identified[:n]
    resolved_contacts = np.where(
        anonymous, np.char.add(_ANON, contact_ids.astype(str)).astype(object), resolved[:n]
    )

    out_contacts = pd.DataFrame(
        {
            "interaction_id": pd.array(contact_ids, dtype="string"),
            "source_format": pd.array(where(fmts == "", None, fmts), dtype="string"),
            "customer_id": pd.array(resolved_contacts, dtype="string"),
            "is_anonymous": anonymous,
        }
    )
    # shared keys report
    if shared.any():
        key_contacts = pd.Series(k_codes[k_unit < n]).value_counts()
        idx = np.flatnonzero(shared)
        shared_frame = pd.DataFrame(
            {
                "key": pd.array(k_uniques[idx].astype(str), dtype="string"),
                "kind": pd.array([str(k).split(":", 1)[0] for k in k_uniques[idx]], dtype="string"),
                "n_customers": degree[idx].astype(np.int64),
                "n_contacts": key_contacts.reindex(idx, fill_value=0).to_numpy(dtype=np.int64),
            }
        ).sort_values(["n_customers", "key"], ascending=[False, True], ignore_index=True)
        warn(Warnings.W301.format(n=int(shared.sum()), max=max_per_key), stacklevel=4)
    else:
        shared_frame = pd.DataFrame(
            {
                "key": pd.array([], dtype="string"),
                "kind": pd.array([], dtype="string"),
                "n_customers": np.zeros(0, np.int64),
                "n_contacts": np.zeros(0, np.int64),
            }
        )

    value_frame, holdings = _values(resolved, identified, n, table)
    # anchors -> resolved customer, for customer_of()
    anchor_map = dict(zip(a_name.tolist(), resolved[a_unit].tolist(), strict=True))
    anchor_map.update(zip(k_name[usable].tolist(), resolved[k_unit[usable]].tolist(), strict=True))

    ident = out_contacts.loc[~anonymous]
    channels = contacts.loc[~anonymous, "channel"].astype("object").to_numpy()
    per_customer = pd.DataFrame({"c": ident["customer_id"].to_numpy(), "ch": channels})
    n_multi = int((per_customer.dropna().drop_duplicates().groupby("c").size() >= 2).sum())
    seen_ids = pd.DataFrame({"c": resolved[a_unit[a_unit < n]], "n": a_name[a_unit < n]}).drop_duplicates()
    n_merged = int((seen_ids.groupby("c").size() >= 2).sum()) if len(seen_ids) else 0
    conflicts = 0
    if table is not None:
        per_comp = pd.Series(comp[n:]).value_counts()
        conflicts = int((per_comp >= 2).sum())
    summary = {
        "n_contacts": n,
        "n_customers": int(value_frame["customer_id"].nunique()),
        "n_anonymous_contacts": int(anonymous.sum()),
        "n_multi_channel": n_multi,
        "n_merged_ids": n_merged,
        "n_shared_keys": int(shared.sum()),
        "n_conflicts": conflicts,
        "id_fields": list(fields),
        "max_customers_per_key": max_per_key,
    }
    return CustomerIdentities(
        contacts=out_contacts,
        shared_keys=shared_frame,
        values=value_frame,
        summary=summary,
        holdings=holdings,
        _anchors=anchor_map,
        _spaces=spaces,
    )


def _component_names(
    comp: np.ndarray,
    identified: np.ndarray,
    a_unit: np.ndarray,
    a_name: np.ndarray,
    a_space: np.ndarray,
    k_unit: np.ndarray,
    k_name: np.ndarray,
    n: int,
    m: int,
    table_ids: np.ndarray,
) -> pd.Series:
    """Component -> resolved customer id (table id, else commonest CRM id, else spaced id, else key).

    Candidates are ranked with integer keys only: (kind of name, minus how often the
    contacts carry it, the name's alphabetical rank), smallest first.
    """
    comps: list[np.ndarray] = []
    names: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    if m:
        comps.append(comp[n:])
        names.append(table_ids.astype(object))
        kinds.append(np.zeros(m, np.int64))
        counts.append(np.zeros(m, np.int64))
    from_contacts = a_unit < n
    if from_contacts.any():
        codes, uniques = pd.factorize(a_name[from_contacts])
        spaces = pd.Series(a_space[from_contacts]).groupby(codes).first().to_numpy(dtype=object)
        raw = np.array([u.split(_SEP, 1)[1] for u in uniques] + [""], dtype=object)[:-1]
        display = np.where((spaces == "") | (spaces == "account"), raw, spaces + ":" + raw)
        pair = pd.Series(comp[a_unit[from_contacts]] * (len(uniques) + 1) + codes).value_counts()
        pair_comp = pair.index.to_numpy() // (len(uniques) + 1)
        pair_code = pair.index.to_numpy() % (len(uniques) + 1)
        comps.append(pair_comp)
        names.append(display[pair_code])
        kinds.append(np.where(spaces[pair_code] == "", 1, np.where(spaces[pair_code] == "account", 3, 2)))
        counts.append(-pair.to_numpy(dtype=np.int64))
    if len(k_unit):
        comps.append(comp[k_unit])
        names.append(k_name.astype(object))
        kinds.append(np.full(len(k_unit), 4, np.int64))
        counts.append(np.zeros(len(k_unit), np.int64))
    if not comps:
        return pd.Series([], dtype=object)
    all_comp = np.concatenate(comps)
    all_name = np.concatenate(names)
    name_codes, name_uniques = pd.factorize(all_name)
    alphabetical = np.empty(len(name_uniques), np.int64)
    alphabetical[np.argsort(name_uniques.astype(str))] = np.arange(len(name_uniques))
    order = np.lexsort((alphabetical[name_codes], np.concatenate(counts), np.concatenate(kinds), all_comp))
    best = order[np.r_[True, all_comp[order][1:] != all_comp[order][:-1]]]
    return pd.Series(all_name[best], index=all_comp[best], dtype=object)


def _values(
    resolved: np.ndarray, identified: np.ndarray, n: int, table: pd.DataFrame | None
) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    """Segment, value and value source per identified customer, with the documented fall-backs."""
    customers_all = pd.unique(resolved[identified])
    out = pd.DataFrame({"customer_id": pd.array(customers_all.astype(str), dtype="string")})
    holdings: dict[str, tuple[str, ...]] = {}
    if table is None or not len(table):
        out["in_table"] = False
        out["segment"] = pd.array([None] * len(out), dtype="string")
        out["value"] = 1.0
        out["value_source"] = pd.array(["unweighted"] * len(out), dtype="string")
        return out.sort_values("customer_id", ignore_index=True), holdings
    m = len(table)
    t = pd.DataFrame(
        {
            "customer_id": resolved[n : n + m].astype(str),
            "segment": table["segment"].astype("string").to_numpy() if "segment" in table.columns else None,
            "value": pd.to_numeric(table["value"], errors="coerce").to_numpy(dtype=np.float64)
            if "value" in table.columns
            else np.nan,
        }
    )
    if "products" in table.columns:
        for cid, held in zip(t["customer_id"].tolist(), table["products"].tolist(), strict=True):
            if isinstance(held, (list, tuple, np.ndarray)) and len(held):
                before = holdings.get(cid)
                items = tuple(map(str, held))
                holdings[cid] = items if before is None else tuple(dict.fromkeys((*before, *items)))
    # one row per resolved customer: a conflict (two table rows) keeps the first row's figures
    t = t.drop_duplicates("customer_id")
    out = out.merge(t, on="customer_id", how="left")
    out["in_table"] = out["customer_id"].isin(set(t["customer_id"]))
    value = out["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    source = np.where(~np.isnan(value), "table", "").astype(object)
    known = t["value"].dropna()
    if len(known):
        seg_median = t.dropna(subset=["value"]).groupby("segment", dropna=True)["value"].median()
        from_segment = (
            out["segment"]
            .astype("object")
            .map(seg_median.to_dict())
            .to_numpy(dtype=np.float64, na_value=np.nan)
        )
        use_seg = np.isnan(value) & ~np.isnan(from_segment)
        value = np.where(use_seg, from_segment, value)
        source = np.where(use_seg, "segment_median", source)
        rest = np.isnan(value)
        value = np.where(rest, float(known.median()), value)
        source = np.where(rest, "table_median", source)
    else:
        value = np.ones(len(out))
        source = np.full(len(out), "unweighted", dtype=object)
    out["value"] = value
    out["value_source"] = pd.array(source.astype(str), dtype="string")
    out["segment"] = out["segment"].astype("string")
    out["customer_id"] = out["customer_id"].astype("string")
    out["in_table"] = out["in_table"].astype(bool)
    return out[["customer_id", "in_table", "segment", "value", "value_source"]].sort_values(
        "customer_id", ignore_index=True
    ), holdings


# -- the customers table --------------------------------------------------------------------

#: Columns of :func:`customers`, with their dtypes.
CUSTOMER_COLUMNS: dict[str, str] = {
    "customer_id": "string",
    "is_anonymous": "bool",
    "in_table": "bool",
    "segment": "string",
    "value": "float64",
    "value_source": "string",
    "value_decile": "Int64",
    "is_top_decile": "bool",
    "n_contacts": "int64",
    "n_channels": "int64",
    "channels": "object",
    "n_grievances": "int64",
    "n_grievance_contacts": "int64",
    "first_contact_at": "datetime64[ns, UTC]",
    "last_contact_at": "datetime64[ns, UTC]",
}


def customers(
    corpus: Corpus | pd.DataFrame | PreparedAnalysis,
    customers_table: pd.DataFrame | None = None,
    *,
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | None = None,
    identities: CustomerIdentities | None = None,
    include_silent: bool = True,
) -> pd.DataFrame:
    """The customers table: one row per customer, across channels, with segment and value.

    Customers come from :func:`resolve_customers` (pass ``identities=`` to reuse
    a resolution). Anonymous contacts are one row each (``is_anonymous``), with
    no value decile. Customers of the customers table who never got in touch are
    included with 0 contacts unless ``include_silent=False``. Value deciles are
    over every identified customer (1 = lowest tenth of value, 10 = top
    tenth; ties share a decile); they are ``<NA>`` when no value is known
    (``value_source == "unweighted"``). A customer's decile is
    ``ceil(10 * rank / n)``, the rank counting ties at their highest, so the
    top decile is the customers worth at least as much as 90% of customers.

    Columns (in this order):

    ========================  ======================  =============================================
    column                    dtype                   meaning
    ========================  ======================  =============================================
    ``customer_id``           string                  resolved id (``anonymous:<interaction id>``)
    ``is_anonymous``          bool                    no id or usable key: a unit of one contact
    ``in_table``              bool                    the customers table has this customer
    ``segment``               string                  from the customers table
    ``value``                 float64                 value, with fall-backs (see ``value_source``)
    ``value_source``          string                  ``table``, ``segment_median``,
                                                      ``table_median``, ``unweighted``
    ``value_decile``          Int64                   1-10 among identified customers
    ``is_top_decile``         bool                    ``value_decile == 10``
    ``n_contacts``            int64                   interactions
    ``n_channels``            int64                   distinct channels used
    ``channels``              object                  sorted list of channels
    ``n_grievances``          int64                   grievances (0 without ``grievances=``)
    ``n_grievance_contacts``  int64                   interactions with at least one grievance
    ``first_contact_at``      datetime64[ns, UTC]     first dated contact (NaT when none)
    ``last_contact_at``       datetime64[ns, UTC]     last dated contact
    ========================  ======================  =============================================

    ``attrs`` holds the identity summary (see :class:`CustomerIdentities`).

    Args:
        corpus: a Corpus, a frame like ``Corpus.to_frame()``, or a
            :class:`~hotline_insight.PreparedAnalysis` (then nothing else).
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        grievances: the grievances, to count them per customer.
        identities: a resolution to reuse (else one is made with default settings).
        include_silent: include table customers with no contact.

    Returns:
        One row per customer, identified customers first (by id), then anonymous units.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> contacts = pd.DataFrame({
        ...     "id": ["a", "b", "c"], "channel": ["call", "chat", "email"],
        ...     "customer_id": ["C1", "C1", None],
        ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-10"], utc=True),
        ... })
        >>> table = pd.DataFrame({"customer_id": ["C1", "C2"], "segment": ["gold", "basic"],
        ...                       "value": [900.0, 100.0]})
        >>> hi.customers(contacts, table)[["customer_id", "n_contacts", "channels", "value", "value_decile"]]
           customer_id  n_contacts      channels  value  value_decile
        0           C1           2  [call, chat]  900.0            10
        1           C2           0            []  100.0             5
        2  anonymous:c           1       [email]    NaN          <NA>
    """
    ctx = build_context(
        "customers", grievances, corpus=corpus, customers_table=customers_table, identities=identities
    )
    return _customers_frame(ctx, include_silent=include_silent)


def _unit_codes(contacts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each contact's unit (its customer, or itself when anonymous) as an int code, and the units by code.

    Codes number the units in order of first appearance; ``-1`` marks a contact
    with neither (none, as customers are resolved). An anonymous contact's unit
    is ``"anonymous:<interaction id>"``. Customers are encoded as stored (no
    Python str per contact), anonymous names made for those contacts only.
    """
    anonymous = contacts["is_anonymous"].to_numpy(dtype=bool)
    codes, uniques = pd.factorize(contacts["customer"])
    codes = codes.astype(np.int64, copy=False)
    names = uniques.to_numpy(dtype=object)
    anonymous_rows = np.flatnonzero(anonymous)
    # names as a fixed-width text array made them (it drops trailing NUL characters)
    ids = contacts["interaction_id"].iloc[anonymous_rows].astype(str).tolist()
    anonymous_names = np.array([_ANON + str(i).rstrip("\x00") for i in ids] + [""], dtype=object)[:-1]
    if any(str(n).startswith(_ANON) for n in names):  # a customer named like an anonymous unit
        unit = names[np.maximum(codes, 0)]
        unit[codes < 0] = None
        unit[anonymous_rows] = anonymous_names
        found, labels = pd.factorize(unit)
        return found.astype(np.int64, copy=False), np.asarray(labels, dtype=object)
    codes[anonymous_rows] = len(names) + np.arange(len(anonymous_rows))
    # renumber customers and anonymous contacts together, by the row each first appears in
    first_seen = np.full(len(names) + len(anonymous_rows), len(codes), dtype=np.int64)
    named = np.flatnonzero((codes >= 0) & (codes < len(names)))
    seen, first = np.unique(codes[named], return_index=True)
    first_seen[seen] = named[first]
    first_seen[len(names) :] = anonymous_rows
    order = np.argsort(first_seen, kind="stable")
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order), dtype=np.int64)
    unit_code = np.where(codes >= 0, renumber[np.maximum(codes, 0)], -1)
    labels = np.concatenate([np.asarray(names, dtype=object), anonymous_names])[order]
    return unit_code, labels


def _deciles(values: np.ndarray) -> np.ndarray:
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ranks = pd.Series(values).rank(method="max").to_numpy()
    return np.clip(np.ceil(10 * ranks / n).astype(np.int64), 1, 10)


def known_customers_of(identities: CustomerIdentities) -> pd.DataFrame:
    """The identified customers of :func:`customers` (silent ones included), with three of its columns.

    ``customer_id`` (string), ``segment`` (string) and ``is_top_decile``
    (bool): the same rows in the same order as the table's identified rows
    for the contacts the identities were resolved from, without counting
    contacts, grievances and channels per customer (and without a context:
    the quarterly report from a store has no rows for most contacts).
    """
    contacts = identities.contacts
    anonymous = contacts["is_anonymous"].to_numpy(dtype=bool)
    return _known(contacts["customer_id"].to_numpy(dtype=object)[~anonymous], identities)


def _known(customers: np.ndarray, identities: CustomerIdentities) -> pd.DataFrame:
    seen = pd.unique(customers)
    values = identities.values.set_index("customer_id")
    ids = _identified([c for c in seen if c is not None and c is not pd.NA], values, include_silent=True)
    v = values.reindex(pd.Index(ids, dtype=object))
    return pd.DataFrame(
        {
            "customer_id": pd.array(ids, dtype="string"),
            "segment": pd.array(v["segment"].to_numpy(), dtype="string"),
            "is_top_decile": _value_deciles(v) == 10,
        }
    )


def _identified(units: Iterable[Any], values: pd.DataFrame, *, include_silent: bool) -> list[Any]:
    """The identified units (anonymous ones left out), with the table's silent customers if asked, sorted."""
    found = {u for u in units if not str(u).startswith(_ANON)}
    if include_silent:
        found |= set(values.index[values["in_table"]].tolist())
    return sorted(found)


def _value_deciles(values: pd.DataFrame) -> np.ndarray:
    """The value decile (1-10) of each row of ``values`` (``value``, ``value_source``); NaN when unweighted."""
    decile = np.full(len(values), np.nan)
    weighted = values["value_source"].astype("object").fillna("unweighted").to_numpy() != "unweighted"
    if weighted.any():
        decile[weighted] = _deciles(values["value"].to_numpy(dtype=np.float64, na_value=np.nan)[weighted])
    return decile


def _customers_frame(ctx: Context, *, include_silent: bool) -> pd.DataFrame:
    contacts = ctx.contacts
    ident = ctx.identities
    unit_code, unit_names = _unit_codes(contacts)
    g_rows = ctx.grievances["row"].to_numpy(dtype=np.int64)
    n_g = (
        np.bincount(g_rows, minlength=len(contacts))
        if len(g_rows)
        else np.zeros(len(contacts), dtype=np.int64)
    )
    keep = unit_code >= 0
    frame = pd.DataFrame(
        {
            "unit": unit_code,
            "created_at": contacts["created_at"].array,
            "n_g": n_g,
            "has_g": (n_g > 0).astype(np.int64),
        }
    )[keep]
    grouped = frame.groupby("unit", sort=True)
    agg = pd.DataFrame(
        {
            "n_contacts": grouped.size(),
            "n_grievances": grouped["n_g"].sum(),
            "n_grievance_contacts": grouped["has_g"].sum(),
            "first_contact_at": grouped["created_at"].min(),
            "last_contact_at": grouped["created_at"].max(),
        }
    )
    group_codes = agg.index.to_numpy()
    agg.index = pd.Index(np.asarray(unit_names, dtype=object)[group_codes], dtype=object, name="unit")
    del frame, grouped
    # each unit's distinct channels, sorted: (unit, channel) int keys, channels numbered in their sort order
    channel_code, channel_uniques = sorted_codes(contacts["channel"])
    channel_names = np.array([str(u) for u in channel_uniques] + [""], dtype=object)[:-1]
    has_channel = keep & (channel_code >= 0)
    n_channel = max(len(channel_names), 1)
    pair = np.unique(unit_code[has_channel] * n_channel + channel_code[has_channel])
    del channel_code, has_channel, keep, unit_code
    pair_unit = pair // n_channel
    names = channel_names[pair % n_channel].tolist()
    starts = (
        np.flatnonzero(np.r_[True, pair_unit[1:] != pair_unit[:-1]]) if len(pair) else np.zeros(0, np.int64)
    )
    bounds = np.r_[starts, len(pair)].tolist()
    channel_lists: list[list[str]] = [[] for _ in range(len(unit_names))]
    for u, (a, b) in zip(pair_unit[starts].tolist(), itertools.pairwise(bounds), strict=True):
        channel_lists[u] = names[a:b]
    del pair, pair_unit, names
    agg["channels"] = [channel_lists[c] for c in group_codes.tolist()]
    del channel_lists
    values = ident.values.set_index("customer_id")
    identified_units = _identified(agg.index, values, include_silent=include_silent)
    anon_units = sorted(u for u in agg.index if str(u).startswith(_ANON))
    order = identified_units + anon_units
    out = agg.reindex(order)
    out.index.name = "customer_id"
    out = out.reset_index()
    n_ident = len(identified_units)
    is_anon = np.arange(len(out)) >= n_ident
    v = values.reindex(out["customer_id"].where(~pd.Series(is_anon), None))
    out["is_anonymous"] = is_anon
    out["in_table"] = v["in_table"].fillna(False).to_numpy(dtype=bool)
    out["segment"] = pd.array(v["segment"].to_numpy(), dtype="string")
    out["value"] = v["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    out["value_source"] = pd.array(v["value_source"].to_numpy(), dtype="string")
    decile = _value_deciles(v)  # anonymous rows have no values: unweighted, no decile
    out["value_decile"] = pd.array(np.where(np.isnan(decile), np.nan, decile), dtype="Float64").astype(
        "Int64"
    )
    out["is_top_decile"] = out["value_decile"].fillna(0).to_numpy() == 10
    for column in ("n_contacts", "n_grievances", "n_grievance_contacts"):
        out[column] = out[column].fillna(0).astype(np.int64)
    out["channels"] = [v if isinstance(v, list) else [] for v in out["channels"]]
    out["n_channels"] = np.fromiter((len(c) for c in out["channels"]), np.int64, len(out))
    for column in ("first_contact_at", "last_contact_at"):
        out[column] = pd.to_datetime(out[column], utc=True).astype("datetime64[ns, UTC]")
    out["customer_id"] = out["customer_id"].astype("string")
    out = out[list(CUSTOMER_COLUMNS)]
    out.attrs.update(ident.summary)
    return out


# -- history ----------------------------------------------------------------------------------

_PROMISE = re.compile(
    r"\b(?:i|we|someone|somebody|an engineer|a technician|the team|our team|my colleague|a colleague|"
    r"a specialist|tier 2|tier two|the engineer|they)\s*(?:'ll|’ll| will| shall| are going to| am going to|"
    r"'re going to|'m going to)\s+(?:\w+\s+){0,2}?"
    r"(call|ring|phone|get back|contact|send|post|refund|credit|reimburse|reverse|waive|escalate|raise|"
    r"arrange|book|schedule|visit|come out|email|e-mail|text|update|follow up|look into|investigate|"
    r"fix|replace|sort)\b",
    re.IGNORECASE,
)
_BOOKED = re.compile(
    r"\b(?:i've|i have|we've|we have|i’ve|we’ve)\s+(?:just\s+)?(?:booked|arranged|scheduled|requested|put in|"
    r"raised|logged)\s+(?:a |an |the )?(call ?back|callback|engineer|technician|visit|refund|credit|escalation)\b"
    r"|\byou(?:'ll|’ll| will| should)\s+(?:hear from|get a call|receive a call|get a call ?back)\b",
    re.IGNORECASE,
)
_BOOKED_KIND = {
    "call back": "call_back",
    "callback": "call_back",
    "callback ": "call_back",
    "engineer": "appointment",
    "technician": "appointment",
    "visit": "appointment",
    "refund": "refund_or_credit",
    "credit": "refund_or_credit",
    "escalation": "escalation",
}
_PROMISE_KIND = {
    "call": "call_back",
    "ring": "call_back",
    "phone": "call_back",
    "get back": "call_back",
    "contact": "call_back",
    "send": "send",
    "post": "send",
    "refund": "refund_or_credit",
    "credit": "refund_or_credit",
    "reimburse": "refund_or_credit",
    "reverse": "refund_or_credit",
    "waive": "refund_or_credit",
    "escalate": "escalation",
    "raise": "escalation",
    "arrange": "appointment",
    "book": "appointment",
    "schedule": "appointment",
    "visit": "appointment",
    "come out": "appointment",
    "email": "update",
    "e-mail": "update",
    "text": "update",
    "update": "update",
    "follow up": "follow_up",
    "look into": "follow_up",
    "investigate": "follow_up",
    "fix": "fix",
    "replace": "fix",
    "sort": "fix",
}
_DUE = re.compile(
    r"\b(today|tonight|tomorrow|within (?:the next )?(?:\d+|one|two|three|five|twenty[- ]four|forty[- ]eight|"
    r"seventy[- ]two) (?:working |business )?(?:hours?|days?)|(?:by )?(?:the )?end of (?:the )?(?:day|week)|"
    r"next week|this week|one working day|(?:on |by )?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday))\b",
    re.IGNORECASE,
)


def find_promises(text: str) -> list[tuple[str, str | None]]:
    """Promises an agent made in a turn: ``(kind, due)`` pairs from a closed vocabulary, never free text.

    Examples:
        >>> find_promises("I'll call you back within 24 hours. We will refund the fee.")
        [('call_back', 'within 24 hours'), ('refund_or_credit', None)]
        >>> find_promises("i've booked a call back for you, you should hear from an engineer by end of day saturday")
        [('call_back', 'by end of day')]
    """
    out: list[tuple[str, str | None]] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        found = [(m.start(), _PROMISE_KIND[m.group(1).lower()]) for m in _PROMISE.finditer(sentence)]
        for m in _BOOKED.finditer(sentence):
            word = (m.group(1) or "").lower()
            found.append((m.start(), _BOOKED_KIND.get(word, "call_back")))
        for start, kind in sorted(found):
            due = _DUE.search(sentence[start:])
            item = (
                kind,
                " ".join(due.group(1).lower().split()).replace("twenty four", "twenty-four") if due else None,
            )
            if item not in out:
                out.append(item)
    return out


@dataclass
class CustomerHistory:
    """One customer's interactions across channels, in time order, and what the next contact needs.

    Attributes:
        customer_id: the resolved id.
        interactions: one row per interaction, oldest first: ``interaction_id``
            string, ``created_at`` datetime64[ns, UTC], ``channel``,
            ``source_format``, ``status``, ``agent_id``, ``queue`` string,
            ``state`` string (``closed``, ``open`` or ``unknown``: from the
            source's status), ``n_grievances`` int64, ``themes``/``products``/
            ``policies`` object (lists, most mentioned first), ``max_intensity``
            float64 (NaN without grievances), ``is_repeat`` bool (the same
            problem, or a contact saying it is a follow-up, within the window
            of an earlier contact), ``repeat_of`` string, ``promises`` object
            (list of ``"kind"`` or ``"kind (due)"`` an agent promised).
        grievances: the customer's grievances (redacted text), oldest first.
        problems: one row per problem (``theme:...``, ``product:...``,
            ``policy:...``): ``problem`` string, ``first_at``/``last_at``
            datetime64[ns, UTC], ``n_contacts`` int64, ``n_returns`` int64 (how
            many times a contact about it came back about it within the
            window), ``last_state`` string, ``is_open`` bool (its last contact
            is not known to be closed: open, or a call or chat without status).
        promises: one row per promise: ``interaction_id`` string, ``at``
            datetime64[ns, UTC], ``kind`` string, ``due`` string,
            ``followed_by_complaint`` bool (the customer's next contact within
            the window says a promise was broken or the problem came back).
        summary: the short context: ``customer_id``, ``segment``, ``value``,
            ``n_contacts``, ``channels``, ``first_contact_at``,
            ``last_contact_at``, ``last_contact`` (dict: id, channel, state,
            themes, products, policies), ``open_problems`` (list),
            ``n_repeat_contacts``, ``returns`` (problem -> times it came back),
            ``open_promises`` (list of dicts).
    """

    customer_id: str
    interactions: pd.DataFrame
    grievances: pd.DataFrame
    problems: pd.DataFrame
    promises: pd.DataFrame
    summary: dict[str, Any]

    def __str__(self) -> str:
        s = self.summary
        lines = [
            f"Customer {s['customer_id']} ({s['segment'] or 'no segment'}, value {s['value']:.2f}): "
            f"{s['n_contacts']} contacts via {', '.join(s['channels']) or 'no channel'}",
        ]
        last = s["last_contact"]
        if last:
            lines.append(
                f"Last contact {last['created_at']} by {last['channel']} ({last['state']}): "
                f"{', '.join(last['themes']) or 'no grievance'}"
            )
        if s["open_problems"]:
            lines.append("Open problems: " + ", ".join(s["open_problems"]))
        if s["returns"]:
            lines.append("Came back: " + ", ".join(f"{k} x{v}" for k, v in s["returns"].items()))
        if s["open_promises"]:
            lines.append(
                "Promised: "
                + ", ".join(p["kind"] + (f" ({p['due']})" if p["due"] else "") for p in s["open_promises"])
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"CustomerHistory({self.customer_id!r}, {len(self.interactions)} interactions)"


def customer_history(
    corpus: Corpus | pd.DataFrame | PreparedAnalysis,
    grievances: Grievances | pd.DataFrame | PreparedAnalysis | None,
    customer_id: str,
    *,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    window: str | pd.Timedelta = "7D",
    transfer_window: str | pd.Timedelta = "15min",
) -> CustomerHistory:
    """A customer's interactions across all channels, in time order, with their grievances and context.

    ``customer_id`` may be the resolved id or any id a source uses for the
    customer (a requester id, an id in an id field); see
    :meth:`CustomerIdentities.customer_of`. Promises are read from agent turns
    (a Corpus is needed for that; a frame gives none) and reported as a kind
    (``call_back``, ``refund_or_credit``, ``escalation``, ``appointment``,
    ``send``, ``update``, ``follow_up``, ``fix``) and a due phrase from a
    fixed list (``tomorrow``, ``within 24 hours``, ...), never as free text.
    Undated interactions come last.

    Args:
        corpus: a Corpus (or a frame like ``Corpus.to_frame()``, which gives no promises),
            or a :class:`~hotline_insight.PreparedAnalysis` (then ``grievances=None``).
        grievances: the grievances of the corpus (or None).
        customer_id: the customer.
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a resolution to reuse.
        window: how soon a contact about the same problem counts as a repeat.
        transfer_window: contacts this close together are one contact (a transfer).

    Returns:
        The history.

    Raises:
        ConfigError: E555 when no customer has that id.

    Examples:
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> contacts = pd.DataFrame({
        ...     "id": ["a", "b"], "channel": ["call", "email"], "customer_id": ["C1", "C1"],
        ...     "status": [None, "open"],
        ...     "created_at": pd.to_datetime(["2026-01-05 10:00", "2026-01-08 09:00"], utc=True)})
        >>> found = pd.DataFrame({"interaction_id": ["a", "b"], "themes": [["billing_error"], ["billing_error"]]})
        >>> history = hi.customer_history(contacts, found, "C1")
        >>> history.interactions[["interaction_id", "is_repeat", "repeat_of"]]
          interaction_id  is_repeat repeat_of
        0              a      False      <NA>
        1              b       True         a
        >>> history.summary["open_problems"], history.summary["returns"]
        (['theme:billing_error'], {'theme:billing_error': 1})
    """
    from .repeats import _episodes

    func = "customer_history"
    ctx = build_context(
        func, grievances, corpus=corpus, customers_table=customers_table, identities=identities
    )
    target = _find_customer(ctx, customer_id, func)
    contacts = ctx.contacts
    mine = np.flatnonzero((contacts["customer"].astype("object") == target).to_numpy(dtype=bool))
    rep = _episodes(
        ctx,
        window=window,
        transfer_window=transfer_window,
        on=("theme", "product", "policy", "topic"),
        func=func,
        rows=mine,
    )
    order = (
        contacts.iloc[mine]
        .assign(_pos=mine)
        .sort_values(["created_at", "interaction_id"], na_position="last")
    )
    rows = order["_pos"].to_numpy()
    gf = ctx.grievances
    mine_g = gf[gf["row"].isin(set(rows.tolist()))]

    def ranked(column: str, positions: np.ndarray) -> list[list[str]]:
        out = []
        for r in positions:
            lists = mine_g.loc[mine_g["row"] == r, column]
            counts: dict[str, int] = {}
            for values in lists:
                for v in as_tuple(values):
                    counts[v] = counts.get(v, 0) + 1
            out.append(sorted(counts, key=lambda k: (-counts[k], k)))
        return out

    promises_by_row = _promises(ctx.records, contacts, rows)
    state = [_state(s) for s in order["status"].astype("object")]
    intensity = mine_g.groupby("row")["intensity"].max()
    n_g = mine_g.groupby("row").size()
    is_repeat = rep["row_is_repeat"].reindex(rows, fill_value=False).to_numpy(dtype=bool)
    repeat_of = rep["row_repeat_of"].reindex(rows).astype("object").to_numpy()
    interactions = pd.DataFrame(
        {
            "interaction_id": pd.array(order["interaction_id"].to_numpy(), dtype="string"),
            "created_at": order["created_at"].to_numpy(),
            "channel": pd.array(order["channel"].to_numpy(), dtype="string"),
            "source_format": pd.array(order["source_format"].to_numpy(), dtype="string"),
            "status": pd.array(order["status"].to_numpy(), dtype="string"),
            "agent_id": pd.array(order["agent_id"].to_numpy(), dtype="string"),
            "queue": pd.array(order["queue"].to_numpy(), dtype="string"),
            "state": pd.array(state, dtype="string"),
            "n_grievances": n_g.reindex(rows, fill_value=0).to_numpy(dtype=np.int64),
            "themes": ranked("themes", rows),
            "products": ranked("products", rows),
            "policies": ranked("policies", rows),
            "max_intensity": intensity.reindex(rows).to_numpy(dtype=np.float64, na_value=np.nan),
            "is_repeat": is_repeat,
            "repeat_of": pd.array(
                [None if v is None or v is pd.NA else v for v in repeat_of], dtype="string"
            ),
            "promises": [
                [k + (f" ({d})" if d else "") for k, d in promises_by_row.get(int(r), [])] for r in rows
            ],
        }
    )
    interactions["created_at"] = pd.to_datetime(interactions["created_at"], utc=True).astype(
        "datetime64[ns, UTC]"
    )
    problems = _problems(rep, interactions, rows)
    promises = _promise_frame(promises_by_row, interactions, rows, rep, window, func)
    g_out = mine_g.drop(columns=["row"]).sort_values(["created_at", "interaction_id"], na_position="last")
    value_row = ctx.identities.values.set_index("customer_id").reindex([target])
    dated = interactions.dropna(subset=["created_at"])
    last = dated.iloc[-1] if len(dated) else (interactions.iloc[-1] if len(interactions) else None)
    summary: dict[str, Any] = {
        "customer_id": target,
        "segment": None if value_row["segment"].isna().iloc[0] else str(value_row["segment"].iloc[0]),
        "value": float(value_row["value"].iloc[0]),
        "n_contacts": len(interactions),
        "channels": sorted(set(interactions["channel"].dropna().tolist())),
        "first_contact_at": dated["created_at"].min() if len(dated) else None,
        "last_contact_at": dated["created_at"].max() if len(dated) else None,
        "last_contact": None
        if last is None
        else {
            "interaction_id": last["interaction_id"],
            "created_at": last["created_at"],
            "channel": last["channel"],
            "state": last["state"],
            "themes": list(last["themes"]),
            "products": list(last["products"]),
            "policies": list(last["policies"]),
        },
        "open_problems": problems.loc[problems["is_open"], "problem"].tolist(),
        "n_repeat_contacts": int(interactions["is_repeat"].sum()),
        "returns": {
            p: int(k) for p, k in zip(problems["problem"], problems["n_returns"], strict=True) if k > 0
        },
        "open_promises": [
            {
                "interaction_id": r.interaction_id,
                "at": r.at,
                "kind": r.kind,
                "due": None if pd.isna(cast(Any, r.due)) else r.due,
            }
            for r in promises.itertuples()
            if not r.followed_by_complaint
        ],
    }
    return CustomerHistory(
        customer_id=target,
        interactions=interactions,
        grievances=g_out.reset_index(drop=True),
        problems=problems,
        promises=promises,
        summary=summary,
    )


def _find_customer(ctx: Context, customer_id: str, func: str) -> str:
    if not isinstance(customer_id, str) or not customer_id:
        raise ConfigError(
            Errors.E550.format(
                name="customer_id", func=func, expected="a customer id (str)", value=customer_id
            )
        )
    known = set(ctx.contacts["customer"].dropna().astype(str))
    if customer_id in known:
        return customer_id
    found = ctx.identities.customer_of(customer_id)
    if found is None:
        for space in sorted(set(ctx.identities._spaces.values())):
            found = ctx.identities._anchors.get(f"{space}{_SEP}{customer_id}")
            if found is not None:
                break
    if found is None or found not in known:
        raise ConfigError(Errors.E555.format(func=func, value=scrub(customer_id)))
    return found


def _state(status: Any) -> str:
    if status is None or status is pd.NA or (isinstance(status, float) and np.isnan(status)):
        return "unknown"
    return "closed" if str(status).strip().lower() in CLOSED_STATUSES else "open"


def _promises(
    corpus: Any, contacts: pd.DataFrame, rows: np.ndarray
) -> dict[int, list[tuple[str, str | None]]]:
    if corpus is None:
        return {}
    wanted = {
        (str(contacts["interaction_id"].iat[r]), str(contacts["source_format"].iat[r])): int(r) for r in rows
    }
    out: dict[int, list[tuple[str, str | None]]] = {}
    for rec in corpus:
        r = wanted.get((rec.id, rec.source.format))
        if r is None:
            continue
        found: list[tuple[str, str | None]] = []
        for turn in rec.turns:
            if turn.role == "agent":
                for item in find_promises(turn.text):
                    if item not in found:
                        found.append(item)
        if found:
            out[r] = found
    return out


def _problems(rep: dict[str, Any], interactions: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    long = rep["long"]
    columns = {
        "problem": pd.array([], dtype="string"),
        "first_at": pd.to_datetime(pd.Series([], dtype="datetime64[ns]"), utc=True),
        "last_at": pd.to_datetime(pd.Series([], dtype="datetime64[ns]"), utc=True),
        "n_contacts": np.zeros(0, np.int64),
        "n_returns": np.zeros(0, np.int64),
        "last_state": pd.array([], dtype="string"),
        "is_open": np.zeros(0, bool),
    }
    if not len(long):
        return pd.DataFrame(columns)
    state_of = dict(zip(rows.tolist(), interactions["state"].astype(str).tolist(), strict=True))
    long = long.sort_values(["problem", "started_at", "first_row"])
    long = long.assign(
        _same=long["is_repeat"].to_numpy(dtype=bool) & (long["via"] == "same_problem").to_numpy(dtype=bool)
    )
    grouped = long.groupby("problem", sort=True)
    last_rows = grouped["first_row"].last()
    out = pd.DataFrame(
        {
            "problem": pd.array(grouped.size().index.to_numpy(), dtype="string"),
            "first_at": grouped["started_at"].min().to_numpy(),
            "last_at": grouped["started_at"].max().to_numpy(),
            "n_contacts": grouped.size().to_numpy(dtype=np.int64),
            "n_returns": grouped["_same"].sum().to_numpy(dtype=np.int64),
            "last_state": pd.array([state_of.get(int(r), "unknown") for r in last_rows], dtype="string"),
        }
    )
    out["is_open"] = (out["last_state"] != "closed").to_numpy(dtype=bool)
    for column in ("first_at", "last_at"):
        out[column] = pd.to_datetime(out[column], utc=True).astype("datetime64[ns, UTC]")
    return out


def _promise_frame(
    by_row: dict[int, list[tuple[str, str | None]]],
    interactions: pd.DataFrame,
    rows: np.ndarray,
    rep: dict[str, Any],
    window: Any,
    func: str,
) -> pd.DataFrame:
    followed = rep["row_followed_by_followup"]
    records = []
    for pos, r in enumerate(rows):
        for kind, due in by_row.get(int(r), []):
            records.append(
                {
                    "interaction_id": interactions["interaction_id"].iat[pos],
                    "at": interactions["created_at"].iat[pos],
                    "kind": kind,
                    "due": due,
                    "followed_by_complaint": bool(followed.get(int(r), False)),
                }
            )
    frame = pd.DataFrame(records, columns=["interaction_id", "at", "kind", "due", "followed_by_complaint"])
    frame["interaction_id"] = frame["interaction_id"].astype("string")
    frame["at"] = pd.to_datetime(frame["at"], utc=True).astype("datetime64[ns, UTC]")
    frame["kind"] = frame["kind"].astype("string")
    frame["due"] = frame["due"].astype("string")
    frame["followed_by_complaint"] = frame["followed_by_complaint"].astype(bool)
    return frame

"""Inputs of the analytics functions, normalised to frames, and the helpers they share.

Every analysis works on two frames:

* contacts: one row per interaction (the unit counted as a "contact"), from a
  :class:`~hotline_insight.corpus.Corpus`, a frame like ``Corpus.to_frame()``,
  or, without a corpus, from the grievances themselves;
* grievances: one row per grievance, from :class:`~hotline_insight.grievances.Grievances`
  or a frame like ``Grievances.to_frame()``, with ``row`` pointing at its contact.

A *dimension* is what a table is broken down by: a grievance list (``theme``,
``product``, ``policy``, ``facet``), the ``topic``, or a contact field
(``channel``, ``queue``, ``segment``, ``source_format``, ``agent_id``,
``category``, ``status``, ``source_product``, any other column of a contacts
frame, or ``meta.<field>[.<sub>]``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from ..errors import ConfigError, Errors, Warnings, scrub, warn

if TYPE_CHECKING:
    from ..catalog import Catalog
    from .customers import CustomerIdentities

Freq = Literal["week", "month", "quarter"]
FREQS: tuple[str, ...] = ("week", "month", "quarter")

#: grievance list columns, by dimension name
LIST_DIMS: dict[str, str] = {
    "theme": "themes",
    "product": "products",
    "policy": "policies",
    "facet": "facets",
}
#: contact fields usable as a dimension without a corpus column of that name
CONTACT_DIMS: tuple[str, ...] = (
    "channel",
    "source_format",
    "queue",
    "agent_id",
    "segment",
    "category",
    "status",
    "source_product",
)
#: statuses read as closed (compared lower-case)
CLOSED_STATUSES = frozenset({"solved", "closed", "resolved", "completed", "done", "cancelled", "canceled"})

_CONTACT_COLUMNS: dict[str, str] = {
    "interaction_id": "string",
    "source_format": "string",
    "channel": "string",
    "created_at": "datetime64[ns, UTC]",
    "customer_id": "string",
    "customer_keys": "object",
    "status": "string",
    "agent_id": "string",
    "queue": "string",
    "source_product": "string",
    "category": "string",
    "satisfaction_score": "float64",
    "satisfaction_scale": "string",
    "meta": "object",
}


def check_choice(func: str, name: str, value: Any, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ConfigError(
            Errors.E550.format(
                name=name, func=func, expected="one of " + ", ".join(repr(c) for c in choices), value=value
            )
        )


def check_number(
    func: str,
    name: str,
    value: Any,
    *,
    low: float,
    high: float = np.inf,
    integer: bool = False,
    low_open: bool = False,
) -> None:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if ok and integer:
        ok = float(value).is_integer()
    if ok:
        ok = (value > low if low_open else value >= low) and value <= high and np.isfinite(value)
    if not ok:
        kind = "an int" if integer else "a number"
        bracket = "(" if low_open else "["
        upper = "inf)" if high == np.inf else f"{high:g}]"
        raise ConfigError(
            Errors.E550.format(
                name=name, func=func, expected=f"{kind} in the range {bracket}{low:g}, {upper}", value=value
            )
        )


def to_timedelta(func: str, name: str, value: Any) -> pd.Timedelta:
    """A non-negative duration from a Timedelta, timedelta, or a string such as ``'7D'``, ``'15min'``."""
    try:
        out = pd.Timedelta(value)
    except (ValueError, TypeError):
        out = None
    if out is None or pd.isna(out) or out < pd.Timedelta(0):
        raise ConfigError(
            Errors.E550.format(
                name=name, func=func, expected="a non-negative duration such as '7D' or '15min'", value=value
            )
        )
    return out


def to_timestamp(func: str, name: str, value: Any) -> pd.Timestamp:
    """A UTC timestamp from a date, datetime, Timestamp or ISO string (naive values are UTC)."""
    try:
        out = pd.Timestamp(value)
    except (ValueError, TypeError):
        out = None
    if out is None or pd.isna(out):
        raise ConfigError(
            Errors.E550.format(
                name=name, func=func, expected="a date or time such as '2026-04-01'", value=value
            )
        )
    return out.tz_localize("UTC") if out.tzinfo is None else out.tz_convert("UTC")


# -- contacts -------------------------------------------------------------------------------


def _queue(meta: Mapping[str, Any] | None) -> str | None:
    if not meta:
        return None
    value = meta.get("queue")
    if isinstance(value, Mapping):
        value = value.get("name")
    return str(value) if value not in (None, "") else None


def contacts_from_corpus(corpus: Iterable[Any]) -> pd.DataFrame:
    """One row per interaction, with the columns the analytics need (see ``_CONTACT_COLUMNS``)."""
    cols: dict[str, list[Any]] = {name: [] for name in _CONTACT_COLUMNS}
    for rec in corpus:
        sat = rec.satisfaction
        meta = rec.meta
        cols["interaction_id"].append(rec.id)
        cols["source_format"].append(rec.source.format)
        cols["channel"].append(rec.channel)
        cols["created_at"].append(rec.created_at)
        cols["customer_id"].append(rec.customer_id)
        cols["customer_keys"].append(rec.customer_keys)
        cols["status"].append(rec.status)
        cols["agent_id"].append(rec.agent_id)
        cols["queue"].append(_queue(meta))
        cols["source_product"].append(rec.product)
        cols["category"].append(rec.category)
        cols["satisfaction_score"].append(sat.score if sat is not None and sat.score is not None else np.nan)
        cols["satisfaction_scale"].append(sat.scale if sat is not None else None)
        cols["meta"].append(meta)
    return _typed(pd.DataFrame(cols))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column, dtype in _CONTACT_COLUMNS.items():
        if dtype.startswith("datetime64"):
            frame[column] = pd.to_datetime(frame[column], utc=True).astype("datetime64[ns, UTC]")
        elif dtype != "object":
            frame[column] = astype(frame[column], dtype)
    return frame


def contacts_from_frame(frame: pd.DataFrame, func: str) -> pd.DataFrame:
    """Contacts from a frame shaped like ``Corpus.to_frame()`` (``id`` or ``interaction_id`` required)."""
    idcol = "interaction_id" if "interaction_id" in frame.columns else "id" if "id" in frame.columns else None
    if idcol is None:
        raise ConfigError(
            Errors.E551.format(
                func=func,
                what="an id for each interaction",
                frame="corpus",
                column="id",
                columns=_columns(frame),
            )
        )
    n = len(frame)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    out["interaction_id"] = frame[idcol].astype("string").array
    renames = {"product": "source_product"}
    for column in _CONTACT_COLUMNS:
        if column == "interaction_id":
            continue
        source = next((c for c, t in renames.items() if t == column and c in frame.columns), column)
        if source in frame.columns:
            out[column] = frame[source].array
        elif column == "customer_keys":
            out[column] = pd.Series([()] * n, dtype="object")
        elif column == "meta":
            out[column] = pd.Series([None] * n, dtype="object")
        elif column == "satisfaction_score":
            out[column] = np.nan
        else:
            out[column] = None
    if "queue" not in frame.columns and "meta" in frame.columns:
        out["queue"] = [_queue(m if isinstance(m, Mapping) else None) for m in frame["meta"]]
    extra = [c for c in frame.columns if c not in out.columns and c not in (idcol, "product", "id")]
    for column in extra:
        out[column] = frame[column].array
    if out["interaction_id"].isna().any():
        raise ConfigError(
            Errors.E551.format(
                func=func,
                what="an id for each interaction",
                frame="corpus",
                column=idcol,
                columns=_columns(frame),
            )
        )
    return _typed(out)


def _columns(frame: pd.DataFrame) -> str:
    names = [str(c) for c in frame.columns]
    shown = ", ".join(repr(c) for c in names[:15])
    return shown + (f", ... ({len(names)} in all)" if len(names) > 15 else "") if names else "none"


def as_contacts(corpus: Any, func: str) -> pd.DataFrame:
    if isinstance(corpus, pd.DataFrame):
        return contacts_from_frame(corpus, func)
    from ..corpus import Corpus

    if isinstance(corpus, Corpus) or (
        isinstance(corpus, (list, tuple)) and all(hasattr(x, "turns") for x in corpus)
    ):
        return contacts_from_corpus(corpus)
    raise ConfigError(
        Errors.E550.format(
            name="corpus",
            func=func,
            expected="a Corpus, a list of Interactions or a DataFrame",
            value=type(corpus).__name__,
        )
    )


def apply_clock_offsets(contacts: pd.DataFrame, offsets: Mapping[str, Any] | None, func: str) -> None:
    """Shift ``created_at`` of each source format by a known clock offset (in place).

    An offset says how far the source's clock runs ahead: ``{"zendesk_json": "5min"}``
    moves Zendesk times five minutes back.
    """
    if not offsets:
        return
    for fmt, value in offsets.items():
        delta = pd.Timedelta(value) if not isinstance(value, pd.Timedelta) else value
        if pd.isna(delta):
            raise ConfigError(
                Errors.E550.format(
                    name="clock_offsets", func=func, expected="durations such as '5min' or '-2h'", value=value
                )
            )
        mask = (contacts["source_format"] == fmt).fillna(False).to_numpy(dtype=bool)
        contacts.loc[mask, "created_at"] = contacts.loc[mask, "created_at"] - delta


# -- grievances -----------------------------------------------------------------------------

_GRIEVANCE_DEFAULTS: dict[str, Any] = {
    "source_format": None,
    "created_at": pd.NaT,
    "customer_id": None,
    "channel": None,
    "topic": pd.NA,
    "intensity": np.nan,
}


def as_grievances(grievances: Any, func: str) -> pd.DataFrame:
    """A grievance frame with every column the analytics read, lists as tuples-or-lists."""
    from ..grievances import Grievances

    if isinstance(grievances, Grievances):
        frame = grievances.to_frame()
    elif isinstance(grievances, pd.DataFrame):
        frame = grievances
    else:
        raise ConfigError(
            Errors.E550.format(
                name="grievances",
                func=func,
                expected="Grievances or a DataFrame like Grievances.to_frame()",
                value=type(grievances).__name__,
            )
        )
    if "interaction_id" not in frame.columns:
        raise ConfigError(
            Errors.E551.format(
                func=func,
                what="the interaction of each grievance",
                frame="grievances",
                column="interaction_id",
                columns=_columns(frame),
            )
        )
    n = len(frame)
    if frame["interaction_id"].isna().any():
        raise ConfigError(
            Errors.E551.format(
                func=func,
                what="the interaction of each grievance",
                frame="grievances",
                column="interaction_id",
                columns=_columns(frame),
            )
        )
    out = pd.DataFrame(index=pd.RangeIndex(n))
    ids = frame["interaction_id"]
    is_text = pd.api.types.is_string_dtype(ids.dtype) or ids.dtype == object
    out["interaction_id"] = ids.array if is_text else ids.astype(str).array
    for column, default in _GRIEVANCE_DEFAULTS.items():
        out[column] = frame[column].array if column in frame.columns else default
    # list columns are kept as given (lists, tuples or arrays); grievance_values reads
    # anything else (None, NaN, a single string) through as_tuple
    for column in (*LIST_DIMS.values(), "product_methods", "policy_methods", "cues"):
        if column in frame.columns:
            out[column] = frame[column].array
        else:
            empty = np.empty(n, dtype=object)
            empty[:] = [()] * n
            out[column] = empty
    extra = [c for c in frame.columns if c not in out.columns]
    for column in extra:
        out[column] = frame[column].array
    out["created_at"] = pd.to_datetime(out["created_at"], utc=True).astype("datetime64[ns, UTC]")
    out["topic"] = (
        astype(pd.to_numeric(out["topic"], errors="coerce"), "Float64").astype("Int64")
        if (out["topic"].dtype != "Int64")
        else out["topic"]
    )
    out["intensity"] = pd.to_numeric(out["intensity"], errors="coerce").astype("float64")
    return out


def as_tuple(value: Any) -> Any:
    """A list-like cell as it is; anything else (None, NaN, a string) through :func:`_as_list`."""
    if type(value) in (list, tuple):
        return value
    return _as_list(value)


def _as_list(value: Any) -> tuple[Any, ...]:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ()
    if isinstance(value, np.ndarray):
        return tuple(value.tolist())
    if isinstance(value, str):
        return (value,)
    return tuple(value)


# -- context --------------------------------------------------------------------------------


@dataclass
class Context:
    """Contacts and grievances joined, with each contact's resolved customer."""

    contacts: pd.DataFrame
    grievances: pd.DataFrame
    identities: CustomerIdentities
    has_corpus: bool
    func: str
    notes: list[str] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict)
    records: Any = None  # the Corpus (or list of Interactions) given, for what only records hold (turn text)
    has_holding_links: bool = False
    n_holding_links: int = 0
    """Grievances given products through their customer's holdings (:func:`attribute_holdings`)."""

    @property
    def data_start(self) -> pd.Timestamp | None:
        ts = self.contacts["created_at"]
        return None if ts.isna().all() else ts.min()

    @property
    def data_end(self) -> pd.Timestamp | None:
        ts = self.contacts["created_at"]
        return None if ts.isna().all() else ts.max()


def build_context(
    func: str,
    grievances: Any = None,
    *,
    corpus: Any = None,
    customers_table: pd.DataFrame | None = None,
    identities: CustomerIdentities | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
) -> Context:
    """Normalise the inputs, join grievances to contacts and resolve customers.

    A :class:`~hotline_insight.analytics.prepare.PreparedAnalysis` given as
    ``grievances`` or ``corpus`` is used as it is (its context, shared);
    the other inputs must then be left out.
    """
    import dataclasses

    from .customers import CustomerIdentities, resolve_customers
    from .prepare import PreparedAnalysis

    prepared = [x for x in (grievances, corpus) if isinstance(x, PreparedAnalysis)]
    if prepared:
        extra = {
            "corpus": corpus if not isinstance(corpus, PreparedAnalysis) else None,
            "grievances": grievances if not isinstance(grievances, PreparedAnalysis) else None,
            "customers_table": customers_table,
            "identities": identities,
            "clock_offsets": clock_offsets,
            "catalog": catalog,
        }
        given = [name for name, value in extra.items() if value is not None]
        if given:
            raise ConfigError(
                Errors.E550.format(
                    name=given[0],
                    func=func,
                    expected="left out when the inputs come prepared (pass it to prepare_analysis())",
                    value=type(extra[given[0]]).__name__,
                )
            )
        return dataclasses.replace(prepared[0]._context, func=func)

    gf = (
        as_grievances(grievances, func)
        if grievances is not None
        else as_grievances(pd.DataFrame({"interaction_id": []}), func)
    )
    if corpus is not None:
        contacts = as_contacts(corpus, func)
        has_corpus = True
    else:
        contacts = _contacts_from_grievances(gf)
        has_corpus = False
    apply_clock_offsets(contacts, clock_offsets, func)
    rows = _join(gf, contacts, func)
    missing = rows < 0
    if missing.any():
        added = _contacts_from_grievances(gf.loc[missing])
        apply_clock_offsets(added, clock_offsets, func)
        warn(Warnings.W304.format(func=func, n=int(missing.sum()), n_contacts=len(added)), stacklevel=4)
        contacts = pd.concat([contacts, added], ignore_index=True)
        rows = _join(gf, contacts, func)
    gf["row"] = rows
    # a grievance is dated by its contact (the time clock offsets correct), else by its own time
    if len(gf):
        contact_time = contacts["created_at"].iloc[rows].reset_index(drop=True)
        gf["created_at"] = contact_time.fillna(gf["created_at"].reset_index(drop=True)).array
    if identities is None:
        identities = resolve_customers(contacts, customers_table=customers_table, func=func)
    elif not isinstance(identities, CustomerIdentities):
        raise ConfigError(
            Errors.E550.format(
                name="identities",
                func=func,
                expected="the result of hi.resolve_customers()",
                value=type(identities).__name__,
            )
        )
    identities.attach(contacts, customers_table=customers_table)
    records = corpus if corpus is not None and not isinstance(corpus, pd.DataFrame) else None
    ctx = Context(
        contacts=contacts,
        grievances=gf,
        identities=identities,
        has_corpus=has_corpus,
        func=func,
        records=records,
    )
    if catalog is not None:
        attribute_holdings(ctx, catalog)
    return ctx


def _contacts_from_grievances(gf: pd.DataFrame) -> pd.DataFrame:
    keys = ["interaction_id", "source_format"]
    first = gf.assign(source_format=gf["source_format"].fillna("")).drop_duplicates(keys, keep="first")
    out = pd.DataFrame(
        {
            "interaction_id": first["interaction_id"].array,
            "source_format": first["source_format"].replace("", pd.NA).array,
            "channel": first["channel"].array,
            "created_at": first["created_at"].array,
            "customer_id": first["customer_id"].array,
        }
    )
    n = len(out)
    out["customer_keys"] = pd.Series([()] * n, dtype="object")
    out["meta"] = pd.Series([None] * n, dtype="object")
    for column in ("status", "agent_id", "queue", "source_product", "category", "satisfaction_scale"):
        out[column] = None
    out["satisfaction_score"] = np.nan
    return _typed(out[list(_CONTACT_COLUMNS)])


def _join(gf: pd.DataFrame, contacts: pd.DataFrame, func: str) -> np.ndarray:
    """The contacts row of each grievance (-1 where its interaction is not among the contacts)."""
    n = len(gf)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    id_index = pd.Index(contacts["interaction_id"].to_numpy(dtype=object))
    if id_index.is_unique:
        # one interaction per id: the id alone joins (the usual case, and the fast one)
        return np.asarray(
            id_index.get_indexer(pd.Index(gf["interaction_id"].to_numpy(dtype=object))), dtype=np.int64
        )
    ids = contacts["interaction_id"].astype("string")
    pair_index = pd.Index(pair_keys(contacts["interaction_id"], contacts["source_format"]))
    out = np.full(n, -1, dtype=np.int64)
    g_ids = gf["interaction_id"].astype("string")
    has_fmt = (gf["source_format"].astype("string").fillna("") != "").to_numpy(dtype=bool)
    if has_fmt.any():
        # a pair met twice (one interaction stored twice) joins its first row
        first = ~pair_index.duplicated(keep="first")
        wanted = pd.Index(pair_keys(gf["interaction_id"], gf["source_format"])[has_fmt])
        found = pair_index[first].get_indexer(wanted)
        out[has_fmt] = np.where(found >= 0, np.flatnonzero(first)[np.maximum(found, 0)], -1)
    need = ~has_fmt | (out < 0)
    if need.any():
        id_index = pd.Index(ids.astype(object))
        dup = id_index.duplicated(keep=False)
        wanted_ids = pd.Index(g_ids[need].astype(object))
        if dup.any():
            ambiguous = set(id_index[dup]) & set(wanted_ids)
            if ambiguous:
                listing = ", ".join(scrub(x, mask_digits=False) for x in sorted(ambiguous)[:5])
                raise ConfigError(Errors.E554.format(func=func, n=len(ambiguous), listing=listing))
            positions = np.flatnonzero(~dup)
            found = id_index[~dup].get_indexer(wanted_ids)
            out[need] = np.where(found >= 0, positions[np.maximum(found, 0)], -1)
        else:
            out[need] = id_index.get_indexer(wanted_ids)
    return out


_SEP = "\x1f"


def pair_keys(ids: pd.Series, formats: pd.Series) -> np.ndarray:
    """Per row, ``id`` + a separator + ``source_format`` (empty when missing), as object str.

    The key that tells apart two sources' interactions with the same id: the
    contacts join matches on it when ids repeat, and contacts made of orphan
    grievances are one per key.
    """
    keys = ids.astype("string").fillna("") + _SEP + formats.astype("string").fillna("")
    return np.asarray(keys.to_numpy(dtype=object), dtype=object)


def holdings_note(n_added: int) -> str:
    """What a table says of the grievances :func:`attribute_holdings` linked."""
    return f"{n_added} grievance(s) linked to products through the customer's holdings"


def attribute_holdings(ctx: Context, catalog: Catalog) -> None:
    """Give a grievance that names a policy but no product the products its customer holds.

    Only products the policy applies to (``Policy.products`` in the catalog)
    are attributed; the link method is ``"holding"``. Customers come from the
    customers table's ``products`` column (see :func:`~hotline_insight.read_customers`).
    """
    holdings = ctx.identities.holdings
    if holdings is None or not len(holdings):
        return
    gf = ctx.grievances
    policy_products = {p.id: set(p.products) for p in catalog.policies}
    customers = ctx.contacts["customer"].to_numpy(dtype=object)[gf["row"].to_numpy()]
    products = np.array([as_tuple(v) for v in gf["products"].to_numpy(dtype=object)] + [None], dtype=object)[
        :-1
    ]
    policies = np.array([as_tuple(v) for v in gf["policies"].to_numpy(dtype=object)] + [None], dtype=object)[
        :-1
    ]
    methods = np.array(
        [as_tuple(v) for v in gf["product_methods"].to_numpy(dtype=object)] + [None], dtype=object
    )[:-1]
    new_products = list(products)
    new_methods = list(methods)
    n_added = 0
    for i in np.flatnonzero([len(p) == 0 and len(q) > 0 for p, q in zip(products, policies, strict=True)]):
        held = holdings.get(customers[i]) if customers[i] is not None and customers[i] is not pd.NA else None
        if not held:
            continue
        wanted = set().union(*(policy_products.get(p, set()) for p in policies[i]))
        linked = [p for p in held if p in wanted]
        if linked:
            new_products[i] = tuple(linked)
            new_methods[i] = ("holding",) * len(linked)
            n_added += 1
    ctx.cache.pop("product", None)
    gf["products"] = pd.Series(new_products, dtype="object", index=gf.index)
    gf["product_methods"] = pd.Series(new_methods, dtype="object", index=gf.index)
    ctx.notes.append(holdings_note(n_added))
    ctx.has_holding_links = n_added > 0
    ctx.n_holding_links = n_added


# -- dimensions -----------------------------------------------------------------------------


def check_dims(func: str, by: str | Sequence[str], ctx: Context | None = None) -> tuple[str, ...]:
    dims = (by,) if isinstance(by, str) else tuple(by)
    if not dims or not all(isinstance(d, str) and d for d in dims):
        raise ConfigError(
            Errors.E550.format(name="by", func=func, expected="a dimension name or a tuple of them", value=by)
        )
    if len(set(dims)) != len(dims):
        raise ConfigError(
            Errors.E550.format(name="by", func=func, expected="distinct dimension names", value=by)
        )
    if ctx is not None:
        for dim in dims:
            if dim in LIST_DIMS or dim == "topic" or dim in CONTACT_DIMS or dim.startswith("meta."):
                continue
            if dim in ctx.contacts.columns and dim not in ("meta", "customer_keys", "created_at"):
                continue
            expected = ", ".join([*LIST_DIMS, "topic", *CONTACT_DIMS, "'meta.<field>'", "a contacts column"])
            raise ConfigError(Errors.E552.format(func=func, value=dim, expected=expected))
    return dims


def _meta_value(meta: Any, path: Sequence[str]) -> Any:
    value = meta
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    if value is None or isinstance(value, (Mapping, list, tuple)):
        return None
    return str(value)


def contact_values(ctx: Context, dim: str) -> np.ndarray:
    """The value of a contact-level dimension for every contact (object array, None where missing)."""
    contacts = ctx.contacts
    if dim.startswith("meta."):
        path = dim[5:].split(".")
        return np.array([_meta_value(m, path) for m in contacts["meta"].to_numpy()], dtype=object)
    if dim not in contacts.columns:
        return np.full(len(contacts), None, dtype=object)
    series = contacts[dim]
    values = series.astype("object").to_numpy()
    mask = series.isna().to_numpy()
    return np.array([None if m else str(v) for v, m in zip(values, mask, strict=True)], dtype=object)


@dataclass(frozen=True)
class DimValues:
    """One dimension's values per grievance, in the compact form the context caches.

    Row ``i`` says grievance ``g[i]`` has the value ``names[code[i]]``; ``g``
    is ascending (a grievance's values keep their order of appearance), each
    ``(g, code)`` pair appears once. Positions and codes are int32 when they
    fit (int64 otherwise): no object column, so a long dimension costs 8 bytes
    a row while it is cached.

    Attributes:
        g: grievance positions (rows of ``Context.grievances``), ascending.
        code: each row's value, as a position in ``names``.
        names: the dimension's distinct values, as str (object array), by code.

    Examples:
        >>> import numpy as np
        >>> values = DimValues(np.array([0, 0, 2]), np.array([0, 1, 0]), np.array(["fee", "outage"], dtype=object))
        >>> len(values), values.names[values.code].tolist()
        (3, ['fee', 'outage', 'fee'])
    """

    g: np.ndarray
    code: np.ndarray
    names: np.ndarray

    def __len__(self) -> int:
        return len(self.g)


def dim_values(ctx: Context, dim: str) -> DimValues:
    """The values of one dimension per grievance (see :class:`DimValues`), computed once per context.

    A grievance with several values (themes) has several rows, one per
    distinct value; one with none has none. Codes number the distinct values
    in order of first appearance. Cached on the context under ``dim``.
    """
    cached = ctx.cache.get(dim)
    if isinstance(cached, DimValues):
        return cached
    gf = ctx.grievances
    if dim in LIST_DIMS:
        lists = gf[LIST_DIMS[dim]].to_numpy(dtype=object)
        try:
            lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
            if any(type(v) is str for v in lists):  # a bare string is one value, not letters
                raise TypeError
        except TypeError:
            lists = np.array([as_tuple(v) for v in lists] + [None], dtype=object)[:-1]
            lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        g = np.repeat(np.arange(len(gf), dtype=np.int64), lengths)
        values = np.fromiter(itertools.chain.from_iterable(lists), dtype=object, count=int(lengths.sum()))
        del lists, lengths
    elif dim == "topic":
        topic = gf["topic"]
        keep = topic.notna().to_numpy() & (topic.fillna(-1).to_numpy() >= 0)
        g = np.flatnonzero(keep)
        # ints factorised as they are: numbered in the same order as their str forms would be
        values = topic.to_numpy()[keep].astype(np.int64)
    else:
        rows = gf["row"].to_numpy(dtype=np.int64)
        per_contact = contact_values(ctx, dim)
        all_values = per_contact[rows] if len(rows) else np.array([], dtype=object)
        keep = np.array([v is not None for v in all_values], dtype=bool)
        g = np.flatnonzero(keep)
        values = all_values[keep]
        del rows, per_contact, all_values
    codes, uniques = factorize_in_chunks(values)
    del values
    names = np.array([str(u) for u in uniques] + [""], dtype=object)[:-1]
    if dim in LIST_DIMS and len(g) > 1:  # a list may repeat a value (one value per grievance otherwise)
        key = g * (len(uniques) + 1) + codes
        ordered = np.sort(key)  # g ascending: nearly sorted already, and cheaper than hashing
        repeated = bool((ordered[1:] == ordered[:-1]).any())
        del ordered
        if repeated:
            duplicate = pd.Series(key).duplicated().to_numpy()
            g, codes = g[~duplicate], codes[~duplicate]
        del key
    small = np.int32 if max(len(gf), len(names)) < 2**31 else np.int64
    found = DimValues(g=g.astype(small), code=codes.astype(small), names=names)
    ctx.cache[dim] = found
    return found


def customer_codes(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Each contact's resolved customer as an int code (``-1`` for anonymous), and the customers by code.

    Computed once per context (an int64 per contact, an object array per customer).
    """
    cached: tuple[np.ndarray, np.ndarray] | None = ctx.cache.get("_customer_codes")
    if cached is None:
        # factorised as stored (Arrow strings are encoded without a Python str per contact)
        codes, uniques = pd.factorize(ctx.contacts["customer"])
        cached = (
            codes.astype(np.int64, copy=False),
            np.asarray(uniques.to_numpy(dtype=object), dtype=object),
        )
        ctx.cache["_customer_codes"] = cached
    return cached


def factorize_in_chunks(values: np.ndarray, chunk: int = 1 << 16) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pandas.factorize` of a long array, a chunk at a time: the same codes and uniques.

    One factorisation hashes every value into a table sized for the whole
    array (tens of bytes a value); chunk by chunk, the table is a chunk's and
    the distinct values found so far are matched with ``Index.get_indexer``
    (the same equality). Codes number values in order of first appearance;
    missing values (None, NaN) get ``-1``, as with :func:`pandas.factorize`.

    Examples:
        >>> import numpy as np
        >>> codes, uniques = factorize_in_chunks(np.array(["b", "a", None, "b", "c", "a"], dtype=object), chunk=2)
        >>> codes.tolist(), uniques.tolist()
        ([0, 1, -1, 0, 2, 1], ['b', 'a', 'c'])
    """
    if len(values) <= chunk:
        codes, uniques = pd.factorize(values)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques)
    codes = np.empty(len(values), dtype=np.int64)
    known: pd.Index | None = None
    for start in range(0, len(values), chunk):
        local, local_uniques = pd.factorize(values[start : start + chunk])
        local_uniques = np.asarray(local_uniques)
        if known is None:
            known = pd.Index(local_uniques, dtype=local_uniques.dtype)  # object stays object (no inference)
            at = np.arange(len(local_uniques), dtype=np.int64)
        else:
            at = np.asarray(
                known.get_indexer(pd.Index(local_uniques, dtype=local_uniques.dtype)), dtype=np.int64
            )
            new = at < 0
            if new.any():
                at[new] = len(known) + np.arange(int(new.sum()), dtype=np.int64)
                grown = np.concatenate([known.to_numpy(), local_uniques[new]])
                known = pd.Index(grown, dtype=grown.dtype)  # (Index.append would infer a dtype)
        codes[start : start + chunk] = np.where(local >= 0, at[np.maximum(local, 0)], -1) if len(at) else -1
    assert known is not None
    return codes, known.to_numpy()


def grievance_values(ctx: Context, dim: str) -> pd.DataFrame:
    """Long form of one dimension: columns ``g`` (grievance position), ``row`` (contact), ``value``, ``code``.

    A grievance with several values (themes) gives several rows, one per
    distinct value; one with none gives none. ``g``, ``row`` and ``code`` are
    int64, ``value`` is an object column of str, ``code`` its position among
    the dimension's distinct values. The context caches the compact
    :func:`dim_values`; each call builds a new frame from it.
    """
    found = dim_values(ctx, dim)
    g = found.g.astype(np.int64)
    rows = ctx.grievances["row"].to_numpy(dtype=np.int64)
    # the three int columns written straight into one block: no second copy when the frame is built
    ints = np.empty((3, len(g)), dtype=np.int64)
    ints[0] = g
    ints[1] = rows[g]
    ints[2] = found.code
    del g
    frame = pd.DataFrame(ints.T, columns=["g", "row", "code"], copy=False)
    frame.insert(2, "value", pd.Series(found.names[found.code], dtype=object))
    return frame


def join_on_grievance(
    positions: Sequence[np.ndarray], n_grievances: int
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Inner join of several dimensions' rows on the grievance: every combination of values within one.

    Args:
        positions: per dimension, the grievance position of each of its rows,
            ascending (as :attr:`DimValues.g`).
        n_grievances: the number of grievances (positions are below it).

    Returns:
        The grievance of each combination (int64) and, per dimension, the
        row of ``positions[i]`` it takes (int64). Combinations come as
        :meth:`pandas.DataFrame.merge` gives them: by the first dimension's
        rows, then by the second's within one grievance, and so on.

    Examples:
        >>> import numpy as np
        >>> g, (a, b) = join_on_grievance([np.array([0, 0, 1]), np.array([0, 2])], 3)
        >>> g.tolist(), a.tolist(), b.tolist()
        ([0, 0], [0, 1], [0, 0])
    """
    g = np.asarray(positions[0], dtype=np.int64)
    taken = [np.arange(len(g), dtype=np.int64)]
    for other in positions[1:]:
        count = np.bincount(np.asarray(other, dtype=np.int64), minlength=n_grievances)
        start = np.cumsum(count) - count
        reps = count[g]
        left = np.repeat(np.arange(len(g), dtype=np.int64), reps)
        block = np.cumsum(reps) - reps
        right = np.arange(len(left), dtype=np.int64) - np.repeat(block, reps) + start[g][left]
        del count, start, reps, block
        taken = [t[left] for t in taken] + [right]
        g = g[left]
    return g, taken


def combined_values(ctx: Context, dims: Sequence[str]) -> pd.DataFrame:
    """Long form of several dimensions together: ``g``, ``row`` and one column per dimension.

    Values are combined within one grievance (a theme and a product named in
    the same complaint): the rows, their order and dtypes are those of
    merging the dimensions' :func:`grievance_values` on ``g``.
    """
    parts = [dim_values(ctx, d) for d in dims]
    g, taken = join_on_grievance([p.g for p in parts], len(ctx.grievances))
    rows = ctx.grievances["row"].to_numpy(dtype=np.int64)
    columns: dict[str, Any] = {"g": g, "row": rows[g]}
    for dim, part, at in zip(dims, parts, taken, strict=True):
        columns[dim] = pd.Series(part.names[part.code[at]], dtype=object)
    return pd.DataFrame(columns)


def value_labels(dims: Sequence[str], frame: pd.DataFrame) -> pd.Series:
    """One string per row naming its values, ``'theme=x | product=y'`` style (for messages)."""
    if len(dims) == 1:
        return frame[dims[0]].astype(str)
    return frame[list(dims)].astype(str).agg(" | ".join, axis=1)


# -- int codes ------------------------------------------------------------------------------
# The counting paths (trends, links, rankings, customers, impact) work on int codes: these are
# the shared helpers that combine, de-duplicate and count them.


def sorted_codes(values: np.ndarray | pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Int codes of a column of str (an object array or a Series), numbered in the sort order of the values.

    Codes ordered like the values make a group-by on codes come out in the
    order a sorted group-by on the values would (``-1`` marks a missing value).

    Examples:
        >>> import numpy as np
        >>> codes, names = sorted_codes(np.array(["b", "a", "b"], dtype=object))
        >>> codes.tolist(), names.tolist()
        ([1, 0, 1], ['a', 'b'])
    """
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def combine_codes(*codes: np.ndarray) -> np.ndarray:
    """One int64 key per row for several columns of non-negative int codes (equal rows, equal keys).

    The key orders rows as sorting by the first column, then the next, ...
    would, while it fits in an int64; when it would not, the key made so far
    is renumbered (by its order) first, so it always fits.

    Examples:
        >>> import numpy as np
        >>> combine_codes(np.array([1, 0, 1]), np.array([2, 5, 2])).tolist()
        [8, 5, 8]
    """
    key = np.asarray(codes[0], dtype=np.int64)
    for extra in codes[1:]:
        extra = np.asarray(extra, dtype=np.int64)
        size = int(extra.max()) + 1 if len(extra) else 1
        top = int(key.max()) + 1 if len(key) else 1
        if top * size >= 2**62:  # pragma: no cover - beyond int64 keys: renumber, keeping the order
            key = np.unique(key, return_inverse=True)[1].astype(np.int64).reshape(-1)
        key = key * size + extra
    return key


def first_of(*codes: np.ndarray) -> np.ndarray:
    """Mask of the first row of each distinct combination of int codes, as ``drop_duplicates`` keeps them.

    Examples:
        >>> import numpy as np
        >>> first_of(np.array([1, 0, 1, 1]), np.array([2, 5, 2, 3])).tolist()
        [True, True, False, True]
    """
    return ~pd.Series(combine_codes(*codes), copy=False).duplicated().to_numpy()


def count_distinct(at: np.ndarray, other: np.ndarray, n_keys: int) -> np.ndarray:
    """For each position ``0 .. n_keys - 1`` in ``at``, how many distinct ``other`` codes go with it.

    Examples:
        >>> import numpy as np
        >>> count_distinct(np.array([0, 0, 1, 0]), np.array([5, 5, 5, 7]), 3).tolist()
        [2, 1, 0]
    """
    other = np.asarray(other, dtype=np.int64)
    at_u, _ = unique_pairs(at, other, int(other.max()) + 1 if len(other) else 1)
    return np.bincount(at_u, minlength=n_keys).astype(np.int64)


def combined_key(
    codes: Sequence[np.ndarray], sizes: Sequence[int]
) -> tuple[np.ndarray, Callable[[np.ndarray], list[np.ndarray]]]:
    """One int64 key per row for several code columns, ordered as the tuples of codes are.

    Returns the keys and a function giving back each column's codes from keys.
    """
    radix = [max(int(n), 1) for n in sizes]
    if math.prod(radix) < 2**62:
        key = np.zeros(len(codes[0]), dtype=np.int64)
        for column, n in zip(codes, radix, strict=True):
            key *= n
            key += column

        def decode(keys: np.ndarray) -> list[np.ndarray]:
            out: list[np.ndarray] = []
            rest = np.asarray(keys, dtype=np.int64)
            for n in reversed(radix):
                rest, digit = np.divmod(rest, n)
                out.append(digit)
            return out[::-1]

        return key, decode
    # too many combinations for one int64 radix key: number the distinct tuples (sorted) instead
    table, inverse = np.unique(np.column_stack(codes), axis=0, return_inverse=True)

    def lookup(keys: np.ndarray) -> list[np.ndarray]:
        return [table[keys, i] for i in range(table.shape[1])]

    return np.asarray(inverse, dtype=np.int64).reshape(-1), lookup


def dense_codes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (sorted) and each key's position among them, as ``np.unique`` gives them."""
    if not len(key):
        return key, key
    top = int(key.max()) + 1
    if top <= max(len(key), 1 << 20):  # few possible keys: a table instead of a sort
        seen = np.bincount(key, minlength=top) > 0
        present = np.flatnonzero(seen)
        position = np.cumsum(seen) - 1
        return present, position[key]
    present, inverse = np.unique(key, return_inverse=True)
    return present, np.asarray(inverse, dtype=np.int64).reshape(-1)


def unique_pairs(a: np.ndarray, b: np.ndarray, n_b: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs ``(a[i], b[i])`` of non-negative ints (``b < n_b``), sorted, as two int64 arrays."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if not len(a):
        return a, b
    n_b = max(int(n_b), 1)
    if (int(a.max()) + 1) * n_b < 2**62:
        pair = np.sort(a * n_b + b)  # a sort: numpy's hashing unique is several times slower here
        if len(pair) > 1:
            pair = pair[np.r_[True, pair[1:] != pair[:-1]]]
        return pair // n_b, pair % n_b
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return a[first], b[first]


# -- periods --------------------------------------------------------------------------------

_EPOCH_MONDAY = pd.Timestamp("1969-12-29")


def check_timezone(func: str, timezone: str | None, *, error: str = Errors.E550) -> str:
    """The IANA zone periods are counted in (calendar months and quarters of the company's own clock).

    ``error`` is the message template of a bad zone (``name``, ``func``,
    ``expected`` and ``value`` placeholders): E550 for the analytics.
    """
    if timezone is None:
        return "UTC"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            error.format(
                name="timezone",
                func=func,
                expected="an IANA zone name such as 'UTC' or 'America/Chicago'",
                value=timezone,
            )
        ) from None
    return str(timezone)


def period_ordinals(ts: pd.Series, freq: str, timezone: str = "UTC") -> np.ndarray:
    """The period of each timestamp as an int (``-1`` where the time is missing).

    Periods are calendar weeks (ISO, from Monday), months or quarters in ``timezone``.
    """
    out = np.full(len(ts), -1, dtype=np.int64)
    ok = ts.notna().to_numpy()
    if not ok.any():
        return out
    valid = pd.DatetimeIndex(ts[ok])
    if valid.tz is None:
        valid = valid.tz_localize("UTC")
    local = valid.tz_convert(timezone).tz_localize(None)
    if freq == "week":
        days = np.asarray(local.as_unit("ns").asi8, dtype=np.int64) // (86_400 * 10**9)
        out[ok] = (days + 3) // 7
    else:
        year = np.asarray(local.year, dtype=np.int64)
        month = np.asarray(local.month, dtype=np.int64)
        out[ok] = year * 12 + month - 1 if freq == "month" else year * 4 + (month - 1) // 3
    return out


def period_start(ordinal: int, freq: str, timezone: str = "UTC") -> pd.Timestamp:
    """The first instant of a period (in UTC), for a period counted in ``timezone``."""
    if freq == "week":
        local = _EPOCH_MONDAY + pd.Timedelta(days=7 * int(ordinal))
    elif freq == "month":
        year, month = divmod(int(ordinal), 12)
        local = pd.Timestamp(year=year, month=month + 1, day=1)
    else:
        year, quarter = divmod(int(ordinal), 4)
        local = pd.Timestamp(year=year, month=3 * quarter + 1, day=1)
    return local.tz_localize(timezone).tz_convert("UTC")


def period_label(ordinal: int, freq: str) -> str:
    """``'2026-W32'``, ``'2026-08'`` or ``'2026Q3'``."""
    if freq == "week":
        iso = (_EPOCH_MONDAY + pd.Timedelta(days=7 * int(ordinal))).isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if freq == "month":
        year, month = divmod(int(ordinal), 12)
        return f"{year}-{month + 1:02d}"
    year, quarter = divmod(int(ordinal), 4)
    return f"{year}Q{quarter + 1}"


def period_days(ordinal: int, freq: str, timezone: str = "UTC") -> float:
    start = period_start(ordinal, freq, timezone)
    return float((period_start(ordinal + 1, freq, timezone) - start) / pd.Timedelta(days=1))


def period_of(
    value: Any, freq: str, func: str, timezone: str = "UTC", name: str = "as_of"
) -> tuple[int, bool]:
    """The ordinal of a period given as a label (``'2026Q3'``, ``'2026-08'``, ``'2026-W32'``) or a time.

    Returns the ordinal and whether ``value`` was a label (a whole period) rather than a time.
    """
    if isinstance(value, str):
        text = value.strip().upper()
        quarter = len(text) == 6 and text[4] == "Q"
        week = "-W" in text
        month = len(text) == 7 and text[4] == "-"
        try:
            if quarter and freq == "quarter":
                return int(text[:4]) * 4 + int(text[5]) - 1, True
            if week and freq == "week":
                year, number = text.split("-W")
                monday = pd.Timestamp(dt.date.fromisocalendar(int(year), int(number), 1))
                return int((monday - _EPOCH_MONDAY) / pd.Timedelta(days=7)), True
            if month and freq == "month":
                return int(text[:4]) * 12 + int(text[5:]) - 1, True
        except ValueError:
            pass
        if quarter or week or month:
            example = {"quarter": "'2026Q3'", "month": "'2026-08'", "week": "'2026-W32'"}[freq]
            raise ConfigError(
                Errors.E550.format(
                    name=name, func=func, expected=f"a {freq} such as {example}, or a time", value=value
                )
            )
    stamp = to_timestamp(func, name, value)
    if isinstance(value, str) and stamp.tzinfo is not None and pd.Timestamp(value).tzinfo is None:
        stamp = pd.Timestamp(value).tz_localize(timezone).tz_convert("UTC")
    return int(period_ordinals(pd.Series([stamp]), freq, timezone)[0]), False


def where(condition: Any, yes: Any, no: Any) -> np.ndarray:
    """``np.where`` for object values (``None`` allowed)."""
    return np.asarray(np.where(condition, yes, no))


def astype(series: Any, dtype: str) -> Any:
    """``series.astype(dtype)`` with the dtype given by name at run time."""
    return series.astype(cast(Any, dtype))


def to_ns(values: Any) -> np.ndarray:
    """Nanoseconds since the epoch of tz-aware timestamps (a Series or array); NaT -> int64 min."""
    index = pd.DatetimeIndex(values)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return np.asarray(index.as_unit("ns").asi8, dtype=np.int64)


def nullable(values: Any) -> Any:
    """A nullable ``Float64`` array in which ``NaN`` (an undefined figure) is ``<NA>``; ``inf`` stays."""
    return pd.array(np.asarray(values, dtype=np.float64), dtype="Float64")

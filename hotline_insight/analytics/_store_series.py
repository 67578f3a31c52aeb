"""Trend series straight from a :class:`~hotline_insight.Store`, one quarter partition at a time.

:func:`trends`, :func:`emerging` and :func:`early_warnings` given a store
count each partition of the store on its own and add the counts up, so
memory holds one partition's rows and the (value x period) matrices, not
the whole store. Three things need more than one partition:

* **Customers.** They are resolved first, across the whole store, from the
  contacts' ids and keys alone (no grievance rows): a customer who called
  in 2025 and wrote in 2026 is one customer in every partition.
* **Distinct customers in a period two partitions share.** Partitions are
  UTC quarters; a period in another zone, an ISO week, or a clock offset
  can straddle two. The periods that more than one partition has contacts
  in are found from the contacts' times first; for those periods alone each
  partition keeps its (value, period, customer) triples, and they are
  counted once across partitions.
* **Grievances stored away from their interaction**, and interactions known
  only from grievances found in several partitions (rows a user appended by
  hand; :func:`~hotline_insight.write_store` and the Spark writer put every
  grievance in its interaction's partition). They are moved to their
  interaction's partition before counting.

The result is the same series the row-level path computes from the same
data (a test checks this on stores split across partitions in awkward
ways).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ConfigError, Errors, HotlineWarning, Warnings, warn
from ._frames import (
    LIST_DIMS,
    _contacts_from_grievances,
    _join,
    apply_clock_offsets,
    as_contacts,
    as_grievances,
    build_context,
    check_dims,
    pair_keys,
    period_ordinals,
)

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..store import Store
    from .customers import CustomerIdentities
    from .trends import _Series

__all__ = ["SeriesRequest", "StoreSeries", "with_meta"]

#: the interactions columns not read for counting (free text: no dimension comes from it)
SKIPPED_CONTACT_COLUMNS = ("subject",)
#: the interactions columns read to resolve customers and find each contact's period
KEY_COLUMNS = ("id", "source_format", "created_at", "customer_id", "customer_keys", "meta_ids")
#: the grievances columns read for counting (no text, no cues)
GRIEVANCE_COLUMNS = (
    "interaction_id",
    "created_at",
    "customer_id",
    "source_format",
    "channel",
    "themes",
    "facets",
    "products",
    "policies",
    "product_methods",
    "policy_methods",
    "topic",
)
#: the grievances columns every count reads (the dimensions' own columns are added)
_BASE_GRIEVANCE_COLUMNS = ("interaction_id", "created_at", "customer_id", "source_format", "channel")
#: the interactions columns a count of grievance-level dimensions reads (all but the subject otherwise)
_BASE_CONTACT_COLUMNS = ("id", "source_format", "channel", "created_at", "customer_id")
#: what an orphan grievance's contact is made of
_ORPHAN_COLUMNS = ("interaction_id", "created_at", "customer_id", "source_format", "channel")


def id_set(ids: Sequence[np.ndarray]) -> pa.Array:
    """The distinct ids (as str) of some arrays, as a value set for :func:`ids_in`."""
    if not ids:
        return pa.array([], type=pa.string())
    return pc.unique(pa.array(np.concatenate(ids), type=pa.string()))


def ids_in(ids: pd.Series, value_set: pa.Array) -> np.ndarray:
    """Whether each id (as str) is in ``value_set``: a hash lookup in Arrow.

    ``Series.isin`` with a million str values turns them into Python
    objects on every call (about 4 s per call at a million); this does not.
    """
    values = pa.array(ids.astype(str).to_numpy(dtype=object), type=pa.string())
    found: np.ndarray = pc.is_in(values, value_set=value_set).to_numpy(zero_copy_only=False)
    return found


def with_meta(frame: pd.DataFrame) -> pd.DataFrame:
    """Store interactions with their ``meta_ids`` turned back into the ``meta`` mapping the analytics read."""
    from ..store.schema import meta_from_ids

    if "meta_ids" in frame.columns:
        frame["meta"] = pd.Series(
            [meta_from_ids(v) for v in frame.pop("meta_ids")], index=frame.index, dtype=object
        )
    return frame


def _counted_contact_columns() -> tuple[str, ...]:
    """The interactions columns read for counting: all but :data:`SKIPPED_CONTACT_COLUMNS`."""
    from ..store.schema import arrow_schema

    return tuple(c for c in arrow_schema("interactions").names if c not in SKIPPED_CONTACT_COLUMNS)


def _empty(table: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """No rows of a table, with its columns and dtypes (for a partition one table lacks)."""
    from ..store.schema import arrow_schema, from_arrow

    frame: pd.DataFrame = from_arrow(table, arrow_schema(table).empty_table().select(list(columns)))
    return frame


class SeriesRequest(NamedTuple):
    """One series to count: dimensions, frequency, exposure, zone, and the cut of :class:`_Series`."""

    dims: tuple[str, ...]
    freq: str
    exposure: str
    timezone: str
    until: pd.Timestamp | None = None
    last: int | None = None


class StoreSeries:
    """A store prepared for counting: customers resolved, every row's partition known.

    Built once per call of :func:`trends` (or :func:`emerging`, ...) on a
    store, or once per quarterly report; :meth:`series` then reads the
    partitions one at a time, and keeps each series it counts.

    Args:
        func: the calling function's name, for errors and warnings.
        store: the store.
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a customer resolution to use (default: resolved here).
        clock_offsets: per source format, how far its clock runs ahead.
        resolve: resolves the contacts instead of :func:`resolve_customers`.
        until: count only the data as of this time, the quarterly report's
            way: contacts made before it (not undated ones), and grievances
            of those contacts or of no contact at all with their own time
            before it (see :meth:`_kept`).
        catalog: products and policies: a grievance naming a policy but no
            product gets its customer's holdings, as :func:`prepare_analysis` does.
        keep_columns: interactions columns to keep in :attr:`kept` (with ``until``).
        warn_orphans: whether counting warns of grievances of no contact (W304).
    """

    def __init__(
        self,
        func: str,
        store: Store,
        *,
        customers_table: pd.DataFrame | None,
        identities: CustomerIdentities | None,
        clock_offsets: Mapping[str, Any] | None,
        resolve: Callable[[pd.DataFrame], CustomerIdentities] | None = None,
        until: pd.Timestamp | None = None,
        catalog: Catalog | None = None,
        keep_columns: tuple[str, ...] = (),
        warn_orphans: bool = True,
    ) -> None:
        self.func = func
        self.store = store
        self.clock_offsets = clock_offsets
        self.until = until
        self.catalog = catalog
        self.warn_orphans = warn_orphans
        """Whether counting warns of grievances of no contact (W304); the report counts them itself."""
        self._cache: dict[SeriesRequest, _Series] = {}
        self.n_holding_links: int | None = None
        """Grievances given products through their customer's holdings (after the first count, with a catalog)."""
        self._with_contacts = set(store.quarters("interactions"))
        self._with_grievances = set(store.quarters("grievances"))
        self.partitions = sorted(self._with_contacts | self._with_grievances, key=_quarter_key)
        if not self.partitions:
            raise ConfigError(Errors.E553.format(func=func, reason="the store holds no interactions"))
        # 1. every contact's key, time and partition (no grievance rows)
        key_columns = KEY_COLUMNS if identities is None else KEY_COLUMNS[:3]
        key_columns = tuple(dict.fromkeys((*key_columns, *keep_columns)))
        frames = []
        every_id: list[np.ndarray] = []
        self.n_undated_all = 0
        """Contacts without a time (all of them: left out when ``until`` is given)."""
        self.n_after_until = 0
        """Contacts at or after ``until`` (left out)."""
        self.last_in_data: pd.Timestamp | None = None
        """The last dated contact of the whole store (even after ``until``)."""
        for i, quarter in enumerate(self.partitions):
            part = self._read_contacts(quarter, key_columns)
            if until is not None:
                every_id.append(part["id"].astype(str).to_numpy(dtype=object))
                part = self._cut_contacts(part, until)
            frames.append(part.assign(_part=np.int32(i)))
        raw = pd.concat(frames, ignore_index=True)
        if until is not None:
            # the report's rule: a grievance counts when its contact does, or when no contact of any time
            # has its id and its own time is before the cut
            self._all_ids = id_set(every_id)
            self._kept_ids = id_set([raw["id"].astype(str).to_numpy(dtype=object)])
            del every_id
        self.kept = raw[list(keep_columns)].reset_index(drop=True) if keep_columns else None
        """The ``keep_columns`` of the contacts kept (not those made of orphan grievances), in partition order."""
        contacts = as_contacts(raw, func)
        apply_clock_offsets(contacts, clock_offsets, func)
        part_of = raw["_part"].to_numpy(dtype=np.int64)
        del raw, frames
        # 2. grievances stored away from their contact, and contacts made of orphan grievances: each
        # grievance's contact found by the join the counting contexts use, over every contact
        self.moved: dict[int, list[tuple[int, np.ndarray]]] = {}
        """target partition -> (source partition, rows of the source's grievances) to move there"""
        self.leave: dict[int, np.ndarray] = {}
        """source partition -> rows of its grievances that belong elsewhere"""
        orphan_home: dict[str, int] = {}
        orphan_frames: list[pd.DataFrame] = []
        self.n_orphans = 0
        self.n_orphan_contacts = 0
        self.n_orphans_kept = 0
        """With ``until``: grievances no contact of the store has, counted by their own time."""
        self.n_orphans_undated = 0
        """With ``until``: grievances no contact has, left out for want of a time."""
        with_grievance: list[np.ndarray] = []
        for i, quarter in enumerate(self.partitions):
            if quarter not in self._with_grievances:
                continue
            if until is None:
                gf = self._read_grievances(quarter, ("interaction_id", "source_format"))
            else:
                gf = self.store.read(
                    "grievances", quarter, columns=["interaction_id", "source_format", "created_at"]
                )
                kept, n_orphans, n_undated = self._kept(gf)
                self.n_orphans_kept += n_orphans
                self.n_orphans_undated += n_undated
                gf = gf.loc[kept, ["interaction_id", "source_format"]].reset_index(drop=True)
                with_grievance.append(pd.unique(gf["interaction_id"].astype(str).to_numpy(dtype=object)))
            found = _join(gf, contacts, func)
            orphan = found < 0
            target = np.where(orphan, i, part_of[np.maximum(found, 0)]).astype(np.int64)
            if orphan.any():
                self.n_orphans += int(orphan.sum())
                rows = np.flatnonzero(orphan)
                pairs = pair_keys(gf["interaction_id"].iloc[rows], gf["source_format"].iloc[rows])
                target[rows] = [orphan_home.setdefault(k, i) for k in pairs]
                fresh = rows[target[rows] == i]
                if len(fresh):
                    orphan_frames.append(self._read_grievances(quarter, _ORPHAN_COLUMNS).iloc[fresh])
            away = np.flatnonzero(target != i)
            if len(away):
                self.leave[i] = away
                for t in np.unique(target[away]).tolist():
                    self.moved.setdefault(int(t), []).append((i, away[target[away] == t]))
            del gf, found, target
        self.grievance_ids = id_set(with_grievance)
        """The ids (str) of the interactions with a grievance counted (only with ``until``)."""
        del with_grievance
        if orphan_frames:
            added = _contacts_from_grievances(
                as_grievances(pd.concat(orphan_frames, ignore_index=True), func)
            )
            apply_clock_offsets(added, clock_offsets, func)
            added_part = np.asarray(
                [orphan_home[k] for k in pair_keys(added["interaction_id"], added["source_format"])],
                dtype=np.int64,
            )
            self.n_orphan_contacts = len(added)
            contacts = pd.concat([contacts, added], ignore_index=True)
            part_of = np.concatenate([part_of, added_part])
        if identities is None:
            from .customers import resolve_customers

            identities = (
                resolve(contacts)
                if resolve is not None
                else resolve_customers(contacts, customers_table=customers_table, func=func)
            )
        self.identities = identities
        self._customer: np.ndarray | None = None
        if until is not None:
            # each contact's customer code (-1: anonymous), for where a repeat-contact episode can start
            identities.attach(contacts)
            codes, _ = pd.factorize(contacts["customer"].astype("object").to_numpy())
            self._customer = np.where(contacts["is_anonymous"].to_numpy(dtype=bool), -1, codes).astype(
                np.int64
            )
        self.created = pd.Series(contacts["created_at"].array)
        self.part_of = part_of
        self.n_undated = int(self.created.isna().sum())
        stamps = self.created.dropna()
        self.data_start = stamps.min() if len(stamps) else None
        self.data_end = stamps.max() if len(stamps) else None

    def episode_floor(self, at: pd.Timestamp, transfer: pd.Timedelta) -> pd.Timestamp:
        """The start of the earliest repeat-contact episode still under way at ``at`` (or ``at``).

        An episode is one customer's contacts less than ``transfer`` apart (as
        :func:`~hotline_insight.repeat_contacts` forms them). Its contacts from
        this time on are all a judgement from ``at`` on can depend on. Needs ``until``.
        """
        if self._customer is None:
            raise RuntimeError("episode_floor needs a StoreSeries made with until=")
        stamps = self.created.to_numpy(dtype="datetime64[ns]")
        ok = (self._customer >= 0) & ~np.isnat(stamps)
        at_ns = stamps[ok].astype(np.int64)
        cust = self._customer[ok]
        order = np.lexsort((at_ns, cust))
        at_ns, cust = at_ns[order], cust[order]
        if not len(at_ns):
            return at
        starts = np.ones(len(at_ns), dtype=bool)
        starts[1:] = (cust[1:] != cust[:-1]) | (np.diff(at_ns) > transfer.value)
        first = np.flatnonzero(starts)
        last = np.r_[first[1:], len(at_ns)] - 1
        ep_start, ep_end = at_ns[first], at_ns[last]
        running = (ep_end >= at.value) & (ep_start < at.value)
        if not running.any():
            return at
        return pd.Timestamp(int(ep_start[running].min()), tz="UTC")

    def partitions_between(self, start: pd.Timestamp | None, end: pd.Timestamp | None) -> list[int]:
        """The partitions (positions in :attr:`partitions`) holding a contact made in ``[start, end)``.

        Found from the contacts' times, not the partitions' names: a store
        written by hand can hold a contact in another quarter's partition.
        """
        inside = self.created.notna().to_numpy()
        if start is not None:
            inside = inside & (self.created >= start).fillna(False).to_numpy(dtype=bool)
        if end is not None:
            inside = inside & (self.created < end).fillna(False).to_numpy(dtype=bool)
        return [int(i) for i in np.unique(self.part_of[inside])]

    # -- reading ----------------------------------------------------------------------------------

    def _read_contacts(self, quarter: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """A partition's interactions (``columns``; default all but :data:`SKIPPED_CONTACT_COLUMNS`)."""
        if columns is None:
            columns = _counted_contact_columns()
        if quarter not in self._with_contacts:
            return with_meta(_empty("interactions", columns))
        frame = self.store.read("interactions", quarter, columns=list(columns), lists="tuple")
        return with_meta(frame.drop(columns=["quarter"]))

    def _cut_contacts(self, part: pd.DataFrame, until: pd.Timestamp) -> pd.DataFrame:
        """A partition's contacts made before ``until`` (undated ones and later ones counted, then dropped)."""
        created = part["created_at"]
        dated = created.notna().to_numpy()
        later = dated & (created >= until).fillna(False).to_numpy(dtype=bool)
        self.n_undated_all += int((~dated).sum())
        self.n_after_until += int(later.sum())
        if dated.any():
            last = created[dated].max()
            self.last_in_data = last if self.last_in_data is None else max(self.last_in_data, last)
        return part.loc[dated & ~later].reset_index(drop=True)

    def _read_grievances(self, quarter: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """A partition's grievances (``columns``); with ``until``, only those counted (see :meth:`_kept`)."""
        if self.until is None:
            frame = self.store.read("grievances", quarter, columns=list(columns), lists="tuple")
            return frame.drop(columns=["quarter"], errors="ignore")
        read = list(dict.fromkeys((*columns, "interaction_id", "created_at")))
        frame = self.store.read("grievances", quarter, columns=read, lists="tuple")
        kept, _, _ = self._kept(frame)
        return frame.loc[kept, list(columns)].reset_index(drop=True)

    def _kept(self, frame: pd.DataFrame) -> tuple[np.ndarray, int, int]:
        """(grievances counted, of which orphans, orphans left out for want of a time) with ``until``.

        The quarterly report's rule: a grievance counts when a contact kept
        has its interaction id, or when no contact of the store (of any time)
        has it and its own time is before ``until``.
        """
        ids = frame["interaction_id"]
        in_kept = ids_in(ids, self._kept_ids)
        orphan = ~ids_in(ids, self._all_ids)
        created = frame["created_at"]
        dated = created.notna().to_numpy()
        before = dated & (created < self.until).fillna(False).to_numpy(dtype=bool)
        orphan_kept = orphan & before
        return in_kept | orphan_kept, int(orphan_kept.sum()), int((orphan & ~dated).sum())

    def _grievances_of(self, i: int, columns: tuple[str, ...] = GRIEVANCE_COLUMNS) -> pd.DataFrame:
        """Partition ``i``'s grievances, with those stored elsewhere that belong to its interactions."""
        quarter = self.partitions[i]
        own = (
            self._read_grievances(quarter, columns)
            if quarter in self._with_grievances
            else _empty("grievances", columns)
        )
        if i in self.leave:
            keep = np.ones(len(own), dtype=bool)
            keep[self.leave[i]] = False
            own = own.iloc[np.flatnonzero(keep)]
        extra = [
            self._read_grievances(self.partitions[src], columns).iloc[rows]
            for src, rows in self.moved.get(i, [])
        ]
        return pd.concat([own, *extra], ignore_index=True) if extra else own.reset_index(drop=True)

    # -- counting ---------------------------------------------------------------------------------

    def check_dims(self, dims: tuple[str, ...]) -> None:
        """E552 for a dimension no contact or grievance column gives (as the row-level path says)."""
        # the columns the counts read, with no rows: the names are all check_dims looks at
        empty = with_meta(_empty("interactions", _counted_contact_columns()))
        ctx = build_context(self.func, None, corpus=empty, identities=self.identities)
        check_dims(self.func, dims, ctx)

    def series(
        self,
        dims: tuple[str, ...],
        freq: str,
        exposure: str,
        timezone: str,
        until: pd.Timestamp | None = None,
        last: int | None = None,
    ) -> _Series:
        """The :class:`~hotline_insight.analytics.trends._Series` of the whole store."""
        return self.series_many([SeriesRequest(dims, freq, exposure, timezone, until, last)])[0]

    def series_many(
        self,
        requests: Sequence[SeriesRequest],
        *,
        visit: Callable[[pd.DataFrame, pd.DataFrame], None] | None = None,
        visit_columns: tuple[str, ...] = (),
    ) -> list[_Series]:
        """Several series in one pass: each partition is read once, with the columns every request needs.

        The same series, one per request in order, as :meth:`series` gives for
        each on its own. A series counted before is not counted again.

        Args:
            requests: the series.
            visit: called with each partition's contacts and grievances as
                they are counted (the grievances of its interactions, those
                stored elsewhere included), for other sums over the store.
            visit_columns: grievances columns ``visit`` reads beside the counted ones.
        """
        todo = list(dict.fromkeys(r for r in requests if r not in self._cache))
        if todo or visit is not None:
            for request, found in zip(todo, self._count(todo, visit, visit_columns), strict=True):
                self._cache[request] = found
        return [self._cache[r] for r in requests]

    def _count(
        self,
        requests: Sequence[SeriesRequest],
        visit: Callable[[pd.DataFrame, pd.DataFrame], None] | None,
        visit_columns: tuple[str, ...],
    ) -> list[_Series]:
        from .trends import _Series

        if self.n_orphans and self.warn_orphans:
            warn(
                Warnings.W304.format(func=self.func, n=self.n_orphans, n_contacts=self.n_orphan_contacts),
                stacklevel=4,
            )
        if self.n_undated:
            warn(
                Warnings.W302.format(func=self.func, n=self.n_undated, what="the periods"),
                stacklevel=4,
            )
        dated: list[np.ndarray] = []
        shared: list[np.ndarray] = []
        for request in requests:
            times = (
                self.created if request.until is None else self.created.where(self.created < request.until)
            )
            period = period_ordinals(times, request.freq, request.timezone)
            dated.append(period >= 0)
            # the periods more than one partition has contacts in
            pairs = np.unique(np.stack([period[dated[-1]], self.part_of[dated[-1]]], axis=1), axis=0)
            ordinals, n_parts = np.unique(pairs[:, 0], return_counts=True)
            shared.append(ordinals[n_parts > 1])
        # only the columns the dimensions need: list columns cost most of a partition's reading
        dims_asked = list(dict.fromkeys(d for request in requests for d in request.dims))
        grievance_columns = (*_BASE_GRIEVANCE_COLUMNS, *(LIST_DIMS[d] for d in dims_asked if d in LIST_DIMS))
        if "topic" in dims_asked:
            grievance_columns += ("topic",)
        if self.catalog is not None:  # holdings links read the products, policies and product links
            grievance_columns += ("products", "policies", "product_methods")
        grievance_columns = tuple(dict.fromkeys((*grievance_columns, *visit_columns)))
        grievance_level = all(d in LIST_DIMS or d == "topic" for d in dims_asked)
        contact_columns = _BASE_CONTACT_COLUMNS if grievance_level else None
        parts: list[list[_Series]] = [[] for _ in requests]
        n_links = 0
        for i in range(len(self.partitions)):
            here = [k for k in range(len(requests)) if (dated[k] & (self.part_of == i)).any()]
            if not here and (visit is None or not (self.part_of == i).any()):
                continue  # nothing dated here (the unknown partition): only the warnings above
            contacts = self._read_contacts(self.partitions[i], contact_columns)
            grievances = self._grievances_of(i, grievance_columns)
            with warnings.catch_warnings():
                # orphan grievances and undated contacts are warned about once, for the whole store
                warnings.filterwarnings("ignore", message=r"\[W30[24]\]", category=HotlineWarning)
                ctx = build_context(
                    self.func,
                    grievances,
                    corpus=contacts,
                    identities=self.identities,
                    clock_offsets=self.clock_offsets,
                    catalog=self.catalog,
                )
                n_links += ctx.n_holding_links
                if visit is not None:
                    visit(contacts, grievances)
                for k in here:
                    r = requests[k]
                    parts[k].append(
                        _Series(ctx, r.dims, r.freq, r.exposure, r.timezone, until=r.until, shared=shared[k])
                    )
            del ctx, contacts, grievances
        if self.catalog is not None:
            self.n_holding_links = n_links
        out: list[_Series] = []
        for request, found in zip(requests, parts, strict=True):
            if not found:
                raise ConfigError(
                    Errors.E553.format(
                        func=self.func, reason="no dated contacts (every created_at is missing)"
                    )
                )
            r = request
            out.append(
                _Series.merge(found, r.dims, r.freq, r.exposure, r.timezone, until=r.until, last=r.last)
            )
        return out


def _quarter_key(quarter: str) -> tuple[int, str]:
    from ..store.schema import quarter_sort_key

    key: tuple[int, str] = quarter_sort_key(quarter)
    return key

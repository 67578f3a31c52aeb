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
    store; :meth:`series` then reads the partitions one at a time.
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
    ) -> None:
        self.func = func
        self.store = store
        self.clock_offsets = clock_offsets
        self._with_contacts = set(store.quarters("interactions"))
        self._with_grievances = set(store.quarters("grievances"))
        self.partitions = sorted(self._with_contacts | self._with_grievances, key=_quarter_key)
        if not self.partitions:
            raise ConfigError(Errors.E553.format(func=func, reason="the store holds no interactions"))
        # 1. every contact's key, time and partition (no grievance rows)
        frames = []
        for i, quarter in enumerate(self.partitions):
            part = self._read_contacts(quarter, KEY_COLUMNS if identities is None else KEY_COLUMNS[:3])
            frames.append(part.assign(_part=np.int32(i)))
        raw = pd.concat(frames, ignore_index=True)
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
        for i, quarter in enumerate(self.partitions):
            if quarter not in self._with_grievances:
                continue
            gf = self._read_grievances(quarter, ("interaction_id", "source_format"))
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
        self.created = pd.Series(contacts["created_at"].array)
        self.part_of = part_of
        self.n_undated = int(self.created.isna().sum())
        stamps = self.created.dropna()
        self.data_start = stamps.min() if len(stamps) else None
        self.data_end = stamps.max() if len(stamps) else None

    # -- reading ----------------------------------------------------------------------------------

    def _read_contacts(self, quarter: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """A partition's interactions (``columns``; default all but :data:`SKIPPED_CONTACT_COLUMNS`)."""
        if columns is None:
            columns = _counted_contact_columns()
        if quarter not in self._with_contacts:
            return with_meta(_empty("interactions", columns))
        frame = self.store.read("interactions", quarter, columns=list(columns), lists="tuple")
        return with_meta(frame.drop(columns=["quarter"]))

    def _read_grievances(self, quarter: str, columns: tuple[str, ...]) -> pd.DataFrame:
        frame = self.store.read("grievances", quarter, columns=list(columns), lists="tuple")
        return frame.drop(columns=["quarter"], errors="ignore")

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

    def series_many(self, requests: Sequence[SeriesRequest]) -> list[_Series]:
        """Several series in one pass: each partition is read once, with the columns every request needs.

        The same series, one per request in order, as :meth:`series` gives for
        each on its own.
        """
        from .trends import _Series

        if self.n_orphans:
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
        grievance_level = all(d in LIST_DIMS or d == "topic" for d in dims_asked)
        contact_columns = _BASE_CONTACT_COLUMNS if grievance_level else None
        parts: list[list[_Series]] = [[] for _ in requests]
        for i in range(len(self.partitions)):
            here = [k for k in range(len(requests)) if (dated[k] & (self.part_of == i)).any()]
            if not here:
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
                )
                for k in here:
                    r = requests[k]
                    parts[k].append(
                        _Series(ctx, r.dims, r.freq, r.exposure, r.timezone, until=r.until, shared=shared[k])
                    )
            del ctx, contacts, grievances
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

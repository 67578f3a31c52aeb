"""A quarterly report from a store, with the rows of two quarters and sums of the rest.

:meth:`QuarterlyReport.from_store` needs the rows (texts, lists, scores) of
the reported quarter and the one before it: their repeat contacts, rankings
and quotes. Everything else it says of earlier quarters is a count: trends,
baselines of the emerging issues, early warnings, before/after tests, the
topics' all-time sizes, contacts per channel and quarter. Those come from
:class:`~hotline_insight.analytics._store_series.StoreSeries`, which reads
the store one partition at a time, so memory follows the two quarters read
whole, plus every contact's ids and keys (customers are resolved across the
whole history), not the length of the history.

The window of rows starts at the previous quarter's first instant, less the
repeat window, less any repeat-contact episode still under way then (so the
repeat flags are those the whole history gives). Grievances are counted by
the same rule :func:`~hotline_insight.report._quarter_data.prepare` applies
to rows: a grievance counts when a contact made before the quarter's end has
its interaction id, or when no contact of the store has it and its own time
is before the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..analytics._frames import holdings_note, period_ordinals, period_start, to_timedelta
from ..analytics._store_series import SeriesRequest, StoreSeries, _empty, id_set, ids_in

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..store import Store

#: the repeat engine's default transfer window (contacts of one customer this close are one contact)
TRANSFER_WINDOW = pd.Timedelta("15min")


@dataclass
class StoreHistory:
    """What a report from a store knows of all its data without holding its rows."""

    series: StoreSeries
    """The store counted partition by partition (the report's ``hist``)."""
    window_start: pd.Timestamp
    """The first instant whose rows are read whole."""
    first_quarter: int
    data_start: pd.Timestamp
    data_end: pd.Timestamp
    last_in_data: pd.Timestamp
    """The last dated contact of the whole store (even after the end)."""
    n_undated: int
    n_after_end: int
    n_orphan_grievances: int
    n_orphan_undated: int
    channel_counts: pd.DataFrame
    """``quarter`` (ordinal), ``channel``, ``n_contacts``, ``n_complaint_contacts``: contacts made before the end."""
    topic_sizes: dict[int, int] = field(default_factory=dict)
    """topic -> grievances of all time (topics >= 0)."""
    topic_themes: dict[int, dict[str, int]] = field(default_factory=dict)
    """topic -> theme -> grievances of all time naming it."""
    notes: list[str] = field(default_factory=list)
    change_cuts: dict[str, int] = field(default_factory=dict)
    """change claim -> position in the report's grievances of the last older row kept for its quote."""


def window_start(series: StoreSeries, previous_start: pd.Timestamp, window: Any, func: str) -> pd.Timestamp:
    """Where the rows read whole begin: the repeat contacts of the previous quarter are judged from them."""
    reach = previous_start - to_timedelta(func, "window", window)
    return series.episode_floor(reach, TRANSFER_WINDOW)


def count_history(
    series: StoreSeries,
    requests: Sequence[SeriesRequest],
    *,
    timezone: str,
    previous_start: pd.Timestamp,
    window: Any,
    func: str,
) -> StoreHistory:
    """Count every series the report asks for, and its other all-time sums, in one pass over the store."""
    sizes: dict[int, int] = {}
    themes: dict[int, dict[str, int]] = {}

    def visit(_: pd.DataFrame, grievances: pd.DataFrame) -> None:
        topic = pd.to_numeric(grievances["topic"], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        rows = np.flatnonzero(~np.isnan(topic) & (topic >= 0))
        listed = grievances["themes"].to_numpy(dtype=object)
        for r in rows.tolist():
            t = int(topic[r])
            sizes[t] = sizes.get(t, 0) + 1
            mine = themes.setdefault(t, {})
            value = listed[r]
            for theme in dict.fromkeys(() if value is None else tuple(value)):
                mine[str(theme)] = mine.get(str(theme), 0) + 1

    series.series_many(requests, visit=visit, visit_columns=("topic", "themes"))
    kept = series.kept
    assert kept is not None  # made with keep_columns
    created = kept["created_at"]
    ordinals = period_ordinals(created, "quarter", timezone)
    has_grievance = ids_in(kept["id"], series.grievance_ids)
    frame = pd.DataFrame(
        {
            "quarter": ordinals,
            "channel": kept["channel"].astype("object").fillna("unknown").astype(str).to_numpy(),
            "has_grievance": has_grievance,
        }
    )
    channel_counts = (
        frame.groupby(["quarter", "channel"], sort=True)
        .agg(n_contacts=("has_grievance", "size"), n_complaint_contacts=("has_grievance", "sum"))
        .reset_index()
    )
    notes = []
    if series.n_holding_links is not None and series.identities.holdings:
        notes.append(holdings_note(series.n_holding_links))
    return StoreHistory(
        series=series,
        window_start=window_start(series, previous_start, window, func),
        first_quarter=int(ordinals.min()),
        data_start=created.min(),
        data_end=created.max(),
        last_in_data=created.max() if series.last_in_data is None else series.last_in_data,
        n_undated=series.n_undated_all,
        n_after_end=series.n_after_until,
        n_orphan_grievances=series.n_orphans_kept,
        n_orphan_undated=series.n_orphans_undated,
        channel_counts=channel_counts,
        topic_sizes=sizes,
        topic_themes=themes,
        notes=notes,
    )


def read_window(
    history: StoreHistory, contact_columns: Sequence[str], grievance_columns: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The contacts made from ``window_start`` to the end, and their grievances (those counted), whole."""
    series = history.series
    start, until = history.window_start, series.until
    assert until is not None
    holding = series.partitions_between(start, until)
    contacts: list[pd.DataFrame] = []
    for i in holding:
        part = series._read_contacts(series.partitions[i], tuple(contact_columns))
        created = part["created_at"]
        inside = (created >= start).fillna(False).to_numpy(dtype=bool) & (created < until).fillna(
            False
        ).to_numpy(dtype=bool)
        contacts.append(part.loc[inside])
    frame = (
        pd.concat(contacts, ignore_index=True)
        if contacts
        else series._read_contacts("", tuple(contact_columns))
    )
    ids = id_set([frame["id"].astype(str).to_numpy(dtype=object)])
    # a grievance is read with its contact's partition (or, of no contact, with its own time's)
    columns = tuple(dict.fromkeys((*grievance_columns, "interaction_id", "created_at")))
    grievances: list[pd.DataFrame] = []
    for i in holding:
        g = series._grievances_of(i, columns)
        grievances.append(g.loc[in_window(g, ids, series, start)])
    gframe = pd.concat(grievances, ignore_index=True) if grievances else _empty("grievances", columns)
    return frame, gframe[list(grievance_columns)]


def in_window(g: pd.DataFrame, ids: pa.Array, series: StoreSeries, start: pd.Timestamp) -> np.ndarray:
    """Grievances (counted ones) of a window contact, or of no contact and made in the window."""
    own = g["interaction_id"]
    orphan = ~ids_in(own, series._all_ids)
    recent = (g["created_at"] >= start).fillna(False).to_numpy(dtype=bool)
    return ids_in(own, ids) | (orphan & recent)


def change_candidates(
    history: StoreHistory,
    window_ids: pa.Array,
    wanted: Any,
    columns: Sequence[str],
) -> pd.DataFrame:
    """Counted grievances outside the window that ``wanted(frame) -> mask`` picks, partition by partition."""
    series = history.series
    found: list[pd.DataFrame] = []
    read = tuple(dict.fromkeys((*columns, "interaction_id", "created_at")))
    for i in series.partitions_between(None, history.window_start):
        g = series._grievances_of(i, read)
        if not len(g):
            continue
        old = ~in_window(g, window_ids, series, history.window_start)
        if not old.any():
            continue
        g = g.loc[old].reset_index(drop=True)
        pick = np.asarray(wanted(g), dtype=bool)
        if pick.any():
            found.append(g.loc[pick, list(columns)])
    if not found:
        return pd.DataFrame(columns=list(columns))
    return pd.concat(found, ignore_index=True)


def make_series(
    store: Store,
    func: str,
    *,
    until: pd.Timestamp,
    customers_table: pd.DataFrame | None,
    catalog: Catalog | None,
) -> StoreSeries:
    """The store's contacts up to ``until``, customers resolved, ready to count."""
    return StoreSeries(
        func,
        store,
        customers_table=customers_table,
        identities=None,
        clock_offsets=None,
        until=until,
        catalog=catalog,
        keep_columns=("id", "created_at", "channel"),
        warn_orphans=False,  # the data-quality appendix counts them, as from rows
    )


class StoreSource:
    """A store given to :meth:`QuarterlyReport.build` as its corpus: read as a window plus sums.

    :meth:`QuarterlyReport.from_store` passes one; ``build`` then calls
    :meth:`open` with its own arguments, so the report's options apply to
    the sums as they would to rows.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def open(
        self,
        quarter: str,
        timezone: str,
        *,
        window: Any,
        catalog: Catalog | None,
        customers_table: pd.DataFrame | None,
        contact_columns: Sequence[str],
        grievance_columns: Sequence[str],
        func: str,
    ) -> tuple[pd.DataFrame, pd.DataFrame, StoreHistory]:
        """(window contacts, window grievances, history) of the report of ``quarter``."""
        from ._quarter_data import check_inputs, parse_quarter
        from ._quarter_tables import series_requests

        check_inputs(customers_table, catalog)
        to_timedelta(func, "window", window)
        q = parse_quarter(quarter)
        series = make_series(
            self.store,
            func,
            until=period_start(q + 1, "quarter", timezone),
            customers_table=customers_table,
            catalog=catalog,
        )
        history = count_history(
            series,
            # topic series are asked for whether or not the grievances carry topics: an empty one costs little
            series_requests(q, timezone, has_topics=True),
            timezone=timezone,
            previous_start=period_start(q - 1, "quarter", timezone),
            window=window,
            func=func,
        )
        contacts, grievances = read_window(history, contact_columns, grievance_columns)
        return contacts, grievances, history

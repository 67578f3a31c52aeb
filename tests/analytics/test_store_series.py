"""Trends, emerging and early warnings from a Store, one partition at a time, against the rows read whole."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store.store_helpers import grievances, interactions

import hotline_insight as hi
from hotline_insight.analytics._store_series import GRIEVANCE_COLUMNS, SKIPPED_CONTACT_COLUMNS, with_meta
from hotline_insight.store.schema import arrow_schema, quarter_of

THEMES = ["fees", "outage", "waits"]
PRODUCTS = ["fibre", "hub"]


def _rows(store: hi.Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's rows read whole, with the columns the partition path reads."""
    columns = [c for c in arrow_schema("interactions").names if c not in SKIPPED_CONTACT_COLUMNS]
    contacts = with_meta(store.read("interactions", columns=columns, lists="tuple").drop(columns=["quarter"]))
    found = store.read("grievances", columns=list(GRIEVANCE_COLUMNS), lists="tuple").drop(columns=["quarter"])
    return contacts, found


def _both(func: Any, store: hi.Store, *args: Any, **kwargs: Any) -> tuple[Any, Any, list[str], list[str]]:
    contacts, found = _rows(store)
    with warnings.catch_warnings(record=True) as whole_warnings:
        warnings.simplefilter("always")
        whole = func(found, *args, corpus=contacts, **kwargs)
    with warnings.catch_warnings(record=True) as part_warnings:
        warnings.simplefilter("always")
        parts = func(store, *args, **kwargs)
    # the library's own warnings (pandas' deprecation notes come once per call that meets them)
    codes = [
        sorted(str(w.message)[:6] for w in ws if issubclass(w.category, hi.HotlineWarning))
        for ws in (whole_warnings, part_warnings)
    ]
    return whole, parts, codes[0], codes[1]


def _write(
    root: Path, contacts: pd.DataFrame, found: pd.DataFrame, quarters: list[str] | None = None
) -> hi.Store:
    store = hi.Store(root)
    with store.writer() as writer:
        writer.append("interactions", contacts)
        if quarters is not None:  # grievances put in the partitions given, not their interaction's
            found = found.assign(quarter=quarters)
        writer.append("grievances", found)
    return store


# -- a small store, worked by hand ------------------------------------------------------------------------


@pytest.fixture
def boundary_store(tmp_path: Path) -> hi.Store:
    """Customer cust-0 contacts on both sides of the 2026Q1/Q2 UTC boundary, inside one ISO week."""
    contacts = interactions(
        [
            ("a", "2026-03-30T10:00:00"),  # Monday of ISO week 14, 2026Q1
            ("b", "2026-04-01T10:00:00"),  # the same week, 2026Q2 (the partitions differ)
            ("c", "2026-04-02T10:00:00"),
            ("d", "2026-05-10T10:00:00"),
            ("e", None),  # undated: partition unknown
        ]
    )
    contacts["customer_id"] = pd.array(["cust-0", "cust-0", "cust-1", "cust-0", "cust-1"], dtype="string")
    found = grievances(
        [
            ("a", "2026-03-30T10:00:00", ["fees"], ["fibre"], 0.5),
            ("b", "2026-04-01T10:00:00", ["fees"], [], 0.5),
            ("c", "2026-04-02T10:00:00", ["fees", "waits"], ["hub"], 0.5),
            ("d", "2026-05-10T10:00:00", ["outage"], [], 0.5),
        ]
    )
    return _write(tmp_path / "store", contacts, found)


def test_a_customer_in_a_week_two_partitions_share_counts_once(boundary_store: hi.Store) -> None:
    assert boundary_store.quarters() == ["2026Q1", "2026Q2", "unknown"]
    table = hi.trends(boundary_store, "theme", "week")
    fees = table[(table["theme"] == "fees") & (table["period"] == "2026-W14")].iloc[0]
    # a (2026Q1) and b (2026Q2) are both cust-0's: two contacts, one customer
    assert (fees["n_contacts"], fees["n_customers"], fees["n_total_contacts"]) == (3, 2, 3)
    whole, parts, whole_codes, part_codes = _both(hi.trends, boundary_store, "theme", "week")
    pd.testing.assert_frame_equal(whole, parts, check_exact=True)
    # the same warnings, each once: the e-mail key two customer ids share (W301), e undated (W302)
    assert whole_codes == part_codes == ["[W301]", "[W302]"]


def test_emerging_as_of_a_date_matches(boundary_store: hi.Store) -> None:
    for as_of in ("2026-04", "2026-04-15", None):
        whole, parts, _, _ = _both(
            hi.emerging, boundary_store, "theme", "month", as_of=as_of, exposure="days", min_history=1
        )
        pd.testing.assert_frame_equal(whole, parts, check_exact=True)


@pytest.mark.parametrize("freq", ["week", "month"])
def test_before_after_matches(boundary_store: hi.Store, freq: str) -> None:
    whole, parts, whole_codes, part_codes = _both(
        hi.before_after, boundary_store, "theme:fees", at="2026-04-01", freq=freq, exposure="days"
    )
    pd.testing.assert_frame_equal(whole, parts, check_exact=True)
    assert whole_codes == part_codes


def test_errors_are_those_of_the_rows(boundary_store: hi.Store, tmp_path: Path) -> None:
    with pytest.raises(hi.ConfigError, match="E552"):
        hi.trends(boundary_store, "no_such_dimension")
    with pytest.raises(hi.ConfigError, match="E550"):
        hi.trends(boundary_store, "theme", corpus=pd.DataFrame())
    with pytest.raises(hi.ConfigError, match="E553"):
        hi.trends(hi.Store(tmp_path / "empty"), "theme")
    with pytest.raises(hi.ConfigError, match="E560"):
        hi.emerging(boundary_store, "theme", "month", as_of="2025-01-01")


# -- any split of rows into partitions ----------------------------------------------------------------


@st.composite
def stores(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(min_value=1, max_value=14))
    # times near quarter boundaries, so local periods and ISO weeks straddle partitions
    anchors = ["2025-12-29", "2026-03-30", "2026-06-29", "2026-09-28"]
    contacts = []
    for i in range(n):
        day = draw(st.sampled_from(anchors))
        hours = draw(st.integers(min_value=0, max_value=24 * 6))
        when = None if draw(st.integers(0, 9)) == 0 else str(pd.Timestamp(day) + pd.Timedelta(hours=hours))
        contacts.append((f"i{i}", when))
    customers = draw(st.lists(st.sampled_from(["c0", "c1", "c2", None]), min_size=n, max_size=n))
    formats = draw(st.lists(st.sampled_from(["zendesk_json", "freshdesk"]), min_size=n, max_size=n))
    rows = []
    for i, (ident, when) in enumerate(contacts):
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            themes = draw(st.lists(st.sampled_from(THEMES), max_size=2))
            products = draw(st.lists(st.sampled_from(PRODUCTS), max_size=1))
            rows.append((ident, when, themes, products, 0.5, formats[i]))
    # orphan grievances: no interaction, possibly one id in several partitions
    for k in range(draw(st.integers(min_value=0, max_value=3))):
        when = str(pd.Timestamp(draw(st.sampled_from(anchors))) + pd.Timedelta(hours=k * 30))
        rows.append((f"orphan{k % 2}", when, ["fees"], [], 0.5, "zendesk_json"))
    misplace = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    return {
        "contacts": contacts,
        "customers": customers,
        "formats": formats,
        "rows": rows,
        "misplace": misplace,
    }


def _build(root: Path, spec: dict[str, Any]) -> hi.Store:
    contacts = interactions(spec["contacts"])
    contacts["customer_id"] = pd.array(spec["customers"], dtype="string")
    contacts["source_format"] = pd.array(spec["formats"], dtype="string")
    contacts["customer_keys"] = [[] for _ in range(len(contacts))]
    rows = spec["rows"]
    found = grievances([r[:5] for r in rows])
    found["source_format"] = pd.array([r[5] for r in rows], dtype="string")
    found["customer_id"] = pd.array([None] * len(rows), dtype="string")
    # some grievances go to another partition than their interaction's (a hand-made store can do that)
    own = [quarter_of(pd.Timestamp(r[1]) if r[1] else None) for r in rows]
    elsewhere = {"2025Q4": "2026Q2", "2026Q1": "2025Q4", "2026Q2": "2026Q3", "2026Q3": "2026Q1"}
    quarters = [elsewhere.get(q, "2026Q1") if m else q for q, m in zip(own, spec["misplace"], strict=True)]
    return _write(root, contacts, found, quarters)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spec=stores(),
    freq=st.sampled_from(["week", "month", "quarter"]),
    by=st.sampled_from(["theme", ("product", "theme"), "channel"]),
    tz=st.sampled_from(["UTC", "America/Chicago", "Pacific/Auckland"]),
    offsets=st.sampled_from([None, {"freshdesk": "30h"}, {"zendesk_json": "-48h"}]),
)
def test_any_split_into_partitions_gives_the_rows_series(
    spec: dict[str, Any],
    freq: str,
    by: Any,
    tz: str,
    offsets: dict[str, str] | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Periods across partitions, grievances stored away from their interaction, orphans, clock offsets."""
    store = _build(tmp_path_factory.mktemp("store") / "s", spec)
    contacts, found = _rows(store)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hi.trends(found, by, freq, corpus=contacts, timezone=tz, clock_offsets=offsets)
    except hi.ConfigError as exc:  # nothing dated: the same error
        with pytest.raises(hi.ConfigError, match=exc.code):
            hi.trends(store, by, freq, timezone=tz, clock_offsets=offsets)
        return
    whole, parts, whole_codes, part_codes = _both(
        hi.trends, store, by, freq, timezone=tz, clock_offsets=offsets
    )
    pd.testing.assert_frame_equal(whole, parts, check_exact=True)
    assert whole_codes == part_codes
    whole, parts, _, _ = _both(
        hi.early_warnings, store, by, freq, timezone=tz, min_history=1, min_contacts=1, clock_offsets=offsets
    )
    pd.testing.assert_frame_equal(whole, parts, check_exact=True)
    # customers resolved once, from the store, and passed on: the same table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        identities = hi.resolve_customers(store)
        again = hi.trends(store, by, freq, timezone=tz, clock_offsets=offsets, identities=identities)
        first = hi.trends(found, by, freq, corpus=contacts, timezone=tz, clock_offsets=offsets)
    pd.testing.assert_frame_equal(first, again, check_exact=True)


def test_partitions_are_read_one_at_a_time(boundary_store: hi.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting never reads more than one partition of grievances at once."""
    asked: list[Any] = []
    read = hi.Store.read

    def spy(self: hi.Store, table: str, quarters: Any = None, **kwargs: Any) -> pd.DataFrame:
        if table == "grievances":
            asked.append(quarters)
        return read(self, table, quarters, **kwargs)

    monkeypatch.setattr(hi.Store, "read", spy)
    hi.trends(boundary_store, "theme", "month")
    assert asked and all(isinstance(q, str) for q in asked)
    assert np.all([q in boundary_store.quarters("grievances") for q in asked])


def test_many_series_in_one_pass_are_each_series(boundary_store: hi.Store) -> None:
    from hotline_insight.analytics._store_series import SeriesRequest, StoreSeries

    source = StoreSeries("trends", boundary_store, customers_table=None, identities=None, clock_offsets=None)
    requests = [
        SeriesRequest(("theme",), "week", "contacts", "UTC"),
        SeriesRequest(
            ("product", "theme"), "month", "days", "America/Chicago", pd.Timestamp("2026-04-15", tz="UTC")
        ),
        SeriesRequest(("channel",), "quarter", "contacts", "Pacific/Auckland", None, 8106),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = source.series_many(requests)
        alone = [source.series(*request) for request in requests]
    for got, expected in zip(batch, alone, strict=True):
        pd.testing.assert_frame_equal(got.keys, expected.keys)
        assert (got.first, got.last) == (expected.first, expected.last)
        for name in ("counts", "grievances", "customers", "total", "days"):
            np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))

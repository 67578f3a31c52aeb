"""QuarterlyReport.from_store with a window of rows and sums of the rest, against every row read whole."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.report import _quarter_store, quarterly
from hotline_insight.store.schema import interactions_frame

from ._sample import TZ, SampleBundle, load_sample

WHEN = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def bundle() -> SampleBundle:
    return load_sample()


@pytest.fixture(scope="module")
def frames(bundle: SampleBundle) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample's interactions and grievances as the store holds them (2025Q3 to 2026Q4, and undated)."""
    return interactions_frame(bundle.corpus), bundle.grievances.to_frame()


def _write(root: Path, contacts: pd.DataFrame, found: pd.DataFrame) -> Path:
    with hi.Store(root).writer() as writer:
        writer.append("interactions", contacts)
        writer.append("grievances", found)
    return root


def _both(root: Path, quarter: str, **options: Any) -> tuple[hi.QuarterlyReport, hi.QuarterlyReport]:
    """The report read as a window and sums, and from every row; with the same library warnings."""
    said = []
    for rows in ("window", "all"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            said.append(hi.QuarterlyReport.from_store(root, quarter, rows=rows, generated_at=WHEN, **options))
        codes = sorted(str(w.message)[:6] for w in caught if issubclass(w.category, hi.HotlineWarning))
        said.append(codes)
    window, window_codes, whole, whole_codes = said
    assert window_codes == whole_codes
    return window, whole


def _assert_same(window: hi.QuarterlyReport, whole: hi.QuarterlyReport) -> None:
    assert sorted(window.tables) == sorted(whole.tables)
    for name, frame in whole.tables.items():
        pd.testing.assert_frame_equal(window.tables[name], frame, check_exact=True, obj=name)
    assert window.to_json() == whole.to_json()


def test_the_sample_store_gives_the_same_report(
    frames: tuple[pd.DataFrame, pd.DataFrame], bundle: SampleBundle, tmp_path: Path
) -> None:
    root = _write(tmp_path / "store", *frames)
    for quarter in ("2026Q3", "2026Q2"):
        window, whole = _both(
            root, quarter, catalog=bundle.catalog, customers_table=bundle.customers, timezone=TZ
        )
        _assert_same(window, whole)
    # the 2026Q3 report quotes a catalog change from before its window
    assert len(whole.tables["changes"])
    begins = pd.Timestamp("2026-04-01", tz=TZ).tz_convert("UTC") - pd.Timedelta("7D")
    quoted = whole.tables["quotes"]
    change_quotes = quoted[quoted["claim"].str.startswith("change:")]
    assert (pd.to_datetime(change_quotes["date"]).dt.tz_localize(TZ) < begins).any()


@pytest.mark.parametrize("pool", [1, 3])
def test_few_older_rows_per_change_give_the_same_quotes(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    bundle: SampleBundle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pool: int,
) -> None:
    """With the older rows cut to one or three interactions per change, the quotes are still those of all rows.

    The catalog's changes share policies and sides, so with one row kept the
    best interaction is often quoted already, and the rows are read again.
    """
    reread: list[int | None] = []
    add = quarterly._add_change_candidates

    def spy(data: Any, changes: pd.DataFrame, *, limit: int | None) -> None:
        reread.append(limit)
        add(data, changes, limit=limit)

    monkeypatch.setattr(quarterly, "CHANGE_QUOTE_POOL", pool)
    monkeypatch.setattr(quarterly, "_add_change_candidates", spy)
    root = _write(tmp_path / "store", *frames)
    window, whole = _both(
        root, "2026Q3", catalog=bundle.catalog, customers_table=bundle.customers, timezone=TZ
    )
    _assert_same(window, whole)
    assert reread[0] == pool


def test_a_change_quote_in_doubt_is_chosen_from_all_its_rows(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    bundle: SampleBundle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits: list[int | None] = []
    add = quarterly._add_change_candidates

    def spy(data: Any, changes: pd.DataFrame, *, limit: int | None) -> None:
        limits.append(limit)
        add(data, changes, limit=limit)

    monkeypatch.setattr(quarterly, "CHANGE_QUOTE_POOL", 1)
    monkeypatch.setattr(quarterly, "_add_change_candidates", spy)
    monkeypatch.setattr(quarterly, "_exact_change_quote", lambda *args: False)
    root = _write(tmp_path / "store", *frames)
    window, whole = _both(
        root, "2026Q3", catalog=bundle.catalog, customers_table=bundle.customers, timezone=TZ
    )
    _assert_same(window, whole)
    assert limits[0] == 1 and limits[1:] == [None] * len(whole.tables["changes"])


def test_which_change_quotes_are_in_doubt() -> None:
    """Cut after the second best interaction: a quote is sure when fresh and not ranked past the cut."""
    from types import SimpleNamespace

    n = 3
    rows = pd.DataFrame(
        {
            "interaction_id": ["a", "b", "c"],
            "created_at": pd.to_datetime(["2026-05-01"] * n, utc=True),
            "policies": [["p"]] * n,
            "policy_methods": [["name"]] * n,
            "themes": [[]] * n,
            "text": ["x" * 50] * n,
            "complaint_score": [0.9, 0.8, 0.7],  # a, then b, then c
            "intensity": [0.0] * n,
            "turn_position": [0] * n,
            "start_char": [0] * n,
        }
    )
    change = {"key": "policy:p", "event": "effective_from", "dimension": "policy", "value": "p"}
    change |= {"changed_at": pd.Timestamp("2026-04-01", tz="UTC"), "verdict": "no_change"}
    data: Any = SimpleNamespace(grievances=rows, history=SimpleNamespace(change_cuts={}))
    assert quarterly._exact_change_quote(data, change, [2], set())  # nothing was cut
    data.history.change_cuts["change:policy:p:effective_from"] = 1
    assert quarterly._exact_change_quote(data, change, [0], set())
    assert quarterly._exact_change_quote(data, change, [1], {"a"})
    assert not quarterly._exact_change_quote(data, change, [0], {"a"})  # all quoted: c may be fresh
    assert not quarterly._exact_change_quote(data, change, [2], set())  # past the cut
    assert not quarterly._exact_change_quote(data, change, [], set())


def _chain(
    frames: tuple[pd.DataFrame, pd.DataFrame], begins: pd.Timestamp
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One customer's contacts 10 minutes apart for a day across ``begins``: one repeat-contact episode."""
    contacts, found = frames
    times = begins + pd.to_timedelta(np.arange(-72, 72) * 10, unit="min")
    extra = contacts.iloc[[0] * len(times)].reset_index(drop=True)
    extra["id"] = pd.array([f"chain-{i}" for i in range(len(times))], dtype="string")
    extra["created_at"] = pd.Series(times, dtype="datetime64[us, UTC]")
    extra["customer_id"] = pd.array(["chain-customer"] * len(times), dtype="string")
    extra["customer_keys"] = [[] for _ in range(len(times))]
    extra["meta_ids"] = [[] for _ in range(len(times))]
    # the same problem again in the previous quarter, within the repeat window of the episode's end:
    # a repeat only the whole episode explains
    later = extra.iloc[[0]].assign(
        id=pd.array(["chain-after"], dtype="string"),
        created_at=pd.Series([begins + pd.Timedelta("7D1h")], dtype="datetime64[us, UTC]"),
    )
    extra = pd.concat([extra, later], ignore_index=True).drop(columns=["quarter"], errors="ignore")
    rows = found.iloc[[0] * len(extra)].reset_index(drop=True).drop(columns=["quarter"], errors="ignore")
    rows["interaction_id"] = extra["id"].to_numpy()
    rows["created_at"] = extra["created_at"].to_numpy()
    rows["customer_id"] = extra["customer_id"].to_numpy()
    # only the first contacts, before the window, and the last name a problem: the repeat needs them
    named = [i < 6 or i == len(rows) - 1 for i in range(len(rows))]
    rows["policies"] = [["pol_paper_bill_fee"] if n else [] for n in named]
    rows["policy_methods"] = [["name"] if n else [] for n in named]
    rows["themes"] = [["fee_dispute"] if n else [] for n in named]
    for column in ("products", "product_methods", "facets"):
        rows[column] = [[] for _ in named]
    return extra, rows


def test_a_messy_store_gives_the_same_report(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    bundle: SampleBundle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Orphans old, new and undated; an episode across the window's start; topics; a misplaced grievance."""
    contacts, found = frames
    begins = pd.Timestamp("2026-04-01", tz=TZ).tz_convert("UTC") - pd.Timedelta("7D")
    chain_contacts, chain_rows = _chain(frames, begins)
    orphans = found.iloc[[1, 2, 3]].reset_index(drop=True)
    orphans["interaction_id"] = pd.array(["ghost-old", "ghost-new", "ghost-undated"], dtype="string")
    orphans["created_at"] = pd.Series(
        [pd.Timestamp("2025-11-03T15:00Z"), pd.Timestamp("2026-08-03T15:00Z"), pd.NaT],
        dtype="datetime64[us, UTC]",
    )
    all_contacts = pd.concat([contacts, chain_contacts], ignore_index=True)
    homes = hi.store.schema.quarters_of(all_contacts["created_at"]).to_numpy(dtype=object).copy()
    # the repeat after the episode stored in 2025Q3 (a hand-made store can do that)
    homes[all_contacts["id"].to_numpy() == "chain-after"] = "2025Q3"
    all_found = pd.concat([found, chain_rows, orphans], ignore_index=True)
    # topics, outliers (-1) among them, spread over every quarter
    all_found["topic"] = pd.array((np.arange(len(all_found)) % 5) - 1, dtype="Int64")
    quarters = hi.store.schema.quarters_of(all_found["created_at"])
    # one grievance of a 2026Q3 interaction stored in 2025Q4 (a hand-made store can do that)
    inside = np.flatnonzero((quarters == "2026Q3").to_numpy())[0]
    quarters.iloc[inside] = "2025Q4"
    root = tmp_path / "store"
    with hi.Store(root).writer() as writer:
        writer.append("interactions", all_contacts.assign(quarter=homes))
        writer.append("grievances", all_found.assign(quarter=quarters.to_numpy()))
    names = pd.DataFrame({"topic": [0, 1, 2, 3], "label": ["zero", "one", "two", "three"]})
    starts: list[pd.Timestamp] = []
    read_window = _quarter_store.read_window

    def spy(history: Any, *args: Any) -> Any:
        starts.append(history.window_start)
        return read_window(history, *args)

    monkeypatch.setattr(_quarter_store, "read_window", spy)
    window, whole = _both(
        root, "2026Q3", topics=names, catalog=bundle.catalog, customers_table=bundle.customers, timezone=TZ
    )
    _assert_same(window, whole)
    assert len(whole.tables["topics"])
    # the rows begin with the episode under way a repeat window before the previous quarter
    assert starts == [chain_contacts["created_at"].min()]


def test_auto_reads_a_window_only_when_a_partition_ends_before_it(
    frames: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    original = _quarter_store.StoreSource.open

    def spy(self: Any, quarter: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(quarter)
        return original(self, quarter, *args, **kwargs)

    monkeypatch.setattr(_quarter_store.StoreSource, "open", spy)
    root = _write(tmp_path / "store", *frames)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hi.HotlineWarning)
        hi.QuarterlyReport.from_store(root, "2026Q3", generated_at=WHEN)  # 2025Q3 ends before it
        hi.QuarterlyReport.from_store(root, "2025Q4", generated_at=WHEN)  # every partition overlaps it
    assert opened == ["2026Q3"]


def test_the_history_is_counted_in_one_pass(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    bundle: SampleBundle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every series the tables ask for is among those counted beforehand: no table reads the store again."""
    from hotline_insight.analytics._store_series import StoreSeries

    passes: list[int] = []
    count = StoreSeries._count

    def spy(self: StoreSeries, requests: Any, *args: Any) -> Any:
        passes.append(len(requests))
        return count(self, requests, *args)

    monkeypatch.setattr(StoreSeries, "_count", spy)
    root = _write(tmp_path / "store", *frames)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hi.HotlineWarning)
        hi.QuarterlyReport.from_store(
            root,
            "2026Q3",
            rows="window",
            catalog=bundle.catalog,
            customers_table=bundle.customers,
            timezone=TZ,
        )
    assert passes == [13]


def test_a_window_where_it_cannot_be_used_is_an_error(
    frames: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path
) -> None:
    root = _write(tmp_path / "store", *frames)
    with pytest.raises(hi.ConfigError, match=r"^\[E1020\].*rows"):
        hi.QuarterlyReport.from_store(root, "2026Q3", rows="some")
    with pytest.raises(hi.ConfigError, match=r"^\[E1020\].*previous is a Store"):
        hi.QuarterlyReport.from_store(root, "2026Q3", rows="window", previous=hi.Store(root))

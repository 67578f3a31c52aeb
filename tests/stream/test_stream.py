from __future__ import annotations

import tracemalloc
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import hotline_insight as hi
from hotline_insight.errors import ConfigError, ParseError
from hotline_insight.store import StoreWarning
from hotline_insight.store import dataset as ds

from .stream_helpers import write_tickets

ROOT = Path(__file__).resolve().parents[2]
KEY = ["source_format", "interaction_id", "turn_position", "start_char"]


@pytest.fixture(scope="session")
def catalog() -> hi.Catalog:
    return hi.Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")


@pytest.fixture(scope="session")
def nlp(catalog: hi.Catalog) -> Any:
    return hi.build_pipeline(catalog=catalog)


@pytest.fixture(scope="session")
def tickets(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("tickets")
    return [
        write_tickets(folder / "a.jsonl", 150, seed=1, start=0, undated_every=30),
        write_tickets(folder / "b.jsonl", 120, seed=2, start=1000),
    ]


@pytest.fixture(scope="session")
def reference(tickets: list[Path], catalog: hi.Catalog, nlp: Any) -> pd.DataFrame:
    corpus = hi.read(tickets)
    return hi.extract_grievances(corpus, catalog, nlp=nlp).to_frame()


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(KEY).reset_index(drop=True)


# -- chunks -----------------------------------------------------------------------------------------


def test_chunks_hold_exactly_what_extract_grievances_finds(
    tickets: list[Path], catalog: hi.Catalog, nlp: Any, reference: pd.DataFrame
) -> None:
    stream = hi.iter_grievance_chunks(tickets, catalog, chunk_size=64, nlp=nlp)
    chunks = list(stream)
    assert [len(c.interactions) for c in chunks] == [64, 64, 64, 64, 14]
    assert [c.index for c in chunks] == [0, 1, 2, 3, 4]
    assert stream.n_interactions == 270 and stream.report.n_parsed == 270
    found = pd.concat([c.grievances for c in chunks], ignore_index=True)
    assert stream.n_grievances == len(found) == len(reference) > 50
    assert list(found.columns) == [*hi.Grievances().to_frame().columns, "quarter"]
    pd.testing.assert_frame_equal(found.drop(columns="quarter"), reference, check_categorical=False)
    expected_quarters = hi.store.quarters_of(reference["created_at"]).tolist()
    assert found["quarter"].tolist() == expected_quarters
    frame = pd.concat([c.interactions for c in chunks], ignore_index=True)
    assert frame["id"].tolist() == [str(i) for i in range(150)] + [str(i) for i in range(1000, 1120)]
    assert (frame["quarter"] == "unknown").sum() == 5
    assert not frame["subject"].str.contains("555").any()
    totals: Counter[str] = Counter()
    for chunk in chunks:
        totals.update(chunk.redactions)
    assert totals["PHONE"] > 0 and stream.redactions == totals


def test_two_processes_give_the_same_chunks(
    tickets: list[Path], catalog: hi.Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hotline_insight.stream as stream

    monkeypatch.setattr(stream, "RENEW_AFTER", 60)  # one process: the vocabulary is renewed once
    monkeypatch.setattr(stream, "RECYCLE_CHUNKS", 1)  # two: each chunk in a fresh fork
    single = hi.iter_grievance_chunks(tickets[1], catalog, chunk_size=40)
    built = single._worker.extractor
    one = list(single)
    assert single._worker.extractor is not built
    two = list(hi.iter_grievance_chunks(tickets[1], catalog, chunk_size=40, n_process=2))
    assert len(one) == len(two) == 3
    for a, b in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(a.grievances, b.grievances)
        pd.testing.assert_frame_equal(a.interactions, b.interactions)


@pytest.mark.parametrize(
    "kwargs",
    [{"chunk_size": 0}, {"chunk_size": 2.5}, {"n_process": 0}, {"n_process": True}, {"topic_model": 3}],
)
def test_bad_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match=r"^\[E1113\]"):
        hi.iter_grievance_chunks(ROOT / "sample_data" / "tickets" / "freshdesk", **kwargs)


def test_a_pipeline_cannot_be_shared_by_processes(nlp: Any) -> None:
    with pytest.raises(ConfigError, match=r"^\[E1113\].*'nlp'"):
        hi.iter_grievance_chunks(ROOT / "sample_data" / "tickets" / "freshdesk", nlp=nlp, n_process=2)


# -- aggregates -------------------------------------------------------------------------------------


def _grievances(rows: list[tuple[str, str | None, list[str], list[str], list[str], float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interaction_id": [r[0] for r in rows],
            "source_format": ["zendesk_json"] * len(rows),
            "created_at": pd.to_datetime([r[1] for r in rows], utc=True),
            "themes": [r[2] for r in rows],
            "products": [r[3] for r in rows],
            "policies": [r[4] for r in rows],
            "intensity": [r[5] for r in rows],
            "sentiment": [-1.0] * len(rows),
        }
    )


def test_aggregates_count_each_grievance_per_theme_and_link() -> None:
    frame = _grievances(
        [
            ("1", "2026-08-01", ["fees"], ["fibre", "hub"], ["support_fee"], 0.5),
            ("1", "2026-08-01", ["fees", "waits"], [], [], 0.25),
            ("2", "2026-08-02", ["fees"], ["fibre"], [], 1.0),
            ("3", None, [], [], [], 0.0),
        ]
    )
    table = hi.aggregate_grievances(frame)
    rows = [
        tuple(None if pd.isna(v) else v for v in r)
        for r in table.drop(columns="sentiment_sum").itertuples(index=False)
    ]
    assert rows == [
        ("2026Q3", "fees", "all", None, 3, 2, 1.75),
        ("2026Q3", "waits", "all", None, 1, 1, 0.25),
        ("2026Q3", "fees", "policy", "support_fee", 1, 1, 0.5),
        ("2026Q3", "fees", "policy", None, 2, 2, 1.25),
        ("2026Q3", "waits", "policy", None, 1, 1, 0.25),
        ("2026Q3", "fees", "product", "fibre", 2, 2, 1.5),
        ("2026Q3", "fees", "product", "hub", 1, 1, 0.5),
        ("2026Q3", "fees", "product", None, 1, 1, 0.25),
        ("2026Q3", "waits", "product", None, 1, 1, 0.25),
        ("unknown", None, "all", None, 1, 1, 0.0),
        ("unknown", None, "policy", None, 1, 1, 0.0),
        ("unknown", None, "product", None, 1, 1, 0.0),
    ]
    assert table["sentiment_sum"].tolist()[0] == -3.0
    assert dict(table.dtypes.astype(str)) == {
        "quarter": "string",
        "theme": "string",
        "dimension": "string",
        "value": "string",
        "n_grievances": "int64",
        "n_interactions": "int64",
        "intensity_sum": "float64",
        "sentiment_sum": "float64",
    }
    assert hi.aggregate_grievances(frame.iloc[:0]).empty


def test_aggregates_need_their_columns() -> None:
    with pytest.raises(ConfigError, match=r"^\[E1110\].*themes"):
        hi.aggregate_grievances(pd.DataFrame({"interaction_id": ["1"]}))


def test_chunk_aggregates_add_up_to_the_whole(
    tickets: list[Path], catalog: hi.Catalog, nlp: Any, reference: pd.DataFrame
) -> None:
    chunks = list(hi.iter_grievance_chunks(tickets, catalog, chunk_size=37, nlp=nlp))
    parts = pd.concat([hi.aggregate_grievances(c.grievances) for c in chunks], ignore_index=True)
    keys = ["quarter", "theme", "dimension", "value"]
    summed = parts.groupby(keys, dropna=False).sum(numeric_only=True).reset_index()
    whole = (
        hi.aggregate_grievances(reference).groupby(keys, dropna=False).sum(numeric_only=True).reset_index()
    )
    pd.testing.assert_frame_equal(summed, whole, check_exact=False, rtol=1e-12)


# -- into the store ---------------------------------------------------------------------------------


def test_write_store_partitions_and_skips_inputs_already_written(
    tmp_path: Path, tickets: list[Path], catalog: hi.Catalog, nlp: Any, reference: pd.DataFrame
) -> None:
    root = tmp_path / "store"
    with pytest.warns(StoreWarning, match=r"^\[W501\] 5 interaction"):
        run = hi.write_store(tickets[0], root, catalog, nlp=nlp, chunk_size=50)
    assert (run.n_inputs, run.n_skipped, run.n_interactions, run.n_unknown_quarter) == (1, 0, 150, 5)
    assert run.quarters == ["2026Q1", "2026Q2", "2026Q3", "unknown"]
    store = hi.Store(root)
    assert store.quarters("grievances") == run.quarters
    inputs = store.inputs()
    assert inputs["path"].unique().tolist() == [str(tickets[0].resolve())]
    assert inputs["n_interactions"].sum() == 150
    assert inputs.set_index("quarter")["n_interactions"].to_dict()["unknown"] == 5

    # the nightly job passes both files: only the new one is read
    run = hi.write_store(tickets, root, catalog, nlp=nlp, chunk_size=50)
    assert (run.n_inputs, run.n_skipped, run.n_interactions) == (1, 1, 120)
    found = store.read("grievances")
    pd.testing.assert_frame_equal(
        _sorted(found.drop(columns="quarter")), _sorted(reference), check_categorical=False
    )
    assert hi.aggregate_grievances(found).equals(
        store.read("aggregates").astype({"quarter": "string"})[list(hi.aggregate_grievances(found).columns)]
    ) or _close_aggregates(store.read("aggregates"), hi.aggregate_grievances(found))

    # nothing new: nothing written; replace=True reads everything again, without doubling anything
    assert hi.write_store(tickets, root, catalog, nlp=nlp).n_skipped == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StoreWarning)
        again = hi.write_store(tickets, root, catalog, nlp=nlp, replace=True)
    assert (again.n_inputs, again.n_skipped, again.mode) == (2, 0, "replace")
    pd.testing.assert_frame_equal(
        _sorted(store.read("grievances").drop(columns="quarter")), _sorted(reference), check_categorical=False
    )
    assert store.verify().empty


def _close_aggregates(stored: pd.DataFrame, expected: pd.DataFrame) -> bool:
    keys = ["quarter", "dimension", "theme", "value"]
    a = stored[list(expected.columns)].sort_values(keys, na_position="last").reset_index(drop=True)
    b = expected.sort_values(keys, na_position="last").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
    return True


def test_write_store_reads_repeated_content_once(
    tmp_path: Path, tickets: list[Path], catalog: hi.Catalog, nlp: Any
) -> None:
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(tickets[1].read_bytes())
    with pytest.warns(StoreWarning, match=r"^\[W504\] 1 input.*copy.jsonl"):
        run = hi.write_store([tickets[1], copy], tmp_path / "store", catalog, nlp=nlp)
    assert (run.n_inputs, run.n_duplicates, run.n_interactions) == (1, 1, 120)


def test_a_failing_run_leaves_the_store_unchanged(
    tmp_path: Path, tickets: list[Path], catalog: hi.Catalog, nlp: Any
) -> None:
    root = tmp_path / "store"
    hi.write_store(tickets[1], root, catalog, nlp=nlp)
    before = hi.Store(root).partitions()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(tickets[1].read_text().replace('"id": 1003', '"id": ', 1).replace("1000", "5000"))
    with pytest.raises(ParseError):
        hi.write_store(bad, root, catalog, nlp=nlp, on_error="raise")
    pd.testing.assert_frame_equal(hi.Store(root).partitions(), before)
    assert len(hi.Store(root).runs()) == 1
    with pytest.raises(ConfigError, match=r"^\[E1113\].*'replace'"):
        hi.write_store(bad, root, replace="yes")  # type: ignore[arg-type]


# -- memory ---------------------------------------------------------------------------------------


def _peak_memory(
    source: Path, root: Path, catalog: hi.Catalog, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int]:
    """Peak Python allocations (tracemalloc) and peak Arrow pool bytes while streaming into a store."""
    arrow_peak = [pa.total_allocated_bytes()]
    append = ds.StoreWriter.append

    def sampled(self: ds.StoreWriter, table: str, frame: pd.DataFrame) -> None:
        append(self, table, frame)
        arrow_peak.append(pa.total_allocated_bytes())

    monkeypatch.setattr(ds.StoreWriter, "append", sampled)
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StoreWarning)
            hi.write_store(source, root, catalog, nlp=nlp, chunk_size=15)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        monkeypatch.undo()
    return peak, max(arrow_peak)


def test_memory_does_not_grow_with_the_input(
    tmp_path: Path, catalog: hi.Catalog, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ds, "ROW_GROUP_ROWS", 30)  # so that row groups, too, are flushed many times
    small = write_tickets(tmp_path / "small.jsonl", 60, seed=5)
    large = write_tickets(tmp_path / "large.jsonl", 300, seed=6)  # 20 chunks, 10 row groups
    _peak_memory(
        write_tickets(tmp_path / "warm.jsonl", 20, seed=4), tmp_path / "warm", catalog, nlp, monkeypatch
    )
    monkeypatch.setattr(ds, "ROW_GROUP_ROWS", 30)
    small_py, small_arrow = _peak_memory(small, tmp_path / "s", catalog, nlp, monkeypatch)
    monkeypatch.setattr(ds, "ROW_GROUP_ROWS", 30)
    large_py, large_arrow = _peak_memory(large, tmp_path / "l", catalog, nlp, monkeypatch)
    print(f"peak Python {small_py} -> {large_py} bytes, Arrow {small_arrow} -> {large_arrow} bytes")
    assert large_py < 1.25 * small_py + 300_000, (small_py, large_py)
    assert large_arrow < 1.25 * small_arrow + 300_000, (small_arrow, large_arrow)
    assert len(hi.Store(tmp_path / "l").read("interactions", columns=["id"])) == 300

"""Spark and pandas give the same tables on the same input (local[2], a few hundred interactions).

One test runs every check, so that under ``pytest -n 2`` a single worker starts
Spark and runs the pipelines once; each check is a function named for what it checks.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.errors import ConfigError
from hotline_insight.store.schema import from_arrow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
KEYS = {
    "interactions": ["quarter", "source_format", "id"],
    "grievances": ["quarter", "source_format", "interaction_id", "turn_position", "start_char"],
    "aggregates": ["quarter", "dimension", "theme", "value"],
}


def _sorted(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return frame.sort_values(key, na_position="last", kind="stable").reset_index(drop=True)


def make_inputs(folder: Path) -> Path:
    """Freshdesk tickets, WebVTT and plain-text calls and one utterance file, plus a file that fails."""
    folder.mkdir()
    shutil.copy(SAMPLE / "tickets" / "freshdesk" / "tickets.json", folder / "tickets.json")
    for path in sorted((SAMPLE / "calls" / "webvtt").glob("*.vtt"))[:6]:
        shutil.copy(path, folder / path.name)
    for path in sorted((SAMPLE / "calls" / "plain_text").rglob("*.txt"))[:6]:
        shutil.copy(path, folder / path.name)
    shutil.copy(SAMPLE / "chats" / "utterances" / "chats_2026-03.jsonl", folder / "chats_2026-03.jsonl")
    (folder / "broken.vtt").write_text("WEBVTT\n\n00:00:01.000 --> garbage\n<v Agent>Hello\n")
    return folder


def make_reference(inputs: Path, catalog: hi.Catalog) -> pd.DataFrame:
    corpus = hi.read(inputs, on_error="collect")
    assert 150 < len(corpus) <= 1000
    return hi.extract_grievances(corpus, catalog).to_frame()


def make_topic_model(reference: pd.DataFrame, folder: Path) -> Path:
    model = hi.TopicModel(embedding="tfidf", min_topic_size=5, random_state=0).fit(reference["text"].tolist())
    return model.save(folder)


def check_same_store(pandas_root: Path, spark_root: Path) -> None:
    ours, theirs = hi.Store(pandas_root), hi.Store(spark_root)
    for table, key in KEYS.items():
        assert ours.quarters(table) == theirs.quarters(table), table
        a = _sorted(ours.read(table), key)
        b = _sorted(theirs.read(table), key)
        assert len(a) > 0, table
        pd.testing.assert_frame_equal(a, b, check_categorical=False, check_exact=False, rtol=1e-12, obj=table)
        if table == "grievances":
            assert a["topic"].notna().sum() > 0  # topics were assigned, the same on both sides
    assert theirs.verify().empty
    drop = ["run_id", "written_at"]
    assert ours.inputs().drop(columns=drop).equals(theirs.inputs().drop(columns=drop))


def check_same_run(ours: Any, theirs: Any) -> None:
    fields = (
        "quarters",
        "n_inputs",
        "n_skipped",
        "n_interactions",
        "n_grievances",
        "n_unknown_quarter",
        "n_turns",
    )
    for field in fields:
        assert getattr(ours, field) == getattr(theirs, field), field
    assert ours.parse_report.n_failed == theirs.parse_report.n_failed == 1
    assert [f.reason for f in ours.parse_report.failure_records] == [
        f.reason for f in theirs.parse_report.failure_records
    ]


def check_dataframe_api(spark: Any, inputs: Path, reference: pd.DataFrame) -> None:
    import hotline_insight.spark as his

    read = his.read_interactions(spark, inputs)
    rows = read.interactions.select("id", "quarter", "input_sha256").collect()
    assert len(rows) == len(hi.read(inputs, on_error="collect"))
    failures = read.failures.collect()
    assert [Path(r["input_path"]).name for r in failures] == ["broken.vtt"]
    assert failures[0]["failure_reason"] in {r.value for r in hi.ParseFailureReason}
    grievances = his.extract_grievances(read.interactions, SAMPLE / "catalog.yaml").cache()
    arrow = grievances.toArrow()
    got = from_arrow("grievances", arrow).assign(
        quarter=pd.array(arrow.column("quarter").to_pylist(), dtype="string")
    )
    expected = reference.assign(quarter=hi.store.quarters_of(reference["created_at"]))
    key = KEYS["grievances"]
    pd.testing.assert_frame_equal(_sorted(got, key), _sorted(expected, key), check_categorical=False)
    spark_agg = his.aggregate_grievances(grievances).toArrow().to_pandas()
    pandas_agg = hi.aggregate_grievances(reference)
    pd.testing.assert_frame_equal(
        spark_agg.astype(pandas_agg.dtypes.to_dict()), pandas_agg, check_exact=False, rtol=1e-12
    )
    grievances.unpersist()


def check_spark_reads_the_store(spark: Any, root: Path) -> None:
    frame = spark.read.parquet(str(root / "grievances"))
    counts = {r["quarter"]: r["count"] for r in frame.groupBy("quarter").count().collect()}
    parts = hi.Store(root).partitions()
    rows = parts[parts["table"] == "grievances"][["quarter", "n_rows"]].itertuples(index=False)
    assert counts == {q: n for q, n in rows if n}
    assert dict(frame.dtypes)["created_at"] == "timestamp"
    assert dict(frame.dtypes)["themes"] == "array<string>"


def check_second_run_skips_everything(spark: Any, root: Path, inputs: Path, first: Any) -> None:
    import hotline_insight.spark as his

    before = hi.Store(root).partitions()
    run = his.write_store(spark, inputs, root, SAMPLE / "catalog.yaml")
    assert (run.n_inputs, run.n_skipped, run.n_interactions, run.quarters) == (0, first.n_inputs, 0, [])
    pd.testing.assert_frame_equal(hi.Store(root).partitions(), before)


def check_bad_arguments(spark: Any, inputs: Path, tmp_path: Path) -> None:
    import hotline_insight.spark as his

    with pytest.raises(ConfigError, match=r"^\[E1116\]"):
        his.write_store("not a session", inputs, tmp_path / "s")
    with pytest.raises(ConfigError, match=r"^\[E1118\]"):
        his.write_store(spark, inputs, tmp_path / "s", topic_model=tmp_path / "missing")
    with pytest.raises(ConfigError, match=r"^\[E1113\].*'catalog'"):
        his.extract_grievances(spark.range(1), catalog=42)  # type: ignore[arg-type]
    assert not (tmp_path / "s").exists()


def test_spark_pipeline_matches_pandas(spark: Any, tmp_path: Path) -> None:
    import hotline_insight.spark as his

    inputs = make_inputs(tmp_path / "inputs")
    catalog = hi.Catalog.from_yaml(SAMPLE / "catalog.yaml")
    reference = make_reference(inputs, catalog)
    model = make_topic_model(reference, tmp_path / "topic_model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = hi.write_store(inputs, tmp_path / "pandas", catalog, topic_model=model, chunk_size=64)
        theirs = his.write_store(spark, inputs, tmp_path / "spark", catalog, topic_model=model)
    check_same_store(tmp_path / "pandas", tmp_path / "spark")
    check_same_run(ours, theirs)
    check_dataframe_api(spark, inputs, reference)
    check_spark_reads_the_store(spark, tmp_path / "pandas")
    check_second_run_skips_everything(spark, tmp_path / "spark", inputs, theirs)
    check_bad_arguments(spark, inputs, tmp_path / "bad")

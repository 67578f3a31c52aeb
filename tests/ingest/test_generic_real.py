"""The generic reader on real public data sets (skipped where /work/shared/datasets is absent)."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import hotline_insight as hi
from hotline_insight.records import Interaction

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
MULTIDOGO = DATASETS / "multidogo" / "splits_annotated_at_turn_level"
DOMAINS = ("airline", "fastfood", "finance", "insurance", "media", "software")

MULTIDOGO_MAPPING: dict[str, Any] = {
    "conversation_id": "conversationId",
    "turn_order": "turnNumber",
    "text": "utterance",
    "meta": ["intent", "slot-labels", "utteranceId"],
}


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def read_all(source: Path, **options: Any) -> tuple[list[Interaction], Any]:
    stream = hi.iter_interactions(source, format="generic", on_error="collect", **options)
    records = list(stream)
    assert stream.report.is_consistent
    return records, stream.report


@pytest.mark.parametrize("domain", DOMAINS)
def test_multidogo_turn_level_test_split(domain: str) -> None:
    path = needs(MULTIDOGO / domain / "test.tsv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    turns_per_conversation = Counter(row["conversationId"] for row in rows)

    records, report = read_all(path, mapping=MULTIDOGO_MAPPING)

    assert report.n_failed == 0, report.failure_records[:3]
    assert report.n_read == report.n_parsed == len(records)
    assert len(records) == len(turns_per_conversation)  # grouped rows: one record per conversation here
    assert {r.id for r in records} == set(turns_per_conversation)
    assert sum(len(r.turns) for r in records) == len(rows)
    assert {r.id: len(r.turns) for r in records} == dict(turns_per_conversation)
    assert {t.role for r in records for t in r.turns} == {"customer"}
    first = records[0]
    assert first.id == rows[0]["conversationId"]
    assert first.source.line == 2 and first.source.path.endswith("test.tsv.gz")
    orders = [t.meta["turn_order"] for t in first.turns]
    assert orders == sorted(orders)
    assert set(first.turns[0].meta) == {"intent", "slot-labels", "utteranceId", "turn_order"}
    assert first.turns[0].text == next(
        row["utterance"]
        for row in sorted(
            (row for row in rows if row["conversationId"] == first.id),
            key=lambda row: float(row["turnNumber"]),
        )
    )


def test_multidogo_quoted_multiline_cells_stay_one_turn() -> None:
    path = needs(MULTIDOGO / "media" / "test.tsv.gz")
    records, _ = read_all(path, mapping=MULTIDOGO_MAPPING)
    multiline = [t.text for r in records for t in r.turns if "\n" in t.text]
    assert multiline and all(len(text.splitlines()) == 2 for text in multiline)


def test_abcd_sample_json_array() -> None:
    path = needs(DATASETS / "abcd_partial" / "abcd_sample.json")
    mapping = {
        "id": "convo_id",
        "turns": "original",
        "category": "scenario.flow",
        "meta": ["scenario.subflow"],
        "role_map": {"action": "system"},
        "default_channel": "chat",
    }
    records, report = read_all(path, mapping=mapping)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert report.n_failed == 0 and len(records) == 3
    for record, source in zip(records, raw, strict=True):
        assert record.id == str(source["convo_id"])
        assert record.category == source["scenario"]["flow"]
        assert dict(record.meta) == {"scenario.subflow": source["scenario"]["subflow"]}
        assert record.channel == "chat"
        assert {t.role for t in record.turns} == {"agent", "customer", "system"}
        assert [(t.speaker, t.text) for t in record.turns] == [tuple(pair) for pair in source["original"]]
        assert [t.role for t in record.turns if t.speaker == "action"] == ["system"] * sum(
            1 for speaker, _ in source["original"] if speaker == "action"
        )
    assert [r.source.index for r in records] == [0, 1, 2]


def test_abcd_default_meta_keeps_no_clear_identifiers() -> None:
    path = needs(DATASETS / "abcd_partial" / "abcd_sample.json")
    records, _ = read_all(path, mapping={"id": "convo_id", "turns": "original", "category": "scenario.flow"})
    raw = json.loads(path.read_text(encoding="utf-8"))
    dumped = json.dumps([dict(r.meta) for r in records])
    for source, record in zip(raw, records, strict=True):
        personal = source["scenario"]["personal"]
        for kind in ("email", "phone"):
            if kind in personal:
                assert personal[kind] not in dumped
                assert hi.hash_identifier(kind, personal[kind]) in record.customer_keys
        assert "flow" not in record.meta["scenario"]  # mapped, so not repeated in meta
        assert record.meta["scenario"]["subflow"] == source["scenario"]["subflow"]


def test_banking77_test_csv() -> None:
    path = needs(DATASETS / "banking77" / "test.csv")
    records, report = read_all(path, mapping={"text": "text", "category": "category"})
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert report.n_failed == 0 and len(records) == len(rows) == 3080
    assert [r.category for r in records] == [row["category"] for row in rows]
    assert [r.turns[0].text for r in records] == [row["text"] for row in rows]
    assert len({r.id for r in records}) == len(records)  # positional ids, one per row
    assert records[0].id == f"{path}#0"


def test_dstc11_insurance_jsonl() -> None:
    path = needs(DATASETS / "dstc11_insurance" / "development_test-utterances.jsonl")
    records, report = read_all(
        path, mapping={"id": "utterance_id", "text": "utterance", "category": "intent"}
    )
    with path.open(encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh if line.strip()]
    assert report.n_failed == 0 and len(records) == len(raw) == 913
    assert [(r.id, r.category, r.turns[0].text) for r in records] == [
        (x["utterance_id"], x["intent"], x["utterance"]) for x in raw
    ]
    assert len({r.category for r in records}) == 22
    assert [r.source.line for r in records[:3]] == [1, 2, 3]


def test_dstc11_auto_mapping_takes_intent_as_category() -> None:
    path = needs(DATASETS / "dstc11_insurance" / "development_test-utterances.jsonl")
    stream = hi.iter_interactions(path, format="generic", on_error="collect")
    first = next(stream)
    assert (first.turns[0].text, first.category) == ("I need a quote for my newest car", "GetQuote")
    assert dict(first.meta) == {"utterance_id": "insurance_0000"}


def test_multidogo_streams_in_bounded_slices() -> None:
    """iter_interactions yields conversations as they complete, without reading the rest."""
    path = needs(MULTIDOGO / "finance" / "test.tsv.gz")
    stream = hi.iter_interactions(path, format="generic", mapping=MULTIDOGO_MAPPING)
    first = [next(stream) for _ in range(5)]
    assert all(r.turns for r in first)
    assert stream.report.n_read == 5

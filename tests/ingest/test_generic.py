"""The generic reader: column mappings over CSV/TSV, JSON lines, JSON arrays, Parquet and DataFrames."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ConfigError, ParseFailureReason
from hotline_insight.ingest import SourceFile
from hotline_insight.ingest.generic import ColumnMapping, GenericParser
from hotline_insight.records import Interaction, hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "generic"
UTC = dt.UTC

TICKETS_MAPPING: dict[str, Any] = {
    "id": "ticket_ref",
    "created_at": "opened",
    "channel": "via",
    "subject": "subject",
    "text": ["body", "resolution_note"],
    "product": "product_line",
    "category": "reason",
    "status": "state",
    "tags": "labels",
    "satisfaction": "csat",
    "satisfaction_scale": "1-5",
    "satisfaction_comment": "csat_comment",
    "customer_keys": {"email": "Customer Email", "phone": "phone"},
}
UTTERANCES_MAPPING: dict[str, Any] = {
    "conversation_id": "chat",
    "turn_order": "seq",
    "speaker": "from",
    "role": "kind",
    "text": "said",
    "turn_time": "sent",
    "created_at": "sent",
}
CHATS_MAPPING: dict[str, Any] = {
    "id": "conversation.id",
    "created_at": "conversation.started",
    "customer_id": "customer.id",
    "category": "conversation.flow.name",
    "channel": "channel",
    "tags": "tags",
    "turns": "messages",
    "turn_text_key": "body",
    "turn_time_key": "ts",
    "satisfaction": "rating",
    "satisfaction_scale": "good/bad",
    "customer_keys": {"email": "customer.email"},
}


def collect(source: Any, **options: Any) -> tuple[list[Interaction], Any]:
    """Read with on_error='collect' (format generic unless given); records and report."""
    options.setdefault("format", "generic")
    stream = hi.iter_interactions(source, on_error="collect", **options)
    records = list(stream)
    report = stream.report
    assert report.is_consistent
    assert not [f for f in report.failure_records if f.reason == ParseFailureReason.INTERNAL]
    return records, report


def reasons(report: Any) -> list[tuple[str, int | None, int | None]]:
    return [(f.reason.value, f.line, f.index) for f in report.failure_records]


def by_id(records: list[Interaction]) -> dict[str, Interaction]:
    return {r.id: r for r in records}


# -- one row per interaction (CSV) ---------------------------------------------


@pytest.mark.parametrize(
    ("ticket", "expected"),
    [
        (
            "T-1001",
            {
                "created_at": dt.datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
                "channel": "call",
                "subject": "Double charge",
                "product": "Broadband",
                "category": "billing",
                "status": "solved",
                "tags": ("billing", "refund"),
                "score": 1.0,
                "comment": "Quick and friendly",
                "n_turns": 2,
                "n_keys": 2,
                "line": 2,
                "index": 0,
            },
        ),
        (
            "T-1002",
            {
                "created_at": dt.datetime(2026, 3, 2, 13, 40, tzinfo=UTC),  # Europe/Berlin, CET
                "channel": "ticket",
                "subject": "Router drops every evening",
                "product": "Fibre 500",
                "category": "connectivity",
                "status": "open",
                "tags": ("connectivity", "router"),
                "score": 0.25,
                "comment": "Still not fixed",
                "n_turns": 1,
                "n_keys": 0,
                "line": 4,
                "index": 1,
            },
        ),
        (
            "T-1003",
            {
                "created_at": dt.datetime(2026, 3, 5, 7, 5, tzinfo=UTC),
                "channel": "email",
                "subject": "Cancel my plan",
                "product": "Mobile",
                "category": "cancellation",
                "status": "pending",
                "tags": (),
                "score": 0.0,
                "comment": None,
                "n_turns": 1,
                "n_keys": 1,
                "line": 5,
                "index": 2,
            },
        ),
    ],
)
def test_csv_tickets(ticket: str, expected: dict[str, Any]) -> None:
    records, report = collect(FIXTURES / "tickets.csv", mapping=TICKETS_MAPPING, timezone="Europe/Berlin")
    assert (report.n_read, report.n_parsed, report.n_failed) == (3, 3, 0)
    rec = by_id(records)[ticket]
    assert rec.created_at == expected["created_at"]
    assert rec.channel == expected["channel"]
    assert (rec.subject, rec.product, rec.category, rec.status) == (
        expected["subject"],
        expected["product"],
        expected["category"],
        expected["status"],
    )
    assert rec.tags == expected["tags"]
    assert rec.satisfaction is not None
    assert rec.satisfaction.score == expected["score"]
    assert rec.satisfaction.scale == "1-5"
    assert rec.satisfaction.comment == expected["comment"]
    assert len(rec.turns) == expected["n_turns"]
    assert all(t.role == "customer" for t in rec.turns)
    assert len(rec.customer_keys) == expected["n_keys"]
    assert (rec.source.format, rec.source.line, rec.source.index) == (
        "generic",
        expected["line"],
        expected["index"],
    )
    assert rec.source.path.endswith("tickets.csv")
    assert dict(rec.meta) == {"queue": rec.meta["queue"]}  # only the unmapped column


def test_csv_text_columns_become_turns_with_their_column() -> None:
    records, _ = collect(FIXTURES / "tickets.csv", mapping=TICKETS_MAPPING)
    first = by_id(records)["T-1001"]
    assert [t.meta["column"] for t in first.turns] == ["body", "resolution_note"]
    assert first.turns[0].text == "I was charged twice for the March invoice.\nPlease refund one of them."
    assert first.turns[1].text == "Refund issued [PII] on card"
    assert "😤" in by_id(records)["T-1002"].turns[0].text


def test_customer_keys_are_hashed_and_never_in_meta() -> None:
    records, _ = collect(FIXTURES / "tickets.csv", mapping={**TICKETS_MAPPING, "meta": None})
    first = by_id(records)["T-1001"]
    assert set(first.customer_keys) == {
        hash_identifier("email", "ana.lima@example.com"),
        hash_identifier("phone", "+1 (555) 010-2000"),
    }
    dumped = json.dumps([[dict(r.meta), [dict(t.meta) for t in r.turns]] for r in records])
    for clear in ("ana.lima@example.com", "kenji@example.org", "010-2000"):
        assert clear not in dumped


def test_explicit_meta_with_identifier_columns_is_hashed_not_kept() -> None:
    mapping = {**TICKETS_MAPPING, "customer_keys": {}, "meta": ["queue", "Customer Email", "phone"]}
    records, _ = collect(FIXTURES / "tickets.csv", mapping=mapping)
    first = by_id(records)["T-1001"]
    assert dict(first.meta) == {"queue": "tier1"}
    assert hash_identifier("email", "ana.lima@example.com") in first.customer_keys
    assert "ana.lima" not in json.dumps([dict(r.meta) for r in records])


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("+44 20 7946 0958", hash_identifier("phone", "+44 20 7946 0958")),
        ("(977) 625-2661", hash_identifier("phone", "(977) 625-2661")),
        ("x.y@example.com", hash_identifier("email", "x.y@example.com")),
        ("3348917502", "3348917502"),  # a bare number may be an order id: kept
        ("2026-01-05", "2026-01-05"),
        ("write to x.y@example.com", "write to x.y@example.com"),  # free text is redacted later, not here
    ],
)
def test_identifier_values_in_meta_are_hashed(value: str, kept: str) -> None:
    frame = pd.DataFrame({"id": ["1"], "text": ["ok"], "notes": [{"callback": value}]})
    records, _ = collect(frame, mapping={"id": "id", "text": "text"})
    assert records[0].meta["notes"] == {"callback": kept}
    assert records[0].customer_keys == ()


def test_staff_identifier_fields_are_hashed_in_place() -> None:
    frame = pd.DataFrame(
        {"id": ["1"], "text": ["ok"], "agent_email": ["dana@corp.example"], "customerPhone": ["555-010-2000"]}
    )
    records, _ = collect(frame, mapping={"id": "id", "text": "text"})
    assert dict(records[0].meta) == {"agent_email": hash_identifier("email", "dana@corp.example")}
    assert records[0].customer_keys == (hash_identifier("phone", "555-010-2000"),)


# -- one row per utterance -------------------------------------------------------


def test_utterance_rows_group_into_conversations() -> None:
    records, report = collect(FIXTURES / "utterances.tsv", mapping=UTTERANCES_MAPPING)
    assert (report.n_read, report.n_failed) == (2, 0)
    c77, c78 = records
    assert c77.id == "C-77"
    assert [t.text for t in c77.turns][:2] == [
        "Hi, my parcel never arrived.",
        "Can you tell me the order number?",
    ]
    assert [t.role for t in c77.turns] == ["customer", "agent", "customer", "system"]
    assert [t.speaker for t in c77.turns] == ["Priya", "Dana", "Priya", "bot"]
    assert c77.turns[2].text == 'It\'s 4471-AB, ordered on the 2nd "express"'
    assert [t.meta["turn_order"] for t in c77.turns] == [1, 2, 3, 4]
    assert [t.meta["topic"] for t in c77.turns] == ["order", "order", "order", "transfer"]
    assert c77.turns[0].at == dt.datetime(2026, 4, 1, 10, 0, 5, tzinfo=UTC)
    assert c77.created_at == dt.datetime(2026, 4, 1, 10, 0, 20, tzinfo=UTC)  # the first row's value
    assert (c77.source.line, c77.source.index) == (2, 0)
    assert c78.turns[1].text == ""  # an empty utterance is an empty turn, not a failure
    assert c78.source.line == 6


def test_reappearing_conversation_yields_fragments_merged_by_read(tmp_path: Path) -> None:
    path = tmp_path / "split.csv"
    path.write_text(
        "conv,who,said\n"
        "a,customer,My modem is dead\n"
        "a,agent,Have you tried restarting it?\n"
        "b,customer,Different issue\n"
        'a,customer,"Restarted, still dead"\n',
        encoding="utf-8",
    )
    mapping = {"conversation_id": "conv", "speaker": "who", "text": "said"}
    records, _ = collect(path, mapping=mapping)
    assert [r.id for r in records] == ["a", "b", "a"]
    corpus = hi.read(path, format="generic", mapping=mapping, on_error="collect")
    assert corpus.parse_report.n_merged == 1
    merged = next(r for r in corpus if r.id == "a")
    assert [t.text for t in merged.turns] == [
        "My modem is dead",
        "Have you tried restarting it?",
        "Restarted, still dead",
    ]


@pytest.mark.parametrize(
    ("rows", "reason", "line"),
    [
        ("a,1,Hi\n,2,no conversation\n", "missing_field", 3),
        ("a,1,Hi\na,x,bad order\n", "invalid_value", 3),
        ("a,1,Hi\na,,no order\n", "missing_field", 3),
    ],
)
def test_utterance_row_failures(tmp_path: Path, rows: str, reason: str, line: int) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("conv,n,text\n" + rows, encoding="utf-8")
    records, report = collect(path, mapping={"conversation_id": "conv", "turn_order": "n", "text": "text"})
    assert reasons(report) == [(reason, line, 1)]
    assert [len(r.turns) for r in records] == [1]


# -- JSON --------------------------------------------------------------------------


def test_jsonl_nested_paths_and_turn_objects() -> None:
    records, report = collect(FIXTURES / "chats.jsonl", mapping=CHATS_MAPPING)
    assert report.n_failed == 0
    one, two = records
    assert one.id == "chat-1"
    assert one.created_at == dt.datetime(2026, 5, 10, 6, 0, tzinfo=UTC)
    assert (one.customer_id, one.category, one.channel) == ("cus_81", "refund", "chat")
    assert [t.role for t in one.turns] == ["customer", "agent", "system"]
    assert one.turns[0].at == dt.datetime(2026, 5, 10, 6, 0, 3, tzinfo=UTC)
    assert dict(one.turns[0].meta) == {"lang": "en"}
    assert one.tags == ("refund", "late")
    assert one.satisfaction is not None and one.satisfaction.score == 0.0
    assert one.customer_keys == (hash_identifier("email", "maya.q@example.com"),)
    # unmapped keys stay in meta, minus the mapped sub-paths; the e-mail never in clear
    assert one.meta["conversation"] == {"flow": {"step": "verify"}}
    assert "customer" in one.meta and "email" not in json.dumps(dict(one.meta)).lower()
    assert (one.source.line, one.source.offset, one.source.index) == (1, 0, 0)
    assert two.turns[0].speaker == "visitor" and two.turns[1].role == "agent"
    assert two.satisfaction is not None and two.satisfaction.score == 1.0
    assert two.channel == "chat" and two.tags == () and two.customer_keys == ()


def test_json_array_reads_like_json_lines() -> None:
    lines, _ = collect(FIXTURES / "chats.jsonl", mapping=CHATS_MAPPING)
    array, report = collect(FIXTURES / "chats.json", mapping=CHATS_MAPPING)
    assert report.n_failed == 0
    strip = {"source"}
    assert [r.model_dump(exclude=strip) for r in array] == [r.model_dump(exclude=strip) for r in lines]
    assert [r.source.index for r in array] == [0, 1]
    assert array[1].source.line is not None and array[1].source.line > 2


@pytest.mark.parametrize(
    ("content", "reason", "where"),
    [
        ('{"id": "a", "text": "ok"}\n{"id": "b", "text": \n{"id": "c", "text": "ok"}\n', "malformed_json", 2),
        ('{"id": "a", "text": "ok"}\n["not", "an", "object"]\n', "invalid_value", 2),
        ('{"id": "a", "text": "ok"}\n{"id": "b"}\n', "missing_field", 2),
        ('{"id": "a", "text": "ok"}\n{"id": "b", "text": {"nested": 1}}\n', "invalid_value", 2),
        ('[{"id": "a", "text": "ok"}, {"id": "b", "text": "cut', "truncated", 1),
    ],
)
def test_json_record_failures(tmp_path: Path, content: str, reason: str, where: int) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(content, encoding="utf-8")
    records, report = collect(path, mapping={"id": "id", "text": "text"})
    assert [f.reason.value for f in report.failure_records] == [reason]
    assert report.failure_records[0].line == where
    assert records[0].id == "a"


def test_turn_lists_from_json_text_in_a_csv_cell(tmp_path: Path) -> None:
    path = tmp_path / "turns.csv"
    turns = json.dumps([["agent", "Hello"], ["customer", "Hi, I'd like a refund"]])
    path.write_text('id,transcript\n1,"' + turns.replace('"', '""') + '"\n2,not json\n', encoding="utf-8")
    records, report = collect(path, mapping={"id": "id", "turns": "transcript"})
    assert [t.role for t in records[0].turns] == ["agent", "customer"]
    assert reasons(report) == [("invalid_value", 3, 1)]


# -- failures: mapping, rows, CSV structure, binary ------------------------------------


def test_missing_mapped_column_is_one_failure_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("id,body\n" + "".join(f"{i},text {i}\n" for i in range(50)), encoding="utf-8")
    records, report = collect(path, mapping={"id": "id", "text": "message", "meta": ["queue"]})
    assert records == []
    assert report.n_read == 1
    (failure,) = report.failure_records
    assert (failure.reason, failure.line) == (ParseFailureReason.MISSING_FIELD, 1)
    assert "'message'" in failure.message and "'queue'" in failure.message
    assert "available columns: 'id', 'body'" in failure.message


def test_missing_nested_path_in_json_is_one_failure() -> None:
    _, report = collect(
        FIXTURES / "chats.jsonl", mapping={**CHATS_MAPPING, "category": "conversation.flows.name"}
    )
    assert [f.reason.value for f in report.failure_records] == ["missing_field"]
    assert "conversation.flows.name" in report.failure_records[0].message


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [
        ({"id": "id", "txt": "body"}, "unknown key 'txt'"),
        ({"id": "id"}, "map 'text'"),
        ({"id": "id", "conversation_id": "c", "text": "t"}, "not both"),
        ({"id": "id", "text": "t", "turn_order": "n"}, "'turn_order' needs 'conversation_id'"),
        ({"conversation_id": "c", "text": ["a", "b"]}, "must be one column"),
        ({"id": "id", "text": "t", "satisfaction_scale": "1-7"}, "satisfaction_scale"),
        ({"id": "id", "text": "t", "role_map": {"x": "boss"}}, "role_map"),
        ({"id": "id", "text": "t", "default_channel": "fax"}, "default_channel"),
        ({"id": "id", "text": ""}, "non-empty"),
    ],
)
def test_invalid_mapping_is_a_coded_config_error(mapping: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError, match=r"^\[E112\]") as info:
        hi.iter_interactions(FIXTURES / "bad_rows.csv", format="generic", mapping=mapping)
    assert fragment in str(info.value)
    with pytest.raises(ConfigError, match=r"^\[E112\]"):
        ColumnMapping(**mapping)


def test_mapping_of_wrong_type_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"^\[E109\]"):
        hi.iter_interactions(FIXTURES / "bad_rows.csv", format="generic", mapping=["id", "text"])


def test_mapping_instance_and_dict_are_equivalent() -> None:
    a, _ = collect(FIXTURES / "tickets.csv", mapping=TICKETS_MAPPING)
    b, _ = collect(FIXTURES / "tickets.csv", mapping=ColumnMapping(**TICKETS_MAPPING))
    assert a == b
    assert hi.ColumnMapping is ColumnMapping


def test_row_failures_carry_reason_and_line() -> None:
    records, report = collect(
        FIXTURES / "bad_rows.csv", mapping={"id": "id", "created_at": "created", "text": "text"}
    )
    assert [r.id for r in records] == ["R-1", "R-5"]
    assert reasons(report) == [("missing_field", 3, 1), ("invalid_timestamp", 4, 2), ("missing_field", 5, 3)]
    assert all(f.source.endswith("bad_rows.csv") and f.format == "generic" for f in report.failure_records)
    assert "Nobody answers" not in " ".join(f.message for f in report.failure_records)


def test_shifted_columns_are_malformed_csv_with_line() -> None:
    records, report = collect(
        FIXTURES / "shifted.csv", mapping={"id": "id", "created_at": "created", "text": "text"}
    )
    assert [r.id for r in records] == ["S-1", "S-3"]
    assert reasons(report) == [("malformed_csv", 3, 1), ("malformed_csv", 5, 3)]


def test_binary_junk_is_a_binary_failure(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 8)
    records, report = collect(path, mapping={"id": "id", "text": "text"})
    assert records == [] and reasons(report) == [("binary", None, None)]


@pytest.mark.parametrize(
    ("encoding", "warns"),
    [("latin-1", True), ("utf-16", False), ("utf-8-sig", False)],
)
def test_encodings(tmp_path: Path, encoding: str, warns: bool) -> None:
    path = tmp_path / f"enc-{encoding}.csv"
    path.write_bytes("id;texte\nF-1;Facture erronée, trop perçu\nF-2;Déçu du délai\n".encode(encoding))
    stream = hi.iter_interactions(
        path, format="generic", on_error="collect", mapping={"id": "id", "text": "texte"}
    )
    records = list(stream)
    assert [r.turns[0].text for r in records] == ["Facture erronée, trop perçu", "Déçu du délai"]
    assert [r.source.line for r in records] == [2, 3]
    assert any(w.code == "W102" for w in stream.report.warnings) is warns


# -- values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "raw", "score"),
    [
        ("1-5", "5", 1.0),
        ("1-5", "3", 0.5),
        ("1-5", "1.0", 0.0),
        ("0-10", "9", 0.9),
        ("0-10", "0", 0.0),
        ("0-1", "0.75", 0.75),
        ("good/bad", "Good", 1.0),
        ("good/bad", "bad", 0.0),
        ("good/bad", "offered", None),
        (None, "4", None),
    ],
)
def test_satisfaction_scales(scale: str | None, raw: str, score: float | None) -> None:
    frame = pd.DataFrame({"id": ["1"], "text": ["ok"], "rating": [raw]})
    records, _ = collect(
        frame, mapping={"id": "id", "text": "text", "satisfaction": "rating", "satisfaction_scale": scale}
    )
    sat = records[0].satisfaction
    assert sat is not None
    assert sat.score == pytest.approx(score) if score is not None else sat.score is None
    assert (sat.raw, sat.scale) == (raw, scale)


@pytest.mark.parametrize(
    ("scale", "raw"), [("1-5", "6"), ("1-5", "0"), ("0-10", "11"), ("0-1", "great"), ("good/bad", "meh")]
)
def test_satisfaction_out_of_scale_is_invalid(scale: str, raw: str) -> None:
    frame = pd.DataFrame({"id": ["1"], "text": ["ok"], "rating": [raw]})
    _, report = collect(
        frame, mapping={"id": "id", "text": "text", "satisfaction": "rating", "satisfaction_scale": scale}
    )
    assert reasons(report) == [("invalid_value", None, 0)]


@pytest.mark.parametrize(
    ("raw", "sep", "tags"),
    [
        ("billing, refund", None, ("billing", "refund")),
        ("billing;refund;billing", None, ("billing", "refund")),
        ("late delivery", None, ("late delivery",)),
        ("a b c", " ", ("a", "b", "c")),
        ('["x", "y"]', None, ("x", "y")),
        (["x", "y"], None, ("x", "y")),
        ("", None, ()),
    ],
)
def test_tags(raw: Any, sep: str | None, tags: tuple[str, ...]) -> None:
    frame = pd.DataFrame({"id": ["1"], "text": ["ok"], "tags": [raw]})
    records, _ = collect(frame, mapping={"id": "id", "text": "text", "tags": "tags", "tags_sep": sep})
    assert records[0].tags == tags


@pytest.mark.parametrize(
    ("value", "channel_map", "expected"),
    [
        ("Phone", {}, "call"),
        ("SMS", {}, "chat"),
        ("E-Mail", {}, "email"),
        ("twitter", {}, "social"),
        ("kiosk", {"Kiosk": "chat"}, "chat"),
        (None, {}, "email"),  # default_channel
    ],
)
def test_channels(value: str | None, channel_map: dict[str, str], expected: str) -> None:
    frame = pd.DataFrame({"id": ["1"], "text": ["ok"], "ch": [value]})
    mapping = {
        "id": "id",
        "text": "text",
        "channel": "ch",
        "channel_map": channel_map,
        "default_channel": "email",
    }
    records, _ = collect(frame, mapping=mapping)
    assert records[0].channel == expected


def test_unknown_channel_is_invalid_and_channel_option_wins() -> None:
    frame = pd.DataFrame({"id": ["1"], "text": ["ok"], "ch": ["pigeon"]})
    _, report = collect(frame, mapping={"id": "id", "text": "text", "channel": "ch"})
    assert reasons(report) == [("invalid_value", None, 0)]
    records, _ = collect(frame, mapping={"id": "id", "text": "text"}, channel="social")
    assert records[0].channel == "social"


def test_role_map_and_agent_option() -> None:
    frame = pd.DataFrame(
        {"id": ["1"], "turns": [[["Action", "Account pulled up"], ["Dana", "Hi"], ["Sam", "Hello"]]]}
    )
    records, _ = collect(
        frame, mapping={"id": "id", "turns": "turns", "role_map": {"action": "system"}}, agent="Dana"
    )
    assert [t.role for t in records[0].turns] == ["system", "agent", "unknown"]


# -- DataFrames and Parquet ------------------------------------------------------------------


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case": [101, 102, 103],
            "opened": pd.to_datetime(["2026-02-01T08:00:00Z", "2026-02-02T09:30:00Z", None]),
            "who": ["u-1", None, "u-3"],
            "text": ["Card declined at checkout", "Wrong plan on my bill", "App keeps logging me out"],
            "score": [4, None, 2],
            "turns": [
                [{"speaker": "agent", "text": "How can I help?", "at": "2026-02-01T08:01:00Z", "mood": None}],
                [],
                [{"speaker": "customer", "text": "Still broken", "at": None, "mood": "angry"}],
            ],
            "contact_email": ["x@example.com", None, None],
        }
    )


FRAME_MAPPING: dict[str, Any] = {
    "id": "case",
    "created_at": "opened",
    "customer_id": "who",
    "text": "text",
    "turns": "turns",
    "turn_time_key": "at",
    "satisfaction": "score",
    "satisfaction_scale": "1-5",
}


def test_dataframe_input() -> None:
    records, report = collect(_frame(), mapping=FRAME_MAPPING)
    assert report.n_failed == 0
    a, b, c = records
    assert [r.id for r in records] == ["101", "102", "103"]
    assert a.created_at == dt.datetime(2026, 2, 1, 8, tzinfo=UTC) and c.created_at is None
    assert (a.customer_id, b.customer_id) == ("u-1", None)
    assert [t.text for t in a.turns] == ["Card declined at checkout", "How can I help?"]
    assert a.turns[1].at == dt.datetime(2026, 2, 1, 8, 1, tzinfo=UTC)
    assert dict(c.turns[1].meta) == {"mood": "angry"}
    assert dict(a.turns[1].meta) == {"mood": None}
    assert a.satisfaction is not None and a.satisfaction.score == 0.75 and b.satisfaction is None
    assert a.customer_keys == (hash_identifier("email", "x@example.com"),)
    assert "contact_email" not in a.meta
    assert [(r.source.path, r.source.index) for r in records] == [("<DataFrame>", i) for i in range(3)]


def test_dataframe_without_format_uses_generic() -> None:
    stream = hi.iter_interactions(_frame(), mapping=FRAME_MAPPING, on_error="collect")
    assert [r.source.format for r in stream] == ["generic"] * 3


def test_parquet_round_trip(tmp_path: Path) -> None:
    frame = _frame()
    path = tmp_path / "cases.parquet"
    frame.to_parquet(path)
    from_frame, _ = collect(frame, mapping=FRAME_MAPPING)
    from_file, report = collect(path, mapping=FRAME_MAPPING)
    assert report.n_failed == 0
    strip = {"source"}
    assert [r.model_dump(exclude=strip) for r in from_file] == [
        r.model_dump(exclude=strip) for r in from_frame
    ]
    assert [(r.source.index, r.source.line) for r in from_file] == [(0, None), (1, None), (2, None)]
    assert hi.detect_format(SourceFile(path)) is GenericParser  # nothing else reads Parquet


def test_parquet_nested_struct_paths_and_missing_column(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {"ticket": [{"id": "P-1", "queue": "vip"}, {"id": "P-2", "queue": None}], "body": ["a", "b"]}
    )
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path)
    records, _ = collect(path, mapping={"id": "ticket.id", "text": "body"})
    assert [(r.id, r.meta["ticket"]) for r in records] == [
        ("P-1", {"queue": "vip"}),
        ("P-2", {"queue": None}),
    ]
    _, report = collect(path, mapping={"id": "ticket.key", "text": "body"})
    assert [f.reason.value for f in report.failure_records] == ["missing_field"]


def test_corrupt_parquet_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00garbage" * 20)
    _, report = collect(path, mapping={"id": "id", "text": "text"})
    assert [f.reason.value for f in report.failure_records] == ["unreadable"]


# -- no mapping: common column names -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "check"),
    [
        (
            "Ticket ID,Created At,Body,Customer Email\nZ-1,2026-01-01T00:00:00Z,Help me,a@b.example\n",
            "auto.csv",
            lambda r: (
                (r[0].id, r[0].created_at.year, r[0].turns[0].text, len(r[0].customer_keys))
                == ("Z-1", 2026, "Help me", 1)
            ),
        ),
        (
            "conversationId\tturnNumber\tutterance\tintent\nc1\t2\tsecond\tx\nc1\t0\tfirst\ty\n",
            "auto.tsv",
            lambda r: (
                [t.text for t in r[0].turns] == ["first", "second"] and r[0].turns[0].meta["intent"] == "y"
            ),
        ),
        (
            '{"session_id": "s", "speaker": "agent", "message": "Hi"}\n{"session_id": "s", "speaker": "caller", "message": "Yo"}\n',
            "auto.jsonl",
            lambda r: [t.role for t in r[0].turns] == ["agent", "customer"] and r[0].id == "s",
        ),
    ],
)
def test_auto_mapping(tmp_path: Path, content: str, name: str, check: Any) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    records, report = collect(path)
    assert report.n_failed == 0
    assert check(records)


def test_auto_mapping_without_text_column_fails_once(tmp_path: Path) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    records, report = collect(path)
    assert records == [] and reasons(report) == [("missing_field", 1, None)]


# -- detection -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "score"),
    [
        ("kundennummer;nachricht\n1;Rechnung falsch\n", "export.txt", 0.05),
        ("id\ttext\n1\thi\n", "x.tsv", 0.05),
        ('{"a": 1}\n', "x.jsonl", 0.05),
        ("[]", "x.json", 0.05),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\nHello, there\n", "call.vtt", 0.0),
        ("Agent: Hello, how can I help?\nCustomer: My bill is wrong.\n", "call.txt", 0.0),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n", "call.srt", 0.0),
        ("", "empty.csv", 0.0),
    ],
)
def test_sniff_is_a_low_fallback(content: str, name: str, score: float) -> None:
    assert GenericParser.sniff(SourceFile(data=content.encode(), name=name)) == score


def test_detection_falls_back_to_generic_for_unclaimed_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("kundennummer;nachricht;eingang\n1;Rechnung falsch;2026-01-02\n", encoding="utf-8")
    assert hi.detect_format(SourceFile(path)) is GenericParser


def test_reading_a_directory_reconciles(tmp_path: Path) -> None:
    for name in ("bad_rows.csv", "shifted.csv"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    mapping = {"id": "id", "created_at": "created", "text": "text"}
    corpus = hi.read(tmp_path, format="generic", mapping=mapping, on_error="collect")
    report = corpus.parse_report
    assert (report.n_files, report.n_read, report.n_parsed, report.n_failed) == (2, 9, 4, 5)
    assert len(corpus) == 4
    assert set(report.failures["reason"]) == {"missing_field", "invalid_timestamp", "malformed_csv"}


# -- robustness -------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(st.characters(codec="utf-8"), max_size=300),
    mapped=st.booleans(),
)
def test_arbitrary_text_parses_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, text: str, mapped: bool
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.csv"
    path.write_text(text, encoding="utf-8")
    options: dict[str, Any] = {"mapping": {"id": "id", "text": "text"}} if mapped else {}
    stream = hi.iter_interactions(path, format="generic", on_error="collect", **options)
    records = list(stream)
    assert stream.report.is_consistent
    assert all(f.reason != ParseFailureReason.INTERNAL for f in stream.report.failure_records)
    assert all(isinstance(r, Interaction) for r in records)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "conv": st.sampled_from(["a", "b", "", "c"]),
                "who": st.sampled_from(["agent", "customer", "bot", "", "x"]),
                "said": st.text(max_size=30),
                "n": st.one_of(st.integers(-3, 5).map(str), st.sampled_from(["", "x", "1.5"])),
            }
        ),
        max_size=12,
    )
)
def test_arbitrary_utterance_frames_never_break(rows: list[dict[str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["conv", "who", "said", "n"])
    stream = hi.iter_interactions(
        frame,
        on_error="collect",
        mapping={"conversation_id": "conv", "speaker": "who", "text": "said", "turn_order": "n"},
    )
    records = list(stream)
    assert stream.report.is_consistent
    assert all(f.reason != ParseFailureReason.INTERNAL for f in stream.report.failure_records)
    good_rows = sum(1 for r in rows if r["conv"] and r["n"] not in ("", "x"))
    assert sum(len(r.turns) for r in records) == good_rows

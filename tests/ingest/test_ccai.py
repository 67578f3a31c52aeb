"""Google CCAI Insights conversation JSON (``google_ccai``)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseFailureReason as R
from hotline_insight.ingest import SourceFile, detect_format
from hotline_insight.ingest.ccai import CcaiParser
from hotline_insight.records import hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "google_ccai"
UTC = dt.UTC


def collect(path: Path, **options: Any) -> tuple[list[hi.Interaction], hi.ParseReport]:
    stream = hi.iter_interactions(path, on_error="collect", **options)
    records = list(stream)
    assert stream.report.is_consistent
    return records, stream.report


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def entry(
    text: str = "hi", usec: Any = 1772445600000000, role: str = "AGENT", user: int = 1
) -> dict[str, Any]:
    return {"text": text, "user_id": user, "role": role, "start_timestamp_usec": usec}


# -- parsing fixtures -------------------------------------------------------------
def test_single_conversation_fields() -> None:
    [conv], report = collect(HERE / "billing-7731.json")
    assert report.n_failed == 0
    assert conv.id == "billing-7731"  # file stem: how Insights names bucket imports
    assert conv.channel == "chat"
    assert conv.created_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert conv.agent_id == "agent-314"
    assert conv.language == "en-US"
    assert conv.vendor is not None and conv.vendor.categories == ("Billing dispute", "Refund")
    assert conv.meta == {"conversation_info": {"queue": "billing-en"}}
    assert conv.customer_keys == (hash_identifier("email", "marta.ruiz@example.com"),)
    assert "customer_email" not in conv.meta
    assert conv.source.format == "google_ccai" and conv.source.line == 1


@pytest.mark.parametrize(
    ("position", "role", "speaker", "start_s", "text_start"),
    [
        (0, "agent", "1", 0.0, "Thanks for contacting Acme"),
        (1, "bot", "9", 1.0, "Welcome to Acme support"),
        (2, "customer", "2", 4.5, "Hi, I was charged twice"),
        (3, "agent", "1", 30.25, "I can see two payments from card ending [PII]"),
        (4, "customer", "2", 41.0, ""),
        (5, "customer", "2", 55.0, "¡Gracias!"),
    ],
)
def test_turns_are_ordered_by_time_with_roles_and_offsets(
    position: int, role: str, speaker: str, start_s: float, text_start: str
) -> None:
    [conv], _ = collect(HERE / "billing-7731.json")
    turn = conv.turns[position]
    assert (turn.position, turn.role, turn.speaker, turn.start_s) == (position, role, speaker, start_s)
    assert turn.text.startswith(text_start)
    assert turn.end_s is None  # the format has no end times
    assert turn.at == conv.created_at + dt.timedelta(seconds=start_s)
    assert turn.at.tzinfo == UTC


def test_entry_extra_fields_go_to_turn_meta() -> None:
    [conv], _ = collect(HERE / "billing-7731.json")
    assert conv.turns[4].meta == {"message_type": "attachment"}
    assert conv.turns[0].meta == {}


@pytest.mark.parametrize(
    ("name", "ids", "channels", "lines", "indexes"),
    [
        ("billing-7731.json", ["billing-7731"], ["chat"], [1], [0]),
        ("batch.json", ["batch", "batch#1"], ["chat", "chat"], [2, 9], [0, 1]),
        (
            "conversations.jsonl",
            ["chat-0042", "conversations#1", "chat-0043"],
            ["chat", "call", "chat"],
            [1, 2, 3],
            [0, 1, 2],
        ),
    ],
)
def test_ids_channels_and_lineage(
    name: str, ids: list[str], channels: list[str], lines: list[int], indexes: list[int]
) -> None:
    records, report = collect(HERE / name)
    assert [r.id for r in records] == ids
    assert [r.channel for r in records] == channels
    assert [r.source.line for r in records] == lines
    assert [r.source.index for r in records] == indexes
    assert all(r.source.path == str(HERE / name) for r in records)
    assert report.n_parsed == len(ids) and report.n_failed == 0


def test_resource_name_medium_and_camel_case() -> None:
    records, _ = collect(HERE / "conversations.jsonl")
    by_id = {r.id: r for r in records}
    assert by_id["chat-0042"].meta["name"].endswith("/conversations/chat-0042")
    assert by_id["chat-0042"].vendor.categories == ("Delivery",)  # type: ignore[union-attr]
    assert by_id["conversations#1"].meta == {"medium": "PHONE_CALL"}
    assert by_id["conversations#1"].vendor is None
    camel = by_id["chat-0043"]
    assert camel.vendor.categories == ("Cancellation",)  # type: ignore[union-attr]
    assert [(t.role, t.speaker, t.start_s) for t in camel.turns] == [
        ("customer", "11", 0.0),
        ("agent", "5", 15.0),
    ]
    assert camel.created_at == dt.datetime(2026, 4, 10, 16, 0, tzinfo=UTC)


def test_an_entry_without_time_keeps_file_order_and_no_offsets() -> None:
    records, _ = collect(HERE / "batch.json")
    second = records[1]
    assert [t.role for t in second.turns] == ["bot", "customer"]
    assert [t.start_s for t in second.turns] == [None, None]
    assert second.turns[1].at is None
    assert second.created_at == dt.datetime(2026, 5, 5, 8, 1, 40, tzinfo=UTC)  # earliest known time
    assert second.vendor is None  # an empty category list is no annotation


# -- options --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "roles"),
    [
        ({}, ["customer", "agent", "customer"]),
        ({"agent": "21"}, ["agent", "agent", "agent"]),  # user_id 21 named as agent
        ({"customer": ["6"]}, ["customer", "customer", "customer"]),
        ({"agent": "END_USER"}, ["agent", "agent", "agent"]),  # a role label named as agent
    ],
)
def test_agent_and_customer_options_match_user_ids_and_roles(
    options: dict[str, Any], roles: list[str]
) -> None:
    records, _ = collect(HERE / "batch.json", **options)
    assert [t.role for t in records[0].turns] == roles


def test_channel_option_overrides_medium() -> None:
    records, _ = collect(HERE / "conversations.jsonl", channel="email")
    assert {r.channel for r in records} == {"email"}


# -- detection ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(HERE.iterdir()), ids=lambda p: p.name)
def test_detects_fixtures(path: Path) -> None:
    parser = detect_format(SourceFile(path))
    assert parser is not None and parser.name == "google_ccai"


OTHERS = ["genesys", "twilio", "utterances_jsonl", "social", "zendesk", "freshdesk", "transcribe",
          "call_analytics", "contact_lens", "webvtt", "srt", "plain_text"]  # fmt: skip


@pytest.mark.parametrize("fmt", OTHERS)
def test_sniff_ignores_other_formats_fixtures(fmt: str) -> None:
    folder = FIXTURES / fmt
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    for path in files:
        assert CcaiParser.sniff(SourceFile(path)) == 0.0, path


@pytest.mark.parametrize(
    "content",
    [
        '{"id": 1, "requester_id": 7, "subject": "x", "description": "entries"}\n',
        '{"jobName": "j", "results": {"transcripts": [{"transcript": "hi"}], "items": []}}',
        "[00:00:03] Agent: entries\n",
        "",
    ],
)
def test_sniff_ignores_foreign_content(content: str) -> None:
    assert CcaiParser.sniff(SourceFile(data=content.encode(), name="x.json")) == 0.0


# -- bad input ------------------------------------------------------------------------------
BAD = [
    ("not-object.json", "[1]", [(R.INVALID_VALUE, None)]),
    ("no-entries.json", {"conversation_info": {}}, [(R.MISSING_FIELD, None)]),
    ("empty-entries.json", {"entries": []}, [(R.EMPTY_RECORD, None)]),
    ("entries-object.json", {"entries": {"text": "hi"}}, [(R.INVALID_VALUE, None)]),
    ("no-text.json", {"entries": [{"role": "AGENT", "user_id": 1}]}, [(R.MISSING_FIELD, None)]),
    ("entry-string.json", {"entries": ["hi"]}, [(R.INVALID_VALUE, None)]),
    ("far-future.json", {"entries": [entry(usec=99999999999999999999)]}, [(R.INVALID_TIMESTAMP, None)]),
    ("before-1980.json", {"entries": [entry(usec=1000)]}, [(R.INVALID_TIMESTAMP, None)]),
    ("text-time.json", {"entries": [entry(usec="yesterday")]}, [(R.INVALID_TIMESTAMP, None)]),
    (
        "bad-category.json",
        {"conversation_info": {"categories": ["x"]}, "entries": [entry()]},
        [(R.INVALID_VALUE, None)],
    ),
    ("malformed.json", '{"entries": [}', [(R.MALFORMED_JSON, 1)]),
    ("truncated.json", '{\n  "entries": [\n    {"text": "hel', [(R.TRUNCATED, 3)]),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_coded_failures(tmp_path: Path, name: str, content: Any, expected: list[Any]) -> None:
    path = write(tmp_path, name, content)
    records, report = collect(path, format="google_ccai")
    assert records == []
    got = [(f.reason, f.line) for f in report.failure_records]
    if expected[0][1] is None:
        got = [(reason, None) for reason, _ in got]
    assert got == expected
    assert all(f.source == str(path) and f.format == "google_ccai" for f in report.failure_records)


def test_failure_messages_do_not_quote_text(tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", {"entries": [{"text": {"card": "4111 1111 1111 1111"}}]})
    _, report = collect(path, format="google_ccai")
    [failure] = report.failure_records
    assert failure.reason == R.INVALID_VALUE and "4111" not in failure.message


def test_json_lines_bad_line_does_not_stop_reading(tmp_path: Path) -> None:
    good = json.dumps({"entries": [entry()]})
    path = write(tmp_path, "mixed.jsonl", f"{good}\n{{oops\n{good}\n{json.dumps({'entries': []})}\n")
    records, report = collect(path, format="google_ccai")
    assert [r.id for r in records] == ["mixed", "mixed#2"]
    assert [(f.reason, f.line) for f in report.failure_records] == [
        (R.MALFORMED_JSON, 2),
        (R.EMPTY_RECORD, 4),
    ]
    assert (report.n_read, report.n_parsed, report.n_failed) == (4, 2, 2)


@pytest.mark.parametrize("layout", ["pretty", "one-line"])
def test_conversations_page(tmp_path: Path, layout: str) -> None:
    page = {
        "conversations": [{"entries": [entry()]}, {"name": "c/x-2", "entries": [entry()]}],
        "nextPageToken": "",
    }
    path = write(tmp_path, "page.json", json.dumps(page, indent=2 if layout == "pretty" else None))
    records, report = collect(path, format="google_ccai")
    assert [(r.id, r.source.index) for r in records] == [("page", 0), ("x-2", 1)]
    assert report.n_failed == 0


def test_read_directory_reconciles() -> None:
    corpus = hi.read(HERE, on_error="collect")
    report = corpus.parse_report
    assert (report.n_files, report.n_read, report.n_parsed, report.n_failed) == (3, 6, 6, 0)
    assert len(corpus) == 6 and report.formats["google_ccai"] == 6


# -- never an internal error -------------------------------------------------------------------
KEYS = ["entries", "conversation_info", "categories", "display_name", "text", "user_id", "role",
        "start_timestamp_usec", "name", "medium", "conversations"]  # fmt: skip
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["AGENT", "PHONE_CALL"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(JSON, min_size=1, max_size=3), st.booleans())
def test_arbitrary_json_parses_or_fails_cleanly(values: list[Any], as_lines: bool) -> None:
    text = "\n".join(json.dumps(v) for v in values) if as_lines else json.dumps(values)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="google_ccai", on_error="collect")
    report = corpus.parse_report
    assert report.is_consistent
    assert all(f.reason != R.INTERNAL for f in report.failure_records)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="google_ccai", on_error="collect")
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)

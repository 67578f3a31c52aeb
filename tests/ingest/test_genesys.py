"""Genesys Cloud speech and text analytics transcripts (``genesys``)."""

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
from hotline_insight.ingest.genesys import GenesysParser
from hotline_insight.records import hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "genesys"
CALL = HERE / "transcript-call.json"
MESSAGING = HERE / "transcripts-messaging.jsonl"
UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def collect(path: Path, **options: Any) -> tuple[list[hi.Interaction], hi.ParseReport]:
    stream = hi.iter_interactions(path, on_error="collect", **options)
    records = list(stream)
    assert stream.report.is_consistent
    return records, stream.report


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def doc(*phrases: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "conversationId": "c-1",
        "mediaType": "call",
        "transcripts": [{"phrases": list(phrases)}],
        **fields,
    }


def phrase(
    text: str = "hello", start: Any = 1772445600000, purpose: str = "internal", **extra: Any
) -> dict[str, Any]:
    return {"text": text, "startTimeMs": start, "participantPurpose": purpose, **extra}


# -- parsing fixtures -------------------------------------------------------------------
def test_call_document_fields() -> None:
    [call], report = collect(CALL)
    assert report.n_failed == 0
    assert call.id == "b2d9a7c4-51e3-4f0b-8e0e-3a6c2d1f7e88"
    assert call.channel == "call"
    assert call.created_at == dt.datetime(2026, 3, 2, 9, 59, 50, tzinfo=UTC)  # conversationStartTime
    assert call.language == "en-us"
    assert call.agent_id == "u-dana-77"
    assert call.customer_keys == (hash_identifier("phone", "+1 (555) 010-2000"),)
    assert call.meta["organization_id"] == "6c4f0d1e-2f5a-4c11-9a57-0d3b1f2e9a10"
    assert call.meta["communication_id"] == "f1e2d3c4-b5a6-4789-9abc-def012345678"
    assert call.meta["media_type"] == "call"
    assert call.meta["transcripts"] == [
        {"transcriptId": "tr-001", "language": "en-us", "engineProvider": "GENESYS"}
    ]
    assert all("ani" not in p for p in call.meta["participants"])  # the phone number is hashed, not kept
    assert (call.source.line, call.source.index) == (1, 0)


@pytest.mark.parametrize(
    ("position", "role", "speaker", "start_s", "end_s", "phrase_index"),
    [
        (0, "system", None, 10.0, 13.0, 0),  # ivr; offsets from conversationStartTime
        (1, "agent", "p-int", 14.0, 17.5, 1),
        (2, "customer", "p-ext", 18.2, 22.3, 2),
        (3, "system", None, 23.0, 23.0, 3),  # acd, empty text
        (4, "agent", "p-int", 24.5, 27.1, 4),
        (5, "customer", "p-ext", 28.0, 29.5, 5),
    ],
)
def test_one_turn_per_phrase_in_time_order(
    position: int, role: str, speaker: str | None, start_s: float, end_s: float, phrase_index: int
) -> None:
    [call] = hi.read(CALL)
    turn = call.turns[position]
    assert (turn.role, turn.speaker, turn.start_s, turn.end_s) == (role, speaker, start_s, end_s)
    assert turn.meta["phrase_index"] == phrase_index
    assert turn.meta["transcript_id"] == "tr-001"
    assert turn.at == dt.datetime(2026, 3, 2, 9, 59, 50, tzinfo=UTC) + dt.timedelta(seconds=start_s)
    assert "words" not in turn.meta


def test_decorated_text_kept_only_when_different() -> None:
    [call] = hi.read(CALL)
    assert call.turns[2].text == "hi my card number is 4111 and you charged me twice"
    assert call.turns[2].meta["decorated_text"] == "Hi, my card number is [PII] and you charged me twice."
    assert "decorated_text" not in call.turns[5].meta  # none given
    assert call.turns[3].text == "" and call.turns[3].meta["confidence"] == 1.0


def test_vendor_analytics_are_kept_apart() -> None:
    [call] = hi.read(CALL)
    vendor = call.vendor
    assert vendor is not None
    assert vendor.categories == ("Billing Dispute", "Refund")
    assert [s["sentiment"] for s in vendor.sentiment["by_phrase"]] == [-0.62, 0.71]
    assert len(vendor.extra["topics"]) == 3
    assert vendor.extra["acoustics"] == [{"silenceDurationMs": 1200}]


@pytest.mark.parametrize(
    ("conv_id", "channel", "roles", "start_s", "created_at"),
    [
        (
            "c-msg-5001",
            "chat",
            ["customer", "agent"],
            [0.0, 30.0],
            dt.datetime(2026, 3, 2, 14, 30, tzinfo=UTC),
        ),
        ("c-mail-5002", "email", ["customer"], [0.0], dt.datetime(2026, 3, 3, 9, 15, tzinfo=UTC)),
    ],
)
def test_messaging_and_email_lines(
    conv_id: str, channel: str, roles: list[str], start_s: list[float], created_at: dt.datetime
) -> None:
    records, _ = collect(MESSAGING)
    first = next(r for r in records if r.id == conv_id)
    assert first.channel == channel
    assert [t.role for t in first.turns] == roles
    assert [t.start_s for t in first.turns] == start_s
    assert first.created_at == created_at


def test_communications_of_one_conversation_merge_on_read() -> None:
    records, _ = collect(MESSAGING)
    assert [r.id for r in records] == ["c-msg-5001", "c-mail-5002", "c-msg-5001"]
    assert [r.source.line for r in records] == [1, 2, 3]
    corpus = hi.read(MESSAGING, on_error="collect")
    assert len(corpus) == 2 and corpus.parse_report.n_merged == 1
    merged = corpus.get("c-msg-5001")
    assert merged is not None
    assert [t.role for t in merged.turns] == ["customer", "agent", "agent", "customer"]
    assert [t.position for t in merged.turns] == [0, 1, 2, 3]
    assert merged.turns[2].text.startswith("Hi, I'm Sam")


def test_duration_ms_variant_and_missing_durations(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.json",
        doc(phrase(start=1772445600000, durationMs=1250), phrase(start=1772445602000), mediaType="voice"),
    )
    [call], _ = collect(path)
    assert [(t.start_s, t.end_s) for t in call.turns] == [(0.0, 1.25), (2.0, None)]
    assert call.created_at == T0  # no conversationStartTime: the first phrase


# -- options ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ("call", ["system", "agent", "customer", "system", "agent", "customer"])),
        ({"channel": "chat"}, ("chat", ["system", "agent", "customer", "system", "agent", "customer"])),
        ({"agent": "ivr"}, ("call", ["agent", "agent", "customer", "system", "agent", "customer"])),
    ],
)
def test_options(options: dict[str, Any], expected: tuple[str, list[str]]) -> None:
    [call], _ = collect(CALL, **options)
    assert (call.channel, [t.role for t in call.turns]) == expected


# -- detection ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(HERE.iterdir()), ids=lambda p: p.name)
def test_detects_fixtures(path: Path) -> None:
    parser = detect_format(SourceFile(path))
    assert parser is not None and parser.name == "genesys"


OTHERS = ["google_ccai", "twilio", "utterances_jsonl", "social", "zendesk", "freshdesk", "transcribe",
          "call_analytics", "contact_lens", "webvtt", "srt", "plain_text"]  # fmt: skip


@pytest.mark.parametrize("fmt", OTHERS)
def test_sniff_ignores_other_formats_fixtures(fmt: str) -> None:
    folder = FIXTURES / fmt
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    for path in files:
        assert GenesysParser.sniff(SourceFile(path)) == 0.0, path


# -- bad input --------------------------------------------------------------------------------
BAD = [
    ("no-id.json", {"transcripts": [{"phrases": [phrase()]}]}, R.MISSING_FIELD),
    ("no-transcripts.json", {"conversationId": "c"}, R.MISSING_FIELD),
    ("no-phrases.json", doc(), R.EMPTY_RECORD),
    (
        "phrase-no-text.json",
        doc({"participantPurpose": "external", "startTimeMs": 1772445600000}),
        R.MISSING_FIELD,
    ),
    ("phrase-not-object.json", doc("hello"), R.INVALID_VALUE),
    ("bad-time.json", doc(phrase(start="yesterday")), R.INVALID_TIMESTAMP),
    ("epoch-1970.json", doc(phrase(start=1000)), R.INVALID_TIMESTAMP),
    ("negative-duration.json", doc(phrase(duration={"milliseconds": -5})), R.INVALID_VALUE),
    ("duration-text.json", doc(phrase(durationMs="long")), R.INVALID_VALUE),
    ("transcripts-object.json", {"conversationId": "c", "transcripts": {}}, R.INVALID_VALUE),
    ("scalar.json", "42", R.INVALID_VALUE),
    ("malformed.json", '{"conversationId": "c", "transcripts": [}', R.MALFORMED_JSON),
    (
        "truncated.json",
        '{\n  "conversationId": "c",\n  "transcripts": [{"phrases": [{"text": "hel',
        R.TRUNCATED,
    ),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_coded_failures(tmp_path: Path, name: str, content: Any, reason: R) -> None:
    path = write(tmp_path, name, content)
    records, report = collect(path, format="genesys")
    assert records == []
    [failure] = report.failure_records
    assert failure.reason == reason
    assert failure.source == str(path) and failure.line is not None


def test_json_lines_bad_line_does_not_stop_reading(tmp_path: Path) -> None:
    good = json.dumps(doc(phrase()))
    path = write(tmp_path, "mixed.jsonl", f"{good}\nnot json\n{good}\n")
    records, report = collect(path, format="genesys")
    assert len(records) == 2
    assert [(f.reason, f.line) for f in report.failure_records] == [(R.MALFORMED_JSON, 2)]


def test_read_directory_reconciles() -> None:
    corpus = hi.read(HERE, on_error="collect")
    report = corpus.parse_report
    assert (report.n_read, report.n_parsed, report.n_failed, report.n_merged) == (4, 4, 0, 1)
    assert len(corpus) == 3


# -- never an internal error --------------------------------------------------------------------
KEYS = ["conversationId", "transcripts", "phrases", "text", "decoratedText", "participantPurpose", "startTimeMs",
        "duration", "milliseconds", "durationMs", "analytics", "topics", "topicName", "sentiment", "participants",
        "userId", "mediaType", "conversationStartTime"]  # fmt: skip
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["internal", "call"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(JSON, min_size=1, max_size=3), st.booleans())
def test_arbitrary_json_parses_or_fails_cleanly(values: list[Any], as_lines: bool) -> None:
    text = "\n".join(json.dumps(v) for v in values) if as_lines else json.dumps(values)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="genesys", on_error="collect")
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)

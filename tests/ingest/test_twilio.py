"""Twilio Conversational Intelligence sentences (``twilio``)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ConfigError
from hotline_insight.errors import ParseFailureReason as R
from hotline_insight.ingest import SourceFile, detect_format
from hotline_insight.ingest.twilio import GREETING, TwilioParser

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "twilio"
PAGE = HERE / "sentences-page.json"
LIST = HERE / "call-8812.json"
LINES = HERE / "sentences.jsonl"
SID = "GT0123456789abcdef0123456789abcdef"


def collect(path: Path, **options: Any) -> tuple[list[hi.Interaction], hi.ParseReport]:
    stream = hi.iter_interactions(path, on_error="collect", **options)
    records = list(stream)
    assert stream.report.is_consistent
    return records, stream.report


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def sentence(index: int, channel: int = 1, text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"media_channel": channel, "sentence_index": index, "start_time": float(index), "end_time": index + 0.5,
            "transcript": text, "sid": f"GX{index:032d}", **extra}  # fmt: skip


# -- parsing fixtures ---------------------------------------------------------------------
def test_api_page() -> None:
    [call], report = collect(PAGE)
    assert report.n_failed == 0
    assert call.id == SID  # from meta.url
    assert call.channel == "call"
    assert call.created_at is None  # sentences carry offsets only
    assert call.meta == {"roles_from": "greeting"}
    assert [t.meta["sentence_index"] for t in call.turns] == [0, 1, 2, 3, 4]  # reordered
    assert [t.speaker for t in call.turns] == [
        "channel_2",
        "channel_1",
        "channel_2",
        "channel_1",
        "channel_1",
    ]
    assert [t.role for t in call.turns] == ["agent", "customer", "agent", "customer", "customer"]
    first = call.turns[0]
    assert (first.start_s, first.end_s, first.at) == (0.64, 3.8, None)
    assert first.meta == {
        "sentence_index": 0,
        "sid": "GX00000000000000000000000000000010",
        "confidence": 0.95,
    }
    assert call.turns[3].text == "It's [PII]."
    assert call.turns[4].text == "" and call.turns[4].meta["confidence"] is None
    assert (call.source.line, call.source.index) == (1, 1)  # the first sentence in order: 2nd in the page


@pytest.mark.parametrize(
    ("path", "ids", "roles"),
    [
        (LIST, ["call-8812"], [["agent", "customer", "agent"]]),  # bare list: file stem
        (
            LINES,
            ["GTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "GTbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"],
            [["unknown", "unknown"], ["agent", "customer"]],  # nobody greets in the first
        ),
    ],
    ids=["list", "lines"],
)
def test_grouping_and_greeting_heuristic(path: Path, ids: list[str], roles: list[list[str]]) -> None:
    records, report = collect(path)
    assert [r.id for r in records] == ids
    assert [[t.role for t in r.turns] for r in records] == roles
    assert report.n_failed == 0


def test_lines_lineage_and_roles_from() -> None:
    records, _ = collect(LINES)
    assert [r.source.line for r in records] == [1, 3]
    assert records[0].meta == {} and records[1].meta == {"roles_from": "greeting"}


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("Thank you for calling Acme.", True),
        ("thanks for contacting us", True),
        ("Hi, how can I help you today?", True),
        ("My name is Priya.", True),
        ("You're speaking with Tomás.", True),
        ("Hello?", False),
        ("I want to cancel.", False),
    ],
)
def test_greeting_pattern(text: str, greets: bool) -> None:
    assert bool(GREETING.search(text)) is greets


# -- options -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "roles", "roles_from"),
    [
        ({"agent": "1"}, ["customer", "agent", "customer", "agent", "agent"], "options"),
        ({"agent": "channel_1"}, ["customer", "agent", "customer", "agent", "agent"], "options"),
        ({"agent": "CH_1"}, ["customer", "agent", "customer", "agent", "agent"], "options"),
        ({"customer": "channel_2"}, ["customer", "agent", "customer", "agent", "agent"], "options"),
        ({"agent": "2", "customer": "1"}, ["agent", "customer", "agent", "customer", "customer"], "options"),
        ({"agent": "channel_7"}, ["agent", "customer", "agent", "customer", "customer"], "greeting"),
        ({"guess_roles": False}, ["unknown"] * 5, None),
    ],
)
def test_agent_options(options: dict[str, Any], roles: list[str], roles_from: str | None) -> None:
    [call], _ = collect(PAGE, **options)
    assert [t.role for t in call.turns] == roles
    assert call.meta.get("roles_from") == roles_from


def test_bad_option_value() -> None:
    with pytest.raises(ConfigError, match="E109"):
        hi.read(PAGE, format="twilio", guess_roles="no")


def test_transcript_that_comes_back_is_merged_on_read(tmp_path: Path) -> None:
    rows = [
        {**sentence(0, 2, "Thanks for calling."), "transcript_sid": "GT1"},
        {**sentence(0, 1, "Other call."), "transcript_sid": "GT2"},
        {**sentence(1, 1, "Back to the first."), "transcript_sid": "GT1"},
    ]
    path = write(tmp_path, "s.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    records, _ = collect(path)
    assert [r.id for r in records] == ["GT1", "GT2", "GT1"]
    corpus = hi.read(path, on_error="collect")
    assert len(corpus) == 2 and corpus.parse_report.n_merged == 1
    merged = corpus.get("GT1")
    assert merged is not None and [t.text for t in merged.turns] == [
        "Thanks for calling.",
        "Back to the first.",
    ]


def test_order_falls_back_to_start_time(tmp_path: Path) -> None:
    rows = [sentence(0, text="second"), sentence(1, text="first")]
    for row in rows:
        del row["sentence_index"]
    rows[0]["start_time"] = 5.0
    path = write(tmp_path, "s.json", rows)
    [call], _ = collect(path)
    assert [t.text for t in call.turns] == ["first", "second"]


# -- detection ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(HERE.iterdir()), ids=lambda p: p.name)
def test_detects_fixtures(path: Path) -> None:
    parser = detect_format(SourceFile(path))
    assert parser is not None and parser.name == "twilio"


OTHERS = ["google_ccai", "genesys", "utterances_jsonl", "social", "zendesk", "freshdesk", "transcribe",
          "call_analytics", "contact_lens", "webvtt", "srt", "plain_text"]  # fmt: skip


@pytest.mark.parametrize("fmt", OTHERS)
def test_sniff_ignores_other_formats_fixtures(fmt: str) -> None:
    folder = FIXTURES / fmt
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    for path in files:
        assert TwilioParser.sniff(SourceFile(path)) == 0.0, path


# -- bad input -------------------------------------------------------------------------------
def test_bad_sentence_fails_alone(tmp_path: Path) -> None:
    rows = [sentence(0), {"media_channel": 1, "sentence_index": 1}, sentence(2), "noise"]
    path = write(tmp_path, "s.json", rows)
    records, report = collect(path, format="twilio")
    [call] = records
    assert [t.meta["sentence_index"] for t in call.turns] == [0, 2]
    assert [(f.reason, f.index) for f in report.failure_records] == [
        (R.MISSING_FIELD, 1),
        (R.INVALID_VALUE, 3),
    ]
    assert (report.n_read, report.n_parsed, report.n_failed) == (3, 1, 2)


BAD = [
    ("empty-page.json", {"sentences": [], "meta": {}}, R.EMPTY_RECORD),
    ("sentences-object.json", {"sentences": {"a": 1}}, R.INVALID_VALUE),
    ("bad-time.json", [sentence(0, start_time="soon")], R.INVALID_VALUE),
    ("negative-time.json", [sentence(0, start_time=-1.0)], R.INVALID_VALUE),
    ("fraction-channel.json", [sentence(0, channel=1.5)], R.INVALID_VALUE),  # type: ignore[arg-type]
    ("text-object.json", [sentence(0, text={"x": 1})], R.INVALID_VALUE),  # type: ignore[arg-type]
    ("malformed.json", '{"sentences": [}', R.MALFORMED_JSON),
    ("truncated.json", '[\n  {"media_channel": 1, "transcript": "hel', R.TRUNCATED),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_coded_failures(tmp_path: Path, name: str, content: Any, reason: R) -> None:
    path = write(tmp_path, name, content)
    records, report = collect(path, format="twilio")
    assert records == []
    [failure] = report.failure_records
    assert failure.reason == reason and failure.source == str(path) and failure.line is not None


def test_json_lines_bad_line(tmp_path: Path) -> None:
    path = write(tmp_path, "s.jsonl", json.dumps(sentence(0)) + "\n{bad\n" + json.dumps(sentence(1)) + "\n")
    [call], report = collect(path, format="twilio")
    assert len(call.turns) == 2 and call.id == "s"
    assert [(f.reason, f.line) for f in report.failure_records] == [(R.MALFORMED_JSON, 2)]


def test_read_directory_reconciles() -> None:
    corpus = hi.read(HERE, on_error="collect")
    report = corpus.parse_report
    assert (report.n_read, report.n_parsed, report.n_failed) == (4, 4, 0)
    assert len(corpus) == 4


# -- never an internal error --------------------------------------------------------------------
KEYS = ["sentences", "meta", "url", "transcript_sid", "media_channel", "sentence_index", "start_time", "end_time",
        "transcript", "sid", "confidence", "words"]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(JSON, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_arbitrary_json_parses_or_fails_cleanly(values: list[Any], as_lines: bool, guess: bool) -> None:
    text = "\n".join(json.dumps(v) for v in values) if as_lines else json.dumps(values)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="twilio", on_error="collect", guess_roles=guess)
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)

"""WebVTT transcripts: fixtures, detection, failures, options and round trips."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import carried, transcript_interactions

import hotline_insight as hi
from hotline_insight.errors import ConfigError, ParseFailureReason
from hotline_insight.ingest import SourceFile
from hotline_insight.ingest.plain_text import PlainTextParser
from hotline_insight.ingest.srt import SRTParser
from hotline_insight.ingest.webvtt import WebVTTParser, render
from hotline_insight.records import Interaction, SourceRef, Turn

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "webvtt"
UTC = dt.UTC


def read_one(path: Path, **options: Any) -> tuple[list[Interaction], hi.ParseReport]:
    """Read one file with on_error='collect'; check that the report reconciles."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = hi.read(path, format=options.pop("format", "webvtt"), on_error="collect", **options)
    report = corpus.parse_report
    assert report.n_read == report.n_parsed + report.n_failed
    assert not [f for f in report.failure_records if f.reason is ParseFailureReason.INTERNAL]
    return list(corpus), report


FIXTURE_CASES = [
    pytest.param(
        "call_0002.vtt",
        {
            "id": "C-2026-0002",
            "created_at": dt.datetime(2026, 3, 3, 8, 15, tzinfo=UTC),
            "customer_id": "CUST-1093",
            "language": "en",
            "meta": {
                "webvtt_title": "Acme support call, recorded 2026-03-03",
                "kind": "captions",
                "role_heuristic": "other_party",
            },
            "roles": ["agent", "customer", "agent", "agent", "customer", "unknown", "customer"],
            "speakers": ["Dana", "Marcus", "Dana", "Dana", "Marcus", None, "Marcus"],
            "start_s": [1.0, 4.5, 9.0, 13.0, 13.0, 15.0, 16.5],
            "end_s": [4.2, 9.0, 12.75, 15.0, 15.0, 16.0, 19.0],
            "cue_ids": ["intro", "2", "3", "4", "4", "5", "6"],
            "texts": {
                0: "Thank you for calling Acme, this is Dana.",
                1: "My internet is down again & I work from home!\nIt’s the third time this month.",
                2: "I see the outage <ticket [PII]>. Let me check.",
                4: "Fine… but hurry.",
                5: "",
                6: "Ça fait trois fois — c’est inacceptable.",
            },
        },
        id="bom-header-notes-style-voices-tags-entities",
    ),
    pytest.param(
        "prefix_speakers.vtt",
        {
            "id": "prefix_speakers",
            "created_at": None,
            "meta": {},
            "roles": ["agent", "customer", "agent"],
            "speakers": [None, None, None],
            "start_s": [0.5, 3.2, 6.1],
            "end_s": [3.0, 6.0, 8.0],
            "cue_ids": [None, None, None],
            "texts": {1: "I was charged a 35 dollar reconnection fee."},
        },
        id="crlf-name-prefixes-no-ids",
    ),
    pytest.param(
        "note_metadata.vtt",
        {
            "id": "call-90018",
            "created_at": dt.datetime(2026, 2, 11, 22, 0, 5, tzinfo=UTC),
            "customer_id": "C100018",
            "meta": {"queue": "Billing", "role_heuristic": "greeting"},
            "roles": ["agent", "agent", "customer", "customer"],
            "speakers": ["Rosa Díaz", "Rosa Díaz", "Omar Haddad", "Omar Haddad"],
            "texts": {1: "i get your name"},
        },
        id="metadata-in-note-block-greeting-over-two-cues",
    ),
    pytest.param(
        "greeting_names.vtt",
        {
            "id": "greeting_names",
            "meta": {"role_heuristic": "greeting"},
            "roles": ["agent", "customer", "customer", "agent"],
            "speakers": ["Priya", "Tom", "Tom", "Priya"],
            "start_s": [1.0, 4.0, 8.0, 10.5],
            "texts": {2: "Every single time I open it."},
        },
        id="same-speaker-cues-stay-separate-greeting",
    ),
]


@pytest.mark.parametrize(("name", "expected"), FIXTURE_CASES)
def test_fixture(name: str, expected: dict[str, Any]) -> None:
    records, report = read_one(HERE / name)
    assert report.n_failed == 0
    (call,) = records
    for key in ("id", "created_at", "customer_id", "language"):
        if key in expected:
            assert getattr(call, key) == expected[key], key
    assert call.channel == "call"
    if "meta" in expected:
        assert dict(call.meta) == expected["meta"]
    assert [t.role for t in call.turns] == expected["roles"]
    assert [t.speaker for t in call.turns] == expected["speakers"]
    for key in ("start_s", "end_s"):
        if key in expected:
            assert [getattr(t, key) for t in call.turns] == expected[key], key
    if "cue_ids" in expected:
        assert [t.meta.get("cue_id") for t in call.turns] == expected["cue_ids"]
    for position, text in expected["texts"].items():
        assert call.turns[position].text == text
    assert call.source == SourceRef(format="webvtt", path=str(HERE / name), line=1)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("<v Dana>Hello</v>", [("Dana", "unknown", "Hello")]),
        ("<v.agent Dana>Hello", [("Dana", "agent", "Hello")]),
        ("<v.loud.customer Sam Lee>Hi <i>there</i>", [("Sam Lee", "customer", "Hi there")]),
        ("<v Agent>Hi", [(None, "agent", "Hi")]),
        ("<v Dana (Agent)>Hi", [("Dana", "agent", "Hi")]),
        ("Customer: &lt;b&gt; is literal", [(None, "customer", "<b> is literal")]),
        ("<c.yellow>no speaker</c> <00:00:01.500>here", [(None, "unknown", "no speaker here")]),
        ("a &amp;&nbsp;b", [(None, "unknown", "a & b")]),
        ("<v Agent>One\n<v Customer>Two", [(None, "agent", "One"), (None, "customer", "Two")]),
        ("<lang fr><v Dana>Bonjour</v></lang>", [("Dana", "unknown", "Bonjour")]),
    ],
)
def test_payload_variants(tmp_path: Path, payload: str, expected: list[tuple[Any, ...]]) -> None:
    path = tmp_path / "p.vtt"
    path.write_text(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{payload}\n", encoding="utf-8")
    (call,), _ = read_one(path, infer_roles=False)
    assert [(t.speaker, t.role, t.text) for t in call.turns] == expected


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("00:01.000 --> 00:04.000", 1.0, 4.0),
        ("01:00:01.500 --> 01:00:04.000 align:start line:0", 3601.5, 3604.0),
        ("00:00:01,250 --> 00:00:02,000", 1.25, 2.0),
        ("120:00:00.000 --> 120:00:01.000", 432000.0, 432001.0),
    ],
)
def test_timing_variants(tmp_path: Path, timing: str, start: float, end: float) -> None:
    path = tmp_path / "t.vtt"
    path.write_text(f"WEBVTT\n\n{timing}\nhello\n", encoding="utf-8")
    (call,), _ = read_one(path)
    assert (call.turns[0].start_s, call.turns[0].end_s) == (start, end)


def test_missing_blank_line_between_cues_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n00:01.000 --> 00:02.000\nA\n00:02.000 --> 00:03.000\nB\n", encoding="utf-8")
    (call,), _ = read_one(path)
    assert [t.text for t in call.turns] == ["A", "B"]


def test_prose_note_before_cues_is_not_metadata(tmp_path: Path) -> None:
    path = tmp_path / "n.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE\nrecorded by: the CRM\nspeaker names are guesses\n\n00:01.000 --> 00:02.000\nhi\n"
    )
    (call,), _ = read_one(path)
    assert call.meta == {} and call.id == "n"


# -- detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(HERE.glob("*.vtt")) + sorted((HERE / "bad").glob("*.vtt")), ids=lambda p: p.name
)
def test_detected_as_webvtt(path: Path) -> None:
    expected = "srt" if path.name == "no_signature.vtt" else "webvtt"  # no signature: not WebVTT
    assert hi.detect_format(SourceFile(path)).name == expected


@pytest.mark.parametrize(
    "path",
    sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".vtt"),
    ids=lambda p: str(p.relative_to(FIXTURES)),
)
def test_sniff_does_not_claim_other_formats(path: Path) -> None:
    assert WebVTTParser.sniff(SourceFile(path)) == 0.0


@pytest.mark.parametrize(
    ("head", "score"),
    [
        ("WEBVTT\n", 0.95),
        ("\ufeffWEBVTT - title\r\n", 0.95),
        ("WEBVTT\tx\n", 0.95),
        ("WEBVTTX\n", 0.0),
        ("webvtt\n", 0.0),
    ],
)
def test_sniff_signature(head: str, score: float) -> None:
    assert WebVTTParser.sniff(SourceFile(data=head.encode("utf-8"), name="x")) == score


# -- failures -------------------------------------------------------------------------

BAD_CASES = [
    ("no_signature.vtt", ParseFailureReason.MALFORMED_TEXT, 1),
    ("impossible_clock.vtt", ParseFailureReason.INVALID_TIMESTAMP, 8),
    ("end_before_start.vtt", ParseFailureReason.INVALID_TIMESTAMP, 3),
    ("truncated.vtt", ParseFailureReason.MALFORMED_TEXT, 8),
    ("broken_timing.vtt", ParseFailureReason.MALFORMED_TEXT, 4),
    ("no_cues.vtt", ParseFailureReason.EMPTY_RECORD, 1),
]


@pytest.mark.parametrize(("name", "reason", "line"), BAD_CASES)
def test_bad_file_is_one_failure_at_first_bad_line(name: str, reason: ParseFailureReason, line: int) -> None:
    path = HERE / "bad" / name
    records, report = read_one(path)
    assert records == []
    assert (report.n_read, report.n_failed) == (1, 1)
    failure = report.failure_records[0]
    assert (failure.reason, failure.line, failure.source, failure.format) == (
        reason,
        line,
        str(path),
        "webvtt",
    )


def test_cue_id_without_timing_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nstray paragraph\nmore text\n", encoding="utf-8")
    _, report = read_one(path)
    assert [(f.reason, f.line) for f in report.failure_records] == [(ParseFailureReason.MALFORMED_TEXT, 7)]


# -- options --------------------------------------------------------------------------


def test_agent_and_customer_options_override() -> None:
    (call,), _ = read_one(HERE / "greeting_names.vtt", agent="Tom", customer="priya")
    assert {t.speaker: t.role for t in call.turns} == {"Tom": "agent", "Priya": "customer"}
    assert "role_heuristic" not in call.meta


def test_infer_roles_false() -> None:
    (call,), _ = read_one(HERE / "greeting_names.vtt", infer_roles=False)
    assert {t.role for t in call.turns} == {"unknown"}


def test_channel_option() -> None:
    (call,), _ = read_one(HERE / "prefix_speakers.vtt", channel="chat")
    assert call.channel == "chat"


# -- render and properties --------------------------------------------------------------


def test_render_errors() -> None:
    untimed = Interaction(
        id="x", source=SourceRef(format="webvtt"), channel="call", turns=(Turn(position=0, text="hi"),)
    )
    with pytest.raises(ConfigError):
        render(untimed)
    timed = untimed.model_copy(update={"turns": (Turn(position=0, text="hi", start_s=0, end_s=1),)})
    with pytest.raises(ConfigError):
        render([timed, timed])


def test_render_escapes_and_keeps_cue_ids() -> None:
    call = Interaction(
        id="x",
        source=SourceRef(format="webvtt"),
        channel="call",
        turns=(
            Turn(
                position=0,
                role="agent",
                speaker="Dana",
                text="a<b & c>d",
                start_s=1,
                end_s=2,
                meta={"cue_id": "q1"},
            ),
        ),
    )
    assert "q1\n00:00:01.000 --> 00:00:02.000\n<v.agent Dana>a&lt;b &amp; c&gt;d\n" in render(call)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=transcript_interactions("webvtt"))
def test_round_trip(tmp_path: Path, call: Interaction) -> None:
    path = tmp_path / "round_trip.vtt"
    path.write_text(render(call), encoding="utf-8")
    records, report = read_one(path)
    assert report.n_failed == 0, report.failure_records
    assert carried(records[0], "webvtt") == carried(call, "webvtt")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text() | st.text().map(lambda t: "WEBVTT\n\n" + t))
def test_arbitrary_text_parses_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "arbitrary.vtt"
    path.write_bytes(text.encode("utf-8"))
    read_one(path)  # asserts the report reconciles and holds no internal failure


def test_sibling_sniffs_reject_webvtt() -> None:
    for path in HERE.glob("*.vtt"):
        assert PlainTextParser.sniff(SourceFile(path)) == 0.0
        assert SRTParser.sniff(SourceFile(path)) == 0.0

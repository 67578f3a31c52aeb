"""SRT transcripts: fixtures, detection, failures, options and round trips."""

from __future__ import annotations

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
from hotline_insight.ingest.srt import SRTParser, render
from hotline_insight.ingest.webvtt import WebVTTParser
from hotline_insight.records import Interaction, SourceRef, Turn

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "srt"


def read_one(path: Path, **options: Any) -> tuple[list[Interaction], hi.ParseReport]:
    """Read one file with on_error='collect'; check that the report reconciles."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = hi.read(path, format=options.pop("format", "srt"), on_error="collect", **options)
    report = corpus.parse_report
    assert report.n_read == report.n_parsed + report.n_failed
    assert not [f for f in report.failure_records if f.reason is ParseFailureReason.INTERNAL]
    return list(corpus), report


FIXTURE_CASES = [
    pytest.param(
        "call_0003.srt",
        {
            "id": "call_0003",
            "meta": {},
            "roles": ["agent", "customer", "agent", "unknown", "customer"],
            "speakers": [None] * 5,
            "start_s": [0.8, 4.1, 9.5, 12.2, 13.0],
            "end_s": [3.9, 9.3, 12.0, 12.9, 17.25],
            "texts": {
                0: "Thank you for calling Contoso Bank, this is Luis.",
                1: 'Finally. I\'ve been on hold for forty minutes\nand your app charged me a £5 "paper statement" fee.',
                2: "I'm sorry about the wait. Can you confirm the account ending [PII]?",
                3: "",
                4: "Sure. And I never asked for paper statements!",
            },
        },
        id="bom-crlf-tags-positions-empty-cue",
    ),
    pytest.param(
        "no_index_dot.srt",
        {
            "id": "no_index_dot",
            "meta": {"role_heuristic": "greeting"},
            "roles": ["agent", "customer", "agent"],
            "speakers": ["Dana", "Sam", "Dana"],
            "start_s": [1.0, 3.5, 7.5],
            "end_s": [3.0, 7.0, 9.0],
            "texts": {1: "My parcel says delivered but it isn't here."},
        },
        id="no-index-dot-decimal-named-greeting",
    ),
    pytest.param(
        "missing_blank_lines.srt",
        {
            "id": "missing_blank_lines",
            "roles": ["agent", "customer", "agent"],
            "speakers": [None] * 3,
            "start_s": [1.0, 2.6, 6.1],
            "texts": {
                0: "Good afternoon, returns desk.",
                1: "The blender I bought stopped working after 3 days.",
            },
        },
        id="missing-blank-lines",
    ),
]


@pytest.mark.parametrize(("name", "expected"), FIXTURE_CASES)
def test_fixture(name: str, expected: dict[str, Any]) -> None:
    records, report = read_one(HERE / name)
    assert report.n_failed == 0
    (call,) = records
    assert call.id == expected["id"]
    assert (call.channel, call.created_at, call.customer_id) == ("call", None, None)
    if "meta" in expected:
        assert dict(call.meta) == expected["meta"]
    assert [t.role for t in call.turns] == expected["roles"]
    assert [t.speaker for t in call.turns] == expected["speakers"]
    for key in ("start_s", "end_s"):
        if key in expected:
            assert [getattr(t, key) for t in call.turns] == expected[key], key
    for position, text in expected["texts"].items():
        assert call.turns[position].text == text
    assert call.source == SourceRef(format="srt", path=str(HERE / name), line=1)


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("00:00:01,000 --> 00:00:04,000", 1.0, 4.0),
        ("00:00:01.000 --> 00:00:04.000", 1.0, 4.0),
        ("0:00:01,5 --> 0:00:02,25", 1.5, 2.25),
        ("00:00:01,000-->00:00:04,000", 1.0, 4.0),
        ("01:02:03,004 --> 01:02:04,000 X1:1 X2:2 Y1:3 Y2:4", 3723.004, 3724.0),
    ],
)
def test_timing_variants(tmp_path: Path, timing: str, start: float, end: float) -> None:
    path = tmp_path / "t.srt"
    path.write_text(f"1\n{timing}\nhello  \n", encoding="utf-8")
    (call,), _ = read_one(path)
    assert (call.turns[0].start_s, call.turns[0].end_s, call.turns[0].text) == (start, end, "hello")


@pytest.mark.parametrize(
    ("text", "speaker", "role", "body"),
    [
        ("Dana: Hello", "Dana", "unknown", "Hello"),
        ("CUSTOMER: hi", None, "customer", "hi"),
        ("Dana (Rep): Hello", "Dana", "agent", "Hello"),
        ("<i>Caller:</i> hi", None, "customer", "hi"),
        ("- no speaker here", None, "unknown", "- no speaker here"),
        ("note: lower-case prefixes are text", None, "unknown", "note: lower-case prefixes are text"),
    ],
)
def test_speaker_prefixes(tmp_path: Path, text: str, speaker: str | None, role: str, body: str) -> None:
    path = tmp_path / "s.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{text}\n", encoding="utf-8")
    (call,), _ = read_one(path, infer_roles=False)
    assert (call.turns[0].speaker, call.turns[0].role, call.turns[0].text) == (speaker, role, body)


# -- detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(HERE.glob("*.srt")) + sorted((HERE / "bad").glob("*.srt")), ids=lambda p: p.name
)
def test_detected_as_srt(path: Path) -> None:
    assert hi.detect_format(SourceFile(path)).name == "srt"


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.suffix != ".srt" and p.name != "no_signature.vtt"  # that one is an SRT cue
    ),
    ids=lambda p: str(p.relative_to(FIXTURES)),
)
def test_sniff_does_not_claim_other_formats(path: Path) -> None:
    assert SRTParser.sniff(SourceFile(path)) == 0.0


@pytest.mark.parametrize(
    ("head", "low", "high"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", 0.85, 0.95),
        ("\ufeff\r\n1\r\n00:00:01,000 --> 00:00:02,000\r\nhi\r\n", 0.85, 0.95),
        ("00:00:01,000 --> 00:00:02,000\nhi\n", 0.6, 0.8),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n", 0.0, 0.0),
        ("1\nAgent: hi\n", 0.0, 0.0),
        ("[00:01] Agent: hi\n", 0.0, 0.0),
    ],
)
def test_sniff_scores(head: str, low: float, high: float) -> None:
    assert low <= SRTParser.sniff(SourceFile(data=head.encode("utf-8"), name="x")) <= high


# -- failures -------------------------------------------------------------------------

BAD_CASES = [
    ("impossible_clock.srt", ParseFailureReason.INVALID_TIMESTAMP, 6),
    ("end_before_start.srt", ParseFailureReason.INVALID_TIMESTAMP, 6),
    ("text_without_timing.srt", ParseFailureReason.MALFORMED_TEXT, 5),
    ("truncated.srt", ParseFailureReason.MALFORMED_TEXT, 5),
]


@pytest.mark.parametrize(("name", "reason", "line"), BAD_CASES)
def test_bad_file_is_one_failure_at_first_bad_line(name: str, reason: ParseFailureReason, line: int) -> None:
    path = HERE / "bad" / name
    records, report = read_one(path)
    assert records == []
    assert (report.n_read, report.n_failed) == (1, 1)
    failure = report.failure_records[0]
    assert (failure.reason, failure.line, failure.source, failure.format) == (reason, line, str(path), "srt")


def test_index_without_timing_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "x.srt"
    path.write_text("1\nAgent: where is the timing?\n", encoding="utf-8")
    _, report = read_one(path)
    assert [(f.reason, f.line) for f in report.failure_records] == [(ParseFailureReason.MALFORMED_TEXT, 2)]


# -- options --------------------------------------------------------------------------


def test_agent_and_customer_options_override() -> None:
    (call,), _ = read_one(HERE / "no_index_dot.srt", agent=["sam"], customer="Dana")
    assert {t.speaker: t.role for t in call.turns} == {"Sam": "agent", "Dana": "customer"}


def test_agent_option_alone_lets_other_party_follow() -> None:
    (call,), _ = read_one(HERE / "no_index_dot.srt", agent="Sam")
    assert {t.speaker: t.role for t in call.turns} == {"Sam": "agent", "Dana": "customer"}
    assert call.meta == {"role_heuristic": "other_party"}


def test_infer_roles_false_and_channel_option() -> None:
    (call,), _ = read_one(HERE / "no_index_dot.srt", infer_roles=False, channel="chat")
    assert {t.role for t in call.turns} == {"unknown"}
    assert call.channel == "chat"


# -- render and properties --------------------------------------------------------------


def test_render_errors() -> None:
    untimed = Interaction(
        id="x", source=SourceRef(format="srt"), channel="call", turns=(Turn(position=0, text="hi"),)
    )
    with pytest.raises(ConfigError):
        render(untimed)
    with pytest.raises(ConfigError):
        render([])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=transcript_interactions("srt"))
def test_round_trip(tmp_path: Path, call: Interaction) -> None:
    path = tmp_path / f"{call.id}.srt"
    path.write_text(render(call), encoding="utf-8")
    records, report = read_one(path)
    assert report.n_failed == 0, report.failure_records
    assert carried(records[0], "srt") == carried(call, "srt")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text() | st.text().map(lambda t: "1\n00:00:01,000 --> 00:00:02,000\n" + t))
def test_arbitrary_text_parses_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "arbitrary.srt"
    path.write_bytes(text.encode("utf-8"))
    read_one(path)  # asserts the report reconciles and holds no internal failure


def test_sibling_sniffs_reject_srt() -> None:
    for path in HERE.glob("*.srt"):
        assert PlainTextParser.sniff(SourceFile(path)) == 0.0
        assert WebVTTParser.sniff(SourceFile(path)) == 0.0

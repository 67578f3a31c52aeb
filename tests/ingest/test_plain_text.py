"""Plain-text transcripts: fixtures, detection, failures, options and round trips."""

from __future__ import annotations

import datetime as dt
import gzip
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
from hotline_insight.ingest.plain_text import PlainTextParser, render, split_turn
from hotline_insight.ingest.srt import SRTParser
from hotline_insight.ingest.webvtt import WebVTTParser
from hotline_insight.records import Interaction, SourceRef, Turn, hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "plain_text"
UTC = dt.UTC


def read_one(path: Path, **options: Any) -> tuple[list[Interaction], hi.ParseReport]:
    """Read one file with on_error='collect'; check that the report reconciles."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = hi.read(path, format=options.pop("format", "plain_text"), on_error="collect", **options)
    report = corpus.parse_report
    assert report.n_read == report.n_parsed + report.n_failed
    assert not [f for f in report.failure_records if f.reason is ParseFailureReason.INTERNAL]
    return list(corpus), report


# -- fixtures ----------------------------------------------------------------------

FIXTURE_CASES = [
    pytest.param(
        "call_0001.txt",
        {
            "id": "C-2026-0001",
            "channel": "call",
            "created_at": dt.datetime(2026, 3, 2, 14, 5, 11, tzinfo=UTC),
            "customer_id": "CUST-88412",
            "agent_id": "A-117",
            "customer_keys": (hash_identifier("phone", "+1 (555) 010-2000"),),
            "meta": {"queue": "Broadband Support", "direction": "inbound", "agent_name": "Dana"},
            "roles": ["agent", "customer", "agent", "customer", "agent", "agent", "customer"],
            "speakers": [None] * 7,
            "start_s": [3.0, 7.0, 15.0, 19.0, 24.0, 31.0, 40.0],
            "texts": {
                1: "Hi — my router keeps dropping the connection,\nevery evening around 8pm. It's been like this for two weeks!",
                3: "Sure, it's [PII].",
                4: "",
                6: "The fee is ridiculous. I've paid on time — 每个月都是。",
            },
        },
        id="hash-header-bracketed-offsets",
    ),
    pytest.param(
        "dana_marcus.txt",
        {
            "id": "dana_marcus",
            "created_at": None,
            "meta": {"role_heuristic": "greeting"},
            "roles": ["agent", "customer", "customer", "agent", "customer"],
            "speakers": ["Dana", "Marcus", "Marcus", "Dana", "Marcus"],
            "start_s": [None] * 5,
            "texts": {3: "I understand, let me pull up the claim.\nIt can take a moment to load."},
        },
        id="named-no-header-greeting",
    ),
    pytest.param(
        "upper_labels.txt",
        {
            "id": "7731",
            "channel": "call",
            "created_at": dt.datetime(2026, 2, 27, 9, 41, tzinfo=UTC),
            "language": "en-US",
            "meta": {},
            "roles": ["agent", "customer", "agent", "customer"],
            "speakers": [None] * 4,
            "start_s": [2.0, 5.0, 70.0, 75.0],
            "texts": {0: "Good morning, billing department."},
        },
        id="plain-header-upper-labels-mmss",
    ),
    pytest.param(
        "numbered_speakers.txt",
        {
            "id": "numbered_speakers",
            "meta": {"role_heuristic": "greeting"},
            "roles": ["agent", "customer", "agent", "unknown", "customer"],
            "speakers": ["Speaker 1", "Speaker 2", "Speaker 1", None, "Speaker 2"],
            "start_s": [1.25, 5.1, 9.5, 12.0, 13.0],
            "end_s": [4.9, 9.0, 12.0, 12.0, 15.75],
            "texts": {1: "Hi! My order #4411 arrived broken.", 3: ""},
        },
        id="numbered-speakers-ranges",
    ),
    pytest.param(
        "chat_log.txt",
        {
            "id": "chat-5521",
            "channel": "chat",
            "created_at": dt.datetime(2026, 3, 5, 18, 2, 11, tzinfo=UTC),
            "customer_keys": (hash_identifier("email", "jane.doe@example.com"),),
            "meta": {},
            "roles": ["bot", "customer", "system", "agent", "customer"],
            "speakers": [None, None, None, "Priya", None],
            "at": [dt.datetime(2026, 3, 5, 18, 2, s, tzinfo=UTC) for s in (11, 30, 31)]
            + [dt.datetime(2026, 3, 5, 18, 3, 2, tzinfo=UTC), dt.datetime(2026, 3, 5, 18, 3, 40, tzinfo=UTC)],
            "texts": {4: "the price went up 40% with no notice."},
        },
        id="chat-absolute-times-email-hashed",
    ),
    pytest.param(
        "ivr_three_speakers.txt",
        {
            "id": "call-90017",
            "created_at": dt.datetime(2026, 1, 9, 14, 12, 40, tzinfo=UTC),
            "customer_id": "C100017",
            "meta": {"queue": "Tech Support", "recorder": "asr-batch v2", "role_heuristic": "ivr+greeting"},
            "roles": ["system", "system", "agent", "agent", "customer", "customer", "agent"],
            "speakers": ["Speaker 0"] * 2 + ["Speaker 1"] * 2 + ["Speaker 2"] * 2 + ["Speaker 1"],
            "start_s": [0.779, 7.12, 161.5, 165.01, 168.3, 172.9, 181.0],
            "texts": {5: "my router's been dead since the storm and nobody\ncalled me back"},
        },
        id="unknown-header-key-ivr-asr-indented-continuations",
    ),
    pytest.param(
        "otter_style.txt",
        {
            "id": "otter_style",
            "roles": ["agent", "customer", "agent"],
            "speakers": ["Speaker 1", "Speaker 2", "Speaker 1"],
            "start_s": [3.0, 7.0, 15.0],
            "texts": {1: "Hi, I'd like to dispute a charge.\nIt was from last Friday."},
        },
        id="two-column-label-and-time",
    ),
]


@pytest.mark.parametrize(("name", "expected"), FIXTURE_CASES)
def test_fixture(name: str, expected: dict[str, Any]) -> None:
    records, report = read_one(HERE / name)
    assert report.n_failed == 0
    assert len(records) == 1
    call = records[0]
    for key in ("id", "channel", "created_at", "customer_id", "agent_id", "customer_keys", "language"):
        if key in expected:
            assert getattr(call, key) == expected[key], key
    if "meta" in expected:
        assert dict(call.meta) == expected["meta"]
    assert [t.role for t in call.turns] == expected["roles"]
    assert [t.speaker for t in call.turns] == expected["speakers"]
    assert [t.position for t in call.turns] == list(range(len(call.turns)))
    for key in ("start_s", "end_s", "at"):
        if key in expected:
            assert [getattr(t, key) for t in call.turns] == expected[key], key
    for position, text in expected["texts"].items():
        assert call.turns[position].text == text
    assert call.source == SourceRef(format="plain_text", path=str(HERE / name), line=1)


def test_no_id_header_uses_file_stem_also_gzipped(tmp_path: Path) -> None:
    path = tmp_path / "2026-03-01_c17.txt.gz"
    path.write_bytes(gzip.compress(b"Agent: Hello.\nCustomer: Hi.\n"))
    records, _ = read_one(path)
    assert records[0].id == "2026-03-01_c17"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[00:00:03] Agent: Thanks.", ("00:00:03", None, "Agent", "Thanks.")),
        ("(00:03) CUSTOMER: hi", ("00:03", None, "CUSTOMER", "hi")),
        ("00:00:03.250 Caller: hi", ("00:00:03.250", None, "Caller", "hi")),
        ("00:03 - Rep: hi", ("00:03", None, "Rep", "hi")),
        ("[00:01 - 00:04] Speaker 1: hi", ("00:01", "00:04", "Speaker 1", "hi")),
        ("[2026-03-01 10:32:05] Dana: hi", ("2026-03-01 10:32:05", None, "Dana", "hi")),
        ("Dana [00:15]: hmm", ("00:15", None, "Dana", "hmm")),
        ("Speaker 2  1:02:03", ("1:02:03", None, "Speaker 2", "")),
        ("Dana (Agent): hi: there", (None, None, "Dana (Agent)", "hi: there")),
        ("spk_0: hello", (None, None, "spk_0", "hello")),
        ("李雷: 你好", (None, None, "李雷", "你好")),
        ("[00:30] no label here", ("00:30", None, None, "no label here")),
        ("note: this is text", None),
        ("10:30 works for me", None),
        ("see https://example.com/help", None),
        ("So what I mean is this: it broke", None),
    ],
)
def test_turn_line_variants(line: str, expected: tuple[Any, ...] | None) -> None:
    parts = split_turn(line)
    if expected is None:
        assert parts is None
        return
    assert parts is not None
    stamp, label, text = parts
    assert (stamp.start, stamp.end, label, text) == expected


def test_header_rule_known_keys_only_without_hash(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Queue: Billing\nLanguage: de\nDana: Guten Tag.\nCustomer: Hallo.\n", encoding="utf-8")
    call = read_one(path)[0][0]
    assert dict(call.meta) == {"queue": "Billing", "role_heuristic": "other_party"}
    assert call.language == "de"
    assert [(t.speaker, t.role) for t in call.turns] == [("Dana", "agent"), (None, "customer")]


def test_unknown_header_keys_need_a_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("call_id: 7\nrecorder: x\nAgent: Hello.\n", encoding="utf-8")
    call = read_one(path)[0][0]
    assert call.id == "7" and "recorder" not in call.meta
    assert [(t.role, t.text) for t in call.turns] == [("unknown", "recorder: x"), ("agent", "Hello.")]


def test_numbered_speaker_lines_are_never_header(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("# call_id: 7\nspk_0: hello\nspk_1: hi\n\nspk_0: bye\n", encoding="utf-8")
    call = read_one(path, infer_roles=False)[0][0]
    assert [t.speaker for t in call.turns] == ["spk_0", "spk_1", "spk_0"]


# -- detection ----------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(HERE.glob("*.txt")), ids=lambda p: p.name)
def test_detected_as_plain_text(path: Path) -> None:
    assert hi.detect_format(SourceFile(path)).name == "plain_text"


OTHER_FIXTURES = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".txt" and not p.name.startswith(".")
)


@pytest.mark.parametrize("path", OTHER_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_sniff_does_not_claim_other_formats(path: Path) -> None:
    assert PlainTextParser.sniff(SourceFile(path)) == 0.0


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ('{"id": 1, "text": "Agent: hi"}\n', 0.0, 0.0),
        ('[{"id": 1}]', 0.0, 0.0),
        ("id,text,created_at\n1,Agent: hi,2026-01-01\n", 0.0, 0.0),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nAgent: hi\n", 0.0, 0.0),
        ("1\n00:00:01,000 --> 00:00:02,000\nAgent: hi\n", 0.0, 0.0),
        ("Agent: hi\nCustomer: hello\nAgent: bye\n", 0.4, 0.7),
        ("[00:01] Agent: hi\n[00:02] Customer: hello\n", 0.5, 0.7),
    ],
)
def test_sniff_scores(text: str, low: float, high: float) -> None:
    score = PlainTextParser.sniff(SourceFile(data=text.encode(), name="x"))
    assert low <= score <= high


# -- failures ------------------------------------------------------------------------

BAD_CASES = [
    ("impossible_clock.txt", ParseFailureReason.INVALID_TIMESTAMP, 4),
    ("range_backwards.txt", ParseFailureReason.INVALID_TIMESTAMP, 2),
    ("bad_started_at.txt", ParseFailureReason.INVALID_TIMESTAMP, 2),
    ("header_only.txt", ParseFailureReason.EMPTY_RECORD, 1),
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
        "plain_text",
    )


def test_failure_messages_do_not_quote_customer_text(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(
        "Customer: my card 4111 1111 1111 1111\n[00:99] Customer: jane@example.com\n", encoding="utf-8"
    )
    _, report = read_one(path)
    message = report.failure_records[0].message
    assert "4111" not in message and "jane" not in message


def test_undecodable_bytes_are_an_encoding_failure(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"Agent: hello\n" * 6000 + b"Customer: \xff\xfe broken\n")
    _, report = read_one(path)
    assert [f.reason for f in report.failure_records] == [ParseFailureReason.ENCODING]


# -- options -------------------------------------------------------------------------


def test_agent_and_customer_options_override(tmp_path: Path) -> None:
    path = HERE / "dana_marcus.txt"
    call = read_one(path, agent="marcus", customer=["Dana"])[0][0]
    assert {t.speaker: t.role for t in call.turns} == {"Dana": "customer", "Marcus": "agent"}
    assert "role_heuristic" not in call.meta


def test_infer_roles_false_keeps_unknown() -> None:
    call = read_one(HERE / "dana_marcus.txt", infer_roles=False)[0][0]
    assert {t.role for t in call.turns} == {"unknown"}


def test_infer_roles_must_be_bool() -> None:
    with pytest.raises(ConfigError):
        hi.read(HERE / "dana_marcus.txt", format="plain_text", infer_roles="no")


@pytest.mark.parametrize(("option", "expected"), [(None, "chat"), ("call", "call"), ("email", "email")])
def test_channel_option_wins_over_header(option: str | None, expected: str) -> None:
    call = read_one(HERE / "chat_log.txt", channel=option)[0][0]
    assert call.channel == expected


def test_timezone_option_applies_to_naive_times() -> None:
    call = read_one(HERE / "chat_log.txt", timezone="Europe/Berlin")[0][0]
    assert call.turns[0].at == dt.datetime(2026, 3, 5, 17, 2, 11, tzinfo=UTC)


def test_other_party_heuristic(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Agent: Hello.\nMarcus: My bill is wrong.\nAgent: Let me see.\n", encoding="utf-8")
    call = read_one(path)[0][0]
    assert [t.role for t in call.turns] == ["agent", "customer", "agent"]
    assert call.meta["role_heuristic"] == "other_party"


@pytest.mark.parametrize(
    ("lines", "roles", "method"),
    [
        (["A: Thanks for calling, how can I help?", "B: My bill."], ["agent", "customer"], "greeting"),
        (["B: Hello?", "A: You're through to Acme, this is Al."], ["customer", "agent"], "greeting"),
        (["A: Thank you for calling.", "B: Thank you for calling back!"], ["unknown", "unknown"], None),
        (["A: Hi.", "B: Hello."], ["unknown", "unknown"], None),
        (
            ["I: Calls may be recorded. Press 1 for billing.", "A: Welcome to Acme!", "B: Hi."],
            ["system", "agent", "customer"],
            "ivr+greeting",
        ),
        (["I: You are number 3 in the queue.", "B: Ugh."], ["system", "unknown"], "ivr"),
        (["I: Press 1. How can I help?", "A: Hi.", "B: Hello."], ["unknown"] * 3, None),
        (["A: Hi.", "B: Hello.", "C: Hey."], ["unknown"] * 3, None),
        (["Customer: Hello?", "A: Hi, sorry for the wait."], ["customer", "agent"], "other_party"),
    ],
)
def test_role_heuristics(tmp_path: Path, lines: list[str], roles: list[str], method: str | None) -> None:
    names = {"A": "Ann", "B": "Bob", "C": "Cy", "I": "Speaker 0"}
    path = tmp_path / "h.txt"
    path.write_text(
        "\n".join(names.get(ln[0], ln[0]) + ln[1:] if ln[1] == ":" else ln for ln in lines) + "\n"
    )
    call = read_one(path)[0][0]
    assert [t.role for t in call.turns] == roles
    assert call.meta.get("role_heuristic") == method


def test_stated_role_holds_for_the_speakers_other_turns(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Dana (Agent): Hello.\nSam: Hi.\nDana: How can I help?\n", encoding="utf-8")
    call = read_one(path, infer_roles=False)[0][0]
    assert [(t.speaker, t.role) for t in call.turns] == [
        ("Dana", "agent"),
        ("Sam", "unknown"),
        ("Dana", "agent"),
    ]


# -- render and properties -------------------------------------------------------------


def test_render_needs_exactly_one_interaction() -> None:
    call = Interaction(
        id="x", source=SourceRef(format="plain_text"), channel="call", turns=(Turn(position=0, text="hi"),)
    )
    assert render([call]) == render(call)
    with pytest.raises(ConfigError):
        render([call, call])


def test_render_multiline_text_round_trips(tmp_path: Path) -> None:
    call = Interaction(
        id="m-1",
        source=SourceRef(format="plain_text"),
        channel="call",
        turns=(Turn(position=0, role="customer", text="first line\nsecond line"),),
    )
    path = tmp_path / "m.txt"
    path.write_text(render(call), encoding="utf-8")
    assert read_one(path)[0][0].turns[0].text == "first line\nsecond line"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=transcript_interactions("plain_text"))
def test_round_trip(tmp_path: Path, call: Interaction) -> None:
    path = tmp_path / "round_trip.txt"
    path.write_text(render(call), encoding="utf-8")
    records, report = read_one(path)
    assert report.n_failed == 0, report.failure_records
    assert carried(records[0], "plain_text") == carried(call, "plain_text")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_arbitrary_text_parses_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "arbitrary.txt"
    path.write_bytes(text.encode("utf-8"))
    read_one(path)  # asserts the report reconciles and holds no internal failure


def test_sniffs_of_sibling_formats_reject_plain_text() -> None:
    for path in HERE.glob("*.txt"):
        assert WebVTTParser.sniff(SourceFile(path)) == 0.0
        assert SRTParser.sniff(SourceFile(path)) == 0.0


def test_a_yaml_document_is_not_taken_for_a_transcript(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hotline_insight.ingest import detect_format
    from hotline_insight.ingest._source import SourceFile

    catalog = (
        "company: Acme\n"
        "products:\n"
        "  - id: fibre_500\n"
        "    name: Fibre 500\n"
        "  - id: hub_two\n"
        "    name: Hub Two\n"
        "policies:\n"
        "  - id: support_fee\n"
        "    name: Support fee\n"
    )
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog)
    detected = detect_format(SourceFile(path))
    assert detected is None or detected.name != "plain_text"

"""Amazon Transcribe standard batch job JSON: turns from items, speaker roles, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseError, ParseFailureReason
from hotline_insight.ingest._base import ParseContext, ParseOptions
from hotline_insight.ingest._source import SourceFile
from hotline_insight.ingest.call_analytics import CallAnalyticsParser
from hotline_insight.ingest.contact_lens import ContactLensParser
from hotline_insight.ingest.transcribe import TranscribeParser, assign_roles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HERE = FIXTURES / "transcribe"
DIARIZED = HERE / "support_call_diarized.json"
OWN = sorted(HERE.glob("*.json"))
OTHERS = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and HERE not in p.parents and not p.name.startswith(".")
)


def read(source: Any, **options: Any) -> hi.Corpus:
    corpus = hi.read(source, on_error="collect", **options)
    report = corpus.parse_report
    assert report.n_read == report.n_parsed + report.n_failed
    assert not any(f.reason == ParseFailureReason.INTERNAL for f in report.failure_records)
    return corpus


def read_text(text: str, name: str = "job.json", **options: Any) -> hi.Corpus:
    return read(SourceFile(data=text.encode("utf-8"), name=name), format="transcribe", **options)


def only(corpus: hi.Corpus) -> hi.Interaction:
    assert corpus.parse_report.n_failed == 0, corpus.parse_report.failure_records
    assert len(corpus) == 1
    return corpus[0]


def reasons(corpus: hi.Corpus) -> list[ParseFailureReason]:
    return [f.reason for f in corpus.parse_report.failure_records]


# -- fixtures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "job", "roles", "speakers", "label_source", "rule"),
    [
        (
            "support_call_diarized.json",
            "northwind-call-2024-03-05-0001",
            ["agent", "customer", "agent", "customer", "agent", "customer"],
            ["spk_0", "spk_1", "spk_0", "spk_1", "spk_0", "spk_1"],
            "speaker_labels",
            "greeting_heuristic",
        ),
        (
            "segments_only_labels.json",
            "billing-call-legacy-17",
            ["unknown"] * 4,
            ["spk_0", "spk_1", "spk_0", "spk_1"],
            "speaker_labels",
            "none",
        ),
        (
            "channel_identification.json",
            "contoso-billing-ch-0042",
            ["agent", "customer", "agent"],
            ["ch_1", "ch_0", "ch_1"],
            "channel_labels",
            "greeting_heuristic",
        ),
        ("mono_unlabelled.json", "voicemail-2024-02-11-889", ["unknown"] * 3, [None] * 3, "none", "none"),
        ("transcript_only.json", "voicemail-2024-02-12-014", ["unknown"], [None], "none", "none"),
    ],
)
def test_fixture_turns_and_roles(name, job, roles, speakers, label_source, rule) -> None:  # type: ignore[no-untyped-def]
    call = only(read(HERE / name))
    assert call.id == job
    assert call.channel == "call"
    assert call.created_at is None  # the job document does not say when the call took place
    assert [t.role for t in call.turns] == roles
    assert [t.speaker for t in call.turns] == speakers
    assert [t.position for t in call.turns] == list(range(len(roles)))
    assert call.meta["label_source"] == label_source
    assert call.meta["role_assignment"] == rule
    assert call.meta["account_id"] == "123456789012"
    assert call.meta["job_status"] == "COMPLETED"
    assert call.source.format == "transcribe"
    assert call.source.path.endswith(name)
    assert call.source.line == 1
    assert call.vendor is None


def test_diarized_turn_text_times_and_confidence() -> None:
    call = only(read(DIARIZED))
    first, second, *_, last = call.turns
    assert first.text == "Thank you for calling Northwind Mobile, this is Dana. How can I help you today?"
    assert (
        second.text == "Hi Dana. My name is [PII] and my router keeps dropping the connection every evening."
    )
    assert "café downstairs." in call.turns[3].text
    assert last.text == "Thanks."
    assert (first.start_s, first.end_s) == (0.54, 6.84)
    assert (second.start_s, second.end_s) == (7.4, 14.13)
    for turn in call.turns:
        assert 0.0 < turn.meta["confidence"] <= 1.0
        assert turn.start_s is not None and turn.end_s is not None and turn.start_s < turn.end_s
    assert call.meta["n_speakers"] == 2
    assert call.duration_s == 32.21


def test_redacted_words_do_not_lower_turn_confidence() -> None:
    doc = json.loads(DIARIZED.read_text(encoding="utf-8"))
    call = only(read(DIARIZED))
    redacted_turn = call.turns[1]
    words = [
        float(i["alternatives"][0]["confidence"])
        for i in doc["results"]["items"]
        if i.get("speaker_label") == "spk_1"
        and 7.4 <= float(i.get("start_time", 0)) <= 14.2
        and not i["alternatives"][0].get("redactions")
    ]
    assert redacted_turn.meta["confidence"] == round(sum(words) / len(words), 4)


def test_unlabelled_items_split_into_sentences() -> None:
    call = only(read(HERE / "mono_unlabelled.json"))
    assert [t.text for t in call.turns] == [
        "The app logs me out every time I switch networks.",
        "I have reinstalled it twice!",
        "Is there a fix?",
    ]
    assert call.turns[0].start_s == 0.5


def test_transcript_without_items_is_one_turn_without_times() -> None:
    call = only(read(HERE / "transcript_only.json"))
    (turn,) = call.turns
    assert turn.text == "Please call me back about the refund for order [PII]."
    assert (turn.start_s, turn.end_s, turn.meta) == (None, None, {})


def test_language_code_is_read_when_present() -> None:
    assert only(read(HERE / "channel_identification.json")).language == "en-US"
    assert only(read(DIARIZED)).language is None


# -- options -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options", "roles"),
    [
        ("support_call_diarized.json", {"agent": "spk_1"}, ["customer", "agent"] * 3),
        ("support_call_diarized.json", {"customer": "SPK_0"}, ["customer", "agent"] * 3),
        ("segments_only_labels.json", {"agent": "spk_0"}, ["agent", "customer"] * 2),
        ("segments_only_labels.json", {"agent": ["spk_0"], "customer": ["spk_1"]}, ["agent", "customer"] * 2),
        ("channel_identification.json", {"agent": "ch_0"}, ["customer", "agent", "customer"]),
    ],
)
def test_agent_and_customer_options_win(name, options, roles) -> None:  # type: ignore[no-untyped-def]
    call = only(read(HERE / name, **options))
    assert [t.role for t in call.turns] == roles
    assert call.meta["role_assignment"] == "option"


def test_channel_option_overrides() -> None:
    assert only(read(DIARIZED, channel="chat")).channel == "chat"


def _ctx(**options: Any) -> ParseContext:
    return ParseContext(SourceFile(data=b"{}", name="t.json"), ParseOptions(**options), "transcribe")


@pytest.mark.parametrize(
    ("first_turns", "first", "expected", "rule"),
    [
        (
            {"spk_0": "Thank you for calling Acme.", "spk_1": "Hi there."},
            "spk_0",
            {"spk_0": "agent", "spk_1": "customer"},
            "greeting_heuristic",
        ),
        (
            {
                "spk_0": "Hi, this is John, calling about my bill.",
                "spk_1": "Thanks for calling, how may I help?",
            },
            "spk_0",
            {"spk_0": "customer", "spk_1": "agent"},
            "greeting_heuristic",
        ),
        (
            {"spk_0": "Acme support, this is Dana.", "spk_1": "Hi."},
            "spk_0",
            {"spk_0": "agent", "spk_1": "customer"},
            "greeting_heuristic",
        ),
        (
            {"spk_0": "Hello?", "spk_1": "Hi, this is John."},
            "spk_0",
            {"spk_0": "unknown", "spk_1": "unknown"},
            "none",
        ),
        (
            {"spk_0": "Welcome to Acme.", "spk_1": "Thanks for calling me back!"},
            "spk_0",
            {"spk_0": "agent", "spk_1": "customer"},
            "greeting_heuristic",
        ),
        (
            {"spk_0": "Thank you for calling Acme.", "spk_1": "Thank you for calling, how can I help?"},
            "spk_0",
            {"spk_0": "unknown", "spk_1": "unknown"},
            "none",
        ),
        (
            {"spk_0": "Thank you for calling Acme.", "spk_1": "Hi.", "spk_2": "Hello."},
            "spk_0",
            {"spk_0": "agent", "spk_1": "unknown", "spk_2": "unknown"},
            "greeting_heuristic",
        ),
        ({"spk_0": "Yes.", "spk_1": "No."}, "spk_0", {"spk_0": "unknown", "spk_1": "unknown"}, "none"),
    ],
)
def test_greeting_heuristic(first_turns, first, expected, rule) -> None:  # type: ignore[no-untyped-def]
    assert assign_roles(first_turns, first, _ctx()) == (expected, rule)


def test_options_come_before_the_heuristic() -> None:
    turns = {"spk_0": "Thank you for calling Acme.", "spk_1": "Hi."}
    assert assign_roles(turns, "spk_0", _ctx(agent=("spk_1",))) == (
        {"spk_0": "customer", "spk_1": "agent"},
        "option",
    )


# -- detection ---------------------------------------------------------------------


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.name)
def test_detected_as_transcribe(path: Path) -> None:
    detected = hi.detect_format(SourceFile(path))
    assert detected is not None and detected.name == "transcribe"
    assert CallAnalyticsParser.sniff(SourceFile(path)) == 0.0
    assert ContactLensParser.sniff(SourceFile(path)) == 0.0


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_does_not_claim_other_formats(path: Path) -> None:
    assert TranscribeParser.sniff(SourceFile(path)) == 0.0


def test_sniff_without_job_name_is_plausible_only() -> None:
    text = json.dumps({"results": {"transcripts": [{"transcript": "hi"}], "items": []}})
    assert TranscribeParser.sniff(SourceFile(data=text.encode(), name="x.json")) == 0.6
    assert TranscribeParser.sniff(SourceFile(data=b"not json at all", name="x.json")) == 0.0
    assert TranscribeParser.sniff(SourceFile(data=b"\xff\xfe\x00garbage", name="x.json")) == 0.0


# -- bad input ---------------------------------------------------------------------


def _doc() -> dict[str, Any]:
    return json.loads((HERE / "segments_only_labels.json").read_text(encoding="utf-8"))


def _with(change: Any) -> str:
    doc = _doc()
    change(doc)
    return json.dumps(doc, indent=1)


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        (DIARIZED.read_text(encoding="utf-8")[:5000], ParseFailureReason.TRUNCATED, None),
        ('{"jobName": "x", "results": {"items": []}', ParseFailureReason.TRUNCATED, 1),
        (
            '{"jobName": "x", "results": {"transcripts": [{"transcript": "unfinished',
            ParseFailureReason.TRUNCATED,
            1,
        ),
        ('{"jobName": "x",\n "results": {items: []}}', ParseFailureReason.MALFORMED_JSON, 2),
        ('{"jobName": "x", "results": {}} trailing', ParseFailureReason.MALFORMED_JSON, 1),
        ('{"jobName": "x",\n "results": {"items": [NaN]}}', ParseFailureReason.MALFORMED_JSON, 2),
        ('[{"jobName": "x", "results": {}}]', ParseFailureReason.INVALID_VALUE, 1),
        (_with(lambda d: d.pop("jobName")), ParseFailureReason.MISSING_FIELD, 1),
        (_with(lambda d: d.update(jobName="")), ParseFailureReason.MISSING_FIELD, 1),
        (_with(lambda d: d.pop("results")), ParseFailureReason.MISSING_FIELD, 1),
        (_with(lambda d: d.update(results=[])), ParseFailureReason.INVALID_VALUE, 1),
        (_with(lambda d: d["results"].update(items={"0": 1})), ParseFailureReason.INVALID_VALUE, 1),
        (
            _with(lambda d: d["results"]["items"][0].update(start_time="soon")),
            ParseFailureReason.INVALID_VALUE,
            1,
        ),
        (
            _with(lambda d: d["results"]["items"][0].update(start_time="-1.0")),
            ParseFailureReason.INVALID_VALUE,
            1,
        ),
        (
            _with(lambda d: d["results"]["items"][0].update(start_time="NaN")),
            ParseFailureReason.INVALID_VALUE,
            1,
        ),
        (_with(lambda d: d["results"]["items"][0].update(type="word")), ParseFailureReason.INVALID_VALUE, 1),
        (_with(lambda d: d["results"]["items"][0].pop("alternatives")), ParseFailureReason.MISSING_FIELD, 1),
        (
            _with(lambda d: d["results"]["items"][0].update(alternatives=[])),
            ParseFailureReason.INVALID_VALUE,
            1,
        ),
        (_with(lambda d: d["results"]["items"].append(7)), ParseFailureReason.INVALID_VALUE, 1),
        (
            _with(lambda d: d["results"]["speaker_labels"]["segments"].append("x")),
            ParseFailureReason.INVALID_VALUE,
            1,
        ),
    ],
    ids=lambda v: v.value if isinstance(v, ParseFailureReason) else None,
)
def test_bad_input_fails_with_a_reason(text: str, reason: ParseFailureReason, line: int | None) -> None:
    corpus = read_text(text, name="bad.json")
    assert len(corpus) == 0
    (failure,) = corpus.parse_report.failure_records
    assert failure.reason == reason
    assert failure.source == "bad.json"
    assert failure.format == "transcribe"
    assert failure.line is not None and failure.line >= 1
    if line is not None:
        assert failure.line == line


def test_failure_messages_do_not_quote_customer_text() -> None:
    text = _with(lambda d: d["results"]["items"][0].update(start_time="call jane@example.com"))
    (failure,) = read_text(text).parse_report.failure_records
    assert "jane@example.com" not in failure.message
    assert "results.items[0].start_time" in failure.message


def test_truncated_file_is_detected_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(DIARIZED.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    corpus = read(path)
    assert reasons(corpus) == [ParseFailureReason.TRUNCATED]
    assert corpus.parse_report.failure_records[0].format == "transcribe"


def test_on_error_raise_lists_the_failure(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"jobName": "x", "results": {', encoding="utf-8")
    with pytest.raises(ParseError) as info:
        hi.read(path, format="transcribe")
    assert [f.reason for f in info.value.failures] == [ParseFailureReason.TRUNCATED]


def test_directory_of_fixtures_reconciles() -> None:
    corpus = read(HERE)
    report = corpus.parse_report
    assert (report.n_read, report.n_parsed, report.n_failed) == (len(OWN), len(OWN), 0)
    assert report.formats["transcribe"] == len(OWN)


# -- properties --------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_item_keys = st.sampled_from(
    ["start_time", "end_time", "speaker_label", "channel_label", "type", "alternatives"]
)


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=len(DIARIZED.read_text(encoding="utf-8").rstrip()) - 1))
def test_any_truncation_is_reported_as_truncated(cut: int) -> None:
    corpus = read_text(DIARIZED.read_text(encoding="utf-8")[:cut])
    assert len(corpus) == 0
    assert reasons(corpus) == [ParseFailureReason.TRUNCATED]


@settings(max_examples=80, deadline=None)
@given(key=_item_keys, value=_json, where=st.integers(min_value=0, max_value=30))
def test_odd_item_values_parse_or_fail_cleanly(key: str, value: Any, where: int) -> None:
    doc = _doc()
    items = doc["results"]["items"]
    items[where % len(items)][key] = value
    corpus = read_text(json.dumps(doc))
    assert len(corpus) + corpus.parse_report.n_failed == 1


@settings(max_examples=60, deadline=None)
@given(results=_json)
def test_arbitrary_results_parse_or_fail_cleanly(results: Any) -> None:
    corpus = read_text(json.dumps({"jobName": "j", "results": results}))
    assert len(corpus) + corpus.parse_report.n_failed == 1


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    if not text.strip(" \t\r\n\x00\ufeff"):
        return
    corpus = read_text(text)
    assert len(corpus) + corpus.parse_report.n_failed == 1

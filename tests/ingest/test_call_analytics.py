"""Amazon Transcribe Call Analytics post-call JSON: turns and every vendor annotation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseFailureReason
from hotline_insight.ingest._source import HEAD_BYTES, SourceFile
from hotline_insight.ingest.call_analytics import CallAnalyticsParser
from hotline_insight.ingest.contact_lens import ContactLensParser
from hotline_insight.ingest.transcribe import TranscribeParser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HERE = FIXTURES / "call_analytics"
CALL = HERE / "cancellation_call.json"
SPANISH = HERE / "factura_bad_offsets.json"
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


def read_text(text: str, name: str = "analytics.json") -> hi.Corpus:
    return read(SourceFile(data=text.encode("utf-8"), name=name), format="transcribe_call_analytics")


def only(corpus: hi.Corpus) -> hi.Interaction:
    assert corpus.parse_report.n_failed == 0, corpus.parse_report.failure_records
    assert len(corpus) == 1
    return corpus[0]


def _doc(path: Path = CALL) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# -- the call ----------------------------------------------------------------------


def test_call_fields() -> None:
    call = only(read(CALL))
    assert call.id == "retention-call-20240305-7781"
    assert call.channel == "call"
    assert call.language == "en-US"
    assert call.created_at is None
    assert call.source.format == "transcribe_call_analytics"
    assert call.source.path.endswith("cancellation_call.json")
    assert call.source.line == 1
    assert call.meta["job_status"] == "COMPLETED"
    assert call.meta["account_id"] == "123456789012"
    assert call.meta["content_metadata"] == {"Output": "Redacted", "RedactionTypes": ["PII"]}
    assert "skipped_analysis" not in call.meta  # Skipped: [] means nothing was skipped


@pytest.mark.parametrize(
    ("position", "role", "start_s", "end_s", "sentiment", "text"),
    [
        (0, "agent", 0.0, 4.12, "NEUTRAL", "[PII], my name is [PII], how can I help?"),
        (
            1,
            "customer",
            4.6,
            11.85,
            "NEGATIVE",
            "Well, I'd like to cancel my subscription because the price went up again.",
        ),
        (
            2,
            "agent",
            12.18,
            16.96,
            "MIXED",
            "That's very sad to hear. Can I offer you a 50% discount to stay with us?",
        ),
        (3, "customer", 17.14, 19.86, "POSITIVE", "Hmm… that's actually a generous offer. Okay, I accept."),
        (
            4,
            "agent",
            20.1,
            27.4,
            "POSITIVE",
            "Wonderful. I've applied the discount to your account, and you'll get a confirmation e-mail today.",
        ),
        (5, "customer", 27.9, 28.1, "NEUTRAL", ""),
        (6, "customer", 28.4, 30.46, "POSITIVE", "Thank you, goodbye."),
    ],
)
def test_turns(position, role, start_s, end_s, sentiment, text) -> None:  # type: ignore[no-untyped-def]
    turn = only(read(CALL)).turns[position]
    assert (turn.position, turn.role, turn.speaker) == (position, role, role.upper())
    assert (turn.start_s, turn.end_s) == (start_s, end_s)
    assert turn.meta["vendor_sentiment"] == sentiment
    assert turn.text == text
    assert turn.meta["id"].startswith("0b7a6a47-")


def test_turn_meta_keeps_loudness_redaction_and_confidence() -> None:
    call = only(read(CALL))
    assert call.turns[0].meta["loudness_scores"] == [78.63, 78.37, 77.98, 74.18]
    assert call.turns[0].meta["redaction"] == [
        {"Confidence": "0.9998", "Type": "NAME", "Category": "PII"},
        {"Confidence": "0.9971", "Type": "NAME", "Category": "PII"},
    ]
    confidences = [i["Confidence"] for i in _doc()["Transcript"][1]["Items"] if "Confidence" in i]
    assert call.turns[1].meta["confidence"] == round(sum(confidences) / len(confidences), 4)
    assert "confidence" not in call.turns[0].meta  # no Items, no confidence
    assert "redaction" not in call.turns[1].meta


def test_vendor_issues_are_spans_on_their_turn() -> None:
    call = only(read(CALL))
    assert call.vendor is not None
    (issue,) = call.vendor.issues
    assert issue.turn_position == 1
    assert (issue.start_char, issue.end_char) == (6, 40)
    assert issue.text == "I'd like to cancel my subscription"
    assert call.turns[1].text[issue.start_char : issue.end_char] == issue.text


def test_vendor_outcomes_and_action_items() -> None:
    vendor = only(read(CALL)).vendor
    assert vendor is not None
    assert vendor.extra["outcomes"] == [
        {
            "text": "I've applied the discount to your account",
            "turn_position": 4,
            "start_char": 11,
            "end_char": 52,
        }
    ]
    assert vendor.extra["action_items"] == [
        {
            "text": "you'll get a confirmation e-mail today",
            "turn_position": 4,
            "start_char": 58,
            "end_char": 96,
        }
    ]


def test_vendor_categories_sentiment_characteristics_and_summary() -> None:
    vendor = only(read(CALL)).vendor
    assert vendor is not None
    assert vendor.categories == (
        "cancellation-intent",
        "retention-offer-accepted",
    )  # " retention..." stripped
    assert set(vendor.extra["matched_details"]) == {"cancellation-intent", "retention-offer-accepted"}
    assert vendor.sentiment["agent"] == 2.5
    assert vendor.sentiment["customer"] == -0.8
    assert vendor.sentiment["scale"] == "-5..5"
    assert len(vendor.sentiment["by_period"]["QUARTER"]["CUSTOMER"]) == 4
    assert vendor.extra["interruptions"] == {
        "total_count": 1,
        "total_time_s": 0.9,
        "count_by_interrupter": {"customer": 1},
    }
    assert vendor.extra["non_talk_time"] == {"total_time_s": 0.33, "n_instances": 1}
    assert vendor.extra["talk_speed_wpm"] == {"agent": 152.0, "customer": 139.0}
    assert vendor.extra["talk_time_s"] == {"total": 28.42, "agent": 16.19, "customer": 12.23}
    assert vendor.extra["total_conversation_duration_s"] == 30.46
    assert vendor.summary is not None and vendor.summary.startswith("The customer wanted to cancel")


def test_vendor_annotations_are_json_able() -> None:
    call = only(read(CALL))
    json.dumps(call.model_dump(mode="json"))


def test_skipped_analysis_and_unusable_offsets() -> None:
    corpus = read(SPANISH)
    call = only(corpus)
    assert call.language == "es-US"
    assert call.turns[0].text.startswith("Gracias por llamar")
    assert call.turns[1].text == "La factura de marzo está mal, me cobraron dos veces el mismo servicio."
    assert call.meta["skipped_analysis"] == [
        {
            "Feature": "GENERATIVE_SUMMARIZATION",
            "ReasonCode": "INSUFFICIENT_CONVERSATION_CONTENT",
            "Message": "The conversation needs to have at least one turn from both the participants to generate summary",
        }
    ]
    assert call.vendor is not None
    assert call.vendor.summary is None
    assert call.vendor.categories == ()
    good, past_end, reversed_ = call.vendor.issues
    assert (good.start_char, good.end_char, good.text) == (0, 28, "La factura de marzo está mal")
    # offsets outside the turn: the finding is kept on its turn, without a span
    for issue in (past_end, reversed_):
        assert (issue.turn_position, issue.start_char, issue.end_char, issue.text) == (1, None, None, None)
    codes = [w.code for w in corpus.parse_report.warnings]
    assert codes == ["W104"]
    assert "2 vendor span(s)" in corpus.parse_report.warnings[0].message


def test_every_span_matches_its_turn_text() -> None:
    for call in read(HERE):
        assert call.vendor is not None
        spans = [*call.vendor.issues]
        for key in ("outcomes", "action_items"):
            spans += [hi.VendorIssue(**s) for s in call.vendor.extra.get(key, [])]
        for span in spans:
            if span.start_char is not None:
                assert call.turns[span.turn_position].text[span.start_char : span.end_char] == span.text


def test_participant_role_missing_is_unknown_speaker() -> None:
    doc = _doc()
    del doc["Transcript"][2]["ParticipantRole"]
    call = only(read_text(json.dumps(doc)))
    assert (call.turns[2].role, call.turns[2].speaker) == ("unknown", None)


def test_customer_option_can_relabel_roles() -> None:
    call = only(read(CALL, agent="CUSTOMER", customer="AGENT"))
    assert [t.role for t in call.turns[:2]] == ["customer", "agent"]


# -- detection ---------------------------------------------------------------------


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.name)
def test_detected_as_call_analytics(path: Path) -> None:
    detected = hi.detect_format(SourceFile(path))
    assert detected is not None and detected.name == "transcribe_call_analytics"
    assert TranscribeParser.sniff(SourceFile(path)) == 0.0
    assert ContactLensParser.sniff(SourceFile(path)) == 0.0


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_does_not_claim_other_formats(path: Path) -> None:
    assert CallAnalyticsParser.sniff(SourceFile(path)) == 0.0


def test_long_call_detected_when_job_name_is_past_the_head() -> None:
    doc = _doc()
    turn = doc["Transcript"][1]
    turn["Items"] = turn["Items"] * 400
    text = json.dumps(doc, indent=2)
    assert text.index('"JobName"') > HEAD_BYTES
    src = SourceFile(data=text.encode(), name="long.json")
    assert CallAnalyticsParser.sniff(src) == 0.7
    detected = hi.detect_format(src)
    assert detected is not None and detected.name == "transcribe_call_analytics"
    call = only(read(src))
    assert call.id == "retention-call-20240305-7781"


# -- bad input ---------------------------------------------------------------------


def _with(change: Any) -> str:
    doc = _doc()
    change(doc)
    return json.dumps(doc, indent=2)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (CALL.read_text(encoding="utf-8")[:4000], ParseFailureReason.TRUNCATED),
        ('{"JobName": "x", "Transcript": [{"Content": "hi"', ParseFailureReason.TRUNCATED),
        ('{"JobName": "x", "Transcript": [}', ParseFailureReason.MALFORMED_JSON),
        ('{"JobName": "x", "Transcript": [], }', ParseFailureReason.MALFORMED_JSON),
        ('"just a string"', ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d.pop("JobName")), ParseFailureReason.MISSING_FIELD),
        (_with(lambda d: d.pop("Transcript")), ParseFailureReason.MISSING_FIELD),
        (_with(lambda d: d.update(Transcript={"Content": "x"})), ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d["Transcript"].append("x")), ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d["Transcript"][3].pop("Content")), ParseFailureReason.MISSING_FIELD),
        (_with(lambda d: d["Transcript"][3].update(Content=["a"])), ParseFailureReason.INVALID_VALUE),
        (
            _with(lambda d: d["Transcript"][3].update(BeginOffsetMillis="soon")),
            ParseFailureReason.INVALID_VALUE,
        ),
        (_with(lambda d: d["Transcript"][3].update(EndOffsetMillis=-5)), ParseFailureReason.INVALID_VALUE),
        (
            _with(lambda d: d["Transcript"][1].update(IssuesDetected={"Begin": 1})),
            ParseFailureReason.INVALID_VALUE,
        ),
        (_with(lambda d: d["Transcript"][1]["IssuesDetected"].append(3)), ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d["Categories"].update(MatchedCategories="x")), ParseFailureReason.INVALID_VALUE),
        (
            _with(
                lambda d: d["ConversationCharacteristics"]["Sentiment"]["OverallSentiment"].update(
                    AGENT="high"
                )
            ),
            ParseFailureReason.INVALID_VALUE,
        ),
        (
            _with(lambda d: d["ConversationCharacteristics"]["TalkTime"].update(DetailsByParticipant=[])),
            ParseFailureReason.INVALID_VALUE,
        ),
        (
            _with(lambda d: d.update(AnalyticsJobDetails={"Skipped": "none"})),
            ParseFailureReason.INVALID_VALUE,
        ),
    ],
)
def test_bad_input_fails_with_a_reason(text: str, reason: ParseFailureReason) -> None:
    corpus = read_text(text, name="bad.json")
    assert len(corpus) == 0
    (failure,) = corpus.parse_report.failure_records
    assert failure.reason == reason
    assert (failure.source, failure.format) == ("bad.json", "transcribe_call_analytics")
    assert failure.line is not None


def test_failure_message_names_the_field_not_the_content() -> None:
    text = _with(lambda d: d["Transcript"][3].update(BeginOffsetMillis="call 555 123 4567"))
    (failure,) = read_text(text).parse_report.failure_records
    assert "Transcript[3].BeginOffsetMillis" in failure.message
    assert "555 123 4567" not in failure.message


def test_empty_transcript_is_a_call_without_turns() -> None:
    call = only(read_text(_with(lambda d: d.update(Transcript=[]))))
    assert call.turns == ()


# -- properties --------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_turn_keys = st.sampled_from(
    [
        "Content",
        "BeginOffsetMillis",
        "EndOffsetMillis",
        "ParticipantRole",
        "Sentiment",
        "IssuesDetected",
        "OutcomesDetected",
        "Items",
        "Redaction",
        "LoudnessScores",
    ]
)
_top_keys = st.sampled_from(
    ["Categories", "ConversationCharacteristics", "AnalyticsJobDetails", "LanguageCode"]
)


@settings(max_examples=80, deadline=None)
@given(key=_turn_keys, value=_json, where=st.integers(min_value=0, max_value=6))
def test_odd_turn_values_parse_or_fail_cleanly(key: str, value: Any, where: int) -> None:
    doc = _doc()
    doc["Transcript"][where][key] = value
    corpus = read_text(json.dumps(doc))
    assert len(corpus) + corpus.parse_report.n_failed == 1
    for call in corpus:
        for issue in call.vendor.issues if call.vendor else ():
            if issue.start_char is not None:
                assert call.turns[issue.turn_position].text[issue.start_char : issue.end_char] == issue.text


@settings(max_examples=60, deadline=None)
@given(key=_top_keys, value=_json)
def test_odd_top_level_values_parse_or_fail_cleanly(key: str, value: Any) -> None:
    doc = _doc()
    doc[key] = value
    corpus = read_text(json.dumps(doc))
    assert len(corpus) + corpus.parse_report.n_failed == 1


@settings(max_examples=50, deadline=None)
@given(cut=st.integers(min_value=1, max_value=len(CALL.read_text(encoding="utf-8").rstrip()) - 1))
def test_any_truncation_fails_cleanly(cut: int) -> None:
    corpus = read_text(CALL.read_text(encoding="utf-8")[:cut])
    assert len(corpus) == 0
    assert [f.reason for f in corpus.parse_report.failure_records] == [ParseFailureReason.TRUNCATED]

"""Amazon Connect Contact Lens output files (voice, chat, e-mail; three versions) and the CTR join."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ConfigError, ParseFailureReason
from hotline_insight.ingest import contact_lens
from hotline_insight.ingest._source import SourceFile
from hotline_insight.ingest.call_analytics import CallAnalyticsParser
from hotline_insight.ingest.contact_lens import ContactLensParser
from hotline_insight.ingest.transcribe import TranscribeParser
from hotline_insight.records import hash_identifier

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HERE = FIXTURES / "contact_lens"
ANALYSIS = HERE / "Analysis"
CTR = HERE / "ctr"
CTR_FILE = CTR / "contact_records.jsonl"
VOICE_ID = "7c1e2f90-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
REDACTED_ID = "5d9a1c22-7b3e-4f10-9a8b-6c5d4e3f2a10"
CHAT_ID = "e4b2a7d1-0c9f-4e8a-b6d5-2f1e0d9c8b7a"
EMAIL_ID = "a1b2c3d4-e5f6-4789-abcd-ef1234567890"
VOICE = ANALYSIS / f"Voice/2024/03/05/{VOICE_ID}_analysis_2024-03-05T14-27-40Z.json"
REDACTED = ANALYSIS / f"Voice/Redacted/2024/03/06/{REDACTED_ID}_analysis_redacted_2024-03-06T09-01-44Z.json"
CHAT = ANALYSIS / f"Chat/2024/03/07/{CHAT_ID}_analysis_2024-03-07T18-30-02Z.json"
EMAIL = ANALYSIS / f"Email/2026/01/15/{EMAIL_ID}_analysis_2026-01-15T10-12-00Z.json"
OWN = [VOICE, REDACTED, CHAT, EMAIL]
OTHERS = sorted(
    p for p in FIXTURES.rglob("*") if p.is_file() and ANALYSIS not in p.parents and not p.name.startswith(".")
)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def read(source: Any, **options: Any) -> hi.Corpus:
    corpus = hi.read(source, on_error="collect", **options)
    report = corpus.parse_report
    assert report.n_read == report.n_parsed + report.n_failed
    assert not any(f.reason == ParseFailureReason.INTERNAL for f in report.failure_records)
    return corpus


def only(corpus: hi.Corpus) -> hi.Interaction:
    assert corpus.parse_report.n_failed == 0, corpus.parse_report.failure_records
    assert len(corpus) == 1
    return corpus[0]


def _doc(path: Path = VOICE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write(tmp_path: Path, doc: Any, name: str = f"{VOICE_ID}_analysis_2024-03-05T14:27:40Z.json") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        doc if isinstance(doc, str) else json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return path


def codes(corpus: hi.Corpus) -> list[str]:
    return [w.code for w in corpus.parse_report.warnings]


# -- the four fixtures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ident", "channel", "version", "created_at", "created_from", "language", "roles", "redacted"),
    [
        (
            VOICE,
            VOICE_ID,
            "call",
            "VOICE-2022-11-30",
            utc(2024, 3, 5, 14, 27, 40),
            "file_name",
            "en-US",
            ["agent", "customer"] * 3,
            False,
        ),
        (
            REDACTED,
            REDACTED_ID,
            "call",
            "1.1.0",
            utc(2024, 3, 6, 9, 1, 44),
            "file_name",
            "en-GB",
            ["system", "agent", "customer", "agent"],
            True,
        ),
        (
            CHAT,
            CHAT_ID,
            "chat",
            "1.1.0",
            dt.datetime(2024, 3, 7, 18, 21, 3, 120000, tzinfo=dt.UTC),
            "transcript",
            "en",
            ["system", "customer", "agent", "customer"],
            False,
        ),
        (
            EMAIL,
            EMAIL_ID,
            "email",
            "EMAIL-2026-01-01",
            utc(2026, 1, 15, 9, 58, 12),
            "transcript",
            "en-US",
            ["customer", "agent"],
            False,
        ),
    ],
    ids=["voice", "voice-1.1.0-redacted", "chat", "email"],
)
def test_fixture_records(  # type: ignore[no-untyped-def]
    path, ident, channel, version, created_at, created_from, language, roles, redacted
) -> None:
    rec = only(read(path))
    assert rec.id == ident
    assert rec.channel == channel
    assert rec.meta["version"] == version
    assert rec.created_at == created_at
    assert rec.meta["created_at_source"] == created_from
    assert rec.language == language
    assert [t.role for t in rec.turns] == roles
    assert [t.position for t in rec.turns] == list(range(len(roles)))
    assert rec.meta["redacted"] is redacted
    assert rec.meta["account_id"] == "123456789012"
    assert rec.source.format == "contact_lens"
    assert rec.source.path == str(path)
    assert rec.source.line == 1
    assert "ctr_joined" not in rec.meta  # no ctr option given


def test_voice_turns_map_participants_times_and_turn_annotations() -> None:
    rec = only(read(VOICE))
    first, second = rec.turns[:2]
    assert first.speaker == "f36a545d-67b2-4fd4-89fb-896136b609a7"  # the agent's ParticipantId
    assert second.speaker == "e9b36a6d-12aa-4c21-9745-1881648ecfc8"
    assert (first.start_s, first.end_s) == (0.0, 5.2)
    assert (rec.turns[-1].start_s, rec.turns[-1].end_s) == (39.1, 41.25)
    assert first.text == "Thanks for calling Northwind Mobile, my name is [PII]. How can I help?"
    assert first.meta == {
        "id": "4a1b8f3e-0001-4000-8000-000000000001",
        "vendor_sentiment": "NEUTRAL",
        "loudness_scores": [72.1, 74.8, 73.3, 70.6],
        "redaction": {"RedactedTimestamps": [{"BeginOffsetMillis": 3100, "EndOffsetMillis": 3600}]},
    }
    assert [t.meta["vendor_sentiment"] for t in rec.turns] == [
        "NEUTRAL",
        "NEGATIVE",
        "NEUTRAL",
        "NEGATIVE",
        "POSITIVE",
        "NEUTRAL",
    ]
    assert all(t.at is None for t in rec.turns)


def test_voice_vendor_annotations() -> None:
    rec = only(read(VOICE))
    vendor = rec.vendor
    assert vendor is not None
    first, second = vendor.issues
    assert (first.turn_position, first.start_char, first.end_char) == (1, 0, 60)
    assert first.text == "I've been charged a late fee even though I paid on the first"
    assert (second.turn_position, second.text) == (
        3,
        "I want the fee removed",
    )  # no Text: taken from the turn
    for issue in vendor.issues:
        assert rec.turns[issue.turn_position].text[issue.start_char : issue.end_char] == issue.text
    assert vendor.categories == ("billing-dispute", "repeat-issue")
    assert vendor.extra["matched_details"]["repeat-issue"] == {
        "PointsOfInterest": [{"BeginOffsetMillis": 11900, "EndOffsetMillis": 14100}]
    }
    assert (vendor.sentiment["agent"], vendor.sentiment["customer"]) == (1.9, -2.4)
    assert set(vendor.sentiment["by_period"]["QUARTER"]) == {"AGENT", "CUSTOMER"}
    assert vendor.extra["interruptions"] == {
        "total_count": 0,
        "total_time_s": 0.0,
        "count_by_interrupter": {},
    }
    assert vendor.extra["non_talk_time"] == {"total_time_s": 4.1, "n_instances": 1}
    assert vendor.extra["talk_speed_wpm"] == {"agent": 148.0, "customer": 171.0}
    assert vendor.extra["talk_time_s"] == {"total": 35.8, "agent": 17.9, "customer": 17.9}
    assert vendor.extra["total_conversation_duration_s"] == 41.25
    assert (
        vendor.summary
        == "Customer disputed a late fee charged despite an on-time payment; the agent reversed the fee."
    )


def test_voice_meta() -> None:
    meta = only(read(VOICE)).meta
    assert meta["job_status"] == "COMPLETED"
    assert meta["instance_id"] == "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    assert meta["input_s3_uri"].startswith("s3://connect-recordings-acme/")
    assert meta["output"] == "Raw"
    assert meta["participants"] == [
        {"id": "e9b36a6d-12aa-4c21-9745-1881648ecfc8", "role": "CUSTOMER"},
        {"id": "f36a545d-67b2-4fd4-89fb-896136b609a7", "role": "AGENT"},
    ]
    (skipped,) = meta["skipped_analysis"]
    assert (skipped["Feature"], skipped["ReasonCode"]) == ("CATEGORIZATION", "QUOTA_EXCEEDED")


def test_redacted_older_file_takes_id_and_time_from_its_name() -> None:
    rec = only(read(REDACTED))
    assert "instance_id" not in rec.meta  # no CustomerMetadata in this file
    assert rec.meta["output"] == "Redacted"
    assert rec.turns[0].speaker == "2b2288b4-ff6e-4996-8d8e-260fd5a8ac02"
    assert rec.turns[1].speaker == "AGENT"
    assert rec.turns[2].text == "Hi, my card ending [PII] was declined at checkout, twice."
    assert rec.turns[2].meta["redaction"] == {
        "RedactedTimestamps": [{"BeginOffsetMillis": 7300, "EndOffsetMillis": 8200}]
    }
    assert rec.vendor is not None
    (issue,) = rec.vendor.issues
    assert (issue.turn_position, issue.text, issue.start_char, issue.end_char) == (
        2,
        "was declined at checkout",
        25,
        49,
    )
    assert rec.vendor.extra["interruptions"]["count_by_interrupter"] == {"agent": 1}
    assert rec.vendor.summary is None
    assert "skipped_analysis" not in rec.meta  # SkippedAnalysis: []


def test_chat_turns_events_and_absolute_times() -> None:
    rec = only(read(CHAT))
    assert [t.text for t in rec.turns] == [
        "Hello! Thanks for reaching out to Northwind. An agent will be with you shortly.",
        "hi, my order #[PII] arrived broken 😞",
        "I'm so sorry! I'll send a replacement today, no need to return the broken one.",
        "Merci beaucoup! That's great.",
    ]
    assert [t.at for t in rec.turns] == [
        dt.datetime(2024, 3, 7, 18, 21, 3, 480000, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 7, 18, 21, 40, 905000, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 7, 18, 23, 1, 330000, tzinfo=dt.UTC),
        utc(2024, 3, 7, 18, 23, 30),
    ]
    assert all(t.start_s is None for t in rec.turns)
    assert rec.turns[3].meta["content_type"] == "text/markdown"
    assert [(e["role"], e["content_type"].rsplit(".", 1)[-1]) for e in rec.meta["events"]] == [
        ("customer", "joined"),
        ("agent", "joined"),
        ("customer", "left"),
    ]
    assert rec.meta["events"][0]["at"] == "2024-03-07T18:21:03.120000+00:00"
    assert rec.vendor is not None
    (issue,) = rec.vendor.issues
    assert (issue.turn_position, issue.text) == (1, "arrived broken")
    assert rec.vendor.categories == ("damaged-item",)
    assert rec.vendor.sentiment == {
        "by_participant_role": {"CUSTOMER": {"SentimentScore": 1.2}, "AGENT": {"SentimentScore": 3.0}}
    }
    assert rec.vendor.summary.startswith("Customer received a damaged order")  # type: ignore[union-attr]


def test_display_names_are_not_kept() -> None:
    rec = only(read(CHAT))
    assert "Zoë" not in rec.model_dump_json()
    assert "Martin" not in rec.model_dump_json()


def test_email_has_no_sentiment_and_a_chain_summary() -> None:
    rec = only(read(EMAIL))
    assert rec.vendor is not None
    assert rec.vendor.sentiment == {}
    assert all("loudness_scores" not in t.meta and "vendor_sentiment" not in t.meta for t in rec.turns)
    assert rec.vendor.summary.startswith("The customer's kettle order")  # type: ignore[union-attr]
    assert rec.vendor.categories == ("refund-request", "shipping-issue")
    assert rec.vendor.extra["categories_event_source"] == "OnEmailAnalysisAvailable"
    (issue,) = rec.vendor.issues
    assert rec.turns[0].text[issue.start_char : issue.end_char] == issue.text == "it still hasn't shipped"
    assert rec.turns[0].text.endswith("Regards,\n[NAME]")
    assert rec.meta["input_files"]["EmailMessageS3URI"].endswith("_message.json")
    assert rec.meta["configuration"]["LanguageLocale"] == "en-US"


def test_email_without_transcript_keeps_the_vendor_findings(tmp_path: Path) -> None:
    doc = _doc(EMAIL)
    del doc["Transcript"]
    rec = only(read(write(tmp_path, doc, f"{EMAIL_ID}_analysis_2026-01-15T10:12:00Z.json")))
    assert rec.turns == ()
    assert rec.channel == "email"
    assert rec.vendor is not None and rec.vendor.categories == ("refund-request", "shipping-issue")
    assert (rec.created_at, rec.meta["created_at_source"]) == (utc(2026, 1, 15, 10, 12), "file_name")


def test_reading_the_analysis_tree() -> None:
    corpus = read(ANALYSIS)
    assert sorted(r.id for r in corpus) == sorted([VOICE_ID, REDACTED_ID, CHAT_ID, EMAIL_ID])
    assert corpus.parse_report.formats["contact_lens"] == 4
    assert codes(corpus) == []


def test_gzipped_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / (VOICE.name + ".gz")
    path.write_bytes(gzip.compress(VOICE.read_bytes()))
    rec = only(read(path))
    assert (rec.id, rec.created_at) == (VOICE_ID, utc(2024, 3, 5, 14, 27, 40))


# -- file names and dates ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "created_at", "created_from"),
    [
        (
            f"Analysis/Voice/2024/03/05/{VOICE_ID}_analysis_2024-03-05T14:27:40Z.json",
            utc(2024, 3, 5, 14, 27, 40),
            "file_name",
        ),
        (
            f"x/{VOICE_ID}_analysis_2024-03-05T14:27:40.250Z.json",
            dt.datetime(2024, 3, 5, 14, 27, 40, 250000, tzinfo=dt.UTC),
            "file_name",
        ),
        (
            f"x/{VOICE_ID}_analysis_redacted_2024-03-05T16:27:40+0200.json",
            utc(2024, 3, 5, 14, 27, 40),
            "file_name",
        ),
        (f"Analysis/Voice/2024/03/05/{VOICE_ID}_analysis_latest.json", utc(2024, 3, 5), "path_date"),
        (f"Analysis/Voice/2024/02/30/{VOICE_ID}_analysis_latest.json", None, None),
        (f"{VOICE_ID}.json", None, None),
    ],
)
def test_created_at_from_file_name_or_path(tmp_path: Path, name: str, created_at, created_from) -> None:  # type: ignore[no-untyped-def]
    rec = only(read(write(tmp_path, _doc(VOICE), name)))
    assert rec.id == VOICE_ID  # CustomerMetadata.ContactId wins over the file name
    assert rec.created_at == created_at
    assert rec.meta.get("created_at_source") == created_from


def test_contact_id_from_file_name_and_missing(tmp_path: Path) -> None:
    doc = _doc(VOICE)
    del doc["CustomerMetadata"]
    rec = only(read(write(tmp_path, doc, "abc-123_analysis_redacted_2024-03-05T14:27:40Z.json")))
    assert (rec.id, rec.meta["redacted"]) == ("abc-123", True)
    corpus = read(write(tmp_path, doc, "call-export.json"), format="contact_lens")
    assert [f.reason for f in corpus.parse_report.failure_records] == [ParseFailureReason.MISSING_FIELD]
    assert "CustomerMetadata.ContactId" in corpus.parse_report.failure_records[0].message


def test_impossible_file_name_timestamp_is_an_invalid_timestamp(tmp_path: Path) -> None:
    doc = _doc(VOICE)
    corpus = read(write(tmp_path, doc, f"{VOICE_ID}_analysis_2024-02-30T10:00:00Z.json"))
    (failure,) = corpus.parse_report.failure_records
    assert failure.reason == ParseFailureReason.INVALID_TIMESTAMP
    assert failure.line == 1


def test_both_variants_of_a_contact_keep_the_redacted_one_with_a_warning(tmp_path: Path) -> None:
    original = _doc(REDACTED)
    original["ContentMetadata"] = {"Output": "Raw"}
    original["Transcript"][2]["Content"] = original["Transcript"][2]["Content"].replace("[PII]", "4421")
    raw = write(tmp_path, original, f"Voice/2024/03/06/{REDACTED_ID}_analysis_2024-03-06T09:01:44Z.json")
    shutil.copy(REDACTED, tmp_path / REDACTED.name)
    corpus = read([raw, tmp_path / REDACTED.name])
    assert len(corpus) == 1
    assert corpus.parse_report.n_merged == 1
    assert "W104" in codes(corpus)
    assert any("original and the redacted" in w.message for w in corpus.parse_report.warnings)
    (rec,) = corpus
    assert rec.meta["redacted"] is True
    assert len(rec.turns) == len(_doc(REDACTED)["Transcript"])
    assert "4421" not in rec.text


# -- versions and channels ---------------------------------------------------------


def test_unknown_version_with_a_known_structure_is_read_with_a_warning(tmp_path: Path) -> None:
    doc = _doc(VOICE)
    doc["Version"] = "VOICE-2031-04-01"
    corpus = read(write(tmp_path, doc))
    rec = only(corpus)
    assert rec.meta["version"] == "VOICE-2031-04-01"
    assert len(rec.turns) == 6
    assert codes(corpus) == ["W104"]
    assert "VOICE-2031-04-01" in corpus.parse_report.warnings[0].message


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(Version="3.0.0", Transcript={"Segments": []}),
        lambda d: (d.update(Version="VOICE-2031-04-01"), d.pop("Transcript")),
        lambda d: (d.update(Version=None), d.pop("Participants"), d.pop("CustomerMetadata")),
    ],
    ids=["transcript-object", "no-transcript", "no-version-no-participants"],
)
def test_unknown_version_with_another_structure_is_unsupported(tmp_path: Path, change: Any) -> None:
    doc = _doc(VOICE)
    change(doc)
    corpus = read(write(tmp_path, doc), format="contact_lens")
    (failure,) = corpus.parse_report.failure_records
    assert failure.reason == ParseFailureReason.UNSUPPORTED_VERSION
    assert (failure.format, failure.line) == ("contact_lens", 1)


def test_known_version_without_transcript_is_a_missing_field(tmp_path: Path) -> None:
    doc = _doc(VOICE)
    del doc["Transcript"]
    corpus = read(write(tmp_path, doc))
    assert [f.reason for f in corpus.parse_report.failure_records] == [ParseFailureReason.MISSING_FIELD]


@pytest.mark.parametrize(
    ("channel", "version", "expected"),
    [
        ("VOICE", "1.1.0", "call"),
        ("CHAT", "1.1.0", "chat"),
        ("EMAIL", "EMAIL-2026-01-01", "email"),
        ("TASK", "1.1.0", "ticket"),
        (None, "VOICE-2022-11-30", "call"),
        (None, "EMAIL-2026-01-01", "email"),
        ("chat", "1.1.0", "chat"),
    ],
)
def test_channel_mapping(tmp_path: Path, channel: str | None, version: str, expected: str) -> None:
    doc = _doc(VOICE)
    doc.update(Channel=channel, Version=version)
    assert only(read(write(tmp_path, doc))).channel == expected


def test_channel_from_the_ctr_when_the_file_has_none(tmp_path: Path) -> None:
    doc = _doc(CHAT)
    del doc["Channel"]
    path = write(tmp_path, doc, CHAT.name)
    assert only(read(path, ctr=CTR)).channel == "chat"
    (failure,) = read(path).parse_report.failure_records
    assert failure.reason == ParseFailureReason.MISSING_FIELD


def test_unknown_channel_is_invalid(tmp_path: Path) -> None:
    doc = _doc(VOICE)
    doc["Channel"] = "FAX"
    (failure,) = read(write(tmp_path, doc)).parse_report.failure_records
    assert failure.reason == ParseFailureReason.INVALID_VALUE
    assert "Channel" in failure.message


def test_participant_roles_and_options(tmp_path: Path) -> None:
    doc = _doc(REDACTED)
    doc["Participants"].append({"ParticipantId": "lex-bot", "ParticipantRole": "CUSTOM_BOT"})
    doc["Transcript"].insert(
        1,
        {
            "BeginOffsetMillis": 3200,
            "EndOffsetMillis": 3300,
            "Content": "Say 'card' or 'loan'.",
            "Id": "bot-1",
            "ParticipantId": "lex-bot",
        },
    )
    doc["Transcript"].append(
        {
            "BeginOffsetMillis": 19500,
            "EndOffsetMillis": 19900,
            "Content": "Bye.",
            "Id": "x-1",
            "ParticipantId": "stranger",
        }
    )
    path = write(tmp_path, doc)
    rec = only(read(path))
    assert [t.role for t in rec.turns] == ["system", "bot", "agent", "customer", "agent", "unknown"]
    rec = only(read(path, agent="stranger"))
    assert rec.turns[-1].role == "agent"


# -- the CTR join ------------------------------------------------------------------


def test_ctr_join_fills_time_chain_queue_and_hashed_keys() -> None:
    rec = only(read(VOICE, ctr=CTR))
    assert rec.created_at == utc(2024, 3, 5, 14, 20, 2)
    assert rec.meta["created_at_source"] == "ctr"
    assert rec.meta["ctr_joined"] is True
    assert rec.meta["initial_contact_id"] == "11111111-2222-4333-8444-555555555555"
    assert rec.meta["previous_contact_id"] == "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
    assert rec.meta["ctr_channel"] == "VOICE"
    assert rec.meta["initiation_method"] == "INBOUND"
    assert rec.meta["disconnect_reason"] == "CUSTOMER_DISCONNECT"
    assert rec.meta["disconnected_at"] == "2024-03-05T14:26:58+00:00"
    assert rec.meta["agent"] == {
        "customer_hold_duration_s": 45.0,
        "longest_hold_duration_s": 45.0,
        "number_of_holds": 1,
        "agent_interaction_duration_s": 372.0,
        "after_contact_work_duration_s": 30.0,
    }
    assert rec.meta["queue"] == {"name": "Billing", "duration_s": 38.0}
    assert rec.agent_id == "dana.k"
    assert rec.customer_keys == (
        hash_identifier("phone", "+15550102000"),
        hash_identifier("email", "jane.doe@example.com"),
        hash_identifier("phone", "+1 555 010 2001"),
    )
    assert rec.meta["attributes"] == {
        "account_tier": "gold",
        "ivr_intent": "billing_dispute",
        "email_opt_in": "true",
    }
    assert rec.meta["attributes_hashed"] == ["customer_email", "callback_phone"]


def test_ctr_join_never_keeps_phone_numbers_or_emails_in_clear() -> None:
    for rec in read(ANALYSIS, ctr=CTR_FILE):
        dumped = rec.model_dump_json()
        for secret in (
            "5550102000",
            "555 010 2001",
            "jane.doe@example.com",
            "zoe.customer@example.org",
            "7700 900123",
        ):
            assert secret not in dumped


def test_ctr_join_for_chat_and_missing_records() -> None:
    corpus = read(ANALYSIS, ctr=CTR)
    chat = corpus.get(CHAT_ID)
    assert chat is not None
    assert chat.created_at == utc(2024, 3, 7, 18, 21)  # the CTR's InitiationTimestamp beats the first message
    assert chat.agent_id == "77aa88bb-0000-4000-8000-ccccddddeeee"  # no Username: the id from the agent ARN
    assert chat.customer_keys == (
        hash_identifier("email", "zoe.customer@example.org"),
        hash_identifier("phone", "+44 7700 900123"),
    )
    assert chat.meta["attributes"] == {"order_ref": "NW-22871"}
    assert "previous_contact_id" not in chat.meta  # null in the CTR
    redacted = corpus.get(REDACTED_ID)
    assert redacted is not None and redacted.meta["ctr_joined"] is False
    assert redacted.meta["created_at_source"] == "file_name"


@pytest.mark.parametrize("layout", ["array", "single", "back-to-back", "gzip"])
def test_ctr_file_layouts(tmp_path: Path, layout: str) -> None:
    records = [json.loads(line) for line in CTR_FILE.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "ctr.json"
    if layout == "array":
        path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    elif layout == "single":
        path.write_text(json.dumps(records[0], indent=2), encoding="utf-8")
    elif layout == "back-to-back":
        path.write_text("".join(json.dumps(r) for r in records), encoding="utf-8")
    else:
        path = tmp_path / "ctr.json.gz"
        path.write_bytes(gzip.compress(CTR_FILE.read_bytes()))
    corpus = read(VOICE, ctr=str(path))
    assert only(corpus).meta["ctr_joined"] is True
    assert codes(corpus) == []


def test_ctr_later_record_replaces_earlier_and_bad_parts_warn(tmp_path: Path) -> None:
    first = json.loads(CTR_FILE.read_text(encoding="utf-8").splitlines()[0])
    updated = {**first, "Queue": {"Name": "Billing escalations", "Duration": 61}}
    path = tmp_path / "ctr.jsonl"
    path.write_text(
        json.dumps(first)
        + "\n{not json\n"
        + json.dumps({"Channel": "VOICE"})
        + "\n"
        + json.dumps(updated)
        + "\n",
        encoding="utf-8",
    )
    corpus = read(VOICE, ctr=path)
    assert only(corpus).meta["queue"] == {"name": "Billing escalations", "duration_s": 61.0}
    assert codes(corpus) == ["W104"]
    assert "2 part(s)" in corpus.parse_report.warnings[0].message


def test_ctr_is_loaded_once_per_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = contact_lens.load_ctr_index

    def counting(path: Any) -> Any:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(contact_lens, "load_ctr_index", counting)
    assert len(read(ANALYSIS, ctr=CTR)) == 4
    assert len(calls) == 1


def test_bad_ctr_timestamp_fails_the_record(tmp_path: Path) -> None:
    first = json.loads(CTR_FILE.read_text(encoding="utf-8").splitlines()[0])
    first["InitiationTimestamp"] = "2024-13-45T99:00:00Z"
    path = tmp_path / "ctr.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    (failure,) = read(VOICE, ctr=path).parse_report.failure_records
    assert failure.reason == ParseFailureReason.INVALID_TIMESTAMP


@pytest.mark.parametrize("value", ["/no/such/ctr.json", 42])
def test_ctr_option_must_be_an_existing_path(value: Any) -> None:
    with pytest.raises(ConfigError, match="ctr"):
        hi.read(VOICE, format="contact_lens", ctr=value)


# -- detection ---------------------------------------------------------------------


@pytest.mark.parametrize("path", OWN, ids=["voice", "voice-1.1.0", "chat", "email"])
def test_detected_as_contact_lens(path: Path) -> None:
    detected = hi.detect_format(SourceFile(path))
    assert detected is not None and detected.name == "contact_lens"
    assert CallAnalyticsParser.sniff(SourceFile(path)) == 0.0
    assert TranscribeParser.sniff(SourceFile(path)) == 0.0


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_does_not_claim_other_formats(path: Path) -> None:
    assert ContactLensParser.sniff(SourceFile(path)) == 0.0


def test_ctr_file_is_claimed_by_none_of_the_amazon_parsers() -> None:
    src = SourceFile(CTR_FILE)
    assert [p.sniff(src) for p in (ContactLensParser, CallAnalyticsParser, TranscribeParser)] == [0.0] * 3


def test_sniff_by_version_alone() -> None:
    text = json.dumps({"Version": "VOICE-2022-11-30", "Channel": "VOICE", "Transcript": []})
    assert ContactLensParser.sniff(SourceFile(data=text.encode(), name="a.json")) == 0.8
    text = json.dumps({"Version": "2.0.0", "Channel": "VOICE", "Transcript": []})
    assert ContactLensParser.sniff(SourceFile(data=text.encode(), name="a.json")) == 0.0


# -- bad input ---------------------------------------------------------------------


def _with(change: Any, path: Path = VOICE) -> dict[str, Any]:
    doc = _doc(path)
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (VOICE.read_text(encoding="utf-8")[:2500], ParseFailureReason.TRUNCATED),
        ('{"Version": "1.1.0", "Transcript": [tru', ParseFailureReason.TRUNCATED),
        ('{"Version": "1.1.0", "Transcript": [}', ParseFailureReason.MALFORMED_JSON),
        ("[1, 2]", ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d["Transcript"].append("hello")), ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d["Transcript"][2].pop("Content")), ParseFailureReason.MISSING_FIELD),
        (_with(lambda d: d["Transcript"][2].update(BeginOffsetMillis=-10)), ParseFailureReason.INVALID_VALUE),
        (
            _with(lambda d: d["Transcript"][2].update(EndOffsetMillis="later")),
            ParseFailureReason.INVALID_VALUE,
        ),
        (_with(lambda d: d.update(Participants={"a": "AGENT"})), ParseFailureReason.INVALID_VALUE),
        (_with(lambda d: d.update(CustomerMetadata="x")), ParseFailureReason.INVALID_VALUE),
        (
            _with(lambda d: d["Transcript"][1].update(IssuesDetected=[{"CharacterOffsets": 5}])),
            ParseFailureReason.INVALID_VALUE,
        ),
        (
            _with(lambda d: d["Transcript"][1].update(AbsoluteTime="2024-13-45T10:00:00Z"), CHAT),
            ParseFailureReason.INVALID_TIMESTAMP,
        ),
        (
            _with(lambda d: d["Transcript"][1].update(AbsoluteTime="1970-01-01T00:00:00Z"), CHAT),
            ParseFailureReason.INVALID_TIMESTAMP,
        ),
        (_with(lambda d: d["Transcript"].append({"Id": "x"}), CHAT), ParseFailureReason.MISSING_FIELD),
    ],
)
def test_bad_input_fails_with_a_reason(tmp_path: Path, doc: Any, reason: ParseFailureReason) -> None:
    path = write(tmp_path, doc)
    corpus = read(path, format="contact_lens")
    assert len(corpus) == 0
    (failure,) = corpus.parse_report.failure_records
    assert failure.reason == reason
    assert (failure.source, failure.format) == (str(path), "contact_lens")
    assert failure.line is not None


def test_offsets_outside_the_turn_keep_the_issue_without_a_span(tmp_path: Path) -> None:
    doc = _doc(VOICE)
    doc["Transcript"][1]["IssuesDetected"][0]["CharacterOffsets"] = {
        "BeginOffsetChar": 90,
        "EndOffsetChar": 999,
    }
    corpus = read(write(tmp_path, doc))
    rec = only(corpus)
    assert rec.vendor is not None
    first = rec.vendor.issues[0]
    assert (first.turn_position, first.start_char, first.end_char) == (1, None, None)
    assert (
        first.text == "I've been charged a late fee even though I paid on the first"
    )  # the vendor's own Text
    assert codes(corpus) == ["W104"]


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
        "ParticipantId",
        "ParticipantRole",
        "Sentiment",
        "IssuesDetected",
        "LoudnessScore",
        "Redaction",
        "AbsoluteTime",
        "Type",
        "ContentType",
    ]
)
_top_keys = st.sampled_from(
    [
        "Version",
        "Channel",
        "Participants",
        "Categories",
        "ConversationCharacteristics",
        "CustomerMetadata",
        "JobDetails",
        "ContentMetadata",
        "LanguageCode",
        "Configuration",
    ]
)


def _read_doc(doc: Any) -> hi.Corpus:
    data = json.dumps(doc).encode()
    return read(
        SourceFile(data=data, name=f"{CHAT_ID}_analysis_2024-03-07T18:30:02Z.json"), format="contact_lens"
    )


@settings(max_examples=80, deadline=None)
@given(key=_turn_keys, value=_json, where=st.integers(min_value=0, max_value=6))
def test_odd_turn_values_parse_or_fail_cleanly(key: str, value: Any, where: int) -> None:
    doc = _doc(CHAT)
    doc["Transcript"][where][key] = value
    corpus = _read_doc(doc)
    assert len(corpus) + corpus.parse_report.n_failed == 1
    for rec in corpus:
        for issue in rec.vendor.issues if rec.vendor else ():
            if issue.start_char is not None:
                assert rec.turns[issue.turn_position].text[issue.start_char : issue.end_char] == issue.text


@settings(max_examples=80, deadline=None)
@given(key=_top_keys, value=_json)
def test_odd_top_level_values_parse_or_fail_cleanly(key: str, value: Any) -> None:
    doc = _doc(VOICE)
    doc[key] = value
    corpus = _read_doc(doc)
    assert len(corpus) + corpus.parse_report.n_failed == 1


@settings(max_examples=50, deadline=None)
@given(cut=st.integers(min_value=1, max_value=len(CHAT.read_text(encoding="utf-8").rstrip()) - 1))
def test_any_truncation_is_reported_as_truncated(cut: int) -> None:
    text = CHAT.read_text(encoding="utf-8")[:cut]
    corpus = read(SourceFile(data=text.encode(), name="cut.json"), format="contact_lens")
    assert [f.reason for f in corpus.parse_report.failure_records] == [ParseFailureReason.TRUNCATED]


def test_customer_id_from_a_ctr_attribute(tmp_path: Path) -> None:
    import json as _json

    records = [_json.loads(line) for line in CTR_FILE.read_text().splitlines() if line.strip()]
    target = next(r for r in records if r.get("ContactId") == VOICE_ID)
    target.setdefault("Attributes", {})["CustomerNumber"] = "C-42"
    target["Attributes"]["crm_ref"] = "X-9"
    ctr = tmp_path / "ctr.jsonl"
    ctr.write_text("\n".join(_json.dumps(r) for r in records) + "\n")
    rec = only(read(VOICE, ctr=str(ctr)))
    assert rec.customer_id == "C-42"
    chosen = only(read(VOICE, ctr=str(ctr), customer_attribute="crm_ref"))
    assert chosen.customer_id == "X-9"
    assert only(read(VOICE)).customer_id is None

"""Chat utterance JSON lines, ConvoKit-like (``utterances_jsonl``)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseFailureReason as R
from hotline_insight.ingest import SourceFile, detect_format
from hotline_insight.ingest.utterances import UtterancesParser, render
from hotline_insight.records import ROLES, Interaction, SourceRef, Turn, hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "utterances_jsonl"
CHATS = HERE / "support-chats.jsonl"
UTC = dt.UTC


def collect(path: Path, **options: Any) -> tuple[list[hi.Interaction], hi.ParseReport]:
    stream = hi.iter_interactions(path, on_error="collect", **options)
    records = list(stream)
    assert stream.report.is_consistent
    return records, stream.report


def write_lines(tmp_path: Path, name: str, lines: list[Any]) -> Path:
    path = tmp_path / name
    path.write_text(
        "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8"
    )
    return path


def utt(conv: str = "c-1", text: str = "hi", speaker: str = "s1", **extra: Any) -> dict[str, Any]:
    return {"id": f"{conv}-{text}", "conversation_id": conv, "speaker": speaker, "text": text, **extra}


# -- parsing fixtures -------------------------------------------------------------------------
def test_streamed_conversations_and_a_later_fragment() -> None:
    records, report = collect(CHATS)
    assert [r.id for r in records] == ["c-1001", "c-1002", "c-1003", "c-1001"]
    assert [r.source.line for r in records] == [1, 4, 7, 9]
    assert all(r.channel == "chat" and r.source.format == "utterances_jsonl" for r in records)
    assert (report.n_read, report.n_parsed, report.n_failed) == (4, 4, 0)


def test_read_merges_the_fragment() -> None:
    corpus = hi.read(CHATS, on_error="collect")
    assert len(corpus) == 3 and corpus.parse_report.n_merged == 1
    chat = corpus.get("c-1001")
    assert chat is not None
    assert [t.meta["id"] for t in chat.turns] == ["u1", "u2", "u3", "u4"]
    assert chat.created_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("conv_id", "turns"),
    [
        (
            "c-1001",
            [("customer", "cust_88", "u1"), ("agent", "agent_dana", "u2"), ("customer", "cust_88", "u3")],
        ),  # meta.role
        (
            "c-1002",  # speaker_role; reordered by timestamp
            [("customer", "visitor-3", "u11"), ("bot", "bot-7", "u10"), ("customer", "visitor-3", "u12")],
        ),
        ("c-1003", [("agent", "Agent", "u20"), ("customer", "Customer", "u21")]),  # speaker label words
    ],
)
def test_roles_speakers_and_order(conv_id: str, turns: list[tuple[str, str, str]]) -> None:
    records, _ = collect(CHATS)
    chat = next(r for r in records if r.id == conv_id)
    assert [(t.role, t.speaker, t.meta["id"]) for t in chat.turns] == turns
    assert [t.position for t in chat.turns] == list(range(len(turns)))


def test_times_meta_and_identifiers() -> None:
    records, _ = collect(CHATS)
    first, second, third, _ = records
    assert first.turns[1].at == dt.datetime(2026, 3, 2, 10, 0, 45, tzinfo=UTC)
    assert first.turns[1].meta == {"id": "u2", "reply_to": "u1", "meta": {"role": "agent"}}
    assert first.turns[2].text == "" and first.turns[2].meta["meta"]["attachment"] == "photo.jpg"
    assert first.customer_keys == (hash_identifier("email", "li.wei@example.com"),)
    assert "email" not in first.turns[0].meta["meta"]
    assert second.created_at == dt.datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    assert second.turns[2].text.endswith("€9.99 twice? [PII]")
    assert third.created_at is None and all(t.at is None for t in third.turns)


# -- options ----------------------------------------------------------------------------------
def test_speaker_option_wins_over_meta_role() -> None:
    records, _ = collect(CHATS, agent="cust_88")
    assert [t.role for t in records[0].turns] == ["agent", "agent", "agent"]


def test_channel_option() -> None:
    records, _ = collect(CHATS, channel="social")
    assert {r.channel for r in records} == {"social"}


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [
        (None, dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("Europe/Berlin", dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
    ],
)
def test_naive_timestamps_follow_timezone_option(
    tmp_path: Path, timezone: str | None, expected: dt.datetime
) -> None:
    path = write_lines(tmp_path, "tz.jsonl", [utt(timestamp="2026-03-02 09:00:00")])
    [chat], report = collect(path, timezone=timezone)
    assert chat.turns[0].at == expected
    assert [w.code for w in report.warnings] == (["W101"] if timezone is None else [])


# -- detection -------------------------------------------------------------------------------------
def test_detects_fixture() -> None:
    parser = detect_format(SourceFile(CHATS))
    assert parser is not None and parser.name == "utterances_jsonl"


def test_detected_even_when_the_first_line_is_bad(tmp_path: Path) -> None:
    path = write_lines(tmp_path, "u.jsonl", ["{oops", utt(), utt(text="again")])
    assert UtterancesParser.sniff(SourceFile(path)) >= 0.9


OTHERS = ["google_ccai", "genesys", "twilio", "social", "zendesk", "freshdesk", "transcribe",
          "call_analytics", "contact_lens", "webvtt", "srt", "plain_text"]  # fmt: skip


@pytest.mark.parametrize("fmt", OTHERS)
def test_sniff_ignores_other_formats_fixtures(fmt: str) -> None:
    folder = FIXTURES / fmt
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    for path in files:
        assert UtterancesParser.sniff(SourceFile(path)) == 0.0, path


@pytest.mark.parametrize(
    "line",
    [
        # Zendesk tickets and comments, Freshdesk conversations, a social post, a JSON array
        {
            "id": 1,
            "requester_id": 7,
            "subject": "Router",
            "description": "down",
            "conversation_id": 3,
            "text": "x",
            "speaker": 1,
        },
        {"id": 5, "author_id": 7, "body": "Thanks", "public": True, "created_at": "2026-01-01T00:00:00Z"},
        {"body_text": "hi", "incoming": True, "user_id": 3, "ticket_id": 9},
        {"thread_id": "t", "author": "a", "text": "x", "platform": "x"},
        [{"conversation_id": "c", "speaker": "s", "text": "t"}],
    ],
)
def test_sniff_ignores_other_json_lines(line: Any) -> None:
    data = (json.dumps(line) + "\n") * 3
    assert UtterancesParser.sniff(SourceFile(data=data.encode(), name="x.jsonl")) == 0.0


# -- bad lines -------------------------------------------------------------------------------------
BAD_LINES = [
    ("malformed", '{"conversation_id": "c-1", "text": ', R.MALFORMED_JSON),
    ("not-object", '["c-1", "hi"]', R.INVALID_VALUE),
    ("no-conversation", {"speaker": "s", "text": "hi"}, R.MISSING_FIELD),
    ("empty-conversation", {"conversation_id": "", "text": "hi"}, R.MISSING_FIELD),
    ("no-text", {"conversation_id": "c-1", "speaker": "s"}, R.MISSING_FIELD),
    ("null-text", {"conversation_id": "c-1", "text": None}, R.MISSING_FIELD),
    ("text-object", {"conversation_id": "c-1", "text": {"a": 1}}, R.INVALID_VALUE),
    ("meta-list", {"conversation_id": "c-1", "text": "x", "meta": [1]}, R.INVALID_VALUE),
    (
        "year-1900",
        {"conversation_id": "c-1", "text": "x", "timestamp": "1900-01-01T00:00:00Z"},
        R.INVALID_TIMESTAMP,
    ),
    (
        "bad-date",
        {"conversation_id": "c-1", "text": "x", "timestamp": "2026-02-30T10:00:00Z"},
        R.INVALID_TIMESTAMP,
    ),
]


@pytest.mark.parametrize(("name", "line", "reason"), BAD_LINES, ids=[b[0] for b in BAD_LINES])
def test_bad_line_fails_alone_with_its_line_number(tmp_path: Path, name: str, line: Any, reason: R) -> None:
    path = write_lines(tmp_path, f"{name}.jsonl", [utt(text="before"), line, utt(text="after")])
    records, report = collect(path, format="utterances_jsonl")
    assert [(f.reason, f.line) for f in report.failure_records] == [(reason, 2)]
    assert report.failure_records[0].source == str(path)
    assert [t.text for r in records for t in r.turns] == ["before", "after"]
    assert [r.id for r in records] == ["c-1"]  # the bad line did not split the conversation
    assert (report.n_read, report.n_parsed, report.n_failed) == (2, 1, 1)


def test_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text(json.dumps(utt()) + '\n{"conversation_id": "c-2", "text": "hel', encoding="utf-8")
    records, report = collect(path, format="utterances_jsonl")
    assert len(records) == 1
    assert [(f.reason, f.line) for f in report.failure_records] == [(R.TRUNCATED, 2)]


def test_failure_messages_do_not_quote_customer_text(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path, "pii.jsonl", [{"conversation_id": "c", "text": {"email": "jane@example.com"}}]
    )
    _, report = collect(path, format="utterances_jsonl")
    assert "jane@example.com" not in report.failure_records[0].message


# -- streaming ------------------------------------------------------------------------------------
def test_memory_does_not_grow_with_file_size(tmp_path: Path) -> None:
    line = {
        "speaker": "s",
        "text": "My router drops every evening, please help " * 3,
        "timestamp": 1772445600,
    }
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(12_000):
            fh.write(json.dumps({**line, "id": n, "conversation_id": f"c-{n // 4}"}) + "\n")
    size = path.stat().st_size
    list(hi.iter_interactions(CHATS))  # warm up: imports and pydantic schemas are not the file's cost
    tracemalloc.start()
    try:
        n_records = sum(1 for _ in hi.iter_interactions(path, format="utterances_jsonl"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n_records == 3_000
    assert peak < size / 4, (peak, size)


# -- render round trip ----------------------------------------------------------------------------
_TIMES = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(UTC)
)


@st.composite
def conversations(draw: st.DrawFn) -> list[Interaction]:
    ids = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3, unique=True))
    result = []
    for conv_id in ids:
        n = draw(st.integers(1, 4))
        times: list[dt.datetime | None] = draw(st.lists(st.none() | _TIMES, min_size=n, max_size=n))
        if all(t is not None for t in times):
            times = sorted(times)  # type: ignore[type-var]
        turns = tuple(
            Turn(
                position=i,
                role=draw(st.sampled_from(ROLES)),
                speaker=draw(st.none() | st.text(max_size=8)),
                text=draw(st.text(max_size=30)),
                at=at,
            )
            for i, at in enumerate(times)
        )
        known = [t for t in times if t is not None]
        result.append(
            Interaction(
                id=conv_id,
                source=SourceRef(format="utterances_jsonl"),
                channel="chat",
                created_at=min(known) if known else None,
                turns=turns,
            )
        )
    return result


def _project(record: Interaction) -> tuple[Any, ...]:
    turns = [(t.position, t.role, t.speaker, t.text, t.at) for t in record.turns]
    return (record.id, record.channel, record.created_at, turns)


@settings(max_examples=60, deadline=None)
@given(conversations())
def test_render_round_trip(records: list[Interaction]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chats.jsonl"
        path.write_text(render(records), encoding="utf-8")
        stream = hi.iter_interactions(path, format="utterances_jsonl")
        parsed = list(stream)
    assert [_project(r) for r in parsed] == [_project(r) for r in records]
    assert all(r.source.format == "utterances_jsonl" for r in parsed)


def test_render_keeps_utterance_ids_and_meta() -> None:
    records, _ = collect(CHATS)
    text = render(records[:1])
    first = json.loads(text.splitlines()[1])
    assert first == {
        "id": "u2", "conversation_id": "c-1001", "speaker": "agent_dana", "reply_to": "u1",
        "timestamp": "2026-03-02T10:00:45+00:00", "text": "I'm so sorry, Li. Could you send a photo?",
        "meta": {"role": "agent"},
    }  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="utterances_jsonl", on_error="collect")
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)


KEYS = [
    "id",
    "conversation_id",
    "speaker",
    "reply_to",
    "timestamp",
    "text",
    "meta",
    "role",
    "speaker_role",
    "email",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(JSON, min_size=1, max_size=6))
def test_arbitrary_json_lines_parse_or_fail_cleanly(values: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
        corpus = hi.read(path, format="utterances_jsonl", on_error="collect")
    report = corpus.parse_report
    assert report.is_consistent
    assert all(f.reason != R.INTERNAL for f in report.failure_records)


def test_customer_and_agent_ids_come_from_utterance_fields(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hotline_insight as hi

    lines = [
        '{"id": "u1", "conversation_id": "c1", "speaker": "bot", "text": "Hi", "meta": {"role": "bot"}}',
        '{"id": "u2", "conversation_id": "c1", "speaker": "x9", "text": "Help", '
        '"meta": {"role": "customer", "customer_id": "C1"}, "agent_id": "A7"}',
        '{"id": "u3", "conversation_id": "c2", "speaker": "x9", "text": "Again"}',
    ]
    path = tmp_path / "chats.jsonl"
    path.write_text("\n".join(lines) + "\n")
    first, second = hi.read(path, format="utterances_jsonl")
    assert (first.customer_id, first.agent_id) == ("C1", "A7")
    assert (second.customer_id, second.agent_id) == (None, None)

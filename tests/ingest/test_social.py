"""Social and forum threads (``social``)."""

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
from hotline_insight.errors import ConfigError
from hotline_insight.errors import ParseFailureReason as R
from hotline_insight.ingest import SourceFile, detect_format
from hotline_insight.ingest.social import SocialParser, render
from hotline_insight.records import ROLES, Interaction, SourceRef, Turn, hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HERE = FIXTURES / "social"
FORUM = HERE / "forum-threads.json"
MENTIONS = HERE / "mentions.jsonl"
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


def write_lines(tmp_path: Path, name: str, lines: list[Any]) -> Path:
    return write(tmp_path, name, "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


def post(text: str = "hi", thread: str = "t-1", author: Any = "ann", **extra: Any) -> dict[str, Any]:
    return {"thread_id": thread, "author": author, "text": text, **extra}


# -- parsing fixtures ----------------------------------------------------------------------
def test_forum_array_one_interaction_per_thread() -> None:
    records, report = collect(FORUM, company_handles=["AcmeHelp"])
    assert [r.id for r in records] == ["t-5521", "t-5530"]  # interleaved in the file, grouped whole
    assert (report.n_read, report.n_parsed, report.n_failed) == (2, 2, 0)
    thread = records[0]
    assert thread.channel == "social"
    assert thread.subject == "Support fee after 90 days?!"
    assert thread.created_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert thread.meta == {"platform": "acme-community"}
    assert [t.meta["id"] for t in thread.turns] == ["p-1", "p-2", "p-3", "p-4"]  # by time, not file order
    assert [t.role for t in thread.turns] == ["customer", "agent", "customer", "customer"]
    assert [t.speaker for t in thread.turns] == ["router_rage", "@AcmeHelp", "router_rage", "quiet_carla"]
    assert thread.turns[1].meta["reply_to"] == "p-1"
    assert thread.turns[0].meta["likes"] == 14
    assert thread.turns[0].meta["url"] == "https://community.example.com/t/5521#p-1"
    assert (thread.source.line, thread.source.index) == (2, 0)


def test_author_objects_flags_and_identifiers() -> None:
    records, _ = collect(FORUM)
    thread = records[1]
    assert [(t.role, t.speaker) for t in thread.turns] == [("customer", "mo_b"), ("agent", "acme_mod_jo")]
    assert thread.turns[0].meta["author"] == {"verified": False}  # e-mail removed ...
    assert thread.customer_keys == (hash_identifier("email", "mo.b@example.org"),)  # ... and hashed
    assert "is_staff" not in thread.turns[1].meta.get("author", {})


@pytest.mark.parametrize(
    ("options", "roles"),
    [
        ({}, ["customer", "customer", "customer", "customer"]),
        ({"company_handles": ["AcmeHelp"]}, ["customer", "agent", "customer", "customer"]),
        ({"company_handles": "@acmehelp"}, ["customer", "agent", "customer", "customer"]),
        ({"agent": "@AcmeHelp"}, ["customer", "agent", "customer", "customer"]),
        (
            {"company_handles": ["AcmeHelp"], "customer": "@AcmeHelp"},
            ["customer", "agent", "customer", "customer"],
        ),
        ({"agent": ["router_rage", "quiet_carla"]}, ["agent", "customer", "agent", "agent"]),
    ],
)
def test_company_handles_and_agent_options(options: dict[str, Any], roles: list[str]) -> None:
    records, _ = collect(FORUM, **options)
    assert [t.role for t in records[0].turns] == roles


def test_mentions_json_lines() -> None:
    records, report = collect(MENTIONS)
    assert [r.id for r in records] == ["1899000000000000001", "1899000000000000050"]
    assert [r.source.line for r in records] == [1, 4]
    first, second = records
    assert [(t.role, t.speaker) for t in first.turns] == [
        ("customer", "jaydee"),
        ("agent", "acme"),
        ("customer", "jaydee"),
    ]
    assert first.turns[0].meta["author"] == {"verified": True}  # a badge, not a company flag
    assert first.turns[2].text == ""
    assert second.turns[0].text.startswith("Anyone else's Acme bill")  # 'content'
    assert second.created_at == dt.datetime(2026, 5, 5, 8, 0, tzinfo=UTC)  # created_utc epoch
    assert report.n_failed == 0


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"topic_id": 7, "body": "b", "user": "u", "timestamp": "2026-03-02T10:00:00Z"}, ("7", "b", "u")),
        (
            {"link_id": "t3_x", "message": "m", "screen_name": "s", "posted_at": 1772445600},
            ("t3_x", "m", "s"),
        ),
        ({"conversation_id": "c", "content": "c2", "author_id": 42, "date": "2026-03-02"}, ("c", "c2", "42")),
        (
            {"discussion_id": "d", "text": "t", "author": {"handle": "h", "is_official": "yes"}},
            ("d", "t", "h"),
        ),
        (
            {"thread": "th", "text": "t", "username": "n", "parent_id": "p0", "post_id": "p1"},
            ("th", "t", "n"),
        ),
    ],
)
def test_field_synonyms(tmp_path: Path, fields: dict[str, Any], expected: tuple[str, str, str]) -> None:
    path = write(tmp_path, "posts.json", [fields])
    [thread], report = collect(path, format="social")
    turn = thread.turns[0]
    assert (thread.id, turn.text, turn.speaker) == expected
    assert report.n_failed == 0


def test_explicit_role_field_and_flag_precedence(tmp_path: Path) -> None:
    posts = [
        post("a", author_role="moderator", created_at="2026-03-02T10:00:00Z"),
        post("b", role="bot", created_at="2026-03-02T10:01:00Z"),
        post("c", is_brand=True, author_role="customer", created_at="2026-03-02T10:02:00Z"),
        post("d", created_at="2026-03-02T10:03:00Z"),
    ]
    [thread], _ = collect(write(tmp_path, "p.json", posts), format="social")
    assert [t.role for t in thread.turns] == ["agent", "bot", "agent", "customer"]


def test_page_and_one_line_page(tmp_path: Path) -> None:
    page = {"posts": [post("one"), post("two")], "next_cursor": None}
    for name, text in (("page.json", json.dumps(page, indent=2)), ("page.jsonl", json.dumps(page) + "\n")):
        [thread], report = collect(write(tmp_path, name, text), format="social")
        assert [t.text for t in thread.turns] == ["one", "two"] and report.n_failed == 0


def test_json_lines_thread_that_comes_back_is_merged_on_read(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        "p.jsonl",
        [
            post("first", "t-1", created_at="2026-03-02T10:00:00Z"),
            post("other", "t-2"),
            post("later", "t-1", created_at="2026-03-02T11:00:00Z"),
        ],
    )
    records, _ = collect(path)
    assert [r.id for r in records] == ["t-1", "t-2", "t-1"]
    corpus = hi.read(path, on_error="collect")
    assert len(corpus) == 2 and corpus.parse_report.n_merged == 1
    merged = corpus.get("t-1")
    assert merged is not None and [t.text for t in merged.turns] == ["first", "later"]
    assert merged.created_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_bad_option_value() -> None:
    with pytest.raises(ConfigError, match="E109"):
        hi.read(FORUM, format="social", company_handles=[1, 2])


# -- detection --------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(HERE.iterdir()), ids=lambda p: p.name)
def test_detects_fixtures(path: Path) -> None:
    parser = detect_format(SourceFile(path))
    assert parser is not None and parser.name == "social"


OTHERS = ["google_ccai", "genesys", "twilio", "utterances_jsonl", "zendesk", "freshdesk", "transcribe",
          "call_analytics", "contact_lens", "webvtt", "srt", "plain_text"]  # fmt: skip


@pytest.mark.parametrize("fmt", OTHERS)
def test_sniff_ignores_other_formats_fixtures(fmt: str) -> None:
    folder = FIXTURES / fmt
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    for path in files:
        assert SocialParser.sniff(SourceFile(path)) == 0.0, path


@pytest.mark.parametrize(
    "record",
    [
        {"id": 1, "requester_id": 7, "subject": "Router", "description": "down", "via": {"channel": "web"}},
        {
            "id": 5,
            "author_id": 7,
            "body": "Thanks",
            "public": True,
            "ticket_id": 3,
            "created_at": "2026-01-01",
        },
        {"body_text": "hi", "incoming": True, "user_id": 3, "ticket_id": 9},
        {"id": "u1", "conversation_id": "c", "speaker": "s", "text": "t", "reply_to": None},
        {"id": 1, "author": "a", "text": "no thread key"},
    ],
)
def test_sniff_ignores_other_records(record: dict[str, Any]) -> None:
    for data in ((json.dumps(record) + "\n") * 3, json.dumps([record, record])):
        assert SocialParser.sniff(SourceFile(data=data.encode(), name="x.json")) == 0.0


# -- bad input ----------------------------------------------------------------------------------
BAD_POSTS = [
    ("no-thread", {"author": "a", "text": "x"}, R.MISSING_FIELD),
    ("empty-thread", {"thread_id": "", "text": "x"}, R.MISSING_FIELD),
    ("no-text", {"thread_id": "t-1", "author": "a"}, R.MISSING_FIELD),
    ("not-object", ["just", "a list"], R.INVALID_VALUE),
    ("author-list", {"thread_id": "t-1", "text": "x", "author": ["a"]}, R.INVALID_VALUE),
    ("bad-time", {"thread_id": "t-1", "text": "x", "created_at": "the 5th"}, R.INVALID_TIMESTAMP),
    ("epoch-1970", {"thread_id": "t-1", "text": "x", "created_utc": 5}, R.INVALID_TIMESTAMP),
]


@pytest.mark.parametrize("as_lines", [True, False], ids=["lines", "array"])
@pytest.mark.parametrize(("name", "bad", "reason"), BAD_POSTS, ids=[b[0] for b in BAD_POSTS])
def test_bad_post_fails_alone(tmp_path: Path, name: str, bad: Any, reason: R, as_lines: bool) -> None:
    posts = [post("before"), bad, post("after")]
    path = (
        write_lines(tmp_path, f"{name}.jsonl", posts) if as_lines else write(tmp_path, f"{name}.json", posts)
    )
    [thread], report = collect(path, format="social")
    assert [t.text for t in thread.turns] == ["before", "after"]
    [failure] = report.failure_records
    assert failure.reason == reason and failure.source == str(path)
    assert (failure.line, failure.index) == ((2, 1) if as_lines else (failure.line, 1))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("malformed-line.jsonl", json.dumps(post()) + "\n{nope\n", [(R.MALFORMED_JSON, 2)]),
        ("truncated-line.jsonl", json.dumps(post()) + '\n{"thread_id": "t', [(R.TRUNCATED, 2)]),
        ("malformed-array.json", '[{"thread_id": "t", "text": "x"}, {nope}]', [(R.MALFORMED_JSON, 1)]),
        (
            "truncated-array.json",
            '[\n  {"thread_id": "t", "text": "x"},\n  {"thread_id": "t", "te',
            [(R.TRUNCATED, 3)],
        ),
    ],
)
def test_malformed_json(tmp_path: Path, name: str, content: str, expected: list[tuple[R, int]]) -> None:
    records, report = collect(write(tmp_path, name, content), format="social")
    assert [(f.reason, f.line) for f in report.failure_records] == expected
    assert len(records) == 1  # what was read before the damage is kept


def test_read_directory_reconciles() -> None:
    corpus = hi.read(HERE, on_error="collect", company_handles=["AcmeHelp"])
    report = corpus.parse_report
    assert (report.n_files, report.n_read, report.n_parsed, report.n_failed) == (2, 4, 4, 0)


# -- render round trip ---------------------------------------------------------------------------
_TIMES = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(UTC)
)


@st.composite
def threads(draw: st.DrawFn) -> list[Interaction]:
    ids = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3, unique=True))
    result = []
    for thread_id in ids:
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
        platform = draw(st.none() | st.sampled_from(["x", "reddit", "forum"]))
        result.append(
            Interaction(
                id=thread_id,
                source=SourceRef(format="social"),
                channel="social",
                created_at=min(known) if known else None,
                subject=draw(st.none() | st.text(min_size=1, max_size=20)),
                turns=turns,
                meta={"platform": platform} if platform else {},
            )
        )
    return result


def _project(record: Interaction) -> tuple[Any, ...]:
    turns = [(t.position, t.role, t.speaker, t.text, t.at) for t in record.turns]
    return (record.id, record.channel, record.created_at, record.subject, dict(record.meta), turns)


@settings(max_examples=60, deadline=None)
@given(threads())
def test_render_round_trip(records: list[Interaction]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "threads.jsonl"
        path.write_text(render(records), encoding="utf-8")
        parsed = list(hi.iter_interactions(path, format="social"))
    assert [_project(r) for r in parsed] == [_project(r) for r in records]


def test_rendered_output_is_detected_as_social(tmp_path: Path) -> None:
    records, _ = collect(FORUM, company_handles=["AcmeHelp"])
    path = write(tmp_path, "out.jsonl", render(records))
    parser = detect_format(SourceFile(path))
    assert parser is not None and parser.name == "social"
    again = hi.read(path)
    assert [[t.role for t in r.turns] for r in again] == [[t.role for t in r.turns] for r in records]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="social", on_error="collect")
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)


KEYS = ["thread_id", "conversation_id", "id", "author", "username", "text", "body", "created_at", "created_utc",
        "reply_to", "is_company", "author_role", "title", "platform", "email", "posts"]  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(JSON, min_size=1, max_size=5), st.booleans())
def test_arbitrary_json_parses_or_fails_cleanly(values: list[Any], as_lines: bool) -> None:
    text = "".join(json.dumps(v) + "\n" for v in values) if as_lines else json.dumps(values)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(text, encoding="utf-8")
        corpus = hi.read(path, format="social", on_error="collect", company_handles=["acme"])
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)

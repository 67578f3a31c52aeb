"""Zendesk tickets: JSON (arrays, pages, single tickets), JSON lines and CSV."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ConfigError, ParseFailureReason
from hotline_insight.ingest import SourceFile, get_parser
from hotline_insight.records import hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
JSON = FIXTURES / "zendesk_json"
JSONL = FIXTURES / "zendesk_jsonl"
CSV = FIXTURES / "zendesk_csv"
MINE = ("zendesk_json", "zendesk_jsonl", "zendesk_csv")
R = ParseFailureReason


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def read(path: Path, **kwargs: object) -> hi.Corpus:
    corpus = hi.read(path, on_error="collect", **kwargs)
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)
    return corpus


def failures(corpus: hi.Corpus) -> list[tuple[str, int | None, int | None]]:
    return [(f.reason.value, f.line, f.index) for f in corpus.parse_report.failure_records]


# -- shapes and detection ------------------------------------------------------
@pytest.mark.parametrize(
    "path,fmt,ids",
    [
        (JSON / "tickets_page.json", "zendesk_json", ["35436", "35437", "35438"]),
        (JSON / "tickets_array.json", "zendesk_json", ["501", "502"]),
        (JSON / "pages_concatenated.json", "zendesk_json", ["601", "602", "603"]),
        (JSON / "pages_array.json", "zendesk_json", ["701", "702"]),
        (JSON / "single_ticket.json", "zendesk_json", ["801"]),
        (JSONL / "tickets.jsonl", "zendesk_jsonl", ["2001", "2002", "2003"]),
        (CSV / "tickets.csv", "zendesk_csv", ["3001", "3002", "3003"]),
    ],
)
def test_fixture_shapes(path: Path, fmt: str, ids: list[str]) -> None:
    assert hi.detect_format(SourceFile(path)).name == fmt
    corpus = read(path)
    assert [r.id for r in corpus] == ids
    assert failures(corpus) == []
    assert {r.source.format for r in corpus} == {fmt}
    assert [r.source.index for r in corpus] == list(range(len(ids)))
    for record in corpus:
        assert record.source.path == str(path)
        assert record.source.line is not None and record.source.line >= 1
        json.dumps(dict(record.meta))  # meta is JSON-able
        assert "@" not in json.dumps(dict(record.meta)), "no e-mail address in clear"


def test_all_three_formats_are_one_family() -> None:
    assert {get_parser(name).family for name in MINE} == {"zendesk"}


@pytest.mark.parametrize("name", MINE)
def test_sniff_does_not_claim_other_formats(name: str) -> None:
    parser = get_parser(name)
    own = {"zendesk_json", "zendesk_jsonl", "zendesk_csv"}
    others = [p for p in FIXTURES.rglob("*") if p.is_file() and p.relative_to(FIXTURES).parts[0] not in own]
    assert others
    claimed = [str(p.relative_to(FIXTURES)) for p in others if parser.sniff(SourceFile(p)) > 0]
    assert claimed == []


def test_json_lines_prefer_the_jsonl_parser() -> None:
    src = SourceFile(JSONL / "tickets.jsonl")
    assert get_parser("zendesk_jsonl").sniff(src) > get_parser("zendesk_json").sniff(src) > 0
    # a bad line near the top does not change that
    assert hi.detect_format(SourceFile(JSONL / "bad.jsonl")).name == "zendesk_jsonl"


# -- mapping ---------------------------------------------------------------------
def test_email_ticket_with_comments() -> None:
    t = read(JSON / "tickets_page.json").get("35436")
    assert t is not None
    assert (t.channel, t.status, t.priority, t.subject) == (
        "email",
        "open",
        "high",
        "Router drops every evening",
    )
    assert (t.customer_id, t.agent_id) == ("20978392", "235323")
    assert (t.created_at, t.updated_at, t.resolved_at) == (utc(2026, 3, 1, 9, 15), utc(2026, 3, 2, 11), None)
    assert t.tags == ("router", "firmware", "evening_drops")
    assert t.category is None and t.meta["type"] == "problem"
    assert t.product is None
    assert t.satisfaction is not None
    assert (t.satisfaction.score, t.satisfaction.raw, t.satisfaction.scale) == (0.0, "bad", "good/bad")
    assert t.satisfaction.comment == "Took forever to get an answer."
    assert t.meta["custom_fields"] == {
        "360001": "Router X200",
        "360002": None,
        "360003": ["eu_west", "fibre"],
    }
    assert "fields" not in t.meta and "recipient" not in t.meta and "problem_id" not in t.meta
    assert t.meta["via"] == {"channel": "email", "source": {"from": {}, "to": {}, "rel": None}}
    assert t.customer_keys == (hash_identifier("email", "jane.doe@example.com"),)
    # the first comment repeats the description: one turn, with the comment's provenance
    assert [(x.position, x.role, x.speaker, x.is_public) for x in t.turns] == [
        (0, "customer", "20978392", True),
        (1, "agent", "235323", True),
        (2, "agent", "235323", False),
        (3, "customer", "20978392", True),
    ]
    assert t.turns[0].text.startswith("My router keeps dropping") and t.turns[0].text.endswith("Order #[PII]")
    assert t.turns[0].meta == {"comment_id": 1274}
    assert t.turns[2].text == "Known issue with fw 4.2 — escalating to tier 2."
    # html_body only: reduced to text, entities decoded, times in UTC
    assert t.turns[3].text == "Still broken — it dropped at 21:04 again.\nMerci / ありがとう"
    assert t.turns[3].at == utc(2026, 3, 1, 20, 10)
    assert (t.source.line, t.source.index) == (3, 0)


def test_messaging_ticket_without_comments() -> None:
    t = read(JSON / "tickets_page.json").get("35437")
    assert t is not None
    assert t.channel == "chat"
    assert t.subject == "¿Factura duplicada?"  # raw_subject when subject is null
    assert "raw_subject" not in t.meta
    assert t.resolved_at == utc(2026, 3, 3, 9)  # metric_set.solved_at, +01:00
    assert t.satisfaction is not None and (t.satisfaction.score, t.satisfaction.raw) == (None, "offered")
    assert [(x.role, x.at, x.text[:4]) for x in t.turns] == [("customer", utc(2026, 3, 2, 8), "Hola")]
    assert t.agent_id is None and t.tags == ()


def test_voice_ticket_empty_description_and_comments() -> None:
    t = read(JSON / "tickets_page.json").get("35438")
    assert t is not None
    assert (t.channel, t.priority, t.satisfaction) == ("call", None, None)
    assert t.customer_keys == (hash_identifier("phone", "+1 (555) 010-2000"),)
    assert "Caller" not in json.dumps(dict(t.meta))
    assert [(x.role, x.is_public, x.text) for x in t.turns] == [
        ("agent", False, "Inbound call, 4 min. Customer's modem shows red light."),
        ("customer", True, ""),
    ]
    assert t.turns[0].meta == {"comment_id": 1301, "type": "VoiceComment"}


def test_single_ticket_with_sibling_comments() -> None:
    (t,) = read(JSON / "single_ticket.json", product_field=42)
    assert t.product == "Premium plan"
    assert [(x.role, x.text) for x in t.turns] == [
        ("customer", "I cancelled order [PII] within 14 days but wasn't refunded."),
        ("agent", "Refund issued today, 3–5 business days."),
    ]
    assert t.channel == "ticket"


@pytest.mark.parametrize(
    "field,product", [(360001, "Router X200"), ("360003", "eu_west, fibre"), (360002, None), (999, None)]
)
def test_product_field_option(field: object, product: str | None) -> None:
    t = read(JSON / "tickets_page.json", format="zendesk_json", product_field=field).get("35436")
    assert t is not None and t.product == product


@pytest.mark.parametrize("bad", [["360001"], True, 1.5, ""])
def test_product_field_option_must_be_a_field_id(bad: object) -> None:
    with pytest.raises(ConfigError, match="E109"):
        hi.read(JSON / "tickets_page.json", format="zendesk_json", product_field=bad)


def test_agent_and_customer_options_name_author_ids() -> None:
    t = read(JSON / "tickets_page.json", customer=["235323"]).get("35436")
    assert t is not None
    assert [x.role for x in t.turns] == ["customer", "customer", "customer", "customer"]
    t = read(JSON / "tickets_page.json", agent="20978392").get("35436")
    assert t is not None
    # turn 0 is the description: customer by convention; the later comment follows the option
    assert [x.role for x in t.turns] == ["customer", "agent", "agent", "agent"]


def test_channel_option_overrides_via() -> None:
    corpus = read(JSON / "tickets_page.json", channel="ticket")
    assert {r.channel for r in corpus} == {"ticket"}


def test_description_is_kept_when_first_comment_differs(tmp_path: Path) -> None:
    ticket = {
        "id": 1,
        "requester_id": 5,
        "via": {"channel": "web"},
        "description": "Original request.",
        "created_at": "2026-01-01T00:00:00Z",
        "comments": [{"id": 9, "author_id": 6, "body": "A different first comment.", "public": True}],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps([ticket]), encoding="utf-8")
    (t,) = read(path)
    assert [(x.role, x.speaker, x.text) for x in t.turns] == [
        ("customer", "5", "Original request."),
        ("agent", "6", "A different first comment."),
    ]


def test_jsonl_unwraps_tickets_and_hashes_sender() -> None:
    corpus = read(JSONL / "tickets.jsonl")
    assert [r.source.line for r in corpus] == [1, 2, 4]
    t = corpus.get("2002")
    assert t is not None
    assert t.channel == "email"
    assert t.customer_keys == (hash_identifier("email", "m.kowalski@example.org"),)
    assert t.satisfaction is not None and (t.satisfaction.score, t.satisfaction.comment) == (
        1.0,
        "Quick swap, thanks!",
    )
    chat = corpus.get("2003")
    assert chat is not None and [x.role for x in chat.turns] == ["customer", "agent"]
    assert corpus.get("2001").turns[0].text == "Parcel was due Monday, still nothing 📦"  # type: ignore[union-attr]


def test_csv_export() -> None:
    corpus = read(CSV / "tickets.csv")
    t = corpus.get("3001")
    assert t is not None
    assert t.turns[0].text == "My router drops every evening.\nSince the firmware update, really."
    assert (t.turns[0].role, t.turns[0].speaker, t.turns[0].at) == (
        "customer",
        "20978392",
        utc(2026, 3, 1, 9, 15),
    )
    assert t.tags == ("router", "firmware")
    assert t.channel == "email"
    assert t.meta["custom_fields"] == {"360001": "Router X200", "360004": "eu_west"}
    assert t.meta["brand"] == "Acme" and t.meta["organization_id"] == "509974"
    assert "requester_email" not in t.meta and "requester" not in t.meta  # hashed / dropped
    assert t.customer_keys == (hash_identifier("email", "jane.doe@example.com"),)
    assert t.satisfaction is not None and (t.satisfaction.score, t.satisfaction.comment) == (
        0.0,
        "Slow, very slow",
    )
    t2 = corpus.get("3002")
    assert t2 is not None
    assert t2.subject == "Factura, duplicada" and t2.tags == ("billing", "duplicate_charge")
    assert "Lucía" not in str(t2.model_dump())
    assert (t2.channel, t2.agent_id, t2.customer_keys) == ("ticket", None, ())
    t3 = corpus.get("3003")
    assert t3 is not None
    assert (t3.turns, t3.channel, t3.updated_at, t3.priority) == ((), "call", None, None)
    assert t3.satisfaction is not None and t3.satisfaction.score is None
    product = read(CSV / "tickets.csv", product_field="360001")
    assert [r.product for r in product] == ["Router X200", None, "Modem M1"]


# -- bad input -------------------------------------------------------------------
@pytest.mark.parametrize(
    "path,expected_ids,expected_failures",
    [
        (
            JSON / "bad_records.json",
            ["905"],
            [
                ("missing_field", 2, 0),
                ("invalid_timestamp", 3, 1),
                ("invalid_value", 4, 2),
                ("invalid_value", 5, 3),
            ],
        ),
        (JSON / "truncated.json", ["1001"], [("truncated", 3, 1)]),
        (JSONL / "bad.jsonl", ["2101", "2103"], [("malformed_json", 2, 1), ("truncated", 4, 3)]),
        (
            CSV / "shifted.csv",
            ["3101", "3105"],
            [("malformed_csv", 3, 1), ("invalid_timestamp", 4, 2), ("missing_field", 5, 3)],
        ),
    ],
)
def test_bad_input(
    path: Path, expected_ids: list[str], expected_failures: list[tuple[str, int, int]]
) -> None:
    corpus = read(path)
    assert [r.id for r in corpus] == expected_ids
    assert failures(corpus) == expected_failures
    report = corpus.parse_report
    assert report.n_read == len(expected_ids) + len(expected_failures)
    assert all(f.source == str(path) for f in report.failure_records)
    assert "February" not in " ".join(f.message for f in report.failure_records)  # no customer text


def test_impossible_date_in_a_comment_fails_the_ticket(tmp_path: Path) -> None:
    ticket = {
        "id": 1,
        "requester_id": 5,
        "via": {"channel": "web"},
        "comments": [{"author_id": 5, "body": "x", "created_at": "2023-02-30T10:00:00Z"}],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"tickets": [ticket]}), encoding="utf-8")
    assert failures(read(path)) == [("invalid_timestamp", 1, 0)]


@pytest.mark.parametrize("fmt", [*MINE, None])
def test_empty_file(tmp_path: Path, fmt: str | None) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    corpus = read(path, format=fmt)
    assert len(corpus) == 0
    assert [f.reason for f in corpus.parse_report.failure_records] == [R.EMPTY_FILE]


@pytest.mark.parametrize(
    "text", ["[]", '{"tickets": [], "next_page": null}', "id,subject,requester_id,via\n"]
)
def test_no_records_is_one_empty_file_failure(tmp_path: Path, text: str) -> None:
    path = tmp_path / "none.txt"
    path.write_text(text, encoding="utf-8")
    fmt = "zendesk_csv" if text.startswith("id") else "zendesk_json"
    corpus = read(path, format=fmt)
    assert len(corpus) == 0
    assert [f.reason for f in corpus.parse_report.failure_records] == [R.EMPTY_FILE]


@pytest.mark.parametrize(
    "encoding,bom", [("utf-8-sig", b""), ("utf-16", b""), ("utf-16-le", b"\xff\xfe"), ("cp1252", b"")]
)
def test_csv_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = (CSV / "tickets.csv").read_text(encoding="utf-8")
    path = tmp_path / "t.csv"
    path.write_bytes(bom + text.encode(encoding))
    assert hi.detect_format(SourceFile(path)).name == "zendesk_csv"
    expected = [(r.id, r.subject, r.text) for r in read(CSV / "tickets.csv")]
    assert [(r.id, r.subject, r.text) for r in read(path)] == expected


# -- robustness ------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**12) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
ticket_keys = st.sampled_from(
    [
        "id", "subject", "raw_subject", "description", "status", "priority", "type", "requester_id",
        "assignee_id", "tags", "custom_fields", "satisfaction_rating", "via", "created_at", "updated_at",
        "comments", "metric_set", "requester", "ticket", "tickets",
    ]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.dictionaries(ticket_keys, json_values, max_size=8), max_size=3))
def test_arbitrary_ticket_structures_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, tickets: list[object]
) -> None:
    path = tmp_path_factory.mktemp("z") / "t.json"
    path.write_text(json.dumps({"tickets": tickets}), encoding="utf-8")
    for fmt in ("zendesk_json", "zendesk_jsonl"):
        corpus = read(path, format=fmt)
        assert corpus.parse_report.n_read >= 1 or tickets == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_fails_cleanly(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("z") / "t.txt"
    path.write_text(text, encoding="utf-8")
    for fmt in MINE:
        read(path, format=fmt)


def test_author_ids_compare_as_text_and_naive_times_are_counted(tmp_path: Path) -> None:
    naive = "2026-01-01 10:00:00"
    ticket = {
        "id": 1,
        "requester_id": 5,
        "via": {"channel": "web"},
        "description": "Help.",
        "created_at": naive,
        "updated_at": naive,
        "comments": [
            {"author_id": "5", "body": "Help.", "created_at": naive},
            {"author_id": "5", "body": "Still broken.", "created_at": naive},
            {"author_id": 6, "body": "On it.", "created_at": "2026-01-01T11:00:00Z"},
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps([ticket]), encoding="utf-8")
    corpus = read(path, timezone=None)
    (t,) = corpus
    assert [x.role for x in t.turns] == ["customer", "customer", "agent"]
    assert t.turns[1].at == t.created_at == t.updated_at == utc(2026, 1, 1, 10)
    (warning,) = [w for w in corpus.parse_report.warnings if w.code == "W101"]
    assert " 4 naive" in warning.message  # created, updated and two comments
    berlin = read(path, timezone="Europe/Berlin")
    assert berlin[0].created_at == utc(2026, 1, 1, 9)
    assert not [w for w in berlin.parse_report.warnings if w.code == "W101"]


@pytest.mark.parametrize("wrapper", ["tickets", "ticket"])
def test_head_cut_before_requester_id_is_still_detected(tmp_path: Path, wrapper: str) -> None:
    ticket = {
        "id": 1,
        "subject": "long",
        "description": "x" * (100 << 10),
        "requester_id": 5,
        "via": {"channel": "web"},
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps({wrapper: [ticket] if wrapper == "tickets" else ticket}), encoding="utf-8")
    assert '"requester_id"' not in SourceFile(path).head_text()
    assert hi.detect_format(SourceFile(path)).name == "zendesk_json"
    (t,) = read(path)
    assert len(t.turns[0].text) == 100 << 10

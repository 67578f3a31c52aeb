"""Freshdesk API v2 tickets, with embedded conversations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseFailureReason
from hotline_insight.ingest import SourceFile, get_parser
from hotline_insight.records import hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DIR = FIXTURES / "freshdesk"
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


@pytest.mark.parametrize(
    "name,ids", [("tickets.json", ["1042", "1043", "1044"]), ("tickets.jsonl", ["2042", "2043"])]
)
def test_fixtures_detected_and_read(name: str, ids: list[str]) -> None:
    path = DIR / name
    assert hi.detect_format(SourceFile(path)).name == "freshdesk"
    corpus = read(path)
    assert [r.id for r in corpus] == ids
    assert failures(corpus) == []
    for record in corpus:
        assert record.source.format == "freshdesk"
        assert "@" not in json.dumps(dict(record.meta)), "no e-mail address in clear"


def test_sniff_does_not_claim_other_formats() -> None:
    parser = get_parser("freshdesk")
    others = [
        p for p in FIXTURES.rglob("*") if p.is_file() and p.relative_to(FIXTURES).parts[0] != "freshdesk"
    ]
    assert [str(p.relative_to(FIXTURES)) for p in others if parser.sniff(SourceFile(p)) > 0] == []


def test_ticket_with_conversations() -> None:
    t = read(DIR / "tickets.json").get("1042")
    assert t is not None
    assert (t.status, t.priority, t.channel, t.category) == ("Open", "High", "email", "Refund")
    assert (t.customer_id, t.agent_id, t.product) == ("129000123", "129000456", "7001")
    assert (t.created_at, t.updated_at, t.resolved_at) == (utc(2026, 3, 1, 9), utc(2026, 3, 2, 12), None)
    assert t.tags == ("billing", "double_charge")
    assert t.meta["source"] == 1 and t.meta["source_name"] == "Email" and t.meta["type"] == "Refund"
    assert t.meta["custom_fields"] == {"cf_plan": "Pro", "cf_contract_number": None}
    assert t.meta["n_attachments"] == 1
    assert t.meta["due_by"] == "2026-03-04T09:00:00Z" and t.meta["is_escalated"] is False
    for dropped in ("description", "cc_emails", "reply_cc_emails", "to_emails", "requester", "attachments"):
        assert dropped not in t.meta
    assert set(t.customer_keys) == {
        hash_identifier("email", "ana.souza@example.com"),
        hash_identifier("phone", "+55 11 91234-5678"),
    }
    assert [(x.position, x.role, x.speaker, x.is_public) for x in t.turns] == [
        (0, "customer", "129000123", None),
        (1, "agent", "129000456", True),
        (2, "agent", "129000456", False),
        (3, "customer", "129000123", True),
    ]
    assert t.turns[0].text == "Hi team,\nI was charged twice for March & April."
    assert t.turns[1].meta == {"conversation_id": 501}
    # body_text null: the HTML body reduced to text
    assert t.turns[3].text == "Obrigada! Still waiting for the refund 😕"
    assert t.turns[3].at == utc(2026, 3, 2, 10, 59)


def test_html_only_description_and_stats() -> None:
    t = read(DIR / "tickets.json").get("1043")
    assert t is not None
    assert (t.status, t.priority, t.channel, t.meta["source_name"]) == ("Closed", "Low", "call", "Phone")
    assert [x.text for x in t.turns] == ["App crashes right after the splash screen."]
    assert t.resolved_at == utc(2026, 3, 5, 8)
    assert (t.product, t.category, t.agent_id) == (None, None, None)


def test_custom_status_and_no_description() -> None:
    t = read(DIR / "tickets.json").get("1044")
    assert t is not None
    assert (t.status, t.priority, t.channel, t.turns) == ("6", "Urgent", "chat", ())


@pytest.mark.parametrize(
    "ticket_id,channel,source_name",
    [("2042", "ticket", "Feedback widget"), ("2043", "email", "Outbound email")],
)
def test_sources_map_to_channels(ticket_id: str, channel: str, source_name: str) -> None:
    t = read(DIR / "tickets.jsonl").get(ticket_id)
    assert t is not None and (t.channel, t.meta["source_name"]) == (channel, source_name)


def test_product_field_option() -> None:
    corpus = read(DIR / "tickets.json", product_field="cf_product")
    assert [r.product for r in corpus] == [None, "Mobile app", None]
    assert corpus.get("1042").meta["product_id"] == 7001  # type: ignore[union-attr]


def test_agent_option_names_user_ids() -> None:
    t = read(DIR / "tickets.json", agent=["129000123"]).get("1042")
    assert t is not None
    assert [x.role for x in t.turns] == ["customer", "agent", "agent", "agent"]


def test_bad_input() -> None:
    corpus = read(DIR / "bad.json")
    assert [r.id for r in corpus] == ["3004"]
    assert failures(corpus) == [("missing_field", 2, 0), ("invalid_timestamp", 3, 1), ("invalid_value", 4, 2)]


def test_truncated_array(tmp_path: Path) -> None:
    text = (DIR / "tickets.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"id": 1044') + 20], encoding="utf-8")
    corpus = read(path, format="freshdesk")
    assert [r.id for r in corpus] == ["1042", "1043"]
    assert [f.reason for f in corpus.parse_report.failure_records] == [R.TRUNCATED]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("  \n", encoding="utf-8")
    corpus = read(path, format="freshdesk")
    assert [f.reason for f in corpus.parse_report.failure_records] == [R.EMPTY_FILE]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 20) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
keys = st.sampled_from(
    [
        "id", "subject", "description", "description_text", "status", "priority", "source", "type",
        "requester_id", "responder_id", "product_id", "tags", "custom_fields", "created_at", "stats",
        "conversations", "requester", "attachments",
    ]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.dictionaries(keys, json_values, max_size=8), max_size=3))
def test_arbitrary_structures_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, tickets: list[object]
) -> None:
    path = tmp_path_factory.mktemp("f") / "t.json"
    path.write_text(json.dumps(tickets), encoding="utf-8")
    read(path, format="freshdesk")

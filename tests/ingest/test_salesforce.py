"""Salesforce Case CSV: Data Loader (API names, upper-case) and report exports (labels)."""

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
from hotline_insight.ingest.salesforce import origin_channel
from hotline_insight.records import hash_identifier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DIR = FIXTURES / "salesforce_case"
R = ParseFailureReason


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def read(path: Path, **kwargs: object) -> hi.Corpus:
    corpus = hi.read(path, on_error="collect", **kwargs)
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)
    return corpus


@pytest.mark.parametrize(
    "name,ids",
    [
        ("dataloader_cases.csv", ["5005g00000AbCdEAAV", "5005g00000AbCdFAAV", "5005g00000AbCdGAAV"]),
        ("report_cases.csv", ["00002001", "00002002", "00002003"]),
    ],
)
def test_fixtures_detected_and_read(name: str, ids: list[str]) -> None:
    path = DIR / name
    assert hi.detect_format(SourceFile(path)).name == "salesforce_case"
    corpus = read(path)
    assert [r.id for r in corpus] == ids
    assert corpus.parse_report.n_failed == 0
    assert [r.source.index for r in corpus] == [0, 1, 2]
    for record in corpus:
        text = json.dumps(dict(record.meta))
        assert "@" not in text and "Tanaka" not in text and "Jane Doe" not in text and "010-2000" not in text


def test_sniff_does_not_claim_other_formats() -> None:
    parser = get_parser("salesforce_case")
    others = [
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.relative_to(FIXTURES).parts[0] != "salesforce_case"
    ]
    assert [str(p.relative_to(FIXTURES)) for p in others if parser.sniff(SourceFile(p)) > 0] == []


def test_data_loader_case() -> None:
    corpus = read(DIR / "dataloader_cases.csv")
    c = corpus.get("5005g00000AbCdEAAV")
    assert c is not None
    assert (c.channel, c.status, c.priority, c.category) == ("call", "Escalated", "High", "Performance")
    assert (c.customer_id, c.agent_id, c.product) == ("0015g00000XyZaBAAV", "0055g00000Ab12CAAQ", "GC5060")
    assert (c.created_at, c.updated_at, c.resolved_at) == (
        utc(2026, 2, 10, 14, 22, 5),
        utc(2026, 2, 11, 9),
        None,
    )
    assert c.meta["case_number"] == "00001026"
    assert (c.meta["reason"], c.meta["type"], c.meta["origin"]) == ("Performance", "Problem", "Phone")
    assert (c.meta["is_closed"], c.meta["is_escalated"]) == (False, True)
    assert (c.meta["account_id"], c.meta["contact_id"]) == ("0015g00000XyZaBAAV", "0035g00000QwErTAAV")
    assert c.meta["ENGINEERINGREQNUMBER__C"] == "765432" and c.meta["ASSETID"] == "02i5g000001AbCdAAA"
    assert "PARENTID" not in c.meta  # empty cells are not kept
    assert set(c.customer_keys) == {
        hash_identifier("email", "jane.doe@example.com"),
        hash_identifier("phone", "(555) 010-2000"),
    }
    assert [(t.role, t.speaker, t.at) for t in c.turns] == [
        ("customer", "0035g00000QwErTAAV", utc(2026, 2, 10, 14, 22, 5))
    ]
    assert c.turns[0].text == "The GC5060 shuts down after ~20 min.\nSmell of burnt plastic [PII]."

    closed = corpus.get("5005g00000AbCdFAAV")
    assert closed is not None
    assert (closed.channel, closed.customer_id) == ("ticket", "0035g00000ZxCvBAAV")  # ContactId fallback
    assert closed.resolved_at == utc(2026, 2, 12, 8)  # +0000 offset
    assert closed.customer_keys == (hash_identifier("email", "k.tanaka@example.jp"),)

    chat = corpus.get("5005g00000AbCdGAAV")
    assert chat is not None
    assert (chat.channel, chat.turns, chat.customer_id, chat.category) == (
        "chat",
        (),
        None,
        "Feature Request",
    )
    assert chat.meta["PARENTID"] == "5005g00000AbCdEAAV"


def test_report_export_with_labels() -> None:
    corpus = read(DIR / "report_cases.csv", timezone="America/New_York")
    c = corpus.get("00002001")
    assert c is not None
    assert (c.channel, c.category, c.product, c.agent_id) == (
        "email",
        "Billing",
        "Fibre 500",
        "Dana Whitfield",
    )
    assert c.created_at == utc(2026, 3, 22, 14, 15)  # 10:15 AM New York (EDT)
    assert c.resolved_at == utc(2026, 3, 23, 20, 5)
    assert c.meta["is_closed"] is True
    account = hash_identifier("account_name", "Jane Doe")
    assert c.customer_id == account
    assert set(c.customer_keys) == {account, hash_identifier("email", "jane.doe@example.com")}
    # the same account name gives the same customer id
    assert corpus.get("00002003").customer_id == account  # type: ignore[union-attr]
    assert corpus.get("00002002").channel == "call"  # type: ignore[union-attr]


def test_naive_report_times_warn_without_timezone() -> None:
    corpus = read(DIR / "report_cases.csv")
    assert corpus.get("00002001").created_at == utc(2026, 3, 22, 10, 15)  # type: ignore[union-attr]
    assert "W101" in {w.code for w in corpus.parse_report.warnings}


def test_product_column_option() -> None:
    corpus = read(DIR / "dataloader_cases.csv", product_column="engineeringreqnumber__c")
    assert [r.product for r in corpus] == ["765432", None, None]
    missing = read(DIR / "dataloader_cases.csv", product_column="Nope__c")
    assert [r.product for r in missing] == [None, None, None]
    assert "W104" in {w.code for w in missing.parse_report.warnings}
    with pytest.raises(ConfigError, match="E109"):
        hi.read(DIR / "dataloader_cases.csv", format="salesforce_case", product_column=["a"])


@pytest.mark.parametrize(
    "origin,channel",
    [("Phone", "call"), ("Email", "email"), ("Email - Support", "email"), ("Web", "ticket"), ("Chat", "chat"),
     ("Messaging", "chat"), ("Facebook", "ticket"), (None, "ticket")],
)  # fmt: skip
def test_origin_channel(origin: str | None, channel: str) -> None:
    assert origin_channel(origin) == channel


def test_bad_input() -> None:
    corpus = read(DIR / "bad_cases.csv")
    assert [r.id for r in corpus] == ["5001", "5006"]
    assert [(f.reason.value, f.line, f.index) for f in corpus.parse_report.failure_records] == [
        ("missing_field", 3, 1),
        ("invalid_timestamp", 4, 2),
        ("invalid_value", 5, 3),
        ("malformed_csv", 6, 4),
    ]
    assert "maybe" in corpus.parse_report.failure_records[2].message  # a short structural value, scrubbed


@pytest.mark.parametrize("encoding,bom", [("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b"")])
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = (DIR / "report_cases.csv").read_text(encoding="utf-8")
    path = tmp_path / "r.csv"
    path.write_bytes(bom + text.encode(encoding))
    assert hi.detect_format(SourceFile(path)).name == "salesforce_case"
    got = [(r.id, r.subject, r.text) for r in read(path)]
    assert got == [(r.id, r.subject, r.text) for r in read(DIR / "report_cases.csv")]
    assert got[2][2] == 'Why is there a €5 "paper bill" fee?'


def test_empty_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"\xef\xbb\xbf")
    assert [f.reason for f in read(empty, format="salesforce_case").parse_report.failure_records] == [
        R.EMPTY_FILE
    ]
    header = tmp_path / "h.csv"
    header.write_text("Id,CaseNumber,Subject,Status,Origin\n", encoding="utf-8")
    assert [f.reason for f in read(header).parse_report.failure_records] == [R.EMPTY_FILE]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8), min_size=8, max_size=8
        ),
        max_size=4,
    )
)
def test_arbitrary_cells_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Id", "CaseNumber", "Subject", "Origin", "IsClosed", "CreatedDate", "ContactEmail", "Account Name"]
    )
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("s") / "c.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    read(path, format="salesforce_case")

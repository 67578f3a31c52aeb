"""Jira Service Management data pipeline issues CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseFailureReason
from hotline_insight.ingest import SourceFile, get_parser
from hotline_insight.ingest.jira import unescape

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DIR = FIXTURES / "jira_sm"
GOOD = DIR / "issues_job1842_20260306120000.csv"
HEADER = (
    "id,key,url,project_key,project_type,issue_type,summary,description,reporter_id,assignee_id,status,"
    "status_category,priority_name,resolution,created_date,resolution_date,updated_date,due_date"
)
R = ParseFailureReason


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def read(path: Path, **kwargs: object) -> hi.Corpus:
    corpus = hi.read(path, on_error="collect", **kwargs)
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)
    return corpus


def test_detected_and_read() -> None:
    assert hi.detect_format(SourceFile(GOOD)).name == "jira_sm"
    corpus = read(GOOD)
    assert [r.id for r in corpus] == ["10042", "10043", "10044"]
    assert [r.source.line for r in corpus] == [2, 3, 4]
    assert {r.channel for r in corpus} == {"ticket"}


def test_sniff_does_not_claim_other_formats() -> None:
    parser = get_parser("jira_sm")
    others = [p for p in FIXTURES.rglob("*") if p.is_file() and p.relative_to(FIXTURES).parts[0] != "jira_sm"]
    assert [str(p.relative_to(FIXTURES)) for p in others if parser.sniff(SourceFile(p)) > 0] == []


def test_truncated_description_is_flagged() -> None:
    issue = read(GOOD).get("10042")
    assert issue is not None
    assert issue.meta["description_truncated"] is True
    assert "\\n" not in issue.turns[0].text and issue.turns[0].text.count("\n") > 10
    assert (issue.category, issue.status, issue.priority) == ("Incident", "In Progress", "High")
    assert (issue.customer_id, issue.agent_id) == ("5b10ac8d82e05b22cc7d4ef5", "5b109f2e9729b51b54dc274d")
    assert (issue.created_at, issue.updated_at, issue.resolved_at) == (
        utc(2026, 3, 1, 8, 15),
        utc(2026, 3, 2, 10),
        None,
    )
    assert issue.meta["key"] == "HELP-42" and issue.meta["due_date"] == "2026-03-05"
    assert issue.meta["status_category"] == "indeterminate" and issue.meta["project_key"] == "HELP"
    assert (issue.turns[0].role, issue.turns[0].speaker) == ("customer", "5b10ac8d82e05b22cc7d4ef5")


def test_escaped_newlines_and_naive_times() -> None:
    corpus = read(GOOD, timezone="Europe/Berlin")
    issue = corpus.get("10043")
    assert issue is not None
    assert (
        issue.turns[0].text
        == "Hi,\nplease order a laptop for our new hire (starts 2026-04-01).\n\nThanks — Zoë"
    )
    assert "description_truncated" not in issue.meta
    assert issue.created_at == utc(2026, 3, 3, 8)  # 09:00 Berlin
    assert issue.resolved_at == utc(2026, 3, 4, 16, 30)
    assert (issue.meta["resolution"], issue.agent_id, issue.category) == ("Done", None, "Service Request")
    empty = corpus.get("10044")
    assert empty is not None
    assert (empty.turns, empty.priority, empty.created_at) == ((), None, utc(2026, 3, 5, 10))


@pytest.mark.parametrize(
    "raw,text", [("a\\nb", "a\nb"), ("a\\r\\nb", "a\nb"), ("no escapes", "no escapes"), ("tab\\t", "tab\\t")]
)
def test_unescape(raw: str, text: str) -> None:
    assert unescape(raw) == text


@pytest.mark.parametrize("length,flagged", [(1999, False), (2000, True), (2001, False)])
def test_truncation_threshold(tmp_path: Path, length: int, flagged: bool) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    writer.writerow(["1", "H-1", "", "H", "service_desk", "Incident", "s", "x" * length, "r", "", "Open", "new",
                     "Low", "", "2026-03-01T00:00:00Z", "", "", ""])  # fmt: skip
    path = tmp_path / "issues.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    (issue,) = read(path)
    assert issue.meta.get("description_truncated", False) is flagged


def test_bad_input() -> None:
    corpus = read(DIR / "issues_job1843_bad.csv")
    assert [r.id for r in corpus] == ["10050"]
    assert [(f.reason.value, f.line, f.index) for f in corpus.parse_report.failure_records] == [
        ("missing_field", 3, 1),
        ("invalid_timestamp", 4, 2),
        ("malformed_csv", 5, 3),
    ]


def test_key_is_the_id_when_id_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "issues.csv"
    path.write_text(
        "key,project_key,issue_type,summary\nHELP-9,HELP,Incident,No numeric id\n", encoding="utf-8"
    )
    (issue,) = read(path)
    assert (issue.id, issue.subject) == ("HELP-9", "No numeric id")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "issues.csv"
    path.write_bytes(GOOD.read_text(encoding="utf-8").encode(encoding))
    assert hi.detect_format(SourceFile(path)).name == "jira_sm"
    assert [(r.id, r.text) for r in read(path)] == [(r.id, r.text) for r in read(GOOD)]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "issues.csv"
    path.write_bytes(b"")
    assert [f.reason for f in read(path, format="jira_sm").parse_report.failure_records] == [R.EMPTY_FILE]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_fails_cleanly(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("j") / "issues.csv"
    path.write_text(HEADER + "\n" + text, encoding="utf-8")
    read(path, format="jira_sm")

"""Bad input across every format: each gives a coded failure with file and location, never another exception.

Format-specific bad input is tested beside each parser; this file checks the
promises that hold for all of them, including auto-detection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.ingest import registered_parsers

FORMATS = sorted(registered_parsers())
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def read_bytes(tmp_path: Path, name: str, data: bytes, fmt: str | None = None) -> hi.Corpus:
    path = tmp_path / name
    path.write_bytes(data)
    return hi.read(path, format=fmt, on_error="collect", progress=False)


def assert_clean(corpus: hi.Corpus) -> None:
    report = corpus.parse_report
    assert report.n_read == report.n_parsed + report.n_failed
    assert report.n_read >= 1, "nothing read and nothing failed: a silent skip"
    for failure in report.failure_records:
        assert failure.reason.value != "internal", str(failure)
        assert failure.source


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=400), fmt=st.sampled_from([None, *FORMATS]))
def test_arbitrary_bytes_parse_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, fmt: str | None
) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    assert_clean(read_bytes(tmp, "input.dat", data, fmt))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=300), fmt=st.sampled_from([None, *FORMATS]))
def test_arbitrary_text_parses_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, text: str, fmt: str | None
) -> None:
    tmp = tmp_path_factory.mktemp("text")
    assert_clean(read_bytes(tmp, "input.txt", text.encode("utf-8"), fmt))


def _fixture_files() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and "bad" not in p.parts and p.suffix in {".json", ".jsonl", ".csv"}
    )


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_cut_of_a_json_or_csv_fixture_fails_cleanly(tmp_path: Path, path: Path) -> None:
    """Truncation anywhere (a download cut short) is a coded failure or still-valid data."""
    data = path.read_bytes()
    for cut in sorted({len(data) // 3, len(data) // 2, len(data) - 7, len(data) - 1}):
        if cut <= 0:
            continue
        corpus = read_bytes(tmp_path, path.name, data[:cut])
        assert_clean(corpus)


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    for name, data in [("a.json", b""), ("b.csv", b"\n\n"), ("c.vtt", b"\xef\xbb\xbf  \n")]:
        corpus = read_bytes(tmp_path, name, data)
        assert corpus.parse_report.failures["reason"].tolist() == ["empty_file"]


def test_binary_junk(tmp_path: Path) -> None:
    junk = bytes((i * 37 + 11) % 256 for i in range(5000))
    corpus = read_bytes(tmp_path, "tickets.json", junk)
    assert corpus.parse_report.failures["reason"].tolist() in (["binary"], ["unknown_format"])


def test_a_50_mb_single_line(tmp_path: Path) -> None:
    """One ticket whose description is a 50 MB line: read, not refused, not a crash."""
    ticket = {
        "id": 1,
        "subject": "long",
        "description": "x" * (50 << 20),
        "requester_id": 5,
        "status": "open",
        "via": {"channel": "web"},
        "created_at": "2026-01-01T10:00:00Z",
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"tickets": [ticket]}), encoding="utf-8")
    corpus = hi.read(path, on_error="collect")
    assert_clean(corpus)
    assert len(corpus) == 1 and len(corpus[0].turns[0].text) == 50 << 20


@pytest.mark.parametrize(
    "encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("latin-1", b""), ("cp1252", b"")]
)
def test_csv_exports_in_other_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = (
        "Id,CaseNumber,Subject,Description,Status,Origin,CreatedDate,AccountId\n"
        '500A,00001,Frais,"Facture erronée, trop-perçu de 12 €",New,Email,2026-01-05T10:00:00Z,001X\n'
    )
    if encoding == "latin-1":
        text = text.replace("€", "EUR")
    corpus = read_bytes(tmp_path, "cases.csv", bom + text.encode(encoding))
    assert corpus.parse_report.n_failed == 0
    assert corpus[0].source.format == "salesforce_case"
    assert "erronée" in corpus[0].turns[0].text


def test_impossible_timestamp_is_located(tmp_path: Path) -> None:
    page = {
        "tickets": [
            {
                "id": 1,
                "subject": "a",
                "description": "b",
                "requester_id": 3,
                "via": {"channel": "web"},
                "created_at": "2026-01-01T10:00:00Z",
            },
            {
                "id": 2,
                "subject": "a",
                "description": "b",
                "requester_id": 3,
                "via": {"channel": "web"},
                "created_at": "2026-02-30T10:00:00Z",
            },
        ]
    }
    corpus = read_bytes(tmp_path, "t.json", json.dumps(page, indent=1).encode())
    (failure,) = corpus.parse_report.failure_records
    assert failure.reason.value == "invalid_timestamp"
    assert failure.index == 1 and failure.line is not None and failure.line > 2

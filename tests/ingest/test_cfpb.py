"""The CFPB consumer complaint database CSV, with the real 2023 payday/personal loan extract."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.errors import ParseFailureReason
from hotline_insight.ingest import SourceFile, get_parser
from hotline_insight.ingest.cfpb import zip3

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DIR = FIXTURES / "cfpb"
GOOD = DIR / "complaints.csv"
R = ParseFailureReason


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def read(path: Path, **kwargs: object) -> hi.Corpus:
    corpus = hi.read(path, on_error="collect", **kwargs)
    assert corpus.parse_report.is_consistent
    assert all(f.reason != R.INTERNAL for f in corpus.parse_report.failure_records)
    return corpus


def test_fixture_detected_and_read() -> None:
    assert hi.detect_format(SourceFile(GOOD)).name == "cfpb"
    corpus = read(GOOD)
    assert [r.id for r in corpus] == ["6731964", "6990001", "7000002"]
    assert [r.source.line for r in corpus] == [2, 5, 6]  # the first narrative spans three lines
    assert {(r.channel, r.source.format) for r in corpus} == {("ticket", "cfpb")}
    assert get_parser("cfpb").family == "cfpb"


def test_sniff_does_not_claim_other_formats() -> None:
    parser = get_parser("cfpb")
    others = [p for p in FIXTURES.rglob("*") if p.is_file() and p.relative_to(FIXTURES).parts[0] != "cfpb"]
    assert [str(p.relative_to(FIXTURES)) for p in others if parser.sniff(SourceFile(p)) > 0] == []


def test_complaint_with_narrative() -> None:
    c = read(GOOD).get("6731964")
    assert c is not None
    assert c.created_at == utc(2023, 3, 22)  # US MM/DD/YY
    assert (c.product, c.category, c.status) == (
        "Installment loan",
        "Charged fees or interest you didn't expect",
        "Closed with monetary relief",
    )
    assert c.tags == ("Servicemember",)
    assert c.satisfaction is None  # "N/A": the dispute question was not asked
    assert [(t.position, t.role, t.at) for t in c.turns] == [(0, "customer", utc(2023, 3, 22))]
    assert c.turns[0].text == (
        'The lender charged a {$45.00} " late fee " although I paid on XX/XX/XXXX.\n\n'
        "I called twice; nobody called back."
    )
    assert c.meta == {
        "product": "Payday loan, title loan, or personal loan",
        "sub_product": "Installment loan",
        "company_public_response": (
            "Company has responded to the consumer and the CFPB and chooses not to provide a public response"
        ),
        "company": "Example Lending LLC",
        "state": "GA",
        "consumer_consent": "Consent provided",
        "submitted_via": "Web",
        "company_response": "Closed with monetary relief",
        "date_sent_to_company": "2023-03-22",
        "timely_response": True,
        "zip3": "300",
    }
    assert "sub_issue" not in c.meta  # 'None' means missing


def test_iso_dates_dispute_and_masked_zip() -> None:
    corpus = read(GOOD)
    c = corpus.get("6990001")
    assert c is not None
    assert c.created_at == utc(2023, 5, 19) and c.meta["date_sent_to_company"] == "2023-05-20"
    assert c.tags == ("Older American", "Servicemember")
    assert c.satisfaction is not None
    assert (c.satisfaction.score, c.satisfaction.raw, c.satisfaction.scale) == (1.0, "No", "cfpb_disputed")
    assert (c.meta["zip3"], c.meta["sub_issue"], c.meta["timely_response"]) == (
        "750",
        "Problem getting a line of credit",
        False,
    )
    assert "company_public_response" not in c.meta
    c = corpus.get("7000002")
    assert c is not None
    assert c.turns == ()  # no narrative: still an interaction
    assert c.product == "Payday loan, title loan, or personal loan"  # no sub-product
    assert c.satisfaction is not None and c.satisfaction.score == 0.0
    assert "zip3" not in c.meta and "state" not in c.meta and c.tags == ()


@pytest.mark.parametrize(
    "value,prefix",
    [("30040", "300"), ("300XX", "300"), ("XXXXX", None), ("30040-1234", "300"), ("12", None), (None, None)],
)
def test_zip3(value: str | None, prefix: str | None) -> None:
    assert zip3(value) == prefix


@pytest.mark.parametrize("timezone,hour", [("America/New_York", 4), ("Asia/Tokyo", None)])
def test_timezone_option_places_dates(timezone: str, hour: int | None) -> None:
    c = read(GOOD, timezone=timezone).get("6731964")
    assert c is not None
    if hour is not None:
        assert c.created_at == utc(2023, 3, 22, hour)
    else:
        assert c.created_at == utc(2023, 3, 21, 15)  # midnight in Tokyo
    assert c.meta["date_sent_to_company"] == "2023-03-22"  # the date as written


def test_bad_input() -> None:
    corpus = read(DIR / "bad_complaints.csv")
    assert [r.id for r in corpus] == ["7100005"]
    assert [(f.reason.value, f.line, f.index) for f in corpus.parse_report.failure_records] == [
        ("invalid_timestamp", 2, 0),
        ("missing_field", 3, 1),
        ("malformed_csv", 4, 2),
        ("invalid_value", 5, 3),
    ]
    messages = " ".join(f.message for f in corpus.parse_report.failure_records)
    assert "Unquoted" not in messages and "No complaint id" not in messages  # no customer text


def test_api_column_names(tmp_path: Path) -> None:
    path = tmp_path / "api.csv"
    path.write_text(
        "complaint_id,date_received,product,sub_product,issue,complaint_what_happened,zip_code,consumer_disputed\n"
        "42,2023-07-01T12:00:00-05:00,Payday loan,,Fees,They took the money twice.,606XX,Yes\n",
        encoding="utf-8",
    )
    assert hi.detect_format(SourceFile(path)).name == "cfpb"
    (c,) = read(path)
    assert (c.id, c.created_at, c.product, c.category) == ("42", utc(2023, 7, 1, 17), "Payday loan", "Fees")
    assert c.turns[0].text == "They took the money twice."
    assert c.meta["zip3"] == "606" and c.satisfaction is not None and c.satisfaction.score == 0.0


@pytest.mark.parametrize(
    "encoding,bom", [("utf-8-sig", b""), ("utf-16", b""), ("utf-16-be", b"\xfe\xff"), ("latin-1", b"")]
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("—", "-")  # Latin-1 has no em dash
    reference = tmp_path / "reference.csv"
    reference.write_text(text, encoding="utf-8")
    path = tmp_path / "complaints.csv"
    path.write_bytes(bom + text.encode(encoding))
    assert hi.detect_format(SourceFile(path)).name == "cfpb"
    got = read(path)
    assert got.get("6990001").turns[0].text == "My credit line was cut without notice - ¿por qué?"  # type: ignore[union-attr]
    expected = [r.model_dump(exclude={"source"}) for r in read(reference)]
    assert [r.model_dump(exclude={"source"}) for r in got] == expected


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "complaints.csv"
    path.write_bytes(b"")
    assert [f.reason for f in read(path, format="cfpb").parse_report.failure_records] == [R.EMPTY_FILE]


def test_real_cfpb_extract(datasets_dir: Path) -> None:
    path = datasets_dir / "cfpb_complaints" / "payday_personal_loans_2023.csv"
    assert hi.detect_format(SourceFile(path)).name == "cfpb"
    start = time.perf_counter()
    corpus = hi.read(path, format="cfpb")  # on_error="raise": any failure raises
    elapsed = time.perf_counter() - start
    assert elapsed < 5
    report = corpus.parse_report
    assert (len(corpus), report.n_read, report.n_parsed, report.n_failed) == (2827, 2827, 2827, 0)
    assert all(len(c.turns) == 1 and c.turns[0].text for c in corpus)  # every row has a narrative
    assert Counter(c.product for c in corpus) == {
        "Installment loan": 1361,
        "Personal line of credit": 666,
        "Payday loan": 503,
        "Title loan": 281,
        "Pawn loan": 16,
    }
    assert len({c.category for c in corpus}) == 24
    quarters = Counter((c.created_at.month - 1) // 3 + 1 for c in corpus if c.created_at is not None)
    assert quarters == {1: 1077, 2: 1086, 3: 664}
    assert all(c.created_at is not None and c.created_at.year == 2023 for c in corpus)
    auto = hi.read(path)
    assert auto.parse_report.formats == {"cfpb": 2827}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_rows_fail_cleanly(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("c") / "complaints.csv"
    header = GOOD.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(header + "\n" + text, encoding="utf-8")
    read(path, format="cfpb")

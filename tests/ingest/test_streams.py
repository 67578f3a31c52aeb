"""The shared streaming readers: JSON documents, JSON lines and CSV, with positions."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight.errors import ParseFailureReason
from hotline_insight.ingest import _jsonstream as js
from hotline_insight.ingest._csvstream import CsvProblem, CsvRow, iter_csv_rows, sniff_delimiter


def values(items: list[object]) -> list[object]:
    return [i.value if isinstance(i, js.JsonItem) else i.reason for i in items]


@pytest.mark.parametrize(
    "text,expected",
    [
        ('[{"id": 1}, {"id": 2}]', [{"id": 1}, {"id": 2}]),
        ("[]", []),
        ('{"tickets": [{"id": 1}], "next_page": null}', [{"id": 1}]),
        ('{"tickets": [{"id": 1}]}\n{"tickets": [{"id": 2}]}', [{"id": 1}, {"id": 2}]),
        ('[{"tickets": [{"id": 1}]}]', [{"tickets": [{"id": 1}]}]),
        ('{"id": 7, "tags": ["a"]}', [{"id": 7, "tags": ["a"]}]),
        ('{"id": 1}\n{"id": 2}\n', [{"id": 1}, {"id": 2}]),
        ('[{"id": 1}, {"id": 2', [{"id": 1}, ParseFailureReason.TRUNCATED]),
        ('[{"id": 1}, {"id" 2}]', [{"id": 1}, ParseFailureReason.MALFORMED_JSON]),
        ('{"tickets": [{"id": 1}', [{"id": 1}, ParseFailureReason.TRUNCATED]),
    ],
)
def test_iter_json_records_shapes(text: str, expected: list[object]) -> None:
    assert values(list(js.iter_json_records(io.StringIO(text), ("tickets",)))) == expected


@pytest.mark.parametrize("chunk", [3, 7, 64, 1 << 20])
def test_chunk_boundaries_do_not_change_results(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(js, "CHUNK", chunk)
    records = [{"id": i, "text": "é" * i, "n": 10**i} for i in range(12)]
    text = json.dumps({"tickets": records, "count": 12}, indent=1)
    items = list(js.iter_json_records(io.StringIO(text), ("tickets",)))
    assert [i.value for i in items] == records
    # lines and offsets point at each record's opening brace
    for item in items:
        assert text[item.offset] == "{"
        assert text.count("\n", 0, item.offset) + 1 == item.line


@given(st.lists(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=20)), max_size=8))
def test_array_round_trip(records: list[dict[str, object]]) -> None:
    text = json.dumps(records)
    assert values(list(js.iter_json_records(io.StringIO(text)))) == records


@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    for item in js.iter_json_records(io.StringIO(text), ("tickets",)):
        assert isinstance(item, (js.JsonItem, js.JsonProblem))
    for item in js.iter_json_lines(io.StringIO(text)):
        assert isinstance(item, (js.JsonItem, js.JsonProblem))


def test_json_lines_go_on_after_a_bad_line() -> None:
    items = list(js.iter_json_lines(io.StringIO('{"a": 1}\nnot json\n{"a": 3}\n{"a": ')))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("JsonItem", 1),
        ("JsonProblem", 2),
        ("JsonItem", 3),
        ("JsonProblem", 4),
    ]
    assert items[1].reason is ParseFailureReason.MALFORMED_JSON
    assert items[3].reason is ParseFailureReason.TRUNCATED


def test_csv_rows_have_first_line_numbers_and_shifted_rows_are_problems() -> None:
    text = 'id,text,when\n1,"two\nlines",2026-01-01\n2,a,b,c\n3,"ok",x\n\n4,"",y\n'
    rows = list(iter_csv_rows(io.StringIO(text, newline="")))
    assert [(type(r).__name__, r.line) for r in rows] == [
        ("CsvRow", 2),
        ("CsvProblem", 4),
        ("CsvRow", 5),
        ("CsvRow", 7),
    ]
    first = rows[0]
    assert isinstance(first, CsvRow) and first.values["text"] == "two\nlines"
    last = rows[3]
    assert isinstance(last, CsvRow) and last.get("text") is None
    problem = rows[1]
    assert isinstance(problem, CsvProblem) and problem.reason is ParseFailureReason.MALFORMED_CSV


def test_csv_reads_a_large_cell() -> None:
    big = "x" * (5 << 20)
    rows = list(iter_csv_rows(io.StringIO(f'id,text\n1,"{big}"\n', newline="")))
    assert isinstance(rows[0], CsvRow) and len(rows[0].values["text"]) == len(big)


@pytest.mark.parametrize(
    "head,expected", [("a,b,c\n", ","), ("a\tb\tc\n", "\t"), ("a;b;c\n", ";"), ("single\n", ",")]
)
def test_sniff_delimiter(head: str, expected: str) -> None:
    assert sniff_delimiter(head) == expected


def test_a_page_on_one_line_is_decoded_at_once_with_the_line_and_each_index() -> None:
    records = [{"id": i} for i in range(5)]
    text = (
        '{"next_page": null}\n'
        + json.dumps({"tickets": records})
        + "\n"
        + json.dumps({"tickets": records[:2]})
    )
    items = list(js.iter_json_records(io.StringIO(text), ("tickets",)))
    assert [i.value for i in items][-7:] == records + records[:2]
    paged = [i for i in items if isinstance(i.value, dict) and "id" in i.value]
    assert [i.line for i in paged] == [2] * 5 + [3] * 2
    assert [i.index for i in paged] == list(range(1, 8))
    assert text[paged[0].offset] == "[" and paged[0].offset == paged[4].offset


@pytest.mark.parametrize("chunk", [5, 64])
def test_long_single_line_arrays_fall_back_to_streaming(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(js, "CHUNK", chunk)
    monkeypatch.setattr(js, "WHOLE_LINE_LIMIT", 2 * chunk)
    records = [{"id": i, "text": "x" * i} for i in range(30)]
    text = json.dumps(records)
    items = list(js.iter_json_records(io.StringIO(text)))
    assert [i.value for i in items] == records
    assert all(text[i.offset] == "{" for i in items)  # streamed: each record has its own offset

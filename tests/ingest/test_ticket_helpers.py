"""Helpers shared by the ticket parsers (``ingest/_tickets.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight._time import TimestampError, parse_datetime
from hotline_insight.ingest import get_parser
from hotline_insight.ingest._base import ParseContext, ParseOptions
from hotline_insight.ingest._source import SourceFile
from hotline_insight.ingest._tickets import (
    DateCache,
    cell,
    fast_time,
    html_to_text,
    is_json_lines,
    read_fields,
    split_tags,
)


def context(timezone: str | None = None) -> ParseContext:
    return ParseContext(SourceFile(data=b"x"), ParseOptions(timezone=timezone), "zendesk_json")


def slow(value: object, timezone: str | None = None) -> tuple[object, int]:
    ctx = context(timezone)
    try:
        return ctx.time(value), ctx.naive.n
    except TimestampError:
        return "error", ctx.naive.n


def fast(value: object, timezone: str | None = None) -> tuple[object, int]:
    ctx = context(timezone)
    try:
        return fast_time(ctx, value), ctx.naive.n
    except TimestampError:
        return "error", ctx.naive.n


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-01T10:00:00Z", "2026-03-01T10:00:00.123+01:00", "2026-03-01T10:00:00.000+0000",
        "2026-03-01 10:00:00", "2026-03-01", "2023-02-30T10:00:00Z", "1970-01-01T00:00:00Z",
        "2200-01-01T00:00:00Z", "03/22/23", "3/22/2026 10:15 AM", "20230322", "1767225600", "",
        "None", "n/a", " 2026-03-01T10:00:00Z ", "2026-03-01 10:00 UTC", "garbage", None, 1767225600,
    ],
)  # fmt: skip
@pytest.mark.parametrize("timezone", [None, "Europe/Berlin"])
def test_fast_time_agrees_with_parse_datetime(value: object, timezone: str | None) -> None:
    assert fast(value, timezone) == slow(value, timezone)


@given(st.datetimes(min_value=dt.datetime(1975, 1, 1), max_value=dt.datetime(2105, 1, 1)), st.sampled_from(
    ["T", " "]), st.sampled_from(["", "Z", "+01:00", "-0530", "+00:00"]), st.sampled_from(["seconds", "milliseconds", "microseconds"]))  # fmt: skip
def test_fast_time_agrees_on_iso_strings(moment: dt.datetime, sep: str, offset: str, spec: str) -> None:
    value = moment.isoformat(sep=sep, timespec=spec) + offset
    assert fast(value) == slow(value)
    assert fast(value, "America/New_York") == slow(value, "America/New_York")


def test_date_cache_counts_naive_values_and_turns_itself_off() -> None:
    ctx = context()
    dates = DateCache(ctx, limit=4)
    assert [dates(v) for v in ("03/22/23", "03/22/23", None)] == [
        dt.datetime(2023, 3, 22, tzinfo=dt.UTC),
        dt.datetime(2023, 3, 22, tzinfo=dt.UTC),
        None,
    ]
    assert ctx.naive.n == 2  # every naive value read is counted, cached or not
    for second in range(10):  # all distinct: the cache gives up
        dates(f"2026-01-01T00:00:{second:02d}Z")
    assert not dates._on
    assert dates("2026-01-01T00:00:59Z") == dt.datetime(2026, 1, 1, 0, 0, 59, tzinfo=dt.UTC)
    with pytest.raises(TimestampError):
        dates("02/30/23")


@pytest.mark.parametrize(
    "html,text",
    [
        ("<p>Hello</p><p>World</p>", "Hello\nWorld"),
        ("Line<br>break<br/>again", "Line\nbreak\nagain"),
        ("<ul><li>one</li><li>two &amp; three</li></ul>", "one\ntwo & three"),
        ("<style>p {color: red}</style><script>alert(1)</script><!-- note --><b>kept</b>", "kept"),
        ("a < b and c > d", "a < b and c > d"),
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        ("plain text\nwith newline", "plain text\nwith newline"),
        ("<div>wrapped\nsource line</div>", "wrapped source line"),
        ("<p>  many   spaces&nbsp;here </p>", "many spaces here"),
        ("<p>[PII] redacted</p>", "[PII] redacted"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@given(st.text(max_size=200))
def test_html_to_text_never_raises(text: str) -> None:
    assert isinstance(html_to_text(text), str)


@pytest.mark.parametrize(
    "head,expected",
    [
        ('{"a": 1}\n{"a": 2}\n', True),
        ('{"a": 1}\n{"a": oops}\n{"a": 3}\n{"a": 4}', True),
        ('{"a": 1}', True),
        ('[{"a": 1}]', False),
        ('{\n  "a": 1\n}\n', False),
        ('{"tickets": []}\n{"tickets": [\n{"id": 1}]}\n', False),
        ('{"a": 1}\nnot json\nnor this\n', False),
    ],
)
def test_is_json_lines(head: str, expected: bool) -> None:
    assert is_json_lines(head) is expected


@pytest.mark.parametrize(
    "value,tags", [("a b  c", ("a", "b", "c")), ("a, b c,", ("a", "b c")), ("", ()), (None, ())]
)
def test_split_tags(value: str | None, tags: tuple[str, ...]) -> None:
    assert split_tags(value) == tags


def test_cells_and_fields_treat_markers_as_missing() -> None:
    values = {"a": " x ", "b": "None", "c": "N/A", "d": "", "e": "nAn", "f": "none of it"}
    assert [cell(values, k) for k in "abcdef"] == ["x", None, None, None, None, "none of it"]
    fields = read_fields(values, [("A", "a"), ("B", "b"), ("F", "f")])
    assert fields == {"A": "x", "B": None, "F": "none of it"}
    assert parse_datetime(None) is None and cell(values, None) is None


TICKET_FORMATS = (
    "zendesk_json",
    "zendesk_jsonl",
    "zendesk_csv",
    "freshdesk",
    "salesforce_case",
    "jira_sm",
    "cfpb",
)


@pytest.mark.parametrize(
    "text",
    [
        "id,text,created_at\n1,hello,2026-01-01\n",
        "ticket_id,subject,description,status,customer,priority,origin\n1,a,b,open,c,high,web\n",
        "requester_id,name\n1,Jane\n",  # requester_id alone is not enough
        "Case,Subject,Status,Date\n1,a,open,2026-01-01\n",
        "key,summary,description,status\nHELP-1,a,b,open\n",
        "complaint,date,product,issue\n1,2023-01-01,loan,fees\n",
        "conversation_id,speaker,text\nc1,agent,hello\n",
        '[{"id": 1, "text": "hi", "speaker": "agent"}]',
        '{"requester_id": 5}',
        '{"id": 1, "subject": "s", "description": "d", "status": "open"}\n',
        "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n",
        "",
    ],
)
def test_ticket_parsers_do_not_claim_unrelated_inputs(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    src = SourceFile(path)
    assert {name: get_parser(name).sniff(src) for name in TICKET_FORMATS} == dict.fromkeys(
        TICKET_FORMATS, 0.0
    )

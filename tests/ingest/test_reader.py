"""The reader's contract, tested with a small parser defined here (formats have their own tests)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import ClassVar

import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.errors import ConfigError, ParseError, ParseFailureReason
from hotline_insight.ingest import _base
from hotline_insight.ingest._base import FieldError, ParseContext, Parser, ParserResult, register
from hotline_insight.ingest._source import SourceFile
from hotline_insight.records import Interaction, Turn


class LinesParser(Parser):
    """``id|timestamp|text`` per line; 'boom' raises a bug; lines can fail on purpose."""

    name = "test_lines"
    label = "test lines"
    channel = "chat"
    options: ClassVar[dict[str, str]] = {"upper": "upper-case the text"}

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        with src.open_text() as fh:
            for number, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line:
                    continue
                if line == "boom":
                    raise RuntimeError("a bug")
                yield ctx.build(lambda line=line, number=number: self._make(line, number, ctx), line=number)

    def _make(self, line: str, number: int, ctx: ParseContext) -> Interaction:
        parts = line.split("|")
        if len(parts) != 3:
            raise FieldError(ParseFailureReason.MALFORMED_TEXT, f"expected 3 fields, got {len(parts)}")
        ident, when, text = parts
        if self.opts.extra.get("upper"):
            text = text.upper()
        return Interaction(
            id=ident,
            source=ctx.ref(line=number),
            channel=ctx.channel(self.channel),
            created_at=ctx.time(when),
            turns=(Turn(position=0, role="customer", text=text),),
        )


@pytest.fixture(autouse=True)
def lines_parser() -> Iterator[None]:
    register(LinesParser)
    yield
    _base._REGISTRY.pop("test_lines", None)


def write(tmp_path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "a|2026-01-01T10:00:00Z|hello\nb|2026-01-02T10:00:00Z|there\n"
MIXED = "a|2026-01-01T10:00:00Z|hello\nbad line\nc|2026-02-30T10:00:00Z|x\nd|2026-01-03T10:00:00Z|ok\n"


def test_read_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = hi.read(write(tmp_path, "a.txt", GOOD), format="test_lines")
    assert [r.id for r in corpus] == ["a", "b"]
    assert corpus[0].source.line == 1 and corpus[1].source.line == 2
    assert corpus.parse_report.n_read == 2 and corpus.parse_report.n_failed == 0


def test_collect_records_every_failure_with_location(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = hi.read(write(tmp_path, "m.txt", MIXED), format="test_lines", on_error="collect")
    report = corpus.parse_report
    assert (report.n_read, report.n_parsed, report.n_failed) == (4, 2, 2)
    failures = report.failures
    assert list(failures["reason"]) == ["malformed_text", "invalid_timestamp"]
    assert list(failures["line"]) == [2, 3]
    assert set(failures["source"]) == {str(tmp_path / "m.txt")}
    assert list(failures.columns[:3]) == ["source", "format", "location"]


def test_raise_lists_all_failures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParseError) as info:
        hi.read(write(tmp_path, "m.txt", MIXED), format="test_lines")
    assert len(info.value.failures) == 2
    assert "[E106] 2 of 4 records" in str(info.value)


def test_raise_message_lists_five_then_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "".join(f"bad {i}\n" for i in range(8))
    with pytest.raises(ParseError) as info:
        hi.read(write(tmp_path, "b.txt", text), format="test_lines")
    assert "... and 3 more" in str(info.value)


def test_ignore_counts_but_keeps_no_failures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = hi.read(write(tmp_path, "m.txt", MIXED), format="test_lines", on_error="ignore").parse_report
    assert report.n_failed == 2 and report.failure_records == []
    assert report.is_consistent


def test_iter_interactions_streams_and_raises_at_first_failure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "m.txt", MIXED)
    stream = hi.iter_interactions(path, format="test_lines")
    assert next(stream).id == "a"
    with pytest.raises(ParseError):
        next(stream)
    collected = hi.iter_interactions(path, format="test_lines", on_error="collect")
    assert [r.id for r in collected] == ["a", "d"]
    assert collected.report.n_failed == 2 and collected.report.is_consistent


def test_a_parser_bug_becomes_an_internal_failure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = hi.read(write(tmp_path, "x.txt", GOOD + "boom\n"), format="test_lines", on_error="collect")
    assert len(corpus) == 2
    assert list(corpus.parse_report.failures["reason"]) == ["internal"]


def test_directory_glob_gzip_and_lists(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    write(tmp_path, "sub/one.txt", "a|2026-01-01T10:00:00Z|x\n")
    write(tmp_path, ".hidden.txt", "h|2026-01-01T10:00:00Z|x\n")
    with gzip.open(tmp_path / "two.txt.gz", "wt") as fh:
        fh.write("b|2026-01-01T10:00:00Z|y\n")
    assert [r.id for r in hi.read(tmp_path, format="test_lines")] == ["a", "b"]
    assert [r.id for r in hi.read(str(tmp_path / "**" / "*.txt"), format="test_lines")] == ["a"]
    assert [r.id for r in hi.read(tmp_path / "two.txt.gz", format="test_lines")] == ["b"]
    both = hi.read([tmp_path / "sub" / "one.txt", tmp_path / "two.txt.gz"], format="test_lines")
    assert both.parse_report.n_files == 2 and len(both) == 2


def test_duplicates_are_merged_and_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "1.txt", "a|2026-01-01T10:00:00Z|first\n")
    write(tmp_path, "2.txt", "a|2026-01-01T10:00:00Z|first\nz|2026-01-01T10:00:00Z|other\n")
    corpus = hi.read(tmp_path, format="test_lines")
    report = corpus.parse_report
    assert [r.id for r in corpus] == ["a", "z"]
    assert (report.n_read, report.n_parsed, report.n_merged) == (3, 3, 1)
    assert report.merged_ids == ["a"]
    assert any(w.code == "W103" for w in report.warnings)


def test_empty_and_binary_files_fail_cleanly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 4)
    corpus = hi.read(tmp_path, format="test_lines", on_error="collect")
    reasons = dict(
        zip(
            corpus.parse_report.failures["source"].str.rsplit("/", n=1).str[-1],
            corpus.parse_report.failures["reason"],
            strict=True,
        )
    )
    assert reasons == {"empty.txt": "empty_file", "junk.bin": "binary"}
    assert corpus.parse_report.n_read == 2


def test_unknown_content_is_a_recorded_failure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "notes.xyz", "\x01\x02 nothing any parser reads \x03" * 3)
    corpus = hi.read(path, on_error="collect")
    assert corpus.parse_report.n_failed == 1
    assert corpus.parse_report.failures["reason"][0] in {"unknown_format", "binary"}


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16", b""),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_encodings(tmp_path, encoding: str, bom: bytes) -> None:  # type: ignore[no-untyped-def]
    text = "a|2026-01-01T10:00:00Z|café crème – déjà vu\n"
    (tmp_path / "e.txt").write_bytes(bom + text.encode(encoding))
    corpus = hi.read(tmp_path / "e.txt", format="test_lines", on_error="collect")
    assert corpus[0].turns[0].text == "café crème – déjà vu"
    fallback = [w for w in corpus.parse_report.warnings if w.code == "W102"]
    assert bool(fallback) == (encoding == "cp1252")


def test_invalid_utf8_after_the_head_is_an_encoding_failure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = b"a|2026-01-01T10:00:00Z|fine\n" * 4000  # > 64 KiB of valid UTF-8
    (tmp_path / "late.txt").write_bytes(good + b"z|2026-01-01T10:00:00Z|caf\xe9\n")
    report = hi.read(tmp_path / "late.txt", format="test_lines", on_error="collect").parse_report
    assert report.failures["reason"].tolist() == ["encoding"]
    assert report.is_consistent


def test_naive_times_use_timezone_or_warn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "n.txt", "a|2026-01-01 10:00:00|x\n")
    with pytest.warns(hi.ParseWarning, match="W101"):
        corpus = hi.read(path, format="test_lines")
    assert corpus[0].created_at.hour == 10
    assert [w.code for w in corpus.parse_report.warnings] == ["W101"]
    berlin = hi.read(path, format="test_lines", timezone="Europe/Berlin")
    assert berlin[0].created_at.hour == 9 and berlin.parse_report.warnings == []


def test_options_are_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "a.txt", GOOD)
    assert hi.read(path, format="test_lines", upper=True)[0].turns[0].text == "HELLO"
    with pytest.raises(ConfigError, match=r"\[E107\]"):
        hi.read(path, format="test_lines", colour="red")
    with pytest.raises(ConfigError, match=r"\[E103\]"):
        hi.read(path, format="no_such_format")
    with pytest.raises(ConfigError, match=r"\[E105\]"):
        hi.read(path, format="test_lines", on_error="explode")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"\[E108\]"):
        hi.read(path, format="test_lines", timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match=r"\[E102\]"):
        hi.read(tmp_path / "missing.txt")


def test_channel_override(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = hi.read(write(tmp_path, "a.txt", GOOD), format="test_lines", channel="email")
    assert {r.channel for r in corpus} == {"email"}


def test_dataframe_needs_a_frame_reader() -> None:
    with pytest.raises(ConfigError, match=r"\[E110\]"):
        list(hi.iter_interactions(pd.DataFrame({"a": [1]}), format="test_lines"))


def test_a_mapping_selects_the_generic_reader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # this CSV looks like a CFPB export, but the user's mapping says how to read it
    path = write(
        tmp_path, "c.csv", "Complaint ID,Consumer complaint narrative,Date received\n7,hello,2026-01-01\n"
    )
    corpus = hi.read(path, mapping={"id": "Complaint ID", "text": "Consumer complaint narrative"})
    assert corpus[0].source.format == "generic" and corpus[0].id == "7"

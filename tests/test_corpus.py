from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hotline_insight.corpus import FRAME_DTYPES, TURN_DTYPES, Corpus, parse_period, read_parquet
from hotline_insight.errors import ConfigError
from hotline_insight.records import (
    Interaction,
    Satisfaction,
    SourceRef,
    Turn,
    VendorAnnotations,
    VendorIssue,
)

UTC = dt.UTC


def rec(
    i: int, *, channel: str = "call", day: int = 1, month: int = 1, customer: str | None = None
) -> Interaction:
    return Interaction(
        id=f"r{i}",
        source=SourceRef(format="zendesk_json", path="t.json", index=i),
        channel=channel,  # type: ignore[arg-type]
        created_at=dt.datetime(2026, month, day, 12, tzinfo=UTC),
        customer_id=customer,
        turns=(
            Turn(
                position=0,
                role="customer",
                text=f"problem {i} — naïve café",
                at=dt.datetime(2026, month, day, 12, tzinfo=UTC),
            ),
            Turn(
                position=1,
                role="agent",
                text="sorry",
                start_s=1.25,
                end_s=3.5,
                meta={"conf": 0.9},
                is_public=False,
            ),
        ),
        tags=("billing", "vip"),
        satisfaction=Satisfaction(score=0.25, raw="2", scale="1-5"),
        vendor=VendorAnnotations(
            sentiment={"CUSTOMER": -2.5},
            issues=(VendorIssue(text="problem", turn_position=0, start_char=0, end_char=7),),
            categories=("billing",),
        ),
        meta={"queue": "billing", "nested": {"a": [1, 2]}},
    )


@pytest.fixture
def corpus() -> Corpus:
    return Corpus(
        [
            rec(0, month=1, customer="c1"),
            rec(1, channel="chat", month=4, customer="c2"),
            rec(2, channel="ticket", month=7, day=15, customer="c1"),
        ]
    )


def test_sequence_protocol(corpus: Corpus) -> None:
    assert len(corpus) == 3
    assert [r.id for r in corpus] == ["r0", "r1", "r2"]
    assert corpus[1].id == "r1"
    assert isinstance(corpus[:2], Corpus) and len(corpus[:2]) == 2
    assert corpus.get("r2") is corpus[2]
    assert corpus.get("nope") is None


def test_add_merges_same_ids_and_reports(corpus: Corpus) -> None:
    extra = Corpus([rec(2, channel="ticket", month=7, day=15, customer="c1"), rec(9)])
    combined = corpus + extra
    assert [r.id for r in combined] == ["r0", "r1", "r2", "r9"]
    assert combined.parse_report.n_merged == 1
    assert combined.parse_report.is_consistent
    with pytest.raises(ConfigError, match=r"\[E201\]"):
        corpus.__add__([1])


@pytest.mark.parametrize(
    "kwargs,ids",
    [
        ({"period": "2026Q1"}, ["r0"]),
        ({"period": "2026-04"}, ["r1"]),
        ({"period": ("2026-04-01", "2026-12-31")}, ["r1", "r2"]),
        ({"period": dt.date(2026, 7, 15)}, ["r2"]),
        ({"channel": "chat"}, ["r1"]),
        ({"channel": ["chat", "ticket"]}, ["r1", "r2"]),
        ({"customer": "c1"}, ["r0", "r2"]),
        ({"customer": "c1", "period": "2026Q3"}, ["r2"]),
        ({"format": "webvtt"}, []),
    ],
)
def test_filter(corpus: Corpus, kwargs: dict[str, object], ids: list[str]) -> None:
    assert [r.id for r in corpus.filter(**kwargs)] == ids  # type: ignore[arg-type]


def test_filter_with_predicate(corpus: Corpus) -> None:
    assert [r.id for r in corpus.filter(lambda r: r.channel != "call")] == ["r1", "r2"]


@pytest.mark.parametrize("bad", ["2026Q5", "2026-13", "yesterday", 42])
def test_bad_period(bad: object) -> None:
    with pytest.raises(ConfigError, match=r"\[E204\]"):
        parse_period(bad)


def test_frames_have_documented_dtypes(corpus: Corpus) -> None:
    frame = corpus.to_frame()
    assert list(frame.columns) == list(FRAME_DTYPES)
    assert {c: str(t) for c, t in frame.dtypes.items()} == FRAME_DTYPES
    assert frame.loc[0, "n_turns"] == 2 and frame.loc[0, "n_customer_turns"] == 1
    assert frame.loc[0, "duration_s"] == 3.5
    turns = corpus.turns_frame()
    assert list(turns.columns) == list(TURN_DTYPES)
    assert {c: str(t) for c, t in turns.dtypes.items()} == TURN_DTYPES
    assert len(turns) == 6


def test_empty_frames_keep_their_schema() -> None:
    assert {c: str(t) for c, t in Corpus().to_frame().dtypes.items()} == FRAME_DTYPES
    assert len(Corpus().turns_frame()) == 0


def test_parquet_round_trip(corpus: Corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = corpus.to_parquet(tmp_path / "out" / "corpus.parquet")
    back = read_parquet(path)
    assert back == corpus
    assert Corpus.read_parquet(path) == corpus
    # readable as a plain table too
    table = pd.read_parquet(path)
    assert str(table["created_at"].dtype) == "datetime64[us, UTC]"


def test_read_parquet_rejects_other_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "other.parquet")
    with pytest.raises(ConfigError, match=r"\[E203\]"):
        read_parquet(tmp_path / "other.parquet")
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    with pytest.raises(ConfigError, match=r"\[E202\]"):
        read_parquet(tmp_path / "junk.parquet")

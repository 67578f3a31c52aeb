from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from hotline_insight.errors import ParseFailureReason
from hotline_insight.records import (
    Interaction,
    ParseFailure,
    Satisfaction,
    SourceRef,
    Turn,
    hash_identifier,
)

REF = SourceRef(format="plain_text", path="call.txt", line=1)


def make(**kwargs: object) -> Interaction:
    base: dict[str, object] = {"id": "c1", "source": REF, "channel": "call"}
    base.update(kwargs)
    return Interaction(**base)  # type: ignore[arg-type]


def test_records_are_frozen_and_strict() -> None:
    call = make()
    with pytest.raises(ValidationError):
        call.id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        make(unexpected=1)


def test_times_must_be_aware_and_are_normalised_to_utc() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        make(created_at=dt.datetime(2026, 1, 1, 9))
    berlin = dt.datetime(2026, 1, 1, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    assert make(created_at=berlin).created_at == dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    assert make(created_at=berlin).created_at.tzinfo == dt.UTC


@pytest.mark.parametrize("channel", ["call", "chat", "email", "ticket", "social"])
def test_channels(channel: str) -> None:
    assert make(channel=channel).channel == channel


def test_unknown_channel_and_role_are_rejected() -> None:
    with pytest.raises(ValidationError):
        make(channel="fax")
    with pytest.raises(ValidationError):
        Turn(position=0, role="manager", text="x")  # type: ignore[arg-type]


def test_turn_positions_must_run_in_order() -> None:
    turns = (Turn(position=0, text="a"), Turn(position=2, text="b"))
    with pytest.raises(ValidationError, match="positions"):
        make(turns=turns)


def test_text_views() -> None:
    call = make(
        turns=(
            Turn(position=0, role="agent", text="Hello", start_s=0.0, end_s=1.5),
            Turn(position=1, role="customer", text="My bill is wrong", start_s=2.0, end_s=4.0),
        )
    )
    assert call.text == "Hello\nMy bill is wrong"
    assert call.customer_text == "My bill is wrong"
    assert call.duration_s == 4.0


def test_satisfaction_score_is_bounded() -> None:
    with pytest.raises(ValidationError):
        Satisfaction(score=1.5)


@pytest.mark.parametrize(
    "kind,a,b",
    [
        ("email", "Jane.Doe@Example.com", " jane.doe@example.com"),
        ("phone", "+1 (555) 010-2000", "555.010.2000"),
    ],
)
def test_hash_identifier_normalises(kind: str, a: str, b: str) -> None:
    assert hash_identifier(kind, a) == hash_identifier(kind, b)
    assert a.strip().lower() not in hash_identifier(kind, a)


def test_source_and_failure_locations() -> None:
    assert REF.location == "call.txt:1"
    assert SourceRef(format="x", path="a.json", index=3).location == "a.json#3"
    failure = ParseFailure(source="a.json", line=4, reason=ParseFailureReason.MALFORMED_JSON, message="bad")
    assert failure.location == "line 4"
    assert "[malformed_json]" in str(failure)

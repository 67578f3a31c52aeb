"""Hypothesis strategies shared by the parser tests.

``transcript_interactions(fmt)`` generates valid :class:`Interaction` records
of the kind the transcript text formats (``plain_text``, ``webvtt``, ``srt``)
carry: varied speakers (names in several scripts, numbered labels, none),
every role, unicode text without control characters, and optional times
(offsets at millisecond precision, or absolute turn times for plain text).
``carried(call, fmt)`` projects a record onto the fields a format carries, so
round-trip tests compare ``carried(parse(render(x))) == carried(x)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from hotline_insight.ingest import map_role
from hotline_insight.records import ROLES, Interaction, SourceRef, Turn

__all__ = ["TRANSCRIPT_FORMATS", "carried", "safe_text", "speaker_names", "transcript_interactions"]

TRANSCRIPT_FORMATS = ("plain_text", "webvtt", "srt")

_NAMES = (
    "Dana",
    "Marcus",
    "José Álvarez",
    "李雷",
    "Οδυσσέας",
    "Fatima Al-Sayed",
    "O'Neil",
    "Dr. Ng",
    "Speaker 1",
    "Speaker 2",
    "spk_0",
    "spk_1",
    "Anne-Marie",
    "Ólafur",
    "Priya",
)


def _is_plain_name(name: str) -> bool:
    return map_role(name) == "unknown" and name.lower() not in {"unknown", "speaker", "unidentified"}


def speaker_names() -> st.SearchStrategy[str]:
    """Speaker names that are not role words (``Agent``, ``Caller``, ...)."""
    generated = st.from_regex(r"\A[A-Z][a-z]{1,9}( [A-Z][a-z]{1,9})?\Z")
    return st.one_of(st.sampled_from(_NAMES), generated).filter(_is_plain_name)


def safe_text(fmt: str, *, max_size: int = 80) -> st.SearchStrategy[str]:
    """One line of unicode text without control characters, as the format keeps it.

    No control characters (categories Cc, Cs), no line or paragraph
    separators, no surrounding whitespace (parsers strip it). SRT has no escaping, so its text
    has no ``<`` or ``{`` (which would open formatting tags).
    """
    excluded = "<{" if fmt == "srt" else ""
    alphabet = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=excluded)
    return st.text(alphabet, max_size=max_size).map(str.strip)


_ID_TEXT = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_FILE_ID = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,19}\Z")
_OPT_ID = st.none() | st.from_regex(r"\A[A-Z]{1,4}-[0-9]{1,6}\Z")
_DATETIMES = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(dt.UTC)
)


@st.composite
def _turns(draw: Any, fmt: str) -> tuple[Turn, ...]:
    n = draw(st.integers(min_value=1, max_value=6))
    timing = (
        "cues"
        if fmt in ("webvtt", "srt")
        else draw(st.sampled_from(["none", "offsets", "ranges", "absolute"]))
    )
    clock_ms = draw(st.integers(min_value=0, max_value=3_600_000))
    at = draw(_DATETIMES)
    turns = []
    for position in range(n):
        role = draw(st.sampled_from(ROLES))
        speaker = draw(st.none() | speaker_names())
        text = draw(safe_text(fmt))
        start_s = end_s = None
        turn_at = None
        if timing in ("cues", "offsets", "ranges"):
            clock_ms += draw(st.integers(min_value=0, max_value=120_000))
            start_s = clock_ms / 1000
            if timing != "offsets":
                clock_ms += draw(st.integers(min_value=0, max_value=30_000))
                end_s = clock_ms / 1000
        elif timing == "absolute":
            at = at + dt.timedelta(microseconds=draw(st.integers(min_value=0, max_value=600_000_000)))
            turn_at = at
        turns.append(
            Turn(
                position=position,
                role=role,
                speaker=speaker,
                text=text,
                start_s=start_s,
                end_s=end_s,
                at=turn_at,
            )
        )
    return tuple(turns)


@st.composite
def transcript_interactions(draw: Any, fmt: str) -> Interaction:
    """A valid Interaction holding what ``fmt`` can carry (see :func:`carried`)."""
    turns = draw(_turns(fmt))
    source = SourceRef(format=fmt, path=None, line=1)
    if fmt == "srt":
        return Interaction(id=draw(_FILE_ID), source=source, channel="call", turns=turns)
    meta_value = _ID_TEXT.filter(lambda v: "@" not in v)  # e-mail-like values are hashed, not kept
    meta = draw(
        st.dictionaries(st.sampled_from(["queue", "direction", "campaign", "site"]), meta_value, max_size=2)
    )
    created_at = draw(st.none() | _DATETIMES)
    if created_at is None:  # without a start time, the parser dates a call by its first turn's time
        created_at = next((t.at for t in turns if t.at is not None), None)
    return Interaction(
        id=draw(_ID_TEXT),
        source=source,
        channel=draw(st.sampled_from(["call", "chat"])),
        created_at=created_at,
        customer_id=draw(_OPT_ID),
        agent_id=draw(_OPT_ID),
        language=draw(st.none() | st.sampled_from(["en", "fr-CA", "de"])),
        turns=turns,
        meta=meta,
    )


def carried(call: Interaction, fmt: str) -> dict[str, Any]:
    """The fields of ``call`` that ``fmt`` writes and reads back."""
    turns = [
        (t.position, t.role, t.speaker, t.text, t.start_s, t.end_s, t.at if fmt == "plain_text" else None)
        for t in call.turns
    ]
    out: dict[str, Any] = {"id": call.id, "turns": turns}
    if fmt != "srt":
        out.update(
            channel=call.channel,
            created_at=call.created_at,
            customer_id=call.customer_id,
            agent_id=call.agent_id,
            language=call.language,
            meta=dict(call.meta),
        )
    return out

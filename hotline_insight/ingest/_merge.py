"""Merging two records of the same interaction from overlapping exports."""

from __future__ import annotations

import datetime as dt

from ..records import Interaction, Turn

__all__ = ["merge_interactions"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _turn_key(turn: Turn) -> tuple[object, ...]:
    return (turn.role, turn.speaker, turn.text.strip(), turn.at, turn.start_s)


def merge_interactions(first: Interaction, second: Interaction) -> Interaction:
    """One record from two exports of the same interaction.

    The more recently updated record (``updated_at``; the later one read on a
    tie) gives the scalar fields; the other fills what it lacks, except
    ``created_at``, which is the earlier of the two (fragments of one
    conversation, such as a transferred call's communications). Turns are the
    union of both, without repeats, ordered by time where known and otherwise
    kept in reading order; tags, customer keys and meta are united. When
    exactly one of the two is marked ``meta["redacted"]`` (an analysis and its
    redacted copy), the redacted record is kept whole.

    Examples:
        >>> from hotline_insight.records import SourceRef
        >>> ref = SourceRef(format="zendesk_json", path="a.json")
        >>> a = Interaction(id="1", source=ref, channel="ticket", status="open",
        ...     turns=(Turn(position=0, role="customer", text="Broken."),))
        >>> b = Interaction(id="1", source=ref, channel="ticket", status="solved",
        ...     turns=(Turn(position=0, role="customer", text="Broken."),
        ...            Turn(position=1, role="agent", text="Fixed.")))
        >>> m = merge_interactions(a, b)
        >>> (m.status, len(m.turns))
        ('solved', 2)
    """
    if first == second:
        return first
    first_redacted, second_redacted = bool(first.meta.get("redacted")), bool(second.meta.get("redacted"))
    if first_redacted != second_redacted:
        # Two renderings of one conversation (an analysis and its redacted copy):
        # their texts differ, so a union would repeat every turn. Keep the safe one.
        return first if first_redacted else second
    newer, older = (
        (first, second) if (first.updated_at or _EPOCH) > (second.updated_at or _EPOCH) else (second, first)
    )
    data = newer.model_dump()
    for name, value in older.model_dump().items():
        if data.get(name) in (None, "", (), {}) and value not in (None, "", (), {}):
            data[name] = value
    starts = [t for t in (first.created_at, second.created_at) if t is not None]
    data["created_at"] = min(starts) if starts else None  # fragments: the interaction began with the earlier
    # A turn of the newer record is new unless the older one has as many turns
    # with the same key so far: repeated identical turns ("yes", "yes") survive.
    older_counts: dict[tuple[object, ...], int] = {}
    for turn in older.turns:
        older_counts[_turn_key(turn)] = older_counts.get(_turn_key(turn), 0) + 1
    turns: list[Turn] = list(older.turns)
    newer_counts: dict[tuple[object, ...], int] = {}
    for turn in newer.turns:
        key = _turn_key(turn)
        newer_counts[key] = newer_counts.get(key, 0) + 1
        if newer_counts[key] > older_counts.get(key, 0):
            turns.append(turn)
    if all(t.at is not None for t in turns):
        turns.sort(key=lambda t: t.at)  # type: ignore[arg-type, return-value]
    elif all(t.start_s is not None for t in turns):
        turns.sort(key=lambda t: t.start_s)  # type: ignore[arg-type, return-value]
    data["turns"] = tuple(t.model_copy(update={"position": i}) for i, t in enumerate(turns))
    data["tags"] = tuple(dict.fromkeys((*older.tags, *newer.tags)))
    data["customer_keys"] = tuple(dict.fromkeys((*older.customer_keys, *newer.customer_keys)))
    data["meta"] = {**older.meta, **newer.meta}
    data["source"] = newer.source
    if newer.vendor is None and older.vendor is not None:
        data["vendor"] = older.vendor
    return Interaction.model_validate(data)

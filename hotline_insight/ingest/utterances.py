"""Chat utterances as JSON lines, ConvoKit-style (``format="utterances_jsonl"``).

One utterance a line::

    {"id": "u1", "conversation_id": "c-17", "speaker": "cust_42", "reply_to": null,
     "timestamp": 1767258000, "text": "My order never arrived.", "meta": {"role": "customer"}}

Only ``conversation_id`` and ``text`` are required. ``timestamp`` is epoch
seconds (or milliseconds, by magnitude) or an ISO 8601 string; naive times
follow the ``timezone=`` option.

Grouping, streaming: utterances are grouped into one interaction per
``conversation_id`` while the id stays the same from line to line, so memory
holds one conversation, never the file. Lines are expected to be grouped by
conversation; when an id comes back after another conversation started,
that later fragment is still emitted, as a second interaction with the same
id, which :func:`~hotline_insight.read` merges into the first (and counts in
``parse_report.n_merged``). :func:`~hotline_insight.iter_interactions`
yields the fragments as they are.

Mapping:

* ``id``: ``conversation_id``; ``channel``: ``chat`` (the ``channel=`` option
  overrides); ``created_at``: the earliest utterance time; ``customer_id`` and
  ``agent_id``: the first ``customer_id`` / ``agent_id`` field an utterance
  carries (top level or in its ``meta``), else None.
* turns: in timestamp order when every utterance has one, else file order.
  ``speaker`` is the ``speaker`` id; ``at`` the utterance time. The role is
  the user's ``agent=``/``customer=`` options naming the speaker, else
  ``meta.role`` / ``meta.speaker_role`` / a top-level ``speaker_role``
  (mapped by common words: "agent", "customer", "bot", ...), else the
  speaker label itself by common words, else ``unknown``.
* turn ``meta``: ``id``, ``reply_to``, the utterance's ``meta`` object
  (under ``"meta"``) and other top-level fields. E-mail/phone fields (at the
  top level or in ``meta``) are hashed into ``customer_keys`` and removed.

Failures, one per line, and reading goes on: invalid JSON ->
``malformed_json`` (a last line cut short -> ``truncated``); not an object
-> ``invalid_value``; no ``conversation_id`` or ``text`` ->
``missing_field``; an implausible timestamp -> ``invalid_timestamp``. Each
carries the line number.

:func:`render` writes interactions back in this format (the role goes to
``meta.role``, times as ISO 8601), so ``parse(render(x))`` gives back
``x``'s ids, turn texts, roles, speakers and times.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("tests/fixtures/utterances_jsonl/support-chats.jsonl")
    >>> chat = corpus.get("c-1001")
    >>> [(t.role, t.speaker) for t in chat.turns][:2]
    [('customer', 'cust_88'), ('agent', 'agent_dana')]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from ..errors import ParseFailureReason
from ..records import Channel, Interaction, Turn
from ._base import FieldError, ParseContext, Parser, ParserResult, register
from ._jsonconv import (
    build_part,
    get_dict,
    get_str,
    head_line_objects,
    head_start,
    iter_json_items,
    option_role,
    pop_identifiers,
    problem_failure,
)
from ._jsonstream import JsonProblem
from ._source import SourceFile

__all__ = ["UtterancesParser", "render"]

_REQUIRED = {"conversation_id", "text", "speaker"}
_HINTS = {"reply_to", "timestamp", "id", "meta"}
# keys of ticket exports (Zendesk, Freshdesk) that an utterance line never has
_FOREIGN = {"requester_id", "subject", "description", "via", "ticket_id", "assignee_id"}
_KNOWN = {"id", "conversation_id", "speaker", "reply_to", "timestamp", "text", "meta", "speaker_role"}
_ROLE_KEYS = ("role", "speaker_role")


@dataclass(frozen=True)
class _Utterance:
    turn: Turn  # position 0 until the conversation is complete
    keys: tuple[str, ...]
    line: int
    index: int


@register
class UtterancesParser(Parser):
    """ConvoKit-like utterance JSON lines, grouped into conversations as they stream."""

    name: ClassVar[str] = "utterances_jsonl"
    label: ClassVar[str] = "Chat utterance JSON lines (ConvoKit-like)"
    channel: ClassVar[Channel] = "chat"
    extensions: ClassVar[tuple[str, ...]] = (".jsonl", ".ndjson")
    options: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if head_start(head) != "{":
            return 0.0
        objects = head_line_objects(head)
        if not objects or any(_FOREIGN & set(o) for o in objects):
            return 0.0
        matching = [o for o in objects if _REQUIRED <= set(o)]
        if 2 * len(matching) < len(objects) or not matching:
            return 0.0
        score = 0.9 if any(_HINTS & set(o) for o in matching) else 0.7
        return min(score + (0.05 if src.suffix in cls.extensions else 0.0), 0.95)

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        group: list[_Utterance] = []
        group_id: str | None = None
        for item in iter_json_items(src, lines=True):
            if isinstance(item, JsonProblem):
                yield problem_failure(ctx, item)
                continue
            part = build_part(
                ctx,
                partial(_utterance, item.value, ctx, item.line, item.index),
                line=item.line,
                index=item.index,
            )
            if not isinstance(part, tuple):
                yield part
                continue
            conv_id, utterance = part
            if group and conv_id != group_id:
                yield self._interaction(group_id, group, ctx)  # type: ignore[arg-type]
                group = []
            group_id = conv_id
            group.append(utterance)
        if group:
            yield self._interaction(group_id, group, ctx)  # type: ignore[arg-type]

    def _interaction(self, conv_id: str, group: list[_Utterance], ctx: ParseContext) -> ParserResult:
        first = group[0]
        return ctx.build(partial(self._build, conv_id, group, ctx), line=first.line, index=first.index)

    def _build(self, conv_id: str, group: list[_Utterance], ctx: ParseContext) -> Interaction:
        first = group[0]
        if all(u.turn.at is not None for u in group):
            group = sorted(group, key=lambda u: u.turn.at)  # type: ignore[arg-type, return-value]
        known = [u.turn.at for u in group if u.turn.at is not None]
        keys = [k for u in group for k in u.keys]
        return Interaction(
            id=conv_id,
            source=ctx.ref(line=first.line, index=first.index),
            channel=ctx.channel(self.channel),
            created_at=min(known) if known else None,
            customer_id=_first_field(group, "customer_id"),
            agent_id=_first_field(group, "agent_id"),
            customer_keys=tuple(dict.fromkeys(keys)),
            turns=tuple(u.turn.model_copy(update={"position": i}) for i, u in enumerate(group)),
        )


def _first_field(group: list[_Utterance], name: str) -> str | None:
    """The first non-empty ``name`` an utterance carries, at its top level or in its ``meta``."""
    for u in group:
        meta = u.turn.meta
        inner = meta.get("meta")
        for value in (meta.get(name), inner.get(name) if isinstance(inner, Mapping) else None):
            if value not in (None, ""):
                return str(value)
    return None


def _utterance(record: Any, ctx: ParseContext, line: int, index: int) -> tuple[str, _Utterance]:
    """One line as (conversation id, utterance); raises for a bad line."""
    if not isinstance(record, Mapping):
        raise FieldError(
            ParseFailureReason.INVALID_VALUE,
            f"an utterance must be a JSON object; got {type(record).__name__}",
        )
    conv_id = get_str(record, "conversation_id", required=True)
    text = get_str(record, "text", required=True, allow_empty=True)
    assert conv_id is not None and text is not None
    speaker = get_str(record, "speaker")
    inner = dict(get_dict(record, "meta"))
    keys = pop_identifiers(inner)
    extra = {k: v for k, v in record.items() if k not in _KNOWN}
    keys += pop_identifiers(extra)
    label = next(
        (
            v
            for v in (inner.get("role"), inner.get("speaker_role"), record.get("speaker_role"))
            if v is not None
        ),
        None,
    )
    role = option_role(ctx, speaker)
    if role is None:
        role = ctx.role(label) if label is not None else ctx.role(speaker)
    meta: dict[str, Any] = {}
    for key in ("id", "reply_to"):
        if record.get(key) is not None:
            meta[key] = record[key]
    if inner:
        meta["meta"] = inner
    if record.get("speaker_role") is not None:
        meta["speaker_role"] = record["speaker_role"]
    meta.update(extra)
    turn = Turn(
        position=0, role=role, speaker=speaker, text=text, at=ctx.time(record.get("timestamp")), meta=meta
    )
    return conv_id, _Utterance(turn=turn, keys=tuple(keys), line=line, index=index)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def render(interactions: Iterable[Interaction]) -> str:
    """Write interactions as utterance JSON lines (one line a turn).

    The utterance ``id`` is the turn's ``meta["id"]`` when it has one, else
    ``<conversation id>-<position>``; the role goes to ``meta.role``;
    ``timestamp`` is the turn's ``at`` in ISO 8601 (or null). Interactions
    without turns write nothing.

    Examples:
        >>> from hotline_insight.records import SourceRef
        >>> chat = Interaction(id="c-1", source=SourceRef(format="x"), channel="chat",
        ...     turns=(Turn(position=0, role="customer", speaker="u7", text="Hi"),))
        >>> print(render([chat]), end="")
        {"id": "c-1-0", "conversation_id": "c-1", "speaker": "u7", "reply_to": null, "timestamp": null, "text": "Hi", "meta": {"role": "customer"}}
    """
    lines = []
    for interaction in interactions:
        for turn in interaction.turns:
            inner = turn.meta.get("meta")
            meta = dict(inner) if isinstance(inner, Mapping) else {}
            meta["role"] = turn.role
            record = {
                "id": turn.meta.get("id", f"{interaction.id}-{turn.position}"),
                "conversation_id": interaction.id,
                "speaker": turn.speaker,
                "reply_to": turn.meta.get("reply_to"),
                "timestamp": _iso(turn.at),
                "text": turn.text,
                "meta": meta,
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)

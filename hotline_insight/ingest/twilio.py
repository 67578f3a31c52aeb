"""Twilio Conversational Intelligence transcript sentences (``format="twilio"``).

The sentences of a transcript as the API lists them
(``GET /v2/Transcripts/{TranscriptSid}/Sentences``)::

    {"sentences": [{"media_channel": 1, "sentence_index": 0, "start_time": 0.64,
                    "end_time": 3.1, "transcript": "Thanks for calling.",
                    "sid": "GX...", "confidence": 0.93, "words": [...]}],
     "meta": {"url": "https://intelligence.twilio.com/v2/Transcripts/GT.../Sentences", ...}}

Also read: a bare JSON array of sentences, and JSON lines (one sentence,
or one page, a line). Each sentence is a record read; the sentences of one
transcript make one interaction.

Grouping: the transcript sid is the sentence's ``transcript_sid`` when
present, else the page's (``meta.transcript_sid``, or the ``GT...`` sid in
``meta.url``/``meta.first_page_url``), else the file stem. Sentences are
grouped while the sid stays the same (streaming: memory holds one
transcript); a sid that comes back later in the file starts a second
record with the same id, which :func:`~hotline_insight.read` merges.

Turns: ordered by ``sentence_index`` (else ``start_time``, else file order);
``start_s``/``end_s`` are ``start_time``/``end_time`` (seconds from the start
of the recording; there are no absolute times, so ``created_at`` and
``Turn.at`` stay empty). ``speaker`` is ``channel_<n>`` for ``media_channel``
``n``; turn ``meta`` keeps ``sid``, ``sentence_index``, ``confidence`` (a number) and
other fields except the per-word timings (``words``).

Roles: the sentences do not say which channel is the agent (that lives on
the transcript resource's ``channel.participants``). The ``agent=`` and
``customer=`` options name channels as ``"1"``, ``"channel_1"`` or
``"ch_1"``; when only one side is named, every other channel is the other
side. Without options (and unless ``guess_roles=False``), a documented
heuristic: the one channel whose first two sentences greet like an agent
("thank you for calling", "how can I help", "my name is", ...) is the agent
and the other channels are customers; when no channel or several channels
greet, roles stay ``unknown``. ``meta["roles_from"]`` says which rule
decided (``"options"`` or ``"greeting"``).

Failures: a sentence without ``transcript`` -> ``missing_field`` (the other
sentences still make the interaction); a bad time -> ``invalid_value``; a
page with no sentences -> ``empty_record``.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("tests/fixtures/twilio/sentences-page.json", agent="channel_2")
    >>> call = corpus[0]
    >>> (call.id[:2], call.turns[0].role, call.turns[0].speaker)
    ('GT', 'agent', 'channel_2')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from ..errors import ConfigError, Errors, ParseFailureReason
from ..records import Channel, Interaction, Role, Turn
from ._base import FieldError, ParseContext, ParseOptions, Parser, ParserResult, register
from ._jsonconv import (
    build_part,
    get_dict,
    get_number,
    get_str,
    has_key,
    head_start,
    iter_json_items,
    option_role,
    problem_failure,
    stem,
)
from ._jsonstream import JsonProblem
from ._roles import AGENT_GREETING
from ._source import SourceFile

__all__ = ["GREETING", "TwilioParser"]

GREETING = re.compile(AGENT_GREETING.pattern + r"|\bmy name is\b", re.IGNORECASE)
"""What an agent's opening sentences say (the role heuristic)."""

_SID_IN_URL = re.compile(r"/Transcripts/([A-Za-z0-9]+)/")
_KNOWN = {"transcript", "media_channel", "start_time", "end_time", "words", "transcript_sid"}


@dataclass(frozen=True)
class _Sentence:
    """One valid sentence, waiting for its transcript's other sentences."""

    turn: Turn  # position 0, role unknown until the group is complete
    channel: int | None
    index: int | None
    line: int
    item_index: int


@register
class TwilioParser(Parser):
    """Twilio Conversational Intelligence transcript sentences (page JSON, array or JSON lines)."""

    name: ClassVar[str] = "twilio"
    label: ClassVar[str] = "Twilio Conversational Intelligence sentences"
    channel: ClassVar[Channel] = "call"
    extensions: ClassVar[tuple[str, ...]] = (".json", ".jsonl")
    options: ClassVar[Mapping[str, str]] = {
        "guess_roles": "bool (default True): without agent=/customer=, take the channel that greets "
        "first as the agent",
    }

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        guess = self.opts.extra.get("guess_roles", True)
        if not isinstance(guess, bool):
            raise ConfigError(Errors.E109.format(name="guess_roles", expected="True or False", value=guess))
        self.guess_roles = guess

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if head_start(head) not in ("{", "[") or not has_key(head, "media_channel"):
            return 0.0
        if has_key(head, "sentence_index"):
            return 0.9
        if has_key(head, "transcript") and has_key(head, "start_time"):
            return 0.6
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        base = stem(src)
        group: list[_Sentence] = []
        group_sid: str | None = None
        for item in iter_json_items(src):
            if isinstance(item, JsonProblem):
                yield problem_failure(ctx, item)
                continue
            value = item.value
            if isinstance(value, Mapping) and "sentences" in value:
                page = value
                sentences = page["sentences"]
                if not isinstance(sentences, list):
                    yield ctx.failure(
                        ParseFailureReason.INVALID_VALUE,
                        "field 'sentences' must be an array",
                        line=item.line,
                        index=item.index,
                    )
                    continue
                if not sentences:
                    yield ctx.failure(
                        ParseFailureReason.EMPTY_RECORD,
                        "the page has no sentences",
                        line=item.line,
                        index=item.index,
                    )
                    continue
                page_sid = _page_sid(page)
                numbered = [(s, i) for i, s in enumerate(sentences)]
            else:
                page_sid = None
                numbered = [(value, item.index)]
            for sentence, index in numbered:
                own = sentence.get("transcript_sid") if isinstance(sentence, Mapping) else None
                if isinstance(own, (str, int)) and not isinstance(own, bool) and str(own):
                    sid = str(own)
                else:
                    sid = page_sid or base
                if group and sid != group_sid:
                    yield self._interaction(group_sid or base, group, ctx)
                    group = []
                group_sid = sid
                part = build_part(
                    ctx, partial(_sentence, sentence, item.line, index), line=item.line, index=index
                )
                if isinstance(part, _Sentence):
                    group.append(part)
                else:
                    yield part
        if group:
            yield self._interaction(group_sid or base, group, ctx)

    def _interaction(self, sid: str, group: list[_Sentence], ctx: ParseContext) -> ParserResult:
        first = group[0]
        return ctx.build(partial(self._build, sid, group, ctx), line=first.line, index=first.item_index)

    def _build(self, sid: str, group: list[_Sentence], ctx: ParseContext) -> Interaction:
        if all(s.index is not None for s in group):
            group = sorted(group, key=lambda s: s.index)  # type: ignore[arg-type, return-value]
        elif all(s.turn.start_s is not None for s in group):
            group = sorted(group, key=lambda s: s.turn.start_s)  # type: ignore[arg-type, return-value]
        roles, roles_from = self._roles(group, ctx)
        turns = tuple(
            s.turn.model_copy(update={"position": i, "role": roles.get(s.channel, "unknown")})
            for i, s in enumerate(group)
        )
        first = group[0]
        return Interaction(
            id=sid,
            source=ctx.ref(line=first.line, index=first.item_index),
            channel=ctx.channel(self.channel),
            turns=turns,
            meta={"roles_from": roles_from} if roles_from else {},
        )

    def _roles(self, group: list[_Sentence], ctx: ParseContext) -> tuple[dict[int | None, Role], str | None]:
        channels = list(dict.fromkeys(s.channel for s in group if s.channel is not None))
        named: dict[int | None, Role] = {}
        for n in channels:
            for label in (str(n), f"channel_{n}", f"ch_{n}"):
                role = option_role(ctx, label)
                if role is not None:
                    named[n] = role
                    break
        if named:
            sides = set(named.values())
            other: Role = "unknown" if len(sides) > 1 else ("customer" if "agent" in sides else "agent")
            return {n: named.get(n, other) for n in channels}, "options"
        if not self.guess_roles:
            return {}, None
        greeters = []
        for n in channels:
            opening = [s.turn.text for s in group if s.channel == n][:2]
            if any(GREETING.search(text) for text in opening):
                greeters.append(n)
        if len(greeters) != 1:
            return {}, None
        return {n: "agent" if n == greeters[0] else "customer" for n in channels}, "greeting"


def _page_sid(page: Mapping[str, Any]) -> str | None:
    """The transcript sid of an API page: ``transcript_sid`` fields, else the sid in its URLs."""
    meta = get_dict(page, "meta")
    for holder in (page, meta):
        sid = holder.get("transcript_sid")
        if isinstance(sid, str) and sid:
            return sid
    for key in ("url", "first_page_url"):
        url = meta.get(key)
        if isinstance(url, str):
            match = _SID_IN_URL.search(url)
            if match:
                return match.group(1)
    return None


def _sentence(sentence: Any, line: int, index: int) -> _Sentence:
    if not isinstance(sentence, Mapping):
        raise FieldError(
            ParseFailureReason.INVALID_VALUE,
            f"a sentence must be a JSON object; got {type(sentence).__name__}",
        )
    text = get_str(sentence, "transcript", required=True, allow_empty=True)
    assert text is not None
    channel = get_number(sentence, "media_channel")
    if channel is not None and not channel.is_integer():
        raise FieldError(ParseFailureReason.INVALID_VALUE, "field 'media_channel' must be an integer")
    order = get_number(sentence, "sentence_index")
    meta = {k: v for k, v in sentence.items() if k not in _KNOWN}
    if meta.get("confidence") is not None:
        meta["confidence"] = get_number(sentence, "confidence")  # the API writes it as a string
    turn = Turn(
        position=0,
        speaker=f"channel_{int(channel)}" if channel is not None else None,
        text=text,
        start_s=get_number(sentence, "start_time"),
        end_s=get_number(sentence, "end_time"),
        meta=meta,
    )
    return _Sentence(
        turn=turn,
        channel=int(channel) if channel is not None else None,
        index=int(order) if order is not None else None,
        line=line,
        item_index=index,
    )

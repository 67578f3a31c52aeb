"""SubRip (SRT) transcripts: numbered cues with ``00:00:01,000 --> 00:00:04,000`` timings.

One file holds one call; its id is the file name without its last suffix
(SRT has no header). A cue is an index line (digits; may be missing), a
timing line (comma before the milliseconds; a dot, missing spaces around
``-->``, one-digit hours and trailing position settings such as
``X1:... Y2:...`` are tolerated), text lines, and a blank line. CRLF line
ends, trailing spaces and a BOM are fine; a timing line inside a cue's text
starts a new cue (a missing blank line is tolerated, and a digits-only line
just before it is taken as its index).

**Speakers.** SRT has no speaker tag: a ``Name:`` prefix on the cue's first
line names the speaker, else the speaker is unknown. Each cue is one turn.
Roles follow :mod:`hotline_insight.ingest._transcript` (options, role words
such as ``AGENT``/``Caller``, ``Name (Role)``; a role stated once holds for
all the speaker's cues; then the IVR, greeting and other-party heuristics unless
``infer_roles=False``).

**Text.** Formatting tags (``<i>``, ``<b>``, ``<u>``, ``<s>``, ``<font ...>``)
and ASS overrides (``{\\an8}``) are removed; text lines are joined with a
newline.

**Failures.** One file is one record, so the first problem fails the whole
file (a call with a missing cue would be incomplete): a block that is neither
an index nor a timing line, or an index without a timing line, is
``malformed_text``; an impossible clock (``00:75:00,000``) or an end before the
start is ``invalid_timestamp``; each with its line.

Examples:
    >>> import hotline_insight as hi
    >>> from hotline_insight.ingest import SourceFile
    >>> text = b"1\\r\\n00:00:01,000 --> 00:00:04,000\\r\\nAgent: Hello!\\r\\n\\r\\n2\\r\\n00:00:04,500 --> 00:00:06,000\\r\\nHi.\\r\\n"
    >>> call = next(hi.iter_interactions(SourceFile(data=text, name="c-3.srt"), format="srt"))
    >>> [(t.role, t.start_s, t.end_s, t.text) for t in call.turns]
    [('agent', 1.0, 4.0, 'Hello!'), ('unknown', 4.5, 6.0, 'Hi.')]
    >>> print(render(call), end="")
    1
    00:00:01,000 --> 00:00:04,000
    Agent: Hello!
    <BLANKLINE>
    2
    00:00:04,500 --> 00:00:06,000
    Unknown: Hi.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar

from .._time import TimestampError
from ..errors import ConfigError, Errors, ParseFailureReason
from ..records import Channel, Interaction
from ._base import ParseContext, ParseOptions, Parser, ParserResult, register
from ._source import SourceFile
from ._transcript import (
    INFER_ROLES_OPTION,
    TranscriptDraft,
    TranscriptError,
    TurnDraft,
    format_offset,
    infer_roles_option,
    label_prefix,
    offset_seconds,
    render_label,
    single_interaction,
)

__all__ = ["SRTParser", "render"]

_TIMING = re.compile(r"^(?P<start>[\d:.,]+?)[ \t]*-->[ \t]*(?P<end>[\d:.,]+)(?:[ \t]+(?P<settings>.*))?$")
_CLOCK_LIKE = re.compile(r"^\d+(?::\d+){1,2}(?:[.,]\d+)?$")
_INDEX = re.compile(r"^\d+$")
_TAGS = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^<>\n]*)?>|\{\\[^{}\n]*\}", re.IGNORECASE)


def _timing(line: str, lineno: int) -> tuple[float, float] | None:
    """``(start_s, end_s)`` when ``line`` is a timing line, else None; raises for bad clocks."""
    match = _TIMING.match(line)
    if not match or not (_CLOCK_LIKE.match(match["start"]) and _CLOCK_LIKE.match(match["end"])):
        return None
    try:
        start, end = offset_seconds(match["start"]), offset_seconds(match["end"])
    except TimestampError as exc:
        raise TranscriptError(ParseFailureReason.INVALID_TIMESTAMP, str(exc), lineno) from None
    if end < start:
        raise TranscriptError(ParseFailureReason.INVALID_TIMESTAMP, "the cue ends before it starts", lineno)
    return start, end


def _cue_turn(lines: list[str], line: int, times: tuple[float, float], options: ParseOptions) -> TurnDraft:
    text = "\n".join(cleaned for cleaned in (_TAGS.sub("", raw).strip() for raw in lines) if cleaned)
    labelled = label_prefix(text, options)
    label, body = labelled if labelled else (None, text)
    turn = TurnDraft(line=line, label=label, lines=[body])
    turn.start_s, turn.end_s = times
    return turn


def _read(src: SourceFile, ctx: ParseContext) -> TranscriptDraft:
    draft = TranscriptDraft()
    state = "between"
    cue_line = 0
    times: tuple[float, float] = (0.0, 0.0)
    payload: list[str] = []
    with src.open_text() as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if lineno == 1:
                line = line.lstrip("\ufeff")
            line = line.strip()
            if state == "payload":
                if not line:
                    draft.turns.append(_cue_turn(payload, cue_line, times, ctx.options))
                    payload, state = [], "between"
                    continue
                timing = _timing(line, lineno)
                if timing is None:
                    payload.append(line)
                    continue
                if payload and _INDEX.match(payload[-1]):
                    payload.pop()
                draft.turns.append(_cue_turn(payload, cue_line, times, ctx.options))
                payload, cue_line, times = [], lineno, timing
                continue
            if state == "index":
                timing = _timing(line, lineno)
                if timing is None:
                    raise TranscriptError(
                        ParseFailureReason.MALFORMED_TEXT,
                        "a cue number is not followed by a timing line 'hh:mm:ss,ttt --> hh:mm:ss,ttt'",
                        lineno,
                    )
                cue_line, times, state = lineno, timing, "payload"
                continue
            if not line:
                continue
            if _INDEX.match(line):
                state = "index"
                continue
            timing = _timing(line, lineno)
            if timing is None:
                raise TranscriptError(
                    ParseFailureReason.MALFORMED_TEXT,
                    "expected a cue number or a timing line 'hh:mm:ss,ttt --> hh:mm:ss,ttt'",
                    lineno,
                )
            cue_line, times, state = lineno, timing, "payload"
    if state == "index":
        raise TranscriptError(
            ParseFailureReason.MALFORMED_TEXT,
            "the file ends after a cue number, without its timing line",
            lineno,
        )
    if state == "payload":
        draft.turns.append(_cue_turn(payload, cue_line, times, ctx.options))
    if not draft.turns:
        raise TranscriptError(ParseFailureReason.EMPTY_RECORD, "the file has no cues", 1)
    return draft


@register
class SRTParser(Parser):
    """SubRip subtitle files used as call transcripts; see the module docs for the rules."""

    name = "srt"
    label = "SubRip (SRT) transcript"
    channel: ClassVar[Channel] = "call"
    extensions = (".srt",)
    options: ClassVar[Mapping[str, str]] = {"infer_roles": INFER_ROLES_OPTION}

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        self.infer_roles = infer_roles_option(self.opts.extra)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        """By the first cue: index line then timing line (0.9), or a timing line alone (0.75)."""
        head = src.head_text().lstrip("\ufeff \t\r\n")
        lines = [line.strip() for line in head.split("\n", 3)[:3]]
        if not lines or not lines[0]:
            return 0.0
        if _INDEX.match(lines[0]) and len(lines) > 1 and _TIMING.match(lines[1]):
            timing, score = lines[1], 0.9
        elif _TIMING.match(lines[0]):
            timing, score = lines[0], 0.75
        else:
            return 0.0
        match = _TIMING.match(timing)
        if not match or not (_CLOCK_LIKE.match(match["start"]) and _CLOCK_LIKE.match(match["end"])):
            return 0.0
        if "," not in timing:
            score -= 0.1
        if src.suffix in cls.extensions:
            score += 0.05
        return score

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        try:
            draft = _read(src, ctx)
            result = ctx.build(
                lambda: draft.build(ctx, default_channel=self.channel, infer=self.infer_roles, line=1),
                line=1,
            )
        except TranscriptError as exc:
            yield ctx.failure(exc.reason, str(exc), line=exc.line)
            return
        yield result


def render(interactions: Interaction | Iterable[Interaction]) -> str:
    """Write one call as SRT that :class:`SRTParser` reads back.

    Each turn is one cue numbered from 1, its text prefixed with a label that
    reads back to the same role and speaker (``Dana (Agent):``, ``Customer:``,
    ``Dana (Unknown):``, ``Unknown:``). SRT carries no id, channel or call fields: the
    id comes back from the file name. Blank lines inside a turn's text are
    dropped.

    Raises:
        ConfigError: given more or fewer than one interaction, or a turn
            without ``start_s`` and ``end_s``.
    """
    call = single_interaction(interactions, "srt")
    out: list[str] = []
    for number, turn in enumerate(call.turns, 1):
        if turn.start_s is None or turn.end_s is None:
            raise ConfigError(
                Errors.E109.format(
                    name="turns",
                    expected="turns with start_s and end_s (SRT cues need times)",
                    value=f"turn {turn.position} without times",
                )
            )
        lines = [line.strip() for line in turn.text.split("\n") if line.strip()] or [""]
        out.append(str(number))
        out.append(f"{format_offset(turn.start_s, decimal=',')} --> {format_offset(turn.end_s, decimal=',')}")
        out.append(f"{render_label(turn.role, turn.speaker)}: {lines[0]}".rstrip())
        out.extend(lines[1:])
        out.append("")
    return "\n".join(out)

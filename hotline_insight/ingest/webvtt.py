"""WebVTT transcripts (W3C): ``WEBVTT`` header, then cues.

One file holds one call. The first line is ``WEBVTT`` (after an optional
BOM, optionally followed by a space or tab and any text, kept as
``meta["webvtt_title"]``). The header lines after it, up to the first blank
line, are read as ``key: value`` (or ``key=value``) fields like a plain-text
header (``call_id``, ``started_at``, ``customer_id``, ``Language``, ``Kind``,
...; see :mod:`hotline_insight.ingest.plain_text`); without an id field the id
is the file name without its last suffix.

Blocks are separated by blank lines. ``NOTE``, ``STYLE`` and ``REGION``
blocks are skipped, except that a ``NOTE`` block before the first cue whose
every line is ``key: value`` (keys without spaces, as recorders write call
metadata) is read like the header. A cue is an optional identifier line (kept as
``Turn.meta["cue_id"]``), a timing line ``[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt
[settings]`` (settings are ignored; a comma before the milliseconds and a
missing fraction are tolerated) and payload lines, joined with a newline. A
timing line inside a payload starts a new cue (a missing blank line is
tolerated).

**Speakers.** A voice span ``<v Dana>`` (closing ``</v>`` optional; classes as
in ``<v.loud Dana>``, where a class that is a role word such as
``<v.agent Dana>`` states the role) names the speaker; without one, a
``Name: text`` prefix does. A cue holding several voice spans becomes one
turn per span, with the cue's times. Otherwise each cue is one turn:
consecutive cues of one speaker stay separate turns. Roles follow
:mod:`hotline_insight.ingest._transcript` (options, role words, voice
classes such as ``<v.agent Dana>``, header names; a speaker's stated role
holds for all their cues; then the IVR, greeting and other-party heuristics
unless ``infer_roles=False``).

**Text.** Other tags (``<b>``, ``<i>``, ``<c.x>``, ``<lang en>``, ``<ruby>``,
timestamp tags ``<00:00:01.000>``) are removed and character references
(``&amp;``, ``&lt;``, ``&gt;``, ``&#8217;``) unescaped; ``&nbsp;`` becomes a space.

**Failures.** One file is one record, so the first problem fails the whole
file (a call with a missing cue would be incomplete): no ``WEBVTT`` line or
a cue without a readable timing line is ``malformed_text``; an impossible
clock (``00:75:00.000``) or an end before the start is ``invalid_timestamp``;
a file without cues is ``empty_record``; each with its line.

Examples:
    >>> import hotline_insight as hi
    >>> from hotline_insight.ingest import SourceFile
    >>> text = (b"WEBVTT\\n\\n1\\n00:00:01.000 --> 00:00:04.000\\n<v Agent>Thanks for calling!</v>\\n\\n"
    ...         b"00:04.500 --> 00:07.250\\n<v.loud Sam>My bill &amp; my router.\\n")
    >>> call = next(hi.iter_interactions(SourceFile(data=text, name="c-9.vtt"), format="webvtt"))
    >>> call.id, [(t.role, t.speaker, t.start_s, t.end_s, t.text) for t in call.turns]  # doctest: +NORMALIZE_WHITESPACE
    ('c-9', [('agent', None, 1.0, 4.0, 'Thanks for calling!'),
             ('customer', 'Sam', 4.5, 7.25, 'My bill & my router.')])
    >>> call.meta["role_heuristic"]  # Sam is the other party of a call whose agent is known
    'other_party'
"""

from __future__ import annotations

import html
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
    header_lines,
    infer_roles_option,
    label_prefix,
    offset_seconds,
    render_label,
    single_interaction,
)

__all__ = ["WebVTTParser", "parse_timing", "render"]

_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t](?P<title>.*))?$")
_SKIP_BLOCK = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t].*)?$")
_TIMING = re.compile(r"^(?P<start>\S+)[ \t]+-->[ \t]+(?P<end>\S+)(?:[ \t]+(?P<settings>.*))?$")
_CLOCK_LIKE = re.compile(r"^\d+(?::\d+){1,2}(?:[.,]\d+)?$")
_NOTE_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w.\-]{0,40})[ \t]*:[ \t]*(?P<value>.*)$")
_HEADER_FIELD = re.compile(r"^(?P<key>[^\W\d][\w .\-]{0,40}?)[ \t]*(?::|=)[ \t]*(?P<value>.*)$")
_VOICE = re.compile(r"<v((?:\.[^\s.<>]+)*)(?:[ \t]+([^<>]*))?>")
_TAG = re.compile(r"</?(?:[A-Za-z][^<>\n]*|\d[\d:.]*)>")


def parse_timing(line: str, lineno: int) -> tuple[float, float] | None:
    """``(start_s, end_s)`` of a cue timing line; None when ``line`` is not one.

    Raises:
        TranscriptError: the line has ``-->`` but its times are unreadable
            (``malformed_text``), impossible, or end before they start
            (``invalid_timestamp``).
    """
    if "-->" not in line:
        return None
    match = _TIMING.match(line.strip())
    if not match or not (_CLOCK_LIKE.match(match["start"]) and _CLOCK_LIKE.match(match["end"])):
        raise TranscriptError(
            ParseFailureReason.MALFORMED_TEXT,
            "cue timing line is not 'hh:mm:ss.ttt --> hh:mm:ss.ttt'",
            lineno,
        )
    try:
        start, end = offset_seconds(match["start"]), offset_seconds(match["end"])
    except TimestampError as exc:
        raise TranscriptError(ParseFailureReason.INVALID_TIMESTAMP, str(exc), lineno) from None
    if end < start:
        raise TranscriptError(ParseFailureReason.INVALID_TIMESTAMP, "the cue ends before it starts", lineno)
    return start, end


def _is_timing(line: str) -> bool:
    match = _TIMING.match(line.strip())
    return bool(match and _CLOCK_LIKE.match(match["start"]) and _CLOCK_LIKE.match(match["end"]))


def _clean(text: str) -> str:
    lines = (html.unescape(_TAG.sub("", line).replace("&nbsp;", " ")).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _cue_turns(
    payload: list[str], line: int, times: tuple[float, float], cue_id: str | None, options: ParseOptions
) -> list[TurnDraft]:
    text = "\n".join(payload)
    voices = list(_VOICE.finditer(text))
    segments: list[tuple[str | None, tuple[str, ...], str]] = []
    if not voices:
        stripped = _TAG.sub("", text).strip()
        labelled = label_prefix(stripped, options)
        if labelled:
            segments.append((html.unescape(labelled[0]), (), labelled[1]))
        else:
            segments.append((None, (), stripped))
    for i, voice in enumerate(voices):
        body = text[voice.end() : voices[i + 1].start() if i + 1 < len(voices) else len(text)]
        if i == 0:
            body = text[: voice.start()] + body
        classes = tuple(c for c in voice.group(1).split(".") if c)
        label = html.unescape(voice.group(2) or "").strip() or None
        segments.append((label, classes, body))
    turns = []
    for label, classes, body in segments:
        turn = TurnDraft(line=line, label=label, classes=classes, lines=[_clean(body)])
        turn.start_s, turn.end_s = times
        if cue_id is not None:
            turn.meta["cue_id"] = cue_id
        turns.append(turn)
    return turns


def _read(src: SourceFile, ctx: ParseContext) -> TranscriptDraft:
    draft = TranscriptDraft()
    state = "signature"
    cue_id: str | None = None
    cue_line = 0
    times: tuple[float, float] = (0.0, 0.0)
    payload: list[str] = []
    pending_id: tuple[int, str] | None = None
    note: list[str] = []
    note_lines: list[int] = []

    def close() -> None:
        nonlocal payload
        if state == "payload":
            draft.turns.extend(_cue_turns(payload, cue_line, times, cue_id, ctx.options))
        payload = []

    with src.open_text() as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if state == "signature":
                match = _SIGNATURE.match(line.lstrip("\ufeff"))
                if not match:
                    raise TranscriptError(
                        ParseFailureReason.MALFORMED_TEXT, "the file does not start with 'WEBVTT'", lineno
                    )
                title = (match["title"] or "").strip().lstrip("-–—:| \t")
                if title:
                    draft.meta["webvtt_title"] = title
                state = "header"
                continue
            blank = not line.strip()
            if state == "header":
                if blank:
                    state = "between"
                    continue
                if "-->" not in line:
                    field = _HEADER_FIELD.match(line.strip())
                    if field:
                        draft.header.add(field["key"], field["value"], lineno)
                    continue
                state = "between"  # a timing line ends the header (no blank line before the first cue)
            if state in ("skip", "note"):
                if blank:
                    if (
                        state == "note"
                        and not draft.turns
                        and note
                        and all(_NOTE_FIELD.match(n) for n in note)
                    ):
                        for n_line, n_text in zip(note_lines, note, strict=True):
                            field = _NOTE_FIELD.match(n_text)
                            assert field is not None
                            draft.header.add(field["key"], field["value"], n_line)
                    state = "between"
                elif state == "note":
                    note.append(line.strip())
                    note_lines.append(lineno)
                continue
            if state == "payload":
                if blank:
                    close()
                    state = "between"
                elif _is_timing(line):
                    close()
                    cue_id, cue_line = None, lineno
                    times = parse_timing(line, lineno) or times
                else:
                    payload.append(line)
                continue
            if state == "cue_id":
                assert pending_id is not None
                timing = parse_timing(line, lineno) if not blank else None
                if timing is None:
                    raise TranscriptError(
                        ParseFailureReason.MALFORMED_TEXT,
                        "a cue identifier is not followed by a timing line",
                        lineno,
                    )
                cue_line, cue_id = pending_id
                times, state = timing, "payload"
                continue
            # between blocks
            if blank:
                continue
            if _SKIP_BLOCK.match(line):
                state = "note" if line.startswith("NOTE") and line.strip() == "NOTE" else "skip"
                note, note_lines = [], []
                continue
            timing = parse_timing(line, lineno)
            if timing is not None:
                cue_line, cue_id, times, state = lineno, None, timing, "payload"
            else:
                pending_id, state = (lineno, line.strip()), "cue_id"
    if state == "signature":
        raise TranscriptError(ParseFailureReason.MALFORMED_TEXT, "the file does not start with 'WEBVTT'", 1)
    if state == "cue_id":
        assert pending_id is not None
        raise TranscriptError(
            ParseFailureReason.MALFORMED_TEXT,
            "a cue identifier is not followed by a timing line",
            pending_id[0],
        )
    close()
    if not draft.turns:
        raise TranscriptError(ParseFailureReason.EMPTY_RECORD, "the file has no cues", 1)
    return draft


@register
class WebVTTParser(Parser):
    """WebVTT files (``WEBVTT`` then cues); see the module docs for the rules."""

    name = "webvtt"
    label = "WebVTT transcript"
    channel: ClassVar[Channel] = "call"
    extensions = (".vtt", ".webvtt")
    options: ClassVar[Mapping[str, str]] = {"infer_roles": INFER_ROLES_OPTION}

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        self.infer_roles = infer_roles_option(self.opts.extra)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        """0.95 when the content starts with the ``WEBVTT`` signature line, else 0."""
        head = src.head_text().lstrip("\ufeff")
        first = head.split("\n", 1)[0].rstrip("\r")
        return 0.95 if _SIGNATURE.match(first) else 0.0

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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(interactions: Interaction | Iterable[Interaction]) -> str:
    """Write one call as WebVTT that :class:`WebVTTParser` reads back.

    Header fields (id, channel, ``started_at``, customer and agent ids,
    language, scalar ``meta``) follow the ``WEBVTT`` line; each turn is one
    cue (with ``Turn.meta["cue_id"]`` as its identifier when present) whose
    payload is ``<v.role Name>text`` (the role as a voice class), or
    ``<v Agent>text`` (``<v Unknown>``) for a turn without a speaker name. ``&``, ``<`` and
    ``>`` are escaped; blank lines inside a turn's text are dropped.

    Raises:
        ConfigError: given more or fewer than one interaction, or a turn
            without ``start_s`` and ``end_s``.
    """
    call = single_interaction(interactions, "webvtt")
    out = ["WEBVTT", *header_lines(call), ""]
    for turn in call.turns:
        if turn.start_s is None or turn.end_s is None:
            raise ConfigError(
                Errors.E109.format(
                    name="turns",
                    expected="turns with start_s and end_s (WebVTT cues need times)",
                    value=f"turn {turn.position} without times",
                )
            )
        cue_id = turn.meta.get("cue_id")
        if isinstance(cue_id, str) and cue_id.strip() and "-->" not in cue_id:
            out.append(" ".join(cue_id.split()))
        out.append(f"{format_offset(turn.start_s)} --> {format_offset(turn.end_s)}")
        voice, label = (
            ("v", render_label(turn.role, None)) if turn.speaker is None else (f"v.{turn.role}", turn.speaker)
        )
        lines = [line.strip() for line in turn.text.split("\n") if line.strip()] or [""]
        out.append(f"<{voice} {_escape(label)}>{_escape(lines[0])}")
        out.extend(_escape(line) for line in lines[1:])
        out.append("")
    return "\n".join(out)

"""Plain-text call transcripts: ``[00:00:03] Agent: text`` lines.

One file holds one call (several calls in one file are not split).

**Header.** Lines before the first turn may form a header, one field a line:

* any ``# key: value`` line (a ``#`` line without a colon is a comment);
* a ``key: value`` line without ``#`` when ``key`` is a known header
  key (``call_id``, ``id``, ``customer_id``, ``agent_id``, ``started_at``,
  ``date``, ``queue``, ``channel``, ``language``, ``subject`` and the others in
  :data:`~hotline_insight.ingest._transcript.KNOWN_KEYS`; never a role word
  such as ``Agent`` or ``Customer``, so ``Agent: hello`` is always a turn);
* after at least one header field, a ``key: value`` line whose key is an
  unknown lower-case field name (``recorder: asr-batch v2``; not a role word
  nor a numbered speaker such as ``spk_0``), provided the run of such lines is
  followed by a blank line (otherwise they are read as turns);
* blank lines and separator lines (``----``) in between.

The header ends at the first other line. Keys are case-insensitive
(``Call ID`` = ``call_id``). ``call_id`` (or ``interaction_id``,
``conversation_id``, ``contact_id``, ..., ``id``) gives the interaction id,
``started_at`` (or ``start_time``, ``created_at``, ``date`` + ``time``) gives
``created_at``, ``customer_id``/``agent_id``/``language``/``subject``/
``product``/``category``/``status``/``priority``/``tags`` their fields,
``channel`` (voice/phone/call, chat/sms/webchat, email) the channel unless the
``channel=`` option says otherwise; phone numbers (``ani``, ``caller_id``,
``phone``), e-mail addresses and account numbers are hashed into
``customer_keys``; ``agent_name``/``customer_name`` name the speakers' roles;
every other field goes to ``meta`` as a string.

**Id.** Without an id field, the id is the file name without its last suffix
(``calls/0042.txt`` -> ``0042``; ``0042.txt.gz`` -> ``0042``).

**Turns.** A turn line is a speaker label followed by ``:``, optionally after
a timestamp (``[00:00:03]``, ``(00:03)``, ``00:00:03.250``, a range
``[00:01 - 00:04]``, or a date-time ``[2026-03-01 10:32:05]``), or a
bracketed timestamp alone (a turn of unknown speaker); ``Dana [00:03]: text``
and the two-column ``Speaker 1  0:03`` (text on the next lines) are read too.
Any other line continues the previous turn (joined with a newline); a file of
unlabeled lines is one turn of unknown speaker. A label is at most four words,
starting with a letter that is not lower-case unless it is a role word or a
numbered label (``spk_0``): ``note: ...`` stays text.

Clock timestamps (``mm:ss``, ``hh:mm:ss(.ms)``) are offsets from the start of
the call (``started_at``) and go to ``Turn.start_s``/``end_s``; date-times are
absolute and go to ``Turn.at`` (and, without ``started_at``, the first of them
is ``created_at``). Speaker labels map to roles as described in
:mod:`hotline_insight.ingest._transcript` (options, role words, ``Name (Role)``,
the header's names; a role stated once holds for all the speaker's turns;
then the IVR, greeting and other-party heuristics unless ``infer_roles=False``).

**Failures.** One file is one record: an impossible clock (``00:75:00``), a
range whose end is before its start, or a bad ``started_at`` fails the whole
file with ``invalid_timestamp`` at that line (a call with a missing turn would
be incomplete); a header with no turns is ``empty_record``.

Examples:
    >>> import hotline_insight as hi
    >>> from hotline_insight.ingest import SourceFile
    >>> text = b"# call_id: C-17\\n\\n[00:00:03] Agent: Thanks for calling.\\n[00:00:07] Caller: Hi.\\n"
    >>> call = next(hi.iter_interactions(SourceFile(data=text, name="x.txt"), format="plain_text"))
    >>> call.id, [(t.role, t.start_s, t.text) for t in call.turns]
    ('C-17', [('agent', 3.0, 'Thanks for calling.'), ('customer', 7.0, 'Hi.')])
    >>> print(render(call), end="")
    # call_id: C-17
    # channel: call
    <BLANKLINE>
    [00:00:03.000] Agent: Thanks for calling.
    [00:00:07.000] Customer: Hi.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar

from .._time import TimestampError
from ..errors import ParseFailureReason
from ..records import Channel, Interaction
from ._base import ParseContext, ParseOptions, Parser, ParserResult, map_role, register
from ._source import SourceFile
from ._transcript import (
    INFER_ROLES_OPTION,
    KNOWN_KEYS,
    LABEL,
    TranscriptDraft,
    TranscriptError,
    TurnDraft,
    format_offset,
    header_key,
    header_lines,
    infer_roles_option,
    label_prefix,
    looks_like_speaker,
    offset_seconds,
    render_label,
    single_interaction,
)

__all__ = ["PlainTextParser", "render"]

_CLOCK = r"\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,9})?"
_DATETIME = (
    r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
    r"(?:[ ]?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
)
_TS = rf"(?:{_DATETIME}|{_CLOCK})"
_RANGE = rf"(?P<start>{_TS})(?:[ \t]*(?:-->|–|—|-|to)[ \t]*(?P<end>{_TS}))?"
_BRACKETED = re.compile(rf"^[\[(][ \t]*{_RANGE}[ \t]*[\])]")
_BARE = re.compile(rf"^{_RANGE}(?=[ \t])")
_SEPARATOR = re.compile(r"^[ \t]*(?:[-|–—][ \t]+)?")
_LABEL_STAMP = re.compile(rf"^{LABEL}[ \t]*[\[(][ \t]*{_RANGE}[ \t]*[\])][ \t]*:(?=\s|$)")
_LABEL_COLUMN = re.compile(rf"^{LABEL}(?:[ \t]{{2,}}|\t){_RANGE}$")
_HASH_FIELD = re.compile(r"^#+[ \t]*(?P<key>[^\W\d][\w .\-]{0,40}?)[ \t]*[:=][ \t]*(?P<value>.*)$")
_FIELD = re.compile(r"^(?P<key>[^\W\d][\w .\-]{0,40}?)[ \t]*[:=][ \t]*(?P<value>.*)$")
_RULE = re.compile(r"^[-=_*~]{3,}$")
_IS_DATETIME = re.compile(rf"^{_DATETIME}$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_NUMBERED_SPEAKER = re.compile(r"^(?:spk|speaker|ch|channel)_?\d+$")


class _Stamp:
    __slots__ = ("end", "start")

    def __init__(self, start: str | None, end: str | None) -> None:
        self.start = start
        self.end = end


def _range(match: re.Match[str]) -> _Stamp:
    return _Stamp(match["start"], match["end"])


def split_turn(line: str, options: ParseOptions | None = None) -> tuple[_Stamp, str | None, str] | None:
    """``(stamp, label, text)`` when ``line`` opens a turn, else None (a continuation)."""
    match = _BRACKETED.match(line)
    if match:
        stamp = _range(match)
        rest = _SEPARATOR.sub("", line[match.end() :], count=1)
        labelled = label_prefix(rest, options)
        if labelled:
            return stamp, labelled[0], labelled[1]
        return stamp, None, rest.strip()
    match = _BARE.match(line)
    if match:
        rest = _SEPARATOR.sub("", line[match.end() :].lstrip(), count=1)
        labelled = label_prefix(rest, options)
        if labelled:
            return _range(match), labelled[0], labelled[1]
    match = _LABEL_STAMP.match(line)
    if match and looks_like_speaker(match["label"], options):
        return _range(match), " ".join(match["label"].split()), line[match.end() :].strip()
    match = _LABEL_COLUMN.match(line)
    if match and looks_like_speaker(match["label"], options):
        return _range(match), " ".join(match["label"].split()), ""
    labelled = label_prefix(line, options)
    if labelled:
        return _Stamp(None, None), labelled[0], labelled[1]
    return None


def _apply_stamp(turn: TurnDraft, stamp: _Stamp, ctx: ParseContext) -> None:
    if stamp.start is None:
        return
    start_is_dt = bool(_IS_DATETIME.match(stamp.start))
    end_is_dt = stamp.end is not None and bool(_IS_DATETIME.match(stamp.end))
    try:
        if stamp.end is not None and start_is_dt != end_is_dt:
            raise TranscriptError(
                ParseFailureReason.INVALID_TIMESTAMP,
                "a time range mixes a date-time and a clock offset",
                turn.line,
            )
        if start_is_dt:
            turn.at = ctx.time(stamp.start)
            if stamp.end is not None:
                end_at = ctx.time(stamp.end)
                if turn.at is not None and end_at is not None and end_at < turn.at:
                    raise TimestampError("the turn's end time is before its start time")
                turn.meta["end_at"] = end_at.isoformat() if end_at is not None else None
            return
        turn.start_s = offset_seconds(stamp.start)
        if stamp.end is not None:
            turn.end_s = offset_seconds(stamp.end)
            if turn.end_s < turn.start_s:
                raise TimestampError("the turn's end offset is before its start offset")
    except TimestampError as exc:
        raise TranscriptError(ParseFailureReason.INVALID_TIMESTAMP, str(exc), turn.line) from None


class _TurnReader:
    """Collects turns line by line (continuations join the previous turn)."""

    def __init__(self, draft: TranscriptDraft, ctx: ParseContext) -> None:
        self.draft = draft
        self.ctx = ctx
        self.current: TurnDraft | None = None

    def feed(self, lineno: int, text: str) -> None:
        parts = split_turn(text, self.ctx.options)
        if parts is None and self.current is not None:
            self.current.lines.append(text)
            return
        stamp, label, body = parts if parts is not None else (_Stamp(None, None), None, text)
        self.current = TurnDraft(line=lineno, label=label, lines=[body] if body else [])
        _apply_stamp(self.current, stamp, self.ctx)
        self.draft.turns.append(self.current)


def _is_field_name(key: str) -> bool:
    """A lower-case snake_case key that is neither a role word nor a numbered speaker (``spk_0``)."""
    return bool(_FIELD_NAME.match(key)) and map_role(key) == "unknown" and not _NUMBERED_SPEAKER.match(key)


def _read(src: SourceFile, ctx: ParseContext) -> TranscriptDraft:
    draft = TranscriptDraft()
    reader = _TurnReader(draft, ctx)
    in_header = True
    pending: list[tuple[int, str, str, str]] = []  # unknown-key lines, header only if a blank line follows
    with src.open_text() as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if lineno == 1:
                line = line.lstrip("\ufeff")
            text = line.strip()
            if in_header:
                if not text:
                    for p_line, _, key, value in pending:
                        draft.header.add(key, value, p_line)
                    pending = []
                    continue
                if _RULE.match(text):
                    continue
                if text.startswith("#") and not pending:
                    match = _HASH_FIELD.match(text)
                    if match:
                        draft.header.add(match["key"], match["value"], lineno)
                    continue
                match = _FIELD.match(text)
                if match and not pending and header_key(match["key"]) in KNOWN_KEYS:
                    draft.header.add(match["key"], match["value"], lineno)
                    continue
                if match and draft.header.fields and _is_field_name(match["key"]):
                    pending.append((lineno, text, match["key"], match["value"]))
                    continue
                in_header = False
                for p_line, p_text, _, _ in pending:
                    reader.feed(p_line, p_text)
                pending = []
            if text:
                reader.feed(lineno, text)
    for p_line, p_text, _, _ in pending:  # a file that ends inside the header block
        reader.feed(p_line, p_text)
    if not draft.turns:
        raise TranscriptError(ParseFailureReason.EMPTY_RECORD, "the transcript has no turns", 1)
    return draft


_YAML_ITEM = re.compile(r"^\s*- +[\w\"'][\w \"'-]*:(?:\s|$)")
_YAML_KEY_ALONE = re.compile(r"^[A-Za-z_][\w-]*:\s*$")


def _looks_like_yaml(lines: list[str]) -> bool:
    """A YAML document (a catalog, a config) rather than a transcript: ``key:`` lines
    opening blocks, and ``- key: value`` list items below them. Speakers never
    write either."""
    items = sum(1 for line in lines if _YAML_ITEM.match(line))
    openers = sum(1 for line in lines if _YAML_KEY_ALONE.match(line))
    return items >= 2 and openers >= 1


@register
class PlainTextParser(Parser):
    """Plain-text transcripts (``[00:00:03] Agent: text``); see the module docs for the rules."""

    name = "plain_text"
    label = "Plain-text transcript"
    channel: ClassVar[Channel] = "call"
    extensions = (".txt", ".log", ".transcript")
    options: ClassVar[Mapping[str, str]] = {"infer_roles": INFER_ROLES_OPTION}

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        self.infer_roles = infer_roles_option(self.opts.extra)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        """Moderately sure (about 0.5-0.7) for text with several ``Label: text`` turn lines.

        Never claims JSON, WebVTT or SRT content, nor CSV-like first lines.
        """
        head = src.head_text().lstrip("\ufeff \t\r\n")
        if not head or head.startswith(("{", "WEBVTT")):
            return 0.0
        if head.startswith("[") and not _BRACKETED.match(head):
            return 0.0
        lines = head.split("\n")[:200]
        if any("-->" in line and re.search(r"\d\s*-->\s*\d", line) for line in lines[:20]):
            return 0.0
        first = lines[0]
        if ":" not in first and (first.count(",") >= 2 or first.count("\t") >= 2 or first.count(";") >= 2):
            return 0.0
        if _looks_like_yaml(lines):
            return 0.0
        n_lines = n_turns = n_stamped = n_header = 0
        for raw in lines:
            text = raw.strip()
            if not text:
                continue
            n_lines += 1
            if text.startswith("#") and _HASH_FIELD.match(text):
                n_header += 1
                continue
            parts = split_turn(text)
            if parts is not None and parts[1] is not None:
                n_turns += 1
                if parts[0].start is not None:
                    n_stamped += 1
        body = max(n_lines - n_header, 1)
        if n_turns >= 2 and n_turns >= 0.3 * body:
            score = 0.5 + (0.1 if n_stamped >= 2 else 0.0) + (0.05 if n_header else 0.0)
        elif n_turns == 1:
            score = 0.2
        else:
            score = 0.05 if src.suffix == ".txt" else 0.0
        if score and src.suffix in cls.extensions:
            score += 0.05
        return min(score, 0.7)

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        try:
            draft = _read(src, ctx)
            first_line = 1
            result = ctx.build(
                lambda: draft.build(
                    ctx, default_channel=self.channel, infer=self.infer_roles, line=first_line
                ),
                line=first_line,
            )
        except TranscriptError as exc:
            yield ctx.failure(exc.reason, str(exc), line=exc.line)
            return
        yield result


def render(interactions: Interaction | Iterable[Interaction]) -> str:
    """Write one call as a plain-text transcript that :class:`PlainTextParser` reads back.

    The header carries the id, channel, ``started_at`` and the other scalar
    fields, and ``meta`` values that are strings or numbers (as strings); each
    turn is ``[start - end] Label: text`` (offsets at millisecond precision, or
    ``[date-time]`` for a turn with only ``at``). Labels are written so they read
    back to the same role and speaker, with nothing left to guess: ``Dana (Agent)``,
    ``Customer``, ``Dana (Unknown)`` or ``Unknown``. Extra lines of a multi-line turn become
    continuation lines (blank ones are dropped); a continuation line that
    itself looks like ``Label: text`` would read back as a new turn.

    Raises:
        ConfigError: given more or fewer than one interaction.
    """
    call = single_interaction(interactions, "plain_text")
    out = [*header_lines(call, prefix="# "), ""]
    for turn in call.turns:
        stamp = ""
        if turn.start_s is not None:
            stamp = format_offset(turn.start_s)
            if turn.end_s is not None:
                stamp += " - " + format_offset(turn.end_s)
            stamp = f"[{stamp}] "
        elif turn.at is not None:
            stamp = f"[{turn.at.isoformat()}] "
        lines = turn.text.split("\n")
        out.append(f"{stamp}{render_label(turn.role, turn.speaker)}: {lines[0].strip()}".rstrip())
        out.extend(line.strip() for line in lines[1:] if line.strip())
    return "\n".join(out) + "\n"

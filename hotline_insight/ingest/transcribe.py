"""Amazon Transcribe standard batch job output (one JSON document per job).

The document looks like::

    {"jobName": "...", "accountId": "...", "status": "COMPLETED",
     "results": {"transcripts": [{"transcript": "..."}],
                 "speaker_labels": {"speakers": 2, "segments": [...]},
                 "items": [{"start_time": "0.54", "end_time": "0.91", "speaker_label": "spk_0",
                            "type": "pronunciation",
                            "alternatives": [{"confidence": "0.998", "content": "Thank"}]}, ...]}}

How it maps:

* ``id`` is ``jobName``; ``channel`` is ``"call"``; ``created_at`` stays None
  (the job document carries no time of the call).
* Turns are built from ``results.items``: consecutive words with the same
  speaker form one turn. Punctuation items have no times and attach to the
  previous word without a space. Times are seconds from the start of the
  audio (``start_s``/``end_s``); each turn keeps the mean word confidence in
  ``turn.meta["confidence"]``.
* The speaker of a word is its ``speaker_label`` (diarization), else the
  label of the ``results.speaker_labels.segments`` item with the same start
  time (or the segment whose time range holds the word), else its
  ``channel_label`` (channel identification: ``ch_0``, ``ch_1``), else the
  ``results.channel_labels.channels`` item with the same start time.
* Without any labels the transcript is split into one turn per sentence
  (a turn ends after ``.``, ``?`` or ``!``) with role ``unknown``. Without
  ``items`` at all, the whole ``results.transcripts[0].transcript`` is one
  turn without times.
* Which label is the agent is not stated. ``agent=``/``customer=`` options
  decide first (``agent="spk_0"`` or ``agent="ch_1"``); in a two-party call
  naming one side names the other. Otherwise a greeting heuristic: the one
  speaker whose first turn has a phrase agents open with ("thank you for
  calling" but not "thanks for calling me back", "how can I help",
  "you've reached", "welcome to") is the agent;
  failing that, the speaker of the call's first turn is the agent when it
  introduces itself ("this is Dana", "my name is Dana"). With two speakers
  the other is the customer; with more, the others stay ``unknown``.
  ``meta["role_assignment"]`` says which rule applied: ``"option"``,
  ``"greeting_heuristic"`` or ``"none"``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParseFailureReason
from ..records import Interaction, Role, Turn
from ._amazon import get_dict, get_list, get_number, get_str, load_document, mean
from ._base import FieldError, ParseContext, Parser, ParserResult, register
from ._roles import AGENT_GREETING, SELF_INTRODUCTION
from ._source import SourceFile

__all__ = ["TranscribeParser", "assign_roles"]

_SENTENCE_END = re.compile(r"[.?!…。？！]$")


@dataclass
class _Word:
    text: str
    start: float | None
    end: float | None
    label: str | None
    confidence: list[float] = field(default_factory=list)


def assign_roles(
    first_turns: Mapping[str, str], first_label: str | None, ctx: ParseContext
) -> tuple[dict[str, Role], str]:
    """Roles for unnamed speaker labels, and the rule that decided them.

    Args:
        first_turns: each label's first turn text, in order of first appearance.
        first_label: the label of the call's first turn.
        ctx: the parse context (its ``agent``/``customer`` options win).

    Returns:
        ``({label: role}, rule)`` with rule ``"option"``,
        ``"greeting_heuristic"`` or ``"none"``.

    Examples:
        >>> from hotline_insight.ingest import ParseContext, ParseOptions, SourceFile
        >>> ctx = ParseContext(SourceFile(data=b"{}", name="job.json"), ParseOptions(), "transcribe")
        >>> assign_roles({"spk_0": "Hi, is this billing?", "spk_1": "Thanks for calling Acme."}, "spk_0", ctx)
        ({'spk_0': 'customer', 'spk_1': 'agent'}, 'greeting_heuristic')
    """
    labels = list(first_turns)
    roles: dict[str, Role] = {label: ctx.role(label) for label in labels}
    if any(role != "unknown" for role in roles.values()):
        rule = "option"
    else:
        greeters = [label for label, text in first_turns.items() if AGENT_GREETING.search(text)]
        if len(greeters) == 1:
            roles[greeters[0]] = "agent"
            rule = "greeting_heuristic"
        elif not greeters and first_label is not None and SELF_INTRODUCTION.search(first_turns[first_label]):
            roles[first_label] = "agent"
            rule = "greeting_heuristic"
        else:
            return roles, "none"
    unknown = [label for label, role in roles.items() if role == "unknown"]
    if len(labels) == 2 and len(unknown) == 1:
        other = next(role for role in roles.values() if role != "unknown")
        if other in ("agent", "customer"):
            roles[unknown[0]] = "customer" if other == "agent" else "agent"
    return roles, rule


class _LabelIndex:
    """Finds the label of a word that does not carry one, by its start time."""

    def __init__(self, results: Mapping[str, Any]) -> None:
        self.by_start: dict[float, str] = {}
        self.ranges: list[tuple[float, float, str]] = []
        self.source = "none"
        speakers = get_dict(results, "speaker_labels", "results.speaker_labels")
        for i, seg in enumerate(get_list(speakers, "segments", "results.speaker_labels.segments")):
            where = f"results.speaker_labels.segments[{i}]"
            if not isinstance(seg, Mapping):
                raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
            label = get_str(seg, "speaker_label", f"{where}.speaker_label")
            start = get_number(seg, "start_time", f"{where}.start_time")
            end = get_number(seg, "end_time", f"{where}.end_time")
            if label and start is not None and end is not None:
                self.ranges.append((start, end, label))
            for j, item in enumerate(get_list(seg, "items", f"{where}.items")):
                if isinstance(item, Mapping):
                    at = get_number(item, "start_time", f"{where}.items[{j}].start_time")
                    own = get_str(item, "speaker_label", f"{where}.items[{j}].speaker_label") or label
                    if at is not None and own:
                        self.by_start[at] = own
        if self.by_start or self.ranges:
            self.source = "speaker_labels"
        channels = get_dict(results, "channel_labels", "results.channel_labels")
        for i, chan in enumerate(get_list(channels, "channels", "results.channel_labels.channels")):
            where = f"results.channel_labels.channels[{i}]"
            if not isinstance(chan, Mapping):
                raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
            label = get_str(chan, "channel_label", f"{where}.channel_label")
            for j, item in enumerate(get_list(chan, "items", f"{where}.items")):
                if isinstance(item, Mapping) and label:
                    at = get_number(item, "start_time", f"{where}.items[{j}].start_time")
                    if at is not None:
                        self.by_start.setdefault(at, label)
                        if self.source == "none":
                            self.source = "channel_labels"
        self.ranges.sort()
        self._starts = [r[0] for r in self.ranges]

    def label(self, item: Mapping[str, Any], start: float | None, where: str) -> str | None:
        own = get_str(item, "speaker_label", f"{where}.speaker_label")
        if own:
            return own
        if start is not None:
            if start in self.by_start:
                return self.by_start[start]
            i = bisect.bisect_right(self._starts, start) - 1
            if i >= 0 and self.ranges[i][0] <= start <= self.ranges[i][1]:
                return self.ranges[i][2]
        return get_str(item, "channel_label", f"{where}.channel_label")


def _words(results: Mapping[str, Any]) -> tuple[list[_Word], str]:
    """The words of ``results.items`` with punctuation attached, and where labels came from."""
    index = _LabelIndex(results)
    words: list[_Word] = []
    source = index.source
    for i, item in enumerate(get_list(results, "items", "results.items")):
        where = f"results.items[{i}]"
        if not isinstance(item, Mapping):
            raise FieldError(ParseFailureReason.INVALID_VALUE, f"field {where!r} must be an object")
        alternatives = get_list(item, "alternatives", f"{where}.alternatives", required=True)
        if not alternatives or not isinstance(alternatives[0], Mapping):
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"field '{where}.alternatives' has no alternative"
            )
        best = alternatives[0]
        content = get_str(best, "content", f"{where}.alternatives[0].content") or ""
        confidence = get_number(best, "confidence", f"{where}.alternatives[0].confidence")
        if best.get("redactions"):
            confidence = None  # a redacted word's confidence (0.0) says nothing about the recognition
        kind = get_str(item, "type", f"{where}.type")
        if kind == "punctuation":
            if words:
                words[-1].text += content
            else:
                words.append(_Word(content, None, None, None))
            continue
        if kind not in (None, "pronunciation"):
            raise FieldError(
                ParseFailureReason.INVALID_VALUE,
                f"field '{where}.type' must be 'pronunciation' or 'punctuation'",
            )
        start = get_number(item, "start_time", f"{where}.start_time")
        end = get_number(item, "end_time", f"{where}.end_time")
        label = index.label(item, start, where)
        if label is not None and source == "none":
            source = "channel_labels" if label.startswith("ch_") else "speaker_labels"
        if label is None and words:
            label = words[-1].label  # an unlabelled word stays with its neighbour
        words.append(_Word(content, start, end, label, [confidence] if confidence is not None else []))
    if words and words[0].label is None:
        first = next((w.label for w in words if w.label is not None), None)
        for word in words:
            if word.label is not None:
                break
            word.label = first
    return words, source


def _group(words: list[_Word], by_sentence: bool) -> list[list[_Word]]:
    groups: list[list[_Word]] = []
    for word in words:
        if not groups or (
            _SENTENCE_END.search(groups[-1][-1].text) if by_sentence else word.label != groups[-1][-1].label
        ):
            groups.append([])
        groups[-1].append(word)
    return groups


@register
class TranscribeParser(Parser):
    """Amazon Transcribe standard batch job JSON (``jobName`` + ``results``).

    Examples:
        >>> import json, hotline_insight as hi
        >>> word = lambda w, t, s: {"type": "pronunciation", "start_time": t, "end_time": t, "speaker_label": s,
        ...                         "alternatives": [{"confidence": "0.99", "content": w}]}
        >>> dot = {"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]}
        >>> job = {"jobName": "call-1", "results": {"items": [
        ...     word("Hello", "0.5", "spk_0"), dot, word("Hi", "1.5", "spk_1"), dot]}}
        >>> src = hi.SourceFile(data=json.dumps(job).encode(), name="call-1.json")
        >>> call = hi.read(src, format="transcribe", agent="spk_1")[0]
        >>> [(t.role, t.text, t.start_s) for t in call.turns]
        [('customer', 'Hello.', 0.5), ('agent', 'Hi.', 1.5)]
    """

    name = "transcribe"
    family = "transcribe"
    label = "Amazon Transcribe (batch job JSON)"
    channel = "call"
    extensions = (".json",)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        if not head.lstrip().startswith("{") or '"results"' not in head:
            return 0.0
        if '"jobName"' in head:
            return 0.9
        if '"transcripts"' in head and ('"items"' in head or '"speaker_labels"' in head):
            return 0.6
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        doc = load_document(src, ctx)
        if not isinstance(doc, dict):
            yield doc
            return
        yield ctx.build(lambda: self._interaction(doc, ctx), line=1)

    def _interaction(self, doc: Mapping[str, Any], ctx: ParseContext) -> Interaction:
        job = get_str(doc, "jobName", "jobName", required=True)
        assert job is not None
        if doc.get("results") is None:
            raise FieldError(ParseFailureReason.MISSING_FIELD, "required field 'results' is missing")
        results = get_dict(doc, "results", "results")
        words, source = _words(results)
        meta: dict[str, Any] = {}
        for key, name in (("accountId", "account_id"), ("status", "job_status")):
            if doc.get(key) is not None:
                meta[name] = doc[key]
        speakers = get_dict(results, "speaker_labels", "results.speaker_labels").get("speakers")
        if speakers is not None:
            meta["n_speakers"] = speakers
        turns: list[Turn] = []
        if words:
            labelled = any(w.label is not None for w in words)
            groups = _group(words, by_sentence=not labelled)
            first_turns: dict[str, str] = {}
            for group in groups:
                label = group[0].label
                if label is not None and label not in first_turns:
                    first_turns[label] = " ".join(w.text for w in group)
            roles, rule = assign_roles(first_turns, groups[0][0].label, ctx) if labelled else ({}, "none")
            for group in groups:
                label = group[0].label
                starts = [w.start for w in group if w.start is not None]
                ends = [w.end for w in group if w.end is not None]
                confidence = mean([c for w in group for c in w.confidence])
                turns.append(
                    Turn(
                        position=len(turns),
                        role=roles.get(label, "unknown") if label is not None else "unknown",
                        speaker=label,
                        text=" ".join(w.text for w in group),
                        start_s=min(starts) if starts else None,
                        end_s=max(ends) if ends else None,
                        meta={"confidence": confidence} if confidence is not None else {},
                    )
                )
            meta["label_source"] = source if labelled else "none"
            meta["role_assignment"] = rule
        else:
            transcripts = get_list(results, "transcripts", "results.transcripts")
            text = " ".join(
                get_str(t, "transcript", f"results.transcripts[{i}].transcript") or ""
                for i, t in enumerate(transcripts)
                if isinstance(t, Mapping)
            ).strip()
            if text:
                turns.append(Turn(position=0, role="unknown", text=text))
            meta["label_source"] = "none"
            meta["role_assignment"] = "none"
        return Interaction(
            id=job,
            source=ctx.ref(line=1),
            channel=ctx.channel("call"),
            language=get_str(results, "language_code", "results.language_code"),
            turns=tuple(turns),
            meta=meta,
        )

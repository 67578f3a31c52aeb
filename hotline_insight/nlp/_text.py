"""Small text helpers shared by the boilerplate, complaint and intensity components.

Nothing here is public. The helpers work per sentence or per match, never per
character, so they stay cheap next to spaCy's own tokeniser:

* :func:`token_starts` / :func:`char_to_token`: map character offsets to token
  indices with one ``Doc.to_array`` call and ``numpy.searchsorted``.
* :func:`sentence_bounds`: sentence token ranges, the whole doc when no
  sentence boundaries are set.
* :func:`iter_units`: the "units" the components score: sentences, cut at
  paragraph breaks (a blank line) and around excluded spans (boilerplate),
  with surrounding whitespace tokens trimmed.
* :func:`word_forms`: the inflected forms of a lemma, so a lemma lexicon can be
  matched on ``LOWER`` whether or not a lemmatizer ran.
* :func:`is_negated`: whether a cue is in the scope of a preceding negator
  ("not a problem", "nothing wrong", "not unhappy").
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._extensions import doc_text

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from spacy.tokens import Doc, Span

__all__ = [
    "NEGATORS",
    "LowerView",
    "PhraseIndex",
    "char_to_token",
    "first_words",
    "is_negated",
    "iter_units",
    "json_dumps",
    "paragraph_break_tokens",
    "rewrite_pattern",
    "sentence_bounds",
    "token_starts",
    "word_forms",
    "write_json",
]

_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")

NEGATORS = frozenset(
    {
        "not", "n't", "no", "never", "nothing", "nobody", "none", "neither", "nor",
        "without", "hardly", "barely", "isnt", "dont", "doesnt", "didnt", "wasnt",
        "arent", "werent", "cant", "wont", "cannot", "aint", "havent", "hasnt", "nt",
    }
)  # fmt: skip
"""Lower-cased tokens that open a negation scope."""

# Tokens that may stand between a negator and the word it negates:
# "not a problem", "not very good", "isn't really fair", "never been happy".
_NEGATION_SKIP = frozenset(
    {
        "a", "an", "the", "very", "really", "so", "too", "that", "at", "all", "any",
        "quite", "particularly", "overly", "exactly", "entirely", "completely",
        "totally", "being", "be", "been", "is", "was", "are", "were", "'s", "'re",
        "feel", "felt", "feeling", "seem", "seems", "seemed", "look", "looks", "sound",
        "sounds", "get", "got", "getting", "even", "remotely", "am", "'m", "have",
        "has", "had", "bit", "much", "more", "such", "one", "single",
    }
)  # fmt: skip
# After "never", these turn a negation into emphasis: "never been so angry".
_NEVER_EMPHASIS = frozenset({"so", "more", "such", "this"})


def json_dumps(data: Any) -> bytes:
    """JSON for component data: exact floats (the standard library, not ujson), sorted keys."""
    import json

    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


def write_json(path: Path, data: Any) -> None:
    """Write :func:`json_dumps` output to ``path``."""
    path.write_bytes(json_dumps(data))


def token_starts(doc: Doc) -> NDArray[np.int64]:
    """The character offset of every token, as an int64 array."""
    if len(doc) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(doc.to_array("IDX"), dtype=np.int64).reshape(-1)


def char_to_token(starts: NDArray[np.int64], char: int) -> int:
    """Index of the token that contains (or starts after) character ``char``."""
    return max(int(np.searchsorted(starts, char, side="right")) - 1, 0)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the doc's sentences; the whole doc when none are set."""
    n = len(doc)
    if n == 0:
        return []
    if not doc.has_annotation("SENT_START"):
        return [(0, n)]
    # one column read instead of ``doc.sents``, which makes a Token per word
    starts = np.flatnonzero(doc.to_array("SENT_START").astype(np.int64) == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return list(zip(starts, [*starts[1:], n], strict=True))


def paragraph_break_tokens(
    doc: Doc, starts: NDArray[np.int64] | None = None, *, text: str | None = None
) -> list[int]:
    """Indices of whitespace tokens that hold a blank line (two or more newlines)."""
    if text is None:
        text = doc_text(doc)
    if "\n" not in text:
        return []
    if starts is None:
        starts = token_starts(doc)
    out: list[int] = []
    for m in _PARA_BREAK.finditer(text):
        i = char_to_token(starts, m.start())
        # the break may start inside the previous token's trailing whitespace
        for j in (i, i + 1):
            if j < len(doc) and doc[j].is_space and doc[j].text.count("\n") >= 1:
                if not out or out[-1] != j:
                    out.append(j)
                break
    return out


def iter_units(
    doc: Doc,
    exclude: Iterable[Span] = (),
    *,
    starts: NDArray[np.int64] | None = None,
    text: str | None = None,
) -> list[tuple[int, int]]:
    """Sentence pieces to score: sentences cut at blank lines and around ``exclude``.

    Args:
        doc: The doc.
        exclude: Spans whose tokens belong to no unit (boilerplate).
        starts: Token start offsets, if already computed.
        text: ``doc.text``, if already at hand (``Doc.text`` is rebuilt on
            every access).

    Returns:
        ``(start, end)`` token ranges in document order, trimmed of whitespace
        tokens, never empty.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("sentencizer")
        >>> doc = nlp("Hi,\\n\\nMy bill is wrong. Fix it.")
        >>> [doc[s:e].text for s, e in iter_units(doc)]
        ['Hi,', 'My bill is wrong.', 'Fix it.']
    """
    if len(doc) == 0:
        return []
    blocked = sorted((sp.start, sp.end) for sp in exclude)
    cuts = paragraph_break_tokens(doc, starts, text=text)
    if cuts:
        blocked = sorted([*blocked, *((i, i + 1) for i in cuts)])
    out: list[tuple[int, int]] = []
    k = 0
    for s, e in sentence_bounds(doc):
        while k < len(blocked) and blocked[k][1] <= s:
            k += 1
        pos = s
        j = k
        while j < len(blocked) and blocked[j][0] < e:
            bs, be = blocked[j]
            if bs > pos:
                _append_trimmed(doc, pos, bs, out)
            pos = max(pos, be)
            j += 1
        if pos < e:
            _append_trimmed(doc, pos, e, out)
    return out


def _append_trimmed(doc: Doc, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start < end:
        out.append((start, end))


_VOWELS = set("aeiou")


def word_forms(lemma: str) -> set[str]:
    """The lemma and its regular inflections (plural, past, -ing, comparative).

    Over-generation is harmless for lexicon matching ("terribles"), so the rules
    are simple. Multi-word entries are returned unchanged.

    Examples:
        >>> sorted(word_forms("refund"))
        ['refund', 'refunded', 'refunding', 'refunds']
        >>> sorted(word_forms("cancel"))
        ['cancel', 'canceled', 'canceling', 'cancelled', 'canceller', 'cancelling', 'cancels']
    """
    w = lemma.lower()
    if not w or " " in w or not w.isalpha():
        return {w}
    forms = {w}
    if w.endswith("ie"):
        forms |= {w + "s", w + "d", w[:-2] + "ying"}
    elif w.endswith("e"):
        forms |= {w + "s", w + "d", w[:-1] + "ing", w + "r", w + "st"}
    elif w.endswith("y") and len(w) > 2 and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing", w[:-1] + "ier", w[:-1] + "iest"}
    elif w.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {w + "es", w + "ed", w + "ing"}
    else:
        forms |= {w + "s", w + "ed", w + "ing"}
        # doubled final consonant: drop -> dropped, cancel -> cancelled
        if (
            len(w) >= 3
            and w[-1] not in _VOWELS | {"w", "x", "y"}
            and w[-2] in _VOWELS
            and w[-3] not in _VOWELS
        ):
            forms |= {w + w[-1] + "ed", w + w[-1] + "ing", w + w[-1] + "er"}
    if w.endswith("ed") or w.endswith("ing") or w.endswith("ful"):
        return {w}  # adjectives given as such: "frustrated", "annoying", "shameful"
    return forms


class LowerView(Sequence[str]):
    """``doc[i].lower_`` on demand, so a negation look-back touches only a few tokens."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc

    def __len__(self) -> int:
        return len(self._doc)

    def __getitem__(self, i: Any) -> Any:
        return self._doc[i].lower_


def is_negated(lowers: Sequence[str], i: int, lower_bound: int = 0) -> bool:
    """Whether the word at ``lowers[i]`` is negated by a word before it.

    Looks back over at most four tokens, skipping articles, degree adverbs and
    copulas ("not a problem", "isn't really fair", "never been happy"); stops
    at the first other word, so "can't believe how bad" is not negated. After
    "never", "so"/"more"/"such" make it emphasis ("never been so angry").

    Examples:
        >>> is_negated(["not", "a", "problem"], 2)
        True
        >>> is_negated(["can", "n't", "believe", "how", "bad"], 4)
        False
        >>> is_negated(["never", "been", "so", "angry"], 3)
        False
    """
    skipped: list[str] = []
    j = i - 1
    while j >= lower_bound and i - j <= 4:
        w = lowers[j]
        if w in NEGATORS:
            return not (w == "never" and any(s in _NEVER_EMPHASIS for s in skipped))
        if w not in _NEGATION_SKIP:
            return False
        skipped.append(w)
        j -= 1
    return False


def rewrite_pattern(pattern: str, *, space: str | None = None, apostrophe: str | None = None) -> str:
    """Replace literal spaces and apostrophes in a regular expression.

    Characters inside ``[...]`` classes and escaped characters are left alone,
    so ``[\\w'-]`` keeps its apostrophe.

    Examples:
        >>> print(rewrite_pattern("can't stop", space="_", apostrophe="'?"))
        can'?t_stop
        >>> print(rewrite_pattern("[a' ]b", space="_", apostrophe="'?"))
        [a' ]b
    """
    out: list[str] = []
    in_class = False
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " " and space is not None:
            out.append(space)
        elif ch == "'" and apostrophe is not None:
            out.append(apostrophe)
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------------------
# First-word dispatch for phrase regexes
# ---------------------------------------------------------------------------

# The regular-expression parser of the standard library (``re._parser``, the
# former ``sre_parse``): private, but stable since Python 3.11 and the only way
# to read a pattern's structure.
_SRE_PARSER: Any = importlib.import_module("re._parser")
_SRE_CONSTANTS: Any = importlib.import_module("re._constants")

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_'")
_MAX_FIRST_WORDS = 4000


class _Unbounded(Exception):
    """The pattern's first word can't be enumerated."""


def _step(states: set[tuple[str, bool]], chars: Iterable[str]) -> set[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for ch in chars:
        for s, done in states:
            if done:
                out.add((s, True))
            elif ch in _WORD_CHARS:
                out.add((s + ch, False))
            else:
                out.add((s, True))
    return out


def _class_chars(items: Any) -> list[str] | None:
    """Characters of a ``[...]`` class, "" for non-word categories; None if word characters are possible."""
    C = _SRE_CONSTANTS

    chars: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av).lower())
        elif op is C.CATEGORY and av in (C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD):
            chars.append(" ")
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo > 40:
                return None
            chars.extend(chr(c).lower() for c in range(lo, hi + 1))
        else:
            return None
    return chars


def _expand(seq: Any, states: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
    C = _SRE_CONSTANTS

    for op, av in seq:
        if all(done for _, done in states):
            return states
        if op is C.LITERAL:
            states = _step(states, chr(av).lower())
        elif op is C.SUBPATTERN:
            states = _expand(av[-1], states)
        elif op is C.ATOMIC_GROUP:
            states = _expand(av, states)
        elif op is C.BRANCH:
            merged: set[tuple[str, bool]] = set()
            for branch in av[1]:
                merged |= _expand(branch, states)
            states = merged
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if hi > 4:
                # only bounded when one repetition already ends the first word
                once = _expand(sub, states)
                if not all(done for _, done in once):
                    raise _Unbounded
                states = once if lo >= 1 else states | once
            else:
                cur = states
                for _ in range(lo):
                    cur = _expand(sub, cur)
                acc = set(cur)
                for _ in range(hi - lo):
                    cur = _expand(sub, cur)
                    acc |= cur
                states = acc
        elif op is C.IN:
            chars = _class_chars(av)
            if chars is None:
                raise _Unbounded
            states = _step(states, chars)
        elif op is C.NOT_LITERAL:
            raise _Unbounded
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            raise _Unbounded
        if len(states) > _MAX_FIRST_WORDS:
            raise _Unbounded
    return states


def first_words(pattern: str) -> frozenset[str] | None:
    """The lower-cased words a match of ``pattern`` can start with, or None if unbounded.

    Examples:
        >>> sorted(first_words(r"(?:does|did)(?:n't| not) work"))
        ['did', "didn't", 'does', "doesn't"]
        >>> first_words(r"(?:\\w+ )?times in a row") is None
        True
    """
    try:
        states = _expand(_SRE_PARSER.parse(pattern).data, {("", False)})
    except (_Unbounded, re.error, RecursionError):
        return None
    words = frozenset(s for s, _ in states)
    if "" in words:
        return None
    return words


def _sre_ops(seq: Any) -> Iterator[tuple[Any, Any]]:
    """Every ``(op, av)`` of a parsed pattern, at every depth (groups, branches, repeats, lookarounds)."""
    for op, av in seq:
        yield op, av
        for item in av if isinstance(av, (tuple, list)) else (av,):
            for sub in item if isinstance(item, (tuple, list)) else (item,):
                if isinstance(sub, _SRE_PARSER.SubPattern):
                    yield from _sre_ops(sub.data)


@functools.lru_cache(maxsize=4096)
def _has_group_ref(pattern: str) -> bool:
    """Whether ``pattern`` refers to a group by number or name (it can't be joined with others)."""
    C = _SRE_CONSTANTS
    refs = (C.GROUPREF, C.GROUPREF_IGNORE, C.GROUPREF_EXISTS, C.GROUPREF_LOC_IGNORE, C.GROUPREF_UNI_IGNORE)
    try:
        return any(op in refs for op, _ in _sre_ops(_SRE_PARSER.parse(pattern).data))
    except re.error:
        return True


@functools.lru_cache(maxsize=4096)
def _lower_ascii_only(pattern: str) -> bool:
    """Whether no character ``pattern`` names is an upper-case ASCII letter or a case variant of one.

    Such a pattern matches lower-case ASCII text the same with and without
    IGNORECASE: IGNORECASE lets ``a`` match ``A`` (not in such a text) and lets
    ``s`` match the long s and ``k`` the Kelvin sign (not ASCII); characters
    outside ASCII that are no case variant of an ASCII letter (``’``, ``–``)
    match no ASCII character either way.
    """
    C = _SRE_CONSTANTS

    def ok(code: int) -> bool:
        if code < 128:
            return not (65 <= code <= 90)
        ch = chr(code)
        return not any(c.isascii() for c in ch.lower() + ch.upper() + ch.casefold())

    def fine(op: Any, av: Any) -> bool:
        if op in (C.LITERAL, C.NOT_LITERAL):
            return ok(av)
        if op is C.IN:
            for item_op, item in av:
                if item_op in (C.LITERAL, C.NOT_LITERAL) and not ok(item):
                    return False
                if item_op is C.RANGE and (item[1] >= 128 or (item[0] <= 90 and item[1] >= 65)):
                    return False
        return True

    try:
        return all(fine(op, av) for op, av in _sre_ops(_SRE_PARSER.parse(pattern).data))
    except re.error:
        return False


def _required_literals(seq: Any) -> set[str] | None:
    """Literal strings one of which every match of the parsed sequence contains, or None."""
    C = _SRE_CONSTANTS

    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in seq:
        if op is C.LITERAL:
            run.append(chr(av).lower())
            continue
        flush()
        req: set[str] | None = None
        if op is C.SUBPATTERN:
            req = _required_literals(av[-1])
        elif op is C.BRANCH:
            req = set()
            for branch in av[1]:
                sub = _required_literals(branch)
                if not sub:
                    req = None
                    break
                req |= sub
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            req = _required_literals(av[2])
        if req:
            candidates.append(req)
    flush()
    best: set[str] | None = None
    for cand in candidates:
        if best is None or (min(map(len, cand)), -len(cand)) > (min(map(len, best)), -len(best)):
            best = cand
    return best


def word_trie_pattern(words: Iterable[str], gates: Mapping[str, str] | None = None) -> str:
    """A regular expression matching exactly ``words``, as a trie of alternations.

    Python's ``re`` tries the branches of ``a|b|c`` one after another; nesting
    them by shared prefix means each position costs a few character tests
    instead of one test per word.

    With ``gates`` (a case-insensitive pattern for every word), a word matches
    only as a whole word (no ``[\\w']`` character after it) and only where its
    gate matches from the word's first character.

    Examples:
        >>> print(word_trie_pattern(["cancel", "can", "charge"]))
        c(?:an(?:cel)?|harge)
        >>> bool(re.fullmatch(word_trie_pattern(["cancel", "can", "charge"]), "cancel"))
        True
        >>> rx = re.compile(word_trie_pattern(["can", "cancel"], {"can": "can't", "cancel": "cancel it"}))
        >>> [m.group() for m in rx.finditer("cancel that, cancel it, can't")]
        ['cancel']
    """
    trie: dict[str, Any] = {}
    for word in sorted(set(words)):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def end(word: str) -> str:
        assert gates is not None
        # the lookbehind steps back to the word's start, where the lookahead tries the gate
        return rf"(?![\w'])(?<=(?=(?i:{gates[word]}))[\s\S]{{{len(word)}}})"

    def render(node: dict[str, Any], prefix: str = "") -> str:
        ends = "" in node
        if gates is not None:
            options = [re.escape(ch) + render(node[ch], prefix + ch) for ch in sorted(k for k in node if k)]
            if ends:
                options.append(end(prefix))
            return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
        branches = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            # follow a chain of single children
            run = re.escape(ch)
            while len(child) == 1 and "" not in child:
                (nxt,) = child
                run += re.escape(nxt)
                child = child[nxt]
            rest = render(child) if set(child) != {""} else ""
            branches.append(run + rest)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "|".join(branches)
        if ends:
            return f"(?:{body})?"
        return body if len(branches) == 1 else f"(?:{body})"

    return render(trie)


@functools.lru_cache(maxsize=16)
def _compile_scan(pattern: str) -> re.Pattern[str]:
    """A gated scan, compiled once per process (each pipeline built has the same ones)."""
    return re.compile(pattern)


def _lower(text: str) -> str:
    """The text :class:`PhraseIndex` scans: lower case, unless that changes its length."""
    low = text.lower()
    # rare characters whose lower case is longer: match case-insensitively as is
    return low if len(low) == len(text) else text


class PhraseIndex:
    """Labelled regular expressions, tried only where a text word can start a match.

    Each pattern is compiled with a trailing word boundary and indexed by the
    words its matches can start with (:func:`first_words`); at each word of a
    text only the patterns indexed under that word are tried, so the cost is
    one dict lookup per word instead of every alternative at every position.
    Patterns whose first word can't be enumerated (a leading ``\\w+``) are run
    over the whole text. Matches may overlap (two patterns, or one pattern at
    two words); each ``(label, start)`` is reported once.

    Args:
        entries: ``(label, pattern)`` pairs; patterns are matched
            case-insensitively.
        group: Join the patterns that share a first word and a label into
            one alternation (fewer match calls; a label then reports the
            first alternative that matches at a word, not the longest).
        gate: Scan for start words where one of their patterns matches,
            case-sensitively on ASCII text where that is the same (faster);
            False scans for every start word and tries its patterns there,
            always ignoring case. The matches are the same.

    Examples:
        >>> idx = PhraseIndex([("p", r"keeps? (?:dropping|crashing)"), ("q", r"again")])
        >>> idx.find("It keeps dropping again and again")
        [(3, 17, 'p'), (18, 23, 'q'), (28, 33, 'q')]
    """

    def __init__(self, entries: Iterable[tuple[str, str]], *, group: bool = True, gate: bool = True) -> None:
        self.entries = tuple(entries)
        self.group = group
        grouped: dict[str, dict[str, list[str]]] = {}
        self.anywhere: list[tuple[str, re.Pattern[str], tuple[str, ...], re.Pattern[str]]] = []
        for label, pattern in self.entries:
            words = first_words(pattern)
            if words is None:
                try:
                    lits = _required_literals(_SRE_PARSER.parse(pattern).data) or set()
                except re.error:
                    lits = set()
                source = rf"(?<![\w'])(?:{pattern})(?![\w'])"
                rx = re.compile(source, re.IGNORECASE)
                # on lower-cased ASCII text, the same without IGNORECASE (see _lower_ascii_only)
                twin = re.compile(source) if gate and _lower_ascii_only(source) else rx
                # gate: a match needs one of these substrings (none known: always run)
                self.anywhere.append((label, rx, tuple(sorted(lits)), twin))
                continue
            for w in words:
                grouped.setdefault(w, {}).setdefault(label, []).append(pattern)
        # one alternation per (first word, label): fewer match calls than one per pattern
        cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        self.by_word: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for w, by_label in grouped.items():
            entry = []
            for label, pats in by_label.items():
                for key in [tuple(pats)] if group else [(p,) for p in pats]:
                    if key not in cache:
                        body = "|".join(f"(?:{p})" for p in key)
                        cache[key] = re.compile(rf"(?:{body})(?![\w'])", re.IGNORECASE)
                    entry.append((label, cache[key]))
            self.by_word[w] = entry
        # where a word starts several labels' patterns, one match call first tells whether any can match
        self._any: dict[str, re.Pattern[str]] = {
            w: re.compile("|".join(f"(?:{rx.pattern})" for _, rx in entry), re.IGNORECASE)
            for w, entry in self.by_word.items()
            if len(entry) > 1
        }
        # the text words that start some pattern, found by one scan in C
        self._starts = (
            re.compile(rf"(?<![\w'])(?:{word_trie_pattern(self.by_word)})(?![\w'])") if self.by_word else None
        )
        # Faster: a scan that stops only at start words where one of their patterns matches, so
        # the many start words with no match ("the", "i") cost no Python at all. Each word's
        # union is tried from the word's start by a lookahead inside a fixed-width lookbehind.
        # Patterns with group references can't be joined safely: those keep the plain scan.
        # The gated scans are large: each is compiled on first use (and once per process).
        self._unions: dict[str, str] | None = None
        self._scans: dict[bool, re.Pattern[str] | None] = {}  # ASCII text? -> its gated scan
        self._distinct = {rx.pattern for entry in self.by_word.values() for _, rx in entry}
        if gate and self._distinct and not any(_has_group_ref(pattern) for pattern in self._distinct):
            self._unions = {
                w: union.pattern if (union := self._any.get(w)) is not None else entry[0][1].pattern
                for w, entry in self.by_word.items()
            }

    @property
    def _gated(self) -> bool:
        return self._unions is not None

    def _gated_scan(self, ascii_text: bool) -> re.Pattern[str]:
        """The gated scan for lower-cased ASCII text, or for any text: a separator, then a start word."""
        unions = self._unions
        assert unions is not None
        scans = self._scans
        if ascii_text:
            if True not in scans:
                # On lower-cased ASCII text, patterns that name no upper-case letter (nor a case
                # variant of one) match the same without IGNORECASE, which ``re`` runs much faster.
                scans[True] = None
                if all(_lower_ascii_only(pattern) for pattern in self._distinct):
                    gates = {w: f"(?-i:{pattern})" for w, pattern in unions.items()}
                    scans[True] = _compile_scan(rf"[^\w'](?:{word_trie_pattern(self.by_word, gates)})")
            scan = scans[True]
            if scan is not None:
                return scan
        if False not in scans:
            scans[False] = _compile_scan(rf"[^\w'](?:{word_trie_pattern(self.by_word, unions)})")
        scan = scans[False]
        assert scan is not None
        return scan

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` of every match, sorted; ``text`` should use ``'`` apostrophes.

        With ``start`` and ``end``, only the matches inside ``text[start:end]``:
        exactly those of the whole text that begin at or after ``start`` and
        end at or before ``end`` (the text around the range still decides
        word boundaries), found without scanning the rest of the text.

        Examples:
            >>> idx = PhraseIndex([("q", r"again")])
            >>> idx.find("again and again", 1), idx.find("again and again", 0, 12)
            ([(10, 15, 'q')], [(0, 5, 'q')])
        """
        return self._find(_lower(text), start, len(text) if end is None else end)

    def find_ranges(self, text: str, ranges: Sequence[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
        """:meth:`find` for each ``(start, end)`` range of one text, with one scan for them all.

        Examples:
            >>> idx = PhraseIndex([("q", r"again")])
            >>> idx.find_ranges("again and again", [(0, 12), (1, 15)])
            [[(0, 5, 'q')], [(10, 15, 'q')]]
        """
        if len(ranges) < 2:
            return [self.find(text, s, e) for s, e in ranges]
        found = self._find(_lower(text), min(s for s, _ in ranges), max(e for _, e in ranges))
        # each range keeps what its own find would: matches starting in it and ending by its end
        return [[m for m in found if s <= m[0] < e and m[1] <= e] for s, e in ranges]

    def _find(self, low: str, start: int, stop: int) -> list[tuple[int, int, str]]:
        by_word = self.by_word
        out: list[tuple[int, int, str]] = []
        starts = self._starts
        if starts is not None:
            gates = self._any
            if self._unions is None:
                scan, skip, from_ = starts, 0, start
            else:
                # ASCII ``low`` is lower case (see _lower). The gated scan matches the character
                # before a word (a separator, so ``re`` skips ahead in C): a word at the very
                # start has none, and is looked at the plain way.
                scan, skip, from_ = self._gated_scan(low.isascii()), 1, max(start - 1, 0)
                head = starts.match(low, 0) if start == 0 < stop else None
                if head is not None:
                    word = head.group()
                    union = gates.get(word)
                    if union is None or union.match(low, 0) is not None:
                        for label, rx in by_word[word]:
                            mm = rx.match(low, 0)
                            if mm is not None and mm.end() <= stop:
                                out.append((0, mm.end(), label))
            # A start word is a whole run of [\w'] characters, so the runs found from
            # ``start`` on are those the scan of the whole text finds there.
            for m in scan.finditer(low, from_):
                pos = m.start() + skip
                if pos >= stop:
                    break
                word = m.group()[skip:] if skip else m.group()
                if not skip:
                    union = gates.get(word)
                    if union is not None and union.match(low, pos) is None:
                        continue
                for label, rx in by_word[word]:  # one alternation per label: one match per (label, word)
                    mm = rx.match(low, pos)
                    if mm is not None and mm.end() <= stop:
                        out.append((pos, mm.end(), label))
        ascii_text = bool(self.anywhere) and low.isascii()
        for label, rx, gate, twin in self.anywhere:
            if gate and not any(g in low for g in gate):
                continue
            # finditer's matches don't overlap: scanned from 0 as always, only those in range kept
            for mm in (twin if ascii_text else rx).finditer(low):
                if mm.start() >= stop:
                    break
                if mm.start() >= start and mm.end() <= stop:
                    out.append((mm.start(), mm.end(), label))
        if len(out) > 1:
            out = sorted(set(out))
        return out

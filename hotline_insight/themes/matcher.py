"""spaCy components that tag grievance themes (``hotline_themes``) and frustration facets (``hotline_facets``).

Each component compiles the cues of a :class:`~hotline_insight.themes.Taxonomy`
once, then marks every match in ``doc.spans["hi_themes"]`` /
``doc.spans["hi_facets"]`` (label: the theme or facet id; ``span._.hi_method``
``"pattern"``; ``span._.hi_score`` the cue's weight).

How the cues are compiled, for speed (spaCy's ``Matcher`` starts every
pattern at every token, so a few hundred patterns cost many times the
tokeniser, while a ``PhraseMatcher`` costs about the same whatever its size).
Each cue becomes a sequence of slots, one per token, each a finite set of
words (optional or not). ``LEMMA`` values become every inflection the English
lemma table knows, matched on ``LOWER``, so matching needs no lemmatizer and
ignores case ("Charged", "CHARGES"); contractions get their typed variants
("can't", "cant", "can’t", "cannot"). Then:

* a cue of up to ``_MAX_EXPANSION`` word sequences is expanded into one
  ``PhraseMatcher`` (nearly all cues);
* a larger one is found by its key slots or a short run of them (say "pay
  to"): when all of them occur in a doc, the cue is checked word by word
  around the rarest, in Python;
* only a cue that is not a finite word sequence (wildcards, ``*``/``+``,
  attributes other than ``LOWER``/``LEMMA``/``LIKE_NUM``) runs in spaCy's
  ``Matcher``, and only on docs where one of its required words occurs.

Overlapping matches of one theme make one span (their union, with the
strongest weight). Cues are compiled on first use or by ``nlp.initialize()``.

A cue of a ``negatable`` theme is dropped when a negation comes right before
it in the same sentence, skipping articles and a few fee adjectives ("no
hidden fees", "wasn't charged").

Examples:
    >>> import spacy
    >>> import hotline_insight.themes.matcher  # registers the factories
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> _ = nlp.add_pipe("hotline_themes")
    >>> _ = nlp.add_pipe("hotline_facets")
    >>> doc = nlp("They charged me for tech support after 90 days. No one called me back and I feel cheated.")
    >>> theme_ids(doc)
    ('support_fee_after_period', 'one_way_relationship', 'unexpected_fees')
    >>> facet_ids(doc)
    ('victimised',)
    >>> [(s.text, s.label_, s._.hi_score) for s in doc.spans["hi_themes"]][:2]
    [('charged', 'unexpected_fees', 0.5), ('charged me for tech support after 90 days', 'support_fee_after_period', 1.0)]
"""

from __future__ import annotations

import functools
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from ..errors import ConfigError, Errors
from ..nlp._extensions import register_extensions
from .taxonomy import CuePattern, CuePhrase, Taxonomy, _CueSet

__all__ = [
    "CueMatcher",
    "ExampleCheck",
    "FacetMatcher",
    "ThemeMatcher",
    "check_examples",
    "facet_ids",
    "make_facet_matcher",
    "make_theme_matcher",
    "theme_ids",
]

THEMES_KEY = "hi_themes"
FACETS_KEY = "hi_facets"
METHOD = "pattern"

# A cue matching more word sequences than this is found by its key slots instead.
_MAX_EXPANSION = 6000
# Largest number of phrases a run of key slots may expand to.
_MAX_RUN = 2000
# A finite cue with no required slot is expanded up to this size, else run by spaCy's Matcher.
_MAX_FALLBACK = 4000
# Words LEMMA phrases keep as written (function words: inflecting them adds noise).
_CLOSED_CLASS = frozenset(
    """
    i me my mine myself you your yours yourself we us our ours he him his she her hers it its they them their
    theirs this that these those who whom whose which what a an the to for of on in at by with from up out off
    back over through into onto about after before than as so too very just still again and or but if no not
    n't nt never any all some every each one none nobody noone anyone someone anybody somebody nothing
    do does did done doing have has had having is are was were be been being am will would can could shall
    should may might must ca wo sha 's 'm 're 've 'll 'd there here then when where why how
    """.split()
)
# Apostrophe and contraction variants of a token, as the tokeniser splits typed text.
_VARIANTS: dict[str, tuple[str, ...]] = {
    "n't": ("n't", "nt", "n’t", "not"),
    "ca": ("ca", "can"),
    "wo": ("wo", "will"),
    "'m": ("'m", "’m", "m"),
    "'ve": ("'ve", "’ve", "ve"),
    "'ll": ("'ll", "’ll", "ll"),
    "'re": ("'re", "’re", "re"),
    "'s": ("'s", "’s"),
    "'d": ("'d", "’d"),
}
# Inflections the lemma table gives that are other words in complaint language.
_NOT_FORMS: dict[str, frozenset[str]] = {
    "fee": frozenset({"feed", "feeing"}),
    "lie": frozenset({"lay", "lain"}),
}
# Frequent content words, and the words of redaction placeholders ([PHONE], [EMAIL] ...): poor
# anchors, which would send the matcher checking a pattern at too many tokens.
_COMMON = frozenset(
    """
    get gets got getting gotten go goes went going gone make makes made making take takes took taking taken
    give gives gave giving given say says said saying tell tells told telling keep keeps kept keeping let lets
    letting want wants wanted need needs needed know knew known call calls called calling time times day days
    week weeks month months year years pay pays paid paying money bill bills account accounts phone number
    service help work way thing things people like now also well even first last new good back see come came
    look use used please thanks thank yes ok okay just right sure
    phone phones email emails card cards address name names id url ip zip dob home line lines internet
    router bill support
    """.split()
)
_NEGATIONS = frozenset({"no", "not", "n't", "nt", "n’t", "never", "without", "none", "zero", "nothing"})
# Words a negation may reach across: "no hidden fees", "wasn't ever charged".
_TRANSPARENT = frozenset(
    """
    a an the any extra hidden additional added more other such further separate surprise unexpected new
    monthly annual yearly late single up-front upfront real actual big large huge
    be been being is are was were am ever really actually even get got
    """.split()
)
_SPEC_KEYS_FINITE = frozenset({"LOWER", "LEMMA", "LIKE_NUM", "OP"})
# Stands for "any token like a number" ({LIKE_NUM: true}) in a slot.
_NUMBER = "\x00number"


# -- lemma forms ------------------------------------------------------------------------


@functools.cache
def _lemma_table(lang: str) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(word -> lemma, lemma -> inflected forms), lower case, from spacy-lookups-data."""
    try:
        from spacy.util import load_language_data, registry

        loaded = load_language_data(registry.lookups.get(lang)["lemma_lookup"])
        table: dict[str, str] = dict(loaded) if isinstance(loaded, dict) else {}
    except Exception:  # no lookups package, or no table for this language
        return {}, {}
    lemma_of: dict[str, str] = {}
    forms: dict[str, set[str]] = defaultdict(set)
    for word, lemma in table.items():
        word, lemma = word.lower(), lemma.lower()
        lemma_of.setdefault(word, lemma)
        if word not in _NOT_FORMS.get(lemma, ()):
            forms[lemma].add(word)
    return lemma_of, {lemma: frozenset(words) for lemma, words in forms.items()}


def _regular_forms(lemma: str) -> set[str]:
    """Regular English inflections, for lemmas the table does not know."""
    if not lemma.isalpha() or len(lemma) < 3:
        return set()
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    plural = lemma + "es" if lemma.endswith(("s", "x", "z", "ch", "sh")) else lemma + "s"
    return {plural, stem + "ed", stem + "ing"}


def _forms(lemma: str, lang: str) -> tuple[str, ...]:
    """The lemma and every inflection of it, sorted."""
    lemma = lemma.lower()
    table = _lemma_table(lang)[1]
    found = set(table.get(lemma, ())) or _regular_forms(lemma)
    return tuple(sorted({lemma, *found}))


def _variants(word: str) -> tuple[str, ...]:
    if word in _VARIANTS:
        return _VARIANTS[word]
    if "'" in word:
        return (word, word.replace("'", "’"))
    return (word,)


# -- compilation ------------------------------------------------------------------------


class _Rule(NamedTuple):
    """What a match means: which cue set (by position), with which weight."""

    position: int
    weight: float


# One token slot of a cue: its alternatives (word sequences, usually one word); () makes it optional.
Slot = tuple[tuple[str, ...], ...]


class _SlotPattern(NamedTuple):
    """A finite cue too large to expand: its key slots must all occur in a doc; it is then
    checked word by word around the occurrences of the rarest of them."""

    rule: int
    slots: tuple[Slot, ...]
    keys: tuple[int, ...]  # positions of the key slots
    run: int = 1  # with one key: how many slots from it are found together, as phrases


class _Fallback(NamedTuple):
    """A cue only spaCy's Matcher can run (``LIKE_NUM``, wildcards, ``*``/``+``)."""

    rule: int
    pattern: list[dict[str, Any]]
    anchors: tuple[tuple[str, ...], ...]  # word sequences; empty: run on every doc


class _Compiled(NamedTuple):
    rules: tuple[_Rule, ...]
    phrases: tuple[tuple[int, tuple[tuple[str, ...], ...]], ...]  # (rule, word sequences)
    slot_patterns: tuple[_SlotPattern, ...]
    fallbacks: tuple[_Fallback, ...]


Tokenize = Callable[[str], list[str]]


def _spellings(word: str, tokenize: Tokenize) -> set[tuple[str, ...]]:
    """How the tokeniser splits a word in lower, title and upper case ("id" -> i d, "ID" -> id),
    with apostrophe and contraction variants of each piece."""
    out: set[tuple[str, ...]] = set()
    for cased in {word.lower(), word.title(), word.upper()}:
        pieces = tokenize(cased)
        out.update(itertools.product(*(_variants(p) for p in pieces)))
    return out


def _word_options(value: Any, attr: str, lang: str, tokenize: Tokenize) -> list[tuple[str, ...]] | None:
    """The word sequences one LOWER/LEMMA value matches, or None when not finite."""
    if isinstance(value, str):
        values = [value]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        values = list(value["IN"])
    else:
        return None
    words: set[str] = set()
    for item in values:
        if not isinstance(item, str):
            return None
        words.update(_forms(item, lang) if attr == "LEMMA" else (item.lower(),))
    options: set[tuple[str, ...]] = set()
    for word in words:
        options.update(_spellings(word, tokenize))
    return sorted(options)


def _inflections(word: str, lang: str) -> tuple[str, ...]:
    """Every inflection of a word as written in a phrase: of the word itself when it is a lemma
    ("number"), else of its lemma ("charged" -> charge)."""
    lemma_of, table = _lemma_table(lang)
    lemma = word if word in table else lemma_of.get(word, word)
    return tuple(sorted({word, *_forms(lemma, lang)}))


def _spec_slot(spec: dict[str, Any], lang: str, tokenize: Tokenize) -> Slot | None:
    """The slot of one token spec, or None when it is not a finite word set (or a number)."""
    if not spec or not set(spec) <= _SPEC_KEYS_FINITE:
        return None
    attrs = [key for key in spec if key != "OP"]
    if len(attrs) != 1:
        return None
    op = spec.get("OP")
    if op not in (None, "?"):
        return None
    if attrs[0] == "LIKE_NUM":
        if spec["LIKE_NUM"] is not True:
            return None
        options: list[tuple[str, ...]] | None = [(_NUMBER,)]
    else:
        options = _word_options(spec[attrs[0]], attrs[0], lang, tokenize)
    if options is None:
        return None
    return ((), *options) if op == "?" else tuple(options)


def _phrase_slots(cue: CuePhrase, default_attr: str, lang: str, tokenize: Tokenize) -> list[Slot]:
    """One slot per word of the phrase (a word may be several tokens: "can't" -> ca n't)."""
    attr = cue.attr or default_attr
    slots: list[Slot] = []
    for word in cue.phrase.lower().split():
        options = _spellings(word, tokenize)
        if attr == "LEMMA" and word.isalpha() and word not in _CLOSED_CLASS and options == {(word,)}:
            options = {(form,) for form in _inflections(word, lang)}
        slots.append(tuple(sorted(options)))
    return slots


def _pattern_slots(cue: CuePattern, lang: str, tokenize: Tokenize) -> list[Slot] | None:
    slots = []
    for spec in cue.pattern:
        slot = _spec_slot(spec, lang, tokenize)
        if slot is None:
            return None
        slots.append(slot)
    return slots


def _rewrite_lemmas(pattern: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """LEMMA to LOWER over all inflections, so the Matcher needs no lemmatizer and ignores case."""
    out = []
    for spec in pattern:
        spec = dict(spec)
        lemma = spec.get("LEMMA")
        if lemma is not None and "LOWER" not in spec:
            if isinstance(lemma, str):
                spec["LOWER"] = {"IN": list(_forms(lemma, lang))}
                del spec["LEMMA"]
            elif isinstance(lemma, dict) and set(lemma) <= {"IN", "NOT_IN"}:
                spec["LOWER"] = {
                    key: sorted({f for item in items for f in _forms(item, lang)})
                    for key, items in lemma.items()
                }
                del spec["LEMMA"]
        out.append(spec)
    return out


def _anchor_cost(options: Sequence[tuple[str, ...]]) -> tuple[int, int]:
    """How often a slot's words are likely to occur (lower is rarer): function words and
    punctuation count three, frequent content words one; then the number of alternatives.

    A slot is found by the first token of each alternative.
    """
    words = {o[0] for o in options if o}
    n_closed = sum(1 for w in words if w in _CLOSED_CLASS or not w[:1].isalnum())
    n_common = sum(1 for w in words if w in _COMMON or w[:1].isdigit())
    return 3 * n_closed + n_common, len(options)


def _key_slots(slots: Sequence[Slot]) -> tuple[int, ...]:
    """The slots found first: the required slots free of function words and of frequent words
    (placeholders such as [PHONE] among them), else those free of function words, else the
    required slot most likely to be rare. Empty when no slot is required."""
    required = [k for k, slot in enumerate(slots) if () not in slot and (_NUMBER,) not in slot]
    for banned in (_CLOSED_CLASS | _COMMON, _CLOSED_CLASS):
        keys = tuple(
            k for k in required if not any(o[0] in banned or not o[0][:1].isalpha() for o in slots[k])
        )
        if keys:
            return keys
    if not required:
        return ()
    return (min(required, key=lambda k: _anchor_cost(slots[k])),)


def _content(slot: Slot) -> bool:
    """Whether every alternative of the slot starts with a content word."""
    return not any(o[0] in _CLOSED_CLASS or not o[0][:1].isalnum() for o in slot)


def _key_run(slots: Sequence[Slot]) -> tuple[int, int] | None:
    """(start, length) of the run of two or more consecutive required slots that makes the most
    selective phrases ("pay to", "charged for"), or None. A run of function words only
    ("for the", "will be") is no use: one slot of the run must be content words only."""
    best: tuple[tuple[tuple[int, int], int], tuple[int, int]] | None = None
    k = 0
    while k < len(slots):
        end = k
        while end < len(slots) and () not in slots[end] and (_NUMBER,) not in slots[end]:
            end += 1
        for start in range(k, end - 1):
            for stop in range(start + 2, end + 1):
                run = slots[start:stop]
                if _size(run) > _MAX_RUN:
                    break
                if not any(_content(slot) for slot in run):
                    continue  # some phrase of the run would be function words only
                score = (min(_anchor_cost(slot) for slot in run), -(stop - start))
                if best is None or score < best[0]:
                    best = (score, (start, stop - start))
        k = end + 1
    return best[1] if best is not None else None


def _fallback_anchors(
    pattern: Sequence[dict[str, Any]], lang: str, tokenize: Tokenize
) -> tuple[tuple[str, ...], ...]:
    """Word sequences of the pattern's most selective required token (one of them must occur)."""
    best: Slot | None = None
    for spec in pattern:
        if spec.get("OP") not in (None, "+"):
            continue
        slot = _spec_slot({k: v for k, v in spec.items() if k != "OP"}, lang, tokenize)
        if slot and (best is None or _anchor_cost(slot) < _anchor_cost(best)):
            best = slot
    return tuple(best or ())


def _size(slots: Sequence[Slot]) -> float:
    size = 1.0
    for slot in slots:
        size *= float("inf") if (_NUMBER,) in slot else len(slot)
    return size


def _compile(cue_sets: Sequence[_CueSet], lang: str, tokenize: Tokenize) -> _Compiled:
    rules: list[_Rule] = []
    rule_ids: dict[_Rule, int] = {}
    phrases: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    slot_patterns: list[_SlotPattern] = []
    fallbacks: list[_Fallback] = []

    def rule_for(index: int, weight: float) -> int:
        rule = _Rule(index, weight)
        if rule not in rule_ids:
            rule_ids[rule] = len(rules)
            rules.append(rule)
        return rule_ids[rule]

    def add(rule: int, slots: list[Slot]) -> None:
        keys = _key_slots(slots)
        if not keys or _size(slots) <= _MAX_EXPANSION:
            for combo in itertools.product(*slots):
                words = tuple(w for part in combo for w in part)
                if words:
                    phrases[rule].add(words)
        else:
            run = _key_run(slots)
            if run is not None:
                slot_patterns.append(_SlotPattern(rule, tuple(slots), (run[0],), run[1]))
            else:
                slot_patterns.append(_SlotPattern(rule, tuple(slots), keys))

    for index, cue_set in enumerate(cue_sets):
        for phrase in cue_set.phrases:
            add(rule_for(index, phrase.weight), _phrase_slots(phrase, cue_set.phrase_attr, lang, tokenize))
        for cue in cue_set.patterns:
            rule = rule_for(index, cue.weight)
            slots = _pattern_slots(cue, lang, tokenize)
            if slots is not None and (_key_slots(slots) or _size(slots) <= _MAX_FALLBACK):
                add(rule, slots)
            else:
                fallbacks.append(
                    _Fallback(
                        rule,
                        _rewrite_lemmas(cue.pattern, lang),
                        _fallback_anchors(cue.pattern, lang, tokenize),
                    )
                )
    return _Compiled(
        rules=tuple(rules),
        phrases=tuple((rule, tuple(sorted(seqs))) for rule, seqs in sorted(phrases.items())),
        slot_patterns=tuple(slot_patterns),
        fallbacks=tuple(fallbacks),
    )


class _Slots:
    """A slot pattern in hashes, checked around an occurrence of one of its key slots."""

    __slots__ = ("keys", "rule", "sides")

    def __init__(self, pattern: _SlotPattern, strings: Any) -> None:
        self.rule = pattern.rule
        self.keys = pattern.keys
        compiled = [self._slot(slot, strings) for slot in pattern.slots]
        self.sides: dict[int, tuple[bool, tuple[Any, ...], tuple[Any, ...]]] = {}
        for k in pattern.keys:
            single = pattern.run == 1 and all(len(option) == 1 for option in pattern.slots[k])
            # a key slot of one-word alternatives is matched by its occurrence already
            after = tuple(compiled[k + (1 if single else 0) :])
            before = tuple(reversed(compiled[:k]))
            self.sides[k] = (single, after, before)

    @staticmethod
    def _slot(slot: Slot, strings: Any) -> tuple[bool, bool, frozenset[int], tuple[tuple[int, ...], ...]]:
        """(optional, like a number, one-word hashes, longer sequences as hashes)."""
        single = frozenset(strings.add(o[0]) for o in slot if len(o) == 1 and o[0] != _NUMBER)
        sequences = tuple(tuple(strings.add(w) for w in o) for o in slot if len(o) > 1)
        return () in slot, (_NUMBER,) in slot, single, sequences

    def spans(self, words: _Words, key: int, position: int) -> list[tuple[int, int]]:
        """Every (start, end) of the pattern with key slot ``key`` starting at token ``position``."""
        single, after, before = self.sides[key]
        ends = {position + 1} if single else {position}
        for optional, number, one_word, sequences in after:
            reached: set[int] = set()
            for i in ends:
                if optional:
                    reached.add(i)
                if i < words.n and (words.lower(i) in one_word or (number and words.like_num(i))):
                    reached.add(i + 1)
                for seq in sequences:
                    if i + len(seq) <= words.n and all(words.lower(i + n) == h for n, h in enumerate(seq)):
                        reached.add(i + len(seq))
            if not reached:
                return []
            ends = reached
        starts = {position}
        for optional, number, one_word, sequences in before:
            reached = set()
            for j in starts:
                if optional:
                    reached.add(j)
                if j > 0 and (words.lower(j - 1) in one_word or (number and words.like_num(j - 1))):
                    reached.add(j - 1)
                for seq in sequences:
                    start = j - len(seq)
                    if start >= 0 and all(words.lower(start + n) == h for n, h in enumerate(seq)):
                        reached.add(start)
            if not reached:
                return []
            starts = reached
        return [(start, end) for start in starts for end in ends if start < end]


class _Words:
    """Lower-case hashes and number flags of a doc's tokens, read on demand."""

    __slots__ = ("_doc", "_lower", "_num", "n")

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._lower: dict[int, int] = {}
        self._num: dict[int, bool] = {}
        self.n = len(doc)

    def lower(self, i: int) -> int:
        value = self._lower.get(i)
        if value is None:
            value = self._lower[i] = self._doc[i].lower
        return value

    def like_num(self, i: int) -> bool:
        value = self._num.get(i)
        if value is None:
            value = self._num[i] = bool(self._doc[i].like_num)
        return value


# -- the components -----------------------------------------------------------------------


class CueMatcher:
    """Shared machinery of :class:`ThemeMatcher` and :class:`FacetMatcher`."""

    kind = "cue"
    spans_key = ""
    factory_name = ""

    def __init__(
        self,
        nlp: Language,
        name: str | None = None,
        *,
        taxonomy: str | os.PathLike[str] | None = None,
    ) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name or self.factory_name
        self._taxonomy: Taxonomy | None = None
        self._missing: str | None = None
        self._compiled: _Compiled | None = None
        self._phrase_matcher: PhraseMatcher | None = None
        self._fallbacks: list[Matcher] = []
        self._always: list[int] = []
        self._rules: dict[int, _Rule] = {}
        self._anchor_keys: dict[int, int] = {}
        self._slot_keys: dict[int, tuple[int, int]] = {}
        self._slot_patterns: list[_Slots] = []
        self._compiled_rules: tuple[_Rule, ...] = ()
        self._open_bracket = nlp.vocab.strings.add("[")
        self._ids: tuple[str, ...] = ()
        self._negatable: tuple[bool, ...] = ()
        if taxonomy is None:
            self.set_taxonomy(Taxonomy.default())
        elif isinstance(taxonomy, str | os.PathLike):
            if Path(taxonomy).is_file():
                self.set_taxonomy(Taxonomy.from_yaml(Path(taxonomy)))
            else:  # maybe restored by from_disk; say so on first use otherwise
                self._missing = str(taxonomy)
        else:
            raise ConfigError(Errors.E706.format(component=self.name, value=type(taxonomy).__name__))

    # -- set-up -----------------------------------------------------------------

    def _cue_sets(self, taxonomy: Taxonomy) -> Sequence[_CueSet]:
        raise NotImplementedError

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy the component matches.

        Raises:
            ConfigError: E707 when the configured taxonomy file did not exist
                and none was set or restored since.
        """
        if self._taxonomy is None:
            raise ConfigError(Errors.E707.format(component=self.name, source=self._missing))
        return self._taxonomy

    @property
    def labels(self) -> tuple[str, ...]:
        """The ids the component can write, in taxonomy order."""
        self.taxonomy  # noqa: B018 - raise if unset
        return self._ids

    def set_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Match this taxonomy from now on.

        Its cues are compiled on first use (or by ``nlp.initialize()``), so
        replacing the built-in taxonomy right after ``add_pipe`` costs nothing.

        Examples:
            >>> import spacy
            >>> from hotline_insight.themes import Taxonomy
            >>> nlp = spacy.blank("en")
            >>> themes = nlp.add_pipe("hotline_themes")
            >>> themes.set_taxonomy(Taxonomy.from_yaml('''
            ... themes:
            ...   - {id: roaming, name: Roaming, description: d, phrases: [roaming charge]}
            ... '''))
            >>> doc = nlp("Roaming charges again!")
            >>> [s.label_ for s in doc.spans["hi_themes"]]
            ['roaming']
        """
        self._taxonomy = taxonomy
        self._missing = None
        self._phrase_matcher = None
        self._ids = tuple(c.id for c in self._cue_sets(taxonomy))

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        """Compile the taxonomy's cues now rather than on first use (spaCy calls this from ``nlp.initialize()``)."""
        self._build()

    def _build(self) -> None:
        taxonomy = self.taxonomy
        tokenizer = self.nlp.tokenizer
        seen: dict[str, list[str]] = {}

        def tokenize(text: str) -> list[str]:
            if text not in seen:
                seen[text] = [t.lower_ for t in tokenizer(text)]
            return seen[text]

        strings = self.nlp.vocab.strings

        def keywords(sequences: Iterable[Sequence[str]]) -> list[tuple[int, ...]]:
            # The PhraseMatcher takes a pattern as the hashes of its tokens' attribute (LOWER
            # here) as well as a Doc (spaCy's own unpickling does this); making tens of
            # thousands of Docs would take seconds.
            return [tuple(strings.add(word) for word in words) for words in sequences]

        cue_sets = self._cue_sets(taxonomy)
        compiled = _compile(cue_sets, self.nlp.lang or "en", tokenize)
        vocab = self.nlp.vocab
        phrase_matcher = PhraseMatcher(vocab, attr="LOWER")
        rules: dict[int, _Rule] = {}
        for rule, sequences in compiled.phrases:
            key = f"{self.name}:{rule}"
            rules[vocab.strings.add(key)] = compiled.rules[rule]
            phrase_matcher.add(key, keywords(sequences))  # type: ignore[arg-type]
        slot_patterns: list[_Slots] = []
        slot_keys: dict[int, tuple[int, int]] = {}  # match key -> (slot pattern, key slot)
        for position, pattern in enumerate(compiled.slot_patterns):
            slot_patterns.append(_Slots(pattern, vocab.strings))
            for k in pattern.keys:
                key = f"{self.name}:slots:{position}:{k}"
                slot_keys[vocab.strings.add(key)] = (position, k)
                if pattern.run > 1:  # the whole run, as phrases
                    run = pattern.slots[k : k + pattern.run]
                    found = {tuple(w for part in combo for w in part) for combo in itertools.product(*run)}
                else:  # the first word of each alternative
                    found = {option[:1] for option in pattern.slots[k]}
                phrase_matcher.add(key, keywords(sorted(found)))  # type: ignore[arg-type]
        fallbacks: list[Matcher] = []
        anchor_keys: dict[int, int] = {}
        always: list[int] = []
        for position, fallback in enumerate(compiled.fallbacks):
            matcher = Matcher(vocab)
            key = f"{self.name}:{fallback.rule}"
            rules[vocab.strings.add(key)] = compiled.rules[fallback.rule]
            matcher.add(key, [fallback.pattern])
            fallbacks.append(matcher)
            if fallback.anchors:
                anchor = f"{self.name}:anchor:{position}"
                anchor_keys[vocab.strings.add(anchor)] = position
                phrase_matcher.add(anchor, keywords(fallback.anchors))  # type: ignore[arg-type]
            else:
                always.append(position)
        self._compiled = compiled
        self._compiled_rules = compiled.rules
        self._phrase_matcher = phrase_matcher
        self._fallbacks = fallbacks
        self._always = always
        self._rules = rules
        self._anchor_keys = anchor_keys
        self._slot_keys = slot_keys
        self._slot_patterns = slot_patterns
        self._negatable = tuple(c.negatable for c in cue_sets)

    # -- matching ---------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Write the cue matches of ``doc`` to ``doc.spans[spans_key]`` (an empty group when none)."""
        if self._phrase_matcher is None:
            self._build()
        assert self._phrase_matcher is not None
        matches = self._phrase_matcher(doc)
        spans = self._spans(doc, matches) if matches or self._always else []
        doc.spans[self.spans_key] = SpanGroup(
            doc, name=self.spans_key, attrs={"order": self._ids}, spans=spans
        )
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Apply the component to a stream of docs."""
        for doc in stream:
            yield self(doc)

    def match(self, doc: Doc) -> list[Span]:
        """The cue matches of ``doc``, without writing them, sorted by position
        then taxonomy order. Overlapping matches of one theme (facet) make one
        span, their union, scored with the strongest cue's weight."""
        if self._phrase_matcher is None:
            self._build()
        assert self._phrase_matcher is not None
        return self._spans(doc, self._phrase_matcher(doc))

    def _spans(self, doc: Doc, matches: list[tuple[int, int, int]]) -> list[Span]:
        raw: list[tuple[_Rule, int, int]] = []
        to_run: set[int] = set(self._always)
        rules = self._rules
        seen: dict[int, dict[int, list[int]]] | None = None  # slot pattern -> key slot -> starts
        for key, start, end in matches:
            rule = rules.get(key)
            if rule is not None:
                raw.append((rule, start, end))
                continue
            slot_key = self._slot_keys.get(key)
            if slot_key is not None:
                if start and doc[start - 1].orth == self._open_bracket:
                    continue  # a redaction placeholder ([PHONE], [EMAIL]), not a word
                if seen is None:
                    seen = {}
                by_slot = seen.get(slot_key[0])
                if by_slot is None:
                    seen[slot_key[0]] = {slot_key[1]: [start]}
                elif slot_key[1] in by_slot:
                    by_slot[slot_key[1]].append(start)
                else:
                    by_slot[slot_key[1]] = [start]
            else:
                to_run.add(self._anchor_keys[key])
        if seen is not None:
            words = _Words(doc)
            for position, occurrences in seen.items():
                slots = self._slot_patterns[position]
                if len(occurrences) < len(slots.keys):
                    continue  # some key slot does not occur: no match possible
                key_slot = min(occurrences, key=lambda k: (len(occurrences[k]), k))
                slot_rule = self._compiled_rules[slots.rule]
                for start in occurrences[key_slot]:
                    raw.extend((slot_rule, s, e) for s, e in slots.spans(words, key_slot, start))
        for position in sorted(to_run):
            raw.extend((rules[key], start, end) for key, start, end in self._fallbacks[position](doc))
        if not raw:
            return []
        best: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
        negated: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for rule, start, end in raw:
            if self._negatable[rule.position] and _negated(doc, start):
                negated[rule.position].append((start, end))
            else:
                best[rule.position].append((rule.weight, start, end))
        for index, scopes in negated.items():
            # a cue inside a negated cue of the same set is negated too: "wasn't charged a fee"
            best[index] = [m for m in best[index] if not any(s <= m[1] and m[2] <= e for s, e in scopes)]
            if not best[index]:
                del best[index]
        spans: list[tuple[int, int, int, float]] = []
        for index, found in best.items():
            # overlapping matches of one cue set become one span: their union, the strongest weight
            found.sort(key=lambda m: (m[1], m[2]))
            weight, start, end = found[0]
            for w, s, e in found[1:]:
                if s < end:
                    end = max(end, e)
                    weight = max(weight, w)
                else:
                    spans.append((start, end, index, weight))
                    weight, start, end = w, s, e
            spans.append((start, end, index, weight))
        spans.sort(key=lambda s: (s[0], s[1], s[2]))
        out = []
        for start, end, index, weight in spans:
            span = Span(doc, start, end, label=self._ids[index])
            span._.hi_method = METHOD
            span._.hi_score = weight
            out.append(span)
        return out

    # -- serialisation ------------------------------------------------------------

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The taxonomy, as UTF-8 YAML."""
        return self.taxonomy.to_yaml().encode("utf-8")

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> CueMatcher:
        """Restore the taxonomy from :meth:`to_bytes` output."""
        self.set_taxonomy(Taxonomy.from_yaml(bytes_data.decode("utf-8") + "\n"))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the taxonomy as ``taxonomy.yaml`` in the directory ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "taxonomy.yaml").write_text(self.taxonomy.to_yaml(), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CueMatcher:
        """Load the taxonomy saved by :meth:`to_disk`."""
        self.set_taxonomy(Taxonomy.from_yaml(Path(path) / "taxonomy.yaml"))
        return self


def _negated(doc: Doc, start: int, window: int = 3) -> bool:
    """Whether a negation comes right before token ``start`` in its sentence."""
    i = start - 1
    steps = 0
    while i >= 0 and steps < window:
        if doc[i + 1].is_sent_start:
            return False
        word = doc[i].lower_
        if word in _NEGATIONS:
            return True
        if word not in _TRANSPARENT:
            return False
        i -= 1
        steps += 1
    return False


class ThemeMatcher(CueMatcher):
    """The ``hotline_themes`` component: marks grievance theme cues in ``doc.spans["hi_themes"]``.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("hotline_themes")
        >>> doc = nlp("I was on hold for 45 minutes.")
        >>> [(s.text, s.label_, s._.hi_score) for s in doc.spans["hi_themes"]]
        [('on hold for 45 minutes', 'long_wait', 1.0)]
    """

    kind = "theme"
    spans_key = THEMES_KEY
    factory_name = "hotline_themes"

    def _cue_sets(self, taxonomy: Taxonomy) -> Sequence[_CueSet]:
        return taxonomy.themes


class FacetMatcher(CueMatcher):
    """The ``hotline_facets`` component: marks frustration facet cues in ``doc.spans["hi_facets"]``.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("hotline_facets")
        >>> doc = nlp("I have no choice, I feel trapped.")
        >>> [(s.text, s.label_) for s in doc.spans["hi_facets"]]
        [('no choice', 'loss_of_control'), ('trapped', 'loss_of_control'), ('trapped', 'victimised')]
    """

    kind = "facet"
    spans_key = FACETS_KEY
    factory_name = "hotline_facets"

    def _cue_sets(self, taxonomy: Taxonomy) -> Sequence[_CueSet]:
        return taxonomy.facets


@Language.factory(
    "hotline_themes",
    assigns=["doc.spans"],
    default_config={"taxonomy": None},
)
def make_theme_matcher(nlp: Language, name: str, taxonomy: str | None) -> ThemeMatcher:
    """Factory of the ``hotline_themes`` component (``taxonomy``: null for the built-in one, or a YAML path)."""
    return ThemeMatcher(nlp, name, taxonomy=taxonomy)


@Language.factory(
    "hotline_facets",
    assigns=["doc.spans"],
    default_config={"taxonomy": None},
)
def make_facet_matcher(nlp: Language, name: str, taxonomy: str | None) -> FacetMatcher:
    """Factory of the ``hotline_facets`` component (``taxonomy``: null for the built-in one, or a YAML path)."""
    return FacetMatcher(nlp, name, taxonomy=taxonomy)


# -- helpers ---------------------------------------------------------------------------------


def _ids(span_or_doc: Doc | Span, key: str, function: str, taxonomy: Taxonomy | None) -> tuple[str, ...]:
    if isinstance(span_or_doc, Doc):
        doc, start, end = span_or_doc, 0, len(span_or_doc)
    elif isinstance(span_or_doc, Span):
        doc, start, end = span_or_doc.doc, span_or_doc.start, span_or_doc.end
    else:
        raise TypeError(Errors.E708.format(function=function, value=type(span_or_doc).__name__))
    if key not in doc.spans:
        return ()
    group = doc.spans[key]
    found = {s.label_ for s in group if s.start < end and start < s.end}
    if not found:
        return ()
    if taxonomy is not None:
        order: Sequence[str] = [e.id for e in (taxonomy.themes if key == THEMES_KEY else taxonomy.facets)]
    else:
        order = group.attrs.get("order") or ()
    rank = {label: position for position, label in enumerate(order)}
    return tuple(sorted(found, key=lambda label: (rank.get(label, len(rank)), label)))


def theme_ids(span_or_doc: Doc | Span, *, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """The themes whose cues overlap a span (or occur anywhere in a doc), in taxonomy order.

    The order is that of ``taxonomy`` when given, else that of the taxonomy
    the ``hotline_themes`` component used; ids it does not know come last,
    alphabetically.

    Raises:
        TypeError: E708 when given something other than a Doc or Span.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("sentencizer")
        >>> _ = nlp.add_pipe("hotline_themes")
        >>> doc = nlp("Thanks for your help. But the refund I was promised never came.")
        >>> theme_ids(doc[:5]), theme_ids(list(doc.sents)[1])
        ((), ('refund', 'broken_promise'))
    """
    return _ids(span_or_doc, THEMES_KEY, "theme_ids", taxonomy)


def facet_ids(span_or_doc: Doc | Span, *, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """The frustration facets whose cues overlap a span (or occur in a doc), in taxonomy order.

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("hotline_facets")
        >>> facet_ids(nlp("I'm stressed and I feel ripped off."))
        ('stress', 'victimised')
    """
    return _ids(span_or_doc, FACETS_KEY, "facet_ids", taxonomy)


# -- checking a taxonomy's examples -------------------------------------------------------------


class ExampleCheck(NamedTuple):
    """One example that does not behave: it should fire its theme or facet and doesn't, or the reverse."""

    kind: str  # "theme" or "facet"
    id: str
    text: str
    should_fire: bool
    fired: tuple[str, ...]  # every id the text fired


def check_examples(taxonomy: Taxonomy | None = None, *, nlp: Language | None = None) -> list[ExampleCheck]:
    """The examples of a taxonomy that don't fire their theme or facet, and the negative examples that do.

    Use it while writing a taxonomy: an empty list means every example behaves.

    Args:
        taxonomy: the taxonomy to check (the built-in one when None).
        nlp: a pipeline whose tokenizer and sentence splitting to use
            (``spacy.blank("en")`` with a sentencizer when None).

    Examples:
        >>> check_examples()
        []
    """
    import spacy

    taxonomy = taxonomy if taxonomy is not None else Taxonomy.default()
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    themes = ThemeMatcher(nlp)
    facets = FacetMatcher(nlp)
    themes.set_taxonomy(taxonomy)
    facets.set_taxonomy(taxonomy)
    problems = []
    for kind, component, entries in (("theme", themes, taxonomy.themes), ("facet", facets, taxonomy.facets)):
        for entry in entries:
            for should_fire, texts in ((True, entry.examples), (False, entry.negative_examples)):
                for text in texts:
                    doc = nlp(text)
                    fired = tuple(dict.fromkeys(s.label_ for s in component.match(doc)))
                    if (entry.id in fired) != should_fire:
                        problems.append(ExampleCheck(kind, entry.id, text, should_fire, fired))
    return problems

"""Link product and policy mentions to the catalog: the ``hotline_linker`` component.

The linker finds where a turn names a product or a policy of a
:class:`~hotline_insight.catalog.Catalog` and writes what it found to the
shared contract (:mod:`hotline_insight.nlp._extensions`):

* ``doc.spans["hi_products"]`` and ``doc.spans["hi_policies"]``: one span per
  mention, ``label_`` the product or policy id, ``span._.hi_method`` how it
  was matched and ``span._.hi_confidence`` how sure the match is;
* ``doc._.hi_product_links``: the product named by the source's own fields
  (``doc._.hi_product_hint``), resolved to the catalog; it has no place in the
  text, so it is a tuple of :class:`Link` records with ``start_char`` None;
* ``doc._.hi_links``: every link of the doc as :class:`Link` records, the
  text mentions first in text order (products before policies at the same
  offset), then the metadata links.

How a mention is matched, and its confidence:

=========  =====================================================  ==========
method     what matched                                           confidence
=========  =====================================================  ==========
``name``   the product's or policy's name, ignoring case          1.0
``sku``    a product SKU, ignoring case and separators            1.0
``alias``  a product alias, ignoring case                         0.95
``phrase`` a policy phrase, ignoring case                         0.95
``lemma``  a name, alias or phrase after lemmatisation            0.9
           ("routers", "Hub 5s", "charging for support")
``fuzzy``  a near spelling of a name, alias or phrase (ASR and    0.9 x ratio / 100
           typing errors: "larkview plas", "suport fee")
=========  =====================================================  ==========

Exact matching uses spaCy ``PhraseMatcher`` objects: one on ``LOWER`` for the
terms as written and for their inflected forms (found with the lemmatizer's
own lookup table: a form counts when the table gives it the term word's
lemma, so "Mesh Extenders" matches although the table has no capitalised
forms), one on ``LEMMA`` for patterns made by running the terms through the
pipeline's components before the linker (its lemmatizer). Terms are
tokenised in several casings, as the tokenizer's exceptions are
case-sensitive ("id" is split, "ID" is not). SKUs are matched with one
compiled regex over the text, run only when a token of the SKU occurs, so a
SKU the tokenizer splits (``BB-F100-12M`` is five tokens) or writes with other
separators (``bb f100 12m``, ``fb_500``) is still found; the span is widened
to whole tokens.

Fuzzy matching compares token n-grams of the turn with the terms, both
normalised (lower case, runs of letters and digits joined by one space), by
``rapidfuzz.fuzz.ratio``. A match needs

* a ratio of at least ``fuzzy_threshold`` (default 88);
* a term of at least ``min_fuzzy_length`` characters (default 5: ``LOC``,
  ``hub5`` and ``repo`` are matched exactly or not at all) and at most six
  tokens (long policy names are matched exactly only);
* the same first letter and the same numbers (``fibre 300`` is not
  ``fibre 500``), no sentence punctuation inside, and no stop word at either
  end that the term lacks there;
* when the n-gram has as many words as the term, each word within a ratio of
  70 of its counterpart ("pay a loan" is not "pay day loan").

To stay fast, n-grams are only tried around anchors. A term's anchors are its
words other than function words ("the", "for"); stop words ("call", "back",
"five") are secondary anchors. A token anchors a term when it is an anchor
word or within a ratio of 75 of one (worked out once per distinct word and
cached). A term with one anchor is tried where a token nearly spells it; a term
with several where two of its anchors (one not a stop word) are found at most
one token out of place. Around each, n-grams of the term's token count +/- 1
starting at most one token away are scored, those whose length cannot reach the
threshold skipped. An n-gram that lies inside an exact match of the same kind,
cuts across one, or holds one of the same entry is not tried; one that holds an
exact match of another entry is (``larkview plas`` holds the exact alias
``larkview`` of the LarkView HD box).

Overlaps are resolved per span group: the longest match wins, then the most
confident, then the earliest, then the entry listed first in the catalog.

A doc with no mention and no resolvable hint is left as it is: its span
groups are absent rather than empty, so read them with ``doc.spans.get(...)``.

Examples:
    >>> import spacy
    >>> import hotline_insight.nlp.linking
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> _ = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    >>> _ = nlp.initialize()
    >>> _ = nlp.add_pipe("hotline_linker", config={"catalog": "sample_data/catalog.yaml"})
    >>> doc = nlp("My larkview plas and both Hub 5s died. Why a suport fee?")
    >>> [(s.text, s.label_, s._.hi_method) for s in doc.spans["hi_products"]]
    [('larkview plas', 'tv_box_plus', 'fuzzy'), ('Hub 5s', 'router_hub5', 'lemma')]
    >>> [(s.text, s.label_, s._.hi_confidence) for s in doc.spans["hi_policies"]]
    [('suport fee', 'pol_tech_support_fee', 0.8571)]
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import product as cartesian
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..catalog import Catalog
from ..errors import ConfigError, Errors
from ._extensions import doc_text, register_extensions

if TYPE_CHECKING:
    from spacy.vocab import Vocab

__all__ = [
    "CONFIDENCE",
    "FUZZY_CONFIDENCE_SCALE",
    "Link",
    "Linker",
    "make_linker",
]

#: Confidence of an exact match, by kind and method.
CONFIDENCE: dict[str, dict[str, float]] = {
    "product": {"name": 1.0, "sku": 1.0, "alias": 0.95, "lemma": 0.9},
    "policy": {"name": 1.0, "phrase": 0.95, "lemma": 0.9},
}
#: A fuzzy match's confidence is this times ``ratio / 100``, so below any lemma match.
FUZZY_CONFIDENCE_SCALE = 0.9
_HINT_MENTION_SCALE = 0.9  # a product mentioned inside the hint rather than named by it
_TOKEN_ANCHOR_CUTOFF = 75.0  # a misspelt word still anchors fuzzy matching
_MIN_TOKEN_ANCHOR_LENGTH = 4
_WORD_AGREEMENT = 70.0  # least ratio of each word to its counterpart in a fuzzy match
_MAX_VARIANTS = 32  # inflected variants per term
_MAX_FUZZY_TOKENS = 6  # longer terms (policy names, mostly) are matched exactly only
_MAX_CACHE = 200_000
_DATA_VERSION = 1

Kind = Literal["product", "policy"]
_KINDS: tuple[Kind, ...] = ("product", "policy")
_GROUPS: dict[str, str] = {"product": "hi_products", "policy": "hi_policies"}

_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
# words that never anchor fuzzy matching or get inflected
_FUNCTION_WORDS = frozenset(
    "a an and are as at be by for from i in is it me my of on or our the this to us we with you your".split()
)
# tokens that may sit inside a fuzzy n-gram although they are not words
_JOINERS = frozenset({"-", "/", "&", "'", "’", "+"})


def _normalise(text: str) -> str:
    """Lower case, runs of letters and digits joined by single spaces.

    Examples:
        >>> _normalise("  Wi-Fi   Booster! ")
        'wi fi booster'
    """
    return " ".join(_WORD.findall(text.lower()))


def _compact(text: str) -> str:
    """Letters and digits only, lower case: how SKUs are compared."""
    return "".join(_WORD.findall(text.lower()))


@dataclass(frozen=True, slots=True)
class Link:
    """One link of a doc to a catalog product or policy.

    A text mention has the character offsets of its span in the doc
    (half-open); a link made from the source's own fields (``method``
    ``"metadata"``) has None for both.

    Attributes:
        kind: ``"product"`` or ``"policy"``.
        id: The product or policy id.
        method: How the link was made: ``"name"``, ``"alias"``, ``"sku"``,
            ``"phrase"``, ``"lemma"``, ``"fuzzy"`` or ``"metadata"``.
        confidence: How sure the link is, in [0, 1].
        start_char: Where the mention starts in the doc's text, or None.
        end_char: Where the mention ends in the doc's text, or None.

    Examples:
        >>> link = Link("product", "router_hub5", "alias", 0.95, 10, 15)
        >>> link.is_mention, Link("product", "router_hub5", "metadata", 1.0, None, None).is_mention
        (True, False)
    """

    kind: Kind
    id: str
    method: str
    confidence: float
    start_char: int | None = None
    end_char: int | None = None

    @property
    def is_mention(self) -> bool:
        """Whether the link comes from a mention in the text (it has offsets)."""
        return self.start_char is not None


def _encode_link(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, Link):
        return {"__hi_link__": [obj.kind, obj.id, obj.method, obj.confidence, obj.start_char, obj.end_char]}
    return obj if chain is None else chain(obj)


def _decode_link(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and "__hi_link__" in obj:
        return Link(*obj["__hi_link__"])
    return obj if chain is None else chain(obj)


def _register_msgpack() -> None:
    """Let ``Doc.to_bytes`` (``DocBin``, ``nlp.pipe(n_process=2)``) carry Link records."""
    srsly = importlib.import_module("srsly")  # spaCy's serialiser; untyped
    srsly.msgpack_encoders.register("hotline_insight.link", func=_encode_link)
    srsly.msgpack_decoders.register("hotline_insight.link", func=_decode_link)


_register_msgpack()


# -- the catalog, indexed for matching ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind
    id: str


@dataclass(frozen=True, slots=True)
class _FuzzyTerm:
    entry: int
    norm: str
    n_tokens: int
    n_anchors: int  # positions of anchor words (not function words)
    first: str  # first and last normalised words
    last: str
    words: tuple[str, ...]
    digits: tuple[str, ...]
    min_len: float  # window lengths (chars) that can still reach the threshold
    max_len: float


# (start token, end token, confidence, entry index, method)
_Candidate = tuple[int, int, float, int, str]


@dataclass(frozen=True, slots=True)
class _TokenInfo:
    """What fuzzy matching needs to know about one distinct lower-case token."""

    norm: str  # normalised text ("" for punctuation)
    breaks: bool  # punctuation that ends an n-gram (not a joiner such as "-")
    single: tuple[tuple[int, int], ...]  # (term, position) of one-anchor terms it nearly spells
    multi: frozenset[int]  # terms with several anchors that it anchors
    primary: frozenset[int]  # those of them where it stands for a word that is not a stop word
    positions: dict[int, tuple[int, ...]]  # term -> positions it anchors in that term


class _Index:
    """Everything the linker matches with, built from a catalog and a pipeline."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        catalog: Catalog,
        *,
        fuzzy: bool,
        fuzzy_threshold: float,
        min_fuzzy_length: int,
    ) -> None:
        self.vocab: Vocab = nlp.vocab
        self.threshold = float(fuzzy_threshold)
        self.entries: list[_Entry] = [_Entry("product", p.id) for p in catalog.products]
        self.entries += [_Entry("policy", p.id) for p in catalog.policies]
        self.keys: dict[int, tuple[int, str, float]] = {}  # match id -> (entry, method, confidence)

        # terms: (entry, method, text), names first
        terms: list[tuple[int, str, str]] = []
        for index, product in enumerate(catalog.products):
            terms += [(index, "name" if i == 0 else "alias", t) for i, t in enumerate(product.terms)]
        offset = len(catalog.products)
        for index, policy in enumerate(catalog.policies, start=offset):
            seen = {policy.name.casefold()}
            terms.append((index, "name", policy.name))
            for phrase in policy.phrases:
                if phrase.casefold() not in seen:
                    seen.add(phrase.casefold())
                    terms.append((index, "phrase", phrase))
        term_docs = list(_tokenizer(nlp).pipe(t for _, _, t in terms))
        self._build_matchers(nlp, name, terms, term_docs)
        self._build_skus(nlp, catalog)
        self._build_fuzzy(nlp, terms, term_docs, fuzzy=fuzzy, min_length=min_fuzzy_length)

        # metadata hints
        self.hint_exact: dict[str, tuple[int, float]] = {}
        for index, product in enumerate(catalog.products):
            for i, term in enumerate(product.terms):
                self.hint_exact.setdefault(_normalise(term), (index, 1.0 if i == 0 else 0.95))
        for index, product in enumerate(catalog.products):
            self.hint_exact.setdefault(_normalise(product.id), (index, 1.0))
        self.product_ids = {p.id: i for i, p in enumerate(catalog.products)}
        self.hint_cache: dict[str, tuple[Link, ...]] = {}

    # -- building ----------------------------------------------------------------

    def _key(self, entry: int, method: str) -> str:
        """The match key of an entry and method (registered for look-up by its hash)."""
        kind = self.entries[entry].kind
        key = f"hotline_linker\x1f{kind}\x1f{self.entries[entry].id}\x1f{method}"
        self.keys[int(self.vocab.strings.add(key))] = (entry, method, CONFIDENCE[kind][method])
        return key

    def _build_matchers(
        self, nlp: Language, name: str, terms: list[tuple[int, str, str]], term_docs: list[Doc]
    ) -> None:
        # The tokenizer's exceptions are case-sensitive ("id" is split, "ID" is not), so
        # each term is tokenised in several casings and every distinct result is a pattern.
        casings = [_casings(text) for _, _, text in terms]
        docs = iter(_tokenizer(nlp).pipe(v for variants in casings for v in variants))
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        procs, has_lemma = _lemma_components(nlp, name)
        table = _lookup_table(procs)
        for (entry, method, _text), variants in zip(terms, casings, strict=True):
            patterns: dict[tuple[str, ...], Doc] = {}
            for _ in variants:
                doc = next(docs)
                patterns.setdefault(tuple(t.lower_ for t in doc), doc)
            self.lower_matcher.add(self._key(entry, method), list(patterns.values()))
            inflected: dict[tuple[str, ...], Doc] = {}
            for doc in patterns.values():
                for variant in _inflected(doc, table, numeric_plural=self.entries[entry].kind == "product"):
                    key = tuple(t.lower_ for t in variant)
                    if key not in patterns:
                        inflected.setdefault(key, variant)
            if inflected:
                self.lower_matcher.add(self._key(entry, "lemma"), list(inflected.values()))
        self.lemma_matcher: PhraseMatcher | None = None
        if has_lemma:
            self.lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
            for (entry, _method, _text), patterns_ in zip(
                terms, _lemma_patterns(nlp, procs, casings), strict=True
            ):
                if patterns_:
                    self.lemma_matcher.add(self._key(entry, "lemma"), patterns_)

    def _build_skus(self, nlp: Language, catalog: Catalog) -> None:
        """One regex for all SKUs (separators optional between letter/digit runs), and the
        lower-case tokens of a text, one of which must be present for the regex to run."""
        self.sku_entries: dict[str, int] = {}
        alternatives: list[str] = []
        renderings: list[str] = []
        for index, product in enumerate(catalog.products):
            for sku in product.skus:
                chunks = [c.lower() for c in _WORD.findall(sku)]
                key = "".join(chunks)
                if not chunks or key in self.sku_entries:
                    continue
                self.sku_entries[key] = index
                alternatives.append(r"[\s\-_./]?".join(re.escape(c) for c in chunks))
                renderings += [
                    sku,
                    sku.lower(),
                    key,
                    *(sep.join(chunks) for sep in (" ", "-", "_", "/", ".")),
                ]
        gate: set[int] = set()
        for doc in _tokenizer(nlp).pipe(renderings):
            gate.update(t.lower for t in doc if len(t.text) > 1 and not t.is_punct)
        self.sku_gate = frozenset(gate)
        alternatives.sort(key=len, reverse=True)
        body = r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])"
        # matched against the lower-cased text: Python's IGNORECASE alternation is slow
        self.sku_regex = re.compile(body) if alternatives else None
        self.sku_regex_any_case = re.compile(body, re.IGNORECASE) if alternatives else None

    def _build_fuzzy(
        self,
        nlp: Language,
        terms: list[tuple[int, str, str]],
        term_docs: list[Doc],
        *,
        fuzzy: bool,
        min_length: int,
    ) -> None:
        self.fuzzy_terms: list[_FuzzyTerm] = []
        self.term_kinds: list[str] = []
        self.anchors: dict[str, list[tuple[int, int, bool]]] = {}  # word -> (term, position, primary)
        self.token_info: dict[int, _TokenInfo] = {}  # by lower-case hash
        self.known: set[int] = set()  # the keys of token_info, for fast set operations
        self.flagged: set[int] = set()  # tokens with anchor hits
        self.max_tokens = 0
        # Anchors: a term's words other than function words ("the", "for"). Stop words
        # ("call", "back", "five") are secondary: they pair with a primary anchor but
        # never anchor a term alone, and an n-gram may not start or end with one the
        # term lacks there.
        self.stop_words = frozenset(_FUNCTION_WORDS | {w.lower() for w in nlp.Defaults.stop_words})
        if not fuzzy:
            self.anchor_words: list[str] = []
            return
        ratio = self.threshold / 100.0
        seen: set[tuple[int, str]] = set()
        for (entry, _method, _text), doc in zip(terms, term_docs, strict=True):
            words = [_normalise(t.text) for t in doc]
            norm = " ".join(w for w in words if w)
            anchor_positions = [i for i, w in enumerate(words) if w and w not in _FUNCTION_WORDS]
            primary = {i for i in anchor_positions if words[i] not in self.stop_words}
            if len(norm) < min_length or len(doc) > _MAX_FUZZY_TOKENS or (entry, norm) in seen or not primary:
                continue
            seen.add((entry, norm))
            term_index = len(self.fuzzy_terms)
            self.fuzzy_terms.append(
                _FuzzyTerm(
                    entry=entry,
                    norm=norm,
                    n_tokens=len(doc),
                    n_anchors=len(anchor_positions),
                    first=norm.split()[0],
                    last=norm.split()[-1],
                    words=tuple(norm.split()),
                    digits=tuple(_DIGITS.findall(norm)),
                    min_len=len(norm) * ratio / (2.0 - ratio),
                    max_len=len(norm) * (2.0 - ratio) / ratio,
                )
            )
            self.term_kinds.append(self.entries[entry].kind)
            self.max_tokens = max(self.max_tokens, len(doc))
            for position in anchor_positions:
                self.anchors.setdefault(words[position], []).append(
                    (term_index, position, position in primary)
                )
        self.anchor_words = sorted(
            w for w in self.anchors if len(w) >= _MIN_TOKEN_ANCHOR_LENGTH and w.isalpha()
        )

    # -- matching ----------------------------------------------------------------

    def exact(self, doc: Doc, lowers: list[int], *, lemma: bool = True) -> list[_Candidate]:
        """Name, alias, phrase, SKU and lemma matches, overlapping; ``lowers`` are the
        doc's ``LOWER`` hashes."""
        keys = self.keys
        found: list[_Candidate] = []
        for match_id, start, end in self.lower_matcher(doc):
            entry, method, confidence = keys[match_id]
            found.append((start, end, confidence, entry, method))
        if lemma and self.lemma_matcher is not None:
            for match_id, start, end in self.lemma_matcher(doc):
                entry, method, confidence = keys[match_id]
                found.append((start, end, confidence, entry, method))
        if self.sku_regex is not None and not self.sku_gate.isdisjoint(lowers):
            found += self._skus(doc)
        return found

    def _skus(self, doc: Doc) -> list[_Candidate]:
        text = doc_text(doc)
        lower = text.lower()
        # lower() may change the length of some non-ASCII text; then match the original
        if len(lower) == len(text):
            matches = self.sku_regex.finditer(lower)  # type: ignore[union-attr]
        else:
            matches = self.sku_regex_any_case.finditer(text)  # type: ignore[union-attr]
        found: list[_Candidate] = []
        for match in matches:
            entry = self.sku_entries.get(_compact(match.group()))
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if entry is not None and span is not None and len(span):
                found.append((span.start, span.end, CONFIDENCE["product"]["sku"], entry, "sku"))
        return found

    def _token(self, lower: int, strings: Any) -> _TokenInfo:
        """The fuzzy-matching facts of a token, by the hash of its lower-case text (cached);
        ``strings`` is the doc's string store."""
        if len(self.token_info) >= _MAX_CACHE:
            self.token_info.clear()
            self.known.clear()
            self.flagged.clear()
        word = strings[lower]
        norm = _normalise(word)
        exact = self.anchors.get(norm, [])
        near: list[tuple[int, int, bool]] = []
        if len(norm) >= _MIN_TOKEN_ANCHOR_LENGTH - 1 and norm.isalpha() and norm not in self.stop_words:
            for other, _score, _i in process.extract(
                norm, self.anchor_words, scorer=fuzz.ratio, score_cutoff=_TOKEN_ANCHOR_CUTOFF, limit=None
            ):
                if other != norm:
                    near.extend(self.anchors[other])
        terms = self.fuzzy_terms
        # a one-anchor term spelt right is the exact matchers' business
        single = tuple(sorted({(t, p) for t, p, _primary in near if terms[t].n_anchors == 1}))
        positions: dict[int, set[int]] = {}
        primary: set[int] = set()
        for term_index, position, is_primary in (*exact, *near):
            if terms[term_index].n_anchors > 1:
                positions.setdefault(term_index, set()).add(position)
                if is_primary:
                    primary.add(term_index)
        info = _TokenInfo(
            norm=norm,
            breaks=not norm and word not in _JOINERS,
            single=single,
            multi=frozenset(positions),
            primary=frozenset(primary),
            positions={t: tuple(sorted(p)) for t, p in positions.items()},
        )
        self.token_info[lower] = info
        self.known.add(lower)
        if single or positions:
            self.flagged.add(lower)
        return info

    def fuzzy(self, doc: Doc, lowers: list[int], exact: list[_Candidate]) -> list[_Candidate]:
        """Fuzzy matches around anchors, none inside or across an exact match of the same kind.

        A term with one anchor word is tried where a word nearly spells it (or,
        for a term of several words, spells it); a term with several where two
        of its anchor words are found (exactly or nearly) in the right order,
        at most one token out of place. ``lowers`` are the doc's ``LOWER`` hashes.
        """
        if not self.fuzzy_terms or not lowers:
            return []
        cache = self.token_info
        # set operations run in C: most turns stop here
        if not self.known.issuperset(lowers):
            for lower in set(lowers).difference(self.known):
                self._token(lower, doc.vocab.strings)
        marked = self.flagged
        if marked.isdisjoint(lowers):
            return []
        flagged = [(i, cache[h]) for i, h in enumerate(lowers) if h in marked]
        # the entry of the exact match (per kind) each token is part of
        entries = self.entries
        cover: dict[str, dict[int, tuple[int, int, int]]] = {kind: {} for kind in _KINDS}
        for kind in _KINDS:
            own = [c for c in exact if entries[c[3]].kind == kind]
            for start, end, _conf, entry, _method in _resolve(own) if own else ():
                for i in range(start, end):
                    cover[kind][i] = (start, end, entry)
        terms = self.fuzzy_terms
        kinds = self.term_kinds
        jobs: set[tuple[int, int, int]] = set()  # (term, anchor token, position in term)
        for k, (i, info) in enumerate(flagged):
            for term_index, position in info.single:
                jobs.add((term_index, i, position))
            if not info.multi:
                continue
            for j, other in flagged[k + 1 :]:
                if j - i > self.max_tokens:
                    break
                if info.multi.isdisjoint(other.multi):
                    continue
                for term_index in info.multi & other.multi:
                    if term_index not in info.primary and term_index not in other.primary:
                        continue
                    term = terms[term_index]
                    inside = cover[kinds[term_index]].get(i)
                    if j - i > term.n_tokens or (inside is not None and inside[2] == term.entry):
                        continue  # too far apart, or already matched exactly
                    for p in info.positions[term_index]:
                        for q in other.positions[term_index]:
                            if p != q and abs((j - q) - (i - p)) <= 1:
                                jobs.add((term_index, i, p))
        if not jobs:
            return []
        return self._windows(lowers, cover, sorted(jobs))

    def _windows(
        self,
        lowers: list[int],
        cover: dict[str, dict[int, tuple[int, int, int]]],
        jobs: list[tuple[int, int, int]],
    ) -> list[_Candidate]:
        """Score the n-grams around each anchor; keep the best non-overlapping ones.

        ``cover`` maps, per kind, each token of an exact match to the match's
        (start, end, entry): a fuzzy n-gram may not sit inside or cut across one.
        """
        n = len(lowers)
        cache = self.token_info
        entries = self.entries
        terms = self.fuzzy_terms
        threshold = self.threshold
        stop_words = self.stop_words
        tried: set[tuple[int, int, int]] = set()
        best: dict[tuple[int, int, int], float] = {}  # (start, end, entry) -> ratio
        for term_index, i, position in jobs:
            term = terms[term_index]
            spans = cover[entries[term.entry].kind]
            inside = spans.get(i)
            if inside is not None and inside[2] == term.entry:
                continue  # every n-gram through i would hold or cut this exact match
            first = i - position
            for start in (first, first - 1, first + 1):
                if start < 0 or start > i:
                    continue
                for size in (term.n_tokens, term.n_tokens - 1, term.n_tokens + 1):
                    end = start + size
                    if end <= i or end > n or (start, end, term_index) in tried:
                        continue
                    tried.add((start, end, term_index))
                    window = [cache[h] for h in lowers[start:end]]
                    words = [info.norm for info in window if info.norm]
                    if (
                        not words
                        or not (term.min_len <= sum(map(len, words)) + len(words) - 1 <= term.max_len)
                        or words[0][0] != term.norm[0]
                        or any(info.breaks for info in window)
                        or not _edge_ok(window[0].norm, term.first, stop_words)
                        or not _edge_ok(window[-1].norm, term.last, stop_words)
                        or _blocked(spans, start, end, term.entry)
                    ):
                        continue
                    text = " ".join(words)
                    score = fuzz.ratio(text, term.norm, score_cutoff=threshold)
                    if (
                        score
                        and tuple(_DIGITS.findall(text)) == term.digits
                        and _words_agree(words, term.words)
                    ):
                        key = (start, end, term.entry)
                        best[key] = max(score, best.get(key, 0.0))
        # best first; among equals the shorter, earlier, first-listed
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0][1] - item[0][0], item[0]))
        taken: set[int] = set()
        found: list[_Candidate] = []
        for (start, end, entry), score in ranked:
            if not taken.isdisjoint(range(start, end)):
                continue
            taken.update(range(start, end))
            confidence = round(FUZZY_CONFIDENCE_SCALE * score / 100.0, 4)
            found.append((start, end, confidence, entry, "fuzzy"))
        return found

    def hint(self, hint: str, nlp: Language, fuzzy: bool) -> tuple[Link, ...]:
        """The products a metadata hint names (cached per hint)."""
        cached = self.hint_cache.get(hint)
        if cached is not None:
            return cached
        if len(self.hint_cache) >= _MAX_CACHE:
            self.hint_cache.clear()
        links = self._resolve_hint(hint, nlp, fuzzy)
        self.hint_cache[hint] = links
        return links

    def _resolve_hint(self, hint: str, nlp: Language, fuzzy: bool) -> tuple[Link, ...]:
        text = hint.strip()
        if not text:
            return ()

        def link(entry: int, confidence: float) -> tuple[Link, ...]:
            return (Link("product", self.entries[entry].id, "metadata", confidence),)

        if text in self.product_ids:
            return link(self.product_ids[text], 1.0)
        norm = _normalise(text)
        if norm in self.hint_exact:
            return link(*self.hint_exact[norm])
        if _compact(text) in self.sku_entries:
            return link(self.sku_entries[_compact(text)], 1.0)
        # products mentioned inside the hint ("Broadband / Fibre 500 fault")
        doc = nlp.make_doc(text)
        found = self.exact(doc, [t.lower for t in doc], lemma=False)
        mentions = _resolve(c for c in found if self.entries[c[3]].kind == "product")
        if mentions:
            seen: dict[int, float] = {}
            for _start, _end, confidence, entry, _method in mentions:
                seen.setdefault(entry, round(confidence * _HINT_MENTION_SCALE, 4))
            return tuple(Link("product", self.entries[e].id, "metadata", c) for e, c in seen.items())
        if fuzzy:
            products = [t for t in self.fuzzy_terms if self.entries[t.entry].kind == "product"]
            digits = tuple(_DIGITS.findall(norm))
            for _choice, score, i in process.extract(
                norm, [t.norm for t in products], scorer=fuzz.ratio, score_cutoff=self.threshold, limit=5
            ):
                if products[i].digits == digits:
                    return link(products[i].entry, round(FUZZY_CONFIDENCE_SCALE * score / 100.0, 4))
        return ()


def _blocked(spans: dict[int, tuple[int, int, int]], start: int, end: int, entry: int) -> bool:
    """Whether [start, end) lies inside an exact match, cuts across one, or holds one of ``entry``."""
    if not spans:
        return False
    first, last = spans.get(start), spans.get(end - 1)
    if first is not None and (first[0] < start or first[1] >= end):
        return True
    if last is not None and last[1] > end:
        return True
    return any(span[2] == entry for span in (spans.get(i) for i in range(start, end)) if span is not None)


def _words_agree(words: list[str], term_words: tuple[str, ...]) -> bool:
    """With as many words as the term, each word must resemble its counterpart
    ("pay a loan" is not "pay day loan"); split or joined words are not compared."""
    if len(words) != len(term_words):
        return True
    return all(a == b or fuzz.ratio(a, b) >= _WORD_AGREEMENT for a, b in zip(words, term_words, strict=True))


def _edge_ok(word: str, term_word: str, stop_words: frozenset[str]) -> bool:
    """An n-gram may start or end with a word only if it is not a stop word the term lacks there."""
    return bool(word) and (word == term_word or word not in stop_words)


def _resolve(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates: longest, then most confident, earliest, first listed."""
    ranked = sorted(set(candidates), key=lambda c: (c[0] - c[1], -c[2], c[0], c[3], c[4]))
    taken: set[int] = set()
    kept: list[_Candidate] = []
    for candidate in ranked:
        start, end = candidate[0], candidate[1]
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        kept.append(candidate)
    kept.sort()
    return kept


def _tokenizer(nlp: Language) -> Any:
    """The pipeline's tokenizer (typed as a plain callable by spaCy, but it has ``pipe``)."""
    return nlp.tokenizer


def _lemma_components(nlp: Language, name: str) -> tuple[list[Any], bool]:
    """The pipeline's components before the linker that are not hotline components,
    and whether any of them sets lemmas."""
    names = list(nlp.pipe_names)
    stop = names.index(name) if name in names else len(names)
    procs: list[Any] = []
    has_lemma = False
    for component_name, proc in nlp.pipeline[:stop]:
        meta = nlp.get_pipe_meta(component_name)
        if meta.factory.startswith("hotline_"):
            continue
        procs.append(proc)
        has_lemma = has_lemma or "token.lemma" in meta.assigns
    return (procs, has_lemma)


def _lookup_table(procs: list[Any]) -> Any:
    """The ``lemma_lookup`` table of a lookup-mode lemmatizer among ``procs``, or None."""
    for proc in procs:
        lookups = getattr(proc, "lookups", None)
        if (
            getattr(proc, "mode", None) == "lookup"
            and lookups is not None
            and lookups.has_table("lemma_lookup")
        ):
            return lookups.get_table("lemma_lookup")
    return None


def _forms(word: str, lemma: str, table: Any) -> list[str]:
    """Regular inflections of ``word`` that the lookup table gives ``lemma``."""
    stems = {word, word[:-1]} if word.endswith("e") else {word}
    candidates = {word + "s", word + "es", word + "d", word + "ed", word + "ing", word + word[-1] + "ed"}
    candidates |= {s + "ing" for s in stems} | {word + word[-1] + "ing"}
    if word.endswith("y"):
        candidates |= {word[:-1] + "ies", word[:-1] + "ied"}
    return sorted(c for c in candidates if c != word and table.get(c) == lemma)


def _inflected(doc: Doc, table: Any, *, numeric_plural: bool) -> list[Doc]:
    """Pattern docs for the term's inflected forms ("mesh extenders", "Hub 5s")."""
    options: list[list[str]] = []
    for token in doc:
        word = token.lower_
        forms = [word]
        if word.isalpha() and word not in _FUNCTION_WORDS and table is not None:
            forms += _forms(word, table.get(word, word), table)
        if numeric_plural and token.i == len(doc) - 1 and word[-1:].isdigit():
            forms.append(word + "s")
        options.append(forms)
    spaces = [bool(t.whitespace_) for t in doc]
    original = tuple(forms[0] for forms in options)
    variants: list[Doc] = []
    for combination in cartesian(*options):
        if combination == original:
            continue
        variants.append(Doc(doc.vocab, words=list(combination), spaces=spaces))
        if len(variants) >= _MAX_VARIANTS:
            break
    return variants


def _casings(text: str) -> list[str]:
    """The term as written, lower case, title case, first letter capital and upper case."""
    variants = [text, text.lower(), text.title(), text[:1].upper() + text[1:].lower(), text.upper()]
    return list(dict.fromkeys(variants))


def _lemma_patterns(nlp: Language, procs: list[Any], casings: list[list[str]]) -> list[list[Doc]]:
    """Per term, its distinct lemma sequences over its casings, as pattern docs."""
    flat = [v for vs in casings for v in vs]
    docs: Iterable[Doc] = _tokenizer(nlp).pipe(flat)
    for proc in procs:
        docs = proc.pipe(docs) if hasattr(proc, "pipe") else (proc(d) for d in docs)
    processed = iter(list(docs))
    out: list[list[Doc]] = []
    for variants in casings:
        seen: set[tuple[str, ...]] = set()
        patterns: list[Doc] = []
        for _ in variants:
            doc = next(processed)
            lemmas = tuple(t.lemma_ for t in doc)
            if lemmas not in seen and doc.has_annotation("LEMMA"):
                seen.add(lemmas)
                patterns.append(doc)
        out.append(patterns)
    return out


# -- the component ------------------------------------------------------------------


class Linker:
    """spaCy component linking product and policy mentions to a catalog.

    Created by ``nlp.add_pipe("hotline_linker")`` (see :func:`make_linker` for
    the settings). Without a catalog it leaves docs alone; give it one with the
    ``catalog`` setting (a YAML path) or :meth:`set_catalog`. The matchers are
    built by ``nlp.initialize()`` or on the first doc, once the pipeline's
    lemmatizer is ready; the settings are read then, so change them in the
    config, not on the object.

    Examples:
        >>> import spacy
        >>> from hotline_insight.catalog import Catalog
        >>> from hotline_insight.nlp.linking import Linker
        >>> nlp = spacy.blank("en")
        >>> linker = nlp.add_pipe("hotline_linker")
        >>> linker.set_catalog(Catalog.from_yaml("sample_data/catalog.yaml"))
        >>> doc = nlp.make_doc("Is LH5-AX3000 the lark hub?")
        >>> doc._.hi_product_hint = "Larkspur Gigabit"
        >>> doc = linker(doc)
        >>> [(s.text, s._.hi_method) for s in doc.spans["hi_products"]]
        [('LH5-AX3000', 'sku'), ('lark hub', 'alias')]
        >>> doc._.hi_product_links
        (Link(kind='product', id='bb_gigabit', method='metadata', confidence=1.0, start_char=None, end_char=None),)
        >>> [(link.id, link.start_char) for link in doc._.hi_links]
        [('router_hub5', 3), ('router_hub5', 18), ('bb_gigabit', None)]
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "hotline_linker",
        *,
        catalog: str | Path | None = None,
        fuzzy: bool = True,
        fuzzy_threshold: float = 88.0,
        min_fuzzy_length: int = 5,
    ) -> None:
        register_extensions()
        _check("fuzzy", fuzzy, "a bool", isinstance(fuzzy, bool))
        _check(
            "fuzzy_threshold",
            fuzzy_threshold,
            "a number in the range [50, 100]",
            isinstance(fuzzy_threshold, int | float)
            and not isinstance(fuzzy_threshold, bool)
            and 50 <= fuzzy_threshold <= 100,
        )
        _check(
            "min_fuzzy_length",
            min_fuzzy_length,
            "an int >= 1",
            isinstance(min_fuzzy_length, int)
            and not isinstance(min_fuzzy_length, bool)
            and min_fuzzy_length >= 1,
        )
        _check(
            "catalog",
            catalog,
            "null or the path of a catalog YAML file",
            catalog is None or isinstance(catalog, str | Path),
        )
        self.nlp = nlp
        self.name = name
        self.fuzzy = fuzzy
        self.fuzzy_threshold = float(fuzzy_threshold)
        self.min_fuzzy_length = min_fuzzy_length
        self._catalog: Catalog | None = None
        self._pending_path: str | None = None
        self._index: _Index | None = None
        if catalog is not None:
            if Path(catalog).is_file():
                self._catalog = Catalog.from_yaml(Path(catalog))
            else:
                # read on first use, unless from_disk or set_catalog provides one first
                # (a saved pipeline carries its own copy of the catalog)
                self._pending_path = str(catalog)

    # -- catalog -----------------------------------------------------------------

    @property
    def catalog(self) -> Catalog | None:
        """The catalog linked to, or None."""
        if self._catalog is None and self._pending_path is not None:
            self._catalog = Catalog.from_yaml(Path(self._pending_path))
            self._pending_path = None
        return self._catalog

    def set_catalog(self, catalog: Catalog | None) -> None:
        """Link to ``catalog`` from now on (None: link nothing).

        Raises:
            ConfigError: E502 when ``catalog`` is not a Catalog.

        Examples:
            >>> import spacy
            >>> from hotline_insight.catalog import Catalog
            >>> linker = spacy.blank("en").add_pipe("hotline_linker")
            >>> linker.set_catalog(Catalog.from_dict({"products": [{"id": "p", "name": "Fibre"}]}))
            >>> linker.catalog.products[0].id
            'p'
        """
        _check(
            "catalog",
            catalog,
            "a hotline_insight.Catalog or None",
            catalog is None or isinstance(catalog, Catalog),
        )
        self._catalog = catalog
        self._pending_path = None
        self._index = None

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        """Build the matchers now rather than on the first doc (called by ``nlp.initialize()``)."""
        if nlp is not None:
            self.nlp = nlp
        self._index = None
        self._ready()

    def _ready(self) -> _Index | None:
        if self._index is None:
            catalog = self.catalog
            if catalog is None:
                return None
            self._index = _Index(
                self.nlp,
                self.name,
                catalog,
                fuzzy=self.fuzzy,
                fuzzy_threshold=self.fuzzy_threshold,
                min_fuzzy_length=self.min_fuzzy_length,
            )
        return self._index

    # -- processing --------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Write the doc's product and policy mentions and links (see the module docs).

        A doc with no mention and no resolvable hint is left as it is (span
        groups absent, links empty), which is cheaper than writing empty
        values; read the groups with ``doc.spans.get(...)``.
        """
        index = self._index or self._ready()
        if index is None:
            return doc
        lowers = doc.to_array("LOWER").tolist() if len(doc) > 40 else [t.lower for t in doc]
        found = index.exact(doc, lowers)
        if self.fuzzy:
            found = found + index.fuzzy(doc, lowers, found)
        hint = _get_hint(doc)
        metadata = index.hint(str(hint), self.nlp, self.fuzzy) if hint is not None else ()
        if not found and not metadata and not _has_links(doc):
            return doc
        entries = index.entries
        by_kind: dict[str, list[_Candidate]] = {"product": [], "policy": []}
        for candidate in found:
            by_kind[entries[candidate[3]].kind].append(candidate)
        mentions: list[tuple[int, int, Link]] = []
        for rank, kind in enumerate(_KINDS):
            spans = []
            for start, end, confidence, entry, method in _resolve(by_kind[kind]):
                span = Span(doc, start, end, label=entries[entry].id)
                ext = span._
                ext.hi_method = method
                ext.hi_confidence = confidence
                spans.append(span)
                link = Link(kind, entries[entry].id, method, confidence, span.start_char, span.end_char)
                mentions.append((start, rank, link))
            doc.spans[_GROUPS[kind]] = spans
        mentions.sort(key=lambda m: (m[0], m[1]))
        ext = doc._
        ext.hi_product_links = metadata
        ext.hi_links = tuple(m[2] for m in mentions) + metadata
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process a stream of docs (``batch_size`` is accepted for spaCy's API and unused)."""
        for doc in stream:
            yield self(doc)

    # -- serialisation -----------------------------------------------------------

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The catalog, as JSON bytes (the settings live in the pipeline's config).

        ``exclude=["catalog"]`` leaves the catalog out.
        """
        catalog = None if "catalog" in exclude else self.catalog
        data = {"version": _DATA_VERSION, "catalog": catalog.to_yaml() if catalog is not None else None}
        return json.dumps(data).encode("utf-8")

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> Linker:
        """Restore the catalog written by :meth:`to_bytes`.

        Raises:
            ConfigError: E901 when the data is not what :meth:`to_bytes` writes.
        """
        try:
            data = json.loads(bytes_data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(
                Errors.E901.format(source="<bytes>", reason=f"it is not JSON ({exc})")
            ) from None
        self._restore(data, "<bytes>", exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``linker.json`` (the data version) and the catalog as ``catalog.yaml`` to ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        catalog = None if "catalog" in exclude else self.catalog
        meta = {"version": _DATA_VERSION, "has_catalog": catalog is not None}
        (path / "linker.json").write_text(json.dumps(meta), encoding="utf-8")
        if catalog is not None:
            (path / "catalog.yaml").write_text(catalog.to_yaml(), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Linker:
        """Restore what :meth:`to_disk` wrote.

        Raises:
            ConfigError: E901 when ``linker.json`` is unreadable or of another
                data version; E301/E302 for an invalid ``catalog.yaml``.
        """
        path = Path(path)
        try:
            data = json.loads((path / "linker.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(
                Errors.E901.format(source=str(path), reason=f"no readable linker.json ({exc})")
            ) from None
        if isinstance(data, dict):
            catalog_path = path / "catalog.yaml"
            data["catalog"] = catalog_path.read_text(encoding="utf-8") if catalog_path.is_file() else None
        self._restore(data, str(path), exclude)
        return self

    def _restore(self, data: object, source: str, exclude: Iterable[str]) -> None:
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(data, dict) or version != _DATA_VERSION:
            reason = (
                f"it was written with data version {version!r}; this version of hotline_insight reads "
                f"version {_DATA_VERSION}. Save the pipeline again with this version"
            )
            raise ConfigError(Errors.E901.format(source=source, reason=reason))
        text = data.get("catalog")
        if text is not None and "catalog" not in exclude:
            self.set_catalog(Catalog.from_yaml(str(text)))


def _fast_extensions() -> bool:
    """Whether Doc extension values live in ``doc.user_data`` under spaCy's usual keys.

    Reading ``doc._.x`` builds an accessor object each time, which costs more
    than matching a short turn; where the layout is the usual one the linker
    reads ``doc.user_data`` directly.
    """
    from spacy.vocab import Vocab

    probe = Doc(Vocab(), words=["probe"])
    try:
        probe._.hi_product_hint = "probe"
    except Exception:  # registered elsewhere with a getter: use the public API
        return False
    user_data: dict[Any, Any] = probe.user_data
    return bool(user_data.get(_ext_key("hi_product_hint")) == "probe")


def _ext_key(name: str) -> tuple[str, str, None, None]:
    return ("._.", name, None, None)


_HINT_KEY = _ext_key("hi_product_hint")
_LINKS_KEY = _ext_key("hi_links")
_FAST: list[bool] = []  # filled on first use


def _get_hint(doc: Doc) -> Any:
    if not _FAST:
        _FAST.append(_fast_extensions())
    user_data: dict[Any, Any] = doc.user_data
    return user_data.get(_HINT_KEY) if _FAST[0] else doc._.hi_product_hint


def _has_links(doc: Doc) -> bool:
    """Whether an earlier run wrote to the doc (it always writes ``hi_links`` when it writes)."""
    user_data: dict[Any, Any] = doc.user_data
    if _FAST and _FAST[0]:
        return _LINKS_KEY in user_data
    return _LINKS_KEY in user_data or bool(doc._.hi_links)


def _check(name: str, value: object, expected: str, ok: bool) -> None:
    if not ok:
        raise ConfigError(
            Errors.E502.format(name=name, owner="hotline_linker", expected=expected, value=value)
        )


@Language.factory(
    "hotline_linker",
    assigns=[
        "doc.spans",
        "doc._.hi_links",
        "doc._.hi_product_links",
        "span._.hi_method",
        "span._.hi_confidence",
    ],
    default_config={"catalog": None, "fuzzy": True, "fuzzy_threshold": 88.0, "min_fuzzy_length": 5},
)
def make_linker(
    nlp: Language,
    name: str,
    catalog: str | None,
    fuzzy: bool,
    fuzzy_threshold: float,
    min_fuzzy_length: int,
) -> Linker:
    """Create the ``hotline_linker`` component.

    Args:
        nlp: The pipeline; its components before the linker lemmatise the terms.
        name: The component's name.
        catalog: Path of a catalog YAML file, or None for no catalog (the
            component then does nothing until :meth:`Linker.set_catalog`).
            A pipeline saved with ``nlp.to_disk`` keeps its own copy of the
            catalog, so loading it does not need the file.
        fuzzy: Whether to match near spellings.
        fuzzy_threshold: The least ``rapidfuzz.fuzz.ratio`` between normalised
            strings for a fuzzy match, in [50, 100]; default 88.
        min_fuzzy_length: Terms shorter than this many characters (normalised)
            are never matched fuzzily; default 5.

    Returns:
        The component.

    Raises:
        ConfigError: E502 for an invalid setting; E301/E302 for an invalid
            catalog file.

    Examples:
        >>> import spacy
        >>> import hotline_insight.nlp.linking
        >>> nlp = spacy.blank("en")
        >>> linker = nlp.add_pipe("hotline_linker", config={"fuzzy_threshold": 92})
        >>> linker.fuzzy_threshold, linker.catalog is None
        (92.0, True)
    """
    return Linker(
        nlp,
        name,
        catalog=catalog,
        fuzzy=fuzzy,
        fuzzy_threshold=fuzzy_threshold,
        min_fuzzy_length=min_fuzzy_length,
    )

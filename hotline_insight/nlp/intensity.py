"""``hotline_intensity``: how strongly each complaint segment is felt, and its sentiment.

For every span in ``doc.spans["hi_complaints"]`` the component sets

* ``span._.hi_cues``: the intensity cues found, a tuple of names in the order
  of :data:`CUES`;
* ``span._.hi_sentiment``: a valence score in [-1, 1] from a small lexicon;
* ``span._.hi_intensity``: a score in [0, 1] combining the two.

Cues
----

==================  ======  ==================================================================
cue                 weight  what (phrases in ``_lexicons.INTENSITY_PHRASES``)
==================  ======  ==================================================================
``escalation``       0.45   a regulator, ombudsman, CFPB, FCC, FTC, BBB, a lawyer, court,
                            suing, "report you to", social media, a bad review, the press
``leave``            0.40   threats to leave or switch provider, "take my business elsewhere"
``cancel``           0.25   cancel, terminate, close my account
``profanity``        0.30   a mild list ("damn", "crap", "bloody", "wtf") and masked words
                            ("f***", "sh*t")
``shouting``         0.25   two or more words in capitals, or one of 5+ letters ("AGAIN"); not
                            acronyms such as CFPB or redaction placeholders such as XXXX
``repeat_contact``   0.20   "third time", "called 5 times", "again", "over and over"
``angry_emoji``      0.15   😡 🤬 😠 😤 👎 (each, at most 2)
``exclamation``      0.10   each "!" (at most 3)
``intensifier``      0.10   "absolutely", "completely", "totally", "at all" (each, at most 2)
``hedge``           x0.6    "a bit", "slightly", "somewhat", "kind of": damps the result
==================  ======  ==================================================================

Formula::

    base      = 0.1 + 0.3 * max(0, -sentiment)
    intensity = 1 - (1 - base) * prod_c (1 - weight_c) ** n_c
    intensity = intensity * 0.6            if a hedge was found

so every cue raises the score with diminishing returns and the result stays
in [0, 1]. "I'm cancelling and reporting you to the FCC!!!" scores 0.73,
"the bill is a bit high" 0.06.

Sentiment
---------

Each token found in the valence lexicon (``_lexicons.VALENCE``: about 230
lemmas and a few emoji, from -0.9 "terrible" to +0.7 "great", matched in
their inflections) contributes its valence, times 1.3 after an intensifier
("very", "so", "absolutely" ...), times 0.6 after a hedge ("a bit"), and
times -0.5 when negated ("not good" -> -0.2, "not bad" -> +0.3; negation as
in ``hotline_complaints``: a negator up to four tokens back, skipping
articles and degree adverbs). With ``x`` the sum::

    sentiment = x / sqrt(x ** 2 + 2)

(VADER's normalisation with a smaller constant, suited to short segments).
A complaint with no valence words ("my router reboots every night") scores
0: the lexicon measures tone, not topic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import ConfigError, Errors
from ._extensions import doc_text, register_extensions
from ._lexicons import INTENSITY_PHRASES, VALENCE
from ._serialise import JsonSettings
from ._text import LowerView, PhraseIndex, is_negated, rewrite_pattern, word_forms

__all__ = ["CUES", "DEFAULT_CUE_WEIGHTS", "Intensity"]

_COMPONENT = "hotline_intensity"
_DATA_VERSION = 1

CUES = (
    "escalation",
    "leave",
    "cancel",
    "profanity",
    "shouting",
    "repeat_contact",
    "angry_emoji",
    "exclamation",
    "intensifier",
    "hedge",
)
"""The intensity cue names, in the order ``span._.hi_cues`` lists them."""

DEFAULT_CUE_WEIGHTS: dict[str, float] = {
    "escalation": 0.45,
    "leave": 0.40,
    "cancel": 0.25,
    "profanity": 0.30,
    "shouting": 0.25,
    "repeat_contact": 0.20,
    "angry_emoji": 0.15,
    "exclamation": 0.10,
    "intensifier": 0.10,
    "hedge": 0.6,
}
"""Cue weights; ``hedge`` is a multiplier, the others are noisy-OR weights."""

_MAX_COUNT = {"exclamation": 3, "intensifier": 2, "angry_emoji": 2}
_ANGRY_EMOJI = frozenset("😡🤬😠😤👎")
_ACRONYMS = frozenset(
    """CFPB FCC FTC BBB ATM APR PIN SIM USA ASAP DOB ACH FDIC FDCPA FCRA TILA ISP DSL TV HD SMS MMS
    USB VPN WIFI LTE GPS API URL PDF APP IOS CEO CPI VAT GST EMI IRS SSN LLC INC LTD PLC BNPL OK
    NYC UK EU US PM AM EST PST CST UTC FAQ ID IDS OTP CVV""".split()
)
_PLACEHOLDER = re.compile(r"X{2,}")
_INTENSIFIERS = frozenset(
    """very really so extremely absolutely completely totally utterly incredibly seriously
    ridiculously unbelievably truly deeply thoroughly""".split()
)
_HEDGES = frozenset("""bit little slightly somewhat fairly rather mildly tad""".split())
_APOS = "'?"


class Intensity(JsonSettings):
    """Set ``hi_intensity``, ``hi_cues`` and ``hi_sentiment`` on complaint segments.

    Built by ``nlp.add_pipe("hotline_intensity")``; run it after
    ``hotline_complaints``. See the module docstring for the formula.

    Args:
        nlp: The pipeline.
        name: The component's name in the pipeline.
        span_key: The span group to annotate.
        weights: Overrides of :data:`DEFAULT_CUE_WEIGHTS`.

    Examples:
        >>> import spacy, hotline_insight.nlp.complaints, hotline_insight.nlp.intensity
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("sentencizer")
        >>> _ = nlp.add_pipe("hotline_complaints")
        >>> _ = nlp.add_pipe("hotline_intensity")
        >>> doc = nlp("This is the THIRD time I've called, it's absolutely ridiculous!!")
        >>> span = doc.spans["hi_complaints"][0]
        >>> span._.hi_cues
        ('shouting', 'repeat_contact', 'exclamation', 'intensifier')
        >>> round(span._.hi_intensity, 2), round(span._.hi_sentiment, 2)
        (0.67, -0.48)
        >>> nlp.get_pipe("hotline_intensity").score("the bill is a bit high")
        (0.06, 0.0, ('hedge',))
    """

    def __init__(
        self,
        nlp: Language,
        name: str = _COMPONENT,
        *,
        span_key: str = "hi_complaints",
        weights: Mapping[str, float] | None = None,
    ) -> None:
        register_extensions()
        merged = {**DEFAULT_CUE_WEIGHTS, **(weights or {})}
        _validate(span_key, merged)
        self.nlp = nlp
        self.name = name
        self.span_key = span_key
        self.weights = {k: float(v) for k, v in merged.items()}
        self.phrases: dict[str, list[str]] = deepcopy(INTENSITY_PHRASES)
        self.valence: dict[str, float] = dict(VALENCE)
        self._build()

    def add_cues(self, cue: str, phrases: Iterable[str]) -> None:
        """Add phrase cues (regular expressions, case-insensitive) to a cue.

        Raises:
            ConfigError: An unknown cue or an invalid expression.

        Examples:
            >>> import spacy, hotline_insight.nlp.intensity
            >>> comp = spacy.blank("en").add_pipe("hotline_intensity")
            >>> comp.add_cues("escalation", [r"watchdog"])
        """
        phrase_cues = tuple(INTENSITY_PHRASES)
        if cue not in phrase_cues:
            raise ConfigError(
                Errors.E802.format(
                    what="cue", value=cue, component=_COMPONENT, expected=", ".join(phrase_cues)
                )
            )
        phrases = list(phrases)
        for i, p in enumerate(phrases):
            try:
                re.compile(p)
            except re.error as exc:
                raise ConfigError(Errors.E803.format(index=i, component=_COMPONENT, reason=exc.msg)) from None
        self.phrases.setdefault(cue, []).extend(phrases)
        self._build()

    def add_valence(self, entries: Mapping[str, float]) -> None:
        """Add or change sentiment lexicon entries (lemma -> valence in [-1, 1]).

        Raises:
            ConfigError: A valence outside [-1, 1].
        """
        for word, v in entries.items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not -1.0 <= v <= 1.0:
                raise ConfigError(
                    Errors.E801.format(
                        name=f"valence[{word!r}]",
                        component=_COMPONENT,
                        expected="a float in [-1, 1]",
                        value=v,
                    )
                )
            self.valence[word.lower()] = float(v)
        self._build()

    def _build(self) -> None:
        self._index = PhraseIndex(
            (cue, rewrite_pattern(p, apostrophe=_APOS)) for cue in CUES for p in self.phrases.get(cue, [])
        )
        forms: dict[str, float] = {}
        for lemma, v in self.valence.items():
            for form in word_forms(lemma):
                forms.setdefault(form, v)
        for lemma, v in self.valence.items():  # exact entries win over generated forms
            forms[lemma] = v
        self._valence_forms = forms
        # the same lexicon keyed by string hash, for LOWER and LEMMA columns
        from spacy.strings import get_string_id

        self._valence_hashes = {get_string_id(form): v for form, v in forms.items()}
        self._lemma_valence: dict[int, float | None] = {}  # lemma hash -> valence of its lower case
        self._shout: dict[int, int] = {}  # ORTH hash -> _shout_kind of the token's text

    # -- scoring -------------------------------------------------------------

    def cues(self, span: Span) -> dict[str, int]:
        """Count the intensity cues in a span."""
        text = span.text.replace("’", "'")
        return self._cues(span, text, self._index.find(text))

    def _cues(
        self,
        span: Span,
        text: str,
        matches: Iterable[tuple[int, int, str]],
        cols: Sequence[Sequence[int]] | None = None,
    ) -> dict[str, int]:
        """Cue counts of ``span``, whose text is ``text``, given the phrase matches inside it.

        ``cols``, when given, holds each token's row of the doc's ``[LOWER, LEMMA, ORTH]`` array.
        """
        found: dict[str, int] = {}
        for _s, _e, cue in matches:
            found[cue] = found.get(cue, 0) + 1
        n_caps = 0
        long_caps = False
        if any(c.isupper() for c in text):
            shout = self._shout
            strings = span.doc.vocab.strings
            orths = (
                [row[2] for row in cols[span.start : span.end]]
                if cols is not None
                else [tok.orth for tok in span]
            )
            for orth in orths:
                kind = shout.get(orth)
                if kind is None:
                    kind = _shout_kind(strings[orth])
                    if len(shout) > 200_000:
                        shout.clear()
                    shout[orth] = kind
                if kind:
                    n_caps += 1
                    long_caps = long_caps or kind == 2
        if n_caps >= 2 or long_caps:
            found["shouting"] = n_caps
        n_excl = text.count("!")
        if n_excl:
            found["exclamation"] = n_excl
        n_emoji = sum(1 for ch in text if ch in _ANGRY_EMOJI)
        if n_emoji:
            found["angry_emoji"] = n_emoji
        return found

    def sentiment(self, span: Span) -> float:
        """Valence of a span in [-1, 1] (see the module docstring)."""
        doc = span.doc
        cols = doc.to_array([LOWER, LEMMA])[span.start : span.end].tolist()
        return self._sentiment(doc, span.start, span.end, cols, span.start)

    def _sentiment(self, doc: Doc, start: int, end: int, cols: list[list[int]], offset: int) -> float:
        """Valence of tokens ``start:end``; ``cols[i - offset]`` starts with token i's LOWER and LEMMA hashes."""
        by_lower, by_lemma = self._valence_hashes, self._lemma_valence
        x = 0.0
        lowers: LowerView | None = None
        for i in range(start, end):
            row = cols[i - offset]
            lower, lemma = row[0], row[1]
            v = by_lower.get(lower)
            if v is None and lemma:
                if lemma not in by_lemma:
                    if len(by_lemma) > 200_000:
                        by_lemma.clear()
                    by_lemma[lemma] = self._valence_forms.get(doc.vocab.strings[lemma].lower())
                v = by_lemma[lemma]
            if v is None:
                continue
            if lowers is None:
                lowers = LowerView(doc)
            if i > start:
                prev = lowers[i - 1]
                if prev in _INTENSIFIERS:
                    v *= 1.3
                elif prev in _HEDGES:
                    v *= 0.6
            if is_negated(lowers, i, start):
                v *= -0.5
            x += v
        return max(-1.0, min(1.0, x / math.sqrt(x * x + 2.0)))

    def intensity(self, cues: Mapping[str, int], sentiment: float) -> float:
        """Combine cue counts and sentiment into an intensity in [0, 1]."""
        keep = 1.0 - (0.1 + 0.3 * max(0.0, -sentiment))
        for cue, n in cues.items():
            if cue == "hedge":
                continue
            n = min(n, _MAX_COUNT.get(cue, 1))
            keep *= (1.0 - self.weights[cue]) ** n
        value = 1.0 - keep
        if "hedge" in cues:
            value *= self.weights["hedge"]
        return max(0.0, min(1.0, value))

    def score(self, text: str) -> tuple[float, float, tuple[str, ...]]:
        """Intensity, sentiment and cue names of a text taken as one segment (rounded).

        A convenience for notebooks and tests; the component itself works on
        the spans of ``doc.spans[span_key]``.
        """
        span = self.nlp.make_doc(text)[:]
        cues = self.cues(span)
        sent = self.sentiment(span)
        return round(self.intensity(cues, sent), 2), round(sent, 2), tuple(c for c in CUES if c in cues)

    # -- the component -------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Annotate the spans of ``doc.spans[span_key]``."""
        if self.span_key not in doc.spans or not len(doc.spans[self.span_key]):
            return doc
        # phrase cues and word hashes of the whole doc, read once for all its segments
        text = doc_text(doc).replace("’", "'")
        cols = doc.to_array([LOWER, LEMMA, ORTH]).tolist()
        spans = list(doc.spans[self.span_key])
        ranges = [(span.start_char, span.end_char) for span in spans]
        # each segment's matches (the text around it read too), from one scan of the doc
        found = self._index.find_ranges(text, ranges)
        for span, (cs, ce), inside in zip(spans, ranges, found, strict=True):
            cues = self._cues(span, text[cs:ce], inside, cols)
            sent = self._sentiment(doc, span.start, span.end, cols, 0)
            ext = span._
            ext.hi_sentiment = sent
            ext.hi_cues = tuple(c for c in CUES if c in cues)
            ext.hi_intensity = self.intensity(cues, sent)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        """Apply the component to a stream of docs."""
        for doc in stream:
            yield self(doc)

    # -- serialisation -------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        return {
            "version": _DATA_VERSION,
            "span_key": self.span_key,
            "weights": self.weights,
            "phrases": self.phrases,
            "valence": self.valence,
        }

    def _load(self, data: dict[str, Any], source: str) -> None:
        if data.get("version") != _DATA_VERSION:
            raise ConfigError(
                Errors.E804.format(
                    component=_COMPONENT, source=source, value=data.get("version"), expected=_DATA_VERSION
                )
            )
        weights = {**DEFAULT_CUE_WEIGHTS, **data["weights"]}
        _validate(data["span_key"], weights)
        self.span_key = data["span_key"]
        self.weights = weights
        self.phrases = {k: list(v) for k, v in data["phrases"].items()}
        self.valence = {k: float(v) for k, v in data["valence"].items()}
        self._build()


def _shout_kind(t: str) -> int:
    """0 for a token that isn't a shouted word, 1 for one, 2 for one of five letters or more."""
    if len(t) >= 2 and t.isupper() and t.isalpha() and t not in _ACRONYMS and not _PLACEHOLDER.fullmatch(t):
        return 2 if len(t) >= 5 else 1
    return 0


def _validate(span_key: Any, weights: Mapping[str, Any]) -> None:
    if not isinstance(span_key, str) or not span_key:
        raise ConfigError(
            Errors.E801.format(
                name="span_key", component=_COMPONENT, expected="a span group name", value=span_key
            )
        )
    for name, w in weights.items():
        if name not in CUES:
            raise ConfigError(
                Errors.E802.format(
                    what="cue weight", value=name, component=_COMPONENT, expected=", ".join(CUES)
                )
            )
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0.0 <= w <= 1.0:
            raise ConfigError(
                Errors.E801.format(
                    name=f"weights[{name!r}]", component=_COMPONENT, expected="a float in [0, 1]", value=w
                )
            )


@Language.factory(
    "hotline_intensity",
    assigns=["span._.hi_intensity", "span._.hi_cues", "span._.hi_sentiment"],
    requires=["doc.spans"],
    default_config={"span_key": "hi_complaints", "weights": None},
)
def make_intensity(nlp: Language, name: str, span_key: str, weights: dict[str, float] | None) -> Intensity:
    """Build the ``hotline_intensity`` component (see :class:`Intensity`)."""
    register_extensions()
    return Intensity(nlp, name, span_key=span_key, weights=weights)

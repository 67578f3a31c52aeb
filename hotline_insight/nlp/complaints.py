"""``hotline_complaints``: find complaint segments, with a transparent linear score.

A **unit** is a sentence, cut at blank lines and around boilerplate
(``doc.spans["hi_boilerplate"]``, so a segment never crosses a greeting, a
signature or a quoted reply). Each unit gets a score in [0, 1]; units at or
above ``threshold`` become complaint segments, and runs of consecutive
complaint units (with no boilerplate between them) are merged into one
segment of at most ``max_sentences`` units. Segments go to
``doc.spans["hi_complaints"]`` with label ``complaint``; ``span._.hi_score`` is
the highest unit score in the segment and ``span._.hi_method`` is
``"lexicon"``.

The score
---------

For each unit the component counts cues of fifteen features, caps each count
(at 2; exclamation at 1) and computes::

    z     = bias + sum_k  weight_k * min(count_k, cap_k)
    score = role_weight(doc._.hi_role) * 1 / (1 + exp(-z))

=====================  ======  ============================================================
feature                weight  cues (see ``_lexicons.py``)
=====================  ======  ============================================================
(bias)                  -2.0   a unit with no cue scores sigmoid(-2) = 0.12
``neg_eval``             2.4   "terrible", "unacceptable", "rip-off", "a joke", "waste of
                               time", "not fair", "not good enough" (a negated positive word
                               counts here)
``problem``              2.2   "doesn't work", "keeps dropping", "was charged twice", "never
                               arrived", "no one called back", "I was told X but", "still not
                               fixed", "I've been waiting", "broken", "overcharged"
``weak_problem``         1.2   "problem", "issue", "error", "mistake", "slow": a problem noun
                               alone ("technical problem") stays below the threshold
``persistence``          1.2   "again", "third time", "5 times", "for two weeks", "every
                               night", "already tried", "even though"
``demand``               2.2   "I want a refund", "I want to cancel", "this needs to be fixed",
                               "I'll report you", "take the fee off", "to the FCC"
``demand_word``          1.0   "refund", "cancel", "complaint", "compensation", "dispute"
``emotion``              2.4   "frustrated", "fed up", "angry", "disappointed", "let down"
``complaint_question``   2.6   "how is this acceptable?", "since when", "how many more times
                               do I", "why am I paying for", "are you kidding"
``why_question``         1.0   a unit opening with "why" or "how come"
``accusation``           1.2   "they refused", "you never", "you're still charging me"
``positive``            -1.0   "thanks", "great", "appreciate", "helpful"
``negated_problem``     -2.0   "not a problem", "no complaints", "nothing wrong", "not
                               unhappy", "works fine" (a negated negative word counts here)
``info_question``       -1.2   a question opening like a request for information ("how",
                               "what", "can", "do", "is" ...) with no neg_eval, emotion,
                               demand, accusation or complaint-question cue
``info_request``        -1.0   "could you tell me", "I'd like to add", "is it possible",
                               "how do I" (dropped when the unit asks "why")
``exclamation``          0.3   "!" in the unit
=====================  ======  ============================================================

One strong cue (a problem statement, a negative evaluation, an emotion, a
demand) lifts a neutral unit over 0.5 (sigmoid(0.2..0.4) = 0.55..0.6); a weak
cue alone does not; politeness and information-seeking questions pull a unit
down, so "could you tell me how to set up voicemail?" and "thanks, that's
great" score near 0.01, while "why was I charged twice?" scores 0.98. Word
cues are lemmas matched in all their inflections on the lower-cased token (a
spaCy ``PhraseMatcher`` on ``LOWER``, so it works with or without a
lemmatizer); phrase cues are compiled regular expressions over the text, tried
only at words that can start them (``_text.PhraseIndex``). A word cue preceded
by a negator (skipping articles and degree adverbs: "not a problem", "isn't
really fair") switches sides: a negated negative word counts as
``negated_problem``, a negated positive word ("not happy", "not fair") as
``neg_eval`` ("no thanks" excepted).

Role weights scale the probability: a customer's sentence counts in full, an
unknown speaker's at 0.8, an agent's at 0.3 (an agent restating the
customer's problem is not the customer's complaint, and 0.3 is below any
useful threshold), system and bot turns not at all.

The weights were set by hand, not fitted: the labelled sets at hand are
labelled per document (CFPB: every narrative is a complaint, but most of its
sentences are neutral narration) or per query intent (banking77, where a
"problem" intent is often a neutral question), so a sentence-level fit would
learn their biases. They were checked on held-out splits of those sets with
``scripts/eval_complaints.py``; pass ``weights=`` to override any of them.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..errors import ConfigError, Errors
from ._extensions import doc_text, register_extensions
from ._lexicons import COMPLAINT_PHRASES, COMPLAINT_WORDS, NO_FLIP_POSITIVE
from ._serialise import JsonSettings
from ._text import LowerView, PhraseIndex, is_negated, iter_units, rewrite_pattern, word_forms

__all__ = ["DEFAULT_ROLE_WEIGHTS", "DEFAULT_WEIGHTS", "FEATURES", "Complaints"]

SPAN_KEY = "hi_complaints"
BOILERPLATE_KEY = "hi_boilerplate"
_COMPONENT = "hotline_complaints"
_DATA_VERSION = 1

FEATURES = (
    "neg_eval",
    "problem",
    "weak_problem",
    "persistence",
    "demand",
    "demand_word",
    "emotion",
    "complaint_question",
    "why_question",
    "accusation",
    "positive",
    "negated_problem",
    "info_question",
    "info_request",
    "exclamation",
)
"""The score's features, in the order of the weight vector."""

DEFAULT_WEIGHTS: dict[str, float] = {
    "bias": -2.0,
    "neg_eval": 2.4,
    "problem": 2.2,
    "weak_problem": 1.2,
    "persistence": 1.2,
    "demand": 2.2,
    "demand_word": 1.0,
    "emotion": 2.4,
    "complaint_question": 2.6,
    "why_question": 1.0,
    "accusation": 1.2,
    "positive": -1.0,
    "negated_problem": -2.0,
    "info_question": -1.2,
    "info_request": -1.0,
    "exclamation": 0.3,
}
"""Hand-set weights of the linear score (``bias`` is the intercept)."""

DEFAULT_ROLE_WEIGHTS: dict[str, float] = {
    "customer": 1.0,
    "unknown": 0.8,
    "agent": 0.3,
    "system": 0.0,
    "bot": 0.0,
}
"""How much a turn's speaker role counts; roles not listed count as ``unknown``."""

_CAPS = {f: (1.0 if f == "exclamation" else 2.0) for f in FEATURES}
_STRONG = ("neg_eval", "emotion", "demand", "accusation", "complaint_question")
_WORD_FEATURES = ("neg_eval", "problem", "weak_problem", "demand_word", "emotion", "positive", "flip")
_NEGATIVE_WORD_FEATURES = frozenset({"neg_eval", "problem", "weak_problem", "demand_word", "emotion"})
_PHRASE_FEATURES = (
    "neg_eval",
    "problem",
    "persistence",
    "demand",
    "emotion",
    "complaint_question",
    "accusation",
    "negated_problem",
    "info_request",
)
_INFO_OPENERS = frozenset(
    """how what when where which who whom whose can could would will do does did is are am was
    were should may might have has shall any""".split()
)
_FIRST_WORDS = re.compile(r"[^a-z']*([a-z']+)(?:\s+([a-z']+))?")
_APOS = "'?"


def _validate(threshold: Any, role_weights: Any, max_sentences: Any, weights: Any) -> None:
    def bad(name: str, expected: str, value: Any) -> ConfigError:
        return ConfigError(
            Errors.E801.format(name=name, component=_COMPONENT, expected=expected, value=value)
        )

    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0.0 <= threshold <= 1.0:
        raise bad("threshold", "a float in [0, 1]", threshold)
    if isinstance(max_sentences, bool) or not isinstance(max_sentences, int) or max_sentences < 1:
        raise bad("max_sentences", "an int >= 1", max_sentences)
    if not isinstance(role_weights, Mapping):
        raise bad("role_weights", "a mapping of role to a weight in [0, 1]", role_weights)
    for role, w in role_weights.items():
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0.0 <= w <= 1.0:
            raise bad(f"role_weights[{role!r}]", "a float in [0, 1]", w)
    if not isinstance(weights, Mapping):
        raise bad("weights", "a mapping of feature name to a float", weights)
    for name, w in weights.items():
        if name != "bias" and name not in FEATURES:
            raise ConfigError(
                Errors.E802.format(
                    what="weight", value=name, component=_COMPONENT, expected=", ".join(("bias", *FEATURES))
                )
            )
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
            raise bad(f"weights[{name!r}]", "a finite float", w)


class Complaints(JsonSettings):
    """Write complaint segments to ``doc.spans["hi_complaints"]``.

    Built by ``nlp.add_pipe("hotline_complaints")``; run it after
    ``hotline_boilerplate`` (its spans are skipped) and a sentencizer. See the
    module docstring for the score.

    Args:
        nlp: The pipeline.
        name: The component's name in the pipeline.
        threshold: Units scoring at least this become complaint segments.
        role_weights: Weight of each speaker role (``doc._.hi_role``);
            missing roles default to :data:`DEFAULT_ROLE_WEIGHTS`.
        max_sentences: The most units merged into one segment.
        weights: Overrides of :data:`DEFAULT_WEIGHTS`.

    Examples:
        >>> import spacy, hotline_insight.nlp.complaints
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("sentencizer")
        >>> _ = nlp.add_pipe("hotline_complaints")
        >>> doc = nlp("What are your opening hours? My internet keeps dropping. "
        ...           "I want a refund.")
        >>> [(s.text, round(s._.hi_score, 2)) for s in doc.spans["hi_complaints"]]
        [('My internet keeps dropping. I want a refund.', 0.92)]
    """

    def __init__(
        self,
        nlp: Language,
        name: str = _COMPONENT,
        *,
        threshold: float = 0.5,
        role_weights: Mapping[str, float] | None = None,
        max_sentences: int = 3,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        register_extensions()
        role_weights = {**DEFAULT_ROLE_WEIGHTS, **(role_weights or {})}
        weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        _validate(threshold, role_weights, max_sentences, weights)
        self.nlp = nlp
        self.name = name
        self.threshold = float(threshold)
        self.role_weights = {str(k): float(v) for k, v in role_weights.items()}
        self.max_sentences = int(max_sentences)
        self.weights = {k: float(v) for k, v in weights.items()}
        self.words: dict[str, list[str]] = deepcopy(COMPLAINT_WORDS)
        self.phrases: dict[str, list[str]] = deepcopy(COMPLAINT_PHRASES)
        self._build()

    # -- lexicons ------------------------------------------------------------

    def add_cues(self, feature: str, *, words: Iterable[str] = (), phrases: Iterable[str] = ()) -> None:
        """Add word (lemma) or phrase (regular expression) cues to a feature.

        Args:
            feature: A word feature (``neg_eval``, ``problem``, ``demand``,
                ``emotion``, ``positive``, ``flip``) for ``words``; a phrase
                feature (any of :data:`FEATURES` except ``positive``,
                ``info_question`` and ``exclamation``) for ``phrases``.
            words: Lemmas, matched in their inflections.
            phrases: Regular expressions over the text, case-insensitive.

        Raises:
            ConfigError: An unknown feature or an invalid expression.

        Examples:
            >>> import spacy, hotline_insight.nlp.complaints
            >>> nlp = spacy.blank("en")
            >>> _ = nlp.add_pipe("sentencizer")
            >>> cp = nlp.add_pipe("hotline_complaints")
            >>> cp.add_cues("neg_eval", words=["naff"])
            >>> doc = nlp("The new app is naff.")
            >>> len(doc.spans["hi_complaints"])
            1
        """
        words, phrases = list(words), list(phrases)
        if words and feature not in _WORD_FEATURES:
            raise ConfigError(
                Errors.E802.format(
                    what="word feature",
                    value=feature,
                    component=_COMPONENT,
                    expected=", ".join(_WORD_FEATURES),
                )
            )
        if phrases and feature not in _PHRASE_FEATURES:
            raise ConfigError(
                Errors.E802.format(
                    what="phrase feature",
                    value=feature,
                    component=_COMPONENT,
                    expected=", ".join(_PHRASE_FEATURES),
                )
            )
        for i, p in enumerate(phrases):
            try:
                re.compile(p)
            except re.error as exc:
                raise ConfigError(Errors.E803.format(index=i, component=_COMPONENT, reason=exc.msg)) from None
        if words:
            self.words.setdefault(feature, []).extend(w.lower() for w in words)
        if phrases:
            self.phrases.setdefault(feature, []).extend(phrases)
        self._build()

    def _build(self) -> None:
        self._matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._word_feature: dict[int, str] = {}
        for feature in _WORD_FEATURES:
            forms: set[str] = set()
            for lemma in self.words.get(feature, []):
                forms |= word_forms(lemma)
            if not forms:
                continue
            key = f"hi_complaint_{feature}"
            self._matcher.add(key, [self.nlp.make_doc(f) for f in sorted(forms)])
            self._word_feature[self.nlp.vocab.strings[key]] = feature
        entries = []
        for feature in _PHRASE_FEATURES:
            for pattern in self.phrases.get(feature, []):
                entries.append((feature, rewrite_pattern(pattern, apostrophe=_APOS)))
        self._phrases = PhraseIndex(entries)
        self._bias = self.weights["bias"]
        w = self.weights
        z_max = (
            self._bias
            + max(0.0, w["why_question"])
            + max(0.0, w["exclamation"])
            + max(0.0, w["info_question"])
        )
        self._cue_free_max = 1.0 / (1.0 + math.exp(-z_max))
        self._no_flip = NO_FLIP_POSITIVE

    # -- scoring -------------------------------------------------------------

    def role_weight(self, role: Any) -> float:
        """The weight of a speaker role; unlisted roles count as ``unknown``."""
        if isinstance(role, str) and role in self.role_weights:
            return self.role_weights[role]
        return self.role_weights.get("unknown", 0.8)

    def unit_features(self, doc: Doc) -> tuple[list[tuple[int, int]], list[dict[str, float]]]:
        """The units of ``doc`` and their raw (uncapped) feature counts.

        Returns:
            The units as ``(start, end)`` token ranges, and for each unit a
            dict of the non-zero feature counts.

        Examples:
            >>> import spacy, hotline_insight.nlp.complaints
            >>> nlp = spacy.blank("en")
            >>> _ = nlp.add_pipe("sentencizer")
            >>> cp = nlp.add_pipe("hotline_complaints")
            >>> cp.unit_features(nlp("Why was I charged twice? Thanks."))
            ([(0, 6), (6, 8)], [{'complaint_question': 1, 'problem': 1, 'why_question': 1}, {'positive': 1}])
        """
        return self._features(doc, doc_text(doc))

    def _features(
        self, doc: Doc, raw: str, *, cues_only: bool = False
    ) -> tuple[list[tuple[int, int]], list[dict[str, float]]]:
        text = raw.replace("’", "'")
        matches = self._matcher(doc)
        found = self._phrases.find(text)
        if cues_only and not matches and not found:
            return [], []  # no cue anywhere: no unit can reach the threshold
        boiler = doc.spans[BOILERPLATE_KEY] if BOILERPLATE_KEY in doc.spans else ()
        units = iter_units(doc, boiler, text=raw)
        counts: list[dict[str, float]] = [{} for _ in units]
        if not units:
            return units, counts
        unit_tok_starts = [s for s, _ in units]
        unit_char = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in units]
        # word cues (lemma lexicons, all inflections, on LOWER)
        if matches:
            lowers = LowerView(doc)
            for match_id, s, _e in matches:
                u = bisect_right(unit_tok_starts, s) - 1
                if u < 0 or s >= units[u][1]:
                    continue
                feature = self._word_feature[match_id]
                negated = is_negated(lowers, s, units[u][0])
                if feature in _NEGATIVE_WORD_FEATURES:
                    key = "negated_problem" if negated else feature
                elif negated:
                    if doc[s].lower_ in self._no_flip:
                        continue
                    key = "neg_eval"
                elif feature == "positive":
                    key = "positive"
                else:
                    continue
                row = counts[u]
                row[key] = row.get(key, 0) + 1
        # phrase cues
        if found:
            unit_char_starts = [a for a, _ in unit_char]
            for start, _end, feature in found:
                u = bisect_right(unit_char_starts, start) - 1
                if u >= 0 and start < unit_char[u][1]:
                    row = counts[u]
                    row[feature] = row.get(feature, 0) + 1
        # unit-level cues: openers, questions, exclamation marks
        for u, (a, b) in enumerate(unit_char):
            row = counts[u]
            utext = text[a:b]
            m = _FIRST_WORDS.match(utext.lower())
            first = [w for w in m.groups() if w] if m else []
            if first and (first[0] == "why" or first[:2] == ["how", "come"]):
                row["why_question"] = row.get("why_question", 0) + 1
            if "complaint_question" in row or "why_question" in row:
                row.pop("info_request", None)
            elif first and first[0] in _INFO_OPENERS and not any(k in row for k in _STRONG):
                if utext.rstrip().endswith("?") or not any(c in utext for c in ".!?"):
                    row["info_question"] = 1
            if "!" in utext:
                row["exclamation"] = 1
        return units, counts

    def _scores(self, counts: Sequence[Mapping[str, float]], role_weight: float) -> list[float]:
        weights, caps, bias = self.weights, _CAPS, self._bias
        scores = []
        for row in counts:
            z = bias
            for key, c in row.items():
                cap = caps[key]
                z += weights[key] * (c if c < cap else cap)
            scores.append(role_weight / (1.0 + math.exp(-z)))
        return scores

    def score_units(self, doc: Doc) -> tuple[list[tuple[int, int]], list[float]]:
        """The units of ``doc`` and their scores (role weight applied)."""
        units, counts = self.unit_features(doc)
        return units, self._scores(counts, self.role_weight(doc._.hi_role))

    # -- the component -------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Write ``doc.spans["hi_complaints"]``."""
        rw = self.role_weight(doc._.hi_role)
        if rw == 0.0 or len(doc) == 0:
            doc.spans[SPAN_KEY] = []
            return doc
        # Units without word or phrase cues can reach at most sigmoid(bias + why + "!"):
        # below the threshold with the default weights, so such docs are skipped whole.
        units, counts = self._features(doc, doc_text(doc), cues_only=self._cue_free_max * rw < self.threshold)
        scores = self._scores(counts, rw)
        threshold = self.threshold
        if not any(sc >= threshold for sc in scores):
            doc.spans[SPAN_KEY] = []
            return doc
        boiler_starts = (
            sorted(sp.start for sp in doc.spans[BOILERPLATE_KEY]) if BOILERPLATE_KEY in doc.spans else []
        )
        segments: list[Span] = []
        run: list[int] = []

        def flush() -> None:
            if run:
                span = Span(doc, units[run[0]][0], units[run[-1]][1], label="complaint")
                ext = span._
                ext.hi_score = float(max(scores[i] for i in run))
                ext.hi_method = "lexicon"
                segments.append(span)
                run.clear()

        for i, score in enumerate(scores):
            if score < threshold:
                flush()
                continue
            if run:
                prev_end = units[run[-1]][1]
                k = bisect_right(boiler_starts, prev_end - 1)
                crosses = k < len(boiler_starts) and boiler_starts[k] < units[i][0]
                if crosses or len(run) >= self.max_sentences:
                    flush()
            run.append(i)
        flush()
        doc.spans[SPAN_KEY] = segments
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        """Apply the component to a stream of docs."""
        for doc in stream:
            yield self(doc)

    # -- serialisation -------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        return {
            "version": _DATA_VERSION,
            "threshold": self.threshold,
            "role_weights": self.role_weights,
            "max_sentences": self.max_sentences,
            "weights": self.weights,
            "words": self.words,
            "phrases": self.phrases,
        }

    def _load(self, data: dict[str, Any], source: str) -> None:
        if data.get("version") != _DATA_VERSION:
            raise ConfigError(
                Errors.E804.format(
                    component=_COMPONENT, source=source, value=data.get("version"), expected=_DATA_VERSION
                )
            )
        _validate(data["threshold"], data["role_weights"], data["max_sentences"], data["weights"])
        self.threshold = float(data["threshold"])
        self.role_weights = dict(data["role_weights"])
        self.max_sentences = int(data["max_sentences"])
        self.weights = {**DEFAULT_WEIGHTS, **data["weights"]}
        self.words = {k: list(v) for k, v in data["words"].items()}
        self.phrases = {k: list(v) for k, v in data["phrases"].items()}
        self._build()


@Language.factory(
    "hotline_complaints",
    assigns=["doc.spans"],
    default_config={"threshold": 0.5, "role_weights": None, "max_sentences": 3, "weights": None},
)
def make_complaints(
    nlp: Language,
    name: str,
    threshold: float,
    role_weights: dict[str, float] | None,
    max_sentences: int,
    weights: dict[str, float] | None,
) -> Complaints:
    """Build the ``hotline_complaints`` component (see :class:`Complaints`)."""
    register_extensions()
    return Complaints(
        nlp,
        name,
        threshold=threshold,
        role_weights=role_weights,
        max_sentences=max_sentences,
        weights=weights,
    )

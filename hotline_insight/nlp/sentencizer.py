"""A rule-based sentence splitter that works on token arrays.

``hotline_sentencizer`` gives exactly the sentences of spaCy's own
``sentencizer`` (a sentence starts at the first ordinary token after one of
the punctuation characters that end sentences), but reads
one ``Doc.to_array`` of two columns instead of making a ``Token`` object
for every word, which is most of the cost of spaCy's version.

Examples:
    >>> import spacy, hotline_insight.nlp.sentencizer
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("hotline_sentencizer")
    >>> [s.text for s in nlp("It broke again!! Nobody called (again). Why?").sents]
    ['It broke again!!', 'Nobody called (again).', 'Why?']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from ..errors import ConfigError, Errors

__all__ = ["FastSentencizer", "make_sentencizer"]

_SETTINGS = "settings.json"


class FastSentencizer:
    """Sentence boundaries from punctuation, identical to spaCy's ``sentencizer``.

    A token starts a sentence when it is neither punctuation nor one of
    ``punct_chars``, and one of ``punct_chars`` occurs between it and the
    previous such ordinary token; the first token always starts one.

    Args:
        nlp: the pipeline (its string store hashes the punctuation characters).
        name: the component's name.
        punct_chars: the characters that end sentences; spaCy's default list
            when None.
        overwrite: replace sentence boundaries already set on the doc.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "hotline_sentencizer",
        *,
        punct_chars: Sequence[str] | None = None,
        overwrite: bool = False,
    ) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.overwrite = overwrite
        self._set_chars(punct_chars)

    def _set_chars(self, punct_chars: Sequence[str] | None) -> None:
        chars = Sentencizer.default_punct_chars if punct_chars is None else punct_chars
        if isinstance(chars, str) or not all(isinstance(c, str) and c for c in chars):
            raise ConfigError(
                Errors.E801.format(
                    name="punct_chars",
                    component=self.name,
                    expected="a list of non-empty strings",
                    value=chars,
                )
            )
        self.punct_chars = sorted(set(chars))
        strings = self.vocab.strings
        self._ends = frozenset(int(strings.add(c)) for c in self.punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        cols = doc.to_array([ORTH, IS_PUNCT])
        ends = self._ends
        starts = [-1] * n
        starts[0] = 1
        seen = False  # a sentence-ending character since the last ordinary token
        for i, (orth, is_punct) in enumerate(cols.tolist()):
            if orth in ends:
                seen = True
            elif seen and not is_punct:
                starts[i] = 1
                seen = False
        new = np.array(starts, dtype=np.int64)
        if not self.overwrite and doc.has_annotation("SENT_START"):
            old = doc.to_array(SENT_START).astype(np.int64)
            new = np.where(old != 0, old, new)
        # spaCy reads the column as uint64 and casts back: -1 wraps and returns intact
        doc.from_array([SENT_START], new.astype(np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        """Apply the component to a stream of docs."""
        for doc in stream:
            yield self(doc)

    # -- serialisation -------------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        return {"punct_chars": self.punct_chars, "overwrite": self.overwrite}

    def _restore(self, data: dict[str, Any]) -> FastSentencizer:
        self.overwrite = bool(data.get("overwrite", False))
        self._set_chars(data.get("punct_chars"))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self._settings(), sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> FastSentencizer:
        return self._restore(json.loads(data.decode("utf-8")))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _SETTINGS).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> FastSentencizer:
        return self.from_bytes((Path(path) / _SETTINGS).read_bytes())


@Language.factory(
    "hotline_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False},
)
def make_sentencizer(
    nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool
) -> FastSentencizer:
    """spaCy factory for :class:`FastSentencizer`."""
    return FastSentencizer(nlp, name, punct_chars=punct_chars, overwrite=overwrite)

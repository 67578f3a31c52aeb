"""hotline_lemmatizer gives exactly spaCy's lookup lemmas, from arrays."""

from __future__ import annotations

import spacy

import hotline_insight.nlp.lemmatizer  # noqa: F401  (registers the factory)

TEXTS = [
    "The routers were dropping and I've been charged twice!",
    "Les frais étaient énormes — 3 routeurs.",
    "",
    "WHY DOES MY BILL KEEP GOING UP???",
    "hub 5s reboots nightly, calls were never returned",
]


def test_same_lemmas_as_spacys_lookup_lemmatizer() -> None:
    reference = spacy.blank("en")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    ours = spacy.blank("en")
    ours.add_pipe("hotline_lemmatizer")
    for text in TEXTS * 2:  # the second round is served from the cache
        assert [t.lemma_ for t in ours(text)] == [t.lemma_ for t in reference(text)]


def test_serialisation_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("hotline_lemmatizer")
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert [t.lemma_ for t in loaded("routers were dropping")] == ["router", "be", "drop"]

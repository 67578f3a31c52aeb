"""The extraction fast paths give exactly what the plain paths give.

* ``PhraseIndex.find(text, start, end)`` equals the whole-text matches
  filtered to the range.
* ``Intensity._cues`` reading token texts from the doc's array equals reading
  them from ``Token`` objects.
* ``GrievanceExtractor`` skipping theme, facet and intensity components on
  turns without complaints, and sentence splitting on turns that can't
  complain, gives the grievances of the full pipeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import LEMMA, LOWER, ORTH

import hotline_insight.nlp.pipeline as pipeline_module
from hotline_insight.catalog import Catalog
from hotline_insight.nlp._text import PhraseIndex
from hotline_insight.nlp.pipeline import GrievanceExtractor, build_pipeline
from hotline_insight.records import Interaction, SourceRef, Turn

ROOT = Path(__file__).resolve().parents[2]

ENTRIES = [
    ("p", r"keeps? (?:dropping|crashing)"),
    ("q", r"again"),
    ("r", r"(?:\w+ )?times in a row"),  # no enumerable first word: scanned everywhere
    ("s", r"can't stop"),
    ("t", r"not again"),
]
WORDS = [
    "it",
    "keeps",
    "keep",
    "dropping",
    "again",
    "not",
    "three",
    "times",
    "in",
    "a",
    "row",
    "can't",
    "stop",
]
SEPARATORS = [" ", "  ", ", ", "'", "-", "\n", ". "]


@pytest.fixture(scope="module")
def index() -> PhraseIndex:
    return PhraseIndex(ENTRIES)


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("again and again", 0, None, [(0, 5, "q"), (10, 15, "q")]),
        ("again and again", 1, None, [(10, 15, "q")]),  # a match starting before the range is out
        ("again and again", 0, 12, [(0, 5, "q")]),  # one ending after it too
        ("it keeps dropping", 3, 8, []),  # the phrase runs past the range
        ("it keeps dropping", 3, 17, [(3, 17, "p")]),
        ("so 5 times in a row", 3, None, [(3, 19, "r")]),  # the unindexed pattern, scanned from 0
        ("5 times in a row", 2, None, []),  # the whole text's match starts at 0, before the range
        ("xagain", 1, None, []),  # the character before the range still blocks a word start
    ],
)
def test_find_in_a_range(
    index: PhraseIndex, text: str, start: int, end: int | None, expected: list[Any]
) -> None:
    assert index.find(text, start, end) == expected


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14),
    cut=st.tuples(st.integers(0, 90), st.integers(0, 90)),
)
def test_find_in_a_range_equals_the_whole_text_filtered(
    index: PhraseIndex, words: list[tuple[str, str]], cut: tuple[int, int]
) -> None:
    text = "".join(w + s for w, s in words)
    start, end = min(cut), max(cut)
    whole = index.find(text)
    assert index.find(text, start, end) == [m for m in whole if m[0] >= start and m[1] <= end]
    assert index.find(text, start) == [m for m in whole if m[0] >= start]


@pytest.mark.parametrize(
    "text",
    [
        "WHY IS MY BILL STILL WRONG",
        "The ATM and the SMS fee again, NOT OK!!",
        "My [NAME] account XXXX was charged TWICE",
        "all lower case, nothing shouted",
    ],
)
def test_shouting_from_the_token_array_equals_from_tokens(text: str) -> None:
    import spacy

    import hotline_insight.nlp.intensity  # noqa: F401

    nlp = spacy.blank("en")
    comp: Any = nlp.add_pipe("hotline_intensity")
    doc = nlp.make_doc(text)
    cols = doc.to_array([LOWER, LEMMA, ORTH]).tolist()
    for span in (doc[:], doc[1:4], doc[2:]):
        plain = comp._cues(span, span.text, [])
        assert comp._cues(span, span.text, [], cols) == plain
        assert comp._cues(span, span.text, [], cols) == plain  # and again from the filled cache


TURNS = [
    ("customer", "Hi, my broadband keeps dropping again and I want a refund!"),
    ("agent", "I'm sorry to hear that. The paper bill fee applies after ninety days."),
    ("customer", "Thanks, that's great."),
    ("customer", "Why was I charged the paper bill fee twice? This is ridiculous."),
    ("agent", "Thank you for calling, is there anything else?"),
    ("customer", "What are your opening hours?"),
    ("customer", "WHY IS MY BILL STILL WRONG"),
]


@pytest.fixture(scope="module")
def interactions() -> list[Interaction]:
    out = []
    for k in range(6):
        turns = TURNS[k:] + TURNS[:k]
        out.append(
            Interaction(
                id=f"c{k}",
                source=SourceRef(format="plain_text"),
                channel="call",
                created_at="2026-02-01T10:00:00Z",
                turns=tuple(Turn(position=i, role=role, text=text) for i, (role, text) in enumerate(turns)),
            )
        )
    return out


def test_skipping_components_gives_the_full_pipelines_grievances(
    interactions: list[Interaction], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    fast = GrievanceExtractor(catalog=catalog).run(interactions)
    assert len(fast) > 0
    full_extractor = GrievanceExtractor(catalog=catalog, nlp=build_pipeline(catalog=catalog))
    monkeypatch.setattr(pipeline_module, "_COMPLAINT_ONLY", frozenset())  # every component on every turn
    full_extractor._context = [
        (name, full_extractor.nlp.get_pipe(name))
        for name in ("hotline_sentencizer", "hotline_lemmatizer", "hotline_linker")
    ]  # the silent turns' sentences split too
    full = full_extractor.run(interactions)
    assert fast.to_frame().equals(full.to_frame())
    assert [g.model_dump() for g in fast] == [g.model_dump() for g in full]

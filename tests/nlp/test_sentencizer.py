"""hotline_sentencizer gives spaCy's sentencizer's sentences, faster."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight.nlp.sentencizer  # noqa: F401
from hotline_insight.errors import ConfigError

_ALPHABET = st.sampled_from(
    [*list("abc XYZ.!?;,()\"'\n\t-"), "...", "。", "؟", "!!", " ok ", "Mr.", "e.g.", "’", ":)", "😀"]
)


def _pair(**config: object) -> tuple[spacy.language.Language, spacy.language.Language]:
    ours = spacy.blank("en")
    ours.add_pipe("hotline_sentencizer", config=config)
    theirs = spacy.blank("en")
    theirs.add_pipe("sentencizer", config=config)
    return ours, theirs


OURS, THEIRS = _pair()


def _starts(nlp: spacy.language.Language, text: str) -> list[bool]:
    return [bool(t.is_sent_start) for t in nlp(text)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one",
        "...",
        "It broke. Again! Why?? Nobody called.",
        'He said "no." Then left.',
        "Fee (again). Refund?!\n\nThanks",
        "no punctuation at all here",
        "a . . . b",
        "Wait... what?) ok",
    ],
)
def test_same_sentences_as_spacy(text: str) -> None:
    assert _starts(OURS, text) == _starts(THEIRS, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_same_sentences_as_spacy_on_any_text(text: str) -> None:
    assert _starts(OURS, text) == _starts(THEIRS, text)


def test_custom_punct_chars_and_round_trip(tmp_path: object) -> None:
    ours, theirs = _pair(punct_chars=[";"])
    text = "one; two. three; four"
    assert _starts(ours, text) == _starts(theirs, text) == [True, False, True, False, False, False, True]
    ours.to_disk(tmp_path)  # type: ignore[arg-type]
    loaded = spacy.load(tmp_path)  # type: ignore[arg-type]
    assert _starts(loaded, text) == _starts(ours, text)


def test_keeps_existing_boundaries_unless_overwrite() -> None:
    nlp = spacy.blank("en")
    doc = nlp("a bb. c d")
    doc[1].is_sent_start = True
    nlp.add_pipe("hotline_sentencizer")(doc)
    assert [bool(t.is_sent_start) for t in doc] == [True, True, False, True, False]
    doc2 = nlp.make_doc("a bb. c d")
    doc2[1].is_sent_start = True
    nlp.add_pipe("hotline_sentencizer", name="over", config={"overwrite": True})(doc2)
    assert [bool(t.is_sent_start) for t in doc2] == [True, False, False, True, False]


def test_bad_punct_chars() -> None:
    with pytest.raises(ConfigError, match="E801"):
        spacy.blank("en").add_pipe("hotline_sentencizer", config={"punct_chars": [""]})

"""Topic names: phrase runs, stop words, c-TF-IDF labels and written forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight.topics.represent import DOMAIN_STOP_WORDS, lemma, phrase_runs, topic_phrases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi, I was charged a support fee after ninety days!",
            [["charge"], ["support", "fee"], ["ninety", "day"]],
        ),
        # placeholders and punctuation cut a phrase; they are never part of one
        ("[NAME] said the router [PHONE] keeps rebooting", [["router"], ["keep", "reboot"]]),
        ("paper bill, fee", [["paper", "bill"], ["fee"]]),
        # a firmware version is one word; a long digit run (an account number) is none
        ("after firmware 7.4.1 account 12345678 broke", [["firmware", "7.4.1", "account"], ["break"]]),
        # greetings, thanks, fillers and the two sides of the conversation are stop words
        ("hello thanks um the agent told the customer okay", []),
        ("", []),
        # very general verbs ("come", "get", "say") are stop words too
        ("call back never came", [["call", "back", "never"]]),
    ],
)
def test_phrase_runs(text: str, expected: list[list[str]]) -> None:
    assert phrase_runs(text) == expected


def test_extra_stop_words_cut_phrases() -> None:
    assert phrase_runs("larkspur router reboots", stop_words=["Larkspur"]) == [["router", "reboot"]]


@pytest.mark.parametrize(
    ("word", "expected"), [("charged", "charge"), ("days", "day"), ("went", "go"), ("7.4.1", "7.4.1")]
)
def test_lemma(word: str, expected: str) -> None:
    assert lemma(word) == expected


def test_domain_stop_words_keep_complaint_words() -> None:
    for word in ("call", "back", "bill", "fee", "charge", "refund", "router", "day", "time"):
        assert word not in DOMAIN_STOP_WORDS


def test_labels_prefer_phrases_and_written_forms() -> None:
    texts = [
        "the support fee after ninety days",
        "charged a support fee again",
        "support fee on the bill",
        "router reboots every night",
        "my router reboots at night",
        "router reboots since the update",
    ]
    result = topic_phrases(texts, np.array([0, 0, 0, 1, 1, 1]), n_label=2)
    assert result.labels == {0: "support fee / ninety days", 1: "router reboots / night"}
    # key phrases are shown as written ("reboots"), ranked by c-TF-IDF
    assert result.key_phrases[1][:3] == ["router reboots", "reboots", "router"]
    assert all(a >= b for a, b in zip(result.scores[1], result.scores[1][1:], strict=False))


def test_outliers_and_empty_topics() -> None:
    texts = ["refund late", "refund late again", "hello thanks", "okay"]
    result = topic_phrases(texts, np.array([0, 0, -1, 1]))
    assert set(result.labels) == {0, 1}
    assert result.key_phrases[1] == [] and result.labels[1] == ""
    assert "refund" in result.labels[0]
    # only outliers: no topic at all
    assert topic_phrases(texts, np.array([-1, -1, -1, -1])).labels == {}


def test_only_stop_words_gives_empty_phrases() -> None:
    result = topic_phrases(["hello thanks", "okay bye"], np.array([0, 1]))
    assert result.labels == {0: "", 1: ""}


@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_phrases_are_lower_case_words_and_never_placeholders(texts: list[str]) -> None:
    for run in phrase_runs(" ".join(texts) + " [NAME] [PHONE]"):
        assert run
        for word in run:
            assert word == word.lower() and "[" not in word and " " not in word
            assert word not in {"name", "phone"} or word in " ".join(texts).lower()

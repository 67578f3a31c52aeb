"""Table-driven tests of the built-in taxonomy: every example fires its theme or facet, no
negative example does, and hand-written cases for the matching rules (negation, case,
contractions, placeholders, ASR text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from hotline_insight.themes import Taxonomy

if TYPE_CHECKING:
    from spacy.language import Language

TAXONOMY = Taxonomy.default()
THEME_EXAMPLES = [(t.id, text) for t in TAXONOMY.themes for text in t.examples]
THEME_NEGATIVES = [(t.id, text) for t in TAXONOMY.themes for text in t.negative_examples]
FACET_EXAMPLES = [(f.id, text) for f in TAXONOMY.facets for text in f.examples]
FACET_NEGATIVES = [(f.id, text) for f in TAXONOMY.facets for text in f.negative_examples]


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The default test pipeline of the brief: sentencizer, lookup lemmatizer, then ours."""
    import spacy

    import hotline_insight.themes.matcher  # noqa: F401 - registers the factories

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.add_pipe("hotline_themes")
    nlp.add_pipe("hotline_facets")
    return nlp


def _themes(nlp: Language, text: str) -> set[str]:
    doc = nlp(text)
    return {s.label_ for s in doc.spans["hi_themes"]}


def _facets(nlp: Language, text: str) -> set[str]:
    doc = nlp(text)
    return {s.label_ for s in doc.spans["hi_facets"]}


@pytest.mark.parametrize(("theme", "text"), THEME_EXAMPLES)
def test_every_theme_example_fires_its_theme(nlp: Language, theme: str, text: str) -> None:
    assert theme in _themes(nlp, text)


@pytest.mark.parametrize(("theme", "text"), THEME_NEGATIVES)
def test_no_negative_example_fires_its_theme(nlp: Language, theme: str, text: str) -> None:
    assert theme not in _themes(nlp, text)


@pytest.mark.parametrize(("facet", "text"), FACET_EXAMPLES)
def test_every_facet_example_fires_its_facet(nlp: Language, facet: str, text: str) -> None:
    assert facet in _facets(nlp, text)


@pytest.mark.parametrize(("facet", "text"), FACET_NEGATIVES)
def test_no_negative_example_fires_its_facet(nlp: Language, facet: str, text: str) -> None:
    assert facet not in _facets(nlp, text)


def test_check_examples_agrees() -> None:
    from hotline_insight.themes import check_examples

    assert check_examples() == []


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # negatable themes: a negation right before the cue cancels it
        ("There are no hidden fees on this plan.", set(), {"unexpected_fees"}),
        ("I wasn't charged a fee for the visit.", set(), {"unexpected_fees"}),
        (
            "No. The fee they added is wrong.",
            {"unexpected_fees"},
            set(),
        ),  # the negation is in another sentence
        ("No one told me about the fee.", {"unexpected_fees"}, set()),
        ("The price didn't go up this year.", set(), {"price_increase"}),
        # themes whose complaint is a negation are not negatable
        ("No refund, nothing, after six weeks.", {"refund"}, set()),
        ("I never got my refund.", {"refund"}, set()),
        ("I can't log in.", {"account_access"}, set()),
        # case, contractions and typed variants
        ("I WAS CHARGED TWICE FOR THE SAME MONTH", {"billing_error"}, set()),
        ("i cant log in to my account", {"account_access"}, set()),
        ("I can’t log in to my account", {"account_access"}, set()),
        ("I cannot log in to my account", {"account_access"}, set()),
        ("Charged me for tech support again.", {"support_fee_after_period"}, set()),
        ("They're charging $3.50 for caller id blocking.", {"pay_to_opt_out"}, set()),
        ("They're charging $3.50 for caller ID blocking.", {"pay_to_opt_out"}, set()),
        # redacted text: placeholders do not get in the way
        ("Call me on [PHONE], nobody ever calls me back.", {"one_way_relationship"}, set()),
        ("My card [CARD] was charged twice.", {"billing_error"}, set()),
        # ASR-style text: lower case, no punctuation, numbers spoken
        (
            "i was on hold for forty five minutes and then they hung up on me",
            {"long_wait", "agent_conduct"},
            set(),
        ),
        ("this is the third time ive called about the same problem", {"unresolved_repeat"}, set()),
        # questions and thanks stay quiet
        ("What time do you open on Saturday?", set(), {t.id for t in TAXONOMY.themes}),
        ("Thanks, that's all sorted now.", set(), {t.id for t in TAXONOMY.themes}),
    ],
)
def test_matching_rules(nlp: Language, text: str, present: set[str], absent: set[str]) -> None:
    found = _themes(nlp, text)
    assert present <= found
    assert not (absent & found)


@pytest.mark.parametrize(
    ("text", "facets"),
    [
        ("I'm 84, I live alone and I have no choice but to pay.", {"vulnerability", "loss_of_control"}),
        ("This is daylight robbery and I'm losing sleep over it.", {"victimised", "stress"}),
        ("Please update my address.", set()),
    ],
)
def test_facet_table(nlp: Language, text: str, facets: set[str]) -> None:
    assert _facets(nlp, text) == facets

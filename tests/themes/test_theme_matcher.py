"""The hotline_themes / hotline_facets components: spans, helpers, custom taxonomies,
the compiled matching paths, and serialisation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight.errors import ConfigError
from hotline_insight.themes import Taxonomy, facet_ids, theme_ids
from hotline_insight.themes import matcher as matcher_module
from hotline_insight.themes.matcher import FacetMatcher, ThemeMatcher

if TYPE_CHECKING:
    from spacy.language import Language

CUSTOM = """\
themes:
  - id: roaming
    name: Roaming charges
    description: Charges for using the phone abroad.
    negatable: true
    phrases: [roaming charge, {phrase: abroad, weight: 0.5}, {phrase: data roaming, attr: LOWER}]
    patterns:
      - [{LEMMA: charge}, {LOWER: {IN: [me, us]}, OP: "?"}, {LOWER: for}, {LOWER: roaming}]
      - {pattern: [{LIKE_NUM: true}, {LOWER: euros}, {LOWER: a}, {LOWER: day}], weight: 0.75}
      - [{LOWER: roam}, {}, {LOWER: fee}]
      - [{IS_TITLE: true}, {LOWER: roaming}]
  - id: signal
    name: No signal
    description: No mobile signal.
    phrases: [no signal, "can't get a signal"]
facets:
  - id: stress
    name: Stress
    description: Stress.
    phrases: [stressed]
"""

TEXTS = [
    "They charged me for roaming in Spain!",
    "Roaming charges of 30 euros a day, no signal at all.",
    "CHARGED US FOR ROAMING",
    "There were no roaming charges, thankfully.",
    "I can't get a signal and I'm stressed.",
    "i cant get a signal",
    "roam the fee",
    "Data roaming is off.",
    "Europe Roaming was fine.",
    "",
]


def _blank(taxonomy: Taxonomy | None = None) -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    themes = nlp.add_pipe("hotline_themes")
    facets = nlp.add_pipe("hotline_facets")
    if taxonomy is not None:
        themes.set_taxonomy(taxonomy)
        facets.set_taxonomy(taxonomy)
    return nlp


@pytest.fixture(scope="module")
def custom() -> Taxonomy:
    return Taxonomy.from_yaml(CUSTOM)


@pytest.fixture(scope="module")
def nlp(custom: Taxonomy) -> Language:
    return _blank(custom)


@pytest.fixture(scope="module")
def default_nlp() -> Language:
    return _blank()


def _spans(nlp: Language, text: str, key: str = "hi_themes") -> list[tuple[str, str, float]]:
    doc = nlp(text)
    return [(s.text, s.label_, s._.hi_score) for s in doc.spans[key]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They charged me for roaming in Spain!", [("charged me for roaming", "roaming", 1.0)]),
        ("CHARGED US FOR ROAMING", [("CHARGED US FOR ROAMING", "roaming", 1.0)]),
        (
            "Roaming charges of 30 euros a day.",
            [("Roaming charges", "roaming", 1.0), ("30 euros a day", "roaming", 0.75)],
        ),
        ("There were no roaming charges, thankfully.", []),  # negatable: "no" right before
        ("No. Roaming charges again.", [("Roaming charges", "roaming", 1.0)]),  # other sentence
        ("I was abroad.", [("abroad", "roaming", 0.5)]),
        ("Data roaming is off.", [("Data roaming", "roaming", 1.0)]),
        ("datas roaming", []),  # attr LOWER: no inflections
        ("roam the fee", [("roam the fee", "roaming", 1.0)]),  # Matcher fallback (wildcard token)
        ("Europe Roaming was fine.", [("Europe Roaming", "roaming", 1.0)]),  # fallback with no anchor
        ("i cant get a signal", [("cant get a signal", "signal", 1.0)]),
        ("I can not get a signal", [("can not get a signal", "signal", 1.0)]),
        ("", []),
    ],
)
def test_custom_taxonomy_spans(nlp: Language, text: str, expected: list[tuple[str, str, float]]) -> None:
    assert _spans(nlp, text) == expected


def test_span_attributes_and_group(nlp: Language) -> None:
    doc = nlp("Roaming charges and no signal; I'm stressed.")
    group = doc.spans["hi_themes"]
    assert [s.label_ for s in group] == ["roaming", "signal"]
    assert all(s._.hi_method == "pattern" for s in group)
    assert group.attrs["order"] == ("roaming", "signal")
    assert [(s.text, s.label_) for s in doc.spans["hi_facets"]] == [("stressed", "stress")]
    empty = nlp("Hello there.")
    assert "hi_themes" in empty.spans and len(empty.spans["hi_themes"]) == 0


def test_overlapping_matches_of_one_theme_become_their_union(nlp: Language) -> None:
    # "roaming charge" and "charged me for roaming" overlap on "roaming"
    assert _spans(nlp, "roaming charged me for roaming") == [
        ("roaming charged me for roaming", "roaming", 1.0)
    ]


def test_results_do_not_depend_on_the_lemmatizer(custom: Taxonomy) -> None:
    import spacy

    with_lemmas = spacy.blank("en")
    with_lemmas.add_pipe("sentencizer")
    with_lemmas.add_pipe("lemmatizer", config={"mode": "lookup"})
    with_lemmas.initialize()
    with_lemmas.add_pipe("hotline_themes").set_taxonomy(custom)
    plain = _blank(custom)
    for text in TEXTS:
        assert _spans(with_lemmas, text) == _spans(plain, text)


def test_slot_patterns_match_like_their_expansion(custom: Taxonomy, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cues too large to expand are found from an anchor word and checked around it; the
    result must be the same as expanding them into the phrase matcher."""
    expanded = _blank(custom)
    monkeypatch.setattr(matcher_module, "_MAX_EXPANSION", 1)
    anchored = _blank(custom)
    anchored.initialize()
    assert anchored.get_pipe("hotline_themes")._slot_keys  # the anchored path is in use
    texts = [
        *TEXTS,
        "charged for roaming charged us for roaming",
        "I can't get a signal. Can't get a signal!",
    ]
    for text in texts:
        assert _spans(anchored, text) == _spans(expanded, text)


def test_theme_ids_in_taxonomy_order(default_nlp: Language) -> None:
    doc = default_nlp("The refund never came. I was on hold for an hour and my bill is wrong!")
    first, second = list(doc.sents)
    assert theme_ids(first) == ("refund", "broken_promise")
    assert theme_ids(second) == ("billing_error", "long_wait")  # taxonomy order, not text order
    assert theme_ids(doc) == ("billing_error", "refund", "long_wait", "broken_promise")
    reordered = Taxonomy(themes=tuple(reversed(Taxonomy.default().themes)))
    assert theme_ids(doc, taxonomy=reordered) == ("broken_promise", "long_wait", "refund", "billing_error")
    assert theme_ids(doc[0:1]) == ()
    assert facet_ids(doc) == ()


def test_theme_ids_edge_cases() -> None:
    import spacy
    from spacy.tokens import Span

    nlp = spacy.blank("en")
    doc = nlp("one two three")
    assert theme_ids(doc) == ()  # no group at all
    doc.spans["hi_themes"] = [Span(doc, 0, 1, label="zeta"), Span(doc, 2, 3, label="alpha")]
    assert theme_ids(doc) == ("alpha", "zeta")  # no order known: alphabetical
    doc.spans["hi_themes"].attrs["order"] = ("zeta",)
    assert theme_ids(doc) == ("zeta", "alpha")  # unknown ids last
    with pytest.raises(TypeError, match=r"\[E708\]"):
        theme_ids("text")  # type: ignore[arg-type]


def test_taxonomy_from_config_path(tmp_path: Path) -> None:
    import spacy

    path = tmp_path / "themes.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("hotline_themes", config={"taxonomy": str(path)})
    doc = nlp("roaming charges")
    assert [s.label_ for s in doc.spans["hi_themes"]] == ["roaming"]
    assert nlp.get_pipe("hotline_themes").labels == ("roaming", "signal")


def test_missing_taxonomy_path_fails_on_use(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    component = nlp.add_pipe("hotline_facets", config={"taxonomy": str(tmp_path / "gone.yaml")})
    with pytest.raises(ConfigError, match=r"\[E707\]"):
        nlp("hello")
    component.set_taxonomy(Taxonomy.from_yaml(CUSTOM))
    doc = nlp("so stressed")
    assert [s.label_ for s in doc.spans["hi_facets"]] == ["stress"]


def test_bad_taxonomy_setting() -> None:
    import spacy

    with pytest.raises(ConfigError, match=r"\[E706\]"):
        ThemeMatcher(spacy.blank("en"), taxonomy=42)  # type: ignore[arg-type]


def test_pipeline_round_trip_to_disk(tmp_path: Path, custom: Taxonomy) -> None:
    import spacy

    nlp = _blank(custom)
    nlp.to_disk(tmp_path / "pipeline")
    assert Taxonomy.from_yaml(tmp_path / "pipeline" / "hotline_themes" / "taxonomy.yaml") == custom
    loaded = spacy.load(tmp_path / "pipeline")
    for text in TEXTS:
        assert _spans(loaded, text) == _spans(nlp, text)
        assert _spans(loaded, text, "hi_facets") == _spans(nlp, text, "hi_facets")


def test_component_bytes_round_trip(custom: Taxonomy) -> None:
    import spacy

    source = ThemeMatcher(spacy.blank("en"))
    source.set_taxonomy(custom)
    target = FacetMatcher(spacy.blank("en"))
    target.from_bytes(source.to_bytes())
    assert target.taxonomy == custom
    assert target.labels == ("stress",)


def test_deterministic(default_nlp: Language) -> None:
    a, b = default_nlp, _blank()
    text = "I was charged twice, nobody called me back and I'm stressed. This is a rip-off."
    assert _spans(a, text) == _spans(b, text) == _spans(a, text)
    assert _spans(a, text, "hi_facets") == _spans(b, text, "hi_facets")


@given(st.text(max_size=200))
def test_any_text_gives_valid_spans(default_nlp: Language, text: str) -> None:
    doc = default_nlp(text)
    labels = {t.id for t in Taxonomy.default().themes}
    previous = (-1, -1)
    for span in doc.spans["hi_themes"]:
        assert 0 <= span.start < span.end <= len(doc)
        assert span.label_ in labels
        assert 0 < span._.hi_score <= 1
        assert (span.start, span.end) >= previous
        previous = (span.start, span.end)
    assert all(re.fullmatch(r"[a-z_]+", s.label_) for s in doc.spans["hi_facets"])

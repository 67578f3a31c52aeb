"""hotline_complaints: tables of (role, text) -> complaint yes/no, and segment shapes."""

from __future__ import annotations

import time

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight.nlp.boilerplate
import hotline_insight.nlp.complaints  # noqa: F401
from hotline_insight.errors import ConfigError
from hotline_insight.nlp.complaints import DEFAULT_WEIGHTS, FEATURES


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.add_pipe("hotline_boilerplate")
    nlp.add_pipe("hotline_complaints")
    return nlp


def run(nlp, text: str, role: str = "customer"):  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    doc._.hi_role = role
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def segments(nlp, text: str, role: str = "customer") -> list[str]:  # type: ignore[no-untyped-def]
    doc = run(nlp, text, role)
    return [s.text for s in doc.spans["hi_complaints"]]


COMPLAINTS = [
    # negative evaluation
    "The service is terrible.",
    "This is completely unacceptable.",
    "What a rip-off.",
    "Your app is useless.",
    "It's not fair on older people.",
    # problem statements
    "My internet keeps dropping.",
    "The router doesn't work.",
    "It's still not fixed.",
    "I was charged twice this month.",
    "My order never arrived.",
    "No one called back.",
    "I've been waiting three weeks for my refund.",
    "I was told it would be sorted but nothing happened.",
    "i cn't log in and no one called me back",
    # demands, escalation
    "I want a refund.",
    "I want to cancel my contract.",
    "This needs to be fixed today.",
    "I'll report you to the FCC!",
    # emotions
    "I'm so frustrated.",
    "I'm fed up with this.",
    "Honestly I'm really disappointed.",
    # questions that are complaints
    "Why was I charged twice?",
    "How is this acceptable?",
    "Since when do I have to pay to get help from your support team?",
    # ASR, lower case, no punctuation
    "so much for the callback my phone never rang",
    "my lark hub reboots every night at three and drops my cameras",
]
NOT_COMPLAINTS = [
    # neutral questions and requests
    "Could you tell me how to set up voicemail?",
    "What are your opening hours?",
    "How do I change my wi-fi password?",
    "I'd like to add a mobile line for my son.",
    "Can I move my install appointment to next week?",
    "Why do I need to verify my identity?",
    # politeness
    "Thanks, that's great.",
    "Thank you so much, you've been really helpful!",
    # negation
    "Not a problem.",
    "No complaints at all, the engineer was lovely.",
    "There's nothing wrong with the router.",
    "I'm not unhappy with the service.",
    "It works fine now.",
    # chit-chat and details
    "It's my birthday today, actually.",
    "yes that's right",
    "my account number is [NUMBER]",
    # a bare menu choice or a single weak cue
    "technical problem",
    "i have a complaint",
    # empty, emoji only, HTML remnants
    "",
    "😀😀😀",
    "<p>&nbsp;</p><br/>",
]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_are_found(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert segments(nlp, text), text


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_non_complaints_are_not(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert segments(nlp, text) == [], text


@pytest.mark.parametrize(
    "role,expected",
    [
        ("customer", True),
        ("unknown", True),
        ("agent", False),
        ("system", False),
        ("bot", False),
        ("robot", True),
    ],
)
def test_role_weights(nlp, role: str, expected: bool) -> None:  # type: ignore[no-untyped-def]
    text = "This is ridiculous, my internet keeps dropping and I want a refund."
    assert bool(segments(nlp, text, role)) is expected


def test_agent_restating_the_problem_is_not_a_complaint(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "I'm sorry to hear your internet keeps dropping and you were charged twice."
    assert segments(nlp, text, "customer")
    assert segments(nlp, text, "agent") == []


def test_consecutive_sentences_merge_up_to_max(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "What are your opening hours? My internet keeps dropping. It's still not fixed. "
        "I want a refund. This is unacceptable. Thanks."
    )
    got = segments(nlp, text)
    assert got == [
        "My internet keeps dropping. It's still not fixed. I want a refund.",
        "This is unacceptable.",
    ]
    doc = run(nlp, text)
    assert all(0.5 <= s._.hi_score <= 1.0 for s in doc.spans["hi_complaints"])
    assert {s.label_ for s in doc.spans["hi_complaints"]} == {"complaint"}


def test_segments_never_cross_boilerplate(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Hi,\n\nMy bill is wrong again.\n\nKind regards,\nJane\n\nSent from my iPhone"
    doc = run(nlp, text)
    boiler = [(s.start, s.end) for s in doc.spans["hi_boilerplate"]]
    segs = list(doc.spans["hi_complaints"])
    assert [s.text for s in segs] == ["My bill is wrong again."]
    for s in segs:
        assert all(s.end <= a or s.start >= b for a, b in boiler)
    # a closing between two complaint sentences splits them
    doc = run(nlp, "This is terrible. Thanks for your help. My bill is wrong again.", "customer")
    assert [s.text for s in doc.spans["hi_complaints"]] == ["This is terrible.", "My bill is wrong again."]


def test_quoted_replies_are_not_the_customers_complaint(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Thanks, all sorted.\n\n-----Original Message-----\nFrom: Jane\nSent: Monday\n\nThis is terrible, I want a refund."
    assert segments(nlp, text) == []


def test_threshold_and_weights_are_configurable() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    strict = nlp.add_pipe("hotline_complaints", config={"threshold": 0.95})
    doc = nlp("No one called back.")
    assert len(doc.spans["hi_complaints"]) == 0
    assert strict.threshold == 0.95
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("sentencizer")
    nlp2.add_pipe("hotline_complaints", config={"weights": {"weak_problem": 3.0}})
    doc2 = nlp2("technical problem")
    assert len(doc2.spans["hi_complaints"]) == 1


def test_score_is_transparent(nlp) -> None:  # type: ignore[no-untyped-def]
    import math

    cp = nlp.get_pipe("hotline_complaints")
    doc = run(nlp, "Why was I charged twice?")
    _units, counts = cp.unit_features(doc)
    assert counts == [{"complaint_question": 1, "problem": 1, "why_question": 1}]
    z = DEFAULT_WEIGHTS["bias"] + sum(DEFAULT_WEIGHTS[k] * v for k, v in counts[0].items())
    _, scores = cp.score_units(doc)
    assert scores[0] == pytest.approx(1 / (1 + math.exp(-z)))
    assert set(DEFAULT_WEIGHTS) == {"bias", *FEATURES}


def test_blank_pipeline_without_sentencizer_or_lemmatizer() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("hotline_complaints")
    doc = nlp("The app is useless and I'm fed up")
    assert [s.text for s in doc.spans["hi_complaints"]] == ["The app is useless and I'm fed up"]


def test_long_text(nlp) -> None:  # type: ignore[no-untyped-def]
    para = "Could you tell me my balance? My internet keeps dropping every night. Thanks for the help. "
    text = (para * (100_000 // len(para) + 1))[:100_000]
    t0 = time.perf_counter()
    doc = run(nlp, text)
    assert time.perf_counter() - t0 < 5.0
    segs = list(doc.spans["hi_complaints"])
    assert len(segs) >= 1000
    assert all(s.text == "My internet keeps dropping every night." for s in segs[:-1])


def test_serialisation_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    cp = nlp.add_pipe("hotline_complaints", config={"threshold": 0.55, "max_sentences": 2})
    cp.add_cues("neg_eval", words=["naff"], phrases=[r"not worth the (?:paper|money)"])
    text = "The new app is naff. It is not worth the money. It is terrible."
    doc = nlp(text)
    before = [(s.text, s._.hi_score) for s in doc.spans["hi_complaints"]]
    assert len(before) == 2
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    doc2 = nlp2(text)
    after = [(s.text, s._.hi_score) for s in doc2.spans["hi_complaints"]]
    assert after == before
    cp3 = spacy.blank("en").add_pipe("hotline_complaints").from_bytes(cp.to_bytes())
    assert cp3.words["neg_eval"][-1] == "naff" and cp3.max_sentences == 2


@pytest.mark.parametrize(
    "config,code",
    [
        ({"threshold": 1.5}, "E801"),
        ({"threshold": "high"}, "E801"),
        ({"max_sentences": 0}, "E801"),
        ({"role_weights": {"agent": 2.0}}, "E801"),
        ({"weights": {"sarcasm": 1.0}}, "E802"),
        ({"weights": {"problem": float("nan")}}, "E801"),
    ],
)
def test_bad_config(config: dict[str, object], code: str) -> None:
    from hotline_insight.nlp.complaints import Complaints

    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        Complaints(spacy.blank("en"), **config)  # type: ignore[arg-type]
    if code == "E802" or config.get("threshold") == 1.5:  # also through the factory config
        with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
            spacy.blank("en").add_pipe("hotline_complaints", config=config)


@pytest.mark.parametrize(
    "feature,kwargs,code",
    [
        ("sarcasm", {"words": ["yeah right"]}, "E802"),
        ("info_question", {"phrases": ["x"]}, "E802"),
        ("problem", {"phrases": ["(unclosed"]}, "E803"),
    ],
)
def test_bad_cues(feature: str, kwargs: dict[str, list[str]], code: str) -> None:
    cp = spacy.blank("en").add_pipe("hotline_complaints")
    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        cp.add_cues(feature, **kwargs)


# -- the phrase index finds every match a plain regex scan finds ------------------------------


def _vocabulary() -> list[str]:
    import re

    from hotline_insight.nlp._lexicons import COMPLAINT_PHRASES

    words: set[str] = set()
    for patterns in COMPLAINT_PHRASES.values():
        for p in patterns:
            words.update(re.findall(r"(?<!\\)[a-z']{2,}", p))
    return sorted(words | {"i", "a", "5", "12", "the", "bill", "router", "XX", "!", "?", ","})


def _brute_force(text: str) -> set[tuple[int, str]]:
    import re

    from hotline_insight.nlp._lexicons import COMPLAINT_PHRASES
    from hotline_insight.nlp._text import rewrite_pattern

    found = set()
    for label, patterns in COMPLAINT_PHRASES.items():
        for p in patterns:
            rx = re.compile(rf"(?<![\w'])(?:{rewrite_pattern(p, apostrophe=chr(39) + '?')})(?![\w'])", re.I)
            found.update((m.start(), label) for m in rx.finditer(text))
    return found


_VOCAB = _vocabulary()


@settings(max_examples=40)
@given(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=14).map(" ".join))
def test_phrase_index_misses_nothing(text: str) -> None:
    cp = _SHARED_NLP.get_pipe("hotline_complaints")
    got = {(start, label) for start, _end, label in cp._phrases.find(text)}
    assert _brute_force(text) <= got


_SHARED_NLP = spacy.blank("en")
_SHARED_NLP.add_pipe("hotline_complaints")

"""hotline_intensity: cue tables, intensity orderings and sentiment with negation."""

from __future__ import annotations

import time

import pytest
import spacy

import hotline_insight.nlp.boilerplate
import hotline_insight.nlp.complaints
import hotline_insight.nlp.intensity  # noqa: F401
from hotline_insight.errors import ConfigError
from hotline_insight.nlp.intensity import CUES, Intensity


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.add_pipe("hotline_boilerplate")
    nlp.add_pipe("hotline_complaints")
    nlp.add_pipe("hotline_intensity")
    return nlp


@pytest.fixture(scope="module")
def comp(nlp) -> Intensity:  # type: ignore[no-untyped-def]
    return nlp.get_pipe("hotline_intensity")  # type: ignore[no-any-return]


# (more intense, less intense)
ORDERINGS = [
    ("I'm cancelling and reporting you to the FCC!!!", "the bill is a bit high"),
    ("This is the THIRD time I've called, it's absolutely ridiculous!", "This is annoying."),
    ("I'm switching to another provider, this is a damn joke", "I'm not happy with the bill"),
    ("WHY IS MY BILL STILL WRONG", "why is my bill still wrong"),
    ("My lawyer will hear about this.", "My bill is wrong."),
    ("I've called 5 times about this!!", "I've called about this."),
    ("This is f***ing useless", "This is useless"),
    ("It's totally broken 😡😡", "It's broken"),
    ("My internet keeps dropping.", "My internet keeps dropping a little."),
]


@pytest.mark.parametrize("high,low", ORDERINGS)
def test_intensity_orderings(comp: Intensity, high: str, low: str) -> None:
    assert comp.score(high)[0] > comp.score(low)[0]


CUE_TABLE = [
    ("I'm cancelling and reporting you to the FCC!!!", {"cancel", "escalation", "exclamation"}),
    ("I'll take my business elsewhere.", {"leave"}),
    ("I'm going to switch provider", {"leave"}),
    ("I will contact the ombudsman and the Better Business Bureau", {"escalation"}),
    ("I'll post this on Twitter and leave a one-star review", {"escalation"}),
    ("This is the third time I've called", {"repeat_contact"}),
    ("I called 5 times", {"repeat_contact"}),
    ("It dropped again", {"repeat_contact"}),
    ("What the hell, this is crap", {"profanity"}),
    ("this is f*** useless", {"profanity"}),
    ("This is SO WRONG", {"shouting"}),
    ("I filed with the CFPB and the FCC", {"escalation"}),  # acronyms are not shouting
    ("On XX/XX/XXXX they charged me {$400.00}", set()),  # CFPB redactions are not shouting
    ("It's absolutely completely broken", {"intensifier"}),
    ("The bill is slightly high", {"hedge"}),
    ("It keeps dropping 😡", {"angry_emoji"}),
    ("", set()),
    ("🙂🙂", set()),
]


@pytest.mark.parametrize("text,expected", CUE_TABLE)
def test_cues(comp: Intensity, text: str, expected: set[str]) -> None:
    cues = comp.score(text)[2]
    assert set(cues) == expected
    assert list(cues) == [c for c in CUES if c in cues]  # canonical order


SENTIMENT = [
    ("This is terrible", -1.0, -0.3),
    ("not good", -0.5, -0.01),
    ("not bad", 0.01, 0.5),
    ("I'm not unhappy", 0.01, 0.5),
    ("very bad", -1.0, -0.4),
    ("thanks, that's great", 0.3, 1.0),
    ("My router reboots every night", 0.0, 0.0),
    ("😡", -1.0, -0.3),
    ("", 0.0, 0.0),
]


@pytest.mark.parametrize("text,lo,hi", SENTIMENT)
def test_sentiment(comp: Intensity, text: str, lo: float, hi: float) -> None:
    sentiment = comp.score(text)[1]
    assert lo <= sentiment <= hi


def test_sentiment_orders_strength(comp: Intensity) -> None:
    s = [comp.score(t)[1] for t in ("terrible", "bad", "a bit bad", "fine", "great")]
    assert s == sorted(s)


def test_extensions_on_every_segment(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Hello. My internet keeps dropping AGAIN!! I'm switching provider. Thanks, bye.")
    segs = list(doc.spans["hi_complaints"])
    assert segs
    for s in segs:
        assert 0.0 <= s._.hi_intensity <= 1.0
        assert -1.0 <= s._.hi_sentiment <= 1.0
        assert isinstance(s._.hi_cues, tuple)
    assert "leave" in segs[0]._.hi_cues and "repeat_contact" in segs[0]._.hi_cues


def test_no_segments_no_work(nlp) -> None:  # type: ignore[no-untyped-def]
    for text in ("", "What are your opening hours?", "<p>hi</p>", "🙂"):
        doc = nlp(text)
        assert len(doc.spans["hi_complaints"]) == 0


def test_runs_without_complaint_component() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("hotline_intensity")
    doc = nlp("This is terrible!")
    assert "hi_complaints" not in doc.spans


def test_long_text(nlp) -> None:  # type: ignore[no-untyped-def]
    para = "My internet keeps dropping AGAIN, this is absolutely ridiculous!! What are your hours? "
    text = (para * (100_000 // len(para) + 1))[:100_000]
    t0 = time.perf_counter()
    doc = nlp(text)
    assert time.perf_counter() - t0 < 6.0
    segs = list(doc.spans["hi_complaints"])
    assert len(segs) > 500
    assert segs[0]._.hi_intensity == pytest.approx(segs[1]._.hi_intensity)


def test_custom_cues_valence_and_serialisation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hotline_complaints")
    comp = nlp.add_pipe("hotline_intensity", config={"weights": {"escalation": 0.6}})
    comp.add_cues("escalation", [r"watchdog"])
    comp.add_valence({"naff": -0.7})
    text = "The app is naff and useless, I'm telling the watchdog."
    doc = nlp(text)
    before = [(s._.hi_intensity, s._.hi_sentiment, s._.hi_cues) for s in doc.spans["hi_complaints"]]
    assert before and "escalation" in before[0][2]
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    doc2 = nlp2(text)
    after = [(s._.hi_intensity, s._.hi_sentiment, s._.hi_cues) for s in doc2.spans["hi_complaints"]]
    assert after == before
    comp3 = spacy.blank("en").add_pipe("hotline_intensity").from_bytes(comp.to_bytes())
    assert comp3.weights["escalation"] == 0.6 and comp3.valence["naff"] == -0.7


@pytest.mark.parametrize(
    "call,code",
    [
        (lambda c: c.add_cues("weather", ["sunny"]), "E802"),
        (lambda c: c.add_cues("leave", ["(unclosed"]), "E803"),
        (lambda c: c.add_valence({"meh": -3.0}), "E801"),
    ],
)
def test_bad_input(call, code: str) -> None:  # type: ignore[no-untyped-def]
    comp = spacy.blank("en").add_pipe("hotline_intensity")
    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        call(comp)


@pytest.mark.parametrize(
    "config,code", [({"weights": {"volume": 0.2}}, "E802"), ({"weights": {"leave": 1.5}}, "E801")]
)
def test_bad_config(config: dict[str, object], code: str) -> None:
    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        spacy.blank("en").add_pipe("hotline_intensity", config=config)

"""hotline_boilerplate: tables of (role, text) -> expected (kind, text) spans."""

from __future__ import annotations

import itertools
import time

import pytest
import spacy

import hotline_insight.nlp.boilerplate  # noqa: F401  (registers the factory)
from hotline_insight.errors import ConfigError
from hotline_insight.nlp.boilerplate import BOILERPLATE_KINDS


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.add_pipe("hotline_boilerplate")
    return nlp


def run(nlp, text: str, role: str = "customer"):  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    doc._.hi_role = role
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def spans(nlp, text: str, role: str = "customer") -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    doc = run(nlp, text, role)
    return [(s.label_, s.text) for s in doc.spans["hi_boilerplate"]]


# (role, text, expected [(kind, span text)])
CASES = [
    # greetings
    ("agent", "Thank you for calling Larkspur, this is Dana.", [("greeting", "Thank you for calling Larkspur, this is Dana.")]),
    ("agent", "hi how can I help", [("greeting", "hi how can I help")]),
    ("agent", "lark spurr billing billy speaking speaking how can i help you today",
     [("greeting", "lark spurr billing billy speaking speaking how can i help you today")]),
    ("agent", "thank you for um calling like larks per this is gerald before we start can i get your name",
     [("greeting", "thank you for um calling like larks per this is gerald before we start can i get your name")]),
    ("system", "Cheryl has joined the chat.", [("greeting", "Cheryl has joined the chat.")]),
    ("bot", "Hi! I'm Lark, Larkspur's virtual assistant.", [("greeting", "Hi!"), ("greeting", "I'm Lark, Larkspur's virtual assistant.")]),
    ("customer", "Hello Larkspur team,\n\nMy bill is wrong.", [("greeting", "Hello Larkspur team,")]),
    ("customer", "hi yes my name is ralph jimenez", [("greeting", "hi yes my name is ralph jimenez")]),
    # ivr
    ("system", "Your call is important to us.", [("ivr", "Your call is important to us.")]),
    ("system", "Calls may be recorded for quality and training purposes.",
     [("ivr", "Calls may be recorded for quality and training purposes.")]),
    ("system", "For billing, press 1. For technical support, press 2.",
     [("ivr", "For billing, press 1."), ("ivr", "For technical support, press 2.")]),
    ("system", "you are number two in the queue", [("ivr", "you are number two in the queue")]),
    # hold
    ("agent", "Please hold.", [("hold", "Please hold.")]),
    ("agent", "I'll put you on a brief hold.", [("hold", "I'll put you on a brief hold.")]),
    ("agent", "Thanks for holding.", [("hold", "Thanks for holding.")]),
    ("agent", "bear with me i'm just going going to place you on hold for a minute or two",
     [("hold", "bear with me i'm just going going to place you on hold for a minute or two")]),
    ("customer", "Sorry, the doorbell, one sec.", [("hold", "Sorry, the doorbell, one sec.")]),
    # verification
    ("agent", "Can you confirm your date of birth?", [("verification", "Can you confirm your date of birth?")]),
    ("agent", "For security, can I take the first line of your address?",
     [("verification", "For security, can I take the first line of your address?")]),
    ("agent", "I just need to verify a few details.", [("verification", "I just need to verify a few details.")]),
    ("agent", "and just your date of birth to confirm", [("verification", "and just your date of birth to confirm")]),
    # closing
    ("agent", "Is there anything else I can help with?", [("closing", "Is there anything else I can help with?")]),
    ("agent", "Have a great day!", [("closing", "Have a great day!")]),
    ("agent", "Thanks for contacting us.", [("closing", "Thanks for contacting us.")]),
    ("agent", "alright thanks for you know calling bye bye", [("closing", "alright thanks for you know calling bye bye")]),
    ("customer", "no that's everything thanks", [("closing", "no that's everything thanks")]),
    ("system", "Chat ended by agent.", [("closing", "Chat ended by agent.")]),
    # "thanks for contacting us" opens an e-mail
    ("agent", "Thanks for contacting us, and sorry for the slow reply.\n\nYour refund is on its way.",
     [("greeting", "Thanks for contacting us, and sorry for the slow reply.")]),
    # signatures
    ("customer", "My bill is wrong again.\n\nKind regards,\nJane", [("signature", "Kind regards,\nJane")]),
    ("customer", "My bill is wrong again.\n\nSent from my iPhone", [("signature", "Sent from my iPhone")]),
    ("customer", "Please call me back.\n\nJohn Smith\nAccount Manager\nAcme Ltd\nTel: [PHONE]",
     [("signature", "John Smith\nAccount Manager\nAcme Ltd\nTel: [PHONE]")]),
    ("agent", "I've applied the credit.\n\nThanks,\nJack\nCustomer Care Team, Larkspur\nlarkspur.example/help",
     [("signature", "Thanks,\nJack\nCustomer Care Team, Larkspur\nlarkspur.example/help")]),
    ("agent", "I'll close this ticket now, but just reply if you need anything.\n\nJeremy",
     [("closing", "I'll close this ticket now, but just reply if you need anything."), ("signature", "Jeremy")]),
    # disclaimers
    ("customer", "My internet is down.\n\nThis e-mail and any attachments are confidential and intended solely for "
     "the addressee. If you have received this e-mail in error please notify the sender.",
     [("disclaimer", "This e-mail and any attachments are confidential and intended solely for the addressee. "
       "If you have received this e-mail in error please notify the sender.")]),
    # quoted replies
    ("customer", "Still broken.\n\nOn Mon, 3 Mar 2026 at 10:02, Larkspur Support <[EMAIL]> wrote:\n> Hi Carl,\n> Try a restart.",
     [("quoted_reply", "On Mon, 3 Mar 2026 at 10:02, Larkspur Support <[EMAIL]> wrote:\n> Hi Carl,\n> Try a restart.")]),
    ("customer", "Not fixed.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nSubject: Re: outage\n\nHello",
     [("quoted_reply", "-----Original Message-----\nFrom: Support\nSent: Monday\nSubject: Re: outage\n\nHello")]),
    ("customer", "Not fixed.\n\nFrom: Larkspur Support <[EMAIL]>\nSent: Thu, Apr 16, 2026 at 11:53 PM\n\nHi Brian,",
     [("quoted_reply", "From: Larkspur Support <[EMAIL]>\nSent: Thu, Apr 16, 2026 at 11:53 PM\n\nHi Brian,")]),
    ("customer", "> old line one\n> old line two\nMy reply: still broken.", [("quoted_reply", "> old line one\n> old line two")]),
]  # fmt: skip


@pytest.mark.parametrize("role,text,expected", CASES)
def test_kinds(nlp, role: str, text: str, expected: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert spans(nlp, text, role) == expected


# Content is never taken for a script, whoever speaks.
NOT_BOILERPLATE = [
    ("customer", "I was put on hold for an hour and nobody helped me."),
    ("customer", "this is ridiculous, thanks for nothing"),
    ("customer", "Hi Dana, my bill went up again"),
    ("customer", "press one for billing is all I heard for 40 minutes"),  # IVR quoted by a customer
    ("agent", "this is ridiculous"),
    (
        "agent",
        "sorry for the wait thanks for holding the paper bill fee is two dollars and fifty cents a month",
    ),
    ("customer", "My router reboots every night at 3am."),
    ("customer", ""),
    ("customer", "😡😡😡"),
    ("customer", "   \n\n  "),
]


@pytest.mark.parametrize("role,text", NOT_BOILERPLATE)
def test_content_is_not_boilerplate(nlp, role: str, text: str) -> None:  # type: ignore[no-untyped-def]
    assert spans(nlp, text, role) == []


def test_roles_gate_agent_scripts(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Can you confirm your date of birth?"
    assert spans(nlp, text, "agent") == [("verification", text)]
    assert spans(nlp, text, "customer") == []


def test_spans_are_sorted_disjoint_and_labelled(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Hi,\n\nThanks for getting back to me. My internet keeps dropping. Thank you.\n\nKind regards,\nJane\n\n"
        "On Wed, Nov 12, 2025 at 1:52 PM Support <[EMAIL]> wrote:\n\n> Hi Jane,\n> Sorry to hear that."
    )
    doc = run(nlp, text)
    got = list(doc.spans["hi_boilerplate"])
    assert [s.label_ for s in got] == ["greeting", "closing", "closing", "signature", "quoted_reply"]
    assert all(s.label_ in BOILERPLATE_KINDS for s in got)
    assert all(a.end <= b.start for a, b in itertools.pairwise(got))
    assert {s._.hi_method for s in got} == {"regex", "layout"}
    assert "My internet keeps dropping." not in " ".join(s.text for s in got)


def test_html_remnants_do_not_break_it(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "<p>Hi,</p><p>My bill is wrong.</p><br>Kind regards,<br>Jane &amp; Co"
    doc = run(nlp, text)
    for span in doc.spans["hi_boilerplate"]:
        assert "bill" not in span.text


def test_long_text_is_fast(nlp) -> None:  # type: ignore[no-untyped-def]
    para = "Thank you for calling. My router keeps dropping every night and nobody called back. Have a great day. "
    text = (para * (100_000 // len(para) + 1))[:100_000]
    t0 = time.perf_counter()
    doc = run(nlp, text, "agent")
    assert time.perf_counter() - t0 < 5.0
    kinds = {s.label_ for s in doc.spans["hi_boilerplate"]}
    assert kinds == {"greeting", "closing"}
    assert not any("router" in s.text for s in doc.spans["hi_boilerplate"])


def test_names_from_a_trained_pipeline_count_as_names(nlp) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    doc = nlp.make_doc("Kind thanks to Mary Ellen Jones, have a nice day")
    doc._.hi_role = "agent"
    doc = nlp.get_pipe("sentencizer")(doc)
    doc.ents = [Span(doc, 3, 6, label="PERSON")]
    doc = nlp.get_pipe("hotline_boilerplate")(doc)
    assert [s.label_ for s in doc.spans["hi_boilerplate"]] == ["closing"]


def test_add_patterns_and_serialisation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    bp = nlp.add_pipe("hotline_boilerplate", config={"slack_words": 1})
    bp.add_patterns([{"kind": "closing", "pattern": "stay safe out there", "roles": "any"}])
    doc = nlp("Stay safe out there!")
    assert [s.label_ for s in doc.spans["hi_boilerplate"]] == ["closing"]
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    bp2 = nlp2.get_pipe("hotline_boilerplate")
    assert bp2.patterns == bp.patterns and bp2.slack_words == 1
    doc2 = nlp2("Stay safe out there!")
    assert [s.label_ for s in doc2.spans["hi_boilerplate"]] == ["closing"]
    bp3 = spacy.blank("en").add_pipe("hotline_boilerplate").from_bytes(bp.to_bytes())
    assert bp3.patterns == bp.patterns


@pytest.mark.parametrize(
    "config,code",
    [
        ({"slack_words": -1}, "E801"),
        ({"slack_ratio": 2.0}, "E801"),
    ],
)
def test_bad_config(config: dict[str, object], code: str) -> None:
    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        spacy.blank("en").add_pipe("hotline_boilerplate", config=config)


@pytest.mark.parametrize(
    "pattern,code",
    [
        ({"kind": "weather", "pattern": "sunny"}, "E802"),
        ({"kind": "closing", "pattern": "x", "roles": "everyone"}, "E802"),
        ({"kind": "closing", "pattern": "(unclosed"}, "E803"),
    ],
)
def test_bad_patterns(pattern: dict[str, str], code: str) -> None:
    bp = spacy.blank("en").add_pipe("hotline_boilerplate")
    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        bp.add_patterns([pattern])

"""Tests for personal-data detection and redaction (hotline_insight.nlp.redact).

Tables of ``(text, expected)`` like presidio's recogniser tests: ``expected``
lists ``(label, value)`` pairs in text order. Property tests insert generated
e-mails, phone numbers (typed and spoken) and Luhn-valid card numbers into
random text that cannot itself contain personal data (no digits, no vowels,
no '@' or '/'), and check that the value is gone and everything around it is
unchanged.
"""

from __future__ import annotations

import itertools
import re
import time

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from hotline_insight.errors import ConfigError
from hotline_insight.nlp.redact import (
    PII_LABELS,
    PLACEHOLDERS,
    PiiSpan,
    apply_spans,
    detect_pii,
    iter_redacted,
    redact,
    redact_with_spans,
)


def found(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(s.label, text[s.start_char : s.end_char]) for s in detect_pii(text, **kwargs)]  # type: ignore[arg-type]


def assert_outside_unchanged(text: str, redacted: str, spans: list[PiiSpan]) -> None:
    """Rebuild the redacted text piece by piece: every character outside a span is where it was."""
    pos = 0
    out = 0
    for span in spans:
        piece = text[pos : span.start_char]
        assert redacted[out : out + len(piece)] == piece
        out += len(piece)
        assert redacted[out : out + len(span.placeholder)] == span.placeholder
        out += len(span.placeholder)
        pos = span.end_char
    assert redacted[out:] == text[pos:]


# ---------------------------------------------------------------------------
# tables: every type
# ---------------------------------------------------------------------------

POSITIVE = [
    # EMAIL
    ("mail me at jane.doe+cfpb@example.co.uk please", [("EMAIL", "jane.doe+cfpb@example.co.uk")]),
    ("Contact: Søren.Lund@example.com.", [("EMAIL", "Søren.Lund@example.com")]),
    ("it's jane [at] example [dot] com", [("EMAIL", "jane [at] example [dot] com")]),
    ("write to jane_doe at example.com", [("EMAIL", "jane_doe at example.com")]),
    (
        "should be ethan dot jones nine oh at example dot com",
        [("EMAIL", "ethan dot jones nine oh at example dot com")],
    ),
    (
        "yes please to andrea dot turner at mail dot example dot org",
        [("EMAIL", "andrea dot turner at mail dot example dot org")],
    ),
    # PHONE: written
    ("call +1 (555) 010-2000 today", [("PHONE", "+1 (555) 010-2000")]),
    ("my cell is 555.010.2000", [("PHONE", "555.010.2000")]),
    ("ring 020 7946 0958 or +44 20 7946 0958", [("PHONE", "020 7946 0958"), ("PHONE", "+44 20 7946 0958")]),
    ("mobile 07700 900123", [("PHONE", "07700 900123")]),
    ("Phone: 630-555-0160", [("PHONE", "630-555-0160")]),
    ("E.164 +13125550157 on file", [("PHONE", "+13125550157")]),
    ("you can reach me on 555-0123", [("PHONE", "555-0123")]),
    # PHONE: spoken
    (
        "it's five five five oh one two three four five six seven",
        [("PHONE", "five five five oh one two three four five six seven")],
    ),
    (
        "five five five, oh one two, three four five six",
        [("PHONE", "five five five, oh one two, three four five six")],
    ),
    (
        "double five five oh one two triple seven two",
        [("PHONE", "double five five oh one two triple seven two")],
    ),
    ("555 oh one two three four five six", [("PHONE", "555 oh one two three four five six")]),
    (
        "Yes, or my mobile, three one two five five five oh one two oh.",
        [("PHONE", "three one two five five five oh one two oh")],
    ),
    (
        "five five five oh one two thirty four fifty six",
        [("PHONE", "five five five oh one two thirty four fifty six")],
    ),
    # CARD
    ("card 4111 1111 1111 1111, expiry 04/30", [("CARD", "4111 1111 1111 1111")]),
    ("amex 3782-822463-10005 please", [("CARD", "3782-822463-10005")]),
    ("charge 5555555555554444", [("CARD", "5555555555554444")]),
    (
        "it's four one one one, one one one one, one one one one, one one one one",
        [("CARD", "four one one one, one one one one, one one one one, one one one one")],
    ),
    # ACCOUNT
    ("my account number is 12345678", [("ACCOUNT", "12345678")]),
    ("order #A12-3345 never came", [("ACCOUNT", "A12-3345")]),
    ("ref: XK22931", [("ACCOUNT", "XK22931")]),
    ("my account's 4477 1029 and", [("ACCOUNT", "4477 1029")]),
    ("Account: LK-3511-4266", [("ACCOUNT", "LK-3511-4266")]),
    ("It's LK-4521-8812.", [("ACCOUNT", "LK-4521-8812")]),
    ("customer ID C104233", [("ACCOUNT", "C104233")]),
    ("case number: 20231187", [("ACCOUNT", "20231187")]),
    (
        "my account number is four four seven seven one oh two nine",
        [("ACCOUNT", "four four seven seven one oh two nine")],
    ),
    # ADDRESS, ZIP
    ("I live at 42 Oak Lane, thanks", [("ADDRESS", "42 Oak Lane")]),
    (
        "My address is 2169 Lakeview Drive, Greenville, IN 47985.",
        [("ADDRESS", "2169 Lakeview Drive, Greenville, IN"), ("ZIP", "47985")],
    ),
    ("6829 Aspen Court, 53019.", [("ADDRESS", "6829 Aspen Court"), ("ZIP", "53019")]),
    (
        "Flat 3, 12 High Street, London NW1 6XE",
        [("ADDRESS", "Flat 3, 12 High Street, London"), ("ZIP", "NW1 6XE")],
    ),
    ("send it to 1600 Pennsylvania Ave NW Apt 4", [("ADDRESS", "1600 Pennsylvania Ave NW Apt 4")]),
    ("PO Box 1234", [("ADDRESS", "PO Box 1234")]),
    (
        "it's twenty four seventy seven chestnut boulevard greenville in four seven nine four four",
        [
            ("ADDRESS", "twenty four seventy seven chestnut boulevard greenville in"),
            ("ZIP", "four seven nine four four"),
        ],
    ),
    ("we're at eighty quarry avenue", [("ADDRESS", "eighty quarry avenue")]),
    ("my zip code is 60614", [("ZIP", "60614")]),
    ("zip: 60614-1234", [("ZIP", "60614-1234")]),
    ("postcode SW1A 1AA", [("ZIP", "SW1A 1AA")]),
    ("the zip is six oh six one four", [("ZIP", "six oh six one four")]),
    # DOB
    ("my date of birth is March 27th, 1971", [("DOB", "March 27th, 1971")]),
    ("DOB: 03/27/1971", [("DOB", "03/27/1971")]),
    ("I was born on 27 March 1971", [("DOB", "27 March 1971")]),
    ("born in 1980", [("DOB", "1980")]),
    (
        "my birthday is the twenty seventh of march nineteen seventy one",
        [("DOB", "the twenty seventh of march nineteen seventy one")],
    ),
    # IP, URL
    ("my IP is 192.168.1.20.", [("IP", "192.168.1.20")]),
    ("from 2001:db8::8a2e:370:7334 again", [("IP", "2001:db8::8a2e:370:7334")]),
    (
        "reset: https://larkspur.example/reset/abcdef1234567890XYZ",
        [("URL", "https://larkspur.example/reset/abcdef1234567890XYZ")],
    ),
    (
        "see www.example.com/login?session=abc123&user=me.",
        [("URL", "www.example.com/login?session=abc123&user=me")],
    ),
    ("track at example.net/track?id=556677", [("URL", "example.net/track?id=556677")]),
    # NAME
    ("Hi, my name is Dana Smith and", [("NAME", "Dana Smith")]),
    ("my name is dana smith and i'm calling about my bill", [("NAME", "dana smith")]),
    ("this is dana calling about the router", [("NAME", "dana")]),
    ("I'm Dana from billing.", [("NAME", "Dana")]),
    ("you're speaking with mark, how can I help", [("NAME", "mark")]),
    ("Hello Michelle,\n\nThanks for contacting us.", [("NAME", "Michelle")]),
    ("Sincerely,\nDorothy Mitchell\n\nSent from my phone", [("NAME", "Dorothy Mitchell")]),
    ("Hiya, Deborah Mendoza here.", [("NAME", "Deborah Mendoza")]),
    ("I spoke to Kevin yesterday", [("NAME", "Kevin")]),
    ("the agent, Priya, promised a refund", [("NAME", "Priya")]),
    ("Mr. Okafor called twice", [("NAME", "Mr. Okafor")]),
    (
        "Inbound call from Jacob Fitzgerald (312-555-0157).",
        [("NAME", "Jacob Fitzgerald"), ("PHONE", "312-555-0157")],
    ),
    ("(12:05:41 AM) Rosa: my internet is down", [("NAME", "Rosa")]),
    ("Name: Dana Smith", [("NAME", "Dana Smith")]),
    # ID
    ("SSN 123-45-6789", [("ID", "123-45-6789")]),
    ("my social security number is 123 45 6789", [("ID", "123 45 6789")]),
    ("reference 1234567890123 was read out", [("ACCOUNT", "1234567890123")]),
    ("the code 1234 5678 9012 34 is printed on it", [("ID", "1234 5678 9012 34")]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE, ids=[t[:40] for t, _ in POSITIVE])
def test_detects_each_type(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected
    redacted, spans = redact_with_spans(text)
    assert_outside_unchanged(text, redacted, spans)
    for _, value in expected:
        assert value not in redacted


# ---------------------------------------------------------------------------
# tables: what must stay
# ---------------------------------------------------------------------------

NOT_PII = [
    "The FB-500 router and the LV-HD-200 box, SKU HUB5-X and BB-F100-12M",
    "It cost $49.99, then £12, then €15.50 a month",
    "forty nine ninety nine a month, up from thirty nine ninety nine",
    "it's one hundred twenty nine ninety nine for the plan",
    "The outage was on 3 March and has lasted since 2024-05-01",
    "It was on the January 4th, the internet was down again.",
    "at 10:30 and again at 3pm, for 45 minutes",
    "I have 3 routers and 2 boxes, and opened 4 tickets",
    "prices went up 20% in 2024",
    "firmware 7.4.1 and version 10.2.3.4",
    "press 2 for billing, option 3",
    "the Fibre 500 plan at 500 Mbps",
    "my bill was 120 dollars for 12 months",
    "the ticket count is 5 and I waited 2 hours",
    "the 5 year contract ends in 2026",
    "It ends in 4444.",
    "I'm calling about my bill. I'm frustrated and I'm not happy.",
    "this is ridiculous, this is the third time",
    "thanks for your help, hi there, dear sir or madam",
    "my name is on the account",
    "Hi there, thanks!",
    "go to www.example.com or larkspur.example/help for help",
    "Thank you, that's all confirmed.",
    "I want to order 2 new routers",
    "I've been a customer for 12 years, customer since 2016",
    "the policy changed in 2024",
    "2 more on the way, 5 minutes drive",
    "option one two three",
    "it's my birthday today",
    "zip it, the postcode lottery",
    "I was born in the wrong decade",
    "THIS IS OUTRAGEOUS AND I WANT MY MONEY BACK",
    "I spoke to them yesterday",
    "the agent, who was rude, hung up",
    "a date like 12/05 and 3.5 stars",
]


@pytest.mark.parametrize("text", NOT_PII, ids=[t[:40] for t in NOT_PII])
def test_not_pii_stays(text: str) -> None:
    assert found(text) == []
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "On XX/XX/XXXX I called about account XXXX and paid {$400.00}.",
        "Caller [PII] said their card [PII] was charged.",
        "date of birth XX/XX/XXXX, SSN XXX-XX-XXXX, my name is XXXX XXXX",
        "my email is [EMAIL] and my phone is [PHONE], card [CARD]",
    ],
)
def test_vendor_and_own_placeholders_stay(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(("text", "_expected"), POSITIVE, ids=[t[:40] for t, _ in POSITIVE])
def test_redacting_twice_changes_nothing(text: str, _expected: object) -> None:
    once = redact(text)
    assert redact(once) == once


def test_redact_writes_typed_placeholders() -> None:
    text = "Dana (jane@example.com, 555-010-2000) paid with 4111 1111 1111 1111; my name is Dana Smith."
    assert redact(text) == "Dana ([EMAIL], [PHONE]) paid with [CARD]; my name is [NAME]."


def test_spans_are_sorted_non_overlapping_records() -> None:
    text = "my name is dana smith, email dana@example.com, call 555 010 2000 or five five five oh one two three four"
    spans = detect_pii(text)
    assert [s.label for s in spans] == ["NAME", "EMAIL", "PHONE", "PHONE"]
    assert all(a.end_char <= b.start_char for a, b in itertools.pairwise(spans))
    span = spans[0]
    assert not hasattr(span, "text")
    with pytest.raises(AttributeError):
        span.label = "EMAIL"  # type: ignore[misc]
    assert span.placeholder == "[NAME]" == PLACEHOLDERS["NAME"]


def test_overlap_resolution_prefers_the_specific_label() -> None:
    # a Luhn-valid number after an account cue is a card; an e-mail inside a URL is part of the URL
    assert found("account number 4111 1111 1111 1111") == [("CARD", "4111 1111 1111 1111")]
    assert found("https://example.com/unsub?email=jane@example.com") == [
        ("URL", "https://example.com/unsub?email=jane@example.com")
    ]


# ---------------------------------------------------------------------------
# prompts, options, errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "answer", "expected"),
    [
        ("And just your date of birth to confirm?", "March 27th, 1971.", [("DOB", "March 27th, 1971")]),
        (
            "Can you confirm your full name and the zip code please?",
            "Harold White, 60439",
            [("NAME", "Harold White"), ("ZIP", "60439")],
        ),
        (
            "Can you confirm your full name and the zip code please?",
            "roy white 55316",
            [("NAME", "roy white"), ("ZIP", "55316")],
        ),
        (
            "Can I have your account number please?",
            "hang on lk eight oh three eight six one oh six",
            [("ACCOUNT", "lk eight oh three eight six one oh six")],
        ),
        ("What's the phone number on the account?", "its 555-0188", [("PHONE", "555-0188")]),
        ("What's the best number?", "Sure, thanks for asking.", []),
    ],
)
def test_prompt_finds_bare_answers(prompt: str, answer: str, expected: list[tuple[str, str]]) -> None:
    assert found(answer, prompt=prompt) == expected


def test_without_prompt_bare_answers_stay() -> None:
    assert found("March 27th, 1971.") == []
    assert found("Harold White, 60439") == []


def test_labels_and_allow_list() -> None:
    text = "Dear Larkspur, my email is jane@example.com and my name is Dana"
    assert [label for label, _ in found(text)] == ["NAME", "EMAIL", "NAME"]
    assert found(text, labels=["EMAIL"]) == [("EMAIL", "jane@example.com")]
    assert found(text, allow_list=["larkspur"]) == [("EMAIL", "jane@example.com"), ("NAME", "Dana")]
    assert redact(text, labels={"NAME"}) == "Dear [NAME], my email is jane@example.com and my name is [NAME]"


def test_unknown_label_is_a_coded_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        detect_pii("x", labels=["EMAIL", "PASSPORT"])
    assert str(info.value).startswith("[E601]")
    assert "PASSPORT" in str(info.value)


@pytest.mark.parametrize("func", [detect_pii, redact, redact_with_spans])
def test_text_must_be_a_string(func: object) -> None:
    with pytest.raises(TypeError, match=r"^\[E602\]"):
        func(b"bytes")  # type: ignore[operator]


def test_nlp_must_be_callable() -> None:
    with pytest.raises(TypeError, match=r"^\[E603\]"):
        detect_pii("text", nlp="en_core_web_sm")  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "end", "label"), [(5, 5, "EMAIL"), (-1, 3, "EMAIL"), (0, 3, "PASSPORT")])
def test_invalid_span_is_rejected(start: int, end: int, label: str) -> None:
    with pytest.raises(ValueError, match=r"^\[E604\]"):
        PiiSpan(start, end, label, "regex")


def test_ner_persons_become_names() -> None:
    ner = spacy.blank("en")
    ruler = ner.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "PERSON", "pattern": "Ama Boateng"}, {"label": "ORG", "pattern": "Larkspur"}]
    )  # type: ignore[attr-defined]
    text = "I wrote to Ama Boateng at Larkspur twice"
    assert found(text) == []
    assert found(text, nlp=ner) == [("NAME", "Ama Boateng")]
    assert redact(text, nlp=ner) == "I wrote to [NAME] at Larkspur twice"


def test_apply_spans_and_iter_redacted() -> None:
    text = "call 020 7946 0958"
    spans = detect_pii(text)
    assert apply_spans(text, spans) == "call [PHONE]"
    assert [r for r, _ in iter_redacted([text, "nothing"])] == ["call [PHONE]", "nothing"]


def test_labels_constant_matches_placeholders() -> None:
    assert set(PLACEHOLDERS) == set(PII_LABELS)
    assert all(PLACEHOLDERS[label] == f"[{label}]" for label in PII_LABELS)


# ---------------------------------------------------------------------------
# odd input
# ---------------------------------------------------------------------------


def test_odd_inputs_do_not_crash() -> None:
    assert redact("") == ""
    assert detect_pii("") == []
    assert redact("😀🎉👍" * 50) == "😀🎉👍" * 50
    digits = "1234567890" * 1000
    assert redact(digits) == "[ID]"
    mixed = "Привет, 我的电话是 ١٢٣ and İstanbul İİİ call 555-010-2000 ☎ مرحبا"
    redacted, spans = redact_with_spans(mixed)
    assert [s.label for s in spans] == ["PHONE"]
    assert_outside_unchanged(mixed, redacted, spans)
    assert redact("\x00\x01\t\n\r \u200b") == "\x00\x01\t\n\r \u200b"


def test_long_input_is_fast_and_complete() -> None:
    chunk = "I have 3 routers, my email is jane.doe@example.com and my number is 555-010-2000. "
    text = chunk * (100_000 // len(chunk) + 1)
    assert len(text) >= 100_000
    t0 = time.perf_counter()
    redacted = redact(text)
    assert time.perf_counter() - t0 < 2.0
    assert "@" not in redacted
    assert "555-010" not in redacted
    assert redacted.count("[EMAIL]") >= 1000


def test_lowercasing_that_changes_length_keeps_offsets() -> None:
    text = "İİ my email is jane@example.com"
    spans = detect_pii(text)
    assert [(s.label, text[s.start_char : s.end_char]) for s in spans] == [("EMAIL", "jane@example.com")]


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

# random surroundings that cannot hold personal data: no digits, no vowels (so no number
# words or cue words), no '@' or '/'
SAFE_CHARS = [
    *list("bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ .,;:!?-_()'\"\n\t"),
    "ß",
    "ж",
    "中",
    "文",
    "😀",
    "🎉",
    "é",
]
surroundings = st.text(alphabet=st.sampled_from(SAFE_CHARS), max_size=40)
names = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz")), min_size=1, max_size=10)


@st.composite
def emails(draw: st.DrawFn) -> str:
    local = draw(names) + draw(st.sampled_from(["", ".", "_", "+"])) + draw(names)
    if local[-1] in "._+":
        local += "x"
    digits = draw(st.sampled_from(["", "7", "42", "1990"]))
    domain = draw(st.sampled_from(["example.com", "mail.example.org", "example.co.uk", "x-y.example.net"]))
    return f"{local}{digits}@{domain}"


@st.composite
def phones(draw: st.DrawFn) -> str:
    a = draw(st.integers(201, 989))
    b = draw(st.integers(200, 999))
    c = draw(st.integers(0, 9999))
    uk = draw(st.integers(0, 999))
    return draw(
        st.sampled_from(
            [
                f"({a}) {b}-{c:04d}",
                f"{a}-{b}-{c:04d}",
                f"{a}.{b}.{c:04d}",
                f"+1 {a} {b} {c:04d}",
                f"+1 ({a}) {b}-{c:04d}",
                f"020 7946 0{uk:03d}",
                f"+44 20 7946 0{uk:03d}",
                f"07700 900{uk:03d}",
            ]
        )
    )


DIGIT_WORDS = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@st.composite
def spoken_phones(draw: st.DrawFn) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=10, max_size=11))
    words = [DIGIT_WORDS[d] for d in digits]
    sep = draw(st.sampled_from([" ", ", "]))
    if sep == ", ":
        return " ".join(words[:3]) + ", " + " ".join(words[3:6]) + ", " + " ".join(words[6:])
    return " ".join(words)


def luhn_complete(body: list[int]) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return "".join(map(str, body)) + str((10 - total % 10) % 10)


@st.composite
def cards(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from([[4], [5, 1], [5, 5], [3, 7], [6, 0, 1, 1]]))
    length = 15 if prefix[0] == 3 else 16
    body = prefix + draw(
        st.lists(st.integers(0, 9), min_size=length - 1 - len(prefix), max_size=length - 1 - len(prefix))
    )
    number = luhn_complete(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    if length == 15:
        return sep.join([number[:4], number[4:10], number[10:]])
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def check_inserted(prefix: str, value: str, suffix: str, label: str) -> None:
    text = f"{prefix} {value} {suffix}"
    redacted, spans = redact_with_spans(text)
    assert redacted == f"{prefix} [{label}] {suffix}"
    assert [s.label for s in spans] == [label]
    assert value not in redacted
    assert not re.search(r"\d", redacted)


@given(surroundings, emails(), surroundings)
def test_emails_never_survive(prefix: str, value: str, suffix: str) -> None:
    check_inserted(prefix, value, suffix, "EMAIL")


@given(surroundings, phones(), surroundings)
def test_phones_never_survive(prefix: str, value: str, suffix: str) -> None:
    check_inserted(prefix, value, suffix, "PHONE")


@given(surroundings, spoken_phones(), surroundings)
def test_spoken_phones_never_survive(prefix: str, value: str, suffix: str) -> None:
    redacted = redact(f"{prefix} {value} {suffix}")
    assert redacted in (f"{prefix} [PHONE] {suffix}", f"{prefix} [CARD] {suffix}")


@given(surroundings, cards(), surroundings)
def test_cards_never_survive(prefix: str, value: str, suffix: str) -> None:
    check_inserted(prefix, value, suffix, "CARD")


@given(st.text(max_size=300))
def test_any_text_gives_valid_spans_and_keeps_the_rest(text: str) -> None:
    redacted, spans = redact_with_spans(text)
    assert all(0 <= s.start_char < s.end_char <= len(text) for s in spans)
    assert all(a.end_char <= b.start_char for a, b in itertools.pairwise(spans))
    assert_outside_unchanged(text, redacted, spans)


# ---------------------------------------------------------------------------
# the spaCy component
# ---------------------------------------------------------------------------


@pytest.fixture
def redactor_nlp():  # type: ignore[no-untyped-def]
    import hotline_insight.nlp.redact  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hotline_redactor")
    return nlp


def test_component_marks_spans(redactor_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = redactor_nlp("Email jane@example.com or call 555-010-2000, I'm Dana from billing.")
    spans = doc.spans["hi_pii"]
    assert [(s.text, s.label_, s._.hi_method) for s in spans] == [
        ("jane@example.com", "EMAIL", "regex"),
        ("555-010-2000", "PHONE", "regex"),
        ("Dana", "NAME", "cue"),
    ]
    assert doc.text.startswith("Email jane@example.com")  # the text is not changed


def test_component_expands_to_tokens_and_marks_placeholders(redactor_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = redactor_nlp("card:4111111111111111x and [EMAIL] here")
    spans = list(doc.spans["hi_pii"])
    assert [(s.label_, s._.hi_method) for s in spans] == [("EMAIL", "placeholder")]
    doc = redactor_nlp("ID 123-45-6789's owner")
    (span,) = doc.spans["hi_pii"]
    assert span.label_ == "ID"
    assert span.start_char == 3 and span.end_char >= 14  # expanded to whole tokens


def test_component_uses_existing_person_entities() -> None:
    import hotline_insight.nlp.redact  # noqa: F401

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Ama Boateng"}])  # type: ignore[attr-defined]
    nlp.add_pipe("hotline_redactor")
    doc = nlp("I wrote to Ama Boateng twice")
    assert [(s.text, s.label_, s._.hi_method) for s in doc.spans["hi_pii"]] == [
        ("Ama Boateng", "NAME", "ner")
    ]
    nlp.get_pipe("hotline_redactor").use_ents = False
    assert list(nlp("I wrote to Ama Boateng twice").spans["hi_pii"]) == []


def test_component_round_trips_its_config(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hotline_insight.nlp.redact  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("hotline_redactor", config={"labels": ["NAME", "EMAIL"], "allow_list": ["Larkspur"]})
    text = "Dear Larkspur, I'm Dana from billing, jane@example.com, 555-010-2000"
    doc = nlp(text)
    before = [(s.start_char, s.end_char, s.label_) for s in doc.spans["hi_pii"]]
    assert [label for _, _, label in before] == ["NAME", "EMAIL"]
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    doc2 = loaded(text)
    after = [(s.start_char, s.end_char, s.label_) for s in doc2.spans["hi_pii"]]
    assert after == before
    assert loaded.get_pipe("hotline_redactor").cfg == nlp.get_pipe("hotline_redactor").cfg
    data = nlp.get_pipe("hotline_redactor").to_bytes()
    fresh = spacy.blank("en").add_pipe("hotline_redactor")
    fresh.from_bytes(data)  # type: ignore[attr-defined]
    assert fresh.cfg["allow_list"] == ["Larkspur"]  # type: ignore[attr-defined]


def test_component_rejects_bad_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hotline_insight.nlp.redact import Redactor

    with pytest.raises(ConfigError, match=r"^\[E606\]"):
        Redactor(spans_key="")
    with pytest.raises(ConfigError, match=r"^\[E606\]"):
        Redactor(allow_list=[3])  # type: ignore[list-item]

    with pytest.raises(ConfigError, match=r"E601"):
        spacy.blank("en").add_pipe("hotline_redactor", config={"labels": ["PASSPORT"]})
    pipe = spacy.blank("en").add_pipe("hotline_redactor")
    (tmp_path / "cfg.json").write_text('{"spans_key": "hi_pii", "colour": "red"}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"E605"):
        pipe.from_disk(tmp_path)  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match=r"E605"):
        pipe.from_disk(tmp_path / "missing")  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# sample data
# ---------------------------------------------------------------------------


def test_sample_tickets_lose_their_planted_contact_details() -> None:
    import csv

    import hotline_insight as hi

    with open("sample_data/customers.csv", newline="", encoding="utf-8") as f:
        customers = list(csv.DictReader(f))
    emails_ = {c["email"] for c in customers}
    phones_ = {c["phone"] for c in customers}
    texts = [t.text for i in hi.read("sample_data/tickets/freshdesk") for t in i.turns]
    assert any(e in t for t in texts for e in emails_)  # the data has them ...
    redacted = [redact(t) for t in texts]
    assert not any(e in r for r in redacted for e in emails_)  # ... the redacted text does not
    assert not any(p in r for r in redacted for p in phones_)

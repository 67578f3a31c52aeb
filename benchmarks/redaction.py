"""Personal-data redaction: quality on generated cases, leaks on sample data, speed.

1. **Generated cases** (``--n`` of them, 2,000 by default, seed ``--seed``): half
   typed (chat, e-mail, ticket style), half ASR style (lower case, no
   punctuation, numbers said aloud, fillers). Each is a short message with
   one to three pieces of personal data of known type and position, among
   one to three distractors that are not personal data (SKUs, prices, dates of
   events, times, quantities, percentages, versions, plan names). Values,
   contexts and distractors are drawn from their own lists, written apart from
   the detector's cue lists and from the unit tests.

   Scores:

   * recall, per gold type: share of gold spans whose every non-space character
     lies inside a predicted span (of any PII label: a ZIP code swallowed by an
     ADDRESS span counts as redacted);
   * precision, overall and per predicted label: share of predicted spans that
     overlap some gold span (a predicted span over a distractor or over plain
     words is a false positive);
   * label agreement, per predicted label: share of the predicted spans that
     overlap a gold span of the same label (information only).

   Targets: recall >= 0.99 for EMAIL, PHONE and CARD; overall precision >= 0.95.

2. **Sample data**: every turn of ``sample_data/calls``, ``chats`` and
   ``tickets`` is redacted; the table counts placeholders per type and checks
   that none of the fictional e-mail addresses and phone numbers of
   ``sample_data/customers.csv`` (written, dashed, digits only, E.164 or said
   digit by digit) and none of the planted card numbers survive. Target: no leak.
   Customer names that survive are counted too (information only: names given
   without a cue, e.g. in answer to "can I take your full name?", need the
   ``prompt=`` of :func:`~hotline_insight.nlp.redact.redact`).

3. **Speed**: ``redact()`` over all sample turns beside ``spacy.blank("en")``
   tokenisation of the same texts (``nlp.make_doc`` and ``nlp.pipe``), CPU
   time, best of ``--repeat`` runs. Target: redaction takes at most
   ``--max-time-ratio`` (0.5 by default) of the tokeniser's time.

Usage::

    python benchmarks/redaction.py
    python benchmarks/redaction.py --n 5000 --seed 7 --show-errors 20

Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline_insight.nlp.redact import PII_LABELS, PiiSpan, detect_pii, redact  # noqa: E402

TYPED_RECALL_TARGETS = {"EMAIL": 0.99, "PHONE": 0.99, "CARD": 0.99}
PRECISION_TARGET = 0.95

# ---------------------------------------------------------------------------
# numbers as said aloud
# ---------------------------------------------------------------------------
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()


def say_number(n: int) -> str:
    """1977 -> 'nineteen seventy seven', 42 -> 'forty two', 311 -> 'three hundred and eleven'."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + say_number(rest))
    if 2000 <= n <= 2009:
        return "two thousand" + ("" if n == 2000 else " " + ONES[n % 10])
    hi, lo = divmod(n, 100)
    if lo == 0:
        return say_number(hi) + " hundred"
    return say_number(hi) + " " + (("oh " + ONES[lo]) if lo < 10 else say_number(lo))


def say_ordinal(n: int) -> str:
    if n <= 20:
        return ORDINALS[n - 1]
    if n == 30:
        return "thirtieth"
    return TENS[n // 10] + " " + ORDINALS[n % 10 - 1]


def say_digits(
    rng: random.Random, digits: str, groups: Iterable[int] | None = None, style: str = "plain"
) -> str:
    """Digits read one by one, the way ASR writes them: 'oh'/'zero', doubles, triples, group pauses."""
    zero = "oh" if rng.random() < 0.7 else "zero"
    words: list[str] = []
    i = 0
    while i < len(digits):
        d = digits[i]
        run = 1
        while i + run < len(digits) and digits[i + run] == d and run < 3:
            run += 1
        word = zero if d == "0" else DIGIT_WORDS[int(d)]
        if style == "doubles" and run == 3:
            words.append("triple " + word)
            i += 3
        elif style == "doubles" and run >= 2:
            words.append("double " + word)
            i += 2
        else:
            words.append(word)
            i += 1
    if style == "pairs" and len(digits) >= 10:
        # last four as two pairs: "... thirty four fifty six"
        last = digits[-4:]
        if last[0] != "0" and last[2] != "0":
            head = say_digits(rng, digits[:-4], style="plain")
            return f"{head} {say_number(int(last[:2]))} {say_number(int(last[2:]))}"
    return " ".join(words)


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


# ---------------------------------------------------------------------------
# value generators (each returns the typed and the spoken form)
# ---------------------------------------------------------------------------
FIRST = (
    "Amara Bogdan Chiara Dmitri Efua Farid Greta Hyun Ingrid Jorge Kalani Leilani Mateus Nadia Oren Paloma "
    "Quentin Rosalind Soren Tamsin Ugo Valentina Wendell Ximena Yusuf Zelda Beatriz Caspian Delphine Emeka"
).split()
LAST = (
    "Abernathy Brandt Castellanos Dubois Eriksen Fairweather Goldberg Haddad Iwasaki Jablonski Kowalczyk "
    "Lindqvist Mbeki Nakamura Okonkwo Pellegrini Quinlan Rasmussen Szabo Thibodeaux Umarov Vasquez "
    "Whitaker Xiong Yamamoto Zielinski"
).split()
DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "example.co.uk",
    "post.example.org",
]
STREETS = (
    "Birchwood Hawthorn Juniper Kingsley Larchmont Marigold Northgate Osprey Primrose Quarry Rosemary "
    "Sycamore Thistle Wexford Alder Bramble Copperfield Dunmore Elmstead Foxglove"
).split()
STREET_TYPES = [
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Lane",
    "Drive",
    "Dr",
    "Boulevard",
    "Court",
    "Way",
    "Place",
    "Terrace",
    "Crescent",
    "Close",
]
CITIES = [
    ("Millbrook", "OH"),
    ("Cedar Falls", "IA"),
    ("Riverton", "WY"),
    ("Ashford", "CT"),
    ("Lakewood", "CO"),
    ("Fairhaven", "MA"),
    ("Brookside", "AL"),
    ("Glenwood", "IL"),
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass
class Item:
    label: str
    typed: str
    spoken: str
    contexts: tuple[str, ...]
    asr_contexts: tuple[str, ...] = ()
    extra: list[tuple[str, str, str]] = field(default_factory=list)  # further (label, typed, spoken) after it


def gen_email(rng: random.Random) -> Item:
    first, last = rng.choice(FIRST).lower(), rng.choice(LAST).lower()
    n = rng.randrange(1, 99)
    local, spoken_local = rng.choice(
        [
            (f"{first}.{last}", f"{first} dot {last}"),
            (f"{first}{last}{n}", f"{first}{last} {say_digits(rng, str(n))}"),
            (f"{first[0]}{last}", f"{first[0]}{last}"),
            (f"{first}_{last}", f"{first} underscore {last}"),
            (f"{last}.{first}{n}", f"{last} dot {first} {say_digits(rng, str(n))}"),
        ]
    )
    domain = rng.choice(DOMAINS)
    return Item(
        "EMAIL",
        f"{local}@{domain}",
        f"{spoken_local} at {domain.replace('.', ' dot ')}",
        (
            "you can email me at {v}",
            "my email is {v}",
            "please send the confirmation to {v}",
            "{v} is the address you have on file",
            "contact: {v}",
            "reply to {v} not the old one",
            "the invoice went to {v} apparently",
        ),
        ("my email is {v}", "it's {v}", "send it to {v}", "the email on the account is {v}", "yeah {v}"),
    )


def gen_phone(rng: random.Random) -> Item:
    kind = rng.choice(["us", "us", "us", "uk", "uk_mobile", "intl_us", "intl_uk"])
    if kind == "us":
        area, mid, last = f"{rng.randrange(201, 989)}", "555", f"01{rng.randrange(10, 99)}"
        digits = area + mid + last
        typed = rng.choice(
            [
                f"({area}) {mid}-{last}",
                f"{area}-{mid}-{last}",
                f"{area}.{mid}.{last}",
                f"{area} {mid} {last}",
                f"1-{area}-{mid}-{last}",
            ]
        )
    elif kind == "intl_us":
        area, last = f"{rng.randrange(201, 989)}", f"01{rng.randrange(10, 99)}"
        digits = area + "555" + last
        typed = rng.choice([f"+1 ({area}) 555-{last}", f"+1 {area} 555 {last}", f"+1{area}555{last}"])
    elif kind == "uk":
        last = f"0{rng.randrange(100, 999)}"
        city = rng.choice(["20 7946", "161 496", "113 496", "131 496"])
        digits = "0" + city.replace(" ", "") + last
        typed = f"0{city} {last}"
    elif kind == "uk_mobile":
        tail = f"900{rng.randrange(100, 999)}"
        digits = "07700" + tail
        typed = rng.choice([f"07700 {tail}", f"07700{tail}", f"07700 {tail[:3]} {tail[3:]}"])
    else:
        last = f"0{rng.randrange(100, 999)}"
        digits = "02079460" + last[1:]
        typed = rng.choice([f"+44 20 7946 {last}", f"+44 (0)20 7946 {last}", f"+442079460{last[1:]}"])
    style = rng.choice(["plain", "plain", "doubles", "pairs", "grouped", "mixed"])
    if style == "grouped" and len(digits) == 10:
        spoken = ", ".join(say_digits(rng, g) for g in (digits[:3], digits[3:6], digits[6:]))
    elif style == "mixed":
        spoken = digits[:3] + " " + say_digits(rng, digits[3:])
    else:
        spoken = say_digits(rng, digits, style=style)
    return Item(
        "PHONE",
        typed,
        spoken,
        (
            "call me on {v}",
            "my number is {v}",
            "you can reach me at {v} after 5",
            "phone: {v}",
            "text {v} if that's easier",
            "the mobile on file should be {v}",
            "ring {v} please",
            "{v} is my cell",
        ),
        (
            "my number is {v}",
            "it's {v}",
            "you can call me back on {v}",
            "the best number is {v}",
            "yeah {v}",
            "my mobile is {v}",
        ),
    )


def gen_card(rng: random.Random) -> Item:
    kind = rng.choice(["visa", "mc", "amex", "disc"])
    if kind == "visa":
        digits = luhn_complete("4", 16, rng)
    elif kind == "mc":
        digits = luhn_complete(f"5{rng.randrange(1, 6)}", 16, rng)
    elif kind == "disc":
        digits = luhn_complete("6011", 16, rng)
    else:
        digits = luhn_complete(rng.choice(["34", "37"]), 15, rng)
    if len(digits) == 15:
        groups = [digits[:4], digits[4:10], digits[10:]]
    else:
        groups = [digits[i : i + 4] for i in range(0, 16, 4)]
    sep = rng.choice([" ", " ", "-", ""])
    typed = sep.join(groups)
    if rng.random() < 0.5:
        spoken = ", ".join(say_digits(rng, g) for g in groups)
    else:
        spoken = say_digits(rng, digits)
    return Item(
        "CARD",
        typed,
        spoken,
        (
            "the card number is {v}",
            "charge it to {v}",
            "my visa {v} was declined",
            "card: {v}, exp 09/28",
            "use the card ending... actually the full number is {v}",
            "I paid with {v} last month",
        ),
        ("the card number is {v}", "it's {v}", "take it from {v}", "the long number is {v}"),
    )


def gen_account(rng: random.Random) -> Item:
    kind = rng.choice(["acct", "order", "ref", "case", "cust", "policy", "conf", "ticket"])
    d = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    letters = lambda n: "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))  # noqa: E731
    if kind == "acct":
        value = rng.choice([d(8), f"{d(4)} {d(4)}", f"{letters(2)}-{d(4)}-{d(4)}", d(10)])
        ctx = ("my account number is {v}", "account: {v}", "acct {v}", "my account's {v}", "account no. {v}")
        asr = ("my account number is {v}", "the account number is {v}", "account number {v}")
    elif kind == "order":
        value = rng.choice([f"{letters(1)}{d(2)}-{d(4)}", d(7), f"{letters(2)}{d(6)}"])
        ctx = ("order #{v} never arrived", "my order number is {v}", "re: order {v}")
        asr = ("my order number is {v}", "the order number was {v}")
    elif kind == "ref":
        value = f"{letters(2)}{d(5)}"
        ctx = ("ref: {v}", "your reference {v}", "reference number {v}")
        asr = ("the reference number is {v}",)
    elif kind == "case":
        value = d(rng.choice([6, 8]))
        ctx = ("case {v} is still open", "case number: {v}", "regarding case #{v}")
        asr = ("the case number is {v}",)
    elif kind == "cust":
        value = f"C{d(6)}"
        ctx = ("customer ID {v}", "customer number {v}")
        asr = ("my customer number is {v}",)
    elif kind == "policy":
        value = f"PL-{d(5)}-{letters(1)}"
        ctx = ("policy number {v}", "policy no {v}")
        asr = ("the policy number is {v}",)
    elif kind == "conf":
        value = f"{letters(3)}{d(5)}"
        ctx = ("confirmation number {v}", "confirmation code: {v}")
        asr = ("the confirmation number is {v}",)
    else:
        value = d(6)
        ctx = ("ticket {v} was closed without a fix", "ticket number {v}")
        asr = ("the ticket number is {v}",)
    digits_only = re.sub(r"\D", "", value)
    prefix = re.match(r"[A-Za-z]{1,3}", value)
    spoken = (prefix.group().lower() + " " if prefix else "") + say_digits(rng, digits_only)
    return Item("ACCOUNT", value, spoken, ctx, asr)


def gen_address(rng: random.Random) -> Item:
    number = rng.choice([rng.randrange(2, 99), rng.randrange(100, 999), rng.randrange(1000, 9999)])
    street = f"{rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
    unit = rng.choice(["", "", "", f", Apt {rng.randrange(1, 40)}", f" Unit {rng.randrange(1, 9)}B"])
    typed = f"{number} {street}{unit}"
    name, kind = street.split()
    full = {"St": "street", "Ave": "avenue", "Rd": "road", "Dr": "drive"}.get(kind, kind.lower())
    spoken = f"{say_number(number)} {name.lower()} {full}"
    extra: list[tuple[str, str, str]] = []
    item = Item(
        "ADDRESS",
        typed,
        spoken,
        (
            "I live at {v}",
            "the address is {v}",
            "ship it to {v} please",
            "we moved to {v} in the spring",
            "service address: {v}",
            "the engineer went to {v} instead",
        ),
        ("i live at {v}", "the address is {v}", "it's {v}", "we're at {v}"),
        extra,
    )
    if rng.random() < 0.5:
        city, state = rng.choice(CITIES)
        zipcode = f"{rng.randrange(10000, 99999)}"
        item.typed += f", {city}, {state}"
        item.spoken += f" {city.lower()} {state.lower()}"
        extra.append(("ZIP", zipcode, say_digits(rng, zipcode)))
    return item


def gen_zip(rng: random.Random) -> Item:
    if rng.random() < 0.7:
        z = f"{rng.randrange(10000, 99999)}"
        typed = z if rng.random() < 0.7 else f"{z}-{rng.randrange(1000, 9999)}"
        spoken = say_digits(rng, z)
    else:
        typed = rng.choice(["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX"])
        spoken = " ".join(typed.lower().replace(" ", ""))
    return Item(
        "ZIP",
        typed,
        spoken,
        (
            "my zip code is {v}",
            "zip: {v}",
            "postcode {v}",
            "the zip on the account is {v}",
            "postal code: {v}",
        ),
        ("my zip code is {v}", "the zip is {v}", "zip code {v}"),
    )


def gen_dob(rng: random.Random) -> Item:
    y, m, d = rng.randrange(1940, 2004), rng.randrange(1, 13), rng.randrange(1, 29)
    month = MONTHS[m - 1]
    typed = rng.choice(
        [
            f"{m:02d}/{d:02d}/{y}",
            f"{y}-{m:02d}-{d:02d}",
            f"{month} {d}, {y}",
            f"{d} {month} {y}",
            f"{month} {d}th {y}" if d not in (1, 2, 3, 21, 22, 23) else f"{month} {d}, {y}",
            f"{d}.{m}.{y}",
        ]
    )
    spoken = rng.choice(
        [
            f"{month.lower()} {say_ordinal(d)} {say_number(y)}",
            f"the {say_ordinal(d)} of {month.lower()} {say_number(y)}",
        ]
    )
    return Item(
        "DOB",
        typed,
        spoken,
        (
            "my date of birth is {v}",
            "DOB: {v}",
            "I was born on {v}",
            "date of birth {v}",
            "birthday: {v}",
            "d.o.b. {v}",
        ),
        ("my date of birth is {v}", "i was born on {v}", "date of birth {v}", "my birthday is {v}"),
    )


def gen_ip(rng: random.Random) -> Item:
    if rng.random() < 0.75:
        typed = rng.choice(
            [
                f"192.168.{rng.randrange(0, 255)}.{rng.randrange(2, 254)}",
                f"10.{rng.randrange(0, 255)}.{rng.randrange(0, 255)}.{rng.randrange(2, 254)}",
                f"203.0.113.{rng.randrange(2, 254)}",
                f"198.51.100.{rng.randrange(2, 254)}",
            ]
        )
    else:
        typed = rng.choice(
            [
                "2001:db8::1",
                f"2001:db8:85a3::8a2e:370:{rng.randrange(4096, 65535):x}",
                "fe80::1ff:fe23:4567:890a",
            ]
        )
    return Item(
        "IP",
        typed,
        "",
        (
            "my IP address is {v}",
            "the router shows {v} as the WAN address",
            "IP: {v}",
            "it keeps connecting from {v}",
        ),
    )


def gen_url(rng: random.Random) -> Item:
    token = "".join(
        rng.choice("abcdefghijkmnpqrstuvwxyz23456789ABCDEFGH") for _ in range(rng.randrange(18, 32))
    )
    typed = rng.choice(
        [
            f"https://larkspur.example/reset/{token}",
            f"https://account.example.com/verify?token={token}",
            f"http://example.net/track?id={rng.randrange(10**7, 10**9)}",
            f"www.example.com/login?session={token}&user=me",
            f"https://example.org/invoice/{rng.randrange(10**6, 10**8)}",
        ]
    )
    return Item(
        "URL",
        typed,
        "",
        (
            "the link {v} doesn't work",
            "I clicked {v} and got an error",
            "see {v}",
            "your email said to go to {v}",
        ),
    )


def gen_name(rng: random.Random) -> Item:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    full = rng.random() < 0.6
    typed = f"{first} {last}" if full else first
    return Item(
        "NAME",
        typed,
        typed.lower(),
        (
            "my name is {v}",
            "this is {v} calling about my bill",
            "Hi, I'm {v} from accounts payable",
            "Dear {v},",
            "You're speaking with {v}, how can I help?",
            "\nRegards,\n{v}\n",
            "I spoke to {v} yesterday",
            "Mr {v} called twice" if full else "the agent, {v}, promised a refund",
        ),
        (
            "my name is {v}",
            "this is {v} calling",
            "you're speaking with {v}",
            "my name's {v}",
            "hi this is {v} speaking",
        ),
    )


def gen_ssn(rng: random.Random) -> Item:
    a, b, c = rng.randrange(100, 665), rng.randrange(10, 99), rng.randrange(1000, 9999)
    typed = rng.choice([f"{a}-{b}-{c}", f"{a} {b} {c}"])
    return Item(
        "ID",
        typed,
        say_digits(rng, f"{a}{b}{c}"),
        ("my SSN is {v}", "social security number: {v}", "SSN {v}"),
        ("my social security number is {v}",),
    )


TYPED_GENERATORS: list[tuple[Callable[[random.Random], Item], float]] = [
    (gen_email, 3),
    (gen_phone, 3),
    (gen_card, 3),
    (gen_account, 2),
    (gen_address, 2),
    (gen_zip, 1.5),
    (gen_dob, 1.5),
    (gen_ip, 1),
    (gen_url, 1),
    (gen_name, 2),
    (gen_ssn, 0.7),
]
ASR_GENERATORS: list[tuple[Callable[[random.Random], Item], float]] = [
    (gen_email, 3),
    (gen_phone, 3),
    (gen_card, 3),
    (gen_account, 2),
    (gen_address, 2),
    (gen_zip, 1.5),
    (gen_dob, 1.5),
    (gen_name, 2),
    (gen_ssn, 0.5),
]

# ---------------------------------------------------------------------------
# distractors: numbers and codes that are not personal data
# ---------------------------------------------------------------------------


def distractor(rng: random.Random, asr: bool) -> str:
    n = rng.randrange(2, 9)
    price = rng.choice([(49, 99), (12, 0), (9, 99), (129, 0), (3, 50), (59, 99)])
    d = rng.randrange(1, 28)
    month = rng.choice(MONTHS)
    year = rng.choice([2023, 2024, 2025])
    typed_options = [
        f"the {rng.choice(['FB-500', 'LV-HD-200', 'HUB5-X', 'BB-F100-12M', 'LH5-AX3000', 'MB-SIM20-30D', 'TV-ESS'])} box",
        f"it costs ${price[0]}.{price[1]:02d} a month" if price[1] else f"it went up to £{price[0]}",
        f"since {year}-{rng.randrange(1, 13):02d}-{d:02d}",
        f"on {d} {month}",
        f"at {rng.randrange(1, 12)}:{rng.choice(['00', '15', '30', '45'])}",
        f"I have {n} routers",
        f"that's {rng.randrange(5, 60)}% more than last year",
        f"firmware {rng.randrange(1, 9)}.{rng.randrange(0, 9)}.{rng.randrange(0, 9)}",
        f"the Fibre {rng.choice([100, 500])} plan",
        f"I've opened {n} tickets about this",
        f"in {year}",
        f"I waited {rng.randrange(20, 90)} minutes",
        f"press {rng.randrange(1, 9)} for billing",
        f"speeds of {rng.choice([50, 100, 500, 900])} Mbps",
        f"my bill was {rng.randrange(80, 400)} dollars",
        f"the {d}th of {month}",
        "the 2-year contract",
    ]
    asr_options = [
        f"it costs {say_number(price[0])} {say_number(price[1])}"
        if price[1]
        else f"it's {say_number(price[0])} dollars",
        f"i have {say_number(n)} routers",
        f"on the {say_ordinal(d)} of {month.lower()}",
        f"since {month.lower()} {say_number(year)}",
        f"at {say_number(rng.randrange(1, 12))} thirty",
        f"i waited {say_number(rng.randrange(20, 90))} minutes",
        f"the fibre {say_number(rng.choice([100, 500]))} plan",
        f"about {say_number(rng.randrange(5, 60))} percent more",
        f"i've called {say_number(n)} times",
        "for two years",
        f"firmware {say_number(rng.randrange(1, 9))} point {say_number(rng.randrange(0, 9))}",
        "the twenty four month contract",
    ]
    return rng.choice(asr_options if asr else typed_options)


OPENERS_TYPED = ["Hi,", "Hello there.", "Hey -", "Good morning,", "", "", "So", "Ugh.", "Quick question:"]
OPENERS_ASR = ["hi yeah", "um", "okay so", "yeah hi", "", "", "right so", "hello"]
JOINERS_TYPED = [". Also,", ";", " and", ". Btw", ". Oh and", " -", ". Anyway,"]
JOINERS_ASR = [" and", " um", " also", " uh", " so", " and um", " yeah and"]
CLOSERS_TYPED = [".", "!", "?", " thanks.", ". Please fix this.", "...", ""]
CLOSERS_ASR = ["", " thanks", " yeah", " okay", " please"]


@dataclass
class Case:
    text: str
    gold: list[tuple[int, int, str]]
    asr: bool


def build_case(rng: random.Random, asr: bool) -> Case:
    gens = ASR_GENERATORS if asr else TYPED_GENERATORS
    funcs, weights = zip(*gens, strict=True)
    n_pii = rng.choice([1, 1, 2, 2, 3])
    n_dis = rng.choice([1, 2, 2, 3])
    pieces: list[tuple[str, list[tuple[str, str]] | None]] = []  # text template, (label, value) parts
    for _ in range(n_pii):
        item = rng.choices(funcs, weights)[0](rng)
        contexts = item.asr_contexts if asr else item.contexts
        template = rng.choice(contexts)
        value = item.spoken if asr else item.typed
        parts = [(item.label, value)]
        for label, typed, spoken in item.extra:
            parts.append((label, spoken if asr else typed))
        pieces.append((template, parts))
    for _ in range(n_dis):
        pieces.append((distractor(rng, asr), None))
    rng.shuffle(pieces)
    text = rng.choice(OPENERS_ASR if asr else OPENERS_TYPED)
    gold: list[tuple[int, int, str]] = []
    for i, (template, parts) in enumerate(pieces):
        if i:
            text += rng.choice(JOINERS_ASR if asr else JOINERS_TYPED)
        if text:
            text += " "
        if parts is None:
            text += template
            continue
        before, _, after = template.partition("{v}")
        if asr:
            before = asr_words(before)
            after = asr_words(after)
        text += before
        for j, (label, value) in enumerate(parts):
            if j:
                text += " " if asr else rng.choice([" ", ", "])
            gold.append((len(text), len(text) + len(value), label))
            text += value
        text += after
    text += rng.choice(CLOSERS_ASR if asr else CLOSERS_TYPED)
    if not asr and rng.random() < 0.1:
        text = text.lower()  # chat style
    return Case(text, gold, asr)


def asr_words(s: str) -> str:
    s = s.lower().replace("\n", " ")
    s = re.sub(r"[^\w' ]+", " ", s)
    return re.sub(r" +", " ", s)


def build_cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    return [build_case(rng, asr=i % 2 == 1) for i in range(n)]


# ---------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------


def covered(gold: tuple[int, int, str], text: str, preds: list[PiiSpan]) -> bool:
    s, e, _ = gold
    return all(text[i].isspace() or any(p.start_char <= i < p.end_char for p in preds) for i in range(s, e))


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


@dataclass
class Scores:
    gold_n: Counter[str] = field(default_factory=Counter)
    gold_hit: Counter[str] = field(default_factory=Counter)
    pred_n: Counter[str] = field(default_factory=Counter)
    pred_ok: Counter[str] = field(default_factory=Counter)
    pred_same: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_pos: list[tuple[str, str, str]] = field(default_factory=list)


def score(cases: list[Case], scores: Scores, key: str) -> None:
    for case in cases:
        preds = detect_pii(case.text)
        for g in case.gold:
            scores.gold_n[g[2]] += 1
            if covered(g, case.text, preds):
                scores.gold_hit[g[2]] += 1
            else:
                scores.misses.append((key, g[2], mark(case.text, g[0], g[1])))
        for p in preds:
            scores.pred_n[p.label] += 1
            hits = [g for g in case.gold if overlaps(p.start_char, p.end_char, g[0], g[1])]
            if hits:
                scores.pred_ok[p.label] += 1
                if any(g[2] == p.label for g in hits):
                    scores.pred_same[p.label] += 1
            else:
                scores.false_pos.append((key, p.label, mark(case.text, p.start_char, p.end_char)))


def mark(text: str, s: int, e: int) -> str:
    return repr(text[max(0, s - 50) : s] + "<<" + text[s:e] + ">>" + text[e : e + 30])


def ratio(a: int, b: int) -> str:
    return "-" if b == 0 else f"{a / b:.3f}"


def print_quality(title: str, sc: Scores) -> None:
    print(f"\n{title}")
    print(f"{'label':8s} {'gold':>6s} {'recall':>7s} {'pred':>6s} {'precision':>9s} {'same label':>10s}")
    for label in PII_LABELS:
        if sc.gold_n[label] or sc.pred_n[label]:
            print(
                f"{label:8s} {sc.gold_n[label]:6d} {ratio(sc.gold_hit[label], sc.gold_n[label]):>7s} "
                f"{sc.pred_n[label]:6d} {ratio(sc.pred_ok[label], sc.pred_n[label]):>9s} "
                f"{ratio(sc.pred_same[label], sc.pred_n[label]):>10s}"
            )
    g, gh = sum(sc.gold_n.values()), sum(sc.gold_hit.values())
    p, po = sum(sc.pred_n.values()), sum(sc.pred_ok.values())
    print(
        f"{'all':8s} {g:6d} {ratio(gh, g):>7s} {p:6d} {ratio(po, p):>9s} {ratio(sum(sc.pred_same.values()), p):>10s}"
    )


# ---------------------------------------------------------------------------
# sample data
# ---------------------------------------------------------------------------


def sample_turn_texts() -> list[str]:
    import hotline_insight as hi

    texts: list[str] = []
    for sub in ("calls", "chats", "tickets"):
        for interaction in hi.read(ROOT / "sample_data" / sub, on_error="collect"):
            texts.extend(turn.text for turn in interaction.turns)
    return texts


CARD_RUN = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?!\d)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def spoken_forms(digits: str) -> set[str]:
    out = set()
    for zero in ("oh", "zero"):
        out.add(" ".join(zero if c == "0" else DIGIT_WORDS[int(c)] for c in digits))
    return out


def sample_data_report(texts: list[str]) -> int:
    redacted = [redact(t) for t in texts]
    counts: Counter[str] = Counter()
    for r in redacted:
        for m in re.finditer(r"\[(" + "|".join(PII_LABELS) + r")\]", r):
            counts[m.group(1)] += 1
    print(f"\nSample data: {len(texts)} turns; placeholders per type (our own, in the redacted text):")
    print("  " + ", ".join(f"{label} {counts[label]}" for label in PII_LABELS))

    with open(ROOT / "sample_data" / "customers.csv", newline="", encoding="utf-8") as f:
        customers = list(csv.DictReader(f))
    emails = {c["email"].lower() for c in customers if c.get("email")}
    phone_forms: set[str] = set()
    for c in customers:
        digits = re.sub(r"\D", "", c.get("phone") or "")
        if len(digits) == 10:
            a, b, n = digits[:3], digits[3:6], digits[6:]
            phone_forms |= {
                f"{a}-{b}-{n}",
                f"({a}) {b}-{n}",
                f"{a}.{b}.{n}",
                f"{a} {b} {n}",
                digits,
                f"+1{digits}",
            }
            phone_forms |= spoken_forms(digits)
    email_forms = set(emails)
    for e in emails:
        local, _, domain = e.partition("@")
        email_forms.add(local.replace(".", " dot ") + " at " + domain.replace(".", " dot "))
    cards: set[str] = set()
    for t in texts:
        for m in CARD_RUN.finditer(t):
            d = re.sub(r"\D", "", m.group())
            if luhn_ok(d):
                cards.add(d)
    card_forms: set[str] = set()
    for d in cards:
        card_forms |= {
            d,
            " ".join(d[i : i + 4] for i in range(0, len(d), 4)),
            "-".join(d[i : i + 4] for i in range(0, len(d), 4)),
        }
        if len(d) == 15:
            card_forms.add(f"{d[:4]} {d[4:10]} {d[10:]}")
        card_forms |= spoken_forms(d)
    names = {c["name"].lower() for c in customers if c.get("name")}

    leaks: Counter[str] = Counter()
    examples: dict[str, str] = {}
    name_leaks = 0
    for original, r in zip(texts, redacted, strict=True):
        low = r.lower()
        for kind, forms in (("email", email_forms), ("phone", phone_forms), ("card", card_forms)):
            for form in forms:
                if form in low and form in original.lower():
                    leaks[kind] += 1
                    examples.setdefault(kind, form)
        name_leaks += sum(1 for n in names if n in low)
    print(
        f"  planted values checked: {len(emails)} e-mails, {len(phone_forms)} phone forms, "
        f"{len(cards)} card numbers ({len(card_forms)} forms)"
    )
    print(f"  leaks: e-mail {leaks['email']}, phone {leaks['phone']}, card {leaks['card']}  (target: 0)")
    print(f"  customer full names still present (information): {name_leaks}")
    for kind, form in examples.items():
        print(f"  e.g. {kind} leak: {form!r}")
    return sum(leaks.values())


# ---------------------------------------------------------------------------
# speed
# ---------------------------------------------------------------------------


def best_of(f: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        f()
        best = min(best, time.process_time() - t0)
    return best


def speed_report(texts: list[str], repeat: int) -> float:
    import spacy

    nlp = spacy.blank("en")
    n_chars = sum(len(t) for t in texts)
    from hotline_insight.nlp import redact as redact_module

    def redact_all() -> None:
        redact_module._redact_short.cache_clear()  # cold: only repeats within one pass are served from it
        for t in texts:
            redact(t)

    t_red = best_of(redact_all, repeat)
    n_unique = len(set(texts))
    t_doc = best_of(lambda: [nlp.make_doc(t) for t in texts], repeat)
    t_pipe = best_of(lambda: list(nlp.pipe(texts, batch_size=256)), repeat)
    tok = min(t_doc, t_pipe)
    print(
        f"\nSpeed on {len(texts)} sample turns ({n_chars / 1e6:.2f} M chars), CPU seconds, best of {repeat}:"
    )
    print(
        f"  redact()            {t_red:7.3f} s  {n_chars / t_red / 1e6:6.2f} M chars/s  {len(texts) / t_red:9.0f} turns/s"
    )
    print(f"  nlp.make_doc()      {t_doc:7.3f} s  {n_chars / t_doc / 1e6:6.2f} M chars/s")
    print(f"  nlp.pipe() (blank)  {t_pipe:7.3f} s  {n_chars / t_pipe / 1e6:6.2f} M chars/s")
    print(f"  redaction / tokenisation time: {t_red / tok:.2f}")
    print(f"  ({len(texts) - n_unique} of the turns repeat an earlier one exactly: scripted lines)")
    return t_red / tok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="generated cases (half typed, half ASR)")
    ap.add_argument("--seed", type=int, default=20250701)
    ap.add_argument("--repeat", type=int, default=3, help="timing repeats")
    ap.add_argument("--max-time-ratio", type=float, default=0.5)
    ap.add_argument("--show-errors", type=int, default=8, help="misses and false positives to print")
    ap.add_argument("--skip-sample", action="store_true", help="skip the sample-data and speed sections")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    cases = build_cases(max(args.n, 1000), args.seed)
    t_gen = time.perf_counter() - t0
    overall, typed, asr = Scores(), Scores(), Scores()
    t0 = time.perf_counter()
    score([c for c in cases if not c.asr], typed, "typed")
    score([c for c in cases if c.asr], asr, "asr")
    t_score = time.perf_counter() - t0
    for part in (typed, asr):
        for name in ("gold_n", "gold_hit", "pred_n", "pred_ok", "pred_same"):
            getattr(overall, name).update(getattr(part, name))
        overall.misses += part.misses
        overall.false_pos += part.false_pos
    print(f"Generated {len(cases)} cases (seed {args.seed}) in {t_gen:.2f} s; detected in {t_score:.2f} s")
    print_quality("Typed cases", typed)
    print_quality("ASR-style cases", asr)
    print_quality("All cases", overall)
    if args.show_errors:
        print(f"\nFirst misses ({len(overall.misses)} in all):")
        for key, label, ctx in overall.misses[: args.show_errors]:
            print(f"  [{key}] {label}: {ctx}")
        print(f"First false positives ({len(overall.false_pos)} in all):")
        for key, label, ctx in overall.false_pos[: args.show_errors]:
            print(f"  [{key}] {label}: {ctx}")

    failed: list[str] = []
    for label, target in TYPED_RECALL_TARGETS.items():
        rec = overall.gold_hit[label] / max(1, overall.gold_n[label])
        if rec < target:
            failed.append(f"recall {label} {rec:.3f} < {target}")
    prec = sum(overall.pred_ok.values()) / max(1, sum(overall.pred_n.values()))
    if prec < PRECISION_TARGET:
        failed.append(f"precision {prec:.3f} < {PRECISION_TARGET}")

    if not args.skip_sample:
        texts = sample_turn_texts()
        n_leaks = sample_data_report(texts)
        if n_leaks:
            failed.append(f"{n_leaks} planted values leak on sample data")
        time_ratio = speed_report(texts, args.repeat)
        if time_ratio > args.max_time_ratio:
            failed.append(f"redaction takes {time_ratio:.2f} of tokenisation time > {args.max_time_ratio}")

    print()
    if failed:
        print("TARGETS MISSED: " + "; ".join(failed))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

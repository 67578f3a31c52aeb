#!/usr/bin/env python3
"""Generate ``sample_data/``: a fictional telecom's contact-centre exports.

Larkspur Telecom (invented) sells broadband, routers, mobile plans, a landline
and a TV box line. This script writes five quarters (2025-07-01 to 2026-09-30)
of calls, chats and tickets in the vendor formats of ``shared/FORMATS.md``,
with planted grievance patterns that later stages must find, a customers
table, a product/policy catalog, a ground-truth file (``planted.json``) and a
README. It also copies a deterministic slice of the real CFPB complaints.

Run from the repository root::

    python scripts/make_sample_data.py            # writes ./sample_data
    python scripts/make_sample_data.py --out /tmp/sd

Deterministic: one ``random.Random(seed)`` drives every choice, nothing
depends on the clock, on set iteration or on the environment, and every file
is written with ``\\n`` line endings (the CFPB slice keeps its source bytes).
Running it twice gives byte-identical trees. Only the standard library and
PyYAML are used.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import html
import io
import json
import math
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SEED = 20250701
COMPANY = "Larkspur Telecom"
BRAND = "Larkspur"
SUPPORT_EMAIL = "support@larkspur.example"
ZENDESK_BASE = "https://larkspur-sample.zendesk.com/api/v2"
AWS_ACCOUNT = "210987654321"
CONNECT_INSTANCE = "7c1e5a3b-94d2-4f0e-8a6b-2d9f31c0e5aa"

START = dt.date(2025, 7, 1)
END = dt.date(2026, 9, 30)
QUARTERS: list[tuple[str, dt.date, dt.date]] = [
    ("2025Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    ("2025Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ("2026Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("2026Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ("2026Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
]
QNAMES = [q[0] for q in QUARTERS]

# Key dates of the planted patterns.
SUPPORT_FEE_FROM = dt.date(2025, 10, 1)
TVBOX_ANNOUNCED = dt.date(2025, 11, 3)
TVBOX_END = dt.date(2026, 1, 15)
PAPER_FEE_DROPPED = dt.date(2026, 4, 1)
PRICE_RISE = dt.date(2026, 4, 1)
FIRMWARE_DATE = dt.date(2026, 8, 4)

CFPB_RELATIVE = Path("datasets/cfpb_complaints/payday_personal_loans_2023.csv")


def cfpb_source() -> Path | None:
    """The CFPB CSV in shared/: $HOTLINE_SHARED_DIR, else shared/ beside the repository, else /work/shared."""
    import os

    repo = Path(__file__).resolve().parent.parent
    candidates = [Path(os.environ["HOTLINE_SHARED_DIR"])] if os.environ.get("HOTLINE_SHARED_DIR") else []
    candidates += [repo.parent / "shared", Path("/work/shared")]
    for base in candidates:
        if (base / CFPB_RELATIVE).is_file():
            return base / CFPB_RELATIVE
    return None


# The one random generator. ``generate`` re-seeds it; every helper draws from it.
R = random.Random(SEED)


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def pick(seq: Sequence[Any]) -> Any:
    return seq[R.randrange(len(seq))]


def chance(p: float) -> bool:
    return R.random() < p


def wpick(items: Sequence[Any], weights: Sequence[float]) -> Any:
    return R.choices(items, weights=weights, k=1)[0]


def sample(seq: Sequence[Any], k: int) -> list[Any]:
    return R.sample(list(seq), min(k, len(seq)))


def quarter_of(d: dt.date) -> str:
    for name, lo, hi in QUARTERS:
        if lo <= d <= hi:
            return name
    raise ValueError(d)


def chicago_offset(local: dt.datetime) -> int:
    """UTC offset in hours of America/Chicago (US rules), for business hours only."""
    y = local.year

    def nth_sunday(month: int, n: int) -> dt.date:
        d = dt.date(y, month, 1)
        d += dt.timedelta(days=(6 - d.weekday()) % 7)
        return d + dt.timedelta(weeks=n - 1)

    start = nth_sunday(3, 2)
    end = nth_sunday(11, 1)
    return -5 if start <= local.date() < end else -6


def iso_offset(local: dt.datetime) -> str:
    off = chicago_offset(local)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{'-' if off < 0 else '+'}{abs(off):02d}:00"


def to_utc(local: dt.datetime) -> dt.datetime:
    return local - dt.timedelta(hours=chicago_offset(local))


def zulu(t: dt.datetime, ms: bool = False) -> str:
    if ms:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(t_utc: dt.datetime) -> int:
    return int((t_utc - dt.datetime(1970, 1, 1)).total_seconds())


def uuid4() -> str:
    h = f"{R.getrandbits(128):032x}"
    h = h[:12] + "4" + h[13:16] + "89ab"[int(h[16], 16) % 4] + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce id (3-char key prefix + body + case-safe suffix)."""
    body = prefix + "5g000" + "".join(_B62[R.randrange(62)] for _ in range(3)) + f"{n:04d}"
    body = body[:15]
    suffix = ""
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(body[chunk * 5 : chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    return body + suffix


def month_name(d: dt.date) -> str:
    return d.strftime("%B")


def day_phrase(d: dt.date) -> str:
    return f"{d.strftime('%A')} the {ordinal(d.day)}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- numbers as spoken, for ASR-style transcripts ---------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_DIGIT = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_ORD = {
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
    "6th": "sixth",
    "7th": "seventh",
    "8th": "eighth",
    "9th": "ninth",
    "10th": "tenth",
    "11th": "eleventh",
    "12th": "twelfth",
    "13th": "thirteenth",
    "14th": "fourteenth",
    "15th": "fifteenth",
    "16th": "sixteenth",
    "17th": "seventeenth",
    "18th": "eighteenth",
    "19th": "nineteenth",
    "20th": "twentieth",
    "21st": "twenty first",
    "22nd": "twenty second",
    "23rd": "twenty third",
    "24th": "twenty fourth",
    "25th": "twenty fifth",
    "26th": "twenty sixth",
    "27th": "twenty seventh",
    "28th": "twenty eighth",
    "29th": "twenty ninth",
    "30th": "thirtieth",
    "31st": "thirty first",
}


def num_words(n: int) -> str:
    """A number as said aloud: 1977 -> 'nineteen seventy seven', 8209 -> 'eighty two oh nine'."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + num_words(rest))
    if n < 10000:
        if 2000 <= n <= 2009:
            return "two thousand" + ("" if n == 2000 else " " + _ONES[n % 10])
        if n % 1000 == 0:
            return _ONES[n // 1000] + " thousand"
        hi, lo = divmod(n, 100)
        tail = "hundred" if lo == 0 else ("oh " + _ONES[lo]) if lo < 10 else num_words(lo)
        return num_words(hi) + " " + tail
    return " ".join(_DIGIT[int(c)] for c in str(n))


def _money_words(m: re.Match[str]) -> str:
    dollars = int(m.group(1).replace(",", ""))
    cents = int(m.group(2)) if m.group(2) else 0
    if cents and dollars < 100 and chance(0.6):
        return f"{num_words(dollars)} {num_words(cents)}"
    if cents:
        return f"{num_words(dollars)} dollars and {num_words(cents)} cents"
    return f"{num_words(dollars)} dollars"


def _digits_words(m: re.Match[str]) -> str:
    return " ".join(_DIGIT[int(c)] if c.isdigit() else "" for c in m.group(0) if c.isdigit())


def _email_words(m: re.Match[str]) -> str:
    local, domain = m.group(0).split("@", 1)
    local = re.sub(r"\d", lambda d: " " + _DIGIT[int(d.group(0))] + " ", local)
    return local.replace(".", " dot ") + " at " + domain.replace(".", " dot ")


FILLERS = ["um", "uh", "like", "you know", "so", "yeah", "i mean", "uh huh", "okay so"]
ASR_SUBS = [
    ("larkspur", ["larkspur", "lark spur", "larks per", "lark spurr"]),
    ("larkview", ["lark view", "larkview", "lark few"]),
    ("lark hub", ["lark hub", "lark hob", "lark hub", "lark up"]),
    ("fibre", ["fiber", "fibre", "fiber"]),
    ("caller id", ["caller id", "caller i d", "call id"]),
    ("wi-fi", ["wifi", "wi fi", "wifi"]),
]


def asr(text: str, fillers: bool = True) -> str:
    """ASR-style: lower case, no punctuation, numbers spoken, the odd filler."""
    t = text
    t = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", _email_words, t)
    t = re.sub(r"\$(\d[\d,]*)(?:\.(\d\d))?", _money_words, t)
    t = re.sub(
        r"\b\d+(?:\.\d+){2,}\b", lambda m: " point ".join(num_words(int(x)) for x in m.group(0).split(".")), t
    )
    t = re.sub(r"\b\d[\d -]{6,}\d\b", _digits_words, t)
    t = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", lambda m: _ORD.get(m.group(0), m.group(1)), t)
    t = re.sub(
        r"\b(\d{1,2}):(\d\d)\b",
        lambda m: (
            num_words(int(m.group(1))) + ("" if m.group(2) == "00" else " " + num_words(int(m.group(2))))
        ),
        t,
    )
    t = re.sub(
        r"\b(\d+)\s*(am|pm)\b",
        lambda m: num_words(int(m.group(1))) + " " + " ".join(m.group(2)),
        t,
        flags=re.I,
    )
    t = re.sub(r"\b(\d+)\s*GB\b", lambda m: num_words(int(m.group(1))) + " gig", t, flags=re.I)
    t = re.sub(r"\b(\d+)%", lambda m: num_words(int(m.group(1))) + " percent", t)
    t = re.sub(
        r"\b\d+\b", lambda m: num_words(int(m.group(0))) if len(m.group(0)) <= 4 else _digits_words(m), t
    )
    t = t.lower().replace("&", " and ").replace("/", " ").replace("-", " ")
    for key, variants in ASR_SUBS:
        if key in t:
            t = t.replace(key, pick(variants))
    t = re.sub(r"[^\w' ]+", " ", t)
    t = re.sub(r"(?<!\w)'|'(?!\w)", " ", t)
    words = t.split()
    out: list[str] = []
    for w in words:
        if not fillers:
            out.append(w)
            continue
        if chance(0.035):
            out.append(pick(FILLERS))
        if chance(0.015):
            out.append(w)  # stutter / repeated word
        out.append(w)
    return " ".join(out)


MISSPELL = {
    "receive": "recieve",
    "received": "recieved",
    "definitely": "definately",
    "separate": "seperate",
    "until": "untill",
    "their": "thier",
    "because": "becuase",
    "disappointed": "dissapointed",
    "account": "acount",
    "address": "adress",
    "weird": "wierd",
    "tomorrow": "tommorow",
    "internet": "interent",
    "router": "rooter",
    "believe": "beleive",
    "really": "realy",
    "which": "wich",
    "business": "buisness",
    "charged": "chraged",
    "again": "agian",
    "the": "teh",
    "you": "u",
    "please": "pls",
    "thanks": "thx",
    "are": "r",
    "because ": "cos ",
    "probably": "prolly",
    "appointment": "appoitment",
    "technician": "technitian",
    "recording": "recordng",
    "recordings": "recordigns",
    "cancel": "cancell",
    "service": "serivce",
    "broadband": "broadbnad",
    "minutes": "mins",
    "message": "mesage",
    "immediately": "immediatly",
    "necessary": "neccessary",
    "whether": "wether",
    "know": "kno",
    "literally": "litterally",
}


def typos(text: str, rate: float) -> str:
    """Typing errors: common misspellings, swapped, dropped and doubled letters."""
    parts = re.split(r"(\W+)", text)
    out = []
    for p in parts:
        if p and p[0].isalpha() and len(p) > 2 and chance(rate):
            low = p.lower()
            if low in MISSPELL and chance(0.7):
                rep = MISSPELL[low]
                p = rep if p.islower() else rep.capitalize()
            else:
                i = R.randrange(1, len(p) - 1)
                op = R.randrange(3)
                if op == 0:
                    p = p[:i] + p[i + 1] + p[i] + p[i + 2 :]
                elif op == 1:
                    p = p[:i] + p[i + 1 :]
                else:
                    p = p[:i] + p[i] + p[i:]
        out.append(p)
    return "".join(out)


def casual(text: str) -> str:
    """A typed chat message: maybe lower-cased, maybe without its final full stop."""
    if chance(0.35):
        text = text.lower()
    if text.endswith(".") and chance(0.5):
        text = text[:-1]
    return text


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


TEST_CARDS = [
    "4111 1111 1111 1111",
    "5555 5555 5555 4444",
    "4012 8888 8888 1881",
    "3782 822463 10005",
    "6011 1111 1111 1117",
    "5105 1051 0510 5100",
]
assert all(luhn_ok(c) for c in TEST_CARDS)


# --------------------------------------------------------------------------
# company: catalog, queues, agents, customers
# --------------------------------------------------------------------------

PRODUCTS: list[dict[str, Any]] = [
    {
        "id": "bb_fibre_100",
        "name": "Larkspur Fibre 100",
        "family": "broadband",
        "skus": ["BB-F100-12M", "BB-F100-24M"],
        "aliases": [
            "Fibre 100",
            "Fiber 100",
            "fibre one hundred",
            "fiber one hundred",
            "100 meg broadband",
            "the hundred meg plan",
            "fibre100",
            "fiber 100 plan",
            "fibr 100",
        ],
    },
    {
        "id": "bb_fibre_500",
        "name": "Larkspur Fibre 500",
        "family": "broadband",
        "skus": ["BB-F500-12M", "BB-F500-24M"],
        "aliases": [
            "Fibre 500",
            "Fiber 500",
            "fibre five hundred",
            "fiber five hundred",
            "500 meg plan",
            "five hundred meg broadband",
            "fibre500",
            "fiber 500 package",
        ],
    },
    {
        "id": "bb_gigabit",
        "name": "Larkspur Gigabit",
        "family": "broadband",
        "skus": ["BB-GIG-12M", "BB-GIG-24M"],
        "aliases": [
            "Gigabit",
            "gigabit broadband",
            "the gig plan",
            "giga bit",
            "gigabyte plan",
            "one gig broadband",
            "full fibre gig",
            "gig package",
            "gigabit fiber",
        ],
    },
    {
        "id": "router_hub5",
        "name": "Lark Hub 5",
        "family": "router",
        "skus": ["LH5-AX3000", "LH5-AX3000-B"],
        "aliases": [
            "Hub 5",
            "hub five",
            "LarkHub 5",
            "Lark Hub",
            "larkhub",
            "lark hub five",
            "hub5",
            "the hub 5 router",
            "lark hob",
            "lark hub 5 rooter",
        ],
    },
    {
        "id": "router_mesh",
        "name": "Lark Mesh Extender",
        "family": "router",
        "skus": ["LME-2", "LME-2-3PK"],
        "aliases": [
            "mesh extender",
            "mesh pod",
            "wifi extender",
            "wi-fi booster",
            "mesh disc",
            "the booster",
            "lark mesh",
            "mesh extenders",
        ],
    },
    {
        "id": "mobile_sim_only",
        "name": "Lark Mobile SIM Only 20GB",
        "family": "mobile",
        "skus": ["MB-SIM20-30D", "MB-SIM20-12M"],
        "aliases": [
            "SIM only",
            "sim-only plan",
            "20GB sim",
            "twenty gig sim",
            "20 gig plan",
            "sim only deal",
            "lark mobile sim",
        ],
    },
    {
        "id": "mobile_unlimited",
        "name": "Lark Mobile Unlimited",
        "family": "mobile",
        "skus": ["MB-UNL-24M"],
        "aliases": [
            "Unlimited plan",
            "unlimited data plan",
            "mobile unlimited",
            "unlimted plan",
            "the unlimited",
            "lark unlimited",
            "unlimited mobile",
        ],
    },
    {
        "id": "landline_home_phone",
        "name": "Lark Home Phone",
        "family": "landline",
        "skus": ["HP-LINE", "HP-LINE-PLUS"],
        "aliases": [
            "home phone",
            "landline",
            "land line",
            "house phone",
            "home line",
            "phone line",
            "lark home phone",
            "landlin",
        ],
    },
    {
        "id": "tv_box_hd",
        "name": "LarkView HD Box",
        "family": "tv_box",
        "skus": ["LV-HD-200"],
        "aliases": [
            "LarkView box",
            "LarkView",
            "lark view",
            "larkview HD",
            "TV box",
            "lark veiw",
            "larkveiw box",
            "lark view box",
            "cable box",
        ],
    },
    {
        "id": "tv_box_plus",
        "name": "LarkView Plus Recorder",
        "family": "tv_box",
        "skus": ["LV-PLUS-1TB"],
        "aliases": [
            "LarkView Plus",
            "larkview plus",
            "lark view plus",
            "the recorder",
            "recording box",
            "the plus box",
            "DVR box",
            "lark view plus recorder",
            "larkveiw plus",
        ],
    },
    {
        "id": "tv_essentials",
        "name": "Lark TV Essentials",
        "family": "tv_package",
        "skus": ["TV-ESS"],
        "aliases": ["TV Essentials", "essentials package", "tv package", "essentials channels", "lark tv"],
    },
    {
        "id": "lark_stream",
        "name": "Lark Stream app",
        "family": "tv_streaming",
        "skus": ["TV-STREAM"],
        "aliases": [
            "Lark Stream",
            "stream app",
            "streaming app",
            "lark streaming",
            "larkstream",
            "the lark stream app",
        ],
    },
]
PRODUCT = {p["id"]: p for p in PRODUCTS}
BROADBAND = ["bb_fibre_100", "bb_fibre_500", "bb_gigabit"]
MOBILE = ["mobile_sim_only", "mobile_unlimited"]
TV_BOXES = ["tv_box_hd", "tv_box_plus"]

SUPPORT_FEE = "$9.99"
PAPER_FEE = "$2.50"
CID_FEE = "$3.50"
FIRMWARE = "7.4.1"

POLICIES: list[dict[str, Any]] = [
    {
        "id": "pol_tech_support_fee",
        "name": "Technical support fee after 90 days",
        "description": f"A {SUPPORT_FEE} charge for each technical support contact once an account is past its "
        "first 90 days of service, unless the customer pays for Premium Care.",
        "phrases": [
            "support fee",
            "tech support fee",
            "technical support charge",
            "charged for support",
            "charge for calling support",
            "pay for support",
            "support call charge",
            "ninety days",
            "90 days",
            "premium care",
            "per incident charge",
            "charged to call",
        ],
        "effective_from": SUPPORT_FEE_FROM,
        "themes": ["support_fee_after_period"],
        "products": [
            "bb_fibre_100",
            "bb_fibre_500",
            "bb_gigabit",
            "router_hub5",
            "router_mesh",
            "landline_home_phone",
            "tv_box_hd",
            "tv_box_plus",
        ],
    },
    {
        "id": "pol_caller_id_block_fee",
        "name": "Caller ID blocking charge",
        "description": f"Withholding the landline's number from caller ID (per-line blocking) is a paid add-on at "
        f"{CID_FEE} a month.",
        "phrases": [
            "caller id block",
            "block caller id",
            "caller id blocking",
            "withhold my number",
            "number withheld",
            "private number",
            "hide my number",
            "pay to block",
            "number private",
            "blocking fee",
        ],
        "effective_from": dt.date(2025, 1, 1),
        "themes": ["pay_to_opt_out"],
        "products": ["landline_home_phone"],
    },
    {
        "id": "pol_tvbox_end_of_service",
        "name": "LarkView box end of service",
        "description": "The LarkView TV box line is discontinued: announced 2025-11-03, service switched off on "
        "2026-01-15. No replacement box; customers are pointed to the Lark Stream app, which cannot record.",
        "phrases": [
            "discontinued",
            "end of service",
            "stop working",
            "no longer supported",
            "switched off",
            "phased out",
            "replacement box",
            "lose my recordings",
            "recordings",
            "scrapping the box",
        ],
        "effective_from": TVBOX_END,
        "themes": ["product_discontinued"],
        "products": ["tv_box_hd", "tv_box_plus", "lark_stream"],
    },
    {
        "id": "pol_paper_bill_fee",
        "name": "Paper bill fee",
        "description": f"A {PAPER_FEE} monthly charge for a printed bill. Withdrawn on 2026-04-01: paper bills are free "
        "from then on.",
        "phrases": [
            "paper bill",
            "paper bill fee",
            "paper statement",
            "printed bill",
            "bill in the post",
            "paper billing charge",
            "charge for a paper bill",
            "postal bill",
        ],
        "effective_from": dt.date(2024, 5, 1),
        "effective_to": dt.date(2026, 3, 31),
        "themes": ["pay_to_opt_out"],
        "products": [],
    },
    {
        "id": "pol_callback_commitment",
        "name": "Tier 2 call-back commitment",
        "description": "Faults escalated to Tech Support Tier 2 get a promised call back within one working day "
        "instead of the customer holding.",
        "phrases": [
            "call back",
            "callback",
            "call me back",
            "ring me back",
            "nobody called",
            "never called back",
            "phone me back",
            "waiting for a call",
        ],
        "effective_from": dt.date(2025, 1, 1),
        "products": ["bb_fibre_100", "bb_fibre_500", "bb_gigabit", "router_hub5", "router_mesh"],
    },
    {
        "id": "pol_annual_price_rise",
        "name": "Annual price adjustment",
        "description": "Monthly prices rise each April by CPI plus 3.9%; the 2026 rise took effect on 2026-04-01.",
        "phrases": [
            "price rise",
            "price increase",
            "bill went up",
            "CPI",
            "price going up",
            "increase in April",
            "mid-contract rise",
        ],
        "effective_from": PRICE_RISE,
        "themes": ["price_increase"],
        "products": [
            "bb_fibre_100",
            "bb_fibre_500",
            "bb_gigabit",
            "mobile_sim_only",
            "mobile_unlimited",
            "landline_home_phone",
            "tv_essentials",
        ],
    },
    {
        "id": "pol_early_termination_fee",
        "name": "Early termination fee",
        "description": "Leaving inside the minimum term costs the remaining monthly charges.",
        "phrases": [
            "early termination fee",
            "cancellation fee",
            "exit fee",
            "leave my contract",
            "break the contract",
            "termination charge",
        ],
        "effective_from": dt.date(2024, 1, 1),
        "products": [
            "bb_fibre_100",
            "bb_fibre_500",
            "bb_gigabit",
            "mobile_sim_only",
            "mobile_unlimited",
            "tv_essentials",
        ],
    },
]

QUEUES = [
    "General Enquiries",
    "Billing",
    "Technical Support",
    "Tech Support Tier 2",
    "TV Support",
    "Home Phone",
    "Retentions",
    "Moves and Installs",
    "Mobile",
]
CALLBACK_QUEUE = "Tech Support Tier 2"

ZD_GROUPS = {
    "billing": 360001101,
    "technical": 360001102,
    "tv": 360001103,
    "phone": 360001104,
    "mobile": 360001105,
    "general": 360001106,
    "escalations": 360001107,
}

FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph "
    "Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark Margaret Donald Sandra Steven "
    "Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin Carol Brian Amanda George Melissa Timothy "
    "Deborah Ronald Stephanie Jason Rebecca Edward Sharon Jeffrey Laura Ryan Cynthia Jacob Dorothy Gary Amy Nicholas "
    "Kathleen Eric Angela Jonathan Shirley Stephen Emma Larry Brenda Justin Pamela Scott Nicole Brandon Anna Benjamin "
    "Samantha Samuel Katherine Gregory Christine Alexander Debra Patrick Rachel Frank Carolyn Raymond Janet Jack "
    "Maria Dennis Olivia Jerry Heather Tyler Helen Aaron Catherine Jose Diane Adam Julie Nathan Victoria Henry Joyce "
    "Zachary Lauren Douglas Kelly Peter Christina Kyle Ruth Noah Joan Ethan Virginia Jeremy Judith Walter Evelyn "
    "Christian Hannah Keith Andrea Roger Megan Terry Cheryl Austin Jacqueline Sean Madison Gerald Teresa Carl Abigail "
    "Harold Sophia Dylan Martha Arthur Sara Lawrence Gloria Jordan Janice Jesse Kathryn Bryan Ann Billy Isabella "
    "Bruce Judy Gabriel Charlotte Joe Julia Logan Grace Alan Amber Juan Alice Albert Jean Willie Denise Elijah "
    "Frances Wayne Danielle Randy Marilyn Vincent Natalie Mason Beverly Roy Diana Ralph Brittany Bobby Theresa "
    "Russell Kayla Bradley Alexis Philip Doris Eugene Lori Priya Wei Aiyana Mateo Lucía Nguyen Chidi Aroha Søren "
    "Zoë José Anaïs Dmitri Fatima Kwame Yuki Omar Ingrid Rahul Mei Tomás Amara Rosa Elif"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson "
    "Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
    "Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris "
    "Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward "
    "Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel "
    "Myers Long Ross Foster Jimenez Okafor Kowalski Müller O'Brien Nakamura Haddad Lindqvist Achterberg Delacroix "
    "Fitzgerald Van der Berg Abernathy Whitfield Osei Szymański Ó Súilleabháin Papadopoulos Ivanova Chen Singh"
).split()
LAST_NAMES = [n for n in LAST_NAMES if n not in ("Van", "der", "Berg", "Ó", "Súilleabháin")] + [
    "Van der Berg",
    "Ó Súilleabháin",
]
STREETS = [
    "Elm Street",
    "Maple Avenue",
    "Oak Lane",
    "Cedar Court",
    "Birch Road",
    "Willow Way",
    "Lakeview Drive",
    "Pine Street",
    "Hawthorn Close",
    "Juniper Place",
    "Chestnut Boulevard",
    "Meadow Lane",
    "Riverside Drive",
    "Sycamore Street",
    "Aspen Court",
    "Harbor View Road",
    "Prairie Avenue",
    "Kingfisher Way",
]
CITIES = [
    ("Springfield", "IL", "627"),
    ("Riverton", "IL", "625"),
    ("Fairview", "WI", "537"),
    ("Millbrook", "IL", "604"),
    ("Lakeside", "WI", "531"),
    ("Oak Ridge", "IN", "463"),
    ("Greenville", "IN", "479"),
    ("Cedar Falls", "IA", "506"),
    ("Maple Grove", "MN", "553"),
    ("Brookfield", "WI", "530"),
]
AREA_CODES = ["312", "773", "872", "630", "847", "708", "414", "262", "317", "319", "612", "217"]
BUSINESS_WORDS = [
    "Harlow & Finch",
    "Bluebird",
    "Northgate",
    "Copperpot",
    "Riverside",
    "Summit",
    "Blue Heron",
    "Keystone",
    "Oakmont",
    "Prairie Rose",
    "Ironwood",
    "Silver Birch",
    "Fox & Hound",
    "Tallgrass",
]
BUSINESS_KINDS = [
    "Bakery",
    "Dental Practice",
    "Auto Repair",
    "Accounting LLC",
    "Florist",
    "Yoga Studio",
    "Law Office",
    "Veterinary Clinic",
    "Coffee Co.",
    "Hardware",
    "Insurance Agency",
    "Print Shop",
]


@dataclass
class Agent:
    id: str
    first: str
    last: str
    queues: list[str]
    zd_id: int
    connect_user: str


@dataclass
class Customer:
    id: str
    num: int
    first: str
    last: str
    segment: str
    value: float
    email: str
    phone: str
    street: str
    city: str
    state: str
    zip: str
    account: str
    since: dt.date
    products: list[str]
    business: str | None = None
    elderly: bool = False
    n_lines: int = 1

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.zip}"


def make_agents() -> list[Agent]:
    agents: list[Agent] = []
    used: list[str] = []
    plan = (
        ["General Enquiries", "Billing"] * 4
        + ["Billing"] * 4
        + ["Technical Support"] * 7
        + ["Tech Support Tier 2"] * 4
        + ["TV Support"] * 3
        + ["Home Phone"] * 2
        + ["Retentions"] * 3
        + ["Moves and Installs"] * 2
        + ["Mobile"] * 3
    )
    for i, q in enumerate(plan):
        while True:
            first, last = pick(FIRST_NAMES[:200]), pick(LAST_NAMES[:100])
            if first not in used:
                break
        used.append(first)
        queues = [q]
        if q in ("General Enquiries",):
            queues.append("Billing")
        if q == "Technical Support":
            queues.append("Moves and Installs")
        agents.append(
            Agent(
                id=f"A{101 + i}",
                first=first,
                last=last,
                queues=queues,
                zd_id=9001001 + i,
                connect_user=f"{first.lower()}.{last.lower().replace(' ', '')}",
            )
        )
    return agents


def lognormal_value(mu: float, sigma: float) -> float:
    return round(math.exp(R.gauss(math.log(mu), sigma)), 2)


def make_customers(n: int) -> list[Customer]:
    customers: list[Customer] = []
    phones: list[str] = []
    emails: list[str] = []
    nums = sorted(R.sample(range(100001, 199999), n))
    for num in nums:
        segment = wpick(["consumer", "premium", "business"], [72, 20, 8])
        first, last = pick(FIRST_NAMES), pick(LAST_NAMES)
        while True:
            phone = f"{pick(AREA_CODES)}-555-01{R.randrange(100):02d}"
            if phone not in phones:
                phones.append(phone)
                break
        handle = (
            (re.sub(r"[^a-z.]", "", first.lower()) or "user")
            + "."
            + (re.sub(r"[^a-z]", "", last.lower()) or "x")
        )
        email = f"{handle}{'' if chance(0.5) else R.randrange(2, 99)}@example.com"
        while email in emails:
            email = f"{handle}{R.randrange(100, 999)}@example.com"
        emails.append(email)
        city, state, zip3 = pick(CITIES)
        since = dt.date(2014, 1, 1) + dt.timedelta(days=R.randrange(0, 4200))
        prods: list[str] = []
        if chance(0.9):
            prods.append(wpick(BROADBAND, [45, 35, 20] if segment == "consumer" else [20, 40, 40]))
            if chance(0.8):
                prods.append("router_hub5")
            if chance(0.18 if segment == "consumer" else 0.35):
                prods.append("router_mesh")
        if chance(0.45):
            prods.append(wpick(MOBILE, [60, 40]))
        elderly = chance(0.12)
        if chance(0.55 if elderly else 0.3) or (segment == "business" and chance(0.5)):
            prods.append("landline_home_phone")
        if chance(0.32):
            prods.append(wpick(TV_BOXES, [55, 45]))
            prods.append("tv_essentials")
        elif chance(0.15):
            prods.append("lark_stream")
        if not prods:
            prods.append("mobile_sim_only")
        value = {
            "consumer": lognormal_value(780, 0.55),
            "premium": lognormal_value(2150, 0.5),
            "business": lognormal_value(7400, 0.95),
        }[segment]
        business = None
        if segment == "business":
            business = f"{pick(BUSINESS_WORDS)} {pick(BUSINESS_KINDS)}"
        customers.append(
            Customer(
                id=f"C{num}",
                num=num,
                first=first,
                last=last,
                segment=segment,
                value=value,
                email=email,
                phone=phone,
                street=f"{R.randrange(12, 9800)} {pick(STREETS)}",
                city=city,
                state=state,
                zip=f"{zip3}{R.randrange(10, 99)}",
                account=f"LK-{R.randrange(1000, 9999)}-{R.randrange(1000, 9999)}",
                since=since,
                products=prods,
                business=business,
                elderly=elderly,
                n_lines=R.randrange(3, 25) if segment == "business" else 1,
            )
        )
    return customers


def product_alias(pid: str) -> str:
    p = PRODUCT[pid]
    return p["name"] if chance(0.35) else pick(p["aliases"])


# --------------------------------------------------------------------------
# what people say: scenario text banks
# --------------------------------------------------------------------------
# Placeholders filled per interaction: {product} {router} {box} {fee} {pfee} {cfee}
# {fw} {month} {prev_day} {n_days} {lines} {amount} {last4} {years} {cname} {agent}
# {date} {company} {phone_line}. Customer statements are written as typed text; the
# renderers make ASR and chat variants of them.

S: dict[str, dict[str, Any]] = {}

S["support_fee"] = dict(
    label="a technical support fee",
    reason="billing",
    queue="Billing",
    complaint=True,
    pattern="P1_support_fee",
    products=["router_hub5", "bb_fibre_100", "bb_fibre_500", "bb_gigabit"],
    open=[
        "I've just been charged {fee} for calling tech support, and I've been a customer for {years} years.",
        "There's a charge on my bill called 'technical support fee' and nobody ever told me about it.",
        "Why am I being billed for ringing you about a fault that was your fault in the first place?",
        "My bill has a {fee} support charge on it, apparently because my account is older than ninety days?",
        "I got hit with a fee just for asking for help with my {product}.",
        "So you're charging people to call support now? That's news to me.",
        "I phoned in {month} because my {product} kept dropping and now I see a support fee on the bill.",
        "I want to know what this 'Tech support - per incident' line on my invoice is.",
        "Since when do I have to pay to get help from your support team?",
        "Your engineer fixed nothing and I still got billed {fee} for the privilege of calling.",
        "I was told the first 90 days of support are free, but I've been with you for years, so now I pay every time?",
        "There's a {fee} charge that just says support call. I never agreed to that.",
        "Can someone explain why asking for help now costs money?",
        "You charged me for a support call. A support call! For a router you supplied.",
    ],
    detail=[
        "It was a fault on your network, not something I did.",
        "I called three times about the same problem and got charged {fee} each time.",
        "We have {lines} lines on the business account and the fee is showing up over and over.",
        "Nobody on the call warned me there would be a charge.",
        "The letter supposedly says it applies after ninety days of service, but I never got any letter.",
        "I only rang because the {product} stopped working after your own update.",
        "Three support charges in one month, that's almost thirty dollars.",
        "It's listed as 'Technical support (post 90 days)' on the invoice for {month}.",
        "I pay for the top package, I shouldn't be paying extra to report faults.",
        "The chat person didn't mention a fee either, and that got charged too.",
    ],
    feel=[
        "Honestly it feels like a penalty for being a loyal customer.",
        "That's outrageous, I'm paying for a service that doesn't work and now paying to complain about it.",
        "I feel like I'm being nickel-and-dimed at every turn.",
        "It's just greedy, plain and simple.",
        "I'm really not happy about this at all.",
        "This is the kind of thing that makes people switch providers.",
        "I run a business, I can't be paying every time your equipment falls over.",
        "I'm so frustrated, I don't even know who to talk to anymore.",
        "It makes me not want to call you at all, which I guess is the point.",
        "I've never been treated like this by a phone company before.",
    ],
    ask=[
        "I want the charge taken off.",
        "Can you refund those fees please?",
        "I'd like all of the support charges reversed.",
        "Can you waive it, or do I need to cancel?",
        "Please remove it and make sure it doesn't happen again.",
        "Who do I complain to about this policy?",
        "Put a note on my account that I don't agree to being charged for support.",
        "If it's not refunded I'll be looking at other providers.",
    ],
    agent_q=[
        "Can I ask which date the support contact was on?",
        "Was that call about a fault on the line or about a setup question?",
        "Do you know roughly when you first set up the service with us?",
        "Is it just the one charge, or are there several on the bill?",
    ],
    cust_a=[
        "It was on the {date}, the internet was down again.",
        "A fault. Obviously. I don't ring you for fun.",
        "Years ago. I've lost count.",
        "There's two of them on this bill, and one on the last.",
        "It was when the {product} kept dropping out.",
    ],
    agent_explain=[
        "As of October first there is a {fee} charge for technical support contacts once an account is past its first ninety days, unless you have Premium Care.",
        "I can see the fee there. It's part of the support policy that came in on the first of October.",
        "So the support fee applies to troubleshooting contacts after the first ninety days of service.",
        "Unfortunately it's a standard charge now; it was in the notice we sent out in September.",
        "That fee is added automatically when a support case is opened on an account that's older than ninety days.",
        "I do understand, and I can see you've been with us a long time.",
    ],
    agent_offer=[
        "What I can do is credit the most recent one as a one-off.",
        "I've refunded the {fee} as a goodwill gesture, it'll show on your next bill.",
        "I can't remove the policy, but I can add Premium Care, which covers support, at half price for six months.",
        "I've raised a complaint on your behalf and credited both charges.",
        "I'm not able to reverse it myself, but I'll pass it to my supervisor for approval.",
        "As that was a network fault it shouldn't have been charged. I've taken it off.",
    ],
    accept=[
        "Okay. Thank you for that at least.",
        "Fine, but I still think the policy is wrong.",
        "Alright, I'll take the credit.",
        "Good. Please make sure it sticks this time.",
    ],
    reject=[
        "That doesn't solve anything, it'll just happen again next time.",
        "No, I don't want Premium Care, I want the fee gone.",
        "A one-off isn't good enough.",
        "I'll be looking at my options then.",
    ],
    subject=[
        "Charged for tech support??",
        "Support fee on my bill",
        "Technical support fee - refund request",
        "Why am I paying to call support",
        "Complaint: support call charges",
        "Invoice query - support charge",
        "unexpected fee",
        "Re: your recent support contact",
        "Fee for calling about YOUR outage",
        "Support charges on business account",
    ],
    note=[
        "Cust disputes {fee} tech support fee (post-90-day policy). Explained policy, credited latest charge as goodwill.",
        "Customer unhappy about support fee on invoice, says never informed. Escalated to billing team lead.",
        "Caller complained re support charge after fault call. Fault was network side - fee reversed.",
        "Long-standing customer upset about being charged to contact support. Offered Premium Care discount, declined.",
        "Cust called about 3x support fees this month. Refunded 2, advised of policy for future contacts.",
    ],
    summary="The customer disputed a technical support fee charged after the first ninety days of service",
    followup=[
        "I called a few days ago about the support fee and it's still on my account.",
        "This is the second time this week I'm contacting you about being charged for support.",
        "Last week someone promised to refund the tech support charges and I see nothing.",
        "I already complained on {prev_day} about the {fee} support fee, and the refund hasn't come through.",
        "Following up on my contact from {prev_day}: the support charge is still there.",
        "I'm contacting you again because the fee was not reversed like I was told.",
        "Me again. The support charge. Still not sorted.",
        "Just checking on my complaint about the support fee from earlier this week, no update at all.",
        "I spoke to one of you {n_days} days ago about being billed for support and nothing has changed.",
    ],
)

S["caller_id_fee"] = dict(
    label="the caller ID blocking charge",
    reason="billing",
    queue="Home Phone",
    complaint=True,
    pattern="P2_caller_id_fee",
    products=["landline_home_phone"],
    requires=["landline_home_phone"],
    open=[
        "I want to block my number from showing when I call people, and you want to charge me for it?",
        "Why is there a {cfee} monthly charge for caller ID blocking on my {product}?",
        "I'm paying every month just to keep my number private.",
        "I asked for my landline number to be withheld and now there's a fee for it.",
        "Charging people to opt out of showing their number is just wrong.",
        "Caller ID block, {cfee} a month? Seriously?",
        "I have to pay extra so my ex can't see my number when I ring the kids. That's not fair.",
        "The privacy option on the {product} costs money now?",
        "I don't want my number displayed. That should be the default, not a paid add-on.",
        "Why do I have to pay to hide my number on the landline?",
        "There's a line on my bill, 'CID block', that I'm being charged for every month.",
        "I just want my number withheld. Why is that something I pay for?",
    ],
    detail=[
        "I'm a nurse and I call patients from home, I can't have my number showing.",
        "Every other provider I've had did it for free.",
        "It's my privacy, I shouldn't have to pay to protect it.",
        "I'm on a fixed income and it's {cfee} every single month.",
        "I used to be able to dial a code to withhold my number, now it doesn't work unless I pay.",
        "I had a stalker a few years ago, so this isn't optional for me.",
        "That's forty-two dollars a year for a switch in your system.",
        "We're a small office and each line gets charged separately.",
    ],
    feel=[
        "It feels like you're making money off people's safety.",
        "That's really not okay.",
        "I find that pretty shameful to be honest.",
        "I'm fed up of these little add-on charges.",
        "It's absurd that privacy is an upsell.",
        "I'm angry about it, I won't lie.",
        "It's the principle of the thing.",
        "Honestly it makes me want to get rid of the landline altogether.",
    ],
    ask=[
        "Can you just block it for free?",
        "Take the charge off please.",
        "I'd like the blocking fee refunded for the months I've paid it.",
        "Is there any way to withhold my number without paying?",
        "Please waive it, or I'll cancel the home phone.",
        "Can you at least explain who decided this?",
        "I want to make a formal complaint about this charge.",
        "Refund it and turn the block on, that's all I'm asking.",
    ],
    agent_q=[
        "Is that for outgoing calls on the home phone only?",
        "Is it the per-line block you're after, or per call?",
        "Which number is the block on?",
    ],
    cust_a=[
        "Yes, the home phone.",
        "The whole line, all the time.",
        "The main house number, ending {last4}.",
    ],
    agent_explain=[
        "Permanent caller ID blocking is an add-on on the Home Phone at {cfee} a month.",
        "You can still withhold per call by dialing star sixty-seven first, that one doesn't cost anything.",
        "The line block has been a chargeable feature since January, I'm afraid.",
        "I can see the CID block add-on there, it's billed monthly.",
    ],
    agent_offer=[
        "I can refund the last three months as a goodwill gesture.",
        "I've removed the add-on; you can use star sixty-seven for free on each call instead.",
        "I'll log your feedback with the product team.",
        "I can waive it for you going forward given your circumstances.",
    ],
    accept=["Alright, thank you.", "That's something, thanks.", "Fine, I'll try the star code."],
    reject=[
        "I shouldn't have to dial a code every time.",
        "That's not really a fix.",
        "I'll think about cancelling then.",
    ],
    subject=[
        "Caller ID block charge",
        "Paying to withhold my number?",
        "Home phone privacy fee",
        "CID block fee on bill",
        "Complaint - caller ID blocking charge",
        "number withheld charge",
    ],
    note=[
        "Cust unhappy about {cfee}/mo CID block add-on on Home Phone. Explained *67, removed add-on.",
        "Complaint re paying for caller ID blocking. Safety concerns mentioned. Waived fee going forward.",
        "Cust disputes caller ID block fee, wants it free. Logged product feedback, refunded 3 months.",
        "Home phone customer objects to charge for withholding number. Not resolved, cust considering cancel.",
    ],
    summary="The customer objected to paying a monthly charge to block caller ID on the home phone",
)

S["tvbox_eol"] = dict(
    label="the LarkView box being discontinued",
    reason="tv",
    queue="TV Support",
    complaint=True,
    pattern="P3_tvbox_discontinued",
    products=["tv_box_hd", "tv_box_plus", "lark_stream"],
    requires=["tv_box_hd", "tv_box_plus"],
    open=[
        "I got a letter saying my {box} stops working on January 15th. What am I supposed to do?",
        "You're discontinuing the {box} and there's no replacement? I've got two years of recordings on it.",
        "What happens to all my recorded shows when the LarkView box is switched off?",
        "My {box} is being phased out and nobody can tell me what replaces it.",
        "The TV box stopped working yesterday and the screen says the service has ended.",
        "I'm losing all my recordings because you decided to scrap the box.",
        "Your app doesn't record anything, so it's not a replacement for the {box}.",
        "I paid for the Plus recorder eighteen months ago and now it's a brick.",
        "My dad's box just shows 'this device is no longer supported'.",
        "Is there really no new box coming? I don't want to watch TV on an app.",
        "The {box} goes dead in January and you're offering me nothing?",
        "I've been told to 'move to streaming'. I don't want streaming, I want my box to work.",
    ],
    detail=[
        "I've got the grandkids' shows and a whole season of my wife's programs saved on it.",
        "I'm not good with apps, the box was simple.",
        "The streaming stick you suggested doesn't do recordings at all.",
        "I still have eight months left on the TV contract.",
        "My internet isn't fast enough for streaming in the bedroom.",
        "There are over three hundred recordings on it, including my daughter's wedding on the local channel.",
        "The letter said 'we're upgrading your experience' but it's a downgrade.",
        "I only bought the {box} because your salesman said it was the future.",
    ],
    feel=[
        "It feels like you just don't care about older customers.",
        "I'm gutted about the recordings, honestly.",
        "That's really poor, you sold me this thing.",
        "I feel completely let down.",
        "It's a disgrace to switch something off with no alternative.",
        "I'm so annoyed, I planned my evenings around that box.",
        "This is planned obsolescence, nothing else.",
        "I'm just upset, I don't know what else to say.",
    ],
    ask=[
        "Can you transfer my recordings somewhere?",
        "Give me a box that records, or let me out of the contract without a fee.",
        "I'd like a discount on the TV package if I'm losing the box.",
        "Can you keep my box working until my contract ends?",
        "Is there any way to copy the recordings to a USB stick?",
        "What compensation are you offering?",
        "I want to speak to someone senior about this.",
        "Just tell me honestly, is there anything coming to replace it?",
    ],
    agent_q=[
        "Is that the HD box or the Plus recorder?",
        "Do you have a smart TV, or would you need a streaming stick?",
        "Have you had the letter about the switch-off date?",
    ],
    cust_a=[
        "The Plus, the one that records.",
        "The plain one, the HD one.",
        "An old TV, it's not smart.",
        "Yes, it came last week, that's why I'm calling.",
    ],
    agent_explain=[
        "The LarkView boxes are reaching end of service on January fifteenth and there isn't a direct replacement box.",
        "After the switch-off the box won't receive channels, and recordings stored on it can't be moved, I'm sorry.",
        "We're moving everyone to the Lark Stream app, which has catch-up but doesn't record.",
        "The decision to retire the box line was made centrally, I don't have a date for any new box.",
    ],
    agent_offer=[
        "I can send you a free streaming stick and take ten dollars a month off TV Essentials for six months.",
        "If you'd rather leave TV, I can waive the early termination fee on the TV part only.",
        "I'll note your feedback about recordings for the product team.",
        "I can book a technician to help you set up the app on your TV.",
    ],
    accept=[
        "I suppose that's better than nothing.",
        "Okay, send the stick then.",
        "Fine. I'll give it a go.",
    ],
    reject=["That doesn't bring my recordings back.", "No, I want a box.", "I'll take my TV elsewhere then."],
    subject=[
        "LarkView box discontinued??",
        "What happens to my recordings",
        "TV box switch-off",
        "No replacement for LarkView Plus",
        "Box says no longer supported",
        "Complaint: TV box end of service",
        "losing recordings",
        "LarkView letter",
    ],
    note=[
        "Cust upset about LarkView end of service, ~{amount} of recordings on Plus box. Offered stick + TV discount.",
        "TV box EOL complaint: no replacement box, cust elderly and does not want app. Waived TV ETF.",
        "Caller asked how to save recordings before box switch-off. Advised not possible. Cust unhappy.",
        "Box showing end-of-service screen. Cust wants box not app. Logged feedback.",
    ],
    summary="The customer complained that the LarkView TV box is being discontinued with no replacement and recordings lost",
)

S["callback_missed"] = dict(
    label="a call back that never came",
    reason="technical",
    queue="Technical Support",
    complaint=True,
    pattern="P4_callback_missed",
    products=["router_hub5", "bb_fibre_100", "bb_fibre_500", "bb_gigabit"],
    open=[
        "I was promised a call back on {prev_day} and nobody ever called.",
        "Your colleague said someone would ring me back within 24 hours. That was {n_days} days ago.",
        "I waited in all day for the call back that never happened.",
        "Nobody called me back. Again.",
        "I'm still waiting on the call back I was promised last week.",
        "The engineer who was supposed to phone me never did.",
        "You said tier two would call me. They didn't. I wasted a whole day waiting.",
        "I spoke to someone on {prev_day} who said I'd get a call the next morning, and I've heard nothing.",
        "So much for the callback, my phone never rang.",
        "I was told I'd get a call back and no one ever rang me.",
        "I've been sitting by the phone since {prev_day} waiting for your technical team.",
        "Last time I was told 'leave it with me, I'll call you back'. Never happened.",
    ],
    detail=[
        "And the original problem still isn't fixed.",
        "I even took the morning off work for it.",
        "I checked my missed calls, there's nothing from you.",
        "I gave them my mobile number and it was switched on the whole time.",
        "Now I have to explain everything from the start again.",
        "The reference number they gave me doesn't seem to mean anything to anyone.",
        "The internet has dropped out four more times since then.",
        "Nobody emailed either.",
    ],
    feel=[
        "I'm sick of being fobbed off.",
        "It's like talking to a brick wall.",
        "Honestly, don't promise things you won't do.",
        "That's just unprofessional.",
        "I feel completely ignored.",
        "I'm losing patience with you lot.",
        "It's infuriating.",
        "I don't trust anything I'm told anymore.",
    ],
    ask=[
        "Can someone actually fix it now, while I'm on the line?",
        "I want a manager to call me, today, and I want a time.",
        "Please don't tell me someone will call me back.",
        "Can I get some compensation for the wasted time?",
        "Just escalate it properly this time.",
        "Who can I speak to that will actually follow through?",
        "I'd like it in writing when someone will contact me.",
        "Fix the line or I'm cancelling.",
    ],
    agent_q=[
        "Do you have the reference from your last contact?",
        "Which number did you leave for the call back?",
    ],
    cust_a=["It's on my notes somewhere, hang on.", "My mobile, same as always, the one ending {last4}."],
    agent_explain=[
        "I can see the escalation note from your last contact, but the callback wasn't actioned. I'm really sorry.",
        "It looks like the callback request is still sitting in the queue.",
        "I can see someone promised a call, and I apologise that it didn't happen.",
        "The tier two team has a backlog at the moment, that's no excuse though.",
    ],
    agent_offer=[
        "I've added a credit of fifteen dollars for the inconvenience.",
        "I'll stay on with you and run the line test now.",
        "I've marked the case urgent and booked an engineer visit for {date}.",
        "I've sent it to my team leader with a note to contact you today.",
    ],
    accept=[
        "Okay. Thank you for actually doing something.",
        "Right. I'll believe it when I see it.",
        "Thanks, that's all I wanted.",
    ],
    reject=["That's what the last person said.", "I'm not waiting again."],
    subject=[
        "Still waiting for call back",
        "No call back as promised",
        "Nobody called me back",
        "Promised callback never happened",
        "Re: escalation - no contact",
        "Chasing my call back",
    ],
    note=[
        "Cust chasing promised callback from T2 (not received). Re-escalated, goodwill credit applied.",
        "Repeat contact: callback promised on prior call never made. Cust very frustrated.",
        "Customer says tier 2 never called back. Booked engineer, apologised.",
    ],
    summary="The customer contacted again because a promised call back never came",
)

S["router_reboot"] = dict(
    label="the Hub 5 rebooting every night",
    reason="technical",
    queue="Technical Support",
    complaint=True,
    pattern="P5_router_reboot",
    products=["router_hub5"],
    requires=["router_hub5"],
    open=[
        "Since the update last week my {router} restarts itself every night around 3am.",
        "My router reboots in the middle of the night, every single night, and all the lights go off.",
        "The {router} keeps rebooting overnight and it's killing my security cameras.",
        "Every night at about two or three in the morning the internet just goes off for five minutes; the router's restarting.",
        "I think the new firmware broke my {router}, it power cycles by itself each night.",
        "My hub has started turning itself off and on at night since early August.",
        "The router restarted itself again last night. That's every night this week.",
        "Something changed on the {router}, it now reboots nightly and drops my work VPN.",
        "The light on my {router} goes purple then white every night, it's doing a full restart.",
        "Overnight my internet cuts out; the router log says it restarted. Every night since the update.",
        "My {router} reboots at 3:10 every morning like clockwork.",
        "Why is my router rebooting every night now?",
    ],
    detail=[
        "The settings page says firmware {fw}.",
        "I work night shifts from home, so this is a real problem.",
        "My baby monitor and the doorbell camera lose connection each time.",
        "I've already done a factory reset and it still happens.",
        "My neighbour has the same router and the same problem.",
        "It started around the {date}, right after it updated itself.",
        "My smart thermostat goes offline every night too.",
        "The downloads I leave running overnight keep failing.",
        "The event log shows 'system restart' at the same time every night.",
    ],
    feel=[
        "It's driving me mad.",
        "I'm paying for broadband that switches itself off.",
        "This is ridiculous for a brand new router.",
        "I'm really fed up with it.",
        "It's not acceptable for a business line.",
        "Honestly, test your updates before you push them.",
        "I'm losing sleep over this, literally.",
        "I'm very disappointed.",
    ],
    ask=[
        "Can you roll the firmware back?",
        "Send me a different router please.",
        "When is this going to be fixed?",
        "Can you turn off the automatic updates on my account?",
        "I want a credit for the downtime.",
        "Is there a fix or not?",
        "Can an engineer look at it?",
        "Just tell me what to do to stop it rebooting.",
    ],
    agent_q=[
        "Can you tell me what the lights on the hub are doing right now?",
        "Do you know what firmware version it shows?",
        "Does it happen at the same time every night?",
    ],
    cust_a=[
        "Solid white now, it's fine during the day.",
        "It says {fw}, I looked it up.",
        "Yes, always around three.",
    ],
    agent_explain=[
        "We're aware of an issue with the latest Hub 5 firmware causing overnight restarts; the engineers are working on a fix.",
        "I haven't seen that one before, let's try a factory reset first.",
        "That matches a known fault with firmware {fw}, I'll add your account to it.",
        "There's a fix being tested, it should roll out automatically in the next couple of weeks.",
    ],
    agent_offer=[
        "I've added you to the known fault and applied a credit for the disruption.",
        "I can send a replacement Hub 5, though it'll get the same update I'm afraid.",
        "I'll turn off scheduled maintenance on your line for now, which should stop the restarts.",
        "I've logged it for the network team and they'll update you by e-mail.",
    ],
    accept=["Okay, thanks for being honest.", "Fine, let me know when it's fixed.", "Alright, that helps."],
    reject=["A new router with the same firmware is pointless.", "So I just wait? Great."],
    subject=[
        "Router rebooting every night",
        "Hub 5 restarts overnight",
        "Internet drops at 3am every night",
        "Firmware update broke my router",
        "Nightly reboot - Hub 5",
        "router restarting by itself",
        "Connection lost every night",
    ],
    note=[
        "Hub 5 on fw {fw} rebooting nightly ~03:00. Linked to known fault. Credit applied.",
        "Cust reports nightly router restarts since auto update. Factory reset no help. Escalated.",
        "Nightly reboot issue after firmware update. Cust WFH, cameras drop. Replacement offered.",
    ],
    summary="The customer reported that the Hub 5 router reboots every night since a firmware update",
)

S["paper_bill_fee"] = dict(
    label="the paper bill fee",
    reason="billing",
    queue="Billing",
    complaint=True,
    pattern="P6_paper_bill_fee",
    products=[],
    open=[
        "Why am I being charged {pfee} a month for a paper bill?",
        "There's a paper billing fee on my account, and I never asked to be charged for that.",
        "I'm eighty-one years old, I don't use the internet for bills, why should I pay for a paper copy?",
        "You're charging me to send me a bill in the post? That's ridiculous.",
        "I noticed a 'paper statement charge' on my bill.",
        "I want the paper bill fee taken off, I can't read the bill on my phone.",
        "My mother gets charged {pfee} for her paper bill each month and she doesn't have email.",
        "How do I stop paying extra for the printed bill?",
        "The paper bill charge is back on my account.",
        "Charging for paper bills is a tax on people who aren't online.",
        "What's this {pfee} 'paper bill' line?",
    ],
    detail=[
        "I need the paper copy for my accountant.",
        "I don't have a computer and my eyesight isn't good enough for the app.",
        "That's thirty dollars a year just to see what I owe you.",
        "I was never told about it when I signed up.",
        "I've asked twice for it to be waived.",
        "We keep paper records for the business, it's not optional.",
        "It shows as 'Paper bill fee' on every statement since {month}.",
        "My husband always handled the bills online and since he passed I need them on paper.",
        "The library computer is the only internet I've got, I'm not doing my bills there.",
    ],
    feel=[
        "It's penny-pinching.",
        "It's not fair on older people.",
        "I think it's a disgrace.",
        "It really annoys me.",
        "You should be ashamed of that charge.",
        "I'm just tired of paying for extras.",
        "It's insulting, really.",
        "I find it mean-spirited.",
    ],
    ask=[
        "Take it off please.",
        "Can you waive the paper fee for me?",
        "I want it refunded.",
        "Is there an exemption for pensioners?",
        "Please stop charging me for it.",
        "Refund what I've paid this year.",
        "Can you switch me to free paper billing?",
        "I'd like to complain about it formally.",
    ],
    agent_q=["Do you receive your bills by post at the moment?", "Would e-billing be an option at all?"],
    cust_a=["Yes, I always have.", "No, I don't do email.", "I'd rather not, I like the paper."],
    agent_explain=[
        "The paper bill fee is {pfee} a month for printed bills.",
        "Paper bills are a chargeable option, e-bills are free.",
        "I can see the paper billing charge on the account.",
        "Customers over seventy-five can be exempt, let me check that for you.",
    ],
    agent_offer=[
        "I've applied the age exemption, so it won't be charged again.",
        "I've refunded the last two months.",
        "I can switch you to e-billing so the charge stops.",
        "I'll waive it this once.",
    ],
    accept=["Thank you, that's kind.", "Okay, that's fine.", "Good, thanks."],
    reject=["I don't want e-billing.", "That's not good enough."],
    subject=[
        "Paper bill charge",
        "Fee for paper bill",
        "Why pay for a printed bill",
        "paper statement fee",
        "Complaint - paper bill fee",
        "Remove paper billing charge",
    ],
    note=[
        "Cust complained re {pfee} paper bill fee. Applied exemption.",
        "Paper bill fee complaint, cust has no internet. Refunded 2 months.",
        "Cust disputes paper statement charge. Explained e-billing option, declined.",
    ],
    summary="The customer complained about being charged a fee for paper bills",
)

# ---- background complaints -------------------------------------------------

S["billing_error"] = dict(
    label="a billing error",
    reason="billing",
    queue="Billing",
    complaint=True,
    products=[],
    open=[
        "I've been charged twice this month.",
        "My bill is {amount} and it's normally half that.",
        "There's a charge on my bill for a service I cancelled.",
        "You've billed me for a mobile line I don't have.",
        "The direct debit took the wrong amount.",
        "My discount has disappeared from the bill.",
        "I've been billed for a router I sent back in {month}.",
    ],
    detail=[
        "I've got the bank statement right here.",
        "It's happened two months in a row now.",
        "The online account says one thing and the bill says another.",
        "I returned it with the prepaid label.",
    ],
    feel=[
        "I'm not happy about it.",
        "It's really frustrating.",
        "It's a mess, honestly.",
        "I shouldn't have to check every bill.",
    ],
    ask=["Please refund the difference.", "Can you correct it?", "I want it fixed and credited."],
    agent_explain=[
        "I can see a duplicate charge there, that's an error on our side.",
        "The discount ended in {month}, but it should have been extended.",
        "It looks like the cancellation didn't go through properly.",
    ],
    agent_offer=[
        "I've credited {amount} to the account.",
        "I've corrected it and the refund will take five to seven days.",
        "I've reapplied the discount and backdated it.",
    ],
    accept=["Great, thank you.", "Okay, thanks for sorting it."],
    reject=["Five to seven days? Really?"],
    subject=["Charged twice", "Wrong amount on bill", "Billing error", "Incorrect charge", "Bill too high"],
    note=[
        "Duplicate charge found, credited.",
        "Discount missing, reapplied and backdated.",
        "Billing error corrected.",
    ],
    summary="The customer reported an incorrect charge on their bill",
    followup=[
        "I called about the double charge a few days ago and it's still not refunded.",
        "Following up on the billing error from last week, nothing has changed.",
    ],
)
S["refund_delay"] = dict(
    label="a late refund",
    reason="billing",
    queue="Billing",
    complaint=True,
    products=[],
    open=[
        "I was promised a refund in {month} and I still don't have it.",
        "Where is my refund?",
        "It's been six weeks and the credit hasn't arrived.",
        "You owe me {amount} since I closed the mobile line.",
    ],
    detail=["I have the email confirming it.", "Every time I ask I'm told it's processing."],
    feel=["I'm running out of patience.", "It's ridiculous how long this takes."],
    ask=["When will I actually get it?", "Please chase it today."],
    agent_explain=[
        "I can see the refund was approved but not sent to the bank.",
        "The refund is with the finance team.",
    ],
    agent_offer=[
        "I've escalated it to finance as urgent.",
        "I've reissued it, it should arrive within three days.",
    ],
    accept=["Okay, thanks."],
    reject=["I've heard that before."],
    subject=["Refund not received", "Where is my refund", "Chasing refund"],
    note=["Refund approved not paid, reissued.", "Cust chasing refund, escalated to finance."],
    summary="The customer was chasing a refund that had not arrived",
)
S["long_wait"] = dict(
    label="long waiting times",
    reason="general",
    queue="General Enquiries",
    complaint=True,
    products=[],
    open=[
        "I've been on hold for forty-five minutes.",
        "It took me an hour to get through to a human.",
        "Your chat said four minutes wait and it was thirty.",
        "Every time I call, the wait is ridiculous.",
    ],
    detail=[
        "I called yesterday too and gave up.",
        "The hold music cut out twice and I thought I'd been cut off.",
    ],
    feel=["It's not acceptable.", "I'm exhausted by it.", "That's a terrible service."],
    ask=["Can you at least deal with everything now?"],
    agent_explain=["I'm sorry, we've had very high volumes today."],
    agent_offer=["I'll make sure we sort everything on this call."],
    accept=["Okay, let's get on with it."],
    reject=[],
    subject=["Waiting times", "Cannot get through to anyone", "Hold times unacceptable"],
    note=["Cust complained about wait time (45 min)."],
    summary="The customer complained about long wait times",
)
S["delivery"] = dict(
    label="a late delivery",
    reason="general",
    queue="Moves and Installs",
    complaint=True,
    products=["router_hub5", "router_mesh", "mobile_sim_only", "mobile_unlimited"],
    open=[
        "My new {product} was supposed to arrive on Tuesday and it's not here.",
        "The tracking for my {product} hasn't updated in a week.",
        "The courier says delivered but there's nothing at my door.",
        "I'm still waiting for my SIM card.",
    ],
    detail=["I've been working from my phone's hotspot.", "I stayed home all day for the delivery."],
    feel=["It's really inconvenient.", "I'm annoyed."],
    ask=["Can you send another one?", "When will it come?"],
    agent_explain=["The courier has it marked as delayed at the depot."],
    agent_offer=["I've ordered a replacement with next-day delivery."],
    accept=["Thanks."],
    reject=[],
    subject=["Delivery not received", "Where is my order", "Router not delivered", "SIM card not arrived"],
    note=["Parcel lost by courier, replacement sent."],
    summary="The customer's delivery had not arrived",
)
S["account_access"] = dict(
    label="trouble logging in",
    reason="general",
    queue="General Enquiries",
    complaint=True,
    products=["lark_stream"],
    open=[
        "I can't log in to my account online.",
        "The password reset email never arrives.",
        "The app keeps saying my details are wrong.",
        "I'm locked out of My Larkspur after three tries.",
    ],
    detail=["I've checked the spam folder.", "I've tried on the laptop and the phone."],
    feel=["It's really annoying.", "It's a waste of my time."],
    ask=["Can you reset it for me?"],
    agent_explain=["I can see the account was locked after too many attempts."],
    agent_offer=["I've unlocked it and sent a reset link to {email}."],
    accept=["Got it, thanks."],
    reject=[],
    subject=["Can't log in", "Password reset not working", "Locked out of account"],
    note=["Account locked, unlocked and reset sent."],
    summary="The customer could not log in to their account",
)
S["agent_conduct"] = dict(
    label="a rude agent",
    reason="general",
    queue="General Enquiries",
    complaint=True,
    products=[],
    open=[
        "The person I spoke to yesterday was incredibly rude.",
        "Your agent hung up on me.",
        "I was talked down to on the phone last week.",
        "The man in the store was dismissive and rude.",
    ],
    detail=[
        "He kept interrupting me.",
        "She said it wasn't her problem.",
        "I was in the middle of a sentence.",
    ],
    feel=["I've never been spoken to like that.", "It was humiliating.", "I'm still upset about it."],
    ask=["I want to make a formal complaint.", "Please pass this on to his manager."],
    agent_explain=["I'm really sorry to hear that, that's not how we should treat anyone."],
    agent_offer=["I've logged a formal complaint and a team leader will review the call."],
    accept=["Thank you."],
    reject=[],
    subject=["Complaint about staff", "Rude agent", "Hung up on me"],
    note=["Complaint re agent conduct, logged for TL review."],
    summary="The customer complained about an agent's conduct",
)
S["price_rise"] = dict(
    label="a price rise",
    reason="billing",
    queue="Retentions",
    complaint=True,
    products=["bb_fibre_100", "bb_fibre_500", "bb_gigabit", "mobile_unlimited", "tv_essentials"],
    open=[
        "My bill went up again this month.",
        "Why has my {product} gone up by six dollars?",
        "I'm in contract, how can you raise the price?",
        "The price increase this April is ridiculous.",
    ],
    detail=["Nobody told me it would go up mid-contract.", "That's the second rise in a year."],
    feel=["It's daylight robbery.", "I'm not happy."],
    ask=["Can you give me a better deal or I'm leaving?"],
    agent_explain=["Prices go up each April by CPI plus 3.9%, it's in the terms."],
    agent_offer=["I can offer you a loyalty discount of five dollars a month."],
    accept=["Okay, I'll take that."],
    reject=["Not enough, I'll shop around."],
    subject=["Price increase", "Bill went up", "Mid-contract price rise"],
    note=["Cust unhappy with annual price rise, loyalty discount applied."],
    summary="The customer complained about a price increase",
)
S["outage"] = dict(
    label="an internet outage",
    reason="technical",
    queue="Technical Support",
    complaint=True,
    products=["bb_fibre_100", "bb_fibre_500", "bb_gigabit", "router_hub5"],
    open=[
        "My internet has been down since this morning.",
        "There's no internet in the whole street.",
        "The {product} has no connection at all.",
        "We've had no broadband for two days.",
    ],
    detail=["The light on the router is red.", "My neighbours are down too.", "I work from home."],
    feel=["It's a nightmare.", "I'm losing money here."],
    ask=["When will it be back?", "I want compensation."],
    agent_explain=["There's a fibre cut in your area, engineers are on site."],
    agent_offer=["I've applied an outage credit to your account."],
    accept=["Okay, thanks for letting me know."],
    reject=[],
    subject=["No internet", "Broadband down", "Outage in my area"],
    note=["Area outage (fibre cut), credit applied."],
    summary="The customer reported an internet outage",
    followup=[
        "I called on {prev_day} about the outage and it's still down.",
        "Still no internet since I last called.",
    ],
)
S["slow_speed"] = dict(
    label="slow broadband speeds",
    reason="technical",
    queue="Technical Support",
    complaint=True,
    products=["bb_fibre_100", "bb_fibre_500", "bb_gigabit"],
    open=[
        "I pay for {product} and I'm getting twenty megs.",
        "The internet is painfully slow in the evenings.",
        "My speed tests are nowhere near what I pay for.",
        "Video calls keep freezing, the broadband is so slow.",
    ],
    detail=["I've tested it wired to the router.", "It's worse after six pm."],
    feel=["I feel ripped off.", "It's really frustrating."],
    ask=["Can you fix it or lower my bill?"],
    agent_q=["Is that on wi-fi or plugged in with a cable?"],
    cust_a=["Plugged in, I'm not stupid."],
    agent_explain=["I can see some congestion on the line in the evenings."],
    agent_offer=["I've reset the line profile, give it twenty-four hours."],
    accept=["Okay, I'll test it tomorrow."],
    reject=[],
    subject=["Slow internet", "Not getting the speed I pay for", "Broadband speed"],
    note=["Slow speeds reported, line profile reset."],
    summary="The customer reported slow broadband speeds",
)
S["intermittent"] = dict(
    label="a connection that keeps dropping",
    reason="technical",
    queue="Technical Support",
    complaint=True,
    products=["bb_fibre_100", "bb_fibre_500", "bb_gigabit", "router_hub5"],
    open=[
        "My internet keeps dropping out several times a day.",
        "The connection on my {product} is dropping constantly.",
        "Every hour or so the wi-fi just disconnects.",
        "My broadband cuts out in the middle of work calls.",
    ],
    detail=["It's been like this for two weeks.", "I've already swapped the cables."],
    feel=["I can't work like this.", "It's beyond a joke."],
    ask=["I need an engineer.", "Please fix it properly this time."],
    agent_explain=["The line test shows some errors on the line."],
    agent_offer=["I've booked an engineer for {date}."],
    accept=["Okay, thank you."],
    reject=[],
    subject=["Connection keeps dropping", "Intermittent broadband", "Internet dropping out"],
    note=["Intermittent fault, line errors seen, engineer booked."],
    summary="The customer reported an intermittent connection",
    followup=["The engineer still hasn't fixed it, it's dropping again."],
)
S["mobile_signal"] = dict(
    label="poor mobile signal",
    reason="mobile",
    queue="Mobile",
    complaint=True,
    products=MOBILE,
    open=[
        "I've got no signal at home on my {product}.",
        "Calls keep dropping on my mobile.",
        "Since last month I barely get one bar of signal.",
    ],
    detail=["It used to be fine.", "My husband has another network and he's fine."],
    feel=["It's useless.", "I'm fed up."],
    ask=["Can you check the mast?", "Let me leave without paying then."],
    agent_explain=["There's maintenance on a mast near you."],
    agent_offer=["I've turned on wi-fi calling for you."],
    accept=["Okay, I'll try that."],
    reject=[],
    subject=["No mobile signal", "Dropped calls", "Poor coverage"],
    note=["Mast maintenance, wifi calling enabled."],
    summary="The customer reported poor mobile signal",
)
S["roaming"] = dict(
    label="roaming charges",
    reason="mobile",
    queue="Mobile",
    complaint=True,
    products=MOBILE,
    open=[
        "I've got a roaming bill of {amount} from my trip to Mexico.",
        "Why was I charged for data abroad?",
        "My roaming charges are huge and I didn't get any warning text.",
    ],
    detail=["I thought roaming was included.", "I barely used my phone."],
    feel=["I'm shocked.", "It's a rip-off."],
    ask=["Can you reduce it?"],
    agent_explain=["Mexico isn't in the roaming zone on your plan."],
    agent_offer=["I can reduce it by half as a one-off."],
    accept=["Okay, thank you."],
    reject=[],
    subject=["Roaming charges", "Huge bill after holiday"],
    note=["Roaming bill shock, 50% credit."],
    summary="The customer disputed roaming charges",
)
S["cancellation_fee"] = dict(
    label="the early termination fee",
    reason="billing",
    queue="Retentions",
    complaint=True,
    products=BROADBAND,
    open=[
        "I'm moving abroad and you want {amount} to cancel?",
        "Why do I have to pay an early termination fee?",
        "I want to leave and the cancellation fee is absurd.",
    ],
    detail=["The service has been terrible.", "I was told there'd be no fee."],
    feel=["I feel trapped.", "It's unfair."],
    ask=["Can you waive the fee?"],
    agent_explain=["The early termination fee covers the rest of your minimum term."],
    agent_offer=["Because of the service issues I can waive half of it."],
    accept=["Fine."],
    reject=["I'll dispute it then."],
    subject=["Cancellation fee", "Early termination charge"],
    note=["Cust disputes ETF, 50% waived."],
    summary="The customer disputed an early termination fee",
)
S["missed_install"] = dict(
    label="a missed installation appointment",
    reason="technical",
    queue="Moves and Installs",
    complaint=True,
    products=BROADBAND,
    open=[
        "The technician never turned up for my installation.",
        "I took a day off for the install and nobody came.",
        "My installation was cancelled without telling me.",
    ],
    detail=["Nobody called or texted.", "It was booked for eight till one."],
    feel=["I'm furious.", "That's a day's pay lost."],
    ask=["I want a new date and compensation."],
    agent_explain=["I can see the engineer was reassigned."],
    agent_offer=["I've rebooked it for {date} and added a credit."],
    accept=["Okay."],
    reject=[],
    subject=["Missed installation", "Technician no-show"],
    note=["Missed install, rebooked + credit."],
    summary="The customer's installation appointment was missed",
)
S["moving_house"] = dict(
    label="a problem moving service",
    reason="general",
    queue="Moves and Installs",
    complaint=True,
    products=BROADBAND,
    open=[
        "I moved house two weeks ago and I still have no broadband.",
        "The home move order has been messed up.",
        "You're still billing my old address.",
    ],
    detail=["I gave a month's notice.", "I've called three times."],
    feel=["It's a shambles.", "I'm stressed enough with the move."],
    ask=["Please just get it connected."],
    agent_explain=["The order didn't transfer to the new address properly."],
    agent_offer=["I've fixed the order and expedited it."],
    accept=["Thank you."],
    reject=[],
    subject=["Home move", "Broadband not working after move"],
    note=["Home move order error, fixed."],
    summary="The customer had problems moving their service",
)

# ---- neutral and positive ---------------------------------------------------

S["upgrade"] = dict(
    label="upgrading a plan",
    reason="general",
    queue="General Enquiries",
    complaint=False,
    products=["bb_fibre_500", "bb_gigabit", "mobile_unlimited"],
    open=[
        "I'm thinking about upgrading to {product}, what would it cost?",
        "Can I upgrade my broadband?",
        "What's the price difference if I move to {product}?",
        "My contract's ending, what deals do you have?",
    ],
    detail=[
        "Would I need a new router?",
        "Is there an installation fee?",
        "Does it change my contract length?",
    ],
    agent_explain=[
        "{product} would be an extra fifteen dollars a month on your current price.",
        "You can upgrade any time, there's no fee and the router stays the same.",
    ],
    agent_offer=["I can put that through now, it'll be active tomorrow.", "I'll email you the quote."],
    accept=["Great, let's do it.", "Email it please, I'll think about it.", "Perfect, thanks."],
    subject=["Upgrade enquiry", "Question about upgrading", "Faster broadband?"],
    note=["Upgrade enquiry, quote sent.", "Upgraded to faster tier."],
    summary="The customer asked about upgrading",
)
S["add_line"] = dict(
    label="adding a mobile line",
    reason="mobile",
    queue="Mobile",
    complaint=False,
    products=MOBILE,
    open=[
        "I'd like to add a mobile line for my son.",
        "How do I add another SIM to my account?",
        "Can I get a {product} for my daughter on the same bill?",
    ],
    detail=["Can he keep his old number?", "Is there a family discount?"],
    agent_explain=["Yes, you can add up to five lines and each extra line is ten percent off."],
    agent_offer=["I'll send the SIM out today."],
    accept=["Lovely, thank you."],
    subject=["Add a line", "Extra SIM"],
    note=["Added line, SIM sent."],
    summary="The customer added a mobile line",
)
S["payment_date"] = dict(
    label="changing the payment date",
    reason="billing",
    queue="Billing",
    complaint=False,
    products=[],
    open=[
        "Can I change the date my direct debit comes out?",
        "I'd like to move my payment to the 28th.",
        "I get paid on the 15th now, can the bill move?",
    ],
    detail=["Will that affect this month?"],
    agent_explain=["Yes, that's no problem, I can move it for you."],
    agent_offer=["Done, it'll move from next month."],
    accept=["Perfect, thanks."],
    subject=["Change payment date", "Direct debit date"],
    note=["Payment date changed."],
    summary="The customer changed their payment date",
)
S["update_details"] = dict(
    label="updating account details",
    reason="general",
    queue="General Enquiries",
    complaint=False,
    products=[],
    open=[
        "I need to update my email address.",
        "I've got a new mobile number to put on the account.",
        "Can you add my wife as an authorised person?",
    ],
    detail=["The new one is {email}."],
    agent_explain=["Sure, I can update that for you."],
    agent_offer=["That's updated now."],
    accept=["Great, thanks."],
    subject=["Update my details", "Change of email"],
    note=["Contact details updated."],
    summary="The customer updated their account details",
)
S["install_booking"] = dict(
    label="booking an installation",
    reason="technical",
    queue="Moves and Installs",
    complaint=False,
    products=BROADBAND,
    open=[
        "I'd like to book the installation for my new {product}.",
        "When can an engineer come to install?",
        "Can I move my install appointment to next week?",
    ],
    detail=["Mornings are better for me."],
    agent_explain=["The first available slot is on {date}."],
    agent_offer=["I've booked you in for the morning slot."],
    accept=["Perfect."],
    subject=["Installation booking", "Move my appointment"],
    note=["Install booked."],
    summary="The customer booked an installation",
)
S["voicemail"] = dict(
    label="setting up voicemail",
    reason="phone",
    queue="Home Phone",
    complaint=False,
    products=["landline_home_phone", "mobile_sim_only", "mobile_unlimited"],
    open=[
        "How do I set up voicemail on my {product}?",
        "I forgot my voicemail PIN.",
        "How do I change the voicemail greeting?",
    ],
    detail=["Is it free?"],
    agent_explain=["Dial 1571 and follow the prompts, it's included."],
    agent_offer=["I've reset your PIN to the last four digits of your number."],
    accept=["Thanks, that's easy."],
    subject=["Voicemail setup", "Voicemail PIN"],
    note=["Voicemail help."],
    summary="The customer asked about voicemail",
)
S["data_usage"] = dict(
    label="data usage",
    reason="mobile",
    queue="Mobile",
    complaint=False,
    products=MOBILE,
    open=[
        "How much data have I used this month?",
        "Can I roll over unused data?",
        "Do I get a warning before I run out of data?",
    ],
    detail=["I'm on the {product}."],
    agent_explain=["You've used 14GB of 20GB so far this month."],
    agent_offer=["I've switched on usage alerts at 80%."],
    accept=["Brilliant, thanks."],
    subject=["Data usage question", "Data rollover"],
    note=["Data usage query."],
    summary="The customer asked about data usage",
)
S["intl_rates"] = dict(
    label="international call rates",
    reason="phone",
    queue="Home Phone",
    complaint=False,
    products=["landline_home_phone", "mobile_unlimited"],
    open=[
        "How much is it to call Poland from my {product}?",
        "Do you have an international add-on?",
        "What are the rates to call the Philippines?",
    ],
    detail=["I call my mum every Sunday."],
    agent_explain=["It's eight cents a minute, or a ten dollar bundle for 300 minutes."],
    agent_offer=["I've added the bundle from today."],
    accept=["Great, thank you so much."],
    subject=["International rates", "Calling abroad"],
    note=["Intl rates query."],
    summary="The customer asked about international rates",
)
S["channel_lineup"] = dict(
    label="the TV channel line-up",
    reason="tv",
    queue="TV Support",
    complaint=False,
    products=["tv_essentials", "lark_stream"],
    open=[
        "Does {product} include the sports channels?",
        "Which channels come with TV Essentials?",
        "Can I add the movie pack?",
    ],
    detail=["How much is the sports add-on?"],
    agent_explain=["Sports is an add-on at twelve dollars a month."],
    agent_offer=["I can add it now and the first month is free."],
    accept=["Go on then."],
    subject=["Channel question", "Sports channels"],
    note=["Channel line-up enquiry."],
    summary="The customer asked about TV channels",
)
S["wifi_tips"] = dict(
    label="wi-fi coverage",
    reason="technical",
    queue="Technical Support",
    complaint=False,
    products=["router_hub5", "router_mesh"],
    open=[
        "The wi-fi doesn't reach my upstairs office, would a {product} help?",
        "Where's the best place to put the {product}?",
        "How do I change my wi-fi password?",
    ],
    detail=["It's a three-storey house."],
    agent_explain=["A mesh extender on the landing usually sorts that out."],
    agent_offer=["I can send you one for a one-off forty-nine dollars."],
    accept=["Yes please."],
    subject=["Wi-fi coverage", "Change wifi password"],
    note=["Wifi advice."],
    summary="The customer asked for wi-fi advice",
)
S["contract_end"] = dict(
    label="the contract end date",
    reason="general",
    queue="General Enquiries",
    complaint=False,
    products=[],
    open=[
        "When does my contract end?",
        "Am I still in my minimum term?",
        "What happens when my contract finishes?",
    ],
    detail=["Will the price change?"],
    agent_explain=["Your minimum term ends on {date}."],
    agent_offer=["I'll email you the details."],
    accept=["Lovely, thanks."],
    subject=["Contract end date", "Minimum term"],
    note=["Contract end query."],
    summary="The customer asked when their contract ends",
)
S["port_number"] = dict(
    label="keeping a phone number",
    reason="mobile",
    queue="Mobile",
    complaint=False,
    products=["mobile_sim_only", "mobile_unlimited", "landline_home_phone"],
    open=[
        "I want to bring my number over from my old provider.",
        "How do I port my number?",
        "Can I keep my number if I move my {product} to you?",
    ],
    detail=["I've got the transfer code."],
    agent_explain=["Yes, give me the code and it moves within a working day."],
    agent_offer=["That's submitted."],
    accept=["Great."],
    subject=["Porting my number", "Keep my number"],
    note=["Port request submitted."],
    summary="The customer ported a number",
)
S["paper_bill_thanks"] = dict(
    label="paper bills becoming free",
    reason="billing",
    queue="Billing",
    complaint=False,
    pattern_mention="P6_paper_bill_fee",
    products=[],
    open=[
        "I saw you've stopped charging for paper bills, thank you for that.",
        "Just checking the paper bill is free now?",
        "My bill says the paper statement charge has been removed, is that right?",
        "Good news about the paper bill fee going, my mum is very pleased.",
    ],
    detail=["Do I need to do anything?"],
    agent_explain=["That's right, paper bills are free from April first."],
    agent_offer=["You don't need to do anything, it's automatic."],
    accept=["Lovely, thank you."],
    subject=["Paper bill now free?", "Thank you - paper bills"],
    note=["Cust asked about paper bill fee removal."],
    summary="The customer asked about paper bills becoming free",
)
S["router_restart_decoy"] = dict(
    label="a router restart after a power cut",
    reason="technical",
    queue="Technical Support",
    complaint=False,
    products=["router_hub5"],
    requires=["router_hub5"],
    open=[
        "We had a power cut last night and the {router} took ages to come back, is that normal?",
        "My router restarted once during the storm, is it okay now?",
    ],
    detail=["It's fine now, I just wanted to check."],
    agent_explain=["Yes, it can take ten minutes to resync after a power cut."],
    agent_offer=["Your line looks healthy from here."],
    accept=["Great, thanks for checking."],
    subject=["Router after power cut"],
    note=["Router resync after power cut, no fault."],
    summary="The customer asked about the router after a power cut",
)
S["compliment"] = dict(
    label="a compliment",
    reason="general",
    queue="General Enquiries",
    complaint=False,
    products=[],
    open=[
        "I just wanted to say the technician who came on {date} was brilliant.",
        "The lady I spoke to last week sorted everything, please pass on my thanks.",
        "Honestly, the new {product} is fantastic, best internet I've had.",
        "I wanted to say thank you, your team fixed my line in a day.",
    ],
    detail=["He even tidied up the cables.", "She was so patient with me."],
    agent_explain=["That's lovely to hear, I'll pass that on."],
    agent_offer=["I've logged it as a compliment."],
    accept=["Thanks, have a good day."],
    subject=["Thank you!", "Great service", "Compliment for your technician"],
    note=["Compliment logged."],
    summary="The customer called to pay a compliment",
    products_any=["router_hub5", "bb_fibre_500", "bb_gigabit"],
)

# P4: the promise, said by agents on the first contact.
CALLBACK_PROMISE = [
    "I'm going to escalate this to our tier two team and they'll call you back within twenty-four hours.",
    "Someone from the technical team will give you a call back tomorrow between nine and twelve.",
    "I've booked a call back for you, you should hear from an engineer by end of day {day}.",
    "Leave it with me, I'll personally call you back once I hear from the network team.",
    "An escalation specialist will ring you back within one working day.",
    "I've put in a callback request, so keep your phone handy; they'll call the number ending {last4}.",
    "I can't fix it from here, but tier two will phone you back, usually within a few hours.",
    "You'll get a call from us tomorrow morning to confirm the fix.",
    "I've scheduled a callback for {day} afternoon.",
]
CALLBACK_ACCEPT = [
    "Okay, I'll wait for the call then.",
    "Fine, as long as someone actually calls.",
    "Great, thanks, I'll keep my phone on me.",
    "Alright. Tomorrow morning, yes?",
    "Okay, thank you.",
    "I'll hold you to that.",
]
CALLBACK_KEPT = [
    "Hi, it's {agent} from {company} calling you back as promised.",
    "Hello, this is {agent} from the {company} technical team, returning your call from yesterday.",
]

# ---- agent scripts and conversational glue --------------------------------

IVR_OPEN = [
    "Thank you for calling {company}. Calls may be recorded for quality and training purposes.",
    "Welcome to {company}. For billing, press 1. For technical support, press 2. For TV, press 3. For anything else, press 4.",
    "Please hold while we connect you to the next available advisor. Your estimated wait time is {wait} minutes.",
    "Did you know you can manage your account online at larkspur dot example slash my account?",
    "You are number {pos} in the queue.",
    "Please say or enter your account number, followed by the hash key.",
]
IVR_CLOSE = [
    "Please stay on the line to rate your experience with us today.",
    "On a scale of one to five, how likely are you to recommend {company}? Please press a number now.",
]
GREET = [
    "Thanks for calling {company}, my name is {agent}, who am I speaking with today?",
    "Good {daypart}, you're through to {company}, this is {agent}. Can I take your name please?",
    "Hi, thank you for holding, my name's {agent}. How can I help?",
    "{company} {queue}, {agent} speaking, how can I help you today?",
    "Hello and welcome to {company}, you're speaking with {agent}. May I start with your full name?",
    "Thank you for calling {company}, this is {agent}. Before we start, can I get your name?",
]
CUST_NAME = [
    "Hi, yes, my name is {cname_full}.",
    "Hi {agent}, it's {cname_full}.",
    "It's {cname_full}.",
    "Hiya, {cname_full} here.",
    "My name is {cname_full}, I'm the account holder.",
    "Yeah hi, this is {cname_full}.",
]
VERIFY = [
    (
        "For security, can you confirm the phone number on the account?",
        ["It's {phone_spoken}.", "Sure, {phone}.", "The number is {phone_spoken}."],
        "pii:phone",
    ),
    (
        "And can I take the first line of the address and the zip code?",
        ["{street}, {zip}.", "It's {address}."],
        "pii:address",
    ),
    (
        "Can you confirm the email address we have on file?",
        ["It's {email}.", "Should be {email}."],
        "pii:email",
    ),
    ("Can I have your account number please?", ["It's {account}.", "Hang on... {account}."], "pii:account"),
    ("And just your date of birth to confirm?", ["{dob}.", "It's {dob}."], "pii:dob"),
]
VERIFY_OK = [
    "Thank you, that's all confirmed.",
    "Perfect, thanks for that.",
    "Lovely, you're verified.",
    "Great, I've got your account up.",
]
HOW_HELP = [
    "How can I help you today?",
    "What can I do for you?",
    "What's the reason for your call today?",
    "So how can I help?",
    "What can I help you with?",
]
ACK_COMPLAINT = [
    "I'm sorry to hear that.",
    "I completely understand, that's frustrating.",
    "Oh no, I'm sorry about that.",
    "I hear you, let me take a look.",
    "I'm really sorry you've had that experience.",
    "Okay, I understand. Let me have a look.",
]
ACK_NEUTRAL = ["Sure, I can help with that.", "Of course.", "No problem at all.", "Absolutely, let me check."]
HOLD_ASK = [
    "Do you mind if I put you on a brief hold while I look into this?",
    "Bear with me, I'm just going to place you on hold for a minute or two.",
    "Let me check with my supervisor, can I put you on hold?",
    "I'll just pop you on hold for a moment.",
]
HOLD_OK = ["Sure.", "Yes, that's fine.", "Okay.", "Go ahead.", "Fine, don't be long."]
HOLD_BACK = [
    "Thanks so much for holding.",
    "Thank you for your patience.",
    "Sorry for the wait, thanks for holding.",
    "Thanks for bearing with me.",
]
CHECKING = [
    "Let me just check that for you.",
    "One moment, the system's a bit slow today.",
    "Okay, I'm just pulling that up now.",
    "Give me one second.",
]
ANYTHING_ELSE = [
    "Is there anything else I can help you with today?",
    "Anything else I can do for you?",
    "Was there anything else?",
    "Is there anything else on the account I can help with?",
]
NOTHING_ELSE = [
    "No, that's everything, thanks.",
    "No, that's it.",
    "Nope, that's all.",
    "No thanks, you've been helpful.",
    "No. Thanks.",
]
CLOSING = [
    "Thanks for calling {company}, have a great day.",
    "Thank you for your time, take care. Bye now.",
    "You're welcome, have a lovely evening.",
    "Thanks {cname}, have a good rest of your day.",
    "Alright, thanks for calling, bye bye.",
]
BYE = ["Bye.", "Thanks, bye.", "Cheers, bye.", "You too, bye.", "Thank you, goodbye."]
CARD_ASK = [
    "I'd like to pay the outstanding balance by card while I'm on.",
    "Can I pay the bill now with my card?",
]
CARD_GIVE = [
    "The card number is {card}, expiry {expiry}.",
    "It's {card}... expiry {expiry}, and the code on the back is {cvv}.",
]
CARD_SECURE = [
    "Please don't read the card number out, I'll transfer you to our secure payment line.",
    "Thanks, that payment has gone through.",
]
SMALL_TALK = [
    ("Sorry, that's my dog barking, give me a second.", "No problem at all, take your time."),
    (
        "Sorry, it's pouring down here, I just ran in from the car.",
        "Oh no, it's been grim all week here too.",
    ),
    ("Hang on, my kid's asking me something... sorry about that.", "Not a problem."),
    ("Did you watch the game last night?", "I did! What a finish."),
    (
        "Sorry, you broke up there, can you say that again?",
        "Of course, I said I'm just checking your account.",
    ),
    ("Are you still there?", "Yes, I'm still here, sorry, just reading the notes."),
    (
        "It's my birthday today, actually, so this is a great present.",
        "Oh, happy birthday! Sorry it's not a better call.",
    ),
    ("Sorry, I'm driving, you're on speaker.", "That's fine, no problem."),
    (
        "Do you know if your store on Main Street is open on Sundays?",
        "I'm not sure, but store hours are on our website.",
    ),
    ("How's your day going anyway?", "Not bad thanks, busy Monday!"),
    ("Sorry, the doorbell, one sec.", "Sure, I'll wait."),
    ("I've been with you since the old days, when it was all dial-up.", "Ha, that's a long time!"),
]
FILL_EXCHANGES = [
    ("Can you spell the last name for me?", "It's {last_spelled}."),
    ("And is this the best number to reach you on?", "Yes, or my mobile, {phone_spoken}."),
    ("Just to confirm, is that for the account at {street}?", "Yes, that's right."),
    ("Have you tried turning the router off and on again?", "Yes, of course, twice."),
    ("I'm just adding a note to your account.", "Okay."),
    ("Can I confirm the last four digits of the card on file?", "It ends in {card_last4}."),
    ("Would you like a confirmation by email?", "Yes please, to {email}."),
    ("Is the {product} still under contract?", "I think so, I'm not sure."),
]

BOT_OPEN = [
    "Hi! I'm Lark, {company}'s virtual assistant. What can I help you with today?",
    "Hello 👋 I'm the {company} assistant. Tell me in a few words what you need help with.",
]
BOT_HANDOFF = [
    "Thanks! I'm connecting you with one of our team now. Average wait: {wait} minutes.",
    "I'll get a member of the team to help you with that. Please wait...",
]
CHAT_JOIN = ["{agent} has joined the chat.", "You're now chatting with {agent}."]
CHAT_GREET = [
    "Hi {cname}, thanks for waiting! I'm {agent}. How can I help?",
    "Hello, my name is {agent}. I'm reading through your message now.",
    "Hi there, {agent} here 😊 what can I do for you today?",
    "Hi {cname}, I'm {agent} from the {queue} team. Let me take a look.",
]
CHAT_VERIFY = [
    (
        "Could you confirm the email address on the account please?",
        ["{email}", "it's {email}", "sure - {email}"],
        "pii:email",
    ),
    (
        "Can I get the account number to look you up?",
        ["{account}", "it's {account} i think", "acct {account}"],
        "pii:account",
    ),
    (
        "Can you confirm your full name and the zip code please?",
        ["{cname_full}, {zip}", "{cname_full} {zip}"],
        "pii:name",
    ),
    ("What's the phone number on the account?", ["{phone}", "its {phone}"], "pii:phone"),
]
CHAT_END = [
    "Thanks for chatting with {company}! If you need anything else, just start a new chat.",
    "Glad I could help, have a great day!",
    "Thanks {cname}, take care.",
]
CHAT_SYS_END = [
    "Chat ended by agent.",
    "The customer has left the chat.",
    "Chat transcript will be emailed to you.",
]
EMOJI_NEG = [" 🙄", " 😡", " 😕", " 😤", " 😠", " 🤦"]
EMOJI_POS = [" 🙏", " 👍", " 😊", " 🙂", " 😂"]

EMAIL_GREET = [
    "Hi,",
    "Hello,",
    "Dear Larkspur,",
    "To whom it may concern,",
    "Hello Larkspur team,",
    "Hi there,",
    "",
]
EMAIL_SIGNOFF = ["Thanks,", "Regards,", "Kind regards,", "Cheers,", "Thank you,", "Best,", "Sincerely,"]
MOBILE_SIG = [
    "Sent from my iPhone",
    "Sent from my Galaxy",
    "Get Outlook for Android",
    "Sent from Yahoo Mail on Android",
]
DISCLAIMER = [
    "CONFIDENTIALITY NOTICE: This e-mail and any attachments are for the exclusive and confidential use of the intended "
    "recipient. If you are not the intended recipient, please do not read, distribute or take action in reliance upon "
    "this message. If you have received this in error, please notify us immediately by return e-mail and delete it.",
    "This message may contain privileged information. If you received it in error, please delete it and notify the sender.",
    "Please consider the environment before printing this e-mail.",
]
AGENT_EMAIL_OPEN = [
    "Hi {cname},\n\nThank you for getting in touch with {company}.",
    "Dear {cname},\n\nThanks for your message.",
    "Hello {cname},\n\nThanks for contacting us, and sorry for the slow reply.",
    "Hi {cname},\n\nI'm sorry to hear about this.",
]
AGENT_EMAIL_CLOSE = [
    "Kind regards,\n{agent}\n{company} Customer Care",
    "Best wishes,\n{agent} | {company} Support",
    "Thanks,\n{agent}\nCustomer Care Team, {company}\nlarkspur.example/help",
]
CUST_REPLY = [
    "Thanks for getting back to me.",
    "That's not what I asked.",
    "OK thanks.",
    "Still not resolved.",
    "I appreciate the reply, but I'm still not happy.",
    "Thank you, that's great.",
    "Fine.",
]
SAT_GOOD = ["Quick and helpful, thanks", "Sorted it first time", "Lovely agent", "", ""]
SAT_BAD = ["Still being charged", "Didn't solve anything", "Took far too long", "Nobody listens", "", ""]


# --------------------------------------------------------------------------
# building conversations and tickets (format-independent)
# --------------------------------------------------------------------------


@dataclass
class Event:
    """One contact: who, when, what about, and in which export format."""

    key: int
    scenario: str
    customer: Customer
    local: dt.datetime  # local wall-clock time (America/Chicago)
    pattern: str | None = None
    role: str = "primary"  # primary | followup | promise | kept_promise
    prev: Event | None = None
    fmt: str | None = None
    queue: str | None = None
    agent: Agent | None = None
    product: str | None = None
    iid: str = ""
    path: str = ""
    channel: str = ""
    ctx: dict[str, Any] = field(default_factory=dict)
    secondary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def utc(self) -> dt.datetime:
        return to_utc(self.local)

    @property
    def quarter(self) -> str:
        return quarter_of(self.local.date())


@dataclass
class Piece:
    text: str
    tag: str | None = None


@dataclass
class Turn:
    role: str  # agent | customer | ivr | bot | system
    pieces: list[Piece]
    hold_s: float = 0.0


def P(text: str, tag: str | None = None) -> Piece:
    return Piece(text, tag)


def pick_new(bank: Sequence[str], ctx: dict[str, Any]) -> str:
    """Pick from ``bank``, avoiding what this interaction already said where possible."""
    used = ctx.setdefault("_used", [])
    fresh = [b for b in bank if b not in used] or list(bank)
    choice = pick(fresh)
    used.append(choice)
    return choice


def fresh(bank: Sequence[str] | None, ctx: dict[str, Any]) -> str | None:
    """An item of ``bank`` not yet used in this interaction, or None."""
    left = [b for b in bank or [] if b not in ctx.get("_used", [])]
    return pick_new(left, ctx) if left else None


def fill(template: str, ctx: dict[str, Any]) -> str:
    return template.format_map(ctx)


def spoken_digits(s: str) -> str:
    return " ".join(_DIGIT[int(c)] for c in s if c.isdigit())


def make_ctx(ev: Event) -> dict[str, Any]:
    c = ev.customer
    sc = S[ev.scenario]
    d = ev.local.date()
    agent = ev.agent
    if ev.product is None and (sc.get("products") or sc.get("products_any")):
        held = [p for p in sc.get("products") or sc.get("products_any") if p in c.products]
        ev.product = pick(held or sc.get("products") or sc.get("products_any"))
    spoken_product = ev.product or pick(c.products)
    box = next((p for p in c.products if p in TV_BOXES), pick(TV_BOXES))
    card = pick(TEST_CARDS)
    prev_d = ev.prev.local.date() if ev.prev else d - dt.timedelta(days=R.randrange(2, 6))
    near = d + dt.timedelta(days=R.randrange(2, 10))
    return {
        "company": BRAND,
        "agent": agent.first if agent else "Sam",
        "queue": ev.queue or sc["queue"],
        "cname": c.first,
        "cname_full": c.name,
        "product": product_alias(spoken_product),
        "_used": [],
        "router": product_alias("router_hub5"),
        "box": product_alias(box),
        "fee": SUPPORT_FEE,
        "pfee": PAPER_FEE,
        "cfee": CID_FEE,
        "fw": FIRMWARE,
        "month": month_name(d.replace(day=1) - dt.timedelta(days=1)) if d.day < 12 else month_name(d),
        "prev_day": day_phrase(prev_d) if chance(0.5) else prev_d.strftime("%A"),
        "n_days": str((d - prev_d).days),
        "lines": str(c.n_lines),
        "amount": f"${R.randrange(18, 240)}.{R.randrange(100):02d}",
        "last4": c.phone[-4:],
        "years": str(max(2, d.year - c.since.year)),
        "date": f"{near.strftime('%B')} {ordinal(near.day)}" if chance(0.5) else day_phrase(near),
        "day": (d + dt.timedelta(days=1)).strftime("%A"),
        "phone": c.phone,
        "phone_spoken": spoken_digits(c.phone),
        "street": c.street,
        "zip": c.zip,
        "address": c.address,
        "email": c.email,
        "account": c.account,
        "dob": f"{pick(['March', 'July', 'October', 'January', 'May'])} {ordinal(R.randrange(1, 28))}, {R.randrange(1942, 2001)}",
        "card": card,
        "card_last4": card.replace(" ", "")[-4:],
        "expiry": f"{R.randrange(1, 13):02d}/{R.randrange(27, 31)}",
        "cvv": f"{R.randrange(100, 999)}",
        "last_spelled": "-".join(c.last.upper().replace(" ", "")),
        "wait": str(R.randrange(2, 25)),
        "pos": str(R.randrange(2, 14)),
        "daypart": "morning" if ev.local.hour < 12 else "afternoon" if ev.local.hour < 17 else "evening",
    }


def cust_complaint_pieces(
    sc: dict[str, Any], ctx: dict[str, Any], slots: Sequence[str], scen: str
) -> list[Piece]:
    out = []
    for slot in slots:
        bank = sc.get(slot) or []
        if bank:
            out.append(
                P(
                    fill(pick_new(bank, ctx), ctx),
                    f"grv:{scen}:{slot}" if sc["complaint"] else f"ask:{scen}:{slot}",
                )
            )
    return out


def opening_pieces(ev: Event, sc: dict[str, Any], ctx: dict[str, Any]) -> list[Piece]:
    pieces: list[Piece] = []
    scen = ev.scenario
    if ev.role == "followup" and ev.prev is not None:
        if ev.scenario == "callback_missed":
            pieces.append(P(fill(pick_new(sc["open"], ctx), ctx), f"grv:{scen}:open"))
            under = S[ev.prev.scenario]
            pieces.append(P("It's about " + under["label"] + ".", None))
            return pieces
        bank = sc.get("followup") or [
            f"I contacted you on {{prev_day}} about {sc['label']} and it still isn't sorted."
        ]
        pieces.append(P(fill(pick_new(bank, ctx), ctx), f"grv:{scen}:followup"))
        if chance(0.5):
            pieces += cust_complaint_pieces(sc, ctx, ["open"], scen)
        return pieces
    pieces += cust_complaint_pieces(sc, ctx, ["open"], scen)
    if chance(0.55):
        pieces += cust_complaint_pieces(sc, ctx, ["detail"], scen)
    return pieces


def build_call(ev: Event, *, ivr: bool, target: int) -> list[Turn]:
    sc = S[ev.scenario]
    ctx = ev.ctx
    T: list[Turn] = []
    A = lambda *ps, hold=0.0: T.append(Turn("agent", list(ps), hold))  # noqa: E731
    C = lambda *ps: T.append(Turn("customer", list(ps)))  # noqa: E731
    if ivr:
        T.append(Turn("ivr", [P(fill(IVR_OPEN[0], ctx))]))
        if chance(0.6):
            T.append(Turn("ivr", [P(fill(IVR_OPEN[1], ctx))]))
        T.append(Turn("ivr", [P(fill(pick(IVR_OPEN[2:]), ctx))], hold_s=R.randrange(30, 900)))
    if ev.role == "kept_promise":
        A(P(fill(pick(CALLBACK_KEPT), ctx)))
        C(P("Oh hi, thanks for calling back.", None))
    else:
        A(P(fill(pick(GREET), ctx)))
        C(P(fill(pick(CUST_NAME), ctx), "pii:name"))
    for q, answers, tag in sample(VERIFY, R.randrange(1, 4)):
        A(P(q))
        C(P(fill(pick(answers), ctx), tag))
    A(P(pick(VERIFY_OK)), P(pick(HOW_HELP)))
    C(*opening_pieces(ev, sc, ctx))
    complaint = sc["complaint"]
    ack = pick(ACK_COMPLAINT if complaint else ACK_NEUTRAL)
    if sc.get("agent_q") and chance(0.7):
        A(P(ack), P(fill(pick_new(sc["agent_q"], ctx), ctx)))
        C(P(fill(pick_new(sc.get("cust_a") or ["Yes."], ctx), ctx)))
    else:
        A(P(ack), P(pick(CHECKING)))
        if complaint and chance(0.5):
            C(*cust_complaint_pieces(sc, ctx, ["detail"], ev.scenario))
    if chance(0.5):
        A(P(pick(HOLD_ASK)))
        C(P(pick(HOLD_OK)))
        T[-1].hold_s = R.randrange(40, 300)
        A(P(pick(HOLD_BACK)), P(fill(pick_new(sc["agent_explain"], ctx), ctx)))
    else:
        A(P(fill(pick_new(sc["agent_explain"], ctx), ctx)))
    if complaint:
        C(*cust_complaint_pieces(sc, ctx, ["feel", "ask"] if chance(0.7) else ["ask"], ev.scenario))
    elif (d := fresh(sc.get("detail"), ctx)) is not None:
        C(P(fill(d, ctx), f"ask:{ev.scenario}:detail"))
    else:
        C(P(pick(["Okay.", "Right, okay.", "I see.", "Got it."])))
    if ev.role == "promise":
        A(P(fill(pick(CALLBACK_PROMISE), ctx), "promise"))
        C(P(pick(CALLBACK_ACCEPT)))
    else:
        A(P(fill(pick_new(sc["agent_offer"], ctx), ctx)))
        if complaint and sc.get("reject") and chance(0.35):
            C(P(fill(pick_new(sc["reject"], ctx), ctx), f"grv:{ev.scenario}:reject"))
            A(
                P(
                    pick(
                        [
                            "I understand, and I'm sorry.",
                            "I hear you. I've noted that on the account.",
                            "I completely get it. I'll add your feedback to the complaint.",
                        ]
                    )
                )
            )
        C(P(fill(pick_new(sc.get("accept") or ["Okay."], ctx), ctx)))
    if ev.customer.segment != "business" and chance(0.08):
        C(P(pick(CARD_ASK)))
        A(P("Sure, go ahead with the long number on the card."))
        C(P(fill(pick(CARD_GIVE), ctx), "pii:card"))
        A(P(pick(CARD_SECURE)))
    A(P(pick(ANYTHING_ELSE), "closing"))
    if ev.secondary:
        s2 = S[ev.secondary]
        c2 = dict(ctx)
        c2["product"] = product_alias(pick(s2.get("products") or ev.customer.products))
        C(P("Actually, yes. " + fill(pick(s2["open"]), c2), f"ask:{ev.secondary}:open"))
        A(P(fill(pick(s2["agent_explain"]), c2)))
        C(P(pick(["Great, thanks.", "Okay, good to know.", "Perfect."])))
        A(P(pick(ANYTHING_ELSE)))
    T[-1].pieces[-1].tag = "closing"
    C(P(pick(NOTHING_ELSE)))
    A(P(fill(pick(CLOSING), ctx)))
    C(P(pick(BYE)))
    if ivr and chance(0.5):
        T.append(Turn("ivr", [P(fill(pick(IVR_CLOSE), ctx))]))
    pad_conversation(T, ctx, target, ev)
    return T


def pad_conversation(T: list[Turn], ctx: dict[str, Any], target: int, ev: Event) -> None:
    """Insert routine exchanges and small talk until the conversation has ``target`` turns.

    Insertions go only between exchanges (never between a question and its
    answer, never into a hold) and before the closing.
    """
    sc = S[ev.scenario]
    guard = 0
    while len(T) < target and guard < 60:
        guard += 1
        first = next(i for i, t in enumerate(T) if t.role == "customer") + 1
        close = max(i for i, t in enumerate(T) if any(p.tag == "closing" for p in t.pieces))
        after_customer = [
            i
            for i in range(first + 1, close + 1)
            if T[i - 1].role == "customer" and T[i].role == "agent" and not T[i - 1].hold_s
        ]
        after_statement = [
            i
            for i in range(first + 1, close)
            if T[i - 1].role == "agent"
            and T[i].role == "customer"
            and not T[i - 1].hold_s
            and not T[i - 1].pieces[-1].text.rstrip().endswith("?")
        ]
        kind = R.random()
        if kind < 0.25 and after_statement:
            c, a = pick(SMALL_TALK)
            at = pick(after_statement)
            T[at:at] = [Turn("customer", [P(c, "smalltalk")]), Turn("agent", [P(a)])]
            continue
        if not after_customer:
            break
        at = pick(after_customer)
        if kind < 0.6:
            q, a = pick(FILL_EXCHANGES)
            tag = (
                "pii:phone"
                if "{phone" in a
                else "pii:email"
                if "{email" in a
                else "pii:card"
                if "card" in a
                else None
            )
            T[at:at] = [Turn("agent", [P(fill(q, ctx))]), Turn("customer", [P(fill(a, ctx), tag)])]
        elif kind < 0.85 and sc["complaint"]:
            slot = pick(["detail", "feel", "open"])
            pieces = cust_complaint_pieces(sc, ctx, [slot], ev.scenario)
            T[at:at] = [
                Turn(
                    "agent",
                    [P(pick(["Okay.", "Right.", "I see.", "Mm-hm, go on.", "Understood.", "Sorry, go on."]))],
                ),
                Turn("customer", pieces or [P("Yeah.")]),
            ]
        else:
            T[at:at] = [
                Turn("agent", [P(pick(CHECKING))]),
                Turn("customer", [P(pick(["Okay.", "Sure.", "No rush.", "Mm-hm.", "Take your time."]))]),
            ]


def build_chat(ev: Event, *, target: int) -> list[Turn]:
    sc = S[ev.scenario]
    ctx = ev.ctx
    T: list[Turn] = []
    A = lambda *ps: T.append(Turn("agent", list(ps)))  # noqa: E731

    def C(*ps: Piece) -> None:
        T.append(Turn("customer", list(ps)))

    if chance(0.7):
        T.append(Turn("bot", [P(fill(pick(BOT_OPEN), ctx))]))
        C(
            P(
                pick(
                    [
                        "billing",
                        "talk to a person",
                        "agent",
                        "technical problem",
                        "i have a complaint",
                        "help",
                        sc["label"],
                    ]
                )
            )
        )
        T.append(Turn("bot", [P(fill(pick(BOT_HANDOFF), ctx))]))
    T.append(Turn("system", [P(fill(pick(CHAT_JOIN), ctx))]))
    A(P(fill(pick(CHAT_GREET), ctx)))
    opening = opening_pieces(ev, sc, ctx)
    if len(opening) > 1 and chance(0.6):
        for p in opening:  # typed as several short messages
            C(p)
    else:
        C(*opening)
    question, answers, pii_tag = pick(CHAT_VERIFY)
    A(P(question))
    C(P(fill(pick(answers), ctx), pii_tag))
    complaint = sc["complaint"]
    A(
        P(pick(["Thanks!", "Thank you.", "Great, thanks."])),
        P(pick(ACK_COMPLAINT if complaint else ACK_NEUTRAL)),
    )
    if sc.get("agent_q") and chance(0.6):
        A(P(fill(pick_new(sc["agent_q"], ctx), ctx)))
        C(P(fill(pick_new(sc.get("cust_a") or ["yes"], ctx), ctx)))
    A(P(fill(pick_new(sc["agent_explain"], ctx), ctx)))
    if complaint:
        for p in cust_complaint_pieces(sc, ctx, ["feel", "ask"], ev.scenario):
            C(p)
    elif (d := fresh(sc.get("detail"), ctx)) is not None:
        C(P(fill(d, ctx), f"ask:{ev.scenario}:detail"))
    A(P(fill(pick_new(sc["agent_offer"], ctx), ctx)))
    if complaint and sc.get("reject") and chance(0.3):
        C(P(fill(pick_new(sc["reject"], ctx), ctx), f"grv:{ev.scenario}:reject"))
        A(P("I'm sorry, I understand. I've added your feedback to the account."))
    C(P(fill(pick_new(sc.get("accept") or ["ok"], ctx), ctx)))
    A(P(pick(ANYTHING_ELSE), "closing"))
    C(P(pick(["no thanks", "no that's all", "nope", "that's it thanks", "no"])))
    A(P(fill(pick(CHAT_END), ctx)))
    T.append(Turn("system", [P(pick(CHAT_SYS_END))]))
    pad_conversation(T, ctx, target, ev)
    return T


# ---- tickets ------------------------------------------------------------


@dataclass
class Comment:
    role: str  # customer | agent
    body: str
    public: bool
    at: dt.datetime  # UTC


@dataclass
class Ticket:
    subject: str
    via: str  # email | web | voice | chat | mobile
    comments: list[Comment]
    status: str
    priority: str
    type: str
    satisfaction: tuple[str, str] | None  # (score, comment)
    updated: dt.datetime
    solved: dt.datetime | None


def quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def email_date(t: dt.datetime) -> str:
    return (
        t.strftime("%a, %b ")
        + str(t.day)
        + t.strftime(", %Y at ")
        + str((t.hour - 1) % 12 + 1)
        + t.strftime(":%M %p")
    )


def typed(text: str, rate: float = 0.03) -> str:
    return typos(text, rate)


def cust_email_body(ev: Event, register: str) -> str:
    sc = S[ev.scenario]
    ctx = ev.ctx
    c = ev.customer
    scen = ev.scenario
    p1 = " ".join(p.text for p in opening_pieces(ev, sc, ctx))
    if sc["complaint"]:
        p2 = " ".join(
            p.text for p in cust_complaint_pieces(sc, ctx, ["feel", "ask"] if chance(0.7) else ["ask"], scen)
        )
    else:
        d = fresh(sc.get("detail"), ctx)
        p2 = fill(d, ctx) if d is not None else pick(["Thanks.", "Thanks in advance.", "", "Thank you."])
    pii = fill(
        pick(
            [
                "My account number is {account}.",
                "Account: {account}",
                "You can reach me on {phone}.",
                "My address is {address}.",
                "Phone: {phone}",
                "Account {account}, phone {phone}.",
                "",
            ]
        ),
        ctx,
    )
    if register == "web":
        text = p1 + " " + p2 + (" " + pii if pii else "")
        if chance(0.4):
            text = text.lower()
        return typed(text, 0.03)
    rate = 0.015 if c.segment == "business" else 0.025
    lines = []
    greet = pick(EMAIL_GREET)
    if greet:
        lines += [greet, ""]
    lines.append(typed(p1, rate))
    lines.append("")
    if chance(0.3) and sc["complaint"]:
        d = fresh(sc.get("detail"), ctx)
        if d is not None:
            lines.append(typed(fill(d, ctx), rate))
            lines.append("")
    lines.append(typed(p2, rate))
    if pii:
        lines += ["", pii]
    lines += ["", pick(EMAIL_SIGNOFF), c.first if chance(0.5) else c.name]
    if c.segment == "business":
        lines += [f"{c.business}", f"Tel: {c.phone}", ""] + ([pick(DISCLAIMER)] if chance(0.6) else [])
    elif chance(0.35):
        lines += ["", pick(MOBILE_SIG)]
    elif chance(0.2):
        lines += ["--", c.name, c.phone]
    return "\n".join(lines).strip("\n")


def agent_email(ev: Event, ctx: dict[str, Any], agent: Agent) -> str:
    sc = S[ev.scenario]
    c2 = dict(ctx, agent=agent.first)
    body = [
        fill(pick(AGENT_EMAIL_OPEN), c2),
        "",
        fill(pick_new(sc["agent_explain"], c2), c2) + " " + fill(pick_new(sc["agent_offer"], c2), c2),
    ]
    if ev.role == "promise":
        body.append("")
        body.append(fill(pick(CALLBACK_PROMISE), c2))
    body += [
        "",
        pick(
            [
                "If there's anything else, just reply to this email.",
                "Let us know if you need anything else.",
                "I hope this helps.",
            ]
        ),
        "",
        fill(pick(AGENT_EMAIL_CLOSE), c2),
    ]
    return "\n".join(body)


def build_ticket(ev: Event, agents: list[Agent]) -> Ticket:
    sc = S[ev.scenario]
    ctx = ev.ctx
    agent = ev.agent or agents[0]
    t0 = ev.utc
    via = wpick(["email", "web", "voice", "chat", "mobile"], [48, 30, 10, 7, 5])
    subject = fill(pick_new(sc["subject"], ctx), ctx)
    if ev.role == "followup":
        subject = pick(["Re: ", "RE: ", "Fwd: ", "Still waiting - ", "2nd contact: ", ""]) + subject
    comments: list[Comment] = []
    if via == "voice":
        note = fill(pick_new(sc["note"], ctx), ctx)
        if ev.role == "followup":
            note = "Repeat contact. " + note
        first = f"Inbound call from {ev.customer.name} ({ev.customer.phone}).\n{note}"
        comments.append(Comment("agent", first, True, t0))
    elif via == "chat":
        lines = []
        t = t0
        for turn in build_chat(ev, target=R.randrange(8, 16)):
            who = {
                "customer": ev.customer.first,
                "agent": agent.first,
                "bot": "Lark (bot)",
                "system": "System",
            }[turn.role]
            text = " ".join(p.text for p in turn.pieces)
            if turn.role == "customer":
                text = typed(casual(text), 0.03)
            lines.append(f"({t.strftime('%I:%M:%S %p')}) {who}: {text}")
            t += dt.timedelta(seconds=R.randrange(8, 90))
        comments.append(
            Comment("customer", "Chat started: " + zulu(t0) + "\n\n" + "\n".join(lines), True, t0)
        )
    else:
        comments.append(Comment("customer", cust_email_body(ev, via), True, t0))
    t = t0 + dt.timedelta(minutes=R.randrange(20, 60 * 30))
    reply = agent_email(ev, ctx, agent)
    comments.append(Comment("agent", reply, True, t))
    complaint = sc["complaint"]
    if chance(0.55 if complaint else 0.25):
        t += dt.timedelta(minutes=R.randrange(30, 60 * 40))
        text = pick(CUST_REPLY)
        if complaint and chance(0.6):
            text += " " + " ".join(
                p.text for p in cust_complaint_pieces(sc, ctx, [pick(["feel", "ask", "detail"])], ev.scenario)
            )
        text = typed(text, 0.02)
        if via == "email" and chance(0.75):
            prev_at = comments[-1].at
            text += f"\n\nOn {email_date(prev_at)} {BRAND} Support <{SUPPORT_EMAIL}> wrote:\n\n" + quote(
                reply
            )
        comments.append(Comment("customer", text, True, t))
        if chance(0.3):
            t += dt.timedelta(minutes=R.randrange(5, 600))
            comments.append(
                Comment(
                    "agent",
                    pick(
                        [
                            "Escalated to TL for approval of credit.",
                            "Cust called in as well - see linked call.",
                            "Macro applied: billing dispute.",
                            "Checked with network team, no further action.",
                            f"Goodwill credit {ctx['amount']} approved.",
                            "Known issue, linked to problem ticket.",
                        ]
                    ),
                    False,
                    t,
                )
            )
        t += dt.timedelta(minutes=R.randrange(30, 60 * 24))
        comments.append(
            Comment(
                "agent",
                fill(
                    pick(
                        [
                            "Hi {cname},\n\nThanks for your patience. I've looked into this again and added a note for our billing team. "
                            "Is there anything else I can help with?\n\n{agent}",
                            "Hi {cname}, I'm sorry you're still unhappy. I've passed your comments on to the team that owns this.\n\nRegards,\n{agent}",
                            "Hello {cname},\n\nI've now applied the credit we discussed; you'll see it on your next bill.\n\n{agent}\n{company} Customer Care",
                            "Hi {cname}, thanks for confirming. I'll close this ticket now, but just reply if you need anything.\n\n{agent}",
                        ]
                    ),
                    dict(ctx, agent=agent.first),
                ),
                True,
                t,
            )
        )
    recent = ev.local.date() > END - dt.timedelta(days=10)
    status = (
        wpick(["open", "pending"], [1, 1]) if recent and chance(0.6) else wpick(["solved", "closed"], [3, 2])
    )
    solved = t + dt.timedelta(hours=R.randrange(1, 72)) if status in ("solved", "closed") else None
    updated = (solved or t) + dt.timedelta(hours=R.randrange(0, 24 * 5) if status == "closed" else 0)
    sat: tuple[str, str] | None = None
    if status in ("solved", "closed") and chance(0.55):
        p_bad = 0.55 if complaint else 0.08
        if chance(0.35):
            sat = ("offered", "")
        elif chance(p_bad):
            sat = ("bad", pick(SAT_BAD))
        else:
            sat = ("good", pick(SAT_GOOD))
    prio = wpick(["low", "normal", "high", "urgent"], [2, 10, 3 if complaint else 1, 1 if complaint else 0.2])
    ttype = (
        "problem"
        if complaint and chance(0.3)
        else "incident"
        if complaint
        else wpick(["question", "task"], [5, 1])
    )
    return Ticket(
        subject=subject,
        via=via,
        comments=comments,
        status=status,
        priority=prio,
        type=ttype,
        satisfaction=sat,
        updated=updated,
        solved=solved,
    )


# --------------------------------------------------------------------------
# planning: which contacts happen, when, by whom, in which format
# --------------------------------------------------------------------------

N_CUSTOMERS = 820
# Primary contacts per quarter for each planted situation (follow-ups come on top).
PLANTED_PER_Q = {
    "support_fee": [0, 22, 25, 24, 22],
    "caller_id_fee": [10, 11, 10, 10, 11],
    "tvbox_eol": [0, 14, 36, 16, 6],
    "router_reboot": [0, 0, 0, 0, 45],
    "paper_bill_fee": [18, 18, 18, 3, 0],
    "paper_bill_thanks": [0, 0, 0, 6, 2],
    "router_restart_decoy": [0, 1, 0, 1, 0],
}
CALLBACK_MISSED_PER_Q = [8, 8, 8, 8, 8]
CALLBACK_KEPT_PER_Q = [3, 2, 3, 2, 2]
SUPPORT_FEE_REPEAT_RATE = 0.36
BACKGROUND_COMPLAINTS_PER_Q = 85
NEUTRAL_PER_Q = 200
COMPLIMENTS_PER_Q = 20
BACKGROUND_WEIGHTS = {
    "billing_error": 14,
    "refund_delay": 6,
    "long_wait": 8,
    "delivery": 6,
    "account_access": 7,
    "agent_conduct": 4,
    "price_rise": 6,
    "outage": 9,
    "slow_speed": 9,
    "intermittent": 9,
    "mobile_signal": 6,
    "roaming": 3,
    "cancellation_fee": 5,
    "missed_install": 4,
    "moving_house": 4,
}
NEUTRAL_WEIGHTS = {
    "upgrade": 14,
    "add_line": 8,
    "payment_date": 9,
    "update_details": 10,
    "install_booking": 9,
    "voicemail": 6,
    "data_usage": 8,
    "intl_rates": 5,
    "channel_lineup": 7,
    "wifi_tips": 9,
    "contract_end": 8,
    "port_number": 6,
}
REPEATABLE = {"billing_error": 0.12, "outage": 0.15, "intermittent": 0.15}
TRANSCRIPT_FORMATS = {
    "plain_call": 135,
    "webvtt": 70,
    "cl_voice": 100,
    "call_analytics": 45,
    "cl_chat": 90,
    "plain_chat": 60,
    "utterances": 60,
}
TICKET_SHARE = {"zendesk": 0.62, "salesforce": 0.28, "freshdesk": 0.10}
FORMAT_CHANNEL = {
    "plain_call": "call",
    "webvtt": "call",
    "cl_voice": "call",
    "call_analytics": "call",
    "cl_chat": "chat",
    "plain_chat": "chat",
    "utterances": "chat",
    "zendesk": "ticket",
    "salesforce": "ticket",
    "freshdesk": "ticket",
}
ID_CAPABLE = [
    "plain_call",
    "cl_voice",
    "cl_chat",
    "plain_chat",
    "utterances",
    "zendesk",
    "salesforce",
    "freshdesk",
]
FORMAT_LABEL = {
    "plain_call": "plain text (call)",
    "webvtt": "WebVTT",
    "cl_voice": "Contact Lens voice (VOICE-2022-11-30, 1.1.0)",
    "call_analytics": "Transcribe Call Analytics",
    "cl_chat": "Contact Lens chat (1.1.0)",
    "plain_chat": "plain text (chat)",
    "utterances": "utterance JSONL",
    "zendesk": "Zendesk API JSON",
    "salesforce": "Salesforce Case CSV",
    "freshdesk": "Freshdesk API v2 JSON",
}


def random_local(lo: dt.date, hi: dt.date, weight: Callable[[dt.date], float] | None = None) -> dt.datetime:
    span = (hi - lo).days
    while True:
        d = lo + dt.timedelta(days=R.randrange(span + 1))
        if d.weekday() == 6 and chance(0.7):
            continue
        if weight is not None and R.random() > weight(d):
            continue
        break
    hour = wpick(list(range(8, 21)), [5, 9, 10, 10, 9, 8, 9, 9, 8, 7, 6, 4, 3])
    return dt.datetime(d.year, d.month, d.day, hour, R.randrange(60), R.randrange(60))


def window(scen: str, qi: int) -> tuple[dt.date, dt.date, Callable[[dt.date], float] | None]:
    _, lo, hi = QUARTERS[qi]
    if scen == "support_fee":
        lo = max(lo, SUPPORT_FEE_FROM)
    if scen == "tvbox_eol":
        lo = max(lo, TVBOX_ANNOUNCED)
        peak = TVBOX_END.toordinal()
        return lo, hi, lambda d: 0.25 + 0.75 * math.exp(-abs(d.toordinal() - peak) / 25)
    if scen == "router_reboot":
        lo = FIRMWARE_DATE + dt.timedelta(days=1)
        return lo, hi, lambda d: 0.35 + 0.65 * min(1.0, (d - lo).days / 20)
    if scen == "paper_bill_fee" and qi == 3:
        return lo, dt.date(2026, 4, 21), None
    if scen == "paper_bill_thanks":
        return max(lo, PAPER_FEE_DROPPED), hi, None
    return lo, hi, None


class Planner:
    def __init__(self, customers: list[Customer], agents: list[Agent]) -> None:
        self.customers = customers
        self.agents = agents
        self.events: list[Event] = []
        # some customers get in touch far more than others
        self.activity = [min(4.0, math.exp(R.gauss(0, 0.6))) for _ in customers]

    def choose_customer(self, scen: str) -> Customer:
        sc = S[scen]
        req = sc.get("requires")
        pool, weights = [], []
        for c, a in zip(self.customers, self.activity, strict=True):
            if req and not any(p in c.products for p in req):
                continue
            if scen in ("support_fee", "callback_missed") and not any(p in c.products for p in BROADBAND):
                continue
            w = a
            if scen == "support_fee":
                w *= {"consumer": 1.0, "premium": 3.5, "business": 5.0}[c.segment]
            if scen in ("paper_bill_fee", "tvbox_eol") and c.elderly:
                w *= 3.0
            pool.append(c)
            weights.append(w)
        return wpick(pool, weights)

    def add(self, scen: str, local: dt.datetime, customer: Customer, **kw: Any) -> Event:
        ev = Event(key=len(self.events), scenario=scen, customer=customer, local=local, **kw)
        self.events.append(ev)
        return ev

    def follow(
        self,
        first: Event,
        scen: str,
        role: str = "followup",
        pattern: str | None = None,
        days: tuple[int, int] = (1, 6),
    ) -> Event | None:
        gap = dt.timedelta(days=R.randrange(days[0], days[1] + 1), hours=R.randrange(-6, 7))
        local = first.local + gap
        local = local.replace(hour=min(20, max(8, local.hour)))
        if local.date() > END or (local - first.local) > dt.timedelta(days=7) or local <= first.local:
            return None
        return self.add(
            scen, local, first.customer, pattern=pattern, role=role, prev=first, product=first.product
        )

    def plan(self) -> list[Event]:
        for scen, per_q in PLANTED_PER_Q.items():
            pattern = S[scen].get("pattern")
            for qi, n in enumerate(per_q):
                for _ in range(n):
                    lo, hi, w = window(scen, qi)
                    ev = self.add(scen, random_local(lo, hi, w), self.choose_customer(scen), pattern=pattern)
                    if scen == "support_fee" and chance(SUPPORT_FEE_REPEAT_RATE):
                        self.follow(ev, scen, pattern=pattern)
        # P4: promised call backs in one queue that never came, with follow-ups.
        for qi, n in enumerate(CALLBACK_MISSED_PER_Q):
            made = 0
            while made < n:
                under = wpick(["intermittent", "slow_speed", "outage", "billing_error"], [5, 3, 2, 1])
                _, lo, hi = QUARTERS[qi]
                first = self.add(
                    under,
                    random_local(lo, hi - dt.timedelta(days=3)),
                    self.choose_customer("callback_missed"),
                    role="promise",
                    pattern="P4_callback_missed",
                )
                first.queue = (
                    CALLBACK_QUEUE
                    if made < round(n * 0.8)
                    else pick(["Technical Support", "Billing", "Moves and Installs"])
                )
                fu = self.follow(first, "callback_missed", pattern="P4_callback_missed", days=(1, 5))
                if fu is None:
                    self.events.pop()
                    continue
                made += 1
        # Controls: promised call backs that did come.
        for qi, n in enumerate(CALLBACK_KEPT_PER_Q):
            for i in range(n):
                under = pick(["intermittent", "slow_speed", "billing_error"])
                _, lo, hi = QUARTERS[qi]
                first = self.add(
                    under,
                    random_local(lo, hi - dt.timedelta(days=3)),
                    self.choose_customer("callback_missed"),
                    role="promise",
                )
                first.queue = (
                    CALLBACK_QUEUE if i == 0 else pick(["Technical Support", "Billing", "Retentions"])
                )
                first.extra["kept"] = True
                local = first.local + dt.timedelta(hours=R.randrange(3, 22))
                local = local.replace(hour=min(19, max(9, local.hour)))
                if local <= first.local:
                    local = first.local + dt.timedelta(minutes=R.randrange(90, 240))
                kept = self.add(
                    under, local, first.customer, role="kept_promise", prev=first, product=first.product
                )
                kept.queue = first.queue
        # Background.
        for qi in range(len(QUARTERS)):
            _, lo, hi = QUARTERS[qi]
            bw = dict(BACKGROUND_WEIGHTS)
            if qi == 3:
                bw["price_rise"] = 30
            topics = list(bw)
            for _ in range(BACKGROUND_COMPLAINTS_PER_Q):
                scen = wpick(topics, [bw[t] for t in topics])
                w = (lambda d: 1.0 if d.month == 4 else 0.25) if scen == "price_rise" and qi == 3 else None
                ev = self.add(scen, random_local(lo, hi, w), self.choose_customer(scen))
                if scen in REPEATABLE and chance(REPEATABLE[scen]):
                    self.follow(ev, scen)
            topics = list(NEUTRAL_WEIGHTS)
            for _ in range(NEUTRAL_PER_Q):
                scen = wpick(topics, [NEUTRAL_WEIGHTS[t] for t in topics])
                self.add(scen, random_local(lo, hi), self.choose_customer(scen))
            for _ in range(COMPLIMENTS_PER_Q):
                self.add("compliment", random_local(lo, hi), self.choose_customer("compliment"))
        self.assign_formats()
        self.events.sort(key=lambda e: (e.utc, e.key))
        self.assign_people()
        return self.events

    def assign_formats(self) -> None:
        n = len(self.events)
        counts = dict(TRANSCRIPT_FORMATS)
        rest = n - sum(counts.values())
        counts["zendesk"] = round(rest * TICKET_SHARE["zendesk"])
        counts["salesforce"] = round(rest * TICKET_SHARE["salesforce"])
        counts["freshdesk"] = rest - counts["zendesk"] - counts["salesforce"]

        def take(allowed: Sequence[str], lean: float = 1.0) -> str:
            opts = [f for f in allowed if counts[f] > 0]
            f = wpick(opts, [counts[o] * (lean if o in TRANSCRIPT_FORMATS else 1.0) for o in opts])
            counts[f] -= 1
            return f

        in_pair = {e.key for e in self.events if e.prev is not None} | {
            e.prev.key for e in self.events if e.prev is not None
        }
        order = list(range(n))
        R.shuffle(order)
        for i in order:  # call-only roles first
            e = self.events[i]
            if e.role in ("promise", "kept_promise"):
                e.fmt = take(["plain_call", "cl_voice"])
        for i in order:  # then everything that has to carry a customer id
            e = self.events[i]
            if e.fmt is None and e.key in in_pair:
                e.fmt = take(ID_CAPABLE)
        for i in order:  # complaints lean towards calls and chats, as they do in real centres
            e = self.events[i]
            if e.fmt is None:
                e.fmt = take(list(counts), lean=2.5 if S[e.scenario]["complaint"] else 1.0)
        for e in self.events:
            e.channel = FORMAT_CHANNEL[e.fmt]

    def assign_people(self) -> None:
        by_queue: dict[str, list[Agent]] = {q: [a for a in self.agents if q in a.queues] for q in QUEUES}
        for e in self.events:
            sc = S[e.scenario]
            if e.queue is None:
                e.queue = sc["queue"]
                if e.channel == "chat" and e.queue == "Moves and Installs":
                    e.queue = "General Enquiries"
            if e.role == "kept_promise" and e.prev is not None and e.prev.agent is not None:
                e.agent = e.prev.agent
            else:
                e.agent = pick(by_queue.get(e.queue) or self.agents)
            if e.channel == "call" and not sc["complaint"] and chance(0.12):
                e.secondary = pick(
                    ["payment_date", "update_details", "contract_end", "data_usage", "upgrade"]
                )
            elif e.channel == "call" and sc["complaint"] and chance(0.08):
                e.secondary = pick(["payment_date", "contract_end", "update_details"])
            e.ctx = make_ctx(e)


# --------------------------------------------------------------------------
# rendering turns to text, with spans
# --------------------------------------------------------------------------


@dataclass
class RTurn:
    """A rendered turn: final text, tagged spans [tag, start, end) and timing."""

    role: str
    text: str
    spans: list[tuple[str, int, int]]
    begin_ms: int = 0
    end_ms: int = 0
    hold_ms: int = 0


def emoji(tag: str | None) -> str:
    return pick(EMOJI_NEG) if tag and tag.startswith("grv") else pick(EMOJI_POS)


def render(turns: list[Turn], mode: str) -> list[RTurn]:
    """mode: clean | asr | typed (customer turns typed, agent clean) | redacted."""
    out: list[RTurn] = []
    for t in turns:
        parts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        pos = 0
        for p in t.pieces:
            text = p.text
            is_pii = bool(p.tag and p.tag.startswith("pii"))
            if mode == "asr":
                text = asr(text, fillers=not is_pii)
            elif mode == "typed" and t.role == "customer":
                text = (
                    casual(text)
                    if is_pii
                    else typos(casual(text), 0.035) + (emoji(p.tag) if chance(0.08) else "")
                )
            elif mode == "redacted" and is_pii:
                text = "[PII]"
            text = text.strip()
            if not text:
                continue
            if parts:
                pos += 1
            start = pos
            parts.append(text)
            pos += len(text)
            if p.tag:
                spans.append((p.tag, start, pos))
        text = " ".join(parts)
        if text:
            out.append(RTurn(t.role, text, spans, hold_ms=int(t.hold_s * 1000)))
    return out


def timeline(rt: list[RTurn], *, chat: bool = False) -> int:
    """Give each turn begin/end offsets in ms; return the total duration."""
    t = R.randrange(150, 900)
    for i, turn in enumerate(rt):
        words = max(1, len(turn.text.split()))
        if chat:
            if i:
                t += (
                    R.randrange(4000, 70000) if turn.role in ("customer", "agent") else R.randrange(500, 3000)
                )
            turn.begin_ms = t
            turn.end_ms = t
        else:
            dur = int(words / R.uniform(2.2, 3.0) * 1000) + R.randrange(200, 700)
            turn.begin_ms = t
            turn.end_ms = t + dur
            t = turn.end_ms + R.randrange(150, 1400)
        t += turn.hold_ms
    return (rt[-1].end_ms if rt else 0) + R.randrange(500, 3000)


def hms(ms: int, style: str) -> str:
    s, milli = divmod(ms, 1000)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if style == "mm:ss":
        return f"{h * 60 + m:02d}:{sec:02d}"
    if style == "hh:mm:ss.ms":
        return f"{h:02d}:{m:02d}:{sec:02d}.{milli:03d}"
    return f"{h:02d}:{m:02d}:{sec:02d}"


def vtt_time(ms: int, hours: bool) -> str:
    s, milli = divmod(ms, 1000)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if hours or h:
        return f"{h:02d}:{m:02d}:{sec:02d}.{milli:03d}"
    return f"{m:02d}:{sec:02d}.{milli:03d}"


def wrap(text: str, width: int) -> list[str]:
    lines, cur = [], ""
    for w in text.split():
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def sentiment_of(turn: RTurn) -> str:
    grv = any(tag.startswith("grv") for tag, _, _ in turn.spans)
    low = turn.text.lower()
    pos = any(
        w in low for w in ("thank", "great", "perfect", "brilliant", "lovely", "appreciate", "fantastic")
    )
    if grv and pos:
        return "MIXED"
    if grv:
        return "NEGATIVE" if chance(0.85) else "MIXED"
    if pos:
        return "POSITIVE"
    return "NEUTRAL"


def vendor_issues(turn: RTurn, rate: float = 0.75) -> list[tuple[int, int]]:
    """What a vendor's issue detector would flag: most 'open'/'followup' statements, the odd false alarm."""
    out = []
    for tag, s, e in turn.spans:
        if (
            tag.startswith("grv")
            and tag.rsplit(":", 1)[-1] in ("open", "followup", "detail")
            and chance(rate)
        ):
            out.append((s, e))
        elif tag.startswith("ask") and chance(0.05):
            out.append((s, e))
    return out


CATEGORY_RULES = [
    ("billing-dispute", ("charge", "charged", "refund", "fee")),
    ("cancellation-risk", ("cancel", "other providers", "elsewhere", "shop around", "leaving")),
    ("callback-promised", ("call you back", "call back", "callback", "ring you back", "phone you back")),
    ("escalation-request", ("manager", "supervisor", "someone senior", "formal complaint")),
    ("payment-card", ("card number", "long number on the card")),
    ("compliment", ("brilliant", "pass on my thanks", "fantastic")),
]


def categories(rt: list[RTurn]) -> dict[str, list[RTurn]]:
    found: dict[str, list[RTurn]] = {}
    for name, words in CATEGORY_RULES:
        for t in rt:
            low = t.text.lower()
            if any(w in low for w in words):
                found.setdefault(name, []).append(t)
    return found


def loudness(turn: RTurn) -> list[float]:
    n = max(1, min(8, (turn.end_ms - turn.begin_ms) // 2500 + 1))
    base = (
        72
        if turn.role == "agent"
        else 76 + (6 if turn.spans and any(t.startswith("grv") for t, _, _ in turn.spans) else 0)
    )
    return [round(base + R.uniform(-9, 9), 2) for _ in range(n)]


def overall_score(rt: list[RTurn], role: str) -> float:
    vals = {"POSITIVE": 2.5, "NEGATIVE": -3.0, "MIXED": -0.5, "NEUTRAL": 0.3}
    ss = [vals[sentiment_of(t)] for t in rt if t.role == role] or [0.0]
    return round(max(-5.0, min(5.0, sum(ss) / len(ss) * 1.6 + R.uniform(-0.4, 0.4))), 1)


# --------------------------------------------------------------------------
# writers, one per format
# --------------------------------------------------------------------------


class Writer:
    def __init__(self, root: Path, agents: list[Agent]) -> None:
        self.root = root
        self.agents = agents
        self.ctr: list[dict[str, Any]] = []
        self.zendesk: list[tuple[Event, Ticket]] = []
        self.salesforce: list[tuple[Event, Ticket]] = []
        self.freshdesk: list[tuple[Event, Ticket]] = []
        self.utterances: dict[str, list[dict[str, Any]]] = {}
        self.counters: dict[str, int] = {}
        self.sizes: dict[str, int] = {}

    def next_id(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def write(self, rel: str, text: str, newline: str = "\n") -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline=newline) as fh:
            fh.write(text)

    def dump_json(self, rel: str, obj: Any, indent: int | None = None) -> None:
        self.write(rel, json.dumps(obj, ensure_ascii=False, indent=indent) + "\n")

    # -- dispatch ----------------------------------------------------------
    def emit(self, ev: Event) -> None:
        getattr(self, "w_" + ev.fmt)(ev)  # type: ignore[operator]

    # -- plain text ----------------------------------------------------------
    def _plain(
        self,
        ev: Event,
        rt: list[RTurn],
        header: dict[str, str],
        labels: dict[str, str],
        time_style: str,
        header_style: str,
        wrap_width: int | None,
    ) -> str:
        lines = []
        for k, v in header.items():
            lines.append(f"# {k}: {v}" if header_style == "#" else f"{k}: {v}")
        lines.append("")
        for t in rt:
            label = labels[t.role]
            stamp = "" if time_style == "none" else f"[{hms(t.begin_ms, time_style)}] "
            if wrap_width and len(t.text) > wrap_width:
                chunks = wrap(t.text, wrap_width)
                lines.append(f"{stamp}{label}: {chunks[0]}")
                lines += [("    " if chance(0.5) else "") + c for c in chunks[1:]]
            else:
                lines.append(f"{stamp}{label}: {t.text}")
        return "\n".join(lines) + "\n"

    def w_plain_call(self, ev: Event) -> None:
        ev.iid = f"call-{self.next_id('call'):05d}"
        target = max(10, min(60, int(R.triangular(10, 60, 24))))
        turns = build_call(ev, ivr=chance(0.45), target=target)
        is_asr = chance(0.4)
        rt = render(turns, "asr" if is_asr else "clean")
        timeline(rt)
        style = wpick(["std", "caps", "rep", "speaker", "name"], [40, 15, 15, 20 if not is_asr else 45, 10])
        agent_name = ev.agent.first if ev.agent else "Agent"
        if style == "speaker":
            first = next(t.role for t in rt if t.role in ("agent", "customer"))
            other = "customer" if first == "agent" else "agent"
            labels = {
                first: "Speaker 1",
                other: "Speaker 2",
                "ivr": "Speaker 0",
                "bot": "Bot",
                "system": "System",
            }
        else:
            labels = {
                "std": {"agent": "Agent", "customer": "Customer"},
                "caps": {"agent": "AGENT", "customer": "CUSTOMER"},
                "rep": {"agent": "Rep", "customer": "Caller"},
                "name": {"agent": agent_name, "customer": "Customer"},
            }[style] | {"ivr": "IVR", "bot": "Bot", "system": "System"}
        dur_ms = rt[-1].end_ms
        time_style = wpick(
            ["hh:mm:ss", "mm:ss", "hh:mm:ss.ms", "none"], [55, 15 if dur_ms < 3_600_000 else 0, 15, 15]
        )
        header = {
            "call_id": ev.iid,
            "customer_id": ev.customer.id,
            "agent_id": ev.agent.id if ev.agent else "",
            "started_at": iso_offset(ev.local),
            "queue": ev.queue or "",
        }
        if ev.role == "kept_promise":
            header["direction"] = "outbound"
        elif chance(0.5):
            header["direction"] = "inbound"
        if chance(0.3):
            header["recorder"] = pick(["VoxLog 4.2", "CallArchive Pro", "asr-batch v2"])
        text = self._plain(
            ev, rt, header, labels, time_style, "#" if chance(0.85) else "", 78 if chance(0.2) else None
        )
        ev.path = f"calls/plain_text/{ev.local:%Y-%m}/{ev.iid}.txt"
        ev.extra["asr"] = is_asr
        self.write(ev.path, text)

    def w_plain_chat(self, ev: Event) -> None:
        ev.iid = f"chat-{self.next_id('chat'):05d}"
        turns = build_chat(ev, target=max(8, min(40, int(R.triangular(8, 40, 16)))))
        rt = render(turns, "typed")
        timeline(rt, chat=True)
        labels = wpick(
            [
                {"agent": "Agent", "customer": "Customer", "bot": "Bot", "system": "System"},
                {"agent": "Agent", "customer": "Visitor", "bot": "Bot", "system": "System"},
                {"agent": "AGENT", "customer": "CUSTOMER", "bot": "BOT", "system": "SYSTEM"},
            ],
            [6, 3, 1],
        )
        header = {
            "chat_id": ev.iid,
            "channel": "chat",
            "customer_id": ev.customer.id,
            "agent_id": ev.agent.id if ev.agent else "",
            "started_at": iso_offset(ev.local),
            "queue": ev.queue or "",
        }
        text = self._plain(ev, rt, header, labels, wpick(["hh:mm:ss", "none"], [8, 2]), "#", None)
        ev.path = f"chats/plain_text/{ev.local:%Y-%m}/{ev.iid}.txt"
        self.write(ev.path, text)

    # -- WebVTT ------------------------------------------------------------
    def w_webvtt(self, ev: Event) -> None:
        ev.iid = f"call-{self.next_id('call'):05d}"
        turns = build_call(ev, ivr=chance(0.3), target=max(10, min(60, int(R.triangular(10, 60, 22)))))
        is_asr = chance(0.45)
        rt = render(turns, "asr" if is_asr else "clean")
        total = timeline(rt)
        style = wpick(["roles", "names", "prefix"], [40, 35, 25])
        agent = ev.agent
        names = {
            "roles": {"agent": "Agent", "customer": "Customer", "ivr": "IVR"},
            "names": {
                "agent": f"{agent.first} {agent.last}" if agent else "Agent",
                "customer": ev.customer.name,
                "ivr": "IVR",
            },
            "prefix": {
                "agent": agent.first if agent else "Agent",
                "customer": pick(["Caller", "Customer", ev.customer.first]),
                "ivr": "System",
            },
        }[style]
        hours = total >= 3_600_000 or chance(0.7)
        close_v = chance(0.5)
        numbered = chance(0.7)
        settings = " align:start position:10%" if chance(0.2) else ""
        out = ["WEBVTT" + (f" - {BRAND} call recording" if chance(0.5) else ""), ""]
        if chance(0.1):
            out += ["STYLE", "::cue { color: yellow; background: rgba(0,0,0,0.6) }", ""]
        out += [
            "NOTE",
            f"call_id: {ev.iid}",
            f"customer_id: {ev.customer.id}",
            f"agent_id: {agent.id if agent else ''}",
            f"started_at: {iso_offset(ev.local)}",
            f"queue: {ev.queue}",
            "",
        ]
        n = 0
        for t in rt:
            words = t.text.split()
            chunks = [" ".join(words[i : i + 14]) for i in range(0, len(words), 14)]
            span = max(1, t.end_ms - t.begin_ms)
            for ci, chunk in enumerate(chunks):
                n += 1
                b = t.begin_ms + span * ci // len(chunks)
                e = t.begin_ms + span * (ci + 1) // len(chunks)
                if numbered:
                    out.append(str(n))
                out.append(f"{vtt_time(b, hours)} --> {vtt_time(e, hours)}{settings}")
                who = names.get(t.role, "Speaker")
                if style == "prefix":
                    out.append(f"{who}: {chunk}")
                else:
                    out.append(f"<v {who}>{chunk}" + ("</v>" if close_v else ""))
                out.append("")
        ev.path = f"calls/webvtt/{ev.iid}.vtt"
        ev.extra["asr"] = is_asr
        self.write(ev.path, "\n".join(out))

    # -- Amazon Connect Contact Lens --------------------------------------------
    def _ctr(
        self, ev: Event, contact_id: str, total_ms: int, hold_ms: int, n_holds: int, rt_chat: bool
    ) -> None:
        start = ev.utc
        enq = start + dt.timedelta(seconds=R.randrange(5, 40))
        queue_s = R.randrange(15, 600)
        deq = enq + dt.timedelta(seconds=queue_s)
        end = deq + dt.timedelta(milliseconds=total_ms)
        initial, previous = contact_id, None
        method = "INBOUND"
        if ev.role == "kept_promise":
            method = "OUTBOUND"
        if not rt_chat and ev.role != "kept_promise" and chance(0.12):
            # This leg was a transfer from a short first leg in General Enquiries.
            first_id = uuid4()
            f_start = start - dt.timedelta(minutes=R.randrange(3, 9))
            self.ctr.append(
                self._ctr_record(
                    ev,
                    first_id,
                    first_id,
                    None,
                    "INBOUND",
                    f_start,
                    f_start + dt.timedelta(minutes=2),
                    "General Enquiries",
                    40,
                    pick(self.agents),
                    0,
                    0,
                    next_id=contact_id,
                    chat=False,
                )
            )
            initial, previous, method = first_id, first_id, "TRANSFER"
        self.ctr.append(
            self._ctr_record(
                ev,
                contact_id,
                initial,
                previous,
                method,
                start,
                end,
                ev.queue or "",
                queue_s,
                ev.agent,
                hold_ms,
                n_holds,
                chat=rt_chat,
            )
        )

    def _ctr_record(
        self,
        ev: Event,
        cid: str,
        initial: str,
        previous: str | None,
        method: str,
        start: dt.datetime,
        end: dt.datetime,
        queue: str,
        queue_s: int,
        agent: Agent | None,
        hold_ms: int,
        n_holds: int,
        next_id: str | None = None,
        chat: bool = False,
    ) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "AWSAccountId": AWS_ACCOUNT,
            "AWSContactTraceRecordFormatVersion": "2017-03-10",
            "Agent": None,
            "AgentConnectionAttempts": 1 if agent else 0,
            "Attributes": {
                "customer_id": ev.customer.id,
                "segment": ev.customer.segment,
                "intent": S[ev.scenario]["reason"],
            },
            "Channel": "CHAT" if chat else "VOICE",
            "ContactId": cid,
            "CustomerEndpoint": None
            if chat
            else {"Address": "+1" + ev.customer.phone.replace("-", ""), "Type": "TELEPHONE_NUMBER"},
            "DisconnectReason": pick(["CUSTOMER_DISCONNECT", "AGENT_DISCONNECT"])
            if agent
            else "CUSTOMER_DISCONNECT",
            "DisconnectTimestamp": zulu(end),
            "InitialContactId": initial,
            "InitiationMethod": "API" if chat else method,
            "InitiationTimestamp": zulu(start),
            "InstanceARN": f"arn:aws:connect:us-east-1:{AWS_ACCOUNT}:instance/{CONNECT_INSTANCE}",
            "LastUpdateTimestamp": zulu(end + dt.timedelta(seconds=R.randrange(30, 400))),
            "MediaStreams": [{"Type": "CHAT" if chat else "AUDIO"}],
            "NextContactId": next_id,
            "PreviousContactId": previous,
            "Queue": {
                "ARN": f"arn:aws:connect:us-east-1:{AWS_ACCOUNT}:instance/{CONNECT_INSTANCE}/queue/"
                + hashlib.sha1(queue.encode()).hexdigest()[:8],
                "Duration": queue_s,
                "EnqueueTimestamp": zulu(start + dt.timedelta(seconds=8)),
                "DequeueTimestamp": zulu(start + dt.timedelta(seconds=8 + queue_s)),
                "Name": queue,
            },
            "Recording": None
            if chat
            else {
                "Location": f"larkspur-connect/CallRecordings/{start:%Y/%m/%d}/{cid}_{start:%Y%m%dT%H:%M}_UTC.wav",
                "Status": "AVAILABLE",
                "Type": "AUDIO",
            },
            "SystemEndpoint": None if chat else {"Address": "+18005550199", "Type": "TELEPHONE_NUMBER"},
        }
        if agent is not None:
            talk = int((end - start).total_seconds()) - queue_s
            rec["Agent"] = {
                "ARN": f"arn:aws:connect:us-east-1:{AWS_ACCOUNT}:instance/{CONNECT_INSTANCE}/agent/{hashlib.sha1(agent.id.encode()).hexdigest()[:12]}",
                "AfterContactWorkDuration": R.randrange(10, 180),
                "AgentInteractionDuration": max(1, talk - hold_ms // 1000),
                "ConnectedToAgentTimestamp": zulu(start + dt.timedelta(seconds=8 + queue_s)),
                "CustomerHoldDuration": hold_ms // 1000,
                "LongestHoldDuration": hold_ms // 1000 if n_holds <= 1 else hold_ms // 1000 // n_holds + 5,
                "NumberOfHolds": n_holds,
                "RoutingProfile": {"Name": f"{queue or 'General'} Profile"},
                "Username": agent.connect_user,
            }
        return rec

    def _analysis_path(self, ev: Event, cid: str, kind: str, redacted: bool) -> str:
        t = ev.utc + dt.timedelta(minutes=R.randrange(20, 50))
        sub = "Redacted/" if redacted else ""
        tail = "_analysis_redacted_" if redacted else "_analysis_"
        base = "calls" if kind == "Voice" else "chats"
        return f"{base}/Analysis/{kind}/{sub}{ev.utc:%Y/%m/%d}/{cid}{tail}{t:%Y%m%dT%H%M%SZ}.json"

    def w_cl_voice(self, ev: Event) -> None:
        cid = uuid4()
        ev.iid = cid
        turns = build_call(ev, ivr=False, target=max(10, min(60, int(R.triangular(10, 60, 26)))))
        redacted = chance(0.12)
        rt = render(turns, "redacted" if redacted else "clean")
        rt = [t for t in rt if t.role in ("agent", "customer")]
        total = timeline(rt)
        version = "VOICE-2022-11-30" if chance(0.75) else "1.1.0"
        transcript = []
        for t in rt:
            item: dict[str, Any] = {
                "BeginOffsetMillis": t.begin_ms,
                "Content": t.text,
                "EndOffsetMillis": t.end_ms,
                "Id": uuid4(),
                "ParticipantId": t.role.upper(),
                "Sentiment": sentiment_of(t),
                "LoudnessScore": loudness(t),
            }
            iss = vendor_issues(t) if t.role == "customer" else []
            if iss:
                item["IssuesDetected"] = [
                    {"CharacterOffsets": {"BeginOffsetChar": s, "EndOffsetChar": e}, "Text": t.text[s:e]}
                    for s, e in iss
                ]
            if redacted and "[PII]" in t.text:
                span = t.end_ms - t.begin_ms
                stamps = [
                    {
                        "BeginOffsetMillis": t.begin_ms + span // 3,
                        "EndOffsetMillis": t.begin_ms + 2 * span // 3,
                    }
                ]
                item["Redaction"] = {"RedactedTimestamps": stamps}
            transcript.append(item)
        hold_total = sum(t.hold_ms for t in rt)
        n_holds = sum(1 for t in rt if t.hold_ms)
        cats = categories(rt)
        non_talk = [
            {
                "BeginOffsetMillis": t.end_ms,
                "EndOffsetMillis": t.end_ms + t.hold_ms,
                "DurationMillis": t.hold_ms,
            }
            for t in rt
            if t.hold_ms
        ]
        q = total // 4
        doc = {
            "Version": version,
            "AccountId": AWS_ACCOUNT,
            "Channel": "VOICE",
            "ContentMetadata": {
                "Output": "Redacted" if redacted else "Raw",
                **({"RedactionTypes": ["PII"]} if redacted else {}),
            },
            "JobStatus": "COMPLETED",
            "JobDetails": {
                "SkippedAnalysis": []
                if chance(0.9)
                else [{"Feature": "CONTACT_SUMMARY", "ReasonCode": "INSUFFICIENT_CONVERSATION_CONTENT"}]
            },
            "LanguageCode": "en-US",
            "Participants": [
                {"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"},
                {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"},
            ],
            "Categories": {
                "MatchedCategories": list(cats),
                "MatchedDetails": {
                    k: {
                        "PointsOfInterest": [
                            {"BeginOffsetMillis": t.begin_ms, "EndOffsetMillis": t.end_ms} for t in v[:3]
                        ]
                    }
                    for k, v in cats.items()
                },
            },
            "ConversationCharacteristics": {
                "TotalConversationDurationMillis": total,
                "Sentiment": {
                    "OverallSentiment": {
                        "AGENT": overall_score(rt, "agent"),
                        "CUSTOMER": overall_score(rt, "customer"),
                    },
                    "SentimentByPeriod": {
                        "QUARTER": {
                            role: [
                                {
                                    "BeginOffsetMillis": i * q,
                                    "EndOffsetMillis": (i + 1) * q,
                                    "Score": overall_score(
                                        [t for t in rt if i * q <= t.begin_ms < (i + 1) * q] or rt,
                                        role.lower(),
                                    ),
                                }
                                for i in range(4)
                            ]
                            for role in ("AGENT", "CUSTOMER")
                        }
                    },
                },
                "Interruptions": {"InterruptionsByInterrupter": {}, "TotalCount": 0, "TotalTimeMillis": 0},
                "NonTalkTime": {
                    "TotalTimeMillis": sum(x["DurationMillis"] for x in non_talk),
                    "Instances": non_talk,
                },
                "TalkSpeed": {
                    "DetailsByParticipant": {
                        r.upper(): {"AverageWordsPerMinute": R.randrange(120, 190)}
                        for r in ("agent", "customer")
                    }
                },
                "TalkTime": {
                    "TotalTimeMillis": sum(t.end_ms - t.begin_ms for t in rt),
                    "DetailsByParticipant": {
                        r.upper(): {"TotalTimeMillis": sum(t.end_ms - t.begin_ms for t in rt if t.role == r)}
                        for r in ("agent", "customer")
                    },
                },
            },
            "CustomerMetadata": {
                "ContactId": cid,
                "InstanceId": CONNECT_INSTANCE,
                "InputS3Uri": f"s3://larkspur-connect/CallRecordings/{ev.utc:%Y/%m/%d}/{cid}_{ev.utc:%Y%m%dT%H:%M}_UTC.wav",
            },
            "Transcript": transcript,
        }
        ev.path = self._analysis_path(ev, cid, "Voice", redacted)
        ev.extra.update(
            redacted=redacted,
            version=version,
            issues=sum(len(x.get("IssuesDetected", [])) for x in transcript),
        )
        self.dump_json(ev.path, doc)
        self._ctr(ev, cid, total, hold_total, n_holds, rt_chat=False)

    def w_cl_chat(self, ev: Event) -> None:
        cid = uuid4()
        ev.iid = cid
        turns = build_chat(ev, target=max(8, min(40, int(R.triangular(8, 40, 16)))))
        rt = render(turns, "typed")
        total = timeline(rt, chat=True)
        pid = {"customer": uuid4(), "agent": uuid4(), "bot": uuid4(), "system": uuid4()}
        transcript = []
        for t in rt:
            item: dict[str, Any] = {
                "AbsoluteTime": zulu(ev.utc + dt.timedelta(milliseconds=t.begin_ms), ms=True),
                "BeginOffsetMillis": t.begin_ms,
                "EndOffsetMillis": t.end_ms,
                "Content": t.text,
                "ContentType": "text/plain",
                "Id": uuid4(),
                "ParticipantId": pid[t.role],
                "Type": "MESSAGE",
            }
            if t.role in ("customer", "agent"):
                item["Sentiment"] = sentiment_of(t)
                iss = vendor_issues(t) if t.role == "customer" else []
                if iss:
                    item["IssuesDetected"] = [
                        {"CharacterOffsets": {"BeginOffsetChar": s, "EndOffsetChar": e}, "Text": t.text[s:e]}
                        for s, e in iss
                    ]
            transcript.append(item)
        cats = categories(rt)
        by_id = {id(t): i for i, t in enumerate(rt)}
        doc = {
            "Version": "1.1.0",
            "AccountId": AWS_ACCOUNT,
            "Channel": "CHAT",
            "ContentMetadata": {"Output": "Raw"},
            "JobStatus": "COMPLETED",
            "JobDetails": {"SkippedAnalysis": []},
            "LanguageCode": "en-US",
            "Participants": [
                {"ParticipantId": pid["customer"], "ParticipantRole": "CUSTOMER", "DisplayName": "Customer"},
                {
                    "ParticipantId": pid["agent"],
                    "ParticipantRole": "AGENT",
                    "DisplayName": ev.agent.first if ev.agent else "Agent",
                },
                {"ParticipantId": pid["bot"], "ParticipantRole": "SYSTEM", "DisplayName": "Lark (bot)"},
                {
                    "ParticipantId": pid["system"],
                    "ParticipantRole": "SYSTEM",
                    "DisplayName": "SYSTEM_MESSAGE",
                },
            ],
            "Categories": {
                "MatchedCategories": list(cats),
                "MatchedDetails": {
                    k: {
                        "PointsOfInterest": [
                            {
                                "TranscriptItems": [
                                    {
                                        "Id": transcript[by_id[id(t)]]["Id"],
                                        "CharacterOffsets": {
                                            "BeginOffsetChar": 0,
                                            "EndOffsetChar": len(t.text),
                                        },
                                    }
                                ]
                            }
                            for t in v[:3]
                        ]
                    }
                    for k, v in cats.items()
                },
            },
            "ConversationCharacteristics": {
                "TotalConversationDurationMillis": total,
                "Sentiment": {
                    "OverallSentiment": {
                        "AGENT": overall_score(rt, "agent"),
                        "CUSTOMER": overall_score(rt, "customer"),
                    }
                },
            },
            "CustomerMetadata": {"ContactId": cid, "InstanceId": CONNECT_INSTANCE},
            "Transcript": transcript,
        }
        ev.path = self._analysis_path(ev, cid, "Chat", False)
        ev.extra["issues"] = sum(len(x.get("IssuesDetected", [])) for x in transcript)
        self.dump_json(ev.path, doc)
        self._ctr(ev, cid, total, 0, 0, rt_chat=True)

    # -- Transcribe Call Analytics --------------------------------------------
    def w_call_analytics(self, ev: Event) -> None:
        ev.iid = f"call-{self.next_id('call'):05d}"
        turns = build_call(ev, ivr=False, target=max(10, min(60, int(R.triangular(10, 50, 20)))))
        rt = [t for t in render(turns, "clean") if t.role in ("agent", "customer")]
        total = timeline(rt)
        transcript = []
        for t in rt:
            items = []
            words = re.findall(r"[^\s]+", t.text)
            span = max(1, t.end_ms - t.begin_ms)
            for i, w in enumerate(words):
                m = re.match(r"^(.*?)([.,?!]*)$", w)
                assert m
                core, punct = m.group(1) or w, m.group(2) if m.group(1) else ""
                b = t.begin_ms + span * i // len(words)
                items.append(
                    {
                        "BeginOffsetMillis": b,
                        "EndOffsetMillis": t.begin_ms + span * (i + 1) // len(words),
                        "Confidence": round(R.uniform(0.82, 1.0), 3),
                        "Content": core,
                        "Type": "pronunciation",
                    }
                )
                if punct:
                    items.append({"Confidence": 0.0, "Content": punct[0], "Type": "punctuation"})
            entry: dict[str, Any] = {
                "LoudnessScores": loudness(t),
                "Content": t.text,
                "Items": items,
                "Id": uuid4(),
                "BeginOffsetMillis": t.begin_ms,
                "EndOffsetMillis": t.end_ms,
                "Sentiment": sentiment_of(t),
                "ParticipantRole": t.role.upper(),
            }
            iss = vendor_issues(t) if t.role == "customer" else []
            if iss:
                entry["IssuesDetected"] = [{"CharacterOffsets": {"Begin": s, "End": e}} for s, e in iss]
            acts = [(s, e) for tag, s, e in t.spans if tag == "promise"]
            if acts:
                entry["ActionItemsDetected"] = [{"CharacterOffsets": {"Begin": s, "End": e}} for s, e in acts]
            transcript.append(entry)
        cats = categories(rt)
        skipped = (
            []
            if chance(0.85)
            else [
                {
                    "Feature": "GENERATIVE_SUMMARIZATION",
                    "ReasonCode": "INSUFFICIENT_CONVERSATION_CONTENT",
                    "Message": "The conversation is too short to summarize.",
                }
            ]
        )
        doc: dict[str, Any] = {
            "JobName": ev.iid,
            "AccountId": AWS_ACCOUNT,
            "JobStatus": "COMPLETED",
            "LanguageCode": "en-US",
            "Channel": "VOICE",
            "AnalyticsJobDetails": {"Skipped": skipped},
            "Transcript": transcript,
            "Categories": {
                "MatchedCategories": list(cats),
                "MatchedDetails": {
                    k: {
                        "PointsOfInterest": [
                            {"BeginOffsetMillis": t.begin_ms, "EndOffsetMillis": t.end_ms} for t in v[:3]
                        ]
                    }
                    for k, v in cats.items()
                },
            },
            "ConversationCharacteristics": {
                "TotalConversationDurationMillis": total,
                "NonTalkTime": {
                    "Instances": [
                        {
                            "BeginOffsetMillis": t.end_ms,
                            "EndOffsetMillis": t.end_ms + t.hold_ms,
                            "DurationMillis": t.hold_ms,
                        }
                        for t in rt
                        if t.hold_ms
                    ],
                    "TotalTimeMillis": sum(t.hold_ms for t in rt),
                },
                "Interruptions": {"TotalCount": 0, "TotalTimeMillis": 0, "InterruptionsByInterrupter": {}},
                "Sentiment": {
                    "OverallSentiment": {
                        "AGENT": overall_score(rt, "agent"),
                        "CUSTOMER": overall_score(rt, "customer"),
                    },
                    "SentimentByPeriod": {"QUARTER": {}},
                },
                "TalkSpeed": {
                    "DetailsByParticipant": {
                        r: {"AverageWordsPerMinute": R.randrange(120, 190)} for r in ("AGENT", "CUSTOMER")
                    }
                },
                "TalkTime": {
                    "TotalTimeMillis": sum(t.end_ms - t.begin_ms for t in rt),
                    "DetailsByParticipant": {
                        r.upper(): {"TotalTimeMillis": sum(t.end_ms - t.begin_ms for t in rt if t.role == r)}
                        for r in ("agent", "customer")
                    },
                },
            },
        }
        if not skipped:
            sc = S[ev.scenario]
            outcome = pick(
                [
                    "The agent explained the policy and offered a credit.",
                    "The agent resolved the request.",
                    "The agent escalated the case.",
                    "The agent apologised and logged the feedback.",
                ]
            )
            doc["ContactSummary"] = {
                "AutoGenerated": {"OverallSummary": {"Content": f"{sc['summary']}. {outcome}"}}
            }
        ev.path = f"calls/call_analytics/{ev.iid}.json"
        ev.extra["issues"] = sum(len(x.get("IssuesDetected", [])) for x in transcript)
        self.dump_json(ev.path, doc)

    # -- utterance JSONL ------------------------------------------------------
    def w_utterances(self, ev: Event) -> None:
        ev.iid = f"chat-{self.next_id('chat'):05d}"
        turns = build_chat(ev, target=max(8, min(40, int(R.triangular(8, 40, 14)))))
        rt = render(turns, "typed")
        timeline(rt, chat=True)
        rel = f"chats/utterances/chats_{ev.local:%Y-%m}.jsonl"
        rows = self.utterances.setdefault(rel, [])
        prev = None
        t0 = epoch(ev.utc)
        for i, t in enumerate(rt):
            speaker = {
                "customer": ev.customer.id,
                "agent": ev.agent.id if ev.agent else "agent",
                "bot": "larkbot",
                "system": "system",
            }[t.role]
            uid = f"{ev.iid}-{i:03d}"
            rows.append(
                {
                    "id": uid,
                    "speaker": speaker,
                    "conversation_id": ev.iid,
                    "reply_to": prev,
                    "timestamp": t0 + t.begin_ms // 1000,
                    "text": t.text,
                    "meta": {
                        "role": t.role,
                        "customer_id": ev.customer.id,
                        "agent_id": ev.agent.id if ev.agent else None,
                        "queue": ev.queue,
                        "channel": "chat",
                    },
                }
            )
            prev = uid
        ev.path = rel

    def flush_utterances(self) -> None:
        for rel in sorted(self.utterances):
            self.write(rel, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.utterances[rel]))

    # -- tickets ----------------------------------------------------------------
    def w_zendesk(self, ev: Event) -> None:
        ev.iid = str(48000 + self.next_id("zendesk"))
        tk = build_ticket(ev, self.agents)
        ev.extra["via"] = tk.via
        self.zendesk.append((ev, tk))

    def w_salesforce(self, ev: Event) -> None:
        n = self.next_id("salesforce")
        ev.iid = sf_id("500", n)
        ev.extra["case_number"] = f"{31000 + n:08d}"
        ev.path = "tickets/salesforce/cases.csv"
        tk = build_ticket(ev, self.agents)
        ev.extra["via"] = tk.via
        self.salesforce.append((ev, tk))

    def w_freshdesk(self, ev: Event) -> None:
        ev.iid = str(7000 + self.next_id("freshdesk"))
        ev.path = "tickets/freshdesk/tickets.json"
        tk = build_ticket(ev, self.agents)
        ev.extra["via"] = tk.via
        self.freshdesk.append((ev, tk))

    def flush_zendesk(self) -> None:
        page_size = 100
        items = self.zendesk
        n_pages = (len(items) + page_size - 1) // page_size
        fields = {"product": 360011101, "contact_reason": 360011102, "crm_customer_id": 360011103}
        for pi in range(n_pages):
            page = items[pi * page_size : (pi + 1) * page_size]
            tickets, users, seen = [], [], []
            for ev, tk in page:
                c = ev.customer
                agent = ev.agent or self.agents[0]
                comments = []
                for ci, cm in enumerate(tk.comments):
                    author = c.num if cm.role == "customer" else agent.zd_id
                    body_html = "".join(
                        f"<p>{html.escape(par).replace(chr(10), '<br>')}</p>" for par in cm.body.split("\n\n")
                    )
                    comments.append(
                        {
                            "id": int(ev.iid) * 100 + ci,
                            "type": "Comment",
                            "author_id": author,
                            "body": cm.body,
                            "html_body": f'<div class="zd-comment" dir="auto">{body_html}</div>',
                            "public": cm.public,
                            "attachments": [],
                            "created_at": zulu(cm.at),
                            "via": {
                                "channel": tk.via
                                if ci == 0
                                else ("email" if cm.role == "customer" else "web")
                            },
                        }
                    )
                tid = int(ev.iid)
                sat: dict[str, Any] = {"score": "unoffered"}
                if tk.satisfaction:
                    sat = {"id": tid * 7 + 3, "score": tk.satisfaction[0]}
                    if tk.satisfaction[1]:
                        sat["comment"] = tk.satisfaction[1]
                sc = S[ev.scenario]
                tags = [sc["reason"], c.segment]
                if ev.product and chance(0.6):
                    tags.append(ev.product)
                if ev.role == "followup" and chance(0.5):
                    tags.append("repeat_contact")
                if tk.via == "voice":
                    tags.append("phone_ticket")
                tickets.append(
                    {
                        "url": f"{ZENDESK_BASE}/tickets/{tid}.json",
                        "id": tid,
                        "external_id": None,
                        "via": {"channel": tk.via, "source": {"from": {}, "to": {}, "rel": None}},
                        "created_at": zulu(ev.utc),
                        "updated_at": zulu(tk.updated),
                        "type": tk.type,
                        "subject": tk.subject,
                        "raw_subject": tk.subject,
                        "description": tk.comments[0].body,
                        "priority": tk.priority,
                        "status": tk.status,
                        "recipient": SUPPORT_EMAIL if tk.via == "email" else None,
                        "requester_id": c.num,
                        "submitter_id": c.num if tk.via != "voice" else agent.zd_id,
                        "assignee_id": agent.zd_id,
                        "organization_id": 3600000 + c.num % 100000 if c.segment == "business" else None,
                        "group_id": ZD_GROUPS.get(sc["reason"], ZD_GROUPS["general"])
                        if ev.role != "followup"
                        else ZD_GROUPS["escalations"],
                        "collaborator_ids": [],
                        "follower_ids": [],
                        "email_cc_ids": [],
                        "problem_id": None,
                        "has_incidents": False,
                        "is_public": True,
                        "due_at": None,
                        "tags": tags,
                        "custom_fields": [
                            {"id": fields["product"], "value": ev.product if chance(0.7) else None},
                            {"id": fields["contact_reason"], "value": sc["reason"]},
                            {"id": fields["crm_customer_id"], "value": c.id},
                        ],
                        "satisfaction_rating": sat,
                        "brand_id": 360000101,
                        "allow_channelback": False,
                        "comments": comments,
                    }
                )
                for uid, user in (
                    (
                        c.num,
                        {
                            "id": c.num,
                            "name": c.name,
                            "email": c.email,
                            "phone": "+1 " + c.phone,
                            "role": "end-user",
                            "external_id": c.id,
                            "organization_id": 3600000 + c.num % 100000 if c.segment == "business" else None,
                        },
                    ),
                    (
                        agent.zd_id,
                        {
                            "id": agent.zd_id,
                            "name": f"{agent.first} {agent.last}",
                            "email": f"{agent.first.lower()}.{agent.last.lower().replace(' ', '')}@larkspur.example",
                            "role": "agent",
                            "external_id": agent.id,
                        },
                    ),
                ):
                    if uid not in seen:
                        seen.append(uid)
                        users.append(user)
                ev.path = f"tickets/zendesk/tickets_page_{pi + 1:03d}.json"
            doc = {
                "tickets": tickets,
                "users": users,
                "next_page": f"{ZENDESK_BASE}/tickets.json?include=users,comments&page={pi + 2}"
                if pi + 1 < n_pages
                else None,
                "previous_page": f"{ZENDESK_BASE}/tickets.json?include=users,comments&page={pi}"
                if pi
                else None,
                "count": len(items),
            }
            self.dump_json(f"tickets/zendesk/tickets_page_{pi + 1:03d}.json", doc, indent=1)

    def flush_salesforce(self) -> None:
        cols = [
            "Id",
            "CaseNumber",
            "Subject",
            "Description",
            "Status",
            "Priority",
            "Origin",
            "Reason",
            "Type",
            "IsClosed",
            "ClosedDate",
            "CreatedDate",
            "IsEscalated",
            "AccountId",
            "ContactId",
            "AssetId",
            "ParentId",
            "SuppliedEmail",
            "ContactEmail",
            "ContactPhone",
            "Product__c",
            "Customer_ID__c",
        ]
        buf = io.StringIO()
        w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(cols)
        by_key = {ev.key: ev for ev, _ in self.salesforce}
        accounts: dict[str, str] = {}
        contacts: dict[str, str] = {}
        for ev, tk in self.salesforce:
            c = ev.customer
            if c.id not in accounts:
                accounts[c.id] = sf_id("001", c.num % 10000)
                contacts[c.id] = sf_id("003", c.num % 10000)
            desc = tk.comments[0].body
            thread = [cm for cm in tk.comments[1:] if cm.public]
            if thread and chance(0.5):
                cm = thread[0]
                desc += f"\n\n--- Original message ---\nFrom: {BRAND} Support <{SUPPORT_EMAIL}>\nSent: {email_date(cm.at)}\n\n{cm.body}"
            closed = tk.status in ("solved", "closed")
            sf_status = {"open": "New", "pending": "Working", "solved": "Closed", "closed": "Closed"}[
                tk.status
            ]
            if ev.role == "followup" and not closed:
                sf_status = "Escalated"
            origin = {"email": "Email", "web": "Web", "voice": "Phone", "chat": "Chat", "mobile": "Web"}[
                tk.via
            ]
            sc = S[ev.scenario]
            parent = ""
            if ev.prev is not None and ev.prev.key in by_key:
                parent = ev.prev.iid
            reason = {
                "billing": "Billing",
                "technical": "Technical",
                "tv": "Product Question",
                "phone": "Product Question",
                "mobile": "Technical",
                "general": "Other",
            }[sc["reason"]]
            if sc["complaint"] and chance(0.4):
                reason = "Complaint"
            w.writerow(
                [
                    ev.iid,
                    ev.extra["case_number"],
                    tk.subject,
                    desc,
                    sf_status,
                    tk.priority.capitalize(),
                    origin,
                    reason,
                    {"problem": "Problem", "incident": "Problem", "question": "Question", "task": "Other"}[
                        tk.type
                    ],
                    "true" if closed else "false",
                    zulu(tk.solved, ms=True) if tk.solved else "",
                    zulu(ev.utc, ms=True),
                    "true" if (ev.role == "followup" or tk.priority == "urgent") else "false",
                    accounts[c.id],
                    contacts[c.id],
                    sf_id("02i", ev.key) if ev.product and chance(0.5) else "",
                    parent,
                    c.email if tk.via in ("email", "web") else "",
                    c.email,
                    c.phone,
                    PRODUCT[ev.product]["name"] if ev.product and chance(0.75) else "",
                    c.id,
                ]
            )
        self.write("tickets/salesforce/cases.csv", buf.getvalue(), newline="")

    def flush_freshdesk(self) -> None:
        out = []
        status_code = {"open": 2, "pending": 3, "solved": 4, "closed": 5}
        source_code = {"email": 1, "web": 2, "voice": 3, "chat": 7, "mobile": 9}
        prio = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
        for ev, tk in self.freshdesk:
            c = ev.customer
            agent = ev.agent or self.agents[0]
            first = tk.comments[0].body
            conv = []
            for ci, cm in enumerate(tk.comments[1:], start=1):
                conv.append(
                    {
                        "id": int(ev.iid) * 1000 + ci,
                        "body": "<div>" + html.escape(cm.body).replace("\n", "<br>") + "</div>",
                        "body_text": cm.body,
                        "incoming": cm.role == "customer",
                        "private": not cm.public,
                        "user_id": c.num if cm.role == "customer" else agent.zd_id,
                        "source": 0 if cm.public else 2,
                        "created_at": zulu(cm.at),
                        "updated_at": zulu(cm.at),
                        "ticket_id": int(ev.iid),
                    }
                )
            sc = S[ev.scenario]
            out.append(
                {
                    "id": int(ev.iid),
                    "subject": tk.subject,
                    "description": "<div>" + html.escape(first).replace("\n", "<br>") + "</div>",
                    "description_text": first,
                    "status": status_code[tk.status],
                    "priority": prio[tk.priority],
                    "source": source_code[tk.via],
                    "type": {
                        "billing": "Billing",
                        "technical": "Incident",
                        "tv": "Question",
                        "phone": "Question",
                        "mobile": "Incident",
                        "general": "Question",
                    }[sc["reason"]],
                    "requester_id": c.num,
                    "responder_id": agent.zd_id,
                    "group_id": ZD_GROUPS.get(sc["reason"], 0),
                    "company_id": 3600000 + c.num % 100000 if c.segment == "business" else None,
                    "product_id": None,
                    "tags": [sc["reason"]] + (["repeat"] if ev.role == "followup" else []),
                    "custom_fields": {
                        "cf_customer_id": c.id,
                        "cf_product": ev.product,
                        "cf_segment": c.segment,
                    },
                    "is_escalated": ev.role == "followup",
                    "fr_escalated": False,
                    "spam": False,
                    "due_by": zulu(ev.utc + dt.timedelta(days=3)),
                    "fr_due_by": zulu(ev.utc + dt.timedelta(hours=24)),
                    "created_at": zulu(ev.utc),
                    "updated_at": zulu(tk.updated),
                    "conversations": conv,
                }
            )
        self.dump_json("tickets/freshdesk/tickets.json", out, indent=1)

    def flush_ctr(self) -> None:
        rows = sorted(self.ctr, key=lambda r: (r["InitiationTimestamp"], r["ContactId"]))
        self.write(
            "ctr/contact_records.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        )


# --------------------------------------------------------------------------
# tables, catalogs, the CFPB slice, ground truth and README
# --------------------------------------------------------------------------


def write_customers(w: Writer, customers: list[Customer]) -> None:
    buf = io.StringIO()
    cw = csv.writer(buf, lineterminator="\n")
    cw.writerow(
        ["customer_id", "segment", "value", "email", "phone", "name", "customer_since", "state", "products"]
    )
    for c in customers:
        cw.writerow(
            [
                c.id,
                c.segment,
                f"{c.value:.2f}",
                c.email,
                c.phone,
                c.business or c.name,
                c.since.isoformat(),
                c.state,
                ";".join(c.products),
            ]
        )
    w.write("customers.csv", buf.getvalue())


def yaml_dump(obj: Any) -> str:
    return yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def write_catalog(w: Writer) -> None:
    doc = {
        "company": COMPANY,
        "products": [
            {
                "id": p["id"],
                "name": p["name"],
                "aliases": p["aliases"],
                "skus": p["skus"],
                "family": p["family"],
            }
            for p in PRODUCTS
        ],
        "policies": [
            {
                k: p[k]
                for k in (
                    "id",
                    "name",
                    "description",
                    "phrases",
                    "effective_from",
                    "effective_to",
                    "products",
                    "themes",
                )
                if k in p
            }
            for p in POLICIES
        ],
    }
    head = (
        f"# Product and policy catalog of {COMPANY} (fictional), written by scripts/make_sample_data.py.\n"
        "# Aliases include misspellings and ASR renderings on purpose. effective_to marks a withdrawn policy.\n"
    )
    w.write("catalog.yaml", head + yaml_dump(doc))


CFPB_CATALOG = {
    "company": "CFPB consumer complaints: payday, title and personal loans (2023 slice)",
    "products": [
        {
            "id": "installment_loan",
            "name": "Installment loan",
            "family": "personal loan",
            "skus": [],
            "aliases": [
                "installment loan",
                "instalment loan",
                "installment loans",
                "personal loan",
                "personal installment loan",
                "signature loan",
                "consumer loan",
                "instalment plan",
                "online loan",
            ],
        },
        {
            "id": "personal_line_of_credit",
            "name": "Personal line of credit",
            "family": "revolving credit",
            "skus": [],
            "aliases": [
                "line of credit",
                "personal line of credit",
                "credit line",
                "LOC",
                "revolving line",
                "open-end credit",
                "line of credit account",
                "lines of credit",
            ],
        },
        {
            "id": "payday_loan",
            "name": "Payday loan",
            "family": "short-term loan",
            "skus": [],
            "aliases": [
                "payday loan",
                "pay day loan",
                "payday loans",
                "payday lender",
                "cash advance",
                "paycheck advance",
                "short term loan",
                "short-term loan",
                "deferred deposit",
                "pay-day loan",
            ],
        },
        {
            "id": "title_loan",
            "name": "Title loan",
            "family": "secured loan",
            "skus": [],
            "aliases": [
                "title loan",
                "car title loan",
                "auto title loan",
                "title pawn",
                "vehicle title loan",
                "car title",
                "title lender",
                "title loans",
                "auto equity loan",
            ],
        },
        {
            "id": "pawn_loan",
            "name": "Pawn loan",
            "family": "secured loan",
            "skus": [],
            "aliases": ["pawn loan", "pawn shop", "pawnshop", "pawned", "pawn ticket", "pawn"],
        },
    ],
    "policies": [
        {
            "id": "repossession",
            "name": "Vehicle repossession",
            "description": "Repossessing or selling the borrower's vehicle after missed payments.",
            "phrases": [
                "repossessed",
                "repossession",
                "repo",
                "repo'd",
                "took my car",
                "towed my car",
                "impounded",
                "sold my car",
                "reposession",
            ],
            "products": ["title_loan", "installment_loan"],
        },
        {
            "id": "unexpected_fees_interest",
            "name": "Fees and interest the borrower did not expect",
            "description": "Origination, late and leasing fees, and interest rates above what the borrower understood.",
            "phrases": [
                "hidden fees",
                "late fee",
                "interest rate",
                "APR",
                "finance charge",
                "origination fee",
                "fees I didn't expect",
                "leasing fee",
                "outrageous interest",
                "interest charges",
            ],
            "products": ["installment_loan", "personal_line_of_credit", "payday_loan", "title_loan"],
        },
        {
            "id": "autopay_withdrawals",
            "name": "Automatic withdrawals from the borrower's bank account",
            "description": "ACH debits the borrower did not authorise, could not stop, or that came on the wrong day.",
            "phrases": [
                "autopay",
                "auto pay",
                "automatic payment",
                "ACH",
                "withdrew",
                "withdrawal",
                "took money out",
                "debited my account",
                "revoke authorization",
                "stop payment",
                "overdraft",
            ],
            "products": ["payday_loan", "installment_loan", "personal_line_of_credit"],
        },
        {
            "id": "collection_practices",
            "name": "Collection calls and threats",
            "description": "Repeated calls, calls to work or family, threats of arrest or lawsuit.",
            "phrases": [
                "harass",
                "harassing",
                "collection calls",
                "calling my job",
                "threatened",
                "debt collector",
                "calling my family",
                "calls me every day",
            ],
            "products": ["payday_loan", "installment_loan", "title_loan"],
        },
        {
            "id": "credit_reporting",
            "name": "Reporting to credit bureaus",
            "description": "Late or incorrect tradelines, disputes the lender did not correct.",
            "phrases": [
                "credit report",
                "reported late",
                "credit score",
                "credit bureau",
                "tradeline",
                "reporting agencies",
                "hard inquiry",
            ],
            "products": ["installment_loan", "personal_line_of_credit"],
        },
        {
            "id": "add_on_products",
            "name": "Add-on products sold with the loan",
            "description": "Insurance, memberships and protection plans added to the loan.",
            "phrases": ["add-on", "credit insurance", "debt protection", "membership fee", "protection plan"],
            "products": ["installment_loan", "personal_line_of_credit"],
        },
    ],
}

CFPB_SOURCE_MD = """# CFPB complaints slice (real data)

`complaints_sample.csv` holds {n} rows copied verbatim (bytes unchanged, header
included) from the US Consumer Financial Protection Bureau's public Consumer
Complaint Database: payday, title and personal loans with a consumer narrative,
received January to August 2023. They come from the export described in
`shared/datasets/cfpb_complaints/SOURCE.md` (committed by the public GitHub
repository `SeunnnA/Predatory_Lending`).

- Source: Consumer Financial Protection Bureau, Consumer Complaint Database,
  https://www.consumerfinance.gov/data-research/consumer-complaints/ .
  These are public records of the US federal government; credit the CFPB.
- Complaints are not verified by the CFPB. Narratives were scrubbed of
  personal data by the CFPB before publication (`XXXX`, `XX/XX/XXXX`,
  amounts written as `{{$400.00}}`). Nothing here was edited by this project.
- Selection (deterministic, by `scripts/make_sample_data.py`): for each month
  of `Date received`, the rows sorted by `Complaint ID` and {per_month} taken at
  evenly spaced positions. Rows keep their source order within the file.
- Hazards kept on purpose: `MM/DD/YY` dates, `None`/`N/A` for missing values,
  multi-line quoted narratives (`\\n` inside, `\\r\\n` between records).

Counts in this slice: {counts}.

`catalog.yaml` beside it is ours (not the CFPB's): the five sub-products with
aliases as consumers write them, and policies consumers complain about, given
by phrases only (no dates: the CFPB data says nothing about when a lender's
practice began).
"""


def cfpb_records(path: Path) -> tuple[str, list[tuple[dict[str, str], str]]]:
    """Header line and (row, raw text) for each record, raw text byte-exact."""
    with open(path, encoding="utf-8", newline="") as fh:
        consumed: list[str] = []

        def lines() -> Iterable[str]:
            for line in fh:
                consumed.append(line)
                yield line

        reader = csv.reader(lines())
        header = next(reader)
        head_raw = "".join(consumed)
        consumed.clear()
        out = []
        for row in reader:
            out.append((dict(zip(header, row, strict=True)), "".join(consumed)))
            consumed.clear()
    return head_raw, out


def write_cfpb(w: Writer, per_month: int = 50) -> dict[str, Any]:
    source = cfpb_source()
    if source is None:
        print(f"warning: shared/{CFPB_RELATIVE} not found, skipping the CFPB slice", file=sys.stderr)
        return {}
    head, recs = cfpb_records(source)
    by_month: dict[str, list[int]] = {}
    for i, (row, _) in enumerate(recs):
        m, _, y = row["Date received"].split("/")
        by_month.setdefault(f"20{y}-{m}", []).append(i)
    chosen: list[int] = []
    for month in sorted(by_month):
        idx = sorted(by_month[month], key=lambda i: int(recs[i][0]["Complaint ID"]))
        k = min(per_month, len(idx))
        chosen += [idx[(j * len(idx)) // k] for j in range(k)]
    chosen.sort()
    w.write("cfpb/complaints_sample.csv", head + "".join(recs[i][1] for i in chosen), newline="")
    counts: dict[str, int] = {}
    for i in chosen:
        sp = recs[i][0]["Sub-product"]
        counts[sp] = counts.get(sp, 0) + 1
    w.write(
        "cfpb/catalog.yaml",
        "# Catalog for the CFPB slice (ours, not the CFPB's). Policies are phrases only.\n"
        + yaml_dump(CFPB_CATALOG),
    )
    count_text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    w.write("cfpb/SOURCE.md", CFPB_SOURCE_MD.format(n=len(chosen), per_month=per_month, counts=count_text))
    return {"rows": len(chosen), "sub_products": counts}


def add_abandoned_ctr(w: Writer, customers: list[Customer], n: int) -> None:
    """Contact records with no analysis file: callers who hung up in the queue."""
    for _ in range(n):
        c = pick(customers)
        local = random_local(START, END)
        ev = Event(
            key=-1,
            scenario=pick(["billing_error", "outage", "upgrade", "support_fee"]),
            customer=c,
            local=local,
        )
        cid = uuid4()
        start = ev.utc
        queue_s = R.randrange(120, 1500)
        rec = w._ctr_record(
            ev,
            cid,
            cid,
            None,
            "INBOUND",
            start,
            start + dt.timedelta(seconds=queue_s + 20),
            pick(QUEUES),
            queue_s,
            None,
            0,
            0,
        )
        rec["DisconnectReason"] = "CUSTOMER_DISCONNECT"
        rec["Recording"] = None
        w.ctr.append(rec)


def interaction_row(ev: Event) -> dict[str, Any]:
    sc = S[ev.scenario]
    row = {
        "id": ev.iid,
        "format": ev.fmt,
        "channel": ev.channel,
        "path": ev.path,
        "created_at": zulu(ev.utc),
        "quarter": ev.quarter,
        "customer_id": ev.customer.id,
        "segment": ev.customer.segment,
        "agent_id": ev.agent.id if ev.agent else None,
        "queue": ev.queue,
        "topic": ev.scenario,
        "is_complaint": bool(sc["complaint"]),
        "pattern": ev.pattern,
        "role": ev.role,
        "repeat_of": ev.prev.iid if ev.prev is not None and ev.role in ("followup", "kept_promise") else None,
        "product": ev.product,
        "secondary_topic": ev.secondary,
    }
    if ev.fmt == "salesforce":
        row["case_number"] = ev.extra["case_number"]
    if ev.fmt in ("plain_call", "webvtt"):
        row["asr_style"] = bool(ev.extra.get("asr"))
    if ev.fmt == "cl_voice":
        row["redacted"] = bool(ev.extra.get("redacted"))
        row["version"] = ev.extra.get("version")
    if ev.fmt in ("webvtt", "call_analytics"):
        row["customer_id_in_source"] = False
    if ev.channel == "ticket":
        row["ticket_via"] = ev.extra["via"]  # the ticket's own channel: email, web, voice, chat, mobile
    return row


def per_quarter_channel(evs: Iterable[Event]) -> dict[str, dict[str, int]]:
    out = {q: {"call": 0, "chat": 0, "ticket": 0, "total": 0} for q in QNAMES}
    for e in evs:
        out[e.quarter][e.channel] += 1
        out[e.quarter]["total"] += 1
    return out


PATTERN_INFO = {
    "P1_support_fee": dict(
        title="Support fee charged after ninety days",
        policy_ids=["pol_tech_support_fee"],
        product_ids=["router_hub5", "bb_fibre_100", "bb_fibre_500", "bb_gigabit"],
        when="From 2025-10-01 (policy start); none before.",
        what=f"Customers complain about a {SUPPORT_FEE} charge per technical support contact once the account is past 90 days. "
        "Complainants are drawn with weights consumer 1 : premium 3.5 : business 5 (per customer), so the premium and "
        "business segments are hit harder. About a third of complaints are followed within 7 days by a repeat contact "
        "from the same customer about the same fee (role 'followup', possibly in another channel).",
    ),
    "P2_caller_id_fee": dict(
        title="Paying to block caller ID on the landline",
        policy_ids=["pol_caller_id_block_fee"],
        product_ids=["landline_home_phone"],
        when="Steady across all five quarters (policy in force since 2025-01-01).",
        what=f"Home Phone customers object to paying {CID_FEE}/month to withhold their number. Only customers holding "
        "landline_home_phone raise it.",
    ),
    "P3_tvbox_discontinued": dict(
        title="Discontinued TV box line (LarkView), no replacement, recordings lost",
        policy_ids=["pol_tvbox_end_of_service"],
        product_ids=["tv_box_hd", "tv_box_plus", "lark_stream"],
        when="Announced 2025-11-03, switched off 2026-01-15: none before the announcement, peak around the switch-off, "
        "tailing off after.",
        what="Customers holding a LarkView box complain that it is being discontinued with no replacement box, that "
        "recordings are lost, and that the Lark Stream app cannot record.",
    ),
    "P4_callback_missed": dict(
        title="Call-backs that never came",
        policy_ids=["pol_callback_commitment"],
        product_ids=["router_hub5", "bb_fibre_100", "bb_fibre_500", "bb_gigabit"],
        when="Steady across all quarters.",
        what="On a first call (role 'promise', always a call with a queue: plain text or Contact Lens voice) the agent "
        "promises a call back; the same customer contacts again within 7 days (role 'followup', any channel that "
        "carries a customer id) saying nobody called. Three quarters of the broken promises are in queue 'Tech Support Tier 2'. "
        "Controls: promises that were kept (an outbound call-back call follows, role 'kept_promise'), mostly in "
        "other queues; these carry no pattern id.",
    ),
    "P5_router_reboot": dict(
        title="Emerging issue: Hub 5 reboots every night after firmware 7.4.1",
        policy_ids=[],
        product_ids=["router_hub5"],
        when=f"Only after {FIRMWARE_DATE.isoformat()} (firmware {FIRMWARE} rolled out), rising through August and September 2026. "
        "Before that, zero complaints; two neutral decoys (topic router_restart_decoy: a router restart after a power "
        "cut) in 2025Q4 and 2026Q2.",
        what="Hub 5 owners report the router restarting itself every night around 3am, dropping cameras, VPNs, downloads.",
    ),
    "P6_paper_bill_fee": dict(
        title="A policy change that worked: paper bill fee withdrawn on 2026-04-01",
        policy_ids=["pol_paper_bill_fee"],
        product_ids=[],
        when="Steady complaints 2025Q3-2026Q1; a few stragglers in the first three weeks of April 2026; none after. "
        "After the change a handful of non-complaint mentions (topic paper_bill_thanks) thank the company or ask "
        "whether paper bills are free now.",
        what=f"Customers (more often elderly ones) complain about the {PAPER_FEE}/month paper bill fee.",
    ),
}


def build_planted(
    events: list[Event], customers: list[Customer], agents: list[Agent], cfpb: dict[str, Any]
) -> dict[str, Any]:
    patterns = []
    seg_base = {s: sum(1 for c in customers if c.segment == s) for s in ("consumer", "premium", "business")}
    for pid, info in PATTERN_INFO.items():
        evs = [e for e in events if e.pattern == pid]
        entry: dict[str, Any] = {
            "id": pid,
            **{k: info[k] for k in ("title", "policy_ids", "product_ids", "when", "what")},
        }
        entry["counts"] = per_quarter_channel(evs)
        entry["total"] = len(evs)
        entry["formats"] = {
            f: sum(1 for e in evs if e.fmt == f) for f in FORMAT_LABEL if any(e.fmt == f for e in evs)
        }
        cust = sorted({e.customer.id for e in evs})
        entry["customers"] = cust
        segs = {s: len({e.customer.id for e in evs if e.customer.segment == s}) for s in seg_base}
        entry["customers_by_segment"] = segs
        entry["customers_per_100_in_segment"] = {s: round(100 * segs[s] / seg_base[s], 2) for s in seg_base}
        entry["interaction_ids"] = [e.iid for e in evs]
        pairs = [[e.prev.iid, e.iid] for e in evs if e.role == "followup" and e.prev is not None]
        if pairs:
            entry["repeat_pairs"] = pairs
        if pid == "P4_callback_missed":
            promises = [e for e in evs if e.role == "promise"]
            entry["promise_ids"] = [e.iid for e in promises]
            entry["followup_ids"] = [e.iid for e in evs if e.role == "followup"]
            entry["promise_queues"] = {
                q: sum(1 for e in promises if e.queue == q) for q in sorted({e.queue or "" for e in promises})
            }
            kept = [e for e in events if e.role == "kept_promise" and e.prev is not None]
            entry["controls_kept_promises"] = [[e.prev.iid, e.iid, e.prev.queue] for e in kept]
        if pid == "P5_router_reboot":
            entry["decoy_ids"] = [e.iid for e in events if e.scenario == "router_restart_decoy"]
            entry["first_complaint_at"] = min(zulu(e.utc) for e in evs) if evs else None
        if pid == "P6_paper_bill_fee":
            thanks = [e for e in events if e.scenario == "paper_bill_thanks"]
            entry["non_complaint_mentions_after_change"] = per_quarter_channel(thanks)
            entry["non_complaint_mention_ids"] = [e.iid for e in thanks]
        if pid == "P1_support_fee":
            entry["premium_or_business_share"] = round(
                sum(1 for e in evs if e.customer.segment != "consumer") / max(1, len(evs)), 3
            )
            entry["customer_base_premium_or_business_share"] = round(
                sum(1 for c in customers if c.segment != "consumer") / len(customers), 3
            )
        patterns.append(entry)
    background: dict[str, dict[str, int]] = {}
    for e in events:
        if e.pattern is None and e.role not in ("kept_promise",):
            background.setdefault(e.scenario, {q: 0 for q in QNAMES})[e.quarter] += 1
    repeat_bg = [
        [e.prev.iid, e.iid]
        for e in events
        if e.role == "followup" and e.pattern is None and e.prev is not None
    ]
    return {
        "generator": "scripts/make_sample_data.py",
        "seed": SEED,
        "company": COMPANY,
        "fictional": True,
        "period": {"start": START.isoformat(), "end": END.isoformat()},
        "quarters": {q: [lo.isoformat(), hi.isoformat()] for q, lo, hi in QUARTERS},
        "timezone_of_local_times": "America/Chicago",
        "id_conventions": {
            "customer_id": "C + 6 digits, the same string in every source (customers.csv, plain text headers, WebVTT NOTE "
            "blocks, CTR Attributes.customer_id, utterance meta, Salesforce Customer_ID__c, Freshdesk "
            "custom_fields.cf_customer_id, Zendesk custom field 360011103 and users[].external_id)",
            "zendesk_requester_id": "the numeric part of the customer id (C104233 -> 104233); also the Freshdesk requester_id",
            "contact_lens": "interaction id is CustomerMetadata.ContactId; customer via ctr/contact_records.jsonl",
            "plain_text_and_webvtt_calls": "call_id (call-NNNNN); chats chat-NNNNN",
            "call_analytics": "JobName (call-NNNNN); the file carries no customer id",
            "zendesk": "ticket id as a string",
            "salesforce": "18-character Case Id (CaseNumber kept as case_number)",
            "freshdesk": "ticket id as a string",
        },
        "patterns": patterns,
        "background_counts": dict(sorted(background.items())),
        "background_repeat_pairs": repeat_bg,
        "agents": [
            {
                "agent_id": a.id,
                "name": f"{a.first} {a.last}",
                "queues": a.queues,
                "connect_username": a.connect_user,
                "zendesk_user_id": a.zd_id,
            }
            for a in agents
        ],
        "cfpb": cfpb,
        "interactions": [interaction_row(e) for e in events],
    }


def fmt_table(rows: list[list[str]], head: list[str]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def build_readme(events: list[Event], planted: dict[str, Any], customers: list[Customer], n_ctr: int) -> str:
    fmt_rows = []
    for f, label in FORMAT_LABEL.items():
        evs = [e for e in events if e.fmt == f]
        fmt_rows.append(
            [label, FORMAT_CHANNEL[f], str(len(evs))]
            + [str(sum(1 for e in evs if e.quarter == q)) for q in QNAMES]
        )
    n_tr = sum(1 for e in events if e.channel in ("call", "chat"))
    n_tk = sum(1 for e in events if e.channel == "ticket")
    n_cmp = sum(1 for e in events if S[e.scenario]["complaint"])
    n_pv = sum(1 for e in events if e.fmt in ("plain_call", "webvtt"))
    n_asr = sum(1 for e in events if e.fmt in ("plain_call", "webvtt") and e.extra.get("asr"))
    n_cl = sum(1 for e in events if e.fmt == "cl_voice")
    n_red = sum(1 for e in events if e.fmt == "cl_voice" and e.extra.get("redacted"))
    pat_rows = []
    for p in planted["patterns"]:
        pat_rows.append(
            [p["id"], p["title"]]
            + [
                f"{p['counts'][q]['total']} ({p['counts'][q]['call']}/{p['counts'][q]['chat']}/{p['counts'][q]['ticket']})"
                for q in QNAMES
            ]
            + [str(p["total"])]
        )
    seg = {s: sum(1 for c in customers if c.segment == s) for s in ("consumer", "premium", "business")}
    sections = []
    for p in planted["patterns"]:
        extra = ""
        if p["id"] == "P1_support_fee":
            extra = (
                f"\n  Customers complaining per 100 customers of the segment: {p['customers_per_100_in_segment']}; "
                f"premium+business share of these contacts {p['premium_or_business_share']} vs "
                f"{p['customer_base_premium_or_business_share']} of the customer base; "
                f"{len(p.get('repeat_pairs', []))} repeat pairs within 7 days."
            )
        if p["id"] == "P4_callback_missed":
            extra = (
                f"\n  Broken promises by queue: {p['promise_queues']}; {len(p['controls_kept_promises'])} kept "
                "promises as controls."
            )
        if p["id"] == "P5_router_reboot":
            extra = f"\n  First complaint {p['first_complaint_at']}; decoys: {', '.join(p['decoy_ids'])}."
        if p["id"] == "P6_paper_bill_fee":
            mentions = {q: v["total"] for q, v in p["non_complaint_mentions_after_change"].items()}
            extra = f"\n  Non-complaint mentions after the change per quarter: {mentions}."
        sections.append(
            f"- **{p['id']}: {p['title']}.** {p['what']} When: {p['when']} "
            f"Policies: {', '.join(p['policy_ids']) or '-'}; products: {', '.join(p['product_ids']) or '-'}.{extra}"
        )
    bg_rows = [[k] + [str(v[q]) for q in QNAMES] for k, v in planted["background_counts"].items()]
    return f"""# sample_data: {COMPANY} (fictional)

Everything in this folder except `cfpb/` is **invented**: the company, its
customers, agents, phone numbers (`NXX-555-01xx`), e-mail addresses
(`@example.com`), addresses, account numbers and card numbers (public Luhn-valid
test numbers such as 4111 1111 1111 1111). Any resemblance to real people or
companies is accidental. `cfpb/` is a verbatim slice of real, public CFPB
complaints (see `cfpb/SOURCE.md`).

Generated by `python scripts/make_sample_data.py` (seed {SEED}; deterministic:
re-running gives byte-identical files; `tests/test_sample_data.py` checks it).
Do not edit files here by hand: change the generator and re-run it.

## The company

{COMPANY} sells broadband (Fibre 100, Fibre 500, Gigabit), the Lark Hub 5
router and a mesh extender, mobile plans (SIM Only 20GB, Unlimited), a landline
(Lark Home Phone, with paid caller-ID blocking), TV (TV Essentials, the LarkView
HD box and LarkView Plus recorder, discontinued on 2026-01-15, and the Lark Stream
app). `catalog.yaml` lists products (id, name, aliases including misspellings and
ASR renderings, SKUs, family) and policies (id, name, description, phrases,
effective_from, products; the withdrawn paper bill fee also has `effective_to`).
Local times are America/Chicago; the period is {START} to {END} (five quarters,
{", ".join(QNAMES)}).

## Layout

```
sample_data/
  README.md               this file
  planted.json            ground truth: patterns, counts, ids, and one row per interaction
  catalog.yaml            products and policies
  customers.csv           customer_id, segment, value (annual revenue, USD), email, phone, name, ...
  calls/
    plain_text/YYYY-MM/call-NNNNN.txt        '# key: value' header + '[hh:mm:ss] Speaker: text'
    webvtt/call-NNNNN.vtt                     WebVTT, <v Name> spans or 'Name:' prefixes
    Analysis/Voice/[Redacted/]YYYY/MM/DD/<ContactId>_analysis[_redacted]_<ts>.json   Contact Lens
    call_analytics/call-NNNNN.json            Amazon Transcribe Call Analytics
  chats/
    plain_text/YYYY-MM/chat-NNNNN.txt
    Analysis/Chat/YYYY/MM/DD/<ContactId>_analysis_<ts>.json                           Contact Lens chat
    utterances/chats_YYYY-MM.jsonl            one utterance a line (ConvoKit-like)
  ctr/contact_records.jsonl                   Amazon Connect contact records (CTR), kept out of calls/ and chats/
  tickets/
    zendesk/tickets_page_NNN.json             {{"tickets": [...], "users": [...], "next_page": ...}}
    salesforce/cases.csv                      Data Loader CSV (all fields quoted, CRLF, multi-line Description)
    freshdesk/tickets.json                    API v2 tickets with embedded conversations
  cfpb/                                       real CFPB rows + our catalog.yaml + SOURCE.md
```

`<ts>` in Contact Lens file names is written `YYYYMMDDTHHMMSSZ` (no colons, so
the tree checks out on Windows); the folder layout is the documented one.

## Counts

{len(events)} interactions: {n_tr} transcripts (calls and chats) and {n_tk} tickets;
{n_cmp} of them are complaints ({round(100 * n_cmp / len(events))}%), the rest are
questions, requests and compliments. {len(customers)} customers
(consumer {seg["consumer"]}, premium {seg["premium"]}, business {seg["business"]}); {n_ctr}
contact records in the CTR file (one per Contact Lens contact, plus first legs of
transferred calls and abandoned calls that have no analysis file).

{fmt_table(fmt_rows, ["format", "channel", "total", *QNAMES])}

Transcripts are 10-60 turns (calls) or 8-40 messages (chats) with IVR prompts,
greetings, verification, holds, small talk, closings; {n_asr} of the {n_pv} plain
text and WebVTT calls are ASR-style (lower case, no punctuation, numbers spoken,
fillers), some use `Speaker 1:`/`Speaker 2:` labels, `mm:ss` or `hh:mm:ss.mmm`
times, no times, or turns wrapped over several lines. Chats and tickets have typos.
Fictional PII appears in the text on purpose (names, spoken and written phone
numbers, addresses, e-mails, account numbers, dates of birth, card numbers), so
redaction has work to do; {n_red} of the {n_cl} Contact Lens voice files are the
redacted variant (`[PII]`).

Vendor annotations are generated, imperfect evidence: Contact Lens and Call
Analytics `IssuesDetected` flag about three quarters of the customers' problem
statements plus the odd false alarm; offsets are correct
(`Content[BeginOffsetChar:EndOffsetChar] == Text`, end exclusive).

## Customers across channels

`customer_id` (`C` + 6 digits) is the same string everywhere: the plain text
header, the WebVTT `NOTE` block (which parsers skip, so WebVTT calls have no
customer in the parsed record), CTR `Attributes.customer_id` (join to Contact
Lens on `ContactId`), utterance `meta.customer_id` (the customer's `speaker` is
also the customer id), Salesforce `Customer_ID__c`, Freshdesk
`custom_fields.cf_customer_id`. **Zendesk**: `requester_id` is the numeric part
of the customer id (`C104233` -> `104233`; the same rule gives Freshdesk's
`requester_id`), the side-loaded `users[]` carry it as `external_id`, and custom
field `360011103` holds it too. Call Analytics files carry no customer id.
E-mail and phone in `customers.csv` match the ones in ticket fields and CTR
`CustomerEndpoint.Address` (E.164).

## Planted patterns

Counts below are exact: total per quarter (call/chat/ticket). Channel here is
the kind of export; a ticket's own channel (e-mail, web form, phone, chat) is
`ticket_via` in `planted.json`, and parsers may report it as the channel. `planted.json`
has the same numbers, the interaction ids, customers, repeat pairs and one row
per interaction (topic, pattern, role, quarter, customer, queue, format, path).

{fmt_table(pat_rows, ["pattern", "what", *QNAMES, "total"])}

{chr(10).join(sections)}

Wording varies on purpose: each situation has 8-14 phrasings for the opening
complaint and as many for details, feelings and requests, combined at random,
then rendered as typed text (typos, lower case, emoji), clean transcripts or
ASR text, so matching templates will not find them all.

## Background (not planted)

Complaints (billing errors, refunds, waits, deliveries, log-in trouble, agent
conduct, an annual price rise on 2026-04-01 that lifts price complaints in
2026Q2, outages, speed, dropping connections, mobile signal, roaming, exit fees,
missed installs, home moves), neutral requests and compliments. Counts per topic
and quarter (primary contacts and background repeats):

{fmt_table(bg_rows, ["topic", *QNAMES])}

{len(planted["background_repeat_pairs"])} background repeat contacts within 7 days
(outages, dropping connections, billing errors) are listed in
`planted.json["background_repeat_pairs"]`.
"""


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def tree_digest(root: Path) -> str:
    """sha256 over every file's relative path and bytes, in sorted order."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def generate(out: Path, seed: int = SEED) -> dict[str, Any]:
    """Write the whole sample_data tree into ``out`` (replacing what a previous run wrote)."""
    R.seed(seed)
    if out.exists():
        if any(out.iterdir()) and not (out / "planted.json").exists():
            raise SystemExit(f"refusing to overwrite {out}: it exists and was not written by this script")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    customers = make_customers(N_CUSTOMERS)
    agents = make_agents()
    events = Planner(customers, agents).plan()
    w = Writer(out, agents)
    for ev in events:
        w.emit(ev)
    w.flush_utterances()
    w.flush_zendesk()
    w.flush_salesforce()
    w.flush_freshdesk()
    add_abandoned_ctr(w, customers, 40)
    w.flush_ctr()
    write_customers(w, customers)
    write_catalog(w)
    cfpb = write_cfpb(w)
    planted = build_planted(events, customers, agents, cfpb)
    w.dump_json("planted.json", planted, indent=1)
    w.write("README.md", build_readme(events, planted, customers, len(w.ctr)))
    w.write(
        ".gitattributes", "# generated files: keep their bytes (CRLF in CSVs) exactly as written\n* -text\n"
    )
    return {"events": len(events), "ctr": len(w.ctr)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "sample_data")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--digest", action="store_true", help="print a sha256 of the written tree")
    args = ap.parse_args(argv)
    info = generate(args.out, args.seed)
    print(f"wrote {info['events']} interactions and {info['ctr']} contact records to {args.out}")
    if args.digest:
        print(tree_digest(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

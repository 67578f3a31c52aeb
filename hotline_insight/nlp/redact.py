"""Find personal data in turn texts and replace it with typed placeholders.

Detection and transformation are separate steps, like presidio's analyzer and
anonymizer: :func:`detect_pii` returns :class:`PiiSpan` records (offsets,
label, method; never the text), :func:`redact` and :func:`redact_with_spans`
replace each span with its placeholder (``[EMAIL]``, ``[PHONE]`` ...) and
leave every other character as it was.

What is found, and how:

* ``EMAIL``: addresses, also obfuscated (``jane [at] example [dot] com``) and
  as ASR writes them (``jane dot doe at example dot com``).
* ``PHONE``: international (``+44 20 7946 0958``), North American
  (``(555) 010-2000``, ``555.010.2000``), UK national (``020 7946 0958``,
  ``07700 900123``), seven-digit local numbers after a phone cue, and numbers
  said digit by digit (``five five five oh one two ...``, ``double five``,
  ``triple seven``, digits and words mixed) with at least seven digits.
* ``CARD``: 13 to 19 digits, typed or spoken, that pass the Luhn check.
* ``ACCOUNT``: the value after an account, order, reference, ticket, case,
  customer, member, policy or confirmation cue (``order #A12-3345``), and
  identifiers shaped like ``LK-4521-8812`` (letters then seven or more digits).
  Product SKUs (``FB-500``) and amounts stay.
* ``ADDRESS``: house number (digits or words) + street name + street type,
  with a unit, and the city and state when a ZIP code follows; PO boxes.
* ``ZIP``: after a ZIP or postcode cue, next to an address, ZIP+4 shapes and
  UK postcodes (``SW1A 1AA``). A bare five-digit number stays.
* ``DOB``: a date after a birth cue (``date of birth``, ``DOB``, ``born on``,
  ``birthday``). Dates of events stay.
* ``IP``: IPv4 and IPv6 addresses (not version numbers).
* ``URL``: links that carry a query string, a token or a long identifier.
  Plain links (``www.example.com/help``) stay.
* ``NAME``: names introduced as names: after strong cues in any case (``my
  name is dana smith``, ``name's``, ``you're speaking with``, ``this is dana
  calling``), after weak cues only when capitalised in text that has capitals
  (``Hi Raymond,``, ``I'm Dana from billing``, ``I spoke to Kevin``, ``the
  agent, Priya,``, ``Mr. Okafor``, sign-offs ``Regards,\nDana Smith``,
  transcript speaker labels ``(12:05:41 AM) Rosa:``); a stop list keeps
  ``I'm calling``, ``I'm frustrated`` and ``Hello Larkspur team`` out. PERSON
  entities become ``NAME`` when an ``nlp`` with NER is given. Company names
  that look like first names ("I spoke to Mosaic") are the known false
  positives: pass them in ``allow_list``.
* ``ID``: US social security numbers (the ``123-45-6789`` shape, or nine
  digits after an SSN cue) and other long digit runs (nine or more digits).

Placeholders a vendor already put in (``[PII]``, ``XXXX``, ``XX/XX/XXXX``,
``{$400.00}``) and our own placeholders are left as they are, so redacting
twice changes nothing.

Passing ``prompt=`` (the turn before, usually the agent's question) lets the
answers to verification questions be found without their own cue: after
"can I take your date of birth?", a bare "March 27th, 1971." is a ``DOB``,
after "your full name and zip code?", "Harold White, 60439" is a ``NAME`` and a
``ZIP``.

Speed: a few compiled regular expressions over the lower-cased text, each
written to start with a literal or a character class so that ``re`` skips
ahead quickly: a word scanner (one trie of every cue word and number word,
tried at each space), a number scanner (tried at each digit), and small
patterns behind cheap pre-checks (``@``, ``/``, a newline, a colon). Short
texts are cached (scripted lines and their answers repeat), by text, what the
prompt asks for and the allow list; the cues of a prompt are searched only
when it holds one of their words. About
8 M characters a second on the sample data, a third of ``spacy.blank("en")``
tokenisation time (``benchmarks/redaction.py``).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from spacy.language import Language

from ..errors import ConfigError, Errors
from ._extensions import doc_text, register_extensions

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "PII_LABELS",
    "PLACEHOLDERS",
    "PiiSpan",
    "Redactor",
    "apply_spans",
    "detect_pii",
    "iter_redacted",
    "make_redactor",
    "redact",
    "redact_with_spans",
]

PII_LABELS: Final = (
    "EMAIL",
    "PHONE",
    "CARD",
    "ACCOUNT",
    "ADDRESS",
    "ZIP",
    "DOB",
    "IP",
    "URL",
    "NAME",
    "ID",
)
"""Every label :func:`detect_pii` gives."""

PLACEHOLDERS: Final = {label: f"[{label}]" for label in PII_LABELS}
"""Placeholder that :func:`redact` writes for each label."""

_LABEL_SET = frozenset(PII_LABELS)


@dataclass(frozen=True, slots=True, order=True)
class PiiSpan:
    """A piece of personal data found in a text: where it is and what it is, never the text itself.

    Attributes:
        start_char: offset of the first character, in the text that was searched.
        end_char: offset one past the last character (half-open).
        label: one of :data:`PII_LABELS`.
        method: how it was found (``"regex"``, ``"luhn"``, ``"spoken"``, ``"cue"``,
            ``"shape"``, ``"address"``, ``"prompt"``, ``"ner"`` ...).

    Examples:
        >>> span = PiiSpan(9, 25, "EMAIL", "regex")
        >>> span.placeholder
        '[EMAIL]'
        >>> "write to jane@example.com"[span.start_char : span.end_char]
        'jane@example.com'
    """

    start_char: int
    end_char: int
    label: str
    method: str

    def __post_init__(self) -> None:
        if not (0 <= self.start_char < self.end_char) or self.label not in _LABEL_SET:
            raise ValueError(
                Errors.E604.format(
                    start=self.start_char, end=self.end_char, label=self.label, expected=list(PII_LABELS)
                )
            )

    @property
    def placeholder(self) -> str:
        """The text :func:`redact` puts in place of the span."""
        return PLACEHOLDERS[self.label]


# ---------------------------------------------------------------------------
# word lists
# ---------------------------------------------------------------------------

_UNIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_TEEN_WORDS = {
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
}
_TENS_WORDS = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fourty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
_UNIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|o)"
_UNIT_NZ = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN = r"(?:eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten)"
_TENS = r"(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)"
_SP_SEP = r"(?:[ \t]*[,.;-][ \t]*|[ \t]+)"
_SP_NUMWORD = rf"(?:{_TENS}|{_TEEN}|{_UNIT_NZ}|zero|oh|hundred|thousand|double|triple)"
_SPOKEN5 = rf"{_UNIT}(?:[ ,]+{_UNIT}){{4}}\b(?![ ,.-]*{_UNIT}\b)"

_STREET_TYPES = (
    r"(?:street|st|avenue|ave|av|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl"
    r"|terrace|terr|ter|close|crescent|cres|circle|cir|parkway|pkwy|highway|hwy|square|sq|grove"
    r"|gardens|gdns|mews|trail|trl|alley|plaza|parade|esplanade|broadway|turnpike|pike"
    r"|expressway|freeway|wynd)"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?"
)
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[ -](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORD}|{_TENS}[ -]{_UNIT_NZ}|{_TEEN}|{_TENS}|{_UNIT_NZ})"
_SPOKEN_YEAR = (
    rf"(?:(?:nineteen|twenty)[ ](?:{_TENS}(?:[ -]{_UNIT_NZ})?|{_TEEN}|oh[ ]{_UNIT_NZ}|hundred)"
    rf"|two[ ]thousand(?:[ ]and)?(?:[ ](?:{_TENS}(?:[ -]{_UNIT_NZ})?|{_TEEN}|{_UNIT_NZ}))?)"
)
_YEAR = rf"(?:\d{{4}}|'\d{{2}}|\d{{2}}(?!\d)|{_SPOKEN_YEAR})"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}(?!\d)"
    rf"|(?:the[ ])?{_DAY}(?:[ ]of)?[ ]{_MONTH}(?:,?[ ]+(?:of[ ])?{_YEAR})?"
    rf"|{_MONTH}[ ]+(?:the[ ])?{_DAY}\b(?:,?[ ]+(?:of[ ])?{_YEAR})?"
    rf"|{_MONTH},?[ ]+(?:\d{{4}}|{_SPOKEN_YEAR}))"
)

# words that never start or continue a name (lower case)
_NOT_NAME: Final = frozenset(
    """
    a about above actually after again against all already also always am an and angry annoyed any anyone
    anything are around as ask asking at away back bad basically be because been before being below
    best between billing both bot busy but by calling can cancelling canceling cannot cant care certain
    chat checking clear coming concerned confused considering contacting could currently customer customers
    dear department did disabled disappointed do does doing done down during each elderly else emailing
    enquiring even ever every everybody everyone everything fed feeling few fine fixed folks following
    for frankly free from frustrated fuming furious getting glad going gone good got great guys had happy
    has hate have having he hello help helping her here hers hey hi him his hoping how however i if im
    in inquiring interested into is it its just kind leaving let like literally livid looking lost ma'am
    madam maybe me messaging might mine more most moving much must my myself need never new next nice no
    nobody none nor not nothing now of off ok okay old on once one only or other our out over paying
    phoning please pleased pretty probably quite rather re really regarding reporting responding retired
    ringing same see seeing sending she should sick since so some somebody someone something sorry speaking
    still stuck such support sure switching team texting than thank thanks that the their them then there
    these they thinking this those through tired to today tomorrow tonight too totally trying uh um under
    unhappy unable unsure up upset us using very waiting want wanting was we well were what when where which
    who why will with wondering worried would writing yeah yes yesterday yet you your yours
    sales service services manager supervisor agent operator representative rep technician engineer
    account bank company system admin administrator user member client caller
    monday tuesday wednesday thursday friday saturday sunday january february march july september october
    november december morning afternoon evening night there's it's that's i'm i've i'll i'd you're
    sir mister miss mrs mr ms dr mx erm hmm ah oh uh-huh mm yep nope
    dob ssn re fwd fw ps nb faq pin id tv ip url asap fyi btw eta
    regards cheers sincerely wishes truly faithfully warmly respectfully kind warm
    representatives reps agents people staff attorney attorneys lawyer lawyers managers supervisors
    somebody anybody nobody company companies lender lenders creditor creditors collector collectors
    someone else them they him her it myself yourself himself herself ourselves themselves
    god sir madam folks all everyone
    incorrect correct wrong misspelled spelt spelled missing listed printed written right different
    changed removed added shown showing spelling mistake also already now
    email e-mail mail phone tel mobile cell address zip zipcode postcode birthday card number ref order
    case ticket policy reference subject date time
    """.split()
)
# a candidate name that contains one of these is an organisation or a team, not a person
_ORG_WORDS: Final = frozenset(
    """
    support team care service services customer billing sales department dept help helpdesk desk inc ltd
    llc plc corp co company group bank telecom broadband mobile limited center centre store shop online
    app hub box tv internet wifi network technical tech dispatch office services admin bot assistant
    financial finance credit capital loan loans lending lender funding insurance mortgage payments payday
    solutions systems holdings partners associates bureau agency collections recovery
    representative representatives employee employees staff agents reps people
    """.split()
)
# words that are not part of a street's name ("5 minutes drive", "2 more on the way")
_NOT_STREET: Final = (_NOT_NAME - {"new", "old", "park", "king", "queen"}) | frozenset(
    """
    minute minutes min mins hour hours hr hrs day days week weeks month months year years time times mile
    miles km block blocks foot feet yard yards meter meters metre metres second seconds sec secs more less
    router routers box boxes device devices bill bills call calls ticket tickets item items way
    dollars pounds euros cents percent gb mb mbps
    """.split()
)
_TITLES: Final = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "mister", "missus", "doctor"})
_NOT_A_NAME: Final = _NOT_NAME | _ORG_WORDS
_FILLERS: Final = frozenset({"uh", "um", "erm", "er", "uhm", "hmm"})

# ---------------------------------------------------------------------------
# compiled patterns
# ---------------------------------------------------------------------------
# Speed notes: Python's ``re`` skips quickly to the next possible start when a
# pattern begins with a literal or a character class, and not when it begins
# with a look-behind or ``\b``. So the scans below begin with ``\d``, ``@``
# or a non-word character, and boundary checks come after the first character.

_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _alt(words: Iterable[str]) -> str:
    """Alternation of literal phrases, longest first (spaces match one space)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_SP_TOKW = _alt([*_UNIT_WORDS, *_TEEN_WORDS, *_TENS_WORDS, "double", "triple"])

# -- e-mail (on the lower-cased text) ----------------------------------------
_EMAIL_LOCAL_END = re.compile(r"[\w.%+-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"[\w](?:[\w-]*\w)?(?:\.\w(?:[\w-]*\w)?)*\.[^\W\d_]{2,}(?![\w-])")
_TLD_WORDS = r"(?:com|net|org|edu|gov|io|co|uk|us|info|biz|me|ca|de|fr|au|ie|nz|in|eu|ai|app|dev)"
# after " at " / " [at] " / " (at) ": a domain written with dots or said with "dot"
_AT_DOMAIN = re.compile(
    r"[\w-]+(?:(?:\.|[ ]?\[dot\][ ]?|[ ]?\(dot\)[ ]?|[ ]dot[ ])[\w-]+)*"
    rf"(?:\.(?P<tld>[^\W\d_]{{2,}})\b|(?:[ ]?\[dot\][ ]?|[ ]?\(dot\)[ ]?|[ ]dot[ ]){_TLD_WORDS}\b)"
)
_TYPED_LOCAL_END = re.compile(r"(?<![\w.%+-])[\w][\w.+-]{0,63}[ ]?$")
_SPOKEN_LOCAL_END = re.compile(
    rf"(?<![\w-])(?:[a-z0-9]+[ ](?:dot|underscore|dash|hyphen|period)[ ])*[a-z][a-z0-9]*"
    rf"(?:[ ](?:{_SP_TOKW})\b|[ ]\d+)*[ ]?$"
)

# -- URLs ----------------------------------------------------------------------
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'`{}|\\^\[\]]+")
_URL_BARE_GATE = re.compile(r"\.[a-z]{2,}(?::\d{2,5})?/")
_URL_BARE = re.compile(r"(?<![\w@./-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{2,5})?/[^\s<>\"'`{}|\\^\[\]]*")
_URL_TRAIL = ".,;:!?)]}'\"*"
_URL_SENSITIVE_SEGMENT = re.compile(
    r"(?:reset|password|token|verify|verification|confirm|activate|activation|unsubscribe|invite"
    r"|track|tracking|session|auth|login|magic|account|accounts|user|users|u|profile|order|orders"
    r"|invoice|invoices|download|share|s|r|pay|payment|bill|bills|ticket|tickets|case|cases)"
)
_LONG_ID_SEGMENT = re.compile(r"(?=.*\d)[\w-]{16,}|\d{6,}|(?=.*\d)(?=.*[a-z])[a-z0-9]{10,}", re.IGNORECASE)

# -- numbers (on the raw text; only when the text has a digit) ---------------
_CARD = re.compile(r"(?<![\w.+/-])\d(?:[ -]?\d){12,18}(?![\w])(?![ -]?\d)")
_PHONE = re.compile(
    r"""
    (?<![\w+./-])
    (?:
        \+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{1,5}){1,5}
      | (?:1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}
      | (?:1[ .-])?\d{3}[ .-]\d{3}[ .-]\d{4}
      | 0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}
      | [2-9]\d{9}
    )
    (?![\w])(?![.-]\d)
    """,
    re.VERBOSE,
)
_LOCAL7 = re.compile(r"(?<![\w./-])\d{3}[-.]\d{4}(?![\w])(?![.-]\d)")
_PHONE_CUE_BEFORE = re.compile(
    r"\b(?:phone|call|cell|mobile|tel|telephone|number|reach|text|fax|ext|landline|contact|dial|ring)\b"
    r"[^.!?\n\d]{0,24}$"
)
_SSN = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%\w+)?(?![\w:])")
_IPV6_GATE = re.compile(r":[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:")
_VERSION_CUE_BEFORE = re.compile(r"(?:version|firmware|fw|v|ver|build|release|update|model)[ .:]*$")
_ZIP4 = re.compile(r"(?<![\w/.-])\d{5}-\d{4}(?![\w-])")
_UK_POSTCODE = re.compile(r"(?<![\w-])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])")
_UK_POSTCODE_LOW = r"(?:[a-pr-uwyz][a-hk-y]?\d[a-z\d]?|gir)[ ]?\d[abd-hjlnp-uw-z]{2}"
_ID_PREFIX_END = re.compile(r"(?<![\w-])[a-z]{1,5}-?$")
_ID_SHAPE = re.compile(r"[a-z]{1,5}-?\d[\d-]{5,24}\d(?![\w-])")
_LONG_NUMBER = re.compile(r"(?<![\w.,/-])\d{2,}(?:[ -]\d{2,})*(?![\w])(?![.,/-]\d)")

# -- the number scanner (on the lower-cased text) ------------------------------
# One pass over the digits finds: house numbers followed by a street ("addr"),
# clusters of four or more digits with short separators ("num": "+44 20 7946
# 0958"), the inward code of a UK postcode ("uk") and digits followed by
# spoken digits ("sd": "555 oh one two ...").
_NUMSCAN = re.compile(
    rf"""
    \d(?:
        (?P<addr>(?<![\w.,/:$£€\#-]\d)\d{{0,5}}[a-z]?(?:[-/]\d{{1,5}}[a-z]?)?
            (?:[ ]+(?:[^\W\d_][\w'.-]*|\d{{1,3}}(?:st|nd|rd|th))){{1,3}}
            [ ]+{_STREET_TYPES}\b
            (?:[ ]+(?:ne|nw|se|sw)\b)?
            (?:,?[ ]*(?:apt|apartment|unit|suite|ste|flat|floor|fl|\#)\.?[ ]?\#?[ ]?[a-z0-9-]{{1,5}}\b)?)
      | (?P<num>(?:[ \t().+-]{{0,3}}\d){{3,}})
      | (?P<uk>[a-z]{{2}}(?![\w-]))
      | (?P<sd>\d{{0,3}}{_SP_SEP}(?=(?:{_SP_TOKW})\b))
    )
    """,
    re.VERBOSE,
)
_ADDRESS_NAME = re.compile(
    r"\d+[a-z]?(?:[-/]\d+[a-z]?)?((?:[ ]+(?:[^\W\d_][\w'.-]*|\d{1,3}(?:st|nd|rd|th))){1,3}?)[ ]+"
    + _STREET_TYPES
    + r"\b"
)
_SRUN_FROM = re.compile(rf"(?:{_SP_TOKW}|\d{{1,4}})\b(?:{_SP_SEP}(?:{_SP_TOKW}|\d{{1,4}})\b){{2,}}")
_SPEAKER = re.compile(
    r"\n[ \t]*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[ ]?[APap]\.?[Mm]\.?)?[\])]?[ \t]+(?=[^\W\d_])"
)
_SIGNOFF = re.compile(
    r"\n[ \t]*(?:(?:kind|best|warm|warmest|many|with|yours|all[ ]the)[ ]+)?"
    r"(?:regards|thanks|thank[ ]you|cheers|sincerely|best|wishes|truly|faithfully|warmly|respectfully"
    r"|take[ ]care|--)(?:[ ]+(?:again|so[ ]much|in[ ]advance|very[ ]much))?[ \t]*[,.!]?[ \t]*\n\s*(?=[^\W\d_])"
)
_UNIT_BEFORE = re.compile(
    r"(?<![\w-])(?:apt|apartment|flat|unit|suite|ste)\.?[ ]?\#?[ ]?[a-z0-9-]{1,5},?[ ]+$"
)
_PO_BOX = re.compile(r"\bp\.?[ ]?o\.?[ ]?box[ ]+\d{1,6}\b")
_ADDR_TAIL = re.compile(
    rf"""
    (?P<city>(?:,?[ ]+[^\W\d_][\w.'-]*){{0,4}}?)
    ,?[ ]+
    (?P<zip>\d{{5}}(?:-\d{{4}})?(?![\w-])|{_UK_POSTCODE_LOW}(?![\w-])|{_SPOKEN5})
    """,
    re.VERBOSE,
)
_ADDR_CITY_STATE = re.compile(r",[ ]*[A-Z][a-z]+(?:[ ][A-Z][a-z]+){0,2},?[ ]+[A-Z]{2}\b(?![ ]*\d)")

# -- the word scanner ----------------------------------------------------------
# One pass over " " + the lower-cased text finds spoken digit runs, spoken
# house numbers and every cue; each family is a named group; the alternation
# is grouped by first letter so that ``re`` rejects most word starts after
# one comparison.
_NOT_NAME_TOP = (
    r"(?:not|so|very|calling|sorry|trying|going|still|really|just|a|an|the|on|in|at|having|getting|looking"
    r"|writing|afraid|frustrated|unhappy|happy|fed|done|tired|sick|also|now|here|being|paying|told|sure"
    r"|disappointed|moving|thinking|glad|interested|wondering|stuck|unable|about|waiting|using|with|from"
    r"|no|fine|good|ok|okay|back|out|off|over|pretty|quite|literally|actually|gonna|like|currently)\b"
)
_NAME_NEXT = r"(?=[^\W\d_])"
_NAME_LEAD = re.compile(r"(?:'s|[ ]+is|[ ]+was|\.)?[ \t,:]*")
# up to five words, one space apart (a title may end with a dot), after the connector
_NAME_RUN = re.compile(
    r"(?:'s|[ ]+is|[ ]+was|\.)?[ \t,:]*([^\W\d_]+(?:['’-][^\W\d_]+)*\.?(?:[ ][^\W\d_]+(?:['’-][^\W\d_]+)*\.?){0,4})"
)
_WEAK_FAMILIES = frozenset({"ngreet", "nverb", "nform", "nrole"})
_PUNCTUATED_FAMILIES = frozenset({"ngreet", "nrole"})
_ROLES = (
    "agent",
    "rep",
    "representative",
    "advisor",
    "adviser",
    "technician",
    "engineer",
    "manager",
    "supervisor",
    "operator",
    "specialist",
    "colleague",
)
_SCAN_FAMILIES: list[tuple[str, list[str], str]] = [
    # number words: two or more (digits read out), or one before a street ("eighty quarry avenue")
    (
        "srun",
        ["o", "double", "triple"],
        rf"\b(?:{_SP_SEP}(?:and[ ])?(?:{_SP_TOKW}|hundred|thousand|\d{{1,4}})\b)+",
    ),
    (
        "srun",
        [*(w for w in _UNIT_WORDS if w != "o"), *_TEEN_WORDS, *_TENS_WORDS],
        rf"\b(?:(?:{_SP_SEP}(?:and[ ])?(?:{_SP_TOKW}|hundred|thousand|\d{{1,4}})\b)+"
        rf"|(?=(?:[ ][a-z][a-z'.-]*){{1,3}}[ ]{_STREET_TYPES}\b))",
    ),
    (
        "acct",
        "account acct a/c order reference ref ticket case customer member membership policy confirmation booking "
        "invoice tracking claim contract subscriber reservation transaction serial imei iccid loan incident".split(),
        r"\b(?=[^\n]{0,40}?\d)",
    ),
    ("dob", ["date of birth", "birth date", "birthdate", "birthday", "dob", "d.o.b", "born"], r"(?!\w)"),
    ("zip", ["zip code", "zipcode", "zip", "postcode", "post code", "postal code"], r"\b"),
    ("ssn", ["ssn", "social security number", "social security", "ss#"], r"(?!\w)"),
    (
        "nname",
        [
            f"{who} {which}name"
            for who in ("my", "his", "her", "their", "your", "the account holder's", "the customer's")
            for which in ("", "full ", "first ", "last ", "middle ", "maiden ", "sur")
        ],
        rf"(?=(?:'s|[ ]is|[ ]was|:)[ ]+{_NAME_NEXT})",
    ),
    (
        "nstrong",
        [
            "name's",
            "surname's",
            "speaking with",
            "speaking to",
            "you're speaking with",
            "you're speaking to",
            "you are speaking with",
            "you are speaking to",
            "call me",
        ],
        rf"(?=[ ]+{_NAME_NEXT})",
    ),
    ("nform", ["name", "full name", "customer name", "account holder"], rf"(?=:[ ]*{_NAME_NEXT})"),
    ("nthis", ["this is"], rf"(?=[ ]+{_NAME_NEXT})"),
    ("nim", ["i'm", "i am", "im"], rf"(?=[ ]+(?!{_NOT_NAME_TOP}){_NAME_NEXT})"),
    (
        "ngreet",
        ["hi", "hello", "hey", "hiya", "dear", "thanks", "thank you", "morning", "afternoon", "evening"],
        r"(?=[ ]*,?[ ]+(?!(?:for|so|very|again|a|the|you|there|all|everyone|team|guys|bye|yes|no|ok|okay|goodbye"
        r"|though|anyway|in|to|from|sir|madam|support)\b)"
        r"[^\W\d_][\w'’-]*(?:[ ][^\W\d_][\w'’-]*)?[ ]*(?:[,!.:;\n]|$))",
    ),
    (
        "nverb",
        [
            f"{v} {p}"
            for v in ("spoke", "spoken", "talked", "chatted", "chatting", "talking", "dealt")
            for p in ("to", "with")
        ]
        + ["named"]
        + [
            f"{w} from"
            for w in (
                "call",
                "message",
                "email",
                "e-mail",
                "text",
                "voicemail",
                "letter",
                "note",
                "reply",
                "response",
                "visit",
            )
        ]
        + [f"{w} called" for w in ("guy", "lady", "man", "woman", "someone", "person", *_ROLES)],
        rf"(?=[ ]+{_NAME_NEXT})",
    ),
    # "the agent, Dana, said ..."
    ("nrole", list(_ROLES), r"(?=,?[ ]+[^\W\d_][\w'’-]*(?:[ ][^\W\d_][\w'’-]*)?,)"),
    ("ntitle", ["mr", "mrs", "ms", "miss", "mx", "dr", "mister"], rf"(?=\.?[ ]+{_NAME_NEXT})"),
    ("nhere", ["here", "speaking"], r"\b(?=[ ]*(?:[,.!?]|$))"),
]


_Trie = dict[str, Any]


# English word-initial letters, most frequent first: the first branch tried is the likeliest
_INITIALS = "tiacsyfohmlwnpbdergjkquvxz"


def _trie_regex(node: _Trie, *, top: bool = False) -> str:
    """A regex for a trie of literal words; at each word's end, its families' continuations."""
    keys = sorted(ch for ch in node if ch != "")
    if top:
        keys.sort(key=lambda ch: _INITIALS.find(ch) % 100)
    alts = [re.escape(ch) + _trie_regex(node[ch]) for ch in keys]
    alts += [f"(?P<{group}>{cont})" for group, cont in node.get("", [])]
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def _build_scanner() -> re.Pattern[str]:
    """The word scanner: one trie over every family's cue words, each word led by a space."""
    root: _Trie = {}
    for k, (family, words, cont) in enumerate(_SCAN_FAMILIES):
        for j, word in enumerate(sorted(set(words))):
            node = root
            for ch in word:
                node = node.setdefault(ch, {})
            node.setdefault("", []).append((f"{family}__{k}_{j}", cont))
    return re.compile(" " + _trie_regex(root, top=True))


_SCAN = _build_scanner()
_SP_PIECE = re.compile(r"[^\W\d_]+|\d+")
# after number words: the rest of a house number, then the street ("... chestnut boulevard")
_SPOKEN_STREET = re.compile(
    rf"(?:[ ](?:and[ ])?{_SP_NUMWORD}\b)*((?:[ ][^\W\d_][\w'.-]*){{1,3}}?)[ ]{_STREET_TYPES}\b"
)

# -- values after cues -----------------------------------------------------------
_ACCT_VALUE = re.compile(
    r"""
    (?:[ ]*(?:number|no\.?|num|nbr|\#|id|code|ref|reference))?
    (?:'s|[ ]+is|[ ]+was|[ ]*[:=\#-]|[ ]+of)?
    [ ]*(?:(?:it's|its|it[ ]is|is)[ ]+)?(?:(?:um|uh)[ ,]+)?
    \#?[ ]*
    (?P<val>(?=[a-z-]*\d)[a-z0-9](?:[a-z0-9]|[-.](?=[a-z0-9])){2,29}(?:[ ]\d{2,}(?![\w.,/]\d))*)
    (?![\w@])
    """,
    re.VERBOSE,
)
_ACCT_NUMBER_WORD = re.compile(r"number|no\.?|num|#|id|code")
_DATE_OR_AMOUNT = re.compile(r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?|\d+[.,]\d{1,2}")
_UNITS_AFTER = re.compile(
    r"[ ]*(?:%|percent|dollars?|bucks|pounds?|euros?|cents?|gb|mb|tb|mbps|gbps|kb|minutes?|mins?|hours?|hrs?"
    r"|days?|weeks?|months?|years?|times|items?|units?|routers?|boxes|devices?)\b"
)
_ACCT_CUE_END = re.compile(
    r"(?:account|acct|a/c|order|reference|ref|ticket|case|customer|member(?:ship)?|policy|confirmation"
    r"|booking|invoice|tracking|claim|contract|subscriber|reservation|transaction|serial|imei|loan)"
    r"(?:[ ]*(?:number|no\.?|num|nbr|\#|id|code))?(?:'s|[ ]+is|[ ]+was|[ ]*[:=\#-])?[ ,]*"
    r"(?:(?:it's|its|it[ ]is|is|um|uh|er|hang[ ]on|let[ ]me[ ]see|sure|yes|yeah|ok|okay)[ ,.]*)*"
    r"(?:[a-z]{1,3}[ -])?$"
)
_ACCT_PREFIX_END = re.compile(r"(?<![\w'])([a-z]{1,3}|[a-z][ ][a-z](?:[ ][a-z])?)[ -]$")
_ZIP_CUE_END = re.compile(
    r"(?:zip|postcode|post[ ]code|postal[ ]code)(?:[ ]?code)?(?:'s|[ ]+is|[ ]*:)?[ ,]*(?:it's[ ]+)?$"
)
_SSN_CUE_END = re.compile(r"(?:ssn|social[ ]security(?:[ ]number)?|social)(?:'s|[ ]+is|[ ]*:)?[ ,]*$")
_CARD_CUE_NEAR = re.compile(r"\b(?:card|visa|mastercard|amex|credit|debit)\b")
_ZIP_VALUE = re.compile(
    rf"(?:'s|[ ]+is|[ ]+was|[ ]*[:=-])?(?:[ ]+(?:on|for|of|the|this|that|account|file|record|is|was|it's|its|my"
    rf"|should|be|i|think))*[ ]*(?:(?:it's|its|is)[ ]+)?"
    rf"(?P<val>\d{{5}}(?:-\d{{4}})?(?![\w-])|{_UK_POSTCODE_LOW}(?![\w-])|{_SPOKEN5}"
    rf"|(?=(?:[a-z][ ])*\d)(?=(?:\d[ ])*[a-z])[a-z0-9](?:[ ][a-z0-9]){{4,7}}(?![\w-]))"
)
_SSN_VALUE = re.compile(r"(?:'s|[ ]+is|[ ]+was|[ ]*[:#=-])?[ ]*(?P<val>\d{3}[ .-]?\d{2}[ .-]?\d{4})(?![\w-])")
_DOB_VALUE = re.compile(
    rf"\.?(?:[ ]*(?:is|was|'s|:|-|=|,|on|in|of|date|it's|its|it[ ]was|it[ ]is|file|record|account|we|you"
    rf"|have|should|be))*[ ]*(?P<val>{_DATE}|{_YEAR}(?!\w))"
)
_DATE_SEARCH = re.compile(rf"(?<![\w/.-])(?:{_DATE})")
_NAME_BEFORE = re.compile(r"(?:^|[,.!?;:\n])[ \t]*([^\W\d_][\w'’-]*(?:[ ][^\W\d_][\w'’-]*){0,2})[ ]$")
_THIS_IS_STRONG = re.compile(r"[ ,]+(?:calling|speaking|here|from)\b")
_DETERMINER_END = re.compile(r"\b(?:the|an|a|my|your|our|their|that|this)[ ]$")
_ORG_NAMED_END = re.compile(
    r"\b(?:company|business|firm|lender|app|website|site|store|shop|service|provider|bank|brand|product"
    r"|program|platform|agency|organi[sz]ation)[ ]$"
)
_CONTACT_AFTER = re.compile(r"[ ]*(?:\([ ]*\+?\d|<[\w.+-]+@|\[)|[ ]*,[ ]*(?:\+?\d|[\w.+-]+@)")
_THIS_IS_START = re.compile(
    r"(?:^|[,.!?;:\n-]|\b(?:hi|hello|hey|yes|yeah|oh|morning|afternoon|evening))[ \t]*$"
)
_CLAUSE_END = re.compile(r"[ ]*(?:[,.!?;:)\n]|$|and\b|here\b|from\b|calling\b|speaking\b)")
_IM_STRONG = re.compile(r"[ ,]+(?:calling|speaking|here)\b")
_IM_WEAK = re.compile(r"[ ,]*(?:from|with|at|and|[,.!;]|$)")
_SIGN_END = re.compile(r"[ \t]*(?:[,|\n]|$)")

# prompts (the turn before): what the answer will carry
_PROMPT_CUES = {
    "NAME": re.compile(
        r"\b(?:your|the)[ ](?:full[ ]|first[ ]|last[ ])?name\b|who[ ](?:am[ ]i|i'm)[ ]speaking|who(?:'s|[ ]is)[ ]calling"
    ),
    "ZIP": re.compile(r"\bzip\b|\bpost[ ]?code\b|\bpostal[ ]code\b"),
    "DOB": re.compile(r"\bdate[ ]of[ ]birth\b|\bd\.?o\.?b\b|\bbirth[ ]?day\b|\bborn\b|\bbirth[ ]?date\b"),
    "ACCOUNT": re.compile(
        r"\b(?:account|acct|customer|member|membership|policy|order|reference|ref|ticket|case|booking"
        r"|confirmation|invoice)[ ](?:number|no|num|id|code)\b|\baccount\b"
    ),
    "PHONE": re.compile(
        r"\bphone\b|\bmobile\b|\bcell\b|\btelephone\b|\bbest[ ]number\b|\bcontact[ ]number\b"
    ),
    "CARD": re.compile(r"\bcard[ ](?:number|no)\b|\blong[ ]number\b|\bcard\b"),
    "ID": re.compile(r"\bssn\b|\bsocial[ ]security\b"),
}
# substrings one of which every match of the label's cue contains: without any, the regex is not run
_PROMPT_GATES: Final = {
    "NAME": ("name", "speaking", "calling"),
    "ZIP": ("zip", "post"),
    "DOB": ("birth", "born", "ob", "o.b"),  # d.o.b, dob, d.ob, do.b
    "ACCOUNT": tuple("acc customer member policy order ref ticket case booking confirmation invoice".split()),
    "PHONE": ("phone", "mobile", "cell", "number"),
    "CARD": ("card", "long number"),
    "ID": ("ssn", "social security"),
}
_ANSWER_LEAD = re.compile(
    r"(?:[ \t]*(?:yes|yeah|yep|sure|ok|okay|right|so|um|uh|erm|er|it's|its|it[ ]is|that's|that[ ]is|my[ ]name's"
    r"|my[ ]name[ ]is|name's|the[ ]name's|of[ ]course|certainly|hi|hello|hang[ ]on|sorry)[ \t]*[,.!-]*)*[ \t]*"
)
_ANSWER_ZIP = re.compile(
    rf"(?<![\w-])(?:\d{{5}}(?:-\d{{4}})?(?![\w-])|{_UK_POSTCODE_LOW}(?![\w-])|{_SPOKEN5})"
)
_ANSWER_ID = re.compile(r"(?<![\w-])(?=[a-z0-9-]*\d)[a-z0-9](?:[a-z0-9]|[- ](?=[a-z0-9])){3,29}(?![\w-])")

# our own placeholders (the component marks them on already redacted text)
_PLACEHOLDER = re.compile(r"\[(" + "|".join(PII_LABELS) + r")\]")

# overlap resolution: the higher priority wins, then the longer span
_PRIORITY: Final = {
    ("URL", "regex"): 100,
    ("EMAIL", "regex"): 96,
    ("EMAIL", "spoken"): 95,
    ("CARD", "luhn"): 92,
    ("CARD", "spoken"): 92,
    ("CARD", "cue"): 91,
    ("CARD", "prompt"): 90,
    ("ID", "ssn"): 88,
    ("ID", "cue"): 87,
    ("ACCOUNT", "cue"): 84,
    ("PHONE", "regex"): 80,
    ("PHONE", "spoken"): 78,
    ("PHONE", "cue"): 77,
    ("DOB", "cue"): 74,
    ("DOB", "prompt"): 73,
    ("ADDRESS", "address"): 70,
    ("ZIP", "address"): 69,
    ("ZIP", "cue"): 68,
    ("ZIP", "shape"): 66,
    ("ZIP", "prompt"): 65,
    ("IP", "regex"): 64,
    ("ACCOUNT", "shape"): 60,
    ("ACCOUNT", "spoken"): 60,
    ("ACCOUNT", "prompt"): 58,
    ("ID", "spoken"): 57,
    ("NAME", "cue"): 50,
    ("NAME", "ner"): 49,
    ("NAME", "prompt"): 48,
    ("ID", "long_number"): 10,
}

_Candidate = tuple[int, int, str, str]
_NOTHING: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_NON_DIGIT = re.compile(r"\D+")


def _digits_of(s: str) -> str:
    return _NON_DIGIT.sub("", s)


def _spoken_to_digits(run: str) -> tuple[str, int]:
    """The digits a spoken run stands for, and how many came from single-digit tokens."""
    out: list[str] = []
    n_single = 0
    repeat = 1
    tokens = _SP_PIECE.findall(run)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isdigit():
            out.append(tok)
            n_single += len(tok)
        elif tok == "double":
            repeat = 2
        elif tok == "triple":
            repeat = 3
        elif tok in _UNIT_WORDS:
            out.append(_UNIT_WORDS[tok] * repeat)
            n_single += repeat
            repeat = 1
        elif tok in _TEEN_WORDS:
            out.append(_TEEN_WORDS[tok])
        elif tok in _TENS_WORDS:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if nxt in _UNIT_WORDS and _UNIT_WORDS[nxt] != "0":
                out.append(_TENS_WORDS[tok] + _UNIT_WORDS[nxt])
                i += 1
            else:
                out.append(_TENS_WORDS[tok] + "0")
        i += 1
    return "".join(out), n_single


def _is_name_word(word: str, *, need_capital: bool) -> bool:
    low = word.lower()
    if low in _NOT_A_NAME or len(low) < 2 or not low.strip("x"):  # XXXX: a vendor's placeholder
        return False
    if need_capital:
        # capitalised, and not shouted (complaints in capitals are not names)
        return word[0].isupper() and not (len(word) > 1 and word.isupper())
    # lower case after a strong cue: not a verb or an adverb
    return word[0].isupper() or len(low) < 5 or not low.endswith(("ing", "ed", "ly"))


def _name_after(text: str, pos: int, *, need_capital: bool, max_words: int = 3) -> tuple[int, int] | None:
    """The span of 1 to ``max_words`` name words from ``pos`` (a leading title and inner fillers allowed).

    A connector at ``pos`` (``'s``, `` is``, ``:``, spaces, a comma) is skipped first. The name
    is refused when the word after it says it is an organisation ("Larkspur team").
    """
    m = _NAME_RUN.match(text, pos)
    if m is None:
        return None
    i = m.start(1)
    words = m.group(1).split(" ")
    start = end = -1
    n = 0
    for k, word in enumerate(words):
        core = word[:-1] if word[-1] == "." else word
        low = core.lower()
        if start < 0 and low in _TITLES:
            start = i
        elif n and low in _FILLERS:
            pass
        elif _is_name_word(core, need_capital=need_capital):
            if start < 0:
                start = i
            end = i + len(core)
            n += 1
            if n == max_words or core is not word:  # enough words, or the sentence ended
                if k + 1 < len(words) and core is word and words[k + 1].rstrip(".").lower() in _ORG_WORDS:
                    return None
                break
        else:
            if n and low in _ORG_WORDS:
                return None  # "Larkspur team", "Acme Support": an organisation
            break
        if core is not word and low not in _TITLES:
            break
        i += len(word) + 1
    if n == 0:
        return None
    return start, end


def _dedupe_sorted(cands: list[_Candidate]) -> list[PiiSpan]:
    """Resolve overlaps: the higher priority (then the longer span) wins; returns spans in text order."""
    if len(cands) == 1:
        s, e, label, method = cands[0]
        return [PiiSpan(s, e, label, method)]
    cands.sort()
    prev_end = -1
    for cand in cands:
        if cand[0] < prev_end:
            break
        prev_end = cand[1]
    else:  # no overlaps: the usual case
        return [PiiSpan(s, e, label, method) for s, e, label, method in cands]
    order = sorted(set(cands), key=lambda c: (-_PRIORITY.get((c[2], c[3]), 40), c[0] - c[1], c[0], c[2]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Candidate] = []
    for cand in order:
        s, e = cand[0], cand[1]
        k = bisect_left(starts, s)
        if k > 0 and ends[k - 1] > s:
            continue
        if k < len(starts) and starts[k] < e:
            continue
        starts.insert(k, s)
        ends.insert(k, e)
        kept.insert(k, cand)
    return [PiiSpan(s, e, label, method) for s, e, label, method in kept]


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters (e.g. 'İ') lower-case to two; keep offsets aligned
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


# ---------------------------------------------------------------------------
# recognisers
# ---------------------------------------------------------------------------


def _find_emails(text: str, low: str, out: list[_Candidate]) -> None:
    """Typed addresses, found from each '@' outwards."""
    i = low.find("@")
    while i >= 0:
        left = _EMAIL_LOCAL_END.search(low, max(0, i - 64), i)
        right = _EMAIL_DOMAIN.match(low, i + 1)
        if left is not None and right is not None:
            s = left.start()
            while s < i and low[s] in ".%+-":
                s += 1
            if s < i and (s == 0 or not (low[s - 1].isalnum() or low[s - 1] in "_.%+-")):
                out.append((s, right.end(), "EMAIL", "regex"))
        i = low.find("@", i + 1)


def _find_word_emails(low: str, out: list[_Candidate]) -> None:
    """'jane.doe at example.com', 'jane [at] example [dot] com', 'jane dot doe at example dot com'."""
    for sep in (" at ", "[at]", "(at)"):
        i = low.find(sep)
        while i >= 0:
            j = i + len(sep)
            if sep != " at " and j < len(low) and low[j] == " ":
                j += 1
            right = _AT_DOMAIN.match(low, j)
            if right is not None:
                spoken = right.group("tld") is None or " dot " in right.group()
                local = (_SPOKEN_LOCAL_END if spoken else _TYPED_LOCAL_END).search(
                    low, max(0, i - 80), i + (sep == " at ")
                )
                if local is not None and local.start() < i:
                    value = low[local.start() : i]
                    if spoken or sep != " at " or any(ch in value for ch in "._+0123456789"):
                        out.append((local.start(), right.end(), "EMAIL", "spoken" if spoken else "regex"))
            i = low.find(sep, i + 1)


def _url_is_sensitive(url: str) -> bool:
    from urllib.parse import urlsplit

    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    if parts.query or "@" in parts.netloc:
        return True
    frag = parts.fragment
    if len(frag) >= 8 and any(ch.isdigit() for ch in frag):
        return True
    segments = [seg for seg in parts.path.split("/") if seg]
    for i, seg in enumerate(segments):
        if _LONG_ID_SEGMENT.fullmatch(seg):
            return True
        if i + 1 < len(segments) and _URL_SENSITIVE_SEGMENT.fullmatch(seg.lower()):
            return True
    return False


def _find_urls(text: str, low: str, out: list[_Candidate]) -> None:
    taken: list[tuple[int, int]] = []
    if "://" in text or "www." in low:
        for m in _URL.finditer(low):
            s, e = m.start(), m.end()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "_@."):
                continue
            while e > s and text[e - 1] in _URL_TRAIL:
                e -= 1
            taken.append((s, e))
            if _url_is_sensitive(text[s:e]):
                out.append((s, e, "URL", "regex"))
    if "/" in text and _URL_BARE_GATE.search(low) is not None:
        for m in _URL_BARE.finditer(low):
            s, e = m.start(), m.end()
            if any(ts <= s < te for ts, te in taken):
                continue
            while e > s and text[e - 1] in _URL_TRAIL:
                e -= 1
            if _url_is_sensitive(text[s:e]):
                out.append((s, e, "URL", "regex"))


def _find_numbers(text: str, low: str, out: list[_Candidate], expect: frozenset[str]) -> None:
    """Typed numbers: addresses, cards, phones, SSNs, IPv4, ZIP shapes, identifiers and long numbers."""
    n_text = len(text)
    for c in _NUMSCAN.finditer(low):
        kind = c.lastgroup
        cs, ce = c.start(), c.end()
        if kind == "num":
            # four to six characters: a year, an amount, a short code; unless spoken digits follow
            if ce - cs >= 7 or (ce < n_text and text[ce] == " "):
                _number_cluster(text, low, cs, ce, n_text, out, expect)
        elif kind == "addr":
            unit = _UNIT_BEFORE.search(low, max(0, cs - 20), cs)
            name = _ADDRESS_NAME.match(low, cs)
            words = name.group(1).split() if name is not None else []
            _address_match(text, low, unit.start() if unit else cs, ce, words, out)
        elif kind == "uk":
            if text[cs + 1 : ce].isupper():
                for m in _UK_POSTCODE.finditer(text, max(0, cs - 6), min(n_text, ce + 1)):
                    out.append((m.start(), m.end(), "ZIP", "shape"))
        elif kind == "sd":
            run = _SRUN_FROM.match(low, cs)
            if run is not None and (cs == 0 or not low[cs - 1].isalnum()):
                s, e = run.start(), run.end()
                digits, n_single = _spoken_to_digits(low[s:e])
                _label_spoken(low, s, e, digits, n_single, expect, out)
    if ":" in low and ("::" in low or _IPV6_GATE.search(low) is not None):
        for m in _IPV6.finditer(low):
            cand = m.group()
            # two groups at least: "::" and "::1" (unspecified, loopback) identify no one
            if cand.count(":") >= 2 and sum(1 for g in cand.split(":") if g) >= 2:
                try:
                    ipaddress.IPv6Address(cand.split("%", 1)[0])
                except ValueError:
                    continue
                out.append((m.start(), m.end(), "IP", "regex"))
    if "box" in low:
        for m in _PO_BOX.finditer(low):
            out.append((m.start(), m.end(), "ADDRESS", "address"))
    if ":" in text:
        for m in _SPEAKER.finditer("\n" + text):
            s = m.start()  # the line's first character, in ``text``
            span = _name_after(text, m.end() - 1, need_capital=True, max_words=2)
            if span is not None and text.startswith(":", span[1]) and s <= span[0]:
                out.append((span[0], span[1], "NAME", "cue"))


def _number_cluster(
    text: str, low: str, cs: int, ce: int, n_text: int, out: list[_Candidate], expect: frozenset[str]
) -> None:
    """Classify a cluster of digits (four or more, with short separators)."""
    cluster = text[cs:ce]
    n = len(_digits_of(cluster))
    ws, we = max(0, cs - 3), min(n_text, ce + 1)
    if n >= 13:
        for m in _CARD.finditer(text, ws, we):
            digits = _digits_of(m.group())
            if 13 <= len(digits) <= 19:
                if _luhn_ok(digits):
                    out.append((m.start(), m.end(), "CARD", "luhn"))
                elif "CARD" in expect:
                    out.append((m.start(), m.end(), "CARD", "prompt"))
                elif _CARD_CUE_NEAR.search(low, max(0, m.start() - 32), m.start()):
                    out.append((m.start(), m.end(), "CARD", "cue"))
    if n >= 7:
        for m in _PHONE.finditer(text, ws, we):
            value = m.group()
            k = len(_digits_of(value))
            if (8 <= k <= 15) if value[0] == "+" else (10 <= k <= 11):
                out.append((m.start(), m.end(), "PHONE", "regex"))
        if n == 7:
            for m in _LOCAL7.finditer(text, ws, we):
                if "PHONE" in expect or _PHONE_CUE_BEFORE.search(low, max(0, m.start() - 40), m.start()):
                    out.append((m.start(), m.end(), "PHONE", "cue"))
        if cs > 0 and (low[cs - 1] == "-" or "a" <= low[cs - 1] <= "z"):
            pre = _ID_PREFIX_END.search(low, max(0, cs - 7), cs)
            if pre is not None:
                m2 = _ID_SHAPE.match(low, pre.start())
                if m2 is not None and len(_digits_of(m2.group())) >= 7:
                    out.append((m2.start(), m2.end(), "ACCOUNT", "shape"))
    if n >= 9:
        if "-" in cluster:
            for m in _SSN.finditer(text, ws, we):
                area, group, serial = m.groups()
                if area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000":
                    out.append((m.start(), m.end(), "ID", "ssn"))
            for m in _ZIP4.finditer(text, ws, we):
                out.append((m.start(), m.end(), "ZIP", "shape"))
        for m in _LONG_NUMBER.finditer(text, ws, we):
            if len(_digits_of(m.group())) >= 9:
                out.append((m.start(), m.end(), "ID", "long_number"))
    if cluster.count(".") >= 3:
        for m in _IPV4.finditer(text, ws, we):
            if all(int(part) <= 255 for part in m.group().split(".")) and not _VERSION_CUE_BEFORE.search(
                low, max(0, m.start() - 16), m.start()
            ):
                out.append((m.start(), m.end(), "IP", "regex"))
    if ce < n_text and text[ce] == " " and n <= 12:
        run = _SRUN_FROM.match(low, cs)
        if run is not None and any(ch.isalpha() for ch in run.group()):
            digits, n_single = _spoken_to_digits(run.group())
            _label_spoken(low, cs, run.end(), digits, n_single, expect, out)


def _address_match(
    text: str, low: str, start: int, end: int, words: list[str], out: list[_Candidate]
) -> bool:
    """Check the street-name words, then take the city, state and ZIP code that follow."""
    if not words or any(w in _NOT_STREET for w in words):
        return False
    if all(w in _UNIT_WORDS or w in _TEEN_WORDS or w in _TENS_WORDS for w in words):
        return False
    tail = _ADDR_TAIL.match(low, end)
    if tail is not None:
        city_words = tail.group("city").replace(",", " ").split()
        last = len(city_words) - 1
        if all(w not in _NOT_NAME or (i == last and len(w) == 2) for i, w in enumerate(city_words)):
            addr_end = tail.start("zip")
            while addr_end > end and low[addr_end - 1] in " ,":
                addr_end -= 1
            out.append((start, addr_end, "ADDRESS", "address"))
            out.append((tail.start("zip"), tail.end("zip"), "ZIP", "address"))
            return True
    m = _ADDR_CITY_STATE.match(text, end)
    out.append((start, m.end() if m is not None else end, "ADDRESS", "address"))
    return True


def _with_id_prefix(ctx: str, s: int) -> int:
    """Start an identifier at the letters said before its digits ("lk eight oh three ...")."""
    prefix = _ACCT_PREFIX_END.search(ctx)
    if prefix is not None and prefix.group(1) not in _NOT_NAME and prefix.group(1) not in _FILLERS:
        return s - (len(ctx) - prefix.start(1))
    return s


def _label_spoken(
    low: str, s: int, e: int, digits: str, n_single: int, expect: frozenset[str], out: list[_Candidate]
) -> None:
    """Decide what a run of spoken digits is from its length, its checksum and the words before it."""
    n = len(digits)
    if n < 4:
        return
    ctx = low[max(0, s - 48) : s]
    if 13 <= n <= 19 and _luhn_ok(digits):
        out.append((s, e, "CARD", "spoken"))
        return
    if n in (5, 9) and ("ZIP" in expect or _ZIP_CUE_END.search(ctx)):
        out.append((s, e, "ZIP", "prompt" if "ZIP" in expect else "cue"))
        return
    if n == 9 and ("ID" in expect or _SSN_CUE_END.search(ctx)):
        out.append((s, e, "ID", "spoken"))
        return
    if _ACCT_CUE_END.search(ctx):
        out.append((_with_id_prefix(ctx, s), e, "ACCOUNT", "spoken"))
        return
    if 13 <= n <= 19 and ("CARD" in expect or _CARD_CUE_NEAR.search(ctx)):
        out.append((s, e, "CARD", "prompt" if "CARD" in expect else "cue"))
        return
    if n < 7:
        if "ACCOUNT" in expect:
            out.append((_with_id_prefix(ctx, s), e, "ACCOUNT", "prompt"))
        return
    # digits read one by one, not prices or years said in pairs ("forty nine ninety nine")
    if n_single < 4 or 2 * n_single < n:
        return
    if "ACCOUNT" in expect and "PHONE" not in expect:
        out.append((_with_id_prefix(ctx, s), e, "ACCOUNT", "prompt"))
    elif n <= 15:
        out.append((s, e, "PHONE", "spoken"))
    else:
        out.append((s, e, "ID", "spoken"))


def _scan_words(text: str, low: str, out: list[_Candidate], expect: frozenset[str]) -> None:
    """One pass of the word scanner; each hit goes to its family's handler."""
    scan = " " + low
    if "\n" in scan:
        scan = scan.replace("\n", " ")
    if "\t" in scan:
        scan = scan.replace("\t", " ")
    for m in _SCAN.finditer(scan):
        family = (m.lastgroup or "").partition("__")[0]
        # offsets in ``low``: the match starts with the space before the word
        s, e = m.start(), m.end() - 1
        if family == "srun":
            street = _SPOKEN_STREET.match(low, e)
            if street is not None and _address_match(
                text, low, s, street.end(), street.group(1).split(), out
            ):
                continue
            if " " not in low[s:e].strip():
                continue  # one number word, no street after it
            while e > s and low[e - 1] in " ,.;-\t":
                e -= 1
            digits, n_single = _spoken_to_digits(low[s:e])
            _label_spoken(low, s, e, digits, n_single, expect, out)
        elif family == "acct":
            _account_value(low, e, out)
        elif family == "dob":
            v = _DOB_VALUE.match(low, e)
            if v is not None:
                val = v.group("val")
                # "born in 1980" takes a bare year; the other cues need a date
                if val[0].isdigit() and len(val) <= 4 and not low.startswith("born", s):
                    continue
                if val[0] == "'" or (val.isdigit() and len(val) == 2):
                    continue
                out.append((v.start("val"), v.end("val"), "DOB", "cue"))
        elif family == "zip":
            v = _ZIP_VALUE.match(low, e)
            if v is not None:
                out.append((v.start("val"), v.end("val"), "ZIP", "cue"))
        elif family == "ssn":
            v = _SSN_VALUE.match(low, e)
            if v is not None:
                out.append((v.start("val"), v.end("val"), "ID", "cue"))
        else:
            span = _name_cue(text, low, family, s, e)
            if span is not None:
                out.append((span[0], span[1], "NAME", "cue"))


def _find_signoffs(text: str, low: str, out: list[_Candidate]) -> None:
    """The name under a sign-off ("Kind regards,\nDana Smith") or a signature delimiter ("--")."""
    for m in _SIGNOFF.finditer("\n" + low):
        span = _name_after(text, m.end() - 1, need_capital=low != text, max_words=3)
        if span is not None and _SIGN_END.match(text, span[1]) is not None:
            out.append((span[0], span[1], "NAME", "cue"))


def _account_value(low: str, e: int, out: list[_Candidate]) -> None:
    v = _ACCT_VALUE.match(low, e)
    if v is None:
        return
    val = v.group("val")
    n_digits = sum(ch.isdigit() for ch in val)
    if n_digits < 4 or low.startswith("/", v.end()):
        return
    if _UNITS_AFTER.match(low, v.end()) or _DATE_OR_AMOUNT.fullmatch(val):
        return
    if (
        n_digits == 4
        and val.isdigit()
        and val[:2] in ("19", "20")
        and _ACCT_NUMBER_WORD.search(low, e, v.start("val")) is None
    ):
        return  # "policy 2024": a year
    out.append((v.start("val"), v.end("val"), "ACCOUNT", "cue"))


def _name_cue(text: str, low: str, family: str, s: int, e: int) -> tuple[int, int] | None:
    """The name a cue introduces, checked against the stop list (and capitals for weak cues)."""
    # in text that has capitals, a name has one too; in all-lower-case text (ASR, quick chat)
    # the punctuated cues (greetings, "the agent, dana,") go by the stop list alone
    cased = low != text
    if family in _WEAK_FAMILIES and (cased or family not in _PUNCTUATED_FAMILIES):
        lead = _NAME_LEAD.match(text, e)
        j = lead.end() if lead is not None else e
        if not text[j : j + 1].isupper():
            return None
    if family in ("nname", "nstrong"):
        if low.startswith("call me", s):
            return _name_after(text, e, need_capital=True, max_words=2)
        return _name_after(text, e, need_capital=False)
    if family == "nform":
        return _name_after(text, e, need_capital=True)
    if family == "nthis":
        # "this is dana calling" in lower-case text; "This is Dana" with a capital
        span = _name_after(text, e, need_capital=cased)
        if span is not None and _THIS_IS_STRONG.match(low, span[1]) is None:
            # weak: "Hi, this is Dana." at the start of a sentence, the name ending it or a clause
            if _THIS_IS_START.search(low, max(0, s - 12), s) is None:
                return None
            span = _name_after(text, e, need_capital=True)
            if span is not None and _CLAUSE_END.match(text, span[1]) is None:
                return None
        return span
    if family == "nim":
        span = _name_after(text, e, need_capital=cased)
        if span is None or _IM_STRONG.match(low, span[1]) is not None:
            return span
        span = _name_after(text, e, need_capital=True)
        if span is not None and _IM_WEAK.match(low, span[1]) is None:
            return None
        return span
    if family == "ngreet":
        return _name_after(text, e, need_capital=cased, max_words=2)
    if family == "nrole":
        if _DETERMINER_END.search(low, max(0, s - 8), s) is None:
            return None  # "the agent, Dana, said": not "Driver, License"
        span = _name_after(text, e, need_capital=cased, max_words=2)
        return span if span is not None and text.startswith(",", span[1]) else None
    if family == "ntitle":
        cue = low[s:e]
        span = _name_after(text, e, need_capital=not cue.startswith(("mr", "mister")), max_words=2)
        return (s, span[1]) if span is not None else None
    if family == "nverb":
        if low.endswith(" from", s, e):
            # "call from Jacob Fitzgerald (312-...)": a person with contact details, not a company
            span = _name_after(text, e, need_capital=True, max_words=3)
            if span is None or _CONTACT_AFTER.match(text, span[1]) is None:
                return None
            return span
        if low.startswith("named", s) and _ORG_NAMED_END.search(low, max(0, s - 16), s) is not None:
            return None  # "a company named Mosaic"
        return _name_after(text, e, need_capital=True, max_words=2)
    if family == "nhere":
        before = _NAME_BEFORE.search(text, max(0, s - 60), s)
        if before is None:
            return None
        span = _name_after(text, before.start(1), need_capital=True, max_words=3)
        if span is not None and span[1] == s - 1:
            return span
    return None


def _prompt_expectations(prompt: str | None) -> frozenset[str]:
    """The labels a prompt asks for (remembered for short prompts: agents' questions repeat)."""
    if not prompt:
        return frozenset()
    if len(prompt) <= _CACHE_MAX_CHARS:
        return _short_prompt_expectations(prompt)
    return _expectations(prompt)


@functools.lru_cache(maxsize=4096)
def _short_prompt_expectations(prompt: str) -> frozenset[str]:
    return _expectations(prompt)


def _expectations(prompt: str) -> frozenset[str]:
    low = prompt.lower()
    found = {
        label
        for label, cue in _PROMPT_CUES.items()
        if any(g in low for g in _PROMPT_GATES[label]) and cue.search(low)
    }
    if "ACCOUNT" in found and "PHONE" in found:
        found.discard("ACCOUNT")  # "the phone number on the account" asks for a phone number
    return frozenset(found)


def _answer_candidates(text: str, low: str, expect: frozenset[str], out: list[_Candidate]) -> None:
    """Answers to a verification question: the value without its own cue."""
    if "DOB" in expect:
        m = _DATE_SEARCH.search(low)
        if m is not None:
            out.append((m.start(), m.end(), "DOB", "prompt"))
    if "ZIP" in expect:
        for m in _ANSWER_ZIP.finditer(low):
            out.append((m.start(), m.end(), "ZIP", "prompt"))
    if "NAME" in expect:
        lead = _ANSWER_LEAD.match(low)
        span = _name_after(text, lead.end() if lead is not None else 0, need_capital=False)
        if span is not None:
            out.append((span[0], span[1], "NAME", "prompt"))
    if expect & {"ACCOUNT", "CARD", "ID"}:
        for m in _ANSWER_ID.finditer(low):
            n = len(_digits_of(m.group()))
            if "CARD" in expect and 13 <= n <= 19:
                out.append((m.start(), m.end(), "CARD", "prompt"))
            elif "ID" in expect and n == 9:
                out.append((m.start(), m.end(), "ID", "cue"))
            elif "ACCOUNT" in expect and n >= 4 and not _UNITS_AFTER.match(low, m.end()):
                out.append((m.start(), m.end(), "ACCOUNT", "prompt"))


def _ner_candidates(nlp: Any, text: str, out: list[_Candidate]) -> None:
    if not callable(nlp):
        raise TypeError(Errors.E603.format(func="detect_pii", value=type(nlp).__name__))
    doc = nlp(text)
    for ent in getattr(doc, "ents", ()):
        if ent.label_ in ("PERSON", "PER"):
            out.append((ent.start_char, ent.end_char, "NAME", "ner"))


def _check_labels(labels: Collection[str] | None, name: str) -> frozenset[str] | None:
    if labels is None:
        return None
    if isinstance(labels, str):
        labels = [labels]
    unknown = sorted(set(labels) - _LABEL_SET)
    if unknown:
        raise ConfigError(Errors.E601.format(value=unknown, name=name, expected=", ".join(PII_LABELS)))
    return frozenset(labels)


def _detect(
    text: str,
    *,
    extra: Iterable[_Candidate] = (),
    labels: frozenset[str] | None = None,
    allow: frozenset[str] = frozenset(),
    prompt: str | None = None,
    expect: frozenset[str] | None = None,
) -> list[PiiSpan]:
    """The spans of ``text``; ``expect``, when given, stands for ``_prompt_expectations(prompt)``."""
    if not text:
        return []
    low = text.lower()
    if len(low) != len(text):
        low = _lower_same_length(text)
    out: list[_Candidate] = list(extra) if extra else []
    if expect is None:
        expect = _prompt_expectations(prompt) if prompt else _NOTHING
    if "@" in text:
        _find_emails(text, low, out)
    if " at " in low or "[at]" in low or "(at)" in low:
        _find_word_emails(low, out)
    if "/" in text:
        _find_urls(text, low, out)
    _find_numbers(text, low, out, expect)
    if "\n" in text:
        _find_signoffs(text, low, out)
    _scan_words(text, low, out, expect)
    if expect:
        _answer_candidates(text, low, expect, out)
    if not out:
        return []
    if labels is not None:
        out = [c for c in out if c[2] in labels]
    if allow:
        out = [c for c in out if not _allowed(text[c[0] : c[1]], c[2], allow)]
    return _dedupe_sorted(out) if out else []


def _allowed(value: str, label: str, allow: frozenset[str]) -> bool:
    if value.lower() in allow:
        return True
    return label == "NAME" and any(w.lower() in allow for w in _NAME_WORD.findall(value))


# ---------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------


def detect_pii(
    text: str,
    *,
    nlp: Callable[[str], Doc] | None = None,
    labels: Collection[str] | None = None,
    allow_list: Iterable[str] = (),
    prompt: str | None = None,
) -> list[PiiSpan]:
    """Find the personal data in a text.

    Args:
        text: the text to search (one turn, message or comment).
        nlp: a spaCy pipeline with an entity recogniser; its PERSON entities
            become ``NAME`` spans. Without it, names are found from cues only.
        labels: find only these labels (all of :data:`PII_LABELS` when None).
        allow_list: values that are never personal data here (a company or
            product name that looks like a person's), matched case-insensitively.
        prompt: the turn before this one (usually the agent's question), so
            that bare answers to verification questions are found.

    Returns:
        Non-overlapping spans in text order. Offsets index ``text``.

    Raises:
        TypeError: ``text`` is not a str, or ``nlp`` is not callable.
        ConfigError: ``labels`` names an unknown label.

    Examples:
        >>> [(s.label, s.method) for s in detect_pii("Mail jane.doe@example.com or call +1 (555) 010-2000.")]
        [('EMAIL', 'regex'), ('PHONE', 'regex')]
        >>> spans = detect_pii("my name is dana smith and my number is five five five oh one two three four five six")
        >>> [(s.label, s.method) for s in spans]
        [('NAME', 'cue'), ('PHONE', 'spoken')]
        >>> detect_pii("The FB-500 router cost $49.99 on 3 March.")
        []
        >>> [s.label for s in detect_pii("March 27th, 1971.", prompt="And your date of birth?")]
        ['DOB']
    """
    if not isinstance(text, str):
        raise TypeError(Errors.E602.format(func="detect_pii", value=type(text).__name__))
    label_set = _check_labels(labels, "labels")
    extra: list[_Candidate] = []
    if nlp is not None:
        _ner_candidates(nlp, text, extra)
    allow = _allow_set(tuple(allow_list))
    return _detect(text, extra=extra, labels=label_set, allow=allow, prompt=prompt)


_CACHE_MAX_CHARS = 256


@functools.lru_cache(maxsize=64)
def _allow_set(allow_list: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased allow list (a pipeline passes the same catalog names for every turn)."""
    return frozenset(a.lower() for a in allow_list)


@functools.lru_cache(maxsize=16384)
def _redact_short(
    text: str, expect: frozenset[str], allow: frozenset[str]
) -> tuple[str, tuple[PiiSpan, ...]]:
    """Redact a short text, remembering the result.

    Scripted lines (IVR prompts, greetings, verification questions) and their
    answers ("yes", "that's right", a postcode read back) repeat thousands of
    times in a contact-centre corpus. The spans depend on the prompt only
    through what it asks for (``expect``, from :func:`_prompt_expectations`),
    so that is the key, with the lower-cased allow list. Only short texts are
    kept, so the cache stays small (at most 16,384 entries of 256 characters).
    """
    spans = _detect(text, allow=allow, expect=expect)
    return (apply_spans(text, spans) if spans else text), tuple(spans)


def _redacted(
    text: str,
    nlp: Callable[[str], Doc] | None,
    labels: Collection[str] | None,
    allow_list: Iterable[str],
    prompt: str | None,
) -> tuple[str, list[PiiSpan]]:
    """:func:`redact_with_spans` once ``text`` is known to be a str (short texts from the cache)."""
    if nlp is None and labels is None:
        allow = _allow_set(tuple(allow_list))
        if len(text) <= _CACHE_MAX_CHARS:
            redacted, cached = _redact_short(text, _prompt_expectations(prompt), allow)
            return redacted, list(cached)
        spans = _detect(text, prompt=prompt, allow=allow)
    else:
        spans = detect_pii(text, nlp=nlp, labels=labels, allow_list=allow_list, prompt=prompt)
    return (apply_spans(text, spans) if spans else text), spans


def apply_spans(text: str, spans: Iterable[PiiSpan]) -> str:
    """Replace each span with its placeholder; every other character stays as it was.

    The spans must be sorted and must not overlap, as :func:`detect_pii` returns them.

    Examples:
        >>> apply_spans("call 020 7946 0958 now", [PiiSpan(5, 18, "PHONE", "regex")])
        'call [PHONE] now'
    """
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start_char])
        parts.append(PLACEHOLDERS[span.label])
        pos = span.end_char
    parts.append(text[pos:])
    return "".join(parts)


def redact_with_spans(
    text: str,
    *,
    nlp: Callable[[str], Doc] | None = None,
    labels: Collection[str] | None = None,
    allow_list: Iterable[str] = (),
    prompt: str | None = None,
) -> tuple[str, list[PiiSpan]]:
    """Redact a text and say what was redacted.

    Args:
        text: the text to redact.
        nlp: see :func:`detect_pii`.
        labels: see :func:`detect_pii`.
        allow_list: see :func:`detect_pii`.
        prompt: see :func:`detect_pii`.

    Returns:
        The redacted text and the spans that were replaced; span offsets index
        the original ``text``.

    Examples:
        >>> redact_with_spans("ref: XK22931, thanks")
        ('ref: [ACCOUNT], thanks', [PiiSpan(start_char=5, end_char=12, label='ACCOUNT', method='cue')])
    """
    if not isinstance(text, str):
        raise TypeError(Errors.E602.format(func="redact_with_spans", value=type(text).__name__))
    return _redacted(text, nlp, labels, allow_list, prompt)


def redact(
    text: str,
    *,
    nlp: Callable[[str], Doc] | None = None,
    labels: Collection[str] | None = None,
    allow_list: Iterable[str] = (),
    prompt: str | None = None,
) -> str:
    """Replace the personal data in a text with typed placeholders (``[EMAIL]``, ``[PHONE]`` ...).

    Text outside the personal data is kept character for character, and text
    that is already redacted comes back unchanged.

    Args:
        text: the text to redact.
        nlp: see :func:`detect_pii`.
        labels: see :func:`detect_pii`.
        allow_list: see :func:`detect_pii`.
        prompt: see :func:`detect_pii`.

    Returns:
        The redacted text.

    Examples:
        >>> redact("Hi, this is Dana Smith, card 4111 1111 1111 1111, I live at 42 Oak Lane.")
        'Hi, this is [NAME], card [CARD], I live at [ADDRESS].'
        >>> redact("account number is 12345678 and the LV-HD-200 box was £12")
        'account number is [ACCOUNT] and the LV-HD-200 box was £12'
        >>> import hotline_insight as hi
        >>> turns = [t.text for i in hi.read("sample_data/tickets/freshdesk") for t in i.turns]
        >>> sum("[PHONE]" in redact(t) for t in turns) > 0
        True
    """
    if not isinstance(text, str):
        raise TypeError(Errors.E602.format(func="redact", value=type(text).__name__))
    return _redacted(text, nlp, labels, allow_list, prompt)[0]


# ---------------------------------------------------------------------------
# the spaCy component
# ---------------------------------------------------------------------------

_CFG_FILE = "cfg.json"


class Redactor:
    """spaCy component ``hotline_redactor``: marks personal data in ``doc.spans["hi_pii"]``.

    It does not change the text (a Doc's text cannot change): redact with
    :func:`redact` before making the Doc, as the grievance pipeline does. On
    text that is already redacted, it marks the placeholders (method
    ``"placeholder"``) so later components can skip them. Each span's label is
    the PII label and ``span._.hi_method`` says how it was found. PERSON
    entities already on the Doc (from a trained NER) are marked as ``NAME``.

    Examples:
        >>> import spacy
        >>> import hotline_insight.nlp.redact
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("hotline_redactor")
        >>> doc = nlp("Reach me at jane@example.com, not [PHONE].")
        >>> [(s.text, s.label_, s._.hi_method) for s in doc.spans["hi_pii"]]
        [('jane@example.com', 'EMAIL', 'regex'), ('[PHONE]', 'PHONE', 'placeholder')]
    """

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "hotline_redactor",
        *,
        spans_key: str = "hi_pii",
        labels: list[str] | None = None,
        allow_list: list[str] | None = None,
        use_ents: bool = True,
        mark_placeholders: bool = True,
    ) -> None:
        register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.labels = labels
        self.allow_list = list(allow_list or [])
        self.use_ents = use_ents
        self.mark_placeholders = mark_placeholders
        self._validate()

    def _validate(self) -> None:
        if not isinstance(self.spans_key, str) or not self.spans_key:
            raise ConfigError(
                Errors.E606.format(name="spans_key", expected="a non-empty str", value=self.spans_key)
            )
        for key in ("use_ents", "mark_placeholders"):
            if not isinstance(getattr(self, key), bool):
                raise ConfigError(Errors.E606.format(name=key, expected="a bool", value=getattr(self, key)))
        if not all(isinstance(a, str) for a in self.allow_list):
            raise ConfigError(
                Errors.E606.format(name="allow_list", expected="a list of str", value=self.allow_list)
            )
        self._label_set = _check_labels(self.labels, "labels")
        self._allow = frozenset(a.lower() for a in self.allow_list)

    @property
    def cfg(self) -> dict[str, Any]:
        """The settings, as saved by :meth:`to_disk`."""
        return {
            "spans_key": self.spans_key,
            "labels": None if self.labels is None else list(self.labels),
            "allow_list": list(self.allow_list),
            "use_ents": self.use_ents,
            "mark_placeholders": self.mark_placeholders,
        }

    def find(self, doc: Doc) -> list[PiiSpan]:
        """The PII spans of a Doc's text (character offsets)."""
        text = doc_text(doc)
        extra: list[_Candidate] = []
        if self.use_ents and doc.has_annotation("ENT_IOB"):
            extra = [
                (e.start_char, e.end_char, "NAME", "ner") for e in doc.ents if e.label_ in ("PERSON", "PER")
            ]
        if not extra and self._label_set is None and not self._allow and len(text) <= _CACHE_MAX_CHARS:
            spans = list(_redact_short(text, _NOTHING, _NOTHING)[1])
        else:
            spans = _detect(text, extra=extra, labels=self._label_set, allow=self._allow)
        if self.mark_placeholders and "[" in text:
            marks = [
                PiiSpan(m.start(), m.end(), m.group(1), "placeholder")
                for m in _PLACEHOLDER.finditer(text)
                if self._label_set is None or m.group(1) in self._label_set
            ]
            if marks:
                spans = sorted([*spans, *marks])
        return spans

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import SpanGroup

        found = []
        seen: set[tuple[int, int, str]] = set()
        for pii in self.find(doc):
            span = doc.char_span(pii.start_char, pii.end_char, label=pii.label, alignment_mode="expand")
            if span is None or (span.start, span.end, pii.label) in seen:
                continue
            seen.add((span.start, span.end, pii.label))
            span._.hi_method = pii.method
            found.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=found)
        return doc

    # -- serialisation -------------------------------------------------------
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.cfg, sort_keys=True).encode("utf-8")

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> Redactor:
        self._load_cfg(bytes_data.decode("utf-8"), "bytes")
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _CFG_FILE).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Redactor:
        path = Path(path) / _CFG_FILE
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(Errors.E605.format(source=path, reason=type(exc).__name__)) from exc
        self._load_cfg(raw, str(path))
        return self

    def _load_cfg(self, raw: str, source: str) -> None:
        try:
            cfg = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(Errors.E605.format(source=source, reason="not valid JSON")) from exc
        if not isinstance(cfg, dict):
            raise ConfigError(Errors.E605.format(source=source, reason="expected a JSON object"))
        unknown = sorted(set(cfg) - set(self.cfg))
        if unknown:
            raise ConfigError(Errors.E605.format(source=source, reason=f"unknown settings {unknown}"))
        for key, value in cfg.items():
            setattr(self, key, value)
        self.allow_list = list(self.allow_list or [])
        self._validate()


@Language.factory(
    "hotline_redactor",
    assigns=["doc.spans"],
    default_config={
        "spans_key": "hi_pii",
        "labels": None,
        "allow_list": [],
        "use_ents": True,
        "mark_placeholders": True,
    },
)
def make_redactor(
    nlp: Language,
    name: str,
    spans_key: str,
    labels: list[str] | None,
    allow_list: list[str],
    use_ents: bool,
    mark_placeholders: bool,
) -> Redactor:
    """Factory of the ``hotline_redactor`` component (see :class:`Redactor`).

    Settings: ``spans_key`` (the span group to write, ``"hi_pii"``), ``labels``
    (only these PII labels; all when null), ``allow_list`` (values never marked),
    ``use_ents`` (mark PERSON entities already on the Doc), ``mark_placeholders``
    (mark ``[EMAIL]``-style placeholders in text that is already redacted).

    Examples:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> pipe = nlp.add_pipe("hotline_redactor", config={"labels": ["EMAIL"]})
        >>> doc = nlp("jane@example.com, 555-010-2000")
        >>> [s.label_ for s in doc.spans["hi_pii"]]
        ['EMAIL']
    """
    return Redactor(
        nlp,
        name,
        spans_key=spans_key,
        labels=labels,
        allow_list=allow_list,
        use_ents=use_ents,
        mark_placeholders=mark_placeholders,
    )


def iter_redacted(texts: Iterable[str], **kwargs: Any) -> Iterator[tuple[str, list[PiiSpan]]]:
    """:func:`redact_with_spans` over many texts (same keyword arguments).

    Examples:
        >>> [r for r, _ in iter_redacted(["call 020 7946 0958", "no pii here"])]
        ['call [PHONE]', 'no pii here']
    """
    for text in texts:
        yield redact_with_spans(text, **kwargs)

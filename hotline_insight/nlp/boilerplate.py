"""``hotline_boilerplate``: mark scripted text (greetings, IVR, holds, sign-offs ...).

The component never deletes anything: it writes spans to
``doc.spans["hi_boilerplate"]`` whose ``label_`` is the kind of script, and
later components (complaint detection first) skip the tokens those spans cover.

Kinds:

======================  =====================================================================
``greeting``            "thank you for calling Larkspur, this is Dana", "how can I help",
                        "Hi Roger," (a salutation line), "You're now chatting with Sam."
``ivr``                 "press 1 for billing", "your call is important to us",
                        "calls may be recorded", "you are number two in the queue"
``hold``                "please hold", "I'll put you on a brief hold", "thanks for holding",
                        "bear with me", "let me just check that for you"
``verification``        "can you confirm your date of birth", "for security can I take the
                        first line of your address", "I just need to verify"
``closing``             "is there anything else I can help with", "have a great day",
                        "thanks for contacting us", "I hope this helps", "no, that's everything"
``signature``           e-mail sign-offs: "Kind regards,\\nJane", "Sent from my iPhone", a
                        trailing block of name / title / phone lines
``disclaimer``          "This e-mail and any attachments are confidential ..."
``quoted_reply``        quoted earlier e-mails: ">" lines, "On Mon, 3 Mar 2026 ... wrote:",
                        "-----Original Message-----", "From: ... Sent: ..." and all that follows
======================  =====================================================================

How it decides, per turn:

1. **Layout** (only when the text has line breaks): quoted replies from their
   header line to the end of the text, runs of ``>`` lines, disclaimer
   paragraphs, and signatures (a sign-off line followed only by short lines, a
   "Sent from my ..." line, or a trailing paragraph of name / title / contact
   lines). These spans are line ranges (``span._.hi_method == "layout"``).
2. **Script phrases**, per unit (a sentence, cut at blank lines and around the
   layout spans): compiled regular expressions, tried only at words that can
   start them (``_text.PhraseIndex``), find script phrases; a unit is
   boilerplate when a phrase matched, at most ``max(slack_words, slack_ratio *
   words)`` *content* words of the unit are left uncovered (fillers, function
   words and names are not content) and the phrases cover at least twice as
   many words as are left. So
   "bear with me, I'm just going to place you on hold for a minute" is a hold,
   but "thanks for holding, the paper bill fee is $2.50 a month" is not: the
   fee sentence carries content. The unit's kind is the kind whose phrases
   cover most words (``span._.hi_method == "regex"``). Spans are whole units.

Roles: IVR, verification and most hold phrases are only looked for in turns
whose ``doc._.hi_role`` is ``agent``, ``system`` or ``bot``; customers' (and
unknown speakers') turns are searched for greetings, closings, signatures,
disclaimers, quoted replies and the customer side of holds ("hang on a sec"),
so a customer's "I was on hold for an hour" is never taken for a hold script.
Where a trained pipeline set ``doc.ents``, PERSON and ORG entities count as
names (not content).

Patterns are kept general (no company names): they were written from the
scripts in ``sample_data`` (calls, chats, tickets) and common contact-centre
and e-mail conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import ConfigError, Errors
from ._extensions import doc_text, register_extensions
from ._serialise import JsonSettings
from ._text import PhraseIndex, iter_units, rewrite_pattern

__all__ = ["AGENT_ROLES", "BOILERPLATE_KINDS", "Boilerplate"]

SPAN_KEY = "hi_boilerplate"
BOILERPLATE_KINDS = (
    "greeting",
    "ivr",
    "hold",
    "verification",
    "closing",
    "signature",
    "disclaimer",
    "quoted_reply",
)
"""The span labels ``hotline_boilerplate`` writes."""

AGENT_ROLES = frozenset({"agent", "system", "bot"})
"""Roles whose turns are searched for every kind of script."""

_DATA_VERSION = 1
_COMPONENT = "hotline_boilerplate"
_AMBIGUOUS = "ambiguous"  # "thanks for contacting us": greeting or closing by position
# Priority when two kinds cover the same number of words.
_PRIORITY = {k: i for i, k in enumerate(("ivr", "verification", "hold", "greeting", "closing", "signature"))}

# ---------------------------------------------------------------------------
# Script phrases. A space in a pattern means "word gap": punctuation and at most
# two fillers ("um", "you know", "like") may stand there, as in ASR text.
# ---------------------------------------------------------------------------

_FILLER = (
    r"(?:u+m+|u+h+|uh huh|e+r+|erm|mm hm|mm|hmm|like|you know|i mean|yeah|so|just|well|okay|ok|oh|right)"
)
_SEP = r"[\s,;:.!?\-–—…]+"
_GAP = rf"{_SEP}(?:{_FILLER}{_SEP}){{0,2}}"
_APOS = "['’]?"
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|zero|ten)"
_WAIT = r"(?:moment|minute|min|second|sec|mo|tick)s?"
_VERIFY_OBJ = (
    r"(?:date of birth|birthday|dob|first line of (?:the|your) address|(?:billing |home |postal )?address"
    r"|zip(?: code)?|post ?code|account number|phone number|mobile number|number on the account"
    r"|e-?mail(?: address)?|security (?:question|answer|word|code)|password|passcode|pin"
    r"|last (?:four|4|two|2) digits(?: of the card)?|card on file|maiden name|full name|identity)"
)

Pattern = tuple[str, str, Literal["any", "agent"]]

_PHRASES: tuple[Pattern, ...] = (
    # -- greeting ------------------------------------------------------------
    ("greeting", r"(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|to whom it may concern)", "any"),
    ("greeting", r"(?:how|what) (?:can|may|could|might) (?:i|we) (?:help|assist|do)(?: you)?(?: with)?(?: for you)?(?: today| this (?:morning|afternoon|evening))?", "any"),
    ("greeting", r"what can i help you with(?: today)?", "any"),
    ("greeting", r"what(?:'s| is) the reason for (?:your|the) (?:call|contact|chat|message)(?: today)?", "any"),
    ("greeting", r"(?:my name is|my name's|you're (?:speaking|through) (?:with|to)|you've reached|you have reached|you are (?:speaking|through) (?:with|to)) [\w'’-]+(?: [\w'’-]+)?", "any"),
    ("greeting", r"(?:hello and )?welcome to(?: [\w'’-]+){1,3}", "any"),
    ("greeting", r"(?:can|could|may) i (?:take|have|get|start with) your (?:full )?name(?: please)?", "any"),
    ("greeting", r"before we start", "any"),
    ("greeting", r"i'm (?:just )?reading (?:through|over) your (?:message|email|e-mail|request|ticket)(?: now)?", "any"),
    ("greeting", r"has joined the (?:chat|conversation)", "any"),
    ("greeting", r"you're (?:now )?chatting with(?: [\w'’-]+)?", "any"),
    ("greeting", r"(?:virtual|digital|automated|ai) (?:assistant|agent)", "any"),
    ("greeting", r"(?:i'm|i am) (?:the |your |an? )?(?:[\w'’-]+ ){0,2}(?:assistant|bot|chatbot)", "any"),
    ("greeting", r"tell me in a few words what you need(?: help with)?", "any"),
    ("greeting", r"(?:sorry|apologies) (?:for|about) the (?:slow|late|delayed) (?:reply|response)", "any"),
    ("greeting", r"i apologi[sz]e for the (?:delay|delayed response|late reply)", "any"),
    ("greeting", r"(?:i hope|hope) (?:you're|you are|this finds you) (?:well|doing well)", "any"),
    ("greeting", r"(?:this is|i'm|i am) (?!(?:not|so|very|really|sorry|afraid|just|going|the|a|an|calling|trying|about|what|how|why|it|your|my|our|unable|happy|glad|here|still|now|ridiculous|unacceptable|looking|checking|pulling|reading|putting|placing|connecting|on|in|at|sure|also)\b)[\w'’-]+(?: from (?:the )?[\w'’-]+(?: [\w'’-]+){0,2} team| speaking| here)?", "agent"),
    ("greeting", r"(?:[\w'’-]+ ){0,3}speaking", "agent"),
    # "thanks for contacting us" opens e-mails and closes calls: resolved by position
    (_AMBIGUOUS, r"thank(?:s| you)(?: so much| very much)? for (?:calling|contacting|choosing|getting in touch|reaching out|your (?:call|message|email|e-mail|enquiry|inquiry))(?: (?:with|to))?(?: us)?", "any"),
    # -- ivr -----------------------------------------------------------------
    ("ivr", rf"press {_NUM}", "agent"),
    ("ivr", r"for(?: [\w'’-]+){1,4} press", "agent"),
    ("ivr", r"your call is (?:very )?important(?: to us)?", "agent"),
    ("ivr", r"(?:this |your )?calls? (?:is being|are being|may be|will be|might be|can be) (?:recorded|monitored)(?: (?:and|or) (?:recorded|monitored))?", "agent"),
    ("ivr", r"for (?:quality|training|monitoring)(?: (?:and|or) (?:quality|training|monitoring))?(?: purposes)?", "agent"),
    ("ivr", r"you are (?:number|caller(?: number)?) [\w-]+(?: in (?:the|our) queue)?", "agent"),
    ("ivr", r"in (?:the|our) queue", "agent"),
    ("ivr", r"please (?:say|enter|key in|type)(?: or (?:say|enter|key in))?(?: your)?(?: [\w'’-]+){0,3}", "agent"),
    ("ivr", r"followed by the (?:hash|pound|star)(?: key| sign)?", "agent"),
    ("ivr", r"(?:please )?stay on the line(?: to(?: [\w'’-]+){1,5})?", "agent"),
    ("ivr", r"on a scale of \w+ to \w+", "agent"),
    ("ivr", r"how likely are you to recommend(?: [\w'’-]+){0,2}", "agent"),
    ("ivr", r"(?:please )?press a (?:number|key)(?: now)?", "agent"),
    ("ivr", r"did you know (?:that )?you can(?: [\w'’-]+){0,12}", "agent"),
    ("ivr", r"(?:all )?(?:of )?our (?:agents|advisors|advisers|representatives|team members|operators|lines) are (?:currently )?(?:busy|engaged|helping other customers)", "agent"),
    ("ivr", r"(?:the )?(?:next|first) available (?:agent|advisor|adviser|representative|operator|team member)", "agent"),
    ("ivr", r"(?:please )?listen carefully", "agent"),
    ("ivr", r"(?:our )?(?:menu )?options have (?:recently )?changed", "agent"),
    ("ivr", r"rate your experience(?: with us)?(?: today)?", "agent"),
    # -- hold ----------------------------------------------------------------
    ("hold", rf"(?:i'll |i will |i'm going to |i am going to |i'm gonna )?(?:just )?(?:put|place|pop|putting|placing|popping) you on(?: a)?(?: (?:brief|short|quick))? hold(?: (?:for )?(?:a|one|two|a couple of|a few) {_WAIT}(?: or two)?)?", "agent"),
    ("hold", r"(?:can|may|could) i (?:just )?(?:put|place|pop) you on(?: a)?(?: (?:brief|short|quick))? hold", "agent"),
    ("hold", r"do you mind if i (?:just )?(?:put|place|pop) you on(?: a)?(?: (?:brief|short|quick))? hold", "agent"),
    ("hold", r"while i (?:just )?(?:look into|check|look at|find out|sort)(?: (?:this|that|it|for you))*", "agent"),
    ("hold", r"(?:i'm|i am) still here", "any"),
    ("hold", r"(?:i'm |i am )?(?:just )?reading (?:through )?the notes", "agent"),
    ("hold", r"please hold(?: the line)?(?: while(?: [\w'’-]+){1,6})?", "agent"),
    ("hold", r"thank(?:s| you)(?: so much)? for (?:holding|waiting|your patience|bearing with me|being (?:so )?patient)", "any"),
    ("hold", r"sorry (?:for|about) (?:the|your|keeping you) (?:wait|waiting|hold|delay)", "agent"),
    ("hold", rf"bear with me(?: (?:a|one|for a) {_WAIT})?", "any"),
    ("hold", rf"(?:just )?(?:one|a) {_WAIT}(?: please)?", "any"),
    ("hold", rf"give me (?:a|one|two|a couple of)(?: (?:quick|short))? {_WAIT}", "any"),
    ("hold", r"let me (?:just )?(?:check|have a (?:quick )?look|take a (?:quick )?look|look into|pull up|see what|find out)(?: (?:that|this|it|into it|into that|for you|on that|what i can do|up|at|your account|the account))*", "agent"),
    ("hold", r"i'm (?:just )?(?:pulling|bringing|checking|looking)(?: (?:that|this|it|your account|the account|up|into it|now|for you|at it|at that|into that))+", "agent"),
    ("hold", r"(?:the )?system(?:'s| is)(?: (?:a (?:bit|little)|very|really))? slow(?: today)?", "agent"),
    ("hold", r"please wait(?: a (?:moment|minute|second))?", "agent"),
    ("hold", r"(?:i'm|we're|i am|we are) (?:now )?connecting you(?: (?:to|with)(?: [\w'’-]+){1,5})?", "agent"),
    ("hold", r"i(?:'ll| will) get (?:a member of (?:the|our) team|someone|an agent|an advisor)(?: to help you(?: with that)?)?", "agent"),
    ("hold", r"(?:average|estimated|expected) wait(?:ing)?(?: time)?(?: is)?(?: (?:about|around))?(?: \d+ (?:minutes?|mins?|seconds?))?", "agent"),
    ("hold", rf"(?:hang|hold) on(?: (?:a|one) {_WAIT})?", "any"),
    ("hold", r"are you still there", "any"),
    ("hold", r"sorry(?: i'm| i am) back", "any"),
    # -- verification --------------------------------------------------------
    ("verification", rf"(?:confirm|verify|verification|security|take|have|get|check)(?: [\w'’-]+){{0,6}}? {_VERIFY_OBJ}", "agent"),
    ("verification", rf"(?:and )?(?:just )?(?:your|the) {_VERIFY_OBJ}(?: (?:on (?:the|your) account|to confirm|please|for me))*", "agent"),
    ("verification", rf"what(?:'s| is) (?:the|your) {_VERIFY_OBJ}(?: on (?:the|your) account)?", "agent"),
    ("verification", r"for (?:security|verification|data protection|privacy)(?: purposes| reasons)?", "agent"),
    ("verification", r"i (?:just )?need to (?:verify|confirm|check)(?: (?:your|a few|some|the))?(?: (?:details|identity|account|information|things))?", "agent"),
    ("verification", r"just to confirm", "agent"),
    ("verification", r"(?:that's|that is|you're|you are|you've been|you have been) (?:all )?(?:confirmed|verified)", "agent"),
    ("verification", r"thank(?:s| you)(?: so much)? for (?:confirming|verifying)", "agent"),
    ("verification", r"is this the best (?:number|way|email|e-mail) to (?:reach|contact|call) you(?: on| at)?", "agent"),
    ("verification", r"(?:can|could) you spell (?:that|it|(?:your|the) (?:last |first |sur|full )?name)(?: for me)?(?: please)?", "agent"),
    ("verification", r"is that for the account(?: at)?", "agent"),
    # -- closing -------------------------------------------------------------
    ("closing", r"(?:(?:is|was) there |is that |will there be )?anything else(?: (?:on the account|today|at all))?(?: (?:that )?(?:i|we) (?:can|could) (?:help|assist|do)(?: you)?(?: with)?(?: for you)?(?: today)?)?", "any"),
    ("closing", r"have a (?:good|great|nice|lovely|wonderful|fantastic|brilliant|good rest of your) (?:day|one|evening|night|weekend|afternoon|morning|rest of (?:your|the) (?:day|week|evening))", "any"),
    ("closing", r"(?:enjoy|have) the rest of your (?:day|week|evening)", "any"),
    ("closing", r"(?:good)?bye(?: bye)?|take care|talk (?:soon|later)|speak soon|see you(?: later| soon)?|cheers", "any"),
    ("closing", r"(?:no )?(?:that's|that is|thats) (?:everything|all|it)(?: (?:for (?:now|today)|thanks|thank you))*", "any"),
    ("closing", r"(?:nope|nothing else)(?: (?:thanks|thank you|for now|today))*", "any"),
    ("closing", r"if (?:there's|there is|you need|you have) anything else", "any"),
    ("closing", r"if you (?:have any (?:other |more |further )?questions|need (?:any|anything) (?:else|more|further)(?: help)?)", "any"),
    ("closing", r"(?:please )?(?:just )?reply to this (?:e-?mail|message|ticket)", "any"),
    ("closing", r"let (?:us|me) know if you (?:need|have|want) (?:anything|any)(?: (?:else|more|further|other))?(?: (?:questions|help))?", "any"),
    ("closing", r"(?:i|we) hope (?:this|that) helps", "any"),
    ("closing", r"(?:please )?(?:do not|don't) hesitate to (?:contact|get in touch|reach out|call)(?: (?:us|me))?(?: again)?", "any"),
    ("closing", r"feel free to (?:contact|get in touch|reach out|call|reply)(?: (?:us|me))?(?: again)?", "any"),
    ("closing", r"(?:i'll|i will) (?:now )?close (?:this|the) (?:ticket|case|chat|request)(?: now)?", "any"),
    ("closing", r"just reply if you need anything", "any"),
    ("closing", r"(?:glad|happy|pleased) (?:i|we) could help", "any"),
    ("closing", r"(?:just )?start a new chat", "any"),
    ("closing", r"(?:the )?(?:chat|call|conversation) (?:was |has been )?(?:ended|closed)(?: by (?:the )?(?:agent|customer|advisor))?", "agent"),
    ("closing", r"has left the (?:chat|conversation)", "agent"),
    ("closing", r"(?:chat )?transcript will be (?:e-?mailed|sent) to you", "agent"),
    ("closing", r"thank(?:s| you)(?: (?:so|very) much)?(?: again)?(?: for (?:your (?:time|help|business|custom)|chatting(?: with [\w'’-]+)?|being a (?:valued |loyal )?customer))?", "any"),
    ("closing", r"(?:we )?(?:appreciate|value) your (?:business|custom|patience|loyalty)", "any"),
    ("closing", r"(?:and )?you too", "any"),
    ("closing", r"thank(?:s| you)(?: (?:so|very) much)? (?:in advance|for getting back to me|for (?:the|your) (?:quick |fast )?(?:reply|response|help))", "any"),
    ("closing", r"you(?:'ve| have) been (?:very |really |so |most )?helpful", "any"),
    # -- signature (single-line forms; multi-line blocks are found by layout) ---
    ("signature", r"sent from (?:my )?(?:iphone|ipad|android|galaxy|samsung|mobile|phone|blackberry|outlook|yahoo mail|mail)(?: [\w'’-]+){0,3}", "any"),
    ("signature", r"get outlook for (?:ios|android)", "any"),
)  # fmt: skip

# Whole-unit patterns: the unit must be nothing else.
_WHOLE: tuple[tuple[str, str], ...] = (
    ("greeting", r"(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|to whom it may concern)(?: there| all| team)?(?: [\w.'’-]+){0,3}[\s,.:!]*"),
)  # fmt: skip

# Words that never count as content when measuring coverage.
_FREE_WORDS = frozenset(
    """a an the and or but so to of for with on in at it its it's that that's this is are was be
    i i'm im me my you your you're we us our he she they just um umm uh uhh huh er erm mm hm mhm hmm
    oh ah yeah yes yep yup no nope ok okay alright right well like sure great perfect lovely brilliant
    fine thanks thank please now then also here there hi hello hey bye sorry again today really very
    much all can could will would do did have has had get got i'll ill let one moment actually mean
    know go ahead wonderful cool awesome excellent super fab fabulous indeed if while into as from
    about by up out off what when how any some those these them their his her mind""".split()
)
_WORD = re.compile(r"[\w'’]+")

# ---------------------------------------------------------------------------
# Layout (multi-line e-mail) patterns
# ---------------------------------------------------------------------------

_QUOTE_HEADERS = (
    re.compile(
        r"(?im)^[ \t]*-{2,}[ \t]*(?:original message|forwarded message|original e-?mail)[ \t]*-{2,}[ \t]*$"
    ),
    re.compile(r"(?im)^[ \t]*begin forwarded message:?[ \t]*$"),
    re.compile(r"(?im)^[ \t>]*on\b[^\n]{4,200}(?:\n[^\n]{0,200})?\bwrote:[ \t]*$"),
    re.compile(r"(?im)^[ \t]*_{8,}[ \t]*\n(?:[ \t]*\n)?[ \t]*from:"),
    re.compile(r"(?im)^[ \t]*from:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*(?:sent|date|to|subject):"),
)
_DISCLAIMER = re.compile(
    r"(?i)(?:this|the information in this|the contents of this) (?:e-?mail|message|communication|transmission)"
    r"(?: and any (?:attachments?|files)(?: (?:to|transmitted with) it)?)?"
    r" (?:is|are|may be|contains?|may contain) (?:strictly )?(?:confidential|privileged|intended)"
    r"|intended (?:solely |only )?for the (?:use of the )?(?:individual|person|entity|addressee|named recipient|recipient)"
    r"|if you (?:have )?received this (?:(?:e-?mail|message|communication|transmission) )?in error"
    r"|confidential(?:ity)? notice|^\s*disclaimer\b|if you are not the intended recipient"
    r"|(?:is|are) for the (?:exclusive|sole) (?:and confidential )?use"
    r"|(?:please )?consider the environment before printing"
    r"|any (?:unauthori[sz]ed )?(?:review|use|disclosure|distribution|copying|dissemination)\b[^.\n]{0,80}\b(?:is )?(?:strictly )?prohibited"
    r"|(?:this (?:e-?mail|message) has been (?:scanned|checked) for viruses)"
)
_SIGNOFF = re.compile(
    r"(?i)[ \t]*(?:(?:kind|best|warm|warmest|many|with|all the|with kind|yours|sincere) )?"
    r"(?:regards|wishes|thanks|best|rgds|cheers|sincerely|faithfully|truly|respectfully)"
    r"(?: (?:again|so much|very much|in advance))?"
    r"|[ \t]*(?:thank you|thanks|thx|ta|br|take care|talk soon|cheers|best|yours)(?: (?:again|so much|very much|in advance))?"
    r"[ \t]*"
)
_SIGNOFF_TAIL = re.compile(
    r"[ \t]*[,.!]?[ \t]*(?:[-–—]?[ \t]*(?:\[NAME\]|[A-Z][\w.'’-]*)(?: (?:\[NAME\]|[A-Z][\w.'’-]*)){0,2})?[ \t]*[,.]?[ \t]*"
)
_DEVICE = re.compile(
    r"(?i)[ \t]*(?:sent from (?:my )?[\w .'’-]{2,40}|get outlook for (?:ios|android)[\w .-]*|sent via [\w .'’-]{2,40})[ \t]*"
)
_CONTACTISH = re.compile(
    r"(?i)\[(?:phone|email|url|name|address)\]|@|www\.|https?://|\.(?:com|org|net|example)\b|\d{3}"
    r"|\b(?:tel|phone|mobile|mob|cell|fax|email|e-mail|direct|office|ext)\b|\|"
    r"|\b(?:manager|director|officer|team|support|care|department|dept|ltd|inc|llc|plc|gmbh|co|corp|"
    r"limited|services|assistant|specialist|coordinator|lead|head|advisor|adviser|consultant|engineer|"
    r"representative|agent|executive|president|owner|founder)\b"
)
_NAMEISH = re.compile(r"[ \t]*(?:(?:\[NAME\]|[A-Z][\w.'’-]*|&|and|de|van|von)[ \t,|]*){1,5}")


def _gapify(pattern: str) -> str:
    """Turn spaces into word gaps and apostrophes into optional apostrophes."""
    return rewrite_pattern(pattern, space=_GAP, apostrophe=_APOS)


def _index(patterns: Iterable[Pattern], *, agent: bool) -> PhraseIndex:
    # ungrouped: coverage needs each pattern's own (longest) match
    return PhraseIndex(
        ((kind, _gapify(p)) for kind, p, roles in patterns if agent or roles == "any"), group=False
    )


def _check_pattern(index: int, pattern: str) -> None:
    try:
        re.compile(_gapify(pattern), re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(Errors.E803.format(index=index, component=_COMPONENT, reason=exc.msg)) from None


class Boilerplate(JsonSettings):
    """Mark scripted text in ``doc.spans["hi_boilerplate"]`` (label = kind).

    Built by ``nlp.add_pipe("hotline_boilerplate")``. See the module docstring
    for the kinds and how they are found.

    Args:
        nlp: The pipeline.
        name: The component's name in the pipeline.
        slack_words: Content words a unit may carry beyond its script phrases
            and still count as boilerplate.
        slack_ratio: The same, as a share of the unit's words (the larger of
            the two applies).
        layout: Look for signatures, disclaimers and quoted replies in
            multi-line text.

    Examples:
        >>> import spacy, hotline_insight.nlp.boilerplate
        >>> nlp = spacy.blank("en")
        >>> _ = nlp.add_pipe("sentencizer")
        >>> _ = nlp.add_pipe("hotline_boilerplate")
        >>> doc = nlp.make_doc("Thank you for calling Larkspur, this is Dana. "
        ...                    "How can I help? My router keeps dropping.")
        >>> doc._.hi_role = "agent"
        >>> [(s.label_, s.text) for s in nlp(doc).spans["hi_boilerplate"]]
        [('greeting', 'Thank you for calling Larkspur, this is Dana.'), ('greeting', 'How can I help?')]
        >>> doc = nlp("Hi,\\n\\nMy bill is wrong again.\\n\\nKind regards,\\nJane\\n\\nSent from my iPhone")
        >>> [(s.label_, s.text) for s in doc.spans["hi_boilerplate"]]
        [('greeting', 'Hi,'), ('signature', 'Kind regards,\\nJane\\n\\nSent from my iPhone')]
    """

    def __init__(
        self,
        nlp: Language,
        name: str = _COMPONENT,
        *,
        slack_words: int = 2,
        slack_ratio: float = 0.25,
        layout: bool = True,
    ) -> None:
        register_extensions()
        if isinstance(slack_words, bool) or not isinstance(slack_words, int) or slack_words < 0:
            raise ConfigError(
                Errors.E801.format(
                    name="slack_words", component=_COMPONENT, expected="an int >= 0", value=slack_words
                )
            )
        if not isinstance(slack_ratio, int | float) or not 0.0 <= float(slack_ratio) <= 1.0:
            raise ConfigError(
                Errors.E801.format(
                    name="slack_ratio", component=_COMPONENT, expected="a float in [0, 1]", value=slack_ratio
                )
            )
        self.nlp = nlp
        self.name = name
        self.slack_words = int(slack_words)
        self.slack_ratio = float(slack_ratio)
        self.layout = bool(layout)
        self._extra: list[Pattern] = []
        self._build()

    # -- patterns ------------------------------------------------------------

    @property
    def patterns(self) -> list[dict[str, str]]:
        """The patterns added with :meth:`add_patterns` (the built-in ones are not listed)."""
        return [{"kind": k, "pattern": p, "roles": r} for k, p, r in self._extra]

    def add_patterns(self, patterns: Iterable[dict[str, str]]) -> None:
        """Add script phrases.

        Args:
            patterns: Dicts with ``kind`` (one of the sentence-level kinds:
                greeting, ivr, hold, verification, closing, signature),
                ``pattern`` (a Python regular expression, matched
                case-insensitively; a space matches any word gap, fillers
                included) and optional ``roles`` (``"any"``, the default, or
                ``"agent"`` for agent, system and bot turns only).

        Raises:
            ConfigError: An unknown kind or role, or an invalid expression.

        Examples:
            >>> import spacy, hotline_insight.nlp.boilerplate
            >>> nlp = spacy.blank("en")
            >>> bp = nlp.add_pipe("hotline_boilerplate")
            >>> bp.add_patterns([{"kind": "closing", "pattern": "stay safe out there"}])
            >>> doc = nlp("Stay safe out there!")
            >>> [s.label_ for s in doc.spans["hi_boilerplate"]]
            ['closing']
        """
        sentence_kinds = ("greeting", "ivr", "hold", "verification", "closing", "signature")
        new: list[Pattern] = []
        for i, entry in enumerate(patterns):
            kind = entry.get("kind")
            roles = entry.get("roles", "any")
            if kind not in sentence_kinds:
                raise ConfigError(
                    Errors.E802.format(
                        what="pattern kind",
                        value=kind,
                        component=_COMPONENT,
                        expected=", ".join(sentence_kinds),
                    )
                )
            if roles not in ("any", "agent"):
                raise ConfigError(
                    Errors.E802.format(
                        what="pattern roles", value=roles, component=_COMPONENT, expected="any, agent"
                    )
                )
            pattern = entry.get("pattern")
            if not isinstance(pattern, str) or not pattern:
                raise ConfigError(
                    Errors.E803.format(index=i, component=_COMPONENT, reason="not a non-empty string")
                )
            _check_pattern(i, pattern)
            new.append((kind, pattern.lower(), roles))  # type: ignore[arg-type]
        self._extra.extend(new)
        self._build()

    def clear(self) -> None:
        """Remove the patterns added with :meth:`add_patterns`."""
        self._extra = []
        self._build()

    def _build(self) -> None:
        allp = (*_PHRASES, *self._extra)
        self._index_agent = _index(allp, agent=True)
        self._index_customer = _index(allp, agent=False)
        self._whole = [(kind, re.compile(_gapify(p), re.IGNORECASE)) for kind, p in _WHOLE]

    # -- the component -------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Write ``doc.spans["hi_boilerplate"]``."""
        if len(doc) == 0:
            doc.spans[SPAN_KEY] = []
            return doc
        role = doc._.hi_role
        index = self._index_agent if role in AGENT_ROLES else self._index_customer
        text = doc_text(doc)
        has_lines = "\n" in text
        norm = text.replace("’", "'")
        matches = index.find(norm)
        if not matches and not has_lines:
            # every whole-unit pattern starts with a word the phrase index knows,
            # so no phrase match means no boilerplate at all
            doc.spans[SPAN_KEY] = []
            return doc
        layout_spans = self._layout_spans(doc, text) if self.layout and has_lines else []
        units = iter_units(doc, layout_spans, text=text)
        names = self._name_ranges(doc)
        # longest match first where several start at the same word
        matches.sort(key=lambda m: (m[0], -m[1]))
        spans: list[Span] = list(layout_spans)
        for ui, (s, e) in enumerate(units):
            cs = doc[s].idx
            ce = doc[e - 1].idx + len(doc[e - 1].text)
            inside = [m for m in matches if m[0] < ce and m[1] > cs]
            kind = self._classify(norm, cs, ce, inside, names, ui, len(units), role)
            if kind is not None:
                span = Span(doc, s, e, label=kind)
                span._.hi_method = "regex"
                spans.append(span)
        spans.sort(key=lambda sp: (sp.start, sp.end))
        doc.spans[SPAN_KEY] = spans
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        """Apply the component to a stream of docs."""
        for doc in stream:
            yield self(doc)

    @staticmethod
    def _name_ranges(doc: Doc) -> list[tuple[int, int]]:
        if not doc.ents:
            return []
        return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in ("PERSON", "ORG")]

    def _classify(
        self,
        text: str,
        cs: int,
        ce: int,
        matches: Sequence[tuple[int, int, str]],
        names: Sequence[tuple[int, int]],
        index: int,
        n_units: int,
        role: Any,
    ) -> str | None:
        """The kind of script the unit ``text[cs:ce]`` is, or None."""
        utext = text[cs:ce]
        stripped = utext.strip()
        for kind, whole in self._whole:
            if whole.fullmatch(stripped):
                return kind
        if not matches:
            return None
        covered: dict[str, int] = {}
        n_words = 0
        n_content_left = 0
        mi = 0
        for w in _WORD.finditer(text, cs, ce):
            ws = w.start()
            n_words += 1
            while mi < len(matches) and matches[mi][1] <= ws:
                mi += 1
            kind_here = None
            for ms, me, group in matches[mi:]:
                if ms > ws:
                    break
                if ws < me:
                    kind_here = group
                    break
            if kind_here is not None:
                covered[kind_here] = covered.get(kind_here, 0) + 1
                continue
            token = w.group().lower()
            if token in _FREE_WORDS:
                continue
            if names and any(a <= ws < b for a, b in names):
                continue
            if ws > 0 and text[ws - 1] == "[" and token.upper() == w.group():
                continue  # placeholder such as [NAME]
            n_content_left += 1
        if not covered:
            return None
        if n_content_left > max(self.slack_words, self.slack_ratio * n_words):
            return None
        if n_content_left and sum(covered.values()) < 2 * n_content_left:
            return None  # "this is ridiculous, thanks for nothing": the script is a minority
        if _AMBIGUOUS in covered:
            n_amb = covered.pop(_AMBIGUOUS)
            if "closing" in covered:
                target = "closing"
            elif "greeting" in covered:
                target = "greeting"
            elif index == 0 and n_units > 1:
                target = "greeting"
            elif index > 0:
                target = "closing"
            elif role == "system":
                target = "greeting"  # "Thank you for calling Larkspur." from the IVR
            else:
                target = "closing"
            covered[target] = covered.get(target, 0) + n_amb
        return max(covered, key=lambda k: (covered[k], -_PRIORITY.get(k, 99)))

    # -- layout --------------------------------------------------------------

    def _layout_spans(self, doc: Doc, text: str) -> list[Span]:
        lines = _lines(text)
        ranges: list[tuple[int, int, str]] = []
        quote_start = len(text)
        for rx in _QUOTE_HEADERS:
            m = rx.search(text)
            if m is not None:
                quote_start = min(quote_start, m.start())  # every header regex starts at a line start
        if quote_start < len(text):
            ranges.append((quote_start, len(text), "quoted_reply"))
        body_lines = [(a, b) for a, b in lines if b <= quote_start]
        # runs of ">" lines
        run: list[tuple[int, int]] = []
        for a, b in [*body_lines, (-1, -1)]:
            if a >= 0 and text[a:b].lstrip().startswith(">"):
                run.append((a, b))
                continue
            if len(run) >= 2:
                ranges.append((run[0][0], run[-1][1], "quoted_reply"))
            run = []
        quoted = [(a, b) for a, b, _ in ranges]
        body_lines = [(a, b) for a, b in body_lines if not any(qa <= a < qb for qa, qb in quoted)]
        # paragraphs of the body
        paragraphs = _paragraphs(text, body_lines)
        disclaimer_start = quote_start
        for para in paragraphs:
            a, b = para[0][0], para[-1][1]
            if _DISCLAIMER.search(text, a, b):
                ranges.append((a, b, "disclaimer"))
                disclaimer_start = min(disclaimer_start, a)
        sig = _signature(
            text, [p for p in paragraphs if p[-1][1] <= disclaimer_start or p[0][0] >= quote_start]
        )
        if sig is not None:
            ranges.append((*sig, "signature"))
        spans: list[Span] = []
        for a, b, kind in ranges:
            span = doc.char_span(a, b, label=kind, alignment_mode="expand")
            if span is None:
                continue
            s, e = span.start, span.end
            while s < e and doc[s].is_space:
                s += 1
            while e > s and doc[e - 1].is_space:
                e -= 1
            if s < e:
                sp = Span(doc, s, e, label=kind)
                sp._.hi_method = "layout"
                spans.append(sp)
        return _drop_overlaps(spans)

    # -- serialisation -------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        return {
            "version": _DATA_VERSION,
            "patterns": self.patterns,
            "slack_words": self.slack_words,
            "slack_ratio": self.slack_ratio,
            "layout": self.layout,
        }

    def _load(self, data: dict[str, Any], source: str) -> None:
        if data.get("version") != _DATA_VERSION:
            raise ConfigError(
                Errors.E804.format(
                    component=_COMPONENT, source=source, value=data.get("version"), expected=_DATA_VERSION
                )
            )
        self.slack_words = int(data["slack_words"])
        self.slack_ratio = float(data["slack_ratio"])
        self.layout = bool(data["layout"])
        self._extra = []
        self.add_patterns(data.get("patterns", []))


def _lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def _paragraphs(text: str, lines: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    paras: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for a, b in lines:
        if text[a:b].strip():
            cur.append((a, b))
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def _short_line(line: str) -> bool:
    """A line that fits in a signature block: few words, not a sentence or question."""
    s = line.strip()
    words = s.split()
    if not words or len(words) > 8:
        return False
    if s.endswith(("?", "!")):
        return False
    if s.endswith(".") and len(words) > 3 and not _CONTACTISH.search(s):
        return False
    return not s.endswith(":")


def _signature(text: str, paragraphs: Sequence[list[tuple[int, int]]]) -> tuple[int, int] | None:
    """The signature block at the end of the body, as a character range."""
    if not paragraphs:
        return None
    lines = [ln for para in paragraphs for ln in para]
    end = lines[-1][1]
    # device lines ("Sent from my iPhone") at the very end
    k = len(lines)
    while k > 0 and _DEVICE.fullmatch(text[lines[k - 1][0] : lines[k - 1][1]]):
        k -= 1
    device_start = lines[k][0] if k < len(lines) else None
    # a sign-off line followed only by short lines
    for i in range(k - 1, max(k - 10, -1), -1):
        a, b = lines[i]
        line = text[a:b]
        m = _SIGNOFF.match(line)
        if m is None or not _SIGNOFF_TAIL.fullmatch(line, m.end()):
            continue
        tail = lines[i + 1 : k]
        if not all(_short_line(text[x:y]) for x, y in tail):
            break
        has_name = bool(line[m.end() :].strip(" \t,.!-–—"))
        if tail or has_name or device_start is not None or line.rstrip().endswith(","):
            return a, end
        break
    if device_start is not None:
        return device_start, end
    # a trailing paragraph of name / title / contact lines, after some content
    if len(paragraphs) < 2:
        return None
    last = paragraphs[-1]
    texts = [text[a:b] for a, b in last]
    if len(last) > 6 or not all(_short_line(t) and len(t.split()) <= 6 for t in texts):
        return None
    if any(t.strip().endswith(".") for t in texts):
        return None
    contact = sum(1 for t in texts if _CONTACTISH.search(t))
    nameish = all(_NAMEISH.fullmatch(t) for t in texts)
    if (nameish and len(texts) <= 3) or (len(texts) >= 2 and contact >= 1 and _NAMEISH.fullmatch(texts[0])):
        return last[0][0], end
    return None


def _drop_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the earliest-starting, longest spans; drop spans inside kept ones."""
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for sp in spans:
        if out and sp.start < out[-1].end:
            continue
        out.append(sp)
    return out


@Language.factory(
    "hotline_boilerplate",
    assigns=["doc.spans"],
    default_config={"slack_words": 2, "slack_ratio": 0.25, "layout": True},
)
def make_boilerplate(
    nlp: Language, name: str, slack_words: int, slack_ratio: float, layout: bool
) -> Boilerplate:
    """Build the ``hotline_boilerplate`` component (see :class:`Boilerplate`)."""
    register_extensions()
    return Boilerplate(nlp, name, slack_words=slack_words, slack_ratio=slack_ratio, layout=layout)

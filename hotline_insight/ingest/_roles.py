"""What an agent says when a call or chat opens: the shared cue for guessing roles.

Sources such as Amazon Transcribe, Twilio and many plain transcripts do not
say which speaker is the agent. Where the user gives no ``agent=`` option,
parsers look for the one speaker whose opening turns greet like an agent and
record in ``meta`` that the roles were guessed this way.
"""

from __future__ import annotations

import re

__all__ = ["AGENT_GREETING", "SELF_INTRODUCTION", "greets_like_agent"]

AGENT_GREETING = re.compile(
    r"\b(?:thanks?(?: you)? (?:so much )?for (?:calling|contacting|choosing|holding|waiting|reaching out)"
    r"(?! me\b)"
    r"|how (?:can|may|could|might) (?:i|we) (?:help|assist)"
    r"|what can i (?:do|help)"
    r"|you(?:'ve|’ve| have) reached"
    r"|you(?:'re|’re| are) (?:through to|speaking (?:with|to))"
    r"|who am i speaking (?:with|to)"
    r"|welcome to"
    r"|(?:can|may|could) i (?:take|have|start with|get) your (?:full )?name)\b",
    re.IGNORECASE,
)
"""Phrases agents open with ("thank you for calling", "how can I help", ...)."""

SELF_INTRODUCTION = re.compile(
    r"\b(?:this is|my name is|you(?:'re|’re| are) speaking (?:to|with))\s+\S", re.IGNORECASE
)
"""A speaker naming themselves ("this is Dana", "my name is ...")."""


def greets_like_agent(text: str) -> bool:
    """True when ``text`` opens the way agents do.

    Examples:
        >>> greets_like_agent("Thank you for calling Larkspur, how can I help?")
        True
        >>> greets_like_agent("thanks for calling me back")
        False
    """
    return AGENT_GREETING.search(text) is not None

"""Imports every built-in parser module so that each registers itself.

The order here is the tie-break order of format detection.
"""

from __future__ import annotations

from . import (  # noqa: F401
    call_analytics,
    ccai,
    cfpb,
    contact_lens,
    freshdesk,
    generic,
    genesys,
    jira,
    plain_text,
    salesforce,
    social,
    srt,
    transcribe,
    twilio,
    utterances,
    webvtt,
    zendesk,
)

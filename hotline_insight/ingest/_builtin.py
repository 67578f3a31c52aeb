"""Imports every built-in parser module so that each registers itself.

The order here is the tie-break order of format detection.
"""

from __future__ import annotations

from . import (  # noqa: F401
    call_analytics,
    ccai,
    contact_lens,
    genesys,
    plain_text,
    social,
    srt,
    transcribe,
    twilio,
    utterances,
    webvtt,
)

"""Imports every built-in parser module so that each registers itself.

The order here is the tie-break order of format detection.
"""

from __future__ import annotations

from . import (  # noqa: F401
    plain_text,
    srt,
    webvtt,
)

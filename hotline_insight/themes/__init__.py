"""Taxonomy of grievance themes and frustration facets, and the spaCy components that match them.

:class:`Taxonomy` (with :class:`Theme`, :class:`Facet` and their cues) loads
and checks the built-in or a user's taxonomy without importing spaCy; the
components (``hotline_themes``, ``hotline_facets``) and the helpers that read
their spans (:func:`theme_ids`, :func:`facet_ids`, :func:`check_examples`)
live in :mod:`hotline_insight.themes.matcher`, imported on first use.

Examples:
    >>> from hotline_insight.themes import Taxonomy
    >>> Taxonomy.default().themes[0].id
    'support_fee_after_period'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .taxonomy import CuePattern, CuePhrase, Facet, Taxonomy, Theme

_LAZY = {
    "CueMatcher": "matcher",
    "ExampleCheck": "matcher",
    "FacetMatcher": "matcher",
    "ThemeMatcher": "matcher",
    "check_examples": "matcher",
    "facet_ids": "matcher",
    "theme_ids": "matcher",
}

__all__ = [
    "CueMatcher",
    "CuePattern",
    "CuePhrase",
    "ExampleCheck",
    "Facet",
    "FacetMatcher",
    "Taxonomy",
    "Theme",
    "ThemeMatcher",
    "check_examples",
    "facet_ids",
    "theme_ids",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hotline_insight.themes' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .matcher import (
        CueMatcher,
        ExampleCheck,
        FacetMatcher,
        ThemeMatcher,
        check_examples,
        facet_ids,
        theme_ids,
    )

"""spaCy components and the grievance pipeline.

Importing this package registers the ``hotline_*`` component factories with
spaCy, so ``nlp.add_pipe("hotline_redactor")`` works after ``import
hotline_insight.nlp``.
"""

from __future__ import annotations

from ._extensions import SPAN_GROUPS, register_extensions

register_extensions()

__all__ = ["SPAN_GROUPS", "register_extensions"]

"""Reading contact-centre exports: one parser per format, detected from content.

Public entry points are :func:`read` and :func:`iter_interactions`
(re-exported from :mod:`hotline_insight`). To add a format, subclass
:class:`Parser` and decorate it with :func:`register`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import (
    FieldError,
    ParseContext,
    ParseOptions,
    Parser,
    get_parser,
    map_role,
    register,
    registered_parsers,
)
from ._reader import InteractionStream, detect_format, iter_interactions, read
from ._report import ParseReport
from ._source import SourceFile

if TYPE_CHECKING:
    import pandas as pd

# Public objects are documented where users import them from.
for _obj in (
    FieldError,
    ParseContext,
    ParseOptions,
    Parser,
    get_parser,
    map_role,
    register,
    registered_parsers,
    InteractionStream,
    detect_format,
    iter_interactions,
    read,
    ParseReport,
    SourceFile,
):
    _obj.__module__ = __name__
del _obj

__all__ = [
    "FieldError",
    "InteractionStream",
    "ParseContext",
    "ParseOptions",
    "ParseReport",
    "Parser",
    "SourceFile",
    "available_formats",
    "detect_format",
    "get_parser",
    "iter_interactions",
    "map_role",
    "read",
    "register",
    "registered_parsers",
]


def available_formats() -> pd.DataFrame:
    """One row per registered format: name, family, label, channel, extensions, options.

    Examples:
        >>> import hotline_insight as hi
        >>> "webvtt" in set(hi.available_formats()["name"])
        True
    """
    import pandas as pd

    rows = [
        {
            "name": cls.name,
            "family": cls.family,
            "label": cls.label,
            "channel": cls.channel,
            "extensions": " ".join(cls.extensions),
            "options": ", ".join(sorted(cls.options)),
        }
        for cls in registered_parsers().values()
    ]
    return pd.DataFrame(rows, columns=["name", "family", "label", "channel", "extensions", "options"])

"""Optional dependencies: import them on first use, or say which extra installs them.

Heavy packages (BERTopic and torch, PySpark, plotting) are extras, never
core dependencies; modules that need one call :func:`import_optional` inside
the function that uses it, so ``import hotline_insight`` never pays for them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import Errors, MissingDependencyError

__all__ = ["import_optional"]


def import_optional(module: str, *, extra: str, feature: str, package: str | None = None) -> ModuleType:
    """Import ``module``, or raise :class:`MissingDependencyError` naming the extra to install.

    Args:
        module: the module to import (``"bertopic"``, ``"pyspark.sql"``).
        extra: the ``hotline_insight`` extra that installs it (``"topics"``).
        feature: what needs it, for the message (``"TopicModel"``).
        package: the PyPI name when it differs from the module's top-level name.

    Examples:
        >>> import_optional("json", extra="core", feature="reading").__name__
        'json'
        >>> import_optional("no_such_module_here", extra="topics", feature="TopicModel")
        Traceback (most recent call last):
        ...
        hotline_insight.errors.MissingDependencyError: [E401] TopicModel needs the optional package 'no_such_module_here'. Install it with pip install 'hotline_insight[topics]'.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        name = package or module.split(".", 1)[0]
        raise MissingDependencyError(Errors.E401.format(feature=feature, package=name, extra=extra)) from exc

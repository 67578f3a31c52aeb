"""YAML configuration files that report problems by file, line and field.

Shared by the loaders of user-written YAML (:mod:`hotline_insight.catalog`,
:mod:`hotline_insight.themes.taxonomy`): each parses the text into a node tree
(so every value keeps its line), builds plain data from it, validates that with
pydantic, and maps each validation error's location back to a line with
:func:`locate`. The loaders own their coded messages; the helpers here take the
message template to use where they report a problem themselves.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, scrub

__all__ = [
    "TEXT_SOURCE",
    "Problem",
    "Problems",
    "SafeDumper",
    "SafeLoader",
    "describe_error",
    "dump",
    "field_path",
    "find_duplicate_key",
    "line_of",
    "locate",
    "plain",
    "preview",
    "read_source",
    "yaml_reason",
]

TEXT_SOURCE = "<string>"


class SafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that keeps an impossible date (``2025-02-30``) as text.

    PyYAML raises a bare ``ValueError`` with no line for such dates; as text
    the value reaches field validation, which reports it with its line.
    """


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class SafeDumper(yaml.SafeDumper):
    """``yaml.SafeDumper`` that writes multi-line text as a ``|`` block, as people do."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


SafeDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """YAML text for plain data, keys in the order given, as a person would write it."""
    return yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False)


def read_source(path_or_text: str | os.PathLike[str], *, error: str) -> tuple[str, str]:
    """Return (source name, YAML text) for a path or for YAML text.

    A ``Path`` is always a file. A string is YAML text when it has a line
    break, and a path when it names an existing file or ends in
    ``.yaml``/``.yml``; otherwise it is YAML text.

    Args:
        path_or_text: the file, or the YAML itself.
        error: the coded message (with ``{source}`` and ``{reason}``) raised
            when the file can't be read.

    Raises:
        ConfigError: ``error`` when the file can't be read.
    """
    if isinstance(path_or_text, str) and (
        "\n" in path_or_text
        or not (path_or_text.strip().lower().endswith((".yaml", ".yml")) or os.path.isfile(path_or_text))
    ):
        return TEXT_SOURCE, path_or_text
    path = Path(path_or_text)
    try:
        return str(path_or_text), path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        reason = "the file does not exist"
    except IsADirectoryError:
        reason = "it is a directory, not a YAML file"
    except UnicodeDecodeError as exc:
        reason = f"it is not UTF-8 text ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise ConfigError(error.format(source=str(path_or_text), reason=reason))


def yaml_reason(exc: yaml.YAMLError) -> str:
    """A one-line description of a YAML syntax error, with its line and column."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    what = f"{context}, {problem}" if context else str(problem)
    if mark is not None:
        return f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {what}"
    return f"invalid YAML: {what}"


def find_duplicate_key(node: yaml.Node | None) -> tuple[tuple[str | int, ...], int] | None:
    """The location and 1-based line of the first key repeated in a mapping, or None.

    PyYAML keeps the last of repeated keys silently; loaders report them instead.
    """
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(node, ())] if node is not None else []
    visited: set[int] = set()
    while stack:
        current, loc = stack.pop()
        if id(current) in visited:  # anchors and aliases share nodes
            continue
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in seen:
                        return (*loc, key.value), key.start_mark.line + 1
                    seen.add(key.value)
                    stack.append((value, (*loc, key.value)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*loc, index)) for index, item in enumerate(current.value))
    return None


def locate(root: yaml.Node, loc: tuple[str | int, ...]) -> tuple[int, yaml.Node | None]:
    """The 1-based line of the deepest node ``loc`` reaches (a key's own line for mapping
    keys), and the node itself when ``loc`` reaches all the way."""
    node = root
    line = root.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line, None
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line, None
    return line, node


def line_of(root: yaml.Node, loc: tuple[str | int, ...]) -> int:
    """The 1-based line of the deepest node ``loc`` reaches."""
    return locate(root, loc)[0]


def field_path(loc: Iterable[str | int]) -> str:
    """``("products", 0, "name")`` -> ``"products[0].name"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def preview(ids: Iterable[str]) -> str:
    """The first ten ids, quoted, for a message."""
    ids = list(ids)
    shown = ", ".join(repr(i) for i in ids[:10])
    return (shown + f", ... ({len(ids)} in all)") if len(ids) > 10 else (shown or "(none)")


def describe_error(error: Mapping[str, Any], node: yaml.Node | None, allowed: list[str]) -> str:
    """The reason part of a message for one pydantic error.

    Args:
        error: one item of ``ValidationError.errors()``.
        node: the YAML node of the offending value, when known, to quote what
            the file says (``0123``) rather than what YAML made of it (83).
        allowed: the keys allowed where an unknown key was found.
    """
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown key {key!r}; {hint}allowed keys: {', '.join(allowed)}"
    message = str(error["msg"]).replace("a valid tuple", "a list")
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    raw = node.value if isinstance(node, yaml.ScalarNode) else value
    shown = scrub(raw, mask_digits=False)
    if kind == "string_type" and isinstance(value, bool):
        return f"{message}; YAML reads the unquoted {shown} as {str(value).lower()}: put it in quotes"
    if kind == "string_type" and isinstance(value, int | float):
        return f"{message}; got the number {shown}: put it in quotes to keep it as text"
    return f"{message}; got {shown}"


def plain(value: Any) -> Any:
    """Tuples to lists and mappings to dicts, so YAML and JSON writers take the value."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Problem:
    """One validation problem at a location relative to where pydantic reports it.

    ``kind`` and ``value`` carry extra detail for messages that need it
    (the catalog's duplicate ids say whether a product or a policy repeats).
    """

    def __init__(self, loc: tuple[str | int, ...], reason: str, *, kind: str = "", value: str = "") -> None:
        self.loc = loc
        self.reason = reason
        self.kind = kind
        self.value = value


class Problems(ValueError):
    """Raised from validators; carries located problems for the loader to turn into line numbers."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{field_path(p.loc)}: {p.reason}" for p in problems))
        self.problems = problems

"""JSON in and out, the shipped JSON Schema, and ``Report.write`` by file suffix.

The JSON form is an envelope ``{"format": "hotline_insight.report",
"version": 1, "report": {...}}`` around the document model: every block
with its ``kind``, numbers as numbers (missing ones as ``null``), dates as
ISO strings, keys sorted, two-space indents, UTF-8. Its schema
(JSON Schema draft 2020-12, with a description for every field) ships as
``hotline_insight/report/report.schema.json``; :func:`json_schema` returns
the same document, generated from the model (a test keeps the file in step;
``HOTLINE_UPDATE_GOLDEN=1 pytest tests/report`` rewrites it with the golden files).

Examples:
    >>> import datetime as dt, json
    >>> from hotline_insight.report import Paragraph, Report, Section
    >>> r = Report(title="Q3", generated_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    ...            sections=[Section(id="s", title="S", blocks=[Paragraph.of("Quiet quarter.")])])
    >>> data = json.loads(render_json(r))
    >>> data["format"], data["version"], data["report"]["generated_at"]
    ('hotline_insight.report', 1, '2026-10-01T00:00:00Z')
"""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import ValidationError

from ..errors import ConfigError, Errors, HotlineError
from ._guard import guard
from .document import Report

__all__ = [
    "FORMAT",
    "SUFFIXES",
    "VERSION",
    "json_schema",
    "read_json",
    "render_json",
    "shipped_schema",
    "write_report",
]

FORMAT: Final = "hotline_insight.report"
"""The ``format`` value of every report JSON document."""
VERSION: Final = 1
"""The version of the JSON layout this release writes and reads."""
SUFFIXES: Final = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}
"""File suffix -> format written by :meth:`Report.write`."""
_SCHEMA_FILE: Final = "report.schema.json"


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"


def json_data(report: Report) -> dict[str, Any]:
    """The JSON document of a report that has been through the guard, as Python objects."""
    return {"format": FORMAT, "version": VERSION, "report": report.model_dump(mode="json")}


def render_json(report: Report) -> str:
    """The report as JSON text (after the PII guard), ending with a newline."""
    return _dumps(json_data(guard(report)))


def read_json(source: str | Path) -> Report:
    """Read a report from JSON text, or from a file when given a path (or a str not starting with ``{``).

    Raises:
        ConfigError: the text is not a report JSON document (E1011), or is
            one of another format version (E1012).
    """
    if isinstance(source, Path) or not source.lstrip().startswith("{"):
        name = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(Errors.E1011.format(source=name, reason=type(exc).__name__)) from None
    else:
        name, text = "<text>", source
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            Errors.E1011.format(source=name, reason=f"invalid JSON at line {exc.lineno}")
        ) from None
    if not isinstance(data, dict) or "report" not in data:
        raise ConfigError(Errors.E1011.format(source=name, reason="no 'report' object at the top level"))
    found = (data.get("format"), data.get("version"))
    if found != (FORMAT, VERSION):
        raise ConfigError(
            Errors.E1012.format(source=name, value=f"{found[0]}/{found[1]}", expected=f"{FORMAT}/{VERSION}")
        )
    try:
        return Report.model_validate(data["report"])
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            Errors.E1011.format(
                source=name, reason=f"{exc.error_count()} invalid field(s); first at {where}: {first['msg']}"
            )
        ) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the report JSON document, generated from the model."""
    schema = Report.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs = schema.pop("$defs", {})
    defs["Report"] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "hotline_insight/report.schema.json",
        "title": "hotline_insight report",
        "description": (
            "A report written by hotline_insight (Report.write('x.json') or Report.to_json()): an envelope "
            "with the format name and version around the document: sections of typed blocks, each with "
            "its 'kind'. Numbers are numbers; missing values are null; dates are ISO 8601."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "report"],
        "properties": {
            "format": {"const": FORMAT, "description": "Always 'hotline_insight.report'."},
            "version": {"const": VERSION, "description": "The layout version; this release writes 1."},
            "report": {"$ref": "#/$defs/Report"},
        },
        "$defs": dict(sorted(defs.items())),
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package (``report.schema.json``)."""
    text = resources.files("hotline_insight.report").joinpath(_SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename: the file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_report(report: Report, path: Path, *, format: Literal["html", "md", "json"] | None = None) -> Path:
    """Write a report to ``path`` in the format its suffix names (see :meth:`Report.write`)."""
    from .html import page
    from .markdown import chart_files, markdown_text

    kind = format if format is not None else SUFFIXES.get(path.suffix.lower())
    if kind not in ("html", "md", "json"):
        raise ConfigError(
            Errors.E1009.format(
                path=path,
                value=path.suffix if format is None else format,
                expected=", ".join(SUFFIXES),
                formats="html, md, json",
            )
        )
    report = guard(report)
    try:
        if kind == "html":
            _atomic_write(path, page(report).encode("utf-8"))
        elif kind == "json":
            _atomic_write(path, _dumps(json_data(report)).encode("utf-8"))
        else:
            assets = re.sub(r"[^A-Za-z0-9._-]", "_", path.stem).lstrip("._-") + "_files"
            for name, svg in chart_files(report).items():
                _atomic_write(path.parent / assets / name, svg.encode("utf-8"))
            _atomic_write(path, markdown_text(report, assets=assets).encode("utf-8"))
    except OSError as exc:
        raise HotlineError(Errors.E1010.format(path=path, reason=exc.strerror or type(exc).__name__)) from exc
    return path


def _write_schema_file() -> Path:  # pragma: no cover - run by the schema test under HOTLINE_UPDATE_GOLDEN=1
    target = Path(str(resources.files("hotline_insight.report").joinpath(_SCHEMA_FILE)))
    target.write_text(_dumps(json_schema()), encoding="utf-8")
    return target

"""The report's PII guard: redact every text once more, just before it is written.

Report text should arrive redacted (grievance texts are); this is the second
line of defence for anything that was not, such as a label taken from a raw
field. Every string in the report (titles, paragraphs, table cells, chart
labels, quotes) goes through :func:`hotline_insight.redact`. Identifiers
(interaction ids, evidence references, catalog ids, section ids, column keys)
go through it with only the personal-data labels proper (e-mail, phone, card,
IP address): the full redactor takes system ids shaped like account numbers
(``ZD-5057849``) for accounts, and an evidence reference must stay the id it
refers to. Redacting
redacted text changes nothing (placeholders such as ``[PHONE]`` are kept), so
on a clean report the guard returns the report itself; when it does change
something, the renderers write the redacted copy and warn with ``W401``,
naming where (section ids), never what.

Examples:
    >>> import datetime as dt
    >>> from hotline_insight.report import Paragraph, Report, Section
    >>> r = Report(title="Q3", generated_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    ...            sections=[Section(id="s", title="S", blocks=[Paragraph.of("Call [PHONE] back")])])
    >>> guard(r) is r
    True
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..errors import HotlineWarning, Warnings, warn
from .document import Report

__all__ = ["guard"]

_ID_FIELDS = frozenset({"interaction_id", "evidence", "target_id", "id", "key"})
"""Fields that hold identifiers, not prose."""
_ID_LABELS = ("EMAIL", "PHONE", "CARD", "IP")
"""What is redacted in identifiers: personal data proper, not id-shaped numbers."""


def guard(report: Report) -> Report:
    """The report with every string redacted; the report itself when nothing changed.

    Warns:
        HotlineWarning: ``W401`` when any text changed, with the count and
            the places (title, section ids).
    """
    from ..nlp.redact import redact

    caches: tuple[dict[str, str], dict[str, str]] = ({}, {})
    changed: Counter[str] = Counter()

    def walk(value: Any, where: str, is_id: bool = False) -> Any:
        if isinstance(value, str):
            cache = caches[is_id]
            out = cache.get(value)
            if out is None:
                out = cache[value] = redact(value, labels=_ID_LABELS) if is_id else redact(value)
            if out != value:
                changed[where] += 1
            return out
        if isinstance(value, dict):
            return {k: walk(v, where, is_id or k in _ID_FIELDS) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(walk(v, where, is_id) for v in value)
        return value

    data = report.model_dump(mode="python")
    data["title"] = walk(data["title"], "title")
    data["subtitle"] = walk(data["subtitle"], "title")
    data["sections"] = [walk(section, f"section {section['id']!r}") for section in data["sections"]]
    if not changed:
        return report
    where = ", ".join(f"{place}: {n}" for place, n in sorted(changed.items()))
    warn(Warnings.W401.format(n=sum(changed.values()), where=where), HotlineWarning, stacklevel=5)
    return Report.model_validate(data)

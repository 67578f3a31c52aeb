"""The CFPB Consumer Complaint Database CSV (``cfpb``).

Reads the website/data.gov export (labels such as "Complaint ID") and the
API's CSV (snake_case names such as ``complaint_id``,
``complaint_what_happened``). Values ``None``, ``N/A`` and empty mean missing.

Mapping (documented decisions):

* "Complaint ID" -> ``id`` (required). Channel "ticket"; family "cfpb".
* "Date received" -> ``created_at`` (US ``MM/DD/YY`` or ISO; a date without a
  time is midnight in the ``timezone=`` option's zone, else UTC with the
  W101 warning). "Date sent to company" -> ``meta["date_sent_to_company"]``
  as an ISO date.
* "Consumer complaint narrative" -> turn 0 (role customer, at
  ``created_at``). A row without a narrative is still an interaction, with
  no turns: the CFPB publishes many; they are not failures.
* "Company public response" is the company's chosen boilerplate statement
  for the public database, not a reply to the consumer: it is kept in
  ``meta["company_public_response"]``, not as a turn.
* "Sub-product" -> ``product`` ("Product" when there is no sub-product);
  "Product" -> ``meta["product"]``, "Sub-product" -> ``meta["sub_product"]``.
* "Issue" -> ``category``; "Sub-issue" -> ``meta["sub_issue"]``.
* "Company response to consumer" -> ``status`` (its outcome: "In progress",
  "Closed with explanation", ...) and ``meta["company_response"]``.
* "Tags" -> ``tags`` (comma-separated: "Older American, Servicemember").
* "Consumer disputed?" -> ``Satisfaction`` (Yes -> 0.0, No -> 1.0,
  ``scale="cfpb_disputed"``; another value is kept as ``raw`` with no score);
  when missing or N/A (the CFPB stopped asking in 2017) there is no
  satisfaction record.
* "ZIP code" is personal data: only its 3-digit prefix is kept
  (``meta["zip3"]``: ``30040`` and ``300XX`` give ``300``; ``XXXXX`` gives none).
* Company, State, "Submitted via", "Consumer consent provided?",
  "Timely response?" (as a boolean) go to ``meta``; other columns too, under
  their header name.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache, partial
from typing import Any

from ..records import Interaction, Satisfaction, make_interaction, make_turn
from ._base import ParseContext, Parser, ParserResult, register
from ._source import SourceFile
from ._tickets import (
    DateCache,
    column_map,
    csv_records,
    id_text,
    parse_bool,
    read_fields,
    sniff_header,
    split_tags,
)

__all__ = ["CfpbParser"]

FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("Complaint ID", "complaint_id"),
    "date_received": ("Date received", "date_received"),
    "product": ("Product", "product"),
    "sub_product": ("Sub-product", "sub_product"),
    "issue": ("Issue", "issue"),
    "sub_issue": ("Sub-issue", "sub_issue"),
    "narrative": ("Consumer complaint narrative", "complaint_what_happened", "consumer_complaint_narrative"),
    "company_public_response": ("Company public response", "company_public_response"),
    "company": ("Company", "company"),
    "state": ("State", "state"),
    "zip": ("ZIP code", "zip_code"),
    "tags": ("Tags", "tags"),
    "consumer_consent": ("Consumer consent provided?", "consumer_consent_provided"),
    "submitted_via": ("Submitted via", "submitted_via"),
    "date_sent": ("Date sent to company", "date_sent_to_company"),
    "company_response": ("Company response to consumer", "company_response", "company_response_to_consumer"),
    "timely": ("Timely response?", "timely", "timely_response"),
    "disputed": ("Consumer disputed?", "consumer_disputed"),
}
# copied to meta as text, under these names
_META_TEXT = (
    "product",
    "sub_product",
    "sub_issue",
    "company_public_response",
    "company",
    "state",
    "consumer_consent",
    "submitted_via",
    "company_response",
)
_DISPUTED = {"yes": 0.0, "no": 1.0}


@lru_cache(maxsize=64)
def _dispute(raw: str) -> Satisfaction:
    """The satisfaction a "Consumer disputed?" value gives (shared: records are immutable).

    An unexpected value keeps its raw text, with no score.
    """
    return Satisfaction(score=_DISPUTED.get(raw.lower()), raw=raw, scale="cfpb_disputed")


def zip3(value: str | None) -> str | None:
    """The 3-digit prefix of a published ZIP code, or None when masked or malformed.

    Examples:
        >>> [zip3(z) for z in ("30040", "300XX", "XXXXX", "30040-1234", None)]
        ['300', '300', None, '300', None]
    """
    if value is None or len(value) < 3:
        return None
    prefix = value[:3]
    return prefix if prefix.isdigit() else None


class _Layout:
    def __init__(self, columns: list[str]) -> None:
        self.cols = column_map(columns, FIELDS)
        self.pairs = list(self.cols.items())
        used = set(self.cols.values())
        self.extra = [c for c in columns if c not in used]


@register
class CfpbParser(Parser):
    """CFPB consumer complaint database CSV (website, data.gov or API export)."""

    name = "cfpb"
    family = "cfpb"
    label = "CFPB consumer complaints (CSV)"
    channel = "ticket"
    extensions = (".csv",)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        cells = sniff_header(src.head_text())
        if not cells:
            return 0.0
        has_id = "complaint id" in cells or "complaint_id" in cells
        if not has_id:
            return 0.0
        if cells & {
            "consumer complaint narrative",
            "complaint_what_happened",
            "consumer_complaint_narrative",
        }:
            return 0.95
        if cells & {"date received", "date_received"} and cells & {
            "company response to consumer",
            "company_response",
            "sub-issue",
            "sub_issue",
        }:
            return 0.85
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        dates = DateCache(ctx)
        yield from csv_records(src, ctx, _Layout, partial(self._row, ctx, dates))

    def _row(
        self, ctx: ParseContext, dates: DateCache, values: dict[str, str], line: int, index: int, lay: _Layout
    ) -> Interaction:
        f = read_fields(values, lay.pairs).get
        complaint_id = id_text(f("id"), "Complaint ID")
        created = dates(f("date_received"))
        meta: dict[str, Any] = {}
        for name in _META_TEXT:
            value = f(name)
            if value is not None:
                meta[name] = value
        sent = dates(f("date_sent"))
        if sent is not None:  # the date as written, in the source's zone
            meta["date_sent_to_company"] = (sent.astimezone(ctx.tz) if ctx.tz else sent).date().isoformat()
        timely = parse_bool(f("timely"), "Timely response?")
        if timely is not None:
            meta["timely_response"] = timely
        zip_prefix = zip3(f("zip"))
        if zip_prefix is not None:
            meta["zip3"] = zip_prefix
        for column in lay.extra:
            value = values[column]
            if value != "":
                meta[column] = value
        narrative = f("narrative")
        disputed = f("disputed")
        satisfaction = None if disputed is None else _dispute(disputed)
        return make_interaction(
            id=complaint_id,
            source=ctx.ref(line=line, index=index),
            channel=ctx.channel("ticket"),
            created_at=created,
            turns=(make_turn(position=0, role="customer", text=narrative, at=created),) if narrative else (),
            product=meta.get("sub_product") or meta.get("product"),
            category=f("issue"),
            tags=split_tags(f("tags")),
            status=meta.get("company_response"),
            satisfaction=satisfaction,
            meta=meta,
        )

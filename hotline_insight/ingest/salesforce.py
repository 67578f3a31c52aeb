"""Salesforce Case exports: Data Loader / API CSV and report CSV (``salesforce_case``).

Columns are matched case-insensitively (Data Loader writes ``CASENUMBER``),
by API name or by the labels report exports use ("Case Number",
"Date/Time Opened", "Case Origin", "Account Name", ...).

Mapping (documented decisions):

* ``Id`` -> ``id``, else ``CaseNumber`` (one of them is required); the case
  number is also kept as ``meta["case_number"]``.
* ``Subject``; ``Description`` is turn 0 (role customer, speaker the
  ``ContactId``, at ``CreatedDate``). Case comments are not in these exports.
* ``Status``, ``Priority`` as given.
* ``Origin``: values starting with phone/call/voice -> call, email/e-mail ->
  email, chat/messaging/sms -> chat; Web and anything else -> ticket. The
  value is kept in ``meta["origin"]``.
* ``Reason`` (else ``Type``) -> ``category``; both in ``meta`` (``reason``, ``type``).
* ``CreatedDate`` -> ``created_at``; ``LastModifiedDate`` -> ``updated_at``;
  ``ClosedDate`` -> ``resolved_at`` (a closed case without a ClosedDate has
  none); ``IsClosed``/``IsEscalated`` -> ``meta`` booleans. Report dates such
  as ``3/22/2023 10:15 AM`` are naive: pass ``timezone=``.
* ``AccountId`` -> ``customer_id``, else ``ContactId``; both kept in ``meta``
  (``account_id``, ``contact_id``). Report exports that only name the account
  ("Account Name") get ``customer_id`` = the hashed name (``account_name:...``),
  so one account's cases still group, without the name in clear.
* Personal data is never kept in clear: ``SuppliedEmail``, ``ContactEmail``,
  ``ContactPhone``, ``SuppliedPhone``, ``ContactMobile`` and any other column
  whose name says e-mail/phone/mobile/fax go, hashed, to ``customer_keys``;
  contact and web names (``SuppliedName``, "Contact Name", ...) are dropped;
  "Account Name" is hashed as above.
* ``OwnerId`` (else "Case Owner") -> ``agent_id``.
* ``Product__c`` (or a "Product" column; the option ``product_column`` names
  another) -> ``product``; other ``*__c`` and unknown columns -> ``meta``
  under their header name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..errors import ParseFailureReason, Warnings
from ..records import Channel, Interaction, make_interaction, make_turn
from ._base import FieldError, ParseContext, ParseOptions, Parser, ParserResult, register
from ._source import SourceFile
from ._tickets import (
    DateCache,
    column_map,
    csv_records,
    hash_cached,
    option_text,
    parse_bool,
    personal_keys,
    read_fields,
    sniff_header,
)

__all__ = ["SalesforceCaseParser"]

FIELDS: dict[str, tuple[str, ...]] = {
    "Id": ("Id", "Case ID", "Case Id", "CaseId"),
    "CaseNumber": ("CaseNumber", "Case Number", "Case #"),
    "Subject": ("Subject",),
    "Description": ("Description", "Case Description"),
    "Status": ("Status",),
    "Priority": ("Priority",),
    "Origin": ("Origin", "Case Origin"),
    "Reason": ("Reason", "Case Reason"),
    "Type": ("Type", "Case Type"),
    "IsClosed": ("IsClosed", "Closed"),
    "ClosedDate": ("ClosedDate", "Date/Time Closed", "Closed Date", "Date Closed"),
    "CreatedDate": ("CreatedDate", "Date/Time Opened", "Opened Date", "Date Opened", "Created Date"),
    "LastModifiedDate": ("LastModifiedDate", "Last Modified Date", "Date/Time Last Modified"),
    "IsEscalated": ("IsEscalated", "Escalated"),
    "AccountId": ("AccountId", "Account ID"),
    "ContactId": ("ContactId", "Contact ID"),
    "AccountName": ("Account Name", "Account.Name", "AccountName"),
    "OwnerId": ("OwnerId", "Owner ID", "Case Owner ID"),
    "OwnerName": ("Case Owner", "Owner.Name", "Owner Name"),
    "Product": ("Product__c", "Product"),
}
_OPTIONS = {"product_column": "column whose value is the product (default: Product__c, or Product)"}
_META_NAMES = {"Reason": "reason", "Type": "type", "Origin": "origin"}
_PERSONAL = re.compile(r"e-?mail|phone|mobile|fax", re.IGNORECASE)
_NAMES = re.compile(r"^(supplied|web|contact|customer|requester)[ ._]?(full[ ._]?)?name$", re.IGNORECASE)

_CHANNELS: tuple[tuple[tuple[str, ...], Channel], ...] = (
    (("phone", "call", "voice"), "call"),
    (("email", "e-mail"), "email"),
    (("chat", "messaging", "sms"), "chat"),
)


def origin_channel(origin: str | None) -> Channel:
    """The channel an ``Origin`` value names.

    Examples:
        >>> [origin_channel(o) for o in ("Phone", "Email", "Web", "Chat", None)]
        ['call', 'email', 'ticket', 'chat', 'ticket']
    """
    if origin is None:
        return "ticket"
    lowered = origin.strip().lower()
    for prefixes, channel in _CHANNELS:
        if lowered.startswith(prefixes):
            return channel
    return "ticket"


class _Layout:
    """Which column holds what, from the header (worked out once per file)."""

    def __init__(self, columns: list[str], product_column: str | None) -> None:
        fields = dict(FIELDS)
        if product_column is not None:
            fields["Product"] = (product_column,)
        self.cols = column_map(columns, fields)
        self.pairs = list(self.cols.items())
        used = set(self.cols.values())
        self.personal: list[str] = []
        self.extra: list[str] = []
        for column in columns:
            if column in used or _NAMES.match(column.strip()):
                continue
            if _PERSONAL.search(column):
                self.personal.append(column)
            else:
                self.extra.append(column)


@register
class SalesforceCaseParser(Parser):
    """Salesforce Case CSV from Data Loader, the API, or a report export."""

    name = "salesforce_case"
    family = "salesforce"
    label = "Salesforce Cases (CSV)"
    channel = "ticket"
    extensions = (".csv",)
    options = _OPTIONS

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        self._product_column = option_text(self.opts.extra, "product_column", self.name)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        cells = sniff_header(src.head_text())
        if not cells:
            return 0.0
        core = {"subject", "status", "priority", "origin", "case origin", "description"}
        if ("casenumber" in cells or "case number" in cells) and cells & core:
            return 0.9
        has_origin = "origin" in cells or "case origin" in cells
        has_dates = bool(
            cells & {"isclosed", "closeddate", "createddate", "date/time opened", "date/time closed"}
        )
        if has_origin and has_dates and ("subject" in cells or "status" in cells):
            return 0.75
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        yield from csv_records(src, ctx, partial(self._layout, ctx), partial(self._row, ctx, DateCache(ctx)))

    def _layout(self, ctx: ParseContext, columns: list[str]) -> _Layout:
        layout = _Layout(columns, self._product_column)
        if self._product_column is not None and "Product" not in layout.cols:
            ctx.warn(
                "W104",
                Warnings.W104.format(
                    source=ctx.src.path,
                    detail=f"the product_column {self._product_column!r} is not in the header; product left empty",
                ),
            )
        return layout

    def _row(
        self, ctx: ParseContext, dates: DateCache, values: dict[str, str], line: int, index: int, lay: _Layout
    ) -> Interaction:
        f = read_fields(values, lay.pairs).get
        case_id = f("Id")
        case_number = f("CaseNumber")
        if case_id is None and case_number is None:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD, "required field 'Id' (or 'CaseNumber') is missing or empty"
            )
        meta: dict[str, Any] = {}
        if case_number is not None:
            meta["case_number"] = case_number
        created = dates(f("CreatedDate"))
        account = f("AccountId")
        contact = f("ContactId")
        description = f("Description")
        turns = (
            (make_turn(position=0, role="customer", speaker=contact, text=description, at=created),)
            if description is not None
            else ()
        )
        for canonical, key in _META_NAMES.items():
            value = f(canonical)
            if value is not None:
                meta[key] = value
        is_closed = parse_bool(f("IsClosed"), "IsClosed")
        if is_closed is not None:
            meta["is_closed"] = is_closed
        escalated = parse_bool(f("IsEscalated"), "IsEscalated")
        if escalated is not None:
            meta["is_escalated"] = escalated
        if account is not None:
            meta["account_id"] = account
        if contact is not None:
            meta["contact_id"] = contact
        for column in lay.extra:
            value = values[column]
            if value != "":
                meta[column] = value
        keys = personal_keys(values, lay.personal) if lay.personal else ()
        customer = account or contact
        account_name = f("AccountName")
        if account_name is not None:
            hashed = hash_cached("account_name", account_name)
            keys = (*keys, hashed)
            if customer is None:
                customer = hashed
        return make_interaction(
            id=case_id or case_number,
            source=ctx.ref(line=line, index=index),
            channel=ctx.channel(origin_channel(meta.get("origin"))),
            created_at=created,
            updated_at=dates(f("LastModifiedDate")),
            resolved_at=dates(f("ClosedDate")),
            customer_id=customer,
            customer_keys=keys,
            agent_id=f("OwnerId") or f("OwnerName"),
            subject=f("Subject"),
            turns=turns,
            product=f("Product"),
            category=meta.get("reason") or meta.get("type"),
            status=f("Status"),
            priority=f("Priority"),
            meta=meta,
        )

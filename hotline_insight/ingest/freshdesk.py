"""Freshdesk tickets (API v2): a JSON array, ``{"tickets": [...]}`` pages, or JSON lines.

Mapping (documented decisions):

* ``id`` -> ``str(id)`` (required); ``subject``.
* Turns: ``description_text`` (else the HTML ``description`` reduced to
  text) is turn 0 (role customer, speaker the requester, at ``created_at``);
  then the embedded ``conversations`` (``GET /tickets/{id}?include=conversations``)
  in order: ``incoming`` True -> customer, else agent (the ``agent=``/
  ``customer=`` options, given user ids, win); ``private`` -> ``is_public``
  False (notes are kept); text ``body_text``, else ``body`` reduced to text;
  speaker ``user_id``; at ``created_at``.
* ``status`` 2 Open, 3 Pending, 4 Resolved, 5 Closed (other, custom codes
  stay as their number); ``priority`` 1 Low, 2 Medium, 3 High, 4 Urgent.
* ``source`` -> channel and ``meta["source_name"]``: 1 Email -> email,
  2 Portal -> ticket, 3 Phone -> call, 7 Chat -> chat, 9 Feedback widget ->
  ticket, 10 Outbound email -> email; any other code -> ticket, with no name.
* ``type`` (a ticket type the helpdesk configures: Question, Refund, ...)
  -> ``category`` and ``meta["type"]``.
* ``product_id`` -> ``product`` (as text); the option ``product_field``
  names a custom field (``cf_product``) whose value is the product instead.
* ``custom_fields {cf_*}`` -> ``meta["custom_fields"]``.
* ``requester_id`` -> ``customer_id``; ``responder_id`` -> ``agent_id``.
* ``stats.resolved_at`` (else ``stats.closed_at``; ``include=stats``) -> ``resolved_at``.
* Personal data: an embedded ``requester`` object's e-mail / phone / mobile
  and a top-level ``email``/``phone`` go, hashed, to ``customer_keys``; names
  and every e-mail list (``cc_emails``, ``fwd_emails``, ``reply_cc_emails``,
  ``ticket_cc_emails``, ``to_emails``, ``support_email``) are dropped.
  ``attachments`` become ``meta["n_attachments"]`` (their signed URLs are not kept).
* Every other field goes to ``meta`` as read (None values left out); the
  HTML ``description`` is dropped when ``description_text`` is there.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from ..errors import ParseFailureReason
from ..records import Channel, Interaction, Role, Turn, make_interaction, make_turn
from ._base import FieldError, ParseContext, ParseOptions, Parser, ParserResult, register
from ._jsonstream import JsonProblem, iter_json_lines, iter_json_records
from ._source import SourceFile
from ._tickets import (
    fast_time,
    hash_cached,
    helpdesk_evidence,
    html_to_text,
    id_text,
    is_json_lines,
    json_kind,
    opt_str,
    option_text,
)

__all__ = ["FreshdeskParser"]

STATUS = {2: "Open", 3: "Pending", 4: "Resolved", 5: "Closed"}
PRIORITY = {1: "Low", 2: "Medium", 3: "High", 4: "Urgent"}
SOURCE: dict[int, tuple[str, Channel]] = {
    1: ("Email", "email"),
    2: ("Portal", "ticket"),
    3: ("Phone", "call"),
    7: ("Chat", "chat"),
    9: ("Feedback widget", "ticket"),
    10: ("Outbound email", "email"),
}

_OPTIONS = {"product_field": "custom field (cf_...) whose value is the product, instead of product_id"}

_HANDLED = frozenset(
    (
        "id",
        "subject",
        "description",
        "description_text",
        "status",
        "priority",
        "source",
        "type",
        "requester_id",
        "responder_id",
        "product_id",
        "tags",
        "custom_fields",
        "created_at",
        "updated_at",
        "conversations",
        "requester",
        "email",
        "phone",
        "mobile",
        "name",
        "cc_emails",
        "fwd_emails",
        "reply_cc_emails",
        "ticket_cc_emails",
        "to_emails",
        "support_email",
        "attachments",
    )
)


def _code(value: Any, names: dict[int, str], field: str) -> str | None:
    if value is None:
        return None
    if value.__class__ is int:
        return names.get(value, str(value))
    if value.__class__ is str:
        text = value.strip()
        if text.isdigit():
            return names.get(int(text), text)
        return text or None
    raise FieldError(
        ParseFailureReason.INVALID_VALUE, f"field {field!r} must be a code, not {json_kind(value)}"
    )


def _hash_contacts(obj: Any, keys: list[str]) -> None:
    if obj.__class__ is not dict:
        return
    email = obj.get("email")
    if email.__class__ is str and "@" in email:
        keys.append(hash_cached("email", email))
    for field in ("phone", "mobile"):
        phone = obj.get(field)
        if phone.__class__ is str and any(ch.isdigit() for ch in phone):
            keys.append(hash_cached("phone", phone))


@register
class FreshdeskParser(Parser):
    """Freshdesk API v2 tickets, with their conversations when embedded."""

    name = "freshdesk"
    family = "freshdesk"
    label = "Freshdesk tickets (API v2 JSON)"
    channel = "ticket"
    extensions = (".json", ".jsonl", ".ndjson")
    options = _OPTIONS

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        self._product_field = option_text(self.opts.extra, "product_field", self.name)
        self._agents = frozenset(a.strip().lower() for a in self.opts.agent)
        self._customers = frozenset(c.strip().lower() for c in self.opts.customer)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text().lstrip("\ufeff \t\r\n")
        if head[:1] not in ("[", "{") or '"requester_id"' not in head:
            return 0.0
        zendesk, fresh = helpdesk_evidence(head)
        if fresh > zendesk:
            return 0.9 if fresh >= 2 else 0.8
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        head = src.head_text().lstrip("\ufeff \t\r\n")
        with src.open_text() as fh:
            items = iter_json_lines(fh) if is_json_lines(head) else iter_json_records(fh, ("tickets",))
            index = 0
            for item in items:
                if isinstance(item, JsonProblem):
                    yield ctx.failure(
                        item.reason, item.message, line=item.line, offset=item.offset, index=index
                    )
                    index += 1
                    continue
                values = item.value if item.value.__class__ is list else (item.value,)
                for ticket in values:
                    yield ctx.build(
                        partial(self._ticket, ticket, ctx, item.line, item.offset, index),
                        line=item.line,
                        offset=item.offset,
                        index=index,
                    )
                    index += 1

    def _role(self, incoming: Any, user: Any) -> Role:
        if self._agents or self._customers:
            label = str(user).lower()
            if label in self._agents:
                return "agent"
            if label in self._customers:
                return "customer"
        if incoming is None:
            return "unknown"
        return "customer" if incoming else "agent"

    def _text(self, obj: dict[str, Any], plain: str, rich: str) -> str | None:
        text = opt_str(obj.get(plain), plain)
        if text is not None:
            return text
        body = opt_str(obj.get(rich), rich)
        return None if body is None else html_to_text(body)

    def _ticket(
        self, t: Any, ctx: ParseContext, line: int | None, offset: int | None, index: int
    ) -> Interaction:
        if t.__class__ is not dict:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"a ticket must be a JSON object, not {json_kind(t)}"
            )
        tid = id_text(t.get("id"), "id")
        requester = t.get("requester_id")
        requester_text = None if requester is None else str(requester)
        created = fast_time(ctx, t.get("created_at"))
        turns: list[Turn] = []
        description = self._text(t, "description_text", "description")
        if description is not None:
            turns.append(
                make_turn(position=0, role="customer", speaker=requester_text, text=description, at=created)
            )
        conversations = t.get("conversations")
        if conversations:
            if conversations.__class__ is not list:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"field 'conversations' must be an array, not {json_kind(conversations)}",
                )
            for i, c in enumerate(conversations):
                if c.__class__ is not dict:
                    raise FieldError(
                        ParseFailureReason.INVALID_VALUE,
                        f"conversation {i} must be a JSON object, not {json_kind(c)}",
                    )
                user = c.get("user_id")
                private = c.get("private")
                turns.append(
                    make_turn(
                        position=len(turns),
                        role=self._role(c.get("incoming"), user),
                        speaker=None if user is None else str(user),
                        text=self._text(c, "body_text", "body") or "",
                        at=fast_time(ctx, c.get("created_at")),
                        is_public=None if private is None else not private,
                        meta={} if c.get("id") is None else {"conversation_id": c["id"]},
                    )
                )

        meta = {k: v for k, v in t.items() if v is not None and k not in _HANDLED}
        keys: list[str] = []
        _hash_contacts(t.get("requester"), keys)
        _hash_contacts(t, keys)
        attachments = t.get("attachments")
        if attachments:
            meta["n_attachments"] = len(attachments)

        source = t.get("source")
        channel: Channel = "ticket"
        if source is not None:
            code = int(source) if source.__class__ is str and source.strip().isdigit() else source
            if code.__class__ is not int:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"field 'source' must be a number, not {json_kind(source)}",
                )
            meta["source"] = code
            named = SOURCE.get(code)
            if named is not None:
                meta["source_name"], channel = named
        kind = opt_str(t.get("type"), "type")
        if kind is not None:
            meta["type"] = kind
        custom = t.get("custom_fields")
        product = None
        if custom:
            if custom.__class__ is not dict:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"field 'custom_fields' must be an object, not {json_kind(custom)}",
                )
            meta["custom_fields"] = custom
            if self._product_field is not None:
                product = opt_str(custom.get(self._product_field), self._product_field)
        if self._product_field is None:
            product = opt_str(t.get("product_id"), "product_id")
        elif t.get("product_id") is not None:
            meta["product_id"] = t["product_id"]
        stats = t.get("stats")
        resolved = None
        if stats.__class__ is dict:
            resolved = fast_time(ctx, stats.get("resolved_at") or stats.get("closed_at"))
        tags = t.get("tags")
        if tags is None:
            tag_tuple: tuple[str, ...] = ()
        elif tags.__class__ is list:
            tag_tuple = tuple(map(str, tags))
        else:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"field 'tags' must be an array, not {json_kind(tags)}"
            )
        responder = t.get("responder_id")
        return make_interaction(
            id=tid,
            source=ctx.ref(line=line, offset=offset, index=index),
            channel=ctx.channel(channel),
            created_at=created,
            updated_at=fast_time(ctx, t.get("updated_at")),
            resolved_at=resolved,
            customer_id=requester_text,
            customer_keys=tuple(dict.fromkeys(keys)),
            agent_id=None if responder is None else str(responder),
            subject=opt_str(t.get("subject"), "subject"),
            turns=tuple(turns),
            product=product,
            category=kind,
            tags=tag_tuple,
            status=_code(t.get("status"), STATUS, "status"),
            priority=_code(t.get("priority"), PRIORITY, "priority"),
            meta=meta,
        )

"""Zendesk ticket exports: API/export JSON, JSON lines and CSV.

Three formats of one family (``"zendesk"``, so a ticket read from two
exports is one interaction):

* ``zendesk_json``: a JSON array of tickets; ``{"tickets": [...]}`` pages
  (one, or several concatenated one after another); a JSON array of such
  pages; a single ``{"ticket": {...}}``. Streamed record by record.
* ``zendesk_jsonl``: one ticket (or one ``{"ticket": ...}``, or one page) a line;
  a bad line is one failure and reading goes on.
* ``zendesk_csv``: CSV exports using the API's field names.

Mapping (documented decisions):

* ``id`` -> ``str(id)`` (required); ``subject`` (``raw_subject`` when there is
  no subject; a differing ``raw_subject`` is kept in ``meta``).
* Turns: the ``description`` is turn 0 (role customer, speaker the
  requester, at ``created_at``); then the embedded ``comments`` in order.
  A comment's role is customer when its ``author_id`` is the requester's,
  otherwise agent (the ``agent=``/``customer=`` options, given author ids,
  win). Private comments (``public: false``) are internal notes: kept, with
  ``is_public=False``. Comment text is ``body``, else ``plain_body``, else
  ``html_body`` reduced to text. Zendesk stores the description again as the
  first comment: when the first comment's text equals the description
  (ignoring whitespace) it is not repeated; turn 0 then takes that comment's
  id, author (as speaker), visibility and time, and keeps the role customer
  (the description is the request, even when an agent typed it in).
* ``status``, ``priority`` as given; ``type`` (problem|incident|question|task)
  is workflow, not a subject category: ``meta["type"]``, ``category`` stays None.
* ``tags`` -> ``tags``; CSV cells are comma-separated when they hold a comma,
  else space-separated.
* ``satisfaction_rating.score`` good -> 1.0, bad -> 0.0, offered/unoffered ->
  None, with ``raw`` the score, ``scale="good/bad"`` and the comment.
* ``via.channel`` -> channel: email -> email; chat, chat_transcript,
  native_messaging, messaging -> chat; voice -> call; web, api and all others
  -> ticket. ``via`` is kept in ``meta`` without the personal fields of its
  ``source.from``/``source.to`` (addresses, phones, names): an e-mail address
  or phone number found in ``via.source.from`` (the sender of an inbound
  ticket) or in an embedded ``requester`` object goes, hashed, to ``customer_keys``.
  ``recipient`` (an address) is dropped.
* ``requester_id`` -> ``customer_id``; ``assignee_id`` -> ``agent_id``.
* ``custom_fields [{id, value}]`` -> ``meta["custom_fields"]`` as
  ``{str(id): value}`` (the duplicate ``fields`` list is dropped). The option
  ``product_field`` names the custom field id whose value is the product.
  CSV columns named ``custom_fields.<id>``, ``custom_field_<id>``,
  ``field_<id>`` or just ``<id>`` are custom fields too.
* CSV personal columns: any column whose name says e-mail/phone/mobile (or
  ``recipient``) is hashed into ``customer_keys``; the requester's name
  (``requester``, ``requester_name``, ``name``, ...) is dropped; other
  unknown columns go to ``meta`` under their header name.
* ``metric_set.solved_at`` (exports with ``include=metric_sets``) -> ``resolved_at``.
* ``created_at``/``updated_at`` -> UTC; every other field goes to ``meta``
  as read (None values left out).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache, partial
from typing import Any

from ..errors import ParseFailureReason
from ..records import Channel, Interaction, Role, Satisfaction, Turn, make_interaction, make_turn
from ._base import RECORD_ERRORS, FieldError, ParseContext, ParseOptions, Parser, ParserResult, register
from ._jsonstream import JsonProblem, iter_json_lines, iter_json_records
from ._source import SourceFile
from ._tickets import (
    DateCache,
    column_map,
    csv_records,
    fast_time,
    hash_cached,
    helpdesk_evidence,
    html_to_text,
    id_text,
    is_json_lines,
    json_kind,
    opt_str,
    option_text,
    personal_keys,
    read_fields,
    sniff_header,
    split_tags,
)

__all__ = ["ZendeskCsvParser", "ZendeskJsonParser", "ZendeskJsonlParser"]

_OPTIONS = {
    "product_field": "id of the custom field whose value is the product (e.g. 360001234567)",
}

_VIA_CHANNELS: dict[str, Channel] = {
    "email": "email",
    "mail": "email",
    "chat": "chat",
    "chat_transcript": "chat",
    "native_messaging": "chat",
    "messaging": "chat",
    "voice": "call",
    "phone": "call",
}

_SATISFACTION = {"good": 1.0, "bad": 0.0}

# fields read into Interaction fields (or deliberately dropped); the rest go to meta
_HANDLED = frozenset(
    (
        "id",
        "subject",
        "raw_subject",
        "description",
        "status",
        "priority",
        "type",
        "requester_id",
        "assignee_id",
        "tags",
        "custom_fields",
        "fields",
        "satisfaction_rating",
        "via",
        "created_at",
        "updated_at",
        "comments",
        "recipient",
        "requester",
    )
)
# personal values inside via.source.from / .to and requester objects
_PERSONAL = frozenset(
    (
        "address",
        "name",
        "phone",
        "formatted_phone",
        "email",
        "email_ccs",
        "original_recipients",
        "username",
        "profile_url",
        "screen_name",
    )
)

_WRAPPER = re.compile(r'\s*(?:\[\s*)?\{\s*(?:"tickets"\s*:\s*\[|"ticket"\s*:\s*\{)')


def _tickets_in(value: Any) -> Iterator[Any]:
    """The tickets inside one decoded JSON value: a ticket, a page, a wrapper, or a list of these."""
    if value.__class__ is list:
        for item in value:
            yield from _tickets_in_page(item)
    else:
        yield from _tickets_in_page(value)


def _tickets_in_page(value: Any) -> Iterator[Any]:
    if value.__class__ is dict and "id" not in value:
        inner = value.get("tickets")
        if inner.__class__ is list:
            for item in inner:
                yield _unwrap(item)
            return
    yield _unwrap(value)


def _unwrap(value: Any) -> Any:
    """``{"ticket": {...}}`` -> the ticket (with a sibling ``comments`` list attached)."""
    if value.__class__ is dict and "id" not in value:
        ticket = value.get("ticket")
        if ticket.__class__ is dict:
            comments = value.get("comments")
            if comments.__class__ is list and "comments" not in ticket:
                return {**ticket, "comments": comments}
            return ticket
    return value


def _comment_text(c: dict[str, Any]) -> str:
    """``body``, else ``plain_body``, else ``html_body`` reduced to text; '' when none has text."""
    body = c.get("body")
    if body.__class__ is str:
        body = body.strip()
        if body:
            return body
    elif body is not None:
        opt_str(body, "comments.body")
    plain = opt_str(c.get("plain_body"), "comments.plain_body")
    if plain is not None:
        return plain
    rich = opt_str(c.get("html_body"), "comments.html_body")
    return "" if rich is None else html_to_text(rich)


def _time_again(
    ctx: ParseContext, value: Any, stamp: tuple[Any, dt.datetime | None, bool]
) -> dt.datetime | None:
    """:func:`fast_time`, reusing the ticket's ``created_at`` when the value is the same text
    (comments and updates often carry it); a naive value still counts for W101."""
    if value is not None and value == stamp[0]:
        if stamp[2]:
            ctx.naive.n += 1
        return stamp[1]
    return fast_time(ctx, value)


def _same_text(a: str, b: str) -> bool:
    """Equal, ignoring whitespace (the first words are compared first: most comments differ)."""
    if a == b:
        return True
    return a.split(None, 3)[:3] == b.split(None, 3)[:3] and a.split() == b.split()


def _clean(value: Any) -> Any:
    """A copy of ``value`` without personal keys (addresses, phones, names) at any depth."""
    if value.__class__ is dict:
        return {k: _clean(v) for k, v in value.items() if k not in _PERSONAL}
    if value.__class__ is list:
        return [_clean(v) for v in value]
    return value


def _party_keys(party: Any, keys: list[str]) -> None:
    """Hash the e-mail address / phone number of a via party or requester object into ``keys``."""
    if party.__class__ is not dict:
        return
    for field in ("address", "email"):
        value = party.get(field)
        if value.__class__ is str and "@" in value:
            keys.append(hash_cached("email", value))
    for field in ("phone", "formatted_phone"):
        value = party.get(field)
        if value.__class__ is str and any(ch.isdigit() for ch in value):
            key = hash_cached("phone", value)
            if key not in keys:
                keys.append(key)


@lru_cache(maxsize=64)
def _rating(raw: str) -> Satisfaction:
    """The (immutable, so shareable) rating without a comment: most ratings have none."""
    return Satisfaction(score=_SATISFACTION.get(raw.lower()), raw=raw, scale="good/bad")


def _satisfaction(score: Any, comment: Any) -> Satisfaction | None:
    raw = opt_str(score, "satisfaction_rating.score")
    if raw is None:
        return None
    text = opt_str(comment, "satisfaction_rating.comment")
    if text is None:
        return _rating(raw)
    return Satisfaction(score=_SATISFACTION.get(raw.lower()), raw=raw, scale="good/bad", comment=text)


def _product_value(value: Any) -> str | None:
    """A custom field's value as a product name (a multi-select list is joined with ', ')."""
    if value.__class__ is list:
        return ", ".join(str(v) for v in value) or None
    return opt_str(value, "custom_fields.value")


def _via_channel(channel: str | None) -> Channel:
    if channel is None:
        return "ticket"
    return _VIA_CHANNELS.get(channel.strip().lower(), "ticket")


def _json_head(src: SourceFile) -> str:
    head = src.head_text().lstrip("\ufeff \t\r\n")
    return head if head[:1] in ("[", "{") else ""


def _json_score(head: str) -> float:
    """How Zendesk-like a JSON head is (0 when it is not a ticket export or looks like Freshdesk).

    A ``{"tickets": [`` page (or ``{"ticket": {``) whose first ticket is cut
    before ``requester_id`` by the 64 KiB head (a huge description) is still
    plausible: 0.6, when the ticket's ``id`` and ``subject``/``description`` are there.
    """
    if not head:
        return 0.0
    zendesk, freshdesk = helpdesk_evidence(head)
    if '"requester_id"' not in head:
        if (
            freshdesk == 0
            and _WRAPPER.match(head)
            and '"id"' in head
            and ('"subject"' in head or '"description"' in head)
        ):
            return 0.6
        return 0.0
    if zendesk > freshdesk:
        return 0.9 if zendesk >= 2 else 0.8
    if zendesk == freshdesk == 0 and ('"subject"' in head or '"description"' in head):
        return 0.5
    return 0.0


class _Zendesk(Parser):
    family = "zendesk"
    channel = "ticket"
    options = _OPTIONS

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        self._product_field = option_text(self.opts.extra, "product_field", self.name)
        self._agents = frozenset(a.strip().lower() for a in self.opts.agent)
        self._customers = frozenset(c.strip().lower() for c in self.opts.customer)

    # -- one ticket from a decoded JSON object --------------------------------
    def _role(self, author: Any, requester: Any) -> Role:
        if author is None:
            return "unknown"
        if self._agents or self._customers:
            label = str(author).lower()
            if label in self._agents:
                return "agent"
            if label in self._customers:
                return "customer"
        return "customer" if author == requester or str(author) == str(requester) else "agent"

    def _ticket(
        self, t: Any, ctx: ParseContext, line: int | None, offset: int | None, index: int
    ) -> Interaction:
        if t.__class__ is not dict:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"a ticket must be a JSON object, not {json_kind(t)}"
            )
        get = t.get
        tid = id_text(get("id"), "id")
        requester = get("requester_id")
        requester_text = None if requester is None else str(requester)
        created_raw = get("created_at")
        naive_before = ctx.naive.n
        created = fast_time(ctx, created_raw)
        stamp = (created_raw, created, ctx.naive.n != naive_before)
        description = get("description")
        if description is not None:
            description = opt_str(description, "description")
        comments = get("comments")
        turns: list[Turn] = []
        if comments:
            if comments.__class__ is not list:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"field 'comments' must be an array, not {json_kind(comments)}",
                )
            self._comments(comments, description, requester, requester_text, stamp, ctx, turns)
        elif description is not None:
            turns.append(
                make_turn(position=0, role="customer", speaker=requester_text, text=description, at=created)
            )

        meta = {k: v for k, v in t.items() if v is not None and k not in _HANDLED}
        keys: list[str] = []
        via = get("via")
        channel: Channel = "ticket"
        if via is not None:
            if via.__class__ is not dict:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE, f"field 'via' must be an object, not {json_kind(via)}"
                )
            channel = _via_channel(opt_str(via.get("channel"), "via.channel"))
            source = via.get("source")
            if source.__class__ is dict and (source.get("from") or source.get("to")):
                _party_keys(source.get("from"), keys)
                via = _clean(via)
            meta["via"] = via
        requester_obj = get("requester")
        if requester_obj is not None:
            _party_keys(requester_obj, keys)
        kind = get("type")
        if kind is not None:
            meta["type"] = kind
        subject = opt_str(get("subject"), "subject")
        raw_subject = get("raw_subject")
        if raw_subject is not None:
            raw_subject = opt_str(raw_subject, "raw_subject")
            if subject is None:
                subject = raw_subject
            elif raw_subject is not None and raw_subject != subject:
                meta["raw_subject"] = raw_subject

        product = None
        custom = get("custom_fields")
        if custom:
            if custom.__class__ is not list:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE,
                    f"field 'custom_fields' must be an array, not {json_kind(custom)}",
                )
            fields = {str(f["id"]): f.get("value") for f in custom}
            meta["custom_fields"] = fields
            if self._product_field is not None:
                product = _product_value(fields.get(self._product_field))
        resolved = None
        metric_set = get("metric_set")
        if metric_set.__class__ is dict:
            resolved = fast_time(ctx, metric_set.get("solved_at"))
        rating = get("satisfaction_rating")
        if rating is None:
            satisfaction = None
        elif rating.__class__ is dict:
            satisfaction = _satisfaction(rating.get("score"), rating.get("comment"))
        else:
            satisfaction = _satisfaction(rating, None)
        tags = get("tags")
        if not tags:
            tag_tuple: tuple[str, ...] = ()
        elif tags.__class__ is list:
            tag_tuple = tuple(map(str, tags))
        else:
            tag_tuple = split_tags(opt_str(tags, "tags"))
        assignee = get("assignee_id")
        return make_interaction(
            id=tid,
            source=ctx.ref(line=line, offset=offset, index=index),
            channel=self.opts.channel or channel,
            created_at=created,
            updated_at=_time_again(ctx, get("updated_at"), stamp),
            resolved_at=resolved,
            customer_id=requester_text,
            customer_keys=tuple(dict.fromkeys(keys)) if keys else (),
            agent_id=None if assignee is None else str(assignee),
            subject=subject,
            turns=tuple(turns),
            product=product,
            tags=tag_tuple,
            status=opt_str(get("status"), "status"),
            priority=opt_str(get("priority"), "priority"),
            satisfaction=satisfaction,
            meta=meta,
        )

    def _comments(
        self,
        comments: list[Any],
        description: str | None,
        requester: Any,
        requester_text: str | None,
        stamp: tuple[Any, dt.datetime | None, bool],
        ctx: ParseContext,
        turns: list[Turn],
    ) -> None:
        """Append the description and the comments to ``turns`` (the first comment merged
        into the description when it repeats it)."""
        created = stamp[1]
        start = 0
        first = comments[0]
        if first.__class__ is not dict:
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"comment 0 must be a JSON object, not {json_kind(first)}"
            )
        if description is not None:
            if _same_text(_comment_text(first), description):
                author = first.get("author_id")
                cid = first.get("id")
                turns.append(
                    make_turn(
                        position=0,
                        role="customer",
                        speaker=requester_text if author is None else str(author),
                        text=description,
                        at=_time_again(ctx, first.get("created_at"), stamp) or created,
                        is_public=first.get("public"),
                        meta={} if cid is None else {"comment_id": cid},
                    )
                )
                start = 1
            else:
                turns.append(
                    make_turn(
                        position=0, role="customer", speaker=requester_text, text=description, at=created
                    )
                )
        role = self._role
        for i in range(start, len(comments)):
            c = comments[i]
            if c.__class__ is not dict:
                raise FieldError(
                    ParseFailureReason.INVALID_VALUE, f"comment {i} must be a JSON object, not {json_kind(c)}"
                )
            author = c.get("author_id")
            cid = c.get("id")
            meta: dict[str, Any] = {} if cid is None else {"comment_id": cid}
            kind = c.get("type")
            if kind is not None and kind != "Comment":
                meta["type"] = kind
            turns.append(
                make_turn(
                    position=len(turns),
                    role=role(author, requester),
                    speaker=None if author is None else str(author),
                    text=_comment_text(c),
                    at=_time_again(ctx, c.get("created_at"), stamp),
                    is_public=c.get("public"),
                    meta=meta,
                )
            )

    def _records(self, items: Iterator[Any], ctx: ParseContext) -> Iterator[ParserResult]:
        index = 0
        build = ctx.build
        for item in items:
            if item.__class__ is JsonProblem:
                yield ctx.failure(item.reason, item.message, line=item.line, offset=item.offset, index=index)
                index += 1
                continue
            value = item.value
            line, offset = item.line, item.offset
            if value.__class__ is dict and "id" in value:  # the common case: one ticket, inlined build()
                try:
                    record: ParserResult = self._ticket(value, ctx, line, offset, index)
                except RECORD_ERRORS as exc:
                    record = ctx.failure_for(exc, line=line, offset=offset, index=index)
                yield record
                index += 1
                continue
            for ticket in _tickets_in(value):
                yield build(
                    partial(self._ticket, ticket, ctx, line, offset, index),
                    line=line,
                    offset=offset,
                    index=index,
                )
                index += 1


@register
class ZendeskJsonParser(_Zendesk):
    """Zendesk tickets as a JSON array, ``{"tickets": [...]}`` pages, or one ``{"ticket": {...}}``."""

    name = "zendesk_json"
    label = "Zendesk tickets (JSON)"
    extensions = (".json",)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = _json_head(src)
        score = _json_score(head)
        if score and is_json_lines(head):
            return score - 0.1  # zendesk_jsonl reads it better
        return score

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        with src.open_text() as fh:
            yield from self._records(iter_json_records(fh, ("tickets",)), ctx)


@register
class ZendeskJsonlParser(_Zendesk):
    """Zendesk tickets as JSON lines (one ticket, or one ``{"ticket": ...}``, a line)."""

    name = "zendesk_jsonl"
    label = "Zendesk tickets (JSON lines)"
    extensions = (".jsonl", ".ndjson")

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = _json_head(src)
        if not head or not is_json_lines(head):
            return 0.0
        return _json_score(head)

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        with src.open_text() as fh:
            yield from self._records(iter_json_lines(fh), ctx)


# -- CSV -------------------------------------------------------------------------
_CSV_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "subject": ("subject",),
    "raw_subject": ("raw_subject",),
    "description": ("description",),
    "status": ("status",),
    "priority": ("priority",),
    "type": ("type",),
    "requester_id": ("requester_id",),
    "assignee_id": ("assignee_id",),
    "tags": ("tags",),
    "via": ("via", "via_channel", "via.channel"),
    "satisfaction": ("satisfaction_rating", "satisfaction_rating.score", "satisfaction_score"),
    "satisfaction_comment": ("satisfaction_comment", "satisfaction_rating.comment"),
    "created_at": ("created_at",),
    "updated_at": ("updated_at",),
    "solved_at": ("solved_at",),
}
_CUSTOM_COLUMN = re.compile(r"^(?:custom_fields?[._: ]?|field_)?(\d+)$", re.IGNORECASE)
# columns holding contact data (hashed into customer_keys) and customers' names (dropped)
_PERSONAL_COLUMN = re.compile(r"e-?mail|phone|mobile|recipient", re.IGNORECASE)
_NAME_COLUMN = re.compile(r"^(?:(?:requester|customer|end_user|user)(?:[ ._]?name)?|name)$", re.IGNORECASE)


@register
class ZendeskCsvParser(_Zendesk):
    """Zendesk ticket CSV exports that use the API's field names (description only, no comments)."""

    name = "zendesk_csv"
    label = "Zendesk tickets (CSV)"
    extensions = (".csv",)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        cells = sniff_header(src.head_text())
        if "requester_id" not in cells:
            return 0.0
        if "via" in cells or "via_channel" in cells or "via.channel" in cells:
            return 0.9
        if "subject" in cells or "description" in cells:
            return 0.7
        return 0.0

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        yield from csv_records(src, ctx, _CsvLayout, partial(self._row, ctx, DateCache(ctx)))

    def _row(
        self,
        ctx: ParseContext,
        dates: DateCache,
        values: dict[str, str],
        line: int,
        index: int,
        lay: _CsvLayout,
    ) -> Interaction:
        f = read_fields(values, lay.pairs).get
        tid = id_text(f("id"), "id")
        requester = f("requester_id")
        created = dates(f("created_at"))
        description = f("description")
        turns = (
            (make_turn(position=0, role="customer", speaker=requester, text=description, at=created),)
            if description is not None
            else ()
        )
        meta: dict[str, Any] = {}
        for key in lay.extra:
            value = values[key]
            if value != "":
                meta[key] = value
        product = None
        if lay.custom:
            fields = {fid: values[key] for fid, key in lay.custom.items() if values[key] != ""}
            if fields:
                meta["custom_fields"] = fields
            if self._product_field is not None:
                product = fields.get(self._product_field) or None
        kind = f("type")
        if kind is not None:
            meta["type"] = kind
        via = f("via")
        if via is not None:
            meta["via"] = {"channel": via}
        subject = f("subject")
        raw_subject = f("raw_subject")
        if subject is None:
            subject = raw_subject
        elif raw_subject is not None and raw_subject != subject:
            meta["raw_subject"] = raw_subject
        return make_interaction(
            id=tid,
            source=ctx.ref(line=line, index=index),
            channel=self.opts.channel or _via_channel(via),
            created_at=created,
            updated_at=dates(f("updated_at")),
            resolved_at=dates(f("solved_at")),
            customer_id=requester,
            customer_keys=personal_keys(values, lay.personal) if lay.personal else (),
            agent_id=f("assignee_id"),
            subject=subject,
            turns=turns,
            product=product,
            tags=split_tags(f("tags")),
            status=f("status"),
            priority=f("priority"),
            satisfaction=_satisfaction(f("satisfaction"), f("satisfaction_comment")),
            meta=meta,
        )


class _CsvLayout:
    """Which CSV column holds what, worked out once from the header."""

    def __init__(self, columns: list[str]) -> None:
        self.cols = column_map(columns, _CSV_FIELDS)
        self.pairs = list(self.cols.items())
        used = set(self.cols.values())
        self.custom: dict[str, str] = {}
        self.personal: list[str] = []
        self.extra: list[str] = []
        for column in columns:
            if column in used or _NAME_COLUMN.match(column.strip()):
                continue
            match = _CUSTOM_COLUMN.match(column.strip())
            if match:
                self.custom[match.group(1)] = column
            elif _PERSONAL_COLUMN.search(column):
                self.personal.append(column)
            else:
                self.extra.append(column)

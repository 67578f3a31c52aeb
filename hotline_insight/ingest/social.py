"""Public social and forum threads (``format="social"``).

Posts from social media, community forums or review sites, as a JSON array,
a page ``{"posts": [...]}`` (also ``data``, ``items`` or ``results``), or
JSON lines (one post a line). Each post is a record read; the posts of one
thread make one interaction, channel ``social``.

Accepted field names (the first one present wins):

==============  ===============================================================
what            field names
==============  ===============================================================
thread (req.)   ``thread_id``, ``conversation_id``, ``thread``, ``topic_id``,
                ``link_id``, ``discussion_id``
text (req.)     ``text``, ``body``, ``content``, ``message``
post id         ``id``, ``post_id``, ``comment_id``, ``message_id``
author          ``author``, ``author_handle``, ``author_id``, ``username``,
                ``screen_name``, ``handle``, ``user``, ``user_id``; an object
                (``{"username": ..., "is_company": true}``) gives its
                ``username``/``screen_name``/``handle``/``name``/``id``
time            ``created_at``, ``timestamp``, ``created_utc``, ``posted_at``,
                ``date``, ``time`` (ISO 8601 or epoch)
reply to        ``reply_to``, ``parent_id``, ``in_reply_to``,
                ``in_reply_to_id``, ``parent``
company flag    ``is_company``, ``is_brand``, ``is_staff``, ``is_official``
                (on the post or on its author object)
role            ``author_role``, ``role``, ``author_type``
other           ``title`` (of the thread's first post -> ``subject``),
                ``url``, ``platform``, anything else -> the turn's ``meta``
==============  ===============================================================

Roles: ``agent`` when the author's handle is in the ``company_handles``
option (case-insensitive, a leading ``@`` ignored) or in ``agent=``, or the
post carries a company flag; ``customer`` when the handle is in
``customer=``; else an explicit role field (mapped by common words); else
``customer``: in public threads everybody who is not the company is the
public. A ``verified`` badge is kept in ``meta`` but is not a company flag
(verified accounts are often customers).

Grouping: JSON arrays and pages are read whole (they are per-thread
exports) and give exactly one interaction per thread, in order of each
thread's first post. JSON lines stream, memory holding one thread: posts are
grouped while the thread stays the same, and a thread that comes back later
is emitted again with the same id, which :func:`~hotline_insight.read`
merges. Within a thread, posts are ordered by time when all have one, else
kept in file order.

Interaction fields: ``id`` = thread id, ``created_at`` = earliest post,
``subject`` = first ``title``, ``meta["platform"]`` = the first post's
platform. E-mail and phone fields are hashed into ``customer_keys`` and
removed; handles are public and kept as ``speaker``.

Failures, per post, and reading goes on: not an object -> ``invalid_value``;
no thread or no text field -> ``missing_field``; an implausible time ->
``invalid_timestamp``; malformed JSON -> ``malformed_json`` (per line for
JSON lines).

:func:`render` writes interactions as JSON lines in the canonical names
above, so ``parse(render(x))`` gives back ids, subjects, turn texts, roles,
speakers and times.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("tests/fixtures/social/forum-threads.json", company_handles=["AcmeHelp"])
    >>> thread = corpus.get("t-5521")
    >>> [t.role for t in thread.turns]
    ['customer', 'agent', 'customer', 'customer']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from ..errors import ConfigError, Errors, ParseFailureReason
from ..records import Channel, Interaction, Role, Turn
from ._base import FieldError, ParseContext, ParseOptions, Parser, ParserResult, register
from ._jsonconv import (
    build_part,
    first_key,
    get_str,
    head_line_objects,
    head_objects,
    head_start,
    is_json_lines,
    iter_json_items,
    option_role,
    pop_identifiers,
    problem_failure,
)
from ._jsonstream import JsonProblem
from ._source import SourceFile

__all__ = ["SocialParser", "render"]

THREAD_KEYS = ("thread_id", "conversation_id", "thread", "topic_id", "link_id", "discussion_id")
TEXT_KEYS = ("text", "body", "content", "message")
POST_ID_KEYS = ("id", "post_id", "comment_id", "message_id")
AUTHOR_KEYS = ("author", "author_handle", "author_id", "username", "screen_name", "handle", "user", "user_id")
TIME_KEYS = ("created_at", "timestamp", "created_utc", "posted_at", "date", "time")
PARENT_KEYS = ("reply_to", "parent_id", "in_reply_to", "in_reply_to_id", "parent")
COMPANY_FLAGS = ("is_company", "is_brand", "is_staff", "is_official")
ROLE_KEYS = ("author_role", "role", "author_type")
CONTAINER_KEYS = ("posts", "data", "items", "results")
_HANDLE_KEYS = ("username", "screen_name", "handle", "name", "id")
_CONSUMED = {
    *THREAD_KEYS, *TEXT_KEYS, *POST_ID_KEYS, *AUTHOR_KEYS, *TIME_KEYS, *PARENT_KEYS, *COMPANY_FLAGS,
    *ROLE_KEYS, "title",
}  # fmt: skip
# keys that say "not a social post": utterance lines, tickets, vendor transcripts
_FOREIGN = {
    "speaker", "requester_id", "ticket_id", "via", "description", "incoming", "private",
    "entries", "transcripts", "phrases", "media_channel", "sentence_index",
}  # fmt: skip
_SOCIAL_HINTS = {
    "platform", "url", "permalink", "is_company", "is_brand", "parent_id", "reply_to", "in_reply_to_id",
    "verified", "likes", "score", "retweet_count", "subreddit", "title",
}  # fmt: skip


@dataclass(frozen=True)
class _Post:
    turn: Turn  # position 0 until the thread is complete
    title: str | None
    platform: str | None
    keys: tuple[str, ...]
    line: int
    index: int


@register
class SocialParser(Parser):
    """Social media and forum posts, grouped into threads (JSON array, page or JSON lines)."""

    name: ClassVar[str] = "social"
    label: ClassVar[str] = "Social and community posts (threads)"
    channel: ClassVar[Channel] = "social"
    extensions: ClassVar[tuple[str, ...]] = (".json", ".jsonl", ".ndjson")
    options: ClassVar[Mapping[str, str]] = {
        "company_handles": "list of str: author handles that speak for the company (role agent)",
    }

    def __init__(self, options: ParseOptions | None = None) -> None:
        super().__init__(options)
        handles = self.opts.extra.get("company_handles", ())
        if isinstance(handles, str):
            handles = (handles,)
        if not isinstance(handles, (list, tuple, set, frozenset)) or not all(
            isinstance(h, str) for h in handles
        ):
            raise ConfigError(
                Errors.E109.format(name="company_handles", expected="a list of str", value=handles)
            )
        self.company_handles = frozenset(_norm_handle(h) for h in handles)

    @classmethod
    def sniff(cls, src: SourceFile) -> float:
        head = src.head_text()
        start = head_start(head)
        if start == "[":
            objects = [o for o in head_objects(head) if isinstance(o, dict)]
        elif start == "{":
            objects = head_line_objects(head)
            if not objects:
                objects = [o for o in head_objects(head, 1) if isinstance(o, dict)]
            if len(objects) == 1 and (key := first_key(objects[0], CONTAINER_KEYS)) is not None:
                inner = objects[0][key]
                objects = [o for o in inner[:5] if isinstance(o, dict)] if isinstance(inner, list) else []
        else:
            return 0.0
        if not objects:
            return 0.0
        for obj in objects:
            keys = set(obj)
            if keys & _FOREIGN:
                return 0.0
            if not (keys & set(THREAD_KEYS) and keys & set(TEXT_KEYS) and keys & set(AUTHOR_KEYS)):
                return 0.0
        hinted = any(set(o) & _SOCIAL_HINTS for o in objects)
        return 0.85 if hinted else 0.6

    def parse(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        if is_json_lines(src.head_text()):
            yield from self._parse_lines(src, ctx)
        else:
            yield from self._parse_document(src, ctx)

    def _parse_lines(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        group: list[_Post] = []
        group_id = ""
        for item in iter_json_items(src, lines=True):
            if isinstance(item, JsonProblem):
                yield problem_failure(ctx, item)
                continue
            for value, index in _unpack(item.value, item.index):
                part = build_part(
                    ctx, partial(self._post, value, ctx, item.line, index), line=item.line, index=index
                )
                if not isinstance(part, tuple):
                    yield part
                    continue
                thread_id, post = part
                if group and thread_id != group_id:
                    yield self._interaction(group_id, group, ctx)
                    group = []
                group_id = thread_id
                group.append(post)
        if group:
            yield self._interaction(group_id, group, ctx)

    def _parse_document(self, src: SourceFile, ctx: ParseContext) -> Iterator[ParserResult]:
        threads: dict[str, list[_Post]] = {}
        for item in iter_json_items(src, lines=False, container_keys=CONTAINER_KEYS):
            if isinstance(item, JsonProblem):
                yield problem_failure(ctx, item)
                continue
            part = build_part(
                ctx,
                partial(self._post, item.value, ctx, item.line, item.index),
                line=item.line,
                index=item.index,
            )
            if not isinstance(part, tuple):
                yield part
                continue
            thread_id, post = part
            threads.setdefault(thread_id, []).append(post)
        for thread_id, posts in threads.items():
            yield self._interaction(thread_id, posts, ctx)

    def _interaction(self, thread_id: str, posts: list[_Post], ctx: ParseContext) -> ParserResult:
        first = posts[0]
        return ctx.build(partial(self._build, thread_id, posts, ctx), line=first.line, index=first.index)

    def _build(self, thread_id: str, posts: list[_Post], ctx: ParseContext) -> Interaction:
        first = posts[0]
        if all(p.turn.at is not None for p in posts):
            posts = sorted(posts, key=lambda p: p.turn.at)  # type: ignore[arg-type, return-value]
        known = [p.turn.at for p in posts if p.turn.at is not None]
        platform = next((p.platform for p in posts if p.platform is not None), None)
        return Interaction(
            id=thread_id,
            source=ctx.ref(line=first.line, index=first.index),
            channel=ctx.channel(self.channel),
            created_at=min(known) if known else None,
            subject=next((p.title for p in posts if p.title), None),
            customer_keys=tuple(dict.fromkeys(k for p in posts for k in p.keys)),
            turns=tuple(p.turn.model_copy(update={"position": i}) for i, p in enumerate(posts)),
            meta={"platform": platform} if platform is not None else {},
        )

    def _post(self, record: Any, ctx: ParseContext, line: int, index: int) -> tuple[str, _Post]:
        """One post as (thread id, post); raises for a bad post."""
        if not isinstance(record, Mapping):
            raise FieldError(
                ParseFailureReason.INVALID_VALUE, f"a post must be a JSON object; got {type(record).__name__}"
            )
        thread_key = first_key(record, THREAD_KEYS)
        if thread_key is None:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD,
                "required thread field is missing (one of: " + ", ".join(THREAD_KEYS) + ")",
            )
        thread_id = get_str(record, thread_key, required=True)
        text_key = first_key(record, TEXT_KEYS)
        if text_key is None:
            raise FieldError(
                ParseFailureReason.MISSING_FIELD,
                "required text field is missing (one of: " + ", ".join(TEXT_KEYS) + ")",
            )
        text = get_str(record, text_key, required=True, allow_empty=True)
        assert thread_id is not None and text is not None

        meta: dict[str, Any] = {k: v for k, v in record.items() if k not in _CONSUMED}
        author_key = first_key(record, AUTHOR_KEYS)
        author = record.get(author_key) if author_key else None
        flags: list[Any] = [record.get(f) for f in COMPANY_FLAGS]
        if isinstance(author, Mapping):
            profile = dict(author)
            handle_key = first_key(profile, _HANDLE_KEYS)
            handle = get_str(profile, handle_key, f"{author_key}.{handle_key}") if handle_key else None
            flags += [profile.pop(f, None) for f in COMPANY_FLAGS]
            if handle_key:
                profile.pop(handle_key)
            keys = pop_identifiers(profile)
            if profile:
                meta["author"] = profile
        else:
            handle = get_str(record, author_key, author_key) if author_key else None
            keys = []
        keys += pop_identifiers(meta)

        role_label = next((record[k] for k in ROLE_KEYS if record.get(k) is not None), None)
        role: Role | None = (
            "agent" if handle is not None and _norm_handle(handle) in self.company_handles else None
        )
        role = role or option_role(ctx, handle) or option_role(ctx, _norm_handle(handle) if handle else None)
        if role is None and any(_truthy(f) for f in flags):
            role = "agent"
        if role is None:
            role = ctx.role(role_label) if role_label is not None else "customer"
        if role_label is not None:
            meta["author_role"] = role_label

        post_id = get_str(record, k) if (k := first_key(record, POST_ID_KEYS)) else None
        parent = get_str(record, k) if (k := first_key(record, PARENT_KEYS)) else None
        if post_id is not None:
            meta["id"] = post_id
        if parent is not None:
            meta["reply_to"] = parent
        time_key = first_key(record, TIME_KEYS)
        turn = Turn(
            position=0,
            role=role,
            speaker=handle,
            text=text,
            at=ctx.time(record[time_key]) if time_key else None,
            meta=meta,
        )
        platform = meta.get("platform")
        post = _Post(
            turn=turn,
            title=get_str(record, "title"),
            platform=platform if isinstance(platform, str) else None,
            keys=tuple(keys),
            line=line,
            index=index,
        )
        return thread_id, post


def _unpack(value: Any, index: int) -> list[tuple[Any, int]]:
    """A line's posts: the elements of a one-line page (``{"posts": [...]}``), else the line itself."""
    if isinstance(value, Mapping) and first_key(value, THREAD_KEYS) is None:
        key = first_key(value, CONTAINER_KEYS)
        if key is not None and isinstance(value[key], list):
            return [(post, i) for i, post in enumerate(value[key])]
    return [(value, index)]


def _norm_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1", "y"}
    return False


def render(interactions: Iterable[Interaction]) -> str:
    """Write interactions as social post JSON lines (one line a turn), in the canonical field names.

    Each line has ``thread_id``, ``id`` (the turn's ``meta["id"]``, else
    ``<thread>-<position>``), ``author`` (the speaker), ``created_at`` (ISO
    8601 or null), ``reply_to``, ``text`` and ``is_company`` (role agent);
    roles other than agent and customer go to ``author_role``. The first
    post carries the interaction's ``subject`` as ``title`` and its
    ``meta["platform"]`` as ``platform``. Interactions without turns write nothing.

    Examples:
        >>> from hotline_insight.records import SourceRef
        >>> thread = Interaction(id="t-1", source=SourceRef(format="x"), channel="social",
        ...     turns=(Turn(position=0, role="agent", speaker="AcmeHelp", text="Sorry!"),))
        >>> print(render([thread]), end="")
        {"thread_id": "t-1", "id": "t-1-0", "author": "AcmeHelp", "created_at": null, "reply_to": null, "text": "Sorry!", "is_company": true}
    """
    lines = []
    for interaction in interactions:
        for turn in interaction.turns:
            record: dict[str, Any] = {
                "thread_id": interaction.id,
                "id": turn.meta.get("id", f"{interaction.id}-{turn.position}"),
                "author": turn.speaker,
                "created_at": turn.at.isoformat() if turn.at is not None else None,
                "reply_to": turn.meta.get("reply_to"),
                "text": turn.text,
                "is_company": turn.role == "agent",
            }
            if turn.role not in ("agent", "customer"):
                record["author_role"] = turn.role
            if turn.position == 0:
                if interaction.subject is not None:
                    record["title"] = interaction.subject
                if interaction.meta.get("platform") is not None:
                    record["platform"] = interaction.meta["platform"]
            lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)

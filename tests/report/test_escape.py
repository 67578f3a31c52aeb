from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from hotline_insight.report._escape import anchor, clean_text, html_text, md_cell, md_text, one_line

# A permissive CommonMark parser (raw HTML allowed, GFM tables and strikethrough on): if escaping
# failed, raw HTML, links, images, emphasis or code would show up as tokens.
MD = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
MD.validateLink = lambda url: True  # type: ignore[method-assign]  # link even javascript: like a careless viewer

PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "[click me](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<https://evil.example/>",
    "[ref]: javascript:alert(1)",
    "</style><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "**bold** _em_ *em* ~~strike~~ `code`",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "10) item",
    "---",
    "===",
    "| a | b |",
    "&lt;script&gt; &amp; &#60;",
    "<!-- comment -->",
    "<?php echo 1; ?>",
    "<![CDATA[x]]>",
    "$x$ and $$y$$",
    "https://example.com/path?q=1 and www.example.com",
    "a\\b\\",
    "    indented code",
    "\ttabbed",
    "pol_tech_support_fee and snake_case_id",
]


def _inline_tokens(markdown: str) -> list[object]:
    tokens = MD.parse(markdown)
    out = []
    for token in tokens:
        out.append(token)
        out.extend(token.children or [])
    return out


def _text_of(markdown: str) -> str:
    """The visible text of rendered Markdown; fails on any token but paragraphs and text."""
    parts = []
    for token in _inline_tokens(markdown):
        kind = token.type  # type: ignore[attr-defined]
        assert kind in {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}, (kind, markdown)
        if kind == "text":
            parts.append(token.content)  # type: ignore[attr-defined]
        elif kind == "softbreak":
            parts.append("\n")
        elif kind == "paragraph_close":
            parts.append("\n")
    return "".join(parts).strip("\n")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_render_as_their_own_text(payload: str) -> None:
    assert _text_of(md_text(payload)) == payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_table_cells_hold_payloads_as_text(payload: str) -> None:
    table = f"| h |\n|---|\n| {md_cell(payload)} |\n"
    tokens = _inline_tokens(table)
    kinds = {t.type for t in tokens}  # type: ignore[attr-defined]
    assert kinds <= {
        "table_open",
        "thead_open",
        "tr_open",
        "th_open",
        "inline",
        "text",
        "th_close",
        "tr_close",
        "thead_close",
        "tbody_open",
        "td_open",
        "td_close",
        "tbody_close",
        "table_close",
    }, kinds
    cell = [t for t in tokens if t.type == "inline"][-1]  # type: ignore[attr-defined]
    assert "".join(c.content for c in cell.children) == one_line(payload)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("plain words stay plain", "plain words stay plain"),
        ("41.2% of 1,320", "41.2% of 1,320"),
        ("p < 0.001", "p < 0.001"),
        ("a_b_c", "a_b_c"),
        ("_a_", "\\_a\\_"),
        ("price $5", "price $5"),
        ("$5 or $10", "\\$5 or \\$10"),
        ("1. first", "1\\. first"),
        ("2026. A year", "2026\\. A year"),
        ("#1 priority", "#1 priority"),
        ("http://x.example", "http\\://x.example"),
    ],
)
def test_markdown_escapes_only_what_could_be_markup(text: str, expected: str) -> None:
    assert md_text(text) == expected


_ALPHABET = st.sampled_from(
    [*list("ab Z09<>[]()*_`\\!#-+=|~&;:/.$@\"'{}\t"), "javascript:", "http://", "www.", "&amp;"]
)


@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_markdown_text_round_trips_through_a_parser(text: str) -> None:
    assert _text_of(md_text(text)) == text.strip()


@given(st.lists(st.lists(_ALPHABET, max_size=12).map("".join), min_size=1, max_size=4))
def test_markdown_lines_round_trip(lines: list[str]) -> None:
    kept = [line.strip() for line in lines if line.strip()]
    escaped = "\n".join(line for line in md_text("\n".join(kept)).split("\n") if line)
    assert _text_of(escaped) == "\n".join(kept)


@given(st.text(max_size=60))
def test_html_text_escapes_everything_and_loses_nothing(text: str) -> None:
    out = html_text(text)
    assert not set(out) & set("<>\"'")
    assert html.unescape(out) == clean_text(text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("nul\x00 bell\x07 esc\x1b", "nul\ufffd bell\ufffd esc\ufffd"),
        ("tab\tkept", "tab\tkept"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("line\u2028sep", "line\nsep"),
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@given(st.text(max_size=40))
def test_anchors_are_safe_and_stable(identifier: str) -> None:
    a = anchor(identifier)
    assert a == anchor(identifier)
    assert set(a) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert a.startswith("ev-") and len(a) <= 3 + 41 + 8


def test_anchors_of_ids_that_differ_in_punctuation_differ() -> None:
    assert anchor("ZD-1042") != anchor("ZD 1042") != anchor("zd_1042")

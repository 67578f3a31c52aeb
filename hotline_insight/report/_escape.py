"""Escaping for every place report text goes: HTML text and attributes, SVG/XML, Markdown.

Report text is data, never markup: whatever a customer wrote (``<script>``,
``javascript:`` links, ``</style>``, Markdown link syntax) must come out as the
same visible characters and nothing else. The renderers call these functions
for every piece of text they write; structure (tags, attribute names, CSS) is
only ever written by our own code.

Examples:
    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> md_text("[click](javascript:alert(1)) *now*")
    '\\\\[click\\\\](javascript\\\\:alert(1)) \\\\*now\\\\*'
    >>> anchor("ZD 1042/a")
    'ev-zd-1042-a-a30763d5'
"""

from __future__ import annotations

import hashlib
import html
import re

__all__ = ["anchor", "clean_text", "html_attr", "html_text", "md_cell", "md_line", "md_text", "one_line"]

# C0/C1 controls (except tab and newline), lone surrogates and non-characters: none is text a
# reader can see, several are invalid in XML (a standalone SVG would not parse), and surrogates
# cannot even be encoded as UTF-8.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    r"""Normalise line breaks to ``\n`` and replace invisible control characters with U+FFFD.

    Examples:
        >>> clean_text("a\r\nb\x00c")
        'a\nb\ufffdc'
    """
    return _INVISIBLE.sub("\ufffd", _NEWLINES.sub("\n", text))


def one_line(text: str) -> str:
    """Collapse every run of white space (line breaks included) to one space, and strip.

    Examples:
        >>> one_line("  Support\\n fee   ")
        'Support fee'
    """
    return _SPACES.sub(" ", clean_text(text)).strip()


def html_text(text: str) -> str:
    """Escape text for an HTML (or SVG) text node or a quoted attribute value.

    ``&``, ``<``, ``>``, ``"`` and ``'`` are all escaped, so the result is safe
    both between tags and inside ``"..."`` or ``'...'`` attribute values.
    """
    return html.escape(clean_text(text), quote=True)


def html_attr(text: str) -> str:
    """Escape text for a double-quoted HTML attribute value, on one line."""
    return html.escape(one_line(text), quote=True)


# Markdown: characters that open inline markup wherever they are (code, emphasis with '*',
# links and images, strikethrough, table cells, backslash escapes themselves).
_MD_ALWAYS = re.compile(r"([\\`*\[\]|~])")
# '_' only opens or closes emphasis next to a non-alphanumeric character; 'a_b' stays as it is.
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# '<' only starts raw HTML or an autolink before a letter, '/', '!' or '?'.
_MD_ANGLE = re.compile(r"<(?=[A-Za-z/!?])")
# An HTML entity or character reference: '&amp;' would otherwise show as '&'.
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# A URL scheme: 'http://' and 'www.' are linked by GitHub-flavoured viewers; escaping the ':' or
# the '.' keeps them plain text (javascript: is never linked without '<...>', and that '<' is escaped).
_MD_SCHEME = re.compile(
    r"(?i)\b([a-z][a-z0-9+.-]{0,30}):(?=//)|\b(javascript|vbscript|data|file|mailto|xmpp|tel):"
)
_MD_WWW = re.compile(r"(?i)\b(www)\.")
# Markers that only count at the start of a line: ATX headings, block quotes, list items,
# thematic breaks and setext underlines.
_MD_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=]+\s*$)")


def md_text(text: str, *, line_start: bool = True) -> str:
    r"""Escape text for Markdown so it shows literally and makes no markup.

    Backslash-escapes what opens code, emphasis, links, images, raw HTML,
    autolinks, strikethrough, math (a second ``$`` on a line) and table cells,
    and entity references; the ``:`` of a URL scheme and the ``.`` of ``www.``,
    so that viewers do not turn them into links; and, with ``line_start``,
    the markers that count at the start of a line (headings, quotes, lists,
    breaks). Characters that cannot make markup where they are (``a_b``,
    ``< 0.001``, ``4.5``) are left alone, so the text stays readable. Lines
    keep their breaks; leading spaces (a code block) are dropped.

    Examples:
        >>> md_text("# 1. <b>fee</b> & &amp; _x_ pol_fee | www.example.com")
        '\\# 1. \\<b>fee\\</b> & \\&amp; \\_x\\_ pol_fee \\| www\\.example.com'
        >>> md_text("1. first\n- second\n4.5% and < 0.001")
        '1\\. first\n\\- second\n4.5% and < 0.001'
        >>> md_text("$5 or $10"), md_text("$5")
        ('\\$5 or \\$10', '$5')
    """
    out = []
    for line in clean_text(text).split("\n"):
        line = line.strip()
        line = _MD_ALWAYS.sub(r"\\\1", line)
        line = _MD_UNDERSCORE.sub(r"\\_", line)
        line = _MD_ANGLE.sub(r"\\<", line)
        line = _MD_ENTITY.sub(r"\\&", line)
        if line.count("$") > 1:
            line = line.replace("$", "\\$")
        line = _MD_SCHEME.sub(lambda m: (m.group(1) or m.group(2)) + "\\:", line)
        line = _MD_WWW.sub(r"\1\\.", line)
        if line_start:
            match = _MD_LINE_START.match(line)
            if match:
                if match.group(0)[0].isdigit():
                    line = line[: match.end()] + "\\" + line[match.end() :]
                else:
                    line = "\\" + line
        out.append(line)
    return "\n".join(out)


def md_line(text: str) -> str:
    """Escape text for Markdown on a single line (a heading, a list item, a caption)."""
    return md_text(one_line(text))


def md_cell(text: str) -> str:
    r"""Escape text for a Markdown table cell: one line, ``|`` escaped, never empty.

    Examples:
        >>> md_cell("a | b\nc"), md_cell("41.2%")
        ('a \\| b c', '41.2%')
    """
    return md_text(one_line(text), line_start=False) or " "


_ANCHOR_UNSAFE = re.compile(r"[^a-z0-9]+")


def anchor(identifier: str, prefix: str = "ev") -> str:
    """A fragment id for an identifier: only ``[a-z0-9-]``, stable, and unique per identifier.

    The readable part is cut to 40 characters; a hash of the full identifier
    keeps two identifiers that only differ in punctuation apart.
    """
    readable = _ANCHOR_UNSAFE.sub("-", identifier.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha1(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{prefix}-{readable}-{digest}" if readable else f"{prefix}-{digest}"

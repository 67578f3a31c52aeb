"""Hostile text in a report executes nothing in a real browser, and shows as text.

A report whose every text field carries script-injection payloads is loaded in
headless Chromium (``--dump-dom`` after a virtual time budget, so ``onerror``
and ``onload`` handlers would have fired). Every payload would change
``document.title`` to "pwned" or add a ``<pwned>`` element if it ran. Two
layers are tested apart: the page without its Content-Security-Policy
(escaping alone must hold), and the page with a raw payload pasted into it
(the CSP alone must hold). A control page, the same paste without the CSP,
must run, which proves the harness would see an execution. The Markdown
output, rendered to HTML by a permissive CommonMark renderer, is checked the
same way.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skipped when it is
missing, unless ``HOTLINE_REQUIRE_CHROMIUM=1``, which makes it a failure.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from markdown_it import MarkdownIt

from hotline_insight.report import (
    BarChart,
    Callout,
    Effect,
    Figure,
    Figures,
    Heading,
    Heatmap,
    LineChart,
    Marker,
    Paragraph,
    Quote,
    Recommendation,
    Report,
    Section,
    Series,
    StackedBarChart,
    Table,
    em,
)
from hotline_insight.report._escape import one_line

from .conftest import dump_dom

RUN = "document.title='pwned';document.documentElement.appendChild(document.createElement('pwned'))"
PAYLOADS = (
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}"><circle r="4"></circle></svg>',
    f'<a href="javascript:{RUN}">click here</a>',
    f"[click here](javascript:{RUN})",
    f"</style><script>{RUN}</script>",
    f"]]><script>{RUN}</script>",
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    f'<details open ontoggle="{RUN}">x</details>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}">',
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    "<!-- <![CDATA[ ]]> -->",
)
# what our renderer writes; anything else in the DOM means text became markup
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "header", "h1", "h2", "h3", "h4", "p", "nav", "ol",
    "li", "a", "main", "section", "span", "strong", "em", "br", "aside", "figure", "figcaption", "blockquote",
    "article", "ul", "table", "caption", "thead", "tbody", "tr", "th", "td", "footer", "svg", "rect", "text",
    "line", "path", "circle", "g", "desc",
}  # fmt: skip


def _hostile_report() -> Report:
    """Every text field of every block type holds payloads."""
    p = PAYLOADS
    frame = pd.DataFrame({"grievance": list(p), "n": range(len(p)), "trend": [[1, 2, 3]] * len(p)})
    return Report(
        title=f"Report {p[0]} {p[5]}",
        subtitle=p[2],
        generated_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        sections=[
            Section(
                id="hostile",
                title=p[1],
                blocks=[
                    Heading(text=p[3]),
                    Paragraph.of(p[4], em(p[6]), " ", p[7]),
                    Callout.of(p[8], title=p[9], tone="warning"),
                    Figures(items=[Figure(label=p[10], value=1, change=0.1, note=p[11])]),
                    Table.from_frame(frame, caption=p[12], note=p[13], labels={"n": p[14]}),
                    BarChart(
                        title=p[0], categories=list(p[:5]), values=[1, 2, 3, 4, 5], caption=p[1], x_label=p[2]
                    ),
                    LineChart(
                        title=p[3],
                        x=list(p[5:8]),
                        series=[Series(name=p[8], values=[1, 2, 3])],
                        markers=[Marker(x=p[6], label=p[9])],
                        y_label=p[10],
                        description=p[11],
                    ),
                    Heatmap(
                        title=p[12],
                        rows=list(p[:2]),
                        columns=list(p[2:4]),
                        values=[[1, 2], [3, None]],
                        legend_title=p[13],
                    ),
                    StackedBarChart(
                        title=p[14], categories=list(p[:2]), series=[Series(name=p[3], values=[1, 2])]
                    ),
                    *[
                        Quote(
                            text=f"{payload}\nsecond line {payload}",
                            interaction_id=payload,
                            channel="ticket",
                            date=dt.date(2026, 8, 1),
                            theme=p[(i + 1) % len(p)],
                            product=p[(i + 2) % len(p)],
                        )
                        for i, payload in enumerate(p)
                    ],
                    Recommendation(
                        target_kind="policy",
                        target_id=p[0],
                        target_name=p[1],
                        action=p[2],
                        rationale=p[3],
                        effects=[Effect(label=p[4], value=-3)],
                        evidence=list(p),
                    ),
                ],
            )
        ],
    )


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.title = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "rect", "line", "path", "circle"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in[-2:] == ["head", "title"]:
            self.title += data
        if "style" not in self._in:
            self.text.append(data)


def _parse(dom: str) -> _Dom:
    parser = _Dom()
    parser.feed(dom)
    parser.close()
    return parser


def _assert_inert(dom: str, expected_title: str) -> _Dom:
    page = _parse(dom)
    assert page.title == expected_title, f"document.title changed: {page.title!r}"
    names = {tag for tag, _ in page.tags}
    assert names <= ALLOWED_TAGS, f"text became markup: {sorted(names - ALLOWED_TAGS)}"
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "a":
            assert re.fullmatch(r"#[a-z0-9-]+", attrs.get("href") or ""), attrs
    return page


def _strip_csp(page: str) -> str:
    stripped = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n', "", page)
    assert stripped != page
    return stripped


def _inject(page: str) -> str:
    """Simulate an escaping bug: paste raw payloads into the page body."""
    raw = f'<script>{RUN}</script><img src=x onerror="{RUN}"><svg onload="{RUN}"></svg>'
    return page.replace('<body class="hi-page">', f'<body class="hi-page">{raw}', 1)


def test_hostile_text_executes_nothing_and_shows_as_text(chromium: str, tmp_path: Path) -> None:
    report = _hostile_report()
    page = report.to_html()
    markdown_html = MarkdownIt("commonmark", {"html": True}).enable("table")
    markdown_html.validateLink = lambda url: True  # type: ignore[method-assign]
    pages = {
        "report": page,
        "no_csp": _strip_csp(page),
        "injected": _inject(page),
        "control": _strip_csp(_inject(page)),
        "markdown": "<!DOCTYPE html><html><head><title>md</title></head><body>"
        + markdown_html.render(report.to_markdown())
        + "</body></html>",
    }
    paths = {}
    for name, html in pages.items():
        paths[name] = tmp_path / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    with ThreadPoolExecutor(max_workers=2) as pool:
        doms = dict(zip(paths, pool.map(lambda p: dump_dom(chromium, p), paths.values()), strict=True))

    # the control shows that an execution would be seen: the pasted script and handlers ran
    control = _parse(doms["control"])
    assert control.title == "pwned" and "pwned" in {tag for tag, _ in control.tags}

    title = one_line(report.title)
    for name in ("report", "no_csp", "injected"):
        dom = _assert_inert(doms[name], title) if name != "injected" else None
        if name == "injected":
            injected = _parse(doms[name])
            assert injected.title == title and "pwned" not in {tag for tag, _ in injected.tags}
            continue
        assert dom is not None
        visible = " ".join(dom.text)
        for payload in PAYLOADS:
            assert one_line(payload) in visible, f"{name}: payload not shown as text: {payload[:40]}"

    md = _parse(doms["markdown"])
    assert md.title == "md" and "pwned" not in {tag for tag, _ in md.tags}
    assert not {tag for tag, _ in md.tags} & {"script", "iframe", "details", "math", "base", "style"}
    assert not [a for _, attrs in md.tags for a in attrs if a.startswith("on")]
    assert not [attrs for tag, attrs in md.tags if tag == "a"]
    visible = " ".join(md.text)
    for payload in PAYLOADS:
        assert one_line(payload) in visible, f"markdown: payload not shown as text: {payload[:40]}"


def test_ci_installs_chromium_and_requires_it() -> None:
    lines = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text().splitlines()
    install = next(i for i, line in enumerate(lines) if "apt-get install" in line and "chromium" in line)
    require = lines.index("export HOTLINE_REQUIRE_CHROMIUM=1")
    run = next(i for i, line in enumerate(lines) if "pytest" in line and not line.startswith("#"))
    assert install < require < run

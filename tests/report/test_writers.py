from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt

from hotline_insight.errors import ConfigError, HotlineError, HotlineWarning
from hotline_insight.report import Paragraph, Report, Section, json_schema
from hotline_insight.report.html import content_security_policy, stylesheet
from hotline_insight.report.serialize import shipped_schema

from .conftest import GENERATED_AT, example_report


class _Collector(HTMLParser):
    """Every start tag with its attributes, every id, and the text, from an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _collect(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


def test_html_page_is_self_contained_and_scriptless(report: Report) -> None:
    page = report.to_html()
    doc = _collect(page)
    tags = [t for t, _ in doc.tags]
    assert tags[:3] == ["html", "head", "meta"]
    assert doc.tags[2][1] == {"http-equiv": "Content-Security-Policy", "content": content_security_policy()}
    assert "script" not in tags and "iframe" not in tags and "img" not in tags and "link" not in tags
    assert tags.count("style") == 1
    for _, attrs in doc.tags:
        assert not [a for a in attrs if a.startswith("on") or a in ("src", "srcdoc", "style", "action")]
        href = attrs.get("href")
        assert href is None or re.fullmatch(r"#[a-z0-9-]+", href), href
    ids = [attrs["id"] for _, attrs in doc.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    targets = {attrs["href"][1:] for _, attrs in doc.tags if attrs.get("href")}  # type: ignore[index]
    assert targets <= set(ids)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page


def test_csp_allows_only_the_stylesheet_by_hash() -> None:
    policy = content_security_policy()
    digest = base64.b64encode(hashlib.sha256(stylesheet().encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'none'"
    assert "unsafe" not in policy


def test_every_block_type_reaches_the_page(report: Report) -> None:
    page = report.to_html()
    for marker in (
        'class="hi-figures"',
        'class="hi-table"',
        'class="hi-chart"',
        'class="hi-quote"',
        'class="hi-rec"',
        "hi-callout-warning",
        "hi-callout-finding",
        "<h3>Evidence</h3>",
        'class="hi-spark"',
        "<strong>12%</strong>",
        "<em>technical support fee</em>",
        "Showing 6 of 31 rows.",
    ):
        assert marker in page, marker
    assert page.count("<svg") == 5 + 6  # five charts and six table sparklines


def test_evidence_links_point_at_the_first_quote_of_an_interaction(report: Report) -> None:
    doc = _collect(report.to_html())
    links = [a["href"] for t, a in doc.tags if t == "a" and a.get("href", "").startswith("#ev-")]  # type: ignore[union-attr]
    assert len(links) == 3  # SF-... has no quote in the report: plain text, no link
    quote_ids = [a["id"] for t, a in doc.tags if t == "figure" and "id" in a]
    assert sorted(set(links)) == sorted(f"#{i}" for i in quote_ids)


def test_repr_html_is_an_embeddable_fragment(report: Report) -> None:
    fragment = report._repr_html_()
    assert fragment.startswith('<div class="hi-report"><style>') and fragment.endswith("</div>")
    assert "<html" not in fragment and "<body" not in fragment and "<script" not in fragment
    css = re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.S)
    selectors = [sel.strip() for head in re.findall(r"([^{}]+)\{", css) for sel in head.split(",")]
    unscoped = [sel for sel in selectors if not sel.startswith(("@media", ".hi-", "body.hi-page"))]
    assert selectors and unscoped == []


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def test_markdown_links_only_its_chart_files(report: Report) -> None:
    md = report.to_markdown(assets="charts")
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    images, kinds = [], set()
    for token in parser.parse(md):
        kinds.add(token.type)
        for child in token.children or []:
            kinds.add(child.type)
            if child.type == "image":
                images.append(child.attrs["src"])
    assert not kinds & {"html_block", "html_inline", "link_open", "code_inline", "code_block", "fence"}
    assert images == [f"charts/{name}" for name in report.chart_files()]
    assert "table_open" in kinds and "blockquote_open" in kinds


@pytest.mark.parametrize("assets", ["/abs", "../up", "a/../b", "", "with space", "x\\y"])
def test_markdown_assets_must_be_a_plain_relative_folder(report: Report, assets: str) -> None:
    with pytest.raises(ConfigError, match=r"^\[E1018\]"):
        report.to_markdown(assets=assets)


def test_chart_files_are_standalone_svg(report: Report) -> None:
    files = report.chart_files()
    assert sorted(files) == [
        "products-1.svg",
        "products-2.svg",
        "products-3.svg",
        "recurring-1.svg",
        "recurring-2.svg",
    ]
    for svg in files.values():
        assert svg.startswith(
            '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'
        )


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def test_json_validates_against_the_shipped_schema_and_round_trips(report: Report) -> None:
    text = report.to_json()
    data = json.loads(text)
    Draft202012Validator.check_schema(shipped_schema())
    Draft202012Validator(shipped_schema()).validate(data)
    assert Report.from_json(text) == report
    assert Report.from_json(text).to_json() == text
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_shipped_schema_matches_the_model() -> None:
    """The shipped schema file is the model's schema; HOTLINE_UPDATE_GOLDEN=1 rewrites it."""
    if os.environ.get("HOTLINE_UPDATE_GOLDEN") == "1":
        from hotline_insight.report.serialize import _write_schema_file

        _write_schema_file()
    assert shipped_schema() == json_schema()


def test_schema_rejects_what_the_model_rejects(report: Report) -> None:
    validator = Draft202012Validator(shipped_schema())
    data = json.loads(report.to_json())
    bad = json.loads(json.dumps(data))
    bad["report"]["sections"][0]["blocks"][0]["kind"] = "script"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["report"]["sections"][0]["blocks"][1]["spans"][0]["html"] = "<b>x</b>"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["version"] = 2
    assert not validator.is_valid(bad)


def test_schema_documents_every_field() -> None:
    schema = json_schema()
    undocumented = [
        f"{name}.{field}"
        for name, definition in schema["$defs"].items()
        for field, spec in definition.get("properties", {}).items()
        if field != "kind" and not spec.get("description")
    ]
    assert undocumented == []


@pytest.mark.parametrize(
    "text,code",
    [
        ("{not json", "E1011"),
        ('{"format": "hotline_insight.report", "version": 1}', "E1011"),
        ('{"format": "hotline_insight.report", "version": 2, "report": {}}', "E1012"),
        ('{"format": "other", "version": 1, "report": {}}', "E1012"),
        ('{"format": "hotline_insight.report", "version": 1, "report": {"title": "t"}}', "E1011"),
    ],
)
def test_from_json_errors(text: str, code: str) -> None:
    with pytest.raises(ConfigError, match=rf"^\[{code}\]"):
        Report.from_json(text)


def test_from_json_error_does_not_echo_field_values() -> None:
    text = json.dumps(
        {
            "format": "hotline_insight.report",
            "version": 1,
            "report": {"title": "jane@example.com", "generated_at": "2026-01-01T00:00:00", "sections": []},
        }
    )
    with pytest.raises(ConfigError) as info:
        Report.from_json(text)
    assert "jane" not in str(info.value)


# ---------------------------------------------------------------------------
# writing files, determinism
# ---------------------------------------------------------------------------


def test_write_by_suffix(report: Report, tmp_path: Path) -> None:
    html = report.write(tmp_path / "out" / "Q3.HTML")
    md = report.write(tmp_path / "out" / "Q3 final.md")
    js = report.write(tmp_path / "out" / "Q3.json")
    forced = report.write(tmp_path / "out" / "Q3.txt", format="md")
    assert html.read_text(encoding="utf-8") == report.to_html()
    assert md.read_text(encoding="utf-8") == report.to_markdown(assets="Q3_final_files")
    assert js.read_text(encoding="utf-8") == report.to_json()
    assert forced.read_text(encoding="utf-8") == report.to_markdown(assets="Q3_files")
    files = sorted(p.name for p in (tmp_path / "out" / "Q3_final_files").iterdir())
    assert files == sorted(report.chart_files())
    assert not list((tmp_path / "out").glob(".*.tmp"))
    assert (html.stat().st_mode & 0o644) == 0o644


def test_write_errors(report: Report, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^\[E1009\]"):
        report.write(tmp_path / "report.pdf")
    with pytest.raises(ConfigError, match=r"^\[E1009\]"):
        report.write(tmp_path / "report.html", format="pdf")  # type: ignore[arg-type]
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(HotlineError, match=r"^\[E1010\]"):
        report.write(tmp_path / "taken" / "report.html")


def test_identical_input_gives_identical_bytes_apart_from_the_timestamp() -> None:
    a, b = example_report(), example_report(dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    stamps = {
        "html": ("2026-10-01 09:30 UTC", "2027-01-02 03:04 UTC"),
        "md": ("2026-10-01 09:30 UTC", "2027-01-02 03:04 UTC"),
        "json": ("2026-10-01T09:30:00Z", "2027-01-02T03:04:05Z"),
    }
    for kind, (old, new) in stamps.items():
        first = {"html": a.to_html, "md": a.to_markdown, "json": a.to_json}[kind]()
        again = {
            "html": example_report().to_html,
            "md": example_report().to_markdown,
            "json": example_report().to_json,
        }[kind]()
        other = {"html": b.to_html, "md": b.to_markdown, "json": b.to_json}[kind]()
        assert first == again
        assert first.count(old) == 1 and other.count(new) == 1
        assert first.replace(old, new) == other
    assert a.chart_files() == b.chart_files()


# ---------------------------------------------------------------------------
# the PII guard
# ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}")
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")


def _leaks(text: str) -> list[str]:
    return _EMAIL.findall(text) + _PHONE.findall(text) + _CARD.findall(text)


def _raw_report(texts: list[str]) -> Report:
    import pandas as pd

    from hotline_insight.report import BarChart, Quote, Table

    return Report(
        title="Raw",
        generated_at=GENERATED_AT,
        sections=[
            Section(
                id="raw",
                title="Unredacted on purpose",
                blocks=[
                    *[Quote(text=t, interaction_id=f"i{i}", channel="ticket") for i, t in enumerate(texts)],
                    Table.from_frame(pd.DataFrame({"note": texts})),
                    BarChart(
                        title="t",
                        categories=[t[:80] or "x" for t in texts[:5]],
                        values=[1, 2, 3, 4, 5][: len(texts[:5])],
                    ),
                    Paragraph.of(*texts[:3]),
                ],
            )
        ],
    )


def test_guard_redacts_personal_data_in_every_output() -> None:
    texts = [
        "Email me at jane.doe@example.com or call (555) 010-2000.",
        "My card 4111 1111 1111 1111 was charged twice",
        "I'm Dana Smith, account number 12345678, 42 Oak Lane",
        "phone: 555.010.2042, backup jdoe+x@example.org",
        "Card: 5500-0000-0000-0004 please refund",
    ]
    raw = _raw_report(texts)
    for render in (raw.to_html, raw.to_markdown, raw.to_json, lambda: "".join(raw.chart_files().values())):
        with pytest.warns(HotlineWarning, match=r"^\[W401\]") as caught:
            out = render()
        assert _leaks(out) == [], _leaks(out)
        assert "Dana Smith" not in out and "Oak Lane" not in out
        message = str(caught[0].message)
        assert "section 'raw'" in message and "example" not in message and "4111" not in message
    with pytest.warns(HotlineWarning, match=r"^\[W401\]") as caught:
        assert "[EMAIL]" in raw.to_json() and "[CARD]" in raw.to_html()
    assert all(w.filename == __file__ for w in caught)  # the warning points at the caller


def test_guard_leaves_redacted_sample_text_alone_and_quiet() -> None:
    """Redacting the sample tickets' redacted turns again changes nothing (placeholders survive)."""
    import hotline_insight as hi

    corpus = hi.read("sample_data/tickets", on_error="collect")
    raw = [t.text for i in list(corpus)[:400] for t in i.turns if t.role == "customer" and t.text.strip()]
    redacted = [hi.redact(t) for t in raw]
    assert (
        sum(r != t for r, t in zip(redacted, raw, strict=True)) > 20
    )  # the sample has personal data to find
    assert [hi.redact(r) for r in redacted] == redacted
    report = _raw_report(redacted)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HotlineWarning)
        outputs = [report.to_html(), report.to_markdown(), report.to_json()]
    for out in outputs:
        assert _leaks(out) == []
    placeholders = re.findall(r"\[[A-Z]+\]", " ".join(redacted))
    assert (
        placeholders and json.loads(outputs[2])["report"]["sections"][0]["blocks"][0]["text"] == redacted[0]
    )


def test_guard_does_not_touch_ordinary_report_text(report: Report) -> None:
    from hotline_insight.report._guard import guard

    with warnings.catch_warnings():
        warnings.simplefilter("error", HotlineWarning)
        assert guard(report) is report


def test_guard_keeps_system_ids_but_not_personal_data_in_ids() -> None:
    from hotline_insight.report import Effect, Quote, Recommendation

    def build(ident: str) -> Report:
        return Report(
            title="t",
            generated_at=GENERATED_AT,
            sections=[
                Section(
                    id="ids",
                    title="Ids",
                    blocks=[
                        Quote(text="It broke again.", interaction_id=ident),
                        Recommendation(
                            target_kind="product",
                            target_id="router_hub5",
                            target_name="Hub",
                            action="Fix it.",
                            effects=[Effect(label="fewer", value=-1)],
                            evidence=[ident],
                        ),
                    ],
                )
            ],
        )

    with warnings.catch_warnings():
        warnings.simplefilter("error", HotlineWarning)
        page = build("ZD-5057849").to_html()
    assert page.count("ZD-5057849") == 2 and 'href="#ev-zd-5057849-' in page
    with pytest.warns(HotlineWarning, match=r"^\[W401\].*2 text value"):
        page = build("jane@example.com").to_html()
    assert "jane" not in page and page.count("[EMAIL]") == 2

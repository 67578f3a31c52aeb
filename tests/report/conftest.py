"""Shared report fixtures: a hand-made example report with every block type, and the browser.

The example report's numbers are invented for rendering tests (in the style of
the Larkspur sample data); they are not computed from anything.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

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
    Sparkline,
    StackedBarChart,
    Table,
    em,
    strong,
)

GENERATED_AT = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)
GOLDEN = Path(__file__).resolve().parent / "golden"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3")
QUARTER_STARTS = tuple(dt.date(y, m, 1) for y, m in ((2025, 7), (2025, 10), (2026, 1), (2026, 4), (2026, 7)))


def example_report(generated_at: dt.datetime = GENERATED_AT) -> Report:
    """A report with every block type, shaped like the quarterly report's sections."""
    ranked = pd.DataFrame(
        {
            "theme": [
                "Support fee after a period",
                "Product line cut",
                "Call-back never came",
                "Paying to opt out",
                "Paper bill fee",
                "Router reboots nightly",
            ],
            "grievances": [412, 268, 197, 57, 3, 88],
            "customers": [355, 240, 151, 49, 3, 80],
            "value_at_risk": [182_400.0, 96_150.5, 61_020.0, 9_300.0, 420.0, 31_800.0],
            "repeat_rate": [0.34, 0.12, 0.58, 0.05, None, 0.21],
            "p_value": [0.00002, 0.0031, 0.012, 0.27, None, 0.0004],
            "lo": [0.29, 0.08, 0.51, 0.01, None, 0.15],
            "hi": [0.39, 0.16, 0.65, 0.11, None, 0.28],
            "trend": [
                [0, 96, 110, 98, 108],
                [0, 31, 150, 62, 25],
                [41, 38, 40, 37, 41],
                [10, 11, 10, 12, 14],
                [18, 21, 19, 2, 0],
                [0, 0, 0, 0, 88],
            ],
        }
    )
    table = Table.from_frame(
        ranked,
        labels={
            "theme": "Grievance",
            "grievances": "Grievances",
            "customers": "Customers",
            "value_at_risk": "Value at risk",
            "repeat_rate": "Repeat contact",
            "p_value": "p",
            "ci": "95% interval",
            "trend": "5 quarters",
        },
        formats={
            "value_at_risk": "money",
            "repeat_rate": "percent:0",
            "p_value": "pvalue",
            "ci": "interval:percent:0",
        },
        intervals={"ci": ("lo", "hi")},
        caption="Recurring grievances, ranked by value-weighted impact",
        note="Value at risk is the annual revenue of the customers who raised the grievance this quarter.",
        total_rows=31,
    )
    headline = Figures(
        items=(
            Figure(
                label="Interactions",
                value=2002,
                previous=1890,
                change=0.0593,
                note="Calls, chats and tickets.",
            ),
            Figure(label="Grievances", value=1320, previous=1178, change=0.1205, better="down"),
            Figure(
                label="Customers affected",
                value=0.412,
                format="percent",
                previous=0.386,
                change=0.026,
                change_format="points:1",
                better="down",
            ),
            Figure(
                label="Value at risk",
                value=381_090.5,
                format="money",
                previous=402_000,
                change=-0.052,
                better="down",
                note="Annual revenue of affected customers.",
            ),
            Figure(label="Satisfaction", value=None, format="float:1", note="No scores this quarter."),
        )
    )
    trend = LineChart(
        title="Grievances a quarter, by theme",
        x=QUARTER_STARTS,
        x_labels=QUARTERS,
        series=(
            Series(name="Support fee after a period", values=(0, 96, 110, 98, 108)),
            Series(name="Product line cut", values=(0, 31, 150, 62, 25)),
            Series(name="Paper bill fee", values=(18, 21, 19, 2, 0)),
            Series(name="Router reboots nightly", values=(0, 0, 0, None, 88)),
        ),
        markers=(
            Marker(x=dt.date(2025, 10, 1), label="Support fee starts"),
            Marker(x=dt.date(2026, 1, 15), label="LarkView switched off"),
            Marker(x=dt.date(2026, 4, 1), label="Paper bill fee withdrawn"),
        ),
        y_label="Grievances",
        caption="Markers show the dates products and policies changed.",
    )
    heatmap = Heatmap(
        title="Grievances by product and theme",
        rows=("Lark Hub 5", "Fibre 100", "Fibre 500", "Gigabit", "Home Phone", "LarkView HD"),
        columns=(
            "Support fee after a period",
            "Call-back never came",
            "Paying to opt out",
            "Product line cut",
            "Router reboots nightly",
            "Billing error",
        ),
        values=(
            (162, 71, 0, 0, 88, 12),
            (98, 52, 0, 0, 0, 31),
            (84, 40, 0, 0, 0, 22),
            (68, 34, 0, 0, 0, 9),
            (0, 0, 57, 0, 0, 14),
            (0, 0, 0, 201, None, 6),
        ),
        legend_title="Grievances this quarter",
    )
    channels = StackedBarChart(
        title="Grievances by channel",
        categories=QUARTERS,
        series=(
            Series(name="Calls", values=(180, 230, 260, 240, 300)),
            Series(name="Chats", values=(60, 90, 140, 120, 150)),
            Series(name="Tickets", values=(610, 700, 780, 818, 870)),
        ),
        y_label="Grievances",
    )
    top_bar = BarChart(
        title="Value at risk by policy",
        categories=(
            "Technical support fee after 90 days",
            "LarkView end of service",
            "Call-back commitment",
            "Caller ID blocking fee",
            "Paper bill fee",
        ),
        values=(182_400, 96_150.5, 61_020, 9_300, 420),
        value_format="money",
        highlight=("Technical support fee after 90 days",),
        x_label="Annual revenue of affected customers",
    )
    quotes = (
        Quote(
            text="Why am I paying [MONEY] every time I call tech support? I've been with you six years.",
            interaction_id="ZD-104233",
            channel="ticket",
            date=dt.date(2026, 8, 14),
            theme="Support fee after a period",
            product="Lark Hub 5",
        ),
        Quote(
            text="Third time calling. Nobody called me back like the agent promised.\nI'm done waiting.",
            interaction_id="call-00412",
            channel="call",
            date=dt.date(2026, 9, 2),
            theme="Call-back never came",
        ),
        Quote(
            text="My router restarts itself at 3am every night since the update, the cameras drop.",
            interaction_id="chat-00088",
            channel="chat",
            date=dt.date(2026, 9, 11),
            theme="Router reboots nightly",
            product="Lark Hub 5",
        ),
    )
    recs = (
        Recommendation(
            target_kind="policy",
            target_id="pol_tech_support_fee",
            target_name="Technical support fee after 90 days",
            action="Waive the support fee for premium and business customers, and for a first contact about a fault.",
            rationale="It is the largest grievance by value at risk, and a third of those who raise it contact us again.",
            effects=(
                Effect(label="fewer grievances a quarter", value=-310),
                Effect(label="value at risk addressed", value=148_000, format="money"),
                Effect(label="fewer repeat contacts", value=-0.11, format="points:0"),
            ),
            evidence=("ZD-104233", "call-00412", "SF-5003X00002ABCDEQAZ"),
        ),
        Recommendation(
            target_kind="product",
            target_id="router_hub5",
            target_name="Lark Hub 5",
            action="Roll back firmware 7.4.1 on the Hub 5 until the nightly reboot is fixed.",
            effects=(Effect(label="grievances a quarter if the trend holds", value=-88),),
            evidence=("chat-00088",),
        ),
    )
    return Report(
        title="Quarterly insight report: 2026Q3",
        subtitle="Larkspur Telecom \u00b7 1 July to 30 September 2026 \u00b7 compared with 2026Q2",
        generated_at=generated_at,
        sections=(
            Section(
                id="headline",
                title="Headline figures",
                blocks=(
                    headline,
                    Paragraph.of(
                        "Grievances rose ",
                        strong("12%"),
                        " on the previous quarter, driven by the ",
                        em("technical support fee"),
                        " and an emerging router fault.",
                    ),
                    Callout.of(
                        "Satisfaction scores were not collected this quarter; impact on satisfaction is not reported.",
                        tone="warning",
                        title="Read first",
                    ),
                ),
            ),
            Section(id="recurring", title="Recurring grievances", blocks=(table, trend, channels)),
            Section(
                id="products",
                title="Products and policies",
                blocks=(
                    heatmap,
                    top_bar,
                    Sparkline(
                        title="Paper bill fee grievances",
                        values=(18, 21, 19, 2, 0),
                        caption="Withdrawn 2026-04-01.",
                    ),
                ),
            ),
            Section(
                id="recommendations",
                title="Recommendations",
                blocks=(
                    *recs,
                    Heading(text="Evidence"),
                    *quotes,
                ),
            ),
            Section(
                id="method",
                title="Method notes",
                blocks=(
                    Paragraph.of(
                        "Grievances are complaint segments found by the extraction pipeline; every quote is redacted "
                        "text with its interaction id.\nCounts are of interactions, not of customers, unless a column says so."
                    ),
                    Callout.of(
                        "0.4% of records could not be parsed (8 of 2,010).", tone="note", title="Data quality"
                    ),
                    Callout.of(
                        "Router reboots are new this quarter: 88 grievances, none before August.",
                        tone="finding",
                    ),
                ),
            ),
        ),
    )


@pytest.fixture(scope="session")
def report() -> Report:
    return example_report()


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless browser; a missing browser fails the test when HOTLINE_REQUIRE_CHROMIUM=1, else skips it."""
    path = chromium_path()
    if path is None:
        if os.environ.get("HOTLINE_REQUIRE_CHROMIUM") == "1":
            pytest.fail(
                "HOTLINE_REQUIRE_CHROMIUM=1 but no chromium on PATH (.ci/run installs Debian's chromium)"
            )
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


def dump_dom(browser: str, page: Path, *, budget_ms: int = 1000, timeout_s: float = 60) -> str:
    """Load a page in headless Chromium with a fresh profile and return the DOM after the time budget."""
    with tempfile.TemporaryDirectory(prefix="hi-chromium-") as profile:
        result = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    if result.returncode != 0 or "<html" not in result.stdout:
        raise RuntimeError(f"chromium failed with exit code {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


@pytest.fixture
def tmp_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hi-report-") as d:
        yield Path(d)

"""Report rendering at the size of a 100,000-interaction quarter: time, size, and opening in Chromium.

The document is synthetic but shaped like the quarterly report of a large
contact centre: ``--sections`` sections (20), tables of the top 50 rows
(8 columns, one of them sparklines), ``--quotes`` evidence quotes (200, about
220 characters of redacted text each), ``--charts`` charts (40: line charts
with markers, bar charts, 12 x 20 heatmaps, stacked bars, sparklines), headline
figures, recommendations and callouts. Its numbers come from a seeded random
generator (``--seed``), so every run renders the same document.

Measured, each the median of ``--repeat`` runs in this process:

* building the document (model validation, ``Table.from_frame``);
* the PII guard alone (``redact`` over every text);
* rendering HTML, Markdown (+ its SVG files) and JSON, each with the guard;
* baseline: ``json.dumps`` of the document's plain dump, the least any
  serialiser of the same content costs; renderers are reported as a ratio of it;
* the HTML size (target < 5 MB) and the time Chromium takes to open it: a
  ``--dump-dom`` run and a ``--screenshot`` run (layout and paint of the first
  1280 x 2400 pixels) of the report, each against the same run of a blank page
  in the same script; the difference is the report's own cost (target < 2 s).

Then the quarterly report itself is built (``--interactions``, 100,000 by
default): a synthetic contact centre is generated in the process (seeded:
contacts over five quarters from three formats and four channels, a customers
table with segments and values, about 0.9 grievances a contact with themes,
products, policies, topics, and a catalog whose one policy changes inside the
data), and :meth:`hotline_insight.QuarterlyReport.build` is timed on it
(target < 60 s), with its HTML's size and Chromium open time. Its baseline, in
the same process, is the pass a hand-written pandas analysis starts with:
exploding the themes and counting contacts per quarter and theme.

Usage::

    python benchmarks/report.py
    python benchmarks/report.py --quick          # fewer repeats, no screenshot runs
    python benchmarks/report.py --out /tmp/big   # also keep the written files
    python benchmarks/report.py --build-only --interactions 20000

Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from hotline_insight.errors import HotlineWarning
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
    strong,
)
from hotline_insight.report._guard import guard

QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3")
STARTS = tuple(dt.date(y, m, 1) for y, m in ((2025, 7), (2025, 10), (2026, 1), (2026, 4), (2026, 7)))
WORDS = (
    "charged fee support router billing refund waited hours nobody called back again cancel contract engineer "
    "appointment missed broadband outage speed slow bill wrong credit promised agent transferred three times "
    "recording lost box discontinued replacement app cannot record paper statement monthly price increase"
).split()
PLACEHOLDERS = ("[PHONE]", "[EMAIL]", "[ACCOUNT]", "[NAME]", "[ADDRESS]")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def _sentence(rng: random.Random, n_chars: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < n_chars:
        words.append(rng.choice(PLACEHOLDERS) if rng.random() < 0.04 else rng.choice(WORDS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def synthetic_report(*, sections: int, quotes: int, charts: int, rows: int, seed: int) -> Report:
    """A deterministic document the size of a 100,000-interaction quarterly report."""
    rng = random.Random(seed)
    themes = [f"Theme {i:02d}: {' '.join(rng.sample(WORDS, 3))}" for i in range(60)]
    products = [f"Product {i:02d} {rng.choice(WORDS).title()}" for i in range(24)]
    chart_makers: list[Callable[[int], object]] = [
        lambda k: LineChart(
            title=f"Grievances a quarter, group {k}",
            x=STARTS,
            x_labels=QUARTERS,
            series=[
                Series(name=themes[(k + j) % 60], values=[rng.randint(0, 4000) for _ in STARTS])
                for j in range(5)
            ],
            markers=[Marker(x=dt.date(2026, 1, 15), label="Policy change")],
            y_label="Grievances",
        ),
        lambda k: BarChart(
            title=f"Value at risk, group {k}",
            categories=themes[k % 40 : k % 40 + 15],
            values=sorted((rng.uniform(1e4, 2e6) for _ in range(15)), reverse=True),
            value_format="money",
            highlight=[themes[k % 40]],
        ),
        lambda k: Heatmap(
            title=f"Grievances by product and theme, group {k}",
            rows=products[:12],
            columns=themes[k % 40 : k % 40 + 20],
            values=[[rng.choice([None, *range(0, 900, 7)]) for _ in range(20)] for _ in range(12)],
            legend_title="Grievances",
        ),
        lambda k: StackedBarChart(
            title=f"Grievances by channel, group {k}",
            categories=QUARTERS,
            series=[
                Series(name=c, values=[rng.randint(100, 9000) for _ in QUARTERS])
                for c in ("Calls", "Chats", "Tickets", "E-mail")
            ],
        ),
        lambda k: Sparkline(title=f"Trend {k}", values=[rng.randint(0, 500) for _ in range(13)]),
    ]
    all_charts = [chart_makers[k % len(chart_makers)](k) for k in range(charts)]
    all_quotes = [
        Quote(
            text=_sentence(rng, rng.randint(120, 320)),
            interaction_id=f"ZD-{rng.randint(10**6, 10**7 - 1)}",
            channel=rng.choice(["call", "chat", "email", "ticket", "social"]),
            date=dt.date(2026, 7, 1) + dt.timedelta(days=rng.randint(0, 91)),
            theme=rng.choice(themes),
            product=rng.choice(products),
        )
        for _ in range(quotes)
    ]
    out = []
    for s in range(sections):
        frame = pd.DataFrame(
            {
                "theme": [rng.choice(themes) for _ in range(rows)],
                "grievances": [rng.randint(10, 20000) for _ in range(rows)],
                "customers": [rng.randint(10, 15000) for _ in range(rows)],
                "value": [rng.uniform(1e3, 3e6) for _ in range(rows)],
                "repeat": [rng.random() for _ in range(rows)],
                "p": [rng.random() ** 4 for _ in range(rows)],
                "lo": [0.1 + rng.random() * 0.1 for _ in range(rows)],
                "hi": [0.25 + rng.random() * 0.1 for _ in range(rows)],
                "trend": [[rng.randint(0, 5000) for _ in QUARTERS] for _ in range(rows)],
            }
        )
        blocks: list[object] = [
            Paragraph.of(_sentence(rng, 300), strong(" value at risk "), _sentence(rng, 200)),
            Table.from_frame(
                frame,
                intervals={"ci": ("lo", "hi")},
                formats={"value": "money", "repeat": "percent", "p": "pvalue", "ci": "interval:percent"},
                caption=f"Top {rows} grievances, part {s + 1}",
                total_rows=rows * 7,
            ),
        ]
        if s == 0:
            blocks.insert(
                0,
                Figures(
                    items=[
                        Figure(
                            label=f"Figure {i}",
                            value=rng.randint(1000, 100000),
                            change=rng.uniform(-0.3, 0.3),
                            better="down",
                        )
                        for i in range(6)
                    ]
                ),
            )
        blocks += [c for k, c in enumerate(all_charts) if k % sections == s]
        blocks += [q for k, q in enumerate(all_quotes) if k % sections == s]
        if s % 4 == 0:
            blocks.append(Heading(text="What to change"))
            blocks += [
                Recommendation(
                    target_kind=rng.choice(["product", "policy"]),
                    target_id=f"id_{s}_{r}",
                    target_name=rng.choice(products),
                    action=_sentence(rng, 120),
                    rationale=_sentence(rng, 160),
                    effects=[
                        Effect(label="fewer grievances a quarter", value=-rng.randint(100, 5000)),
                        Effect(label="value at risk", value=rng.uniform(1e4, 1e6), format="money"),
                    ],
                    evidence=[q.interaction_id for q in rng.sample(all_quotes, 3)],
                )
                for r in range(3)
            ]
        blocks.append(Callout.of(_sentence(rng, 160), tone="note", title="Method"))
        out.append(
            Section(id=f"section-{s + 1}", title=f"Section {s + 1}: {rng.choice(themes)}", blocks=blocks)
        )
    return Report(
        title="Quarterly insight report: 2026Q3 (synthetic, 100,000 interactions)",
        subtitle="Benchmark document",
        generated_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC),
        sections=out,
    )


def synthetic_inputs(
    n: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, object, pd.DataFrame]:
    """Contacts, grievances, customers table, catalog and topic names of a contact centre of ``n`` contacts.

    Contacts run from 2025-07-01 to 2026-09-30 (five quarters, UTC), in four
    channels and three source formats, a tenth with a good/bad rating; one
    customer per four contacts. Six in ten contacts have grievances (one or
    two): a theme of the built-in taxonomy each, a product two times in three,
    a policy one time in two, a topic (of 40) nine times in ten, text of about
    100 characters with a redaction placeholder.
    """
    import numpy as np

    import hotline_insight as hi
    from hotline_insight.themes import Taxonomy

    rng = np.random.default_rng(seed)
    themes = [t.id for t in Taxonomy.default().themes]
    products = [f"prod_{i:02d}" for i in range(12)]
    policies = [f"pol_{i}" for i in range(7)]
    catalog = hi.Catalog.from_dict(
        {
            "company": "Synthetic Telecom",
            "products": [{"id": p, "name": f"Product {p[-2:]}"} for p in products],
            "policies": [
                {
                    "id": p,
                    "name": f"Policy {p[-1]}",
                    "effective_from": "2026-02-01" if p == "pol_3" else "2024-01-01",
                    "products": products[:3],
                }
                for p in policies
            ],
        }
    )
    n_customers = max(1000, n // 4)
    customer_ids = np.array([f"C{i:07d}" for i in range(n_customers)], dtype=object)
    table = pd.DataFrame(
        {
            "customer_id": pd.array(customer_ids, dtype="string"),
            "segment": pd.array(
                rng.choice(["consumer", "premium", "business"], n_customers, p=[0.72, 0.2, 0.08]),
                dtype="string",
            ),
            "value": np.round(rng.lognormal(6.5, 0.8, n_customers), 2),
            "keys": [[] for _ in range(n_customers)],
            "products": [list(rng.choice(products, 2, replace=False)) for _ in range(n_customers)],
        }
    )
    start = pd.Timestamp("2025-07-01", tz="UTC")
    span_s = int((pd.Timestamp("2026-10-01", tz="UTC") - start).total_seconds())
    created = start + pd.to_timedelta(np.sort(rng.integers(0, span_s, n)), unit="s")
    who = rng.integers(0, n_customers, n)
    ids = np.array([f"I{i:08d}" for i in range(n)], dtype=object)
    channel = rng.choice(["call", "chat", "email", "ticket"], n)
    fmt = rng.choice(["plain_text", "zendesk_json", "contact_lens"], n)
    rated = rng.random(n) < 0.1
    contacts = pd.DataFrame(
        {
            "id": pd.array(ids, dtype="string"),
            "created_at": created,
            "channel": channel,
            "customer_id": pd.array(customer_ids[who], dtype="string"),
            "source_format": fmt,
            "queue": rng.choice(["Billing", "Technical Support", "Tier 2", "General"], n),
            "status": "closed",
            "satisfaction_score": np.where(rated, (rng.random(n) < 0.8).astype(float), np.nan),
            "satisfaction_scale": "good/bad",
        }
    )
    per_contact = rng.integers(1, 3, n) * (rng.random(n) < 0.6)
    rows = np.repeat(np.arange(n), per_contact)
    m = len(rows)
    texts = np.array([_sentence(random.Random(seed * 7919 + i), 100) for i in range(2000)], dtype=object)
    grievances = pd.DataFrame(
        {
            "interaction_id": pd.array(ids[rows], dtype="string"),
            "turn_position": np.zeros(m, dtype=np.int64),
            "start_char": np.zeros(m, dtype=np.int64),
            "end_char": np.full(m, 100, dtype=np.int64),
            "text": pd.array(texts[rng.integers(0, len(texts), m)], dtype="string"),
            "role": "customer",
            "channel": channel[rows],
            "created_at": created[rows],
            "customer_id": pd.array(customer_ids[who[rows]], dtype="string"),
            "source_format": fmt[rows],
            "themes": [[themes[j]] for j in rng.integers(0, len(themes), m)],
            "facets": [[] for _ in range(m)],
            "products": [[products[j]] if j < 12 else [] for j in rng.integers(0, 18, m)],
            "policies": [[policies[j]] if j < 7 else [] for j in rng.integers(0, 14, m)],
            "complaint_score": rng.random(m),
            "intensity": rng.random(m),
            "sentiment": rng.random(m) - 0.5,
            "cues": [[] for _ in range(m)],
            "topic": pd.array(np.where(rng.random(m) < 0.9, rng.integers(0, 40, m), -1), dtype="Int64"),
        }
    )
    grievances["product_methods"] = [["alias"] * len(p) for p in grievances["products"]]
    grievances["policy_methods"] = [["phrase"] * len(p) for p in grievances["policies"]]
    grievances.loc[grievances["topic"] < 0, "topic"] = pd.NA
    topic_info = pd.DataFrame(
        {
            "topic": np.arange(40),
            "label": [f"{WORDS[i % len(WORDS)]} / {WORDS[(7 * i + 3) % len(WORDS)]}" for i in range(40)],
            "key_phrases": [[WORDS[i % len(WORDS)]] for i in range(40)],
        }
    )
    return contacts, grievances, table, catalog, topic_info


def build_benchmark(n: int, seed: int, browser: str | None, repeat: int) -> bool:
    """Build the quarterly report of a synthetic ``n``-contact centre; print the table; True when on target."""
    import hotline_insight as hi

    t0 = time.perf_counter()
    contacts, grievances, table, catalog, info = synthetic_inputs(n, seed)
    made = time.perf_counter() - t0
    print()
    print(
        f"quarterly report of {len(contacts):,} interactions and {len(grievances):,} grievances "
        f"({len(table):,} customers), generated in {made:.1f} s"
    )

    def baseline() -> object:
        quarter = contacts.set_index("id")["created_at"].dt.tz_localize(None).dt.to_period("Q")
        exploded = grievances[["interaction_id", "themes"]].explode("themes")
        exploded["quarter"] = quarter.reindex(exploded["interaction_id"]).to_numpy()
        return exploded.drop_duplicates().groupby(["quarter", "themes"]).size()

    _base_first, base, _ = timed(baseline, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HotlineWarning)
        t0 = time.perf_counter()
        qr = hi.QuarterlyReport.build(
            contacts,
            grievances,
            info,
            catalog=catalog,
            customers_table=table,
            generated_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC),
        )
        build_s = time.perf_counter() - t0
        html_s, html = _timed_once(qr.to_html)
    html_mb = len(html.encode("utf-8")) / 1e6
    print(f"{qr!r}")
    print()
    print("| step | s | x baseline |")
    print("|---|---|---|")
    print(f"| baseline: explode themes, contacts per quarter and theme (median of 3) | {base:.2f} | 1 |")
    print(f"| QuarterlyReport.build (analytics, quotes, layout) | {build_s:.1f} | {build_s / base:.1f} |")
    print(f"| its HTML (PII guard included) | {html_s:.2f} | {html_s / base:.2f} |")
    ok = build_s < 60
    print()
    print(
        f"build: {build_s:.1f} s (target < 60 s){'' if ok else '  MISSED'}; HTML {html_mb:.2f} MB (target < 5 MB)"
    )
    ok = ok and html_mb < 5
    if browser is not None:
        with tempfile.TemporaryDirectory(prefix="hi-bench-build-") as tmp:
            work = Path(tmp)
            page = work / "report.html"
            page.write_text(html, encoding="utf-8")
            blank = work / "blank.html"
            blank.write_text("<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n")
            b = browser_time(browser, blank.as_uri(), "dom", repeat, work)
            r = browser_time(browser, page.as_uri(), "dom", repeat, work)
            print(
                f"Chromium --dump-dom: blank {b:.2f} s, report {r:.2f} s, report - blank {r - b:.2f} s (target < 2 s)"
            )
            ok = ok and r - b < 2
    return ok


def _timed_once(fn: Callable[[], str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """The first run's time (cold caches), the median over ``repeat`` runs, and the result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times[0], statistics.median(times), result


def browser_time(browser: str, url: str, mode: str, repeat: int, workdir: Path) -> float:
    times = []
    for i in range(repeat):
        profile = workdir / f"profile-{mode}-{i}-{abs(hash(url)) % 10**6}"
        args = [browser, *FLAGS, f"--user-data-dir={profile}"]
        if mode == "dom":
            args += ["--dump-dom", url]
        else:
            args += [
                f"--screenshot={workdir / 'shot.png'}",
                "--window-size=1280,2400",
                "--hide-scrollbars",
                url,
            ]
        t0 = time.perf_counter()
        result = subprocess.run(args, capture_output=True, check=False, timeout=120)
        times.append(time.perf_counter() - t0)
        if result.returncode != 0:
            raise RuntimeError(f"chromium failed: {result.stderr[-500:]!r}")
        shutil.rmtree(profile, ignore_errors=True)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--quotes", type=int, default=200)
    parser.add_argument("--charts", type=int, default=40)
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 repeats, no screenshot runs")
    parser.add_argument("--out", type=Path, help="keep the written report files here")
    parser.add_argument(
        "--interactions", type=int, default=100_000, help="size of the quarterly report's data"
    )
    parser.add_argument("--build-only", action="store_true", help="only the quarterly report build")
    parser.add_argument("--skip-build", action="store_true", help="only the rendering benchmark")
    args = parser.parse_args()
    repeat = 2 if args.quick else args.repeat
    ok = True
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if args.build_only:
        return 0 if build_benchmark(args.interactions, args.seed, browser, repeat) else 1
    t0 = time.perf_counter()
    import hotline_insight.nlp.redact  # noqa: F401  # the guard's redactor; it imports spaCy

    print(
        f"importing the redactor (and spaCy), paid once per process by the first render: {time.perf_counter() - t0:.2f} s"
    )

    _, build_s, report = timed(
        lambda: synthetic_report(
            sections=args.sections, quotes=args.quotes, charts=args.charts, rows=args.rows, seed=args.seed
        ),
        repeat,
    )
    assert isinstance(report, Report)
    n_blocks = sum(len(s.blocks) for s in report.sections)
    n_charts = sum(len(s.charts()) for s in report.sections)
    n_quotes = sum(isinstance(b, Quote) for s in report.sections for b in s.blocks)
    print(
        f"document: {len(report.sections)} sections, {n_blocks} blocks, {n_charts} charts, {n_quotes} quotes, "
        f"tables of {args.rows} rows; built in {build_s:.3f} s"
    )

    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", HotlineWarning
        )  # the synthetic text is redacted: the guard must stay quiet
        baseline = timed(lambda: json.dumps(report.model_dump(mode="json")), repeat)
        guarded = timed(lambda: guard(report), repeat)
        html_t = timed(report.to_html, repeat)
        md_t = timed(lambda: (report.to_markdown(), report.chart_files()), repeat)
        json_t = timed(report.to_json, repeat)
    html, js = html_t[2], json_t[2]
    assert isinstance(html, str) and isinstance(js, str)
    html_mb = len(html.encode("utf-8")) / 1e6
    svg_mb = sum(len(v.encode("utf-8")) for v in report.chart_files().values()) / 1e6

    print()
    print(
        f"| step | first run s | median s | median x baseline |   (median of {repeat}; the first run has cold caches)"
    )
    print("|---|---|---|---|")
    for name, (first, median, _) in (
        ("baseline: json.dumps(model_dump)", baseline),
        ("PII guard alone", guarded),
        ("HTML (guard included)", html_t),
        ("Markdown + SVG files (guard included, twice)", md_t),
        ("JSON (guard included)", json_t),
    ):
        print(f"| {name} | {first:.3f} | {median:.3f} | {median / baseline[1]:.1f} |")
    print()
    print(
        f"HTML: {html_mb:.2f} MB (target < 5 MB); JSON {len(js.encode()) / 1e6:.2f} MB; "
        f"Markdown charts {svg_mb:.2f} MB in {n_charts} SVG files"
    )
    if html_mb >= 5:
        ok = False
        print("  MISSED: HTML size")

    with tempfile.TemporaryDirectory(prefix="hi-bench-") as tmp:
        work = Path(tmp)
        page = work / "report.html"
        report.write(page)
        blank = work / "blank.html"
        blank.write_text("<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>\n")
        if args.out:
            for suffix in (".html", ".md", ".json"):
                report.write(args.out / f"report{suffix}")
        if browser is None:
            print("chromium not found: open time not measured (apt-get install -y chromium)")
        else:
            print()
            print(f"| Chromium run | blank page s | report s | report - blank s |   (median of {repeat})")
            print("|---|---|---|---|")
        modes = [] if browser is None else ["dom"] if args.quick else ["dom", "screenshot"]
        for mode in modes:
            assert browser is not None
            b = browser_time(browser, blank.as_uri(), mode, repeat, work)
            r = browser_time(browser, page.as_uri(), mode, repeat, work)
            print(f"| --{'dump-dom' if mode == 'dom' else 'screenshot'} | {b:.2f} | {r:.2f} | {r - b:.2f} |")
            if r - b >= 2.0:
                ok = False
                print(f"  MISSED: open time ({mode})")
    if not args.skip_build:
        ok = build_benchmark(args.interactions, args.seed, browser, repeat) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

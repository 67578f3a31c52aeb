from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import hotline_insight as hi
from hotline_insight.cli import EXIT_FAILURES, EXIT_USAGE, app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def test_help_for_every_command() -> None:
    commands = ["ingest", "formats", "analyze", "grievances", "topics", "report"]
    for args in (["--help"], *[[c, "--help"] for c in commands]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output
    top = runner.invoke(app, ["--help"]).output
    assert all(c in top for c in commands)


def test_formats_lists_every_parser() -> None:
    result = runner.invoke(app, ["formats"])
    assert result.exit_code == 0
    for name in ("zendesk_json", "contact_lens", "webvtt", "cfpb", "generic"):
        assert name in result.output


def test_ingest_writes_corpus_failures_and_report(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(ROOT / "sample_data" / "tickets" / "salesforce"), "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(tmp_path / "corpus.parquet")
    summary = json.loads((tmp_path / "parse_report.json").read_text())
    assert summary["n_failed"] == 0 and summary["n_interactions"] == len(frame) > 0
    assert (tmp_path / "failures.csv").exists()


def test_failure_rate_above_the_limit_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "ok.json").write_text(
        json.dumps(
            {
                "tickets": [
                    {
                        "id": 1,
                        "subject": "s",
                        "description": "d",
                        "requester_id": 2,
                        "via": {"channel": "web"},
                        "created_at": "2026-01-01T00:00:00Z",
                    }
                ]
            }
        )
    )
    (bad / "broken.json").write_text('{"tickets": [{"id": 2, "subject": ')
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(bad), "--out", str(out), "-q"])
    assert result.exit_code == EXIT_FAILURES
    assert "above --max-failure-rate" in result.output
    tolerant = runner.invoke(app, ["ingest", str(bad), "--out", str(out), "-q", "--max-failure-rate", "0.6"])
    assert tolerant.exit_code == 0, tolerant.output
    failures = pd.read_csv(out / "failures.csv")
    assert failures["reason"].tolist() == ["truncated"]


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert (
        runner.invoke(app, ["ingest", str(tmp_path / "missing"), "--out", str(tmp_path)]).exit_code
        == EXIT_USAGE
    )
    result = runner.invoke(app, ["ingest", str(ROOT / "sample_data" / "tickets"), "--format", "nope"])
    assert result.exit_code == EXIT_USAGE


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = [b.split("```", 1)[0] for b in readme.split("```bash\n")[1:3]]
    commands = [line for block in blocks for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2, commands
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci.splitlines()


def test_parser_options_pass_through(tmp_path: Path) -> None:
    calls = ROOT / "sample_data" / "calls" / "Analysis"
    ctr = ROOT / "sample_data" / "ctr" / "contact_records.jsonl"
    result = runner.invoke(app, ["ingest", str(calls), "--out", str(tmp_path), "-q", "-O", f"ctr={ctr}"])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(tmp_path / "corpus.parquet")
    assert frame["customer_id"].notna().all()
    bad = runner.invoke(app, ["ingest", str(calls), "--out", str(tmp_path), "-O", "colour=red"])
    assert bad.exit_code == EXIT_USAGE and "E107" in bad.output
    malformed = runner.invoke(app, ["ingest", str(calls), "--out", str(tmp_path), "-O", "novalue"])
    assert malformed.exit_code == EXIT_USAGE


# -- analyze and the single stages ---------------------------------------------------------------

HOSTILE = [
    "<script>document.title='pwned'</script> you charged me a support fee twice!",
    "<img src=x onerror=\"document.title='pwned'\"> the router keeps rebooting, this is unacceptable.",
    "[click here](javascript:alert(1)) I want a refund for the support fee, I am furious.",
]


def _tickets(folder: Path, n: int = 40) -> Path:
    """A small Zendesk export over two quarters: complaints, some with markup and script in them."""
    folder.mkdir(parents=True, exist_ok=True)
    tickets = []
    for i in range(n):
        month = 4 + (i * 6) // n  # April to September 2026
        text = (
            HOSTILE[i % 3]
            if i % 4 == 0
            else f"I was charged a support fee again for ticket {i}, please refund it."
        )
        tickets.append(
            {
                "id": 9000 + i,
                "subject": "Support fee",
                "description": text,
                "requester_id": 100 + i % 7,
                "via": {"channel": "web"},
                "status": "solved",
                "created_at": f"2026-{month:02d}-{1 + i % 27:02d}T10:00:00Z",
            }
        )
    tickets.append(
        {
            "id": 9999,
            "subject": "late",
            "description": "Just a question about my plan.",
            "requester_id": 1,
            "via": {"channel": "web"},
            "status": "solved",
            "created_at": "2026-09-30T12:00:00Z",
        }
    )
    (folder / "tickets.json").write_text(json.dumps({"tickets": tickets}))
    return folder


def _catalog(path: Path) -> Path:
    path.write_text(
        "products:\n- {id: hub, name: Lark Hub, aliases: [router]}\n"
        "policies:\n- {id: pol_fee, name: Support fee, phrases: [support fee], effective_from: 2026-06-01}\n"
    )
    return path


ANALYZE_OPTIONS = ["--no-topics", "-q", "--generated-at", "2026-10-01T09:00:00Z"]


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One analyze run over the small hostile export, shared by the tests that read its output."""
    base = tmp_path_factory.mktemp("analyze")
    inputs = _tickets(base / "in")
    catalog = _catalog(base / "catalog.yaml")
    result = runner.invoke(
        app, ["analyze", str(inputs), "--out", str(base / "out"), "--catalog", str(catalog), *ANALYZE_OPTIONS]
    )
    assert result.exit_code == 0, result.output
    assert "QuarterlyReport(2026Q3" in result.output
    return base


def test_analyze_writes_the_report_and_tables(analyzed: Path) -> None:
    out = analyzed / "out"
    for name in ("report.html", "report.md", "report.json", "failures.csv", "parse_report.json"):
        assert (out / name).is_file(), name
    tables = {p.stem for p in (out / "tables").glob("*.parquet")}
    assert {"headline", "recommendations", "policies", "quotes", "data_quality"} <= tables
    recs = pd.read_parquet(out / "tables" / "recommendations.parquet")
    assert recs.loc[0, "target_id"] == "pol_fee"
    # markup in tickets is text, never markup
    page = (out / "report.html").read_text()
    body = page.split("</style>")[-1]
    assert (
        "<script" not in page
        and "<img" not in page
        and "javascript:alert" not in body.replace("[click here](javascript:alert(1))", "")
    )
    assert "&lt;script&gt;" in page or "&lt;img" in page
    # the same inputs again: the same bytes
    again = analyzed / "again"
    args = ["analyze", str(analyzed / "in"), "--out", str(again), "--catalog", str(analyzed / "catalog.yaml")]
    assert runner.invoke(app, [*args, *ANALYZE_OPTIONS]).exit_code == 0
    for path in sorted(out.rglob("*")):
        if path.is_file() and "store" not in path.relative_to(out).parts:  # the store's manifest has run ids
            assert path.read_bytes() == (again / path.relative_to(out)).read_bytes(), path.name
    for table in ("interactions", "grievances", "aggregates"):
        pd.testing.assert_frame_equal(
            hi.Store(out / "store").read(table), hi.Store(again / "store").read(table)
        )


def test_analyze_again_reads_nothing_twice(analyzed: Path) -> None:
    """A second run on the same store skips every input and builds the same report from the store."""
    out = analyzed / "out"
    store = hi.Store(out / "store")
    runs = len(store.runs())
    rerun = analyzed / "rerun"
    args = ["analyze", str(analyzed / "in"), "--out", str(rerun), "--store", str(out / "store")]
    result = runner.invoke(app, [*args, "--catalog", str(analyzed / "catalog.yaml"), *ANALYZE_OPTIONS])
    assert result.exit_code == 0, result.output
    assert len(store.runs()) == runs + 1 and store.runs()[-1]["n_inputs"] == 0
    first, second = (json.loads((d / "report.json").read_text()) for d in (out, rerun))
    assert first == second  # the data-quality appendix counts what the store's runs read
    assert json.loads((rerun / "parse_report.json").read_text())["n_read"] == 0  # this run read nothing


def test_analyze_page_is_inert_in_chromium(analyzed: Path) -> None:
    import os
    import shutil
    import subprocess
    import tempfile

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("HOTLINE_REQUIRE_CHROMIUM") == "1":
            pytest.fail("HOTLINE_REQUIRE_CHROMIUM=1 but no chromium on PATH")
        pytest.skip("chromium is not installed")
    page = analyzed / "out" / "report.html"
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=1000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        ).stdout
    assert "<title>Quarterly insight report: 2026Q3</title>" in dom  # no script changed the title
    assert "pwned" not in dom.split("<body", 1)[0]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom or "&lt;img" in dom


def test_stages_read_and_write_parquet_between_them(tmp_path: Path) -> None:
    inputs = _tickets(tmp_path / "in")
    work = tmp_path / "work"
    catalog = str(_catalog(tmp_path / "catalog.yaml"))
    assert runner.invoke(app, ["ingest", str(inputs), "--out", str(work), "-q"]).exit_code == 0
    result = runner.invoke(
        app, ["grievances", str(work / "corpus.parquet"), "--out", str(work), "--catalog", catalog, "-q"]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(work / "grievances.parquet")
    assert len(frame) > 0 and json.loads((work / "grievances.json").read_text())["n_grievances"] == len(frame)
    result = runner.invoke(
        app,
        [
            "report",
            str(work / "corpus.parquet"),
            str(work / "grievances.parquet"),
            "--out",
            str(work / "report"),
            "--catalog",
            catalog,
            "-q",
            "--generated-at",
            "2026-10-01T09:00:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    staged = json.loads((work / "report" / "report.json").read_text())
    direct = tmp_path / "direct"
    assert (
        runner.invoke(
            app,
            [
                "analyze",
                str(inputs),
                "--out",
                str(direct),
                "--catalog",
                catalog,
                "--no-topics",
                "-q",
                "--generated-at",
                "2026-10-01T09:00:00Z",
            ],
        ).exit_code
        == 0
    )
    assert staged == json.loads((direct / "report.json").read_text())  # the stages give the same report


@pytest.mark.slow  # a first UMAP fit in a process compiles for 30-60 s; TopicModel itself is tested in tests/topics
def test_topics_stage_adds_topics(tmp_path: Path) -> None:
    texts = [
        f"my {a} {b}"
        for a in ("router", "hub", "modem", "wifi box")
        for b in ("reboots every night", "restarts at 3am", "keeps rebooting", "resets overnight")
    ]
    texts += [
        f"a {a} {b}"
        for a in ("support fee", "tech support charge", "fee for calling support")
        for b in ("on my bill", "after ninety days", "again this month", "without any warning")
    ]
    frame = pd.DataFrame(
        {
            "interaction_id": [str(i) for i in range(len(texts))],
            "turn_position": 0,
            "start_char": 0,
            "end_char": [len(t) for t in texts],
            "text": texts,
            "role": "customer",
            "channel": "ticket",
            "created_at": pd.Timestamp("2026-08-01", tz="UTC"),
            "customer_id": None,
            "source_format": "zendesk_json",
            "themes": [
                ["defect"] if "fee" not in t and "charge" not in t else ["unexpected_fees"] for t in texts
            ],
            "facets": [[] for _ in texts],
            "products": [[] for _ in texts],
            "policies": [[] for _ in texts],
            "product_methods": [[] for _ in texts],
            "policy_methods": [[] for _ in texts],
            "complaint_score": 0.9,
            "intensity": 0.5,
            "sentiment": -0.5,
            "cues": [[] for _ in texts],
        }
    )
    frame.to_parquet(tmp_path / "grievances.parquet", index=False)
    out = tmp_path / "topics"
    result = runner.invoke(
        app, ["topics", str(tmp_path / "grievances.parquet"), "--out", str(out), "--embedding", "tfidf", "-q"]
    )
    assert result.exit_code == 0, result.output
    assigned = pd.read_parquet(out / "grievances.parquet")
    info = pd.read_parquet(out / "topic_info.parquet")
    assert assigned["topic"].notna().all() and set(assigned["topic"]) <= set(info["topic"])
    assert (out / "topic_model" / "topic_model.json").is_file()


def test_analyze_bad_usage_and_failures(tmp_path: Path) -> None:
    inputs = _tickets(tmp_path / "in")
    out = tmp_path / "out"
    bad_quarter = runner.invoke(
        app, ["analyze", str(inputs), "--out", str(out), "--no-topics", "-q", "--quarter", "2031Q1"]
    )
    assert bad_quarter.exit_code == EXIT_USAGE and "[E1021]" in bad_quarter.output
    missing = runner.invoke(
        app, ["analyze", str(tmp_path / "nothing"), "--out", str(out), "--no-topics", "-q"]
    )
    assert missing.exit_code == EXIT_USAGE
    assert not (out / "report.html").exists()
    no_file = runner.invoke(
        app, ["report", str(tmp_path / "none.parquet"), str(tmp_path / "none2.parquet"), "--out", str(out)]
    )
    assert no_file.exit_code == EXIT_USAGE
    bad_stamp = runner.invoke(app, ["analyze", str(inputs), "--out", str(out), "--generated-at", "noon"])
    assert bad_stamp.exit_code == EXIT_USAGE
    (inputs / "broken.json").write_text('{"tickets": [{"id": 2, "subject": ')
    failing = runner.invoke(app, ["analyze", str(inputs), "--out", str(out), "--no-topics", "-q"])
    assert failing.exit_code == EXIT_FAILURES and "above --max-failure-rate" in failing.output
    assert not (out / "report.html").exists() and (out / "failures.csv").exists()


@pytest.mark.skipif(
    not __import__("hotline_insight.cli", fromlist=["_topics_available"])._topics_available(),
    reason="needs the topics extra",
)
@pytest.mark.parametrize(
    "extra, exit_code, says",
    [
        # topics on auto: too few grievances is no failure (in this process: faster, same handling)
        (["--no-isolate"], 0, "warning: topics skipped: [E523]"),
        (["--topics", "--no-isolate"], EXIT_USAGE, "[E523]"),  # asked for: it is
        (["--embedding", "word2vec"], EXIT_USAGE, "[E502]"),  # a wrong option is never skipped
    ],
)
def test_analyze_topic_errors(tmp_path: Path, extra: list[str], exit_code: int, says: str) -> None:
    inputs = _tickets(tmp_path / "in", n=8)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["analyze", str(inputs), "--out", str(out), "-q", "--quarter", "2026Q2", *extra]
    )
    assert result.exit_code == exit_code, result.output
    assert says in result.output
    assert (out / "report.html").exists() is (exit_code == 0)

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from hotline_insight.cli import EXIT_FAILURES, EXIT_USAGE, app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def test_help_for_every_command() -> None:
    for args in (["--help"], ["ingest", "--help"], ["formats", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


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
        json.dumps({"tickets": [{"id": 1, "subject": "s", "description": "d", "requester_id": 2,
                                 "via": {"channel": "web"}, "created_at": "2026-01-01T00:00:00Z"}]})
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
    assert runner.invoke(app, ["ingest", str(tmp_path / "missing"), "--out", str(tmp_path)]).exit_code == EXIT_USAGE
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

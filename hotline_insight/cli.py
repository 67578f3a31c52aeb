"""The ``hotline-insight`` command line: a thin layer over the public API.

Exit codes: 0 success; 1 more records failed than ``--max-failure-rate``
allows (or a parse error with ``--on-error raise``); 2 bad usage (unknown
format, option, missing input).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    name="hotline-insight",
    help="Turn contact-centre exports into evidence: parse, extract grievances, report.",
    no_args_is_help=True,
    add_completion=False,
)

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2


@app.callback()
def _main() -> None:
    """hotline-insight: read exports from calls, chats, e-mails and tickets."""


@app.command()
def formats() -> None:
    """List the input formats that can be read, with their options."""
    from .ingest import available_formats

    for row in available_formats().to_dict("records"):
        options = f"  options: {row['options']}" if row["options"] else ""
        typer.echo(f"{row['name']:<28} {row['channel']:<7} {row['label']}{options}")


@app.command()
def ingest(
    inputs: Annotated[list[Path], typer.Argument(help="Files, directories or glob patterns to read.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for corpus.parquet and failures.csv.")] = Path(
        "out"
    ),
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="Format name (default: detect per file).")
    ] = None,
    on_error: Annotated[str, typer.Option(help="raise | collect | ignore")] = "collect",
    timezone: Annotated[str | None, typer.Option(help="IANA zone of naive source times.")] = None,
    agent: Annotated[
        list[str] | None, typer.Option(help="Speaker label or channel that is the agent (repeatable).")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            "-O",
            help="Parser option as name=value (repeatable), e.g. -O ctr=exports/ctr/ for Contact Lens; "
            "a JSON value is decoded (-O 'mapping={\"id\": \"ticket_no\", \"text\": \"body\"}').",
        ),
    ] = None,
    max_failure_rate: Annotated[
        float, typer.Option(help="Exit with code 1 when more than this share of records failed.")
    ] = 0.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read exports, write the corpus as Parquet and every parse failure as CSV, print the counts."""
    from .errors import ConfigError, ParseError
    from .ingest import read

    try:
        options = _parse_options(option or [])
        corpus = read(
            [str(p) for p in inputs],
            format=format,
            on_error=on_error,  # type: ignore[arg-type]
            timezone=timezone,
            agent=agent,
            progress=not quiet,
            **options,
        )
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ParseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAILURES) from None
    out.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(out / "corpus.parquet")
    report = corpus.parse_report
    report.failures.to_csv(out / "failures.csv", index=False)
    summary = report.summary()
    summary["n_interactions"] = len(corpus)
    (out / "parse_report.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    typer.echo(
        f"read {report.n_read} records from {report.n_files} files: {report.n_parsed} parsed, "
        f"{report.n_failed} failed, {report.n_merged} merged duplicates -> {len(corpus)} interactions"
    )
    for fmt, count in sorted(report.formats.items()):
        typer.echo(f"  {fmt:<28} {count:>7}")
    for reason, count in summary["failures_by_reason"].items():
        typer.echo(f"  failed: {reason:<20} {count:>7}")
    typer.echo(f"wrote {out / 'corpus.parquet'}, {out / 'failures.csv'}, {out / 'parse_report.json'}")
    if report.failure_rate > max_failure_rate:
        typer.echo(
            f"error: {report.failure_rate:.2%} of records failed, above --max-failure-rate "
            f"{max_failure_rate:.2%}; see {out / 'failures.csv'}",
            err=True,
        )
        raise typer.Exit(EXIT_FAILURES)


def _parse_options(items: list[str]) -> dict[str, Any]:
    """``["ctr=path", 'mapping={"id": "x"}']`` -> ``{"ctr": "path", "mapping": {"id": "x"}}``."""
    from .errors import ConfigError, Errors

    options: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(Errors.E109.format(name="--option", expected="name=value", value=item))
        try:
            options[name.strip()] = json.loads(value)
        except ValueError:
            options[name.strip()] = value
    return options


if __name__ == "__main__":  # pragma: no cover
    app()

"""The ``hotline-insight`` command line: a thin layer over the public API.

Commands:

* ``analyze INPUT... --out DIR``: everything: read, extract grievances, find
  topics, analyse and write the quarterly report (``report.html``,
  ``report.md`` with its charts in ``report_files/``, ``report.json``) and the
  tables behind it (``tables/*.parquet``), with ``failures.csv`` and
  ``parse_report.json``;
* single stages that read and write Parquet between them: ``ingest`` (to
  ``corpus.parquet``), ``grievances`` (to ``grievances.parquet``), ``topics``
  (adds each grievance's topic; ``topic_info.parquet`` and ``topic_model/``)
  and ``report`` (from ``corpus.parquet`` and ``grievances.parquet``);
* ``formats``: the input formats and their options.

Exit codes: 0 success; 1 more records failed to parse than
``--max-failure-rate`` allows (or a parse error with ``--on-error raise``, or
an output that cannot be written); 2 bad usage (unknown format, option or
quarter, missing input, a missing optional package). Progress bars show only
on a terminal; ``--quiet`` hides them and the stage messages.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    import pandas as pd

    from .corpus import Corpus
    from .report.quarterly import QuarterlyReport

app = typer.Typer(
    name="hotline-insight",
    help="Turn contact-centre exports into evidence: parse, extract grievances, find topics, report.",
    no_args_is_help=True,
    add_completion=False,
)

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2


@app.callback()
def _main() -> None:
    """hotline-insight: read exports from calls, chats, e-mails and tickets, and report on them.

    Exit codes: 0 ok; 1 more records failed than --max-failure-rate allows (or an output
    could not be written); 2 bad usage.
    """


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        typer.echo(message, err=True)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _progress(quiet: bool) -> bool | None:
    """No bar with --quiet; otherwise the library's default: a bar only on a terminal."""
    return False if quiet else None


@app.command()
def formats() -> None:
    """List the input formats that can be read, with their options."""
    from .ingest import available_formats

    for row in available_formats().to_dict("records"):
        options = f"  options: {row['options']}" if row["options"] else ""
        typer.echo(f"{row['name']:<28} {row['channel']:<7} {row['label']}{options}")


# -- shared options ---------------------------------------------------------------------------

OutOption = Annotated[Path, typer.Option("--out", "-o", help="The output directory (created if needed).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or stage messages.")]
CatalogOption = Annotated[
    Path | None,
    typer.Option("--catalog", help="Products and policies (YAML): names, aliases, effective dates."),
]
CustomersOption = Annotated[
    Path | None,
    typer.Option(
        "--customers", help="Customers table (CSV, Parquet, JSON lines): id, segment, value, holdings."
    ),
]
EmailOption = Annotated[
    list[str] | None,
    typer.Option("--email-column", help="Customers-table column of e-mail addresses (hashed)."),
]
PhoneOption = Annotated[
    list[str] | None, typer.Option("--phone-column", help="Customers-table column of phone numbers (hashed).")
]
QuarterOption = Annotated[
    str | None,
    typer.Option("--quarter", help="The quarter to report, e.g. 2026Q3 (default: the last complete one)."),
]
TimezoneOption = Annotated[
    str | None,
    typer.Option(
        help="The company's IANA zone: naive source times are read in it, quarters follow its calendar."
    ),
]
GeneratedAtOption = Annotated[
    str | None,
    typer.Option(
        help="The report's generation time (ISO 8601 with a zone), for reproducible files; default now."
    ),
]


def _read_inputs(
    inputs: list[Path],
    *,
    format: str | None,
    on_error: str,
    timezone: str | None,
    agent: list[str] | None,
    option: list[str] | None,
    ctr: Path | None,
    quiet: bool,
) -> Corpus:
    from .errors import ConfigError, ParseError
    from .ingest import read

    try:
        options = _parse_options(option or [])
        if ctr is not None:
            options["ctr"] = str(ctr)
        return read(
            [str(p) for p in inputs],
            format=format,
            on_error=on_error,  # type: ignore[arg-type]
            timezone=timezone,
            agent=agent,
            progress=_progress(quiet),
            **options,
        )
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    except ParseError as exc:
        raise _fail(str(exc), EXIT_FAILURES) from None


def _write_parse_outputs(corpus: Corpus, out: Path) -> dict[str, Any]:
    report = corpus.parse_report
    out.mkdir(parents=True, exist_ok=True)
    report.failures.to_csv(out / "failures.csv", index=False)
    summary = report.summary()
    summary["n_interactions"] = len(corpus)
    (out / "parse_report.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def _check_failure_rate(corpus: Corpus, out: Path, max_failure_rate: float) -> None:
    report = corpus.parse_report
    if report.failure_rate > max_failure_rate:
        raise _fail(
            f"{report.failure_rate:.2%} of records failed, above --max-failure-rate "
            f"{max_failure_rate:.2%}; see {out / 'failures.csv'}",
            EXIT_FAILURES,
        )


@app.command()
def ingest(
    inputs: Annotated[list[Path], typer.Argument(help="Files, directories or glob patterns to read.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for corpus.parquet and failures.csv.")
    ] = Path("out"),
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
            'a JSON value is decoded (-O \'mapping={"id": "ticket_no", "text": "body"}\').',
        ),
    ] = None,
    max_failure_rate: Annotated[
        float, typer.Option(help="Exit with code 1 when more than this share of records failed.")
    ] = 0.0,
    quiet: QuietOption = False,
) -> None:
    """Read exports, write the corpus as Parquet and every parse failure as CSV, print the counts."""
    corpus = _read_inputs(
        inputs,
        format=format,
        on_error=on_error,
        timezone=timezone,
        agent=agent,
        option=option,
        ctr=None,
        quiet=quiet,
    )
    out.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(out / "corpus.parquet")
    report = corpus.parse_report
    summary = _write_parse_outputs(corpus, out)
    typer.echo(
        f"read {report.n_read} records from {report.n_files} files: {report.n_parsed} parsed, "
        f"{report.n_failed} failed, {report.n_merged} merged duplicates -> {len(corpus)} interactions"
    )
    for fmt, count in sorted(report.formats.items()):
        typer.echo(f"  {fmt:<28} {count:>7}")
    for reason, count in summary["failures_by_reason"].items():
        typer.echo(f"  failed: {reason:<20} {count:>7}")
    typer.echo(f"wrote {out / 'corpus.parquet'}, {out / 'failures.csv'}, {out / 'parse_report.json'}")
    _check_failure_rate(corpus, out, max_failure_rate)


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


# -- loading helpers ----------------------------------------------------------------------------


def _load_catalog(path: Path | None) -> Any:
    if path is None:
        return None
    from .catalog import Catalog
    from .errors import ConfigError

    try:
        return Catalog.from_yaml(path)
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None


def _load_customers(
    path: Path | None, email: list[str] | None, phone: list[str] | None
) -> pd.DataFrame | None:
    if path is None:
        return None
    from .customers_table import read_customers
    from .errors import HotlineError

    try:
        return read_customers(path, email_column=email or None, phone_column=phone or None)
    except (HotlineError, ValueError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None


def _generated_at(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise _fail(
            f"--generated-at must be an ISO 8601 time with a zone, such as 2026-10-01T09:00:00Z; got {value!r}",
            EXIT_USAGE,
        )
    return stamp


def _extract(corpus: Corpus, catalog: Any, *, n_process: int, quiet: bool) -> Any:
    from .grievances import extract_grievances

    return extract_grievances(corpus, catalog, n_process=n_process, progress=_progress(quiet))


def _fit_topics(grievances: Any, *, embedding: str, random_state: int, quiet: bool) -> tuple[Any, list[int]]:
    from .topics import TopicModel

    model = TopicModel(random_state=random_state, embedding=embedding, progress=_progress(quiet))
    labels = model.fit_transform(grievances)
    return model, labels


def _topics_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("bertopic", "umap", "hdbscan"))


def _write_report(qr: QuarterlyReport, out: Path) -> None:
    """Write the report's three forms and its tables into ``out``, and say so."""
    from .errors import HotlineError

    try:
        for name in ("report.html", "report.md", "report.json"):
            qr.write(out / name)
        tables = qr.write_tables(out / "tables")
    except HotlineError as exc:
        raise _fail(str(exc), EXIT_FAILURES) from None
    typer.echo(f"{qr!r}")
    typer.echo(
        f"wrote {out / 'report.html'}, report.md, report.json and {len(tables)} tables in {out / 'tables'}"
    )


def _stage(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one stage: coded errors become exit codes, and each distinct warning is echoed once."""
    import warnings

    from .errors import ConfigError, HotlineError, HotlineWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", HotlineWarning)
            result = func(*args, **kwargs)
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    except HotlineError as exc:
        raise _fail(str(exc), EXIT_FAILURES) from None
    seen: set[str] = set()
    for item in caught:
        if issubclass(item.category, HotlineWarning):
            text = str(item.message)
            if text not in seen:
                seen.add(text)
                typer.echo(f"warning: {text}", err=True)
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return result


def _grievance_summary(grievances: Any) -> dict[str, Any]:
    return {
        "n_interactions": grievances.n_interactions,
        "n_turns": grievances.n_turns,
        "n_grievances": len(grievances),
        "n_with_grievance": grievances.n_with_grievance,
        "redactions": dict(grievances.redactions),
    }


# -- analyze ------------------------------------------------------------------------------------


@app.command()
def analyze(
    inputs: Annotated[list[Path], typer.Argument(help="Files, directories or glob patterns of exports.")],
    out: OutOption,
    catalog: CatalogOption = None,
    customers: CustomersOption = None,
    email_column: EmailOption = None,
    phone_column: PhoneOption = None,
    quarter: QuarterOption = None,
    timezone: TimezoneOption = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="The Parquet store the inputs stream into and the report is built from (default: DIR/store). "
            "Inputs it already holds are skipped."
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Read every input again and replace the quarters it writes.")
    ] = False,
    on_error: Annotated[str, typer.Option(help="raise | collect | ignore")] = "collect",
    max_failure_rate: Annotated[
        float, typer.Option(help="Stop with exit code 1 when more than this share of records failed.")
    ] = 0.0,
    topics: Annotated[
        bool | None,
        typer.Option(
            "--topics/--no-topics",
            help="Find topics with BERTopic (default: when the topics extra is installed).",
        ),
    ] = None,
    topic_sample: Annotated[
        int,
        typer.Option(help="Grievances the topic model is fitted on (a seeded sample of whole interactions)."),
    ] = 20_000,
    ctr: Annotated[
        Path | None, typer.Option(help="Amazon Connect contact records for Contact Lens files.")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="Format name (default: detect).")
    ] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", "-O", help="Parser option as name=value (repeatable).")
    ] = None,
    n_process: Annotated[int, typer.Option(help="Processes for grievance extraction.")] = 1,
    chunk_size: Annotated[int, typer.Option(help="Interactions per chunk of the stream.")] = 500,
    embedding: Annotated[str, typer.Option(help="Topic embeddings: auto, minilm or tfidf.")] = "auto",
    random_state: Annotated[int, typer.Option(help="Seed of the topic sample and model.")] = 0,
    isolate: Annotated[
        bool,
        typer.Option(
            "--isolate/--no-isolate",
            help="Stream and find topics each in a process of its own, so their memory is given back "
            "before the report.",
        ),
    ] = True,
    generated_at: GeneratedAtOption = None,
    quiet: QuietOption = False,
) -> None:
    """Stream exports into a store, extract grievances, find topics, and write the quarterly report.

    The inputs stream through parsing, redaction and grievance extraction in
    chunks into a Parquet store partitioned by quarter (memory stays flat
    whatever their size); topics are fitted on a sample and assigned to every
    grievance; the report is built from the store, so earlier quarters need no
    re-processing. Writes DIR/report.html (one self-contained page),
    report.md (charts in report_files/), report.json, DIR/tables/*.parquet
    (the tables behind the report), failures.csv and parse_report.json.
    """
    from ._stage import run_stage
    from .analysis import assign_store_topics
    from .errors import ConfigError, MissingDependencyError
    from .report.quarterly import QuarterlyReport
    from .stream import write_store

    stamp = _generated_at(generated_at)
    catalog_ = _load_catalog(catalog)
    table = _load_customers(customers, email_column, phone_column)
    if topics is True and not _topics_available():
        raise _fail(
            "--topics needs the optional packages of the topics extra: pip install 'hotline_insight[topics]'",
            EXIT_USAGE,
        )
    use_topics = _topics_available() if topics is None else topics
    folder = store if store is not None else out / "store"
    _say(f"reading the exports into the store {folder}", quiet)
    try:
        options = _parse_options(option or [])
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    if ctr is not None:
        options["ctr"] = str(ctr)
    run = _stage(
        run_stage,
        "store",
        write_store,
        [str(p) for p in inputs],
        folder,
        catalog_,
        replace=replace,
        chunk_size=chunk_size,
        n_process=n_process,
        format=format,
        on_error=on_error,
        progress=_progress(quiet),
        timezone=timezone,
        isolate=isolate,
        **options,
    )
    parse = run.parse_report
    _write_parse_summary(parse, run.n_interactions, out)
    _say(
        f"  {run.n_interactions} interactions from {run.n_inputs} inputs ({run.n_skipped} already in the store); "
        f"{parse.n_failed if parse is not None else 0} records failed",
        quiet,
    )
    if parse is not None and parse.failure_rate > max_failure_rate:
        raise _fail(
            f"{parse.failure_rate:.2%} of records failed, above --max-failure-rate "
            f"{max_failure_rate:.2%}; see {out / 'failures.csv'}",
            EXIT_FAILURES,
        )
    _say(f"  {run.n_grievances} grievances; quarters written: {', '.join(run.quarters) or 'none'}", quiet)
    _check_store_quarter(folder, quarter, timezone)
    model = None
    if use_topics:
        _say("finding topics", quiet)
        try:
            topic_run = run_stage(
                "topics",
                assign_store_topics,
                folder,
                sample_size=topic_sample,
                embedding=embedding,
                random_state=random_state,
                progress=_progress(quiet),
                isolate=isolate,
            )
        except MissingDependencyError as exc:
            raise _fail(str(exc), EXIT_USAGE) from None
        except ConfigError as exc:
            # as hi.analyze: too few grievances for a model is no reason to stop, unless --topics asked
            if topics is True or exc.code != "E523":
                raise _fail(str(exc), EXIT_USAGE) from None
            typer.echo(f"warning: topics skipped: {exc}", err=True)
        else:
            model = topic_run.model
            _say(
                f"  {model.n_topics_} topics ({topic_run.action} on {topic_run.n_sample} grievances); "
                f"{topic_run.n_assigned} grievances assigned",
                quiet,
            )
    else:
        _say("topics skipped (--no-topics, or the topics extra is not installed)", quiet)
    _say("analysing and writing the report", quiet)
    qr: QuarterlyReport = _stage(
        QuarterlyReport.from_store,
        folder,
        quarter=quarter,
        topics=model if model is not None else "auto",
        catalog=catalog_,
        customers_table=table,
        timezone=timezone,
        generated_at=stamp,
    )
    _write_report(qr, out)


def _write_parse_summary(report: Any, n_interactions: int, out: Path) -> None:
    """failures.csv and parse_report.json of a store run (empty when every input was already there)."""
    from .ingest import ParseReport

    out.mkdir(parents=True, exist_ok=True)
    report = report if report is not None else ParseReport()
    report.failures.to_csv(out / "failures.csv", index=False)
    summary = report.summary()
    summary["n_interactions"] = n_interactions
    (out / "parse_report.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")


def _check_store_quarter(folder: Path, quarter: str | None, timezone: str | None) -> None:
    """Fail before the slow stages when the store's data cannot give the quarter asked for."""
    from .errors import ConfigError
    from .report._quarter_data import resolve_quarter
    from .store.dataset import Store

    try:
        created = Store(folder).read("interactions", columns=["created_at"])["created_at"]
        resolve_quarter(created, quarter, timezone)
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None


# -- single stages ------------------------------------------------------------------------------


@app.command()
def grievances(
    corpus: Annotated[Path, typer.Argument(help="corpus.parquet, as written by the ingest command.")],
    out: OutOption,
    catalog: CatalogOption = None,
    n_process: Annotated[int, typer.Option(help="Processes for the extraction.")] = 1,
    quiet: QuietOption = False,
) -> None:
    """Extract the grievances of a corpus: writes DIR/grievances.parquet and DIR/grievances.json (counts)."""
    from .corpus import read_parquet
    from .errors import ConfigError

    catalog_ = _load_catalog(catalog)
    try:
        interactions = read_parquet(corpus)
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    _say(f"extracting grievances from {len(interactions)} interactions", quiet)
    found = _extract(interactions, catalog_, n_process=n_process, quiet=quiet)
    out.mkdir(parents=True, exist_ok=True)
    found.to_frame().to_parquet(out / "grievances.parquet", index=False)
    (out / "grievances.json").write_text(
        json.dumps(_grievance_summary(found), indent=2, sort_keys=True) + "\n"
    )
    typer.echo(f"{len(found)} grievances in {found.n_with_grievance} of {found.n_interactions} interactions")
    typer.echo(f"wrote {out / 'grievances.parquet'}, {out / 'grievances.json'}")


def _read_frame(path: Path, what: str) -> pd.DataFrame:
    import pandas as pd

    from .errors import Errors

    try:
        frame: pd.DataFrame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise _fail(
            Errors.E1027.format(what=what, path=path, reason=type(exc).__name__), EXIT_USAGE
        ) from None
    return frame


@app.command()
def topics(
    grievances: Annotated[
        Path, typer.Argument(help="grievances.parquet, as written by the grievances command.")
    ],
    out: OutOption,
    embedding: Annotated[str, typer.Option(help="auto, minilm or tfidf.")] = "auto",
    random_state: Annotated[int, typer.Option(help="Seed of every random step.")] = 0,
    quiet: QuietOption = False,
) -> None:
    """Find topics in the grievances: writes DIR/grievances.parquet (with topics), topic_info.parquet, topic_model/."""
    from .errors import ConfigError, MissingDependencyError

    if not _topics_available():
        raise _fail(
            "the topics command needs the topics extra: pip install 'hotline_insight[topics]'", EXIT_USAGE
        )
    frame = _read_frame(grievances, "the grievances table")
    _say(f"finding topics in {len(frame)} grievances", quiet)
    try:
        model, labels = _fit_topics(frame, embedding=embedding, random_state=random_state, quiet=quiet)
    except (ConfigError, MissingDependencyError) as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    import pandas as pd

    out.mkdir(parents=True, exist_ok=True)
    frame = frame.copy()
    frame["topic"] = pd.array([t if t >= 0 else None for t in labels], dtype="Int64")
    summary = grievances.with_name("grievances.json")
    frame.to_parquet(out / "grievances.parquet", index=False)
    if summary.exists() and summary.resolve() != (out / "grievances.json").resolve():
        (out / "grievances.json").write_text(summary.read_text())
    model.topic_info_.to_parquet(out / "topic_info.parquet", index=False)
    model.save(out / "topic_model")
    typer.echo(f"{model.n_topics_} topics; {model.n_outliers_} outliers")
    typer.echo(f"wrote {out / 'grievances.parquet'}, {out / 'topic_info.parquet'}, {out / 'topic_model'}")


@app.command()
def report(
    corpus: Annotated[Path, typer.Argument(help="corpus.parquet (the ingest command's).")],
    grievances: Annotated[
        Path, typer.Argument(help="grievances.parquet (the grievances or topics command's).")
    ],
    out: OutOption,
    catalog: CatalogOption = None,
    customers: CustomersOption = None,
    email_column: EmailOption = None,
    phone_column: PhoneOption = None,
    quarter: QuarterOption = None,
    timezone: TimezoneOption = None,
    topic_info: Annotated[
        Path | None, typer.Option(help="topic_info.parquet (default: beside the grievances, when there).")
    ] = None,
    parse_report: Annotated[
        Path | None, typer.Option(help="parse_report.json (default: beside the corpus, when there).")
    ] = None,
    generated_at: GeneratedAtOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the quarterly report from a corpus and its grievances (Parquet files of the earlier stages)."""
    from .corpus import read_parquet
    from .errors import ConfigError, Errors
    from .report.quarterly import QuarterlyReport

    stamp = _generated_at(generated_at)
    catalog_ = _load_catalog(catalog)
    table = _load_customers(customers, email_column, phone_column)
    try:
        interactions = read_parquet(corpus)
    except ConfigError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    frame = _read_frame(grievances, "the grievances table")
    info_path = topic_info if topic_info is not None else grievances.with_name("topic_info.parquet")
    info = _read_frame(info_path, "the topic table") if topic_info is not None or info_path.exists() else None
    summary_path = parse_report if parse_report is not None else corpus.with_name("parse_report.json")
    summary = None
    if parse_report is not None or summary_path.exists():
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _fail(
                Errors.E1027.format(what="the parse report", path=summary_path, reason=type(exc).__name__),
                EXIT_USAGE,
            ) from None
    redactions = None
    counts = grievances.with_name("grievances.json")
    if counts.exists():
        try:
            redactions = json.loads(counts.read_text(encoding="utf-8")).get("redactions")
        except (OSError, ValueError):
            redactions = None
    _say("analysing and writing the report", quiet)
    qr: QuarterlyReport = _stage(
        QuarterlyReport.build,
        interactions,
        frame,
        info,
        quarter=quarter,
        catalog=catalog_,
        customers_table=table,
        timezone=timezone,
        parse_report=summary,
        redactions=redactions,
        generated_at=stamp,
    )
    _write_report(qr, out)


def main() -> None:  # pragma: no cover - the console script
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

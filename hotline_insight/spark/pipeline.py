"""The grievance pipeline on Spark: read sources, extract grievances, aggregate, write the store.

The Python work runs on executors through ``mapInArrow`` with the functions
of :mod:`hotline_insight.spark.executor` (the spaCy pipeline and topic models
built once per Python worker); aggregation is Spark's own. Results are the
same tables, row for row, that the pandas path gives
(:func:`hotline_insight.extract_grievances`, :func:`hotline_insight.aggregate_grievances`,
:func:`hotline_insight.write_store`).

Inputs, the catalog and topic model paths, and the store must be on a file
system every executor sees at the same path (local mode; a shared mount such
as NFS or ``/dbfs`` on a cluster), since executors read the inputs and write
the store's part files themselves.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._optional import import_optional
from ..errors import ConfigError, Errors, HotlineError, ParseFailureReason, Warnings, scrub
from ..store.dataset import Store, StoreWarning, _part_files, _part_seq, as_store
from ..store.schema import UNKNOWN_QUARTER, quarter_sort_key
from . import executor

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from ..catalog import Catalog
    from ..ingest import ParseReport
    from ..stream import StoreRun
    from ..themes import Taxonomy

__all__ = [
    "SparkRead",
    "aggregate_grievances",
    "extract_grievances",
    "get_session",
    "interactions_table",
    "read_interactions",
    "write_store",
]


def _pyspark() -> Any:
    return import_optional("pyspark.sql", extra="spark", feature="hotline_insight.spark", package="pyspark")


def get_session(
    master: str | None = "local[2]",
    app_name: str = "hotline_insight",
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """A SparkSession set up for this library: UTC session time, microsecond Parquet timestamps.

    With a ``local`` master it also turns the UI off, binds to 127.0.0.1, uses
    two shuffle partitions and runs Python workers with this interpreter.
    On a cluster pass ``master=None`` (spark-submit's master is used).

    Args:
        master: the Spark master URL, or None to leave it to spark-submit.
        app_name: the application name.
        config: more Spark settings, applied last.

    Raises:
        MissingDependencyError: E401 when pyspark is not installed (``pip install 'hotline_insight[spark]'``).
    """
    sql = _pyspark()
    builder = sql.SparkSession.builder.appName(app_name)
    settings: dict[str, str] = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            settings.update(
                {
                    "spark.ui.enabled": "false",
                    "spark.ui.showConsoleProgress": "false",
                    "spark.driver.bindAddress": "127.0.0.1",
                    "spark.driver.host": "127.0.0.1",
                    "spark.sql.shuffle.partitions": "2",
                    "spark.pyspark.python": os.environ["PYSPARK_PYTHON"],
                }
            )
    settings.update(config or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session: SparkSession = builder.getOrCreate()
    return session


def _check_session(spark: Any, func: str) -> SparkSession:
    sql = _pyspark()
    if not isinstance(spark, sql.SparkSession):
        raise ConfigError(Errors.E1116.format(func=func, value=type(spark).__name__))
    session: SparkSession = spark
    return session


def _spark_schema(schema: Any) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def _yaml_text(value: Any, kind: str, func: str) -> str | None:
    """The YAML text of a Catalog/Taxonomy, a path to one, or YAML text (validated here, on the driver)."""
    if value is None:
        return None
    from ..catalog import Catalog
    from ..themes import Taxonomy

    cls: Any = Catalog if kind == "catalog" else Taxonomy
    if isinstance(value, cls):
        text: str = value.to_yaml()
        return text
    if isinstance(value, (str, os.PathLike)):
        loaded = cls.from_yaml(value)  # raises its own coded errors for bad YAML
        text = loaded.to_yaml()
        return text
    raise ConfigError(
        Errors.E1113.format(
            name=kind,
            func=func,
            expected=f"a {cls.__name__}, a YAML path or YAML text",
            value=type(value).__name__,
        )
    )


def _topic_path(topic_model: Any, func: str) -> str | None:
    if topic_model is None:
        return None
    if isinstance(topic_model, (str, os.PathLike)) and Path(topic_model).is_dir():
        return str(Path(topic_model).resolve())
    raise ConfigError(
        Errors.E1118.format(
            name="topic_model",
            func=func,
            value=str(topic_model)
            if isinstance(topic_model, (str, os.PathLike))
            else type(topic_model).__name__,
            expected="folder written by TopicModel.save()",
        )
    )


@dataclass(frozen=True)
class SparkRead:
    """What :func:`read_interactions` read: the interactions, and the records that failed.

    Attributes:
        interactions: one row per interaction: the columns of
            :meth:`hotline_insight.Corpus.to_parquet` (``turns`` an array of
            structs with the raw turn text; ``meta``, ``satisfaction``,
            ``vendor`` JSON text), then ``input_path``, ``input_sha256`` and
            ``quarter`` (``'YYYYQn'`` or ``'unknown'``).
        failures: one row per record that could not be read: ``input_path``,
            ``input_sha256``, ``failure_reason`` (a ParseFailureReason value),
            ``failure_message``, ``failure_location``.
    """

    interactions: DataFrame
    failures: DataFrame


def _files(source: Any) -> list[str]:
    from ..stream import _input_files

    files, frames = _input_files(source)
    if frames:
        raise ConfigError(
            Errors.E1113.format(
                name="source",
                func="hotline_insight.spark",
                expected="files, folders or globs (not DataFrames)",
                value="a DataFrame",
            )
        )
    return [str(p) for p in files]


def _hash_files(files: list[str]) -> list[tuple[str, str]]:
    """Each file with the SHA-256 of its bytes, read on the driver (a few seconds a GB, one pass)."""
    from ..store.dataset import file_sha256

    return [(f, file_sha256(f)) for f in files]


def _slices(spark: SparkSession, n: int) -> int:
    return max(1, min(n, 4 * spark.sparkContext.defaultParallelism))


def _parse(
    spark: SparkSession, hashed: list[tuple[str, str]], fmt: str | None, options: dict[str, Any]
) -> DataFrame:
    frame = spark.createDataFrame(hashed, "path string, sha256 string")
    frame = frame.repartition(_slices(spark, len(hashed)), "path") if len(hashed) > 1 else frame.coalesce(1)
    schema = _spark_schema(executor.interaction_arrow_schema())

    def parse(batches: Any) -> Any:  # only the format name and small options are captured
        return executor.parse_batches(batches, fmt, options)

    return frame.mapInArrow(parse, schema)


def _split(raw: DataFrame) -> SparkRead:
    from pyspark.sql import functions as F

    failure_columns = ["input_path", "input_sha256", *executor.FAILURE_FIELDS]
    interactions = raw.filter(F.col("failure_reason").isNull()).drop(*executor.FAILURE_FIELDS)
    failures = raw.filter(F.col("failure_reason").isNotNull()).select(*failure_columns)
    return SparkRead(interactions=interactions, failures=failures)


def read_interactions(
    spark: SparkSession,
    source: Any,
    format: str | None = None,
    **options: Any,
) -> SparkRead:
    """Read files into a Spark DataFrame of interactions, each file parsed on an executor by our parsers.

    The files (expanded from folders and globs on the driver) are spread over
    the executors; each streams its files through
    :func:`hotline_insight.iter_interactions` (``on_error="collect"``), so
    records that can't be read are rows of ``failures``, never lost.

    Args:
        spark: the session.
        source: files, folders or globs (on a file system the executors see).
        format: the inputs' format (detected per file when None).
        **options: parser options (``timezone=``, ``ctr=``, ``mapping=``, ...);
            paths among them must be readable by the executors.

    Returns:
        A :class:`SparkRead` (lazy DataFrames: each action parses the files again unless cached).
    """
    spark = _check_session(spark, "read_interactions")
    return _split(_parse(spark, _hash_files(_files(source)), format, dict(options)))


def extract_grievances(
    interactions: DataFrame,
    catalog: Catalog | str | os.PathLike[str] | None = None,
    taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
    *,
    topic_model: str | os.PathLike[str] | None = None,
    batch_size: int = 256,
) -> DataFrame:
    """Grievances of a DataFrame of interactions, found on the executors with ``mapInArrow``.

    Each Python worker builds the spaCy pipeline once (from the catalog's and
    taxonomy's YAML text, which is all that is shipped) and, with
    ``topic_model``, loads the model once from its folder.

    Args:
        interactions: rows as :func:`read_interactions` gives them.
        catalog: a Catalog, a YAML file path, or YAML text.
        taxonomy: a Taxonomy, a YAML file path, or YAML text (built-in when None).
        topic_model: the folder a fitted TopicModel was saved to, to fill ``topic``.
        batch_size: turns per spaCy batch.

    Returns:
        One row per grievance: the columns of :meth:`hotline_insight.Grievances.to_frame`
        (the store's ``grievances`` table), then ``quarter``.
    """
    catalog_yaml = _yaml_text(catalog, "catalog", "extract_grievances")
    taxonomy_yaml = _yaml_text(taxonomy, "taxonomy", "extract_grievances")
    model_path = _topic_path(topic_model, "extract_grievances")
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ConfigError(
            Errors.E1113.format(
                name="batch_size", func="extract_grievances", expected="an int >= 1", value=batch_size
            )
        )
    schema = _spark_schema(executor._grievance_schema())

    def extract(batches: Any) -> Any:  # YAML text and a path: the pipeline itself is built on the worker
        return executor.extract_batches(batches, catalog_yaml, taxonomy_yaml, batch_size, model_path)

    return interactions.mapInArrow(extract, schema)


def interactions_table(
    interactions: DataFrame, catalog: Catalog | str | os.PathLike[str] | None = None
) -> DataFrame:
    """The store's interactions table of a DataFrame of interactions: subjects redacted, no turn text.

    Columns are :data:`hotline_insight.store.schema.INTERACTION_COLUMNS`, then
    ``quarter``. The catalog's company and product names are kept out of
    redaction, as in the pandas path.
    """
    catalog_yaml = _yaml_text(catalog, "catalog", "interactions_table")
    schema = _spark_schema(executor._interactions_table_schema())

    def table(batches: Any) -> Any:
        return executor.interactions_table_batches(batches, catalog_yaml)

    return interactions.mapInArrow(table, schema)


def aggregate_grievances(grievances: DataFrame) -> DataFrame:
    """The store's ``aggregates`` table with Spark operations (see :func:`hotline_insight.aggregate_grievances`).

    Returns:
        Columns ``quarter``, ``theme``, ``dimension``, ``value``,
        ``n_grievances``, ``n_interactions``, ``intensity_sum``,
        ``sentiment_sum``, ordered by quarter, dimension, theme, value
        (missing last). Sums of floats may differ from the pandas path's in
        the last bits, as Spark adds in another order.
    """
    from pyspark.sql import functions as F

    key = F.concat_ws("\x1f", F.coalesce(F.col("source_format"), F.lit("")), F.col("interaction_id"))
    base = grievances.select(
        "quarter",
        key.alias("key"),
        F.explode_outer("themes").alias("theme"),
        "products",
        "policies",
        "intensity",
        "sentiment",
    )
    common = ["quarter", "key", "theme", "intensity", "sentiment"]
    every = base.select(*common, F.lit("all").alias("dimension"), F.lit(None).cast("string").alias("value"))
    products = base.select(
        *common, F.lit("product").alias("dimension"), F.explode_outer("products").alias("value")
    )
    policies = base.select(
        *common, F.lit("policy").alias("dimension"), F.explode_outer("policies").alias("value")
    )
    long = every.unionByName(products).unionByName(policies)
    out = long.groupBy("quarter", "theme", "dimension", "value").agg(
        F.count(F.lit(1)).cast("long").alias("n_grievances"),
        F.countDistinct("key").cast("long").alias("n_interactions"),
        F.sum("intensity").cast("double").alias("intensity_sum"),
        F.sum("sentiment").cast("double").alias("sentiment_sum"),
    )
    return out.orderBy(
        F.col("quarter").asc_nulls_last(),
        F.col("dimension").asc(),
        F.col("theme").asc_nulls_last(),
        F.col("value").asc_nulls_last(),
    )


def _write_table(frame: DataFrame, table: str, writer: Any) -> int:
    """Write a table's rows from the executors into the run's staging folder; adopt the files written."""
    import pyarrow as pa

    staged_root = str(writer.staging / "new")
    seqs = {}
    folder = writer.store.root / table
    if folder.is_dir():
        for part in folder.iterdir():
            if part.name.startswith("quarter="):
                seqs[part.name.split("=", 1)[1]] = 1 + max(
                    (_part_seq(p) for p in _part_files(part)), default=-1
                )
    schema = _spark_schema(
        pa.schema(
            [("table", pa.string()), ("quarter", pa.string()), ("file", pa.string()), ("n_rows", pa.int64())]
        )
    )

    def write(batches: Any) -> Any:
        return executor.write_batches(batches, table, staged_root, seqs)

    n = 0
    for row in frame.mapInArrow(write, schema).collect():
        writer.adopt(row["table"], row["quarter"], row["file"], row["n_rows"])
        n += int(row["n_rows"])
    return n


def _aggregates_frame(rows: list[Any]) -> Any:
    import pandas as pd

    from ..stream import AGGREGATE_FRAME_COLUMNS

    frame = pd.DataFrame([r.asDict() for r in rows], columns=list(AGGREGATE_FRAME_COLUMNS))
    return frame.astype(
        {
            "quarter": "string",
            "theme": "string",
            "dimension": "string",
            "value": "string",
            "n_grievances": "int64",
            "n_interactions": "int64",
            "intensity_sum": "float64",
            "sentiment_sum": "float64",
        }
    )


def _parse_report(
    failures: list[Any], n_interactions: int, n_files: int, formats: Mapping[str, int]
) -> ParseReport:
    from collections import Counter

    from ..ingest import ParseReport
    from ..records import ParseFailure

    report = ParseReport(n_files=n_files)
    report.n_parsed = n_interactions
    report.n_read = n_interactions
    report.formats = Counter(dict(formats))
    for row in failures:
        report.add_failure(
            ParseFailure(
                source=row["input_path"],
                reason=ParseFailureReason(row["failure_reason"]),
                message=row["failure_message"],
            )
        )
    return report


def write_store(
    spark: SparkSession,
    source: Any,
    store: Store | str | os.PathLike[str],
    catalog: Catalog | str | os.PathLike[str] | None = None,
    taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
    *,
    replace: bool = False,
    topic_model: str | os.PathLike[str] | None = None,
    batch_size: int = 256,
    format: str | None = None,
    **options: Any,
) -> StoreRun:
    """Read, extract, aggregate and write a store on Spark: the same store :func:`hotline_insight.write_store` writes.

    The run takes the store's lock on the driver, hashes the input files (on
    the driver) and skips those in the manifest (unless ``replace``),
    parses and extracts on the executors, writes each table's part files from
    the executors into the run's staging folder, aggregates with Spark, and
    commits on the driver (atomically, as the pandas path does). A failed
    Spark job aborts the run: the store is left as it was.

    Args:
        spark: the session.
        source: files, folders or globs (on a file system the executors see).
        store: a Store or its folder (on a file system the executors see).
        catalog: a Catalog, a YAML path, or YAML text.
        taxonomy: a Taxonomy, a YAML path, or YAML text.
        replace: as in :func:`hotline_insight.write_store`.
        topic_model: the folder of a saved TopicModel, to fill ``topic``.
        batch_size: turns per spaCy batch.
        format: the inputs' format (detected per file when None).
        **options: parser options.

    Returns:
        A :class:`~hotline_insight.StoreRun` (``redactions`` is not counted on Spark: empty).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    started = time.perf_counter()
    spark = _check_session(spark, "write_store")
    if not isinstance(replace, bool):
        raise ConfigError(
            Errors.E1113.format(name="replace", func="write_store", expected="True or False", value=replace)
        )
    catalog_yaml = _yaml_text(catalog, "catalog", "write_store")
    taxonomy_yaml = _yaml_text(taxonomy, "taxonomy", "write_store")
    model_path = _topic_path(topic_model, "write_store")
    target = as_store(store)
    files = _files(source)
    cached: list[DataFrame] = []
    with target.writer(mode="replace" if replace else "append") as writer:
        try:
            hashed = _hash_files(files)
            todo: list[tuple[str, str]] = []
            seen: set[str] = set()
            duplicates: list[str] = []
            n_skipped = 0
            for path, sha in hashed:
                if sha in seen:
                    duplicates.append(Path(path).name)
                    continue
                seen.add(sha)
                if not replace and writer.is_processed(sha):
                    n_skipped += 1
                    continue
                todo.append((path, sha))
            if duplicates:
                import warnings

                listing = ", ".join(duplicates[:5]) + (
                    f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
                )
                warnings.warn(
                    Warnings.W504.format(n=len(duplicates), listing=listing), StoreWarning, stacklevel=2
                )
            n_interactions = n_grievances = n_unknown = n_turns = 0
            report = None
            if todo:
                raw = _parse(spark, todo, format, dict(options)).persist(StorageLevel.MEMORY_AND_DISK)
                cached.append(raw)
                read = _split(raw)
                grievances = extract_grievances(
                    read.interactions,
                    catalog_yaml,
                    taxonomy_yaml,
                    topic_model=model_path,
                    batch_size=batch_size,
                ).persist(StorageLevel.MEMORY_AND_DISK)
                cached.append(grievances)
                n_interactions = _write_table(
                    interactions_table(read.interactions, catalog_yaml), "interactions", writer
                )
                n_grievances = _write_table(grievances, "grievances", writer)
                writer.append("aggregates", _aggregates_frame(aggregate_grievances(grievances).collect()))
                per_input: dict[str, dict[str, int]] = {path: {} for path, _ in todo}
                formats: dict[str, int] = {}
                counts = read.interactions.groupBy("input_path", "quarter", "source_format").agg(
                    F.count(F.lit(1)).alias("n"), F.sum(F.size("turns")).alias("turns")
                )
                for row in counts.collect():
                    quarters = per_input[row["input_path"]]
                    quarters[row["quarter"]] = quarters.get(row["quarter"], 0) + int(row["n"])
                    formats[row["source_format"]] = formats.get(row["source_format"], 0) + int(row["n"])
                    n_turns += int(row["turns"] or 0)
                    if row["quarter"] == UNKNOWN_QUARTER:
                        n_unknown += int(row["n"])
                for path, sha in todo:
                    writer.add_input(sha, path, per_input[path])
                report = _parse_report(read.failures.collect(), n_interactions, len(todo), formats)
        except HotlineError:
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("py4j", "pyspark")):
                reason = (
                    f"{type(exc).__name__}: {scrub(str(exc).splitlines()[0] if str(exc) else '', limit=160)}"
                )
                raise HotlineError(
                    Errors.E1117.format(stage="of this write_store run", reason=reason)
                ) from exc
            raise
        finally:
            for frame in cached:
                frame.unpersist()
    if n_unknown:
        import warnings

        warnings.warn(Warnings.W501.format(n=n_unknown), StoreWarning, stacklevel=2)
    from ..stream import StoreRun

    return StoreRun(
        store=str(target.root),
        run_id=writer.run_id,
        mode=writer.mode,
        quarters=sorted(writer.quarters_written, key=quarter_sort_key),
        n_inputs=len(todo),
        n_skipped=n_skipped,
        n_duplicates=len(duplicates),
        n_interactions=n_interactions,
        n_grievances=n_grievances,
        n_unknown_quarter=n_unknown,
        n_turns=n_turns,
        redactions={},
        parse_report=report,
        elapsed_s=time.perf_counter() - started,
    )

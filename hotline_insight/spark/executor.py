"""What runs on Spark's Python workers: parse files, extract grievances, write part files.

Everything heavy is built lazily, once per Python worker, and kept in the
module-level :data:`_CACHE`: the grievance pipeline (keyed by the catalog and
taxonomy YAML) and topic models (keyed by their folder). Nothing heavy is
captured in a closure or shipped from the driver: functions here receive
YAML text, paths and small option dicts only. Spark reuses Python workers
between tasks (``spark.python.worker.reuse``, on by default), so a worker
builds its pipeline once.

These functions are called by :mod:`hotline_insight.spark.pipeline`; they
need ``hotline_insight`` installed on every executor.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from ..records import Interaction
    from ..stream import _ChunkWorker

__all__ = [
    "FAILURE_FIELDS",
    "extract_batches",
    "interaction_arrow_schema",
    "interaction_from_row",
    "interactions_table_batches",
    "parse_batches",
    "write_batches",
]

_CACHE: dict[tuple[str, ...], Any] = {}
"""Per Python worker: pipelines and topic models, built on first use."""

FAILURE_FIELDS = ("failure_reason", "failure_message", "failure_location")
_EXTRA_FIELDS = ("input_path", "input_sha256", "quarter")
_ROWS_PER_BATCH = 256


def interaction_arrow_schema() -> pa.Schema:
    """The rows of :func:`~hotline_insight.spark.read_interactions`: the corpus Parquet columns, then lineage.

    The corpus columns are those of :meth:`hotline_insight.Corpus.to_parquet`
    (turns a list of structs; ``meta``, ``satisfaction`` and ``vendor`` JSON
    text); then ``input_path``, ``input_sha256``, ``quarter`` and, on parse
    failures only, ``failure_reason``, ``failure_message``, ``failure_location``.
    """
    import pyarrow as pa

    from ..corpus import _arrow_schema

    base = _arrow_schema()
    fields = list(base) + [pa.field(name, pa.string()) for name in (*_EXTRA_FIELDS, *FAILURE_FIELDS)]
    return pa.schema(fields)


def _rows_table(items: Sequence[Interaction], path: str, sha: str) -> pa.Table:
    import pyarrow as pa

    from ..corpus import _to_arrow
    from ..store.schema import quarter_of

    table = _to_arrow(items)
    n = len(items)
    extra = {
        "input_path": [path] * n,
        "input_sha256": [sha] * n,
        "quarter": [quarter_of(i.created_at) for i in items],
        **{name: [None] * n for name in FAILURE_FIELDS},
    }
    for name, values in extra.items():
        table = table.append_column(pa.field(name, pa.string()), pa.array(values, type=pa.string()))
    return table


def _failure_table(failures: Sequence[Any], path: str, sha: str) -> pa.Table:
    schema = interaction_arrow_schema()
    columns: dict[str, list[Any]] = {name: [None] * len(failures) for name in schema.names}
    for i, failure in enumerate(failures):
        columns["input_path"][i] = path
        columns["input_sha256"][i] = sha
        columns["failure_reason"][i] = failure.reason.value
        columns["failure_message"][i] = failure.message
        columns["failure_location"][i] = failure.location
        columns["turns"][i] = []
        columns["customer_keys"][i] = []
        columns["tags"][i] = []
    import pyarrow as pa

    return pa.Table.from_pydict(columns, schema=schema)


def parse_batches(
    batches: Iterator[pa.RecordBatch], fmt: str | None, options: dict[str, Any]
) -> Iterator[pa.RecordBatch]:
    """``path``, ``sha256`` -> one row per interaction read (and one per failure), streamed per file."""
    from ..ingest import iter_interactions

    schema = interaction_arrow_schema()
    for batch in batches:
        for path, sha in zip(
            batch.column("path").to_pylist(), batch.column("sha256").to_pylist(), strict=True
        ):
            stream = iter_interactions(path, fmt, "collect", progress=False, **options)
            buffer: list[Interaction] = []
            for record in stream:
                buffer.append(record)
                if len(buffer) >= _ROWS_PER_BATCH:
                    yield from _rows_table(buffer, path, sha).cast(schema).to_batches()
                    buffer = []
            if buffer:
                yield from _rows_table(buffer, path, sha).cast(schema).to_batches()
            failures = stream.report.failure_records
            if failures:
                yield from _failure_table(failures, path, sha).to_batches()


def interaction_from_row(row: dict[str, Any]) -> Interaction:
    """An Interaction from a row of :func:`interaction_arrow_schema` (the reverse of the parse)."""
    from ..corpus import interaction_from_row as from_row

    return from_row(row)


def _worker(
    catalog_yaml: str | None, taxonomy_yaml: str | None, batch_size: int, topic_model: str | None
) -> _ChunkWorker:
    """This Python worker's pipeline and topic model, built on first use and cached.

    The worker renews its pipeline's vocabulary as a stream does (see
    :class:`hotline_insight.stream._ChunkWorker`), since Python workers live
    for the whole application.
    """
    key_text = json.dumps([catalog_yaml, taxonomy_yaml, batch_size], sort_keys=True)
    key = ("pipeline", hashlib.sha256(key_text.encode()).hexdigest(), topic_model or "")
    cached = _CACHE.get(key)
    if cached is None:
        from ..catalog import Catalog
        from ..nlp.pipeline import GrievanceExtractor
        from ..stream import _ChunkWorker
        from ..themes import Taxonomy

        catalog = Catalog.from_yaml(catalog_yaml) if catalog_yaml is not None else None
        taxonomy = Taxonomy.from_yaml(taxonomy_yaml) if taxonomy_yaml is not None else None
        shared = _CACHE.get(key[:2])  # the same pipeline with another topic model
        extractor = (
            shared.extractor
            if shared is not None
            else GrievanceExtractor(catalog=catalog, taxonomy=taxonomy, batch_size=batch_size)
        )
        cached = _ChunkWorker(extractor, _topic_model(topic_model), renew=True)
        cached.warm()
        _CACHE[key] = cached
        _CACHE.setdefault(key[:2], cached)
    worker: _ChunkWorker = cached
    return worker


def _topic_model(path: str | None) -> Any:
    if path is None:
        return None
    key = ("topic_model", os.path.abspath(path))
    if key not in _CACHE:
        from ..topics import load_topic_model

        _CACHE[key] = load_topic_model(path)
    return _CACHE[key]


def _grievance_schema() -> pa.Schema:
    import pyarrow as pa

    from ..store.schema import arrow_schema

    return pa.schema([*arrow_schema("grievances"), pa.field("quarter", pa.string())])


def _interactions_table_schema() -> pa.Schema:
    import pyarrow as pa

    from ..store.schema import arrow_schema

    return pa.schema([*arrow_schema("interactions"), pa.field("quarter", pa.string())])


def extract_batches(
    batches: Iterator[pa.RecordBatch],
    catalog_yaml: str | None,
    taxonomy_yaml: str | None,
    batch_size: int,
    topic_model: str | None,
) -> Iterator[pa.RecordBatch]:
    """Interaction rows -> grievance rows (the store's grievance columns, then ``quarter``)."""
    import pyarrow as pa

    from ..store.schema import to_arrow

    worker = _worker(catalog_yaml, taxonomy_yaml, batch_size, topic_model)
    schema = _grievance_schema()
    for batch in batches:
        interactions = [interaction_from_row(row) for row in batch.to_pylist()]
        if not interactions:
            continue
        _, grievances, _, _ = worker.run(interactions)
        if not len(grievances):
            continue
        table = to_arrow("grievances", grievances)
        table = table.append_column(
            pa.field("quarter", pa.string()), pa.array(grievances["quarter"].tolist(), type=pa.string())
        )
        yield from table.cast(schema).to_batches()


def interactions_table_batches(
    batches: Iterator[pa.RecordBatch], catalog_yaml: str | None
) -> Iterator[pa.RecordBatch]:
    """Interaction rows -> the store's interactions table (subjects redacted), then ``quarter``."""
    import pyarrow as pa

    from ..store.schema import interactions_frame, to_arrow

    allow = _allow_list(catalog_yaml)
    schema = _interactions_table_schema()
    for batch in batches:
        interactions = [interaction_from_row(row) for row in batch.to_pylist()]
        if not interactions:
            continue
        frame = interactions_frame(interactions, allow_list=allow)
        table = to_arrow("interactions", frame)
        table = table.append_column(
            pa.field("quarter", pa.string()), pa.array(frame["quarter"].tolist(), type=pa.string())
        )
        yield from table.cast(schema).to_batches()


def _allow_list(catalog_yaml: str | None) -> tuple[str, ...]:
    key = ("allow", hashlib.sha256((catalog_yaml or "").encode()).hexdigest())
    if key not in _CACHE:
        from ..catalog import Catalog
        from ..nlp.pipeline import GrievanceExtractor

        catalog = Catalog.from_yaml(catalog_yaml) if catalog_yaml is not None else None
        _CACHE[key] = GrievanceExtractor(catalog=catalog).allow_list
    allow: tuple[str, ...] = _CACHE[key]
    return allow


def write_batches(
    batches: Iterator[pa.RecordBatch], table: str, staged_root: str, seqs: dict[str, int]
) -> Iterator[pa.RecordBatch]:
    """Rows with ``quarter`` -> part files in the run's staging folder, one per quarter and task.

    Each file is written to a hidden temporary name, fsynced and renamed, so a
    retried task replaces its earlier attempt's file whole. Yields one row per
    file written: ``table``, ``quarter``, ``file``, ``n_rows``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from pyspark import TaskContext

    from ..store.dataset import _fsync_file
    from ..store.schema import arrow_schema

    context = TaskContext.get()
    task = context.partitionId() if context is not None else 0
    attempt = context.attemptNumber() if context is not None else 0
    schema = arrow_schema(table)
    open_files: dict[str, tuple[Any, Path, Path, int]] = {}
    try:
        for batch in batches:
            data = pa.Table.from_batches([batch])
            quarters = data.column("quarter")
            for quarter in sorted(set(quarters.to_pylist())):
                part = data.filter(pc.equal(quarters, quarter)).select(schema.names).cast(schema)
                if quarter not in open_files:
                    folder = Path(staged_root) / table / f"quarter={quarter}"
                    folder.mkdir(parents=True, exist_ok=True)
                    name = f"part-{seqs.get(quarter, 0):05d}-{task:05d}.parquet"
                    tmp = folder / f".{name}.{attempt}.tmp"
                    writer = pq.ParquetWriter(
                        tmp, schema, coerce_timestamps="us", allow_truncated_timestamps=False
                    )
                    open_files[quarter] = (writer, tmp, folder / name, 0)
                writer, tmp, final, n = open_files[quarter]
                writer.write_table(part)
                open_files[quarter] = (writer, tmp, final, n + part.num_rows)
        out: dict[str, list[Any]] = {"table": [], "quarter": [], "file": [], "n_rows": []}
        for quarter, (writer, tmp, final, n) in sorted(open_files.items()):
            writer.close()
            _fsync_file(tmp)
            os.replace(tmp, final)
            out["table"].append(table)
            out["quarter"].append(quarter)
            out["file"].append(str(final))
            out["n_rows"].append(n)
        open_files.clear()
    finally:
        for writer, tmp, _, _ in open_files.values():
            writer.close()
            tmp.unlink(missing_ok=True)
    yield pa.RecordBatch.from_pydict(
        out,
        schema=pa.schema(
            [("table", pa.string()), ("quarter", pa.string()), ("file", pa.string()), ("n_rows", pa.int64())]
        ),
    )

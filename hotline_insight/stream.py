"""Streaming: grievances from inputs larger than memory, chunk by chunk, and into the store.

:func:`iter_grievance_chunks` reads interactions with
:func:`hotline_insight.iter_interactions`, runs the grievance pipeline (built
once) over each chunk of ``chunk_size`` interactions, optionally in several
processes, and yields each chunk's interactions and grievances as frames.
:func:`write_store` runs that into a :class:`~hotline_insight.Store`,
partitioned by quarter, skipping inputs the store already holds.

Memory is bounded by the chunk size (times the chunks in flight, two per
process) and the aggregates, never by the input's size.
"""

from __future__ import annotations

import collections
import itertools
import os
import sys
import time
import warnings
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import ConfigError, Errors, Warnings
from .store.dataset import Store, StoreWarning, as_store, file_sha256
from .store.schema import UNKNOWN_QUARTER, interactions_frame, quarter_sort_key, quarters_of

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

    from .catalog import Catalog
    from .ingest import ParseReport
    from .ingest._reader import InteractionStream
    from .nlp.pipeline import GrievanceExtractor
    from .records import Interaction
    from .themes import Taxonomy
    from .topics import TopicModel

__all__ = [
    "GrievanceChunk",
    "GrievanceStream",
    "StoreRun",
    "aggregate_grievances",
    "iter_grievance_chunks",
    "write_store",
]


@dataclass(frozen=True)
class GrievanceChunk:
    """One chunk of a stream: its interactions and the grievances found in them.

    Attributes:
        index: the chunk's position in the stream (0, 1, ...).
        interactions: the store's interactions table for the chunk
            (:data:`~hotline_insight.store.schema.INTERACTION_COLUMNS`, then
            ``quarter``): one row per interaction, subjects redacted, no turn text.
        grievances: ``Grievances.to_frame()`` of the chunk (columns and dtypes
            documented there), then ``quarter`` (string, from ``created_at``).
        n_turns: turns processed.
        redactions: placeholders inserted, by personal-data type.
    """

    index: int
    interactions: pd.DataFrame
    grievances: pd.DataFrame
    n_turns: int
    redactions: dict[str, int] = field(default_factory=dict)


# -- the work of one chunk (in this process or a worker) ------------------------------------


RENEW_AFTER = 100_000
"""Interactions after which a stream renews its spaCy vocabulary (see :class:`_ChunkWorker`)."""
RECYCLE_CHUNKS = 100
"""Chunks a worker process runs before it is replaced by a fresh fork of the main process."""


class _ChunkWorker:
    """The pipeline, the topic model and the redaction allow-list: built once, used for every chunk.

    spaCy adds every new string it tokenizes to the pipeline's vocabulary,
    which so grows with the input (identifiers, typos, numbers in agents'
    turns). To keep memory flat over millions of interactions, a pipeline
    this stream built itself is rebuilt every :data:`RENEW_AFTER`
    interactions (a few seconds; results do not depend on the vocabulary's
    history), and worker processes are replaced every :data:`RECYCLE_CHUNKS`
    chunks by fresh forks of the main process, whose pipeline never runs.
    A pipeline passed in by the caller (``nlp=``) is never rebuilt.
    """

    def __init__(
        self, extractor: GrievanceExtractor, topic_model: TopicModel | None, *, renew: bool = False
    ) -> None:
        self.extractor = extractor
        self.topic_model = topic_model
        self.renew = renew
        self._since_renewal = 0

    def warm(self) -> None:
        self.extractor.nlp  # noqa: B018 - build now, before workers fork
        self.extractor.allow_list  # noqa: B018

    def run(
        self, interactions: Sequence[Interaction]
    ) -> tuple[pd.DataFrame, pd.DataFrame, int, dict[str, int]]:
        from .grievances import Grievances

        if self.renew and self._since_renewal >= RENEW_AFTER:
            from .nlp.pipeline import GrievanceExtractor

            old = self.extractor
            self.extractor = GrievanceExtractor(
                catalog=old.catalog, taxonomy=old.taxonomy, batch_size=old.batch_size
            )
            self._since_renewal = 0
        self._since_renewal += len(interactions)
        items, counts = self.extractor.process(interactions)
        grievances = Grievances(items).to_frame()
        if self.topic_model is not None and len(grievances):
            grievances["topic"] = assign_topics(self.topic_model, grievances)
        grievances["quarter"] = quarters_of(grievances["created_at"])
        frame = interactions_frame(interactions, allow_list=self.extractor.allow_list)
        return frame, grievances, sum(len(i.turns) for i in interactions), counts


def assign_topics(model: TopicModel, grievances: pd.DataFrame) -> pd.Series:
    """Each grievance's topic from a fitted model, as Int64: -1 for outliers (and blank texts).

    ``grievances`` is a grievance table (``text`` and ``interaction_id``). Each
    segment is read in the context of its interaction's other segments, as
    when the model was fitted, so pass every grievance of an interaction in
    the same frame: then a grievance gets the same topic whatever chunk (or
    Spark partition) it is assigned in. In the store, -1 (resembles no
    topic) differs from ``<NA>`` (not assigned yet).
    """
    import pandas as pd

    texts = grievances["text"].astype(object).tolist()
    keep = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
    values = [-1] * len(texts)
    if keep:
        columns = [c for c in ("text", "interaction_id", "themes") if c in grievances.columns]
        for i, topic in zip(
            keep, model.transform(grievances.iloc[keep][columns].reset_index(drop=True)), strict=True
        ):
            values[i] = int(topic)
    return pd.Series(values, dtype="Int64", index=grievances.index)


_WORKER: _ChunkWorker | None = None


def _worker_init(
    catalog: Catalog | None, taxonomy: Taxonomy | None, batch_size: int, topic_model: Any
) -> None:
    """Build the worker's pipeline once (only where processes are spawned, not forked)."""
    global _WORKER
    from .nlp.pipeline import GrievanceExtractor

    extractor = GrievanceExtractor(catalog=catalog, taxonomy=taxonomy, batch_size=batch_size)
    _WORKER = _ChunkWorker(extractor, _load_model(topic_model), renew=True)
    _WORKER.warm()


def _worker_run(
    interactions: Sequence[Interaction],
) -> tuple[pd.DataFrame, pd.DataFrame, int, dict[str, int]]:
    assert _WORKER is not None
    return _WORKER.run(interactions)


def _load_model(topic_model: Any) -> TopicModel | None:
    if topic_model is None:
        return None
    if isinstance(topic_model, (str, os.PathLike)):
        from .topics import load_topic_model

        return load_topic_model(topic_model)
    if not callable(getattr(topic_model, "transform", None)):
        raise ConfigError(
            Errors.E1113.format(
                name="topic_model",
                func="iter_grievance_chunks",
                expected="a fitted TopicModel or the folder it was saved to",
                value=type(topic_model).__name__,
            )
        )
    model: TopicModel = topic_model
    return model


def _check_int(func: str, name: str, value: object, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ConfigError(Errors.E1113.format(name=name, func=func, expected=f"an int >= {low}", value=value))
    return value


class GrievanceStream(Iterator[GrievanceChunk]):
    """An iterator of :class:`GrievanceChunk` whose counts and :attr:`report` fill as it is consumed.

    Attributes:
        n_interactions: interactions processed so far.
        n_grievances: grievances found so far.
        n_turns: turns processed so far.
        n_chunks: chunks yielded so far.
        redactions: placeholders inserted so far, by personal-data type.
    """

    def __init__(
        self,
        interactions: InteractionStream,
        worker: _ChunkWorker,
        *,
        chunk_size: int,
        n_process: int,
        spawn_args: tuple[Any, ...],
        progress: bool,
    ) -> None:
        self._source = interactions
        self._worker = worker
        self.chunk_size = chunk_size
        self.n_process = n_process
        self._spawn_args = spawn_args
        self._progress = progress
        self.n_interactions = 0
        self.n_grievances = 0
        self.n_turns = 0
        self.n_chunks = 0
        self.redactions: collections.Counter[str] = collections.Counter()
        self._pool: Any = None
        self._it: Generator[GrievanceChunk, None, None] = self._run()

    @property
    def report(self) -> ParseReport:
        """The live parse report of the underlying :func:`~hotline_insight.iter_interactions` stream."""
        return self._source.report

    def __iter__(self) -> GrievanceStream:
        return self

    def __next__(self) -> GrievanceChunk:
        return next(self._it)

    def close(self) -> None:
        """Stop the worker processes (done automatically when the stream ends)."""
        self._it.close()
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> GrievanceStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _chunks(self) -> Iterator[list[Interaction]]:
        while True:
            chunk = list(itertools.islice(self._source, self.chunk_size))
            if not chunk:
                return
            yield chunk

    def _results(self) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, int, dict[str, int]]]:
        if self.n_process == 1:
            for chunk in self._chunks():
                yield self._worker.run(chunk)
            return
        import multiprocessing as mp

        global _WORKER
        if "fork" in mp.get_all_start_methods():
            # Forked workers inherit the pipeline built here once, instead of each building its own.
            self._worker.warm()
            _WORKER = self._worker
            self._pool = mp.get_context("fork").Pool(self.n_process, maxtasksperchild=RECYCLE_CHUNKS)
        else:  # pragma: no cover - platforms without fork
            self._pool = mp.get_context().Pool(
                self.n_process, initializer=_worker_init, initargs=self._spawn_args
            )
        pending: collections.deque[Any] = collections.deque()
        try:
            for chunk in self._chunks():
                pending.append(self._pool.apply_async(_worker_run, (chunk,)))
                # at most two chunks per process in flight: memory stays bounded by the chunk size
                while len(pending) >= 2 * self.n_process:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
        finally:
            _WORKER = None
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def _run(self) -> Generator[GrievanceChunk, None, None]:
        bar = None
        if self._progress:
            from tqdm.auto import tqdm

            bar = tqdm(unit="interaction", desc="grievances")
        try:
            for interactions, grievances, n_turns, counts in self._results():
                chunk = GrievanceChunk(
                    self.n_chunks, interactions, grievances, n_turns, dict(sorted(counts.items()))
                )
                self.n_chunks += 1
                self.n_interactions += len(interactions)
                self.n_grievances += len(grievances)
                self.n_turns += n_turns
                self.redactions.update(counts)
                if bar is not None:
                    bar.update(len(interactions))
                yield chunk
        finally:
            if bar is not None:
                bar.close()


def iter_grievance_chunks(
    source: Any,
    catalog: Catalog | None = None,
    taxonomy: Taxonomy | None = None,
    *,
    chunk_size: int = 500,
    n_process: int = 1,
    topic_model: TopicModel | str | os.PathLike[str] | None = None,
    nlp: Language | None = None,
    batch_size: int = 256,
    format: str | None = None,
    on_error: str = "collect",
    progress: bool | None = None,
    **read_options: Any,
) -> GrievanceStream:
    """Stream interactions and their grievances, ``chunk_size`` interactions at a time.

    The inputs are read one record at a time (:func:`hotline_insight.iter_interactions`;
    duplicate ids are not merged), the grievance pipeline is built once, and
    each chunk is run through it (in ``n_process`` processes, in order: the
    output doesn't depend on ``n_process``). A chunk's grievances are exactly
    those :func:`hotline_insight.extract_grievances` finds in its interactions.

    Args:
        source: what :func:`hotline_insight.read` takes: files, folders, globs, DataFrames, or a list.
        catalog: products and policies to link.
        taxonomy: themes and facets (the built-in taxonomy when None).
        chunk_size: interactions per chunk.
        n_process: processes running the pipeline.
        topic_model: a fitted :class:`~hotline_insight.TopicModel`, or the folder it
            was saved to, to fill the grievances' ``topic``.
        nlp: a pipeline from :func:`hotline_insight.build_pipeline` to use (one process only).
        batch_size: turns per spaCy batch.
        format: the inputs' format (detected per file when None).
        on_error: ``"collect"`` (failures in ``stream.report``), ``"ignore"``, or
            ``"raise"`` (the first failure raises ParseError).
        progress: show a progress bar (default: on a terminal).
        **read_options: passed to :func:`hotline_insight.iter_interactions`
            (``timezone=``, ``ctr=``, ``mapping=``, ...).

    Returns:
        A :class:`GrievanceStream` of :class:`GrievanceChunk`.

    Raises:
        ConfigError: E1113 for an invalid argument; what ``iter_interactions`` raises.

    Examples:
        >>> import hotline_insight as hi
        >>> stream = hi.iter_grievance_chunks("sample_data/tickets/freshdesk", chunk_size=50)
        >>> first = next(stream)
        >>> len(first.interactions), list(first.grievances.columns[:3]), first.grievances.columns[-1]
        (50, ['interaction_id', 'turn_position', 'start_char'], 'quarter')
        >>> sum(len(chunk.interactions) for chunk in stream), stream.n_interactions
        (94, 144)
    """
    from .ingest import iter_interactions
    from .nlp.pipeline import GrievanceExtractor

    func = "iter_grievance_chunks"
    _check_int(func, "chunk_size", chunk_size, 1)
    _check_int(func, "n_process", n_process, 1)
    if nlp is not None and n_process > 1:
        raise ConfigError(
            Errors.E1113.format(
                name="nlp",
                func=func,
                expected="None when n_process > 1 (each process builds its own)",
                value="a pipeline",
            )
        )
    interactions = iter_interactions(source, format, on_error, progress=False, **read_options)  # type: ignore[arg-type]
    extractor = GrievanceExtractor(catalog=catalog, taxonomy=taxonomy, nlp=nlp, batch_size=batch_size)
    model = _load_model(topic_model)
    show = progress if progress is not None else sys.stderr.isatty()
    return GrievanceStream(
        interactions,
        _ChunkWorker(extractor, model, renew=nlp is None),
        chunk_size=chunk_size,
        n_process=n_process,
        spawn_args=(catalog, taxonomy, batch_size, topic_model),
        progress=show,
    )


# -- aggregates -------------------------------------------------------------------------


AGGREGATE_FRAME_COLUMNS = (
    "quarter",
    "theme",
    "dimension",
    "value",
    "n_grievances",
    "n_interactions",
    "intensity_sum",
    "sentiment_sum",
)


def aggregate_grievances(grievances: Any) -> pd.DataFrame:
    """Grievance counts by quarter x theme x product and x policy: the store's ``aggregates`` table.

    Each grievance counts once under each of its themes (or under a missing
    theme when it has none): in the ``"all"`` rows, and in a ``"product"``
    (``"policy"``) row per product (policy) it links, or one with a missing
    value when it links none. Interactions are counted by
    ``(source_format, interaction_id)``.

    Counts and sums add up across frames (``n_interactions`` too, as long as
    an interaction's grievances are all in one frame, as in a stream's chunks),
    so a stream's totals are the sums of its chunks'.

    Args:
        grievances: a :class:`~hotline_insight.Grievances` or a frame like its
            ``to_frame()``; with a ``quarter`` column, or else the quarter of ``created_at``.

    Returns:
        Columns ``quarter``, ``theme``, ``dimension`` (``"all"``, ``"product"``,
        ``"policy"``), ``value`` (string, ``<NA>`` for ``"all"`` and for none
        linked), ``n_grievances`` and ``n_interactions`` (int64),
        ``intensity_sum`` and ``sentiment_sum`` (float64); sorted by quarter,
        dimension, theme and value (missing last).

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "interaction_id": ["7", "7", "8"], "source_format": ["zendesk_json"] * 3,
        ...     "created_at": pd.to_datetime(["2026-08-01", "2026-08-01", "2026-08-03"], utc=True),
        ...     "themes": [["fees"], ["fees", "waits"], []], "products": [["fibre"], [], []],
        ...     "policies": [[], [], []], "intensity": [0.5, 0.25, 1.0], "sentiment": [-0.5, 0.0, -1.0]})
        >>> table = aggregate_grievances(frame)
        >>> table[table["dimension"] == "all"][["theme", "n_grievances", "n_interactions"]].values.tolist()
        [['fees', 2, 1], ['waits', 1, 1], [<NA>, 1, 1]]
    """
    import pandas as pd

    frame = grievances if isinstance(grievances, pd.DataFrame) else grievances.to_frame()
    needed = ["interaction_id", "source_format", "themes", "products", "policies", "intensity", "sentiment"]
    missing = [c for c in needed if c not in frame.columns]
    if "quarter" not in frame.columns and "created_at" not in frame.columns:
        missing.append("quarter or created_at")
    if missing:
        raise ConfigError(
            Errors.E1110.format(table="grievances", missing=", ".join(missing), expected=", ".join(needed))
        )
    quarter = (
        frame["quarter"].astype("string") if "quarter" in frame.columns else quarters_of(frame["created_at"])
    )
    formats = frame["source_format"].astype("string").fillna("").tolist()
    groups: dict[tuple[Any, ...], list[Any]] = {}
    rows = zip(
        quarter.tolist(),
        formats,
        frame["interaction_id"].astype("string").tolist(),
        frame["themes"].tolist(),
        frame["products"].tolist(),
        frame["policies"].tolist(),
        frame["intensity"].astype(float).tolist(),
        frame["sentiment"].astype(float).tolist(),
        strict=True,
    )
    for q, fmt, interaction, themes, products, policies, intensity, sentiment in rows:
        key = (fmt, interaction)
        values = (
            [("all", None)]
            + [("product", p) for p in (list(products) or [None])]
            + [("policy", p) for p in (list(policies) or [None])]
        )
        for theme in list(themes) or [None]:
            for dimension, value in values:
                group = groups.get((q, theme, dimension, value))
                if group is None:
                    group = groups[(q, theme, dimension, value)] = [0, set(), 0.0, 0.0]
                group[0] += 1
                group[1].add(key)
                group[2] += intensity
                group[3] += sentiment

    def order(item: tuple[tuple[Any, ...], list[Any]]) -> tuple[Any, ...]:
        (q, theme, dimension, value), _ = item
        return (quarter_sort_key(q), dimension, theme is None, theme or "", value is None, value or "")

    records = [
        (q, theme, dimension, value, n, len(keys), total_intensity, total_sentiment)
        for (q, theme, dimension, value), (n, keys, total_intensity, total_sentiment) in sorted(
            groups.items(), key=order
        )
    ]
    out = pd.DataFrame(records, columns=list(AGGREGATE_FRAME_COLUMNS))
    out = out.astype(
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
    return out[list(AGGREGATE_FRAME_COLUMNS)]


# -- into the store -----------------------------------------------------------------------


@dataclass
class StoreRun:
    """What :func:`write_store` did.

    Attributes:
        store: the store's root folder.
        run_id: the run's id (in the store's manifest, see ``Store.runs()``).
        mode: ``"append"`` or ``"replace"``.
        quarters: the quarters written, in time order.
        n_inputs: input files read.
        n_skipped: input files skipped because the store already held their bytes.
        n_duplicates: input files skipped because another input of the run had the same bytes.
        n_interactions: interactions written.
        n_grievances: grievances written.
        n_unknown_quarter: interactions without ``created_at`` (in ``quarter=unknown``).
        n_turns: turns processed.
        redactions: placeholders inserted, by personal-data type.
        parse_report: what was read, parsed and failed.
        elapsed_s: wall time of the run.
    """

    store: str
    run_id: str
    mode: str
    quarters: list[str]
    n_inputs: int
    n_skipped: int
    n_duplicates: int
    n_interactions: int
    n_grievances: int
    n_unknown_quarter: int
    n_turns: int
    redactions: dict[str, int]
    parse_report: ParseReport | None
    elapsed_s: float


def _input_files(source: Any) -> tuple[list[Path], list[Any]]:
    """The input files (absolute, expanded from folders and globs, in a stable order) and any DataFrames."""
    from .ingest._reader import _expand

    files: list[Path] = []
    frames: list[Any] = []
    for item in _expand(source):
        fs_path = getattr(item, "fs_path", None)
        if fs_path is not None:
            files.append(Path(fs_path).resolve())
        else:
            frames.append(item)
    return files, frames


def write_store(
    source: Any,
    store: Store | str | os.PathLike[str],
    catalog: Catalog | None = None,
    taxonomy: Taxonomy | None = None,
    *,
    replace: bool = False,
    chunk_size: int = 500,
    n_process: int = 1,
    topic_model: TopicModel | str | os.PathLike[str] | None = None,
    nlp: Language | None = None,
    batch_size: int = 256,
    format: str | None = None,
    on_error: str = "collect",
    progress: bool | None = None,
    **read_options: Any,
) -> StoreRun:
    """Stream inputs into a store: interactions, grievances and aggregates, partitioned by quarter.

    Each input file is hashed (SHA-256 of its bytes); files the store's
    manifest already holds are skipped, so a nightly job can pass the whole
    export folder and only new files are read. The rest stream through
    :func:`iter_grievance_chunks`; every row goes to the partition of its
    interaction's UTC quarter (``quarter=unknown`` without ``created_at``,
    with warning W501). The run commits atomically at the end: killed or
    failed before that, it leaves the store as it was; a second run on the
    same store at the same time fails at once (E1106).

    The manifest keys inputs by content only: after changing the catalog,
    the taxonomy or reading options, pass ``replace=True`` to process them
    again. DataFrame inputs are always processed and not recorded.

    Args:
        source: files, folders, globs, DataFrames, or a list of them.
        store: a :class:`~hotline_insight.Store` or its folder (created when new).
        catalog: products and policies to link.
        taxonomy: themes and facets (the built-in taxonomy when None).
        replace: process every input, and make each quarter the run writes
            hold only this run's rows (the quarters it doesn't write are kept).
            Otherwise new rows are added to their quarters and aggregates summed.
        chunk_size: interactions per chunk.
        n_process: processes running the grievance pipeline.
        topic_model: a fitted TopicModel or its saved folder, to fill ``topic``.
        nlp: a pipeline from :func:`hotline_insight.build_pipeline` to use (one process only).
        batch_size: turns per spaCy batch.
        format: the inputs' format (detected per file when None).
        on_error: ``"collect"``, ``"ignore"`` or ``"raise"`` (the run is then aborted).
        progress: show a progress bar (default: on a terminal).
        **read_options: passed to :func:`hotline_insight.iter_interactions`.

    Returns:
        A :class:`StoreRun` with the counts.

    Raises:
        StoreLockedError: E1106 when another run writes the store.
        StoreError: E1108 (disk full) or E1109 when writing fails; nothing is changed.

    Examples:
        >>> import tempfile
        >>> import hotline_insight as hi
        >>> tmp = tempfile.mkdtemp()
        >>> run = hi.write_store("sample_data/tickets/freshdesk", tmp)
        >>> run.n_interactions, run.quarters
        (144, ['2025Q3', '2025Q4', '2026Q1', '2026Q2', '2026Q3'])
        >>> hi.write_store("sample_data/tickets/freshdesk", tmp).n_skipped
        1
    """
    started = time.perf_counter()
    if not isinstance(replace, bool):
        raise ConfigError(
            Errors.E1113.format(name="replace", func="write_store", expected="True or False", value=replace)
        )
    target = as_store(store)
    files, frames = _input_files(source)
    with target.writer(mode="replace" if replace else "append") as writer:
        hashes: dict[str, str] = {}
        todo: list[Any] = []
        n_skipped = 0
        duplicates: list[str] = []
        for path in files:
            sha = file_sha256(path)
            if sha in hashes.values():
                duplicates.append(path.name)
                continue
            if not replace and writer.is_processed(sha):
                n_skipped += 1
                continue
            hashes[str(path)] = sha
            todo.append(path)
        if duplicates:
            listing = ", ".join(duplicates[:5]) + (
                f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
            )
            warnings.warn(
                Warnings.W504.format(n=len(duplicates), listing=listing), StoreWarning, stacklevel=2
            )
        todo.extend(frames)
        per_input: dict[str, collections.Counter[str]] = {path: collections.Counter() for path in hashes}
        stream = None
        n_unknown = 0
        if todo:
            stream = iter_grievance_chunks(
                todo,
                catalog,
                taxonomy,
                chunk_size=chunk_size,
                n_process=n_process,
                topic_model=topic_model,
                nlp=nlp,
                batch_size=batch_size,
                format=format,
                on_error=on_error,
                progress=progress,
                **read_options,
            )
            with stream:
                for chunk in stream:
                    writer.append("interactions", chunk.interactions)
                    writer.append("grievances", chunk.grievances)
                    writer.append("aggregates", aggregate_grievances(chunk.grievances))
                    n_unknown += int((chunk.interactions["quarter"] == UNKNOWN_QUARTER).sum())
                    counts = chunk.interactions.groupby(["source_path", "quarter"], dropna=False).size()
                    for key, n in counts.items():
                        source_path, quarter = cast(tuple[str, str], key)
                        if source_path in per_input:
                            per_input[source_path][quarter] += int(n)
        for source_path, sha in hashes.items():
            writer.add_input(sha, source_path, dict(per_input[source_path]))
        if stream is not None:
            writer.describe(parse=stream.report.summary(), redactions=dict(sorted(stream.redactions.items())))
    if n_unknown:
        warnings.warn(Warnings.W501.format(n=n_unknown), StoreWarning, stacklevel=2)
    return StoreRun(
        store=str(target.root),
        run_id=writer.run_id,
        mode=writer.mode,
        quarters=sorted(writer.quarters_written, key=quarter_sort_key),
        n_inputs=len(hashes) + len(frames),
        n_skipped=n_skipped,
        n_duplicates=len(duplicates),
        n_interactions=stream.n_interactions if stream else 0,
        n_grievances=stream.n_grievances if stream else 0,
        n_unknown_quarter=n_unknown,
        n_turns=stream.n_turns if stream else 0,
        redactions=dict(sorted(stream.redactions.items())) if stream else {},
        parse_report=stream.report if stream else None,
        elapsed_s=time.perf_counter() - started,
    )

"""From exports to the quarterly report through the store, in bounded memory.

:func:`analyze` is the Python side of ``hotline-insight analyze``. It runs
three stages, each usable on its own:

1. :func:`~hotline_insight.write_store` streams the inputs (parsing,
   redaction, grievance extraction) into a :class:`~hotline_insight.Store`,
   chunk by chunk; inputs the store already holds are skipped.
2. :func:`assign_store_topics` fits a topic model on a sample of the
   store's grievances (:func:`sample_grievances`: whole interactions, chosen
   by a seeded hash of their ids, up to ``sample_size`` grievances), keeps it
   in the store, and assigns every grievance in the store that has no topic,
   one quarter at a time. A later run on new quarters updates the kept model
   (:meth:`~hotline_insight.TopicModel.update`): old topic ids never change,
   new clusters get new ids.
3. :meth:`QuarterlyReport.from_store <hotline_insight.QuarterlyReport.from_store>`
   builds the report from the store's tables: the rows of the reported
   quarter and the one before it, and sums of the older quarters counted one
   partition at a time, so earlier quarters (the trends, the baselines) come
   from the store with no re-processing.

Memory: stages 1 and 2 hold one chunk (or one batch of a quarter) at a time
plus the sample; stage 3 holds the slim columns (no turn text) of two
quarters' rows and every contact's ids and keys (``benchmarks/scale.py`` and
``benchmarks/report_history.py`` measure it). :func:`analyze` runs
stages 1 and 2 each in a fresh process (``isolate``), so the spaCy pipeline
and the model stack they load are given back before stage 3 starts.
"""

from __future__ import annotations

import os
import shutil
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, Errors, Warnings
from .store.dataset import as_store

if TYPE_CHECKING:
    import pandas as pd

    from .catalog import Catalog
    from .report.quarterly import QuarterlyReport
    from .store.dataset import Store
    from .stream import StoreRun
    from .themes import Taxonomy
    from .topics import TopicModel

__all__ = ["Analysis", "TopicRun", "analyze", "assign_store_topics", "sample_grievances"]

TOPIC_MODEL_DIR = "_models/topics"
"""Where in a store :func:`assign_store_topics` keeps its topic model."""
TOPIC_SAMPLE = 20_000
"""Default number of grievances a topic model is fitted on (the fit's cost grows with it)."""
_SAMPLE_COLUMNS = ["interaction_id", "source_format", "turn_position", "start_char", "text", "themes"]


def _interaction_hash(frame: pd.DataFrame, random_state: int) -> Any:
    """A seeded 64-bit hash of each row's interaction (source format and id): the sampling key."""
    import pandas as pd

    keys = (
        frame["source_format"].astype("string").fillna("") + "\x1f" + frame["interaction_id"].astype("string")
    )
    salt = format(random_state % 10**16, "016d")
    return pd.util.hash_pandas_object(keys, index=False, hash_key=salt).to_numpy()


def sample_grievances(
    store: Store | str | os.PathLike[str],
    size: int = TOPIC_SAMPLE,
    *,
    quarters: str | list[str] | None = None,
    random_state: int = 0,
    missing_topic: bool = False,
) -> pd.DataFrame:
    """A reproducible sample of a store's grievances, whole interactions at a time.

    Each interaction gets a seeded 64-bit hash of its source format and id;
    the sample is the interactions with the smallest hashes whose grievances
    add up to at most ``size`` (and always at least one interaction). So the
    sample is a uniform random sample of interactions that does not depend
    on the order of the inputs, the chunking or the number of processes; an
    interaction's segments stay together, as the topic model reads each in
    the context of the others. One pass over the store, holding at most
    ``size`` rows and a batch.

    Args:
        store: a :class:`~hotline_insight.Store` or its folder.
        size: grievances wanted (at most).
        quarters: quarters to sample from (all when None).
        random_state: the hash's seed.
        missing_topic: only grievances whose ``topic`` is missing.

    Returns:
        The sampled rows of the grievances table (columns ``interaction_id``,
        ``source_format``, ``turn_position``, ``start_char``, ``text``,
        ``themes``, ``quarter``), ordered by interaction hash, then turn and
        position.

    Examples:
        >>> import tempfile
        >>> import hotline_insight as hi
        >>> store = hi.Store(tempfile.mkdtemp())
        >>> _ = hi.write_store("sample_data/tickets/freshdesk", store)
        >>> sample = hi.sample_grievances(store, 40, random_state=1)
        >>> len(sample) <= 40, sample.equals(hi.sample_grievances(store, 40, random_state=1))
        (True, True)
    """
    import numpy as np
    import pandas as pd

    from .store.schema import empty_frame

    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ConfigError(
            Errors.E1113.format(name="size", func="sample_grievances", expected="an int >= 1", value=size)
        )
    target = as_store(store)
    columns = [*_SAMPLE_COLUMNS, "topic"] if missing_topic else list(_SAMPLE_COLUMNS)
    kept: pd.DataFrame | None = None
    # the smallest hash left out so far: that interaction and all above it are out of the sample for
    # good (more rows can only add up), so later rows above it are dropped; without this, rows of an
    # interaction cut at one batch could come back with the next (a part of it), or an interaction
    # above the cut could take its place
    bound: Any = None
    for batch in target.iter_frames("grievances", quarters, columns=columns):
        if missing_topic:
            batch = batch[batch["topic"].isna()].drop(columns="topic")
        if not len(batch):
            continue
        batch = batch.assign(_hash=_interaction_hash(batch, random_state))
        if bound is not None:
            batch = batch[batch["_hash"] < bound]
        kept = batch if kept is None else pd.concat([kept, batch], ignore_index=True)
        if len(kept) > size:
            kept, left_out = _smallest_interactions(kept, size)
            if left_out is not None:
                bound = left_out if bound is None else min(bound, left_out)
    if kept is None:
        empty: pd.DataFrame = empty_frame("grievances", _SAMPLE_COLUMNS)[[*_SAMPLE_COLUMNS, "quarter"]]
        return empty
    kept, _ = _smallest_interactions(kept, size)
    order = np.lexsort(
        (kept["start_char"].to_numpy(), kept["turn_position"].to_numpy(), kept["_hash"].to_numpy())
    )
    sample: pd.DataFrame = kept.iloc[order][[*_SAMPLE_COLUMNS, "quarter"]].reset_index(drop=True)
    return sample


def _smallest_interactions(frame: pd.DataFrame, size: int) -> tuple[pd.DataFrame, Any]:
    """The rows of the interactions with the smallest hashes, up to ``size`` rows (at least one interaction).

    Also returns the hash of the first interaction left out (None when none is).
    """
    import numpy as np

    counts = frame.groupby("_hash", sort=True).size()
    within = np.cumsum(counts.to_numpy()) <= size
    within[0] = True
    last = int(np.flatnonzero(within)[-1])
    left_out = counts.index[last + 1] if last + 1 < len(counts) else None
    kept: pd.DataFrame = frame[frame["_hash"] <= counts.index[last]].reset_index(drop=True)
    return kept, left_out


@dataclass(frozen=True)
class TopicRun:
    """What :func:`assign_store_topics` did.

    Attributes:
        model: the topic model now kept in the store (a run made in another
            process, as :func:`analyze` makes it, loads it from ``path`` when
            first asked; a pickled TopicRun leaves it out the same way).
        path: where it is kept (``<store>/_models/topics``).
        action: ``"fitted"`` (a new model), ``"updated"`` (the kept model,
            updated with a sample of the new grievances) or ``"kept"``
            (nothing new to learn from).
        n_sample: grievances the model was fitted or updated on.
        new_topics: topic ids this run created.
        quarters: quarters whose grievances were assigned.
        n_assigned: grievances given a topic (outliers included).
        n_outliers: of those, grievances that resemble no topic (topic -1).
        elapsed_s: seconds taken.
    """

    path: Path
    action: str
    n_sample: int
    new_topics: list[int]
    quarters: list[str]
    n_assigned: int
    n_outliers: int
    elapsed_s: float
    _model: TopicModel | None = field(default=None, repr=False, compare=False)

    @property
    def model(self) -> TopicModel:
        if self._model is None:
            from .topics import load_topic_model

            object.__setattr__(self, "_model", load_topic_model(self.path))
        assert self._model is not None
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        # the model is in the store: a copy sent to another process (or saved) reads it from there
        return {**self.__dict__, "_model": None}


def _pending_models(folder: Path) -> list[Path]:
    return sorted(folder.parent.glob(folder.name + ".pending-*")) if folder.parent.is_dir() else []


def _recover_model(store: Store, folder: Path) -> None:
    """Finish or undo the model swap of an interrupted topic run.

    A run saves its model as ``topics.pending-<run id>`` before its store
    commit and moves it in place after. So a pending model whose run is in
    the manifest committed (move it in); any other was never committed
    (delete it); ``topics.old-*`` folders are leftovers of a swap.
    """
    committed = {str(run.get("run_id")) for run in store.runs()}
    for pending in _pending_models(folder):
        run_id = pending.name.split(".pending-", 1)[1]
        if run_id in committed:
            _promote(pending, folder, run_id)
        else:
            shutil.rmtree(pending, ignore_errors=True)
    for old in folder.parent.glob(folder.name + ".old-*") if folder.parent.is_dir() else []:
        shutil.rmtree(old, ignore_errors=True)


def _promote(pending: Path, folder: Path, run_id: str) -> None:
    old = folder.with_name(f"{folder.name}.old-{run_id}")
    if folder.exists():
        folder.rename(old)
    pending.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _unassigned_quarters(store: Store, quarters: list[str]) -> list[str]:
    """The quarters holding grievances with no topic yet (their ``topic`` is null; outliers are -1)."""
    return [
        q
        for q in quarters
        if any(bool(f["topic"].isna().any()) for f in store.iter_frames("grievances", q, columns=["topic"]))
    ]


def _interaction_batches(store: Store, quarter: str, batch_size: int) -> Iterator[pd.DataFrame]:
    """A quarter's grievances in batches of about ``batch_size`` rows that never split an interaction."""
    import numpy as np
    import pandas as pd

    carry: pd.DataFrame | None = None
    for batch in store.iter_frames("grievances", quarter, batch_size=batch_size):
        if carry is not None:
            batch = pd.concat([carry, batch], ignore_index=True)
        if not len(batch):
            continue
        # rows of one interaction are written together, so only the batch's last interaction can continue
        others = np.flatnonzero((batch["interaction_id"] != batch["interaction_id"].iloc[-1]).to_numpy())
        start = int(others[-1]) + 1 if len(others) else 0
        if start == 0:
            carry = batch
            continue
        carry = batch.iloc[start:].reset_index(drop=True)
        yield batch.iloc[:start].reset_index(drop=True)
    if carry is not None and len(carry):
        yield carry


def assign_store_topics(
    store: Store | str | os.PathLike[str],
    *,
    sample_size: int = TOPIC_SAMPLE,
    embedding: str = "auto",
    random_state: int = 0,
    batch_size: int = 20_000,
    progress: bool | None = None,
    **model_options: Any,
) -> TopicRun:
    """Give every grievance in a store a topic, with a model fitted on a sample and kept in the store.

    The first time, a :class:`~hotline_insight.TopicModel` is fitted on
    :func:`sample_grievances` (``sample_size`` grievances, whole
    interactions, seeded by ``random_state``) and saved in
    ``<store>/_models/topics``. Later runs load it; when grievances without
    a topic have arrived (new inputs, a new quarter), it is updated on a
    sample of them, which keeps every topic id and adds new ids for new
    clusters. Then each quarter holding grievances with no topic (``topic``
    null) is rewritten with them assigned (outliers get -1), in batches of
    ``batch_size`` rows that keep an interaction's grievances together, as
    one atomic store run; the model is moved in place only once that run
    has committed. Interrupted at any point, the store keeps its old
    grievances and model, and the next run assigns them. A new model (the
    first run, or after its folder was deleted) assigns every grievance
    again, so the store never mixes the ids of two models.

    Args:
        store: a :class:`~hotline_insight.Store` or its folder.
        sample_size: grievances to fit (or update) the model on.
        embedding: ``"auto"``, ``"minilm"`` or ``"tfidf"`` (for a new model).
        random_state: the seed of the sample and of the model.
        batch_size: grievances assigned at a time.
        progress: show progress bars (default: on a terminal).
        **model_options: other :class:`~hotline_insight.TopicModel` parameters (for a new model).

    Returns:
        A :class:`TopicRun`.

    Raises:
        StoreError: E1102 when the store holds nothing yet.
        StoreLockedError: E1106 when another run writes the store.
    """
    from .store.schema import quarter_sort_key
    from .stream import assign_topics
    from .topics import TopicModel, load_topic_model

    started = time.perf_counter()
    target = as_store(store)
    target._require()  # E1102 now, before the writer creates an empty store
    folder = target.root / TOPIC_MODEL_DIR
    n_sample = n_assigned = n_outliers = 0
    new_topics: list[int] = []
    with target.writer() as writer:
        _recover_model(target, folder)  # under the store's lock
        quarters = target.quarters("grievances")
        refit = not (folder / "topic_model.json").exists()
        if not refit:
            model = load_topic_model(folder)
            model.progress = progress
            action = "kept"
            todo = _unassigned_quarters(target, quarters)
            if todo:
                sample = sample_grievances(
                    target, sample_size, quarters=todo, random_state=random_state, missing_topic=True
                )
                before = len(model.topic_embeddings_)
                model.update(sample)
                new_topics = list(range(before, len(model.topic_embeddings_)))
                n_sample = len(sample)
                action = "updated"
        else:
            sample = sample_grievances(target, sample_size, random_state=random_state)
            model = TopicModel(
                embedding=embedding, random_state=random_state, progress=progress, **model_options
            ).fit(sample)
            n_sample = len(sample)
            new_topics = sorted(int(t) for t in model.topic_info_["topic"] if int(t) >= 0)
            action = "fitted"
            todo = list(quarters)  # a new model's ids: every grievance is assigned again
        for quarter in sorted(todo, key=quarter_sort_key):
            writer.rewrite("grievances", quarter)
            for batch in _interaction_batches(target, quarter, batch_size):
                mask = batch["topic"].isna().to_numpy() | refit
                if mask.any():
                    batch.loc[mask, "topic"] = assign_topics(
                        model, batch[mask].reset_index(drop=True)
                    ).to_numpy()
                    n_assigned += int(mask.sum())
                    n_outliers += int((batch.loc[mask, "topic"] == -1).sum())
                writer.append("grievances", batch)
        pending = folder.with_name(f"{folder.name}.pending-{writer.run_id}")
        if action == "kept":
            writer.abort()  # nothing to write: no run is recorded
        else:
            model.save(pending)
    if action != "kept":
        _promote(pending, folder, writer.run_id)
    return TopicRun(
        _model=model,
        path=folder,
        action=action,
        n_sample=n_sample,
        new_topics=new_topics,
        quarters=sorted(todo, key=quarter_sort_key),
        n_assigned=n_assigned,
        n_outliers=n_outliers,
        elapsed_s=time.perf_counter() - started,
    )


@dataclass
class Analysis:
    """What :func:`analyze` did and made.

    Attributes:
        store: the store's folder.
        run: the store run that read the inputs.
        topics: the topic stage, or None when topics were off.
        report: the quarterly report.
        timings: seconds per stage (``store``, ``topics``, ``report``).
    """

    store: Path
    run: StoreRun
    topics: TopicRun | None
    report: QuarterlyReport
    timings: dict[str, float] = field(default_factory=dict)


def analyze(
    source: Any,
    store: Store | str | os.PathLike[str],
    *,
    catalog: Catalog | None = None,
    taxonomy: Taxonomy | None = None,
    customers_table: pd.DataFrame | None = None,
    quarter: str | None = None,
    timezone: str | None = None,
    topics: bool = True,
    embedding: str = "auto",
    topic_sample: int = TOPIC_SAMPLE,
    random_state: int = 0,
    n_process: int = 1,
    chunk_size: int = 500,
    replace: bool = False,
    format: str | None = None,
    on_error: str = "collect",
    progress: bool | None = None,
    report_options: Mapping[str, Any] | None = None,
    isolate: bool = True,
    **read_options: Any,
) -> Analysis:
    """Read exports into a store, give grievances topics, and build the quarterly report from the store.

    The whole job of ``hotline-insight analyze``, in bounded memory (see the
    module's description). Inputs the store already holds are skipped, so a
    nightly job can pass the whole export folder each time.

    Args:
        source: files, folders, globs or DataFrames (as :func:`~hotline_insight.write_store`).
        store: the store (created when new).
        catalog: products and policies.
        taxonomy: themes and facets (default: the built-in taxonomy).
        customers_table: from :func:`~hotline_insight.read_customers`.
        quarter: the report's quarter (default: the last complete one).
        timezone: the company's IANA zone, for calendar quarters and months.
        topics: find topics (needs the topics extra); with too few grievances for a
            model (fewer than 20), warning W505 and a report without topics. False
            skips the stage (the store's kept model, if any, still names the topics).
        embedding: the topic model's embeddings (``auto``, ``minilm``, ``tfidf``).
        topic_sample: grievances the topic model is fitted on.
        random_state: seed of the topic sample and model.
        n_process: processes extracting grievances.
        chunk_size: interactions per chunk.
        replace: re-read every input and replace the quarters it writes.
        format: the inputs' format (detected when None).
        on_error: ``"collect"``, ``"ignore"`` or ``"raise"``.
        progress: progress bars (default: on a terminal).
        report_options: more arguments of :meth:`QuarterlyReport.build
            <hotline_insight.QuarterlyReport.build>` (``company``, ``generated_at``, ...).
        isolate: run the streaming and topic stages each in a forked process
            (where the platform can fork), so the spaCy pipeline and the model
            stack they load are given back before the report reads the store
            (about 1 GB; ``benchmarks/scale.py``). Their warnings and errors
            reach the caller as they would in one process. False runs
            everything here (for a debugger, say).
        **read_options: reading options (``ctr=``, parser options).

    Returns:
        An :class:`Analysis` (its ``report`` is the quarterly report).

    Examples:
        >>> import tempfile
        >>> import hotline_insight as hi
        >>> result = hi.analyze("sample_data/tickets/freshdesk", tempfile.mkdtemp(), embedding="tfidf", quarter="2026Q2")
        >>> result.run.n_interactions, result.topics.action, result.report.quarter
        (144, 'fitted', '2026Q2')
    """
    from ._stage import run_stage
    from .report.quarterly import QuarterlyReport
    from .store.dataset import StoreWarning
    from .stream import write_store

    timings: dict[str, float] = {}
    target = as_store(store)
    started = time.perf_counter()
    run = run_stage(
        "store",
        write_store,
        source,
        target,
        catalog,
        taxonomy,
        replace=replace,
        chunk_size=chunk_size,
        n_process=n_process,
        format=format,
        on_error=on_error,
        progress=progress,
        isolate=isolate,
        **read_options,
    )
    timings["store"] = time.perf_counter() - started
    topic_run = None
    if topics:
        started = time.perf_counter()
        try:
            topic_run = run_stage(
                "topics",
                assign_store_topics,
                target,
                sample_size=topic_sample,
                embedding=embedding,
                random_state=random_state,
                progress=progress,
                isolate=isolate,
            )
        except ConfigError as exc:
            if exc.code != "E523":  # anything but "too few grievances for a model"
                raise
            warnings.warn(Warnings.W505.format(reason=str(exc)), StoreWarning, stacklevel=2)
        timings["topics"] = time.perf_counter() - started
    started = time.perf_counter()
    options = dict(report_options or {})
    report = QuarterlyReport.from_store(
        target,
        quarter=quarter,
        topics=topic_run.model if topic_run is not None else "auto",
        catalog=catalog,
        customers_table=customers_table,
        taxonomy=taxonomy,
        timezone=timezone,
        **options,
    )
    timings["report"] = time.perf_counter() - started
    return Analysis(store=target.root, run=run, topics=topic_run, report=report, timings=timings)

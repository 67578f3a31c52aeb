"""Session fixtures of the analysis tests: stores built once per test process, never changed by a test.

A test that writes to a store clones it first (:func:`analysis_helpers.clone`).
The real-data stores come from the Freshdesk sample split in two files at
2026-04-01 (2025Q3-2026Q1 and 2026Q2-2026Q3); the hand-made ones from
:mod:`analysis_helpers`. Topic models use TF-IDF embeddings: the first fit in
a process pays UMAP's compilation (about 20 s), later ones take a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import hotline_insight as hi

from .analysis_helpers import MODEL_OPTIONS, REAL_OPTIONS, clone, phase_one, phase_two, tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
SPLIT = "2026-04-01"


@dataclass(frozen=True)
class Grown:
    """A store fed in two runs, with a topic run after each."""

    root: Path
    first: hi.TopicRun
    after_first: pd.DataFrame
    second: hi.TopicRun


@pytest.fixture(scope="session", autouse=True)
def clustering_stack_loaded() -> None:
    """Import BERTopic before any fit, so that every fit of these tests clusters alike.

    Without this, the first fit in a process (which imports BERTopic between
    embedding and clustering) can cluster differently from later fits of the
    same texts: a determinism bug of the topics module, reported to the lead.
    """
    import bertopic  # noqa: F401


@pytest.fixture(scope="session")
def catalog() -> hi.Catalog:
    return hi.Catalog.from_yaml(SAMPLE / "catalog.yaml")


@pytest.fixture(scope="session")
def nlp(catalog: hi.Catalog) -> Any:
    return hi.build_pipeline(catalog=catalog)


@pytest.fixture(scope="session")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Freshdesk tickets before and after 2026-04-01, as two export files."""
    tickets = json.loads((SAMPLE / "tickets" / "freshdesk" / "tickets.json").read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("freshdesk")
    early, late = folder / "early.json", folder / "late.json"
    early.write_text(json.dumps([t for t in tickets if t["created_at"] < SPLIT]), encoding="utf-8")
    late.write_text(json.dumps([t for t in tickets if t["created_at"] >= SPLIT]), encoding="utf-8")
    return early, late


@pytest.fixture(scope="session")
def plain_store(
    halves: tuple[Path, Path], catalog: hi.Catalog, nlp: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Both halves in one run (late first), no topics."""
    early, late = halves
    root = tmp_path_factory.mktemp("plain") / "store"
    hi.write_store([late, early], root, catalog, nlp=nlp)
    return root


@pytest.fixture(scope="session")
def topic_store(plain_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, hi.TopicRun]:
    """The plain store after a first topic run."""
    root = clone(plain_store, tmp_path_factory.mktemp("topics") / "store")
    return root, hi.assign_store_topics(root, **REAL_OPTIONS)


@pytest.fixture(scope="session")
def grown_store(
    halves: tuple[Path, Path], catalog: hi.Catalog, nlp: Any, tmp_path_factory: pytest.TempPathFactory
) -> Grown:
    """The early half (small chunks), topics; then the late half, topics again."""
    early, late = halves
    root = tmp_path_factory.mktemp("grown") / "store"
    hi.write_store(early, root, catalog, nlp=nlp, chunk_size=7)
    first = hi.assign_store_topics(root, **REAL_OPTIONS)
    after_first = hi.Store(root).read("grievances")
    hi.write_store(late, root, catalog, nlp=nlp, chunk_size=7)
    second = hi.assign_store_topics(root, **REAL_OPTIONS)
    return Grown(root, first, after_first, second)


@pytest.fixture(scope="session")
def in_memory(halves: tuple[Path, Path], catalog: hi.Catalog, nlp: Any) -> tuple[hi.Corpus, hi.Grievances]:
    """The same inputs read and extracted in memory."""
    corpus = hi.read(list(halves), on_error="collect")
    return corpus, hi.extract_grievances(corpus, catalog, nlp=nlp)


@pytest.fixture(scope="session")
def made_fitted(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, hi.TopicRun, dict[str, pd.DataFrame]]:
    """The hand-made first phase, its tables before the topic run, and the run."""
    root = tmp_path_factory.mktemp("made") / "store"
    phase_one(root)
    before = tables(root)
    return root, hi.assign_store_topics(root, **MODEL_OPTIONS), before


@pytest.fixture(scope="session")
def made_updated(
    made_fitted: tuple[Path, hi.TopicRun, dict[str, pd.DataFrame]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, hi.TopicRun, dict[str, pd.DataFrame]]:
    """The hand-made store after the second phase and a second topic run (tables before it, and the run)."""
    root = clone(made_fitted[0], tmp_path_factory.mktemp("made2") / "store")
    phase_two(root)
    before = tables(root)
    return root, hi.assign_store_topics(root, **MODEL_OPTIONS), before

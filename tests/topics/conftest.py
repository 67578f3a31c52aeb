"""Shared, expensive fixtures of the topic tests: built once per test process.

The grievances of the whole sample data (about 20 s) are a session fixture, so each
xdist worker pays for them once; the MiniLM topic model fitted on them (a first UMAP
fit in a process also pays 10-30 s of numba compilation) is fitted by one worker and
loaded by the others.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

import hotline_insight as hi

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="session")
def sample_grievances() -> hi.Grievances:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = hi.read(
            [SAMPLE / d for d in ("calls", "chats", "tickets")],
            ctr=str(SAMPLE / "ctr" / "contact_records.jsonl"),
            on_error="collect",
        )
    return hi.extract_grievances(corpus, hi.Catalog.from_yaml(SAMPLE / "catalog.yaml"))


@pytest.fixture(scope="session")
def planted() -> dict[str, str]:
    """interaction id -> planted pattern (P1..P6) or background topic."""
    rows = json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))["interactions"]
    return {r["id"]: r["pattern"] or r["topic"] for r in rows}


@pytest.fixture(scope="session")
def sample_model(
    sample_grievances: hi.Grievances, tmp_path_factory: pytest.TempPathFactory
) -> tuple[hi.TopicModel, list[int]]:
    """The default model fitted on the sample grievances, fitted once per test run.

    The first xdist worker to get here fits and saves it (under a file lock, in the
    folder all workers share); the others load it, which their tests then also exercise.
    """
    import fcntl

    # under xdist each worker's base folder sits in the run's own folder; alone, use ours
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "topics_sample_model"
    with (shared / "topics_sample_model.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if (folder / "topics.json").exists():
                model = hi.load_topic_model(folder)
                topics = json.loads((folder / "topics.json").read_text())
            else:
                model = hi.TopicModel(random_state=0)
                topics = model.fit_transform(sample_grievances)
                model.save(folder)
                (folder / "topics.json").write_text(json.dumps(topics))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return model, topics

"""Hand-made store rows for the analysis tests, and a made-up grievance corpus with known topics.

The texts are built so that a TF-IDF topic model (``MODEL_OPTIONS``) finds two
topics in the first quarter (a router that reboots, fees) and, once the
engineer complaints of a later quarter arrive, new ones for them: every word of
the engineer texts is already in the fitted vocabulary (``ENGINEER_SEEN``,
which are outliers at fit time), so the update can tell them apart.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import hotline_insight as hi
from hotline_insight.store.schema import TABLES

MODEL_OPTIONS: dict[str, Any] = {"embedding": "tfidf", "min_topic_size": 5, "outlier_threshold": 0.3}
"""TopicModel settings of the hand-made stores (see the module's description)."""
REAL_OPTIONS: dict[str, Any] = {"embedding": "tfidf", "min_topic_size": 4}
"""TopicModel settings for the Freshdesk sample's 82 grievances (six topics; the default size finds none)."""

_DEVICES = ["my router", "the hub", "the modem", "my wifi box", "the lark hub"]
_FAULTS = [
    "reboots every night",
    "restarts at 3am",
    "keeps rebooting",
    "resets overnight",
    "drops the connection",
    "loses signal",
    "turns itself off",
    "blinks red",
]
_CHARGES = [
    "a support fee",
    "the tech support charge",
    "a fee for calling support",
    "the paper bill fee",
    "an extra charge",
]
_WHYS = [
    "on my bill",
    "after ninety days",
    "again this month",
    "without any warning",
    "that nobody explained",
    "i never agreed to",
    "charged twice",
    "for no reason",
]
_VISITORS = [
    "the engineer",
    "the technician",
    "your installer",
    "the install visit",
    "the engineer appointment",
    "the fitter",
    "the field crew",
    "the openreach van",
]
_MISSES = [
    "never came",
    "missed the slot",
    "did not turn up",
    "was cancelled again",
    "no show on monday",
    "never arrived",
    "was a no show",
    "stood me up",
]

ROUTER = [f"{a} {b}" for a in _DEVICES for b in _FAULTS]
FEES = [f"{a} {b}" for a in _CHARGES for b in _WHYS]
ENGINEER = [f"{a} {b}" for a in _VISITORS for b in _MISSES]
ENGINEER_SEEN = [f"{_VISITORS[i]} {_MISSES[(i + k) % 8]}" for i in range(8) for k in (0, 1)]


def _timestamps(values: Sequence[str | None]) -> pd.Series:
    return pd.Series(
        [pd.NaT if v is None else pd.Timestamp(v, tz="UTC") for v in values], dtype="datetime64[us, UTC]"
    )


def table_frame(table: str, n: int, **columns: Any) -> pd.DataFrame:
    """``n`` rows of a store table: the columns given, every other one empty (missing, 0, NaN or [])."""
    data: dict[str, Any] = {}
    for column in TABLES[table]:
        if column.name in columns:
            value = columns[column.name]
            data[column.name] = _timestamps(value) if column.arrow == "timestamp" else value
        elif column.arrow == "list<string>":
            data[column.name] = [[] for _ in range(n)]
        elif column.arrow == "timestamp":
            data[column.name] = _timestamps([None] * n)
        elif column.dtype == "Int64":
            data[column.name] = pd.array([None] * n, dtype="Int64")
        elif column.arrow == "int64":
            data[column.name] = [0] * n
        elif column.arrow == "float64":
            data[column.name] = [float("nan")] * n
        elif column.arrow == "bool":
            data[column.name] = [False] * n
        else:
            data[column.name] = pd.array([None] * n, dtype="string")
    return pd.DataFrame(data)


def grievance_frame(
    rows: Sequence[tuple[str, str | None, str]], *, source: str = "zendesk_json"
) -> pd.DataFrame:
    """Grievance rows from (interaction id, created_at or None, text); turns count up within an interaction."""
    seen: dict[str, int] = {}
    positions = []
    for interaction, _, _ in rows:
        positions.append(seen.get(interaction, 0))
        seen[interaction] = positions[-1] + 1
    return table_frame(
        "grievances",
        len(rows),
        interaction_id=pd.array([r[0] for r in rows], dtype="string"),
        turn_position=positions,
        start_char=[0] * len(rows),
        end_char=[len(r[2]) for r in rows],
        text=pd.array([r[2] for r in rows], dtype="string"),
        role=["customer"] * len(rows),
        channel=["ticket"] * len(rows),
        created_at=[r[1] for r in rows],
        source_format=pd.array([source] * len(rows), dtype="string"),
        themes=[["billing"] if "fee" in r[2] or "charge" in r[2] else [] for r in rows],
        complaint_score=[0.9] * len(rows),
        intensity=[0.5] * len(rows),
        sentiment=[-0.5] * len(rows),
    )


def interaction_frame(
    rows: Sequence[tuple[str, str | None]], *, source: str = "zendesk_json"
) -> pd.DataFrame:
    """Interaction rows from (id, created_at or None)."""
    return table_frame(
        "interactions",
        len(rows),
        id=pd.array([r[0] for r in rows], dtype="string"),
        source_format=pd.array([source] * len(rows), dtype="string"),
        source_path=pd.array(["/data/made.jsonl"] * len(rows), dtype="string"),
        channel=["ticket"] * len(rows),
        created_at=[r[1] for r in rows],
        n_turns=[1] * len(rows),
        n_customer_turns=[1] * len(rows),
    )


def write_rows(
    root: Path,
    grievances: pd.DataFrame,
    interactions: pd.DataFrame | None = None,
    *,
    sha: str | None = None,
) -> None:
    """One append run of hand-made rows (aggregates summed from the grievances)."""
    with hi.Store(root).writer() as writer:
        if interactions is not None:
            writer.append("interactions", interactions)
        writer.append("grievances", grievances)
        writer.append("aggregates", hi.aggregate_grievances(grievances))
        if sha is not None:
            writer.add_input(sha, f"/data/{sha}.jsonl", {})


def dated(i: int, quarter: str) -> str:
    """A created_at inside ``quarter`` ('2026Q1'), spread over its days."""
    year, q = int(quarter[:4]), int(quarter[-1])
    return f"{year}-{3 * (q - 1) + 1 + i % 3:02d}-{1 + i % 28:02d}T10:00:00Z"


def phase_one(root: Path) -> None:
    """2026Q1: router, fee and a few engineer complaints; 'unknown': three undated router ones; 2026Q2: contacts, no grievances."""
    texts = ROUTER + FEES + ENGINEER_SEEN
    rows: list[tuple[str, str | None, str]] = [
        (f"q1-{i:03d}", dated(i, "2026Q1"), t) for i, t in enumerate(texts)
    ]
    rows += [(f"nd-{i}", None, ROUTER[i * 7]) for i in range(3)]
    contacts = [(r[0], r[1]) for r in rows] + [("q2-000", dated(0, "2026Q2")), ("q2-001", dated(1, "2026Q2"))]
    write_rows(root, grievance_frame(rows), interaction_frame(contacts), sha="phase-one")


def phase_two(root: Path) -> None:
    """2026Q3: every engineer complaint, and ten router ones."""
    texts = ENGINEER + ROUTER[:10]
    rows: list[tuple[str, str | None, str]] = [
        (f"q3-{i:03d}", dated(i, "2026Q3"), t) for i, t in enumerate(texts)
    ]
    write_rows(root, grievance_frame(rows), interaction_frame([(r[0], r[1]) for r in rows]), sha="phase-two")


def clone(source: Path, target: Path) -> Path:
    """A copy of a store, file times kept."""
    shutil.copytree(source, target, copy_function=shutil.copy2)
    return target


def tables(root: Path) -> dict[str, pd.DataFrame]:
    store = hi.Store(root)
    return {name: store.read(name) for name in TABLES}


def partition_files(root: Path, table: str = "grievances") -> dict[str, tuple[int, int]]:
    """Each part file of a table (by relative path) with its size and modification time."""
    folder = root / table
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.glob("quarter=*/*.parquet"))
    }


def with_topics(frame: pd.DataFrame, topics: Sequence[int]) -> pd.Series:
    """Topic ids from ``transform`` as the store keeps them (-1 for outliers)."""
    return pd.Series(list(topics), index=frame.index, dtype="Int64")

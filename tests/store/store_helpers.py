"""Small hand-made frames of the store's three tables, and helpers to compare stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

import hotline_insight as hi


def ts(text: str | None) -> Any:
    return pd.NaT if text is None else pd.Timestamp(text, tz="UTC")


def interactions(rows: list[tuple[str, str | None]], *, source: str = "zendesk_json") -> pd.DataFrame:
    """Interactions table rows from (id, created_at) pairs; other columns get plain values."""
    n = len(rows)
    frame = pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "source_format": [source] * n,
            "source_path": ["/data/in.json"] * n,
            "source_line": pd.array([i + 1 for i in range(n)], dtype="Int64"),
            "source_index": pd.array([None] * n, dtype="Int64"),
            "channel": pd.Categorical(["ticket"] * n),
            "created_at": pd.Series([ts(r[1]) for r in rows], dtype="datetime64[us, UTC]"),
            "updated_at": pd.Series([pd.NaT] * n, dtype="datetime64[us, UTC]"),
            "resolved_at": pd.Series([pd.NaT] * n, dtype="datetime64[us, UTC]"),
            "customer_id": pd.array([f"cust-{i % 2}" for i in range(n)], dtype="string"),
            "customer_keys": [["email:abc"] for _ in range(n)],
            "agent_id": pd.array([None] * n, dtype="string"),
            "queue": pd.array(["billing"] * n, dtype="string"),
            "subject": pd.array(["Charged twice"] * n, dtype="string"),
            "product": pd.array([None] * n, dtype="string"),
            "category": pd.array([None] * n, dtype="string"),
            "tags": [["fee", "vip"] for _ in range(n)],
            "status": pd.array(["open"] * n, dtype="string"),
            "priority": pd.array([None] * n, dtype="string"),
            "language": pd.array([None] * n, dtype="string"),
            "n_turns": [2] * n,
            "n_customer_turns": [1] * n,
            "duration_s": [float("nan")] * n,
            "satisfaction_score": [0.5] * n,
            "satisfaction_raw": pd.array(["good"] * n, dtype="string"),
            "satisfaction_scale": pd.array(["csat"] * n, dtype="string"),
            "has_vendor_annotations": [False] * n,
            "meta_ids": [[f"custom_fields.crm=C{i}"] for i in range(n)],
        }
    )
    for column in ("id", "source_format", "source_path"):
        frame[column] = frame[column].astype("string")
    return frame


def grievances(rows: list[tuple[str, str | None, list[str], list[str], float]]) -> pd.DataFrame:
    """Grievance rows from (interaction_id, created_at, themes, products, intensity)."""
    n = len(rows)
    return pd.DataFrame(
        {
            "interaction_id": pd.array([r[0] for r in rows], dtype="string"),
            "turn_position": [0] * n,
            "start_char": [i * 10 for i in range(n)],
            "end_char": [i * 10 + 9 for i in range(n)],
            "text": pd.array([f"complaint {i}" for i in range(n)], dtype="string"),
            "role": pd.Categorical(["customer"] * n),
            "channel": pd.Categorical(["ticket"] * n),
            "created_at": pd.Series([ts(r[1]) for r in rows], dtype="datetime64[us, UTC]"),
            "customer_id": pd.array(["cust-1"] * n, dtype="string"),
            "source_format": pd.array(["zendesk_json"] * n, dtype="string"),
            "themes": [list(r[2]) for r in rows],
            "facets": [[] for _ in range(n)],
            "products": [list(r[3]) for r in rows],
            "policies": [[] for _ in range(n)],
            "product_methods": [["name"] * len(r[3]) for r in rows],
            "policy_methods": [[] for _ in range(n)],
            "complaint_score": [0.9] * n,
            "intensity": [r[4] for r in rows],
            "sentiment": [-0.5] * n,
            "cues": [[] for _ in range(n)],
            "topic": pd.array([None] * n, dtype="Int64"),
        }
    )


def snapshot(root: Path) -> dict[str, pd.DataFrame]:
    """Every table of a store, sorted so that part-file order does not matter."""
    store = hi.Store(root)
    keys = {
        "interactions": ["quarter", "source_format", "id"],
        "grievances": ["quarter", "interaction_id", "turn_position", "start_char"],
        "aggregates": ["quarter", "dimension", "theme", "value"],
    }
    out = {}
    for table, key in keys.items():
        frame = store.read(table)
        out[table] = frame.sort_values(key, na_position="last", kind="stable").reset_index(drop=True)
    return out


def assert_same_store(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], check_categorical=False, obj=table)


def write_first(root: Path) -> None:
    """A store with three quarters (2026Q1, 2026Q3, unknown) from input 'sha-A'."""
    import hotline_insight as hi

    found = grievances(
        [
            ("a", "2026-08-01", ["fees"], ["fibre"], 0.5),
            ("a", "2026-08-01", ["fees", "waits"], [], 0.25),
            ("b", "2026-01-15", [], ["hub"], 1.0),
        ]
    )
    with hi.Store(root).writer() as w:
        w.append("interactions", interactions([("a", "2026-08-01"), ("b", "2026-01-15"), ("c", None)]))
        w.append("grievances", found)
        w.append("aggregates", hi.aggregate_grievances(found))
        w.add_input("sha-A", "/data/a.json", {"2026Q3": 1, "2026Q1": 1, "unknown": 1})


def write_second(root: Path) -> None:
    """Input 'sha-B' into two existing quarters and a new one; a no-op when the store already has it."""
    import hotline_insight as hi

    found = grievances(
        [
            ("d", "2026-08-02", ["fees"], ["fibre"], 1.0),
            ("e", "2026-02-01", ["waits"], [], 0.5),
            ("f", "2025-11-11", ["refunds"], ["hub"], 0.75),
        ]
    )
    with hi.Store(root).writer() as w:
        if w.is_processed("sha-B"):
            return
        w.append(
            "interactions", interactions([("d", "2026-08-02"), ("e", "2026-02-01"), ("f", "2025-11-11")])
        )
        w.append("grievances", found)
        w.append("aggregates", hi.aggregate_grievances(found))
        w.add_input("sha-B", "/data/b.json", {"2026Q3": 1, "2026Q1": 1, "2025Q4": 1})

"""Trends from a store, one partition at a time, against the same trends from the rows read whole.

``hi.trends(store, ...)`` (and ``emerging``, ``early_warnings``) counts each
quarter partition of a :class:`~hotline_insight.Store` on its own and adds
the matrices up; customers are resolved first from the interactions' ids
and keys alone. The baseline is what a user would do otherwise, in the same
run: read the same columns of every row (``Store.read``), prepare them once
(``prepare_analysis``) and call the same functions on that. The store side
resolves customers once (``resolve_customers(store)``) and passes them on
(``identities=``). Each side runs in a fresh process, whose peak
resident memory (``VmHWM``) is its figure; the script checks that both
sides give identical tables.

The store defaults to the 1M-interaction store of
``benchmarks/report_memory.py`` (build it with that script first), or
``--store PATH``.

Usage::

    python benchmarks/store_trends.py
    python benchmarks/store_trends.py --store /path/to/store
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_STORE = HERE / "_data" / "report_store" / "100000x10"
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("trends", {"by": "theme", "freq": "month"}),
    ("trends", {"by": ("product", "theme"), "freq": "week"}),
    ("emerging", {"by": "policy", "freq": "month"}),
    ("early_warnings", {"by": "theme", "freq": "week"}),
]


def peak_rss() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def child(mode: str, store_path: str, out: str) -> None:
    """One side, in this (fresh) process: the tables to ``out``, figures on stdout."""
    import hotline_insight as hi
    from hotline_insight.analytics._store_series import GRIEVANCE_COLUMNS, SKIPPED_CONTACT_COLUMNS, with_meta
    from hotline_insight.store.schema import arrow_schema

    warnings.simplefilter("ignore")
    store = hi.Store(store_path)
    started = time.perf_counter()
    if mode == "rows":
        columns = [c for c in arrow_schema("interactions").names if c not in SKIPPED_CONTACT_COLUMNS]
        contacts = with_meta(
            store.read("interactions", columns=columns, lists="tuple").drop(columns=["quarter"])
        )
        found = store.read("grievances", columns=list(GRIEVANCE_COLUMNS), lists="tuple").drop(
            columns=["quarter"]
        )
        prepared = hi.prepare_analysis(contacts, found)
        del contacts, found
        source: Any = prepared
        extra: dict[str, Any] = {}
    else:
        # customers resolved once, as the baseline prepares once
        source, extra = store, {"identities": hi.resolve_customers(store)}
    read_s = time.perf_counter() - started
    for i, (name, kwargs) in enumerate(CALLS):
        table = getattr(hi, name)(source, **kwargs, **extra)
        table.to_parquet(f"{out}-{i}.parquet")
    print(json.dumps({"s": time.perf_counter() - started, "read_s": read_s, "peak": peak_rss()}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if not (args.store / "_store.json").exists():
        print(
            f"no store at {args.store}: run benchmarks/report_memory.py first, or pass --store",
            file=sys.stderr,
        )
        return 2
    import pandas as pd

    import hotline_insight as hi

    store = hi.Store(args.store)
    n_contacts = len(store.read("interactions", columns=["id"]))
    n_grievances = len(store.read("grievances", columns=["interaction_id"]))
    quarters = store.quarters()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("rows", "store"):
            done = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(args.store), f"{tmp}/{mode}"],
                check=True,
                capture_output=True,
                text=True,
            )
            results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        same = True
        for i in range(len(CALLS)):
            a = pd.read_parquet(f"{tmp}/rows-{i}.parquet")
            b = pd.read_parquet(f"{tmp}/store-{i}.parquet")
            try:
                pd.testing.assert_frame_equal(a, b, check_exact=True)
            except AssertionError as exc:
                same = False
                print(f"DIFFERENT: {CALLS[i]}: {str(exc)[:300]}")
    calls = "; ".join(f"{name}({', '.join(f'{k}={v!r}' for k, v in kw.items())})" for name, kw in CALLS)
    print(
        f"\n{n_contacts:,} interactions, {n_grievances:,} grievances in {len(quarters)} partitions "
        f"({', '.join(quarters)}); calls: {calls}\n"
    )
    print("| source | read + prepare (rows) or resolve customers (store) s | total s | peak RSS (MB) |")
    print("|---|---|---|---|")
    labels = {
        "rows": "rows read whole, prepare_analysis (baseline)",
        "store": "the Store, partition by partition",
    }
    for mode, r in results.items():
        print(f"| {labels[mode]} | {r['read_s']:.1f} | {r['s']:.1f} | {r['peak'] / 1e6:,.0f} |")
    rows, parts = results["rows"], results["store"]
    print(
        f"\nStore path against the baseline: {parts['s'] / rows['s']:.2f}x the time, "
        f"{parts['peak'] / rows['peak']:.2f}x the peak memory. Tables identical: {same}."
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

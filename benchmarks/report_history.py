"""Report memory against the length of the history: a window of rows and sums, or every row.

Issue 7 wants memory that does not grow with the input beyond the
aggregates. ``QuarterlyReport.from_store(rows="window")`` reads whole only
the reported quarter and the one before it, and counts the rest partition by
partition; ``rows="all"`` (the baseline, measured in the same run) reads
every row up to the quarter's end. This script builds stores whose quarters
all hold the same volume but whose history differs in length, reports the
last complete quarter of each both ways, each in a fresh process, and prints
the peak resident memory (RSS, sampled every 20 ms), the time, and whether
the two reports' tables are identical.

The stores are built once and cached in ``benchmarks/_data/report_history/``:
``--copies K`` copies of the 100k generated interactions of
``benchmarks/scale.py`` (three quarters of tickets and calls), copy ``i``
moved ``i`` quarters later, each with its own interaction ids, customer
ids, customer keys, meta ids and texts. From the third quarter on, each
quarter holds the same mix, so the reported quarter and its window are alike
for every K; only the history before them grows.

Usage::

    python benchmarks/report_history.py                  # copies 3 and 9 (~300k and ~900k interactions)
    python benchmarks/report_history.py --copies 3 5
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
ROOT = HERE.parent
DATA = HERE / "_data" / "report_history"
CATALOG = ROOT / "sample_data" / "catalog.yaml"


def build_store(copies: int) -> Path:
    """The cached store of ``copies`` shifted copies of the 100k generated store (built when missing)."""
    import pandas as pd

    import hotline_insight as hi

    sys.path.insert(0, str(HERE))
    from report_memory import build_store as base_store  # the 100k store, streamed once

    target = DATA / f"100000x{copies}"
    if (target / "_store.json").exists():
        return target
    source = hi.Store(base_store(1))
    interactions = source.read("interactions").drop(columns=["quarter"])
    grievances = source.read("grievances").drop(columns=["quarter"])

    def suffixed(values: pd.Series, i: int) -> pd.Series:
        return values.where(values.isna(), values + f"-{i}")

    def suffixed_lists(values: pd.Series, i: int) -> pd.Series:
        return pd.Series([[f"{x}-{i}" for x in v] for v in values], index=values.index, dtype=object)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas: a month offset over a series is applied element-wise
        with hi.Store(target).writer(mode="replace") as writer:
            for i in range(copies):
                later = pd.DateOffset(months=3 * i)
                a = interactions.copy()
                a["id"] = a["id"] + f"-{i}"
                for column in ("created_at", "updated_at", "resolved_at"):
                    a[column] = a[column] + later
                a["customer_id"] = suffixed(a["customer_id"], i)
                a["customer_keys"] = suffixed_lists(a["customer_keys"], i)
                a["meta_ids"] = suffixed_lists(a["meta_ids"], i)
                b = grievances.copy()
                b["interaction_id"] = b["interaction_id"] + f"-{i}"
                b["created_at"] = b["created_at"] + later
                b["customer_id"] = suffixed(b["customer_id"], i)
                b["text"] = b["text"] + f" ({i})"
                writer.append("interactions", a)
                writer.append("grievances", b)
    return target


def child(store: str, rows: str, tables: str) -> dict[str, Any]:
    """Build the report one way in this process; its peak RSS, time and tables."""
    import hotline_insight as hi

    sys.path.insert(0, str(HERE))
    from report_memory import Sampler

    warnings.simplefilter("ignore")
    sampler = Sampler()
    sampler.start()
    start_rss = sampler.rss()
    start = time.perf_counter()
    report = hi.QuarterlyReport.from_store(store, rows=rows, catalog=hi.Catalog.from_yaml(CATALOG))
    with tempfile.TemporaryDirectory() as folder:
        report.write(Path(folder) / "report.html")
    seconds = time.perf_counter() - start
    time.sleep(0.1)
    report.write_tables(tables)
    return {
        "rows": rows,
        "quarter": report.quarter,
        "s": seconds,
        "start_rss": start_rss,
        "peak": max(sampler.peaks.values()),
    }


def same_tables(a: Path, b: Path) -> bool:
    """Whether two folders of report tables hold byte-identical files."""
    import filecmp

    names = sorted(p.name for p in a.glob("*.parquet"))
    return names == sorted(p.name for p in b.glob("*.parquet")) and all(
        filecmp.cmp(a / n, b / n, shallow=False) for n in names
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[3, 9], help="history lengths (default 3 9)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    import pyarrow.parquet as pq

    results = []
    for copies in args.copies:
        store = build_store(copies)
        size = {
            t: pq.ParquetDataset(store / t).read(columns=["created_at"]).num_rows
            for t in ("interactions", "grievances")
        }
        row: dict[str, Any] = {"copies": copies, **size}
        with tempfile.TemporaryDirectory() as folder:
            for rows in ("all", "window"):
                done = subprocess.run(
                    [sys.executable, __file__, "--child", str(store), rows, f"{folder}/{rows}"],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                row[rows] = json.loads(done.stdout.strip().splitlines()[-1])
            row["same"] = same_tables(Path(folder) / "all", Path(folder) / "window")
        results.append(row)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    mb = 2**20
    print(
        "\n| copies | interactions | grievances | quarter | every row: peak MB, s | window + sums: peak MB, s | ratio | same tables |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        whole, window = r["all"], r["window"]
        print(
            f"| {r['copies']} | {r['interactions']:,} | {r['grievances']:,} | {window['quarter']} "
            f"| {whole['peak'] // mb:,}, {whole['s']:.0f} | {window['peak'] // mb:,}, {window['s']:.0f} "
            f"| {window['peak'] / whole['peak']:.2f}x | {'yes' if r['same'] else 'NO'} |"
        )
    print(
        "\nPeak RSS of the whole process while it builds the report (from its start: the interpreter and "
        "the library's imports included). Baseline: rows='all', every row up to the quarter's end, "
        "measured in the same run in a process of its own."
    )


if __name__ == "__main__":
    main()

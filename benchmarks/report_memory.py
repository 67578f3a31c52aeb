"""Report stage memory: ``QuarterlyReport.from_store`` step by step, on a large store.

Issue 7 wants the whole of ``analyze`` under 4 GB at 1M interactions; the
report stage is the part that grows most with the store (it reads the
report's columns of two quarters' rows, or of every row up to the report
quarter's end when those are all the store holds or with ``--rows all``;
``benchmarks/report_history.py`` compares the two as the history grows). This script
shows where that memory goes: each step of the report (the store read, the
preparation, each table) with its time, the resident memory (RSS) before
and after it, and the highest RSS seen while it ran (sampled every 20 ms).

The store is built once and cached in ``benchmarks/_data/report_store/``:
the 100k generated interactions of ``benchmarks/scale.py`` streamed into a
store (topics with TF-IDF), then written ``--copies`` times into a second
store with distinct interaction ids, customer ids, customer keys, meta ids
and texts (``--copies 10``: 1M interactions, about 2.3M grievances), so
customers and texts are as many as a real store of that size would hold.
``--store PATH`` measures an existing store instead.

Baseline, measured by the same run in a fresh process of its own (memory
freed by one step is not always given back to the system, so the two
can't share a process): reading the same columns of the same tables with
``pandas.read_parquet`` (all rows, every list as a new array per row). The
report's peak is printed as a multiple of that read's peak, since absolute
figures move with the allocator and the machine.

Usage::

    python benchmarks/report_memory.py               # 1M interactions (builds the store: ~10 min once)
    python benchmarks/report_memory.py --copies 1    # 100k
    python benchmarks/report_memory.py --store out/sample/store
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "_data" / "report_store"
CATALOG = ROOT / "sample_data" / "catalog.yaml"

STEPS = {
    "hotline_insight.report.quarterly": [
        "_read_until",
        "prepare",
        "compute_tables",
        "_add_change_candidates",
        "_Layout",
    ],
    "hotline_insight.report._quarter_store": ["make_series", "count_history", "read_window"],
    "hotline_insight.analytics.prepare": ["prepare_analysis"],
    "hotline_insight.report._quarter_tables": [
        "_rep",
        "headline",
        "ranked",
        "topics",
        "product_theme",
        "emerging",
        "early_warnings",
        "changes",
        "value_groups",
        "repeat_drivers",
        "recommendations",
        "data_quality",
        "coverage",
        "by_channel",
    ],
}


def build_store(copies: int) -> Path:
    """The cached store of ``copies`` x 100k generated interactions (built when missing)."""
    import pandas as pd

    import hotline_insight as hi

    sys.path.insert(0, str(HERE))
    from scale import generate  # the generator of benchmarks/scale.py

    base = DATA / "100000"
    if not (base / "_store.json").exists():
        files = sorted(generate(100_000).glob("*.jsonl"))
        hi.write_store(files, base, hi.Catalog.from_yaml(CATALOG), n_process=2, progress=False)
        hi.assign_store_topics(base, embedding="tfidf", progress=False)
    if copies == 1:
        return base
    target = DATA / f"100000x{copies}"
    if (target / "_store.json").exists():
        return target
    source = hi.Store(base)
    interactions = source.read("interactions")
    grievances = source.read("grievances")

    def suffixed(values: pd.Series, i: int) -> pd.Series:
        return values.where(values.isna(), values + f"-{i}")

    def suffixed_lists(values: pd.Series, i: int) -> pd.Series:
        return pd.Series([[f"{x}-{i}" for x in v] for v in values], index=values.index, dtype=object)

    with hi.Store(target).writer(mode="replace") as writer:
        for i in range(copies):
            a = interactions.copy()
            a["id"] = a["id"] + f"-{i}"
            a["customer_id"] = suffixed(a["customer_id"], i)
            a["customer_keys"] = suffixed_lists(a["customer_keys"], i)
            a["meta_ids"] = suffixed_lists(a["meta_ids"], i)
            b = grievances.copy()
            b["interaction_id"] = b["interaction_id"] + f"-{i}"
            b["customer_id"] = suffixed(b["customer_id"], i)
            b["text"] = b["text"] + f" ({i})"
            writer.append("interactions", a)
            writer.append("grievances", b)
    topics = base / "_models"
    if topics.is_dir():
        import shutil

        shutil.copytree(topics, target / "_models", dirs_exist_ok=True)
    return target


class Sampler(threading.Thread):
    """The highest RSS per step, sampled every 20 ms (the innermost step running owns the sample)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process()
        self.stack = ["setup"]
        self.peaks: dict[str, int] = {}

    def rss(self) -> int:
        return int(self.proc.memory_info().rss)

    def run(self) -> None:
        while True:
            value = self.rss()
            step = self.stack[-1]
            if value > self.peaks.get(step, 0):
                self.peaks[step] = value
            time.sleep(0.02)


def baseline(store: str) -> dict[str, Any]:
    """Peak RSS and time of reading the report's columns of the store with pandas, in this process."""
    import pandas as pd

    import hotline_insight.report.quarterly as quarterly

    sampler = Sampler()
    sampler.start()
    start = time.perf_counter()
    frames = [
        pd.read_parquet(Path(store) / "interactions", columns=list(quarterly._STORE_INTERACTION_COLUMNS)),
        pd.read_parquet(Path(store) / "grievances", columns=list(quarterly._STORE_GRIEVANCE_COLUMNS)),
    ]
    seconds = time.perf_counter() - start
    time.sleep(0.1)
    return {
        "n_interactions": len(frames[0]),
        "n_grievances": len(frames[1]),
        "baseline_s": seconds,
        "baseline_peak": sampler.peaks.get("setup", 0),
    }


def child(store: str, read: str = "auto") -> dict[str, Any]:
    import importlib

    import hotline_insight as hi

    warnings.simplefilter("ignore")
    sampler = Sampler()
    sampler.start()
    rows: list[dict[str, Any]] = []
    for module_name, names in STEPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            original = getattr(module, name)

            def step(*args: Any, _f: Any = original, _name: str = name, **kwargs: Any) -> Any:
                before, start = sampler.rss(), time.perf_counter()
                sampler.stack.append(_name)
                try:
                    return _f(*args, **kwargs)
                finally:
                    sampler.stack.pop()
                    rows.append(
                        {
                            "step": _name,
                            "depth": len(sampler.stack),
                            "s": time.perf_counter() - start,
                            "rss_before": before,
                            "rss_after": sampler.rss(),
                            "peak": sampler.peaks.pop(_name, 0),
                        }
                    )

            setattr(module, name, step)
    report_start = sampler.rss()
    start = time.perf_counter()
    report = hi.QuarterlyReport.from_store(store, rows=read, catalog=hi.Catalog.from_yaml(CATALOG))
    with tempfile.TemporaryDirectory() as folder:
        report.write(Path(folder) / "report.html")
    total_s = time.perf_counter() - start
    time.sleep(0.1)
    outer = max([sampler.peaks.get("setup", 0), *(r["peak"] for r in rows)])
    return {
        "store": store,
        "quarter": report.quarter,
        "report_start": report_start,
        "report_s": total_s,
        "report_peak": outer,
        "steps": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of the 100k store (default 10: 1M)")
    parser.add_argument("--store", help="measure this store instead")
    parser.add_argument(
        "--rows", default="auto", choices=["auto", "window", "all"], help="from_store's rows= (default auto)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-baseline", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if args.child or args.child_baseline:
        print(json.dumps(child(args.child, args.rows) if args.child else baseline(args.child_baseline)))
        return
    store = args.store or str(build_store(args.copies))
    result: dict[str, Any] = {}
    for flag in ("--child-baseline", "--child"):
        done = subprocess.run(
            [sys.executable, __file__, flag, store, "--rows", args.rows],
            capture_output=True,
            text=True,
            check=True,
        )
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    mb = 2**20
    print(
        f"\n{result['n_interactions']:,} interactions, {result['n_grievances']:,} grievances; "
        f"report of {result['quarter']}\n"
    )
    print("| step | s | RSS before (MB) | RSS after (MB) | peak while the innermost step (MB) |")
    print("|---|---|---|---|---|")
    for row in result["steps"]:
        name = ("&nbsp;&nbsp;" * (row["depth"] - 1)) + row["step"]
        print(
            f"| {name} | {row['s']:.1f} | {row['rss_before'] // mb:,} | {row['rss_after'] // mb:,} "
            f"| {row['peak'] // mb:,} |"
        )
    ratio = result["report_peak"] / result["baseline_peak"] if result["baseline_peak"] else float("nan")
    print(
        f"\nReport stage: {result['report_s']:.0f} s, peak RSS {result['report_peak'] // mb:,} MB "
        f"(target for the whole job: 4,096 MB).\n"
        f"Baseline (same run, a fresh process): pandas.read_parquet of the same columns, {result['baseline_s']:.0f} s, "
        f"peak RSS {result['baseline_peak'] // mb:,} MB; the report's peak is {ratio:.2f}x that."
    )


if __name__ == "__main__":
    main()

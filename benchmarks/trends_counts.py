"""Counts behind trends, emerging, early warnings and before/after: int codes against pandas frames.

Every one of those tables starts from the same matrices: per value (or pair
of values) and period, the contacts, grievances and identified customers
naming it (``trends._Series``). They are counted from the int codes the
context caches (:func:`~hotline_insight.analytics._frames.dim_values`). The
baseline, run in the same process on the same prepared data, counts them the
plain pandas way: the dimensions' long frames merged on the grievance, then
``drop_duplicates`` over the value names and ``MultiIndex`` lookups (how
they were counted before). Both must give the same keys and matrices (the
script checks it); the table shows time and the peak of traced Python
memory (tracemalloc, in a second pass) of each, and their ratios.

The data is the synthetic contact centre of ``benchmarks/analytics_scale.py``
(deterministic): at ``--scale 1``, 1,000,000 grievances on 400,000
interactions over five quarters.

Usage::

    python benchmarks/trends_counts.py               # 1,000,000 grievances
    python benchmarks/trends_counts.py --scale 0.1   # 100,000
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DIMS: list[tuple[str, ...]] = [("theme",), ("product",), ("policy",), ("topic",), ("product", "theme")]


def pandas_counts(ctx: Any, dims: tuple[str, ...], freq: str) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """The baseline: keys and (contacts, grievances, customers) matrices from merged object frames."""
    from hotline_insight.analytics._frames import grievance_values, period_ordinals

    period = period_ordinals(ctx.contacts["created_at"], freq)
    first = int(period[period >= 0].min())
    n_periods = int(period.max()) - first + 1
    frames = [grievance_values(ctx, d).drop(columns="code").rename(columns={"value": d}) for d in dims]
    values = frames[0]
    for extra in frames[1:]:
        values = values.merge(extra.drop(columns="row"), on="g", how="inner")
    values = values[period[values["row"].to_numpy()] >= 0]
    values = values.assign(period=period[values["row"].to_numpy()] - first)
    contact_level = values.drop_duplicates(["row", *dims])
    keys = contact_level[list(dims)].drop_duplicates().sort_values(list(dims), ignore_index=True).astype(str)
    index = pd.MultiIndex.from_frame(keys)

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        out = np.zeros((len(keys), n_periods))
        code = index.get_indexer(pd.MultiIndex.from_frame(frame[list(dims)].astype(str)))
        np.add.at(out, (code, frame["period"].to_numpy()), 1)
        return out

    customer = ctx.contacts["customer"].astype("object").to_numpy()[contact_level["row"].to_numpy()]
    known = contact_level.assign(_c=customer).dropna(subset=["_c"]).drop_duplicates([*dims, "period", "_c"])
    return keys, [matrix(contact_level), matrix(values.drop_duplicates(["g", *dims])), matrix(known)]


def code_counts(ctx: Any, dims: tuple[str, ...], freq: str) -> tuple[pd.DataFrame, list[np.ndarray]]:
    from hotline_insight.analytics.trends import _Series

    series = _Series(ctx, dims, freq, "contacts", "UTC")
    return series.keys, [series.counts, series.grievances, series.customers]


def measure(call: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result, seconds (untraced run) and traced peak in MB (a second, traced run)."""
    gc.collect()
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    del result
    gc.collect()
    tracemalloc.start()
    result = call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 grievances")
    parser.add_argument("--freq", default="month", choices=["week", "month", "quarter"])
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from analytics_scale import make_data

    import hotline_insight as hi
    from hotline_insight.analytics._frames import dim_values

    warnings.simplefilter("ignore", hi.HotlineWarning)
    contacts, grievances, table = make_data(args.scale)
    data = hi.prepare_analysis(contacts, grievances, table)
    del contacts, grievances, table
    ctx = data._context
    for dim in {d for dims in DIMS for d in dims}:
        dim_values(ctx, dim)  # the cached codes both ways start from
    print(f"{len(ctx.grievances):,} grievances, {len(ctx.contacts):,} contacts; per {args.freq}\n")
    print(
        "| values | keys | pandas s | codes s | time ratio | pandas peak MB | codes peak MB | memory ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    same = True
    for dims in DIMS:
        (keys_b, base), t_b, m_b = measure(lambda dims=dims: pandas_counts(ctx, dims, args.freq))
        (keys_c, codes), t_c, m_c = measure(lambda dims=dims: code_counts(ctx, dims, args.freq))
        same &= keys_b.equals(keys_c) and all(np.array_equal(a, b) for a, b in zip(base, codes, strict=True))
        print(
            f"| {' x '.join(dims)} | {len(keys_c):,} | {t_b:.2f} | {t_c:.2f} | {t_c / t_b:.2f} "
            f"| {m_b:,.0f} | {m_c:,.0f} | {m_c / m_b:.2f} |"
        )
    print(f"\nsame keys and counts both ways: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

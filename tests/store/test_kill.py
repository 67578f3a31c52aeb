"""Kill a run writing the store at every stage of its commit; the store must read cleanly and a re-run be exact.

Each child process runs :func:`store_helpers.write_second` on its own copy of
a store, stops at a named stage (``HOTLINE_STORE_PAUSE_AT``) and is killed
with SIGKILL there. The children run side by side to keep the test short.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.store import StoreLockedError, StoreWarning

from .store_helpers import assert_same_store, snapshot, write_first, write_second

HERE = Path(__file__).resolve().parent

# stage -> whether the run had passed its commit point when killed
STAGES = {
    "writing": False,
    "staged": False,
    "committed": True,
    "swapping": True,
    "swapped": True,
    "manifest": True,
    "half-swapped": True,  # only reached without RENAME_EXCHANGE: old folder moved away, new not yet in
}

CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from store_helpers import write_second
from hotline_insight.store import dataset
if sys.argv[3] == "no-exchange":
    dataset._USE_EXCHANGE = False
write_second(__import__("pathlib").Path(sys.argv[2]))
"""


def _quarter(frame: pd.DataFrame, quarter: str) -> pd.DataFrame:
    return frame[frame["quarter"] == quarter].reset_index(drop=True)


def test_killed_runs_leave_a_readable_store_and_rerun_exactly(tmp_path: Path) -> None:
    base = tmp_path / "base"
    write_first(base)
    before = snapshot(base)
    uninterrupted = tmp_path / "uninterrupted"
    shutil.copytree(base, uninterrupted)
    write_second(uninterrupted)
    after = snapshot(uninterrupted)
    assert len(after["interactions"]) == len(before["interactions"]) + 3

    children: dict[str, tuple[subprocess.Popen[bytes], Path, Path]] = {}
    for stage in STAGES:
        root = tmp_path / stage
        shutil.copytree(base, root)
        flag = tmp_path / f"{stage}.paused"
        env = {**os.environ, "HOTLINE_STORE_PAUSE_AT": stage, "HOTLINE_STORE_PAUSE_FILE": str(flag)}
        mode = "no-exchange" if stage == "half-swapped" else "exchange"
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(HERE), str(root), mode],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        children[stage] = (proc, root, flag)
    try:
        deadline = time.monotonic() + 120
        for stage, (proc, root, flag) in children.items():
            while not flag.exists():
                assert proc.poll() is None, (
                    f"{stage}: the child ended early: {proc.stderr.read().decode()[-2000:]}"
                )  # type: ignore[union-attr]
                assert time.monotonic() < deadline, f"{stage}: the child never reached the stage"
                time.sleep(0.05)
            if stage == "staged":
                # a second run on the same store while the first holds it fails at once, naming it
                with pytest.raises(StoreLockedError, match=r"^\[E1106\]") as info:
                    hi.Store(root).writer()
                assert info.value.pid == proc.pid
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
    finally:
        for proc, _, _ in children.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    for stage, committed in STAGES.items():
        _, root, _ = children[stage]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            state = snapshot(root)  # reads cleanly, whatever the stage
        pending = [w for w in caught if issubclass(w.category, StoreWarning) and "[W502]" in str(w.message)]
        assert bool(pending) == committed, stage  # a committed, unfinished run is announced
        for table, frame in state.items():
            if not committed:
                assert_same_store({table: before[table]}, {table: frame})
                continue
            # each partition is wholly old or wholly new, never a mix of the two
            for quarter in sorted(set(before[table]["quarter"]) | set(after[table]["quarter"])):
                got = _quarter(frame, quarter)
                olds, news = _quarter(before[table], quarter), _quarter(after[table], quarter)
                whole = got.equals(olds) or got.equals(news)
                if stage == "half-swapped" and got.empty:
                    # without RENAME_EXCHANGE the quarter is missing between its two renames (documented):
                    # missing until the next run completes the commit, but never half written
                    whole = True
                assert whole, f"{stage}: {table}/quarter={quarter} is half written"
        if stage == "swapped":
            assert len(hi.Store(root).recover()) == 1  # completed without writing anything new
            assert_same_store(after, snapshot(root))
        # the next run completes (or redoes) the interrupted one: the result is the uninterrupted one's
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            write_second(root)
        assert_same_store(after, snapshot(root))
        store = hi.Store(root)
        assert store.verify().empty, stage
        assert sorted(store.inputs()["sha256"].unique()) == ["sha-A", "sha-B"], stage
        assert (
            store.inputs()
            .drop(columns=["run_id", "written_at"])
            .equals(hi.Store(uninterrupted).inputs().drop(columns=["run_id", "written_at"]))
        ), stage
        assert not list((root / "_staging").iterdir()), stage

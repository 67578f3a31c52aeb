"""Stages of analyze in processes of their own: results, warnings and errors come back; kills are seen."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

from hotline_insight._stage import can_isolate, run_stage
from hotline_insight.errors import ConfigError, Errors, HotlineError, HotlineWarning

pytestmark = pytest.mark.skipif(not can_isolate(), reason="no Python interpreter to start")


def _warn_and_return(value: int) -> int:
    warnings.warn("[W999] a test warning", HotlineWarning, stacklevel=1)
    return value * 2


def _raise_config() -> None:
    raise ConfigError(Errors.E1113.format(name="x", func="f", expected="y", value="z"))


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _unpicklable() -> object:
    return lambda: None


@pytest.mark.parametrize("isolate", [True, False])
def test_result_and_process(isolate: bool) -> None:
    assert run_stage("t", sum, [1, 2, 3], isolate=isolate) == 6
    assert (run_stage("t", os.getpid, isolate=isolate) == os.getpid()) is not isolate


def test_warnings_come_back_with_their_category() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert run_stage("t", _warn_and_return, 4) == 8
    assert [(w.category, str(w.message)) for w in caught] == [(HotlineWarning, "[W999] a test warning")]


def test_errors_come_back_with_their_type_and_the_childs_traceback() -> None:
    with pytest.raises(ConfigError, match="E1113") as info:
        run_stage("topics", _raise_config)
    assert any(
        "In the topics stage's process" in note and "_raise_config" in note for note in info.value.__notes__
    )


def _main_only() -> None:  # pragma: no cover - never runs: the child can't import it
    pass


_main_only.__module__ = "__main__"


@pytest.mark.parametrize(
    "func,code,text",
    [
        (_kill_self, "E1119", "killed by signal 9"),
        (_unpicklable, "E1120", "The result of the store stage"),
        (_main_only, "E1120", "The call of the store stage"),
        (lambda: None, "E1120", "The call of the store stage"),
    ],
)
def test_a_child_that_dies_or_cannot_answer(func: object, code: str, text: str) -> None:
    with pytest.raises(HotlineError, match=code) as info:
        run_stage("store", func)  # type: ignore[arg-type]
    assert text in str(info.value)


def test_the_child_dies_with_its_parent(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    (tmp_path / "slow_stage.py").write_text(
        textwrap.dedent(
            f"""
            import os, time

            def work():
                open({str(pid_file)!r}, "w").write(str(os.getpid()))
                time.sleep(60)
            """
        )
    )
    script = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import slow_stage; "
    script += "from hotline_insight._stage import run_stage; run_stage('store', slow_stage.work)"
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()):
            assert time.monotonic() < deadline, "the stage never started"
            time.sleep(0.05)
        child = int(pid_file.read_text())
        assert child != parent.pid
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while _alive(child):
            assert time.monotonic() < deadline, "the stage outlived its killed parent"
            time.sleep(0.05)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has died; only its exit status is left


def test_a_topic_run_travels_without_its_model(tmp_path: Path) -> None:
    from hotline_insight.analysis import TopicRun

    run = TopicRun(
        path=tmp_path / "missing",
        action="fitted",
        n_sample=1,
        new_topics=[],
        quarters=[],
        n_assigned=0,
        n_outliers=0,
        elapsed_s=0.0,
        _model=object(),  # type: ignore[arg-type]
    )
    copy = pickle.loads(pickle.dumps(run))
    assert copy == run and copy._model is None
    with pytest.raises(ConfigError, match="E526"):  # read from its path when asked for
        _ = copy.model

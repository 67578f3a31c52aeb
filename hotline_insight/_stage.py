"""Run a stage of ``analyze`` in a fresh Python process, so what it loads goes back to the system.

Streaming builds a spaCy pipeline and the topic stage imports a model stack;
in one process, about a gigabyte of both is still held when the report reads
the store (``benchmarks/scale.py`` measures it). :func:`run_stage` runs the
stage in a new interpreter (``python -m hotline_insight._stage``) and waits
for it. The call goes over the child's stdin and the answer comes back in a
file, both pickled: the result, or the exception with the child's traceback
as a note, and the warnings the stage raised, which are raised again here.

A fresh interpreter rather than a fork: a process that has already used
GNU OpenMP (torch, in a notebook) can't safely fork one that uses it again,
and nothing of the caller's state (threads, locks) leaks into the stage.
The stage's function and arguments must be picklable (module-level
functions, paths, frames, catalogs).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .errors import Errors, HotlineError

__all__ = ["can_isolate", "run_stage"]

T = TypeVar("T")


def can_isolate() -> bool:
    """Whether stages can run in a process of their own here (an interpreter to start)."""
    return bool(sys.executable) and Path(sys.executable).is_file()


def run_stage(stage: str, func: Callable[..., T], /, *args: Any, isolate: bool = True, **kwargs: Any) -> T:
    """``func(*args, **kwargs)``, in a process of its own when ``isolate`` (and possible).

    The child imports what this process can import (it gets ``sys.path``)
    and applies this process's warning filters; its warnings are raised
    again here, with their category, message and origin, and its exception
    is raised here, with the child's traceback as a note. On Linux the
    child is killed when this process dies.

    Raises:
        HotlineError: E1119 when the child ends without an answer (killed,
            out of memory); E1120 when the call or its answer can't be pickled.

    Examples:
        >>> run_stage("sum", sum, [1, 2, 3])
        6
    """
    if not isolate or not can_isolate():
        return func(*args, **kwargs)
    try:
        call = pickle.dumps(
            (stage, func, args, kwargs, warnings.filters, os.getpid()), protocol=pickle.HIGHEST_PROTOCOL
        )
    except Exception as exc:  # a lambda, an open file, ...
        raise HotlineError(Errors.E1120.format(stage=stage, what="call", reason=_reason(exc))) from None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    with tempfile.TemporaryDirectory(prefix="hotline-insight-stage-") as tmp:
        answer_path = Path(tmp) / "answer.pkl"
        child = subprocess.Popen(
            [sys.executable, "-m", "hotline_insight._stage", str(answer_path)], stdin=subprocess.PIPE, env=env
        )
        try:
            assert child.stdin is not None
            try:
                child.stdin.write(call)
                child.stdin.close()
            except BrokenPipeError:  # the child died before reading its call: its exit code says why
                pass
            del call
            code = child.wait()
        finally:
            if child.poll() is None:  # interrupted here (Ctrl-C): the stage goes too
                child.kill()
                child.wait()
        if not answer_path.exists():
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            raise HotlineError(Errors.E1119.format(stage=stage, how=how))
        try:
            status, payload, caught = pickle.loads(answer_path.read_bytes())
        except Exception as exc:  # an exception class that can't be rebuilt from its arguments, say
            raise HotlineError(Errors.E1120.format(stage=stage, what="answer", reason=_reason(exc))) from None
    for category, message, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno)
    if status == "error":
        raise payload
    result: T = payload
    return result


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies, so a killed run does not go on unseen."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the child outlives a killed parent
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _serve(answer_path: Path) -> None:
    """The child's side: read the call from stdin, run it, write the answer file (atomically)."""
    records: list[tuple[Any, str, str, int]] = []
    stage = "?"
    try:
        stage, func, args, kwargs, filters, parent = pickle.load(sys.stdin.buffer)
    except Exception as exc:  # a function this interpreter can't import, say
        answer: tuple[str, Any] = (
            "error",
            HotlineError(Errors.E1120.format(stage=stage, what="call", reason=_reason(exc))),
        )
    else:
        _die_with_parent(parent)
        with warnings.catch_warnings(record=True) as caught:
            warnings.filters[:] = filters  # type: ignore[index]
            try:
                answer = ("ok", func(*args, **kwargs))
            except BaseException as exc:  # every exception goes back to the caller
                exc.add_note(
                    f"In the {stage} stage's process:\n{''.join(traceback.format_tb(exc.__traceback__))}"
                )
                answer = ("error", exc)
        records = [(w.category, str(w.message), w.filename, w.lineno or 0) for w in caught]
    try:
        data = pickle.dumps((*answer, records), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an answer pickle refuses
        what = "result" if answer[0] == "ok" else f"error ({type(answer[1]).__name__})"
        failure = HotlineError(Errors.E1120.format(stage=stage, what=what, reason=_reason(exc)))
        data = pickle.dumps(("error", failure, records), protocol=pickle.HIGHEST_PROTOCOL)
    partial = answer_path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, answer_path)


if __name__ == "__main__":
    _serve(Path(sys.argv[1]))

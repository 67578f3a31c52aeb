"""Every notebook in notebooks/ runs top to bottom and is stored without outputs.

The code cells are executed in order in one namespace per notebook (no
Jupyter kernel is needed), from a temporary copy of the project root so
nothing is written into the repository. The notebooks run one after the
other in the same folder, as a reader would run them: the second reuses what
the first saved in ``out/notebook/`` (each also runs alone).
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def _run(path: Path) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    nb = json.loads(path.read_text())
    for number, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        exec(compile(source, f"{path.name}[cell {number}]", "exec"), namespace)
    return namespace


def test_notebooks_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_"]
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    (tmp_path / "notebooks").mkdir()
    for path in NOTEBOOKS:
        monkeypatch.chdir(tmp_path / "notebooks")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            namespace = _run(path)
        assert os.getcwd() == str(tmp_path)
        if path.name.startswith("01_"):
            assert (tmp_path / "out" / "notebook" / "report.html").is_file()
            assert namespace["qr"].quarter == "2026Q3"  # type: ignore[attr-defined]
        if path.name.startswith("02_"):
            assert "topics" in namespace["qr"].tables  # type: ignore[attr-defined]
        if path.name.startswith("04_"):
            first, again = namespace["first"], namespace["again"]
            assert again.run.n_skipped == first.run.n_inputs > 0  # type: ignore[attr-defined]
            assert again.run.n_interactions == 0 and again.topics.action == "kept"  # type: ignore[attr-defined]
            assert len(namespace["policy_trend"]) > 0  # type: ignore[arg-type]
            assert namespace["q2"].quarter == "2026Q2"  # type: ignore[attr-defined]

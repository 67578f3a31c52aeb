"""Golden files: the example report, written as HTML, Markdown (with its SVG charts) and JSON.

Any change to the writers shows up here as a diff. After an intended change, regenerate with

    HOTLINE_UPDATE_GOLDEN=1 pytest tests/report/test_golden.py

and review the diff of tests/report/golden/ (open golden/example.html in a browser).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hotline_insight.report import Report

from .conftest import GOLDEN

UPDATE = os.environ.get("HOTLINE_UPDATE_GOLDEN") == "1"
FILES = ["example.html", "example.md", "example.json"]


@pytest.fixture(scope="module")
def written(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    for name in FILES:
        report.write(out / name)
    if UPDATE:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    return out


def _all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_the_golden_set_is_complete(written: Path) -> None:
    assert _all_files(written) == _all_files(GOLDEN)


@pytest.mark.parametrize(
    "name",
    [
        *FILES,
        *(
            f"example_files/{n}"
            for n in (
                "recurring-1.svg",
                "recurring-2.svg",
                "products-1.svg",
                "products-2.svg",
                "products-3.svg",
            )
        ),
    ],
)
def test_output_matches_its_golden_file(written: Path, name: str) -> None:
    expected = (GOLDEN / name).read_bytes()
    got = (written / name).read_bytes()
    assert got == expected, (
        f"{name} differs from its golden file; if intended, run HOTLINE_UPDATE_GOLDEN=1 pytest {__file__}"
    )


def test_golden_json_reads_back_to_the_same_report(report: Report) -> None:
    assert Report.from_json(GOLDEN / "example.json") == report

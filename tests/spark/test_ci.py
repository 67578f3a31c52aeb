from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ci_installs_java_and_requires_spark() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    check = next(i for i, line in enumerate(lines) if "command -v java" in line)
    install = next(
        i for i, line in enumerate(lines) if "apt-get install" in line and "default-jre-headless" in line
    )
    require = lines.index("export HOTLINE_REQUIRE_SPARK=1")
    run = next(i for i, line in enumerate(lines) if "pytest" in line and not line.startswith("#"))
    assert check < install < require < run


def test_the_test_extra_installs_spark_and_duckdb() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert any(dep.startswith("pyspark") for dep in extras["spark"])
    assert "hotline_insight[spark]" in extras["test"]
    assert any(dep.startswith("duckdb") for dep in extras["test"])

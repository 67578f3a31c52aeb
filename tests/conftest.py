"""Shared fixtures and hypothesis profiles for the test suite.

Select a hypothesis profile with ``HYPOTHESIS_PROFILE=ci`` (default) or ``dev``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATASETS = ROOT.parent / "shared" / "datasets"

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def blank_nlp():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("en")


@pytest.fixture(scope="session")
def tiny_corpus():  # type: ignore[no-untyped-def]
    import hotline_insight as hi

    return hi.read(SAMPLE_DATA / "tickets", on_error="collect")


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def datasets_dir() -> Path:
    if not DATASETS.exists():
        pytest.skip("shared datasets not present")
    return DATASETS

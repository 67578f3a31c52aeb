"""Shared fixtures for the analytics tests: the sample data, read and extracted once per session."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
TZ = "America/Chicago"


@dataclass
class Sample:
    corpus: Any
    catalog: Any
    table: pd.DataFrame
    grievances: Any
    identities: Any
    data: Any
    plain: Any
    planted: dict[str, Any]

    def pattern(self, prefix: str) -> dict[str, Any]:
        return next(p for p in self.planted["patterns"] if p["id"].startswith(prefix))


@pytest.fixture(scope="session")
def sample() -> Sample:
    import hotline_insight as hi

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hi.HotlineWarning)
        corpus = hi.read(
            [SAMPLE / "calls", SAMPLE / "chats", SAMPLE / "tickets"],
            ctr=SAMPLE / "ctr" / "contact_records.jsonl",
            on_error="collect",
        )
        catalog = hi.Catalog.from_yaml(SAMPLE / "catalog.yaml")
        table = hi.read_customers(SAMPLE / "customers.csv", email_column="email", phone_column="phone")
        grievances = hi.extract_grievances(corpus, catalog)
        identities = hi.resolve_customers(corpus, table)
        data = hi.prepare_analysis(corpus, grievances, table, identities=identities, catalog=catalog)
        plain = hi.prepare_analysis(corpus, grievances, table, identities=identities)  # no holding links
    planted = json.loads((SAMPLE / "planted.json").read_text())
    return Sample(corpus, catalog, table, grievances, identities, data, plain, planted)


def check_schema(frame: pd.DataFrame, schema: dict[str, str], leading: dict[str, str] | None = None) -> None:
    """The frame has exactly these columns, in this order, with these dtypes."""
    expected = {**(leading or {}), **schema}
    assert list(frame.columns) == list(expected), list(frame.columns)
    got = {c: str(frame[c].dtype) for c in frame.columns}
    for column, dtype in expected.items():
        if dtype == "string":
            assert got[column].startswith(("string", "str")), (column, got[column])
        else:
            assert got[column] == dtype, (column, got[column], dtype)


def contacts_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A small contacts frame (like Corpus.to_frame()) from dicts; times are parsed as UTC."""
    frame = pd.DataFrame(rows)
    if "created_at" in frame.columns:
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    return frame


def grievance_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "created_at" in frame.columns:
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    return frame

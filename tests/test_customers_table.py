from __future__ import annotations

import gzip
import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from hotline_insight.customers_table import CUSTOMERS_COLUMNS, iter_customers, read_customers
from hotline_insight.errors import ConfigError, ParseError, ParseWarning, RecordValidationError
from hotline_insight.records import Customer, hash_identifier

ROWS: list[dict[str, Any]] = [
    {
        "customer_id": "C-001",
        "segment": "gold",
        "value": 1200.5,
        "email": "Jane@Example.com",
        "phone": "+1 (555) 010-2000",
    },
    {"customer_id": "C-002", "segment": "basic", "value": 80.0, "email": "bob@example.com", "phone": None},
    {"customer_id": "C-003", "segment": None, "value": None, "email": None, "phone": "555 010 3000"},
]


def _write(tmp_path: Path, fmt: str, rows: list[dict[str, Any]]) -> Path:
    frame = pd.DataFrame(rows)
    if fmt == "csv":
        path = tmp_path / "customers.csv"
        frame.to_csv(path, index=False)
    elif fmt == "tsv":
        path = tmp_path / "customers.tsv"
        frame.to_csv(path, index=False, sep="\t")
    elif fmt == "csv.gz":
        path = tmp_path / "customers.csv.gz"
        frame.to_csv(path, index=False, compression="gzip")
    elif fmt == "parquet":
        path = tmp_path / "customers.parquet"
        frame.to_parquet(path)
    elif fmt == "jsonl":
        path = tmp_path / "customers.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "jsonl.gz":
        path = tmp_path / "customers.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r) + "\n" for r in rows))
    elif fmt == "json":
        path = tmp_path / "customers.json"
        path.write_text(json.dumps(rows), encoding="utf-8")
    else:  # pragma: no cover
        raise AssertionError(fmt)
    return path


@pytest.fixture(params=["frame", "csv", "tsv", "csv.gz", "parquet", "jsonl", "jsonl.gz", "json"])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "frame":
        return pd.DataFrame(ROWS)
    return _write(tmp_path, request.param, ROWS)


# -- every source gives the same frame ---------------------------------------------------


def test_schema_and_values(source: Any) -> None:
    frame = read_customers(source, email_column="email", phone_column="phone")
    assert tuple(frame.columns) == CUSTOMERS_COLUMNS
    assert frame.dtypes.astype(str).to_dict() == {
        "customer_id": "string",
        "segment": "string",
        "value": "float64",
        "keys": "object",
        "products": "object",
    }
    assert frame["customer_id"].tolist() == ["C-001", "C-002", "C-003"]
    assert frame["segment"].tolist()[:2] == ["gold", "basic"]
    assert pd.isna(frame.loc[2, "segment"])
    assert frame["value"].tolist()[:2] == [1200.5, 80.0]
    assert math.isnan(frame.loc[2, "value"])
    assert frame.loc[0, "keys"] == [
        hash_identifier("email", "jane@example.com"),
        hash_identifier("phone", "5550102000"),
    ]
    assert frame.loc[1, "keys"] == [hash_identifier("email", "bob@example.com")]
    assert frame.loc[2, "keys"] == [hash_identifier("phone", "555 010 3000")]


def test_no_clear_identifiers_are_kept(source: Any) -> None:
    frame = read_customers(source, email_column="email", phone_column="phone")
    text = frame.to_json()
    assert "example.com" not in text.lower()
    assert "010-2000" not in text and "5550102000" not in text
    assert set(frame.columns) == set(CUSTOMERS_COLUMNS)


def test_iter_customers(source: Any) -> None:
    customers = list(iter_customers(source, email_column="email", phone_column="phone"))
    assert all(isinstance(c, Customer) for c in customers)
    assert [c.id for c in customers] == ["C-001", "C-002", "C-003"]
    assert customers[0].segment == "gold" and customers[0].value == 1200.5
    assert customers[2].segment is None and customers[2].value is None
    assert customers[0].keys[0].startswith("email:")


# -- column detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "columns,expected",
    [
        (["customer_id", "segment", "value"], ("customer_id", "segment", "value")),
        (["id", "tier", "ltv"], ("id", "tier", "ltv")),
        (["Customer ID", "Tier", "LTV"], ("Customer ID", "Tier", "LTV")),
        (["account_id", "lifetime_value"], ("account_id", None, "lifetime_value")),
        (["ACCOUNT-ID", "Revenue", "name"], ("ACCOUNT-ID", None, "Revenue")),
        # customer_id is preferred over id whatever the column order
        (["id", "customer_id"], ("customer_id", None, None)),
    ],
)
def test_columns_are_detected(columns: list[str], expected: tuple[str | None, ...]) -> None:
    id_col, segment_col, value_col = expected
    row = {c: f"x-{c}" for c in columns}
    if value_col is not None:
        row[value_col] = "5"
    frame = read_customers(pd.DataFrame([row]))
    assert frame.loc[0, "customer_id"] == row[id_col]
    assert (
        pd.isna(frame.loc[0, "segment"])
        if segment_col is None
        else frame.loc[0, "segment"] == row[segment_col]
    )
    assert math.isnan(frame.loc[0, "value"]) if value_col is None else frame.loc[0, "value"] == 5.0


def test_named_columns_win_over_detection() -> None:
    table = pd.DataFrame({"id": ["wrong"], "crm_key": ["right"], "value": [1], "spend": [9], "band": ["b"]})
    frame = read_customers(table, id_column="crm_key", value_column="spend", segment_column="band")
    assert frame.iloc[0].tolist()[:3] == ["right", "b", 9.0]


def test_several_email_and_phone_columns() -> None:
    table = pd.DataFrame(
        {
            "id": ["a"],
            "email": ["x@example.com"],
            "alt_email": ["X@Example.com "],
            "mobile": ["+44 20 7946 0018"],
        }
    )
    frame = read_customers(table, email_column=["email", "alt_email"], phone_column="mobile")
    assert frame.loc[0, "keys"] == [
        hash_identifier("email", "x@example.com"),
        hash_identifier("phone", "+44 20 7946 0018"),
    ]


def test_unusable_identifiers_are_left_out_with_a_warning() -> None:
    table = pd.DataFrame(
        {"id": ["a", "b", "c"], "email": ["n/a", "unknown", "c@example.com"], "phone": ["0", "", "-"]}
    )
    with pytest.warns(ParseWarning, match=r"\[W105\].*1 email value.*rows 2") as record:
        frame = read_customers(table, email_column="email", phone_column="phone")
    assert frame["keys"].tolist() == [[], [], [hash_identifier("email", "c@example.com")]]
    assert any("phone" in str(w.message) and "rows 1, 3" in str(w.message) for w in record)


def test_text_files_keep_ids_as_text(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,value\n007,1\n1.50,2\n", encoding="utf-8")
    assert read_customers(path)["customer_id"].tolist() == ["007", "1.50"]


def test_whole_number_ids_from_typed_sources() -> None:
    table = pd.DataFrame({"id": [1, 2, None]}).iloc[:2]  # float64 because of the gap
    assert read_customers(table)["customer_id"].tolist() == ["1", "2"]


@pytest.mark.parametrize("missing", ["", "NA", "n/a", "null", "None", "nan"])
def test_missing_markers_in_text_files(tmp_path: Path, missing: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"id,segment,value\na,{missing},{missing}\n", encoding="utf-8")
    frame = read_customers(path)
    assert pd.isna(frame.loc[0, "segment"]) and math.isnan(frame.loc[0, "value"])


def test_empty_table_keeps_the_schema() -> None:
    frame = read_customers(pd.DataFrame({"customer_id": []}))
    assert len(frame) == 0 and tuple(frame.columns) == CUSTOMERS_COLUMNS
    assert frame["customer_id"].dtype == "string"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_format_option_overrides_suffix(tmp_path: Path, fmt: str) -> None:
    path = _write(tmp_path, fmt, ROWS)
    renamed = path.rename(tmp_path / "export.dat")
    assert read_customers(renamed, format=fmt)["customer_id"].tolist() == ["C-001", "C-002", "C-003"]  # type: ignore[arg-type]


# -- errors: code and row, not whole strings ---------------------------------------------------


@pytest.mark.parametrize(
    "rows,code,rows_named,detail",
    [
        pytest.param([{"id": "a"}, {"id": None}], "E314", [2], "missing customer id", id="missing-id"),
        pytest.param([{"id": "a"}, {"id": "  "}], "E314", [2], "missing customer id", id="blank-id"),
        pytest.param([{"id": "a", "value": -1}], "E314", [1], "negative", id="negative-value"),
        pytest.param([{"id": "a", "value": "12 EUR"}], "E314", [1], "non-negative number", id="text-value"),
        pytest.param([{"id": "a", "value": "1,200"}], "E314", [1], "'1,200'", id="thousands-separator"),
        pytest.param(
            [{"id": "a", "value": float("inf")}], "E314", [1], "non-negative number", id="infinite-value"
        ),
        pytest.param([{"id": "a", "value": True}], "E314", [1], "non-negative number", id="bool-value"),
        pytest.param([{"id": 1.5}], "E314", [1], "whole number", id="fractional-id"),
        pytest.param(
            [{"id": None, "value": 1}, {"id": "b", "value": "x"}, {"id": "c", "value": -2}],
            "E315",
            [1, 2, 3],
            "3 invalid rows",
            id="several-rows",
        ),
    ],
)
def test_invalid_rows(rows: list[dict[str, Any]], code: str, rows_named: list[int], detail: str) -> None:
    with pytest.raises(RecordValidationError) as info:
        read_customers(pd.DataFrame(rows))
    message = str(info.value)
    assert message.startswith(f"[{code}]")
    assert [int(n) for n in re.findall(r"row (\d+)", message)] == rows_named
    assert detail in message


def test_invalid_rows_are_listed_up_to_five(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,value\n" + "".join(f"c{i},-{i + 1}\n" for i in range(8)), encoding="utf-8")
    with pytest.raises(RecordValidationError, match=r"^\[E315\] .*8 invalid rows") as info:
        read_customers(path)
    assert "row 5:" in str(info.value) and "row 6:" not in str(info.value)
    assert "... and 3 more" in str(info.value)


def test_row_numbers_count_data_rows_in_files(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,value\na,1\nb,2\n,3\n", encoding="utf-8")
    with pytest.raises(RecordValidationError, match=r"^\[E314\] .*c\.csv, row 3: missing customer id"):
        read_customers(path)


def test_duplicate_ids_are_named() -> None:
    table = pd.DataFrame({"id": ["a", "b", "a", "c", "b", " a "]})
    with pytest.raises(RecordValidationError) as info:
        read_customers(table)
    message = str(info.value)
    assert message.startswith("[E316]")
    assert "'a' (rows 1, 3, 6)" in message and "'b' (rows 2, 5)" in message and "'c'" not in message


def test_messages_do_not_quote_emails() -> None:
    table = pd.DataFrame({"id": ["jane@example.com", "jane@example.com"]})
    with pytest.raises(RecordValidationError) as info:
        read_customers(table)
    assert "jane@example.com" not in str(info.value) and "[EMAIL]" in str(info.value)


@pytest.mark.parametrize(
    "kwargs,code,detail",
    [
        ({}, "E312", "no id column"),
        ({"id_column": "customer"}, "E313", "'id_column' column 'customer'"),
        ({"id_column": "name", "value_column": "ltv"}, "E313", "'value_column'"),
        ({"id_column": "name", "email_column": ["email", "mail"]}, "E313", "'email_column' column 'mail'"),
    ],
)
def test_column_errors(kwargs: dict[str, Any], code: str, detail: str) -> None:
    table = pd.DataFrame({"name": ["x"], "email": ["x@example.com"]})
    with pytest.raises(ConfigError) as info:
        read_customers(table, **kwargs)
    assert str(info.value).startswith(f"[{code}]")
    assert detail in str(info.value)
    assert "'name', 'email'" in str(info.value)  # lists the columns the table has


@pytest.mark.parametrize(
    "name,content,code,detail",
    [
        ("missing.csv", None, "E311", "does not exist"),
        ("empty.csv", "", "E311", "empty"),
        ("bad.jsonl", '{"id": "a"}\n{"id": \n', "E311", "line 2"),
        ("list.jsonl", '{"id": "a"}\n[1, 2]\n', "E311", "line 2 is a JSON list"),
        ("bad.json", '[{"id": "a"}, 3]', "E311", "element 1"),
        ("bad.parquet", "not parquet", "E311", "bad.parquet"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: str | None, code: str, detail: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ParseError) as info:
        read_customers(path)
    assert str(info.value).startswith(f"[{code}]")
    assert detail in str(info.value)


@pytest.mark.parametrize("kwargs", [{"format": "xlsx"}, {}])
def test_unknown_format(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    path = tmp_path / "customers.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ConfigError, match=r"^\[E317\] .*'xlsx'|^\[E317\] .*'\.xlsx'"):
        read_customers(path, **kwargs)


def test_iter_customers_checks_everything_first() -> None:
    table = pd.DataFrame({"id": ["a", "b", None]})
    customers = iter_customers(table)
    with pytest.raises(RecordValidationError):
        next(customers)


def test_no_warning_for_clean_tables(source: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_customers(source, email_column="email", phone_column="phone")

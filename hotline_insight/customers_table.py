"""Customers tables: who the customers are, which segment they belong to, what they are worth.

:func:`read_customers` reads a CRM export (CSV, TSV, Parquet, JSON lines, a
JSON array, or a pandas DataFrame already in memory) into a frame with a fixed
schema; :func:`iter_customers` yields the same rows as
:class:`~hotline_insight.records.Customer` records.

The schema of the frame, in this column order:

===============  ===========  ====================================================
column           dtype        meaning
===============  ===========  ====================================================
``customer_id``  ``string``   the id, stripped; unique; never missing
``segment``      ``string``   segment or tier, ``<NA>`` where the table has none
``value``        ``float64``  value (lifetime value, revenue), ``>= 0``; ``NaN``
                              where the table has none
``keys``         ``object``   list of hashed identifiers
                              (:func:`~hotline_insight.records.hash_identifier`):
                              e-mails first, then phones, without repeats
``products``     ``object``   list of the product ids the customer holds, in the
                              table's order, without repeats; empty where the
                              table has no holdings column or the cell is empty
===============  ===========  ====================================================

Holdings let the analytics attribute a grievance that names a policy but no
product to the products the customer holds (link method ``"holding"``, see
:func:`hotline_insight.link`).

No other column is kept: a CRM export carries names and addresses, and e-mail
addresses and phone numbers leave this module only as hashes.

Examples:
    >>> import pandas as pd
    >>> from hotline_insight.customers_table import read_customers
    >>> table = pd.DataFrame({
    ...     "Customer ID": ["C-1", "C-2"],
    ...     "Tier": ["gold", "basic"],
    ...     "LTV": [1200.0, 80.5],
    ...     "email": ["jane@example.com", None],
    ... })
    >>> customers = read_customers(table, email_column="email")
    >>> customers[["customer_id", "segment", "value"]]
      customer_id segment   value
    0         C-1    gold  1200.0
    1         C-2   basic    80.5
    >>> customers.loc[0, "keys"][0].startswith("email:"), customers.loc[1, "keys"]
    (True, [])
    >>> table["products"] = ["fibre-500; hub-5", ""]
    >>> read_customers(table)["products"].tolist()
    [['fibre-500', 'hub-5'], []]
"""

from __future__ import annotations

import gzip
import json
import math
import numbers
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from .errors import ConfigError, Errors, ParseError, RecordValidationError, Warnings, scrub, warn
from .records import Customer, hash_identifier

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CUSTOMERS_COLUMNS", "CustomersFormat", "iter_customers", "read_customers"]

CustomersFormat = Literal["csv", "tsv", "parquet", "jsonl", "json"]

#: The columns of :func:`read_customers`' frame, in order.
CUSTOMERS_COLUMNS: tuple[str, ...] = ("customer_id", "segment", "value", "keys", "products")

_FORMATS: tuple[str, ...] = ("csv", "tsv", "parquet", "jsonl", "json")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}

# Column names tried, in order, when a column is not named (compared after
# lower-casing and turning every run of other characters into "_").
_ID_NAMES = ("customer_id", "id", "account_id", "client_id", "cust_id", "customer_number", "account_number")
_SEGMENT_NAMES = ("segment", "tier", "customer_segment", "customer_tier", "segment_name")
_VALUE_NAMES = (
    "value",
    "ltv",
    "lifetime_value",
    "customer_lifetime_value",
    "clv",
    "customer_value",
    "revenue",
)
_PRODUCTS_NAMES = ("products", "holdings", "products_held", "product_holdings", "product_ids")
_PRODUCTS_SPLIT = re.compile(r"[;,|]")

# Cell values read as "no value" in text files (compared case-insensitively).
_MISSING = frozenset({"", "na", "n/a", "nan", "null", "none"})
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_MAX_LISTED = 5
_MIN_PHONE_DIGITS = 7


def read_customers(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    id_column: str | None = None,
    segment_column: str | None = None,
    value_column: str | None = None,
    email_column: str | Sequence[str] | None = None,
    phone_column: str | Sequence[str] | None = None,
    products_column: str | None = None,
    format: CustomersFormat | None = None,
) -> pd.DataFrame:
    """Read a customers table into a frame with the module's fixed schema.

    Columns not named are found by their usual names: the id in
    ``customer_id``, ``id``, ``account_id``, ``client_id``, ...; the segment
    in ``segment`` or ``tier``; the value in ``value``, ``ltv``,
    ``lifetime_value``, ``clv``, ``revenue``; the holdings in ``products``,
    ``holdings``, ``products_held``, ``product_holdings`` or ``product_ids``.
    Names are compared
    case-insensitively, with spaces and punctuation read as ``_`` (so
    ``"Customer ID"`` matches). A table without an id column is an error; one
    without a segment or value column gives ``<NA>``/``NaN``, one without
    holdings empty ``products`` lists. A holdings cell is a list, or text
    with the product ids separated by ``;``, ``,`` or ``|``. E-mail and
    phone columns are used only when named; their values are hashed into
    ``keys``. Values that can't be an e-mail (no ``@``) or a phone (fewer
    than 7 digits) are left out of ``keys`` with a ``ParseWarning`` (W105),
    since their hashes would join unrelated customers.

    Text files are read as text, so ``007`` stays ``"007"``; ``""``, ``NA``,
    ``N/A``, ``NaN``, ``null`` and ``None`` mean no value. Row numbers in
    messages count data rows from 1 (in a CSV file with a header, row N is on
    line N + 1).

    Args:
        source: A CSV/TSV/Parquet/JSON lines/JSON file (optionally
            gzip-compressed, except Parquet), or a DataFrame.
        id_column: The column holding the customer id.
        segment_column: The column holding the segment or tier.
        value_column: The column holding the customer's value; non-negative numbers.
        email_column: The column(s) holding e-mail addresses.
        phone_column: The column(s) holding phone numbers.
        products_column: The column holding the product ids the customer holds.
        format: The file format, when the file's suffix doesn't say it.

    Returns:
        One row per customer, in the table's order, with the columns
        ``customer_id``, ``segment``, ``value``, ``keys`` and ``products``.

    Raises:
        ParseError: E311 when the file can't be read or parsed.
        ConfigError: E312 when no id column can be found, E313 when a named
            column is not in the table, E317 for an unknown format.
        RecordValidationError: E314 (one row) or E315 (several, listing the
            first five) for a missing id or a value that is negative or not a
            number; E316 for repeated ids, naming them and their rows.

    Examples:
        >>> import pandas as pd
        >>> table = pd.DataFrame({"account_id": ["A1", "A2"], "revenue": ["10", "-3"]})
        >>> read_customers(table)
        Traceback (most recent call last):
        ...
        hotline_insight.errors.RecordValidationError: [E314] Customers table <DataFrame>, row 2: value must not be negative; got -3.0 in column 'revenue'
        >>> read_customers(pd.DataFrame({"account_id": ["A1", "A2"], "revenue": [10, 3]})).dtypes
        customer_id    string
        segment        string
        value          float64
        keys           object
        products       object
        dtype: object
    """
    import pandas as pd

    table, name = _read_table(source, format=format)
    columns = [str(c) for c in table.columns]
    id_col = _pick_column(columns, id_column, _ID_NAMES, "id_column", name, required=True)
    segment_col = _pick_column(columns, segment_column, _SEGMENT_NAMES, "segment_column", name)
    value_col = _pick_column(columns, value_column, _VALUE_NAMES, "value_column", name)
    emails = [_pick_column(columns, c, (), "email_column", name) for c in _as_list(email_column)]
    phones = [_pick_column(columns, c, (), "phone_column", name) for c in _as_list(phone_column)]
    products_col = _pick_column(columns, products_column, _PRODUCTS_NAMES, "products_column", name)

    problems: list[tuple[int, str]] = []
    ids = _column_values(table, id_col)
    customer_ids: list[str] = []
    for row, raw in enumerate(ids, start=1):
        text, reason = _to_id(raw)
        if reason:
            problems.append((row, f"{reason} in column {id_col!r}"))
        customer_ids.append(text)

    values: list[float] = []
    if value_col is None:
        values = [math.nan] * len(ids)
    else:
        for row, raw in enumerate(_column_values(table, value_col), start=1):
            number, reason = _to_value(raw)
            if reason:
                problems.append((row, f"{reason} in column {value_col!r}"))
            values.append(number)

    if problems:
        _raise_row_problems(problems, name)
    _check_unique(customer_ids, name)

    segments: list[str | None] = [None] * len(ids)
    if segment_col is not None:
        segments = [_to_text(raw) for raw in _column_values(table, segment_col)]
    keys = _hashed_keys(table, emails, phones, len(ids), name)
    holdings: list[list[str]] = [[] for _ in ids]
    if products_col is not None:
        holdings = [_to_products(raw) for raw in _column_values(table, products_col)]

    return pd.DataFrame(
        {
            "customer_id": pd.array(customer_ids, dtype="string"),
            "segment": pd.array(segments, dtype="string"),
            "value": pd.array(values, dtype="float64"),
            "keys": pd.Series(keys, dtype="object"),
            "products": pd.Series(holdings, dtype="object"),
        }
    )


def iter_customers(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    id_column: str | None = None,
    segment_column: str | None = None,
    value_column: str | None = None,
    email_column: str | Sequence[str] | None = None,
    phone_column: str | Sequence[str] | None = None,
    products_column: str | None = None,
    format: CustomersFormat | None = None,
) -> Iterator[Customer]:
    """Yield the rows of :func:`read_customers` as :class:`~hotline_insight.records.Customer` records.

    The whole table is read and checked before the first record is yielded,
    so a bad row raises before any customer is used. Arguments are as for
    :func:`read_customers`.

    Examples:
        >>> import pandas as pd
        >>> table = pd.DataFrame({"id": ["C-1"], "segment": ["gold"], "phone": ["+1 (555) 010-2000"]})
        >>> [customer] = iter_customers(table, phone_column="phone")
        >>> customer.id, customer.segment, customer.value, customer.keys[0][:6]
        ('C-1', 'gold', None, 'phone:')
    """
    frame = read_customers(
        source,
        id_column=id_column,
        segment_column=segment_column,
        value_column=value_column,
        email_column=email_column,
        phone_column=phone_column,
        products_column=products_column,
        format=format,
    )
    for customer_id, segment, value, keys, products in zip(
        frame["customer_id"].tolist(),
        frame["segment"].tolist(),
        frame["value"].tolist(),
        frame["keys"].tolist(),
        frame["products"].tolist(),
        strict=True,
    ):
        yield Customer(
            id=customer_id,
            keys=tuple(keys),
            segment=None if _is_missing(segment) else segment,
            value=None if math.isnan(value) else value,
            meta={"products": list(products)} if products else {},
        )


# -- reading ----------------------------------------------------------------------


def _read_table(source: Any, *, format: str | None) -> tuple[pd.DataFrame, str]:
    """Return the raw table and the name messages give it."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source, "<DataFrame>"
    name = str(source)
    if format is not None and format not in _FORMATS:
        raise ConfigError(Errors.E317.format(value=format, source=name, expected=", ".join(_FORMATS)))
    path = Path(source)
    bare = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    suffix = Path(bare).suffix.lower()
    fmt = format or _SUFFIXES.get(suffix)
    if fmt is None:
        raise ConfigError(Errors.E317.format(value=suffix or bare, source=name, expected=", ".join(_FORMATS)))
    if not path.is_file():
        reason = "it is a directory, not a file" if path.is_dir() else "the file does not exist"
        raise ParseError(Errors.E311.format(source=name, reason=reason))
    try:
        if fmt in ("csv", "tsv"):
            return _read_delimited(path, sep="," if fmt == "csv" else "\t"), name
        if fmt == "parquet":
            return pd.read_parquet(path), name
        return _read_json(path, name, lines=fmt == "jsonl"), name
    except (ParseError, ConfigError):
        raise
    except UnicodeDecodeError as exc:
        reason = f"it is not UTF-8 text ({exc.reason} at byte {exc.start})"
    except pd.errors.EmptyDataError:
        reason = "the file is empty; expected a header row naming the columns"
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        # pyarrow's ArrowInvalid is a ValueError; pandas' parser errors are too
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    raise ParseError(Errors.E311.format(source=name, reason=reason))


def _read_delimited(path: Path, *, sep: str) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(
        path,
        sep=sep,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        compression="infer",
        skipinitialspace=False,
    )


def _open_text(path: Path) -> Any:
    with open(path, "rb") as fh:
        is_gzip = fh.read(2) == b"\x1f\x8b"
    if is_gzip:
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")


def _read_json(path: Path, name: str, *, lines: bool) -> pd.DataFrame:
    """JSON lines (one object a line), or a JSON file holding an array of objects (or lines)."""
    import pandas as pd

    with _open_text(path) as fh:
        text = fh.read()
    records: list[Any]
    if not lines and text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(
                Errors.E311.format(source=name, reason=f"invalid JSON at line {exc.lineno}: {exc.msg}")
            ) from None
        where = [f"element {i}" for i in range(len(records))]
    else:
        records, where = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ParseError(
                    Errors.E311.format(source=name, reason=f"invalid JSON on line {number}: {exc.msg}")
                ) from None
            where.append(f"line {number}")
    for record, place in zip(records, where, strict=True):
        if not isinstance(record, dict):
            raise ParseError(
                Errors.E311.format(
                    source=name,
                    reason=f"{place} is a JSON {type(record).__name__}, not an object with one customer",
                )
            )
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


# -- columns ----------------------------------------------------------------------


def _normalise_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _columns_text(columns: Sequence[str]) -> str:
    if not columns:
        return "no columns"
    shown = ", ".join(repr(c) for c in columns[:20])
    return f"columns {shown}" + (f", ... ({len(columns)} in all)" if len(columns) > 20 else "")


@overload
def _pick_column(
    columns: Sequence[str],
    given: str | None,
    candidates: Sequence[str],
    param: str,
    source: str,
    *,
    required: Literal[True],
) -> str: ...
@overload
def _pick_column(
    columns: Sequence[str],
    given: str | None,
    candidates: Sequence[str],
    param: str,
    source: str,
    *,
    required: Literal[False] = ...,
) -> str | None: ...
def _pick_column(
    columns: Sequence[str],
    given: str | None,
    candidates: Sequence[str],
    param: str,
    source: str,
    *,
    required: bool = False,
) -> str | None:
    if given is not None:
        if given not in columns:
            raise ConfigError(
                Errors.E313.format(param=param, value=given, source=source, columns=_columns_text(columns))
            )
        return given
    normalised: dict[str, str] = {}
    for column in columns:
        normalised.setdefault(_normalise_name(column), column)
    for candidate in candidates:
        if candidate in normalised:
            return normalised[candidate]
    if required:
        raise ConfigError(
            Errors.E312.format(
                source=source,
                what=param.removesuffix("_column"),
                expected=", ".join(repr(c) for c in candidates),
                columns=_columns_text(columns),
                param=param,
            )
        )
    return None


def _column_values(table: pd.DataFrame, column: str) -> list[Any]:
    selected = table.loc[:, [c for c in table.columns if str(c) == column]]
    return selected.iloc[:, 0].tolist()


# -- cells ------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in _MISSING
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(cast(Any, value)))  # pd.NA, NaT, numpy NaN
    except (TypeError, ValueError):  # lists and other containers
        return False


def _to_id(value: object) -> tuple[str, str]:
    """Return (id, problem); problem is '' when the id is fine."""
    if _is_missing(value):
        return "", "missing customer id"
    if isinstance(value, str):
        return value.strip(), ""
    if isinstance(value, bool):
        return "", f"customer id must be text or a whole number; got {value!r}"
    if isinstance(value, numbers.Integral):
        return str(int(value)), ""
    if isinstance(value, numbers.Real) and float(value).is_integer():
        # whole numbers stored as float (an integer column with gaps, in pandas)
        return str(int(float(value))), ""
    return "", f"customer id must be text or a whole number; got {scrub(value, mask_digits=False)}"


def _to_value(value: object) -> tuple[float, str]:
    """Return (value, problem); a missing value is NaN and no problem."""
    if _is_missing(value):
        return math.nan, ""
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, numbers.Real):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value.strip())
    if number is None or not math.isfinite(number):
        return math.nan, f"value must be a non-negative number; got {scrub(value, mask_digits=False)}"
    if number < 0:
        return math.nan, f"value must not be negative; got {number!r}"
    return number, ""


def _to_products(value: object) -> list[str]:
    """The product ids of a holdings cell: a list, or text separated by ``;``, ``,`` or ``|``."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        items = (
            [str(v).strip() for v in cast(Any, value).tolist()]
            if hasattr(value, "tolist")
            else [str(v).strip() for v in cast(Any, value)]
        )
    elif _is_missing(value):
        return []
    else:
        items = [part.strip() for part in _PRODUCTS_SPLIT.split(str(value))]
    return list(dict.fromkeys(item for item in items if item and item.lower() not in _MISSING))


def _to_text(value: object) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# -- checks -----------------------------------------------------------------------


def _listing(lines: Sequence[str]) -> str:
    text = "\n".join(f"  {line}" for line in lines[:_MAX_LISTED])
    if len(lines) > _MAX_LISTED:
        text += f"\n  ... and {len(lines) - _MAX_LISTED} more"
    return text


def _raise_row_problems(problems: list[tuple[int, str]], source: str) -> None:
    problems.sort(key=lambda item: item[0])
    if len(problems) == 1:
        row, reason = problems[0]
        raise RecordValidationError(Errors.E314.format(source=source, row=row, reason=reason))
    lines = [f"row {row}: {reason}" for row, reason in problems]
    raise RecordValidationError(
        Errors.E315.format(source=source, n_problems=len(problems), listing=_listing(lines))
    )


def _check_unique(ids: Sequence[str], source: str) -> None:
    rows: dict[str, list[int]] = {}
    for row, customer_id in enumerate(ids, start=1):
        rows.setdefault(customer_id, []).append(row)
    repeated = [(cid, where) for cid, where in rows.items() if len(where) > 1]
    if not repeated:
        return
    shown = [
        f"{scrub(cid, mask_digits=False)} (rows {', '.join(map(str, where[:5]))}{', ...' if len(where) > 5 else ''})"
        for cid, where in repeated[:_MAX_LISTED]
    ]
    listing = ", ".join(shown) + (
        f" and {len(repeated) - _MAX_LISTED} more" if len(repeated) > _MAX_LISTED else ""
    )
    raise RecordValidationError(Errors.E316.format(source=source, n_ids=len(repeated), listing=listing))


# -- identifiers --------------------------------------------------------------------


def _hashed_keys(
    table: pd.DataFrame, emails: Sequence[str | None], phones: Sequence[str | None], n_rows: int, source: str
) -> list[list[str]]:
    keys: list[list[str]] = [[] for _ in range(n_rows)]
    for kind, columns in (("email", emails), ("phone", phones)):
        skipped: list[int] = []
        for column in columns:
            if column is None:
                continue
            for row, raw in enumerate(_column_values(table, column)):
                if _is_missing(raw):
                    continue
                text = str(raw).strip()
                usable = (
                    "@" in text if kind == "email" else sum(ch.isdigit() for ch in text) >= _MIN_PHONE_DIGITS
                )
                if not usable:
                    skipped.append(row + 1)
                    continue
                key = hash_identifier(kind, text)
                if key not in keys[row]:
                    keys[row].append(key)
        if skipped:
            rows = ", ".join(map(str, skipped[:_MAX_LISTED])) + (
                ", ..." if len(skipped) > _MAX_LISTED else ""
            )
            warn(Warnings.W105.format(source=source, n=len(skipped), kind=kind, rows=rows), stacklevel=4)
    return keys

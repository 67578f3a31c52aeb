"""The store's tables: their columns, Arrow types, pandas dtypes, and the quarter key.

Every table is written with the Arrow schema below (timestamps in microseconds,
UTC) and read back with the pandas dtypes below, so a frame that goes into the
store comes out with the same columns and dtypes, plus ``quarter``.

The store holds no raw customer text: grievance texts are redacted by the
extraction, the interaction subject is redacted on the way in, and turn texts
and the sources' free-form ``meta`` fields are not stored at all.

Examples:
    >>> import datetime as dt
    >>> quarter_of(dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
    '2026Q3'
    >>> quarter_of(None)
    'unknown'
    >>> check_quarter("2026-q1")
    '2026Q1'
    >>> list(TABLES)
    ['interactions', 'grievances', 'aggregates']
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import ConfigError, Errors, scrub
from ..records import hash_identifier

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ..records import Interaction

__all__ = [
    "AGGREGATE_COLUMNS",
    "GRIEVANCE_COLUMNS",
    "INTERACTION_COLUMNS",
    "STORE_SCHEMA_VERSION",
    "TABLES",
    "UNKNOWN_QUARTER",
    "Column",
    "arrow_schema",
    "check_quarter",
    "from_arrow",
    "interactions_frame",
    "quarter_of",
    "quarters_of",
    "to_arrow",
]

STORE_SCHEMA_VERSION = 2
"""Version of the table layout below; recorded in ``_store.json`` and in every file's metadata."""

UNKNOWN_QUARTER = "unknown"
"""The partition of interactions (and their grievances) that have no ``created_at``."""

VERSION_KEY = b"hotline_insight.store.schema_version"
TABLE_KEY = b"hotline_insight.store.table"


class Column(NamedTuple):
    """One column of a store table.

    ``arrow`` is one of ``string``, ``int64``, ``float64``, ``bool``,
    ``timestamp`` (microseconds, UTC) or ``list<string>``; ``dtype`` is the
    pandas dtype :meth:`Store.read` gives it.
    """

    name: str
    arrow: str
    dtype: str
    doc: str


INTERACTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "string", "string", "the interaction's id in its source"),
    Column("source_format", "string", "string", "the format it was read from"),
    Column("source_path", "string", "string", "the input file"),
    Column("source_line", "int64", "Int64", "1-based line in the file, where the format has lines"),
    Column("source_index", "int64", "Int64", "position in a collection (JSON array, DataFrame row)"),
    Column("channel", "string", "category", "call, chat, email, ticket or social"),
    Column("created_at", "timestamp", "datetime64[us, UTC]", "when it started; its quarter is the partition"),
    Column("updated_at", "timestamp", "datetime64[us, UTC]", "last update, where the source says"),
    Column("resolved_at", "timestamp", "datetime64[us, UTC]", "when it was resolved, where the source says"),
    Column("customer_id", "string", "string", "the customer's id in the source"),
    Column("customer_keys", "list<string>", "object", "hashed e-mail, phone and account keys (lists)"),
    Column("agent_id", "string", "string", "the agent's id"),
    Column("queue", "string", "string", "the queue, from the source's fields"),
    Column("subject", "string", "string", "the subject, redacted"),
    Column("product", "string", "string", "the product named in the source's own field"),
    Column("category", "string", "string", "the source's category"),
    Column("tags", "list<string>", "object", "the source's tags (lists)"),
    Column("status", "string", "string", "the source's status"),
    Column("priority", "string", "string", "the source's priority"),
    Column("language", "string", "string", "the language, where the source says"),
    Column("n_turns", "int64", "int64", "turns (utterances, messages, comments)"),
    Column("n_customer_turns", "int64", "int64", "turns by the customer"),
    Column("duration_s", "float64", "float64", "duration in seconds (NaN when unknown)"),
    Column("satisfaction_score", "float64", "float64", "satisfaction in [0, 1] (NaN when unknown)"),
    Column("satisfaction_raw", "string", "string", "satisfaction as the source wrote it"),
    Column("satisfaction_scale", "string", "string", "the scale of the score (csat, nps, ...)"),
    Column("has_vendor_annotations", "bool", "bool", "the source carried its own analysis"),
    Column(
        "meta_ids",
        "list<string>",
        "object",
        "identifier-shaped fields of the source's meta, 'path=hash' (see meta_ids; for resolving customers)",
    ),
)

GRIEVANCE_COLUMNS: tuple[Column, ...] = (
    Column("interaction_id", "string", "string", "the interaction it was found in"),
    Column("turn_position", "int64", "int64", "the turn"),
    Column("start_char", "int64", "int64", "start of the span in the redacted turn text"),
    Column("end_char", "int64", "int64", "end of the span (half-open)"),
    Column("text", "string", "string", "the grievance text, redacted"),
    Column("role", "string", "category", "who said it"),
    Column("channel", "string", "category", "the interaction's channel"),
    Column("created_at", "timestamp", "datetime64[us, UTC]", "the interaction's created_at"),
    Column("customer_id", "string", "string", "the interaction's customer id"),
    Column("source_format", "string", "string", "the interaction's source format"),
    Column("themes", "list<string>", "object", "theme ids, strongest first (lists)"),
    Column("facets", "list<string>", "object", "frustration facet ids (lists)"),
    Column("products", "list<string>", "object", "product ids, most confident first (lists)"),
    Column("policies", "list<string>", "object", "policy ids, most confident first (lists)"),
    Column("product_methods", "list<string>", "object", "how each product link was made (lists)"),
    Column("policy_methods", "list<string>", "object", "how each policy link was made (lists)"),
    Column("complaint_score", "float64", "float64", "complaint score in [0, 1]"),
    Column("intensity", "float64", "float64", "intensity in [0, 1]"),
    Column("sentiment", "float64", "float64", "sentiment in [-1, 1]"),
    Column("cues", "list<string>", "object", "intensity cues (lists)"),
    Column(
        "topic",
        "int64",
        "Int64",
        "topic id; -1 when it resembles no topic (an outlier); <NA> when not assigned",
    ),
)

AGGREGATE_COLUMNS: tuple[Column, ...] = (
    Column("theme", "string", "string", "a theme id; <NA> for grievances with no theme"),
    Column("dimension", "string", "string", "'all', 'product' or 'policy'"),
    Column("value", "string", "string", "the product or policy id; <NA> for 'all' and for none linked"),
    Column("n_grievances", "int64", "int64", "grievances in the group"),
    Column("n_interactions", "int64", "int64", "interactions with a grievance in the group"),
    Column("intensity_sum", "float64", "float64", "sum of the grievances' intensity"),
    Column("sentiment_sum", "float64", "float64", "sum of the grievances' sentiment"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "interactions": INTERACTION_COLUMNS,
    "grievances": GRIEVANCE_COLUMNS,
    "aggregates": AGGREGATE_COLUMNS,
}
"""Table name -> its columns (the partition column ``quarter`` comes on top)."""

OPTIONAL_COLUMNS = frozenset({"meta_ids"})
"""Columns a frame written to the store may lack (they are then empty)."""

AGGREGATE_KEYS = ("quarter", "theme", "dimension", "value")
AGGREGATE_SUMS = ("n_grievances", "n_interactions", "intensity_sum", "sentiment_sum")

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


def quarter_of(when: dt.datetime | None) -> str:
    """The UTC calendar quarter of a time, ``'2026Q3'``; ``'unknown'`` for None."""
    if when is None:
        return UNKNOWN_QUARTER
    utc = when.astimezone(dt.UTC) if when.tzinfo is not None else when
    return f"{utc.year}Q{(utc.month - 1) // 3 + 1}"


def quarters_of(times: pd.Series) -> pd.Series:
    """:func:`quarter_of` for a column of UTC timestamps (NaT -> ``'unknown'``), as a string Series.

    Examples:
        >>> import pandas as pd
        >>> times = pd.Series(pd.to_datetime(["2026-01-05 08:00", None, "2025-12-31 23:00"], utc=True))
        >>> quarters_of(times).tolist()
        ['2026Q1', 'unknown', '2025Q4']
    """
    import pandas as pd

    stamps = pd.to_datetime(times, utc=True)
    year = stamps.dt.year
    quarter = stamps.dt.quarter
    text = year.astype("Int64").astype("string") + "Q" + quarter.astype("Int64").astype("string")
    return text.fillna(UNKNOWN_QUARTER).astype("string")


def check_quarter(value: object) -> str:
    """A quarter name in canonical form (``'2026Q3'`` or ``'unknown'``).

    Raises:
        ConfigError: E1105 when the value is not a quarter.
    """
    if isinstance(value, str):
        if value == UNKNOWN_QUARTER:
            return value
        if m := _QUARTER.match(value.strip()):
            return f"{m[1]}Q{m[2]}"
    raise ConfigError(Errors.E1105.format(value=scrub(value, mask_digits=False)))


def quarter_sort_key(quarter: str) -> tuple[int, str]:
    """Quarters in time order, ``'unknown'`` last."""
    return (1, quarter) if quarter == UNKNOWN_QUARTER else (0, quarter)


def check_table(name: object) -> str:
    if not isinstance(name, str) or name not in TABLES:
        raise ConfigError(Errors.E1104.format(value=name, expected=", ".join(TABLES)))
    return name


# -- Arrow ------------------------------------------------------------------------------


def _arrow_type(kind: str) -> pa.DataType:
    import pyarrow as pa

    return {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "list<string>": pa.list_(pa.string()),
    }[kind]


def arrow_schema(table: str, *, version: int = STORE_SCHEMA_VERSION) -> pa.Schema:
    """The Arrow schema of a table's files, with the schema version in its metadata.

    Examples:
        >>> arrow_schema("aggregates").field("n_grievances").type
        DataType(int64)
    """
    import pyarrow as pa

    columns = TABLES[check_table(table)]
    return pa.schema(
        [pa.field(c.name, _arrow_type(c.arrow)) for c in columns],
        metadata={VERSION_KEY: str(version).encode(), TABLE_KEY: table.encode()},
    )


def _as_list(value: Any) -> list[str] | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"a list of str was expected, not {type(value).__name__}")
    items = list(value)
    if any(not isinstance(x, str) for x in items):
        raise TypeError("list items must be str")
    return items


def _column_array(series: pd.Series, column: Column, table: str) -> pa.Array:
    import pandas as pd
    import pyarrow as pa

    kind = _arrow_type(column.arrow)
    try:
        if column.arrow == "list<string>":
            cells = series.tolist()
            if all(type(v) in (list, tuple) for v in cells) and all(
                type(x) is str for v in cells for x in v
            ):  # the common case, in one call; anything else goes cell by cell and is named
                return pa.array(cells, type=kind)
            return pa.array([_as_list(v) for v in cells], type=kind)
        if column.arrow == "timestamp":
            stamps = series
            if not isinstance(stamps.dtype, pd.DatetimeTZDtype):
                if stamps.isna().all():
                    return pa.nulls(len(stamps), type=kind)
                raise TypeError(f"dtype {stamps.dtype} is not timezone-aware")
            stamps = stamps.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
            return pa.Array.from_pandas(stamps, type=kind)
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if column.arrow == "string" and series.dtype == object:
            values = series.to_numpy()
            bad = [v for v in values if v is not None and not isinstance(v, str) and not pd.isna(v)]
            if bad:
                raise TypeError(f"values must be str or missing, not {type(bad[0]).__name__}")
        return pa.Array.from_pandas(series, type=kind)
    except (TypeError, ValueError, pa.ArrowException) as exc:
        raise ConfigError(
            Errors.E1111.format(
                column=column.name,
                table=table,
                expected=column.arrow,
                reason=f"{type(exc).__name__}: {exc!s:.80}",
            )
        ) from None


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """A frame with the table's columns (others ignored) as an Arrow table of its store schema.

    Raises:
        ConfigError: E1110 when columns are missing, E1111 when one can't be converted.
    """
    import pyarrow as pa

    columns = TABLES[check_table(table)]
    missing = [c.name for c in columns if c.name not in frame.columns and c.name not in OPTIONAL_COLUMNS]
    if missing:
        raise ConfigError(
            Errors.E1110.format(
                table=table, missing=", ".join(missing), expected=", ".join(c.name for c in columns)
            )
        )
    arrays = [
        _column_array(frame[c.name], c, table)
        if c.name in frame.columns
        else pa.nulls(len(frame), _arrow_type(c.arrow))
        for c in columns
    ]
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))


def from_arrow(
    table: str, data: pa.Table, *, quarter: str | None = None, lists: str = "list"
) -> pd.DataFrame:
    """A frame with the documented pandas dtypes from an Arrow table of the store schema.

    Columns that ``data`` lacks (when only some were read) are left out.
    ``quarter``, when given, becomes the last column. ``lists="tuple"`` gives
    list columns as tuples, each distinct one built once and shared by every
    row that holds it (see :meth:`~hotline_insight.Store.read`).
    """
    import pandas as pd

    arrow_strings = getattr(pd.api.types.pandas_dtype("string"), "storage", None) == "pyarrow"
    out: dict[str, Any] = {}
    for column in TABLES[check_table(table)]:
        if column.name not in data.column_names:
            continue
        array = data.column(column.name)
        if column.dtype == "object":
            out[column.name] = pd.Series(_lists(array, shared=lists == "tuple"), dtype=object)
            continue
        if column.dtype == "string" and arrow_strings:
            # Arrow-backed strings wrap the column's buffers: no Python str per row, no copy
            out[column.name] = pd.Series(pd.array(array, dtype="string"))
            continue
        series = array.to_pandas()
        if column.dtype.startswith("datetime64"):
            series = pd.to_datetime(series, utc=True).astype(column.dtype)
        elif column.dtype in ("Int64", "string", "category"):
            series = series.astype(object).where(series.notna(), None).astype(column.dtype)
        else:
            series = series.astype(column.dtype)
        out[column.name] = series.reset_index(drop=True)
    frame = pd.DataFrame(out, index=pd.RangeIndex(data.num_rows))
    if quarter is not None:
        frame["quarter"] = pd.Series([quarter] * data.num_rows, dtype="string")
    return frame


def _lists(array: Any, *, shared: bool = False) -> list[Any]:
    """A list<string> column as Python lists ([] for nulls) whose equal strings are one object.

    Theme, product and policy ids repeat millions of times in a large
    table; building each value once keeps a read table a fraction of the
    size ``to_pylist`` would make it. With ``shared``, cells are tuples
    (``()`` for nulls) and equal cells are one object too, so a column costs
    one pointer per row plus its distinct values.
    """
    import numpy as np
    import pyarrow as pa

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    out: list[Any] = []
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for chunk in chunks:
        if not len(chunk):
            continue
        offsets = chunk.offsets.to_numpy(zero_copy_only=False)
        flat = chunk.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
        offsets = offsets - offsets[0]
        if len(flat):
            encoded = flat.dictionary_encode()
            words = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
            values = words[encoded.indices.to_numpy(zero_copy_only=False)].tolist()
        else:
            values = []
        valid = chunk.is_valid().to_numpy(zero_copy_only=False)
        if shared:
            for i in range(len(chunk)):
                cell = tuple(values[offsets[i] : offsets[i + 1]]) if valid[i] else ()
                out.append(seen.setdefault(cell, cell))
            continue
        for i in range(len(chunk)):
            out.append(values[offsets[i] : offsets[i + 1]] if valid[i] else [])
    return out


def empty_frame(table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A frame with no rows and the table's columns (all, or ``columns``) and ``quarter``."""
    import pyarrow as pa

    schema = arrow_schema(table)
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns if c in schema.names], metadata=schema.metadata)
    return from_arrow(table, schema.empty_table(), quarter="")


# -- interactions -----------------------------------------------------------------------


def _queue(meta: Mapping[str, Any]) -> str | None:
    value = meta.get("queue") if meta else None
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("Name")
    return None if value is None else str(value)


_ID_VALUE = re.compile(r"^(?=[^\s]*\d)[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")
_PHONE_OR_CARD = re.compile(r"^\+?\d{10,19}$")
_SEPARATORS = re.compile(r"[-.:_]")


def meta_ids(meta: Mapping[str, Any] | None) -> list[str]:
    """The identifier-shaped fields of a source's ``meta``, as ``'path=hash'``, sorted.

    Customer resolution looks in ``meta`` for fields holding CRM ids (such
    as a Zendesk custom field); the store keeps just what that needs, and not
    readable: scalar fields at depth one or two whose value is one token of
    letters, digits and ``_.:-`` with at least one digit, and not a run of
    10-19 digits once ``-.:_`` are dropped (the shape of phone and card
    numbers, such as ``555-010-1234``), each value hashed with
    :func:`~hotline_insight.records.hash_identifier` (kind ``"meta"``). A
    postcode or national id in a custom field is kept only as its hash;
    resolution hashes the CRM ids it knows to match them. Free text, names
    and e-mail addresses never qualify.

    Examples:
        >>> meta_ids({"submitter_id": 187297, "via": {"channel": "chat"}, "custom_fields": {"360011103": "C187297"},
        ...           "email": "ann@example.com", "phone": "5551234567", "note": "call me back 2day"})
        ['custom_fields.360011103=meta:978faefe09bcf5b8bcd3', 'submitter_id=meta:7ca80703a44190d309bd']
    """
    out: list[str] = []
    if not isinstance(meta, Mapping):
        return out
    for key, value in meta.items():
        items = value.items() if isinstance(value, Mapping) else [(None, value)]
        for sub, inner in items:
            if isinstance(inner, bool) or not isinstance(inner, (str, int)):
                continue
            text = str(inner)
            if _ID_VALUE.match(text) and not _PHONE_OR_CARD.match(_SEPARATORS.sub("", text)):
                hashed = hash_identifier("meta", text)
                out.append(f"{key}={hashed}" if sub is None else f"{key}.{sub}={hashed}")
    return sorted(out)


def meta_from_ids(values: Any) -> dict[str, Any] | None:
    """The nested ``meta`` mapping back from :func:`meta_ids`' list (None when empty).

    Examples:
        >>> meta_from_ids(["custom_fields.360011103=meta:3e9b", "submitter_id=meta:1c5b"])
        {'custom_fields': {'360011103': 'meta:3e9b'}, 'submitter_id': 'meta:1c5b'}
    """
    if values is None or not len(values):
        return None
    meta: dict[str, Any] = {}
    for item in values:
        path, _, value = str(item).partition("=")
        key, dot, sub = path.partition(".")
        if dot:
            inner = meta.setdefault(key, {})
            if isinstance(inner, dict):
                inner[sub] = value
        else:
            meta[key] = value
    return meta


def interactions_frame(
    interactions: Iterable[Interaction], *, allow_list: Sequence[str] = ()
) -> pd.DataFrame:
    """The store's interactions table for some interactions: one row each, subjects redacted.

    Columns are :data:`INTERACTION_COLUMNS` (name, dtype and meaning there),
    then ``quarter`` (string, from ``created_at``; ``'unknown'`` without it).
    Turn texts are left out, and of the sources' ``meta`` only the queue
    (``meta['queue']``) and the identifier-shaped fields (:func:`meta_ids`).

    Args:
        interactions: the records.
        allow_list: words never redacted as names (see :func:`hotline_insight.redact`).

    Examples:
        >>> import hotline_insight as hi
        >>> corpus = hi.read("sample_data/tickets/freshdesk", on_error="collect")
        >>> frame = interactions_frame(corpus)
        >>> len(frame) == len(corpus), list(frame.columns[:3]), frame.columns[-1]
        (True, ['id', 'source_format', 'source_path'], 'quarter')
    """
    import pandas as pd

    from ..nlp.redact import redact

    rows: dict[str, list[Any]] = {c.name: [] for c in INTERACTION_COLUMNS}
    quarters: list[str] = []
    for rec in interactions:
        sat = rec.satisfaction
        rows["id"].append(rec.id)
        rows["source_format"].append(rec.source.format)
        rows["source_path"].append(rec.source.path)
        rows["source_line"].append(rec.source.line)
        rows["source_index"].append(rec.source.index)
        rows["channel"].append(rec.channel)
        rows["created_at"].append(rec.created_at)
        rows["updated_at"].append(rec.updated_at)
        rows["resolved_at"].append(rec.resolved_at)
        rows["customer_id"].append(rec.customer_id)
        rows["customer_keys"].append(list(rec.customer_keys))
        rows["agent_id"].append(rec.agent_id)
        rows["queue"].append(_queue(rec.meta))
        rows["subject"].append(redact(rec.subject, allow_list=allow_list) if rec.subject else rec.subject)
        rows["product"].append(rec.product)
        rows["category"].append(rec.category)
        rows["tags"].append(list(rec.tags))
        rows["status"].append(rec.status)
        rows["priority"].append(rec.priority)
        rows["language"].append(rec.language)
        rows["n_turns"].append(len(rec.turns))
        rows["n_customer_turns"].append(sum(1 for t in rec.turns if t.role == "customer"))
        rows["duration_s"].append(rec.duration_s)
        rows["satisfaction_score"].append(sat.score if sat else None)
        rows["satisfaction_raw"].append(sat.raw if sat else None)
        rows["satisfaction_scale"].append(sat.scale if sat else None)
        rows["has_vendor_annotations"].append(rec.vendor is not None and not rec.vendor.is_empty)
        rows["meta_ids"].append(meta_ids(rec.meta))
        quarters.append(quarter_of(rec.created_at))
    frame = pd.DataFrame(rows)
    for column in INTERACTION_COLUMNS:
        dtype: Any = column.dtype
        if dtype == "object":
            continue
        if dtype.startswith("datetime64"):
            frame[column.name] = pd.to_datetime(frame[column.name], utc=True).astype(dtype)
        elif dtype == "float64":
            frame[column.name] = pd.to_numeric(frame[column.name], errors="raise").astype("float64")
        else:
            frame[column.name] = frame[column.name].astype(dtype)
    frame["quarter"] = pd.Series(quarters, dtype="string")
    return frame

"""Corpus: a collection of interactions with DataFrame views, filters and Parquet persistence.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("sample_data/tickets", on_error="collect")
    >>> frame = corpus.to_frame()
    >>> list(frame.columns[:4])
    ['id', 'channel', 'created_at', 'customer_id']
    >>> q3 = corpus.filter(period="2026Q3")
    >>> all(i.created_at.month in (7, 8, 9) for i in q3)
    True
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from .errors import ConfigError, Errors
from .ingest._merge import merge_interactions
from .ingest._report import ParseReport
from .records import Interaction, Satisfaction, SourceRef, Turn, VendorAnnotations

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["CORPUS_SCHEMA_VERSION", "Corpus", "parse_period", "read_parquet"]

CORPUS_SCHEMA_VERSION = "corpus/1"
_SCHEMA_KEY = b"hotline_insight.schema"

# Column -> dtype of Corpus.to_frame(); documented in the method.
FRAME_DTYPES: dict[str, str] = {
    "id": "string",
    "channel": "category",
    "created_at": "datetime64[us, UTC]",
    "customer_id": "string",
    "agent_id": "string",
    "subject": "string",
    "product": "string",
    "category": "string",
    "status": "string",
    "priority": "string",
    "language": "string",
    "tags": "object",
    "n_turns": "int64",
    "n_customer_turns": "int64",
    "duration_s": "float64",
    "satisfaction_score": "float64",
    "satisfaction_raw": "string",
    "updated_at": "datetime64[us, UTC]",
    "resolved_at": "datetime64[us, UTC]",
    "customer_keys": "object",
    "has_vendor_annotations": "bool",
    "source_format": "string",
    "source_path": "string",
    "source_line": "Int64",
    "source_index": "Int64",
    "meta": "object",
}

TURN_DTYPES: dict[str, str] = {
    "interaction_id": "string",
    "position": "int64",
    "role": "category",
    "speaker": "string",
    "text": "string",
    "start_s": "float64",
    "end_s": "float64",
    "at": "datetime64[us, UTC]",
    "is_public": "boolean",
    "channel": "category",
    "created_at": "datetime64[us, UTC]",
    "customer_id": "string",
}

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _to_date(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ConfigError(Errors.E204.format(value=value)) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    to_py = getattr(value, "to_pydatetime", None)
    if to_py is not None:
        return _to_date(to_py())
    raise ConfigError(Errors.E204.format(value=value))


def parse_period(period: Any) -> tuple[dt.datetime, dt.datetime]:
    """A half-open UTC interval ``[start, end)`` from ``'2026Q3'``, ``'2026-07'``, a date or a pair.

    Examples:
        >>> start, end = parse_period("2026Q3")
        >>> start.date().isoformat(), end.date().isoformat()
        ('2026-07-01', '2026-10-01')
        >>> [d.date().isoformat() for d in parse_period("2026-02")]
        ['2026-02-01', '2026-03-01']
    """
    if isinstance(period, (tuple, list)) and len(period) == 2:
        return _to_date(period[0]), _to_date(period[1])
    if isinstance(period, str):
        text = period.strip()
        if m := _QUARTER.match(text):
            year, quarter = int(m[1]), int(m[2])
            start = dt.datetime(year, 3 * quarter - 2, 1, tzinfo=dt.UTC)
            end = (
                dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
                if quarter == 4
                else dt.datetime(year, 3 * quarter + 1, 1, tzinfo=dt.UTC)
            )
            return start, end
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise ConfigError(Errors.E204.format(value=period))
            start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
            end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
            return start, end
    if isinstance(period, (str, dt.date)):
        start = _to_date(period)
        start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + dt.timedelta(days=1)
    raise ConfigError(Errors.E204.format(value=period))


class Corpus(Sequence[Interaction]):
    """An ordered collection of interactions and the report of how they were read.

    Build one with :func:`hotline_insight.read`; combine with ``+`` (records
    with the same id and source family are merged, as in ``read``).

    Args:
        interactions: the records.
        parse_report: the report of the read that produced them.
    """

    def __init__(
        self, interactions: Iterable[Interaction] = (), parse_report: ParseReport | None = None
    ) -> None:
        self._items: list[Interaction] = list(interactions)
        self.parse_report = parse_report or ParseReport(n_read=len(self._items), n_parsed=len(self._items))

    # -- sequence protocol -------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Interaction]:
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> Interaction: ...
    @overload
    def __getitem__(self, index: slice) -> Corpus: ...
    def __getitem__(self, index: int | slice) -> Interaction | Corpus:
        if isinstance(index, slice):
            return Corpus(self._items[index], self.parse_report)
        return self._items[index]

    def __add__(self, other: object) -> Corpus:
        if not isinstance(other, Corpus):
            raise ConfigError(Errors.E201.format(value=type(other).__name__))
        from .ingest._base import registered_parsers

        registry = registered_parsers()

        def key(rec: Interaction) -> tuple[str, str]:
            cls = registry.get(rec.source.format)
            return (cls.family if cls else rec.source.format, rec.id)

        report = self.parse_report.merge(other.parse_report)
        items = list(self._items)
        where = {key(rec): i for i, rec in enumerate(items)}
        for rec in other:
            k = key(rec)
            if k in where:
                items[where[k]] = merge_interactions(items[where[k]], rec)
                report.n_merged += 1
                report.merged_ids.append(rec.id)
            else:
                where[k] = len(items)
                items.append(rec)
        return Corpus(items, report)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Corpus) and self._items == other._items

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        channels: dict[str, int] = {}
        for rec in self._items:
            channels[rec.channel] = channels.get(rec.channel, 0) + 1
        parts = ", ".join(f"{k}={v}" for k, v in sorted(channels.items()))
        return f"Corpus({len(self)} interactions: {parts or 'empty'})"

    def get(self, interaction_id: str) -> Interaction | None:
        """The first interaction with this id, or None."""
        for rec in self._items:
            if rec.id == interaction_id:
                return rec
        return None

    # -- filtering -----------------------------------------------------------
    def filter(
        self,
        predicate: Callable[[Interaction], bool] | None = None,
        *,
        period: Any = None,
        channel: str | Iterable[str] | None = None,
        customer: str | Iterable[str] | None = None,
        format: str | Iterable[str] | None = None,
    ) -> Corpus:
        """A new corpus with the interactions that match every condition given.

        Args:
            predicate: any function of an Interaction.
            period: ``'2026Q3'``, ``'2026-07'``, a date, or a ``(start, end)``
                pair (half-open, UTC). Interactions without ``created_at`` are left out.
            channel: one channel or several.
            customer: one customer id or several.
            format: one source format or several.

        Examples:
            >>> import hotline_insight as hi
            >>> corpus = hi.read("sample_data/tickets", on_error="collect")
            >>> emails = corpus.filter(channel="email")
            >>> {i.channel for i in emails} <= {"email"}
            True
        """

        def as_set(value: str | Iterable[str] | None) -> set[str] | None:
            if value is None:
                return None
            return {value} if isinstance(value, str) else set(value)

        channels, customers, formats = as_set(channel), as_set(customer), as_set(format)
        window = parse_period(period) if period is not None else None
        kept = []
        for rec in self._items:
            if channels is not None and rec.channel not in channels:
                continue
            if customers is not None and rec.customer_id not in customers:
                continue
            if formats is not None and rec.source.format not in formats:
                continue
            if window is not None and (rec.created_at is None or not window[0] <= rec.created_at < window[1]):
                continue
            if predicate is not None and not predicate(rec):
                continue
            kept.append(rec)
        return Corpus(kept, self.parse_report)

    # -- frames ------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per interaction.

        Columns and dtypes: ``id`` string, ``channel`` category, ``created_at``
        datetime64[us, UTC], ``customer_id``/``agent_id``/``subject``/``product``/
        ``category``/``status``/``priority``/``language`` string, ``tags`` object
        (list of str), ``n_turns`` and ``n_customer_turns`` int64, ``duration_s``
        float64 (NaN when unknown), ``satisfaction_score`` float64 in [0, 1],
        ``satisfaction_raw`` string, ``updated_at``/``resolved_at``
        datetime64[us, UTC], ``customer_keys`` object (hashed ids),
        ``has_vendor_annotations`` bool, ``source_format``/``source_path``
        string, ``source_line``/``source_index`` Int64, ``meta`` object (dict).
        Missing values are ``<NA>``/``NaT``/``NaN``.
        """
        import pandas as pd

        rows = []
        for rec in self._items:
            sat = rec.satisfaction
            rows.append(
                {
                    "id": rec.id,
                    "channel": rec.channel,
                    "created_at": rec.created_at,
                    "customer_id": rec.customer_id,
                    "agent_id": rec.agent_id,
                    "subject": rec.subject,
                    "product": rec.product,
                    "category": rec.category,
                    "status": rec.status,
                    "priority": rec.priority,
                    "language": rec.language,
                    "tags": list(rec.tags),
                    "n_turns": len(rec.turns),
                    "n_customer_turns": sum(1 for t in rec.turns if t.role == "customer"),
                    "duration_s": rec.duration_s,
                    "satisfaction_score": sat.score if sat else None,
                    "satisfaction_raw": sat.raw if sat else None,
                    "updated_at": rec.updated_at,
                    "resolved_at": rec.resolved_at,
                    "customer_keys": list(rec.customer_keys),
                    "has_vendor_annotations": rec.vendor is not None and not rec.vendor.is_empty,
                    "source_format": rec.source.format,
                    "source_path": rec.source.path,
                    "source_line": rec.source.line,
                    "source_index": rec.source.index,
                    "meta": dict(rec.meta),
                }
            )
        return _typed_frame(pd.DataFrame(rows, columns=list(FRAME_DTYPES)), FRAME_DTYPES)

    def turns_frame(self) -> pd.DataFrame:
        """One row per turn.

        Columns and dtypes: ``interaction_id`` string, ``position`` int64,
        ``role`` category, ``speaker`` string, ``text`` string, ``start_s``/
        ``end_s`` float64, ``at`` datetime64[us, UTC], ``is_public`` boolean,
        and, from the interaction, ``channel`` category, ``created_at``
        datetime64[us, UTC], ``customer_id`` string.
        """
        import pandas as pd

        rows = [
            {
                "interaction_id": rec.id,
                "position": t.position,
                "role": t.role,
                "speaker": t.speaker,
                "text": t.text,
                "start_s": t.start_s,
                "end_s": t.end_s,
                "at": t.at,
                "is_public": t.is_public,
                "channel": rec.channel,
                "created_at": rec.created_at,
                "customer_id": rec.customer_id,
            }
            for rec in self._items
            for t in rec.turns
        ]
        return _typed_frame(pd.DataFrame(rows, columns=list(TURN_DTYPES)), TURN_DTYPES)

    # -- persistence -------------------------------------------------------
    def to_parquet(self, path: str | Path) -> Path:
        """Write the corpus to one Parquet file that :func:`read_parquet` reads back equal.

        Scalar fields are columns, turns a list of structs, ``meta`` and vendor
        annotations JSON text; timestamps are microseconds in UTC; the schema
        version is stored in the file's metadata. Readable by pandas, DuckDB and Spark.
        """
        import pyarrow.parquet as pq

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        table = _to_arrow(self._items)
        pq.write_table(table, target, coerce_timestamps="us", allow_truncated_timestamps=False)
        return target

    @classmethod
    def read_parquet(cls, path: str | Path) -> Corpus:
        """Read a corpus written by :meth:`to_parquet`."""
        return read_parquet(path)


def _typed_frame(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    for column, name in dtypes.items():
        dtype: Any = name
        if name.startswith("datetime64"):
            frame[column] = pd.to_datetime(frame[column], utc=True).astype(dtype)
        elif name != "object":
            frame[column] = frame[column].astype(dtype)
    return frame


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


_TURN_FIELDS = ("position", "role", "speaker", "text", "start_s", "end_s", "at", "is_public")


def _arrow_schema() -> pa.Schema:
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    turn = pa.struct(
        [
            ("position", pa.int32()),
            ("role", pa.string()),
            ("speaker", pa.string()),
            ("text", pa.string()),
            ("start_s", pa.float64()),
            ("end_s", pa.float64()),
            ("at", ts),
            ("is_public", pa.bool_()),
            ("meta", pa.string()),
        ]
    )
    return pa.schema(
        [
            ("id", pa.string()),
            ("source_format", pa.string()),
            ("source_path", pa.string()),
            ("source_line", pa.int64()),
            ("source_offset", pa.int64()),
            ("source_index", pa.int64()),
            ("channel", pa.string()),
            ("created_at", ts),
            ("updated_at", ts),
            ("resolved_at", ts),
            ("customer_id", pa.string()),
            ("customer_keys", pa.list_(pa.string())),
            ("agent_id", pa.string()),
            ("subject", pa.string()),
            ("turns", pa.list_(turn)),
            ("product", pa.string()),
            ("category", pa.string()),
            ("tags", pa.list_(pa.string())),
            ("status", pa.string()),
            ("priority", pa.string()),
            ("language", pa.string()),
            ("satisfaction", pa.string()),
            ("vendor", pa.string()),
            ("meta", pa.string()),
        ],
        metadata={_SCHEMA_KEY: CORPUS_SCHEMA_VERSION.encode()},
    )


def _to_arrow(items: Sequence[Interaction]) -> pa.Table:
    import pyarrow as pa

    columns: dict[str, list[Any]] = {name: [] for name in _arrow_schema().names}
    for rec in items:
        columns["id"].append(rec.id)
        columns["source_format"].append(rec.source.format)
        columns["source_path"].append(rec.source.path)
        columns["source_line"].append(rec.source.line)
        columns["source_offset"].append(rec.source.offset)
        columns["source_index"].append(rec.source.index)
        columns["channel"].append(rec.channel)
        columns["created_at"].append(rec.created_at)
        columns["updated_at"].append(rec.updated_at)
        columns["resolved_at"].append(rec.resolved_at)
        columns["customer_id"].append(rec.customer_id)
        columns["customer_keys"].append(list(rec.customer_keys))
        columns["agent_id"].append(rec.agent_id)
        columns["subject"].append(rec.subject)
        columns["turns"].append(
            [
                {**{f: getattr(t, f) for f in _TURN_FIELDS}, "meta": _json(dict(t.meta)) if t.meta else None}
                for t in rec.turns
            ]
        )
        columns["product"].append(rec.product)
        columns["category"].append(rec.category)
        columns["tags"].append(list(rec.tags))
        columns["status"].append(rec.status)
        columns["priority"].append(rec.priority)
        columns["language"].append(rec.language)
        columns["satisfaction"].append(_json(rec.satisfaction.model_dump()) if rec.satisfaction else None)
        columns["vendor"].append(_json(rec.vendor.model_dump()) if rec.vendor else None)
        columns["meta"].append(_json(dict(rec.meta)))
    return pa.Table.from_pydict(columns, schema=_arrow_schema())


def read_parquet(path: str | Path) -> Corpus:
    """Read a corpus written by :meth:`Corpus.to_parquet`.

    Raises:
        ConfigError: the file is missing, not Parquet, or of another schema version.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = str(path)
    try:
        table = pq.read_table(source)
    except (OSError, pa.ArrowException) as exc:
        raise ConfigError(Errors.E202.format(source=source, reason=type(exc).__name__)) from exc
    version = (table.schema.metadata or {}).get(_SCHEMA_KEY, b"").decode() or None
    if version != CORPUS_SCHEMA_VERSION:
        raise ConfigError(Errors.E203.format(source=source, value=version, expected=CORPUS_SCHEMA_VERSION))
    return Corpus([interaction_from_row(row) for row in table.to_pylist()])


def interaction_from_row(row: dict[str, Any]) -> Interaction:
    """An Interaction from a row of the corpus Parquet schema (also the Spark interactions schema)."""
    turns = tuple(
        Turn(**{f: t[f] for f in _TURN_FIELDS}, meta=json.loads(t["meta"]) if t["meta"] else {})
        for t in row["turns"] or ()
    )
    return Interaction(
        id=row["id"],
        source=SourceRef(
            format=row["source_format"],
            path=row["source_path"],
            line=row["source_line"],
            offset=row["source_offset"],
            index=row["source_index"],
        ),
        channel=row["channel"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        resolved_at=row["resolved_at"],
        customer_id=row["customer_id"],
        customer_keys=tuple(row["customer_keys"] or ()),
        agent_id=row["agent_id"],
        subject=row["subject"],
        turns=turns,
        product=row["product"],
        category=row["category"],
        tags=tuple(row["tags"] or ()),
        status=row["status"],
        priority=row["priority"],
        language=row["language"],
        satisfaction=Satisfaction(**json.loads(row["satisfaction"])) if row["satisfaction"] else None,
        vendor=VendorAnnotations.model_validate(json.loads(row["vendor"])) if row["vendor"] else None,
        meta=json.loads(row["meta"]) if row["meta"] else {},
    )

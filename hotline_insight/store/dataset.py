"""The store: Parquet tables partitioned by quarter, replaced atomically, written by one run at a time.

Layout of a store rooted at ``out/store``::

    out/store/_store.json                  format, schema version, tables and their columns
    out/store/_manifest.json               the inputs already written (SHA-256 of their bytes), per quarter
    out/store/_lock                        held (flock) by the run writing the store
    out/store/_staging/<run>/              a run's files until they are swapped in
    out/store/<table>/quarter=2026Q3/part-00000.parquet
    out/store/<table>/quarter=unknown/...  interactions without created_at, and their grievances

Readers need nothing of ours: ``pd.read_parquet("out/store/grievances")``,
DuckDB's ``read_parquet('out/store/grievances/*/*.parquet', hive_partitioning=true)``
and Spark's ``spark.read.parquet("out/store/grievances")`` all read a table as
it is (files and folders starting with ``_`` are skipped by all three).

How a run writes (see :class:`StoreWriter`):

1. It takes the lock: a second run on the same store fails at once (E1106,
   naming the process that holds it). The lock is released when the holding
   process ends, however it ends.
2. It completes or removes what interrupted runs left (see :meth:`Store.recover`).
3. Every partition it touches is built whole in ``_staging/<run>/``: the new
   rows, plus (when appending) hard links to the partition's current files.
   Files and folders are fsynced.
4. It writes ``_staging/<run>/COMMIT.json`` (atomically, by rename): this is
   the commit point. A run killed before it leaves the store exactly as it
   was; one killed after it is completed by the next run.
5. Each staged partition is swapped with the live one in one atomic
   ``renameat2(RENAME_EXCHANGE)``, so a reader sees the old partition or the
   new one, never a mix. Where the file system can't exchange, the old folder
   is renamed away and the new one in: a reader may then, for an instant, find
   the quarter missing, never half written.
6. The manifest is replaced (write, fsync, rename), the journal removed, the
   staging folder deleted, the lock released.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfigError, Errors, HotlineError, Warnings, scrub, warn
from ..errors import HotlineWarning as _HotlineWarning
from .schema import (
    AGGREGATE_KEYS,
    AGGREGATE_SUMS,
    STORE_SCHEMA_VERSION,
    TABLE_KEY,
    TABLES,
    VERSION_KEY,
    arrow_schema,
    check_quarter,
    check_table,
    empty_frame,
    from_arrow,
    quarter_sort_key,
    quarters_of,
    to_arrow,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "MIGRATIONS",
    "CorruptPartitionError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreWarning",
    "StoreWriter",
    "file_sha256",
    "register_migration",
]

STORE_FORMAT = "hotline_insight.store"
_DESCRIPTION = "_store.json"
_MANIFEST = "_manifest.json"
_LOCK = "_lock"
_STAGING = "_staging"
_JOURNAL = "COMMIT.json"
_MARKER = "_run"
ROW_GROUP_ROWS = 32_768
"""Rows buffered per partition before a row group is written (or :data:`ROW_GROUP_BYTES`, if sooner)."""
ROW_GROUP_BYTES = 8 << 20
"""Arrow bytes buffered per partition before a row group is written: memory stays bounded by it."""

Mode = Literal["append", "replace"]


class StoreError(HotlineError, OSError):
    """The store can't be read or written: see the message's code."""


class StoreLockedError(StoreError):
    """Another run holds the store's lock. ``pid`` and ``host`` name it (None when unknown)."""

    def __init__(self, message: str, *, pid: int | None = None, host: str | None = None) -> None:
        super().__init__(message)
        self.pid = pid
        self.host = host


class CorruptPartitionError(StoreError):
    """A partition's file can't be read. ``table``, ``quarter`` and ``file`` say which."""

    def __init__(self, message: str, *, table: str, quarter: str, file: str) -> None:
        super().__init__(message)
        self.table = table
        self.quarter = quarter
        self.file = file


class StoreWarning(_HotlineWarning):
    """Something about the store's state the user should know (codes W501-W509)."""


MIGRATIONS: dict[int, Callable[[str, pa.Table], pa.Table]] = {}
"""Schema migrations by the version they read: ``MIGRATIONS[v](table_name, data)`` returns version ``v + 1``."""


def register_migration(
    from_version: int,
) -> Callable[[Callable[[str, pa.Table], pa.Table]], Callable[[str, pa.Table], pa.Table]]:
    """Register a function that turns a table read at ``from_version`` into ``from_version + 1``.

    Reading a file written at an older version applies the migrations in turn;
    without one, reading raises E1103 saying how to rebuild the store.

    Examples:
        >>> @register_migration(-1)
        ... def _rename(table, data):
        ...     return data
        >>> -1 in MIGRATIONS
        True
        >>> del MIGRATIONS[-1]
    """

    def decorate(func: Callable[[str, pa.Table], pa.Table]) -> Callable[[str, pa.Table], pa.Table]:
        MIGRATIONS[from_version] = func
        return func

    return decorate


@register_migration(1)
def _add_meta_ids(table: str, data: pa.Table) -> pa.Table:
    """Version 1 -> 2: interactions gained ``meta_ids`` (empty for rows written before)."""
    import pyarrow as pa

    if table != "interactions" or "meta_ids" in data.column_names:
        return data
    return data.append_column("meta_ids", pa.nulls(data.num_rows, type=pa.list_(pa.string())))


# -- small file-system helpers ----------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to ``path`` so that a reader (or a crash) finds the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


_USE_EXCHANGE = True
"""Swap partitions with ``renameat2(RENAME_EXCHANGE)`` where the kernel and file system allow it."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False when this system can't (the caller falls back)."""
    if not _USE_EXCHANGE:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _checkpoint(stage: str) -> None:
    """Testing hook: with ``HOTLINE_STORE_PAUSE_AT=<stage>``, stop here until killed.

    The kill tests set it in a child process to kill a run at a known stage:
    ``writing``, ``staged``, ``committed``, ``swapping``, ``half-swapped`` (only
    without RENAME_EXCHANGE), ``swapped`` and ``manifest``. The file named by
    ``HOTLINE_STORE_PAUSE_FILE`` is created when the stage is reached.
    """
    if os.environ.get("HOTLINE_STORE_PAUSE_AT") != stage:
        return
    flag = os.environ.get("HOTLINE_STORE_PAUSE_FILE")
    if flag:
        Path(flag).write_text(str(os.getpid()), encoding="utf-8")
    while True:  # pragma: no cover - ended by the test's SIGKILL
        time.sleep(1)


def _is_enospc(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, as hex: the key of the store's manifest.

    Raises:
        StoreError: E1115 when the file can't be read.

    Examples:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     f = pathlib.Path(tmp, "a.txt"); _ = f.write_bytes(b"abc")
        ...     file_sha256(f)[:16]
        'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError as exc:
        raise StoreError(Errors.E1115.format(source=path, reason=type(exc).__name__)) from exc
    return digest.hexdigest()


def _check_lists(func: str, lists: Any) -> None:
    if lists not in ("list", "tuple"):
        raise ConfigError(
            Errors.E1113.format(name="lists", func=func, expected="'list' or 'tuple'", value=lists)
        )


def _part_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".parquet" and not p.name.startswith(("_", ".")))


def _part_seq(path: Path) -> int:
    try:
        return int(path.stem.split("-")[1])
    except (IndexError, ValueError):
        return -1


def write_part(path: Path, data: pa.Table) -> None:
    """Write one part file whole and fsync it (used by the writer and by Spark executors)."""
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(data, path, coerce_timestamps="us", allow_truncated_timestamps=False)
    _fsync_file(path)


# -- the store ----------------------------------------------------------------------------


class Store:
    """A folder of Parquet tables partitioned by quarter: ``interactions``, ``grievances``, ``aggregates``.

    The tables and their columns are in :mod:`hotline_insight.store.schema`.
    Write with :meth:`writer` (or :func:`hotline_insight.write_store`, which
    streams inputs into it); read with :meth:`read`, or with pandas, DuckDB or
    Spark directly.

    Args:
        path: the store's root folder. It may not exist yet; the first writer creates it.

    Raises:
        StoreError: E1101 when ``path`` is a non-empty folder that is not a store;
            E1102 when ``_store.json`` is unreadable; E1103 when the store was
            written by a newer version, or an older one that can't be migrated.

    Examples:
        >>> import tempfile
        >>> import pandas as pd
        >>> import hotline_insight as hi
        >>> tmp = tempfile.mkdtemp()
        >>> store = hi.Store(tmp)
        >>> frame = pd.DataFrame({"quarter": ["2026Q3"], "theme": ["fees"], "dimension": ["all"],
        ...                       "value": [None], "n_grievances": [3], "n_interactions": [2],
        ...                       "intensity_sum": [1.5], "sentiment_sum": [-0.6]})
        >>> with store.writer() as w:
        ...     w.append("aggregates", frame)
        >>> store.quarters("aggregates")
        ['2026Q3']
        >>> store.read("aggregates")[["theme", "n_grievances", "quarter"]].to_dict("records")
        [{'theme': 'fees', 'n_grievances': 3, 'quarter': '2026Q3'}]
        >>> pd.read_parquet(f"{tmp}/aggregates")["n_grievances"].tolist()
        [3]
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.root = Path(path)
        self._version: int | None = None
        description = self.root / _DESCRIPTION
        if description.exists():
            self._version = self._check_description(description)
        elif self.root.exists() and (
            not self.root.is_dir() or any(p.name not in (_LOCK, _STAGING) for p in self.root.iterdir())
        ):
            raise StoreError(Errors.E1101.format(path=self.root))

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    # -- description ----------------------------------------------------------------
    def _check_description(self, path: Path) -> int:
        try:
            data = _read_json(path)
            version = data["schema_version"]
            if data.get("format") != STORE_FORMAT or not isinstance(version, int):
                raise ValueError("not a hotline_insight store description")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                Errors.E1102.format(path=path, reason=f"{type(exc).__name__}: {exc!s:.80}")
            ) from None
        self._check_version(f"The store {self.root}", version)
        return version

    @staticmethod
    def _check_version(what: str, version: int) -> None:
        if version == STORE_SCHEMA_VERSION:
            return
        if version > STORE_SCHEMA_VERSION:
            how = "Upgrade hotline_insight to read it."
        elif all(v in MIGRATIONS for v in range(version, STORE_SCHEMA_VERSION)):
            return  # read through the registered migrations
        else:
            missing = [v for v in range(version, STORE_SCHEMA_VERSION) if v not in MIGRATIONS]
            how = (
                f"No migration from version {missing[0]} is registered "
                "(hotline_insight.store.register_migration). Rebuild the store: run write_store() "
                "over the same inputs into a new folder."
            )
        raise StoreError(
            Errors.E1103.format(what=what, value=version, expected=STORE_SCHEMA_VERSION, how=how)
        )

    @property
    def exists(self) -> bool:
        """Whether the store has been written (its ``_store.json`` exists)."""
        return (self.root / _DESCRIPTION).exists()

    @property
    def schema_version(self) -> int | None:
        """The schema version recorded in ``_store.json`` (None before the first write)."""
        if self._version is None and (self.root / _DESCRIPTION).exists():
            # first written since this object was made (by another Store object or process)
            self._version = self._check_description(self.root / _DESCRIPTION)
        return self._version

    def _create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        from .. import __version__

        description = {
            "format": STORE_FORMAT,
            "schema_version": STORE_SCHEMA_VERSION,
            "created_at": _now(),
            "created_by": f"hotline_insight {__version__}",
            "partitioning": "hive, by the UTC quarter of created_at: quarter=YYYYQn or quarter=unknown",
            "timestamps": "microseconds, UTC",
            "tables": {name: [[c.name, c.arrow] for c in columns] for name, columns in TABLES.items()},
        }
        _write_json_atomic(self.root / _DESCRIPTION, description)
        self._version = STORE_SCHEMA_VERSION

    def _require(self) -> None:
        if not self.exists:
            raise StoreError(
                Errors.E1102.format(
                    path=self.root / _DESCRIPTION, reason="it does not exist: nothing was written yet"
                )
            )

    # -- listing ---------------------------------------------------------------------
    def _partition_dir(self, table: str, quarter: str) -> Path:
        return self.root / table / f"quarter={quarter}"

    def quarters(self, table: str = "interactions") -> list[str]:
        """The quarters a table has partitions for, in time order (``'unknown'`` last).

        Raises:
            ConfigError: E1104 for an unknown table.
        """
        check_table(table)
        folder = self.root / table
        if not folder.is_dir():
            return []
        found = [
            p.name.split("=", 1)[1]
            for p in folder.iterdir()
            if p.is_dir() and p.name.startswith("quarter=") and _part_files(p)
        ]
        return sorted(found, key=quarter_sort_key)

    def _select_quarters(self, table: str, quarters: str | Iterable[str] | None) -> list[str]:
        have = self.quarters(table)
        if quarters is None:
            return have
        wanted = [check_quarter(q) for q in ([quarters] if isinstance(quarters, str) else quarters)]
        return [q for q in sorted(set(wanted), key=quarter_sort_key) if q in have]

    def partitions(self) -> pd.DataFrame:
        """One row per partition: ``table``, ``quarter``, ``n_files``, ``n_rows`` (from the footers), ``n_bytes``.

        Raises:
            CorruptPartitionError: E1107 when a footer can't be read (:meth:`verify` lists them all).
        """
        import pandas as pd
        import pyarrow.parquet as pq

        rows = []
        for table in TABLES:
            for quarter in self.quarters(table):
                files = _part_files(self._partition_dir(table, quarter))
                n_rows = 0
                for f in files:
                    try:
                        n_rows += pq.ParquetFile(f).metadata.num_rows
                    except Exception as exc:
                        raise self._corrupt(table, quarter, f, exc) from None
                rows.append(
                    {
                        "table": table,
                        "quarter": quarter,
                        "n_files": len(files),
                        "n_rows": n_rows,
                        "n_bytes": sum(f.stat().st_size for f in files),
                    }
                )
        frame = pd.DataFrame(rows, columns=["table", "quarter", "n_files", "n_rows", "n_bytes"])
        return frame.astype(
            {
                "table": "string",
                "quarter": "string",
                "n_files": "int64",
                "n_rows": "int64",
                "n_bytes": "int64",
            }
        )

    # -- reading ---------------------------------------------------------------------
    def _corrupt(self, table: str, quarter: str, file: Path, exc: BaseException) -> CorruptPartitionError:
        reason = f"{type(exc).__name__}: {scrub(str(exc), limit=100, mask_digits=False)}"
        return CorruptPartitionError(
            Errors.E1107.format(table=table, quarter=quarter, path=self.root, file=file.name, reason=reason),
            table=table,
            quarter=quarter,
            file=str(file),
        )

    def _warn_pending(self) -> None:
        staging = self.root / _STAGING
        if not staging.is_dir():
            return
        for run in sorted(staging.iterdir()):
            if (run / _JOURNAL).exists():
                warn(Warnings.W502.format(path=self.root, run=run.name), StoreWarning, stacklevel=4)

    def _open_file(self, table: str, quarter: str, path: Path) -> tuple[Any, int]:
        """The ParquetFile and the schema version of one part file (checked)."""
        import pyarrow.parquet as pq

        try:
            handle = pq.ParquetFile(path)
            meta = handle.schema_arrow.metadata or {}
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError and others for bad files
            raise self._corrupt(table, quarter, path, exc) from None
        stored_table = meta.get(TABLE_KEY, b"").decode()
        raw_version = meta.get(VERSION_KEY)
        if raw_version is None or stored_table != table:
            reason = "it is not a file of this store's table (no or other hotline_insight.store metadata)"
            raise self._corrupt(table, quarter, path, ValueError(reason))
        try:
            version = int(raw_version)
        except ValueError:
            raise self._corrupt(
                table, quarter, path, ValueError("its schema version is not a number")
            ) from None
        self._check_version(f"The file {path}", version)
        return handle, version

    @staticmethod
    def _migrate(table: str, data: pa.Table, version: int) -> pa.Table:
        while version < STORE_SCHEMA_VERSION:
            data = MIGRATIONS[version](table, data)
            version += 1
        return data

    def _read_file(self, table: str, quarter: str, path: Path, columns: Sequence[str] | None) -> pa.Table:
        handle, version = self._open_file(table, quarter, path)
        try:
            if version == STORE_SCHEMA_VERSION:
                return handle.read(columns=list(columns) if columns is not None else None)
            data = self._migrate(table, handle.read(), version)
        except HotlineError:
            raise
        except Exception as exc:
            raise self._corrupt(table, quarter, path, exc) from None
        return data.select(list(columns)) if columns is not None else data

    def _columns(self, table: str, columns: Sequence[str] | None) -> list[str] | None:
        if columns is None:
            return None
        known = [c.name for c in TABLES[table]]
        wanted = [c for c in columns if c != "quarter"]
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ConfigError(
                Errors.E1113.format(
                    name="columns",
                    func="Store.read",
                    expected=f"columns of the {table} table ({', '.join(known)})",
                    value=unknown[0],
                )
            )
        return wanted

    def read(
        self,
        table: str,
        quarters: str | Iterable[str] | None = None,
        columns: Sequence[str] | None = None,
        *,
        lists: str = "list",
    ) -> pd.DataFrame:
        """A table (or some quarters and columns of it) as a DataFrame.

        Columns are those of the table (:data:`~hotline_insight.store.schema.TABLES`,
        with the dtypes documented there) in that order, then ``quarter``
        (string). Rows come in quarter order, then file and row order.

        Args:
            table: ``"interactions"``, ``"grievances"`` or ``"aggregates"``.
            quarters: a quarter (``"2026Q3"``, ``"unknown"``) or several; all when None.
                Quarters the table has no partition for give no rows.
            columns: the columns to read (``quarter`` is always added).
            lists: how list columns (themes, products, ...) come: ``"list"``, a
                new list per row; or ``"tuple"``, each distinct value once as a
                tuple that every row holding it shares. Tuples take a fraction of
                the memory on a large table (themes repeat); they can't be changed
                in place.

        Raises:
            StoreError: E1102 when nothing was written yet.
            CorruptPartitionError: E1107 naming the partition and file that can't be read.
            ConfigError: E1104 unknown table, E1105 invalid quarter, E1113 unknown column.
        """
        import pandas as pd

        table = check_table(table)
        self._require()
        self._warn_pending()
        _check_lists("Store.read", lists)
        wanted = self._columns(table, columns)
        frames = []
        for quarter in self._select_quarters(table, quarters):
            for path in _part_files(self._partition_dir(table, quarter)):
                data = self._read_file(table, quarter, path, wanted)
                if data.num_rows:
                    frames.append(from_arrow(table, data, quarter=quarter, lists=lists))
        if not frames:
            return empty_frame(table, wanted)
        out = pd.concat(frames, ignore_index=True)
        for column in TABLES[table]:
            if column.dtype == "category" and column.name in out.columns:
                out[column.name] = out[column.name].astype("string").astype("category")
        return out

    def iter_frames(
        self,
        table: str,
        quarters: str | Iterable[str] | None = None,
        columns: Sequence[str] | None = None,
        *,
        batch_size: int = 65_536,
        lists: str = "list",
    ) -> Iterator[pd.DataFrame]:
        """The table in frames of at most ``batch_size`` rows, in the order of :meth:`read`.

        Memory stays bounded by the batch size, whatever the table's size.
        ``lists`` is as in :meth:`read`.
        """
        table = check_table(table)
        self._require()
        _check_lists("Store.iter_frames", lists)
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ConfigError(
                Errors.E1113.format(
                    name="batch_size", func="Store.iter_frames", expected="an int >= 1", value=batch_size
                )
            )
        wanted = self._columns(table, columns)
        import pyarrow as pa

        for quarter in self._select_quarters(table, quarters):
            for path in _part_files(self._partition_dir(table, quarter)):
                handle, version = self._open_file(table, quarter, path)
                if version != STORE_SCHEMA_VERSION:
                    data = self._read_file(table, quarter, path, wanted)
                    for batch in data.to_batches(max_chunksize=batch_size):
                        yield from_arrow(table, pa.Table.from_batches([batch]), quarter=quarter, lists=lists)
                    continue
                try:
                    for batch in handle.iter_batches(batch_size=batch_size, columns=wanted):
                        yield from_arrow(table, pa.Table.from_batches([batch]), quarter=quarter, lists=lists)
                except Exception as exc:
                    raise self._corrupt(table, quarter, path, exc) from None

    def verify(self, *, deep: bool = True) -> pd.DataFrame:
        """Every problem found in the store, one row each; an empty frame when there is none.

        Checks each part file's footer, table name and schema version, and with
        ``deep`` (the default) reads every page (decompression and checksums).
        Also reports an interrupted commit and an unreadable manifest.

        Returns:
            Columns ``table``, ``quarter``, ``file``, ``problem`` (all string).
        """
        import pandas as pd

        self._require()
        rows: list[dict[str, str]] = []
        for table in TABLES:
            folder = self.root / table
            if not folder.is_dir():
                continue
            for part in sorted(p for p in folder.iterdir() if p.is_dir() and p.name.startswith("quarter=")):
                quarter = part.name.split("=", 1)[1]
                files = _part_files(part)
                if not files:
                    rows.append(
                        {
                            "table": table,
                            "quarter": quarter,
                            "file": "",
                            "problem": "the partition has no part file",
                        }
                    )
                for path in files:
                    try:
                        handle, _ = self._open_file(table, quarter, path)
                        if deep:
                            for _batch in handle.iter_batches():
                                pass
                    except StoreError as exc:
                        rows.append(
                            {"table": table, "quarter": quarter, "file": path.name, "problem": str(exc)}
                        )
                    except Exception as exc:
                        rows.append(
                            {
                                "table": table,
                                "quarter": quarter,
                                "file": path.name,
                                "problem": str(self._corrupt(table, quarter, path, exc)),
                            }
                        )
        staging = self.root / _STAGING
        if staging.is_dir():
            for run in sorted(staging.iterdir()):
                if (run / _JOURNAL).exists():
                    rows.append(
                        {
                            "table": "",
                            "quarter": "",
                            "file": str(run.name),
                            "problem": Warnings.W502.format(path=self.root, run=run.name),
                        }
                    )
        try:
            self._load_manifest()
        except StoreError as exc:
            rows.append({"table": "", "quarter": "", "file": _MANIFEST, "problem": str(exc)})
        return pd.DataFrame(rows, columns=["table", "quarter", "file", "problem"]).astype("string")

    # -- manifest --------------------------------------------------------------------
    def _load_manifest(self) -> dict[str, Any]:
        path = self.root / _MANIFEST
        if not path.exists():
            return {"schema_version": STORE_SCHEMA_VERSION, "inputs": {}, "runs": []}
        try:
            data = _read_json(path)
            if not isinstance(data.get("inputs"), dict) or not isinstance(data.get("runs"), list):
                raise ValueError("inputs or runs missing")
        except (OSError, ValueError, AttributeError) as exc:
            raise StoreError(
                Errors.E1102.format(path=path, reason=f"{type(exc).__name__}: {exc!s:.80}")
            ) from None
        return dict(data)

    def is_processed(self, sha256: str) -> bool:
        """Whether an input with these bytes (:func:`file_sha256`) was already written."""
        return sha256 in self._load_manifest()["inputs"]

    def inputs(self) -> pd.DataFrame:
        """The manifest: one row per input file and quarter it contributed to.

        Columns: ``sha256``, ``path``, ``quarter`` (``<NA>`` for an input that
        gave no interaction), ``n_interactions`` (int64), ``run_id``, ``written_at``.
        """
        import pandas as pd

        rows = []
        for sha, entry in sorted(self._load_manifest()["inputs"].items()):
            quarters = entry.get("quarters") or {None: 0}
            for quarter, n in sorted(quarters.items(), key=lambda kv: quarter_sort_key(kv[0] or "~")):
                rows.append(
                    {
                        "sha256": sha,
                        "path": entry.get("path"),
                        "quarter": quarter,
                        "n_interactions": int(n),
                        "run_id": entry.get("run_id"),
                        "written_at": entry.get("written_at"),
                    }
                )
        columns = ["sha256", "path", "quarter", "n_interactions", "run_id", "written_at"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.astype(
            {c: "string" for c in columns if c != "n_interactions"} | {"n_interactions": "int64"}
        )

    def runs(self) -> list[dict[str, Any]]:
        """The runs that wrote the store, oldest first (id, mode, quarters, times, counts)."""
        return list(self._load_manifest()["runs"])

    def totals(self) -> dict[str, Any]:
        """What the runs that read the store's inputs parsed and redacted, added up.

        Counts of every run since the last ``replace`` run (which read every
        input again), so re-runs that skip their inputs add nothing. A
        replace run given only some of the inputs keeps the other quarters'
        rows but not their counts: the counts are per run, not per input.

        Returns:
            ``{"parse": {...}, "redactions": {...}}``: ``parse`` has the keys of
            ``ParseReport.summary()`` (counts summed, ``formats`` and
            ``failures_by_reason`` summed by key); both are empty when no run
            recorded them.
        """
        runs = self.runs()
        start = max((i for i, run in enumerate(runs) if run.get("mode") == "replace"), default=0)
        parse: dict[str, Any] = {}
        redactions: dict[str, int] = {}
        for run in runs[start:]:
            for key, value in (run.get("parse") or {}).items():
                if isinstance(value, dict):
                    merged = parse.setdefault(key, {})
                    for name, n in value.items():
                        merged[name] = merged.get(name, 0) + int(n)
                elif isinstance(value, int | float):
                    parse[key] = parse.get(key, 0) + value
            for name, n in (run.get("redactions") or {}).items():
                redactions[name] = redactions.get(name, 0) + int(n)
        for key, value in parse.items():
            if isinstance(value, dict):
                parse[key] = dict(sorted(value.items()))
        return {"parse": parse, "redactions": dict(sorted(redactions.items()))}

    # -- writing ---------------------------------------------------------------------
    def writer(self, mode: Mode = "append") -> StoreWriter:
        """Take the store's lock and start a run; use it as a context manager.

        Args:
            mode: ``"append"`` adds rows to the quarters written (their current
                files are kept, aggregates are summed); ``"replace"`` makes
                each quarter the run writes hold exactly this run's rows.

        Raises:
            StoreLockedError: E1106 when another run holds the lock.
        """
        return StoreWriter(self, mode)

    def recover(self) -> list[str]:
        """Complete interrupted commits and delete other leftovers of killed runs; return the runs completed.

        Write runs do this first, under the lock; call it to repair a store
        that no run will write soon.

        Raises:
            StoreLockedError: E1106 when a run holds the lock.
        """
        self._require()
        with _Lock(self.root):
            return _recover(self)


# -- lock -----------------------------------------------------------------------------------


class _Lock:
    """An exclusive, non-blocking ``flock`` on ``<root>/_lock``, released when its holder ends."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fd: int | None = None

    def __enter__(self) -> _Lock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        import fcntl  # POSIX only: the store is written on Linux and macOS file systems

        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / _LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder: dict[str, Any] = {}
            with contextlib.suppress(OSError, ValueError):
                holder = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
            os.close(fd)
            pid = holder.get("pid")
            host = holder.get("host")
            raise StoreLockedError(
                Errors.E1106.format(
                    path=self.root,
                    pid=pid if pid is not None else "unknown",
                    host=host or "an unknown host",
                    since=holder.get("since", "an unknown time"),
                ),
                pid=pid if isinstance(pid, int) else None,
                host=host,
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": _now()}).encode(), 0
        )
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        import fcntl

        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


# -- writer ---------------------------------------------------------------------------------


def _new_run_id() -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{os.getpid()}"


def as_store(store: Store | str | os.PathLike[str]) -> Store:
    """The :class:`Store` itself, or one for a folder: what every function taking ``store=`` accepts."""
    return store if isinstance(store, Store) else Store(store)


class StoreWriter:
    """One run writing a store: stage rows, then commit them atomically (or abort, changing nothing).

    Use through :meth:`Store.writer` as a context manager: leaving the block
    normally commits; an exception aborts (the staging files are removed and
    every partition stays as it was).

    Every quarter the run writes gets a partition in every table (a table with
    no rows for it gets a part file with no rows), so a replaced quarter never
    keeps stale rows in a table the run had nothing for.

    Examples:
        >>> import tempfile
        >>> import hotline_insight as hi
        >>> store = hi.Store(tempfile.mkdtemp())
        >>> corpus = hi.read("sample_data/tickets/freshdesk")
        >>> with store.writer() as writer:
        ...     writer.append("interactions", hi.store.interactions_frame(corpus))
        ...     writer.add_input("0" * 64, "tickets.json", {"2026Q3": 35})
        >>> writer.state, store.quarters("grievances")[:2], store.is_processed("0" * 64)
        ('committed', ['2025Q3', '2025Q4'], True)
    """

    def __init__(self, store: Store, mode: Mode) -> None:
        if mode not in ("append", "replace"):
            raise ConfigError(
                Errors.E1113.format(
                    name="mode", func="Store.writer", expected="'append' or 'replace'", value=mode
                )
            )
        self.store = store
        self.mode = mode
        self.run_id = _new_run_id()
        self.state = "open"
        self._lock = _Lock(store.root)
        self._lock.acquire()
        try:
            if not store.exists:
                store._create()
            elif store.schema_version != STORE_SCHEMA_VERSION:
                raise StoreError(
                    Errors.E1103.format(
                        what=f"The store {store.root}",
                        value=store.schema_version,
                        expected=STORE_SCHEMA_VERSION,
                        how="It can be read (through its migrations) but not added to: write a new store.",
                    )
                )
            self.recovered = _recover(store)
            self.staging = store.root / _STAGING / self.run_id
            self.staging.mkdir(parents=True)
        except BaseException:
            self._lock.release()
            raise
        self.started_at = _now()
        self._writers: dict[tuple[str, str], Any] = {}
        self._buffers: dict[tuple[str, str], list[pa.Table]] = {}
        self._buffered: dict[tuple[str, str], int] = {}
        self._buffered_bytes: dict[tuple[str, str], int] = {}
        self._seq: dict[tuple[str, str], int] = {}
        self._rows: dict[tuple[str, str], int] = {}
        self._adopted: dict[tuple[str, str], list[str]] = {}
        self._own: dict[tuple[str, str], set[str]] = {}
        self._aggregates: dict[tuple[Any, ...], list[float]] = {}
        self._inputs: dict[str, dict[str, Any]] = {}
        self._quarters: set[str] = set()
        self._replaced: set[str] = set()
        self._rewritten: set[tuple[str, str]] = set()
        self._details: dict[str, Any] = {}

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if self.state != "open":
            return
        if exc_type is None:
            self.commit()
        else:
            self.abort()

    def __repr__(self) -> str:
        return f"StoreWriter({str(self.store.root)!r}, mode={self.mode!r}, run_id={self.run_id!r}, state={self.state!r})"

    def _check_open(self) -> None:
        if self.state != "open":
            raise HotlineError(Errors.E1112.format(state=self.state))

    # -- staging paths -----------------------------------------------------------------
    def staged_dir(self, table: str, quarter: str) -> Path:
        """Where the run's files for a partition are built (the same file system as the store)."""
        return self.staging / "new" / table / f"quarter={quarter}"

    def _next_seq(self, table: str, quarter: str) -> int:
        key = (table, quarter)
        if key not in self._seq:
            live = _part_files(self.store._partition_dir(table, quarter))
            self._seq[key] = 1 + max((_part_seq(p) for p in live), default=-1)
        return self._seq[key]

    def part_path(self, table: str, quarter: str, task: int | None = None) -> Path:
        """The path of a new part file of this run (``task`` numbers files written by others, such as Spark tasks)."""
        check_table(table)
        quarter = check_quarter(quarter)
        seq = self._next_seq(table, quarter)
        name = f"part-{seq:05d}.parquet" if task is None else f"part-{seq:05d}-{task:05d}.parquet"
        return self.staged_dir(table, quarter) / name

    # -- adding rows ---------------------------------------------------------------------
    def append(self, table: str, frame: pd.DataFrame) -> None:
        """Stage rows of a table; ``frame["quarter"]`` says each row's partition.

        Without a ``quarter`` column, interactions and grievances are
        partitioned by the quarter of ``created_at``. Aggregates (which need
        ``quarter``) are summed with those already staged, and with the
        quarter's current aggregates when appending.

        Raises:
            ConfigError: E1110/E1111 when the frame doesn't fit the table's schema.
            StoreError: E1108 (disk full) or E1109; the run is then aborted.
        """
        self._check_open()
        table = check_table(table)
        if "quarter" in frame.columns:
            quarters = frame["quarter"].astype("string")
        elif table != "aggregates" and "created_at" in frame.columns:
            quarters = quarters_of(frame["created_at"])
        else:
            raise ConfigError(
                Errors.E1110.format(
                    table=table, missing="quarter", expected="a 'quarter' column (or 'created_at')"
                )
            )
        if table == "aggregates":
            self._add_aggregates(frame, quarters)
            return
        if not len(frame):
            return
        import pyarrow as pa
        import pyarrow.compute as pc

        whole = to_arrow(table, frame)
        labels = pa.array(quarters.astype(object).tolist(), type=pa.string())
        for quarter in sorted(set(labels.to_pylist()), key=lambda q: quarter_sort_key(str(q))):
            quarter = check_quarter(quarter)
            data = whole.filter(pc.equal(labels, quarter))
            self._quarters.add(quarter)
            key = (table, quarter)
            self._buffers.setdefault(key, []).append(data)
            self._buffered[key] = self._buffered.get(key, 0) + data.num_rows
            self._buffered_bytes[key] = self._buffered_bytes.get(key, 0) + data.nbytes
            self._rows[key] = self._rows.get(key, 0) + data.num_rows
            if self._buffered[key] >= ROW_GROUP_ROWS or self._buffered_bytes[key] >= ROW_GROUP_BYTES:
                self._flush(key)

    def _flush(self, key: tuple[str, str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables = self._buffers.pop(key, [])
        self._buffered.pop(key, None)
        self._buffered_bytes.pop(key, None)
        if not tables:
            return
        table, quarter = key
        try:
            writer = self._writers.get(key)
            if writer is None:
                path = self.part_path(table, quarter)
                path.parent.mkdir(parents=True, exist_ok=True)
                self._own.setdefault(key, set()).add(path.name)
                writer = pq.ParquetWriter(
                    path, arrow_schema(table), coerce_timestamps="us", allow_truncated_timestamps=False
                )
                self._writers[key] = writer
            _write_batch(writer, pa.concat_tables(tables))
        except OSError as exc:
            self._fail(f"{table}/quarter={quarter}", exc)
        _checkpoint("writing")

    def adopt(self, table: str, quarter: str, path: str | os.PathLike[str], n_rows: int) -> None:
        """Count a part file written (and fsynced) by someone else into :meth:`part_path`, such as a Spark task."""
        self._check_open()
        quarter = check_quarter(quarter)
        file = Path(path)
        if file.parent != self.staged_dir(check_table(table), quarter) or not file.exists():
            raise ConfigError(
                Errors.E1113.format(
                    name="path",
                    func="StoreWriter.adopt",
                    expected=f"a file in {self.staged_dir(table, quarter)}",
                    value=str(file),
                )
            )
        self._quarters.add(quarter)
        self._adopted.setdefault((table, quarter), []).append(file.name)
        self._rows[(table, quarter)] = self._rows.get((table, quarter), 0) + int(n_rows)

    def _add_aggregates(self, frame: pd.DataFrame, quarters: pd.Series) -> None:
        from .schema import to_arrow as _check

        _check("aggregates", frame)  # validates columns and types
        keys = [c for c in AGGREGATE_KEYS if c != "quarter"]
        values = frame[list(AGGREGATE_SUMS)].to_numpy(dtype=float)
        key_columns = [quarters.tolist()] + [
            frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in keys
        ]
        for i, key in enumerate(zip(*key_columns, strict=True)):
            quarter = check_quarter(key[0])
            self._quarters.add(quarter)
            total = self._aggregates.setdefault((quarter, *key[1:]), [0.0, 0.0, 0.0, 0.0])
            for j in range(4):
                total[j] += values[i, j]

    def replace_quarters(self, quarters: Iterable[str]) -> None:
        """Make these quarters hold only this run's rows, even in append mode (and even with none)."""
        self._check_open()
        for quarter in quarters:
            quarter = check_quarter(quarter)
            self._replaced.add(quarter)
            self._quarters.add(quarter)

    def rewrite(self, table: str, quarter: str) -> None:
        """Make one table's partition of a quarter hold only this run's rows; its other tables are kept.

        For a pass that rewrites the rows it read, such as filling the
        ``topic`` column of a quarter's grievances: the manifest and the
        quarter's interactions and aggregates stay as they are.
        """
        self._check_open()
        table = check_table(table)
        if table == "aggregates":
            raise ConfigError(
                Errors.E1113.format(
                    name="table",
                    func="StoreWriter.rewrite",
                    expected="'interactions' or 'grievances'",
                    value=table,
                )
            )
        if self.mode != "append":
            raise ConfigError(
                Errors.E1113.format(
                    name="mode",
                    func="StoreWriter.rewrite",
                    expected="a writer in 'append' mode",
                    value=self.mode,
                )
            )
        quarter = check_quarter(quarter)
        self._rewritten.add((table, quarter))
        self._quarters.add(quarter)

    def describe(self, **details: Any) -> None:
        """Keep JSON-able facts about the run in its manifest record (``parse``, ``redactions``, ...).

        :meth:`Store.totals` adds up ``parse`` (a ``ParseReport.summary()``)
        and ``redactions`` (counts by type) over the runs. Never pass text
        that could hold personal data: counts and names of formats only.
        """
        self._check_open()
        json.dumps(details)  # fail now, not at the commit
        self._details.update(details)

    def add_input(self, sha256: str, path: str, quarters: Mapping[str, int]) -> None:
        """Record an input file this run wrote, with its interactions per quarter, in the manifest."""
        self._check_open()
        self._inputs[sha256] = {
            "path": str(path),
            "quarters": {check_quarter(q): int(n) for q, n in sorted(quarters.items())},
        }

    def is_processed(self, sha256: str) -> bool:
        """Whether the store (before this run) or this run already holds an input with these bytes."""
        return sha256 in self._inputs or self.store.is_processed(sha256)

    @property
    def quarters_written(self) -> list[str]:
        """The quarters this run writes, in time order."""
        return sorted(self._quarters, key=quarter_sort_key)

    def rows_written(self, table: str) -> int:
        """Rows this run staged for a table (aggregates: groups)."""
        if table == "aggregates":
            return len(self._aggregates)
        return sum(n for (t, _), n in self._rows.items() if t == table)

    # -- failing -------------------------------------------------------------------------
    def _fail(self, what: str, exc: OSError) -> None:
        self.abort()
        if _is_enospc(exc):
            raise StoreError(Errors.E1108.format(what=what, path=self.store.root)) from exc
        raise StoreError(
            Errors.E1109.format(what=what, path=self.store.root, reason=f"{type(exc).__name__}: {exc!s:.100}")
        ) from exc

    def abort(self) -> None:
        """Drop everything staged; the store stays as it was. The lock is released."""
        if self.state != "open":
            return
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        self._writers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)
        self.state = "aborted"
        self._lock.release()

    # -- committing ----------------------------------------------------------------------
    def commit(self) -> list[str]:
        """Swap every staged partition in and update the manifest; return the quarters written.

        Raises:
            StoreError: E1108/E1109 before the commit point (nothing changed),
                E1114 after it (the next run completes the commit).
        """
        self._check_open()
        try:
            swaps = self._stage_all()
            _checkpoint("staged")
            manifest = self._new_manifest()
            journal = {"run_id": self.run_id, "mode": self.mode, "swaps": swaps, "manifest": manifest}
            _write_json_atomic(self.staging / _JOURNAL, journal)
        except StoreError:
            raise
        except OSError as exc:
            self._fail("the run's partitions", exc)
        _checkpoint("committed")
        try:
            _complete(self.store, self.staging, journal)
        except OSError as exc:
            self.state = "failed"
            self._lock.release()
            raise StoreError(
                Errors.E1114.format(
                    path=self.store.root, run=self.run_id, reason=f"{type(exc).__name__}: {exc!s:.100}"
                )
            ) from exc
        self.state = "committed"
        self._lock.release()
        return self.quarters_written

    def _stage_all(self) -> list[list[str]]:
        """Finish every staged partition (files closed, old files linked, empty ones written) and fsync."""
        for key in list(self._buffers):
            self._flush(key)
        for key, writer in list(self._writers.items()):
            try:
                writer.close()
            except OSError as exc:
                self._fail(f"{key[0]}/quarter={key[1]}", exc)
        self._writers.clear()
        swaps: list[list[str]] = []
        for quarter in self.quarters_written:
            for table in TABLES:
                key = (table, quarter)
                folder = self.staged_dir(table, quarter)
                folder.mkdir(parents=True, exist_ok=True)
                live = self.store._partition_dir(table, quarter)
                keep_old = (
                    quarter not in self._replaced and self.mode == "append" and key not in self._rewritten
                )
                keep = set(self._own.get(key, ())) | set(self._adopted.get(key, ()))
                # anything else here was left by tasks whose files were never adopted (failed or
                # speculative Spark attempts, their temporary files): it is not part of the run
                for path in list(folder.iterdir()):
                    if path.name not in keep:
                        shutil.rmtree(path) if path.is_dir() else path.unlink()
                if table == "aggregates":
                    self._write_aggregates(quarter, folder, live if keep_old else None)
                elif keep_old:
                    for old in _part_files(live):
                        target = folder / old.name
                        try:
                            os.link(old, target)
                        except OSError as exc:
                            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                                raise
                            shutil.copy2(old, target)
                if not _part_files(folder):
                    write_part(folder / "part-00000.parquet", arrow_schema(table).empty_table())
                (folder / _MARKER).write_text(self.run_id, encoding="utf-8")
                for path in folder.iterdir():
                    _fsync_file(path)
                _fsync_dir(folder)
                _fsync_dir(folder.parent)
                swaps.append([table, quarter])
        for folder in (self.staging / "new", self.staging):
            if folder.exists():
                _fsync_dir(folder)
        return swaps

    def _write_aggregates(self, quarter: str, folder: Path, live: Path | None) -> None:
        import pandas as pd

        rows = [(*key[1:], *vals) for key, vals in self._aggregates.items() if key[0] == quarter]
        keys = [c for c in AGGREGATE_KEYS if c != "quarter"]
        frame = pd.DataFrame(rows, columns=[*keys, *AGGREGATE_SUMS])
        if live is not None and _part_files(live):
            old = pd.concat(
                [
                    from_arrow("aggregates", self.store._read_file("aggregates", quarter, p, None))
                    for p in _part_files(live)
                ],
                ignore_index=True,
            )
            frame = pd.concat([old[[*keys, *AGGREGATE_SUMS]], frame], ignore_index=True)
        frame = _sum_aggregates(frame)
        write_part(
            folder / f"part-{self._next_seq('aggregates', quarter):05d}.parquet",
            to_arrow("aggregates", frame),
        )

    def _new_manifest(self) -> dict[str, Any]:
        manifest = self.store._load_manifest()
        inputs: dict[str, Any] = dict(manifest["inputs"])
        replaced = self._replaced | (set(self._quarters) if self.mode == "replace" else set())
        if replaced:
            for sha, entry in list(inputs.items()):
                quarters = entry.get("quarters") or {}
                if not quarters:
                    continue
                kept = {q: n for q, n in quarters.items() if q not in replaced}
                if kept:
                    inputs[sha] = {**entry, "quarters": kept}
                else:
                    del inputs[sha]
        finished = _now()
        for sha, entry in self._inputs.items():
            merged = dict(entry["quarters"])
            if sha in inputs and self.mode == "append":
                for q, n in (inputs[sha].get("quarters") or {}).items():
                    merged[q] = merged.get(q, 0) + int(n)
            inputs[sha] = {
                "path": entry["path"],
                "quarters": merged,
                "run_id": self.run_id,
                "written_at": finished,
            }
        run = {
            "run_id": self.run_id,
            "mode": self.mode,
            "started_at": self.started_at,
            "finished_at": finished,
            "quarters": self.quarters_written,
            "replaced": sorted(replaced, key=quarter_sort_key),
            "rewritten": [f"{t}/quarter={q}" for t, q in sorted(self._rewritten)],
            "n_inputs": len(self._inputs),
            "rows": {table: self.rows_written(table) for table in TABLES},
            **self._details,
        }
        return {
            "schema_version": STORE_SCHEMA_VERSION,
            "inputs": dict(sorted(inputs.items())),
            "runs": [*manifest["runs"], run],
        }


def _write_batch(writer: Any, data: pa.Table) -> None:
    """Write rows to an open ParquetWriter (one place, so tests can inject a full disk)."""
    writer.write_table(data)


def _sum_aggregates(frame: pd.DataFrame) -> pd.DataFrame:
    """Aggregate rows with the same (theme, dimension, value) summed, sorted by those keys."""
    import pandas as pd

    keys = ["theme", "dimension", "value"]
    if frame.empty:
        out = pd.DataFrame({c: pd.Series(dtype="string") for c in keys})
        for c in AGGREGATE_SUMS:
            out[c] = pd.Series(dtype="int64" if c.startswith("n_") else "float64")
        return out
    work = frame.copy()
    for c in keys:
        work[c] = work[c].astype("string")
    grouped = work.groupby(keys, dropna=False, sort=False)[list(AGGREGATE_SUMS)].sum().reset_index()
    grouped = grouped.sort_values(
        ["dimension", "theme", "value"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    for c in AGGREGATE_SUMS:
        grouped[c] = (
            grouped[c].round().astype("int64") if c.startswith("n_") else grouped[c].astype("float64")
        )
    return grouped


# -- commit and recovery --------------------------------------------------------------------


def _marker(folder: Path) -> str | None:
    try:
        return (folder / _MARKER).read_text(encoding="utf-8")
    except OSError:
        return None


def _complete(store: Store, staging: Path, journal: Mapping[str, Any]) -> None:
    """Carry out a committed run's swaps, manifest and clean-up; safe to repeat after a crash."""
    run_id = journal["run_id"]
    for i, (table, quarter) in enumerate(journal["swaps"]):
        live = store._partition_dir(table, quarter)
        staged = staging / "new" / table / f"quarter={quarter}"
        if _marker(live) == run_id:
            continue  # swapped before the crash
        if _marker(staged) != run_id:
            raise OSError(errno.ENOENT, f"the staged partition {table}/quarter={quarter} is missing")
        live.parent.mkdir(parents=True, exist_ok=True)
        if live.exists():
            if not _exchange(staged, live):
                old = staging / "old" / table / f"quarter={quarter}"
                old.parent.mkdir(parents=True, exist_ok=True)
                os.rename(live, old)
                _checkpoint("half-swapped")
                os.rename(staged, live)
        else:
            os.rename(staged, live)
        _fsync_dir(live.parent)
        _fsync_dir(staged.parent)
        if i == 0:
            _checkpoint("swapping")
    _checkpoint("swapped")
    _write_json_atomic(store.root / _MANIFEST, journal["manifest"])
    _checkpoint("manifest")
    (staging / _JOURNAL).unlink()
    _fsync_dir(staging)
    shutil.rmtree(staging, ignore_errors=True)


def _recover(store: Store) -> list[str]:
    """Complete committed runs and remove uncommitted staging folders (the caller holds the lock)."""
    staging_root = store.root / _STAGING
    if not staging_root.is_dir():
        return []
    completed: list[str] = []
    removed = 0
    for run in sorted(staging_root.iterdir()):
        journal_path = run / _JOURNAL
        if journal_path.exists():
            try:
                journal = _read_json(journal_path)
                _complete(store, run, journal)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise StoreError(
                    Errors.E1114.format(
                        path=store.root, run=run.name, reason=f"{type(exc).__name__}: {exc!s:.100}"
                    )
                ) from exc
            completed.append(run.name)
        else:
            shutil.rmtree(run, ignore_errors=True) if run.is_dir() else run.unlink()
            removed += 1
    if removed:
        warn(Warnings.W503.format(n=removed, path=store.root), StoreWarning, stacklevel=4)
    return completed

"""The Parquet store: the pipeline's tables, partitioned by quarter, written atomically.

:class:`Store` reads and writes it; :mod:`.schema` documents its tables;
:func:`hotline_insight.write_store` streams inputs into it and
:func:`hotline_insight.spark.write_store` does the same on Spark.

Examples:
    >>> from hotline_insight.store import TABLES, STORE_SCHEMA_VERSION
    >>> sorted(TABLES), STORE_SCHEMA_VERSION
    (['aggregates', 'grievances', 'interactions'], 2)
"""

from __future__ import annotations

from .dataset import (
    MIGRATIONS,
    CorruptPartitionError,
    Store,
    StoreError,
    StoreLockedError,
    StoreWarning,
    StoreWriter,
    file_sha256,
    register_migration,
)
from .schema import (
    AGGREGATE_COLUMNS,
    GRIEVANCE_COLUMNS,
    INTERACTION_COLUMNS,
    STORE_SCHEMA_VERSION,
    TABLES,
    UNKNOWN_QUARTER,
    Column,
    interactions_frame,
    quarter_of,
    quarters_of,
)

__all__ = [
    "AGGREGATE_COLUMNS",
    "GRIEVANCE_COLUMNS",
    "INTERACTION_COLUMNS",
    "MIGRATIONS",
    "STORE_SCHEMA_VERSION",
    "TABLES",
    "UNKNOWN_QUARTER",
    "Column",
    "CorruptPartitionError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreWarning",
    "StoreWriter",
    "file_sha256",
    "interactions_frame",
    "quarter_of",
    "quarters_of",
    "register_migration",
]

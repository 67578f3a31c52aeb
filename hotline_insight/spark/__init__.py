"""Run the grievance pipeline on Spark (``pip install 'hotline_insight[spark]'``).

The same tables as the pandas path, computed on executors:

- :func:`read_interactions`: files into a DataFrame of interactions, each file
  parsed on an executor by this library's parsers;
- :func:`extract_grievances`: grievances with ``mapInArrow``, the spaCy
  pipeline built once per Python worker, topics from a saved model;
- :func:`interactions_table`, :func:`aggregate_grievances`: the store's
  other tables (aggregates with Spark operations);
- :func:`write_store`: all of it into a :class:`hotline_insight.Store`, with
  the same layout, manifest, lock and atomic commit as
  :func:`hotline_insight.write_store`.

``import hotline_insight.spark`` does not import pyspark; the functions do,
and say which extra installs it when it is missing.

Examples:
    >>> import hotline_insight.spark as his
    >>> callable(his.write_store)
    True
"""

from __future__ import annotations

from .pipeline import (
    SparkRead,
    aggregate_grievances,
    extract_grievances,
    get_session,
    interactions_table,
    read_interactions,
    write_store,
)

__all__ = [
    "SparkRead",
    "aggregate_grievances",
    "extract_grievances",
    "get_session",
    "interactions_table",
    "read_interactions",
    "write_store",
]

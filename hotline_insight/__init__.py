"""hotline_insight: what customers tell your support lines, turned into evidence.

Public names are imported lazily, so ``import hotline_insight`` stays fast and
heavy dependencies (pandas, spaCy, BERTopic, Spark) load only when used.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("sample_data/tickets", on_error="collect")
    >>> len(corpus) > 0
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # ingest
    "read": "hotline_insight.ingest",
    "iter_interactions": "hotline_insight.ingest",
    "available_formats": "hotline_insight.ingest",
    "detect_format": "hotline_insight.ingest",
    "register": "hotline_insight.ingest",
    "Parser": "hotline_insight.ingest",
    "ParseOptions": "hotline_insight.ingest",
    "ParseReport": "hotline_insight.ingest",
    "SourceFile": "hotline_insight.ingest",
    "ColumnMapping": "hotline_insight.ingest.generic",
    # records
    "Turn": "hotline_insight.records",
    "Interaction": "hotline_insight.records",
    "Customer": "hotline_insight.records",
    "ParseFailure": "hotline_insight.records",
    "SourceRef": "hotline_insight.records",
    "Satisfaction": "hotline_insight.records",
    "VendorAnnotations": "hotline_insight.records",
    "VendorIssue": "hotline_insight.records",
    "hash_identifier": "hotline_insight.records",
    # corpus and catalog
    "Corpus": "hotline_insight.corpus",
    "read_parquet": "hotline_insight.corpus",
    "Catalog": "hotline_insight.catalog",
    "Product": "hotline_insight.catalog",
    "Policy": "hotline_insight.catalog",
    "read_customers": "hotline_insight.customers_table",
    "iter_customers": "hotline_insight.customers_table",
    # grievances
    "build_pipeline": "hotline_insight.nlp.pipeline",
    "redact": "hotline_insight.nlp.redact",
    "extract_grievances": "hotline_insight.grievances",
    "Grievance": "hotline_insight.grievances",
    "GrievanceLink": "hotline_insight.grievances",
    "Grievances": "hotline_insight.grievances",
    "Taxonomy": "hotline_insight.themes",
    # topics
    "TopicModel": "hotline_insight.topics",
    "load_topic_model": "hotline_insight.topics",
    # analytics: customers, repeats, links, trends, change, impact
    "resolve_customers": "hotline_insight.analytics.customers",
    "CustomerIdentities": "hotline_insight.analytics.customers",
    "customers": "hotline_insight.analytics.customers",
    "customer_history": "hotline_insight.analytics.customers",
    "CustomerHistory": "hotline_insight.analytics.customers",
    "repeat_contacts": "hotline_insight.analytics.repeats",
    "first_contact_resolution": "hotline_insight.analytics.repeats",
    "link": "hotline_insight.analytics.links",
    "trends": "hotline_insight.analytics.trends",
    "emerging": "hotline_insight.analytics.trends",
    "early_warnings": "hotline_insight.analytics.trends",
    "before_after": "hotline_insight.analytics.change",
    "satisfaction_impact": "hotline_insight.analytics.impact",
    "rank_grievances": "hotline_insight.analytics.rank",
    "prepare_analysis": "hotline_insight.analytics.prepare",
    "PreparedAnalysis": "hotline_insight.analytics.prepare",
    # report: document model and writers (blocks live in hotline_insight.report)
    "Report": "hotline_insight.report.document",
    "Section": "hotline_insight.report.document",
    # quarterly report
    "QuarterlyReport": "hotline_insight.report.quarterly",
    # store, streaming, scale (Spark lives in hotline_insight.spark)
    "Store": "hotline_insight.store",
    "StoreError": "hotline_insight.store",
    "StoreLockedError": "hotline_insight.store",
    "CorruptPartitionError": "hotline_insight.store",
    "iter_grievance_chunks": "hotline_insight.stream",
    "write_store": "hotline_insight.stream",
    "aggregate_grievances": "hotline_insight.stream",
    "GrievanceChunk": "hotline_insight.stream",
    "StoreRun": "hotline_insight.stream",
    "analyze": "hotline_insight.analysis",
    "Analysis": "hotline_insight.analysis",
    "assign_store_topics": "hotline_insight.analysis",
    "sample_grievances": "hotline_insight.analysis",
    "TopicRun": "hotline_insight.analysis",
    # errors
    "HotlineError": "hotline_insight.errors",
    "ParseError": "hotline_insight.errors",
    "RecordValidationError": "hotline_insight.errors",
    "ConfigError": "hotline_insight.errors",
    "NotFittedError": "hotline_insight.errors",
    "MissingDependencyError": "hotline_insight.errors",
    "HotlineWarning": "hotline_insight.errors",
    "ParseWarning": "hotline_insight.errors",
    "ParseFailureReason": "hotline_insight.errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hotline_insight' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .analysis import Analysis, TopicRun, analyze, assign_store_topics, sample_grievances
    from .analytics.change import before_after
    from .analytics.customers import (
        CustomerHistory,
        CustomerIdentities,
        customer_history,
        customers,
        resolve_customers,
    )
    from .analytics.impact import satisfaction_impact
    from .analytics.links import link
    from .analytics.prepare import PreparedAnalysis, prepare_analysis
    from .analytics.rank import rank_grievances
    from .analytics.repeats import first_contact_resolution, repeat_contacts
    from .analytics.trends import early_warnings, emerging, trends
    from .catalog import Catalog, Policy, Product
    from .corpus import Corpus, read_parquet
    from .customers_table import iter_customers, read_customers
    from .errors import (
        ConfigError,
        HotlineError,
        HotlineWarning,
        MissingDependencyError,
        NotFittedError,
        ParseError,
        ParseFailureReason,
        ParseWarning,
        RecordValidationError,
    )
    from .grievances import Grievance, GrievanceLink, Grievances, extract_grievances
    from .ingest import (
        ParseOptions,
        Parser,
        ParseReport,
        SourceFile,
        available_formats,
        detect_format,
        iter_interactions,
        read,
        register,
    )
    from .ingest.generic import ColumnMapping
    from .nlp.pipeline import build_pipeline
    from .nlp.redact import redact
    from .records import (
        Customer,
        Interaction,
        ParseFailure,
        Satisfaction,
        SourceRef,
        Turn,
        VendorAnnotations,
        VendorIssue,
        hash_identifier,
    )
    from .report.document import Report, Section
    from .report.quarterly import QuarterlyReport
    from .store import CorruptPartitionError, Store, StoreError, StoreLockedError
    from .stream import GrievanceChunk, StoreRun, aggregate_grievances, iter_grievance_chunks, write_store
    from .themes import Taxonomy
    from .topics import TopicModel, load_topic_model

"""The quarterly report's inputs, normalised: contacts and grievances cut at the quarter's end, joined once.

:func:`prepare` turns what :meth:`~hotline_insight.report.quarterly.QuarterlyReport.build`
is given (a Corpus or a frame, Grievances or a frame, a topic model or topic
ids, a previous report or a store) into one :class:`QuarterData`: the
contacts and grievances up to the end of the reported quarter (history
included, for trends), each with its local quarter, resolved customer, value
and *target* (the policy or product a grievance is attributed to for the
recommendations), and the analytics contexts shared by every table.

Nothing here writes report blocks; :mod:`._quarter_tables` computes the tables
and :mod:`.quarterly` lays them out.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..analytics._frames import check_timezone, period_label, period_ordinals, period_start
from ..errors import ConfigError, Errors, HotlineWarning, Warnings, scrub, warn

if TYPE_CHECKING:
    from ..analytics._store_series import StoreSeries
    from ..analytics.customers import CustomerIdentities
    from ..analytics.prepare import PreparedAnalysis
    from ..catalog import Catalog
    from ..themes import Taxonomy
    from ._quarter_store import StoreHistory

__all__ = ["FUNC", "PreviousFigures", "QuarterData", "parse_quarter", "prepare"]

FUNC = "QuarterlyReport.build"
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
#: link methods of a product or policy, strongest evidence first (for choosing quotes)
LINK_STRENGTH: dict[str, int] = {
    "name": 0,
    "alias": 0,
    "sku": 0,
    "phrase": 0,
    "lemma": 1,
    "fuzzy": 1,
    "same_turn": 2,
    "theme": 3,
    "same_interaction": 3,
    "metadata": 4,
    "holding": 5,
}


def parse_quarter(value: Any, name: str = "quarter") -> int:
    """The ordinal (``year * 4 + quarter - 1``) of a quarter written ``'2026Q3'`` (or ``'2026-q3'``)."""
    match = _QUARTER.match(value) if isinstance(value, str) else None
    if match is None:
        raise ConfigError(
            Errors.E1020.format(name=name, func=FUNC, expected="a quarter such as '2026Q3'", value=value)
        )
    return int(match.group(1)) * 4 + int(match.group(2)) - 1


def quarter_label(ordinal: int) -> str:
    return period_label(ordinal, "quarter")


@dataclass
class PreviousFigures:
    """What a previous quarter's report said: its headline figures by key, and its quarter."""

    quarter: str
    figures: dict[str, float | None]
    source: str


@dataclass
class QuarterData:
    """Everything the tables of one quarterly report are computed from."""

    quarter: int
    """The reported quarter's ordinal."""
    timezone: str
    start: pd.Timestamp
    """The quarter's first instant (UTC)."""
    end: pd.Timestamp
    """The instant after its last (UTC): data from here on is left out."""
    first_quarter: int
    """The first quarter with data."""
    data_start: pd.Timestamp
    data_end: pd.Timestamp
    """The last contact used (before ``end``)."""
    last_in_data: pd.Timestamp
    """The last dated contact of all the data given (even after ``end``)."""
    contacts: pd.DataFrame
    """Dated contacts before ``end``: ``id``, ``channel``, ``source_format``, ``created_at``,
    ``quarter`` (ordinal), ``customer`` (resolved id, None for anonymous), ``value``, ``segment``,
    ``is_anonymous``, ``satisfaction_score``, ``satisfaction_scale``."""
    grievances: pd.DataFrame
    """Their grievances, with ``quarter``, ``customer``, ``value``, ``target_kind``, ``target_id``,
    ``target_method`` (how the target link was made) and ``topic``."""
    hist: PreparedAnalysis | StoreSeries
    """The analytics context of all the data up to ``end`` (from a store: counted partition by partition)."""
    recent: PreparedAnalysis
    """The analytics context of the rows read whole: ``hist`` itself, or (from a store) the rows from
    the history's ``window_start`` on."""
    cur: PreparedAnalysis
    """The analytics context of the reported quarter alone (same customer resolution)."""
    identities: CustomerIdentities
    catalog: Catalog | None
    taxonomy: Taxonomy
    topic_info: pd.DataFrame | None
    """``topic``, ``label``, ``key_phrases`` of the topics, when topics were given."""
    has_topics: bool
    parse_summary: dict[str, Any] | None
    redactions: dict[str, int] | None
    n_undated: int
    n_after_end: int
    n_orphan_grievances: int
    previous: PreviousFigures | None
    store_quarters: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    history: StoreHistory | None = None
    """From a store: the sums over all its data; ``contacts`` and ``grievances`` then hold the window only."""

    @property
    def counted(self) -> Any:
        """``hist`` as the analytics functions take it: a StoreSeries passes where they take a Store."""
        return self.hist

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def previous_label(self) -> str:
        return quarter_label(self.quarter - 1)

    @property
    def quarters(self) -> list[int]:
        """The quarters shown in trends: from the first with data to the reported one (at most 8)."""
        return list(range(max(self.first_quarter, self.quarter - 7), self.quarter + 1))

    def theme_name(self, theme_id: str) -> str:
        try:
            return str(self.taxonomy.theme(theme_id).name)
        except (KeyError, ValueError, ConfigError):
            return theme_id.replace("_", " ").capitalize()

    def name(self, kind: str, value: str) -> str:
        """A reader's name for a dimension value: catalog names, theme names, topic labels."""
        if kind == "theme":
            return self.theme_name(value)
        if kind in ("product", "policy") and self.catalog is not None:
            try:
                entry = self.catalog.product(value) if kind == "product" else self.catalog.policy(value)
                return str(entry.name)
            except (KeyError, ValueError, ConfigError):
                return value
        if kind == "topic":
            return self.topic_name(int(value))
        if kind == "facet":
            try:
                return str(self.taxonomy.facet(value).name)
            except (KeyError, ValueError, ConfigError):
                return value.replace("_", " ").capitalize()
        return value

    def topic_name(self, topic: int) -> str:
        label = None
        if self.topic_info is not None:
            found = self.topic_info.loc[self.topic_info["topic"] == topic, "label"]
            if len(found):
                label = str(found.iloc[0])
        return f"Topic {topic}: {label}" if label else f"Topic {topic}"


# ---------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------


def _contacts_input(corpus: Any) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    from ..corpus import Corpus
    from ..records import Interaction

    if isinstance(corpus, list | tuple) and corpus and all(isinstance(x, Interaction) for x in corpus):
        corpus = Corpus(list(corpus))
    if isinstance(corpus, Corpus):
        frame = corpus.to_frame()
        frame["satisfaction_scale"] = pd.array(
            [i.satisfaction.scale if i.satisfaction is not None else None for i in corpus], dtype="string"
        )
        report = corpus.parse_report
        summary = report.summary() if report.n_read else None
        return frame, summary
    if isinstance(corpus, pd.DataFrame):
        frame = corpus.copy(deep=False)
        if "id" not in frame.columns and "interaction_id" in frame.columns:
            frame = frame.rename(columns={"interaction_id": "id"})
        missing = [c for c in ("id", "created_at") if c not in frame.columns]
        if missing:
            raise ConfigError(
                Errors.E1029.format(
                    what="The corpus frame",
                    path="given",
                    missing=", ".join(repr(c) for c in missing),
                    expected="'id' (or 'interaction_id') and 'created_at'",
                    how="Pass Corpus.to_frame(), a store's interactions table, or a Corpus.",
                )
            )
        if frame["id"].isna().any():
            raise ConfigError(
                Errors.E1020.format(
                    name="corpus", func=FUNC, expected="an id for every interaction", value="a missing id"
                )
            )
        frame["id"] = frame["id"].astype("string")
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame, None
    raise ConfigError(
        Errors.E1020.format(
            name="corpus",
            func=FUNC,
            expected="a Corpus, a list of Interactions or a DataFrame like Corpus.to_frame()",
            value=type(corpus).__name__,
        )
    )


_GRIEVANCE_LISTS = ("themes", "facets", "products", "policies", "product_methods", "policy_methods")


def _grievances_input(grievances: Any) -> tuple[pd.DataFrame, dict[str, int] | None]:
    from ..grievances import Grievances

    if isinstance(grievances, Grievances):
        return grievances.to_frame(), dict(grievances.redactions)
    if isinstance(grievances, pd.DataFrame):
        frame = grievances.copy(deep=False)
        missing = [c for c in ("interaction_id", "text") if c not in frame.columns]
        if missing:
            raise ConfigError(
                Errors.E1029.format(
                    what="The grievances frame",
                    path="given",
                    missing=", ".join(repr(c) for c in missing),
                    expected="the columns of Grievances.to_frame()",
                    how="Pass Grievances or Grievances.to_frame().",
                )
            )
        n = len(frame)
        for column in _GRIEVANCE_LISTS:
            if column not in frame.columns:
                frame[column] = pd.Series([[] for _ in range(n)], dtype="object", index=frame.index)
        for column, default in (
            ("complaint_score", 1.0),
            ("intensity", 0.0),
            ("turn_position", 0),
            ("start_char", 0),
        ):
            if column not in frame.columns:
                frame[column] = default
        if "topic" not in frame.columns:
            frame["topic"] = pd.array([pd.NA] * n, dtype="Int64")
        for column in ("created_at",):
            if column not in frame.columns:
                frame[column] = pd.NaT
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        redactions = frame.attrs.get("redactions")
        return frame.reset_index(drop=True), dict(redactions) if isinstance(redactions, Mapping) else None
    raise ConfigError(
        Errors.E1020.format(
            name="grievances",
            func=FUNC,
            expected="Grievances or a DataFrame like Grievances.to_frame()",
            value=type(grievances).__name__,
        )
    )


def _as_list(value: Any) -> list[Any]:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _topics_input(topics: Any, frame: pd.DataFrame) -> tuple[pd.DataFrame | None, bool]:
    """Fill ``frame['topic']`` from ``topics`` where needed; return the topic info and whether topics exist."""
    from ..topics.model import TopicModel

    carried = pd.to_numeric(frame["topic"], errors="coerce")
    has_own = bool(carried.notna().any())
    info: pd.DataFrame | None = None
    if topics is None:
        pass
    elif isinstance(topics, TopicModel):
        topics._check_fitted()
        info = topics.topic_info_[["topic", "label", "key_phrases"]].copy()
        if not has_own and len(frame):
            from ..stream import assign_topics

            # in the context of each interaction's other grievances, as the store's are assigned
            carried = assign_topics(topics, frame)
            has_own = True
    elif isinstance(topics, pd.DataFrame):
        if "topic" not in topics.columns or "label" not in topics.columns:
            raise ConfigError(
                Errors.E1029.format(
                    what="The topic table",
                    path="given",
                    missing="'topic' and 'label'",
                    expected="the columns of TopicModel.topic_info_",
                    how="Pass TopicModel.topic_info_ (or the topic_info.parquet the topics command writes).",
                )
            )
        info = topics[["topic", "label"]].copy()
        info["key_phrases"] = topics["key_phrases"] if "key_phrases" in topics.columns else [[]] * len(topics)
    elif isinstance(topics, Sequence | np.ndarray) and not isinstance(topics, str):
        values = list(topics)
        if len(values) != len(frame):
            raise ConfigError(Errors.E1026.format(what="topics", got=len(values), expected=len(frame)))
        carried = pd.Series(
            [np.nan if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in values],
            index=frame.index,
            dtype="float64",
        )
        has_own = True
    else:
        raise ConfigError(
            Errors.E1020.format(
                name="topics",
                func=FUNC,
                expected="a fitted TopicModel, its topic_info_ frame, one topic id per grievance, or None",
                value=type(topics).__name__,
            )
        )
    frame["topic"] = clean_topics(carried).array  # by position: ``carried`` may come with its own index
    if info is not None:
        info = info.assign(topic=info["topic"].astype("int64")).sort_values("topic", ignore_index=True)
        known = set(info["topic"].tolist())
        seen = set(frame["topic"].dropna().astype(int).tolist())
        unknown = sorted(seen - known)
        if unknown:
            raise ConfigError(Errors.E1025.format(value=unknown[0], high=max(known) if known else -1))
    return info, has_own and bool(frame["topic"].notna().any())


def clean_topics(topic: pd.Series) -> pd.Series:
    """Topic ids as the report holds them: Int64, outliers (< 0) and non-numbers missing."""
    numbers = pd.to_numeric(topic, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    cleaned = np.where(np.isnan(numbers) | (numbers < 0), np.nan, numbers)
    return pd.Series(cleaned, index=topic.index, dtype="Float64").astype("Int64")


# ---------------------------------------------------------------------------
# previous quarter
# ---------------------------------------------------------------------------

#: headline figure label -> key, for reading a previous report back
HEADLINE_LABELS: dict[str, str] = {
    "Contacts": "n_contacts",
    "Contacts with a grievance": "n_complaint_contacts",
    "Share with a grievance": "complaint_share",
    "Grievances": "n_grievances",
    "Customers complaining": "n_customers",
    "Value at risk": "value_at_risk",
    "Repeat contacts": "n_repeat_contacts",
    "First-contact resolution": "fcr",
    "Satisfaction": "satisfaction",
}


def _previous_from_report(report: Any, source: str) -> PreviousFigures:
    from .document import Figures, Report

    assert isinstance(report, Report)
    match = re.search(r"(\d{4}Q[1-4])", report.title)
    quarter = match.group(1) if match else ""
    figures: dict[str, float | None] = {}
    for section in report.sections:
        if section.id != "headline":
            continue
        for block in section.blocks:
            if isinstance(block, Figures):
                for item in block.items:
                    key = HEADLINE_LABELS.get(item.label)
                    if key is not None:
                        figures[key] = item.value
    return PreviousFigures(quarter=quarter, figures=figures, source=source)


def _previous_input(previous: Any) -> tuple[PreviousFigures | None, Any]:
    """(figures of a previous report, or a Store to read history from)."""
    from ..store import Store
    from .document import Report

    if previous is None:
        return None, None
    if isinstance(previous, Store):
        return None, previous
    if isinstance(previous, Report):
        return _previous_from_report(previous, "a Report"), None
    report = getattr(previous, "report", None)
    if isinstance(report, Report):
        return _previous_from_report(report, "a QuarterlyReport"), None
    if isinstance(previous, str | Path):
        return _previous_from_report(Report.from_json(Path(previous)), Path(previous).name), None
    raise ConfigError(
        Errors.E1020.format(
            name="previous",
            func=FUNC,
            expected="a QuarterlyReport, a Report, the path of a report JSON file, or a Store",
            value=type(previous).__name__,
        )
    )


def _history_from_store(
    store: Any, contacts: pd.DataFrame, grievances: pd.DataFrame, quarter: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Add the store's earlier interactions and grievances (those the corpus does not hold)."""
    from ..store.schema import quarter_sort_key

    if not store.exists:
        return contacts, grievances, []
    wanted = [
        q
        for q in store.quarters("interactions")
        if q != "unknown" and quarter_sort_key(q) <= quarter_sort_key(quarter_label(quarter))
    ]
    if not wanted:
        return contacts, grievances, []
    old = store.read("interactions", wanted).drop(columns=["quarter"])
    own = set(contacts["id"].astype(str))
    old = old[~old["id"].astype(str).isin(own)]
    old_g = store.read("grievances", wanted).drop(columns=["quarter"])
    old_g = old_g[
        old_g["interaction_id"].astype(str).isin(set(old["id"].astype(str)))
        & ~old_g["interaction_id"].astype(str).isin(set(grievances["interaction_id"].astype(str)))
    ]
    columns = [c for c in contacts.columns if c in old.columns]
    merged = pd.concat([old[columns], contacts[columns]], ignore_index=True)
    g_columns = [c for c in grievances.columns if c in old_g.columns]
    merged_g = pd.concat([old_g[g_columns], grievances[g_columns]], ignore_index=True)
    return merged, merged_g, wanted


# ---------------------------------------------------------------------------
# prepare
# ---------------------------------------------------------------------------


def _check_timezone(timezone: str | None) -> str:
    return check_timezone(FUNC, timezone, error=Errors.E1020)


def _local_day(stamp: pd.Timestamp, tz: str) -> dt.date:
    day: dt.date = stamp.tz_convert(tz).date()
    return day


def _choose_quarter(quarter: str | None, ordinals: np.ndarray, created: pd.Series, tz: str) -> int:
    dated = ordinals >= 0
    first_q, last_q = int(ordinals[dated].min()), int(ordinals[dated].max())
    first = _local_day(created[dated].min(), tz)
    last_stamp = created[dated].max()
    last = _local_day(last_stamp, tz)
    if quarter is not None:
        q = parse_quarter(quarter)
        if not (ordinals == q).any():
            raise ConfigError(Errors.E1021.format(value=quarter_label(q), first=first, last=last, zone=tz))
        last_day = (period_start(q + 1, "quarter", tz) - pd.Timedelta(days=1)).tz_convert(tz).date()
        if last < last_day:
            warn(
                Warnings.W402.format(quarter=quarter_label(q), last=last, zone=tz),
                HotlineWarning,
                stacklevel=5,
            )
        return q
    # the last quarter whose last day the data reaches
    for q in range(last_q, first_q - 1, -1):
        last_day = (period_start(q + 1, "quarter", tz) - pd.Timedelta(days=1)).tz_convert(tz).date()
        if last >= last_day and (ordinals == q).any():
            return q
    raise ConfigError(Errors.E1022.format(first=first, last=last, zone=tz))


def resolve_quarter(created: pd.Series, quarter: str | None, timezone: str | None) -> str:
    """The quarter a report of contacts made at ``created`` would cover (the checks of :func:`prepare`).

    Raises:
        ConfigError: E1020, E1021, E1022 or E1024, as :meth:`QuarterlyReport.build` would.
    """
    tz = _check_timezone(timezone)
    stamps = pd.to_datetime(created, utc=True)
    if stamps.isna().all():
        raise ConfigError(Errors.E1024.format(n=len(stamps)))
    ordinals = period_ordinals(stamps, "quarter", tz)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HotlineWarning)  # a partial quarter is warned about by the build
        return quarter_label(_choose_quarter(quarter, ordinals, stamps, tz))


def _target(
    policies: Any, policy_methods: Any, products: Any, product_methods: Any
) -> tuple[str | None, str | None, str | None]:
    pol = _as_list(policies)
    if pol:
        methods = _as_list(policy_methods)
        return "policy", str(pol[0]), str(methods[0]) if methods else None
    prod = _as_list(products)
    prod_methods = _as_list(product_methods)
    for i, p in enumerate(prod):
        method = str(prod_methods[i]) if i < len(prod_methods) else None
        if method != "holding":
            return "product", str(p), method
    return None, None, None


def check_inputs(customers_table: Any, catalog: Any) -> None:
    """E1020 for a customers table that is no DataFrame or a catalog that is no Catalog."""
    from ..catalog import Catalog

    if customers_table is not None and not isinstance(customers_table, pd.DataFrame):
        raise ConfigError(
            Errors.E1020.format(
                name="customers_table",
                func=FUNC,
                expected="a DataFrame from hi.read_customers()",
                value=type(customers_table).__name__,
            )
        )
    if catalog is not None and not isinstance(catalog, Catalog):
        raise ConfigError(
            Errors.E1020.format(
                name="catalog", func=FUNC, expected="a Catalog or None", value=type(catalog).__name__
            )
        )


def add_targets(frame: pd.DataFrame) -> None:
    """Give each grievance its ``target_kind``, ``target_id`` and ``target_method`` (see :func:`_target`)."""
    targets = [
        _target(a, b, c, d)
        for a, b, c, d in zip(
            frame["policies"].to_numpy(dtype=object),
            frame["policy_methods"].to_numpy(dtype=object),
            frame["products"].to_numpy(dtype=object),
            frame["product_methods"].to_numpy(dtype=object),
            strict=True,
        )
    ]
    frame["target_kind"] = pd.array([t[0] for t in targets], dtype="string")
    frame["target_id"] = pd.array([t[1] for t in targets], dtype="string")
    frame["target_method"] = pd.array([t[2] for t in targets], dtype="string")


def prepare(
    corpus: Any,
    grievances: Any,
    *,
    topics: Any,
    quarter: str | None,
    previous: Any,
    catalog: Catalog | None,
    customers_table: pd.DataFrame | None,
    taxonomy: Taxonomy | None,
    timezone: str | None,
    parse_report: Any,
    redactions: Mapping[str, int] | None,
    history: StoreHistory | None = None,
) -> QuarterData:
    """Normalise, cut at the quarter's end and join the inputs of a quarterly report.

    With ``history`` (from a store), ``corpus`` and ``grievances`` are the
    rows of its window, already cut at the quarter's end, and what concerns
    all the data comes from the history's sums.
    """
    from ..analytics.prepare import prepare_analysis
    from ..themes import Taxonomy as _Taxonomy

    tz = _check_timezone(timezone)
    check_inputs(customers_table, catalog)
    contacts, summary = _contacts_input(corpus)
    gframe, own_redactions = _grievances_input(grievances)
    topic_info, has_topics = _topics_input(topics, gframe)
    if history is not None:
        has_topics = has_topics or bool(history.topic_sizes)
        if topic_info is not None:
            unknown = sorted(set(history.topic_sizes) - set(topic_info["topic"].tolist()))
            if unknown:
                known = topic_info["topic"]
                raise ConfigError(
                    Errors.E1025.format(value=unknown[0], high=int(known.max()) if len(known) else -1)
                )
    previous_figures, store = _previous_input(previous)
    if parse_report is not None:
        summary = _parse_summary(parse_report)
    redaction_counts = dict(redactions) if redactions is not None else own_redactions

    created = contacts["created_at"]
    if created.isna().all():
        raise ConfigError(Errors.E1024.format(n=len(contacts)))
    ordinals = period_ordinals(created, "quarter", tz)
    if history is not None:
        # whether the quarter is complete is judged by all the data, not the window
        every = pd.concat([created, pd.Series([history.last_in_data])], ignore_index=True)
        q = _choose_quarter(quarter, period_ordinals(every, "quarter", tz), every, tz)
    else:
        q = _choose_quarter(quarter, ordinals, created, tz)
    store_quarters: list[str] = []
    if store is not None:
        contacts, gframe, store_quarters = _history_from_store(store, contacts, gframe, q)
        created = pd.to_datetime(contacts["created_at"], utc=True)
        contacts["created_at"] = created
        ordinals = period_ordinals(created, "quarter", tz)
    if previous_figures is not None and previous_figures.quarter != quarter_label(q - 1):
        raise ConfigError(
            Errors.E1023.format(
                value=previous_figures.quarter or "an unknown quarter",
                quarter=quarter_label(q),
                expected=quarter_label(q - 1),
            )
        )
    start = period_start(q, "quarter", tz)
    end = period_start(q + 1, "quarter", tz)
    dated = ordinals >= 0
    n_undated = int((~dated).sum()) if history is None else history.n_undated
    if n_undated:
        warn(Warnings.W404.format(n=n_undated), HotlineWarning, stacklevel=4)
    keep = dated & (ordinals <= q)
    n_after_end = int((dated & (ordinals > q)).sum()) if history is None else history.n_after_end
    last_in_data = created[dated].max() if history is None else history.last_in_data
    kept = contacts.loc[keep].reset_index(drop=True)
    kept["quarter"] = ordinals[keep]

    # grievances: those of the kept contacts; those of no contact by their own date
    if history is None:
        all_ids = set(contacts["id"].astype(str).tolist())
        kept_ids = pd.Index(kept["id"].astype(str).unique())
        g_ids = gframe["interaction_id"].astype(str)
        in_kept = g_ids.isin(kept_ids).to_numpy()
        orphan = ~g_ids.isin(all_ids).to_numpy()
        own_q = period_ordinals(pd.to_datetime(gframe["created_at"], utc=True), "quarter", tz)
        orphan_kept = orphan & (own_q >= 0) & (own_q <= q)
        n_orphan_grievances = int(orphan_kept.sum())
        n_orphan_undated = int((orphan & (own_q < 0)).sum())
        gkept = gframe.loc[in_kept | orphan_kept].reset_index(drop=True)
    else:  # the store's rows were chosen by the same rule
        n_orphan_grievances = history.n_orphan_grievances
        n_orphan_undated = history.n_orphan_undated
        gkept = gframe.reset_index(drop=True)
    if n_orphan_undated:
        warn(Warnings.W403.format(n=n_orphan_undated), HotlineWarning, stacklevel=4)

    with warnings.catch_warnings():
        # grievances of no contact are counted in the data-quality appendix (n_orphan_grievances)
        warnings.filterwarnings("ignore", message=r"\[W304\]", category=HotlineWarning)
        hist: PreparedAnalysis | StoreSeries
        if history is None:
            recent = hist = prepare_analysis(kept, gkept, customers_table, catalog=catalog)
            identities = recent.identities
        else:
            hist = history.series
            identities = hist.identities
            recent = prepare_analysis(kept, gkept, customers_table, identities=identities, catalog=catalog)
        in_q = kept["quarter"].to_numpy() == q
        cur_contacts = kept.loc[in_q].reset_index(drop=True)
        g_local = _grievance_quarters(gkept, kept, tz)
        # the analytics never read the text: the quarter's copy goes without it
        analysed = [c for c in gkept.columns if c != "text"]
        cur_g = gkept.loc[(g_local == q), analysed].reset_index(drop=True)
        cur = prepare_analysis(cur_contacts, cur_g, customers_table, identities=identities, catalog=catalog)

    # customer, value and segment of each contact
    ident = identities.contacts.drop_duplicates("interaction_id").set_index("interaction_id")
    ids = kept["id"].astype(str)
    customer = ident["customer_id"].reindex(ids).astype("object").to_numpy()
    anonymous = ident["is_anonymous"].reindex(ids).astype("boolean").fillna(True).to_numpy(dtype=bool)
    customer = np.asarray([None if a else c for a, c in zip(anonymous, customer, strict=True)], dtype=object)
    values = identities.values.set_index("customer_id")
    kept["customer"] = pd.array(customer, dtype="string")
    kept["is_anonymous"] = anonymous
    kept["value"] = values["value"].reindex(customer).to_numpy(dtype=np.float64, na_value=np.nan)
    kept["segment"] = pd.array(values["segment"].reindex(customer).to_numpy(), dtype="string")
    if "satisfaction_score" not in kept.columns:
        kept["satisfaction_score"] = np.nan
    if "satisfaction_scale" not in kept.columns:
        kept["satisfaction_scale"] = pd.array([None] * len(kept), dtype="string")
    if "channel" not in kept.columns:
        kept["channel"] = pd.array([None] * len(kept), dtype="string")
    if "source_format" not in kept.columns:
        kept["source_format"] = pd.array([None] * len(kept), dtype="string")

    # quarter, customer, value and target of each grievance
    gkept["quarter"] = g_local
    by_id = kept.drop_duplicates("id").set_index(kept.drop_duplicates("id")["id"].astype(str))
    gid = gkept["interaction_id"].astype(str)
    gkept["customer"] = pd.array(by_id["customer"].reindex(gid).astype("object").to_numpy(), dtype="string")
    gkept["value"] = by_id["value"].reindex(gid).to_numpy(dtype=np.float64, na_value=np.nan)
    add_targets(gkept)

    return QuarterData(
        quarter=q,
        timezone=tz,
        start=start,
        end=end,
        first_quarter=int(kept["quarter"].min()) if history is None else history.first_quarter,
        data_start=kept["created_at"].min() if history is None else history.data_start,
        data_end=kept["created_at"].max() if history is None else history.data_end,
        last_in_data=last_in_data,
        contacts=kept,
        grievances=gkept,
        hist=hist,
        recent=recent,
        cur=cur,
        identities=identities,
        catalog=catalog,
        taxonomy=taxonomy if taxonomy is not None else _Taxonomy.default(),
        topic_info=topic_info,
        has_topics=has_topics,
        parse_summary=summary,
        redactions=redaction_counts,
        n_undated=n_undated,
        n_after_end=n_after_end,
        n_orphan_grievances=n_orphan_grievances,
        previous=previous_figures,
        store_quarters=store_quarters,
        notes=list(recent.notes) if history is None else list(history.notes),
        history=history,
    )


def _grievance_quarters(gframe: pd.DataFrame, contacts: pd.DataFrame, tz: str) -> np.ndarray:
    """Each grievance's quarter: its contact's, else its own time's (-1 when neither is known)."""
    first = contacts.drop_duplicates("id")
    by_id = pd.Series(first["quarter"].to_numpy(), index=first["id"].astype(str).to_numpy())
    found = by_id.reindex(gframe["interaction_id"].astype(str)).to_numpy(dtype=np.float64, na_value=np.nan)
    own = period_ordinals(pd.to_datetime(gframe["created_at"], utc=True), "quarter", tz).astype(np.float64)
    out = np.where(np.isnan(found), own, found)
    return out.astype(np.int64)


def _parse_summary(parse_report: Any) -> dict[str, Any]:
    from ..ingest import ParseReport

    if isinstance(parse_report, ParseReport):
        return parse_report.summary()
    if isinstance(parse_report, Mapping) and {"n_read", "n_parsed", "n_failed"} <= set(parse_report):
        return dict(parse_report)
    raise ConfigError(
        Errors.E1020.format(
            name="parse_report",
            func=FUNC,
            expected="a ParseReport or its summary() dict (the parse_report.json the ingest command writes)",
            value=scrub(type(parse_report).__name__),
        )
    )

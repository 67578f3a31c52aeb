"""The quarterly insight report: from a corpus and its grievances to what leadership reads.

:meth:`QuarterlyReport.build` runs the analytics over every quarter up to the
reported one (the trends, warnings and before/after tests need the history)
and lays the results out as a :class:`~hotline_insight.Report`:

1. headline figures and their change from the previous quarter;
2. recommendations: the product or policy to change first, and what it would
   change in numbers, ranked by value at risk, each with its evidence;
3. recurring grievances ranked by value-weighted impact, with trend sparklines;
4. products: a product x grievance heatmap and the over-represented pairs;
5. the policy scorecard (grievances, customers affected, repeat contacts,
   value at risk, satisfaction impact);
6. emerging issues and early warnings;
7. did the changes work: before and after each catalog date inside the data;
8. topics beyond the taxonomy (topics whose theme overlap is low);
9. the most valuable customers against the rest;
10. drivers of repeat contacts;
11. a data-quality appendix and 12. method notes.

Quotes (redacted grievance text with its interaction id) stand next to every
claim, chosen deterministically (see :func:`~._quarter_tables.choose_quotes`).
The DataFrames behind the report are :attr:`QuarterlyReport.tables`; their
columns are in :data:`TABLES` (name -> column -> (dtype, meaning)).

Examples:
    >>> import datetime as dt
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> days = pd.date_range("2025-07-01", "2026-09-30", freq="3D", tz="UTC")
    >>> contacts = pd.DataFrame({"id": [f"c{i}" for i in range(len(days))], "created_at": days,
    ...                          "channel": "ticket", "customer_id": [f"C{i % 40}" for i in range(len(days))]})
    >>> found = pd.DataFrame({"interaction_id": contacts["id"][::3].tolist(),
    ...     "text": "I was charged a fee for calling support", "themes": [["unexpected_fees"]] * len(contacts[::3]),
    ...     "policies": [["pol_fee"]] * len(contacts[::3]), "policy_methods": [["phrase"]] * len(contacts[::3])})
    >>> qr = hi.QuarterlyReport.build(contacts, found, generated_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    >>> qr
    QuarterlyReport(2026Q3: 31 contacts, 10 grievances, 1 recommendation(s))
    >>> qr.tables["recommendations"][["target_kind", "target_id", "n_contacts"]].to_dict("records")
    [{'target_kind': 'policy', 'target_id': 'pol_fee', 'n_contacts': 10}]
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ..analytics._store_series import GRIEVANCE_COLUMNS, with_meta
from ..errors import ConfigError, Errors, HotlineError
from ._quarter_data import FUNC, QuarterData, prepare, quarter_label
from ._quarter_store import StoreSource, change_candidates
from ._quarter_tables import (
    Settings,
    Tables,
    choose_quotes,
    compute_tables,
    monthly_counts,
    quote_order,
    quotes_frame,
    records,
    typed,
)
from .document import (
    BarChart,
    Block,
    Callout,
    Effect,
    Figure,
    Figures,
    Heading,
    Heatmap,
    LineChart,
    Marker,
    Paragraph,
    Quote,
    Recommendation,
    Report,
    Section,
    Series,
    StackedBarChart,
    Table,
    strong,
)

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..themes import Taxonomy

__all__ = ["TABLES", "QuarterlyReport"]

_RANK_COLUMNS: dict[str, tuple[str, str]] = {
    "name": ("string", "the reader's name (taxonomy, catalog or topic label)"),
    "n_contacts": ("int64", "contacts in the quarter with it"),
    "n_grievances": ("int64", "grievances in the quarter"),
    "n_customers": ("int64", "identified customers in the quarter"),
    "value_at_risk": ("float64", "sum of those customers' values"),
    "value_share": ("Float64", "value_at_risk / the value of all identified customers"),
    "value_index": ("Float64", "value share / customer share: above 1, it touches more valuable customers"),
    "n_top_decile": ("int64", "its customers in the top value decile"),
    "top_decile_ratio": ("Float64", "share of top-decile customers touched / share of the others touched"),
    "top_decile_low": ("Float64", "exact interval of that ratio, low"),
    "top_decile_high": ("Float64", "and high"),
    "mean_intensity": ("Float64", "mean grievance intensity in [0, 1]"),
    "fcr": ("Float64", "first-contact resolution of its first contacts in the quarter"),
    "fcr_low": ("Float64", "Wilson interval, low"),
    "fcr_high": ("Float64", "and high"),
    "n_repeat_contacts": ("int64", "repeat contacts about it started in the quarter"),
    "prev_contacts": ("Int64", "contacts in the previous quarter (<NA> without data for it)"),
    "change_ratio": ("Float64", "rate (share of all contacts) / the previous quarter's; <NA> from zero"),
    "ratio_low": ("Float64", "exact interval of the ratio, low"),
    "ratio_high": ("Float64", "and high"),
    "p_value": ("Float64", "exact conditional test of the two rates, two-sided"),
    "q_value": ("Float64", "Benjamini-Hochberg across the values"),
    "direction": ("string", "up, down, flat (not significant), first, absent or no_data"),
    "is_recurring": ("bool", "5 or more customers in 3 or more weeks of the quarter"),
    "satisfaction_diff": ("Float64", "mean satisfaction with it minus without (commonest scale)"),
    "satisfaction_low": ("Float64", "its interval, low"),
    "satisfaction_high": ("Float64", "and high"),
    "trend": ("object", "contacts per quarter, oldest first (the quarters of the sparkline)"),
    "linked": ("object", "up to 3 over-represented links of other kinds ('product: Lark Hub 5')"),
}


def _ranked_schema(dim: str, what: str) -> dict[str, tuple[str, str]]:
    return {"rank": ("int64", "1 = the most value at risk"), dim: ("string", what), **_RANK_COLUMNS}


TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "headline": {
        "key": (
            "string",
            "n_contacts, n_complaint_contacts, complaint_share, n_grievances, n_customers, "
            "value_at_risk, n_repeat_contacts, fcr or satisfaction",
        ),
        "label": ("string", "the figure's label in the report"),
        "value": ("Float64", "the reported quarter's value (<NA>: cannot be computed)"),
        "previous": ("Float64", "the previous quarter's (from the data, or the previous report)"),
        "change": ("Float64", "relative change (counts) or difference in points (shares)"),
        "change_kind": ("string", "relative or points"),
        "low": ("Float64", "interval of the value, low (shares)"),
        "high": ("Float64", "and high"),
        "p_value": ("Float64", "test of the change (shares), two-sided"),
        "basis": ("string", "what is counted, the interval and the test"),
    },
    "recommendations": {
        "rank": ("int64", "1 = change first (most value at risk)"),
        "target_kind": ("string", "policy or product"),
        "target_id": ("string", "its catalog id"),
        "target_name": ("string", "its name"),
        "n_grievances": ("int64", "grievances attributed to it in the quarter (one target per grievance)"),
        "n_contacts": ("int64", "their contacts"),
        "n_customers": ("int64", "their identified customers"),
        "value_at_risk": ("float64", "those customers' value"),
        "n_repeat_contacts": ("int64", "repeat contacts about it in the quarter"),
        "prev_contacts": ("int64", "contacts attributed to it in the previous quarter"),
        "is_emerging": ("bool", "it is among the emerging issues"),
        "top_decile_ratio": ("Float64", "as in the scorecards"),
        "top_decile_low": ("Float64", "its interval, low"),
        "fcr": ("Float64", "first-contact resolution of its first contacts"),
        "satisfaction_gain": (
            "Float64",
            "points of satisfaction regained had its contacts scored like the "
            "others (significant differences only)",
        ),
        "themes": ("object", "its commonest themes"),
        "action": ("string", "what to do, as written in the report"),
        "evidence": ("object", "interaction ids of the quotes shown for it"),
    },
    "grievances": _ranked_schema("theme", "the theme id"),
    "policies": _ranked_schema("policy", "the policy id (every catalog policy, 0 when none)"),
    "products": _ranked_schema("product", "the product id"),
    "topics": {
        "topic": ("int64", "the topic id"),
        "label": ("string", "its name (key phrases)"),
        "key_phrases": ("object", "up to 6 key phrases"),
        "n_grievances": ("int64", "its grievances in the quarter"),
        "n_contacts": ("int64", "their contacts"),
        "prev_contacts": ("int64", "contacts in the previous quarter"),
        "n_grievances_all": ("int64", "its grievances in all quarters up to this one"),
        "top_theme": ("string", "the theme its grievances carry most (<NA>: none)"),
        "top_theme_name": ("string", "that theme's name"),
        "top_theme_share": ("Float64", "share of its grievances carrying that theme"),
        "is_beyond_taxonomy": ("bool", "top_theme_share below the novelty share (default 0.5)"),
    },
    "product_theme": {
        "product": ("string", "the product id"),
        "product_name": ("string", "its name"),
        "theme": ("string", "the theme id"),
        "theme_name": ("string", "its name"),
        "n_contacts": ("int64", "contacts in the quarter naming both in one grievance"),
        "n_customers": ("int64", "their identified customers"),
        "share": ("Float64", "share of the product's contacts about the theme"),
        "lift": ("Float64", "share / the theme's share of all grievance contacts"),
        "p_value": ("Float64", "Fisher or chi-square test of the 2x2 table"),
        "q_value": ("Float64", "Benjamini-Hochberg across the table"),
        "is_significant": ("bool", "q_value <= alpha"),
        "value_at_risk": ("float64", "the customers' value"),
    },
    "emerging": {
        "dimension": ("string", "theme, product, policy, product x theme or topic"),
        "key": ("string", "'product:router_hub5|theme:defect'"),
        "label": ("string", "the names"),
        "n_contacts": ("int64", "contacts in the quarter"),
        "n_customers": ("int64", "their identified customers"),
        "baseline_contacts": ("int64", "contacts in the 4 quarters before"),
        "expected": ("Float64", "contacts the baseline rate predicts"),
        "ratio": ("Float64", "rate / baseline rate (<NA>: from zero)"),
        "ratio_low": ("Float64", "one-sided lower bound of the ratio"),
        "q_value": ("Float64", "one-sided exact test, Benjamini-Hochberg"),
        "reason": ("string", "new or rising"),
    },
    "early_warnings": {
        "dimension": ("string", "as in emerging"),
        "key": ("string", "as in emerging"),
        "label": ("string", "the names"),
        "period": ("string", "the month the warning fired ('2026-08')"),
        "n_contacts": ("int64", "contacts that month"),
        "expected": ("Float64", "contacts the 6 months before predict"),
        "ratio": ("Float64", "rate / baseline rate"),
        "ratio_low": ("Float64", "one-sided lower bound"),
        "q_value": ("Float64", "one-sided exact test, Benjamini-Hochberg"),
        "reason": ("string", "new or rising"),
        "is_first": ("bool", "the first month it fired"),
    },
    "changes": {
        "key": ("string", "'policy:<id>' or 'product:<id>'"),
        "dimension": ("string", "policy or product"),
        "value": ("string", "its id"),
        "name": ("string", "its name"),
        "event": ("string", "effective_from, effective_to, launched_at or discontinued_at"),
        "changed_at": ("datetime64[ns, UTC]", "the change (local midnight)"),
        "contacts_before": ("int64", "contacts about it before"),
        "contacts_after": ("int64", "and after (up to the end of the quarter)"),
        "n_periods_before": ("int64", "months with data before"),
        "n_periods_after": ("int64", "and after"),
        "crude_ratio": ("Float64", "rate after / rate before"),
        "expected_after": ("Float64", "contacts after had the trend before gone on"),
        "ratio": ("Float64", "contacts after / expected"),
        "ratio_low": ("Float64", "profile-likelihood interval, low"),
        "ratio_high": ("Float64", "and high"),
        "p_value": ("Float64", "likelihood-ratio test of ratio = 1"),
        "method": ("string", "pre_trend or pre_level"),
        "verdict": ("string", "worked, backfired, no_change or insufficient_data"),
    },
    "value_groups": {
        "group_kind": ("string", "value (top 10% by value against the rest) or segment"),
        "group": ("string", "the group"),
        "n_customers": ("int64", "identified customers in it (the customers table's included)"),
        "n_contacting": ("int64", "of them, in touch in the quarter"),
        "n_complaining": ("int64", "with a grievance in the quarter"),
        "complaining_share": ("Float64", "n_complaining / n_customers"),
        "complaining_low": ("Float64", "Wilson interval, low"),
        "complaining_high": ("Float64", "and high"),
        "p_value": ("Float64", "top 10% against the rest: Fisher or chi-square (value rows only)"),
        "n_grievances": ("int64", "their grievances in the quarter"),
        "n_repeat_contacts": ("int64", "their repeat contacts in the quarter"),
        "value_at_risk": ("float64", "the complaining customers' value"),
        "mean_value": ("Float64", "mean value of the group's customers"),
    },
    "repeat_drivers": {
        "dimension": ("string", "policy, product, theme, queue or channel"),
        "value": ("string", "its value"),
        "label": ("string", "its name"),
        "n_first_contacts": ("int64", "first contacts in the quarter that could be judged"),
        "n_resolved": ("int64", "not followed by a repeat within the window"),
        "n_censored": ("int64", "first contacts whose window runs past the data (left out)"),
        "fcr": ("Float64", "n_resolved / n_first_contacts"),
        "fcr_low": ("Float64", "Wilson interval, low"),
        "fcr_high": ("Float64", "and high"),
        "n_repeat_contacts": ("int64", "repeat contacts about it in the quarter"),
        "repeat_share": ("Float64", "its share of the dimension's repeat contacts"),
    },
    "quotes": {
        "claim": ("string", "the claim the quote is evidence for ('recommendation:policy:pol_x')"),
        "interaction_id": ("string", "the interaction quoted"),
        "channel": ("string", "its channel"),
        "date": ("string", "its local day (ISO)"),
        "theme": ("string", "the grievance's first theme"),
        "text": ("string", "the grievance text (redacted)"),
    },
    "data_quality": {
        "key": ("string", "n_files, n_records, n_failed, failure_rate, n_merged, n_contacts, ..."),
        "label": ("string", "as shown"),
        "value": ("Float64", "the figure"),
        "basis": ("string", "what it counts"),
    },
    "parse_failures": {
        "reason": ("string", "the ParseFailureReason code"),
        "n_failed": ("int64", "records that failed for it"),
        "share": ("Float64", "its share of the failures"),
    },
    "redactions": {
        "type": ("string", "the placeholder type (EMAIL, PHONE, ...)"),
        "n": ("int64", "placeholders inserted"),
    },
    "coverage": {
        "channel": ("string", "the channel"),
        "source_format": ("string", "the format it was read from"),
        "n_contacts": ("int64", "contacts in the quarter"),
        "n_complaint_contacts": ("int64", "with a grievance"),
        "n_identified": ("int64", "with an identified customer"),
    },
    "by_channel": {
        "period": ("string", "the quarter"),
        "channel": ("string", "the channel"),
        "n_contacts": ("int64", "contacts"),
        "n_complaint_contacts": ("int64", "with a grievance"),
    },
}
"""Table name -> column -> (dtype, meaning), for every table of :attr:`QuarterlyReport.tables`.

``topics`` is there only when topics were given; ``links`` (the frame given as
``links=``, as :func:`hotline_insight.link` documents it) only when given.
"""

_FORMAT_PCT0 = "percent:0"


_WINDOW = "7D"
"""How soon a contact about the same problem is a repeat, by default."""


class QuarterlyReport:
    """A quarterly insight report: the document (:attr:`report`) and the tables behind it (:attr:`tables`).

    Build one with :meth:`build`; write it with :meth:`write` (``.html``,
    ``.md`` or ``.json``) and :meth:`write_tables` (Parquet); in Jupyter it
    shows itself.

    Attributes:
        report: the :class:`~hotline_insight.Report`.
        tables: name -> DataFrame (see :data:`TABLES` for the columns).
        quarter: the reported quarter (``'2026Q3'``).
    """

    def __init__(self, report: Report, tables: Mapping[str, pd.DataFrame], quarter: str) -> None:
        self.report = report
        self.tables = dict(tables)
        self.quarter = quarter

    def __repr__(self) -> str:
        head = self.tables.get("headline")
        figures = {}
        if head is not None and len(head):
            figures = dict(zip(head["key"].astype(str), head["value"], strict=True))
        n_recs = len(self.tables.get("recommendations", ()))
        return (
            f"QuarterlyReport({self.quarter}: {int(figures.get('n_contacts', 0) or 0)} contacts, "
            f"{int(figures.get('n_grievances', 0) or 0)} grievances, {n_recs} recommendation(s))"
        )

    def _repr_html_(self) -> str:
        return self.report.to_html(fragment=True)

    def to_html(self, *, fragment: bool = False) -> str:
        """The report as one self-contained HTML page (see :meth:`Report.to_html`)."""
        return self.report.to_html(fragment=fragment)

    def to_markdown(self, *, assets: str = "report_files") -> str:
        """The report as Markdown (see :meth:`Report.to_markdown`)."""
        return self.report.to_markdown(assets=assets)

    def to_json(self) -> str:
        """The report as JSON (see :meth:`Report.to_json`)."""
        return self.report.to_json()

    def write(self, path: str | Path, *, format: Literal["html", "md", "json"] | None = None) -> Path:
        """Write the report; the format comes from the suffix (see :meth:`Report.write`)."""
        return self.report.write(path, format=format)

    def write_tables(self, folder: str | Path) -> list[Path]:
        """Write every table to ``folder/<name>.parquet`` (each whole or not at all); returns the paths.

        Raises:
            HotlineError: E1028 when a file cannot be written.
        """
        target = Path(folder)
        written = []
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HotlineError(
                Errors.E1028.format(what="the report tables", path=target, reason=type(exc).__name__)
            ) from None
        for name in sorted(self.tables):
            path = target / f"{name}.parquet"
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target)
            os.close(fd)
            try:
                self.tables[name].to_parquet(tmp, index=False)
                os.replace(tmp, path)
            except (OSError, ValueError, TypeError) as exc:
                Path(tmp).unlink(missing_ok=True)
                raise HotlineError(
                    Errors.E1028.format(what=f"the {name!r} table", path=path, reason=type(exc).__name__)
                ) from None
            written.append(path)
        return written

    @classmethod
    def build(
        cls,
        corpus: Any,
        grievances: Any,
        topics: Any = None,
        links: pd.DataFrame | None = None,
        *,
        quarter: str | None = None,
        previous: Any = None,
        catalog: Catalog | None = None,
        customers_table: pd.DataFrame | None = None,
        taxonomy: Taxonomy | None = None,
        timezone: str | None = None,
        parse_report: Any = None,
        redactions: Mapping[str, int] | None = None,
        company: str | None = None,
        generated_at: dt.datetime | None = None,
        window: str = _WINDOW,
        confidence: float = 0.95,
        alpha: float = 0.05,
        min_contacts: int = 5,
        novelty_share: float = 0.5,
        max_rows: int = 15,
        max_recommendations: int = 5,
        n_quotes: int = 2,
    ) -> QuarterlyReport:
        """Build the report of one quarter from the interactions and their grievances.

        Only data up to the end of the quarter is used (what an analyst would
        have had then); earlier quarters give the trends, the baselines of
        the emerging issues and the before/after tests.

        Args:
            corpus: the interactions: a Corpus (its parse report feeds the
                data-quality appendix), a list of Interactions, or a frame like
                ``Corpus.to_frame()`` or a store's interactions table.
            grievances: Grievances, or a frame like ``Grievances.to_frame()``
                (its ``topic`` column is used when filled).
            topics: a fitted :class:`~hotline_insight.TopicModel` (its names;
                the grievances are assigned with it unless they carry topics),
                its ``topic_info_`` frame, one topic id per grievance, or None.
            links: a table from :func:`~hotline_insight.link` to keep with the
                report's tables (``tables["links"]``).
            quarter: ``'2026Q3'``; default the last complete quarter (the last
                one whose last day the data reaches).
            previous: the previous quarter's :class:`QuarterlyReport`,
                :class:`~hotline_insight.Report` or report JSON file (its
                headline figures are the "previous" values), or a
                :class:`~hotline_insight.Store` holding earlier quarters (read
                as history, for interactions the corpus lacks). Default: the
                previous quarter of the data itself.
            catalog: products and policies: names, effective dates (the
                before/after tests) and holdings links.
            customers_table: a frame from :func:`~hotline_insight.read_customers`
                (segments and values; without it every customer is worth 1).
            taxonomy: the theme names (default: the built-in taxonomy).
            timezone: the company's IANA zone: quarters and months follow its
                calendar (default UTC).
            parse_report: a ParseReport or its ``summary()`` (default: the corpus's).
            redactions: placeholders inserted by type (default: the grievances').
            company: shown in the subtitle (default: the catalog's company).
            generated_at: the one time the report states (default: now).
            window: how soon a contact about the same problem is a repeat.
            confidence: coverage of every interval.
            alpha: false discovery rate of the tests that flag.
            min_contacts: contacts an emerging issue needs.
            novelty_share: a topic whose commonest theme covers less than this
                share of its grievances is beyond the taxonomy.
            max_rows: rows shown per table in the report (the tables keep all).
            max_recommendations: recommendations written.
            n_quotes: quotes per claim.

        Returns:
            The report.

        Raises:
            ConfigError: E1020 for a bad argument, E1021 for a quarter without
                data, E1022 when no quarter is complete, E1023 when the previous
                report is not of the quarter before, E1024 without dated
                contacts, E1025/E1026 for topics that do not fit the grievances.
        """
        settings = _settings(
            window=window,
            confidence=confidence,
            alpha=alpha,
            min_contacts=min_contacts,
            novelty_share=novelty_share,
            max_rows=max_rows,
            max_recommendations=max_recommendations,
            n_quotes=n_quotes,
        )
        if links is not None and not isinstance(links, pd.DataFrame):
            raise ConfigError(
                Errors.E1020.format(
                    name="links",
                    func=FUNC,
                    expected="a DataFrame from hi.link() or None",
                    value=type(links).__name__,
                )
            )
        if generated_at is not None and not isinstance(generated_at, dt.datetime):
            raise ConfigError(
                Errors.E1020.format(
                    name="generated_at",
                    func=FUNC,
                    expected="a timezone-aware datetime",
                    value=type(generated_at).__name__,
                )
            )
        history = None
        if isinstance(corpus, StoreSource):  # from_store: a window of rows, and sums of all the data
            from ._quarter_data import _check_timezone

            if quarter is None or grievances is not None:
                raise ValueError("a StoreSource comes from from_store(), with the quarter and no grievances")
            corpus, grievances, history = corpus.open(
                quarter,
                _check_timezone(timezone),
                window=window,
                catalog=catalog,
                customers_table=customers_table,
                contact_columns=_STORE_INTERACTION_COLUMNS,
                grievance_columns=_STORE_GRIEVANCE_COLUMNS,
                func=FUNC,
            )
        data = prepare(
            corpus,
            grievances,
            topics=topics,
            quarter=quarter,
            previous=previous,
            catalog=catalog,
            customers_table=customers_table,
            taxonomy=taxonomy,
            timezone=timezone,
            parse_report=parse_report,
            redactions=redactions,
            history=history,
        )
        tables = compute_tables(data, settings, links=links)
        if history is not None and len(tables.frames["changes"]):
            _add_change_candidates(data, tables.frames["changes"], limit=CHANGE_QUOTE_POOL)
        tables.frames = {
            name: typed(frame, TABLES[name]) if name in TABLES else frame
            for name, frame in tables.frames.items()
        }
        layout = _Layout(data, tables, company=company)
        sections = layout.sections()
        title = f"Quarterly insight report: {data.label}"
        kwargs: dict[str, Any] = {}
        if generated_at is not None:
            kwargs["generated_at"] = generated_at
        report = Report(title=title, subtitle=layout.subtitle(), sections=sections, **kwargs)
        frames = dict(tables.frames)
        frames["quotes"] = typed(quotes_frame(tables), TABLES["quotes"])
        frames["recommendations"] = typed(layout.recommendation_frame(), TABLES["recommendations"])
        return cls(report, frames, data.label)

    @classmethod
    def from_store(
        cls,
        store: Any,
        quarter: str | None = None,
        *,
        topics: Any = "auto",
        rows: Literal["auto", "window", "all"] = "auto",
        **options: Any,
    ) -> QuarterlyReport:
        """Build the report of one quarter from a :class:`~hotline_insight.Store`'s tables.

        With ``rows="window"``, reads whole only the rows of the reported
        quarter and the one before it (from the previous quarter's start,
        less the repeat window); the trends, the baselines of the emerging
        issues, the early warnings, the before/after tests and the other
        all-time figures are counted partition by partition. Memory then
        follows two quarters of rows and every contact's ids and keys, not
        the length of the history. With ``rows="all"``, every row up to the
        quarter's end is read (the columns the report uses). The tables are
        the same either way.

        Args:
            store: a :class:`~hotline_insight.Store` or its folder.
            quarter: ``'2026Q3'``; default the last complete quarter of the data.
            topics: ``"auto"`` (the store's topic model, kept by
                :func:`~hotline_insight.assign_store_topics`, when there is one),
                a fitted :class:`~hotline_insight.TopicModel`, or None.
            rows: ``"window"``, ``"all"``, or ``"auto"``: the window when a
                partition of the store ends before it begins (else both read
                the same rows, and reading them at once is quicker), and
                every row when ``previous`` is a store or when a topic model
                is given and no grievance of the store carries a topic
                (assigning topics needs every text).
            **options: the other arguments of :meth:`build` (``catalog``,
                ``customers_table``, ``timezone``, ...). ``parse_report`` and
                ``redactions`` default to the store's :meth:`~hotline_insight.Store.totals`.

        Returns:
            The report.

        Raises:
            StoreError: E1102 when the store holds nothing yet.
            ConfigError: E1020 for a bad ``rows``, or ``"window"`` where it
                cannot be used; otherwise as :meth:`build`.
        """
        from ..analysis import TOPIC_MODEL_DIR
        from ..analytics._frames import period_start, to_timedelta
        from ..store.dataset import as_store
        from ._quarter_data import _check_timezone, parse_quarter, resolve_quarter

        if rows not in ("auto", "window", "all"):
            raise ConfigError(
                Errors.E1020.format(
                    name="rows",
                    func="QuarterlyReport.from_store",
                    expected="'auto', 'window' or 'all'",
                    value=rows,
                )
            )
        target = as_store(store)
        created = target.read("interactions", columns=["created_at"])["created_at"]
        end = None
        if created.notna().any():
            try:
                label = resolve_quarter(created, quarter, options.get("timezone"))
            except ConfigError:
                label = None  # build() raises the same error with everything read
            if label is not None:  # resolve_quarter has checked the zone
                tz = _check_timezone(options.get("timezone"))
                end = period_start(parse_quarter(label) + 1, "quarter", tz)
        del created
        if isinstance(topics, str) and topics == "auto":
            topics = None
            if (target.root / TOPIC_MODEL_DIR / "topic_model.json").exists():
                from ..topics import load_topic_model

                topics = load_topic_model(target.root / TOPIC_MODEL_DIR)
        totals = target.totals()
        if totals["parse"]:
            options.setdefault("parse_report", totals["parse"])
        options.setdefault("redactions", totals["redactions"])
        if end is not None and rows != "all":
            tz = _check_timezone(options.get("timezone"))
            begins = period_start(parse_quarter(label) - 1, "quarter", tz) - to_timedelta(
                FUNC, "window", options.get("window", _WINDOW)
            )
            # partition names first: the topic check below reads a column of every grievance partition
            if rows == "window" or _ends_before(target, begins):
                why_not = _no_window(target, topics, options.get("previous"))
                if rows == "window" and why_not:
                    raise ConfigError(
                        Errors.E1020.format(
                            name="rows", func="QuarterlyReport.from_store", expected=why_not, value=rows
                        )
                    )
                if not why_not:
                    return cls.build(StoreSource(target), None, topics, quarter=label, **options)
        interactions = _read_until(target, "interactions", _STORE_INTERACTION_COLUMNS, end)
        interactions = with_meta(interactions)
        grievances = _read_until(target, "grievances", _STORE_GRIEVANCE_COLUMNS, end)
        return cls.build(interactions, grievances, topics, quarter=quarter, **options)


def _no_window(store: Any, topics: Any, previous: Any) -> str:
    """Why :meth:`QuarterlyReport.from_store` must read every row ("" when a window will do)."""
    from ..store import Store
    from ..topics.model import TopicModel

    if isinstance(previous, Store):  # history from another store: its rows are joined to these
        return "'all' or 'auto' when previous is a Store"
    if isinstance(topics, TopicModel) and not any(
        store.read("grievances", quarter, columns=["topic"])["topic"].notna().any()
        for quarter in store.quarters("grievances")
    ):  # grievances without topics are assigned them from their texts, every one of them
        return "'all' or 'auto' when a topic model must assign the store's grievances their topics"
    return ""


def _ends_before(store: Any, begins: pd.Timestamp) -> bool:
    """Whether a (UTC quarter) partition of the store ends before ``begins``."""
    from ..analytics._frames import period_start
    from ..store.schema import UNKNOWN_QUARTER
    from ._quarter_data import parse_quarter

    return any(
        period_start(parse_quarter(quarter) + 1, "quarter") <= begins
        for table in ("interactions", "grievances")
        for quarter in store.quarters(table)
        if quarter != UNKNOWN_QUARTER
    )


def _read_until(store: Any, table: str, columns: Sequence[str], end: pd.Timestamp | None) -> pd.DataFrame:
    """A store table's rows made before ``end`` (and undated ones) in full; of later interactions, ids and times.

    Partitions that start at or after ``end`` are read for ``id``,
    ``source_format`` and ``created_at`` only (interactions; grievances: not
    at all), and the partition that ``end`` falls in is split batch by
    batch, so memory follows the rows the report analyses.
    """
    from ..analytics._frames import period_start
    from ..store.schema import UNKNOWN_QUARTER
    from ._quarter_data import parse_quarter

    if end is None:
        return store.read(table, columns=columns, lists="tuple")  # type: ignore[no-any-return]
    ids_and_times = ["id", "source_format", "created_at"]
    parts: list[pd.DataFrame] = []
    later: list[pd.DataFrame] = []
    for quarter in store.quarters(table):
        ordinal = None if quarter == UNKNOWN_QUARTER else parse_quarter(quarter)
        if ordinal is None or period_start(ordinal + 1, "quarter") <= end:
            parts.append(store.read(table, quarter, columns=columns, lists="tuple"))
        elif period_start(ordinal, "quarter") < end:  # the partition the end falls in
            for batch in store.iter_frames(table, quarter, columns=columns, lists="tuple"):
                after = (batch["created_at"] >= end).to_numpy()
                parts.append(batch[~after])
                if table == "interactions":
                    later.append(batch.loc[after, ids_and_times])
        elif table == "interactions":
            later.append(store.read(table, quarter, columns=ids_and_times))
    if later:
        tail = pd.concat(later, ignore_index=True)
        for column in ("customer_keys", "meta_ids"):
            tail[column] = pd.Series([()] * len(tail), index=tail.index, dtype=object)
        parts.append(tail)
    if not parts:
        return store.read(table, columns=columns, lists="tuple")  # type: ignore[no-any-return]
    return pd.concat(parts, ignore_index=True)


_STORE_INTERACTION_COLUMNS = (
    "id",
    "source_format",
    "channel",
    "created_at",
    "resolved_at",
    "customer_id",
    "customer_keys",
    "agent_id",
    "queue",
    "product",
    "category",
    "status",
    "n_turns",
    "satisfaction_score",
    "satisfaction_scale",
    "meta_ids",
)
"""The interactions columns the report reads from a store."""

_STORE_GRIEVANCE_COLUMNS = (
    *GRIEVANCE_COLUMNS,
    "turn_position",
    "start_char",
    "text",
    "complaint_score",
    "intensity",
)
"""The grievances columns the report reads from a store (not role, end_char, sentiment, cues)."""


def _settings(**values: Any) -> Settings:
    import pandas as pd

    checks: dict[str, tuple[str, Any]] = {
        "confidence": ("a number in the range (0, 1)", lambda v: 0 < v < 1),
        "alpha": ("a number in the range (0, 1)", lambda v: 0 < v < 1),
        "min_contacts": ("an int in the range [1, inf)", lambda v: isinstance(v, int) and v >= 1),
        "novelty_share": ("a number in the range (0, 1]", lambda v: 0 < v <= 1),
        "max_rows": ("an int in the range [1, inf)", lambda v: isinstance(v, int) and v >= 1),
        "max_recommendations": ("an int in the range [0, inf)", lambda v: isinstance(v, int) and v >= 0),
        "n_quotes": ("an int in the range [0, 10]", lambda v: isinstance(v, int) and 0 <= v <= 10),
    }
    for name, (expected, ok) in checks.items():
        value = values[name]
        good = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and ok(value)
        )
        if not good:
            raise ConfigError(Errors.E1020.format(name=name, func=FUNC, expected=expected, value=value))
    try:
        window = pd.Timedelta(values["window"])
        good = not pd.isna(window) and window > pd.Timedelta(0)
    except (ValueError, TypeError):
        good = False
    if not good or not isinstance(values["window"], str):
        raise ConfigError(
            Errors.E1020.format(
                name="window", func=FUNC, expected="a positive duration such as '7D'", value=values["window"]
            )
        )
    return Settings(**values)


# ---------------------------------------------------------------------------
# layout
# ---------------------------------------------------------------------------

_CHANNELS = {"call", "chat", "email", "ticket", "social"}


def _n(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _pct(value: float | None, digits: int = 0) -> str:
    return "\u2013" if value is None else f"{value:.{digits}%}"


class _Layout:
    """Turns the tables into sections, choosing the quotes claim by claim."""

    def __init__(self, data: QuarterData, tables: Tables, *, company: str | None) -> None:
        self.data = data
        self.t = tables
        self.s = tables.settings
        self.f = tables.frames
        self.company = company or (
            getattr(data.catalog, "company", None) if data.catalog is not None else None
        )
        self.rec_rows: list[dict[str, Any]] = []

    # -- helpers -------------------------------------------------------------

    def subtitle(self) -> str:
        d = self.data
        first = d.start.tz_convert(d.timezone).date()
        last = (d.end - pd.Timedelta(days=1)).tz_convert(d.timezone).date()
        period = f"{first:%-d %B %Y} to {last:%-d %B %Y} ({d.timezone})"
        parts = [p for p in (self.company, period, f"compared with {d.previous_label}") if p]
        return " \u00b7 ".join(parts)

    def quote_blocks(self, positions: Sequence[int], *, target: str | None = None) -> list[Block]:
        g = self.data.grievances
        out: list[Block] = []
        for p in positions:
            row = g.iloc[p]
            themes = [
                str(x)
                for x in (row["themes"] if isinstance(row["themes"], list | tuple | np.ndarray) else [])
            ]
            created = row.get("created_at")
            channel = row.get("channel")
            out.append(
                Quote(
                    text=str(row["text"]),
                    interaction_id=str(row["interaction_id"]),
                    channel=str(channel) if channel is not None and str(channel) in _CHANNELS else None,
                    date=None
                    if created is None or pd.isna(created)
                    else pd.Timestamp(created).tz_convert(self.data.timezone).date(),
                    theme=self.data.name("theme", themes[0]) if themes else None,
                    product=target,
                )
            )
        return out

    def _mask_quarter(self) -> np.ndarray:
        return (self.data.grievances["quarter"] == self.data.quarter).to_numpy()

    def _mask_list(self, column: str, value: str) -> np.ndarray:
        return _list_mask(self.data.grievances, column, value)

    def _mask_key(self, key: str) -> np.ndarray:
        return _key_mask(self.data.grievances, key)

    # -- sections ------------------------------------------------------------

    def sections(self) -> list[Section]:
        builders = [
            self.headline,
            self.recommendations,
            self.recurring,
            self.products,
            self.policies,
            self.emerging,
            self.changes,
            self.topics,
            self.valuable,
            self.repeats,
            self.data_quality,
            self.method,
        ]
        out = []
        for build in builders:
            section = build()
            if section is not None:
                out.append(section)
        return out

    def headline(self) -> Section:
        head = self.f["headline"].set_index("key")
        formats = {
            "n_contacts": ("int", "percent"),
            "n_complaint_contacts": ("int", "percent"),
            "complaint_share": ("percent", "points:1"),
            "n_grievances": ("int", "percent"),
            "n_customers": ("int", "percent"),
            "value_at_risk": ("money", "percent"),
            "n_repeat_contacts": ("int", "percent"),
            "fcr": (_FORMAT_PCT0, "points:1"),
            "satisfaction": ("percent", "points:1"),
        }
        better = {
            "n_complaint_contacts": "down",
            "complaint_share": "down",
            "n_grievances": "down",
            "n_customers": "down",
            "value_at_risk": "down",
            "n_repeat_contacts": "down",
            "fcr": "up",
            "satisfaction": "up",
        }
        short = {
            "n_contacts": "All channels.",
            "n_complaint_contacts": "Interactions with a grievance.",
            "n_grievances": "Complaint segments.",
            "n_customers": "Identified customers.",
            "value_at_risk": "Value of the customers complaining.",
            "n_repeat_contacts": f"Back within {self.s.window} about the same problem.",
        }
        conf = f"{self.s.confidence:.0%}"
        items = []
        for key, (fmt, change_fmt) in formats.items():
            row = head.loc[key]
            low, high, p = _n(row["low"]), _n(row["high"]), _n(row["p_value"])
            parts = [short[key]] if key in short else []
            if key in ("complaint_share", "fcr", "satisfaction"):
                basis = str(row["basis"])
                parts.append(basis.split(";")[0].strip().capitalize() if basis else "")
            if low is not None and high is not None:
                parts.append(f"{conf} CI {_pct(low, 1)} to {_pct(high, 1)}")
            if p is not None:
                parts.append(f"change p = {p:.3f}" if p >= 0.001 else "change p < 0.001")
            previous = self.data.previous
            if previous is not None and key in previous.figures:
                parts.append(f"previous from the {previous.quarter} report")
            note = "; ".join(x for x in parts if x) or None
            items.append(
                Figure(
                    label=str(row["label"]),
                    value=_n(row["value"]),
                    format=fmt,
                    previous=_n(row["previous"]),
                    change=_n(row["change"]),
                    change_format=change_fmt,
                    better=better.get(key),
                    note=note,
                )
            )
        blocks: list[Block] = [Figures(items=items)]
        blocks.append(self._summary_paragraph(head))
        blocks += self._callouts()
        chart = self._channel_chart()
        if chart is not None:
            blocks.append(chart)
        return Section(id="headline", title="Headline figures", blocks=blocks)

    def _summary_paragraph(self, head: pd.DataFrame) -> Paragraph:
        d = self.data
        n, x = _n(head.loc["n_contacts", "value"]) or 0, _n(head.loc["n_complaint_contacts", "value"]) or 0
        share = _n(head.loc["complaint_share", "value"])
        parts: list[Any] = [
            f"In {d.label}, {int(x):,} of {int(n):,} contacts ({_pct(share, 1)}) carried a grievance"
        ]
        prev = _n(head.loc["complaint_share", "previous"])
        if prev is not None and share is not None:
            parts.append(f", against {_pct(prev, 1)} in {d.previous_label}")
        parts.append(". ")
        recs = self.f["recommendations"]
        if len(recs):
            top = recs.iloc[0]
            parts += [
                "Change first: ",
                strong(str(top["target_name"])),
                f" ({int(top['n_contacts'])} contacts from {int(top['n_customers'])} customers, "
                f"{_money(float(top['value_at_risk']))} of customer value at risk). ",
            ]
        em = self.f["emerging"]
        if len(em):
            names = list(dict.fromkeys(em["label"].astype(str)))[:3]
            parts += ["New or rising: ", strong("; ".join(names)), ". "]
        ch = self.f["changes"]
        worked = ch[ch["verdict"].astype(str) == "worked"] if len(ch) else ch
        if len(worked):
            parts += [
                "A change that worked: ",
                strong("; ".join(dict.fromkeys(worked["name"].astype(str)))),
                ".",
            ]
        return Paragraph.of(*parts)

    def _callouts(self) -> list[Block]:
        d = self.data
        out: list[Block] = []
        last_day = (d.end - pd.Timedelta(days=1)).tz_convert(d.timezone).date()
        if d.last_in_data.tz_convert(d.timezone).date() < last_day:
            out.append(
                Callout.of(
                    f"The data stops on {d.last_in_data.tz_convert(d.timezone).date()}, before the quarter's last "
                    "day: its figures are partial.",
                    tone="warning",
                    title="Read first",
                )
            )
        missing = []
        if d.catalog is None:
            missing.append(
                "no catalog: grievances are not named by product or policy, and no change is tested"
            )
        if _unweighted_values(d):
            missing.append("no customer values: every customer counts as 1 in the value at risk")
        if not d.has_topics:
            missing.append("no topics: topics beyond the taxonomy are not shown")
        if missing:
            out.append(
                Callout.of("; ".join(missing).capitalize() + ".", tone="note", title="Not in this report")
            )
        ps = d.parse_summary
        if ps and int(ps.get("n_read", 0)):
            rate = int(ps.get("n_failed", 0)) / int(ps["n_read"])
            if rate > 0.01:
                out.append(
                    Callout.of(
                        f"{rate:.1%} of the records read could not be parsed; see the data-quality appendix.",
                        tone="warning",
                        title="Data quality",
                    )
                )
        return out

    def _channel_chart(self) -> StackedBarChart | None:
        frame = self.f["by_channel"]
        if not len(frame):
            return None
        periods = [quarter_label(q) for q in self.data.quarters]
        channels = sorted(frame["channel"].astype(str).unique())
        series = []
        for channel in channels:
            mine = frame[frame["channel"] == channel].set_index("period")["n_complaint_contacts"]
            series.append(Series(name=channel.capitalize(), values=[int(mine.get(p, 0)) for p in periods]))
        return StackedBarChart(
            title="Contacts with a grievance, by quarter and channel",
            categories=periods,
            series=series,
            y_label="Contacts",
            caption="Counts of interactions with at least one grievance.",
        )

    # -- recommendations -----------------------------------------------------

    def recommendations(self) -> Section:
        d, s = self.data, self.s
        recs = self.f["recommendations"]
        blocks: list[Block] = []
        if not len(recs) or s.max_recommendations == 0:
            blocks.append(
                Paragraph.of(
                    f"No grievance in {d.label} names a product or policy, so there is nothing to recommend."
                )
            )
            return Section(id="recommendations", title="Recommendations", blocks=blocks)
        total = len(recs)
        blocks.append(
            Paragraph.of(
                "Each grievance is attributed to one target: the policy it names, else the product it names. "
                "Targets are ranked by the value of the customers whose grievances they caused this quarter; "
                "the effects are what the quarter would have looked like without those grievances (an upper bound: "
                "the cause removed entirely)."
            )
        )
        overall_fcr = _n(self.f["headline"].set_index("key").loc["fcr", "value"])
        emerging = self.f["emerging"]
        for row in records(recs.head(s.max_recommendations)):
            kind, ident, name = str(row["target_kind"]), str(row["target_id"]), str(row["target_name"])
            claim = f"recommendation:{kind}:{ident}"
            mask = self._mask_quarter() & (self.data.grievances["target_kind"] == kind).fillna(
                False
            ).to_numpy(dtype=bool)
            mask &= (self.data.grievances["target_id"] == ident).fillna(False).to_numpy(dtype=bool)
            chosen = choose_quotes(self.t, claim, mask, link=(kind, ident))
            action, rationale = self._action(row, overall_fcr, emerging, total)
            effects = [
                Effect(label="grievances a quarter", value=-int(row["n_grievances"])),
                Effect(label="customers complaining a quarter", value=-int(row["n_customers"])),
                Effect(
                    label="customer value at risk a quarter",
                    value=-float(row["value_at_risk"]),
                    format="money",
                ),
            ]
            if int(row["n_repeat_contacts"]):
                effects.append(
                    Effect(label="repeat contacts a quarter", value=-int(row["n_repeat_contacts"]))
                )
            gain = _n(row["satisfaction_gain"])
            if gain is not None:
                effects.append(Effect(label="satisfaction (share satisfied)", value=gain, format="points:1"))
            evidence = [str(self.data.grievances["interaction_id"].iloc[p]) for p in chosen]
            blocks.append(
                Recommendation(
                    target_kind=kind,
                    target_id=ident,
                    target_name=name,
                    action=action,
                    rationale=rationale,
                    effects=effects,
                    evidence=evidence,
                )
            )
            blocks += self.quote_blocks(chosen, target=name)
            self.rec_rows.append({**row, "action": action, "evidence": evidence})
        if total > s.max_recommendations:
            blocks.append(
                Paragraph.of(
                    f"{total - s.max_recommendations} more product(s) and policies had grievances this quarter; "
                    "the recommendations table lists them all."
                )
            )
        return Section(id="recommendations", title="Recommendations", blocks=blocks)

    def _action(
        self, row: Mapping[str, Any], overall_fcr: float | None, emerging: pd.DataFrame, total: int
    ) -> tuple[str, str]:
        kind, ident, name = str(row["target_kind"]), str(row["target_id"]), str(row["target_name"])
        n_contacts, n_repeat = int(row["n_contacts"]), int(row["n_repeat_contacts"])
        reasons = []
        mine = (
            emerging[emerging["key"].astype(str).str.split("|").map(lambda parts: f"{kind}:{ident}" in parts)]
            if len(emerging)
            else emerging
        )
        fcr = _n(row["fcr"])
        is_repeat_driver = n_repeat >= 3 and n_repeat >= 0.25 * n_contacts
        if len(mine):
            first = mine.iloc[0]
            expected = _n(first["expected"])
            reasons.append(
                f"it is {'new' if str(first['reason']) == 'new' else 'rising'} this quarter "
                f"({int(first['n_contacts'])} contacts about {first['label']}"
                + (f" against {expected:.1f} expected" if expected is not None else "")
                + ")"
            )
            verb = "Investigate and fix"
        else:
            verb = "Review" if kind == "policy" else "Fix the problems customers report with"
        if is_repeat_driver:
            text = f"it brings customers back: {n_repeat} repeat contacts"
            if fcr is not None:
                text += f", first-contact resolution {_pct(fcr)}"
                if overall_fcr is not None:
                    text += f" against {_pct(overall_fcr)} overall"
            reasons.append(text)
        low = _n(row["top_decile_low"])
        if low is not None and low > 1:
            reasons.append("it falls hardest on the most valuable customers")
        themes = [self.data.name("theme", t) for t in row["themes"]] if len(row["themes"]) else []
        if themes:
            reasons.append("customers complain of " + " and ".join(t.lower() for t in themes))
        subject = f"the {name} policy" if kind == "policy" else name
        action = f"{verb} {subject}" + (": " + "; ".join(reasons) if reasons else "") + "."
        prev = int(row["prev_contacts"])
        change = (
            f", {'up' if n_contacts > prev else 'down' if n_contacts < prev else 'level'} from {prev} in "
            f"{self.data.previous_label}"
            if (self.data.contacts["quarter"] == self.data.quarter - 1).any()
            else ""
        )
        rationale = (
            f"Rank {int(row['rank'])} of {total} by value at risk: {n_contacts} contacts from "
            f"{int(row['n_customers'])} customers worth {_money(float(row['value_at_risk']))} this quarter{change}."
        )
        return action, rationale

    def recommendation_frame(self) -> pd.DataFrame:
        recs = self.f["recommendations"]
        shown = {(r["target_kind"], r["target_id"]): r for r in self.rec_rows}
        rows = []
        for row in records(recs):
            extra = shown.get((row["target_kind"], row["target_id"]))
            rows.append(
                {
                    **row,
                    "action": extra["action"] if extra else None,
                    "evidence": extra["evidence"] if extra else [],
                }
            )
        return pd.DataFrame(rows, columns=list(TABLES["recommendations"]))

    # -- recurring grievances --------------------------------------------------

    def _rank_table(self, frame: pd.DataFrame, dim: str, label: str, caption: str, note: str) -> Table:
        s = self.s
        shown = frame.head(s.max_rows)
        conf = f"{s.confidence:.0%}"
        return Table.from_frame(
            shown,
            columns=[
                "name",
                "n_contacts",
                "n_customers",
                "value_at_risk",
                "fcr_ci",
                "change_ratio",
                "p_value",
                "trend",
            ],
            labels={
                "name": label,
                "n_contacts": "Contacts",
                "n_customers": "Customers",
                "value_at_risk": "Value at risk",
                "fcr_ci": f"Resolved first time ({conf} CI)",
                "change_ratio": f"Change on {self.data.previous_label} (x)",
                "p_value": "p",
                "trend": "Quarters",
            },
            formats={
                "value_at_risk": "money",
                "fcr_ci": "interval:percent:0",
                "change_ratio": "float:2",
                "p_value": "pvalue",
                "trend": "sparkline:int",
            },
            intervals={"fcr_ci": ("fcr_low", "fcr_high")},
            caption=caption,
            note=note,
            total_rows=len(frame),
        )

    def recurring(self) -> Section:
        d = self.data
        frame = self.f["grievances"]
        blocks: list[Block] = []
        if not len(frame):
            return Section(
                id="recurring",
                title="Recurring grievances",
                blocks=[Paragraph.of(f"No grievance in {d.label}.")],
            )
        quarters = [quarter_label(q) for q in d.quarters]
        blocks.append(
            self._rank_table(
                frame,
                "theme",
                "Grievance",
                f"Grievances in {d.label}, ranked by value-weighted impact",
                f"Value at risk: the summed value of the customers who raised it this quarter. Resolved first time: "
                f"first contacts about it not repeated within {self.s.window}. Change: its rate per contact against "
                f"{d.previous_label}, exact Poisson test (p). Quarters: contacts per quarter, {quarters[0]} to "
                f"{quarters[-1]}.",
            )
        )
        top = frame.head(5)
        series = [Series(name=str(r["name"]), values=list(r["trend"])) for r in records(top)]
        blocks.append(
            LineChart(
                title="The five largest grievances, contacts per quarter",
                x=quarters,
                series=series,
                y_label="Contacts",
                markers=self._quarter_markers(),
            )
        )
        blocks.append(Heading(text="In customers' words"))
        for row in records(frame.head(3)):
            chosen = choose_quotes(
                self.t,
                f"theme:{row['theme']}",
                self._mask_quarter() & self._mask_list("themes", str(row["theme"])),
                k=1,
            )
            blocks += self.quote_blocks(chosen)
        return Section(id="recurring", title="Recurring grievances", blocks=blocks)

    def _quarter_markers(self) -> list[Marker]:
        return []

    # -- products ------------------------------------------------------------

    def products(self) -> Section | None:
        d, s = self.data, self.s
        pairs = self.f["product_theme"]
        products = self.f["products"]
        if not len(products):
            return None
        blocks: list[Block] = []
        top_products = products.head(10)
        prod_ids = top_products["product"].astype(str).tolist()
        theme_totals = pairs[pairs["product"].isin(prod_ids)].groupby("theme")["n_contacts"].sum()
        theme_ids = sorted(theme_totals.index, key=lambda t: (-int(theme_totals[t]), t))[:10]
        if prod_ids and theme_ids:
            lookup = pairs.set_index(["product", "theme"])["n_contacts"]
            rows = _unique_labels([d.name("product", p) for p in prod_ids])
            columns = _unique_labels([d.name("theme", t) for t in theme_ids])
            values = [[int(lookup.get((p, t), 0)) for t in theme_ids] for p in prod_ids]
            blocks.append(
                Heatmap(
                    title=f"Contacts by product and grievance, {d.label}",
                    rows=rows,
                    columns=columns,
                    values=values,
                    legend_title="Contacts",
                    caption="Products by value at risk (top 10), grievances by contacts with those products (top 10). "
                    "A contact counts where one grievance names both.",
                )
            )
        blocks.append(
            self._rank_table(
                products,
                "product",
                "Product",
                f"Products in {d.label}, ranked by value at risk",
                "Counts of contacts with a grievance naming the product (or, for a policy with no product named, "
                "the products the customer holds that the policy applies to).",
            )
        )
        sig = pairs[pairs["is_significant"].astype(bool) & (pairs["lift"].astype("Float64").fillna(0) > 1)]
        if len(sig):
            shown = sig.head(s.max_rows)
            blocks.append(
                Table.from_frame(
                    shown,
                    columns=["product_name", "theme_name", "n_contacts", "share", "lift", "q_value"],
                    labels={
                        "product_name": "Product",
                        "theme_name": "Grievance",
                        "n_contacts": "Contacts",
                        "share": "Share of the product's contacts",
                        "lift": "Lift",
                        "q_value": "q",
                    },
                    formats={"share": _FORMAT_PCT0, "lift": "float:1", "q_value": "pvalue"},
                    caption="Grievances over-represented with a product",
                    note=f"Lift: the share over the grievance's share of all contacts with a grievance; q: Fisher or "
                    f"chi-square test, Benjamini-Hochberg adjusted (q <= {s.alpha}).",
                    total_rows=len(sig),
                )
            )
        return Section(id="products", title="Products and grievances", blocks=blocks)

    # -- policies ------------------------------------------------------------

    def policies(self) -> Section | None:
        d, s = self.data, self.s
        frame = self.f["policies"]
        if not len(frame):
            return None
        conf = f"{s.confidence:.0%}"
        blocks: list[Block] = [
            Table.from_frame(
                frame.head(max(s.max_rows, len(frame))),
                columns=[
                    "name",
                    "n_grievances",
                    "n_customers",
                    "n_repeat_contacts",
                    "value_at_risk",
                    "sat_ci",
                    "change_ratio",
                    "trend",
                ],
                labels={
                    "name": "Policy",
                    "n_grievances": "Grievances",
                    "n_customers": "Customers affected",
                    "n_repeat_contacts": "Repeat contacts",
                    "value_at_risk": "Value at risk",
                    "sat_ci": f"Satisfaction impact ({conf} interval)",
                    "change_ratio": f"Change on {d.previous_label} (x)",
                    "trend": "Quarters",
                },
                formats={
                    "value_at_risk": "money",
                    "sat_ci": "interval:points:0",
                    "change_ratio": "float:2",
                    "trend": "sparkline:int",
                },
                intervals={"sat_ci": ("satisfaction_low", "satisfaction_high")},
                caption=f"Policy scorecard, {d.label}",
                note="Every policy of the catalog. Satisfaction impact: the difference in mean satisfaction between "
                "contacts with a grievance about the policy and the others (commonest scale; Newcombe or Welch "
                "interval); a dash where fewer than two scored contacts had one.",
            )
        ]
        with_value = frame[frame["value_at_risk"] > 0].head(10)
        if len(with_value):
            blocks.append(
                BarChart(
                    title="Value at risk by policy",
                    categories=_unique_labels(with_value["name"].astype(str).tolist()),
                    values=with_value["value_at_risk"].astype(float).tolist(),
                    value_format="money",
                    highlight=[_unique_labels(with_value["name"].astype(str).tolist())[0]],
                    x_label="Value of the customers complaining",
                )
            )
        return Section(id="policies", title="Policy scorecard", blocks=blocks)

    # -- emerging ------------------------------------------------------------

    def emerging(self) -> Section:
        d, s = self.data, self.s
        em = self.f["emerging"]
        ew = self.f["early_warnings"]
        blocks: list[Block] = []
        if not len(em):
            blocks.append(
                Paragraph.of(
                    f"Nothing is new or significantly rising in {d.label} against the four quarters before."
                )
            )
        else:
            blocks.append(
                Table.from_frame(
                    em.head(s.max_rows),
                    columns=[
                        "dimension",
                        "label",
                        "n_contacts",
                        "baseline_contacts",
                        "expected",
                        "ratio",
                        "ratio_low",
                        "q_value",
                        "reason",
                    ],
                    labels={
                        "dimension": "Kind",
                        "label": "What",
                        "n_contacts": "Contacts",
                        "baseline_contacts": "Contacts, 4 quarters before",
                        "expected": "Expected",
                        "ratio": "Ratio",
                        "ratio_low": f"Ratio, {s.confidence:.0%} lower bound",
                        "q_value": "q",
                        "reason": "Why",
                    },
                    formats={
                        "expected": "float:1",
                        "ratio": "float:1",
                        "ratio_low": "float:1",
                        "q_value": "pvalue",
                    },
                    caption=f"Emerging in {d.label}",
                    note=f"Rising: at least {s.min_contacts} contacts, a rate at least {s.min_ratio:g} times that of the "
                    f"four quarters before, one-sided exact test with Benjamini-Hochberg q <= {s.alpha}. New: at least "
                    f"{s.min_contacts} contacts and none before.",
                    total_rows=len(em),
                )
            )
            first_month: dict[str, str] = {}
            if len(ew):
                for row in records(ew[ew["is_first"].astype(bool)]):
                    first_month.setdefault(str(row["key"]), str(row["period"]))
            for row in records(em.drop_duplicates("key").head(4)):
                key = str(row["key"])
                dims = tuple(part.partition(":")[0] for part in key.split("|"))
                chart = self._monthly_chart(dims, key, str(row["label"]), first_month.get(key))
                if chart is not None:
                    blocks.append(chart)
                chosen = choose_quotes(
                    self.t, f"emerging:{key}", self._mask_quarter() & self._mask_key(key), k=1
                )
                blocks += self.quote_blocks(chosen)
        if len(ew):
            blocks.append(
                Table.from_frame(
                    ew.head(s.max_rows),
                    columns=[
                        "period",
                        "dimension",
                        "label",
                        "n_contacts",
                        "expected",
                        "ratio",
                        "q_value",
                        "is_first",
                    ],
                    labels={
                        "period": "Month",
                        "dimension": "Kind",
                        "label": "What",
                        "n_contacts": "Contacts",
                        "expected": "Expected",
                        "ratio": "Ratio",
                        "q_value": "q",
                        "is_first": "First warning",
                    },
                    formats={"expected": "float:1", "ratio": "float:1", "q_value": "pvalue"},
                    caption=f"Early warnings during {d.label}",
                    note="The same test month by month, each month with only the data up to its end and the six months "
                    "before as the baseline: what an analyst running it monthly would have seen, and when.",
                    total_rows=len(ew),
                )
            )
        return Section(id="emerging", title="Emerging issues and early warnings", blocks=blocks)

    def _monthly_chart(
        self, dims: tuple[str, ...], key: str, label: str, marker_month: str | None
    ) -> LineChart | None:
        d = self.data
        monthly = monthly_counts(self.t, dims)
        keys = (
            monthly[list(dims)].astype(str).agg("|".join, axis=1)
            if len(dims) > 1
            else monthly[dims[0]].astype(str)
        )
        wanted = "|".join(part.partition(":")[2] for part in key.split("|"))
        mine = monthly[keys.to_numpy() == wanted]
        if not len(mine):
            return None
        mine = mine.tail(15)
        x = [pd.Timestamp(p).tz_convert(d.timezone).date() for p in mine["period_start"]]
        markers = []
        if marker_month is not None:
            day = dt.date.fromisoformat(marker_month + "-01")
            if x[0] <= day <= x[-1]:
                markers.append(Marker(x=day, label="First warning"))
        return LineChart(
            title=f"{label}: contacts per month",
            x=x,
            x_labels=mine["period"].astype(str).tolist(),
            series=[Series(name="Contacts", values=mine["n_contacts"].astype(int).tolist())],
            markers=markers,
            y_label="Contacts",
        )

    # -- changes -------------------------------------------------------------

    def changes(self) -> Section:
        d, s = self.data, self.s
        ch = self.f["changes"]
        blocks: list[Block] = []
        if not len(ch):
            text = (
                "No product or policy of the catalog changed inside the data."
                if d.catalog is not None
                else "No catalog was given, so no change could be tested."
            )
            return Section(id="changes", title="Did the changes work?", blocks=[Paragraph.of(text)])
        verdict_text = {
            "worked": "worked: fewer contacts than the trend before predicts",
            "backfired": "backfired: more contacts than the trend before predicts",
            "no_change": "made no measurable difference",
            "insufficient_data": "cannot be judged yet (too little data on one side)",
        }
        table = ch.assign(
            when=[pd.Timestamp(x).tz_convert(d.timezone).date().isoformat() for x in ch["changed_at"]],
            event_label=[_EVENTS.get(str(e), str(e)) for e in ch["event"]],
        )
        blocks.append(
            Table.from_frame(
                table,
                columns=[
                    "name",
                    "event_label",
                    "when",
                    "contacts_before",
                    "contacts_after",
                    "expected_after",
                    "ratio_ci",
                    "verdict",
                ],
                labels={
                    "name": "Policy or product",
                    "event_label": "Change",
                    "when": "Date",
                    "contacts_before": "Contacts before",
                    "contacts_after": "Contacts after",
                    "expected_after": "Expected after",
                    "ratio_ci": f"Observed / expected ({s.confidence:.0%} interval)",
                    "verdict": "Verdict",
                },
                formats={"expected_after": "float:1", "ratio_ci": "interval:float:2"},
                intervals={"ratio_ci": ("ratio_low", "ratio_high")},
                caption="Before and after each change of the catalog inside the data",
                note="An interrupted time series of contacts per month (Poisson, with the period's contacts as "
                "exposure): the months before give the level (and the trend, when one is under way); the contacts "
                "after are compared with what that predicts. Worked: the whole interval is below 1; backfired: "
                "above 1. The month of the change is left out when it does not start on its first day.",
            )
        )
        for row in records(ch):
            key = str(row["key"])
            when = pd.Timestamp(row["changed_at"]).tz_convert(d.timezone)
            verdict = verdict_text.get(str(row["verdict"]), str(row["verdict"]))
            text = f"{row['name']} ({_EVENTS.get(str(row['event']), str(row['event'])).lower()} {when.date()}) {verdict}"
            ratio = _n(row["ratio"])
            if ratio is not None and _n(row["expected_after"]) is not None:
                text += f": {int(row['contacts_after'])} contacts after against {float(row['expected_after']):.1f} expected"
            blocks.append(Paragraph.of(text + "."))
            dim = str(row["dimension"])
            chart = self._change_chart(
                dim, str(row["value"]), str(row["name"]), when.date(), str(row["event"])
            )
            if chart is not None:
                blocks.append(chart)
            claim = f"change:{key}:{row['event']}"
            used_before = set(self.t._used)
            chosen = choose_quotes(
                self.t, claim, _change_mask(d.grievances, row), k=1, link=_change_link(row)
            )
            if d.history is not None and not _exact_change_quote(d, row, chosen, used_before):
                # the older rows kept for it were not enough: all of them, then choose again
                self.t._used = used_before
                _add_change_candidates(d, ch[(ch["key"] == key) & (ch["event"] == row["event"])], limit=None)
                chosen = choose_quotes(
                    self.t, claim, _change_mask(d.grievances, row), k=1, link=_change_link(row)
                )
            blocks += self.quote_blocks(chosen, target=str(row["name"]))
        return Section(id="changes", title="Did the changes work?", blocks=blocks)

    def _change_chart(self, dim: str, value: str, name: str, day: dt.date, event: str) -> LineChart | None:
        d = self.data
        monthly = monthly_counts(self.t, (dim,))
        mine = monthly[monthly[dim].astype(str) == value]
        if not len(mine):
            return None
        x = [pd.Timestamp(p).tz_convert(d.timezone).date() for p in mine["period_start"]]
        markers = [Marker(x=day, label=_EVENTS.get(event, event))] if x[0] <= day <= x[-1] else []
        return LineChart(
            title=f"{name}: contacts per month",
            x=x,
            x_labels=mine["period"].astype(str).tolist(),
            series=[Series(name="Contacts", values=mine["n_contacts"].astype(int).tolist())],
            markers=markers,
            y_label="Contacts",
        )

    # -- topics --------------------------------------------------------------

    def topics(self) -> Section | None:
        d, s = self.data, self.s
        if "topics" not in self.f:
            return None
        frame = self.f["topics"]
        beyond = frame[frame["is_beyond_taxonomy"].astype(bool) & (frame["n_grievances"] >= 3)]
        blocks: list[Block] = []
        if not len(beyond):
            blocks.append(
                Paragraph.of(
                    f"Every topic with three grievances or more in {d.label} lines up with a theme of the taxonomy."
                )
            )
            return Section(id="topics", title="Topics beyond the taxonomy", blocks=blocks)
        shown = beyond.head(s.max_rows).assign(
            phrases=[", ".join(p[:4]) for p in beyond.head(s.max_rows)["key_phrases"]],
            theme_label=[
                f"{n} ({sh:.0%})" if isinstance(n, str) and _n(sh) is not None else "none"
                for n, sh in zip(
                    beyond.head(s.max_rows)["top_theme_name"],
                    beyond.head(s.max_rows)["top_theme_share"],
                    strict=True,
                )
            ],
        )
        blocks.append(
            Table.from_frame(
                shown,
                columns=[
                    "topic",
                    "label",
                    "phrases",
                    "n_grievances",
                    "n_contacts",
                    "prev_contacts",
                    "theme_label",
                ],
                labels={
                    "topic": "Topic",
                    "label": "Name",
                    "phrases": "Key phrases",
                    "n_grievances": "Grievances",
                    "n_contacts": "Contacts",
                    "prev_contacts": f"Contacts in {d.previous_label}",
                    "theme_label": "Closest theme (share)",
                },
                caption=f"Topics whose grievances no theme covers, {d.label}",
                note=f"Topics found by BERTopic over the grievance texts; a topic is beyond the taxonomy when its "
                f"commonest theme covers less than {s.novelty_share:.0%} of its grievances.",
                total_rows=len(beyond),
            )
        )
        for row in records(shown.head(4)):
            topic = int(row["topic"])
            mask = self._mask_quarter() & (d.grievances["topic"].astype("Float64") == float(topic)).fillna(
                False
            ).to_numpy(dtype=bool)
            chosen = choose_quotes(self.t, f"topic:{topic}", mask, k=1)
            blocks += self.quote_blocks(chosen)
        return Section(id="topics", title="Topics beyond the taxonomy", blocks=blocks)

    # -- valuable customers ----------------------------------------------------

    def valuable(self) -> Section:
        d, s = self.data, self.s
        groups = self.f["value_groups"]
        blocks: list[Block] = []
        conf = f"{s.confidence:.0%}"
        if len(groups):
            blocks.append(
                Table.from_frame(
                    groups,
                    columns=[
                        "group",
                        "n_customers",
                        "n_contacting",
                        "n_complaining",
                        "share_ci",
                        "p_value",
                        "n_repeat_contacts",
                        "value_at_risk",
                        "mean_value",
                    ],
                    labels={
                        "group": "Customers",
                        "n_customers": "Customers",
                        "n_contacting": "In touch",
                        "n_complaining": "Complaining",
                        "share_ci": f"Share complaining ({conf} interval)",
                        "p_value": "p (top 10% against the rest)",
                        "n_repeat_contacts": "Repeat contacts",
                        "value_at_risk": "Value at risk",
                        "mean_value": "Mean value",
                    },
                    formats={
                        "share_ci": "interval:percent:1",
                        "p_value": "pvalue",
                        "value_at_risk": "money",
                        "mean_value": "money",
                    },
                    intervals={"share_ci": ("complaining_low", "complaining_high")},
                    caption=f"The most valuable customers against the rest, {d.label}",
                    note="Top 10%: the customers worth at least as much as 90% of customers (all identified customers, "
                    "the customers table's included); then each segment. The test compares the share complaining.",
                )
            )
            seg = groups[groups["group_kind"] == "segment"]
            if len(seg):
                blocks.append(
                    BarChart(
                        title="Share of each segment's customers complaining",
                        categories=_unique_labels(seg["group"].astype(str).tolist()),
                        values=seg["complaining_share"]
                        .astype("Float64")
                        .to_numpy(dtype=np.float64, na_value=np.nan)
                        .tolist(),
                        value_format="percent",
                        x_label="Customers with a grievance this quarter",
                    )
                )
        rank = pd.concat(
            [self.f["grievances"].assign(kind="Grievance"), self.f["policies"].assign(kind="Policy")],
            ignore_index=True,
        )
        over = rank[(rank["n_top_decile"] >= 2) & (rank["top_decile_ratio"].astype("Float64").fillna(0) > 1)]
        over = over.sort_values(["top_decile_ratio", "n_top_decile", "name"], ascending=[False, False, True])
        if len(over):
            blocks.append(
                Table.from_frame(
                    over.head(s.max_rows),
                    columns=["kind", "name", "n_customers", "n_top_decile", "top_ci", "value_at_risk"],
                    labels={
                        "kind": "Kind",
                        "name": "Name",
                        "n_customers": "Customers",
                        "n_top_decile": "Of them in the top 10%",
                        "top_ci": f"Top-10% ratio ({conf} interval)",
                        "value_at_risk": "Value at risk",
                    },
                    formats={"top_ci": "interval:float:2", "value_at_risk": "money"},
                    intervals={"top_ci": ("top_decile_low", "top_decile_high")},
                    caption="What weighs more on the most valuable customers",
                    note="Top-10% ratio: the share of top-decile customers with it over the share of the other customers "
                    "with it; an exact interval.",
                    total_rows=len(over),
                )
            )
        if not blocks:
            blocks.append(Paragraph.of("No identified customers in the quarter."))
        return Section(id="valuable", title="The most valuable customers against the rest", blocks=blocks)

    # -- repeat contacts -------------------------------------------------------

    def repeats(self) -> Section:
        d, s = self.data, self.s
        drivers = self.f["repeat_drivers"]
        blocks: list[Block] = []
        if not len(drivers) or int(drivers["n_repeat_contacts"].sum()) == 0:
            blocks.append(Paragraph.of(f"No repeat contact within {s.window} in {d.label}."))
            return Section(id="repeats", title="Drivers of repeat contacts", blocks=blocks)
        conf = f"{s.confidence:.0%}"
        shown = drivers[
            drivers["dimension"].isin(["policy", "theme", "queue"]) & (drivers["n_repeat_contacts"] > 0)
        ]
        shown = shown.sort_values(["n_repeat_contacts", "dimension", "value"], ascending=[False, True, True])
        blocks.append(
            Table.from_frame(
                shown.head(s.max_rows),
                columns=[
                    "dimension",
                    "label",
                    "n_repeat_contacts",
                    "repeat_share",
                    "n_first_contacts",
                    "fcr_ci",
                    "n_censored",
                ],
                labels={
                    "dimension": "Kind",
                    "label": "What",
                    "n_repeat_contacts": "Repeat contacts",
                    "repeat_share": "Share of the kind's repeats",
                    "n_first_contacts": "First contacts judged",
                    "fcr_ci": f"First-contact resolution ({conf} interval)",
                    "n_censored": "Censored",
                },
                formats={"repeat_share": _FORMAT_PCT0, "fcr_ci": "interval:percent:0"},
                intervals={"fcr_ci": ("fcr_low", "fcr_high")},
                caption=f"What brings customers back, {d.label}",
                note=f"A repeat: the same customer about the same problem (or saying it is a follow-up) within {s.window} "
                "of an earlier contact. First-contact resolution: first contacts not followed by a repeat; those whose "
                "window runs past the end of the data are censored and left out.",
                total_rows=len(shown),
            )
        )
        policy = drivers[(drivers["dimension"] == "policy") & (drivers["n_repeat_contacts"] > 0)].head(8)
        if len(policy):
            blocks.append(
                BarChart(
                    title="Repeat contacts by policy",
                    categories=_unique_labels(policy["label"].astype(str).tolist()),
                    values=policy["n_repeat_contacts"].astype(int).tolist(),
                    highlight=[_unique_labels(policy["label"].astype(str).tolist())[0]],
                )
            )
        top = shown.iloc[0]
        if str(top["dimension"]) in ("policy", "theme"):
            dim = str(top["dimension"])
            column = "policies" if dim == "policy" else "themes"
            rep = self.t.rep_q
            repeat_ids = set(
                rep.loc[
                    rep["is_repeat"]
                    & (rep["kind"].astype(str) == dim)
                    & (rep["value"].astype(str) == str(top["value"])),
                    "interaction_id",
                ].astype(str)
            )
            mask = (
                self._mask_list(column, str(top["value"]))
                & d.grievances["interaction_id"].astype(str).isin(repeat_ids).to_numpy()
            )
            chosen = choose_quotes(
                self.t,
                f"repeat:{dim}:{top['value']}",
                mask,
                link=(dim, str(top["value"])) if dim == "policy" else None,
            )
            blocks += self.quote_blocks(chosen)
        return Section(id="repeats", title="Drivers of repeat contacts", blocks=blocks)

    # -- data quality, method --------------------------------------------------

    def data_quality(self) -> Section:
        d = self.data
        dq = self.f["data_quality"]
        blocks: list[Block] = []
        fmt_rows = dq.assign(
            shown=[
                _pct(_n(v), 2)
                if k == "failure_rate"
                else ("\u2013" if _n(v) is None else f"{int(float(v)):,}")
                for k, v in zip(dq["key"], dq["value"], strict=True)
            ]
        )
        blocks.append(
            Table.from_frame(
                fmt_rows,
                columns=["label", "shown", "basis"],
                labels={"label": "What", "shown": "Value", "basis": "Basis"},
                caption="Data quality",
            )
        )
        pf = self.f["parse_failures"]
        if len(pf):
            blocks.append(
                Table.from_frame(
                    pf,
                    labels={"reason": "Reason", "n_failed": "Records", "share": "Share"},
                    formats={"share": _FORMAT_PCT0},
                    caption="Parse failures by reason (all inputs)",
                )
            )
        elif d.parse_summary is None:
            blocks.append(Paragraph.of("No parse report was given: parse failures are not shown."))
        else:
            blocks.append(Paragraph.of("Every record read was parsed."))
        cov = self.f["coverage"]
        if len(cov):
            blocks.append(
                Table.from_frame(
                    cov,
                    labels={
                        "channel": "Channel",
                        "source_format": "Format",
                        "n_contacts": "Contacts",
                        "n_complaint_contacts": "With a grievance",
                        "n_identified": "With a customer",
                    },
                    caption=f"Coverage by channel and source, {d.label}",
                )
            )
        red = self.f["redactions"]
        if len(red):
            blocks.append(
                Table.from_frame(
                    red,
                    labels={"type": "Personal data", "n": "Placeholders"},
                    caption="Redactions in the customer text read (all quarters)",
                    note="Every customer turn is redacted before any other step; the report shows redacted text only.",
                )
            )
        notes = [n for n in d.notes if n]
        if d.store_quarters:
            notes.append(f"quarters {', '.join(d.store_quarters)} were read from the store as history")
        if notes:
            blocks.append(Paragraph.of("Notes: " + "; ".join(notes) + "."))
        return Section(id="data-quality", title="Data-quality appendix", blocks=blocks)

    def method(self) -> Section:
        d, s = self.data, self.s
        conf = f"{s.confidence:.0%}"
        paragraphs = [
            f"Quarters and months follow the {d.timezone} calendar. Only data up to the end of {d.label} is used; "
            f"the quarters before give the trends and baselines.",
            "A contact is one interaction (a call, chat, e-mail, ticket or post). A grievance is a complaint segment "
            "found in the customer's own words, redacted, with its themes, products and policies. Counts are of "
            "contacts unless a column says otherwise.",
            "Customers are resolved across channels from their ids and hashed e-mails and phones. Value at risk is "
            "the summed value of the customers concerned (from the customers table; a customer missing from it is "
            "valued at the median); the top 10% are the customers worth at least as much as 90% of customers.",
            f"Intervals are {conf}: Wilson for shares, exact (Clopper-Pearson) for rate ratios, Newcombe or Welch for "
            f"differences in satisfaction. Changes between quarters use the exact conditional test of two Poisson "
            f"rates, with all contacts of the quarter as exposure; tests across many values are adjusted with "
            f"Benjamini-Hochberg (false discovery rate {s.alpha}).",
            f"A repeat contact is a contact of the same customer about the same problem within {s.window} of an "
            "earlier one (or one saying it follows up a broken promise). First contacts whose window runs past the end "
            "of the data are right-censored and left out of resolution rates.",
            f"Emerging: at least {s.min_contacts} contacts in the quarter and a rate at least {s.min_ratio:g} times "
            f"that of the four quarters before (one-sided exact test, q <= {s.alpha}), or at least {s.min_contacts} "
            "contacts and none before. Early warnings run the same test month by month with six months of baseline.",
            "Did the changes work: an interrupted time series per month around each catalog date inside the data; "
            "the ratio of the contacts after to those the months before predict, with a profile-likelihood interval.",
            "Recommendations attribute each grievance of the quarter to one target (its first policy, else its first "
            "product named, never one only inferred from holdings) and rank targets by value at risk. Their effects "
            "are the quarter's grievances, customers, value and repeat contacts attributed to the target: what would "
            "go if the cause went entirely.",
            "Quotes are chosen without randomness: for each claim, the grievances linked to it by a mention in the "
            "segment itself first, then the highest complaint score and intensity, one per interaction.",
        ]
        if d.has_topics:
            paragraphs.append(
                f"Topics are found by BERTopic over the grievance texts; a topic is beyond the taxonomy when its "
                f"commonest theme covers less than {s.novelty_share:.0%} of its grievances."
            )
        from .. import __version__

        paragraphs.append(f"Built with hotline_insight {__version__}.")
        return Section(id="method", title="Method notes", blocks=[Paragraph.of(p) for p in paragraphs])


_EVENTS = {
    "effective_from": "Took effect",
    "effective_to": "Withdrawn",
    "launched_at": "Launched",
    "discontinued_at": "Discontinued",
    "at": "Changed",
}


def _list_mask(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """The rows whose list ``column`` holds ``value``."""
    values = frame[column].to_numpy(dtype=object)
    return np.fromiter(
        (value in (list(v) if isinstance(v, list | tuple | np.ndarray) else []) for v in values),
        dtype=bool,
        count=len(values),
    )


def _key_mask(frame: pd.DataFrame, key: str) -> np.ndarray:
    """The grievances of a key such as ``'product:hub|theme:fee'``."""
    mask = np.ones(len(frame), dtype=bool)
    for part in key.split("|"):
        dim, _, value = part.partition(":")
        if dim == "topic":
            mask &= (frame["topic"].astype("Float64") == float(value)).fillna(False).to_numpy(dtype=bool)
        else:
            column = {"theme": "themes", "product": "products", "policy": "policies", "facet": "facets"}[dim]
            mask &= _list_mask(frame, column, value)
    return mask


def _change_mask(frame: pd.DataFrame, row: Mapping[str, Any]) -> np.ndarray:
    """The grievances a change of the ``changes`` table is quoted from: its key, on the side its verdict names."""
    before: np.ndarray = (
        (pd.to_datetime(frame["created_at"], utc=True) < pd.Timestamp(row["changed_at"]))
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    side = before if str(row["verdict"]) == "worked" else ~before
    out: np.ndarray = side & _key_mask(frame, str(row["key"]))
    return out


#: older rows kept per change quoted (the best row of each of this many interactions, in quote order)
CHANGE_QUOTE_POOL = 50


def _change_link(row: Mapping[str, Any]) -> tuple[str, str]:
    return str(row["dimension"]), str(row["value"])


def _best_of(sub: pd.DataFrame, link: tuple[str, str], limit: int | None) -> tuple[np.ndarray, bool]:
    """(positions in ``sub`` of the best row of each of its first ``limit`` interactions, whether any were left)."""
    order = quote_order(sub, link)
    ids = sub["interaction_id"].astype(str).to_numpy()[order]
    _, first = np.unique(ids, return_index=True)
    best = order[np.sort(first)]  # each interaction's best row, in quote order
    if limit is None or len(best) <= limit:
        return best, False
    return best[:limit], True


def _add_change_candidates(data: QuarterData, changes: pd.DataFrame, *, limit: int | None) -> None:
    """From a store: append to ``data.grievances`` the older rows the changes can be quoted from.

    A change may date from any quarter, and its quotes from either side of
    it. For each change, the rows before the window are read back, and the
    best row of each of its ``limit`` best interactions (in the order quotes
    are chosen) is kept: one quote is chosen per change, from the best
    interaction not quoted before. Where rows were left out, the position of
    the last kept one is noted in ``data.history.change_cuts``, and the
    layout checks its choice against it (:func:`_exact_change_quote`). The
    rows come after every table is computed, and only quotes read them.
    """
    from ..analytics._frames import period_ordinals
    from ..analytics._store_series import id_set
    from ._quarter_data import add_targets, clean_topics

    assert data.history is not None
    rows = records(changes)

    def pick(frame: pd.DataFrame) -> np.ndarray:
        frame = frame.assign(topic=clean_topics(frame["topic"]))
        keep = np.zeros(len(frame), dtype=bool)
        for row in rows:
            mine = np.flatnonzero(_change_mask(frame, row))
            if len(mine):
                keep[mine[_best_of(frame.iloc[mine], _change_link(row), limit)[0]]] = True
        return keep

    columns = [c for c in data.grievances.columns if c in _STORE_GRIEVANCE_COLUMNS]
    extra = change_candidates(
        data.history, id_set([data.contacts["id"].astype(str).to_numpy(dtype=object)]), pick, columns
    )
    if not len(extra):
        return
    extra["topic"] = clean_topics(extra["topic"])
    # each partition kept its best; the best across them are among those
    keep = np.zeros(len(extra), dtype=bool)
    cuts: dict[str, int] = {}
    offset = len(data.grievances)
    for row in rows:
        mine = np.flatnonzero(_change_mask(extra, row))
        if not len(mine):
            continue
        best, cut = _best_of(extra.iloc[mine], _change_link(row), limit)
        keep[mine[best]] = True
        if cut:
            cuts[f"change:{row['key']}:{row['event']}"] = int(mine[best[-1]])
    extra = extra.loc[keep]
    new_position = np.cumsum(keep) - 1
    data.history.change_cuts.update({claim: offset + int(new_position[p]) for claim, p in cuts.items()})
    extra = extra.reset_index(drop=True)
    extra["quarter"] = period_ordinals(
        pd.to_datetime(extra["created_at"], utc=True), "quarter", data.timezone
    )
    add_targets(extra)
    data.grievances = pd.concat([data.grievances, extra], ignore_index=True)


def _exact_change_quote(
    data: QuarterData, row: Mapping[str, Any], chosen: list[int], used_before: set[str]
) -> bool:
    """Whether a change's quote is the one every row would give, its older rows having been cut.

    It is when the interaction quoted was not quoted before and ranks
    before the last older row kept: every row left out ranks after that one.
    """
    cut = data.history.change_cuts.get(f"change:{row['key']}:{row['event']}") if data.history else None
    if cut is None:
        return True
    if not chosen or any(str(data.grievances["interaction_id"].iloc[p]) in used_before for p in chosen):
        return False
    mine = np.flatnonzero(_change_mask(data.grievances, row))
    order = mine[quote_order(data.grievances.iloc[mine], _change_link(row))]
    rank = {int(p): i for i, p in enumerate(order)}
    return all(rank[p] <= rank[cut] for p in chosen)


def _unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels made unique by numbering repeats (chart categories must be unique)."""
    out: list[str] = []
    for label in labels:
        candidate, n = label, 2
        while candidate in out:
            candidate = f"{label} ({n})"
            n += 1
        out.append(candidate)
    return out


def _unweighted_values(data: QuarterData) -> bool:
    sources = data.identities.values["value_source"]
    return bool(len(sources)) and bool((sources == "unweighted").all())

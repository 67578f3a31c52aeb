"""Prepare once, analyse many times: the joined, resolved inputs every analytics function shares.

Every analytics function takes the raw inputs (a corpus, grievances, a
customers table) and joins them: grievances to their contacts, contacts to
resolved customers, customers to their values. On a notebook's sample that
takes moments; on a million grievances it is most of the work. Call
:func:`prepare_analysis` once and pass its result where a function takes the
grievances (or the corpus): the work is done once, and each dimension's
values, once extracted, are kept for the next table.

Examples:
    >>> import pandas as pd
    >>> import hotline_insight as hi
    >>> contacts = pd.DataFrame({"id": ["1", "2", "3"], "customer_id": ["A", "A", "B"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-08", "2026-02-01"], utc=True)})
    >>> found = pd.DataFrame({"interaction_id": ["1", "2", "3"],
    ...     "themes": [["fee"], ["fee"], ["outage"]], "products": [["hub"], ["hub"], ["tv"]]})
    >>> data = hi.prepare_analysis(contacts, found)
    >>> data
    PreparedAnalysis(3 contacts, 3 grievances, 2 customers, 0 anonymous contacts)
    >>> hi.link(data, by=("theme", "product"))[["theme", "product", "n_contacts", "n_customers"]]
        theme product  n_contacts  n_customers
    0     fee     hub           2            1
    1  outage      tv           1            1
    >>> hi.repeat_contacts(data)["is_repeat"].tolist()
    [False, False, True, True, False, False]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._frames import Context, build_context

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..corpus import Corpus
    from ..grievances import Grievances
    from .customers import CustomerIdentities

__all__ = ["PreparedAnalysis", "prepare_analysis"]


class PreparedAnalysis:
    """Contacts, grievances and resolved customers, joined once (see :func:`prepare_analysis`).

    Pass it as the ``grievances`` argument of :func:`~hotline_insight.link`,
    :func:`~hotline_insight.trends`, :func:`~hotline_insight.emerging`,
    :func:`~hotline_insight.early_warnings`, :func:`~hotline_insight.before_after`,
    or as the ``corpus`` argument of :func:`~hotline_insight.customers`,
    :func:`~hotline_insight.repeat_contacts`, :func:`~hotline_insight.satisfaction_impact`,
    :func:`~hotline_insight.rank_grievances` and :func:`~hotline_insight.customer_history`
    (leaving their other inputs out: they were given to :func:`prepare_analysis`).

    Attributes:
        identities: the customer resolution used.
    """

    def __init__(self, context: Context) -> None:
        self._context = context

    @property
    def identities(self) -> CustomerIdentities:
        return self._context.identities

    @property
    def notes(self) -> list[str]:
        """What the preparation did that the tables should say (holdings links, for one)."""
        return list(self._context.notes)

    def __repr__(self) -> str:
        ctx = self._context
        return (
            f"PreparedAnalysis({len(ctx.contacts)} contacts, {len(ctx.grievances)} grievances, "
            f"{ctx.identities.summary['n_customers']} customers, "
            f"{int(ctx.contacts['is_anonymous'].sum())} anonymous contacts)"
        )


def prepare_analysis(
    corpus: Corpus | pd.DataFrame | None,
    grievances: Grievances | pd.DataFrame | None,
    customers_table: pd.DataFrame | None = None,
    *,
    identities: CustomerIdentities | None = None,
    catalog: Catalog | None = None,
    clock_offsets: Mapping[str, Any] | None = None,
) -> PreparedAnalysis:
    """Join grievances, contacts and customers once, for several analytics tables.

    Args:
        corpus: the interactions (a Corpus or a frame like ``Corpus.to_frame()``),
            or None to work from the grievances alone.
        grievances: Grievances or a frame like ``Grievances.to_frame()`` (or None:
            customers and contacts only).
        customers_table: a frame from :func:`~hotline_insight.read_customers`.
        identities: a customer resolution to use (default: resolved here with
            :func:`~hotline_insight.resolve_customers`' defaults).
        catalog: products and policies (a grievance naming a policy but no
            product is linked to the customer's holdings the policy applies to).
        clock_offsets: per source format, how far its clock runs ahead.

    Returns:
        The prepared inputs.
    """
    return PreparedAnalysis(
        build_context(
            "prepare_analysis",
            grievances,
            corpus=corpus,
            customers_table=customers_table,
            identities=identities,
            clock_offsets=clock_offsets,
            catalog=catalog,
        )
    )

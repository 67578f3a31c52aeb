"""Grievance records and their extraction from a corpus.

One :class:`Grievance` is one complaint segment (a sentence or a few) in one
turn, with what it is about (themes), how it feels (facets), which products
and policies it concerns and how each link was made, and how intense it is.
Its text is the redacted turn text, and ``start_char``/``end_char`` index that
redacted text exactly.

Examples:
    >>> import hotline_insight as hi
    >>> found = hi.extract_grievances([
    ...     "I was charged a support fee after 90 days and nobody ever called me back!",
    ...     "What are your opening hours?",
    ... ])
    >>> sorted({g.interaction_id for g in found})
    ['0']
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from .records import Channel, Interaction, Role, SourceRef, Turn, UtcDatetime

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

    from .catalog import Catalog
    from .corpus import Corpus
    from .themes import Taxonomy

__all__ = ["Grievance", "GrievanceLink", "Grievances", "extract_grievances"]


class GrievanceLink(BaseModel):
    """A product or policy a grievance concerns, and how the link was made.

    ``method`` is how: a mention in the segment itself (``"name"``, ``"alias"``,
    ``"sku"``, ``"lemma"``, ``"fuzzy"``, ``"phrase"``), a mention elsewhere in
    the same turn (``"same_turn"``) or in other turns of the interaction
    (``"same_interaction"``: the customer's for products, anyone's for
    policies), the source's own product field (``"metadata"``), or, for a
    policy, the segment's themes when the catalog says the policy causes them
    and no other applicable policy does (``"theme"``). ``confidence`` is in
    [0, 1]; see :class:`~hotline_insight.nlp.pipeline.GrievanceExtractor`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    method: str
    confidence: float = Field(ge=0, le=1)


class Grievance(BaseModel):
    """One complaint segment, with its themes, facets, links and intensity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    interaction_id: str
    turn_position: int = Field(ge=0)
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)
    text: str
    role: Role
    channel: Channel
    created_at: UtcDatetime | None = None
    customer_id: str | None = None
    source_format: str | None = None
    themes: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()
    products: tuple[GrievanceLink, ...] = ()
    policies: tuple[GrievanceLink, ...] = ()
    complaint_score: float = Field(ge=0, le=1)
    intensity: float = Field(default=0.0, ge=0, le=1)
    sentiment: float = Field(default=0.0, ge=-1, le=1)
    cues: tuple[str, ...] = ()
    boilerplate_overlap: bool = False
    topic: int | None = None


# Column -> dtype of Grievances.to_frame(); documented there.
GRIEVANCE_DTYPES: dict[str, str] = {
    "interaction_id": "string",
    "turn_position": "int64",
    "start_char": "int64",
    "end_char": "int64",
    "text": "string",
    "role": "category",
    "channel": "category",
    "created_at": "datetime64[us, UTC]",
    "customer_id": "string",
    "source_format": "string",
    "themes": "object",
    "facets": "object",
    "products": "object",
    "policies": "object",
    "product_methods": "object",
    "policy_methods": "object",
    "complaint_score": "float64",
    "intensity": "float64",
    "sentiment": "float64",
    "cues": "object",
    "topic": "Int64",
}


class Grievances(Sequence[Grievance]):
    """The grievances found in a corpus, with counts of what was read.

    Attributes:
        n_interactions: interactions processed.
        n_turns: turns processed.
        n_with_grievance: interactions in which at least one grievance was found.
        redactions: placeholders inserted, by PII type (``{"PHONE": 12, ...}``).
    """

    def __init__(
        self,
        items: Iterable[Grievance] = (),
        *,
        n_interactions: int = 0,
        n_turns: int = 0,
        redactions: dict[str, int] | None = None,
    ) -> None:
        self._items = list(items)
        self.n_interactions = n_interactions
        self.n_turns = n_turns
        self.redactions = dict(sorted((redactions or {}).items()))

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Grievance]:
        return iter(self._items)

    def __getitem__(self, index: int) -> Grievance:  # type: ignore[override]
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Grievances) and self._items == other._items

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Grievances({len(self)} grievances in {self.n_with_grievance} of "
            f"{self.n_interactions} interactions)"
        )

    @property
    def n_with_grievance(self) -> int:
        return len({g.interaction_id for g in self._items})

    @property
    def texts(self) -> list[str]:
        """The (redacted) grievance texts, in order."""
        return [g.text for g in self._items]

    def to_frame(self) -> pd.DataFrame:
        """One row per grievance.

        Columns and dtypes: ``interaction_id`` string, ``turn_position``,
        ``start_char``, ``end_char`` int64 (the span in the redacted turn text),
        ``text`` string (redacted), ``role`` and ``channel`` category,
        ``created_at`` datetime64[us, UTC], ``customer_id`` and ``source_format``
        string, ``themes``/``facets``/``products``/``policies`` object (lists of
        ids, in order of confidence), ``product_methods``/``policy_methods``
        object (lists of how each link was made, aligned with the ids),
        ``complaint_score``, ``intensity`` float64 in [0, 1], ``sentiment``
        float64 in [-1, 1], ``cues`` object (list), ``topic`` Int64.
        """
        import pandas as pd

        from .corpus import _typed_frame

        rows = [
            {
                "interaction_id": g.interaction_id,
                "turn_position": g.turn_position,
                "start_char": g.start_char,
                "end_char": g.end_char,
                "text": g.text,
                "role": g.role,
                "channel": g.channel,
                "created_at": g.created_at,
                "customer_id": g.customer_id,
                "source_format": g.source_format,
                "themes": list(g.themes),
                "facets": list(g.facets),
                "products": [link.id for link in g.products],
                "policies": [link.id for link in g.policies],
                "product_methods": [link.method for link in g.products],
                "policy_methods": [link.method for link in g.policies],
                "complaint_score": g.complaint_score,
                "intensity": g.intensity,
                "sentiment": g.sentiment,
                "cues": list(g.cues),
                "topic": g.topic,
            }
            for g in self._items
        ]
        return _typed_frame(pd.DataFrame(rows, columns=list(GRIEVANCE_DTYPES)), GRIEVANCE_DTYPES)


def _as_interactions(source: Any) -> list[Interaction]:
    """Interactions from a Corpus, an iterable of Interactions, or a list of strings."""
    if isinstance(source, str):
        source = [source]
    items = list(source)
    if items and all(isinstance(x, str) for x in items):
        ref = SourceRef(format="text")
        return [
            Interaction(
                id=str(i),
                source=ref.model_copy(update={"index": i}),
                channel="ticket",
                turns=(Turn(position=0, role="customer", text=text),),
            )
            for i, text in enumerate(items)
        ]
    return items


def extract_grievances(
    corpus_or_texts: Corpus | Iterable[Interaction] | Sequence[str],
    catalog: Catalog | None = None,
    taxonomy: Taxonomy | None = None,
    *,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 256,
    progress: bool | None = None,
) -> Grievances:
    """Find the complaint segments of every interaction, redacted, with themes, facets and links.

    Each turn's text is stripped of HTML, redacted (see
    :func:`hotline_insight.redact`), and run through the pipeline of
    :func:`hotline_insight.build_pipeline`; each complaint segment becomes a
    :class:`Grievance`.

    Args:
        corpus_or_texts: a Corpus, any iterable of Interactions, or a list of
            strings (each a customer-written interaction whose id is its
            position: ``"0"``, ``"1"``, ...).
        catalog: products and policies to link (see :class:`hotline_insight.Catalog`).
        taxonomy: grievance themes and facets; the built-in taxonomy when None.
        nlp: a pipeline from :func:`build_pipeline` to use instead of building one.
        n_process: worker processes (each builds its own pipeline once).
        batch_size: turns per spaCy batch.
        progress: show a progress bar (default: on a terminal, for more than 1,000 turns).

    Returns:
        The grievances, in interaction and turn order.
    """
    from .nlp.pipeline import GrievanceExtractor

    interactions = _as_interactions(corpus_or_texts)
    extractor = GrievanceExtractor(catalog=catalog, taxonomy=taxonomy, nlp=nlp, batch_size=batch_size)
    n_turns = sum(len(i.turns) for i in interactions)
    show = progress if progress is not None else (n_turns > 1000 and sys.stderr.isatty())
    return extractor.run(interactions, n_process=n_process, progress=show)

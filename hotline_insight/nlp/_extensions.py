"""The spaCy extension attributes and span groups that hotline components share.

Every component reads and writes only these names, so each can run alone
(``nlp.add_pipe("hotline_themes")``) or in :func:`~hotline_insight.nlp.build_pipeline`.

Doc extensions (set by the caller before the pipeline runs, or defaulted):

* ``doc._.hi_role``: the speaker's role of the turn the doc holds
  (``"customer"``, ``"agent"``, ``"system"``, ``"bot"``, ``"unknown"``); default ``"customer"``.
* ``doc._.hi_channel``: the interaction's channel, or None.
* ``doc._.hi_product_hint``: the product the source's own fields name, or None.

Doc extensions written by ``hotline_linker`` (tuples of
:class:`hotline_insight.nlp.linking.Link`, empty by default):

* ``doc._.hi_product_links``: the product(s) ``hi_product_hint`` resolves to
  in the catalog (method ``"metadata"``, no character offsets).
* ``doc._.hi_links``: every link of the doc: text mentions in text order, then
  the metadata links.

Span groups written by the components (``doc.spans[NAME]``), each span's
``label_`` says what it is:

* ``hi_pii``: personal data found (label: ``EMAIL``, ``PHONE``, ``CARD`` ...).
* ``hi_boilerplate``: scripted text (label: ``greeting``, ``ivr``, ``hold``,
  ``verification``, ``closing``, ``signature``, ``disclaimer``, ``quoted_reply``).
* ``hi_complaints``: complaint segments, whole sentences (label: ``complaint``).
* ``hi_themes``: theme cue matches (label: theme id).
* ``hi_facets``: frustration facet cue matches (label: facet id).
* ``hi_products`` / ``hi_policies``: catalog mentions (label: product / policy id).

Span extensions:

* ``span._.hi_score``: a score in [0, 1] (complaint likelihood; match strength).
* ``span._.hi_method``: how a link or match was made (``"alias"``, ``"sku"``,
  ``"lemma"``, ``"fuzzy"``, ``"metadata"``, ``"pattern"``, ``"regex"``, ...).
* ``span._.hi_confidence``: confidence of a link, in [0, 1].
* ``span._.hi_intensity``: complaint intensity in [0, 1] (on complaint segments).
* ``span._.hi_sentiment``: sentiment in [-1, 1] (on complaint segments).
* ``span._.hi_cues``: the intensity cues found, as a tuple of names.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SPAN_GROUPS", "doc_text", "register_extensions"]

SPAN_GROUPS = (
    "hi_pii",
    "hi_boilerplate",
    "hi_complaints",
    "hi_themes",
    "hi_facets",
    "hi_products",
    "hi_policies",
)

_DOC_DEFAULTS = {
    "hi_role": "customer",
    "hi_channel": None,
    "hi_product_hint": None,
    "hi_product_links": (),
    "hi_links": (),
}
_SPAN_DEFAULTS = {
    "hi_score": None,
    "hi_method": None,
    "hi_confidence": None,
    "hi_intensity": None,
    "hi_sentiment": None,
    "hi_cues": (),
}


def register_extensions() -> None:
    """Register the ``hi_`` extensions on Doc and Span (idempotent)."""
    from spacy.tokens import Doc, Span

    for name, default in _DOC_DEFAULTS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_DEFAULTS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


_TEXT_KEY = "hi_text"


def doc_text(doc: Any) -> str:
    """``doc.text``, computed once per doc and kept in ``doc.user_data``.

    spaCy rebuilds ``Doc.text`` from every token on each access; the
    components read it several times per doc, and the grievance extractor
    stores the text it tokenised up front. A stored text whose length does
    not match the doc's is ignored.

    Examples:
        >>> import spacy
        >>> doc = spacy.blank("en")("My bill is wrong.")
        >>> doc_text(doc), doc.user_data["hi_text"]
        ('My bill is wrong.', 'My bill is wrong.')
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None or not _fits(doc, text):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text  # type: ignore[no-any-return]


def _fits(doc: Any, text: str) -> bool:
    if not len(doc):
        return text == ""
    last = doc[-1]
    return bool(len(text) == last.idx + len(last.text_with_ws) and text.startswith(doc[0].text))

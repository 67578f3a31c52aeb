"""The grievance pipeline: build it, and run it over interactions.

:func:`build_pipeline` assembles ``spacy.blank("en")`` (or an installed
trained pipeline) with a sentence splitter, a lookup lemmatizer and the hotline
components. :class:`GrievanceExtractor` prepares each turn (HTML stripped,
personal data redacted), runs the pipeline in batches, optionally in several
processes, and turns every complaint segment into a
:class:`~hotline_insight.grievances.Grievance`.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import ConfigError, Errors, MissingDependencyError
from ..records import ROLES
from ._extensions import doc_text, register_extensions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..catalog import Catalog, Policy
    from ..grievances import Grievance, GrievanceLink, Grievances
    from ..records import Interaction
    from ..themes import Taxonomy

__all__ = ["COMPONENTS", "GrievanceExtractor", "build_pipeline", "prepare_text"]

COMPONENTS = (
    "hotline_boilerplate",
    "hotline_complaints",
    "hotline_themes",
    "hotline_facets",
    "hotline_linker",
    "hotline_intensity",
)

_COMPLAINT_ONLY = frozenset({"hotline_themes", "hotline_facets", "hotline_intensity"})
"""Components whose output grievance assembly reads only on docs with complaint segments."""

_SILENT_CACHE_CHARS = 1024
_SILENT_CACHE_SIZE = 8192
"""The policies named by silent turns' texts are remembered for texts this short, this many at most."""

_THEME_POLICY_CONFIDENCE = 0.5
"""Confidence of a policy link made from a segment's themes alone."""

_HTML_TAG = re.compile(
    r"<(?:p|div|br|span|b|i|em|strong|a|ul|ol|li|table|tr|td|html|body|head|h[1-6])\b", re.I
)


def prepare_text(text: str, *, prompt: str | None = None, allow_list: Sequence[str] = ()) -> str:
    """The text grievance spans index: HTML reduced to text (when the turn is HTML), then redacted.

    Args:
        text: a turn's text.
        prompt: the previous turn's text, so that a bare answer to "can I take
            your date of birth?" is recognised as personal data.
        allow_list: words never redacted as names (the company's and its
            products' names, which customers address like people).

    Examples:
        >>> prepare_text("<p>Call me on 555-010-2000</p>")
        'Call me on [PHONE]'
    """
    return _prepare(text, prompt, allow_list)[0]


def _prepare(text: str, prompt: str | None, allow_list: Sequence[str]) -> tuple[str, list[Any]]:
    from .redact import redact_with_spans

    return redact_with_spans(_strip_html(text), prompt=prompt, allow_list=allow_list)


def _strip_html(text: str) -> str:
    """The text of an HTML turn; other text unchanged."""
    if "<" in text and _HTML_TAG.search(text):
        from ..ingest._tickets import html_to_text

        return html_to_text(text)
    return text


def _load_components() -> None:
    """Import the modules that register the hotline factories with spaCy."""
    from ..themes import matcher  # noqa: F401
    from . import boilerplate, complaints, intensity, lemmatizer, linking, redact, sentencizer  # noqa: F401


def build_pipeline(
    catalog: Catalog | None = None,
    taxonomy: Taxonomy | None = None,
    model: str = "blank",
) -> Language:
    """A spaCy pipeline that finds grievances: sentences, lemmas, then the hotline components.

    Args:
        catalog: products and policies for ``hotline_linker`` (none linked when None).
        taxonomy: themes and facets (the built-in taxonomy when None).
        model: ``"blank"`` for ``spacy.blank("en")`` with a sentence splitter
            (:mod:`hotline_insight.nlp.sentencizer`) and a
            lookup lemmatizer (:mod:`hotline_insight.nlp.lemmatizer`: the
            spacy-lookups-data table, nothing to download), or the name or path of an
            installed trained pipeline (its parser or senter splits sentences,
            its lemmatizer and NER are used; PERSON entities are redacted too).

    Returns:
        The pipeline, initialised. Components run in the order of :data:`COMPONENTS`.

    Raises:
        MissingDependencyError: ``model`` names a pipeline that is not installed.

    Examples:
        >>> nlp = build_pipeline()
        >>> nlp.pipe_names[:2]
        ['hotline_sentencizer', 'hotline_lemmatizer']
    """
    import spacy

    register_extensions()
    _load_components()
    if model == "blank":
        nlp = spacy.blank("en")
        nlp.add_pipe("hotline_sentencizer")  # spaCy's sentencizer rules, on token arrays
        nlp.add_pipe("hotline_lemmatizer")  # spaCy's lookup table, read as arrays
    else:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise MissingDependencyError(
                Errors.E401.format(feature=f"The spaCy pipeline {model!r}", package=model, extra="models")
            ) from exc
        if not ({"parser", "senter", "sentencizer", "hotline_sentencizer"} & set(nlp.pipe_names)):
            nlp.add_pipe("hotline_sentencizer", first=True)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    if model == "blank":
        nlp.initialize()
    if taxonomy is not None:
        for name in ("hotline_themes", "hotline_facets"):
            matcher: Any = nlp.get_pipe(name)
            matcher.set_taxonomy(taxonomy)
    if catalog is not None:
        linker: Any = nlp.get_pipe("hotline_linker")
        linker.set_catalog(catalog)
    return nlp


class GrievanceExtractor:
    """Runs a grievance pipeline over interactions and assembles Grievance records.

    Links: a product or policy mentioned in the segment itself keeps the
    linker's method and confidence; failing that, one mentioned elsewhere in
    the same turn is linked as ``"same_turn"`` (confidence x 0.8). Products
    are also the context of a whole conversation: one the customer named in
    another turn is linked as ``"same_interaction"`` (x 0.6), and the product
    named in the source's own fields as ``"metadata"`` (0.9) when the text
    names none. A policy named in any other turn of the interaction, by the
    customer or by the agent (who often names the policy the customer is
    describing: "the support fee applies after ninety days"), is linked as
    ``"same_interaction"`` (x 0.6); agents' turns are read for this alone.
    Failing all of these, a policy whose catalog entry lists one of the
    segment's themes (``Policy.themes``) is linked as ``"theme"`` (0.5) when
    it is the only such policy that applies to the segment's products (a
    policy without products applies to all); where several remain, only
    those in effect on the interaction's date count, and still only one may
    remain.

    Themes: those whose cues lie in the segment; a segment with none takes
    the themes cued elsewhere in its turn, outside scripted text (a complaint
    such as "take the charge off please" is about what the turn said before).
    """

    def __init__(
        self,
        *,
        catalog: Catalog | None = None,
        taxonomy: Taxonomy | None = None,
        nlp: Language | None = None,
        batch_size: int = 256,
    ) -> None:
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ConfigError(
                Errors.E502.format(
                    name="batch_size", owner="extract_grievances", expected="an int >= 1", value=batch_size
                )
            )
        self.catalog = catalog
        self.taxonomy = taxonomy
        self.batch_size = batch_size
        self._nlp = nlp
        self._allow: tuple[str, ...] | None = None
        self._silent: frozenset[str] | None = None
        self._context: list[tuple[str, Any]] | None = None
        self._policy_themes: list[tuple[Policy, frozenset[str]]] | None = None
        self._silent_named: dict[str, dict[str, float]] = {}  # silent turns' texts -> policies named

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = build_pipeline(catalog=self.catalog, taxonomy=self.taxonomy)
        return self._nlp

    # -- running -----------------------------------------------------------
    def run(
        self, interactions: Sequence[Interaction], *, n_process: int = 1, progress: bool = False
    ) -> Grievances:
        from ..grievances import Grievances

        if not isinstance(n_process, int) or n_process < 1:
            raise ConfigError(
                Errors.E502.format(
                    name="n_process", owner="extract_grievances", expected="an int >= 1", value=n_process
                )
            )
        redactions: Counter[str] = Counter()
        n_turns = sum(len(i.turns) for i in interactions)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=n_turns, unit="turn", desc="grievances")
        found: list[Grievance] = []
        try:
            if n_process == 1 or len(interactions) < 2 * n_process:
                for batch in _chunks(interactions, self.batch_size):
                    items, counts = self.process(batch)
                    found.extend(items)
                    redactions.update(counts)
                    if bar is not None:
                        bar.update(sum(len(i.turns) for i in batch))
            else:
                for items, counts, done in self._parallel(interactions, n_process):
                    found.extend(items)
                    redactions.update(counts)
                    if bar is not None:
                        bar.update(done)
        finally:
            if bar is not None:
                bar.close()
        return Grievances(
            found, n_interactions=len(interactions), n_turns=n_turns, redactions=dict(redactions)
        )

    def _parallel(
        self, interactions: Sequence[Interaction], n_process: int
    ) -> Iterator[tuple[list[Grievance], dict[str, int], int]]:
        import multiprocessing as mp

        global _WORKER
        chunks = list(_chunks(interactions, self.batch_size))
        context: Any
        initializer: Any
        initargs: tuple[Any, ...]
        if "fork" in mp.get_all_start_methods():
            # Forked workers inherit this process's pipeline, built once here, instead
            # of each building its own (about 2 s of lookups and matcher compilation).
            self.nlp  # noqa: B018
            context = mp.get_context("fork")
            _WORKER, initializer, initargs = self, None, ()
        else:
            context = mp.get_context()
            initializer, initargs = _worker_init, (self.catalog, self.taxonomy, self.batch_size)
        try:
            with context.Pool(n_process, initializer=initializer, initargs=initargs) as pool:
                # imap keeps the input order, so results do not depend on scheduling
                yield from pool.imap(_worker_run, chunks)
        finally:
            _WORKER = None

    def process(self, interactions: Sequence[Interaction]) -> tuple[list[Grievance], dict[str, int]]:
        """Grievances of a batch of interactions, and the redactions made, by type."""
        with _older_objects_frozen():
            return self._process(interactions)

    def _process(self, interactions: Sequence[Interaction]) -> tuple[list[Grievance], dict[str, int]]:
        nlp = self.nlp
        allow = self.allow_list
        silent = self.silent_roles
        context = self.context_pipes
        docs: list[Doc] = []
        slots: list[int | None] = []  # per turn: its doc's place in ``docs``, or None when not run
        silent_docs: list[Doc] = []
        silent_slots: list[str | None] = []  # per turn: the text whose policies it names
        pending: dict[str, int] = {}  # text -> its doc's place in ``silent_docs``
        named = self._silent_named
        counts: Counter[str] = Counter()
        for interaction in interactions:
            previous: str | None = None
            for turn in interaction.turns:
                if turn.role in silent:
                    # This role's sentences can never reach the complaint threshold, so the
                    # full pipeline is skipped; only the policies the turn names are read
                    # (an agent explaining "the support fee applies after ninety days"). No
                    # text of these turns is kept, so they are not redacted. Scripted turns
                    # repeat: each text is read once (the policies depend on the text alone).
                    slots.append(None)
                    previous = turn.text
                    if context and turn.text.strip():
                        text = _strip_html(turn.text)
                        silent_slots.append(text)
                        if text not in named and text not in pending:
                            pending[text] = len(silent_docs)
                            silent_docs.append(nlp.make_doc(text))
                    else:
                        silent_slots.append(None)
                    continue
                silent_slots.append(None)
                redacted, spans = _prepare(turn.text, previous, allow)
                previous = turn.text
                for span in spans:
                    counts[span.label] += 1
                doc = nlp.make_doc(redacted)
                doc.user_data["hi_text"] = redacted  # see _extensions.doc_text
                ext = doc._  # each ``Doc._`` read builds an accessor object: read it once
                ext.hi_role = turn.role
                ext.hi_channel = interaction.channel
                ext.hi_product_hint = interaction.product
                slots.append(len(docs))
                docs.append(doc)
        processed = self._run_pipeline(docs)
        for _name, pipe in context:
            silent_docs = [pipe(doc) for doc in silent_docs]
        fresh = {text: _named([_link_marks(silent_docs[i], "hi_policies")]) for text, i in pending.items()}
        result: list[Grievance] = []
        start = 0
        for interaction in interactions:
            n = len(interaction.turns)
            turn_docs = [processed[i] if i is not None else None for i in slots[start : start + n]]
            other = [
                named[t] if t in named else fresh[t] for t in silent_slots[start : start + n] if t is not None
            ]
            result.extend(self._assemble(interaction, turn_docs, other))
            start += n
        for text, found in fresh.items():
            if len(text) <= _SILENT_CACHE_CHARS and _SILENT_CACHE_SIZE > 0:
                while len(named) >= _SILENT_CACHE_SIZE:
                    del named[next(iter(named))]  # the oldest
                named[text] = found
        return result, dict(counts)

    def _run_pipeline(self, docs: list[Doc]) -> list[Doc]:
        """``nlp.pipe(docs)``, minus the components whose work a doc without complaints never uses.

        After ``hotline_complaints``, a doc with no complaint segment skips the
        components listed in :data:`_COMPLAINT_ONLY` (theme and facet cues and
        intensity are read only for complaint segments); it still runs every
        other component (the linker: its mentions are context for the other
        turns). The grievances are the same as with the full pipeline.
        """
        nlp = self.nlp
        names = nlp.pipe_names
        if "hotline_complaints" not in names or not _COMPLAINT_ONLY.intersection(names):
            return list(nlp.pipe(docs, batch_size=self.batch_size))
        split = names.index("hotline_complaints") + 1
        for _name, proc in nlp.pipeline[:split]:
            docs = _apply(proc, docs, self.batch_size)
        complaining = [i for i, doc in enumerate(docs) if doc.spans.get("hi_complaints")]
        quiet = [i for i, doc in enumerate(docs) if not doc.spans.get("hi_complaints")]
        for name, proc in nlp.pipeline[split:]:
            for group in (complaining, quiet) if name not in _COMPLAINT_ONLY else (complaining,):
                if group:
                    for i, doc in zip(
                        group, _apply(proc, [docs[i] for i in group], self.batch_size), strict=True
                    ):
                        docs[i] = doc
        return docs

    @property
    def context_pipes(self) -> list[tuple[str, Any]]:
        """The components run on turns that can't complain, to read the policies they name.

        Those before ``hotline_linker`` that are not grievance components
        (sentences, lemmas, a trained pipeline's own), then the linker; none
        when the pipeline has no linker or its catalog has no policies.
        """
        if self._context is None:
            pipes: list[tuple[str, Any]] = []
            names = self.nlp.pipe_names
            if "hotline_linker" in names:
                linker: Any = self.nlp.get_pipe("hotline_linker")
                catalog = getattr(linker, "catalog", None)
                if catalog is not None and catalog.policies:
                    for name in names[: names.index("hotline_linker") + 1]:
                        # the linker reads tokens and lemmas, never sentence boundaries
                        if name == "hotline_linker" or name not in (*COMPONENTS, "hotline_sentencizer"):
                            pipes.append((name, self.nlp.get_pipe(name)))
            self._context = pipes
        return self._context

    @property
    def policy_themes(self) -> list[tuple[Policy, frozenset[str]]]:
        """The catalog's policies that list themes, with their themes (checked against the taxonomy).

        Raises:
            ConfigError: a policy lists a theme the taxonomy does not have.
        """
        if self._policy_themes is None:
            out: list[tuple[Policy, frozenset[str]]] = []
            names = self.nlp.pipe_names
            catalog = self.nlp.get_pipe("hotline_linker").catalog if "hotline_linker" in names else None  # type: ignore[attr-defined]
            if catalog is not None and any(p.themes for p in catalog.policies):
                known: set[str] | None = None
                if "hotline_themes" in names:
                    known = {t.id for t in self.nlp.get_pipe("hotline_themes").taxonomy.themes}  # type: ignore[attr-defined]
                for policy in catalog.policies:
                    if not policy.themes:
                        continue
                    unknown = sorted(set(policy.themes) - known) if known is not None else []
                    if unknown:
                        raise ConfigError(
                            Errors.E705.format(
                                kind="theme", value=unknown[0], expected=", ".join(sorted(known or ()))
                            )
                        )
                    out.append((policy, frozenset(policy.themes)))
            self._policy_themes = out
        return self._policy_themes

    def _theme_policy(
        self, themes: Sequence[str], products: Sequence[GrievanceLink], when: Any
    ) -> tuple[GrievanceLink, ...]:
        """The one policy a segment's themes point to, as a ``"theme"`` link; () when none or several."""
        claims = self.policy_themes
        if not claims or not themes:
            return ()
        from ..grievances import GrievanceLink

        wanted = set(themes)
        product_ids = {link.id for link in products}
        candidates = [
            policy
            for policy, own in claims
            if own & wanted and (not policy.products or not product_ids or product_ids & set(policy.products))
        ]
        if len(candidates) > 1 and when is not None:
            candidates = [p for p in candidates if p.is_in_effect(when)]
        if len(candidates) != 1:
            return ()
        return (GrievanceLink(id=candidates[0].id, method="theme", confidence=_THEME_POLICY_CONFIDENCE),)

    @property
    def silent_roles(self) -> frozenset[str]:
        """Roles whose weight in ``hotline_complaints`` is below its threshold: no segment can come from them."""
        if self._silent is None:
            try:
                complaints: Any = self.nlp.get_pipe("hotline_complaints")
                weight, threshold = complaints.role_weight, complaints.threshold
                self._silent = frozenset(r for r in ROLES if weight(r) < threshold)
            except KeyError:  # a user pipeline without the component: run every turn
                self._silent = frozenset()
        return self._silent

    @property
    def allow_list(self) -> tuple[str, ...]:
        """Names never redacted as people: the company's, and its products' names and aliases."""
        if self._allow is None:
            names: list[str] = []
            if self.catalog is not None:
                if self.catalog.company:
                    names.append(self.catalog.company)
                for product in self.catalog.products:
                    names.extend(product.terms)
            self._allow = tuple(dict.fromkeys(names))
        return self._allow

    # -- assembling --------------------------------------------------------
    def _assemble(
        self,
        interaction: Interaction,
        docs: Sequence[Doc | None],
        other_named: Sequence[dict[str, float]] = (),
    ) -> list[Grievance]:
        """The interaction's grievances; ``other_named``: the policies its silent turns name (see :func:`_named`)."""
        from ..grievances import Grievance

        # products the customer names anywhere in the interaction; policies anyone names
        customer_docs = (
            d for t, d in zip(interaction.turns, docs, strict=True) if t.role in ("customer", "unknown")
        )
        # each doc's links read once (``Span._`` reads are slow): for the interaction, then its segments
        link_marks: dict[tuple[int, str], list[_Mark]] = {}

        def links_of(doc: Doc, key: str) -> list[_Mark]:
            marks = link_marks.get((id(doc), key))
            if marks is None:
                marks = link_marks[id(doc), key] = _link_marks(doc, key)
            return marks

        products_named = _named(links_of(d, "hi_products") for d in customer_docs if d is not None)
        policies_named = _named(links_of(d, "hi_policies") for d in docs if d is not None)
        for named in other_named:
            for label, conf in named.items():
                if conf > policies_named.get(label, -1.0):
                    policies_named[label] = conf
        found = []
        for turn, doc in zip(interaction.turns, docs, strict=True):
            if doc is None:
                continue
            complaints = list(doc.spans["hi_complaints"]) if "hi_complaints" in doc.spans else []
            if not complaints:
                continue
            scripted = _bounds(doc, "hi_boilerplate")
            themes = [
                t for t in _scored_marks(doc, "hi_themes") if not _overlapping(scripted, t.start, t.end)
            ]
            facets = _scored_marks(doc, "hi_facets")
            products = links_of(doc, "hi_products")
            policies = links_of(doc, "hi_policies")
            hint_links = [link for link in getattr(doc._, "hi_links", ()) if link.start_char is None]
            text = doc_text(doc)
            for seg in complaints:
                ext = seg._  # each ``Span._`` read builds an accessor object: read it once
                start, end = seg.start, seg.end
                start_char, end_char = seg.start_char, seg.end_char
                seg_themes = _ordered_labels(_overlapping(themes, start, end) or themes)
                seg_products = _links("product", start, end, products, products_named, hint_links)
                found.append(
                    Grievance(
                        interaction_id=interaction.id,
                        turn_position=turn.position,
                        start_char=start_char,
                        end_char=end_char,
                        text=text[start_char:end_char],  # Span.text would build every token
                        role=turn.role,
                        channel=interaction.channel,
                        created_at=interaction.created_at,
                        customer_id=interaction.customer_id,
                        source_format=interaction.source.format,
                        themes=seg_themes,
                        facets=_ordered_labels(_overlapping(facets, start, end)),
                        products=seg_products,
                        policies=_links("policy", start, end, policies, policies_named, ())
                        or self._theme_policy(seg_themes, seg_products, interaction.created_at),
                        complaint_score=_unit(ext.hi_score),
                        intensity=_unit(ext.hi_intensity),
                        sentiment=max(-1.0, min(1.0, float(ext.hi_sentiment or 0.0))),
                        cues=tuple(ext.hi_cues or ()),
                    )
                )
        return found


class _Mark(NamedTuple):
    """What assembling needs of a span, read once (``Span._`` reads are slow)."""

    start: int
    end: int
    label: str
    score: float  # hi_score, 1.0 when unset
    method: str | None
    confidence: float | None


def _bounds(doc: Doc, key: str) -> list[_Mark]:
    """The spans of ``doc.spans[key]`` with their bounds only (extension attributes unread)."""
    if key not in doc.spans:
        return []
    return [_Mark(span.start, span.end, "", 1.0, None, None) for span in doc.spans[key]]


def _scored_marks(doc: Doc, key: str) -> list[_Mark]:
    """The spans of ``doc.spans[key]`` with their labels and scores (method and confidence unread)."""
    if key not in doc.spans:
        return []
    out = []
    for span in doc.spans[key]:
        score = span._.hi_score
        out.append(
            _Mark(span.start, span.end, span.label_, float(score if score is not None else 1.0), None, None)
        )
    return out


def _link_marks(doc: Doc, key: str) -> list[_Mark]:
    """The spans of ``doc.spans[key]`` with their labels, methods and confidences (score unread)."""
    if key not in doc.spans:
        return []
    out = []
    for span in doc.spans[key]:
        ext = span._
        out.append(_Mark(span.start, span.end, span.label_, 1.0, ext.hi_method, ext.hi_confidence))
    return out


def _named(mark_lists: Iterable[Sequence[_Mark]]) -> dict[str, float]:
    """The labels of the marks, each with its best confidence."""
    out: dict[str, float] = {}
    for marks in mark_lists:
        for mark in marks:
            conf = float(mark.confidence or 0.0)
            if conf > out.get(mark.label, -1.0):
                out[mark.label] = conf
    return out


def _overlapping(marks: Sequence[_Mark], start: int, end: int) -> list[_Mark]:
    return [m for m in marks if m.start < end and start < m.end]


def _unit(value: Any) -> float:
    return max(0.0, min(1.0, float(value or 0.0)))


def _ordered_labels(marks: Sequence[_Mark]) -> tuple[str, ...]:
    """Labels of the spans, strongest first, each once (ties keep text order)."""
    best: dict[str, float] = {}
    for mark in marks:
        if mark.score > best.get(mark.label, -1.0):
            best[mark.label] = mark.score
    return tuple(sorted(best, key=lambda label: -best[label]))


def _links(
    kind: str,
    start: int,
    end: int,
    mentions: Sequence[_Mark],
    in_interaction: dict[str, float],
    hints: Sequence[Any],
) -> tuple[GrievanceLink, ...]:
    from ..grievances import GrievanceLink

    best: dict[str, tuple[str, float]] = {}

    def add(link_id: str, method: str, confidence: float) -> None:
        confidence = round(max(0.0, min(1.0, confidence)), 4)
        if link_id not in best or confidence > best[link_id][1]:
            best[link_id] = (method, confidence)

    for mark in _overlapping(mentions, start, end):
        add(mark.label, str(mark.method or "mention"), float(mark.confidence or 1.0))
    if not best:
        for mark in mentions:
            add(mark.label, "same_turn", 0.8 * float(mark.confidence or 1.0))
    if not best:
        for link_id, conf in in_interaction.items():
            add(link_id, "same_interaction", 0.6 * conf)
    if not best:
        for hint in hints:
            if getattr(hint, "kind", kind) == kind:
                add(hint.id, "metadata", float(getattr(hint, "confidence", 0.9)))
    # the values are checked above (ids are the catalog's, confidences clamped to [0, 1])
    construct = GrievanceLink.model_construct
    links = [construct(id=i, method=m, confidence=c) for i, (m, c) in best.items()]
    return tuple(sorted(links, key=lambda link: (-link.confidence, link.id)))


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the objects that exist before a batch out of the garbage collector's full passes during it.

    A batch allocates enough to trigger several full collections, and each
    would walk every object of the process: the pipeline's tables, the
    interactions read, the grievances found so far (about a tenth of the CPU
    time of extraction). ``gc.freeze`` moves them aside for the batch and
    ``gc.unfreeze`` puts them back, so nothing is kept longer than one batch;
    nothing is done when the collector is off or something else froze objects.
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _apply(proc: Any, docs: list[Doc], batch_size: int) -> list[Doc]:
    """Run one pipeline component over ``docs``, as ``Language.pipe`` does (its ``pipe`` when it has one)."""
    if hasattr(proc, "pipe"):
        return list(proc.pipe(docs, batch_size=batch_size))
    return [proc(doc) for doc in docs]


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_WORKER: GrievanceExtractor | None = None


def _worker_init(catalog: Catalog | None, taxonomy: Taxonomy | None, batch_size: int) -> None:
    """Build the pipeline once per worker process (never shipped from the parent)."""
    global _WORKER
    _WORKER = GrievanceExtractor(catalog=catalog, taxonomy=taxonomy, batch_size=batch_size)
    _WORKER.nlp  # noqa: B018 - build now, not on the first chunk


def _worker_run(chunk: Sequence[Interaction]) -> tuple[list[Grievance], dict[str, int], int]:
    assert _WORKER is not None
    items, counts = _WORKER.process(chunk)
    return items, counts, sum(len(i.turns) for i in chunk)

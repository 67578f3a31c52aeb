"""The extraction fast paths give exactly what the plain paths give.

* ``PhraseIndex.find(text, start, end)`` equals the whole-text matches
  filtered to the range.
* ``Intensity._cues`` reading token texts from the doc's array equals reading
  them from ``Token`` objects.
* ``GrievanceExtractor`` skipping theme, facet and intensity components on
  turns without complaints, and sentence splitting on turns that can't
  complain, gives the grievances of the full pipeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import LEMMA, LOWER, ORTH

import hotline_insight.nlp.pipeline as pipeline_module
from hotline_insight.catalog import Catalog
from hotline_insight.nlp._text import PhraseIndex
from hotline_insight.nlp.pipeline import GrievanceExtractor, build_pipeline
from hotline_insight.records import Interaction, SourceRef, Turn

ROOT = Path(__file__).resolve().parents[2]

ENTRIES = [
    ("p", r"keeps? (?:dropping|crashing)"),
    ("q", r"again"),
    ("r", r"(?:\w+ )?times in a row"),  # no enumerable first word: scanned everywhere
    ("s", r"can't stop"),
    ("t", r"not again"),
]
WORDS = [
    "it",
    "keeps",
    "keep",
    "dropping",
    "again",
    "not",
    "three",
    "times",
    "in",
    "a",
    "row",
    "can't",
    "stop",
]
SEPARATORS = [" ", "  ", ", ", "'", "-", "\n", ". "]


@pytest.fixture(scope="module")
def index() -> PhraseIndex:
    return PhraseIndex(ENTRIES)


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("again and again", 0, None, [(0, 5, "q"), (10, 15, "q")]),
        ("again and again", 1, None, [(10, 15, "q")]),  # a match starting before the range is out
        ("again and again", 0, 12, [(0, 5, "q")]),  # one ending after it too
        ("it keeps dropping", 3, 8, []),  # the phrase runs past the range
        ("it keeps dropping", 3, 17, [(3, 17, "p")]),
        ("so 5 times in a row", 3, None, [(3, 19, "r")]),  # the unindexed pattern, scanned from 0
        ("5 times in a row", 2, None, []),  # the whole text's match starts at 0, before the range
        ("xagain", 1, None, []),  # the character before the range still blocks a word start
    ],
)
def test_find_in_a_range(
    index: PhraseIndex, text: str, start: int, end: int | None, expected: list[Any]
) -> None:
    assert index.find(text, start, end) == expected


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14),
    cut=st.tuples(st.integers(0, 90), st.integers(0, 90)),
)
def test_find_in_a_range_equals_the_whole_text_filtered(
    index: PhraseIndex, words: list[tuple[str, str]], cut: tuple[int, int]
) -> None:
    text = "".join(w + s for w, s in words)
    start, end = min(cut), max(cut)
    whole = index.find(text)
    assert index.find(text, start, end) == [m for m in whole if m[0] >= start and m[1] <= end]
    assert index.find(text, start) == [m for m in whole if m[0] >= start]


@pytest.mark.parametrize(
    "text",
    [
        "WHY IS MY BILL STILL WRONG",
        "The ATM and the SMS fee again, NOT OK!!",
        "My [NAME] account XXXX was charged TWICE",
        "all lower case, nothing shouted",
    ],
)
def test_shouting_from_the_token_array_equals_from_tokens(text: str) -> None:
    import spacy

    import hotline_insight.nlp.intensity  # noqa: F401

    nlp = spacy.blank("en")
    comp: Any = nlp.add_pipe("hotline_intensity")
    doc = nlp.make_doc(text)
    cols = doc.to_array([LOWER, LEMMA, ORTH]).tolist()
    for span in (doc[:], doc[1:4], doc[2:]):
        plain = comp._cues(span, span.text, [])
        assert comp._cues(span, span.text, [], cols) == plain
        assert comp._cues(span, span.text, [], cols) == plain  # and again from the filled cache


TURNS = [
    ("customer", "Hi, my broadband keeps dropping again and I want a refund!"),
    ("agent", "I'm sorry to hear that. The paper bill fee applies after ninety days."),
    ("customer", "Thanks, that's great."),
    ("customer", "Why was I charged the paper bill fee twice? This is ridiculous."),
    ("agent", "Thank you for calling, is there anything else?"),
    ("customer", "What are your opening hours?"),
    ("customer", "WHY IS MY BILL STILL WRONG"),
]


@pytest.fixture(scope="module")
def interactions() -> list[Interaction]:
    out = []
    for k in range(6):
        turns = TURNS[k:] + TURNS[:k]
        out.append(
            Interaction(
                id=f"c{k}",
                source=SourceRef(format="plain_text"),
                channel="call",
                created_at="2026-02-01T10:00:00Z",
                turns=tuple(Turn(position=i, role=role, text=text) for i, (role, text) in enumerate(turns)),
            )
        )
    return out


def test_skipping_components_gives_the_full_pipelines_grievances(
    interactions: list[Interaction], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    fast = GrievanceExtractor(catalog=catalog).run(interactions)
    assert len(fast) > 0
    full_extractor = GrievanceExtractor(catalog=catalog, nlp=build_pipeline(catalog=catalog))
    monkeypatch.setattr(pipeline_module, "_COMPLAINT_ONLY", frozenset())  # every component on every turn
    full_extractor._context = [
        (name, full_extractor.nlp.get_pipe(name))
        for name in ("hotline_sentencizer", "hotline_lemmatizer", "hotline_linker")
    ]  # the silent turns' sentences split too
    full = full_extractor.run(interactions)
    assert fast.to_frame().equals(full.to_frame())
    assert [g.model_dump() for g in fast] == [g.model_dump() for g in full]


# -- round 2: gated phrase scans, one scan for several ranges, redaction prompt gates, silent-turn cache


def _plain(index: PhraseIndex) -> PhraseIndex:
    """The same patterns, scanned the plain way (every start word, its patterns tried in Python)."""
    return PhraseIndex(index.entries, group=index.group, gate=False)


@pytest.fixture(scope="module")
def component_indexes() -> list[tuple[PhraseIndex, PhraseIndex]]:
    nlp = build_pipeline()
    indexes = [
        nlp.get_pipe("hotline_complaints")._phrases,  # type: ignore[attr-defined]
        nlp.get_pipe("hotline_boilerplate")._index_customer,  # type: ignore[attr-defined]
        nlp.get_pipe("hotline_boilerplate")._index_agent,  # type: ignore[attr-defined]
        nlp.get_pipe("hotline_intensity")._index,  # type: ignore[attr-defined]
    ]
    return [(index, _plain(index)) for index in indexes]


def test_the_components_use_the_gated_ascii_scan(
    component_indexes: list[tuple[PhraseIndex, PhraseIndex]],
) -> None:
    for fast, plain in component_indexes:
        assert fast._gated and not plain._gated
        fast.find("some text")
        assert fast._scans[True] is not None  # ASCII text: the case-sensitive scan


SENTENCES = [
    "I have been waiting for three weeks and nobody called me back",
    "you charged me twice for the same month, this is a joke",
    "Thank you for calling Larkspur, my name is Sam, how can I help?",
    "I want a full refund and an apology",
    "it keeps dropping every evening, five times in a row",
    "the app doesn't work and I can't log in",
    "Is there anything else I can help you with today?",
    "I was told it would be fixed but it wasn't",
    "Why was I billed for a router I already returned?!",
    "Hi there, thanks for your patience",
    "on hold for over an hour again, I am fed up",
    "could you tell me what the next steps are",
]
ODD = ["’", "é", "ſ", "\u212a", "İ", "—", "…", "\n", "  ", "!", "'"]


def _mangle(sentence: str, case: int, odd: str, at: int) -> str:
    text = [sentence, sentence.upper(), sentence.title(), sentence.swapcase()][case]
    at = at % (len(text) + 1)
    return text[:at] + odd + text[at:]


@settings(max_examples=80, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from(SENTENCES),
            st.integers(0, 3),
            st.sampled_from(["", "", *ODD]),
            st.integers(0, 200),
        ),
        min_size=1,
        max_size=5,
    ),
    cut=st.tuples(st.integers(0, 400), st.integers(0, 400)),
)
def test_gated_scans_find_what_the_plain_scan_finds(
    component_indexes: list[tuple[PhraseIndex, PhraseIndex]],
    parts: list[tuple[str, int, str, int]],
    cut: tuple[int, int],
) -> None:
    text = " ".join(_mangle(*p) for p in parts)
    start, end = min(cut), max(cut)
    for fast, plain in component_indexes:
        assert fast.find(text) == plain.find(text)
        assert fast.find(text, start, end) == plain.find(text, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "I HAVE BEEN WAITING",  # upper case: lower-cased before the scan
        "i have been waiting \u212a",  # not ASCII: the case-insensitive scan
        "ſo i have been waiting",  # the long s matches "s" case-insensitively
        "",
    ],
)
def test_gated_scan_on_edge_texts(
    component_indexes: list[tuple[PhraseIndex, PhraseIndex]], text: str
) -> None:
    for fast, plain in component_indexes:
        assert fast.find(text) == plain.find(text)


def test_case_variants_outside_ascii_keep_the_case_insensitive_scan() -> None:
    # "ſ" (long s) matches "s" when ignoring case: a pattern naming it can't use the ASCII scan
    index = PhraseIndex([("a", "go ſtop"), ("b", "stop now")])
    assert index.find("go stop, stop now") == [(0, 7, "a"), (9, 17, "b")]
    assert index._gated and index._scans[True] is None
    for text in ["go stop", "go ſtop", "GO STOP NOW", "Stop"]:
        assert index.find(text) == _plain(index).find(text)


def test_upper_case_pattern_keeps_the_case_insensitive_scan() -> None:
    index = PhraseIndex([("a", "Stop now"), ("b", "go")])
    assert index.find("please stop now and go") == [(7, 15, "a"), (20, 22, "b")]
    assert index._scans[True] is None


def test_group_references_keep_the_plain_scan() -> None:
    index = PhraseIndex([("a", r"(bye) \1"), ("b", "hello")])
    assert not index._gated
    assert index.find("hello, bye bye") == [(0, 5, "b"), (7, 14, "a")]


@settings(max_examples=120, deadline=None)
@given(
    words=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14),
    cuts=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=4),
)
def test_find_ranges_equals_find_per_range(
    index: PhraseIndex, words: list[tuple[str, str]], cuts: list[tuple[int, int]]
) -> None:
    text = "".join(w + s for w, s in words)
    ranges = [(min(c), max(c)) for c in cuts]
    assert index.find_ranges(text, ranges) == [index.find(text, s, e) for s, e in ranges]
    assert _plain(index).find_ranges(text, ranges) == [index.find(text, s, e) for s, e in ranges]


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            [
                "your full name",
                "the name",
                "who am i speaking",
                "who's calling",
                "zip",
                "postcode",
                "post code",
                "postal code",
                "date of birth",
                "d.o.b",
                "dob",
                "d.ob",
                "do.b",
                "birthday",
                "born",
                "birth date",
                "account",
                "acct no",
                "membership id",
                "reference number",
                "ref code",
                "order no",
                "invoice number",
                "phone",
                "telephone",
                "best number",
                "contact number",
                "mobile",
                "cell",
                "card number",
                "long number",
                "card no",
                "ssn",
                "social security",
                "number",
                "name",
                "birth",
                "card",
                "thanks",
                "please",
                "and",
                "D.O.B",
                "ZIP",
                "Your Name",
            ]
        ),
        max_size=6,
    ),
    seps=st.sampled_from([" ", "", ", ", "-", "\n", "'s "]),
)
def test_prompt_gates_equal_the_cue_regexes(parts: list[str], seps: str) -> None:
    from hotline_insight.nlp import redact

    prompt = seps.join(parts)
    low = prompt.lower()
    slow = {label for label, cue in redact._PROMPT_CUES.items() if cue.search(low)}
    if "ACCOUNT" in slow and "PHONE" in slow:
        slow.discard("ACCOUNT")
    assert redact._expectations(prompt) == frozenset(slow)
    assert redact._prompt_expectations(prompt) == frozenset(slow)


def test_every_prompt_cue_has_a_gate() -> None:
    from hotline_insight.nlp import redact

    assert set(redact._PROMPT_GATES) == set(redact._PROMPT_CUES)


def test_silent_turns_read_once_give_the_same_grievances(
    interactions: list[Interaction], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    extractor = GrievanceExtractor(catalog=catalog)
    first = extractor.run(interactions)
    assert extractor._silent_named  # the agents' turns were remembered
    again = extractor.run(interactions)  # now from the cache
    monkeypatch.setattr(pipeline_module, "_SILENT_CACHE_SIZE", 0)
    uncached = GrievanceExtractor(catalog=catalog, nlp=extractor.nlp)
    plain = uncached.run(interactions)
    assert not uncached._silent_named
    assert first.to_frame().equals(again.to_frame())
    assert first.to_frame().equals(plain.to_frame())
    assert any(link.method == "same_interaction" for g in first for link in g.policies)


REDACT_PIECES = [
    "call me on 555-010-1234", "email jane.doe@example.com", "jane at example dot com", "my name is Dana Smith",
    "March 27th, 1971", "SW1A 1AA", "60439", "4111 1111 1111 1111", "five five five oh one two three four",
    "Larkspur", "Lark Hub 5", "Harold White", "yes", "that's right", "ref: XK22931", "42 Oak Lane",
    "https://example.com/reset?token=abc123", "thanks", "!", "\n",
]  # fmt: skip
PROMPTS = [
    None, "", "Can I take your full name and the postcode on the account please?", "And your date of birth?",
    "What's the best number to reach you?", "Could you read me the card number?", "Thanks for calling.",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(REDACT_PIECES), max_size=5),
    sep=st.sampled_from([" ", ", ", ". "]),
    prompt=st.sampled_from(PROMPTS),
    allow=st.sampled_from([(), ("Larkspur", "Lark Hub 5", "Harold")]),
)
def test_cached_redaction_equals_detection(
    pieces: list[str], sep: str, prompt: str | None, allow: tuple[str, ...]
) -> None:
    from hotline_insight.nlp.redact import apply_spans, detect_pii, redact_with_spans

    text = sep.join(pieces)
    spans = detect_pii(text, prompt=prompt, allow_list=allow)
    expected = (apply_spans(text, spans) if spans else text, spans)
    assert redact_with_spans(text, prompt=prompt, allow_list=allow) == expected
    assert redact_with_spans(text, prompt=prompt, allow_list=allow) == expected  # from the cache
    long_text = text + " " + "x" * 300  # past the cache's length limit
    spans = detect_pii(long_text, prompt=prompt, allow_list=allow)
    assert redact_with_spans(long_text, prompt=prompt, allow_list=allow) == (
        apply_spans(long_text, spans) if spans else long_text,
        spans,
    )


def test_batches_freeze_older_objects_only_for_their_duration(interactions: list[Interaction]) -> None:
    import gc

    catalog = Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    extractor = GrievanceExtractor(catalog=catalog)
    seen: list[int] = []
    original = extractor._process

    def spy(batch: Any) -> Any:
        seen.append(gc.get_freeze_count())
        return original(batch)

    extractor._process = spy  # type: ignore[method-assign,assignment]
    assert gc.get_freeze_count() == 0
    items, _ = extractor.process(interactions)
    assert seen[-1] > 0  # frozen during the batch
    assert gc.get_freeze_count() == 0  # and back afterwards
    gc.freeze()  # someone else's freeze is left alone
    try:
        frozen = gc.get_freeze_count()
        again, _ = extractor.process(interactions)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        plain, _ = extractor.process(interactions)  # collector off: nothing frozen
        assert seen[-1] == 0
    finally:
        gc.enable()
    assert (
        [g.model_dump() for g in items] == [g.model_dump() for g in again] == [g.model_dump() for g in plain]
    )

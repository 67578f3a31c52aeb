"""Tests of the ``hotline_linker`` component (hotline_insight.nlp.linking).

Tables of ``(text, expected)`` run against the sample catalog
(``sample_data/catalog.yaml``, a fictional telecom) and a small inline catalog.
Fuzzy expectations are stated at the default threshold (ratio 88 on
normalised strings); the ratio of each pair is in the comment.
"""

from __future__ import annotations

import collections
import csv
import itertools
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import hotline_insight.nlp.linking  # noqa: F401 - registers the factory
from hotline_insight.catalog import Catalog
from hotline_insight.errors import ConfigError
from hotline_insight.nlp.linking import CONFIDENCE, FUZZY_CONFIDENCE_SCALE, Link, Linker

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = ROOT / "sample_data" / "catalog.yaml"
CFPB = ROOT / "sample_data" / "cfpb"

INLINE_CATALOG = """
products:
  - {id: fibre, name: Fibre 500, aliases: [fiber 500, "500 meg"], skus: [FB-500]}
  - {id: loc, name: Line of credit, aliases: [LOC, credit line, pawn]}
  - {id: mesh, name: Mesh, aliases: [mesh pod]}
  - {id: mesh_pro, name: Mesh Pro, aliases: [mesh pod pro]}
  - {id: hub, name: Smart Hub, aliases: [smart hub, gig plan]}
  - {id: gig, name: Gig Plan, aliases: [hub plan]}
  - {id: payday, name: Payday loan, aliases: [pay day loan]}
policies:
  - {id: repo, name: Repossession, phrases: [repossession, took my car]}
  - {id: fee, name: Support fee, phrases: [charged for support, ninety days]}
"""


def _pipeline(*, lemmas: bool = True, **config: Any) -> Language:
    """The default test pipeline (sentencizer, lookup lemmatizer), or a bare one, plus the linker."""
    nlp = spacy.blank("en")
    if lemmas:
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    nlp.add_pipe("hotline_linker", config=config)
    return nlp


@pytest.fixture(scope="module")
def sample_nlp() -> Language:
    return _pipeline(catalog=str(SAMPLE_CATALOG))


@pytest.fixture(scope="module")
def inline_nlp() -> Language:
    nlp = _pipeline()
    nlp.get_pipe("hotline_linker").set_catalog(Catalog.from_yaml(INLINE_CATALOG))
    return nlp


def _found(doc: Doc, group: str) -> list[tuple[str, str, str]]:
    return [(s.text, s.label_, s._.hi_method) for s in doc.spans.get(group, [])]


# -- products, sample catalog ---------------------------------------------------------

PRODUCT_CASES = [
    # exact name and alias, any case
    ("My Lark Hub 5 keeps rebooting", [("Lark Hub 5", "router_hub5", "name")]),
    (
        "MY LARK HUB 5 AND my lark hub 5",
        [("LARK HUB 5", "router_hub5", "name"), ("lark hub 5", "router_hub5", "name")],
    ),
    ("the mesh extender drops", [("mesh extender", "router_mesh", "alias")]),
    ("Is my Fibre 500 down?", [("Fibre 500", "bb_fibre_500", "alias")]),
    # lemma-aware: plurals, "Hub 5s", title-case plurals
    ("both Hub 5s died", [("Hub 5s", "router_hub5", "lemma")]),
    ("we have two mesh extenders", [("mesh extenders", "router_mesh", "alias")]),  # an alias itself
    ("Both Wi-Fi Boosters are dead", [("Wi-Fi Boosters", "router_mesh", "lemma")]),
    ("the LarkView boxes are being scrapped", [("LarkView boxes", "tv_box_hd", "lemma")]),
    # SKUs, split into several tokens by the tokenizer or written with other separators
    ("I returned BB-F100-12M last week", [("BB-F100-12M", "bb_fibre_100", "sku")]),
    ("serial says bb f100 12m", [("bb f100 12m", "bb_fibre_100", "sku")]),
    (
        "model LH5-AX3000-B, not LH5-AX3000",
        [("LH5-AX3000-B", "router_hub5", "sku"), ("LH5-AX3000", "router_hub5", "sku")],
    ),
    ("it came as MB-SIM20-30D.", [("MB-SIM20-30D.", "mobile_sim_only", "sku")]),  # "30D." is one token
    ("XLH5-AX3000 is not ours", []),
    # overlapping aliases: the longest wins
    ("my LarkView Plus is broken", [("LarkView Plus", "tv_box_plus", "alias")]),
    ("the lark view plus recorder lost it all", [("lark view plus recorder", "tv_box_plus", "alias")]),
    ("the LarkView box is fine", [("LarkView box", "tv_box_hd", "alias")]),
    # ASR and typing errors that match at ratio 88
    ("my larkview plas lost everything", [("larkview plas", "tv_box_plus", "fuzzy")]),  # 92.3
    ("the hub fiv is off again", [("hub fiv", "router_hub5", "fuzzy")]),  # 93.3
    ("on larkspur gigabitt since may", [("larkspur gigabitt", "bb_gigabit", "fuzzy")]),  # 97.0
    ("the mesh extendr blinks", [("mesh extendr", "router_mesh", "fuzzy")]),  # 96.0
    ("lark home phne is dead", [("lark home phne", "landline_home_phone", "fuzzy")]),  # 96.6
    # ... and near misses that do not
    ("the hub fix did nothing", []),  # 80.0
    ("is there a fibre 300 plan", []),  # 88.9, but the numbers differ
    ("fibre 50 is not a product", []),  # numbers differ
    ("thanks for calling larkspur", []),
    ("", []),
]


@pytest.mark.parametrize("text,expected", PRODUCT_CASES)
def test_products_in_sample_catalog(
    sample_nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _found(sample_nlp(text), "hi_products") == expected


POLICY_CASES = [
    ("they started charging a support fee", [("support fee", "pol_tech_support_fee", "phrase")]),
    ("I got CHARGED FOR SUPPORT", [("CHARGED FOR SUPPORT", "pol_tech_support_fee", "phrase")]),
    ("they were charging for support", [("charging for support", "pol_tech_support_fee", "lemma")]),
    (
        "the Technical support fee after 90 days",
        [("Technical support fee after 90 days", "pol_tech_support_fee", "name")],
    ),
    # the tokenizer splits "id" but not "ID": both casings are patterns
    ("a charge for caller ID blocking", [("caller ID blocking", "pol_caller_id_block_fee", "phrase")]),
    ("why a suport fee?", [("suport fee", "pol_tech_support_fee", "fuzzy")]),  # 95.2
    ("after ninety dayz", [("ninety dayz", "pol_tech_support_fee", "fuzzy")]),  # 90.9
    ("the caller id blockng", [("caller id blockng", "pol_caller_id_block_fee", "fuzzy")]),  # 97.1
    ("I support the change", []),
    # "five hundred meg broadband" is a product alias, not a policy
    ("five hundred meg broadband", []),
]


@pytest.mark.parametrize("text,expected", POLICY_CASES)
def test_policies_in_sample_catalog(
    sample_nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _found(sample_nlp(text), "hi_policies") == expected


# -- inline catalog: overlaps, short terms, word agreement ------------------------------

INLINE_CASES = [
    ("my mesh pod pro", "hi_products", [("mesh pod pro", "mesh_pro", "alias")]),
    ("my mesh pod", "hi_products", [("mesh pod", "mesh", "alias")]),
    # same length, different entries: the more confident (name 1.0 over alias 0.95)
    ("on the gig plan", "hi_products", [("gig plan", "gig", "name")]),
    # same length and confidence: the earlier
    ("a smart hub plan", "hi_products", [("smart hub", "hub", "name")]),
    # short terms (< 5 characters) are exact only
    ("my LOC is frozen", "hi_products", [("LOC", "loc", "alias")]),
    ("my LOK is frozen", "hi_products", []),
    ("the pawnn shop", "hi_products", []),  # "pawn": 88.9, but too short to be fuzzy
    ("Lines of Credit", "hi_products", [("Lines of Credit", "loc", "lemma")]),
    ("a payday lone", "hi_products", [("payday lone", "payday", "fuzzy")]),  # 90.9
    # every word must resemble its counterpart when the counts agree
    ("I had to pay a loan", "hi_products", []),  # "pay day loan": 90.9, but "a" is not "day"
    # a different first letter is a different word
    ("it is in my possession", "hi_policies", []),  # "repossession": 90.9
    ("after the reposession", "hi_policies", [("reposession", "repo", "fuzzy")]),
    (
        "FB-500, fb 500, fb_500",
        "hi_products",
        [("FB-500", "fibre", "sku"), ("fb 500", "fibre", "sku"), ("fb_500", "fibre", "sku")],
    ),
    ("FB-5000 and XFB-500", "hi_products", []),
]


@pytest.mark.parametrize("text,group,expected", INLINE_CASES)
def test_inline_catalog(
    inline_nlp: Language, text: str, group: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _found(inline_nlp(text), group) == expected


def test_min_fuzzy_length_lets_shorter_terms_match() -> None:
    nlp = _pipeline(lemmas=False, min_fuzzy_length=4)
    nlp.get_pipe("hotline_linker").set_catalog(Catalog.from_yaml(INLINE_CATALOG))
    assert _found(nlp("the pawnn shop"), "hi_products") == [("pawnn", "loc", "fuzzy")]


@pytest.mark.parametrize(
    "config,expected",
    [
        ({}, [("larkview plas", "tv_box_plus", "fuzzy")]),
        ({"fuzzy_threshold": 95}, [("larkview", "tv_box_hd", "alias")]),  # 92.3 < 95
        ({"fuzzy": False}, [("larkview", "tv_box_hd", "alias")]),
    ],
)
def test_fuzzy_settings(config: dict[str, Any], expected: list[tuple[str, str, str]]) -> None:
    nlp = _pipeline(lemmas=False, catalog=str(SAMPLE_CATALOG), **config)
    assert _found(nlp("my larkview plas"), "hi_products") == expected


@pytest.mark.parametrize(
    "text,method,confidence",
    [
        ("Lark Hub 5", "name", 1.0),
        ("LH5-AX3000", "sku", 1.0),
        ("hub five", "alias", 0.95),
        ("Hub 5s", "lemma", 0.9),
        ("larkview plas", "fuzzy", round(FUZZY_CONFIDENCE_SCALE * 92.3077 / 100, 4)),
    ],
)
def test_confidence_by_method(sample_nlp: Language, text: str, method: str, confidence: float) -> None:
    doc = sample_nlp(text)
    (span,) = doc.spans["hi_products"]
    assert (span._.hi_method, span._.hi_confidence) == (method, pytest.approx(confidence, abs=1e-4))
    assert method == "fuzzy" or confidence == CONFIDENCE["product"][method]


# -- links and metadata -------------------------------------------------------------------


def test_links_follow_the_text_then_metadata(sample_nlp: Language) -> None:
    doc = sample_nlp.make_doc("The support fee for my Lark Hub 5 and the hub fiv")
    doc._.hi_product_hint = "Larkspur Gigabit"
    doc = sample_nlp(doc)
    assert [(link.kind, link.id, link.method) for link in doc._.hi_links] == [
        ("policy", "pol_tech_support_fee", "phrase"),
        ("product", "router_hub5", "name"),
        ("product", "router_hub5", "fuzzy"),
        ("product", "bb_gigabit", "metadata"),
    ]
    spans = [*doc.spans["hi_products"], *doc.spans["hi_policies"]]
    for link in doc._.hi_links:
        if link.is_mention:
            assert link.start_char is not None and link.end_char is not None
            assert any(s.start_char == link.start_char and s.label_ == link.id for s in spans)
            assert doc.text[link.start_char : link.end_char] in {s.text for s in spans}
    assert doc._.hi_product_links == (Link("product", "bb_gigabit", "metadata", 1.0),)


@pytest.mark.parametrize(
    "hint,expected",
    [
        ("router_hub5", [("router_hub5", 1.0)]),  # a product id
        ("Lark Hub 5", [("router_hub5", 1.0)]),  # the name
        ("  lark HUB 5 ", [("router_hub5", 1.0)]),
        ("hub five", [("router_hub5", 0.95)]),  # an alias
        ("LH5-AX3000", [("router_hub5", 1.0)]),  # a SKU
        ("Broadband / Fibre 500 fault", [("bb_fibre_500", round(0.95 * 0.9, 4))]),  # named inside
        ("Fibre 500 and Lark Hub 5", [("bb_fibre_500", round(0.95 * 0.9, 4)), ("router_hub5", 0.9)]),
        ("Larkspur Gigabitt", [("bb_gigabit", round(FUZZY_CONFIDENCE_SCALE * 0.9697, 4))]),  # a misspelling
        ("Something else", []),
        ("", []),
    ],
)
def test_metadata_hint(sample_nlp: Language, hint: str, expected: list[tuple[str, float]]) -> None:
    doc = sample_nlp.make_doc("no product named here")
    doc._.hi_product_hint = hint
    doc = sample_nlp(doc)
    links = doc._.hi_product_links
    assert [(link.id, link.confidence) for link in links] == [
        (i, pytest.approx(c, abs=1e-4)) for i, c in expected
    ]
    assert all(link.method == "metadata" and not link.is_mention for link in links)
    assert doc._.hi_links == links


def test_doc_without_mentions_is_left_alone(sample_nlp: Language) -> None:
    doc = sample_nlp("Hello, I have a question about my account.")
    assert "hi_products" not in doc.spans and "hi_policies" not in doc.spans
    assert doc._.hi_links == () and doc._.hi_product_links == ()


def test_a_second_run_replaces_earlier_results() -> None:
    nlp = _pipeline(lemmas=False, catalog=str(SAMPLE_CATALOG))
    doc = nlp("the Lark Hub 5 and the support fee")
    assert doc.spans["hi_products"] and doc._.hi_links
    linker = nlp.get_pipe("hotline_linker")
    linker.set_catalog(Catalog.from_dict({"products": [{"id": "other", "name": "Other"}]}))
    doc = linker(doc)
    assert len(doc.spans["hi_products"]) == 0 and len(doc.spans["hi_policies"]) == 0
    assert doc._.hi_links == ()


def test_no_catalog_does_nothing() -> None:
    nlp = _pipeline(lemmas=False)
    doc = nlp("my Lark Hub 5")
    assert "hi_products" not in doc.spans and doc._.hi_links == ()
    assert nlp.get_pipe("hotline_linker").catalog is None


# -- settings and errors --------------------------------------------------------------


@pytest.mark.parametrize(
    "config,name",
    [
        ({"fuzzy_threshold": 101}, "fuzzy_threshold"),
        ({"fuzzy_threshold": 20}, "fuzzy_threshold"),
        ({"min_fuzzy_length": 0}, "min_fuzzy_length"),
    ],
)
def test_invalid_settings(config: dict[str, Any], name: str) -> None:
    with pytest.raises(ConfigError) as info:
        spacy.blank("en").add_pipe("hotline_linker", config=config)
    assert str(info.value).startswith("[E502]") and f"'{name}'" in str(info.value)


def test_set_catalog_wants_a_catalog() -> None:
    linker = spacy.blank("en").add_pipe("hotline_linker")
    with pytest.raises(ConfigError) as info:
        linker.set_catalog({"products": []})  # type: ignore[arg-type]
    assert str(info.value).startswith("[E502]") and "'catalog'" in str(info.value)


def test_invalid_catalog_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("products:\n  - {id: p}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        spacy.blank("en").add_pipe("hotline_linker", config={"catalog": str(path)})
    assert str(info.value).startswith("[E301]")


# -- serialisation ----------------------------------------------------------------------

TEXT = "my larkview plas, two Hub 5s, LH5-AX3000 and a suport fee"


def _summary(doc: Doc) -> list[tuple[Any, ...]]:
    return [
        (s.text, s.label_, s._.hi_method, s._.hi_confidence)
        for g in ("hi_products", "hi_policies")
        for s in doc.spans.get(g, [])
    ]


def test_to_disk_keeps_the_catalog(tmp_path: Path) -> None:
    nlp = _pipeline(lemmas=False)
    nlp.get_pipe("hotline_linker").set_catalog(Catalog.from_yaml(SAMPLE_CATALOG))
    before = _summary(nlp(TEXT))
    assert len(before) == 4
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("hotline_linker").catalog == Catalog.from_yaml(SAMPLE_CATALOG)
    assert _summary(loaded(TEXT)) == before


def test_saved_pipeline_does_not_need_the_catalog_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(SAMPLE_CATALOG.read_text(encoding="utf-8"), encoding="utf-8")
    nlp = _pipeline(lemmas=False, catalog=str(path))
    before = _summary(nlp(TEXT))
    nlp.to_disk(tmp_path / "pipeline")
    path.unlink()
    assert _summary(spacy.load(tmp_path / "pipeline")(TEXT)) == before


def test_missing_catalog_file_is_reported_on_first_use(tmp_path: Path) -> None:
    nlp = _pipeline(lemmas=False, catalog=str(tmp_path / "nowhere.yaml"))
    with pytest.raises(ConfigError) as info:
        nlp("text")
    assert str(info.value).startswith("[E302]")


def test_to_bytes_round_trip() -> None:
    nlp = _pipeline(lemmas=False, catalog=str(SAMPLE_CATALOG))
    other = _pipeline(lemmas=False)
    other.from_bytes(nlp.to_bytes())
    assert _summary(other(TEXT)) == _summary(nlp(TEXT))


@pytest.mark.parametrize("data", [b'{"version": 99, "catalog": null}', b"[]", b"\x80 not json"])
def test_unknown_data_is_refused(data: bytes) -> None:
    linker = spacy.blank("en").add_pipe("hotline_linker")
    with pytest.raises(ConfigError) as info:
        linker.from_bytes(data)
    assert str(info.value).startswith("[E901]")


def test_exclude_catalog(tmp_path: Path) -> None:
    nlp = _pipeline(lemmas=False, catalog=str(SAMPLE_CATALOG))
    linker = nlp.get_pipe("hotline_linker")
    linker.to_disk(tmp_path / "linker", exclude=["catalog"])
    assert not (tmp_path / "linker" / "catalog.yaml").exists()
    fresh = spacy.blank("en").add_pipe("hotline_linker")
    assert fresh.from_bytes(linker.to_bytes(exclude=["catalog"])).catalog is None


def test_links_survive_doc_serialisation(sample_nlp: Language) -> None:
    from spacy.tokens import DocBin

    doc = sample_nlp.make_doc("the support fee on my Hub 5")
    doc._.hi_product_hint = "Lark Hub 5"
    doc = sample_nlp(doc)
    again = Doc(sample_nlp.vocab).from_bytes(doc.to_bytes())
    assert list(again._.hi_links) == list(doc._.hi_links)
    assert all(isinstance(link, Link) for link in again._.hi_links)
    docbin = DocBin(store_user_data=True, docs=[doc])
    (restored,) = DocBin().from_bytes(docbin.to_bytes()).get_docs(sample_nlp.vocab)
    assert list(restored._.hi_product_links) == [Link("product", "router_hub5", "metadata", 1.0)]


# -- properties ---------------------------------------------------------------------------

_WORDS = [
    "lark", "hub", "five", "fiv", "5s", "larkview", "plas", "plus", "box", "mesh", "extendr", "fibre", "500",
    "support", "suport", "fee", "charged", "for", "the", "my", "LH5-AX3000", "ninety", "dayz", "caller", "ID",
    "blockng", ",", ".", "-", "and", "gigabitt", "larkspur",
]  # fmt: skip


@given(st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join) | st.text(max_size=40))
def test_spans_and_links_are_consistent(sample_nlp: Language, text: str) -> None:
    doc = sample_nlp(text)
    ids = {"hi_products": {p.id for p in Catalog.from_yaml(SAMPLE_CATALOG).products}}
    mentions = [link for link in doc._.hi_links if link.is_mention]
    n_spans = 0
    for group in ("hi_products", "hi_policies"):
        spans = list(doc.spans.get(group, []))
        n_spans += len(spans)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start  # sorted, no overlap
        for span in spans:
            assert span._.hi_method in {"name", "alias", "sku", "phrase", "lemma", "fuzzy"}
            assert 0.0 < span._.hi_confidence <= 1.0
            assert group != "hi_products" or span.label_ in ids["hi_products"]
    assert len(mentions) == n_spans


# -- real data: CFPB narratives against the Sub-product column ---------------------------


def test_cfpb_links_mostly_name_the_complaint_sub_product() -> None:
    catalog = Catalog.from_yaml(CFPB / "catalog.yaml")
    by_name = {p.name: p.id for p in catalog.products}
    with open(CFPB / "complaints_sample.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Consumer complaint narrative"].strip()]
    nlp = _pipeline(catalog=str(CFPB / "catalog.yaml"))
    docs = nlp.pipe(r["Consumer complaint narrative"] for r in rows)
    n_rows = n_linked = n_majority = n_mentions = n_right = 0
    for row, doc in zip(rows, docs, strict=True):
        n_rows += 1
        labels = [s.label_ for s in doc.spans.get("hi_products", [])]
        if not labels:
            continue
        gold = by_name[row["Sub-product"]]
        n_linked += 1
        counts = collections.Counter(labels)
        n_majority += max(counts, key=lambda label: (counts[label], -labels.index(label))) == gold
        n_mentions += len(labels)
        n_right += sum(label == gold for label in labels)
    # measured on this slice: 23.5% of rows mention a product; 72% of mentions and 75% of
    # rows (majority label) name the row's Sub-product
    assert n_rows == 400
    assert n_linked / n_rows > 0.18
    assert n_right / n_mentions > 0.65
    assert n_majority / n_linked > 0.70


# -- speed ------------------------------------------------------------------------------


@pytest.mark.slow
def test_linker_costs_less_than_tokenising() -> None:
    import time

    import hotline_insight as hi

    corpus = hi.read(ROOT / "sample_data" / "calls", on_error="collect")
    texts = [t.text for i in corpus for t in i.turns if t.role == "customer"][:2000]
    nlp = _pipeline(catalog=str(SAMPLE_CATALOG))
    linker: Linker = nlp.get_pipe("hotline_linker")
    with nlp.select_pipes(disable=["hotline_linker"]):
        docs = list(nlp.pipe(texts))
    for doc in docs[:200]:
        linker(doc)  # build and warm up
    with nlp.select_pipes(disable=["hotline_linker"]):
        docs = list(nlp.pipe(texts))
    start = time.perf_counter()
    for text in texts:
        nlp.make_doc(text)
    tokenise = time.perf_counter() - start
    start = time.perf_counter()
    for doc in docs:
        linker(doc)
    link = time.perf_counter() - start
    assert link < 1.5 * tokenise

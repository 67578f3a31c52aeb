"""extract_grievances end to end: records, spans, links, redaction, determinism, bad input."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.grievances import GRIEVANCE_DTYPES
from hotline_insight.nlp.pipeline import prepare_text
from hotline_insight.records import Interaction, SourceRef, Turn

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog() -> hi.Catalog:
    return hi.Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")


@pytest.fixture(scope="module")
def nlp(catalog: hi.Catalog):  # type: ignore[no-untyped-def]
    return hi.build_pipeline(catalog=catalog)


@pytest.fixture(scope="module")
def sample(nlp):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = hi.read(
            [ROOT / "sample_data" / d for d in ("calls", "chats", "tickets")],
            on_error="collect",
            ctr=str(ROOT / "sample_data" / "ctr" / "contact_records.jsonl"),
        )
    return corpus, hi.extract_grievances(corpus, nlp=nlp)


def test_plain_strings_become_customer_interactions_numbered_by_position(nlp) -> None:  # type: ignore[no-untyped-def]
    found = hi.extract_grievances(
        [
            "Thanks, that was really helpful.",
            "I was charged a support fee after 90 days and nobody ever called me back. This is ridiculous!",
        ],
        nlp=nlp,
    )
    assert {g.interaction_id for g in found} == {"1"}
    assert found.n_interactions == 2 and found.n_with_grievance == 1
    themes = {t for g in found for t in g.themes}
    assert "support_fee_after_period" in themes
    assert all(g.role == "customer" and g.turn_position == 0 for g in found)


def test_spans_index_the_redacted_turn_text_exactly(sample) -> None:  # type: ignore[no-untyped-def]
    corpus, found = sample
    by_id = {i.id: i for i in corpus}
    for g in list(found)[:400]:
        interaction = by_id[g.interaction_id]
        turns = interaction.turns
        previous = turns[g.turn_position - 1].text if g.turn_position else None
        redacted = prepare_text(turns[g.turn_position].text, prompt=previous, allow_list=_allow(interaction))
        assert redacted[g.start_char : g.end_char] == g.text


def _allow(interaction: Interaction) -> tuple[str, ...]:
    catalog = hi.Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    names = [catalog.company] if catalog.company else []
    for product in catalog.products:
        names.extend(product.terms)
    return tuple(dict.fromkeys(names))


def test_frame_has_documented_dtypes(sample) -> None:  # type: ignore[no-untyped-def]
    _, found = sample
    frame = found.to_frame()
    assert {c: str(t) for c, t in frame.dtypes.items()} == GRIEVANCE_DTYPES
    assert len(frame) == len(found)
    assert hi.Grievances().to_frame().shape == (0, len(GRIEVANCE_DTYPES))


# Measured when this test was written (share of the pattern's interactions): found at all 0.91-0.97;
# linked to the planted policy 0.56-0.89 (P1 0.89, P2 0.69, P3 0.85, P4 0.56, P6 0.89; P5 has no policy),
# with 100% precision for P1-P3 (P4 0.79: other call-back complaints); carrying the planted theme 0.26-0.70.
# The floors sit a few points below, so a regression fails; themes of P4 and P6 are the weak spot.
PLANTED = [
    # pattern, theme, min found, min with policy, min with theme
    ("P1_support_fee", "support_fee_after_period", 0.90, 0.85, 0.60),
    ("P2_caller_id_fee", "pay_to_opt_out", 0.90, 0.62, 0.40),
    ("P3_tvbox_discontinued", "product_discontinued", 0.85, 0.80, 0.60),
    ("P4_callback_missed", "broken_promise", 0.90, 0.50, 0.20),
    ("P5_router_reboot", "defect", 0.90, 0.00, 0.60),
    ("P6_paper_bill_fee", "pay_to_opt_out", 0.85, 0.85, 0.35),
]


@pytest.mark.parametrize("pattern,theme,min_found,min_policy,min_theme", PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_patterns_are_found_with_their_policy_and_theme(  # type: ignore[no-untyped-def]
    sample, pattern: str, theme: str, min_found: float, min_policy: float, min_theme: float
) -> None:
    planted = json.loads((ROOT / "sample_data" / "planted.json").read_text())
    spec = next(p for p in planted["patterns"] if p["id"] == pattern)
    ids = set(spec["interaction_ids"])
    _, found = sample
    mine = [g for g in found if g.interaction_id in ids]
    hit = {g.interaction_id for g in mine}
    with_policy = {g.interaction_id for g in mine if any(p.id in spec["policy_ids"] for p in g.policies)}
    with_theme = {g.interaction_id for g in mine if theme in g.themes}
    assert len(hit) >= min_found * len(ids), (len(hit), len(ids))
    assert len(with_policy) >= min_policy * len(ids), (len(with_policy), len(ids))
    assert len(with_theme) >= min_theme * len(ids), (len(with_theme), len(ids))


def test_complaints_found_and_neutral_contacts_left_alone(sample) -> None:  # type: ignore[no-untyped-def]
    planted = json.loads((ROOT / "sample_data" / "planted.json").read_text())["interactions"]
    complaints = {i["id"] for i in planted if i["is_complaint"]}
    neutral = {i["id"] for i in planted if not i["is_complaint"]}
    _, found = sample
    hit = {g.interaction_id for g in found}
    assert len(hit & complaints) >= 0.92 * len(complaints)  # measured 0.95
    assert len(hit & neutral) <= 0.05 * len(neutral)  # measured 0.03


def test_no_personal_data_from_the_customers_table_survives(sample) -> None:  # type: ignore[no-untyped-def]
    import csv

    _, found = sample
    with open(ROOT / "sample_data" / "customers.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    emails = {r["email"].lower() for r in rows if r.get("email")}
    names = {r["name"] for r in rows if r.get("name")}
    phones = {re.sub(r"\D", "", r["phone"])[-7:] for r in rows if r.get("phone")}
    for g in found:
        text = g.text.lower()
        assert not any(e in text for e in emails)
        digits = re.sub(r"\D", "", text)
        assert not any(p and p in digits for p in phones)
        assert not any(name in g.text for name in names)


def test_links_record_their_method(sample) -> None:  # type: ignore[no-untyped-def]
    _, found = sample
    methods = {link.method for g in found for link in (*g.products, *g.policies)}
    assert methods & {"name", "alias", "lemma", "fuzzy", "phrase", "sku"}
    assert methods <= {
        "name", "alias", "lemma", "fuzzy", "phrase", "sku", "same_turn", "same_interaction", "metadata", "theme"
    }  # fmt: skip
    for g in found:
        assert all(0 <= link.confidence <= 1 for link in (*g.products, *g.policies))


def test_metadata_product_is_linked_when_the_text_names_none(nlp) -> None:  # type: ignore[no-untyped-def]
    ticket = Interaction(
        id="t1",
        source=SourceRef(format="zendesk_json"),
        channel="ticket",
        product="router_hub5",
        turns=(Turn(position=0, role="customer", text="It restarts every night and I am sick of it."),),
    )
    (g,) = hi.extract_grievances([ticket], nlp=nlp)
    assert [(link.id, link.method) for link in g.products] == [("router_hub5", "metadata")]


def _call(*turns: tuple[str, str], when: str = "2026-02-01T10:00:00Z") -> Interaction:
    return Interaction(
        id="c1",
        source=SourceRef(format="plain_text"),
        channel="call",
        created_at=when,
        turns=tuple(Turn(position=i, role=role, text=text) for i, (role, text) in enumerate(turns)),  # type: ignore[arg-type]
    )


def test_a_policy_the_agent_names_is_linked_to_the_customers_complaint(nlp) -> None:  # type: ignore[no-untyped-def]
    call = _call(
        ("customer", "Why have I been charged ten dollars just for ringing you? This is outrageous."),
        ("agent", "I understand. The tech support fee applies to support calls after the first ninety days."),
    )
    found = hi.extract_grievances([call], nlp=nlp)
    assert found and all(
        [(p.id, p.method) for p in g.policies] == [("pol_tech_support_fee", "same_interaction")]
        for g in found
    )
    # the agent's words never become a grievance, and nothing of them is kept
    assert all(g.turn_position == 0 for g in found)


@pytest.mark.parametrize(
    "text,when,expected",
    [
        # the only policy whose catalog entry lists the theme
        ("Why do I now have to pay every time I call for technical help after three months? Ridiculous.",
         "2026-02-01T10:00:00Z", [("pol_tech_support_fee", "theme", 0.5)]),
        # two policies list pay_to_opt_out (caller ID, paper bill) and both were in effect: no guess
        ("It's a disgrace that I have to pay extra just to opt out of this.", "2026-02-01T10:00:00Z", []),
    ],
)  # fmt: skip
def test_a_theme_claimed_by_one_policy_links_it(nlp, text: str, when: str, expected: list) -> None:  # type: ignore[no-untyped-def]
    found = hi.extract_grievances([_call(("customer", text), when=when)], nlp=nlp)
    assert found
    assert [(p.id, p.method, p.confidence) for p in found[0].policies] == expected


def test_theme_links_need_the_policy_to_apply_and_known_themes(catalog: hi.Catalog) -> None:
    from hotline_insight.nlp.pipeline import GrievanceExtractor

    ex = GrievanceExtractor(catalog=catalog)
    hub = (hi.GrievanceLink(id="router_hub5", method="name", confidence=1.0),)
    landline = (hi.GrievanceLink(id="landline_home_phone", method="name", confidence=1.0),)
    # pay_to_opt_out about the landline: caller ID blocking applies to it, the paper bill fee to all products;
    # in February 2026 both were in effect (no link), in May 2026 only the caller ID fee was
    import datetime as dt

    feb, may = dt.datetime(2026, 2, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert ex._theme_policy(["pay_to_opt_out"], landline, feb) == ()
    assert [p.id for p in ex._theme_policy(["pay_to_opt_out"], landline, may)] == ["pol_caller_id_block_fee"]
    # the caller ID fee does not apply to a router: only the paper bill fee is left
    assert [p.id for p in ex._theme_policy(["pay_to_opt_out"], hub, feb)] == ["pol_paper_bill_fee"]
    assert ex._theme_policy(["defect"], hub, feb) == ()

    bad = hi.Catalog.from_dict({"policies": [{"id": "p", "name": "P", "themes": ["no_such_theme"]}]})
    with pytest.raises(hi.ConfigError, match="E705"):
        GrievanceExtractor(catalog=bad).policy_themes  # noqa: B018


def test_agent_scripts_are_not_grievances(nlp) -> None:  # type: ignore[no-untyped-def]
    call = Interaction(
        id="c1",
        source=SourceRef(format="plain_text"),
        channel="call",
        turns=(
            Turn(
                position=0,
                role="agent",
                text="Thank you for calling Larkspur, my name is Dana, how can I help?",
            ),
            Turn(position=1, role="customer", text="Hi, I'd like to know your opening hours please."),
            Turn(
                position=2,
                role="agent",
                text="Is there anything else I can help you with today? Have a great day.",
            ),
        ),
    )
    assert len(hi.extract_grievances([call], nlp=nlp)) == 0


def test_deterministic_and_the_same_with_two_processes(sample, catalog: hi.Catalog) -> None:  # type: ignore[no-untyped-def]
    corpus, found = sample
    subset = list(corpus)[:120]
    one = hi.extract_grievances(subset, catalog=catalog)
    again = hi.extract_grievances(subset, catalog=catalog)
    two = hi.extract_grievances(subset, catalog=catalog, n_process=2, batch_size=16)
    assert one == again == two
    assert list(one) == [g for g in found if g.interaction_id in {i.id for i in subset}]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😡😡😡🤬",
        "1234567890 0987654321",
        "Мой роутер не работает. 我的账单错了! My bill is wrong!!!",
        "<p>I was <b>charged twice</b> &amp; nobody <script>alert(1)</script> replied</p>",
        ("This is unacceptable. I was charged twice. " * 2500)[:100_000],
    ],
    ids=["empty", "blank", "emoji", "digits", "mixed-scripts", "html", "100k"],
)
def test_bad_input_never_crashes(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    found = hi.extract_grievances([text], nlp=nlp)
    for g in found:
        assert "<script>" not in g.text and "<b>" not in g.text


EMAILS = st.builds(
    lambda user, host: f"{user}@{host}.com",
    st.from_regex(r"[a-z][a-z0-9._]{2,10}", fullmatch=True),
    st.from_regex(r"[a-z]{3,10}", fullmatch=True),
)
PHONES = st.builds(
    lambda a, b, c: f"({a}) {b}-{c}", st.integers(201, 989), st.integers(200, 999), st.integers(1000, 9999)
)


@settings(max_examples=25, deadline=None)
@given(
    email=EMAILS,
    phone=PHONES,
    filler=st.sampled_from(["My bill is wrong", "I was charged twice", "Nobody called me back"]),
)
def test_generated_personal_data_never_reaches_a_grievance(nlp, email: str, phone: str, filler: str) -> None:  # type: ignore[no-untyped-def]
    text = f"{filler}! Email me at {email} or call {phone}, this is unacceptable."
    found = hi.extract_grievances([text], nlp=nlp)
    for g in found:
        assert email not in g.text and phone not in g.text
        assert re.sub(r"\D", "", phone) not in re.sub(r"\D", "", g.text)


def test_bad_parameters_are_coded(nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(hi.ConfigError, match=r"\[E502\]"):
        hi.extract_grievances(["x"], nlp=nlp, batch_size=0)
    with pytest.raises(hi.ConfigError, match=r"\[E502\]"):
        hi.extract_grievances(["x"], nlp=nlp, n_process=0)

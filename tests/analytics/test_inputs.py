"""What the analytics accept as input, and how they say no."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.errors import ConfigError, HotlineWarning
from hotline_insight.records import Interaction, Satisfaction, SourceRef, Turn

from .conftest import contacts_frame, grievance_frame


def test_grievances_for_interactions_missing_from_the_corpus_are_kept_with_a_warning() -> None:
    contacts = contacts_frame([{"id": "1", "customer_id": "A", "created_at": "2026-01-01"}])
    found = grievance_frame(
        [
            {"interaction_id": "1", "themes": ["fee"], "products": ["hub"]},
            {
                "interaction_id": "9",
                "customer_id": "B",
                "created_at": "2026-01-02",
                "themes": ["fee"],
                "products": ["hub"],
            },
        ]
    )
    with pytest.warns(HotlineWarning, match=r"\[W304\]"):
        table = hi.link(found, ("theme", "product"), corpus=contacts)
    assert table[["n_contacts", "n_customers"]].values.tolist() == [[2, 2]]


def test_ambiguous_interaction_ids_need_the_source_format() -> None:
    contacts = contacts_frame(
        [{"id": "7", "source_format": "zendesk_json"}, {"id": "7", "source_format": "freshdesk"}]
    )
    with pytest.raises(ConfigError, match="E554"):
        hi.link(
            grievance_frame([{"interaction_id": "7", "themes": ["a"], "products": ["b"]}]), corpus=contacts
        )
    ok = hi.link(
        grievance_frame(
            [{"interaction_id": "7", "source_format": "freshdesk", "themes": ["a"], "products": ["b"]}]
        ),
        corpus=contacts,
    )
    assert ok["n_contacts"].tolist() == [1]


def test_list_cells_may_be_none_strings_tuples_or_arrays_and_ids_numbers() -> None:
    found = pd.DataFrame(
        {
            "interaction_id": [1, 2, 3, 4],
            "themes": [None, "fee", ("fee", "wait"), np.array(["wait"])],
            "products": [["hub"], ["hub"], float("nan"), ["hub"]],
        }
    )
    table = hi.link(found, ("theme", "product"))
    assert table[["theme", "product", "n_contacts"]].values.tolist() == [
        ["fee", "hub", 1],
        ["wait", "hub", 1],
    ]


def test_real_records_work_end_to_end() -> None:
    corpus = hi.Corpus(
        [
            Interaction(
                id=f"t{i}",
                source=SourceRef(format="zendesk_json"),
                channel="ticket",
                created_at=pd.Timestamp(f"2026-0{1 + i}-10", tz="UTC").to_pydatetime(),
                customer_id="501",
                customer_keys=("email:abc",),
                status="solved",
                satisfaction=Satisfaction(
                    score=float(i % 2), raw="good" if i % 2 else "bad", scale="good/bad"
                ),
                meta={"custom_fields": {"1": "C-1"}},
                turns=(
                    Turn(position=0, role="customer", text="I was charged a fee twice and nobody replied!"),
                ),
            )
            for i in range(3)
        ]
    )
    found = hi.Grievances(
        [
            hi.Grievance(
                interaction_id=f"t{i}",
                turn_position=0,
                start_char=0,
                end_char=10,
                text="a fee twice",
                role="customer",
                channel="ticket",
                customer_id="501",
                source_format="zendesk_json",
                themes=("unexpected_fees",),
                complaint_score=0.9,
                policies=(hi.GrievanceLink(id="fee", method="phrase", confidence=0.9),),
            )
            for i in range(3)
        ]
    )
    table = hi.rank_grievances(corpus, found)
    assert table["n_contacts"].max() == 3 and table["n_customers"].max() == 1
    assert hi.customers(corpus)["customer_id"].tolist() == ["zendesk:501"]
    assert hi.customers(corpus.to_frame())["customer_id"].tolist() == ["zendesk:501"]


@pytest.mark.parametrize(
    "grievances,code",
    [
        (pd.DataFrame({"themes": [["a"]]}), "E551"),
        (["not", "a", "frame"], "E550"),
        (pd.DataFrame({"interaction_id": [None], "themes": [["a"]]}), "E551"),
    ],
)
def test_bad_grievances(grievances: object, code: str) -> None:
    with pytest.raises(ConfigError, match=code):
        hi.link(grievances)  # type: ignore[arg-type]


@pytest.mark.parametrize("corpus,code", [(pd.DataFrame({"x": [1]}), "E551"), (42, "E550")])
def test_bad_corpus(corpus: object, code: str) -> None:
    with pytest.raises(ConfigError, match=code):
        hi.customers(corpus)  # type: ignore[arg-type]


def test_messages_do_not_quote_personal_data() -> None:
    contacts = contacts_frame(
        [{"id": "jane@example.com", "source_format": "a"}, {"id": "jane@example.com", "source_format": "b"}]
    )
    with pytest.raises(ConfigError) as info:
        hi.link(
            grievance_frame([{"interaction_id": "jane@example.com", "themes": ["x"], "products": ["y"]}]),
            corpus=contacts,
        )
    assert "jane@example.com" not in str(info.value) and "[EMAIL]" in str(info.value)
    with pytest.raises(ConfigError) as info:
        hi.customer_history(contacts_frame([{"id": "1", "customer_id": "C1"}]), None, "555 010 2000 9")
    assert "010 2000" not in str(info.value)


def test_a_pair_stored_twice_joins_its_first_row() -> None:
    """Ids repeat across sources, and one (id, source) pair is stored twice: rows are those of the contacts."""
    from hotline_insight.analytics._frames import _join

    contacts = pd.DataFrame(
        {"interaction_id": ["a", "a", "b", "c", "c"], "source_format": ["x", "x", "x", "y", "z"]}
    )
    found = pd.DataFrame(
        {"interaction_id": ["b", "c", "a", "c", "d"], "source_format": ["x", "y", "x", "z", "x"]}
    )
    assert _join(found, contacts, "test").tolist() == [2, 3, 0, 4, -1]

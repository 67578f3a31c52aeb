"""rank_grievances() and prepare_analysis(): the one-call table, and sharing the joined inputs."""

from __future__ import annotations

import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.analytics.rank import RANK_COLUMNS
from hotline_insight.errors import ConfigError

from .conftest import check_schema, contacts_frame, grievance_frame


@pytest.fixture
def inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    contacts = contacts_frame(
        [
            {"id": str(i), "customer_id": c, "created_at": t, "channel": "call"}
            for i, (c, t) in enumerate(
                [
                    ("A", "2026-01-05"),
                    ("A", "2026-01-07"),
                    ("B", "2026-01-20"),
                    ("C", "2026-02-03"),
                    ("D", "2026-02-10"),
                    ("E", "2026-02-17"),
                    (None, "2026-02-18"),
                    ("F", "2026-03-02"),
                ]
            )
        ]
    )
    found = grievance_frame(
        [
            {"interaction_id": "0", "themes": ["fee"], "products": ["hub"], "intensity": 0.5},
            {"interaction_id": "1", "themes": ["fee"], "products": ["hub"], "intensity": 0.7},
            {"interaction_id": "2", "themes": ["outage"], "intensity": 0.2},
            {"interaction_id": "3", "themes": ["outage"], "intensity": 0.4},
            {"interaction_id": "4", "themes": ["outage"], "intensity": 0.4},
            {"interaction_id": "5", "themes": ["outage"], "intensity": 0.4},
            {"interaction_id": "6", "themes": ["outage"], "intensity": 0.4},
            {"interaction_id": "7", "themes": ["fee"], "intensity": 0.1},
        ]
    )
    table = pd.DataFrame(
        {
            "customer_id": list("ABCDEFGHIJ"),
            "value": [1000.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0],
        }
    )
    return contacts, found, table


def test_ranked_by_value_at_risk(inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    contacts, found, table = inputs
    ranked = hi.rank_grievances(
        contacts, found, customers_table=table, recurring_customers=2, recurring_weeks=2
    )
    check_schema(ranked, RANK_COLUMNS, {"rank": "int64", "theme": "string"})
    assert ranked["theme"].tolist() == ["fee", "outage"]  # fewer customers, but the valuable one
    fee = ranked.iloc[0]
    assert (fee["n_contacts"], fee["n_customers"], fee["value_at_risk"]) == (3, 2, 1010.0)
    assert fee["value_share"] == pytest.approx(1010 / 1090)
    assert fee["customer_share"] == pytest.approx(2 / 10)
    assert fee["value_index"] == pytest.approx((1010 / 1090) / (2 / 10))
    assert fee["n_top_decile"] == 1  # A is the top tenth of 10 customers
    assert fee["mean_intensity"] == pytest.approx((0.5 + 0.7 + 0.1) / 3)
    assert fee["n_repeat_contacts"] == 1  # A came back about the fee two days later
    # judged first contacts: A's first (came back: not resolved); F's is censored (the data ends with it)
    assert fee["fcr"] == 0.0 and fee["fcr_high"] < 1
    assert fee["linked"] == []  # 8 contacts: no link survives the correction
    outage = ranked.iloc[1]
    assert (outage["n_contacts"], outage["n_customers"], outage["value_at_risk"]) == (5, 4, 40.0)
    assert outage["is_recurring"] and outage["n_weeks"] == 4  # 02-17 and 02-18 share a week
    assert ranked["last_period"].tolist() == ["2026Q1", "2026Q1"]
    assert ranked.attrs["n_anonymous_contacts"] == 1


def test_prepared_inputs_give_the_same_tables(
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    contacts, found, table = inputs
    data = hi.prepare_analysis(contacts, found, table)
    assert repr(data).startswith("PreparedAnalysis(8 contacts, 8 grievances")
    pd.testing.assert_frame_equal(
        hi.rank_grievances(data), hi.rank_grievances(contacts, found, customers_table=table)
    )
    pd.testing.assert_frame_equal(
        hi.link(data, ("theme", "product")),
        hi.link(found, ("theme", "product"), corpus=contacts, customers_table=table),
    )
    pd.testing.assert_frame_equal(hi.trends(data, "theme"), hi.trends(found, "theme", corpus=contacts))
    pd.testing.assert_frame_equal(hi.customers(data), hi.customers(contacts, table, grievances=found))
    rep = hi.repeat_contacts(data)
    assert rep["is_repeat"].sum() == hi.repeat_contacts(contacts, found)["is_repeat"].sum()
    with pytest.raises(ConfigError, match="E550"):
        hi.link(data, ("theme", "product"), customers_table=table)
    with pytest.raises(ConfigError, match="E550"):
        hi.repeat_contacts(data, found)


def test_rank_by_pairs_and_without_values(inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    contacts, found, _ = inputs
    ranked = hi.rank_grievances(contacts, found, by=("theme", "product"))
    assert ranked[["theme", "product", "n_contacts"]].values.tolist() == [["fee", "hub", 2]]
    assert pd.isna(ranked["fcr"].iloc[0])  # first-contact resolution is kept for single problem dimensions
    unweighted = hi.rank_grievances(contacts, found)
    assert unweighted["value_at_risk"].tolist() == [4.0, 2.0]  # every customer worth 1
    assert unweighted.attrs["value_sources"] == {"unweighted": 6}

"""link(): counts, shares, lift, log-odds, tests and recurrence on a hand-made table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sp

import hotline_insight as hi
from hotline_insight.analytics.links import LINK_COLUMNS
from hotline_insight.analytics.stats import benjamini_hochberg, log_odds_dirichlet, wilson_interval
from hotline_insight.errors import ConfigError

from .conftest import check_schema, contacts_frame, grievance_frame

# 10 contacts. fee+hub in 4 of them (one contact complains twice), outage+tv in 3, fee+tv in 1,
# outage+hub in 1, and one with a theme but no product.
ROWS = [
    ("1", "A", "2026-01-05", ["fee"], ["hub"]),
    ("1", "A", "2026-01-05", ["fee"], ["hub"]),
    ("2", "B", "2026-01-12", ["fee"], ["hub"]),
    ("3", "C", "2026-01-19", ["fee"], ["hub"]),
    ("4", "C", "2026-01-20", ["fee"], ["hub"]),
    ("5", "D", "2026-01-05", ["outage"], ["tv"]),
    ("6", "E", "2026-01-05", ["outage"], ["tv"]),
    ("7", None, "2026-01-06", ["outage"], ["tv"]),
    ("8", "F", "2026-01-07", ["fee"], ["tv"]),
    ("9", "G", "2026-01-08", ["outage"], ["hub"]),
    ("10", "H", "2026-01-09", ["outage"], []),
]


@pytest.fixture
def table() -> pd.DataFrame:
    found = grievance_frame(
        [
            {"interaction_id": i, "customer_id": c, "created_at": t, "themes": th, "products": pr}
            for i, c, t, th, pr in ROWS
        ]
    )
    customers = pd.DataFrame({"customer_id": list("ABCDEFGH"), "value": [10.0, 20, 30, 40, 50, 60, 70, 80]})
    return hi.link(
        found, ("theme", "product"), customers_table=customers, recurring_customers=3, recurring_weeks=3
    )


def test_schema(table: pd.DataFrame) -> None:
    check_schema(table, LINK_COLUMNS, {"theme": "string", "product": "string"})


def test_counts_share_and_lift(table: pd.DataFrame) -> None:
    row = table.set_index(["theme", "product"]).loc[("fee", "hub")]
    assert (row["n_contacts"], row["n_grievances"], row["n_customers"], row["n_weeks"]) == (4, 5, 3, 3)
    assert (row["n_contacts_a"], row["n_contacts_b"], row["n_contacts_all"]) == (5, 5, 10)
    assert row["share"] == pytest.approx(4 / 5)
    assert row["base_rate"] == pytest.approx(5 / 10)
    assert row["lift"] == pytest.approx((4 / 5) / (5 / 10))
    low, high = wilson_interval(4, 5)
    assert (row["share_low"], row["share_high"]) == (pytest.approx(float(low)), pytest.approx(float(high)))
    assert row["value_at_risk"] == 10 + 20 + 30
    assert row["is_recurring"]  # 3 customers in 3 weeks
    tv = table.set_index(["theme", "product"]).loc[("outage", "tv")]
    assert (
        tv["n_customers"] == 2 and tv["value_at_risk"] == 40 + 50
    )  # the anonymous contact counts, not as a customer
    assert not tv["is_recurring"]


def test_tests_and_log_odds(table: pd.DataFrame) -> None:
    t = table.set_index(["theme", "product"])
    row = t.loc[("fee", "hub")]
    # 2x2 over the 10 contacts: fee&hub 4, hub not fee 1, fee not hub 1, neither 4
    assert row["test"] == "fisher"
    assert row["p_value"] == pytest.approx(sp.fisher_exact([[4, 1], [1, 4]]).pvalue)
    matrix = np.array([[4, 1], [1, 3]])  # themes (fee, outage) x products (hub, tv)
    delta, z = log_odds_dirichlet(matrix, prior_strength=50.0)
    assert row["log_odds"] == pytest.approx(delta[0, 0])
    assert row["z"] == pytest.approx(z[0, 0])
    q = benjamini_hochberg(table["p_value"].to_numpy(dtype=float))
    assert np.allclose(table["q_value"].to_numpy(dtype=float), q)
    assert table["z"].is_monotonic_decreasing


def test_min_contacts_and_significance_flag() -> None:
    found = grievance_frame([{"interaction_id": i, "themes": th, "products": pr} for i, _, _, th, pr in ROWS])
    table = hi.link(found, ("theme", "product"), min_contacts=2)
    assert set(map(tuple, table[["theme", "product"]].to_numpy().tolist())) == {
        ("fee", "hub"),
        ("outage", "tv"),
    }
    assert not table["is_significant"].any()  # 10 contacts are too few after the correction
    assert table["n_customers"].tolist() == [0, 0]  # no customer ids given


@pytest.mark.parametrize(
    "by,code",
    [
        (("theme",), "E550"),
        (("theme", "product", "policy"), "E550"),
        (("theme", "mood"), "E552"),
        (("theme", "theme"), "E550"),
    ],
)
def test_bad_dimensions(by: tuple[str, ...], code: str) -> None:
    found = grievance_frame([{"interaction_id": "1", "themes": ["fee"], "products": ["hub"]}])
    with pytest.raises(ConfigError, match=code):
        hi.link(found, by)


@pytest.mark.parametrize(
    "kwargs", [{"min_contacts": 0}, {"prior_strength": 0}, {"alpha": 2}, {"recurring_weeks": 0}]
)
def test_bad_parameters(kwargs: dict[str, object]) -> None:
    found = grievance_frame([{"interaction_id": "1", "themes": ["fee"], "products": ["hub"]}])
    with pytest.raises(ConfigError, match="E550"):
        hi.link(found, **kwargs)  # type: ignore[arg-type]


def test_contact_dimensions_and_meta_fields() -> None:
    contacts = contacts_frame(
        [
            {"id": "1", "channel": "call", "meta": {"company": "Acme"}},
            {"id": "2", "channel": "chat", "meta": {"company": "Acme"}},
            {"id": "3", "channel": "chat", "meta": {"company": "Bolt"}},
        ]
    )
    found = grievance_frame(
        [
            {"interaction_id": "1", "themes": ["fee"]},
            {"interaction_id": "2", "themes": ["fee"]},
            {"interaction_id": "3", "themes": ["outage"]},
        ]
    )
    by_company = hi.link(found, ("theme", "meta.company"), corpus=contacts)
    assert by_company[["theme", "meta.company", "n_contacts"]].values.tolist() == [
        ["fee", "Acme", 2],
        ["outage", "Bolt", 1],
    ]
    by_channel = hi.link(found, ("channel", "theme"), corpus=contacts)
    assert set(by_channel["channel"]) == {"call", "chat"}


def test_topic_dimension_skips_outliers() -> None:
    found = grievance_frame(
        [
            {"interaction_id": "1", "topic": 3, "products": ["hub"]},
            {"interaction_id": "2", "topic": -1, "products": ["hub"]},
            {"interaction_id": "3", "topic": None, "products": ["hub"]},
        ]
    )
    table = hi.link(found, ("topic", "product"))
    assert table[["topic", "product", "n_contacts", "n_contacts_b"]].values.tolist() == [["3", "hub", 1, 3]]


def test_empty_and_single() -> None:
    empty = hi.link(grievance_frame([{"interaction_id": "1", "themes": ["fee"], "products": []}]))
    assert len(empty) == 0 and list(empty.columns)[2:] == list(LINK_COLUMNS)
    one = hi.link(grievance_frame([{"interaction_id": "1", "themes": ["fee"], "products": ["hub"]}]))
    assert one["lift"].tolist() == [1.0]
    assert math.isnan(one["p_value"].astype(float).iloc[0])  # a 2x2 table with an empty row: no test

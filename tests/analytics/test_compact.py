"""Int-code helpers of the ranking and link tables, and what the analytics keep on a prepared context.

The report runs ``rank_grievances`` three times and ``link`` once on the same
prepared quarter; these tests pin down that the shortcuts that keep that cheap
(int codes in place of object columns, small per-context caches) give exactly
the tables the plain computation gives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.analytics._frames import combine_codes, count_distinct, first_of, sorted_codes
from hotline_insight.analytics.links import contacts_per_value

from .conftest import contacts_frame, grievance_frame


@pytest.mark.parametrize(
    ("values", "codes", "names"),
    [
        (["b", "a", "b", "c"], [1, 0, 1, 2], ["a", "b", "c"]),
        (["x"], [0], ["x"]),
        ([], [], []),
        (["b", None, "a"], [1, -1, 0], ["a", "b"]),  # a missing value is -1
        (["Z", "a", "B"], [1, 2, 0], ["B", "Z", "a"]),  # code points order, as a sorted group-by
    ],
)
def test_sorted_codes(values: list[str | None], codes: list[int], names: list[str]) -> None:
    got_codes, got_names = sorted_codes(np.array(values, dtype=object))
    assert got_codes.dtype == np.int64
    assert got_codes.tolist() == codes
    assert got_names.tolist() == names


@pytest.mark.parametrize(
    ("columns", "key", "first"),
    [
        ([[0, 0, 1, 1], [1, 0, 1, 1]], [1, 0, 3, 3], [True, True, True, False]),
        ([[2, 2, 2]], [2, 2, 2], [True, False, False]),
        ([[0, 1], [0, 0], [3, 3]], [3, 7], [True, True]),
        ([[], []], [], []),
    ],
)
def test_combine_codes_and_first_of(columns: list[list[int]], key: list[int], first: list[bool]) -> None:
    arrays = [np.array(c, dtype=np.int64) for c in columns]
    assert combine_codes(*arrays).tolist() == key
    assert first_of(*arrays).tolist() == first


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 3), st.integers(0, 40)),
        max_size=60,
    )
)
def test_first_of_is_drop_duplicates_and_keys_sort_like_the_columns(rows: list[tuple[int, int, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=np.int64)
    arrays = [frame[c].to_numpy() for c in frame.columns]
    expected = ~frame.duplicated().to_numpy()
    assert first_of(*arrays).tolist() == expected.tolist()
    key = combine_codes(*arrays)
    by_key = frame.iloc[np.argsort(key, kind="stable")]
    by_columns = frame.sort_values(["a", "b", "c"], kind="stable")
    assert by_key.to_numpy().tolist() == by_columns.to_numpy().tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 30)), max_size=50))
def test_count_distinct_is_nunique_per_position(rows: list[tuple[int, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["at", "other"], dtype=np.int64)
    expected = frame.groupby("at")["other"].nunique().reindex(range(6), fill_value=0).tolist()
    got = count_distinct(frame["at"].to_numpy(), frame["other"].to_numpy(), 6)
    assert got.dtype == np.int64
    assert got.tolist() == expected


def test_combine_codes_renumbers_beyond_int64() -> None:
    big = np.array([2**40, 0, 2**40], dtype=np.int64)
    other = np.array([2**30, 5, 2**30], dtype=np.int64)
    key = combine_codes(big, other)
    assert key[0] == key[2] != key[1]
    assert key[1] < key[0]  # the order of the columns is kept


@pytest.fixture
def inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    contacts = contacts_frame(
        [
            {"id": str(i), "customer_id": c, "channel": ch, "created_at": t}
            for i, (c, ch, t) in enumerate(
                [
                    ("A", "call", "2026-01-05"),
                    ("A", "chat", "2026-01-07"),
                    ("B", "call", "2026-01-20"),
                    ("C", "email", "2026-02-03"),
                    ("D", "call", "2026-02-10"),
                    (None, "chat", "2026-02-18"),
                    ("E", "call", "2026-03-02"),
                ]
            )
        ]
    )
    found = grievance_frame(
        [
            {"interaction_id": "0", "themes": ["fee", "outage"], "products": ["hub"], "policies": ["p1"]},
            {"interaction_id": "0", "themes": ["fee"], "products": ["hub", "tv"], "policies": []},
            {"interaction_id": "1", "themes": ["fee"], "products": ["hub"], "policies": ["p1"]},
            {"interaction_id": "2", "themes": ["outage"], "products": ["tv"], "policies": []},
            {"interaction_id": "3", "themes": ["outage"], "products": ["tv"], "policies": ["p2"]},
            {"interaction_id": "4", "themes": ["billing"], "products": [], "policies": ["p2"]},
            {"interaction_id": "5", "themes": ["outage"], "products": ["tv"], "policies": []},
            {"interaction_id": "6", "themes": ["fee"], "products": ["hub"], "policies": ["p1"]},
        ]
    )
    table = pd.DataFrame({"customer_id": list("ABCDE"), "value": [500.0, 10.0, 20.0, 30.0, 40.0]})
    return contacts, found, table


def test_contacts_per_value(inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    contacts, found, table = inputs
    data = hi.prepare_analysis(contacts, found, table)
    themes = contacts_per_value(data._context, "theme")
    assert themes.to_dict() == {"fee": 3, "outage": 4, "billing": 1}  # contact 0 counts once for fee
    assert contacts_per_value(data._context, "policy").to_dict() == {"p1": 3, "p2": 2}


def test_link_tables_are_kept_small_and_handed_out_as_copies(
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    contacts, found, table = inputs
    data = hi.prepare_analysis(contacts, found, table)
    first = hi.link(data, ("theme", "product"))
    first.loc[0, "n_contacts"] = 999  # a caller changing its table changes no later one
    first.attrs["notes"].append("changed")
    again = hi.link(data, ("theme", "product"))
    fresh = hi.link(found, ("theme", "product"), corpus=contacts, customers_table=table)
    pd.testing.assert_frame_equal(again, fresh)
    assert again.attrs == fresh.attrs
    other = hi.link(data, ("theme", "product"), min_contacts=2)  # other settings: its own table
    assert other["n_contacts"].min() >= 2 and len(other) < len(fresh)
    kept = [v for k, v in data._context.cache.items() if isinstance(k, tuple) and k[0] == "link_table"]
    assert len(kept) == 2 and all(len(v) <= len(fresh) for v in kept)


@pytest.mark.parametrize("order", [("theme", "product", "policy"), ("policy", "topic", "theme", "product")])
def test_rankings_on_one_context_match_fresh_ones(
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], order: tuple[str, ...]
) -> None:
    contacts, found, table = inputs
    data = hi.prepare_analysis(contacts, found, table)
    for by in order:
        shared = hi.rank_grievances(data, by=by)
        fresh = hi.rank_grievances(contacts, found, customers_table=table, by=by)
        pd.testing.assert_frame_equal(shared, fresh)
    cache = data._context.cache
    # the repeat-contact episodes table is not kept: only the per-kind columns resolution needs
    assert not any(isinstance(k, tuple) and k[0] == "episodes" for k in cache)
    units = next(v for k, v in cache.items() if isinstance(k, tuple) and k[0] == "rank_repeat_units")
    assert set(units) == {"theme", "product", "policy", "topic"}
    assert list(units["theme"].columns) == ["first_row", "value", "is_repeat", "is_followed", "is_censored"]
    assert units["theme"]["first_row"].dtype == np.int32


def test_ranking_figures_by_hand(inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    contacts, found, table = inputs
    ranked = hi.rank_grievances(contacts, found, customers_table=table, by="theme").set_index("theme")
    fee = ranked.loc["fee"]
    # contacts 0, 1 (A) and 6 (E); grievances: two in contact 0, one each in 1 and 6
    assert (fee["n_contacts"], fee["n_grievances"], fee["n_customers"]) == (3, 4, 2)
    assert fee["value_at_risk"] == 540.0 and fee["n_top_decile"] == 1
    outage = ranked.loc["outage"]
    # contacts 0 (A), 2 (B), 3 (C) and 5 (anonymous)
    assert (outage["n_contacts"], outage["n_customers"], outage["value_at_risk"]) == (4, 3, 530.0)
    assert ranked.index.tolist() == ["fee", "outage", "billing"]
    pair = hi.rank_grievances(contacts, found, customers_table=table, by=("theme", "product"))
    # fee|tv and outage|hub tie on value (A alone), customers and contacts: the theme's name decides
    assert pair[["theme", "product", "n_contacts", "n_grievances", "value_at_risk"]].values.tolist() == [
        ["fee", "hub", 3, 4, 540.0],
        ["fee", "tv", 1, 1, 500.0],
        ["outage", "hub", 1, 1, 500.0],
        ["outage", "tv", 3, 3, 30.0],
    ]


def test_customers_names_anonymous_units_and_sorts_channels() -> None:
    contacts = contacts_frame(
        [
            {"id": "z9", "customer_id": None, "channel": "chat", "created_at": "2026-01-01"},
            {"id": "c1", "customer_id": "B", "channel": "email", "created_at": "2026-01-02"},
            {"id": "c2", "customer_id": "B", "channel": "call", "created_at": "2026-01-03"},
            {"id": "c3", "customer_id": "B", "channel": "email", "created_at": "2026-01-04"},
            {"id": "a1\x00", "customer_id": None, "channel": None, "created_at": "2026-01-05"},
            {"id": "c4", "customer_id": "A", "channel": "Chat", "created_at": "2026-01-06"},
        ]
    )
    table = hi.customers(contacts)
    assert table["customer_id"].tolist() == ["A", "B", "anonymous:a1", "anonymous:z9"]
    assert table["channels"].tolist() == [["Chat"], ["call", "email"], [], ["chat"]]
    assert table["n_contacts"].tolist() == [1, 3, 1, 1]
    assert table["n_channels"].tolist() == [1, 2, 0, 1]
    assert contacts["customer_id"].isna().sum() == 2  # the input is left as it was


def test_customers_keep_a_customer_named_like_an_anonymous_unit_as_one_unit() -> None:
    contacts = contacts_frame(
        [
            {"id": "z9", "customer_id": None, "channel": "chat", "created_at": "2026-01-01"},
            {"id": "c1", "customer_id": "anonymous:z9", "channel": "call", "created_at": "2026-01-02"},
            {"id": "c2", "customer_id": "B", "channel": "call", "created_at": "2026-01-03"},
        ]
    )
    table = hi.customers(contacts)
    # the names are equal, so the rows are one unit, as grouping by name makes them
    assert table["customer_id"].tolist() == ["B", "anonymous:z9"]
    assert table["n_contacts"].tolist() == [1, 2]
    assert table["channels"].tolist() == [["call"], ["call", "chat"]]

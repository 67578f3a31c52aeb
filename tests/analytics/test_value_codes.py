"""The int-coded values behind the analytics: dim_values, the grievance join, and _Series counted from codes.

The counts of ``_Series`` are checked against a plain pandas reference (the
drop-duplicates-over-names way of counting), on hand-made cases and on
random ones: same keys in the same order, same matrices.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_insight.analytics._frames import (
    DimValues,
    build_context,
    combined_key,
    combined_values,
    dense_codes,
    dim_values,
    factorize_in_chunks,
    grievance_values,
    join_on_grievance,
    period_ordinals,
    unique_pairs,
)
from hotline_insight.analytics.trends import _Series
from hotline_insight.errors import HotlineWarning

from .conftest import Sample


def _context(grievances: pd.DataFrame, corpus: pd.DataFrame | None = None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HotlineWarning)
        return build_context("trends", grievances, corpus=corpus)


def _merged(ctx: Any, dims: tuple[str, ...]) -> pd.DataFrame:
    """Reference: the dimensions' long frames merged on the grievance with pandas."""
    frames = [grievance_values(ctx, d).drop(columns="code").rename(columns={"value": d}) for d in dims]
    out = frames[0]
    for extra in frames[1:]:
        out = out.merge(extra.drop(columns="row"), on="g", how="inner")
    return out.reset_index(drop=True)


def _reference(
    ctx: Any, dims: tuple[str, ...], freq: str, until: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Reference counts: keys sorted by name, then contacts, grievances and customers per key and period."""
    times = ctx.contacts["created_at"]
    if until is not None:
        times = times.where(times < until)
    period = period_ordinals(times, freq)
    first = int(period[period >= 0].min()) if ctx.has_corpus else None
    values = _merged(ctx, dims)
    values = values[period[values["row"].to_numpy()] >= 0]
    if first is None:
        rows = np.unique(ctx.grievances["row"].to_numpy())
        first = int(period[rows][period[rows] >= 0].min())
    values = values.assign(period=period[values["row"].to_numpy()] - first)
    keys = values[list(dims)].drop_duplicates().sort_values(list(dims), ignore_index=True).astype(str)
    index = pd.MultiIndex.from_frame(keys)
    n_periods = int(period.max()) - first + 1

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        out = np.zeros((len(keys), n_periods))
        code = index.get_indexer(pd.MultiIndex.from_frame(frame[list(dims)].astype(str)))
        np.add.at(out, (code, frame["period"].to_numpy()), 1)
        return out

    contact_level = values.drop_duplicates(["row", *dims])
    customer = ctx.contacts["customer"].astype("object").to_numpy()[contact_level["row"].to_numpy()]
    known = contact_level.assign(_c=customer).dropna(subset=["_c"]).drop_duplicates([*dims, "period", "_c"])
    return keys, matrix(contact_level), matrix(values.drop_duplicates(["g", *dims])), matrix(known)


def _assert_series_match(
    ctx: Any, dims: tuple[str, ...], freq: str, until: pd.Timestamp | None = None
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HotlineWarning)
        series = _Series(ctx, dims, freq, "contacts", "UTC", until=until)
    keys, counts, grievances, customers = _reference(ctx, dims, freq, until)
    pd.testing.assert_frame_equal(series.keys, keys, check_exact=True)
    for got, expected in (
        (series.counts, counts),
        (series.grievances, grievances),
        (series.customers, customers),
    ):
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got[:, : expected.shape[1]], expected)
        assert not got[:, expected.shape[1] :].any()


# -- dim_values and the frames built from it ------------------------------------------------


def test_dim_values_are_compact_cached_and_deduplicated() -> None:
    found = pd.DataFrame(
        {
            "interaction_id": ["a", "b", "c", "d", "e"],
            "themes": [["fee", "outage"], [], ["fee", "fee"], "outage", None],
        }
    )
    ctx = _context(found)
    values = dim_values(ctx, "theme")
    assert isinstance(values, DimValues) and len(values) == 4
    assert values.g.tolist() == [0, 0, 2, 3] and values.code.tolist() == [0, 1, 0, 1]
    assert values.names.tolist() == ["fee", "outage"] and values.names.dtype == object
    assert values.g.dtype == np.int32 and values.code.dtype == np.int32
    assert dim_values(ctx, "theme") is values  # cached on the context
    frame = grievance_values(ctx, "theme")
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "g": "int64",
        "row": "int64",
        "value": "object",
        "code": "int64",
    }
    assert frame.to_dict("list") == {
        "g": [0, 0, 2, 3],
        "row": [0, 0, 2, 3],
        "value": ["fee", "outage", "fee", "outage"],
        "code": [0, 1, 0, 1],
    }
    frame.loc[0, "value"] = "changed"  # a caller's frame is its own
    assert grievance_values(ctx, "theme")["value"].tolist()[0] == "fee"


@pytest.mark.parametrize(
    ("dim", "g", "names"),
    [
        ("topic", [0, 2], ["3", "1"]),  # negative (outlier) and missing topics have no value
        ("channel", [0, 1, 3], ["phone", "chat"]),  # a contact field, per grievance
    ],
)
def test_dim_values_of_topics_and_contact_fields(dim: str, g: list[int], names: list[str]) -> None:
    found = pd.DataFrame(
        {
            "interaction_id": ["a", "b", "c", "d"],
            "topic": [3, -1, 1, None],
            "channel": ["phone", "chat", None, "phone"],
        }
    )
    values = dim_values(_context(found), dim)
    assert values.g.tolist() == g and values.names.tolist() == names


def test_values_of_equal_names_keep_their_own_codes() -> None:
    # 1 and "1" are two values with one name: each keeps its code, as grievance_values always gave them
    found = pd.DataFrame({"interaction_id": ["a", "b"], "themes": [[1, "1"], ["1"]]})
    frame = grievance_values(_context(found), "theme")
    assert frame[["g", "value", "code"]].values.tolist() == [[0, "1", 0], [0, "1", 1], [1, "1", 1]]


def test_combined_values_on_the_sample_match_a_pandas_merge(sample: Sample) -> None:
    ctx = sample.data._context
    for dims in [("theme",), ("product", "theme"), ("theme", "product"), ("policy", "theme", "product")]:
        pd.testing.assert_frame_equal(combined_values(ctx, dims), _merged(ctx, dims), check_exact=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), max_size=3), min_size=1, max_size=12),
    st.lists(st.lists(st.integers(0, 3), max_size=3), min_size=1, max_size=12),
)
def test_join_on_grievance_orders_rows_as_merge_does(left: list[list[int]], right: list[list[int]]) -> None:
    n = min(len(left), len(right))
    a = pd.DataFrame(
        [(g, v) for g, vs in enumerate(left[:n]) for v in dict.fromkeys(vs)],
        columns=["g", "a"],
        dtype=np.int64,
    )
    b = pd.DataFrame(
        [(g, v) for g, vs in enumerate(right[:n]) for v in dict.fromkeys(vs)],
        columns=["g", "b"],
        dtype=np.int64,
    )
    g, (ia, ib) = join_on_grievance([a["g"].to_numpy(), b["g"].to_numpy()], n)
    merged = a.merge(b, on="g", how="inner")
    assert g.tolist() == merged["g"].tolist()
    assert a["a"].to_numpy()[ia].tolist() == merged["a"].tolist()
    assert b["b"].to_numpy()[ib].tolist() == merged["b"].tolist()


# -- the int helpers ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "é", None, float("nan"), 1, 2.0]), max_size=40),
    st.integers(1, 12),
)
def test_factorize_in_chunks_is_pandas_factorize(values: list[Any], chunk: int) -> None:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    codes, uniques = pd.factorize(array)
    got_codes, got_uniques = factorize_in_chunks(array, chunk=chunk)
    assert got_codes.dtype == np.int64 and got_codes.tolist() == codes.tolist()
    assert [repr(u) for u in got_uniques] == [repr(u) for u in uniques]


@pytest.mark.parametrize(
    ("values", "codes", "uniques"),
    [
        ([], [], []),
        ([None, None, None], [-1, -1, -1], []),  # a chunk with no value at all
        ([7, 3, 7, 9, 3], [0, 1, 0, 2, 1], [7, 3, 9]),  # ints keep their dtype
    ],
)
def test_factorize_in_chunks_edges(values: list[Any], codes: list[int], uniques: list[Any]) -> None:
    array = np.array(values, dtype=object if None in values or not values else np.int64)
    got_codes, got_uniques = factorize_in_chunks(array, chunk=2)
    assert got_codes.tolist() == codes and got_uniques.tolist() == uniques


@pytest.mark.parametrize(
    ("a", "b", "n_b", "expected"),
    [
        ([], [], 3, ([], [])),
        ([2, 0, 2, 0, 1], [1, 1, 1, 0, 0], 2, ([0, 0, 1, 2], [0, 1, 0, 1])),
        ([2**61, 5, 2**61], [3, 0, 3], 2**10, ([5, 2**61], [0, 3])),  # no room for a * n_b + b: sorted pairs
    ],
)
def testunique_pairs(a: list[int], b: list[int], n_b: int, expected: tuple[list[int], list[int]]) -> None:
    got_a, got_b = unique_pairs(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), n_b)
    assert (got_a.tolist(), got_b.tolist()) == expected


@pytest.mark.parametrize(
    "sizes",
    [[3, 4], [2**40, 2**40]],  # the second has no room for one radix key: the tuples are numbered
)
def test_combined_key_keeps_tuple_order_and_decodes(sizes: list[int]) -> None:
    first = np.array([2, 0, 2, 1, 0], dtype=np.int64)
    second = np.array([1, 3, 0, 3, 3], dtype=np.int64)
    key, decode = combined_key([first, second], sizes)
    order = np.lexsort((second, first))
    assert np.all(np.diff(key[order]) >= 0)  # keys sort as the (first, second) tuples
    assert key[1] == key[4] and len(set(key.tolist())) == 4
    back = decode(key)
    assert back[0].tolist() == first.tolist() and back[1].tolist() == second.tolist()


@pytest.mark.parametrize("key", [[5, 1, 5, 3], [2**40, 7, 2**40]])  # a table, then a sort
def test_dense_codes_are_unique_with_inverse(key: list[int]) -> None:
    present, position = dense_codes(np.array(key, dtype=np.int64))
    expected, inverse = np.unique(key, return_inverse=True)
    assert present.tolist() == expected.tolist() and position.tolist() == inverse.tolist()


# -- _Series from codes against the pandas reference ----------------------------------------


def test_series_on_the_sample_matches_the_reference(sample: Sample) -> None:
    ctx = sample.data._context
    for dims in [("theme",), ("product", "theme"), ("channel", "policy")]:
        _assert_series_match(ctx, dims, "month")
    _assert_series_match(ctx, ("theme",), "week", until=pd.Timestamp("2026-02-01", tz="UTC"))


def test_series_counts_by_hand() -> None:
    contacts = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4"],
            "created_at": pd.to_datetime(
                pd.Series(["2026-01-05", "2026-01-20", "2026-02-03", None]), utc=True
            ),
            "customer_id": ["c1", "c1", None, "c2"],
        }
    )
    found = pd.DataFrame(
        {
            "interaction_id": ["1", "1", "2", "3", "4"],
            "themes": [["fee"], ["fee", "outage"], ["fee"], ["outage"], ["fee"]],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HotlineWarning)
        series = _Series(_context(found, contacts), ("theme",), "month", "contacts", "UTC")
    assert series.keys["theme"].tolist() == ["fee", "outage"]
    assert series.counts.tolist() == [[2, 0], [1, 1]]  # contact 1 counts once for fee; 4 is undated
    assert series.grievances.tolist() == [[3, 0], [1, 1]]
    assert series.customers.tolist() == [[1, 0], [1, 0]]  # c1 twice in January; contact 3 has no customer


_NAMES = st.sampled_from(["fee", "outage", "roaming", "Zed", "é", "1", 1])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 7),  # contact
            st.lists(_NAMES, max_size=3),  # themes
            st.lists(st.sampled_from(["router", "plan"]), max_size=2),  # products
        ),
        min_size=1,
        max_size=25,
    ),
    st.lists(st.sampled_from([None, "c1", "c2", "c3"]), min_size=8, max_size=8),
    st.lists(st.integers(-1, 70), min_size=8, max_size=8),
    st.sampled_from(["week", "month"]),
    st.booleans(),
)
def test_series_matches_the_reference(
    rows: list[tuple[int, list[Any], list[str]]],
    customers: list[str | None],
    days: list[int],
    freq: str,
    cut: bool,
) -> None:
    start = pd.Timestamp("2026-01-01", tz="UTC")
    contacts = pd.DataFrame(
        {
            "id": [str(i) for i in range(8)],
            "created_at": [start + pd.Timedelta(days=d) if d >= 0 else pd.NaT for d in days],
            "channel": ["phone", "chat"] * 4,
            "customer_id": customers,
        }
    )
    contacts.loc[0, "created_at"] = start  # at least one dated contact
    found = pd.DataFrame(
        {
            "interaction_id": [str(r[0]) for r in rows],
            "themes": [r[1] for r in rows],
            "products": [r[2] for r in rows],
        }
    )
    ctx = _context(found, contacts)
    until = start + pd.Timedelta(days=30) if cut else None
    for dims in [("theme",), ("product", "theme"), ("theme", "channel")]:
        _assert_series_match(ctx, dims, freq, until)

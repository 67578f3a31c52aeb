"""Customers across channels: identity resolution, the customers table, value, history, holdings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.analytics.customers import CUSTOMER_COLUMNS, find_promises
from hotline_insight.errors import ConfigError, HotlineWarning

from .conftest import Sample, check_schema, contacts_frame, grievance_frame


def resolved(frame: pd.DataFrame, **kwargs: object) -> dict[str, str]:
    ids = hi.resolve_customers(frame, **kwargs)  # type: ignore[arg-type]
    return dict(zip(ids.contacts["interaction_id"], ids.contacts["customer_id"], strict=True))


@pytest.mark.parametrize(
    "rows,kwargs,expected",
    [
        # the same CRM id in two channels: one customer
        (
            [
                {"id": "c1", "source_format": "plain_text", "customer_id": "C1"},
                {"id": "h1", "source_format": "utterances_jsonl", "customer_id": "C1"},
            ],
            {},
            {"c1": "C1", "h1": "C1"},
        ),
        # a ticketing system's requester id is its own id space: "7" there is not CRM "7"
        (
            [
                {"id": "c1", "source_format": "plain_text", "customer_id": "7"},
                {"id": "t1", "source_format": "zendesk_json", "customer_id": "7"},
            ],
            {},
            {"c1": "7", "t1": "zendesk:7"},
        ),
        # ... unless told otherwise
        (
            [
                {"id": "c1", "source_format": "plain_text", "customer_id": "7"},
                {"id": "t1", "source_format": "zendesk_json", "customer_id": "7"},
            ],
            {"id_spaces": {}},
            {"c1": "7", "t1": "7"},
        ),
        # a hashed phone joins a requester to the CRM customer
        (
            [
                {
                    "id": "c1",
                    "source_format": "plain_text",
                    "customer_id": "C1",
                    "customer_keys": ["phone:a"],
                },
                {
                    "id": "t1",
                    "source_format": "zendesk_json",
                    "customer_id": "501",
                    "customer_keys": ["phone:a"],
                },
            ],
            {},
            {"c1": "C1", "t1": "C1"},
        ),
        # a key alone identifies a customer, named by the key (hashed, never in clear)
        (
            [
                {"id": "x1", "source_format": "plain_text", "customer_keys": ["email:e"]},
                {"id": "x2", "source_format": "plain_text", "customer_keys": ["email:e"]},
            ],
            {},
            {"x1": "email:e", "x2": "email:e"},
        ),
        # a meta field naming the CRM id (picked automatically: it matches known ids)
        (
            [{"id": f"c{i}", "source_format": "plain_text", "customer_id": f"C{i}"} for i in range(3)]
            + [
                {
                    "id": f"t{i}",
                    "source_format": "zendesk_json",
                    "customer_id": str(100 + i),
                    "meta": {"custom_fields": {"99": f"C{i}"}},
                }
                for i in range(3)
            ],
            {},
            {"c0": "C0", "c1": "C1", "c2": "C2", "t0": "C0", "t1": "C1", "t2": "C2"},
        ),
        # the most frequent CRM id names a customer seen with two (a duplicate record joined by a field)
        (
            [
                {"id": "a", "source_format": "plain_text", "customer_id": "C2"},
                {"id": "b", "source_format": "plain_text", "customer_id": "C2"},
                {"id": "c", "source_format": "plain_text", "customer_id": "C1", "meta": {"crm": "C2"}},
            ],
            {"id_fields": ["crm"]},
            {"a": "C2", "b": "C2", "c": "C2"},
        ),
    ],
)
def test_identity_rules(
    rows: list[dict[str, object]], kwargs: dict[str, object], expected: dict[str, str]
) -> None:
    frame = contacts_frame(rows)
    assert resolved(frame, **kwargs) == expected


def _as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """The contacts as a store gives them back: meta through meta_ids (values hashed)."""
    from hotline_insight.store.schema import meta_from_ids, meta_ids

    return frame.assign(meta=[meta_from_ids(meta_ids(m)) for m in frame["meta"]])


@pytest.mark.parametrize("id_fields", ["auto", ["custom_fields.99"]])
@pytest.mark.parametrize("with_table", [False, True])
def test_meta_ids_hashed_by_the_store_resolve_as_the_raw_values(id_fields: object, with_table: bool) -> None:
    rows = [{"id": f"c{i}", "source_format": "plain_text", "customer_id": f"C{i}"} for i in range(4)] + [
        {
            "id": f"t{i}",
            "source_format": "zendesk_json",
            "customer_id": str(100 + i),
            "meta": {"custom_fields": {"99": f"C{i % 4}"}, "submitter_id": 100 + i},
        }
        for i in range(6)
    ]
    rows.append(  # a CRM id only the customers table knows
        {
            "id": "t9",
            "source_format": "zendesk_json",
            "customer_id": "900",
            "meta": {"custom_fields": {"99": "C9"}},
        }
    )
    frame = contacts_frame(rows)
    table = pd.DataFrame({"customer_id": ["C9"]}) if with_table else None
    raw = resolved(frame, customers_table=table, id_fields=id_fields)
    stored = resolved(_as_stored(frame), customers_table=table, id_fields=id_fields)
    assert raw["t5"] == "C1" and raw["t9"] == "C9"
    if with_table:
        assert stored == raw
    else:  # C9 is known nowhere but in the field: the same grouping, labelled by the hash
        assert {k: v for k, v in stored.items() if k != "t9"} == {k: v for k, v in raw.items() if k != "t9"}
        assert stored["t9"].startswith("meta:") and "C9" not in stored["t9"]
    # the hashed form still joins contacts to each other when no id is known for it
    mixed = contacts_frame([rows[4], {**rows[4], "id": "t0b", "customer_id": "555"}])
    assert len(set(resolved(_as_stored(mixed), id_fields=["custom_fields.99"]).values())) == 1


def test_customers_table_ids_name_the_customer_and_account_numbers_are_hashed() -> None:
    frame = contacts_frame(
        [
            {
                "id": "t1",
                "source_format": "salesforce_case",
                "customer_id": "001A",
                "meta": {"acct": "12345678"},
            },
            {"id": "c1", "source_format": "plain_text", "customer_id": None, "meta": {"acct": "12345678"}},
            {"id": "c2", "source_format": "plain_text", "customer_keys": ["email:z"]},
        ]
    )
    table = pd.DataFrame({"customer_id": ["CRM-9"], "keys": [["email:z"]]})
    ids = hi.resolve_customers(frame, table, account_fields=["acct"])
    got = dict(zip(ids.contacts["interaction_id"], ids.contacts["customer_id"], strict=True))
    assert got["c2"] == "CRM-9"
    assert got["t1"] == got["c1"] == "salesforce:001A"
    assert "12345678" not in repr(ids._anchors)  # the account number is kept hashed only


def test_switchboard_key_is_not_used_to_merge_and_is_reported() -> None:
    rows = [
        {
            "id": f"c{i}",
            "source_format": "plain_text",
            "customer_id": f"C{i}",
            "customer_keys": ["phone:board"],
        }
        for i in range(5)
    ]
    rows.append({"id": "anon", "source_format": "plain_text", "customer_keys": ["phone:board"]})
    frame = contacts_frame(rows)
    with pytest.warns(HotlineWarning, match=r"\[W301\]"):
        ids = hi.resolve_customers(frame)
    got = dict(zip(ids.contacts["interaction_id"], ids.contacts["customer_id"], strict=True))
    assert [got[f"c{i}"] for i in range(5)] == [f"C{i}" for i in range(5)]
    assert got["anon"] == "anonymous:anon"  # its only key is shared: never merged
    assert ids.shared_keys.to_dict("records") == [
        {"key": "phone:board", "kind": "phone", "n_customers": 5, "n_contacts": 6}
    ]
    assert ids.summary["n_shared_keys"] == 1
    # raising the limit merges them all
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        merged = hi.resolve_customers(frame, max_customers_per_key=5)
    assert merged.contacts["customer_id"].nunique() == 1


def test_anonymous_contacts_are_units_of_one_and_counted() -> None:
    frame = contacts_frame(
        [{"id": "a", "customer_id": None}, {"id": "b", "customer_id": ""}, {"id": "c", "customer_id": "C1"}]
    )
    ids = hi.resolve_customers(frame)
    assert ids.contacts["customer_id"].tolist() == ["anonymous:a", "anonymous:b", "C1"]
    assert ids.contacts["is_anonymous"].tolist() == [True, True, False]
    assert ids.summary["n_anonymous_contacts"] == 2 and ids.summary["n_customers"] == 1


def test_customer_of_accepts_source_ids_and_keys() -> None:
    frame = contacts_frame(
        [
            {"id": "t", "source_format": "zendesk_json", "customer_id": "77", "customer_keys": ["phone:q"]},
            {"id": "c", "source_format": "plain_text", "customer_id": "C-77", "customer_keys": ["phone:q"]},
        ]
    )
    ids = hi.resolve_customers(frame)
    assert ids.customer_of("77", "zendesk_json") == "C-77"
    assert ids.customer_of("phone:q") == "C-77"
    assert ids.customer_of("C-77") == "C-77"
    assert ids.customer_of("nobody") is None


@pytest.mark.parametrize(
    "kwargs,message",
    [({"max_customers_per_key": 0}, "E550"), ({"max_customers_per_key": 1.5}, "E550")],
)
def test_resolve_rejects_bad_parameters(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        hi.resolve_customers(contacts_frame([{"id": "a"}]), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "table",
    [
        pd.DataFrame({"id": ["x"]}),
        pd.DataFrame({"customer_id": ["x", "x"]}),
        pd.DataFrame({"customer_id": [None]}),
    ],
)
def test_resolve_rejects_a_table_not_from_read_customers(table: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="E559"):
        hi.resolve_customers(contacts_frame([{"id": "a"}]), table)


def test_customers_table_values_and_fallbacks() -> None:
    frame = contacts_frame(
        [
            {"id": "1", "customer_id": "A", "channel": "call", "created_at": "2026-01-01"},
            {"id": "2", "customer_id": "A", "channel": "email", "created_at": "2026-01-03"},
            {"id": "3", "customer_id": "B", "channel": "chat", "created_at": "2026-01-02"},
            {"id": "4", "customer_id": "C", "channel": "call", "created_at": "2026-01-02"},
            {"id": "5", "customer_id": "Z", "channel": "call", "created_at": None},
            {"id": "6", "customer_id": None, "channel": "chat", "created_at": "2026-01-04"},
        ]
    )
    table = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "segment": ["gold", "gold", "basic", "gold"],
            "value": [100.0, np.nan, np.nan, 300.0],
        }
    )
    found = grievance_frame(
        [
            {"interaction_id": "1", "themes": ["fee"]},
            {"interaction_id": "1", "themes": ["x"]},
            {"interaction_id": "3", "themes": ["fee"]},
        ]
    )
    out = hi.customers(frame, table, grievances=found)
    check_schema(out, CUSTOMER_COLUMNS)
    rows = out.set_index("customer_id")
    assert rows.loc["A", "value"] == 100.0 and rows.loc["A", "value_source"] == "table"
    assert (
        rows.loc["B", "value"] == 200.0 and rows.loc["B", "value_source"] == "segment_median"
    )  # gold: 100, 300
    assert (
        rows.loc["C", "value"] == 200.0 and rows.loc["C", "value_source"] == "table_median"
    )  # no basic value
    assert rows.loc["Z", "value_source"] == "table_median" and not rows.loc["Z", "in_table"]
    assert rows.loc["D", "n_contacts"] == 0  # in the table, never in touch
    assert rows.loc["A", "channels"] == ["call", "email"] and rows.loc["A", "n_channels"] == 2
    assert (rows.loc["A", "n_grievances"], rows.loc["A", "n_grievance_contacts"]) == (2, 1)
    assert pd.isna(rows.loc["Z", "first_contact_at"])
    assert rows.loc["anonymous:6", "is_anonymous"] and pd.isna(rows.loc["anonymous:6", "value_decile"])
    assert list(out["customer_id"]) == ["A", "B", "C", "D", "Z", "anonymous:6"]
    assert rows.loc["D", "value_decile"] == 10 and rows.loc["D", "is_top_decile"]
    assert out.attrs["n_anonymous_contacts"] == 1
    assert len(hi.customers(frame, table, include_silent=False)) == 5


def test_customers_without_any_value_are_unweighted_and_have_no_decile() -> None:
    out = hi.customers(contacts_frame([{"id": "1", "customer_id": "A"}, {"id": "2", "customer_id": "B"}]))
    assert out["value"].tolist() == [1.0, 1.0]
    assert out["value_source"].tolist() == ["unweighted"] * 2
    assert out["value_decile"].isna().all() and not out["is_top_decile"].any()


def test_value_deciles() -> None:
    table = pd.DataFrame(
        {"customer_id": [f"C{i}" for i in range(20)], "value": [float(i) for i in range(20)]}
    )
    out = hi.customers(contacts_frame([{"id": "1", "customer_id": "C0"}]), table)
    deciles = out.set_index("customer_id")["value_decile"]
    assert [deciles[f"C{i}"] for i in range(20)] == [i // 2 + 1 for i in range(20)]
    assert out["is_top_decile"].sum() == 2


def test_single_interaction() -> None:
    out = hi.customers(contacts_frame([{"id": "only", "customer_id": "C1", "created_at": "2026-01-01"}]))
    assert out["n_contacts"].tolist() == [1]


def test_read_customers_holdings_and_holding_links(tmp_path: object) -> None:
    table = hi.read_customers(
        pd.DataFrame({"customer_id": ["A", "B"], "holdings": ["tv; phone | tv", None], "value": [1.0, 2.0]})
    )
    assert table["products"].tolist() == [["tv", "phone"], []]
    catalog = hi.Catalog.from_yaml(
        """
products:
  - {id: tv, name: TV box}
  - {id: phone, name: Home phone}
policies:
  - {id: fee, name: Caller ID fee, phrases: [caller id], products: [phone]}
  - {id: paper, name: Paper bill fee, phrases: [paper bill]}
"""
    )
    contacts = contacts_frame(
        [{"id": "1", "customer_id": "A"}, {"id": "2", "customer_id": "B"}, {"id": "3", "customer_id": "A"}]
    )
    found = grievance_frame(
        [
            {"interaction_id": "1", "themes": ["fees"], "policies": ["fee"], "products": []},
            {
                "interaction_id": "2",
                "themes": ["fees"],
                "policies": ["fee"],
                "products": [],
            },  # B holds nothing
            {"interaction_id": "3", "themes": ["fees"], "policies": ["paper"], "products": []},  # no products
        ]
    )
    links = hi.link(found, ("theme", "product"), corpus=contacts, customers_table=table, catalog=catalog)
    assert links[["theme", "product", "n_contacts", "n_via_holding"]].to_dict("records") == [
        {"theme": "fees", "product": "phone", "n_contacts": 1, "n_via_holding": 1}
    ]
    assert "1 grievance(s) linked to products through the customer's holdings" in links.attrs["notes"]
    # without the catalog, nothing is attributed
    assert hi.link(found, ("theme", "product"), corpus=contacts, customers_table=table).empty


@pytest.mark.parametrize(
    "text,expected",
    [
        ("I'll call you back within 24 hours.", [("call_back", "within 24 hours")]),
        (
            "we will refund the fee and i'll email you tomorrow",
            [("refund_or_credit", "tomorrow"), ("update", "tomorrow")],
        ),
        ("I've booked a callback for Friday.", [("call_back", "friday")]),
        ("You should hear from an engineer by end of day.", [("call_back", "by end of day")]),
        ("I'll turn off scheduled maintenance for now.", []),
        ("Is there anything else?", []),
    ],
)
def test_promises(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert find_promises(text) == expected


def test_customer_history_orders_channels_and_gives_context() -> None:
    from hotline_insight.records import Interaction, SourceRef, Turn

    def rec(
        id_: str,
        fmt: str,
        channel: str,
        when: str,
        customer: str,
        status: str | None,
        agent: str = "",
        keys: tuple[str, ...] = (),
    ) -> Interaction:
        turns = [Turn(position=0, role="customer", text="My bill is wrong again.")]
        if agent:
            turns.append(Turn(position=1, role="agent", text=agent))
        return Interaction(
            id=id_,
            source=SourceRef(format=fmt),
            channel=channel,  # type: ignore[arg-type]
            created_at=pd.Timestamp(when, tz="UTC").to_pydatetime(),
            customer_id=customer,
            status=status,
            turns=tuple(turns),
            customer_keys=keys,
        )

    corpus = hi.Corpus(
        [
            rec("t-2", "zendesk_json", "email", "2026-03-04 09:00", "501", "open", keys=("phone:p",)),
            rec(
                "c-1",
                "plain_text",
                "call",
                "2026-03-01 10:00",
                "C9",
                None,
                "I'll call you back tomorrow.",
                keys=("phone:p",),
            ),
            rec("c-0", "plain_text", "call", "2026-01-01 10:00", "C9", None),
            rec("x", "plain_text", "call", "2026-03-02 10:00", "C1", None),
        ]
    )
    found = grievance_frame(
        [
            {
                "interaction_id": "c-1",
                "source_format": "plain_text",
                "themes": ["billing_error"],
                "intensity": 0.3,
            },
            {
                "interaction_id": "t-2",
                "source_format": "zendesk_json",
                "themes": ["billing_error", "broken_promise"],
                "intensity": 0.8,
            },
            {
                "interaction_id": "c-0",
                "source_format": "plain_text",
                "themes": ["billing_error"],
                "intensity": 0.1,
            },
        ]
    )
    history = hi.customer_history(corpus, found, "C9")
    assert history.interactions["interaction_id"].tolist() == ["c-0", "c-1", "t-2"]
    assert history.interactions["channel"].tolist() == ["call", "call", "email"]
    assert history.interactions["is_repeat"].tolist() == [False, False, True]
    assert history.interactions["repeat_of"].tolist()[2] == "c-1"
    assert history.interactions["promises"].tolist() == [[], ["call_back (tomorrow)"], []]
    assert history.interactions["state"].tolist() == ["unknown", "unknown", "open"]
    problems = history.problems.set_index("problem")
    assert problems.loc["theme:billing_error", "n_contacts"] == 3
    assert problems.loc["theme:billing_error", "n_returns"] == 1  # c-0 was two months before: not a return
    assert history.summary["open_problems"] == ["theme:billing_error", "theme:broken_promise"]
    assert history.summary["returns"] == {"theme:billing_error": 1}
    assert history.promises["followed_by_complaint"].tolist() == [True]
    assert history.summary["open_promises"] == []
    assert history.summary["last_contact"]["interaction_id"] == "t-2"
    assert "Customer C9" in str(history) and "Came back: theme:billing_error x1" in str(history)
    # the ticketing system's own id finds the same customer
    assert hi.customer_history(corpus, found, "501").customer_id == "C9"
    # prepared inputs give the same history, promises included (the records are kept by reference)
    prepared = hi.customer_history(hi.prepare_analysis(corpus, found), None, "C9")
    pd.testing.assert_frame_equal(prepared.interactions, history.interactions)
    with pytest.raises(ConfigError, match="E555"):
        hi.customer_history(corpus, found, "nobody")


def test_identity_and_history_frames_have_their_documented_schemas() -> None:
    frame = contacts_frame(
        [
            {
                "id": "a",
                "source_format": "plain_text",
                "customer_id": "C1",
                "customer_keys": ["phone:s"],
                "created_at": "2026-01-01",
                "channel": "call",
            },
            {
                "id": "b",
                "source_format": "plain_text",
                "customer_id": "C2",
                "customer_keys": ["phone:s"],
                "created_at": "2026-01-02",
                "channel": "chat",
            },
        ]
    )
    with pytest.warns(HotlineWarning):
        ids = hi.resolve_customers(
            frame, pd.DataFrame({"customer_id": ["C1"], "segment": ["gold"], "value": [5.0]})
        )
    check_schema(
        ids.contacts,
        {
            "interaction_id": "string",
            "source_format": "string",
            "customer_id": "string",
            "is_anonymous": "bool",
        },
    )
    check_schema(
        ids.shared_keys, {"key": "string", "kind": "string", "n_customers": "int64", "n_contacts": "int64"}
    )
    check_schema(
        ids.values,
        {
            "customer_id": "string",
            "in_table": "bool",
            "segment": "string",
            "value": "float64",
            "value_source": "string",
        },
    )
    history = hi.customer_history(
        frame, grievance_frame([{"interaction_id": "a", "themes": ["fee"]}]), "C1", identities=ids
    )
    check_schema(
        history.interactions,
        {
            "interaction_id": "string",
            "created_at": "datetime64[ns, UTC]",
            "channel": "string",
            "source_format": "string",
            "status": "string",
            "agent_id": "string",
            "queue": "string",
            "state": "string",
            "n_grievances": "int64",
            "themes": "object",
            "products": "object",
            "policies": "object",
            "max_intensity": "float64",
            "is_repeat": "bool",
            "repeat_of": "string",
            "promises": "object",
        },
    )
    check_schema(
        history.problems,
        {
            "problem": "string",
            "first_at": "datetime64[ns, UTC]",
            "last_at": "datetime64[ns, UTC]",
            "n_contacts": "int64",
            "n_returns": "int64",
            "last_state": "string",
            "is_open": "bool",
        },
    )
    check_schema(
        history.promises,
        {
            "interaction_id": "string",
            "at": "datetime64[ns, UTC]",
            "kind": "string",
            "due": "string",
            "followed_by_complaint": "bool",
        },
    )


@pytest.mark.parametrize("with_table", [True, False])
def test_known_customers_are_the_tables_identified_rows(with_table: bool, sample: Sample) -> None:
    """known_customers_of gives customers()'s identified rows and three of their columns, without the rest."""
    from hotline_insight.analytics.customers import known_customers_of

    prepared = sample.data if with_table else hi.prepare_analysis(sample.corpus, sample.grievances)
    table = hi.customers(prepared)
    expected = table.loc[~table["is_anonymous"], ["customer_id", "segment", "is_top_decile"]]
    got = known_customers_of(prepared.identities)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), check_exact=True)
    assert got["is_top_decile"].any() == with_table  # values come from the table

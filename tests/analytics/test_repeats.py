"""Repeat contacts and first-contact resolution, on small hand-made cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import hotline_insight as hi
from hotline_insight.analytics.repeats import FCR_COLUMNS, REPEAT_COLUMNS
from hotline_insight.analytics.stats import wilson_interval
from hotline_insight.errors import ConfigError, HotlineWarning

from .conftest import check_schema, contacts_frame, grievance_frame


def run(contacts: list[dict[str, object]], found: list[dict[str, object]], **kwargs: object) -> pd.DataFrame:
    return hi.repeat_contacts(contacts_frame(contacts), grievance_frame(found), **kwargs)  # type: ignore[arg-type]


def contact(id_: str, at: str, customer: str | None = "C1", **extra: object) -> dict[str, object]:
    return {"id": id_, "customer_id": customer, "created_at": at, "channel": "call", **extra}


def complaint(id_: str, *themes: str, **extra: object) -> dict[str, object]:
    return {"interaction_id": id_, "themes": list(themes), **extra}


@pytest.mark.parametrize(
    "times,is_repeat,legs",
    [
        (["2026-03-01 10:00", "2026-03-08 09:59"], [False, True], [1, 1]),  # 7 days less a minute
        (["2026-03-01 10:00", "2026-03-08 10:00"], [False, True], [1, 1]),  # exactly 7 days: within
        (["2026-03-01 10:00", "2026-03-08 10:01"], [False, False], [1, 1]),
        (["2026-03-01 10:00", "2026-03-01 10:14"], [False], [2]),  # a transfer: one contact
        (["2026-03-01 10:00", "2026-03-01 10:15"], [False], [2]),  # 15 minutes: still a transfer
        (["2026-03-01 10:00", "2026-03-01 10:16"], [False, True], [1, 1]),
    ],
)
def test_window_and_transfers(times: list[str], is_repeat: list[bool], legs: list[int]) -> None:
    rep = run(
        [contact("a", times[0]), contact("b", times[1]), contact("end", "2026-06-01", customer="C9")],
        [complaint("a", "billing"), complaint("b", "billing")],
    )
    rows = rep[rep["customer_id"] == "C1"]
    assert rows["is_repeat"].tolist() == is_repeat
    assert rows["n_legs"].tolist() == legs


def test_clock_skew_within_the_transfer_window_keeps_one_contact() -> None:
    # the second system's clock runs 6 minutes behind: its leg is stamped before the first
    rep = run(
        [contact("call", "2026-03-01 10:00"), contact("chat", "2026-03-01 09:54", channel="chat")],
        [complaint("call", "billing"), complaint("chat", "billing")],
    )
    assert len(rep) == 1 and rep["interaction_ids"].iloc[0] == ["chat", "call"]
    assert not rep["is_repeat"].any()


def test_clock_offsets_correct_a_known_skew() -> None:
    contacts = [
        contact("call", "2026-03-01 10:00", source_format="plain_text"),
        contact("tick", "2026-03-01 11:00", source_format="zendesk_json", customer="C1"),
    ]
    found = [complaint("call", "billing"), complaint("tick", "billing")]
    plain = run(contacts, found, identities=hi.resolve_customers(contacts_frame(contacts), id_spaces={}))
    assert plain["is_repeat"].tolist() == [False, True]
    fixed = run(
        contacts,
        found,
        clock_offsets={"zendesk_json": "55min"},
        identities=hi.resolve_customers(contacts_frame(contacts), id_spaces={}),
    )
    assert fixed["n_legs"].tolist() == [2]  # 10:00 and 10:05: one contact


def test_repeat_needs_the_same_problem_or_a_follow_up() -> None:
    rep = run(
        [
            contact("a", "2026-03-01"),
            contact("b", "2026-03-02"),
            contact("c", "2026-03-03"),
            contact("z", "2026-05-01", customer="C9"),
        ],
        [complaint("a", "billing"), complaint("b", "outage"), complaint("c", "broken_promise")],
    )
    by_id = rep.drop_duplicates("interaction_id").set_index("interaction_id")
    assert not by_id.loc["b", "is_repeat"]  # another problem, no follow-up cue
    assert (
        by_id.loc["c", "is_repeat"]
        and by_id.loc["c", "repeat_of"] == "b"
        and by_id.loc["c", "via"] == "follow_up"
    )
    assert by_id.loc["b", "is_followed"] and by_id.loc["b", "followed_by"] == "c"
    assert not by_id.loc["a", "is_followed"]
    plain = run(
        [contact("b", "2026-03-02"), contact("c", "2026-03-03")],
        [complaint("b", "outage"), complaint("c", "broken_promise")],
        follow_up_themes=(),
    )
    assert not plain["is_repeat"].any()


def test_products_and_policies_are_problems_too() -> None:
    rep = run(
        [contact("a", "2026-03-01"), contact("b", "2026-03-03")],
        [complaint("a", "billing", products=["hub"]), complaint("b", "outage", products=["hub"])],
    )
    repeated = rep[rep["is_repeat"]]
    assert repeated["problem"].astype(str).tolist() == ["product:hub"]
    assert repeated["gap_s"].tolist() == [2 * 86400.0]


def test_censoring_and_as_of() -> None:
    contacts = [
        contact("a", "2026-03-01"),
        contact("b", "2026-03-20"),
        contact("end", "2026-03-24", customer="C9"),
    ]
    found = [complaint("a", "billing"), complaint("b", "billing"), complaint("end", "billing")]
    rep = run(contacts, found).drop_duplicates("interaction_id").set_index("interaction_id")
    assert not rep.loc["a", "is_censored"]  # its window ended before the data did
    assert rep.loc["b", "is_censored"] and rep.loc["end", "is_censored"]
    late = run(contacts, found, as_of="2026-04-30").drop_duplicates("interaction_id")
    assert not late["is_censored"].any()


def test_anonymous_and_undated_contacts_are_left_out_and_counted() -> None:
    with pytest.warns(HotlineWarning, match=r"\[W302\]"):
        rep = run(
            [
                contact("a", "2026-03-01", customer=None),
                contact("b", "2026-03-02", customer=None),
                contact("c", None),
                contact("d", "2026-03-03"),
            ],
            [
                complaint("a", "billing"),
                complaint("b", "billing"),
                complaint("c", "billing"),
                complaint("d", "billing"),
            ],
        )
    assert rep["interaction_id"].astype(str).tolist() == ["d"]
    assert rep.attrs["n_anonymous_contacts"] == 2 and rep.attrs["n_undated_contacts"] == 1


def test_single_interaction_and_schema() -> None:
    rep = run([contact("a", "2026-03-01")], [complaint("a", "billing")])
    check_schema(rep, REPEAT_COLUMNS)
    assert rep["is_censored"].tolist() == [True]
    fcr = hi.first_contact_resolution(rep, by="theme")
    check_schema(fcr, FCR_COLUMNS, {"theme": "string"})
    assert fcr["n_first_contacts"].tolist() == [0] and fcr["n_censored"].tolist() == [1]
    assert fcr["fcr"].isna().all()  # nothing judged: no rate, not 0 or 1


def test_first_contact_resolution_exact_values() -> None:
    contacts = [
        contact("a1", "2026-03-01", "A"),
        contact("a2", "2026-03-03", "A"),  # billing repeated
        contact("b1", "2026-03-01", "B"),  # billing, resolved
        contact("c1", "2026-03-02", "C"),  # billing, resolved
        contact("d1", "2026-03-02", "D", channel="chat"),
        contact("d2", "2026-03-04", "D"),  # outage repeated
        contact("z", "2026-04-30", "Z"),
    ]
    found = [
        complaint("a1", "billing"),
        complaint("a2", "billing"),
        complaint("b1", "billing"),
        complaint("c1", "billing"),
        complaint("d1", "outage"),
        complaint("d2", "outage"),
    ]
    rep = run(contacts, found)
    fcr = hi.first_contact_resolution(rep, by="theme").set_index("theme")
    assert fcr.loc["billing", ["n_first_contacts", "n_resolved", "n_repeat_contacts"]].tolist() == [3, 2, 1]
    assert fcr.loc["billing", "fcr"] == pytest.approx(2 / 3)
    low, high = wilson_interval(2, 3)
    assert fcr.loc["billing", "fcr_low"] == pytest.approx(float(low))
    assert fcr.loc["billing", "fcr_high"] == pytest.approx(float(high))
    assert fcr.loc["outage", ["n_first_contacts", "n_resolved"]].tolist() == [1, 0]
    assert fcr["repeat_share"].tolist() == [0.5, 0.5]
    by_channel = hi.first_contact_resolution(rep, by="channel").set_index("channel")
    assert by_channel.loc["chat", ["n_first_contacts", "n_resolved"]].tolist() == [1, 0]
    overall = hi.first_contact_resolution(rep, by="all")
    assert overall[["n_first_contacts", "n_resolved", "n_repeat_contacts"]].values.tolist() == [[4, 2, 2]]


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"window": "soon"}, "E550"),
        ({"transfer_window": -5}, "E550"),
        ({"on": ("mood",)}, "E550"),
        ({"on": ()}, "E550"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(ConfigError, match=code):
        run([contact("a", "2026-03-01")], [complaint("a", "billing")], **kwargs)


def test_first_contact_resolution_checks_its_input() -> None:
    with pytest.raises(ConfigError, match="E551"):
        hi.first_contact_resolution(pd.DataFrame({"x": [1]}))
    rep = run([contact("a", "2026-03-01")], [complaint("a", "billing")])
    with pytest.raises(ConfigError, match="E550"):
        hi.first_contact_resolution(rep, by="agent")


def test_no_grievances_gives_an_empty_table() -> None:
    rep = hi.repeat_contacts(contacts_frame([contact("a", "2026-03-01")]))
    assert len(rep) == 0 and list(rep.columns) == list(REPEAT_COLUMNS)
    assert math.isnan(rep["gap_s"].sum()) or rep["gap_s"].sum() == 0


def _assert_same_rows(part: pd.DataFrame, full: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(part.reset_index(drop=True), full.reset_index(drop=True), check_exact=True)
    for column in part.columns:  # the same categories, in the same order, as the whole table's
        if isinstance(part[column].dtype, pd.CategoricalDtype):
            assert part[column].cat.categories.equals(full[column].cat.categories), column


@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["C1", "C2", None]),
            st.integers(min_value=0, max_value=10 * 24 * 4),  # quarter-hours over 10 days
            st.lists(st.sampled_from(["billing", "outage", "broken_promise"]), max_size=2),
        ),
        min_size=1,
        max_size=25,
    ),
    since_day=st.integers(min_value=-1, max_value=11),
    days=st.one_of(st.none(), st.integers(min_value=0, max_value=11)),
)
# a repeat just after until: the kept contact was followed all the same
@example(events=[("C1", 0, ["billing"]), ("C1", 4 * 96, ["billing"])], since_day=-1, days=2)
# a follow-up just after since repeats a contact before it
@example(events=[("C1", 0, ["outage"]), ("C1", 2 * 96, ["broken_promise"])], since_day=1, days=None)
@settings(max_examples=80, deadline=None)
def test_since_and_until_give_the_full_tables_rows_between(
    events: list[tuple[str | None, int, list[str]]], since_day: int, days: int | None
) -> None:
    t0 = pd.Timestamp("2026-03-01", tz="UTC")
    contacts = [
        contact(f"i{k}", str(t0 + pd.Timedelta(minutes=15 * q)), customer=c)
        for k, (c, q, _) in enumerate(events)
    ]
    found = [complaint(f"i{k}", *themes) for k, (_, _, themes) in enumerate(events) if themes or k == 0]
    full = run(contacts, found)
    since = t0 + pd.Timedelta(days=since_day, minutes=7)
    part = run(contacts, found, since=since)
    _assert_same_rows(part, full[full["started_at"] >= since])
    if days is not None:
        until = since + pd.Timedelta(days=days, hours=5)
        between = run(contacts, found, since=since, until=until)
        _assert_same_rows(between, full[(full["started_at"] >= since) & (full["started_at"] < until)])
        _assert_same_rows(run(contacts, found, until=until), full[full["started_at"] < until])


def test_since_keeps_what_an_earlier_contact_means_for_a_later_one() -> None:
    # "b" repeats "a" (before since); the transfer "c"+"d" straddles since and keeps its first leg's id
    contacts = [
        contact("a", "2026-03-01 10:00"),
        contact("b", "2026-03-05 10:00"),
        contact("c", "2026-03-09 23:50", customer="C2"),
        contact("d", "2026-03-10 00:05", customer="C2"),
        contact("e", "2026-03-12 09:00", customer="C2"),
    ]
    found = [complaint(x, "billing") for x in "abcde"]
    part = run(contacts, found, since="2026-03-05")
    assert part["interaction_id"].astype(str).tolist() == ["b", "c", "e"]
    assert part["repeat_of"].astype(object).where(part["repeat_of"].notna(), None).tolist() == [
        "a",
        None,
        "c",
    ]
    assert part.attrs["n_contacts"] == 5
    late = run(contacts, found, since="2026-03-10")  # after the transfer's first leg: it is left out whole
    assert late["interaction_id"].astype(str).tolist() == ["e"]
    assert late["repeat_of"].astype(str).tolist() == ["c"]
    with pytest.raises(ConfigError, match="E550"):
        run(contacts, found, since="soon")

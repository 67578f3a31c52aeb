"""The planted patterns of sample_data are found (planted.json is the truth; nothing here is special-cased)."""

from __future__ import annotations

import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.analytics.impact import ANY_GRIEVANCE

from .conftest import TZ, Sample


def test_customers_are_resolved_across_channels(sample: Sample) -> None:
    truth = pd.DataFrame(sample.planted["interactions"])[["id", "customer_id", "format"]]
    got = sample.identities.contacts.merge(
        truth, left_on="interaction_id", right_on="id", suffixes=("", "_truth")
    )
    assert len(got) == len(truth)
    known = got[~got["is_anonymous"]]
    assert (known["customer_id"] == known["customer_id_truth"]).all()
    # anonymous: only the Call Analytics files, which carry no customer id at all
    assert set(got.loc[got["is_anonymous"], "format"]) == {"call_analytics"}
    assert sample.identities.summary["n_shared_keys"] == 0
    assert sample.identities.summary["n_multi_channel"] > 300


def test_p1_policy_tops_the_policy_table_and_touches_valuable_customers(sample: Sample) -> None:
    p1 = sample.pattern("P1")
    policy = p1["policy_ids"][0]
    ranked = hi.rank_grievances(sample.data, by="policy", sort_by="n_customers", timezone=TZ)
    assert ranked["policy"].iloc[0] == policy
    # the top value decile is hit harder by it than by any other policy with 20 customers or more
    wide = ranked[ranked["n_customers"] >= 20]
    assert wide.sort_values("top_decile_ratio", ascending=False)["policy"].iloc[0] == policy
    assert wide["top_decile_ratio"].iloc[0] > 1
    customers = hi.customers(sample.data).set_index("customer_id")
    mine = hi.link(sample.data, ("policy", "segment"))
    mine = mine[mine["policy"] == policy].set_index("segment")
    for segment in ("premium", "business"):
        assert mine.loc[segment, "lift"] > 1
    assert mine.loc["consumer", "lift"] < 1
    touched = customers.loc[customers.index.isin(ranked_customers(sample, policy))]
    share = touched["segment"].isin(["premium", "business"]).mean()
    assert share > p1["customer_base_premium_or_business_share"]


def ranked_customers(sample: Sample, policy: str) -> set[str]:
    frame = sample.grievances.to_frame()
    rows = frame[frame["policies"].apply(lambda ids: policy in ids)]
    resolved = sample.identities.contacts.set_index("interaction_id")["customer_id"]
    return set(resolved.reindex(rows["interaction_id"]).dropna())


def test_p4_broken_callbacks_drive_repeat_contacts(sample: Sample) -> None:
    p4 = sample.pattern("P4")
    rep = hi.repeat_contacts(sample.data)
    by_policy = hi.first_contact_resolution(rep, by="policy")
    assert by_policy["policy"].iloc[0] == p4["policy_ids"][0]  # the most repeat contacts
    by_queue = hi.first_contact_resolution(rep, by="queue")
    judged = by_queue[by_queue["n_first_contacts"] >= 10].sort_values("fcr")
    assert judged["queue"].iloc[0] == "Tech Support Tier 2"
    assert judged["fcr_high"].iloc[0] < judged["fcr_low"].iloc[1:].min()  # clearly the worst
    repeats = rep[rep["is_repeat"]].drop_duplicates("interaction_id")
    found = set(zip(repeats["repeat_of"].astype(str), repeats["interaction_id"].astype(str), strict=True))
    pairs = [tuple(p) for p in p4["repeat_pairs"]]
    assert sum(p in found for p in pairs) / len(pairs) >= 0.75


def test_p5_warns_in_august_2026_and_not_before(sample: Sample) -> None:
    # without holding links: with them, the support fee (P1, from 2025-10) reaches the router through its
    # policy's products, a real warning in 2025-10 but not this pattern's
    p5 = sample.pattern("P5")
    product = p5["product_ids"][0]
    monthly = hi.early_warnings(sample.plain, ("product", "theme"), "month", timezone=TZ)
    mine = monthly[monthly["product"] == product]
    assert mine["period"].min() == "2026-08"
    assert (mine["period"] >= "2026-08").all()
    first = mine[mine["is_first"]]
    assert (first["peak_period"] >= first["period"]).all()  # it fired before (or at) the peak
    by_product = hi.early_warnings(sample.plain, "product", "month", timezone=TZ)
    assert by_product.loc[by_product["product"] == product, "period"].min() == "2026-08"
    quarterly = hi.early_warnings(sample.plain, ("product", "theme"), "quarter", timezone=TZ)
    assert set(quarterly.loc[quarterly["product"] == product, "period"]) == {"2026Q3"}
    # the decoys (a router restart after a power cut) are in quarters where nothing about the router fires
    decoys = pd.DataFrame(sample.planted["interactions"]).set_index("id").loc[p5["decoy_ids"], "quarter"]
    assert not set(decoys) & set(quarterly.loc[quarterly["product"] == product, "period"])


def test_p6_withdrawal_worked_and_a_steady_fee_did_not_change(sample: Sample) -> None:
    p6, p2 = sample.pattern("P6"), sample.pattern("P2")
    worked = hi.before_after(
        sample.data, f"policy:{p6['policy_ids'][0]}", catalog=sample.catalog, timezone=TZ
    )
    assert worked["event"].tolist() == ["effective_to"]
    assert str(worked["changed_at"].iloc[0].tz_convert(TZ).date()) == "2026-04-01"
    assert worked["verdict"].tolist() == ["worked"]
    assert worked["ratio_high"].iloc[0] < 1
    steady = hi.before_after(sample.data, f"policy:{p2['policy_ids'][0]}", at="2026-04-01", timezone=TZ)
    assert steady["verdict"].tolist() == ["no_change"]
    assert steady["ratio_low"].iloc[0] < 1 < steady["ratio_high"].iloc[0]


def test_p3_peaks_around_the_switch_off(sample: Sample) -> None:
    policy = sample.pattern("P3")["policy_ids"][0]
    table = hi.trends(sample.data, "policy", "quarter", timezone=TZ)
    mine = table[table["policy"] == policy].set_index("period")["n_contacts"]
    assert mine.idxmax() == "2026Q1" and mine["2025Q3"] == 0


def test_complaining_lowers_satisfaction(sample: Sample) -> None:
    table = hi.satisfaction_impact(sample.data)
    overall = table[table["theme"] == ANY_GRIEVANCE].iloc[0]
    assert overall["scale"] == "good/bad"
    assert overall["diff_high"] < 0 and overall["counterfactual"] > overall["overall"]


@pytest.mark.parametrize("by", ["theme", "product", "policy", ("theme", "product")])
def test_rank_table_is_complete(sample: Sample, by: str | tuple[str, str]) -> None:
    ranked = hi.rank_grievances(sample.data, by=by, timezone=TZ)
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["value_at_risk"].is_monotonic_decreasing
    assert ranked.attrs["n_anonymous_contacts"] == sample.identities.summary["n_anonymous_contacts"]

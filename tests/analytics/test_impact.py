"""satisfaction_impact(): the difference a grievance makes, and the score without it."""

from __future__ import annotations

import pandas as pd
import pytest

import hotline_insight as hi
from hotline_insight.analytics.impact import ANY_GRIEVANCE, IMPACT_COLUMNS
from hotline_insight.analytics.stats import newcombe_difference, welch_difference
from hotline_insight.errors import ConfigError, HotlineWarning

from .conftest import check_schema, contacts_frame, grievance_frame


def scored(scores: list[float], scale: str | list[str]) -> pd.DataFrame:
    scales = scale if isinstance(scale, list) else [scale] * len(scores)
    return contacts_frame(
        [
            {"id": str(i), "satisfaction_score": s, "satisfaction_scale": sc}
            for i, (s, sc) in enumerate(zip(scores, scales, strict=True))
        ]
    )


def test_binary_scores_use_newcombe_and_give_the_counterfactual() -> None:
    contacts = scored([0, 0, 1, 0, 1, 1, 1, 1, 1, 0], "good/bad")
    found = grievance_frame(
        [{"interaction_id": str(i), "themes": ["fee"] if i < 4 else ["wait"]} for i in range(6)]
    )
    table = hi.satisfaction_impact(contacts, found, min_contacts=2)
    schema = dict(IMPACT_COLUMNS)
    check_schema(
        table,
        {k: schema[k] for k in list(schema)[2:]},
        {"scale": "string", "metric": "string", "theme": "string"},
    )
    rows = table.set_index("theme")
    fee = rows.loc["fee"]
    assert (fee["n_with"], fee["n_without"]) == (4, 6)
    assert fee["score_with"] == 0.25 and fee["score_without"] == pytest.approx(5 / 6)
    d, low, high = newcombe_difference(1, 4, 5, 6)
    assert fee["difference"] == pytest.approx(float(d))
    assert (fee["diff_low"], fee["diff_high"]) == (pytest.approx(float(low)), pytest.approx(float(high)))
    assert fee["overall"] == pytest.approx(0.6)
    assert fee["counterfactual"] == pytest.approx(5 / 6)  # the overall score had they scored like the rest
    assert fee["cf_low"] == pytest.approx(0.6 - 0.4 * float(high))
    assert fee["gain"] == pytest.approx(5 / 6 - 0.6)
    assert fee["method"] == "newcombe"
    assert rows.loc[ANY_GRIEVANCE, "n_with"] == 6
    assert table["theme"].iloc[0] == ANY_GRIEVANCE


def test_csat_uses_welch() -> None:
    contacts = scored([0.25, 0.5, 0.25, 0.75, 1.0, 0.75, 1.0, 0.5], "1-5")
    found = grievance_frame([{"interaction_id": str(i), "themes": ["fee"]} for i in range(3)])
    row = hi.satisfaction_impact(contacts, found, min_contacts=2).set_index("theme").loc["fee"]
    with_ = [0.25, 0.5, 0.25]
    without = [0.75, 1.0, 0.75, 1.0, 0.5]
    d, _low, _high, p = welch_difference(
        sum(with_) / 3, pd.Series(with_).var(), 3, sum(without) / 5, pd.Series(without).var(), 5
    )
    assert row["method"] == "welch"
    assert row["difference"] == pytest.approx(float(d)) and row["p_value"] == pytest.approx(float(p))


def test_nps_scale() -> None:
    # raw 0-10 scores 10, 9, 3, 2 for complainers; 10, 10, 8, 7 for the others
    contacts = scored([1.0, 0.9, 0.3, 0.2, 1.0, 1.0, 0.8, 0.7], "0-10")
    found = grievance_frame([{"interaction_id": str(i), "themes": ["fee"]} for i in range(4)])
    row = hi.satisfaction_impact(contacts, found, min_contacts=2).set_index("theme").loc["fee"]
    assert row["metric"] == "nps" and row["method"] == "nps"
    assert row["score_with"] == 0.0 and row["score_without"] == 50.0  # (2-2)/4 and (2-0)/4, in points
    assert row["difference"] == -50.0 and row["overall"] == 25.0 and row["counterfactual"] == 50.0


def test_mixed_scales_are_kept_apart_with_a_warning() -> None:
    contacts = scored([0, 1, 1, 0.25, 0.5, 1.0], ["good/bad"] * 3 + ["1-5"] * 3)
    found = grievance_frame([{"interaction_id": i, "themes": ["fee"]} for i in ("0", "1", "3", "4")])
    with pytest.warns(HotlineWarning, match=r"\[W303\]"):
        table = hi.satisfaction_impact(contacts, found, min_contacts=2)
    assert sorted(set(table["scale"])) == ["1-5", "good/bad"]


def test_no_scores_gives_an_empty_table_and_min_contacts_filters() -> None:
    found = grievance_frame([{"interaction_id": "0", "themes": ["fee"]}])
    empty = hi.satisfaction_impact(contacts_frame([{"id": "0"}]), found)
    assert len(empty) == 0 and "difference" in empty.columns
    few = hi.satisfaction_impact(scored([0, 1, 1], "good/bad"), found)
    assert len(few) == 0  # one scored contact with the grievance: under min_contacts


@pytest.mark.parametrize("kwargs", [{"metric": "median"}, {"min_contacts": 1}, {"by": ("theme", "product")}])
def test_bad_parameters(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="E550"):
        hi.satisfaction_impact(
            scored([0, 1], "good/bad"), grievance_frame([{"interaction_id": "0"}]), **kwargs
        )  # type: ignore[arg-type]

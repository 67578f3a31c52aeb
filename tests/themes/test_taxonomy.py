from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from hotline_insight.errors import ConfigError
from hotline_insight.themes import CuePattern, CuePhrase, Facet, Taxonomy, Theme

REQUIRED_THEMES = {
    "support_fee_after_period",
    "pay_to_opt_out",
    "product_discontinued",
    "one_way_relationship",
    "unwanted_contact",
    "more_work_for_customer",
    "unexpected_fees",
    "billing_error",
    "refund",
    "long_wait",
    "unresolved_repeat",
    "defect",
    "delivery",
    "account_access",
    "fraud_security",
    "agent_conduct",
    "broken_promise",
    "contract_cancellation",
    "price_increase",
    "privacy",
}

USER = """\
extends: default
remove: [privacy, unwanted_contact]
themes:
  - id: refund
    name: Refunds (ours)
    description: Money back.
    phrases: [money back]
  - id: roaming_charges
    name: Roaming charges
    description: Charges for using the phone abroad.
    negatable: true
    phrases: [roaming charge, {phrase: abroad, weight: 0.5}]
    patterns:
      - [{LEMMA: charge}, {LOWER: for}, {LOWER: roaming}]
    examples: [I was charged for roaming in Spain.]
"""


def _codes(message: str) -> list[str]:
    return re.findall(r"\[(E\d{3})\]", message)


# -- the built-in taxonomy -----------------------------------------------------------


def test_default_has_the_required_themes_and_facets() -> None:
    taxonomy = Taxonomy.default()
    ids = [t.id for t in taxonomy.themes]
    assert len(ids) >= 18
    assert REQUIRED_THEMES <= set(ids)
    assert ids[:6] == [
        "support_fee_after_period",
        "pay_to_opt_out",
        "product_discontinued",
        "one_way_relationship",
        "unwanted_contact",
        "more_work_for_customer",
    ]
    assert [f.id for f in taxonomy.facets] == ["loss_of_control", "vulnerability", "stress", "victimised"]
    assert Taxonomy.default() is taxonomy


@pytest.mark.parametrize(
    "entry", [*Taxonomy.default().themes, *Taxonomy.default().facets], ids=lambda e: e.id
)
def test_every_builtin_entry_is_documented(entry: Theme | Facet) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", entry.id)
    assert len(entry.description.split()) >= 8
    assert len(entry.examples) >= 4
    assert entry.n_cues >= 5


def test_theme_lookup_and_unknown_id() -> None:
    taxonomy = Taxonomy.default()
    assert taxonomy.theme("refund").negatable is False
    assert taxonomy.theme("unexpected_fees").negatable is True
    assert taxonomy.facet("victimised").name
    with pytest.raises(KeyError) as info:
        taxonomy.theme("refunds")
    assert _codes(str(info.value)) == ["E705"]
    with pytest.raises(KeyError, match="E705"):
        taxonomy.facet("anger")


def test_frames_follow_taxonomy_order() -> None:
    taxonomy = Taxonomy.default()
    themes = taxonomy.themes_frame()
    assert list(themes.columns) == [
        "theme_id",
        "name",
        "description",
        "negatable",
        "n_patterns",
        "n_phrases",
        "n_examples",
        "examples",
    ]
    assert themes["theme_id"].tolist() == [t.id for t in taxonomy.themes]
    assert str(themes["theme_id"].dtype) == "string"
    assert themes["negatable"].dtype == bool
    facets = taxonomy.facets_frame()
    assert facets.columns[0] == "facet_id" and len(facets) == 4
    assert Taxonomy().themes_frame().empty


# -- user files: add, override, remove ----------------------------------------------------


def test_user_file_adds_overrides_and_removes() -> None:
    base = Taxonomy.default()
    merged = Taxonomy.from_yaml(USER)
    ids = [t.id for t in merged.themes]
    assert "privacy" not in ids and "unwanted_contact" not in ids
    assert ids[-1] == "roaming_charges"
    # an overridden theme keeps its place and is replaced as a whole
    base_ids = [t.id for t in base.themes if t.id not in {"privacy", "unwanted_contact"}]
    assert ids[:-1] == base_ids
    refund = merged.theme("refund")
    assert refund.name == "Refunds (ours)"
    assert [p.phrase for p in refund.phrases] == ["money back"] and refund.examples == ()
    assert merged.facets == base.facets
    roaming = merged.theme("roaming_charges")
    assert roaming.negatable and roaming.phrases[1] == CuePhrase(phrase="abroad", weight=0.5)
    assert roaming.patterns[0].pattern == ({"LEMMA": "charge"}, {"LOWER": "for"}, {"LOWER": "roaming"})


def test_user_file_over_an_explicit_base(tmp_path: Path) -> None:
    base = Taxonomy.from_yaml("themes: [{id: a, name: A, description: d, phrases: [x]}]")
    path = tmp_path / "user.yaml"
    path.write_text(
        "remove: [a]\nthemes: [{id: b, name: B, description: d, phrases: [y]}]\n", encoding="utf-8"
    )
    merged = Taxonomy.from_yaml(path, base=base)
    assert [t.id for t in merged.themes] == ["b"]
    assert Taxonomy.from_yaml(str(path), base=base) == merged


def test_standalone_file_and_merge() -> None:
    alone = Taxonomy.from_yaml("facets: [{id: stress, name: Stress, description: d, phrases: [stressed]}]")
    assert alone.themes == () and [f.id for f in alone.facets] == ["stress"]
    merged = Taxonomy.default().merge(alone, remove_facets=["vulnerability"])
    assert [f.id for f in merged.facets] == ["loss_of_control", "stress", "victimised"]
    assert merged.facet("stress").phrases == (CuePhrase(phrase="stressed"),)
    with pytest.raises(KeyError, match="E705"):
        Taxonomy.default().merge(alone, remove=["nope"])


# -- validation errors, with lines --------------------------------------------------------

THEME = "themes:\n  - id: roaming\n    name: Roaming\n    description: Roaming charges.\n"


@pytest.mark.parametrize(
    ("text", "code", "line", "field", "reason"),
    [
        (
            THEME + "    phrases: [roaming]\n    colour: red\n",
            "E701",
            6,
            "themes[0].colour",
            "unknown key 'colour'",
        ),
        (THEME + "    phrase: [roaming]\n", "E701", 5, "themes[0].phrase", "did you mean 'phrases'"),
        (
            THEME + "    patterns: [[{LOWRE: roaming}]]\n",
            "E701",
            5,
            "themes[0].patterns[0][0].LOWRE",
            "Extra inputs",
        ),
        (
            THEME + "    patterns:\n      - pattern: [{LOWER: roaming, OP: '%'}]\n        weight: 0.5\n",
            "E701",
            6,
            "themes[0].patterns[0].pattern[0].OP",
            "Input should be '+', '*', '?' or '!'",
        ),
        (
            THEME + "    patterns: [[{LOWER: Roaming}]]\n",
            "E701",
            5,
            "themes[0].patterns[0][0].LOWER",
            "'roaming'",
        ),
        (
            THEME + "    phrases: [{phrase: roaming, weight: 2}]\n",
            "E701",
            5,
            "themes[0].phrases[0].weight",
            "less than",
        ),
        (
            THEME + "    phrases: [{phrase: roaming, attr: ORTH}]\n",
            "E701",
            5,
            "themes[0].phrases[0].attr",
            "LOWER",
        ),
        (THEME, "E701", 2, "themes[0]", "has no cues"),
        (
            "themes:\n  - id: Roaming\n    name: R\n    description: d\n    phrases: [x]\n",
            "E701",
            2,
            "themes[0].id",
            "snake_case",
        ),
        (
            "themes:\n  - id: roaming\n    description: d\n    phrases: [x]\n",
            "E701",
            2,
            "themes[0].name",
            "required field is missing",
        ),
        (
            THEME + "    phrases: [x]\n    examples: ['  ']\n",
            "E701",
            6,
            "themes[0].examples",
            "examples[0] is empty",
        ),
        (THEME + "    phrases: [x]\n    negatable: maybe\n", "E701", 6, "themes[0].negatable", "boolean"),
        (
            THEME + "    phrases: [x]\n" + THEME.replace("themes:\n", "") + "    phrases: [y]\n",
            "E701",
            6,
            "themes[1].id",
            "duplicate theme id 'roaming'",
        ),
        ("extends: default\nremove: [privacy, privcy]\n", "E701", 2, "remove[1]", "did you mean 'privacy'"),
        ("remove: [privacy]\n", "E701", 1, "remove[0]", "extends: default"),
        (
            "extends: default\nremove: [refund]\nthemes: [{id: refund, name: R, description: d, phrases: [x]}]\n",
            "E701",
            2,
            "remove[0]",
            "both removed and defined",
        ),
        ("extends: builtin\n", "E701", 1, "extends", "'default'"),
        ("themes:\n  - id: a\n    id: b\n", "E701", 3, "themes[0].id", "appears twice"),
        ("themes: [\n", "E702", None, None, "invalid YAML at line 2"),
        ("", "E702", None, None, "it is empty"),
        ("- just\n- a list\n", "E701", 1, "(top level)", "expected a mapping"),
    ],
)
def test_validation_errors_name_line_and_field(
    text: str, code: str, line: int | None, field: str | None, reason: str
) -> None:
    with pytest.raises(ConfigError) as info:
        Taxonomy.from_yaml(text)
    message = str(info.value)
    assert _codes(message) == [code]
    if line is not None:
        assert f", line {line}, " in message
    if field is not None:
        assert f"field '{field}'" in message
    assert reason in message


def test_several_problems_come_in_one_error_sorted_by_line() -> None:
    text = "themes:\n" + "".join(
        f"  - {{id: T{i}, name: n, description: d, phrases: [x]}}\n" for i in range(7)
    )
    with pytest.raises(ConfigError) as info:
        Taxonomy.from_yaml(text)
    message = str(info.value)
    assert _codes(message)[0] == "E704" and message.count("[E701]") == 5
    assert "7 problems" in message and "... and 2 more" in message
    lines = [int(n) for n in re.findall(r"line (\d+)", message)]
    assert lines == sorted(lines) == [2, 3, 4, 5, 6]


def test_errors_from_a_file_and_from_a_dict(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        Taxonomy.from_yaml(tmp_path / "missing.yaml")
    assert _codes(str(info.value)) == ["E702"] and "does not exist" in str(info.value)
    path = tmp_path / "bad.yaml"
    path.write_text(THEME + "    phrases: [x]\n    colour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Taxonomy.from_yaml(path)
    assert str(path) in str(info.value) and ", line 6, " in str(info.value)
    with pytest.raises(ConfigError) as info:
        Taxonomy.from_dict(
            {"themes": [{"id": "x", "name": "X", "description": "d", "phrases": ["y"], "bad": 1}]}
        )
    assert _codes(str(info.value)) == ["E703"] and "field 'themes[0].bad'" in str(info.value)


def test_yaml_words_no_on_off_stay_text() -> None:
    taxonomy = Taxonomy.from_yaml(
        THEME + "    patterns: [[{LOWER: no}, {LOWER: {IN: [on, off, yes]}}]]\n    negatable: false\n"
    )
    assert taxonomy.themes[0].patterns[0].pattern == (
        {"LOWER": "no"},
        {"LOWER": {"IN": ["on", "off", "yes"]}},
    )
    assert taxonomy.themes[0].negatable is False


def test_models_are_frozen_and_strict() -> None:
    theme = Taxonomy.default().theme("refund")
    with pytest.raises(ValidationError):
        theme.name = "x"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        CuePattern(pattern=[])
    with pytest.raises(ValidationError):
        CuePhrase(phrase="   ")


# -- serialisation ---------------------------------------------------------------------------


def test_yaml_round_trip_of_the_default_and_of_a_user_taxonomy() -> None:
    for taxonomy in (Taxonomy.default(), Taxonomy.from_yaml(USER)):
        text = taxonomy.to_yaml()
        assert Taxonomy.from_yaml(text) == taxonomy
        assert Taxonomy.from_dict(taxonomy.to_dict()) == taxonomy


def test_to_dict_uses_short_forms_for_defaults() -> None:
    taxonomy = Taxonomy.from_yaml(
        THEME
        + "    phrases: [a, {phrase: b, weight: 0.5}, {phrase: c, attr: LOWER}]\n"
        + "    patterns: [[{LOWER: x}], {pattern: [{LOWER: y}], weight: 0.25}]\n"
    )
    entry = taxonomy.to_dict()["themes"][0]
    assert list(entry) == ["id", "name", "description", "phrases", "patterns"]
    assert entry["phrases"] == ["a", {"phrase": "b", "weight": 0.5}, {"phrase": "c", "attr": "LOWER"}]
    assert entry["patterns"] == [[{"LOWER": "x"}], {"pattern": [{"LOWER": "y"}], "weight": 0.25}]

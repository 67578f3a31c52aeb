from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from hotline_insight.catalog import Catalog, Policy, Product
from hotline_insight.errors import ConfigError

FULL = """\
company: Acme Telecom
products:
  - id: fibre-500
    name: Fibre 500
    aliases: [fiber 500, " fibre500 ", "500  meg", Fiber 500]
    skus: [FB-500, "0123"]
    family: broadband
    launched_at: 2023-01-15
    meta: {owner: broadband-team, tags: [core]}
  - id: caller-id
    name: Caller ID blocking
    description: |
      Hides the caller's number.
      Charged monthly.
    discontinued_at: "2026-01-31"
policies:
  - id: support-fee-90d
    name: Paid support after 90 days
    description: Support calls are charged 90 days after purchase.
    phrases: [support fee, charged for support, "90 days"]
    effective_from: 2025-04-01
    products: [fibre-500]
  - id: caller-id-fee
    name: Caller ID blocking fee
    phrases: [pay to block my number]
    effective_from: 2024-01-01
    effective_to: 2024-12-31
    products: [caller-id, fibre-500]
"""


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.from_yaml(FULL)


# -- valid catalogs -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,n_products,n_policies",
    [
        ("products: []\n", 0, 0),
        ("company: Acme\n", 0, 0),
        ("products:\n  - {id: a, name: A}\n", 1, 0),
        ("policies:\n  - {id: p, name: P}\n", 0, 1),
        # an id may be used once by a product and once by a policy
        ("products: [{id: x, name: X}]\npolicies: [{id: x, name: X, products: [x]}]\n", 1, 1),
        # same start and end day
        ("policies: [{id: p, name: P, effective_from: 2025-01-01, effective_to: 2025-01-01}]\n", 0, 1),
        # dates as quoted strings
        ("policies: [{id: p, name: P, effective_from: '2025-01-01'}]\n", 0, 1),
        # null optional fields
        ("products: [{id: a, name: A, family: null, launched_at: null, aliases: []}]\n", 1, 0),
        # anchors and aliases are plain YAML
        ("products: [{id: a, name: A, aliases: &al [x, y]}, {id: b, name: B, aliases: *al}]\n", 2, 0),
        (FULL, 2, 2),
    ],
)
def test_valid_catalogs(text: str, n_products: int, n_policies: int) -> None:
    catalog = Catalog.from_yaml(text)
    assert (len(catalog.products), len(catalog.policies)) == (n_products, n_policies)
    assert len(catalog) == n_products + n_policies


def test_full_catalog_fields(catalog: Catalog) -> None:
    fibre = catalog.product("fibre-500")
    assert catalog.company == "Acme Telecom"
    assert fibre.name == "Fibre 500"
    assert fibre.aliases == ("fiber 500", "fibre500", "500 meg")  # stripped, collapsed, de-duplicated
    assert fibre.skus == ("FB-500", "0123")
    assert fibre.launched_at == dt.date(2023, 1, 15)
    assert fibre.meta == {"owner": "broadband-team", "tags": ["core"]}
    caller = catalog.product("caller-id")
    assert caller.description == "Hides the caller's number.\nCharged monthly."
    assert caller.discontinued_at == dt.date(2026, 1, 31)
    fee = catalog.policy("caller-id-fee")
    assert fee.products == ("caller-id", "fibre-500")
    assert (fee.effective_from, fee.effective_to) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_aliases_keep_case_and_terms_start_with_name() -> None:
    product = Product(id="p", name="  ATT Fiber ", aliases=("AT&T  fiber", "at&t fiber", "ATT Fiber"))
    assert product.name == "ATT Fiber"
    assert product.aliases == ("AT&T fiber", "ATT Fiber")
    assert product.terms == ("ATT Fiber", "AT&T fiber")


def test_records_are_frozen(catalog: Catalog) -> None:
    with pytest.raises(ValidationError):
        catalog.company = "Other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        catalog.products[0].name = "Other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "when,expected",
    [
        (dt.date(2023, 12, 31), False),
        (dt.date(2024, 1, 1), True),
        (dt.date(2024, 12, 31), True),
        (dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC), True),
        (dt.date(2025, 1, 1), False),
    ],
)
def test_policy_in_effect(catalog: Catalog, when: dt.date, expected: bool) -> None:
    assert catalog.policy("caller-id-fee").is_in_effect(when) is expected


# -- invalid catalogs: code, line, field ---------------------------------------------


@pytest.mark.parametrize(
    "text,code,line,field,detail",
    [
        pytest.param(
            "products:\n  - id: a\n    name: A\n    colour: blue\n",
            "E301",
            4,
            "products[0].colour",
            "unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: A\n    alias: [x]\n",
            "E301",
            4,
            "products[0].alias",
            "did you mean 'aliases'",
            id="unknown-key-suggestion",
        ),
        pytest.param("company: X\nproduct: []\n", "E301", 2, "product", "unknown key", id="unknown-top-key"),
        pytest.param(
            "products:\n  - id: a\n    name: A\n  - id: b\n",
            "E301",
            4,
            "products[1].name",
            "missing",
            id="missing-name",
        ),
        pytest.param(
            "policies:\n  - id: p\n    name: P\n    effective_from: 2025-04-01\n    effective_to: 2025-03-31\n",
            "E301",
            5,
            "policies[0].effective_to",
            "before effective_from",
            id="ends-before-start",
        ),
        pytest.param(
            "products: [{id: a, name: A}]\npolicies:\n  - id: p\n    name: P\n  - id: q\n    name: Q\n"
            "    effective_from: 2025-13-01\n",
            "E301",
            7,
            "policies[1].effective_from",
            "month must be in 1..12",
            id="month-13",
        ),
        pytest.param(
            "policies:\n  - id: p\n    name: P\n    effective_from: 2025-02-30\n",
            "E301",
            4,
            "policies[0].effective_from",
            "not a valid date",
            id="impossible-yaml-date",
        ),
        pytest.param(
            "policies:\n  - id: p\n    name: P\n    effective_from: 20250401\n",
            "E301",
            4,
            "policies[0].effective_from",
            "YYYY-MM-DD",
            id="integer-date",
        ),
        pytest.param(
            "policies:\n  - id: p\n    name: P\n    effective_from: 2025-04-01 10:00:00\n",
            "E301",
            4,
            "policies[0].effective_from",
            "date and time",
            id="datetime-not-date",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: A\n    launched_at: 2025-01-01\n    discontinued_at: 2024-01-01\n",
            "E301",
            5,
            "products[0].discontinued_at",
            "before launched_at",
            id="discontinued-before-launch",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: A\n    skus:\n      - X-1\n      - 0123\n",
            "E301",
            6,
            "products[0].skus[1]",
            "'0123'",
            id="number-sku-quotes-source",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: A\n    aliases: [yes]\n",
            "E301",
            4,
            "products[0].aliases[0]",
            "quotes",
            id="yaml-bool",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: A\n    aliases: ['x', '  ']\n",
            "E301",
            4,
            "products[0].aliases",
            "aliases[1] is empty",
            id="empty-alias",
        ),
        pytest.param(
            "products:\n  - id: ''\n    name: A\n", "E301", 2, "products[0].id", "at least 1", id="empty-id"
        ),
        pytest.param("products: {id: a}\n", "E301", 1, "products", "list", id="products-not-a-list"),
        pytest.param(
            "products:\n  - {id: fibre-500, name: F}\npolicies:\n  - id: p\n    name: P\n    products:\n"
            "      - fibre-500\n      - fibre-50\n",
            "E301",
            8,
            "policies[0].products[1]",
            "did you mean 'fibre-500'",
            id="unknown-product-ref",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: A\n    name: B\n",
            "E301",
            4,
            "products[0].name",
            "appears twice",
            id="repeated-yaml-key",
        ),
        pytest.param("- a\n- b\n", "E301", 1, "(top level)", "expected a mapping", id="top-level-list"),
        pytest.param(
            "products:\n  - id: a\n    name: A\n  - id: b\n    name: B\n  - id: a\n    name: C\n",
            "E303",
            6,
            None,
            "product id 'a'",
            id="duplicate-product",
        ),
        pytest.param(
            "policies:\n  - {id: p, name: P}\n  - {id: p, name: Q}\n",
            "E303",
            3,
            None,
            "policy id 'p'",
            id="duplicate-policy",
        ),
        pytest.param(
            "products:\n  - id: a\n    name: [unclosed\n", "E302", 4, None, "invalid YAML", id="syntax"
        ),
        pytest.param("products:\n\t- id: a\n", "E302", 2, None, "invalid YAML", id="tab"),
        pytest.param(
            "products: []\n---\npolicies: []\n", "E302", 2, None, "single document", id="two-documents"
        ),
        pytest.param("", "E302", None, None, "empty", id="empty"),
        pytest.param(
            "configs/catalog", "E301", 1, "(top level)", "no such file", id="path-that-does-not-exist"
        ),
    ],
)
def test_invalid_catalogs(text: str, code: str, line: int | None, field: str | None, detail: str) -> None:
    with pytest.raises(ConfigError) as info:
        Catalog.from_yaml(text)
    message = str(info.value)
    assert message.startswith(f"[{code}]")
    assert "<string>" in message
    if line is not None:
        assert re.search(rf"\bline {line}\b", message), message
    if field is not None:
        assert f"field '{field}'" in message
    assert detail in message


def test_several_problems_are_listed_by_line() -> None:
    text = "products:\n" + "".join(f"  - id: p{i}\n" for i in range(7))
    with pytest.raises(ConfigError) as info:
        Catalog.from_yaml(text)
    message = str(info.value)
    assert message.startswith("[E307] 7 problems")
    lines = [int(n) for n in re.findall(r"\[E301\] .*?, line (\d+),", message)]
    assert lines == [2, 3, 4, 5, 6]
    assert "... and 2 more" in message


def test_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("products:\n  - id: a\n    name: A\n    price: 3\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"\[E301\] Invalid catalog .*catalog\.yaml, line 4, field 'products\[0\]\.price'"
    ):
        Catalog.from_yaml(path)


@pytest.mark.parametrize("name", ["missing.yaml", "missing.yml"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match=r"^\[E302\] .*does not exist"):
        Catalog.from_yaml(str(tmp_path / name))


def test_directory_is_not_a_catalog(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^\[E302\] .*directory"):
        Catalog.from_yaml(tmp_path)


def test_from_dict_errors_name_the_field() -> None:
    with pytest.raises(
        ConfigError, match=r"^\[E304\] Invalid catalog <dict>, field 'policies\[0\]\.products\[0\]'"
    ):
        Catalog.from_dict({"policies": [{"id": "p", "name": "P", "products": ["nope"]}]})
    with pytest.raises(
        ConfigError, match=r"^\[E305\] Duplicate product id 'a' in catalog crm, field 'products\[1\]\.id'"
    ):
        Catalog.from_dict({"products": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}, source="crm")
    with pytest.raises(ConfigError, match=r"^\[E304\].*expected a mapping"):
        Catalog.from_dict([1, 2])  # type: ignore[arg-type]


def test_unknown_lookups_raise_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match=r"\[E306\].*product.*'fibre-1000'"):
        catalog.product("fibre-1000")
    with pytest.raises(KeyError, match=r"\[E306\].*policy"):
        catalog.policy("fibre-500")


# -- round trip ------------------------------------------------------------------------


def test_yaml_round_trip(catalog: Catalog, tmp_path: Path) -> None:
    text = catalog.to_yaml()
    assert Catalog.from_yaml(text) == catalog
    path = tmp_path / "out.yaml"
    path.write_text(text, encoding="utf-8")
    assert Catalog.from_yaml(path) == catalog
    assert Catalog.from_yaml(str(path)) == catalog
    assert Catalog.from_dict(catalog.to_dict()) == catalog
    assert text == Catalog.from_yaml(text).to_yaml()


@pytest.mark.parametrize(
    "value", ["yes", "no", "2025-01-01", "0123", "1e3", "null", "~", "a: b", "- x", "#hash", "multi\nline"]
)
def test_round_trip_keeps_tricky_strings(value: str) -> None:
    catalog = Catalog(
        products=(Product(id="p", name="P", aliases=("x", value.replace("\n", " "))),),
        policies=(Policy(id="q", name="Q", description=value),),
    )
    assert Catalog.from_yaml(catalog.to_yaml()) == catalog


def test_to_yaml_leaves_out_defaults() -> None:
    text = Catalog(products=(Product(id="p", name="P"),)).to_yaml()
    assert text == "products:\n- id: p\n  name: P\n"


# -- frames ---------------------------------------------------------------------------


def test_products_frame(catalog: Catalog) -> None:
    frame = catalog.products_frame()
    assert list(frame.columns) == [
        "product_id",
        "name",
        "aliases",
        "skus",
        "family",
        "description",
        "launched_at",
        "discontinued_at",
        "meta",
    ]
    assert frame["product_id"].tolist() == ["fibre-500", "caller-id"]
    assert frame["product_id"].dtype == "string"
    assert frame.loc[0, "aliases"] == ["fiber 500", "fibre500", "500 meg"]
    assert frame.loc[0, "launched_at"] == dt.date(2023, 1, 15)
    assert pd.isna(frame.loc[1, "launched_at"])
    assert pd.isna(frame.loc[1, "family"])


def test_policies_frame(catalog: Catalog) -> None:
    frame = catalog.policies_frame()
    assert list(frame.columns) == [
        "policy_id",
        "name",
        "description",
        "phrases",
        "effective_from",
        "effective_to",
        "products",
        "meta",
    ]
    assert frame["products"].tolist() == [["fibre-500"], ["caller-id", "fibre-500"]]
    assert frame.loc[1, "effective_to"] == dt.date(2024, 12, 31)


def test_empty_frames_keep_their_schema(catalog: Catalog) -> None:
    empty = Catalog()
    for full, bare in (
        (catalog.products_frame(), empty.products_frame()),
        (catalog.policies_frame(), empty.policies_frame()),
    ):
        assert len(bare) == 0
        assert bare.dtypes.to_dict() == full.dtypes.to_dict()


def test_frames_write_to_parquet(catalog: Catalog, tmp_path: Path) -> None:
    frame = catalog.policies_frame().drop(columns=["meta"])
    frame.to_parquet(tmp_path / "p.parquet")
    assert pd.read_parquet(tmp_path / "p.parquet")["policy_id"].tolist() == frame["policy_id"].tolist()


# -- merge -----------------------------------------------------------------------------


def test_merge_overlays_by_id(catalog: Catalog) -> None:
    user = Catalog.from_yaml(
        "company: Acme UK\n"
        "products:\n  - {id: caller-id, name: Caller ID privacy}\n  - {id: mobile-s, name: Mobile S}\n"
        "policies:\n  - {id: roaming-fee, name: Roaming fee, products: [mobile-s]}\n"
    )
    merged = catalog.merge(user)
    assert merged.company == "Acme UK"
    assert [p.id for p in merged.products] == ["fibre-500", "caller-id", "mobile-s"]
    assert merged.product("caller-id").name == "Caller ID privacy"
    assert merged.product("caller-id").description is None  # replaced whole, not field by field
    assert [p.id for p in merged.policies] == ["support-fee-90d", "caller-id-fee", "roaming-fee"]
    assert len(merged) == 6
    assert catalog.merge(Catalog()) == catalog
    assert Catalog().merge(catalog) == catalog


def test_merge_keeps_base_company_when_user_has_none(catalog: Catalog) -> None:
    assert catalog.merge(Catalog(products=(Product(id="z", name="Z"),))).company == "Acme Telecom"


def test_user_catalog_may_refer_to_base_products(catalog: Catalog) -> None:
    text = "policies:\n  - id: new-fee\n    name: New fee\n    products: [fibre-500]\n"
    with pytest.raises(ConfigError, match=r"\[E301\].*line 4.*unknown product id 'fibre-500'"):
        Catalog.from_yaml(text)
    merged = Catalog.from_yaml(text, base=catalog)
    assert merged.policy("new-fee").products == ("fibre-500",)
    assert len(merged) == len(catalog) + 1
    bad = "policies:\n  - id: new-fee\n    name: New fee\n    products:\n      - fibre-5000\n"
    with pytest.raises(ConfigError, match=r"\[E301\].*line 5.*'fibre-5000'"):
        Catalog.from_yaml(bad, base=catalog)

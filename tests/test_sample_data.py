"""``sample_data/`` is what ``scripts/make_sample_data.py`` writes, and says what ``planted.json`` says.

The generator is run once into ``tmp_path`` (a few seconds) and every file is
compared byte for byte with the committed tree; the rest checks counts, the
ground truth in ``planted.json`` against the files, and that the library's
readers take every sample file without a failure.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
SCRIPT = ROOT / "scripts" / "make_sample_data.py"

TRANSCRIPT_FORMATS = {
    "plain_call",
    "webvtt",
    "cl_voice",
    "call_analytics",
    "cl_chat",
    "plain_chat",
    "utterances",
}
TICKET_FORMATS = {"zendesk", "salesforce", "freshdesk"}
QUARTERS = ["2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]


def _at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.fixture(scope="module")
def planted() -> dict[str, Any]:
    return json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rows(planted: dict[str, Any]) -> list[dict[str, Any]]:
    return planted["interactions"]


@pytest.fixture(scope="module")
def customers() -> dict[str, dict[str, str]]:
    with open(SAMPLE / "customers.csv", encoding="utf-8", newline="") as fh:
        return {r["customer_id"]: r for r in csv.DictReader(fh)}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- determinism ----------------------------------------------------------------


def test_generator_reproduces_the_committed_tree(tmp_path: Path, generator: ModuleType) -> None:
    out = tmp_path / "sample_data"
    generator.generate(out)
    new, old = _files(out), _files(SAMPLE)
    if generator.cfpb_source() is None:  # shared/ not beside the checkout: the CFPB slice can't be rebuilt
        old = {k: v for k, v in old.items() if not k.startswith("cfpb/")}
        for files in (new, old):
            doc = json.loads(files.pop("planted.json"))
            doc.pop("cfpb")
            files["planted.json"] = json.dumps(doc).encode()
    assert sorted(new) == sorted(old)
    differing = [name for name in sorted(new) if new[name] != old[name]]
    assert differing == [], "re-run scripts/make_sample_data.py and commit: these files differ"


def test_tree_digest_is_stable_within_a_process(tmp_path: Path, generator: ModuleType) -> None:
    assert generator.tree_digest(SAMPLE) == generator.tree_digest(SAMPLE)
    (tmp_path / "a").write_text("x")
    assert len(generator.tree_digest(tmp_path)) == 64


def test_generator_refuses_to_overwrite_foreign_folders(tmp_path: Path, generator: ModuleType) -> None:
    (tmp_path / "precious.txt").write_text("mine")
    with pytest.raises(SystemExit):
        generator.generate(tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "mine"


# -- counts ------------------------------------------------------------------


def _count_files() -> collections.Counter[str]:
    n: collections.Counter[str] = collections.Counter()
    n["plain_call"] = len(list((SAMPLE / "calls" / "plain_text").rglob("*.txt")))
    n["plain_chat"] = len(list((SAMPLE / "chats" / "plain_text").rglob("*.txt")))
    n["webvtt"] = len(list((SAMPLE / "calls" / "webvtt").glob("*.vtt")))
    n["cl_voice"] = len(list((SAMPLE / "calls" / "Analysis" / "Voice").rglob("*_analysis_*.json")))
    n["cl_chat"] = len(list((SAMPLE / "chats" / "Analysis" / "Chat").rglob("*_analysis_*.json")))
    n["call_analytics"] = len(list((SAMPLE / "calls" / "call_analytics").glob("*.json")))
    conversations = set()
    for path in (SAMPLE / "chats" / "utterances").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            conversations.add(json.loads(line)["conversation_id"])
    n["utterances"] = len(conversations)
    for path in (SAMPLE / "tickets" / "zendesk").glob("*.json"):
        n["zendesk"] += len(json.loads(path.read_text(encoding="utf-8"))["tickets"])
    with open(SAMPLE / "tickets" / "salesforce" / "cases.csv", encoding="utf-8", newline="") as fh:
        n["salesforce"] = sum(1 for _ in csv.DictReader(fh))
    n["freshdesk"] = len(
        json.loads((SAMPLE / "tickets" / "freshdesk" / "tickets.json").read_text(encoding="utf-8"))
    )
    return n


def test_counts_meet_the_brief_and_match_planted(rows: list[dict[str, Any]]) -> None:
    n = _count_files()
    transcripts = {f: n[f] for f in TRANSCRIPT_FORMATS if n[f]}
    tickets = {f: n[f] for f in TICKET_FORMATS if n[f]}
    assert sum(transcripts.values()) >= 400
    assert (
        len(
            {
                "plain_text" if f.startswith("plain") else "contact_lens" if f.startswith("cl_") else f
                for f in transcripts
            }
        )
        >= 4
    )
    assert sum(tickets.values()) >= 1200
    assert len(tickets) >= 2
    assert collections.Counter(r["format"] for r in rows) == +n


def test_sample_data_stays_small() -> None:
    assert sum(len(b) for b in _files(SAMPLE).values()) < 15 * 1024 * 1024


# -- planted.json against the files ---------------------------------------------


def test_every_interaction_is_in_its_file(rows: list[dict[str, Any]]) -> None:
    assert len({r["id"] for r in rows}) == len(rows)
    texts: dict[str, str] = {}
    for r in rows:
        path = SAMPLE / r["path"]
        assert path.is_file(), r["path"]
        text = texts.setdefault(r["path"], path.read_text(encoding="utf-8"))
        needle = {
            "zendesk": f'"id": {r["id"]},',
            "freshdesk": f'"id": {r["id"]},',
            "utterances": f'"conversation_id": "{r["id"]}"',
            "salesforce": f'"{r["id"]}"',
        }.get(r["format"], r["id"])
        assert needle in text, (r["id"], r["path"])
        if r.get("customer_id_in_source", True) and r["format"] in (
            "plain_call",
            "plain_chat",
            "salesforce",
            "utterances",
        ):
            assert r["customer_id"] in text


def test_pattern_counts_and_ids_agree_with_rows(planted: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in rows}
    for p in planted["patterns"]:
        mine = [r for r in rows if r["pattern"] == p["id"]]
        assert sorted(p["interaction_ids"]) == sorted(r["id"] for r in mine)
        assert p["total"] == len(mine)
        for q in QUARTERS:
            for channel in ("call", "chat", "ticket"):
                assert p["counts"][q][channel] == sum(
                    1 for r in mine if r["quarter"] == q and r["channel"] == channel
                )
        for first, second in p.get("repeat_pairs", []):
            a, b = by_id[first], by_id[second]
            assert a["customer_id"] == b["customer_id"]
            assert dt.timedelta(0) < _at(b["created_at"]) - _at(a["created_at"]) <= dt.timedelta(days=7)
            assert b["repeat_of"] == first
            assert a["format"] not in ("webvtt", "call_analytics") and b["format"] not in (
                "webvtt",
                "call_analytics",
            )


def test_patterns_sit_where_the_readme_says(
    planted: dict[str, Any], rows: list[dict[str, Any]], customers: dict[str, dict[str, str]]
) -> None:
    pats = {p["id"]: p for p in planted["patterns"]}
    by_pattern = collections.defaultdict(list)
    for r in rows:
        by_pattern[r["pattern"]].append(r)
    first = {k: min(_at(r["created_at"]) for r in v) for k, v in by_pattern.items() if k}
    last = {k: max(_at(r["created_at"]) for r in v) for k, v in by_pattern.items() if k}
    assert first["P1_support_fee"] >= dt.datetime(2025, 10, 1)
    assert first["P3_tvbox_discontinued"] >= dt.datetime(2025, 11, 3)
    assert first["P5_router_reboot"] >= dt.datetime(2026, 8, 4)
    assert last["P6_paper_bill_fee"] < dt.datetime(2026, 4, 23)
    # P1 hits premium and business customers harder than their share of the base
    p1 = pats["P1_support_fee"]
    rate = p1["customers_per_100_in_segment"]
    assert rate["premium"] > rate["consumer"] and rate["business"] > rate["consumer"]
    assert p1["premium_or_business_share"] > p1["customer_base_premium_or_business_share"]
    assert len(p1["repeat_pairs"]) >= 15
    # P3 peaks in 2026Q1; P6 falls after the change; P5 is new in the last quarter
    p3 = {q: pats["P3_tvbox_discontinued"]["counts"][q]["total"] for q in QUARTERS}
    assert max(p3, key=p3.__getitem__) == "2026Q1"
    p6 = {q: pats["P6_paper_bill_fee"]["counts"][q]["total"] for q in QUARTERS}
    assert min(p6["2025Q3"], p6["2025Q4"], p6["2026Q1"]) > 3 * max(p6["2026Q2"], p6["2026Q3"])
    assert [pats["P5_router_reboot"]["counts"][q]["total"] for q in QUARTERS[:4]] == [0, 0, 0, 0]
    assert pats["P5_router_reboot"]["counts"]["2026Q3"]["total"] >= 30
    # P4: broken promises are calls, mostly in one queue, and each has a follow-up within 7 days
    p4 = pats["P4_callback_missed"]
    queues = p4["promise_queues"]
    assert max(queues, key=queues.__getitem__) == "Tech Support Tier 2"
    assert queues["Tech Support Tier 2"] >= 0.7 * sum(queues.values())
    by_id = {r["id"]: r for r in rows}
    assert {by_id[i]["format"] for i in p4["promise_ids"]} <= {"plain_call", "cl_voice"}
    assert len(p4["repeat_pairs"]) == len(p4["promise_ids"])
    # products: whoever complains about a product's problem holds it
    holding = {"P2_caller_id_fee": "landline_home_phone", "P5_router_reboot": "router_hub5"}
    for pid, product in holding.items():
        for cid in pats[pid]["customers"]:
            assert product in customers[cid]["products"].split(";")
    for cid in pats["P3_tvbox_discontinued"]["customers"]:
        assert {"tv_box_hd", "tv_box_plus"} & set(customers[cid]["products"].split(";"))
    # most contacts are not complaints
    assert sum(r["is_complaint"] for r in rows) < 0.5 * len(rows)


def test_customers_table(rows: list[dict[str, Any]], customers: dict[str, dict[str, str]]) -> None:
    assert {r["customer_id"] for r in rows} <= set(customers)
    assert {c["segment"] for c in customers.values()} == {"consumer", "premium", "business"}
    for c in customers.values():
        assert re.fullmatch(r"C\d{6}", c["customer_id"])
        assert c["email"].endswith("@example.com")
        assert re.fullmatch(r"\d{3}-555-01\d\d", c["phone"])
        assert float(c["value"]) > 0
    values = sorted(float(c["value"]) for c in customers.values())
    assert values[len(values) // 2] < sum(values) / len(values)  # skewed: median below mean
    channels = collections.defaultdict(set)
    for r in rows:
        channels[r["customer_id"]].add(r["channel"])
    assert sum(1 for c in channels.values() if len(c) > 1) >= 100


def test_catalogs_load_and_cover_planted_ids(planted: dict[str, Any]) -> None:
    import hotline_insight as hi

    catalog = hi.Catalog.from_yaml(SAMPLE / "catalog.yaml")
    product_ids = {p.id for p in catalog.products}
    policy_ids = {p.id for p in catalog.policies}
    for p in planted["patterns"]:
        assert set(p["policy_ids"]) <= policy_ids
        assert set(p["product_ids"]) <= product_ids
    assert len(hi.Catalog.from_yaml(SAMPLE / "cfpb" / "catalog.yaml").products) == 5


# -- vendor files are internally consistent ----------------------------------------


def test_contact_lens_offsets_and_ctr_join() -> None:
    ctr = [
        json.loads(line)
        for line in (SAMPLE / "ctr" / "contact_records.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    ctr_ids = {r["ContactId"] for r in ctr}
    for r in ctr:
        assert r["InitialContactId"] in ctr_ids
        assert r["PreviousContactId"] is None or r["PreviousContactId"] in ctr_ids
        assert re.fullmatch(r"C\d{6}", r["Attributes"]["customer_id"])
    files = sorted((SAMPLE / "calls" / "Analysis").rglob("*.json")) + sorted(
        (SAMPLE / "chats" / "Analysis").rglob("*.json")
    )
    assert files
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        contact = doc["CustomerMetadata"]["ContactId"]
        assert path.name.startswith(contact + "_analysis_")
        assert contact in ctr_ids
        participants = {p["ParticipantId"] for p in doc["Participants"]}
        for turn in doc["Transcript"]:
            assert turn["ParticipantId"] in participants
            for issue in turn.get("IssuesDetected", []):
                off = issue["CharacterOffsets"]
                assert turn["Content"][off["BeginOffsetChar"] : off["EndOffsetChar"]] == issue["Text"]


def test_call_analytics_offsets() -> None:
    for path in sorted((SAMPLE / "calls" / "call_analytics").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["JobName"] == path.stem
        for turn in doc["Transcript"]:
            assert turn["ParticipantRole"] in ("AGENT", "CUSTOMER")
            for issue in turn.get("IssuesDetected", []):
                off = issue["CharacterOffsets"]
                assert 0 <= off["Begin"] < off["End"] <= len(turn["Content"])


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_card_numbers_in_the_text_are_luhn_valid_test_numbers() -> None:
    card = re.compile(r"\b(?:\d{4} \d{4} \d{4} \d{4}|\d{4} \d{6} \d{5})\b")
    found = 0
    for path in sorted(SAMPLE.rglob("*")):
        if (
            path.is_file()
            and "cfpb" not in path.parts
            and path.suffix in (".txt", ".vtt", ".json", ".jsonl", ".csv")
        ):
            for m in card.finditer(path.read_text(encoding="utf-8")):
                found += 1
                assert _luhn(m.group(0).replace(" ", "")), (path, m.group(0))
    assert found > 10


def test_cfpb_slice_is_verbatim(datasets_dir: Path) -> None:
    source = (datasets_dir / "cfpb_complaints" / "payday_personal_loans_2023.csv").read_bytes()
    data = (SAMPLE / "cfpb" / "complaints_sample.csv").read_bytes()
    header, _, body = data.partition(b"\r\n")
    assert source.startswith(header + b"\r\n")
    with open(SAMPLE / "cfpb" / "complaints_sample.csv", encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert 350 <= len(records) <= 450
    assert len({r["Date received"][:2] for r in records}) == 8  # every month of the source
    assert {r["Sub-product"] for r in records} >= {
        "Installment loan",
        "Personal line of credit",
        "Payday loan",
        "Title loan",
    }
    for chunk in body.split(b"\r\n"):
        if chunk:
            assert chunk in source


# -- the library reads every sample file --------------------------------------------


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        (
            "calls",
            {
                "plain_text": "plain_call",
                "webvtt": "webvtt",
                "contact_lens": "cl_voice",
                "transcribe_call_analytics": "call_analytics",
            },
        ),
        ("chats", {"plain_text": "plain_chat", "contact_lens": "cl_chat", "utterances_jsonl": "utterances"}),
        ("tickets", {"zendesk_json": "zendesk", "salesforce_case": "salesforce", "freshdesk": "freshdesk"}),
    ],
)
def test_library_reads_sample_data_without_failures(
    folder: str, expected: dict[str, str], rows: list[dict[str, Any]]
) -> None:
    import hotline_insight as hi

    corpus = hi.read(SAMPLE / folder, on_error="collect")
    summary = corpus.parse_report.summary()
    assert summary["n_failed"] == 0, corpus.parse_report.failures.head(10)
    want = collections.Counter(r["format"] for r in rows)
    assert {k: summary["formats"][k] for k in expected} == {k: want[v] for k, v in expected.items()}
    ids = {r["id"] for r in rows}
    assert {it.id for it in corpus} <= ids

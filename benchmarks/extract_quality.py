"""Grievance extraction quality on real, labelled public data.

* CFPB narratives (every row is a complaint): the share in which at least one
  grievance is found (target >= 90%), and per-theme precision and recall of
  the extracted themes against ``cfpb_issue_themes.yaml``, a committed mapping
  from each CFPB ``Issue`` to the themes a reader expects (written from the
  issue names, not fitted to what the pipeline finds). A complaint's
  predicted themes are those of all its grievances.
* banking77 test queries whose intent is informational
  (``banking77_informational.yaml``): the share wrongly flagged as complaints.
* banking77 queries of the other intents, for contrast: the share flagged.

Usage::

    python benchmarks/extract_quality.py
"""

from __future__ import annotations

import csv
import sys
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATASETS = ROOT.parent / "shared" / "datasets"
CFPB = DATASETS / "cfpb_complaints" / "payday_personal_loans_2023.csv"
BANKING = DATASETS / "banking77" / "test.csv"


def table(rows: list[dict[str, object]]) -> None:
    headers = list(rows[0])
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()]
        print("| " + " | ".join(cells) + " |")


def main() -> int:
    import hotline_insight as hi

    warnings.simplefilter("ignore", hi.ParseWarning)
    status = 0
    if not CFPB.exists():
        print("shared datasets not found; nothing to measure", file=sys.stderr)
        return 1
    mapping = yaml.safe_load((HERE / "cfpb_issue_themes.yaml").read_text())["issues"]
    corpus = hi.read(CFPB, format="cfpb")
    catalog = hi.Catalog.from_yaml(ROOT / "sample_data" / "cfpb" / "catalog.yaml")
    found = hi.extract_grievances(corpus, catalog=catalog)
    by_id: dict[str, set[str]] = defaultdict(set)
    for g in found:
        by_id[g.interaction_id].update(g.themes)
    with_grievance = {g.interaction_id for g in found}
    coverage = len(with_grievance) / len(corpus)
    print(f"\nCFPB: {len(corpus)} complaints, {len(found)} grievances; at least one grievance in "
          f"{coverage:.1%} (target >= 90%)\n")
    if coverage < 0.90:
        status = 1
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    unmapped = 0
    for interaction in corpus:
        expected = set(mapping.get(interaction.category or "", []) or [])
        if interaction.category not in mapping:
            unmapped += 1
            continue
        predicted = by_id.get(interaction.id, set())
        for theme in predicted | expected:
            if theme in predicted and theme in expected:
                tp[theme] += 1
            elif theme in predicted:
                fp[theme] += 1
            else:
                fn[theme] += 1
    rows = []
    for theme in sorted(set(tp) | set(fp) | set(fn), key=lambda t: -(tp[t] + fn[t])):
        support = tp[theme] + fn[theme]
        if support == 0 and fp[theme] < 5:
            continue
        precision = tp[theme] / (tp[theme] + fp[theme]) if tp[theme] + fp[theme] else 0.0
        recall = tp[theme] / support if support else 0.0
        rows.append({"theme": theme, "expected": support, "found": tp[theme] + fp[theme],
                     "precision": precision, "recall": recall})
    micro_p = sum(tp.values()) / max(1, sum(tp.values()) + sum(fp.values()))
    micro_r = sum(tp.values()) / max(1, sum(tp.values()) + sum(fn.values()))
    rows.append({"theme": "all (micro)", "expected": sum(tp.values()) + sum(fn.values()),
                 "found": sum(tp.values()) + sum(fp.values()), "precision": micro_p, "recall": micro_r})
    table(rows)
    if unmapped:
        print(f"\n({unmapped} complaints have an Issue missing from the mapping and were not scored)")

    informational = set(yaml.safe_load((HERE / "banking77_informational.yaml").read_text())["informational"])
    with open(BANKING, encoding="utf-8", newline="") as fh:
        queries = list(csv.DictReader(fh))
    texts = [q["text"] for q in queries]
    flagged = {int(g.interaction_id) for g in hi.extract_grievances(texts)}
    info_idx = [i for i, q in enumerate(queries) if q["category"] in informational]
    other_idx = [i for i, q in enumerate(queries) if q["category"] not in informational]
    info_rate = sum(i in flagged for i in info_idx) / len(info_idx)
    other_rate = sum(i in flagged for i in other_idx) / len(other_idx)
    print("\nbanking77 test queries flagged as complaints\n")
    table([
        {"queries": "informational intents", "n": len(info_idx), "flagged": info_rate},
        {"queries": "other intents (many name a problem)", "n": len(other_idx), "flagged": other_rate},
    ])
    return status


if __name__ == "__main__":
    raise SystemExit(main())

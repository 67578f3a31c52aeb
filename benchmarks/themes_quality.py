"""How the built-in theme matcher behaves on real and sample data (the matcher alone, no complaint detection).

* CFPB narratives: per-theme precision and recall at the complaint level against
  ``cfpb_issue_themes.yaml`` (a complaint's predicted themes are the themes fired
  anywhere in its narrative), and which themes fire most for each Issue.
* banking77 test queries: the share in which any theme fires, by intent group.
* sample_data: the share of complaint / non-complaint interactions whose customer
  turns fire a theme, and the themes per planted topic.
* speed: the theme and facet components on 2,000 customer turns against bare tokenisation.

Usage::

    python benchmarks/themes_quality.py [--min-weight 1.0]
"""

from __future__ import annotations

import argparse
import csv
import json
import time
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-weight", type=float, default=0.0, help="ignore cues weaker than this")
    args = parser.parse_args()

    import spacy

    import hotline_insight as hi
    from hotline_insight.themes import Taxonomy
    from hotline_insight.themes.matcher import FacetMatcher, ThemeMatcher

    warnings.simplefilter("ignore", hi.ParseWarning)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    themes = ThemeMatcher(nlp)
    order = [t.id for t in Taxonomy.default().themes]

    def fired(text: str) -> set[str]:
        doc = nlp(text)
        return {s.label_ for s in themes.match(doc) if (s._.hi_score or 0) >= args.min_weight}

    # -- CFPB ------------------------------------------------------------------
    mapping = yaml.safe_load((HERE / "cfpb_issue_themes.yaml").read_text())["issues"]
    corpus = hi.read(CFPB, format="cfpb")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    by_issue: dict[str, Counter[str]] = defaultdict(Counter)
    n_issue: Counter[str] = Counter()
    n_any = 0
    for interaction in corpus:
        text = "\n".join(t.text for t in interaction.turns)
        predicted = fired(text)
        n_any += bool(predicted)
        issue = interaction.category or ""
        n_issue[issue] += 1
        by_issue[issue].update(predicted)
        expected = set(mapping.get(issue, []))
        for theme in predicted | expected:
            if theme in predicted and theme in expected:
                tp[theme] += 1
            elif theme in predicted:
                fp[theme] += 1
            else:
                fn[theme] += 1
    print(f"\nCFPB: {len(corpus)} narratives; any theme fires in {n_any / len(corpus):.1%}\n")
    rows = []
    for theme in order:
        support = tp[theme] + fn[theme]
        found = tp[theme] + fp[theme]
        if not support and not found:
            continue
        rows.append(
            {
                "theme": theme,
                "expected": support,
                "fired": found,
                "precision": tp[theme] / found if found else 0.0,
                "recall": tp[theme] / support if support else float("nan"),
            }
        )
    mapped = [t for t in order if tp[t] + fn[t]]
    micro_p = sum(tp[t] for t in mapped) / max(1, sum(tp[t] + fp[t] for t in mapped))
    micro_r = sum(tp[t] for t in mapped) / max(1, sum(tp[t] + fn[t] for t in mapped))
    rows.append({"theme": "mapped themes (micro)", "expected": sum(tp[t] + fn[t] for t in mapped),
                 "fired": sum(tp[t] + fp[t] for t in mapped), "precision": micro_p, "recall": micro_r})
    table(rows)
    print("\nThemes firing per Issue (share of the Issue's complaints; expected themes marked *)\n")
    rows = []
    for issue, n in n_issue.most_common():
        top = by_issue[issue].most_common(5)
        expected = set(mapping.get(issue, []))
        shown = ", ".join(f"{t}{'*' if t in expected else ''} {c / n:.0%}" for t, c in top)
        recall = ", ".join(f"{t} {by_issue[issue][t] / n:.0%}" for t in sorted(expected))
        rows.append({"issue": issue[:60], "n": n, "expected: fired": recall or "-", "top themes": shown})
    table(rows)

    # -- banking77 -----------------------------------------------------------------
    informational = set(yaml.safe_load((HERE / "banking77_informational.yaml").read_text())["informational"])
    with open(BANKING, encoding="utf-8", newline="") as fh:
        queries = list(csv.DictReader(fh))
    hits = [bool(fired(q["text"])) for q in queries]
    info = [h for h, q in zip(hits, queries, strict=True) if q["category"] in informational]
    other = [h for h, q in zip(hits, queries, strict=True) if q["category"] not in informational]
    print(f"\nbanking77 test: any theme fires in {sum(hits) / len(hits):.1%} of {len(hits)} queries; "
          f"{sum(info) / len(info):.1%} of {len(info)} informational, "
          f"{sum(other) / len(other):.1%} of {len(other)} others")
    per_intent: dict[str, list[bool]] = defaultdict(list)
    for h, q in zip(hits, queries, strict=True):
        per_intent[q["category"]].append(h)
    ranked = sorted(per_intent.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))
    print("most-firing intents: " + ", ".join(f"{k} {sum(v) / len(v):.0%}" for k, v in ranked[:8]))
    print("least-firing intents: " + ", ".join(f"{k} {sum(v) / len(v):.0%}" for k, v in ranked[-8:]))

    # -- sample data ----------------------------------------------------------------
    planted = {row["id"]: row for row in json.loads((ROOT / "sample_data" / "planted.json").read_text())["interactions"]}
    sample = hi.read(ROOT / "sample_data", on_error="collect")
    topic_themes: dict[str, Counter[str]] = defaultdict(Counter)
    topic_n: Counter[str] = Counter()
    complaint_hits = [0, 0]
    other_hits = [0, 0]
    customer_turns: list[str] = []
    for interaction in sample:
        row = planted.get(interaction.id)
        if row is None:
            continue
        texts = [t.text for t in interaction.turns if t.role in ("customer", "unknown")]
        customer_turns.extend(texts)
        predicted: set[str] = set()
        for text in texts:
            predicted |= fired(text)
        topic = row["pattern"] or row["topic"]
        topic_n[topic] += 1
        topic_themes[topic].update(predicted)
        bucket = complaint_hits if row["is_complaint"] else other_hits
        bucket[0] += bool(predicted)
        bucket[1] += 1
    print(f"\nsample_data: a theme fires in {complaint_hits[0] / complaint_hits[1]:.1%} of {complaint_hits[1]} "
          f"complaint interactions and {other_hits[0] / other_hits[1]:.1%} of {other_hits[1]} others\n")
    rows = []
    for topic, n in sorted(topic_n.items()):
        top = topic_themes[topic].most_common(3)
        rows.append({"topic": topic, "n": n, "top themes": ", ".join(f"{t} {c / n:.0%}" for t, c in top) or "-"})
    table(rows)

    # -- speed --------------------------------------------------------------------------
    turns = customer_turns[:2000]
    facets = FacetMatcher(nlp)
    docs = [nlp(t) for t in turns]

    def timed(f: object) -> float:
        best = float("inf")
        for _ in range(7):
            start = time.process_time()
            f()  # type: ignore[operator]
            best = min(best, time.process_time() - start)
        return best

    bare = timed(lambda: [nlp.make_doc(t) for t in turns])
    t_themes = timed(lambda: [themes(d) for d in docs])
    t_facets = timed(lambda: [facets(d) for d in docs])
    print(f"\nspeed on {len(turns)} customer turns (CPU time, best of 7): tokenise {bare * 1000:.1f} ms; "
          f"themes {t_themes / bare:.2f}x, facets {t_facets / bare:.2f}x of tokenising")


if __name__ == "__main__":
    main()

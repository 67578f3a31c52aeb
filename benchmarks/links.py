"""Links from extracted themes against links from the CFPB's own labels, on real complaints.

Every CFPB complaint carries the consumer's own ``Issue`` (picked from a list
when filing) and the ``Sub-product`` and ``Company`` it is about. Mapping each
Issue to the themes a reader expects (``cfpb_issue_themes.yaml``, written from
the Issue names, not fitted) gives label-based links: theme x sub-product and
theme x company, with :func:`hotline_insight.link`. The same tables are then
built from the themes the pipeline *extracts* from the narratives. If the
text-based links are right, the two tables agree on which themes sit with
which products: the lifts of the pairs both tables have with at least 20
complaints (in the label table) are rank-correlated (Spearman; target >=
0.5). The pairs the text finds significantly over-represented but the labels
do not (label lift <= 1, or not a pair at all) are printed: they are what the
Issue field cannot say (a complaint has one Issue; its narrative can raise
several grievances).

Usage::

    python benchmarks/links.py                 # all 2,827 complaints
    python benchmarks/links.py --n-process 2   # extraction on two processes
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CFPB = ROOT.parent / "shared" / "datasets" / "cfpb_complaints" / "payday_personal_loans_2023.csv"
MIN_COMPLAINTS = 20


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic) if len(x) >= 3 else float("nan")


def lift_matrix(table: pd.DataFrame, column: str, rows: list[str]) -> pd.DataFrame:
    pivot = table.pivot_table(index="theme", columns=column, values="lift", aggfunc="first")
    return pivot.reindex(rows).round(2)


def compare(text: pd.DataFrame, labels: pd.DataFrame, column: str) -> tuple[pd.DataFrame, float]:
    both = labels.merge(text, on=["theme", column], how="inner", suffixes=("_label", "_text"))
    both = both[both["n_contacts_label"] >= MIN_COMPLAINTS]
    rho = spearman(both["lift_label"].to_numpy(dtype=float), both["lift_text"].to_numpy(dtype=float))
    return both, rho


def text_only(text: pd.DataFrame, labels: pd.DataFrame, column: str) -> pd.DataFrame:
    found = text[text["is_significant"] & (text["lift"] > 1) & (text["n_contacts"] >= 10)]
    merged = found.merge(
        labels[["theme", column, "lift", "n_contacts"]],
        on=["theme", column],
        how="left",
        suffixes=("", "_label"),
    )
    missed = merged[merged["lift_label"].isna() | (merged["lift_label"] <= 1)]
    return missed[["theme", column, "n_contacts", "lift", "q_value", "n_contacts_label", "lift_label"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()
    import hotline_insight as hi

    warnings.simplefilter("ignore", hi.HotlineWarning)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_rows", 200)
    if not CFPB.exists():
        print("shared datasets not found; nothing to measure", file=sys.stderr)
        return 1
    mapping = yaml.safe_load((HERE / "cfpb_issue_themes.yaml").read_text())["issues"]
    corpus = hi.read(CFPB, format="cfpb")
    catalog = hi.Catalog.from_yaml(ROOT / "sample_data" / "cfpb" / "catalog.yaml")
    start = time.perf_counter()
    found = hi.extract_grievances(corpus, catalog=catalog, n_process=args.n_process)
    extract_s = time.perf_counter() - start
    frame = corpus.to_frame()
    labels = pd.DataFrame(
        {
            "interaction_id": frame["id"].to_numpy(dtype=object),
            "source_format": frame["source_format"].to_numpy(dtype=object),
            "themes": [
                list(mapping.get(issue, []) or []) if isinstance(issue, str) else []
                for issue in frame["category"]
            ],
        }
    )
    unmapped = int(sum(1 for issue in frame["category"] if issue not in mapping))
    print(
        f"CFPB: {len(corpus):,} complaints; {len(found):,} grievances extracted in {extract_s:.0f} s "
        f"(n_process={args.n_process}); {unmapped} complaints with an Issue outside the mapping\n"
    )
    start = time.perf_counter()
    text_data = hi.prepare_analysis(frame, found)
    label_data = hi.prepare_analysis(frame, labels)
    results = {}
    for column, dim in (("sub_product", "meta.sub_product"), ("company", "meta.company")):
        text = hi.link(text_data, ("theme", dim)).rename(columns={dim: column})
        label = hi.link(label_data, ("theme", dim)).rename(columns={dim: column})
        results[column] = (text, label)
    link_s = time.perf_counter() - start
    status = 0
    themes = sorted(
        set(results["sub_product"][1]["theme"].dropna()) | set(results["sub_product"][0]["theme"].dropna())
    )
    for column, (text, label) in results.items():
        both, rho = compare(text, label, column)
        print(f"## theme x {column}\n")
        if column == "sub_product":
            print("Lift from the CFPB Issue labels (mapped to themes):\n")
            print(lift_matrix(label, column, themes).dropna(how="all").to_string(na_rep="."), "\n")
            print("Lift from the themes extracted from the narratives:\n")
            print(lift_matrix(text, column, themes).dropna(how="all").to_string(na_rep="."), "\n")
        else:
            shown = ["theme", column, "n_contacts", "lift", "z", "q_value"]
            print("Label-based pairs with the most complaints:\n")
            print(
                label.sort_values("n_contacts", ascending=False)[shown].head(15).to_string(index=False), "\n"
            )
            print("Text-based pairs with the most complaints:\n")
            print(
                text.sort_values("n_contacts", ascending=False)[shown].head(15).to_string(index=False), "\n"
            )
        print(
            f"Spearman rank correlation of lift, label vs text, over the {len(both)} pairs with at least "
            f"{MIN_COMPLAINTS} complaints in the label table: {rho:.3f} (target >= 0.5)\n"
        )
        if not rho >= 0.5:
            status = 1
        missed = text_only(text, label, column)
        print(
            f"Pairs the text finds (q <= 0.05, lift > 1, >= 10 complaints) that the labels miss: {len(missed)}\n"
        )
        if len(missed):
            print(missed.sort_values("n_contacts", ascending=False).head(20).to_string(index=False), "\n")
    print(f"link tables: {link_s:.1f} s for the four tables (prepared once per source)")
    return status


if __name__ == "__main__":
    sys.exit(main())

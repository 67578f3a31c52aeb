"""The ``hotline_linker`` component: its cost beside tokenisation, and its precision on CFPB.

Speed: customer turns of ``sample_data`` (calls, chats, tickets) and the CFPB
narratives are run through a sentencizer and a lookup lemmatizer; then the
linker alone is timed on those fresh docs, with and without fuzzy matching,
and set beside ``spacy.blank("en")`` tokenisation of the same texts.

Quality: every narrative of the real CFPB export is linked with
``sample_data/cfpb/catalog.yaml`` (text mentions only; the product hint is
not set, since it holds the answer), and the links are compared with the
row's ``Sub-product``.

Usage::

    python benchmarks/linking.py            # speed and quality
    python benchmarks/linking.py --quick    # fewer repeats, the 400-row CFPB slice
"""

from __future__ import annotations

import argparse
import collections
import csv
import gc
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "sample_data"
CFPB_FULL = ROOT.parent / "shared" / "datasets" / "cfpb_complaints" / "payday_personal_loans_2023.csv"
CFPB_SLICE = SAMPLE / "cfpb" / "complaints_sample.csv"


def _pipeline(catalog: Path | None, **config: Any) -> Any:
    import spacy

    import hotline_insight.nlp.linking  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    if catalog is not None:
        nlp.add_pipe("hotline_linker", config={"catalog": str(catalog), **config})
    return nlp


def _narratives(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["Consumer complaint narrative"].strip()]


def speed(name: str, texts: list[str], catalog: Path, repeat: int) -> None:
    base = _pipeline(None)
    linkers = {
        "all": _pipeline(catalog).get_pipe("hotline_linker"),
        "exact": _pipeline(catalog, fuzzy=False).get_pipe("hotline_linker"),
    }
    for linker in linkers.values():
        for doc in base.pipe(texts):  # build, fill the caches
            linker(doc)
    best = {"tokenise": float("inf"), "all": float("inf"), "exact": float("inf")}
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            for text in texts:
                base.make_doc(text)
            best["tokenise"] = min(best["tokenise"], time.perf_counter() - start)
            for key, linker in linkers.items():
                docs = list(base.pipe(texts))
                start = time.perf_counter()
                for doc in docs:
                    linker(doc)
                best[key] = min(best[key], time.perf_counter() - start)
                del docs
                gc.collect()
    finally:
        gc.enable()
    tok, full, exact = best["tokenise"], best["all"], best["exact"]
    n = len(texts)
    print(
        f"{name:>8}: {n:5d} texts, {sum(map(len, texts)) / n:6.0f} chars; tokenise {tok * 1e6 / n:6.1f} us; "
        f"linker {full * 1e6 / n:6.1f} us = {full / tok:.2f}x (exact {exact / tok:.2f}x + fuzzy {(full - exact) / tok:.2f}x)"
    )


def quality(path: Path) -> None:
    from hotline_insight.catalog import Catalog

    catalog_path = SAMPLE / "cfpb" / "catalog.yaml"
    by_name = {p.name: p.id for p in Catalog.from_yaml(catalog_path).products}
    rows = _narratives(path)
    nlp = _pipeline(catalog_path)
    n_linked = n_majority = n_first = n_gold_only = n_other_only = 0
    mentions: collections.Counter[str] = collections.Counter()
    right: collections.Counter[str] = collections.Counter()
    for row, doc in zip(rows, nlp.pipe(r["Consumer complaint narrative"] for r in rows), strict=True):
        spans = list(doc.spans.get("hi_products", []))
        if not spans:
            continue
        gold = by_name[row["Sub-product"]]
        labels = [s.label_ for s in spans]
        counts = collections.Counter(labels)
        n_linked += 1
        n_majority += max(counts, key=lambda label: (counts[label], -labels.index(label))) == gold
        n_first += labels[0] == gold
        n_gold_only += set(counts) == {gold}
        n_other_only += gold not in counts
        for span in spans:
            mentions[span._.hi_method] += 1
            right[span._.hi_method] += span.label_ == gold
    n = len(rows)
    print(f"CFPB {path.name}: {n} narratives; {n_linked} ({n_linked / n:.1%}) mention a product")
    print(
        f"  of these: only the row's Sub-product {n_gold_only / n_linked:.1%}, only another product "
        f"{n_other_only / n_linked:.1%}, both {(n_linked - n_gold_only - n_other_only) / n_linked:.1%}"
    )
    print(
        f"  row precision: majority label {n_majority / n_linked:.3f}, first mention {n_first / n_linked:.3f}"
    )
    total, good = sum(mentions.values()), sum(right.values())
    print(f"  mention precision {good}/{total} = {good / total:.3f}; by method: ", end="")
    print(", ".join(f"{m} {right[m]}/{mentions[m]}" for m in sorted(mentions)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    import warnings

    import hotline_insight as hi

    warnings.filterwarnings("ignore", category=hi.ParseWarning)
    repeat = 3 if args.quick else 7
    catalog = SAMPLE / "catalog.yaml"
    for folder in ("calls", "chats", "tickets"):
        corpus = hi.read(SAMPLE / folder, on_error="collect")
        texts = [t.text for i in corpus for t in i.turns if t.role == "customer"][:2000]
        speed(folder, texts, catalog, repeat)
    cfpb = [r["Consumer complaint narrative"] for r in _narratives(CFPB_SLICE)]
    speed("cfpb", cfpb, SAMPLE / "cfpb" / "catalog.yaml", repeat)
    quality(CFPB_SLICE if args.quick or not CFPB_FULL.exists() else CFPB_FULL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

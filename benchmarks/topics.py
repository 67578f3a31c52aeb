"""Topic discovery quality and speed on real, labelled public data.

Quality (default): for banking77 test (77 intents), DSTC11 insurance (22
intents), MultiDoGO test turns of each domain (customer turns whose intent is
a task intent: the generic dialogue acts such as greetings, thanks and
"contentonly", and turns with several intents, are left out) and the CFPB
narratives against ``Issue``, the script fits on the texts alone (labels are
used only to score) and prints NMI, ARI, coverage (share of texts not -1),
the number of topics and the time of:

* ours: ``hi.TopicModel(random_state=0)``, the library default, embedding
  included in its time;
* baseline (a): BERTopic as a user gets it, ``BERTopic(embedding_model=<the
  same offline MiniLM>)`` with library defaults otherwise, given the same
  embeddings (its time excludes embedding);
* baseline (b): k-means on the same embeddings with k set to the true number
  of labels (``KMeans(n_clusters=k, random_state=0)``).

The embedding time of each dataset is printed too. NMI counts -1 as a
cluster of its own, as BERTopic's own evaluations do.

Speed (``--speed``): in a fresh child process (so its peak memory is its own),
fit the default model on 100,000 MultiDoGO customer turns (all domains and
splits, in file order), then transform 2,000 other distinct turns; prints the fit time and its stages,
peak RSS, transform rate, and as the same-process baseline the raw MiniLM
encoding rate on those 2,000 turns.

Usage::

    python benchmarks/topics.py                 # quality, all datasets (15-20 min on 2 quiet cores)
    python benchmarks/topics.py banking77 dstc11
    python benchmarks/topics.py --speed [--n 100000]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATASETS = ROOT.parent / "shared" / "datasets"
DOMAINS = ("airline", "fastfood", "finance", "insurance", "media", "software")
GENERIC = {
    "contentonly",
    "confirmation",
    "rejection",
    "openinggreeting",
    "closinggreeting",
    "thankyou",
    "outofdomain",
}


def _tsv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 26)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def load(name: str) -> tuple[list[str], list[str]]:
    """Texts and labels of one benchmark dataset."""
    if name == "banking77":
        with (DATASETS / "banking77" / "test.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return [r["text"] for r in rows], [r["category"] for r in rows]
    if name == "dstc11":
        path = DATASETS / "dstc11_insurance" / "development_test-utterances.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [r["utterance"] for r in rows], [r["intent"] for r in rows]
    if name.startswith("multidogo_"):
        domain = name.split("_", 1)[1]
        rows = _tsv(DATASETS / "multidogo" / "splits_annotated_at_turn_level" / domain / "test.tsv.gz")
        rows = [
            r
            for r in rows
            if r["intent"] not in GENERIC and "<div>" not in r["intent"] and r["utterance"].strip()
        ]
        return [r["utterance"] for r in rows], [r["intent"] for r in rows]
    if name == "cfpb":
        path = DATASETS / "cfpb_complaints" / "payday_personal_loans_2023.csv"
        csv.field_size_limit(1 << 26)
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r["Consumer complaint narrative"].strip()]
        return [r["Consumer complaint narrative"] for r in rows], [r["Issue"] for r in rows]
    raise SystemExit(f"unknown dataset {name!r}")


NAMES = ["banking77", "dstc11", *(f"multidogo_{d}" for d in DOMAINS), "cfpb"]


def scores(y: list[str], pred: list[int] | np.ndarray) -> tuple[float, float, float, int]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    p = np.asarray(pred)
    return (
        float(normalized_mutual_info_score(y, p)),
        float(adjusted_rand_score(y, p)),
        float((p != -1).mean()),
        len(set(p.tolist()) - {-1}),
    )


def quality(names: list[str]) -> int:
    import hotline_insight as hi
    from hotline_insight.topics import embed as embed_module
    from hotline_insight.topics.embed import MiniLMEmbedder

    warnings.simplefilter("ignore")
    embedder = MiniLMEmbedder()
    st_model = embedder._model()
    print(
        "| data | n | labels | embed s | ours NMI / ARI / cov / k | s | (a) BERTopic defaults NMI / ARI / cov / k | s | (b) k-means true k NMI / ARI | s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    status = 0
    for name in names:
        texts, y = load(name)
        k_true = len(set(y))
        t = time.perf_counter()
        emb = embedder.encode(texts)
        t_embed = time.perf_counter() - t

        embed_module._CACHE.clear()  # ours embeds again, inside its own time
        t = time.perf_counter()
        ours = hi.TopicModel(random_state=0).fit_transform(texts)
        t_ours = time.perf_counter() - t

        from bertopic import BERTopic

        t = time.perf_counter()
        base_a, _ = BERTopic(embedding_model=st_model).fit_transform(texts, embeddings=emb)
        t_a = time.perf_counter() - t

        from sklearn.cluster import KMeans

        t = time.perf_counter()
        base_b = KMeans(n_clusters=k_true, random_state=0).fit_predict(emb)
        t_b = time.perf_counter() - t

        o, a, b = scores(y, ours), scores(y, base_a), scores(y, base_b)
        print(
            f"| {name} | {len(texts)} | {k_true} | {t_embed:.1f} "
            f"| {o[0]:.3f} / {o[1]:.3f} / {o[2]:.3f} / {o[3]} | {t_ours:.1f} "
            f"| {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} / {a[3]} | {t_a:.1f} "
            f"| {b[0]:.3f} / {b[1]:.3f} | {t_b:.1f} |",
            flush=True,
        )
        if not (o[0] > a[0] and o[0] > b[0] and o[2] >= 0.95):
            status = 1
    return status


def _speed_child(n: int) -> None:
    import hotline_insight as hi
    from hotline_insight.topics.embed import MiniLMEmbedder

    warnings.simplefilter("ignore")
    rows = [
        r
        for d in DOMAINS
        for split in ("train", "dev", "test")
        for r in _tsv(DATASETS / "multidogo" / "splits_annotated_at_turn_level" / d / f"{split}.tsv.gz")
    ]
    texts = [r["utterance"] for r in rows if r["utterance"].strip()]
    fit_texts = texts[:n]
    seen = set(fit_texts)
    new_texts = [t for t in texts[n:] if t not in seen][:2000]
    n_distinct = len(set(fit_texts))
    t = time.perf_counter()
    model = hi.TopicModel(random_state=0).fit(fit_texts)
    t_fit = time.perf_counter() - t
    peak_fit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    model.transform(new_texts)
    t_tr = time.perf_counter() - t
    # baseline, same process, right after: MiniLM alone on the same new texts (a fresh cache)
    from hotline_insight.topics import embed as embed_module

    embed_module._CACHE.clear()
    t = time.perf_counter()
    MiniLMEmbedder().encode(new_texts)
    t_raw = time.perf_counter() - t
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in model.timings_.items())
    print(f"| texts fitted | {len(fit_texts):,} ({n_distinct:,} distinct, each embedded once) |")
    print(f"| topics | {model.n_topics_} (outliers {model.n_outliers_ / len(fit_texts):.3f}) |")
    print(f"| fit time | {t_fit:.0f} s (target < 300 s for 100,000) |")
    print(f"| fit stages | {stages} |")
    print(f"| fit embedding rate | {n_distinct / model.timings_['embed']:,.0f} distinct texts/s |")
    print(f"| peak RSS after fit | {peak_fit:,.0f} MB (target < 4,096 MB) |")
    print(
        f"| transform, {len(new_texts):,} unseen texts | {len(new_texts) / t_tr:,.0f} texts/s (target > 1,000/s) |"
    )
    print(
        f"| baseline: MiniLM encode alone, same texts, same process | {len(new_texts) / t_raw:,.0f} texts/s; "
        f"transform rate / baseline = {t_raw / t_tr:.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=NAMES)
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not DATASETS.exists():
        print("shared datasets not found; nothing to measure", file=sys.stderr)
        return 1
    if args.child:
        _speed_child(args.n)
        return 0
    if args.speed:
        print("| measure | value |\n|---|---|", flush=True)
        return subprocess.call(
            [sys.executable, __file__, "--child", "--n", str(args.n)], env=dict(os.environ)
        )
    return quality(args.names)


if __name__ == "__main__":
    sys.exit(main())

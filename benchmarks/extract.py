"""Grievance extraction throughput beside bare spaCy tokenisation of the same texts.

For each input, the same turn texts are (1) tokenised by a bare
``spacy.blank("en")`` and (2) run through ``hi.extract_grievances`` (HTML
stripping, redaction, sentences, lemmas, boilerplate, complaints, themes,
facets, product and policy links, intensity) with ``n_process=1`` and
``n_process=2``. The table prints interactions/s, tokens/s and our share of
the tokeniser's throughput, by wall-clock time and by this process's CPU time
(the fairer figure on a shared machine). Both sides are warmed up on the same
texts first. Targets: at least 35% in one process, and a near-linear gain with
two processes.

Usage::

    python benchmarks/extract.py            # sample_data and the real CFPB narratives
    python benchmarks/extract.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CFPB = ROOT.parent / "shared" / "datasets" / "cfpb_complaints" / "payday_personal_loans_2023.csv"


def best_of(repeat: int, fn: Any, clock: Any = time.perf_counter) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = clock()
        result = fn()
        best = min(best, clock() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else 2

    import warnings

    import spacy

    import hotline_insight as hi

    warnings.simplefilter("ignore", hi.ParseWarning)
    catalog = hi.Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    inputs: list[tuple[str, Any, Any]] = [
        (
            "sample_data (calls, chats, tickets)",
            hi.read([ROOT / "sample_data" / d for d in ("calls", "chats", "tickets")], on_error="collect"),
            catalog,
        )
    ]
    if CFPB.exists():
        inputs.append(
            (
                "CFPB narratives (real)",
                hi.read(CFPB, format="cfpb"),
                hi.Catalog.from_yaml(ROOT / "sample_data" / "cfpb" / "catalog.yaml"),
            )
        )
    bare = spacy.blank("en")
    rows = []
    status = 0
    for label, corpus, cat in inputs:
        interactions = list(corpus)
        texts = [t.text for i in interactions for t in i.turns]
        def tokenise(texts: list[str] = texts) -> int:
            return sum(len(d) for d in bare.pipe(texts, batch_size=256))

        tokenise()  # both sides run with warm caches: the tokeniser's cache is most of its speed
        t_tok, n_tokens = best_of(repeat, tokenise)
        cpu_tok, _ = best_of(repeat, tokenise, time.process_time)
        nlp = hi.build_pipeline(catalog=cat)
        hi.extract_grievances(interactions, nlp=nlp)
        t_one, found = best_of(repeat, lambda i=interactions, n=nlp: hi.extract_grievances(i, nlp=n))
        cpu_one, _ = best_of(repeat, lambda i=interactions, n=nlp: hi.extract_grievances(i, nlp=n), time.process_time)
        t_two, found_two = best_of(repeat, lambda i=interactions, n=nlp: hi.extract_grievances(i, nlp=n, n_process=2))
        assert found_two == found, "two processes must give the same grievances as one"
        share = t_tok / t_one
        rows.append(
            {
                "input": label,
                "interactions": len(interactions),
                "turns": len(texts),
                "tokens": n_tokens,
                "grievances": len(found),
                "tokeniser tok/s": n_tokens / t_tok,
                "ours 1 proc tok/s": n_tokens / t_one,
                "ours 1 proc inter/s": len(interactions) / t_one,
                "share of tokeniser": f"{share:.0%}",
                "share, CPU time": f"{cpu_tok / cpu_one:.0%}",
                "ours 2 proc inter/s": len(interactions) / t_two,
                "speed-up 2 proc": f"{t_one / t_two:.2f}x",
            }
        )
        if share < 0.35:
            status = 1
    print(f"\nGrievance extraction throughput (best of {repeat})\n")
    headers = list(rows[0])
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        cells = []
        for h in headers:
            v = row[h]
            cells.append(f"{v:,.0f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v))
        print("| " + " | ".join(cells) + " |")
    return status


if __name__ == "__main__":
    raise SystemExit(main())

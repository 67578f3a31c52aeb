"""Evaluate hotline_boilerplate + hotline_complaints (+ hotline_intensity) on real and sample data.

Deterministic; no network. Reads the shared datasets (``../shared/datasets``
next to the repository, or ``--datasets``) and ``sample_data/``.

Splits: CFPB rows with an even row number are "dev" (looked at while writing
the lexicons), odd rows are "held-out"; banking77 ``train.csv`` is dev and
``test.csv`` held-out; multidogo ``dev`` vs ``test``; DSTC11 and sample_data
are reported whole. Banking77 intents are grouped by hand (below) into
*informational* (a question or request with nothing wrong), *problem*
(something went wrong: declined, failed, not arrived, charged twice, not
recognised ...) and *other* (lost or stolen cards, fee questions, pending
payments, cancelling a transfer: reported but not scored either way).

Usage::

    python scripts/eval_complaints.py            # all sets, summary table
    python scripts/eval_complaints.py --show 20  # also print 20 misses per set
    python scripts/eval_complaints.py --speed    # component cost vs bare tokenisation
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import pandas as pd
import spacy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hotline_insight.nlp.boilerplate  # noqa: E402
import hotline_insight.nlp.complaints  # noqa: E402
import hotline_insight.nlp.intensity  # noqa: E402,F401

B77_INFORMATIONAL = {
    "activate_my_card", "age_limit", "apple_pay_or_google_pay", "atm_support", "automatic_top_up",
    "card_about_to_expire", "card_acceptance", "card_delivery_estimate", "card_linking", "change_pin",
    "country_support", "disposable_card_limits", "edit_personal_details", "exchange_rate",
    "exchange_via_app", "fiat_currency_support", "get_disposable_virtual_card", "get_physical_card",
    "getting_spare_card", "getting_virtual_card", "order_physical_card", "receiving_money",
    "supported_cards_and_currencies", "top_up_by_cash_or_cheque", "top_up_limits", "topping_up_by_card",
    "transfer_into_account", "transfer_timing", "verify_my_identity", "verify_source_of_funds",
    "verify_top_up", "visa_or_mastercard", "why_verify_identity", "passcode_forgotten",
}  # fmt: skip
B77_PROBLEM = {
    "balance_not_updated_after_bank_transfer", "balance_not_updated_after_cheque_or_cash_deposit",
    "card_arrival", "card_not_working", "card_payment_not_recognised", "card_payment_wrong_exchange_rate",
    "card_swallowed", "cash_withdrawal_not_recognised", "contactless_not_working", "declined_card_payment",
    "declined_cash_withdrawal", "declined_transfer", "direct_debit_payment_not_recognised",
    "extra_charge_on_statement", "failed_transfer", "Refund_not_showing_up", "top_up_failed",
    "top_up_reverted", "transaction_charged_twice", "transfer_not_received_by_recipient",
    "unable_to_verify_identity", "virtual_card_not_working", "wrong_amount_of_cash_received",
    "wrong_exchange_rate_for_cash_withdrawal", "pin_blocked", "reverted_card_payment?",
}  # fmt: skip


def build_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.add_pipe("hotline_boilerplate")
    nlp.add_pipe("hotline_complaints")
    nlp.add_pipe("hotline_intensity")
    return nlp


def run(nlp: spacy.language.Language, texts: list[str], role: str = "customer") -> list[spacy.tokens.Doc]:
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc._.hi_role = role
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        docs.append(doc)
    return docs


def flagged(doc: spacy.tokens.Doc) -> bool:
    return len(doc.spans["hi_complaints"]) > 0


def show(title: str, items: list[str], n: int) -> None:
    if n and items:
        print(f"  -- {title} (first {min(n, len(items))} of {len(items)})")
        for t in items[:n]:
            print("    ", repr(t[:200]))


def eval_cfpb(nlp, datasets: Path, n_show: int) -> dict[str, float]:
    df = pd.read_csv(datasets / "cfpb_complaints" / "payday_personal_loans_2023.csv", dtype=str)
    texts = df["Consumer complaint narrative"].fillna("").tolist()
    out = {}
    for split, idx in (("dev", range(0, len(texts), 2)), ("held-out", range(1, len(texts), 2))):
        sub = [texts[i] for i in idx]
        docs = run(nlp, sub)
        hits = [flagged(d) for d in docs]
        out[f"cfpb {split}: complaints with >= 1 segment"] = sum(hits) / len(hits)
        segs = sum(len(d.spans["hi_complaints"]) for d in docs)
        sents = sum(len(list(d.sents)) for d in docs)
        out[f"cfpb {split}: share of sentences in segments (approx)"] = sum(
            sum(len(list(s.sents)) for s in d.spans["hi_complaints"]) for d in docs
        ) / max(sents, 1)
        out[f"cfpb {split}: segments per complaint"] = segs / len(docs)
        if split == "dev":
            show(
                "CFPB dev narratives with no segment",
                [t for t, h in zip(sub, hits, strict=True) if not h],
                n_show,
            )
    return out


def eval_banking77(nlp, datasets: Path, n_show: int) -> dict[str, float]:
    out = {}
    for split, fname in (("dev", "train.csv"), ("held-out", "test.csv")):
        df = pd.read_csv(datasets / "banking77" / fname, dtype=str)
        docs = run(nlp, df["text"].tolist())
        df["flag"] = [flagged(d) for d in docs]
        info = df[df["category"].isin(B77_INFORMATIONAL)]
        prob = df[df["category"].isin(B77_PROBLEM)]
        other = df[~df["category"].isin(B77_INFORMATIONAL | B77_PROBLEM)]
        out[f"banking77 {split}: informational false-flag rate (n={len(info)})"] = info["flag"].mean()
        out[f"banking77 {split}: problem-intent flag rate (n={len(prob)})"] = prob["flag"].mean()
        out[f"banking77 {split}: other-intent flag rate (n={len(other)})"] = other["flag"].mean()
        if split == "dev":
            show("banking77 informational flagged", info[info["flag"]]["text"].tolist(), n_show)
            show("banking77 problem not flagged", prob[~prob["flag"]]["text"].tolist(), n_show)
        if split == "held-out":
            rates = df.groupby("category")["flag"].mean().sort_values()
            out["banking77 held-out: per-intent flag rates"] = 0.0
            print("  banking77 held-out flag rate per intent:")
            for cat, r in rates.items():
                group = "info" if cat in B77_INFORMATIONAL else "problem" if cat in B77_PROBLEM else "other"
                print(f"    {r:5.2f}  {group:8s} {cat}")
    return out


def eval_dstc11(nlp, datasets: Path, n_show: int) -> dict[str, float]:
    rows = [
        json.loads(line) for line in open(datasets / "dstc11_insurance" / "development_test-utterances.jsonl")
    ]
    docs = run(nlp, [r["utterance"] for r in rows])
    by = defaultdict(list)
    for r, d in zip(rows, docs, strict=True):
        by[r["intent"]].append(flagged(d))
    print("  dstc11 flag rate per intent:")
    for intent, fl in sorted(by.items(), key=lambda kv: sum(kv[1]) / len(kv[1])):
        print(f"    {sum(fl) / len(fl):5.2f}  {intent} (n={len(fl)})")
    allf = [f for fl in by.values() for f in fl]
    return {"dstc11: overall flag rate": sum(allf) / len(allf)}


def _read_multidogo(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(io.StringIO(fh.read()), delimiter="\t"))


def eval_multidogo(nlp, datasets: Path, n_show: int) -> dict[str, float]:
    base = datasets / "multidogo" / "splits_annotated_at_turn_level"
    grievance = {"disputecharge", "reportbrokenphone", "reportbrokensoftware"}
    generic = {"openinggreeting", "closinggreeting", "thankyou", "confirmation", "rejection"}
    out = {}
    flags: dict[str, list[bool]] = defaultdict(list)
    texts_g_missed = []
    for domain in sorted(p.name for p in base.iterdir()):
        rows = _read_multidogo(base / domain / "test.tsv.gz")
        docs = run(nlp, [r["utterance"] for r in rows])
        for r, d in zip(rows, docs, strict=True):
            intents = set(r["intent"].split("<div>"))
            f = flagged(d)
            if intents & grievance:
                flags["grievance"].append(f)
                if not f:
                    texts_g_missed.append(r["utterance"])
            elif intents <= generic:
                flags["generic"].append(f)
            elif "contentonly" in intents:
                flags["contentonly"].append(f)
            else:
                flags["other task intents"].append(f)
    for k, v in flags.items():
        out[f"multidogo test: {k} turns flag rate (n={len(v)})"] = sum(v) / len(v)
    show("multidogo grievance turns not flagged", texts_g_missed, n_show)
    return out


def eval_sample(nlp, n_show: int) -> dict[str, float]:
    import hotline_insight as hi

    warnings.simplefilter("ignore")
    try:  # the text the pipeline sees: HTML reduced to text, personal data redacted
        from hotline_insight.nlp.pipeline import prepare_text as prepare
    except ImportError:  # pragma: no cover - before the pipeline module exists

        def prepare(text: str) -> str:
            return text

    labels = {r["id"]: r for r in json.load(open(ROOT / "sample_data" / "planted.json"))["interactions"]}
    inter = []
    for p in ("calls", "chats", "tickets"):
        inter.extend(hi.read(ROOT / "sample_data" / p))
    tp = fp = fn = tn = 0
    by_pattern: dict[str, list[bool]] = defaultdict(list)
    by_channel: dict[tuple[str, bool], list[bool]] = defaultdict(list)
    fps, fns = [], []
    for it in inter:
        pred = False
        segs = []
        for t in it.turns:
            doc = nlp.make_doc(prepare(t.text))
            doc._.hi_role = t.role
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            if doc.spans["hi_complaints"]:
                pred = True
                segs.extend(s.text for s in doc.spans["hi_complaints"])
        gold = labels[it.id]["is_complaint"]
        by_pattern[labels[it.id]["pattern"] or ("background complaint" if gold else "neutral")].append(pred)
        by_channel[(it.channel, gold)].append(pred)
        if gold and pred:
            tp += 1
        elif gold:
            fn += 1
            fns.append(" | ".join(t.text[:120] for t in it.turns if t.role == "customer"))
        elif pred:
            fp += 1
            fps.append(f"[{labels[it.id]['topic']}] " + " || ".join(segs))
        else:
            tn += 1
    show("sample_data false positives (segments)", fps, n_show)
    show("sample_data false negatives (customer turns)", fns, n_show)
    out = {
        "sample_data: interaction precision": tp / max(tp + fp, 1),
        "sample_data: interaction recall": tp / max(tp + fn, 1),
        "sample_data: neutral interactions flagged": fp / max(fp + tn, 1),
    }
    for k, v in sorted(by_pattern.items()):
        out[f"sample_data: {k} flagged (n={len(v)})"] = sum(v) / len(v)
    for (channel, gold), v in sorted(by_channel.items()):
        what = "complaints found" if gold else "neutral flagged"
        out[f"sample_data: {channel} {what} (n={len(v)})"] = sum(v) / len(v)
    return out


def speed(reps: int = 7) -> None:
    """Cost of each stage on ~2,000 customer turns, against bare tokenisation.

    Each stage's cost is the difference between running the pipeline up to and
    including it and up to the stage before (best of ``reps`` runs each), so
    nothing is copied or cached between stages. CPU time of this process
    (``time.process_time``), so other load on the machine matters less.
    """
    import hotline_insight as hi

    warnings.simplefilter("ignore")
    calls = [
        t.text for it in hi.read(ROOT / "sample_data" / "calls") for t in it.turns if t.role == "customer"
    ]
    chats = [
        t.text for it in hi.read(ROOT / "sample_data" / "chats") for t in it.turns if t.role == "customer"
    ]
    tickets = [
        t.text for it in hi.read(ROOT / "sample_data" / "tickets") for t in it.turns if t.role == "customer"
    ]
    nlp = build_nlp()
    procs = [proc for _, proc in nlp.pipeline]
    names = [name for name, _ in nlp.pipeline]

    def upto(k: int, texts: list[str]) -> None:
        for text in texts:
            doc = nlp.make_doc(text)
            for proc in procs[:k]:
                doc = proc(doc)

    def best(fn) -> float:
        times = []
        for _ in range(reps):
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
        return min(times)

    for label, texts in (
        ("call+chat customer turns", (calls + chats)[:2000]),
        ("ticket customer turns", tickets[:1000]),
    ):
        n_chars = sum(map(len, texts))
        cum = [best(lambda k=k, texts=texts: upto(k, texts)) for k in range(len(procs) + 1)]
        t_tok = cum[0]
        print(f"  {label}: {len(texts)} turns, {n_chars} characters; bare tokenisation {t_tok * 1000:.1f} ms")
        for k, name in enumerate(names, 1):
            d = cum[k] - cum[k - 1]
            print(f"    {name:22s} {d * 1000:7.1f} ms  ({d / t_tok * 100:5.1f}% of tokenisation)")
        ours = cum[-1] - cum[3]
        print(
            f"    our three components: {ours / t_tok * 100:.0f}% of tokenisation time; "
            f"pipeline throughput {t_tok / cum[-1] * 100:.1f}% of bare tokenisation"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    if args.speed:
        speed()
        return
    nlp = build_nlp()
    results: dict[str, float] = {}
    sets = {
        "cfpb": lambda: eval_cfpb(nlp, args.datasets, args.show),
        "banking77": lambda: eval_banking77(nlp, args.datasets, args.show),
        "dstc11": lambda: eval_dstc11(nlp, args.datasets, args.show),
        "multidogo": lambda: eval_multidogo(nlp, args.datasets, args.show),
        "sample": lambda: eval_sample(nlp, args.show),
    }
    for name, fn in sets.items():
        if args.only and name not in args.only.split(","):
            continue
        print(f"== {name}")
        results.update(fn())
    print("== summary")
    for k, v in results.items():
        print(f"  {v:6.3f}  {k}")


if __name__ == "__main__":
    main()

"""Ingest throughput and memory, each beside a baseline measured in the same run.

Throughput: for each format, the same bytes are read twice, once by
``hotline_insight.iter_interactions`` and once by the plain standard-library
reading a user would write (``json.loads`` / ``csv.DictReader`` into dicts),
and the table prints records/s, MB/s and our share of the baseline's speed.
Target: at least 25% of the baseline for the JSON and CSV ticket formats.

Memory: ``iter_interactions`` over a 100 MB and a 1 GB Zendesk JSON file
(``{"tickets": [...]}`` pages) and a 1 GB Zendesk CSV, each in a fresh
process; peak RSS is printed beside the same process's RSS after imports.
Target: under 400 MB peak, flat as the file grows.

Usage::

    python benchmarks/ingest.py                 # throughput + memory (about 10 minutes)
    python benchmarks/ingest.py --quick         # smaller files, no 1 GB run
    python benchmarks/ingest.py --skip-memory

Generated inputs are cached in ``benchmarks/_data/`` (not committed).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"

WORDS = (
    "the my a router bill charge fee support internet account payment refund line broadband "
    "called again still not working since monday they said would call back nobody did cancel "
    "contract price increase engineer visit appointment missed wifi drops every evening speed "
    "slow modem reset password locked out app error card declined direct debit twice overcharged "
    "late fee waive please help urgent disappointed third time explain why how long waiting hold "
    "minutes hours days weeks order delivery box arrived damaged replacement warranty ninety "
    "caller id block monthly extra premium business customer years loyal switch provider"
).split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + rng.choice([".", "!", "?", "..."])


def paragraph(rng: random.Random, min_chars: int, max_chars: int) -> str:
    target = rng.randint(min_chars, max_chars)
    parts: list[str] = []
    size = 0
    while size < target:
        s = sentence(rng, rng.randint(5, 18))
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)


def iso(rng: random.Random) -> str:
    return (
        f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    )


def zendesk_ticket(rng: random.Random, i: int) -> dict[str, object]:
    requester = rng.randint(1, 50_000)
    created = iso(rng)
    comments = [
        {
            "id": i * 10 + k,
            "author_id": requester if k % 2 == 0 else rng.randint(900_000, 900_050),
            "body": paragraph(rng, 80, 500),
            "public": rng.random() > 0.1,
            "created_at": created,
        }
        for k in range(rng.randint(0, 4))
    ]
    return {
        "id": i,
        "url": f"https://example.zendesk.com/api/v2/tickets/{i}.json",
        "external_id": None,
        "type": rng.choice(["problem", "incident", "question", "task"]),
        "subject": sentence(rng, rng.randint(3, 9)),
        "raw_subject": None,
        "description": paragraph(rng, 200, 1500),
        "status": rng.choice(["new", "open", "pending", "solved", "closed"]),
        "priority": rng.choice(["low", "normal", "high", "urgent", None]),
        "requester_id": requester,
        "submitter_id": requester,
        "assignee_id": rng.randint(900_000, 900_050),
        "organization_id": None,
        "group_id": rng.randint(1, 20),
        "brand_id": 1,
        "tags": rng.sample(["billing", "router", "fee", "outage", "vip", "refund", "callback"], 3),
        "custom_fields": [{"id": 360001, "value": rng.choice(["fibre-500", "hub-two", None])}],
        "satisfaction_rating": {"score": rng.choice(["good", "bad", "offered", "unoffered"]), "comment": None},
        "via": {"channel": rng.choice(["email", "web", "chat", "voice", "api"])},
        "problem_id": None,
        "created_at": created,
        "updated_at": created,
        "comments": comments,
    }


def write_zendesk_json(path: Path, target_bytes: int, seed: int = 0) -> int:
    """``{"tickets": [...]}`` pages of 100, one page per line, until the file reaches the target size."""
    rng = random.Random(seed)
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        written = 0
        while written < target_bytes:
            page = [zendesk_ticket(rng, n + k) for k in range(100)]
            n += 100
            line = json.dumps({"tickets": page, "next_page": None, "count": n}) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
    return n


def write_zendesk_jsonl(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(zendesk_ticket(rng, i)) + "\n")


ZENDESK_CSV_COLUMNS = [
    "id", "subject", "description", "status", "priority", "type", "requester_id", "assignee_id",
    "group_id", "tags", "via", "created_at", "updated_at", "satisfaction_rating",
]


def write_zendesk_csv(path: Path, target_bytes: int, seed: int = 2) -> int:
    rng = random.Random(seed)
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ZENDESK_CSV_COLUMNS)
        while fh.tell() < target_bytes:
            t = zendesk_ticket(rng, n)
            writer.writerow(
                [
                    t["id"], t["subject"], t["description"], t["status"], t["priority"] or "", t["type"],
                    t["requester_id"], t["assignee_id"], t["group_id"], " ".join(t["tags"]),  # type: ignore[arg-type]
                    t["via"]["channel"], t["created_at"], t["updated_at"],  # type: ignore[index]
                    t["satisfaction_rating"]["score"],  # type: ignore[index]
                ]
            )
            n += 1
    return n


SALESFORCE_COLUMNS = [
    "Id", "CaseNumber", "Subject", "Description", "Status", "Priority", "Origin", "Reason", "Type",
    "IsClosed", "ClosedDate", "CreatedDate", "IsEscalated", "AccountId", "ContactId", "SuppliedEmail",
    "Product__c",
]


def write_salesforce(path: Path, n: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SALESFORCE_COLUMNS)
        for i in range(n):
            closed = rng.random() < 0.6
            created = iso(rng)
            writer.writerow(
                [
                    f"500{i:012d}", f"{i:08d}", sentence(rng, 6), paragraph(rng, 200, 1500),
                    "Closed" if closed else "New", rng.choice(["Low", "Medium", "High"]),
                    rng.choice(["Phone", "Email", "Web", "Chat"]), rng.choice(["Billing", "Technical", "Other"]),
                    "Problem", str(closed).lower(), created if closed else "", created, "false",
                    f"001{rng.randint(0, 9999):012d}", f"003{rng.randint(0, 9999):012d}",
                    f"user{rng.randint(0, 9999)}@example.com", rng.choice(["Fibre 500", "Hub Two", ""]),
                ]
            )


def write_cfpb(path: Path, n: int, source: Path | None) -> None:
    """Real CFPB rows (public records) repeated with fresh ids, when the shared dataset is present."""
    rng = random.Random(4)
    if source is not None and source.exists():
        with open(source, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
    else:
        header = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
                  "Company public response", "Company", "State", "ZIP code", "Tags", "Consumer consent provided?",
                  "Submitted via", "Date sent to company", "Company response to consumer", "Timely response?",
                  "Consumer disputed?", "Complaint ID"]
        body = [["03/22/23", "Payday loan", "Installment loan", "Charged fees", "None", paragraph(rng, 300, 1500),
                 "None", "Acme", "CA", "90210", "None", "Consent provided", "Web", "03/22/23",
                 "Closed with explanation", "Yes", "N/A", "1"]]
    id_col = header.index("Complaint ID")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(n):
            row = list(body[i % len(body)])
            row[id_col] = str(10_000_000 + i)
            writer.writerow(row)


def webvtt_file(rng: random.Random) -> str:
    lines = ["WEBVTT", ""]
    t = 0.0
    for k in range(rng.randint(10, 60)):
        start, t = t, t + rng.uniform(1.5, 9.0)
        who = "Agent Dana" if k % 2 == 0 else "Caller"
        lines += [f"{_clock(start)} --> {_clock(t)}", f"<v {who}>{sentence(rng, rng.randint(4, 20))}", ""]
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_webvtt_dir(path: Path, n: int) -> None:
    path.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    for i in range(n):
        (path / f"call_{i:05d}.vtt").write_text(webvtt_file(rng), encoding="utf-8")


# ---------------------------------------------------------------- baselines
def baseline_json_pages(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            n += len(json.loads(line)["tickets"])
    return n


def baseline_json_lines(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            json.loads(line)
            n += 1
    return n


def baseline_csv(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def baseline_text_files(path: Path) -> int:
    n = 0
    for file in sorted(path.iterdir()):
        file.read_text(encoding="utf-8").split("\n\n")
        n += 1
    return n


def ours(path: Path, fmt: str) -> int:
    import hotline_insight as hi

    stream = hi.iter_interactions(path, format=fmt, on_error="collect", progress=False)
    n = sum(1 for _ in stream)
    assert stream.report.n_failed == 0, stream.report.failures.head()
    return n


def timed(fn: Callable[[], int], repeat: int = 2) -> tuple[float, int]:
    best = float("inf")
    n = 0
    for _ in range(repeat):
        start = time.perf_counter()
        n = fn()
        best = min(best, time.perf_counter() - start)
    return best, n


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def throughput(quick: bool) -> list[dict[str, object]]:
    DATA.mkdir(exist_ok=True)
    cfpb_source = HERE.parent.parent / "shared" / "datasets" / "cfpb_complaints" / "payday_personal_loans_2023.csv"
    scale = 1 if quick else 4
    cases: list[tuple[str, str, Path, Callable[[Path], None], Callable[[Path], int]]] = [
        ("Zendesk JSON pages", "zendesk_json", DATA / f"zendesk_pages_{scale}.json",
         lambda p: write_zendesk_json(p, scale * 10_000_000), baseline_json_pages),
        ("Zendesk JSON lines", "zendesk_jsonl", DATA / f"zendesk_{scale}.jsonl",
         lambda p: write_zendesk_jsonl(p, scale * 5_000), baseline_json_lines),
        ("Zendesk CSV", "zendesk_csv", DATA / f"zendesk_{scale}.csv",
         lambda p: write_zendesk_csv(p, scale * 10_000_000), baseline_csv),
        ("Salesforce Case CSV", "salesforce_case", DATA / f"salesforce_{scale}.csv",
         lambda p: write_salesforce(p, scale * 5_000), baseline_csv),
        ("CFPB CSV (real rows)", "cfpb", DATA / f"cfpb_{scale}.csv",
         lambda p: write_cfpb(p, scale * 5_000, cfpb_source), baseline_csv),
        ("WebVTT files", "webvtt", DATA / f"webvtt_{scale}",
         lambda p: write_webvtt_dir(p, scale * 250), baseline_text_files),
    ]
    rows = []
    for label, fmt, path, make, baseline in cases:
        if not path.exists():
            make(path)
        mb = size_of(path) / 1e6
        t_base, n_base = timed(lambda b=baseline, p=path: b(p))  # type: ignore[misc]
        t_ours, n_ours = timed(lambda p=path, f=fmt: ours(p, f))  # type: ignore[misc]
        rows.append(
            {
                "format": label,
                "MB": mb,
                "records": n_ours,
                "baseline rec/s": n_base / t_base,
                "ours rec/s": n_ours / t_ours,
                "baseline MB/s": mb / t_base,
                "ours MB/s": mb / t_ours,
                "share": t_base / t_ours,
            }
        )
    return rows


# ---------------------------------------------------------------- memory
_CHILD = """
import resource, sys, time
import hotline_insight as hi
from hotline_insight.ingest import registered_parsers
registered_parsers()
import pandas, pyarrow  # what a user's process has loaded anyway
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
stream = hi.iter_interactions(sys.argv[1], format=sys.argv[2], on_error="collect", progress=False)
n = sum(1 for _ in stream)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n, stream.report.n_failed, base, peak, dt)
"""


def memory(quick: bool) -> list[dict[str, object]]:
    DATA.mkdir(exist_ok=True)
    sizes = [100_000_000] if quick else [100_000_000, 1_000_000_000]
    rows = []
    for fmt, writer, suffix in (
        ("zendesk_json", write_zendesk_json, "json"),
        ("zendesk_csv", write_zendesk_csv, "csv"),
    ):
        for size in sizes:
            path = DATA / f"mem_{fmt}_{size // 1_000_000}MB.{suffix}"
            if not path.exists():
                print(f"generating {path.name} ...", file=sys.stderr)
                writer(path, size)
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path), fmt], capture_output=True, text=True, check=True
            ).stdout.split()
            n, failed, base, peak, seconds = int(out[0]), int(out[1]), int(out[2]), int(out[3]), float(out[4])
            rows.append(
                {
                    "format": fmt,
                    "file MB": path.stat().st_size / 1e6,
                    "records": n,
                    "failed": failed,
                    "RSS after imports MB": base / 1024,
                    "peak RSS MB": peak / 1024,
                    "seconds": seconds,
                }
            )
    return rows


def import_time() -> list[dict[str, object]]:
    """Wall time of ``import hotline_insight`` in a fresh interpreter, beside an empty interpreter."""
    rows = []
    for label, code in (
        ("python -c pass (baseline)", "pass"),
        ("import hotline_insight", "import hotline_insight"),
        ("import hotline_insight; hi.read (loads pandas, pydantic, parsers)",
         "import hotline_insight as hi; hi.read; from hotline_insight.ingest import registered_parsers; "
         "registered_parsers()"),
    ):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - start)
        rows.append({"what": label, "best of 5 (s)": min(times)})
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    headers = list(rows[0])

    def fmt(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.0%}" if False else (f"{v:,.2f}" if v < 100 else f"{v:,.0f}")
        return f"{v:,}" if isinstance(v, int) else str(v)

    cells = [[fmt(r[h]) for h in headers] for r in rows]
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in cells:
        print("| " + " | ".join(row) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small files, 100 MB memory run only")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args(argv)
    status = 0
    print("\nImport time (fresh interpreter)\n")
    print_table(import_time())
    if not args.skip_throughput:
        rows = throughput(args.quick)
        print("\nThroughput (best of 2; share = our speed / baseline speed, target >= 25% for tickets)\n")
        for r in rows:
            r["share"] = f"{r['share']:.0%}"  # type: ignore[index]
        print_table(rows)
        for r in rows:
            if r["format"] != "WebVTT files" and float(str(r["share"]).rstrip("%")) < 25:
                status = 1
    if not args.skip_memory:
        rows = memory(args.quick)
        print("\nPeak memory of iter_interactions (fresh process each; target < 400 MB, flat with size)\n")
        print_table(rows)
        if any(float(r["peak RSS MB"]) >= 400 for r in rows):  # type: ignore[arg-type]
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())

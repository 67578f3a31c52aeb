"""Scale: `analyze` through the store (stream, topics, report) at 10k, 100k and 1M interactions.

For each size, generated tickets (Zendesk JSON lines: a 200-1,500 character
description and 0-4 comments; 90%) and transcripts (one utterance a line,
10-60 turns of 4-30 words, read by the ``utterances_jsonl`` reader; 10%)
go through the three stages of ``hi.analyze``, run as it runs them: the
streaming stage (``hi.write_store`` into a fresh store) and the topic stage
(``hi.assign_store_topics``: a model fitted on a seeded sample of at most
20,000 grievances, then every grievance assigned, quarter by quarter;
``--embedding tfidf`` by default here, see the README for the MiniLM rate)
each in a fresh process of its own, then ``QuarterlyReport.from_store``
(written as HTML) in the measuring process. End to end is the sum of the
three.

The streaming stage is instrumented, not re-run per part: the time its main
process spends reading records (``iter_interactions``), hashing inputs, and
writing the store (frames to Arrow, Parquet, aggregates, commit) is
measured directly; extraction (redaction and the spaCy pipeline, in
``--n-process`` worker processes that overlap the main process) is the rest
of the wall time. Peak memory is the proportional set size (PSS) of the
measuring process and all its descendants together (stage processes and
their workers), sampled every 100 ms and attributed to the stage running.

Baselines, measured in the same child process on the same generated data:
``json.loads`` over every input line (ingest), ``spacy.blank("en")``'s
tokenizer over the first 20,000 interactions' texts (extraction), and one
``pyarrow.parquet.write_table`` of the grievance table the run wrote
(store write). Ratios to them are printed beside the times, since this
machine is shared and its timings drift.

Targets (issue 7): 1M tickets end to end in under 30 minutes, peak memory
under 4 GB, time linear and memory flat for the streaming stages.

Usage::

    python benchmarks/scale.py                      # 10k and 100k (about 20 minutes)
    python benchmarks/scale.py --sizes 10k          # a quick look
    python benchmarks/scale.py --sizes 10k,100k,1M  # the full run (hours on this machine)
    python benchmarks/scale.py --n-process 1        # single process: exact per-stage times

Generated inputs are cached in ``benchmarks/_data/scale/`` (not committed).
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "_data" / "scale"
TRANSCRIPT_SHARE = 0.1
FILE_RECORDS = 20_000

# -- generation ---------------------------------------------------------------------------------

COMPLAINTS = (
    "I was charged a support fee after ninety days and nobody told me this would happen",
    "my Fibre 500 connection drops every evening and the speed is nowhere near what I pay for",
    "you charged me to block caller ID on the Lark Home Phone which is ridiculous",
    "the engineer never turned up for the appointment and nobody called me back",
    "the paper bill fee is a rip-off and I want it taken off my account",
    "my Lark Hub 5 router keeps rebooting and I have reset it five times this week",
    "I have been on hold for over an hour three times now and I am fed up",
    "the LarkView Plus recorder was discontinued and now my recordings are gone",
    "I was billed twice for the same month and the refund still has not arrived",
    "your price increase came with no warning and I am thinking of switching provider",
    "the app logs me out constantly and I cannot pay my bill",
    "I cancelled weeks ago and you are still taking money by direct debit",
)
NEUTRAL = (
    "I have been a customer for about six years",
    "this is the second time I am writing about this",
    "my account is in my partner's name",
    "I work from home so the connection matters a lot",
    "could you tell me what the next steps are",
    "I would like to know when the new plans start",
    "thanks for looking into this",
    "the box was delivered on Tuesday",
)
AGENT = (
    "Thank you for contacting Larkspur Telecom, my name is Sam, how can I help",
    "I am sorry to hear that, let me look into your account",
    "Can I take your full name and the postcode on the account please",
    "I have raised a ticket with our technical team",
    "I can see the charge on your last bill",
    "Please hold for a moment while I check that",
    "Is there anything else I can help you with today",
    "I have applied a credit to your account",
)
FILLERS = ("um", "uh", "you know", "like", "so")


def _sentence(rng: random.Random, pool: tuple[str, ...]) -> str:
    text = rng.choice(pool)
    if rng.random() < 0.2:
        text += f", call me on 555-010-{rng.randint(1000, 9999)}"
    if rng.random() < 0.1:
        text += f" or email me at user{rng.randint(1, 99999)}@example.com"
    return text[0].upper() + text[1:] + rng.choice([".", ".", "!", "?"])


def _paragraph(rng: random.Random, low: int, high: int, complaint: bool) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(_sentence(rng, COMPLAINTS if complaint and rng.random() < 0.5 else NEUTRAL))
    return " ".join(parts)


def _stamp(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"


def ticket(rng: random.Random, i: int) -> dict[str, Any]:
    complaint = rng.random() < 0.45
    requester = rng.randint(1, 200_000)
    created = _stamp(rng)
    comments = []
    for k in range(rng.randint(0, 4)):
        by_agent = k % 2 == 0
        comments.append(
            {
                "id": i * 10 + k,
                "author_id": rng.randint(900_000, 900_050) if by_agent else requester,
                "body": " ".join(_sentence(rng, AGENT) for _ in range(rng.randint(1, 4)))
                if by_agent
                else _paragraph(rng, 80, 500, complaint),
                "public": True,
                "created_at": created,
            }
        )
    return {
        "id": i,
        "subject": rng.choice(["Billing", "Router problem", "Fee", "Cancel", "Question", "Complaint"]),
        "description": _paragraph(rng, 200, 1500, complaint),
        "status": rng.choice(["new", "open", "pending", "solved", "closed"]),
        "priority": rng.choice(["low", "normal", "high", "urgent"]),
        "requester_id": requester,
        "assignee_id": rng.randint(900_000, 900_050),
        "tags": rng.sample(["billing", "router", "fee", "outage", "refund", "callback"], 2),
        "via": {"channel": rng.choice(["email", "web", "api"])},
        "created_at": created,
        "updated_at": created,
        "comments": comments,
    }


def transcript(rng: random.Random, i: int) -> list[dict[str, Any]]:
    complaint = rng.random() < 0.45
    created = _stamp(rng)
    lines = []
    for k in range(rng.randint(10, 60)):
        agent = k % 2 == 0
        words = (
            _sentence(rng, AGENT)
            if agent
            else _sentence(rng, COMPLAINTS if complaint and rng.random() < 0.4 else NEUTRAL)
        ).split()
        target = rng.randint(4, 30)
        while len(words) < target:
            words += (rng.choice(FILLERS) + " " + rng.choice(NEUTRAL)).split()
        lines.append(
            {
                "conversation_id": f"call-{i}",
                "speaker": "agent" if agent else "customer",
                "text": " ".join(words[:target]),
                "timestamp": created,
                "turn": k,
            }
        )
    return lines


def generate(n: int) -> Path:
    """``n`` interactions (10% transcripts) in files of 20,000 records; cached by size."""
    folder = DATA / str(n)
    done = folder / "DONE"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(n)
    n_calls = int(n * TRANSCRIPT_SHARE)
    n_tickets = n - n_calls
    for start in range(0, n_tickets, FILE_RECORDS):
        with open(folder / f"tickets-{start // FILE_RECORDS:04d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(start, min(n_tickets, start + FILE_RECORDS)):
                fh.write(json.dumps(ticket(rng, i)) + "\n")
    for start in range(0, n_calls, FILE_RECORDS // 10):
        with open(folder / f"calls-{start // (FILE_RECORDS // 10):04d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(start, min(n_calls, start + FILE_RECORDS // 10)):
                for line in transcript(rng, i):
                    fh.write(json.dumps(line) + "\n")
    done.write_text(json.dumps({"tickets": n_tickets, "calls": n_calls}))
    return folder


# -- one measured run (child process) ---------------------------------------------------------------


PAGE = os.sysconf("SC_PAGE_SIZE")
PSS_STEP = 64 << 20
"""Growth of the resident total (bytes) that makes the sampler read PSS before its once-a-second reading."""


class Sampler(threading.Thread):
    """Memory of this process and its descendants every 100 ms, attributed to the main process's stage.

    Forked workers share most of their pages with the main process (the
    pipeline's tables), so their resident sets can't be added up: the sum of
    proportional set sizes (PSS: each shared page split between the processes
    sharing it) is the memory the job really holds.

    The sampler competes with the run for the two cores, so it must be cheap.
    Reading PSS makes the kernel walk each process's page tables: 20-50 ms
    of CPU per sample for a forked pool (measured at 100k with ``psutil``,
    10 samples/s: 20% of a core, and 16% more wall time for the streaming
    stage). So every 100 ms it reads only the resident sizes (``statm``,
    microseconds), and reads PSS (``smaps_rollup``) once a second, or at
    once when the resident total has grown by :data:`PSS_STEP` since the
    last PSS reading. A private allocation raises RSS as much as PSS, so a
    spike is seen; what can be missed is a rise smaller than the step, or
    copy-on-write growth (which raises PSS but not RSS) within one second.
    Descendants are found through ``/proc/PID/task/TID/children``
    (refreshed every second). The sampler's own CPU is kept in
    :attr:`cpu_s`, and the results print it beside the stage times.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.pid = os.getpid()
        self.stage = "setup"
        self.peaks: dict[str, int] = {}
        self.cpu_s: dict[str, float] = {}
        self.running = True
        self._pids: list[int] = [self.pid]
        self._listed = 0.0

    @staticmethod
    def _children(pid: int) -> list[int]:
        found: list[int] = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as fh:
                    found.extend(int(x) for x in fh.read().split())
        except OSError:  # ended meanwhile
            pass
        return found

    def _descendants(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(self._children(pid))
        return out

    @staticmethod
    def _pss_of(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:  # a worker that just ended
            pass
        return 0

    @staticmethod
    def _rss_of(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):  # ended meanwhile
            return 0

    def _list(self) -> bool:
        """Refresh the list of processes once a second; True when it changed."""
        now = time.monotonic()
        if now - self._listed < 1.0:
            return False
        pids, self._listed = self._descendants(), now
        changed = pids != self._pids
        self._pids = pids
        return changed

    def pss(self) -> int:
        self._list()
        return sum(self._pss_of(pid) for pid in self._pids)

    def run(self) -> None:
        last_pss, rss_then = 0.0, 0
        while self.running:
            stage, started = self.stage, time.thread_time()
            changed = self._list()
            rss = sum(self._rss_of(pid) for pid in self._pids)
            rss_then = min(rss_then, rss)  # a rise is measured from the lowest point since the reading
            now = time.monotonic()
            if changed or now - last_pss >= 1.0 or rss - rss_then >= PSS_STEP:
                value = self.pss()
                last_pss, rss_then = now, rss
                if value > self.peaks.get(stage, 0):
                    self.peaks[stage] = value
            self.cpu_s[stage] = self.cpu_s.get(stage, 0.0) + time.thread_time() - started
            time.sleep(0.1)

    def start_stage(self, stage: str) -> None:
        """Attribute samples to ``stage`` from now on, and list the processes again at once."""
        self.stage, self._listed = stage, 0.0


def stream_stage(
    files: list[Path], store_dir: Path, catalog: Any, n_process: int, chunk_size: int
) -> dict[str, Any]:
    """``write_store``, instrumented: run where ``hi.analyze`` runs it (a process of its own)."""
    import hotline_insight as hi
    import hotline_insight.ingest._reader as reader
    import hotline_insight.store.dataset as dataset
    import hotline_insight.stream as stream

    spent = {"ingest": 0.0, "hash": 0.0, "write": 0.0}
    cpu = {"ingest": 0.0, "hash": 0.0, "write": 0.0}
    current = ["extract"]

    def timed(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            previous = current[0]
            if previous == name:  # nested (aggregates inside append): counted once
                return func(*args, **kwargs)
            current[0] = name
            t, c = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t
                cpu[name] += time.thread_time() - c
                current[0] = previous

        return wrapper

    reader.InteractionStream.__next__ = timed("ingest", reader.InteractionStream.__next__)  # type: ignore[method-assign]
    stream.file_sha256 = timed("hash", stream.file_sha256)  # type: ignore[assignment]
    stream.aggregate_grievances = timed("write", stream.aggregate_grievances)  # type: ignore[assignment]
    dataset.StoreWriter.append = timed("write", dataset.StoreWriter.append)  # type: ignore[method-assign]
    dataset.StoreWriter.commit = timed("write", dataset.StoreWriter.commit)  # type: ignore[method-assign]
    t = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    run = hi.write_store(
        files, store_dir, catalog, n_process=n_process, chunk_size=chunk_size, progress=False
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = sum(
        b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime for a, b in zip(usage, after, strict=True)
    )
    return {
        "n_interactions": run.n_interactions,
        "n_grievances": run.n_grievances,
        "n_turns": run.n_turns,
        "wall_s": wall,
        "ingest_s": spent["ingest"],
        "hash_s": spent["hash"],
        "write_s": spent["write"],
        "extract_s": wall - spent["ingest"] - spent["hash"] - spent["write"],
        "cpu_s": total_cpu,
        "ingest_cpu_s": cpu["ingest"],
        "hash_cpu_s": cpu["hash"],
        "write_cpu_s": cpu["write"],
        "extract_cpu_s": total_cpu - cpu["ingest"] - cpu["hash"] - cpu["write"],
    }


def topics_stage(store_dir: Path, embedding: str) -> dict[str, Any]:
    """``assign_store_topics`` and the assignment rates, in a process of their own (as ``hi.analyze``)."""
    import hotline_insight as hi

    c0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    done = hi.assign_store_topics(store_dir, embedding=embedding, progress=False)
    out = {"topics_s": time.perf_counter() - t}
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    out["topics_cpu_s"] = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
    out["n_topics"] = float(done.model.n_topics_)
    out["topic_sample"] = float(done.n_sample)
    out.update(assignment_rates(done.model, store_dir))
    return out


def child(n: int, n_process: int, chunk_size: int, embedding: str) -> dict[str, Any]:
    import hotline_insight as hi
    from hotline_insight._stage import run_stage

    # a stage's function is passed to its process by name: this file's, imported as a module
    stages = importlib.import_module(Path(__file__).stem)
    sampler = Sampler()
    sampler.start()
    folder = generate(n)
    files = sorted(folder.glob("*.jsonl"))
    catalog = hi.Catalog.from_yaml(ROOT / "sample_data" / "catalog.yaml")
    rss_start = sampler.pss()
    store_dir = Path(tempfile.mkdtemp(prefix="scale-store-", dir=DATA))
    # the stages as hi.analyze runs them: streaming and topics each in a process of its own, then the
    # report here; the sampler adds up the PSS of this process and all its descendants
    sampler.start_stage("stream")
    result: dict[str, Any] = run_stage(
        "store", stages.stream_stage, files, store_dir, catalog, n_process, chunk_size
    )
    sampler.start_stage("topics")
    result.update(run_stage("topics", stages.topics_stage, store_dir, embedding))
    sampler.start_stage("report")
    c0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    hi.QuarterlyReport.from_store(store_dir, catalog=catalog).write(store_dir / "report.html")
    result["report_s"] = time.perf_counter() - t
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    # this process's CPU holds the sampler's too: left out, as for the other stages
    own = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
    result["report_cpu_s"] = own - sampler.cpu_s.get("report", 0.0)
    sampler.stage = "baselines"
    result.update(
        {
            "n": n,
            "n_process": n_process,
            "rss_start": rss_start,
            "peaks": dict(sampler.peaks),
            "sampler_cpu_s": dict(sampler.cpu_s),
            "bytes_in": sum(f.stat().st_size for f in files),
            "bytes_store": sum(p.stat().st_size for p in store_dir.rglob("*.parquet")),
            "embedding": embedding,
        }
    )
    result["end_to_end_s"] = result["wall_s"] + result["topics_s"] + result["report_s"]
    result.update(baselines(files, store_dir))
    sampler.running = False
    shutil.rmtree(store_dir, ignore_errors=True)
    return result


def assignment_rates(model: Any, store_dir: Path) -> dict[str, float]:
    """Topic assignments per second on distinct texts, for this run's model and for MiniLM.

    The generated grievances repeat a few hundred sentences and the model
    embeds each distinct text once, so the topics stage above is faster than
    on real text; a serial number appended to each of 5,000 grievances makes
    every text distinct. MiniLM's rate (on 500 such texts, when the topics
    extra is installed) says what the stage costs with the default embeddings.
    """
    import hotline_insight as hi

    frame = hi.Store(store_dir).read("grievances", columns=["interaction_id", "text"]).head(5_000)
    frame["text"] = [f"{t} (ref {i})" for i, t in enumerate(frame["text"])]
    frame["interaction_id"] = [str(i) for i in range(len(frame))]
    t = time.perf_counter()
    model.transform(frame)
    rates = {"assign_distinct_per_s": len(frame) / (time.perf_counter() - t)}
    from hotline_insight.topics.embed import make_embedder, minilm_available

    if minilm_available():
        embedder = make_embedder("minilm", random_state=0, batch_size=64)
        texts = frame["text"].head(500).tolist()
        embedder.encode(texts[:20], progress=False)
        t = time.perf_counter()
        embedder.encode(texts, progress=False)
        rates["minilm_per_s"] = len(texts) / (time.perf_counter() - t)
    return rates


def baselines(files: list[Path], store_dir: Path) -> dict[str, float]:
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq
    import spacy

    t = time.perf_counter()
    texts: list[str] = []
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if len(texts) < 20_000 * 3:
                    if "description" in record:
                        texts.append(record["description"])
                        texts.extend(c["body"] for c in record["comments"])
                    else:
                        texts.append(record["text"])
    json_s = time.perf_counter() - t
    nlp = spacy.blank("en")
    sample = texts[: 20_000 * 3]
    t = time.perf_counter()
    for text in sample:
        nlp.make_doc(text)
    tokenizer_s = time.perf_counter() - t
    table = pads.dataset(store_dir / "grievances", format="parquet", partitioning="hive").to_table()
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        t = time.perf_counter()
        pq.write_table(table, Path(tmp) / "all.parquet")
        arrow_s = time.perf_counter() - t
    return {
        "json_s": json_s,
        "tokenizer_s": tokenizer_s,
        "tokenizer_chars": float(sum(len(s) for s in sample)),
        "arrow_write_s": arrow_s,
        "grievance_rows": float(table.num_rows),
    }


# -- report ---------------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def mb(value: float) -> str:
    return f"{value / 2**20:,.0f}"


def report(results: list[dict[str, Any]]) -> None:
    print("\n## Time per stage (s) and throughput\n")
    print(
        "Streaming (`write_store`): ingest, hash, extract, store write; then topics (fit on a sample of "
        f"{results[0]['topic_sample']:,.0f} grievances or fewer, {results[0]['embedding']} embeddings, every grievance "
        "assigned) and the report from the store.\n"
    )
    print(
        "| size | interactions | turns | grievances | ingest | hash | extract | store write | streaming total | topics | report | end to end | interactions/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['n']:,} | {r['n_interactions']:,} | {r['n_turns']:,} | {r['n_grievances']:,} | {r['ingest_s']:.1f} | "
            f"{r['hash_s']:.1f} | {r['extract_s']:.1f} | {r['write_s']:.1f} | {r['wall_s']:.1f} | "
            f"{r['topics_s']:.1f} | {r['report_s']:.1f} | {r['end_to_end_s']:.1f} | "
            f"{r['n_interactions'] / r['end_to_end_s']:,.0f} |"
        )
    print("\n## CPU seconds per stage\n")
    print(
        "Ingest, hash and store write: the main thread's own CPU; extraction: the rest, workers included.\n"
    )
    print(
        "| size | ingest | hash | extract | store write | total CPU | CPU ms per interaction | wall / (CPU / processes) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        ideal = r["cpu_s"] / max(1, r["n_process"])
        print(
            f"| {r['n']:,} | {r['ingest_cpu_s']:.1f} | {r['hash_cpu_s']:.1f} | {r['extract_cpu_s']:.1f} | "
            f"{r['write_cpu_s']:.1f} | {r['cpu_s']:.1f} | {1000 * r['cpu_s'] / r['n_interactions']:.2f} | "
            f"{r['wall_s'] / ideal:.2f} |"
        )
    print("\n## Against baselines measured in the same process\n")
    print(
        "| size | ingest: json.loads s | ingest / json.loads | extract: chars/s | tokenizer chars/s (first 60k texts) | extract share of tokenizer | store write s | one pq.write_table s | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        chars = r["bytes_in"]  # about the text volume; the tokenizer rate is per character of text
        extract_rate = chars / max(r["extract_s"], 1e-9)
        tok_rate = r["tokenizer_chars"] / max(r["tokenizer_s"], 1e-9)
        print(
            f"| {r['n']:,} | {r['json_s']:.1f} | {r['ingest_s'] / r['json_s']:.1f}x | {extract_rate:,.0f} | {tok_rate:,.0f} | "
            f"{extract_rate / tok_rate:.1%} | {r['write_s']:.1f} | {r['arrow_write_s']:.1f} | {r['write_s'] / max(r['arrow_write_s'], 1e-9):.1f}x |"
        )
    print("\n## Peak memory (MB: PSS of the process and its workers) by stage\n")
    stages = ["stream", "topics", "report"]
    print("| size | after imports | " + " | ".join(stages) + " | overall | input MB | store MB |")
    print("|---|---|" + "---|" * len(stages) + "---|---|---|")
    for r in results:
        peaks = r["peaks"]
        overall = max(v for k, v in peaks.items() if k != "baselines")
        cells = " | ".join(mb(peaks.get(s, 0)) for s in stages)
        print(
            f"| {r['n']:,} | {mb(r['rss_start'])} | {cells} | {mb(overall)} | {mb(r['bytes_in'])} | {mb(r['bytes_store'])} |"
        )
    print(
        "\nThe memory sampler's own CPU (it shares the two cores with the run), "
        "as a share of each stage's wall time:\n"
    )
    print("| size | " + " | ".join(stages) + " |")
    print("|---|" + "---|" * len(stages))
    for r in results:
        spent = r.get("sampler_cpu_s", {})
        walls = {"stream": r["wall_s"], "topics": r["topics_s"], "report": r["report_s"]}
        cells = " | ".join(
            f"{spent.get(s, 0.0):.1f} s ({spent.get(s, 0.0) / max(walls[s], 1e-9):.1%})" for s in stages
        )
        print(f"| {r['n']:,} | {cells} |")
    if len(results) > 1:
        print("\n## Growth from one size to the next (1.0 = linear time, flat memory)\n")
        print(
            "| from -> to | size x | ingest time / size x | extract time / size x | write time / size x | topics time / size x | report time / size x | end-to-end / size x | peak memory x |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for a, b in itertools.pairwise(results):
            k = b["n_interactions"] / a["n_interactions"]
            peak_a = max(v for s, v in a["peaks"].items() if s != "baselines")
            peak_b = max(v for s, v in b["peaks"].items() if s != "baselines")
            print(
                f"| {a['n']:,} -> {b['n']:,} | {k:.0f} | {b['ingest_s'] / a['ingest_s'] / k:.2f} | {b['extract_s'] / a['extract_s'] / k:.2f} | "
                f"{b['write_s'] / a['write_s'] / k:.2f} | {b['topics_s'] / a['topics_s'] / k:.2f} | "
                f"{b['report_s'] / a['report_s'] / k:.2f} | {b['end_to_end_s'] / a['end_to_end_s'] / k:.2f} | {peak_b / peak_a:.2f} |"
            )
    largest = results[-1]
    per_million = largest["end_to_end_s"] / largest["n_interactions"] * 1_000_000
    measured = (
        "measured"
        if largest["n_interactions"] >= 1_000_000
        else f"extrapolated linearly from {largest['n']:,}"
    )
    print(f"\n1M interactions end to end: {per_million / 60:.1f} min ({measured}); target < 30 min.")
    grievances_per_million = largest["n_grievances"] / largest["n_interactions"] * 1_000_000
    line = (
        f"Topic assignment on distinct texts (the generated ones repeat): {largest['assign_distinct_per_s']:,.0f}/s "
        f"with the {largest['embedding']} model of the run"
    )
    if "minilm_per_s" in largest:
        line += (
            f"; MiniLM embeds {largest['minilm_per_s']:,.0f} texts/s here, so assigning the "
            f"{grievances_per_million:,.0f} grievances of 1M interactions with MiniLM would take about "
            f"{grievances_per_million / largest['minilm_per_s'] / 60:,.0f} min (an estimate)"
        )
    print(line + ".")
    all_cpu = largest["cpu_s"] + largest["topics_cpu_s"] + largest["report_cpu_s"]
    cpu_per_million = all_cpu / largest["n_interactions"] * 1_000_000
    how = (
        "measured"
        if largest["n_interactions"] >= 1_000_000
        else f"extrapolated linearly from {largest['n']:,}"
    )
    print(
        f"CPU for 1M interactions: {cpu_per_million / 60:.1f} CPU-min ({how}); "
        f"on two otherwise idle cores at best {cpu_per_million / 120:.1f} min (an estimate, not a measurement)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated sizes, such as 10k,100k,1M")
    parser.add_argument("--n-process", type=int, default=2, help="extraction processes (default 2)")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument(
        "--embedding",
        default="tfidf",
        help="topic embeddings for the topics stage (tfidf, the default here, or minilm)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n_process, args.chunk_size, args.embedding)))
        return
    results = []
    for size in [parse_size(s) for s in args.sizes.split(",")]:
        t = time.perf_counter()
        generate(size)
        print(f"data for {size:,}: ready ({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(size),
                "--n-process",
                str(args.n_process),
                "--chunk-size",
                str(args.chunk_size),
                "--embedding",
                args.embedding,
            ],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{size:,}: {result['end_to_end_s']:.0f} s end to end", file=sys.stderr, flush=True)
        results.append(result)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

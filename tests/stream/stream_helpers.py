"""Generated Zendesk JSON-lines tickets in the style of the sample data (short, so tests stay quick)."""

from __future__ import annotations

import json
import random
from pathlib import Path

COMPLAINTS = (
    "I was charged a support fee after ninety days and nobody told me about it!",
    "My Fibre 500 keeps dropping every evening and I have called three times already.",
    "You charged me to block caller ID on my Lark Home Phone, that is outrageous.",
    "The engineer never came and nobody called me back as promised.",
    "The paper bill fee is a rip-off, take it off my account please.",
    "My Lark Hub 5 router is broken again and I'm sick of waiting on hold for an hour.",
)
QUESTIONS = (
    "What are your opening hours on Saturday?",
    "Can I add a second SIM to my plan?",
    "Thanks for fixing the line so quickly yesterday.",
    "How do I change the wifi password on the router?",
)


def ticket(rng: random.Random, i: int, *, dated: bool = True) -> dict[str, object]:
    complaint = rng.random() < 0.6
    description = rng.choice(COMPLAINTS if complaint else QUESTIONS)
    if rng.random() < 0.3:
        description += f" Call me on 555-010-{rng.randint(1000, 9999)}."
    month = rng.randint(1, 9)
    record: dict[str, object] = {
        "id": i,
        "subject": rng.choice(["Billing", "Router", "Question", "Complaint"]),
        "description": description,
        "status": rng.choice(["open", "solved"]),
        "requester_id": rng.randint(1, 400),
        "via": {"channel": rng.choice(["email", "web"])},
        "comments": [
            {
                "id": i * 10 + k,
                "author_id": 900001,
                "body": "Sorry about that, we are looking into it.",
                "public": True,
            }
            for k in range(rng.randint(0, 1))
        ],
    }
    if dated:
        record["created_at"] = f"2026-{month:02d}-{rng.randint(1, 28):02d}T10:00:00Z"
    return record


def write_tickets(path: Path, n: int, *, seed: int = 0, start: int = 0, undated_every: int = 0) -> Path:
    """``n`` tickets, one JSON object a line; every ``undated_every``-th has no created_at."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            dated = not (undated_every and k % undated_every == 0)
            fh.write(json.dumps(ticket(rng, start + k, dated=dated)) + "\n")
    return path

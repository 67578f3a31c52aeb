"""Time and memory of every analytics table on 1,000,000 grievances over 100,000 customers.

A synthetic contact centre is generated (deterministic, seed 0): a customers
table of 100,000 customers (segment, value, hashed e-mail and phone, product
holdings), 400,000 interactions over five quarters from four source formats
(CRM ids on calls and chats, a ticketing system with its own requester ids
and the CRM id in a custom field, hashed keys on a share of them, a
switchboard number shared by 300 customers, 2% anonymous, 10% with a
good/bad rating), and 1,000,000 grievances (themes, products, policies,
topics, intensity), given as frames, the form they take at this scale (read
from Parquet, or from ``Grievances.to_frame()``).

Every table is then built once, in one process, timed, with the process's
peak resident memory. The baseline, measured in the same process, is what a
hand-written pandas analysis would start with: exploding the themes and
counting them per quarter; the ratio says how many such passes each table
costs. Target: all tables under 60 s and 4 GB.

Usage::

    python benchmarks/analytics_scale.py                 # 1,000,000 grievances, 100,000 customers
    python benchmarks/analytics_scale.py --scale 0.1     # a tenth of that
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

THEMES = [f"theme_{i:02d}" for i in range(30)]
PRODUCTS = [f"product_{i:02d}" for i in range(12)]
POLICIES = [f"policy_{i}" for i in range(7)]
START = pd.Timestamp("2025-07-01", tz="UTC")
SPAN_S = 456 * 86_400  # five quarters


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(scale: float, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n_customers = int(100_000 * scale)
    n_contacts = int(400_000 * scale)
    n_grievances = int(1_000_000 * scale)
    ids = np.array([f"C{i:07d}" for i in range(n_customers)], dtype=object)
    segment = rng.choice(["consumer", "premium", "business"], n_customers, p=[0.72, 0.2, 0.08])
    value = np.round(rng.lognormal(6.5, 0.8, n_customers), 2)
    value[rng.random(n_customers) < 0.05] = np.nan  # some customers without a value
    email = np.array([f"email:{i:020x}" for i in range(n_customers)], dtype=object)
    phone = np.array([f"phone:{i:020x}" for i in range(n_customers)], dtype=object)
    table = pd.DataFrame(
        {
            "customer_id": pd.array(ids, dtype="string"),
            "segment": pd.array(segment, dtype="string"),
            "value": value,
            "keys": [[e, p] for e, p in zip(email, phone, strict=True)],
            "products": [list(rng.choice(PRODUCTS, 2, replace=False)) for _ in range(n_customers)],
        }
    )
    who = rng.integers(0, n_customers, n_contacts)
    fmt = rng.choice(
        ["plain_text", "contact_lens", "zendesk_json", "salesforce_case"], n_contacts, p=[0.2, 0.2, 0.4, 0.2]
    )
    created = START + pd.to_timedelta(np.sort(rng.integers(0, SPAN_S, n_contacts)), unit="s")
    customer_id = ids[who].copy()
    zendesk = fmt == "zendesk_json"
    customer_id[zendesk] = np.char.mod("%d", 100_000 + who[zendesk]).astype(object)  # its own requester ids
    meta = np.full(n_contacts, None, dtype=object)
    meta[zendesk] = [{"custom_fields": {"360011103": c}} for c in ids[who[zendesk]]]
    keyed = rng.random(n_contacts) < 0.3
    switchboard = rng.random(n_contacts) < 0.002
    salesforce = fmt == "salesforce_case"
    anonymous = rng.random(n_contacts) < 0.02
    keys: list[tuple[str, ...]] = []
    for i in range(n_contacts):
        if anonymous[i]:
            keys.append(())
        elif salesforce[i]:
            keys.append((email[who[i]],))
        elif switchboard[i]:
            keys.append(("phone:switchboard00000000",))
        elif keyed[i]:
            keys.append((phone[who[i]],))
        else:
            keys.append(())
    customer_id[salesforce] = None  # known by their keys only
    customer_id[anonymous] = None
    rated = rng.random(n_contacts) < 0.1
    contacts = pd.DataFrame(
        {
            "id": [f"i{i}" for i in range(n_contacts)],
            "source_format": fmt,
            "channel": rng.choice(["call", "chat", "email", "ticket"], n_contacts),
            "created_at": created,
            "customer_id": customer_id,
            "customer_keys": keys,
            "status": rng.choice(["solved", "open", None], n_contacts, p=[0.7, 0.1, 0.2]),
            "queue": rng.choice(["Billing", "Tech", "Moves", None], n_contacts),
            "satisfaction_score": np.where(rated, rng.integers(0, 2, n_contacts), np.nan),
            "satisfaction_scale": np.where(rated, "good/bad", None),
            "meta": meta,
        }
    )
    owner = np.sort(rng.integers(0, n_contacts, n_grievances))
    n_themes = rng.integers(1, 3, n_grievances)
    theme_pick = rng.integers(0, len(THEMES), (n_grievances, 2))
    has_product = rng.random(n_grievances) < 0.5
    has_policy = rng.random(n_grievances) < 0.3
    grievances = pd.DataFrame(
        {
            "interaction_id": contacts["id"].to_numpy()[owner],
            "source_format": fmt[owner],
            "created_at": created[owner],
            "customer_id": customer_id[owner],
            "themes": [
                [THEMES[a]] if k == 1 else [THEMES[a], THEMES[b]]
                for (a, b), k in zip(theme_pick, n_themes, strict=True)
            ],
            "products": [
                [PRODUCTS[p]] if h else []
                for p, h in zip(rng.integers(0, 12, n_grievances), has_product, strict=True)
            ],
            "policies": [
                [POLICIES[p]] if h else []
                for p, h in zip(rng.integers(0, 7, n_grievances), has_policy, strict=True)
            ],
            "topic": pd.array(rng.integers(-1, 50, n_grievances), dtype="Int64"),
            "intensity": rng.random(n_grievances),
        }
    )
    return contacts, grievances, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 1,000,000 grievances over 100,000 customers"
    )
    args = parser.parse_args()
    import hotline_insight as hi

    warnings.simplefilter("ignore", hi.HotlineWarning)
    t0 = time.perf_counter()
    contacts, grievances, table = make_data(args.scale)
    gc.collect()
    print(
        f"generated {len(grievances):,} grievances, {len(contacts):,} interactions, {len(table):,} customers "
        f"in {time.perf_counter() - t0:.1f} s; peak RSS {peak_rss_mb():,.0f} MB\n"
    )

    def baseline() -> Any:
        themes = grievances[["created_at", "themes"]].explode("themes")
        quarter = themes["created_at"].dt.tz_localize(None).dt.to_period("Q")
        return themes.groupby([themes["themes"], quarter]).size()

    rows: list[tuple[str, float, int]] = []

    def timed(name: str, call: Callable[[], Any]) -> Any:
        gc.collect()
        start = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - start
        rows.append((name, seconds, len(result) if hasattr(result, "__len__") else 0))
        return result

    timed("baseline: explode themes, count per quarter (pandas)", baseline)
    ids = timed("resolve_customers", lambda: hi.resolve_customers(contacts, table))
    data = timed(
        "prepare_analysis (join, attach customers)",
        lambda: [hi.prepare_analysis(contacts, grievances, table, identities=ids)],
    )[0]
    timed("customers", lambda: hi.customers(data))
    rep = timed("repeat_contacts", lambda: hi.repeat_contacts(data))
    timed("first_contact_resolution (theme)", lambda: hi.first_contact_resolution(rep, by="theme"))
    timed("first_contact_resolution (channel)", lambda: hi.first_contact_resolution(rep, by="channel"))
    timed("link theme x product", lambda: hi.link(data, ("theme", "product")))
    timed("link theme x policy", lambda: hi.link(data, ("theme", "policy")))
    timed("link topic x product", lambda: hi.link(data, ("topic", "product")))
    timed("trends theme x quarter", lambda: hi.trends(data, "theme", "quarter"))
    timed("trends (product, theme) x month", lambda: hi.trends(data, ("product", "theme"), "month"))
    timed("emerging theme, last month", lambda: hi.emerging(data, "theme", "month"))
    timed(
        "early_warnings (product, theme) x month",
        lambda: hi.early_warnings(data, ("product", "theme"), "month"),
    )
    timed(
        "before_after policy_3 at 2026-04-01",
        lambda: hi.before_after(data, "policy:policy_3", at="2026-04-01"),
    )
    timed("satisfaction_impact theme", lambda: hi.satisfaction_impact(data, by="theme"))
    timed("rank_grievances theme (prepared)", lambda: hi.rank_grievances(data))
    data = rep = None  # free them before the one-call run
    gc.collect()
    timed(
        "rank_grievances theme (one call from the raw frames)",
        lambda: hi.rank_grievances(contacts, grievances, customers_table=table),
    )

    base = rows[0][1]
    total = sum(seconds for name, seconds, _ in rows[1:] if "one call" not in name)
    print("| table | seconds | x baseline | rows |")
    print("|---|---|---|---|")
    for name, seconds, n in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / base:.1f} | {n:,} |")
    peak = peak_rss_mb()
    print(
        f"\nall tables (resolve and prepare once, then every table): {total:.1f} s; "
        f"rank_grievances in one call from the raw frames: {rows[-1][1]:.1f} s; "
        f"peak RSS {peak:,.0f} MB (target: under 60 s and 4,096 MB)"
    )
    print(f"identities: {ids.summary}")
    return 0 if total < 60 and peak < 4096 else 1


if __name__ == "__main__":
    sys.exit(main())

"""The sample data, read and extracted once for every test process of a run.

Extracting the grievances of ``sample_data/`` takes about 20 s. The result is
pickled in the system's temporary folder under a key made of the hash of
``sample_data/`` and of the package's source (so a change to either makes a
new entry), behind a file lock: the first xdist worker to get there builds
it, the others wait and read it.
"""

from __future__ import annotations

import fcntl
import hashlib
import pickle
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
PACKAGE = ROOT / "hotline_insight"
TZ = "America/Chicago"


@dataclass
class SampleBundle:
    corpus: Any
    grievances: Any
    catalog: Any
    customers: Any


def _key() -> str:
    digest = hashlib.sha256()
    for folder, patterns in ((SAMPLE, ("**/*",)), (PACKAGE, ("**/*.py", "**/*.yaml", "**/*.json"))):
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(ROOT)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def load_sample() -> SampleBundle:
    """The sample corpus, its grievances, the catalog and the customers table (cached across processes)."""
    import hotline_insight as hi

    folder = Path(tempfile.gettempdir()) / "hotline-insight-test-cache"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sample-{_key()}.pkl"
    catalog = hi.Catalog.from_yaml(SAMPLE / "catalog.yaml")
    customers = hi.read_customers(SAMPLE / "customers.csv", email_column="email", phone_column="phone")
    with open(folder / "sample.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():
                corpus, grievances = pickle.loads(path.read_bytes())
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", hi.HotlineWarning)
                    corpus = hi.read(
                        [SAMPLE / "calls", SAMPLE / "chats", SAMPLE / "tickets"],
                        ctr=SAMPLE / "ctr" / "contact_records.jsonl",
                        on_error="collect",
                    )
                grievances = hi.extract_grievances(corpus, catalog)
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(pickle.dumps((corpus, grievances), protocol=pickle.HIGHEST_PROTOCOL))
                tmp.replace(path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return SampleBundle(corpus, grievances, catalog, customers)

"""No network, ever: fit, transform, save and load in child processes that watch every socket.

Each child installs a ``sys.addaudithook`` before importing anything of ours. The hook
records and refuses every socket operation that could reach another machine (connect,
send, name resolution, binding to anything but loopback), and the child reports what it
saw; the test fails if anything was seen. (Creating a socket is not refused: urllib3,
imported by transformers, creates one at import time and binds it to ``::1`` to learn
whether IPv6 exists; that sends nothing anywhere.) The
children get no ``HF_HUB_OFFLINE`` from us: the library must keep itself offline.
The second child loads the saved model in a fresh process and must assign exactly the
topics the first one did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import hotline_insight as hi

GUARD = """
import json, sys
SEEN = []
WATCHED = {
    "socket.connect", "socket.connect_ex", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr",
    "socket.getnameinfo",
}
LOOPBACK = {"::1", "127.0.0.1", "localhost"}
def _hook(event, args):
    bad = event in WATCHED
    if event == "socket.bind":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        bad = host not in LOOPBACK
    if bad:
        SEEN.append(event)
        raise RuntimeError("network blocked by the test: " + event)
sys.addaudithook(_hook)
"""

FIT = """
import warnings
warnings.simplefilter("ignore")
import hotline_insight as hi
texts = json.load(open(sys.argv[1]))
model = hi.TopicModel(random_state=0)
fitted = model.fit_transform(texts)
model.save(sys.argv[2])
print(json.dumps({"seen": SEEN, "fitted": fitted, "transformed": model.transform(texts),
                  "embedding": model.embedding_}))
"""

LOAD = """
import hotline_insight as hi
texts = json.load(open(sys.argv[1]))
model = hi.load_topic_model(sys.argv[2])
print(json.dumps({"seen": SEEN, "transformed": model.transform(texts)}))
"""


def _child(code: str, *args: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run(
        [sys.executable, "-c", GUARD + code, *args], capture_output=True, text=True, env=env, timeout=600
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_fit_save_and_load_in_fresh_processes_open_no_socket(
    sample_grievances: hi.Grievances, tmp_path: Path
) -> None:
    texts = sample_grievances.texts[:200]
    data = tmp_path / "texts.json"
    data.write_text(json.dumps(texts))
    folder = tmp_path / "model"

    fitted = _child(FIT, str(data), str(folder))
    assert fitted["seen"] == []
    assert fitted["embedding"] == "minilm"
    assert fitted["fitted"] == fitted["transformed"]
    assert len(set(fitted["fitted"])) >= 3  # type: ignore[arg-type]

    loaded = _child(LOAD, str(data), str(folder))
    assert loaded["seen"] == []
    assert loaded["transformed"] == fitted["transformed"]


def test_the_guard_does_catch_a_socket() -> None:
    # the same guard, used on purpose: proves the hook sees what the test relies on
    code = "import socket\ntry:\n    socket.getaddrinfo('localhost', 80)\nexcept RuntimeError:\n    pass\nprint(json.dumps({'seen': SEEN}))\n"
    assert _child(code)["seen"] == ["socket.getaddrinfo"]

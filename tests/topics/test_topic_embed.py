"""Embedding backends: the packaged MiniLM (checked against the published sums) and TF-IDF + SVD."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import hotline_insight as hi
from hotline_insight.topics.embed import (
    MINILM_FILES,
    MiniLMEmbedder,
    TfidfSvdEmbedder,
    embedder_from_state,
    make_embedder,
    minilm_path,
    verify_minilm,
)

TEXTS = [
    "my router reboots every night",
    "the hub restarts itself at 3am",
    "I was charged a support fee",
    "support fee on my bill again",
    "refund still not received",
    "where is my refund",
]


def test_packaged_minilm_is_the_published_model() -> None:
    verify_minilm(minilm_path())  # raises on any difference


def test_changed_weights_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(minilm_path(), folder)
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(hi.ConfigError, match=r"^\[E525\].*'model.safetensors'") as info:
        verify_minilm(folder)
    assert MINILM_FILES["model.safetensors"][:12] in str(info.value)
    shutil.copy2(minilm_path() / "model.safetensors", weights)
    verify_minilm(folder)
    (folder / "vocab.txt").unlink()
    with pytest.raises(hi.ConfigError, match=r"\[E525\].*'vocab.txt'.*\(missing\)"):
        verify_minilm(folder)


def test_minilm_rows_are_unit_vectors_and_deterministic() -> None:
    emb = MiniLMEmbedder()
    a = emb.encode(TEXTS)
    b = emb.encode(list(reversed(TEXTS)))[::-1]
    assert a.shape == (6, 384) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(a, b, atol=1e-5)
    sims = a @ a.T
    # the two router texts are closer to each other than to the fee texts
    assert sims[0, 1] > sims[0, 2] and sims[2, 3] > sims[2, 0]
    assert emb.encode([]).shape == (0, 384)


def test_minilm_sets_the_hub_offline() -> None:
    MiniLMEmbedder().encode(["x"])
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_tfidf_backend_round_trips_through_its_state() -> None:
    emb = TfidfSvdEmbedder(n_components=3, random_state=0).fit(TEXTS * 10)
    meta, arrays = emb.state()
    again = embedder_from_state(meta, arrays)
    np.testing.assert_array_equal(again.encode(TEXTS), emb.encode(TEXTS))
    out = emb.encode([*TEXTS, "nothing known here zzz"])
    assert out.shape == (7, 3)
    # a text with no known word embeds to zero: similar to nothing
    assert not out[-1].any()


def test_tfidf_backend_with_no_vocabulary() -> None:
    emb = TfidfSvdEmbedder().fit(["hello thanks", "okay bye"])
    assert emb.encode(["anything"]).shape == (1, 1)


@pytest.mark.parametrize("name", ["bert", "", "MiniLM"])
def test_unknown_backend(name: str) -> None:
    with pytest.raises(hi.ConfigError, match=r"^\[E524\]"):
        make_embedder(name, random_state=0, batch_size=8)


def test_saved_backend_with_other_weights_is_refused() -> None:
    with pytest.raises(hi.ConfigError, match=r"^\[E528\] .*'minilm'"):
        embedder_from_state({"backend": "minilm", "sha256": "0" * 64}, {})
    with pytest.raises(hi.ConfigError, match=r"^\[E528\] .*'word2vec'"):
        embedder_from_state({"backend": "word2vec"}, {})


# An interpreter in which sentence-transformers can't be imported, as in an install without torch.
_NO_TORCH = (
    "import sys, warnings; sys.modules['sentence_transformers'] = None; sys.modules['torch'] = None\n"
    "import hotline_insight as hi\n"
    "from hotline_insight.topics.embed import make_embedder, minilm_available\n"
)


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _NO_TORCH + code], capture_output=True, text=True, timeout=300
    )


def test_without_torch_auto_falls_back_to_tfidf_with_a_warning() -> None:
    code = (
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        "    emb = make_embedder('auto', random_state=0, batch_size=8)\n"
        "print(emb.name, [str(w.message)[:6] for w in seen])\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["tfidf", "['[W201]']"]


def test_without_torch_asking_for_minilm_names_the_extra() -> None:
    code = (
        "try:\n"
        "    make_embedder('minilm', random_state=0, batch_size=8)\n"
        "except hi.MissingDependencyError as exc:\n"
        "    print(str(exc))\n"
    )
    out = _run(code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("[E401] TopicModel needs the optional package 'sentence-transformers'")
    assert "hotline_insight[topics]" in out.stdout

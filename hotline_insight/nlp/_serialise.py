"""Saving and loading a component's settings as one JSON document, the spaCy way."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

from spacy import util

from ._text import json_dumps, write_json

__all__ = ["JsonSettings"]


class JsonSettings:
    """Mixin: ``to_bytes``/``from_bytes``/``to_disk``/``from_disk`` over ``_data()`` and ``_load()``.

    A component that keeps its state as a JSON-able dict implements
    ``_data() -> dict`` and ``_load(data, source)``; this gives it spaCy's
    serialisation methods, with the state stored under ``cfg`` (bytes) or in
    ``cfg.json`` (directory).
    """

    def _data(self) -> dict[str, Any]:
        raise NotImplementedError

    def _load(self, data: dict[str, Any], source: str) -> None:
        raise NotImplementedError

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """Serialise the component's settings and data."""
        return util.to_bytes({"cfg": lambda: json_dumps(self._data())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> Self:
        """Load what :meth:`to_bytes` wrote."""

        def load(b: bytes) -> None:
            self._load(json.loads(b), "<bytes>")

        util.from_bytes(bytes_data, {"cfg": load}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the component's settings and data to a directory."""
        util.to_disk(util.ensure_path(path), {"cfg.json": lambda p: write_json(p, self._data())}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Self:
        """Load what :meth:`to_disk` wrote."""

        def load(p: Path) -> None:
            self._load(json.loads(p.read_bytes()), str(p))

        util.from_disk(util.ensure_path(path), {"cfg.json": load}, exclude)
        return self

"""A local Spark session for the parity tests.

Skipped when pyspark or Java is missing, unless ``HOTLINE_REQUIRE_SPARK=1``
(set by ``.ci/run``), which makes a missing Spark a failure.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

# The project's conftest refuses every socket connection in tests. Spark's Python side talks to its
# own JVM and workers over the loopback interface only, which these tests allow; anything else is
# still refused.
_CONNECT = socket.socket.connect
_CONNECT_EX = socket.socket.connect_ex
_CREATE_CONNECTION = socket.create_connection


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) and address else address
    if not isinstance(host, str):
        return False
    return host in ("localhost", "::1") or host.startswith("127.")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise RuntimeError("network access attempted in a test")
        return _CONNECT(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise RuntimeError("network access attempted in a test")
        return _CONNECT_EX(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(address):
            raise RuntimeError("network access attempted in a test")
        return _CREATE_CONNECTION(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'hotline_insight[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (.ci/run installs Debian's default-jre-headless)"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("HOTLINE_REQUIRE_SPARK") == "1":
            pytest.fail(f"HOTLINE_REQUIRE_SPARK=1 but {reason}")
        pytest.skip(reason)
    import hotline_insight.spark as his

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pyspark's note about pandas 3
        session = his.get_session("local[2]", app_name="hotline_insight-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

"""Fixtures that start the real `sluice` binary on free loopback ports and stop it by PID.

The binary comes from $SLUICE_BIN (the Makefile passes the debug build). Every node gets its own
temporary data directory and its own ports, so tests never collide with a running `make serve`.
"""
import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import httpx
import pytest

SLUICE_BIN = os.environ.get("SLUICE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SluiceNode:
    data_dir: str
    kafka_port: int = field(default_factory=free_port)
    registry_port: int = field(default_factory=free_port)
    admin_port: int = field(default_factory=free_port)
    extra_args: list = field(default_factory=list)
    process: subprocess.Popen = None
    log_path: str = None

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    @property
    def registry_url(self) -> str:
        return f"http://127.0.0.1:{self.registry_port}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    def args(self) -> list:
        return [SLUICE_BIN, "serve", "--data-dir", self.data_dir,
                "--listen", f"127.0.0.1:{self.kafka_port}",
                "--registry-listen", f"127.0.0.1:{self.registry_port}",
                "--admin-listen", f"127.0.0.1:{self.admin_port}", *self.extra_args]

    def start(self) -> "SluiceNode":
        self.log_path = os.path.join(tempfile.mkdtemp(prefix="sluice-log-"), "node.log")
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.args(), stdout=self._log, stderr=subprocess.STDOUT)
        return self

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"sluice exited with {self.process.returncode}:\n{self.output()}")
            try:
                if httpx.get(f"{self.admin_url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"sluice did not become healthy in {timeout}s:\n{self.output()}")

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"sluice did not stop within {timeout}s after {sig!r}")
        self._log.close()
        return self.process.returncode

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")


@pytest.fixture
def data_dir(tmp_path):
    return str(tmp_path / "data")


@pytest.fixture
def node(data_dir):
    """A running, healthy node, stopped with SIGTERM afterwards."""
    n = SluiceNode(data_dir).start()
    try:
        n.wait_healthy()
        yield n
    finally:
        if n.process.poll() is None:
            n.process.kill()
            n.process.wait()

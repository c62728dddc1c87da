"""A Redis server of a test's own on a loopback port, to stop and start at will."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.integration.smtp import free_port

REDIS_SERVER = shutil.which("redis-server")


class RedisProcess:
    """A Redis server of the test's own on a loopback port, stopped and started at will."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it empty (nothing is kept on disk, as after a restart that lost everything)."""
        assert REDIS_SERVER is not None
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def require_redis_server() -> None:
    """Skip without the redis-server program (fail under CI=true)."""
    if REDIS_SERVER is None:
        message = "redis-server is not installed"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: services are required)")
        pytest.skip(message)


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisProcess]:
    require_redis_server()
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    server.stop()

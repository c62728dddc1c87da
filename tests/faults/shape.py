"""The production shape on loopback, as processes an operator's bad day can kill.

PostgreSQL (the machine's), a Redis server of the test's own (so stopping it
disturbs nobody else), ``mimamori serve --workers 2``, ``mimamori worker`` and
an SMTP sink (aiosmtpd) that can be stopped and started on the same port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller

from tests.integration.redis_server import RedisProcess
from tests.integration.smtp import ScriptedHandler, free_port

WEB_WORKERS = 2
HARNESS = "mimamori-faults"
"""The application_name of the test's own database connections, which faults spare."""


class SmtpSink:
    """A mail server on a fixed loopback port that records every message it accepts."""

    def __init__(self) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        return Counter(str(r.message["Message-ID"]) for r in list(self.handler.received))


@dataclass
class Shape:
    """The web processes, the worker and their services, with their logs in ``folder``."""

    folder: Path
    database_url: str
    redis: RedisProcess
    smtp: SmtpSink
    port: int = field(default_factory=free_port)
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    worker_starts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "MIMAMORI_DATABASE_URL": self.database_url,
            "MIMAMORI_REDIS_URL": self.redis.url,
            "MIMAMORI_SMTP_HOST": "127.0.0.1",
            "MIMAMORI_SMTP_PORT": str(self.smtp.port),
            "MIMAMORI_SMTP_STARTTLS": "false",
            "MIMAMORI_ALLOWED_HOSTS": f"127.0.0.1,127.0.0.1:{self.port}",
        }

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("ab") as out:
            command = [sys.executable, "-m", "mimamori", *args]
            return subprocess.Popen(command, env=self.env(), stdout=out, stderr=out)

    def start_web(self) -> None:
        self.web = self._spawn(
            "web", "serve", "--workers", str(WEB_WORKERS), "--port", str(self.port)
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.web.poll() is None, self.log("web")
            if len(self.web_workers()) == WEB_WORKERS and _answers(f"{self.base}/healthz"):
                return
            time.sleep(0.2)
        raise AssertionError(f"mimamori serve did not come up:\n{self.log('web')}")

    def web_workers(self) -> list[int]:
        """The pids of the serving processes under the supervisor."""
        assert self.web is not None
        return [pid for pid, cmd in _children(self.web.pid) if "spawn_main" in cmd]

    def kill_web_worker(self) -> int:
        """SIGKILL one serving process; the supervisor is to start another."""
        victim = self.web_workers()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def start_worker(self) -> None:
        self.worker = self._spawn("worker", "worker")
        self.worker_starts += 1

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.kill()
        self.worker.wait(timeout=10)

    def stop(self) -> dict[str, int | None]:
        """SIGTERM to both, as a rolling restart sends it; their exit codes."""
        codes: dict[str, int | None] = {}
        for name, process in (("web", self.web), ("worker", self.worker)):
            if process is None:
                continue
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                codes[name] = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = None
        return codes


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2, trust_env=False).status_code == 200
    except httpx.TransportError:
        return False


def _children(parent: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live children of ``parent``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # gone meanwhile
            continue
        # Fields after the parenthesised command: state, then the parent's pid.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z":
            found.append((int(entry.name), cmdline))
    return found

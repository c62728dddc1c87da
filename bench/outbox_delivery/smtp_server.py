"""The SMTP server the messages go to, in a process of its own, counting what it receives."""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP

from bench.outbox_delivery.common import HOST


class CountingHandler:
    """Accepts every message and counts it; keeps the first one of each run for checking."""

    def __init__(self, counter: Any, sample: str) -> None:
        self.counter = counter
        self.sample = sample

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        with self.counter.get_lock():
            self.counter.value += 1
            first = self.counter.value == 1
        if first:
            _keep(self.sample, envelope.content)
        return "250 OK"


def _keep(path: str, content: bytes) -> None:
    """Write the sample (once per run, a few kB: blocking the server's loop is harmless)."""
    Path(path).write_bytes(content)


def serve(port: int, counter: Any, sample: str, ready: Any, stop: Any) -> None:
    """The child process: aiosmtpd on 127.0.0.1:port until ``stop`` is set."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        handler = CountingHandler(counter, sample)
        server = await loop.create_server(
            lambda: SMTP(handler, hostname="bench.localhost"), HOST, port
        )
        ready.set()
        await loop.run_in_executor(None, stop.wait)
        server.close()
        await server.wait_closed()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: Any
    port: int
    counter: Any
    sample: Path
    stop: Any

    def reset(self) -> None:
        with self.counter.get_lock():
            self.counter.value = 0
        self.sample.unlink(missing_ok=True)

    @property
    def received(self) -> int:
        return int(self.counter.value)


def start_server(folder: Path) -> Server:
    spawn = multiprocessing.get_context("spawn")
    counter = spawn.Value("i", 0)
    ready, stop = spawn.Event(), spawn.Event()
    port = free_port()
    sample = folder / "first.eml"
    process = spawn.Process(
        target=serve, args=(port, counter, str(sample), ready, stop), daemon=True
    )
    process.start()
    if not ready.wait(30):
        process.kill()
        raise RuntimeError("the SMTP server did not start")
    return Server(process, port, counter, sample, stop)

"""End-to-end harness: the real app under uvicorn on a free port, and screenshots.

Everything here is synchronous on purpose. Playwright's sync API refuses to start
inside a running event loop, and between its calls it marks the test thread's loop
as running, so ``asyncio.run`` in that thread would refuse too: the database is
prepared in a thread of its own, and the server runs its loop in another.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from playwright.sync_api import Page

from engine.clock import Clock, FixedClock
from engine.config import Settings
from engine.services import Context
from engine.store import migrate
from engine.store.database import Database
from tests.integration.conftest import START
from web.app import create_app
from workflows.collaboration import COLLABORATION

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google's hosts,
# which this machine's closed network refuses.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
STARTUP_TIMEOUT = 20.0
SHUTDOWN_TIMEOUT = 15.0

T = TypeVar("T")
Seed = Callable[[Context], Awaitable[Any]]
"""Puts data in through the services; what it returns is kept as ``LiveServer.seeded``."""


@dataclass(frozen=True, slots=True)
class LiveServer:
    """A running app: where it answers, its database and settings, and what the seed returned."""

    url: str
    database_url: str
    settings: Settings
    seeded: Any = None


def snap(page: Page, name: str) -> Path:
    """Save a full-page screenshot as ``tests/e2e/artifacts/<name>.png``; returns the path."""
    path = ARTIFACTS / (name if name.endswith(".png") else f"{name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a fresh loop in a thread of its own."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="e2e-async") as pool:
        return pool.submit(asyncio.run, coro).result()


async def prepare_database(database_url: str, seed: Seed | None, clock: Clock) -> Any:
    """Migrate to the newest schema, then seed on ``clock``; returns what the seed returned."""
    db = Database(database_url)
    try:
        await migrate.upgrade(db)
        if seed is None:
            return None
        return await seed(Context(db=db, workflow=COLLABORATION, clock=clock))
    finally:
        await db.dispose()


@contextmanager
def serve(folder: Path, seed: Seed | None = None, **overrides: Any) -> Iterator[LiveServer]:
    """The app on a free port of 127.0.0.1, with a migrated, seeded SQLite file in ``folder``.

    The seed and the app run on one clock fixed at START, so what the pages show
    does not depend on the day the tests run. ``overrides`` replace fields of the
    Settings the server is built with; a ``database_url`` among them is migrated
    and seeded instead of the SQLite file.
    """
    clock = FixedClock(START)
    database_url = overrides.pop("database_url", f"sqlite:///{folder / 'e2e.db'}")
    seeded = run_async(prepare_database(database_url, seed, clock))
    # Bound before the app is built, so the port is known and never raced for.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        settings = Settings(
            **{
                "database_url": database_url,
                "mail_dir": folder / "mail",
                "base_url": url,
                # Litestar rejects a Host header with a port unless it is listed as such.
                "allowed_hosts": (
                    "127.0.0.1",
                    "localhost",
                    f"127.0.0.1:{port}",
                    f"localhost:{port}",
                ),
                **overrides,
            }
        )
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, clock),
                lifespan="on",
                ws="none",
                log_config=None,
                log_level="warning",
                timeout_graceful_shutdown=5,
            )
        )
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"e2e-uvicorn-{port}", daemon=True
        )
        thread.start()
        try:
            _wait_until_healthy(url, thread)
            yield LiveServer(url=url, database_url=database_url, settings=settings, seeded=seeded)
        finally:
            server.should_exit = True
            thread.join(SHUTDOWN_TIMEOUT)
    if thread.is_alive():
        raise RuntimeError(f"the app at {url} did not stop within {SHUTDOWN_TIMEOUT:.0f} s")


def _wait_until_healthy(url: str, thread: threading.Thread) -> None:
    # No proxy: a proxy from the environment must never see requests for loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError(f"the app at {url} stopped while starting: see the log above")
        try:
            with opener.open(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the app at {url} did not answer /healthz within {STARTUP_TIMEOUT:.0f} s")

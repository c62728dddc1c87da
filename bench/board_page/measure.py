"""The app's board page and its baseline (the same SQL through a plain template), timed."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.board_page.common import COUNT_SQL, EMAIL, PASSWORD, RAW_SQL, STATES


async def log_in(client: httpx.AsyncClient) -> None:
    """Log in through the form, as a browser does."""
    page = await client.get("/login")
    marker = 'name="_csrf" value="'
    start = page.text.index(marker) + len(marker)
    token = page.text[start : page.text.index('"', start)]
    answer = await client.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "_csrf": token},
        follow_redirects=True,
    )
    assert answer.status_code == 200, answer.status_code


def raw_board(path: Path, template) -> Callable[[], Awaitable[float]]:
    """The baseline: the same SQL through sqlite3 and a plain Jinja render; returns ms."""
    conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row

    async def run() -> float:
        start = time.perf_counter()
        cards = conn.execute(RAW_SQL).fetchall()
        counts = dict(conn.execute(COUNT_SQL).fetchall())
        html = template.render(states=STATES, cards=cards, counts=counts, csrf="x" * 43)
        html.encode()  # the app's answer goes out as UTF-8 bytes too
        return (time.perf_counter() - start) * 1000

    return run


class RoundReported(logging.Handler):
    """Sets ``event`` when the app's background upkeep logs the end of a round."""

    def __init__(self, event: asyncio.Event) -> None:
        super().__init__()
        self.event = event

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("upkeep:"):
            self.event.set()


class ServerTime:
    """ASGI wrapper: how long the app took over its last request, from its first
    byte in to its last byte out. The client's own work is not server time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        await self.app(scope, receive, send)
        self.last = (time.perf_counter() - start) * 1000


async def timed(fn: Callable[[], Awaitable[float]], rounds: int, warm_up: int = 2) -> list[float]:
    """The milliseconds ``fn`` reports, ``rounds`` calls after ``warm_up`` calls."""
    for _ in range(warm_up):
        await fn()
    return [await fn() for _ in range(rounds)]

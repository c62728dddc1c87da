"""A card move over HTTP: guard check, history write and the card fragment, on loopback.

Starts the app under uvicorn in a child process on a free port of 127.0.0.1
(SQLite file, embedded mode) and drives it with httpx clients, each logged in
with its own session. Every client withdraws and reopens its own cards through
``POST /collaborations/{id}/move`` as htmx does (the answer is the card
fragment with the column counts and the panel, out of band). Measured at 1 and
at 16 concurrent clients, against ``GET /healthz`` (the HTTP round trip through
the app's middleware) at the same concurrency, in the same run.

Run: ``python -m bench.card_move [--quick] [--repeats N]``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench._stats import environment, median, p95, parse_args
from engine.clock import SystemClock
from engine.domain.users import SYSTEM, User
from engine.services import CollaborationService, Context
from engine.services.accounts import AccountService
from engine.store import migrate
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from tests.integration import builders
from workflows.collaboration import COLLABORATION

PASSWORD = "Kusunoki-2026!"
HTMX = {"HX-Request": "true"}
REASON = "先方の体制変更のため一時中断"


async def prepare(url: str, clients: int, cards_each: int) -> list[tuple[str, list[int]]]:
    """One coordinator per client, each with cards of their own; returns (email, card ids)."""
    db = Database(url)
    await migrate.upgrade(db)
    # The server is a process of its own on the system clock: the data is dated by it too.
    ctx = Context(db=db, workflow=COLLABORATION, clock=SystemClock())
    accounts = AccountService(ctx, DatabaseSessions(db))
    people = []
    for c in range(clients):
        ids = [
            await builders.candidate(ctx, f"協力事業者{c:02d}-{i:02d}") for i in range(cards_each)
        ]
        network_id = (await CollaborationService(ctx).file(ids[0])).network.id
        email = f"coordinator{c:02d}@midori.example.jp"
        await accounts.create_user(
            User(None, email, f"職員{c:02d}", "coordinator"), PASSWORD, SYSTEM, (network_id,)
        )
        people.append((email, ids))
    await db.dispose()
    return people


def free_port() -> int:
    """A port nobody listens on now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int, folder: Path) -> subprocess.Popen[bytes]:
    """uvicorn with the app factory, configured through the environment as in production."""
    env = {
        **os.environ,
        "MIMAMORI_DATABASE_URL": url,
        "MIMAMORI_ALLOWED_HOSTS": f"127.0.0.1,127.0.0.1:{port}",
        "MIMAMORI_MAIL_DIR": str(folder / "mail"),
        "MIMAMORI_SCAN_INTERVAL": "3600",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "web.app:create_app_from_env",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, env=env)


async def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers."""
    async with httpx.AsyncClient(base_url=base, trust_env=False) as client:
        for _ in range(200):
            if server.poll() is not None:
                raise RuntimeError("the server stopped while starting")
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the server did not start")


async def logged_in(base: str, email: str) -> httpx.AsyncClient:
    """A client with a session, sending its CSRF token the way htmx does."""
    client = httpx.AsyncClient(base_url=base, trust_env=False, timeout=60)
    page = await client.get("/login")
    marker = 'name="_csrf" value="'
    start = page.text.index(marker) + len(marker)
    token = page.text[start : page.text.index('"', start)]
    answer = await client.post(
        "/login", data={"email": email, "password": PASSWORD, "_csrf": token}
    )
    assert answer.status_code == 303, answer.status_code
    account = await client.get("/account")
    start = account.text.index(marker) + len(marker)
    client.headers["X-CSRF-Token"] = account.text[start : account.text.index('"', start)]
    return client


VERSIONS: dict[int, int] = {}
"""Each card's version as its client last saw it (cards start at version 1, as candidates)."""


async def mover(client: httpx.AsyncClient, cards: list[int], moves: int) -> list[float]:
    """Withdraw and reopen the client's cards in turn; milliseconds per move."""
    times = []
    for i in range(moves):
        cid = cards[i % len(cards)]
        version = VERSIONS.setdefault(cid, 1)
        # Odd versions are candidates (withdraw them), even ones withdrawn (reopen them).
        event = "withdraw" if version % 2 else "reopen"
        data = {"event": event, "version": str(version), "comment": REASON}
        start = time.perf_counter()
        answer = await client.post(f"/collaborations/{cid}/move", data=data, headers=HTMX)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (answer.status_code, answer.text[:300])
        VERSIONS[cid] = version + 1
    return times


async def pinger(client: httpx.AsyncClient, rounds: int) -> list[float]:
    """GET /healthz ``rounds`` times; milliseconds each."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = await client.get("/healthz")
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200
    return times


async def measure(clients: list[httpx.AsyncClient], people, moves: int) -> tuple[list, list]:
    """Moves and pings by all ``clients`` at once; every latency, pooled."""
    moved = await asyncio.gather(
        *(mover(c, cards, moves) for c, (_, cards) in zip(clients, people, strict=True))
    )
    pinged = await asyncio.gather(*(pinger(c, moves) for c in clients))
    return [t for ts in moved for t in ts], [t for ts in pinged for t in ts]


async def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    moves = args.repeats or (6 if args.quick else 60)
    most = 4 if args.quick else 16
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'moves.db'}"
        people = await prepare(url, most, cards_each=4)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, port, Path(folder))
        try:
            await wait_until_up(base, server)
            clients = [await logged_in(base, email) for email, _ in people]
            # Warm up: every client once, then measure.
            await measure(clients, people, 2)
            results = {}
            for n in sorted({1, most}):
                results[n] = await measure(clients[:n], people[:n], moves)
            for client in clients:
                await client.aclose()
        finally:
            server.terminate()
            server.wait(timeout=15)
    print(f"card_move: POST /collaborations/{{id}}/move over loopback, SQLite; {environment()}")
    for n, (moved, pinged) in results.items():
        ratio = median(moved) / median(pinged)
        print(
            f"  {n:2d} client(s): move median {median(moved):7.2f} ms  p95 {p95(moved):7.2f} ms"
            f"   | /healthz median {median(pinged):6.2f} ms  p95 {p95(pinged):6.2f} ms"
            f"   | move / healthz {ratio:.1f}x"
        )


if __name__ == "__main__":
    asyncio.run(main())

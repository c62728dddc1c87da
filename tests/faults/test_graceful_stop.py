"""SIGTERM, as a rolling restart sends it: the request or job in hand finishes first.

To have something in hand at the moment of the signal, a connection of the
test's own locks a table the request (or job) needs; the signal comes while it
waits on the lock, and the lock is released a moment later.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from engine.domain.users import SYSTEM, User
from engine.services import CollaborationService, Context
from engine.services.accounts import AccountService
from engine.services.health import HealthService
from engine.store.sessions import DatabaseSessions
from tests.faults.shape import Shape
from tests.integration import builders

pytestmark = pytest.mark.postgres


@asynccontextmanager
async def _locked(database_url: str, table: str) -> AsyncIterator[asyncpg.Connection]:
    """Hold ``table`` locked in a transaction of a connection outside the app."""
    url = make_url(database_url)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            yield conn
    finally:
        await conn.close()


async def _someone_waits_on_a_lock(conn: asyncpg.Connection, seconds: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        # Inside a transaction the activity view is a snapshot taken at first use.
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        if await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("nothing ever waited on the lock")


async def test_sigterm_on_serve_finishes_the_move_in_flight(shape: Shape, ctx: Context) -> None:
    cid = await builders.candidate(ctx)
    network_id = (await CollaborationService(ctx).file(cid)).network.id
    accounts = AccountService(ctx, DatabaseSessions(ctx.db))
    user = User(None, "yamada@midori.example.jp", "山田 花子", "coordinator")
    await accounts.create_user(user, "Kusunoki-2026!", SYSTEM, (network_id,))
    token = await accounts.create_token(user.email, "rolling restart", SYSTEM)
    await asyncio.to_thread(shape.start_web)
    assert shape.web is not None
    headers = {"Authorization": f"Bearer {token}"}
    move = {"event": "withdraw", "version": 1, "comment": "再起動をまたぐ移動"}
    async with httpx.AsyncClient(
        base_url=shape.base, headers=headers, timeout=60, trust_env=False
    ) as client:
        async with _locked(shape.database_url, "collaborations") as lock:
            in_flight = asyncio.create_task(
                client.post(f"/api/collaborations/{cid}/events", json=move)
            )
            await _someone_waits_on_a_lock(lock)
            shape.web.send_signal(signal.SIGTERM)
            await asyncio.sleep(1.5)  # the servers take no new request, the move still waits
            # The supervisor still holds the listening socket, so a new connection
            # may be accepted by the kernel; no server answers it.
            with pytest.raises((httpx.ConnectError, httpx.ReadTimeout)):
                async with httpx.AsyncClient(trust_env=False, timeout=1) as fresh:
                    await fresh.get(f"{shape.base}/healthz")
        answer = await in_flight
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "withdrawn"
    assert await asyncio.to_thread(shape.web.wait, 30) == 0
    history = await CollaborationService(ctx).history(cid)
    assert [h.comment for h in history] == ["再起動をまたぐ移動"]


async def test_sigterm_on_the_worker_finishes_the_job_in_hand(shape: Shape, ctx: Context) -> None:
    async with _locked(shape.database_url, "heartbeats") as lock:
        shape.start_worker()  # its first heartbeat, run at start-up, waits on the lock
        assert shape.worker is not None
        await _someone_waits_on_a_lock(lock)
        shape.worker.send_signal(signal.SIGTERM)
        await asyncio.sleep(1)
        assert shape.worker.poll() is None  # still finishing
    assert await asyncio.to_thread(shape.worker.wait, 60) == 0
    assert (await HealthService(ctx).readiness()).background_seen_at is not None
    assert "Traceback" not in shape.log("worker")

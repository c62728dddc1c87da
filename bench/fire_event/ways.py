"""Three ways to fire an event: the engine's service, raw SQL on the async engine, sqlite3."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.fire_event.common import (
    COMMENT,
    HISTORY_SQL,
    UPDATE_SQL,
    Tracked,
    _history_row,
    _sqlite_time,
)
from engine.clock import FixedClock
from engine.services import CollaborationService, Context
from engine.store.database import SQLITE_PRAGMAS, Database
from tests.integration.builders import COORDINATOR

Fire = Callable[[int], Awaitable[None]]


def ours(ctx: Context, tracked: Tracked) -> Fire:
    """The service: everything a real move does."""
    service = CollaborationService(ctx)

    async def fire(cid: int) -> None:
        name, _, _ = tracked.next_move(cid)
        moved = await service.fire(
            cid,
            name,
            expected_version=tracked.version[cid],
            actor=COORDINATOR,
            comment=COMMENT if name == "withdraw" else "",
        )
        tracked.state[cid] = moved.collaboration.state
        tracked.version[cid] = moved.collaboration.version

    return fire


def raw_async(db: Database, clock: FixedClock, tracked: Tracked) -> Fire:
    """The minimal writes, as driver SQL on a ``db.write()`` connection (BEGIN IMMEDIATE)."""

    async def fire(cid: int) -> None:
        name, source, dest = tracked.next_move(cid)
        version = tracked.version[cid]
        at = _sqlite_time(clock.now())
        async with db.write() as conn:
            result = await conn.exec_driver_sql(UPDATE_SQL, (dest, at, cid, version))
            if result.rowcount != 1:
                raise RuntimeError(f"collaboration {cid} moved underneath the benchmark")
            await conn.exec_driver_sql(
                HISTORY_SQL, _history_row(cid, version, at, name, source, dest)
            )
        tracked.state[cid] = dest
        tracked.version[cid] = version + 1

    return fire


def stdlib(path: Path, clock: FixedClock, tracked: Tracked) -> tuple[Fire, sqlite3.Connection]:
    """The minimal writes through the standard library's sqlite3, same pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        conn.execute(pragma)

    async def fire(cid: int) -> None:
        name, source, dest = tracked.next_move(cid)
        version = tracked.version[cid]
        at = _sqlite_time(clock.now())
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.execute(UPDATE_SQL, (dest, at, cid, version))
            if cursor.rowcount != 1:
                raise RuntimeError(f"collaboration {cid} moved underneath the benchmark")
            conn.execute(HISTORY_SQL, _history_row(cid, version, at, name, source, dest))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        tracked.state[cid] = dest
        tracked.version[cid] = version + 1

    return fire, conn


def first_of(method: tuple[Fire, list[int]], k: int) -> tuple[Fire, list[int]]:
    fire, ids = method
    return fire, ids[:k]

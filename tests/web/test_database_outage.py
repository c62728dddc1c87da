"""A cut or lost PostgreSQL connection: reads try again, nobody sees a 500, nothing is half-saved.

The app runs on a real PostgreSQL database; an administrator's connection cuts the
app's connections (``pg_terminate_backend``, as a failover or a restart does) or
closes the database to new connections for a while.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from engine.config import Settings
from engine.store.database import Database
from tests.web.conftest import csrf_of, login
from tests.web.world import World, build_world
from web.app import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_world(postgres_db: Database) -> World:
    return await build_world(postgres_db.url)


@pytest.fixture
async def admin(postgres_db: Database) -> AsyncIterator[asyncpg.Connection]:
    """A superuser's connection to the server, outside the app's pool."""
    url = make_url(postgres_db.url)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database="postgres"
    )
    yield conn
    await conn.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true')
    await conn.close()


@pytest.fixture
async def browser(
    postgres_db: Database,
    pg_world: World,
    tmp_path,
    clock,
) -> AsyncIterator[AsyncTestClient]:
    settings = Settings(
        database_url=postgres_db.url,
        allowed_hosts=("testserver.local",),
        mail_dir=tmp_path / "mail",
        scan_interval=3600,
    )
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        assert (await login(client, pg_world.emails["coordinator"])).status_code == 303
        yield client


async def _app_backends(admin: asyncpg.Connection, database: str, where: str = "true") -> list[int]:
    return [
        row["pid"]
        for row in await admin.fetch(
            f"SELECT pid FROM pg_stat_activity WHERE datname = $1 AND {where}", database
        )
    ]


async def _cut(admin: asyncpg.Connection, database: str, where: str = "true") -> int:
    pids = await _app_backends(admin, database, where)
    for pid in pids:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    return len(pids)


async def test_pooled_connections_cut_while_idle_go_unnoticed(browser, admin, postgres_db):
    database = make_url(postgres_db.url).database
    assert (await browser.get("/board")).status_code == 200
    assert await _cut(admin, database) >= 1
    for path in ("/board", "/due", "/api/collaborations"):
        assert (await browser.get(path)).status_code == 200, path


async def _cut_while_waiting(url: str, locked: threading.Event) -> int:
    """Lock the collaborations, cut whichever app connection waits on the lock, then unlock."""
    parts = make_url(url)
    connect = {"host": parts.host, "port": parts.port or 5432, "user": parts.username}
    locker = await asyncpg.connect(**connect, database=parts.database)
    admin = await asyncpg.connect(**connect, database="postgres")
    try:
        locking = locker.transaction()
        await locking.start()
        await locker.execute("LOCK TABLE collaborations IN ACCESS EXCLUSIVE MODE")
        locked.set()
        for _ in range(400):
            if cut := await _cut(admin, parts.database, "wait_event_type = 'Lock'"):
                await locking.rollback()
                return cut
            await asyncio.sleep(0.05)
        await locking.rollback()
        return 0
    finally:
        await locker.close()
        await admin.close()


async def test_a_read_cut_in_the_middle_is_answered_by_a_second_try(
    browser, postgres_db, pg_world, caplog
):
    caplog.set_level(logging.INFO, "mimamori.web")
    locked, cut = threading.Event(), []
    # The test client blocks this loop while a request runs: the cut comes from a thread.
    cutter = threading.Thread(
        target=lambda: cut.append(asyncio.run(_cut_while_waiting(postgres_db.url, locked)))
    )
    cutter.start()
    assert locked.wait(10)
    answer = await browser.get(f"/collaborations/{pg_world.collaborations['A']}")
    cutter.join(30)
    assert cut == [1]  # the page's query was cut while it waited
    assert answer.status_code == 200
    assert "みどり信用金庫" in answer.text
    assert "trying once more" in caplog.text


async def test_a_database_that_is_down_answers_503_and_keeps_the_session(
    browser,
    admin,
    postgres_db,
    pg_world,
):
    database = make_url(postgres_db.url).database
    cid = pg_world.collaborations["A"]
    page = await browser.get(f"/collaborations/{cid}")
    await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    await _cut(admin, database)

    board = await browser.get("/board")
    assert board.status_code == 503
    assert board.headers["retry-after"] == "5"
    assert "再読み込み" in board.text and "Traceback" not in board.text
    comment = await browser.post(
        f"/collaborations/{cid}/forms/comment",
        data={"body": "障害中に送ったコメント", "_csrf": csrf_of(page.text)},
    )
    assert comment.status_code == 503
    api = await browser.get("/api/collaborations")
    assert api.status_code == 503 and api.json()["error"] == "unavailable"
    # Alive, not ready: a supervisor keeps the process, a balancer or monitor hears why.
    assert (await browser.get("/healthz")).status_code == 200
    ready = await browser.get("/readyz")
    assert ready.status_code == 503 and ready.json()["database"] == "unreachable"

    await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    after = await browser.get(f"/collaborations/{cid}")
    assert after.status_code == 200  # still logged in
    assert "障害中に送ったコメント" not in after.text  # and nothing half-saved

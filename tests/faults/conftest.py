"""The production shape as a fixture: its processes are started by each test, stopped after."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from engine.clock import SystemClock
from engine.services import Context
from engine.store.database import Database
from tests.faults.shape import HARNESS, Shape, SmtpSink
from tests.integration.redis_server import RedisProcess, require_redis_server
from workflows.collaboration import COLLABORATION


@pytest.fixture
async def ctx(postgres_db: Database) -> AsyncIterator[Context]:
    """The test's own handle on the database, on the clock the processes run on."""
    db = Database(postgres_db.url, connect_args={"server_settings": {"application_name": HARNESS}})
    yield Context(db=db, workflow=COLLABORATION, clock=SystemClock())
    await db.dispose()


@pytest.fixture
def shape(tmp_path: Path, postgres_db: Database) -> Iterator[Shape]:
    require_redis_server()
    redis = RedisProcess(tmp_path)
    redis.start()
    smtp = SmtpSink()
    smtp.start()
    running = Shape(tmp_path, postgres_db.url, redis, smtp)
    yield running
    running.stop()
    smtp.stop()
    redis.stop()

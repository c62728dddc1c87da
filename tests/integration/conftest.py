"""Databases for integration tests: SQLite in a temp folder and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from engine.calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.services import Context
from engine.store import migrate
from engine.store.database import Database
from tests.integration.redis_server import redis_server  # noqa: F401 - a fixture
from tests.integration.smtp import smtp  # noqa: F401 - a fixture for every integration test
from workflows.collaboration import COLLABORATION

START = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)  # Monday 6 April 2026, 10:00 in Japan


@pytest.fixture
async def sqlite_db(tmp_path) -> AsyncIterator[Database]:
    """A migrated SQLite database file."""
    db = Database(f"sqlite:///{tmp_path / 'mimamori.db'}")
    await migrate.upgrade(db)
    yield db
    await db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request) -> Database:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")


@pytest.fixture
def clock() -> FixedClock:
    """A clock the test moves by hand."""
    return FixedClock(START)


@pytest.fixture
def ctx(db: Database, clock: FixedClock) -> Context:
    """Services' dependencies on the test database."""
    return Context(db=db, workflow=COLLABORATION, clock=clock, calendar=BusinessCalendar())

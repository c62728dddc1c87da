"""Databases for integration tests: SQLite in a temp folder and a real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from engine.calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.services import Context
from engine.store import migrate
from engine.store.database import Database
from tests.conftest import POSTGRES_URL, require_service
from tests.integration.smtp import smtp  # noqa: F401 - a fixture for every integration test
from workflows.collaboration import COLLABORATION

START = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)  # Monday 6 April 2026, 10:00 in Japan
TEMPLATE_PREFIX = "mimamori_test_template"


async def _pg_admin() -> asyncpg.Connection:
    url = make_url(POSTGRES_URL)
    return await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )


def _template_name() -> str:
    # One template per migration head, so checkouts at different heads never fight over it.
    return f"{TEMPLATE_PREFIX}_{migrate.head_revision()}"


async def _ensure_template() -> str:
    template = _template_name()
    admin = await _pg_admin()
    try:
        if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", template):
            return template
        # Built under a temporary name and renamed, so a half-built template is never used.
        building = f"{template}_{uuid.uuid4().hex[:8]}"
        await admin.execute(f'CREATE DATABASE "{building}"')
    finally:
        await admin.close()
    db = Database(str(make_url(POSTGRES_URL).set(database=building)))
    await migrate.upgrade(db)
    await db.dispose()
    admin = await _pg_admin()
    try:
        await admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    except asyncpg.DuplicateDatabaseError:  # another process finished first
        await admin.execute(f'DROP DATABASE "{building}"')
    finally:
        await admin.close()
    return template


@pytest.fixture
async def sqlite_db(tmp_path) -> AsyncIterator[Database]:
    """A migrated SQLite database file."""
    db = Database(f"sqlite:///{tmp_path / 'mimamori.db'}")
    await migrate.upgrade(db)
    yield db
    await db.dispose()


@pytest.fixture
async def postgres_db() -> AsyncIterator[Database]:
    """A fresh migrated PostgreSQL database, dropped afterwards."""
    url = make_url(POSTGRES_URL)
    require_service("PostgreSQL", url.host or "127.0.0.1", url.port or 5432)
    template = await _ensure_template()
    name = f"mimamori_test_{uuid.uuid4().hex[:12]}"
    admin = await _pg_admin()
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    await admin.close()
    db = Database(str(url.set(database=name)))
    yield db
    await db.dispose()
    admin = await _pg_admin()
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()


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

"""Shared test settings: the real services, how their absence is handled, a PostgreSQL database."""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from engine.store import migrate
from engine.store.database import Database

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get(
    "MIMAMORI_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
# Test processes run side by side (pytest-xdist): each flushes a Redis database of its own,
# counting down from 15 (gw0 gets 15, gw1 14, ...).
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get(
    "MIMAMORI_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _XDIST_INDEX % 16}"
)


def reachable(host: str, port: int) -> bool:
    """True when something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip the test when a service is down; under CI=true fail instead."""
    if reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: services are required)")
    pytest.skip(f"{message}; start it to run this test")


TEMPLATE_PREFIX = "mimamori_test_template"


async def _pg_admin() -> asyncpg.Connection:
    url = make_url(POSTGRES_URL)
    return await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )


def _template_name() -> str:
    # One template per migration head and content, so checkouts at different heads (or two
    # branches that each wrote their own revision with the same number) never share one.
    versions = sorted((migrate.SCRIPTS / "versions").glob("*.py"))
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in versions)).hexdigest()
    return f"{TEMPLATE_PREFIX}_{migrate.head_revision()}_{digest[:10]}"


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

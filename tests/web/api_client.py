"""Helpers for API tests: bearer tokens for the world's accounts, direct access to the store.

The test client runs the app on its own event loop in another thread, so the
tests reach the database through their own connection, never the app's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar.testing import AsyncTestClient

from engine.domain.users import SYSTEM
from engine.services import Context
from engine.services.accounts import AccountService
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from tests.web.conftest import csrf_of
from tests.web.world import World
from workflows.collaboration import COLLABORATION

MISSING = 999_999  # an id nothing has


@asynccontextmanager
async def store(client: AsyncTestClient) -> AsyncIterator[Context]:
    """Services over the app's database, on the test's own connection and the app's clock."""
    db = Database(client.app.state.settings.database_url)
    try:
        yield Context(db=db, workflow=COLLABORATION, clock=client.app.state.ctx.clock)
    finally:
        await db.dispose()


async def bearer(client: AsyncTestClient, world: World, key: str) -> dict[str, str]:
    """Headers authenticating as one of the world's accounts with a new API token."""
    async with store(client) as ctx:
        accounts = AccountService(ctx, DatabaseSessions(ctx.db))
        token = await accounts.create_token(world.emails[key], "tests", SYSTEM)
    return {"Authorization": f"Bearer {token}"}


async def session_csrf(client: AsyncTestClient) -> str:
    """The CSRF token of the logged-in browser's session, as its pages carry it."""
    return csrf_of((await client.get("/account")).text)

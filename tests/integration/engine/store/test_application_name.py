"""On PostgreSQL every connection says which Mimamori process holds it (pg_stat_activity)."""

from __future__ import annotations

from engine.config import Settings
from engine.services import Context
from engine.store.database import Database
from workflows.collaboration import COLLABORATION


async def _name(db: Database) -> str:
    async with db.read() as conn:
        found = await conn.exec_driver_sql(
            "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        )
        return found.scalar_one()


async def test_the_web_and_the_worker_name_their_connections(postgres_db):
    assert await _name(postgres_db) == "mimamori"
    for process in ("mimamori-web", "mimamori-worker"):
        ctx = Context.from_settings(
            Settings(database_url=postgres_db.url), COLLABORATION, application_name=process
        )
        try:
            assert await _name(ctx.db) == process
        finally:
            await ctx.db.dispose()

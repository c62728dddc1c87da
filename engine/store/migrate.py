"""Schema migrations through Alembic, run on the application's own database handle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.store.database import Database

SCRIPTS = Path(__file__).parent / "migrations"


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


@asynccontextmanager
async def _migrating(db: Database) -> AsyncIterator[AsyncConnection]:
    """A write transaction for schema changes.

    SQLite rebuilds a table to alter it (copy, drop, rename), which foreign keys
    would refuse; its documented procedure is to switch them off outside the
    transaction, check them before committing, and switch them back on.
    """
    if not db.is_sqlite:
        async with db.write() as conn:
            yield conn
        return
    async with db.engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        await driver.execute("PRAGMA foreign_keys=OFF")
        try:
            conn = await conn.execution_options(mimamori_write=True)
            async with conn.begin():
                yield conn
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).first()
                if broken is not None:
                    raise RuntimeError(f"migration broke a foreign key: {tuple(broken)}")
        finally:
            await driver.execute("PRAGMA foreign_keys=ON")


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default)."""
    async with _migrating(db) as conn:
        await conn.run_sync(lambda sync: command.upgrade(_config(sync), revision))


async def downgrade(db: Database, revision: str) -> None:
    """Take the schema back to ``revision`` (``base`` empties it)."""
    async with _migrating(db) as conn:
        await conn.run_sync(lambda sync: command.downgrade(_config(sync), revision))


async def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty one."""
    async with db.read() as conn:
        return await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


def head_revision() -> str:
    """The newest revision the code knows."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


async def make_revision(db: Database, message: str) -> None:
    """Autogenerate a new migration from the difference between tables.py and ``db``."""
    async with db.write() as conn:
        await conn.run_sync(
            lambda sync: command.revision(_config(sync), message=message, autogenerate=True)
        )

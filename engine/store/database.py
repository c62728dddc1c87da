"""Engines and transactions for SQLite (embedded default) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from engine.errors import ConfigError, StoreUnavailable
from engine.store.sqlite_driver import one_hop_dbapi

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA synchronous=NORMAL",
)
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


def normalise_url(url: str) -> str:
    """Accept plain ``sqlite:`` and ``postgresql:`` URLs and name the async driver."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise ConfigError(f"not a database URL: {url!r}") from exc
    driver = {
        "sqlite": "sqlite+aiosqlite",
        "postgres": "postgresql+asyncpg",
        "postgresql": "postgresql+asyncpg",
    }.get(parsed.drivername, parsed.drivername)
    if driver not in SUPPORTED_DRIVERS:
        raise ConfigError(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql")
    if driver == "postgresql+asyncpg" and importlib.util.find_spec("asyncpg") is None:
        raise ConfigError(
            "PostgreSQL needs its driver, which is not installed: pip install 'mimamori[postgres]'"
        )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


class Database:
    """One engine; ``read()`` and ``write()`` hand out connections inside a transaction.

    On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so that
    concurrent writers queue on the lock instead of failing mid-transaction,
    and an in-process lock keeps this process's writers from contending at all.
    """

    def __init__(self, url: str, application_name: str = "mimamori", **engine_options: Any) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        # read() and write() always end their transaction, so the pool's rollback on
        # return is redundant; on SQLite it is a round trip to the driver's thread.
        options: dict[str, Any] = (
            {"pool_reset_on_return": None, "module": one_hop_dbapi()}
            if self.is_sqlite
            else {
                "pool_pre_ping": True,
                # Who holds a connection, as pg_stat_activity shows it to an operator.
                "connect_args": {"server_settings": {"application_name": application_name}},
            }
        )
        options.update(engine_options)
        self.engine = create_async_engine(self.url, **options)
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        if self.is_sqlite:
            _configure_sqlite(self.engine.sync_engine)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a read transaction (deferred on SQLite, so readers never block).

        A database that cannot be reached, or a connection cut meanwhile, raises
        StoreUnavailable (as does ``write``).
        """
        with _unavailable_on_disconnect():
            async with self._connection() as conn, conn.begin():
                yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a write transaction, committed when the block ends without error."""
        with _unavailable_on_disconnect():
            if self._write_lock is None:
                async with self._connection() as conn, conn.begin():
                    yield conn
                return
            async with self._write_lock, self._connection() as conn:
                conn = await conn.execution_options(mimamori_write=True)
                async with conn.begin():
                    yield conn

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection; failing to get one at all means the database is unavailable."""
        conn = self.engine.connect()
        try:
            await conn.start()
        except (DBAPIError, OSError) as exc:
            raise StoreUnavailable(f"cannot connect to the database: {exc}") from exc
        try:
            yield conn
        finally:
            await conn.close()

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        async with self.read() as conn:
            await conn.exec_driver_sql("SELECT 1")

    def connections_in_use(self) -> int:
        """How many of this process's pooled connections are handed out now (for /metrics)."""
        checked_out = getattr(self.engine.pool, "checkedout", None)  # a NullPool keeps no count
        return checked_out() if checked_out is not None else 0

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


@contextmanager
def _unavailable_on_disconnect() -> Iterator[None]:
    """Turn a lost or refused connection into StoreUnavailable; other errors pass through.

    ``pool_pre_ping`` already replaces pooled connections that died while idle, so
    this is what a cut in the middle of the work, or a database that is down, looks like.
    """
    try:
        yield
    except DBAPIError as exc:
        # The dialect's own disconnect detection sets connection_invalidated.
        if exc.connection_invalidated or isinstance(exc.orig, OSError):
            raise StoreUnavailable(f"the database is unavailable: {exc.orig!r}") from exc
        raise
    except OSError as exc:  # refused before the driver was even reached
        raise StoreUnavailable(f"the database is unavailable: {exc!r}") from exc


def _configure_sqlite(sync_engine: Any) -> None:
    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to the "begin" hook below instead of the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("mimamori_write", False)
        # Sent with the transaction's first statement, in the same hop to the driver.
        conn.connection.dbapi_connection.begin_with_next(
            "BEGIN IMMEDIATE" if immediate else "BEGIN"
        )

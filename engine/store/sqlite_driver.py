"""SQLAlchemy's aiosqlite driver with one thread hop per statement.

aiosqlite runs every sqlite3 call on its own thread, and SQLAlchemy's adapter
makes four calls per statement (open a cursor, execute, fetch, close), each a
round trip between the event loop and that thread: on a small machine the
round trips cost more than the statements. This cursor makes the four calls
in one function on the driver's thread and keeps what SQLAlchemy reads
afterwards (rows, description, rowcount, lastrowid).

A transaction's ``BEGIN`` travels with its first statement
(``OneHopConnection.begin_with_next``), and a transaction that ran nothing
ends without a call at all: a read transaction is then two hops, its
statement and its ``COMMIT``.

Server-side cursors (``stream()``) keep SQLAlchemy's own class. The engine
gets this driver through ``create_async_engine(..., module=one_hop_dbapi())``.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

Outcome = tuple[Any, list[Any], int, int | None]


def _run(
    conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool
) -> Outcome:
    """Runs on the driver's thread: the whole statement, its rows and its counters."""
    cursor = conn.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement is a single call to the driver's thread."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        # No aiosqlite cursor is opened here: _run opens and closes a sqlite3 one.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        """Nothing to close: the sqlite3 cursor closed on the driver's thread."""

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._call(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._call(operation, seq_of_parameters, many=True)

    async def _call(self, operation: Any, parameters: Any, many: bool) -> None:
        driver: aiosqlite.Connection = self._connection
        connection: OneHopConnection = self._adapt_connection
        async with connection._execute_mutex:
            begin, connection.pending_begin = connection.pending_begin, None
            outcome = await driver._execute(_run, driver._conn, begin, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection, handing out one-hop cursors."""

    __slots__ = ("pending_begin",)
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)
        self.pending_begin: str | None = None

    def begin_with_next(self, statement: str) -> None:
        """Open the transaction with ``statement`` just before the next statement runs."""
        self.pending_begin = statement

    def commit(self) -> None:
        if self._ended_unopened():
            return
        super().commit()

    def rollback(self) -> None:
        if self._ended_unopened():
            return
        super().rollback()

    def _ended_unopened(self) -> bool:
        """True (and forgotten) when the transaction's BEGIN never had to run."""
        unopened = self.pending_begin is not None
        self.pending_begin = None
        return unopened


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect uses, making one-hop connections."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDbapi:
    """The ``module`` argument for an aiosqlite engine."""
    return OneHopDbapi(aiosqlite, sqlite3)

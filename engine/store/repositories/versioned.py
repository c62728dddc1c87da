"""Optimistic concurrency for rows that carry a ``version`` column."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from engine.errors import VersionConflict


async def save_versioned(
    conn: AsyncConnection,
    table: Table,
    where: ColumnElement[bool],
    key: dict[str, Any],
    expected: int,
    values: dict[str, Any],
) -> int:
    """Insert (expected 0) or update (expected = current version); return the new version.

    A row changed or created by someone else since the caller read it raises
    VersionConflict and writes nothing.
    """
    if expected == 0:
        try:
            async with conn.begin_nested():
                await conn.execute(insert(table).values(**key, **values, version=1))
        except IntegrityError as exc:
            current = await _current(conn, table, where)
            if current is None:  # not a duplicate: a foreign key or a check failed
                raise
            raise VersionConflict(table.name, key, expected, current) from exc
        return 1
    result = await conn.execute(
        update(table)
        .where(where, table.c.version == expected)
        .values(**values, version=table.c.version + 1)
    )
    if result.rowcount != 1:
        raise VersionConflict(table.name, key, expected, await _current(conn, table, where))
    return expected + 1


async def _current(conn: AsyncConnection, table: Table, where: ColumnElement[bool]) -> int | None:
    return (await conn.execute(select(table.c.version).where(where))).scalar_one_or_none()

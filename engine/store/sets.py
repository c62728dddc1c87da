"""Many rows of a table by id, as the source of one set-based write."""

from __future__ import annotations

from sqlalchemy import Subquery, Table, select

ID_BATCH = 1_000
"""Ids per statement: well inside SQLite's and asyncpg's limits on bound values."""


def rows_by_id(table: Table, ids: list[int]) -> Subquery:
    """A subquery with the ``id`` of each of these rows of ``table`` (one bound value each)."""
    return select(table.c.id).where(table.c.id.in_(ids)).subquery("ids")

"""INSERT … ON CONFLICT DO NOTHING, the idempotent write behind every "exactly once"."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite


@cache
def insert_ignoring_duplicates(table: Table, dialect: str, *key: str) -> Insert:
    """An insert into ``table`` that skips rows whose ``key`` columns are already there."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=list(key))

"""Where login sessions live: the application's database, whether or not Redis is configured.

Redis carries the worker's queue and nothing else, so a Redis outage or restart
logs nobody out and fails no page. Sessions are keyed by the SHA-256 of the
cookie value, so the store holds no value that would let a reader of it log in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from engine.domain.access import Session
from engine.store.database import Database
from engine.store.repositories.accounts import Sessions


class SessionStore(Protocol):
    """The operations the account service needs from a session store."""

    async def create(self, key: str, session: Session, client: str) -> None: ...
    async def get(self, key: str) -> Session | None: ...
    async def touch(self, key: str, session: Session, now: datetime) -> None: ...
    async def delete(self, key: str) -> None: ...
    async def delete_for_user(self, user_id: int) -> None: ...
    async def close(self) -> None: ...


class DatabaseSessions:
    """Sessions in the application's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, key: str, session: Session, client: str) -> None:
        async with self.db.write() as conn:
            await Sessions(conn).add(key, session, client)

    async def get(self, key: str) -> Session | None:
        async with self.db.read() as conn:
            return await Sessions(conn).get(key)

    async def touch(self, key: str, session: Session, now: datetime) -> None:
        async with self.db.write() as conn:
            await Sessions(conn).touch(key, now)

    async def delete(self, key: str) -> None:
        async with self.db.write() as conn:
            await Sessions(conn).delete(key)

    async def delete_for_user(self, user_id: int) -> None:
        async with self.db.write() as conn:
            await Sessions(conn).delete_for_user(user_id)

    async def close(self) -> None:
        """Nothing to close: the database belongs to the caller."""

"""Where login sessions live: the database by default, Redis when one is configured.

Sessions are keyed by the SHA-256 of the cookie value, so neither store holds
a value that would let a reader of it log in.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Protocol

from redis.asyncio import Redis

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
    """Sessions in the application's database (the embedded default)."""

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


class RedisSessions:
    """Sessions in Redis, expiring on their own; a set per user lists that user's sessions."""

    PREFIX = "mimamori:session:"

    def __init__(self, url: str, lifetime: timedelta) -> None:
        self.redis = Redis.from_url(url)
        self.lifetime = lifetime

    def _user_set(self, user_id: int) -> str:
        return f"{self.PREFIX}user:{user_id}"

    async def create(self, key: str, session: Session, client: str) -> None:
        seconds = int(self.lifetime.total_seconds())
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self.PREFIX + key, _dump(session), ex=seconds)
            pipe.sadd(self._user_set(session.user_id), key)
            pipe.expire(self._user_set(session.user_id), seconds)
            await pipe.execute()

    async def get(self, key: str) -> Session | None:
        raw = await self.redis.get(self.PREFIX + key)
        return _load(raw) if raw is not None else None

    async def touch(self, key: str, session: Session, now: datetime) -> None:
        touched = Session(session.user_id, session.csrf_token, session.created_at, now)
        # Keep the expiry set at login: the absolute timeout never moves.
        await self.redis.set(self.PREFIX + key, _dump(touched), keepttl=True, xx=True)

    async def delete(self, key: str) -> None:
        session = await self.get(key)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.PREFIX + key)
            if session is not None:
                pipe.srem(self._user_set(session.user_id), key)
            await pipe.execute()

    async def delete_for_user(self, user_id: int) -> None:
        keys = [k.decode() for k in await self.redis.smembers(self._user_set(user_id))]
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.delete(self.PREFIX + key)
            pipe.delete(self._user_set(user_id))
            await pipe.execute()

    async def close(self) -> None:
        await self.redis.aclose()


def _dump(session: Session) -> str:
    return json.dumps(
        {
            "user_id": session.user_id,
            "csrf_token": session.csrf_token,
            "created_at": session.created_at.isoformat(),
            "seen_at": session.seen_at.isoformat(),
        }
    )


def _load(raw: bytes) -> Session:
    data = json.loads(raw)
    return Session(
        data["user_id"],
        data["csrf_token"],
        datetime.fromisoformat(data["created_at"]),
        datetime.fromisoformat(data["seen_at"]),
    )

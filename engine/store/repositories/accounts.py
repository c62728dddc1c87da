"""Login sessions, API tokens and failed logins, in the database."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.access import Session
from engine.store.tables import api_tokens, login_failures, sessions


class Sessions:
    """Server-side sessions keyed by the SHA-256 of the cookie value."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, key: str, session: Session, client: str) -> None:
        """Store a new session."""
        await self.conn.execute(
            insert(sessions).values(
                id=key,
                user_id=session.user_id,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                seen_at=session.seen_at,
                client=client[:64],
            )
        )

    async def get(self, key: str) -> Session | None:
        """The session with this key, if it exists."""
        row = (await self.conn.execute(select(sessions).where(sessions.c.id == key))).first()
        if row is None:
            return None
        return Session(row.user_id, row.csrf_token, row.created_at, row.seen_at)

    async def touch(self, key: str, now: datetime) -> None:
        """Record that the session was used now (extends the idle timeout)."""
        await self.conn.execute(update(sessions).where(sessions.c.id == key).values(seen_at=now))

    async def delete(self, key: str) -> None:
        """End one session."""
        await self.conn.execute(delete(sessions).where(sessions.c.id == key))

    async def delete_for_user(self, user_id: int) -> int:
        """End every session of a user; returns how many there were."""
        result = await self.conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
        return result.rowcount


class Tokens:
    """API tokens, stored as SHA-256 hashes."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, user_id: int, token_hash: str, name: str, now: datetime) -> int:
        """Store a new token's hash; returns its id."""
        result = await self.conn.execute(
            insert(api_tokens).values(
                user_id=user_id, token_hash=token_hash, name=name[:100], created_at=now
            )
        )
        return result.inserted_primary_key[0]

    async def owner(self, token_hash: str) -> tuple[int, int, datetime | None] | None:
        """(token id, user id, last used) of a live token with this hash."""
        row = (
            await self.conn.execute(
                select(api_tokens.c.id, api_tokens.c.user_id, api_tokens.c.last_used_at).where(
                    api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None)
                )
            )
        ).first()
        return (row.id, row.user_id, row.last_used_at) if row else None

    async def used(self, token_id: int, now: datetime) -> None:
        """Record when a token was last used."""
        await self.conn.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now)
        )

    async def revoke_for_user(self, user_id: int, now: datetime) -> int:
        """Revoke every live token of a user."""
        result = await self.conn.execute(
            update(api_tokens)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount


class Attempts:
    """Attempts counted per address and per client to throttle them (see the subclasses)."""

    table: ClassVar[Table]

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, email: str, client: str, now: datetime) -> None:
        """Remember one attempt."""
        await self.conn.execute(
            insert(self.table).values(at=now, email=email[:254], client=client[:64])
        )

    async def counts_since(self, email: str, client: str, since: datetime) -> tuple[int, int]:
        """Attempts since ``since`` for this address and from this client."""
        c = self.table.c
        per_email = select(func.count()).where(c.email == email, c.at >= since)
        per_client = select(func.count()).where(c.client == client, c.at >= since)
        row = (
            await self.conn.execute(
                select(per_email.scalar_subquery(), per_client.scalar_subquery())
            )
        ).one()
        return row[0], row[1]

    async def delete_before(self, before: datetime) -> int:
        """Housekeeping: drop attempts older than ``before`` (past the throttle's window)."""
        result = await self.conn.execute(delete(self.table).where(self.table.c.at < before))
        return result.rowcount


class LoginFailures(Attempts):
    """Failed logins, counted per account and per client to throttle guessing."""

    table = login_failures

    async def clear(self, email: str) -> None:
        """Forget an account's failures after a successful login."""
        await self.conn.execute(delete(login_failures).where(login_failures.c.email == email))

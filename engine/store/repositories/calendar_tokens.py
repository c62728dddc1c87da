"""The secret in each person's calendar feed URL, kept on their user row."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.store.tables import users


class CalendarTokens:
    """Read and replace feed tokens; find whose feed a token opens."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def current(self, user_id: int) -> str | None:
        """The user's token, or None before the feed was first asked for."""
        return (
            await self.conn.execute(select(users.c.ical_token).where(users.c.id == user_id))
        ).scalar_one()

    async def replace(self, user_id: int, token: str) -> None:
        """Store a new token; the old one stops working."""
        await self.conn.execute(update(users).where(users.c.id == user_id).values(ical_token=token))

    async def owner(self, token: str) -> tuple[int, str] | None:
        """(user id, locale) of the active user whose feed ``token`` opens."""
        row = (
            await self.conn.execute(
                select(users.c.id, users.c.locale).where(
                    users.c.ical_token == token, users.c.active.is_(True)
                )
            )
        ).first()
        return None if row is None else (row.id, row.locale)

"""Heartbeats: one row per background role, moved forward each time it runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.mail import MailStatus
from engine.store.repositories.inserts import insert_ignoring_duplicates
from engine.store.tables import heartbeats, outbox


class Heartbeats:
    """Record and read when background work last ran, and how old the waiting mail is."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def beat(self, name: str, now: datetime) -> None:
        """``name`` ran at ``now``."""
        moved = await self.conn.execute(
            update(heartbeats).where(heartbeats.c.name == name).values(seen_at=now)
        )
        if not moved.rowcount:  # the first beat; a second process beating at once is no harm
            first = insert_ignoring_duplicates(heartbeats, self.conn.dialect.name, "name")
            await self.conn.execute(first.values(name=name, seen_at=now))

    async def last(self, name: str) -> datetime | None:
        """When ``name`` last ran, or None if it never has."""
        query = select(heartbeats.c.seen_at).where(heartbeats.c.name == name)
        return (await self.conn.execute(query)).scalar_one_or_none()

    async def oldest_unsent(self) -> datetime | None:
        """When the oldest message still waiting to be sent was queued."""
        waiting = outbox.c.status.in_([str(MailStatus.QUEUED), str(MailStatus.SENDING)])
        query = select(func.min(outbox.c.created_at)).where(waiting)
        return (await self.conn.execute(query)).scalar_one_or_none()

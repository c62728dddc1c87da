"""Counts a monitor watches, each one query served by an index: waiting mail, pending notices."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.mail import MailStatus
from engine.store.repositories.reminders import PENDING
from engine.store.tables import due_items, outbox

UNSENT = (MailStatus.QUEUED, MailStatus.SENDING, MailStatus.FAILED)
"""The outbox states worth counting; sent mail grows for ever and is not counted."""


class OperationsFigures:
    """The outbox by state and the pending notices by day, counted in the database."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def outbox_by_status(self) -> dict[MailStatus, int]:
        """How many messages are queued, being sent and failed (every state, zero included)."""
        query = (
            select(outbox.c.status, func.count())
            .where(outbox.c.status.in_([str(status) for status in UNSENT]))
            .group_by(outbox.c.status)
        )
        found = {MailStatus(status): count for status, count in await self.conn.execute(query)}
        return {status: found.get(status, 0) for status in UNSENT}

    async def pending_notices(self, today: date) -> tuple[int, int]:
        """Pending notices to send today, and pending ones whose day has already passed."""
        earlier = case((due_items.c.remind_on < today, 1), else_=0)
        query = select(func.count(), func.coalesce(func.sum(earlier), 0)).where(
            PENDING, due_items.c.remind_on <= today
        )
        total, overdue = (await self.conn.execute(query)).one()
        return total - overdue, overdue

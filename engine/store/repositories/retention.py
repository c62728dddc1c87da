"""Removing what is kept only for a while: ended sessions, login records, sent mail bodies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.mail import MailStatus
from engine.store.tables import audit_log, outbox, sessions

LOGIN_ACTIONS = "auth.%"
"""Audit actions of signing in and out and of refusals; never a change of a record."""


class Retention:
    """Each method removes what is past its time and returns how many rows it touched."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def drop_sessions(self, idle_before: datetime, created_before: datetime) -> int:
        """Sessions idle since ``idle_before`` or started before ``created_before``."""
        ended = or_(sessions.c.seen_at < idle_before, sessions.c.created_at < created_before)
        return (await self.conn.execute(delete(sessions).where(ended))).rowcount

    async def drop_login_records(self, before: datetime) -> int:
        """Audit entries of logins, failed logins, logouts and refusals older than ``before``."""
        old = audit_log.c.action.like(LOGIN_ACTIONS) & (audit_log.c.at < before)
        return (await self.conn.execute(delete(audit_log).where(old))).rowcount

    async def blank_sent_bodies(self, before: datetime) -> int:
        """Empty the body of messages delivered before ``before``; the row stays as a record."""
        old = (
            (outbox.c.status == str(MailStatus.SENT))
            & (outbox.c.sent_at < before)
            & (outbox.c.body != "")
        )
        return (await self.conn.execute(update(outbox).where(old).values(body=""))).rowcount

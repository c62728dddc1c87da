"""The outbox: messages written in the transaction that decided them, sent after commit."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.mail import Mail, MailKind, MailStatus, QueuedMail
from engine.store.repositories.inserts import insert_ignoring_duplicates
from engine.store.tables import outbox


def message_id_for(dedupe_key: str, domain: str) -> str:
    """A Message-ID that is the same every time the same notice is queued."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


class Outbox:
    """Queue, claim and settle outgoing messages."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, mails: Sequence[Mail], now: datetime, domain: str) -> None:
        """Queue messages; one whose dedupe key is already queued or sent is skipped."""
        if not mails:
            return
        await self.conn.execute(
            insert_ignoring_duplicates(outbox, self.conn.dialect.name, "dedupe_key"),
            [
                {
                    "dedupe_key": m.dedupe_key,
                    "message_id": message_id_for(m.dedupe_key, domain),
                    "kind": str(m.kind),
                    "user_id": m.user_id,
                    "collaboration_id": m.collaboration_id,
                    "to_addr": m.to_addr,
                    "subject": m.subject,
                    "body": m.body,
                    "status": str(MailStatus.QUEUED),
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for m in mails
            ],
        )

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[QueuedMail]:
        """Take up to ``limit`` messages due for an attempt, leasing them to this sender.

        A message whose lease ran out (its sender died mid-attempt) is due again.
        """
        due = or_(
            (outbox.c.status == str(MailStatus.QUEUED)) & (outbox.c.next_attempt_at <= now),
            (outbox.c.status == str(MailStatus.SENDING)) & (outbox.c.lease_until < now),
        )
        query = select(outbox.c.id).where(due).order_by(outbox.c.id).limit(limit)
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list((await self.conn.execute(query)).scalars())
        if not ids:
            return []
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(
                status=str(MailStatus.SENDING),
                lease_until=now + lease,
                attempts=outbox.c.attempts + 1,
            )
        )
        rows = await self.conn.execute(
            select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.id)
        )
        return [queued_from(r) for r in rows]

    async def sent(self, mail_id: int, now: datetime, body: str | None = None) -> None:
        """Record a delivery; ``body`` replaces the kept copy (without its secret link)."""
        kept = {} if body is None else {"body": body}
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == mail_id)
            .values(
                status=str(MailStatus.SENT), sent_at=now, lease_until=None, last_error="", **kept
            )
        )

    async def retry(self, mail_id: int, at: datetime, error: str) -> None:
        """Put a message back in the queue for another attempt at ``at``."""
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == mail_id)
            .values(
                status=str(MailStatus.QUEUED),
                next_attempt_at=at,
                lease_until=None,
                last_error=error[:2000],
            )
        )

    async def release(
        self, mail_ids: Sequence[int], at: datetime, error: str | None = None
    ) -> None:
        """Hand claimed messages back unsent: the attempt they were claimed for did not happen.

        ``error`` says why, when there is something to show (the mail server was down).
        """
        reason = {} if error is None else {"last_error": error[:2000]}
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(mail_ids), outbox.c.status == str(MailStatus.SENDING))
            .values(
                status=str(MailStatus.QUEUED),
                next_attempt_at=at,
                lease_until=None,
                attempts=outbox.c.attempts - 1,
                **reason,
            )
        )

    async def failed(self, mail_id: int, error: str) -> None:
        """Give up on a message; it stays visible with the reason."""
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == mail_id)
            .values(status=str(MailStatus.FAILED), lease_until=None, last_error=error[:2000])
        )

    async def for_collaboration(self, collaboration_id: int) -> list[QueuedMail]:
        """Every message about a collaboration, newest first (failures shown to coordinators)."""
        rows = await self.conn.execute(
            select(outbox)
            .where(outbox.c.collaboration_id == collaboration_id)
            .order_by(outbox.c.id.desc())
        )
        return [queued_from(r) for r in rows]


def queued_from(row: Row[Any]) -> QueuedMail:
    """Map an outbox row to the record."""
    return QueuedMail(
        id=row.id,
        message_id=row.message_id,
        mail=Mail(
            dedupe_key=row.dedupe_key,
            kind=MailKind(row.kind),
            to_addr=row.to_addr,
            subject=row.subject,
            body=row.body,
            user_id=row.user_id,
            collaboration_id=row.collaboration_id,
        ),
        status=MailStatus(row.status),
        attempts=row.attempts,
        created_at=row.created_at,
        last_error=row.last_error,
    )

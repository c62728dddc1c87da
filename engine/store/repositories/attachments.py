"""Attachment rows: add, list, find, share and remove, always within the caller's scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import Scope
from engine.domain.attachments import Attachment, DocumentEvent, RecordKind, RecordRef
from engine.domain.users import Actor
from engine.errors import NotFound
from engine.store.repositories.scoping import PARTNER_KIND, scope_kind, visible
from engine.store.repositories.versioned import save_versioned
from engine.store.tables import (
    activities,
    attachments,
    collaborations,
    memoranda,
    plans,
    users,
)


class Attachments:
    """Reads and writes of the attachments table; rows outside the scope are not found."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, attachment: Attachment) -> int:
        """Store a new row; returns its id."""
        record = attachment.record
        result = await self.conn.execute(
            insert(attachments)
            .values(
                collaboration_id=attachment.collaboration_id,
                record_kind=str(record.kind) if record else None,
                record_id=record.id if record else None,
                name=attachment.name,
                content_type=attachment.content_type,
                size=attachment.size,
                sha256=attachment.sha256,
                uploaded_by=attachment.uploaded_by,
                uploaded_by_name=attachment.uploaded_by_name,
                uploaded_at=attachment.uploaded_at,
                shared_with_partner=attachment.shared_with_partner,
                version=1,
            )
            .returning(attachments.c.id)
        )
        return int(result.scalar_one())

    async def list(self, collaboration_id: int, scope: Scope) -> list[Attachment]:
        """The collaboration's attachments not removed, newest first (a partner: shared ones)."""
        rows = await self.conn.execute(
            select(attachments)
            .where(attachments.c.collaboration_id == collaboration_id, *_seen_by(scope))
            .order_by(attachments.c.uploaded_at.desc(), attachments.c.id.desc())
        )
        return [_attachment(r) for r in rows]

    async def events(self, collaboration_id: int) -> list[DocumentEvent]:
        """Every attaching and removal of a document of the collaboration, oldest first."""
        remover = users.alias("remover")
        rows = await self.conn.execute(
            select(
                attachments.c.name,
                attachments.c.uploaded_at,
                attachments.c.uploaded_by_name,
                attachments.c.removed_at,
                remover.c.name.label("removed_by_name"),
            )
            .select_from(attachments.outerjoin(remover, remover.c.id == attachments.c.removed_by))
            .where(attachments.c.collaboration_id == collaboration_id)
        )
        found = []
        for row in rows:
            found.append(
                DocumentEvent(row.uploaded_at, row.uploaded_by_name, "document_attached", row.name)
            )
            if row.removed_at is not None:
                who = row.removed_by_name or ""
                found.append(DocumentEvent(row.removed_at, who, "document_removed", row.name))
        return sorted(found, key=lambda event: event.at)

    async def get(self, collaboration_id: int, attachment_id: int, scope: Scope) -> Attachment:
        """One attachment of the collaboration; NotFound if removed or outside the scope."""
        row = (
            await self.conn.execute(
                select(attachments).where(
                    attachments.c.id == attachment_id,
                    attachments.c.collaboration_id == collaboration_id,
                    *_seen_by(scope),
                )
            )
        ).first()
        if row is None:
            raise NotFound("attachment", attachment_id)
        return _attachment(row)

    async def share(self, attachment_id: int, expected_version: int, shared: bool) -> int:
        """Show the attachment to the partner or hide it; returns the new version."""
        return await self._update(attachment_id, expected_version, {"shared_with_partner": shared})

    async def remove(
        self, attachment_id: int, expected_version: int, at: datetime, actor: Actor
    ) -> int:
        """Mark the attachment removed (the row stays for the audit trail)."""
        return await self._update(
            attachment_id, expected_version, {"removed_at": at, "removed_by": actor.id}
        )

    async def _update(self, attachment_id: int, expected: int, values: dict[str, Any]) -> int:
        where = (attachments.c.id == attachment_id) & attachments.c.removed_at.is_(None)
        return await save_versioned(
            self.conn, attachments, where, {"id": attachment_id}, expected, values
        )

    async def record_exists(self, collaboration_id: int, record: RecordRef) -> bool:
        """Whether the memorandum, plan or activity is one of this collaboration's."""
        if record.kind is RecordKind.MEMORANDUM:
            # The memorandum is one per collaboration, keyed by the collaboration's id.
            clause = (memoranda.c.collaboration_id == collaboration_id) & (
                memoranda.c.collaboration_id == record.id
            )
        elif record.kind is RecordKind.PLAN:
            clause = (plans.c.collaboration_id == collaboration_id) & (plans.c.id == record.id)
        else:
            clause = (activities.c.collaboration_id == collaboration_id) & (
                activities.c.id == record.id
            )
        return bool((await self.conn.execute(select(exists().where(clause)))).scalar())


def _seen_by(scope: Scope) -> list[ColumnElement[bool]]:
    visible_collaboration = exists().where(
        collaborations.c.id == attachments.c.collaboration_id, visible(scope)
    )
    clauses = [attachments.c.removed_at.is_(None), visible_collaboration]
    if scope_kind(scope) == PARTNER_KIND:
        clauses.append(attachments.c.shared_with_partner.is_(True))
    return clauses


def _attachment(row: Row[Any]) -> Attachment:
    record = RecordRef(RecordKind(row.record_kind), row.record_id) if row.record_kind else None
    return Attachment(
        id=row.id,
        collaboration_id=row.collaboration_id,
        record=record,
        name=row.name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_by=row.uploaded_by,
        uploaded_by_name=row.uploaded_by_name,
        uploaded_at=row.uploaded_at,
        shared_with_partner=bool(row.shared_with_partner),
        version=row.version,
        removed_at=row.removed_at,
    )

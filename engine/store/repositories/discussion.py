"""Managers' approvals and the comments exchanged on a collaboration."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.collaboration import Approval, Comment
from engine.store.repositories.inserts import insert_ignoring_duplicates
from engine.store.tables import approvals, comments


class Discussion:
    """Approvals (one per kind and cycle) and comments of collaborations."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def approve(self, collaboration_id: int, approval: Approval) -> bool:
        """Record an approval; False when this kind was already approved in this cycle."""
        result = await self.conn.execute(
            insert_ignoring_duplicates(
                approvals, self.conn.dialect.name, "collaboration_id", "kind", "cycle"
            ),
            {
                "collaboration_id": collaboration_id,
                "kind": approval.kind,
                "cycle": approval.cycle,
                "approved_by": approval.approved_by,
                "approver_name": approval.approver_name,
                "approved_at": approval.approved_at,
                "note": approval.note,
            },
        )
        return result.rowcount == 1

    async def add_comment(self, comment: Comment) -> Comment:
        """Store a comment; returns it with its id."""
        result = await self.conn.execute(
            insert(comments).values(
                collaboration_id=comment.collaboration_id,
                author_id=comment.author_id,
                author_name=comment.author_name,
                from_partner=comment.from_partner,
                at=comment.at,
                body=comment.body.strip(),
            )
        )
        return Comment(
            comment.collaboration_id,
            comment.author_id,
            comment.author_name,
            comment.at,
            comment.body.strip(),
            comment.from_partner,
            id=result.inserted_primary_key[0],
        )

    async def comments(self, collaboration_id: int) -> list[Comment]:
        """A collaboration's comments, newest first."""
        rows = await self.conn.execute(
            select(comments)
            .where(comments.c.collaboration_id == collaboration_id)
            .order_by(comments.c.at.desc(), comments.c.id.desc())
        )
        return [
            Comment(
                r.collaboration_id, r.author_id, r.author_name, r.at, r.body, r.from_partner, r.id
            )
            for r in rows
        ]

"""Invitation and password-reset links (stored as hashes) and the reset-request throttle."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.account_links import Link, LinkPurpose
from engine.store.repositories.accounts import Attempts
from engine.store.tables import account_links, reset_requests


class AccountLinks:
    """E-mailed links that let a person set a password: one live link per account and purpose."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(
        self,
        user_id: int,
        purpose: LinkPurpose,
        token_hash: str,
        now: datetime,
        expires_at: datetime,
        created_by: int | None,
    ) -> int:
        """Store a new link's hash, voiding the account's earlier links of that purpose."""
        await self.void(user_id, now, purpose)
        result = await self.conn.execute(
            insert(account_links).values(
                user_id=user_id,
                purpose=str(purpose),
                token_hash=token_hash,
                created_at=now,
                expires_at=expires_at,
                created_by=created_by,
            )
        )
        return result.inserted_primary_key[0]

    async def void(self, user_id: int, now: datetime, purpose: LinkPurpose | None = None) -> int:
        """Void the account's unused links (of one purpose, or all); returns how many."""
        live = (
            (account_links.c.user_id == user_id)
            & account_links.c.used_at.is_(None)
            & account_links.c.voided_at.is_(None)
        )
        if purpose is not None:
            live &= account_links.c.purpose == str(purpose)
        result = await self.conn.execute(update(account_links).where(live).values(voided_at=now))
        return result.rowcount

    async def by_hash(self, token_hash: str) -> Link | None:
        """The link with this hash, whatever its state."""
        row = (
            await self.conn.execute(
                select(account_links).where(account_links.c.token_hash == token_hash)
            )
        ).first()
        return _link(row) if row else None

    async def use(self, link_id: int, now: datetime) -> bool:
        """Mark a live link used; False when it was used, voided or expired meanwhile.

        One conditional update, so two tabs submitting the same link cannot both succeed.
        """
        result = await self.conn.execute(
            update(account_links)
            .where(
                account_links.c.id == link_id,
                account_links.c.used_at.is_(None),
                account_links.c.voided_at.is_(None),
                account_links.c.expires_at > now,
            )
            .values(used_at=now)
        )
        return result.rowcount == 1

    async def latest_invitations(self, user_ids: Iterable[int]) -> dict[int, Link]:
        """Each account's most recent invitation link, by account id."""
        ids = list(user_ids)
        if not ids:
            return {}
        newest = (
            select(func.max(account_links.c.id))
            .where(
                account_links.c.user_id.in_(ids),
                account_links.c.purpose == str(LinkPurpose.INVITATION),
            )
            .group_by(account_links.c.user_id)
        )
        rows = await self.conn.execute(
            select(account_links).where(account_links.c.id.in_(newest.scalar_subquery()))
        )
        return {row.user_id: _link(row) for row in rows}

    async def delete_expired_before(self, before: datetime) -> int:
        """Housekeeping: links that expired before ``before`` (the audit log keeps the story)."""
        result = await self.conn.execute(
            delete(account_links).where(account_links.c.expires_at < before)
        )
        return result.rowcount


class ResetRequests(Attempts):
    """Every "forgot my password" request, known address or not, counted for the throttle."""

    table = reset_requests


def _link(row: Row[Any]) -> Link:
    return Link(
        id=row.id,
        user_id=row.user_id,
        purpose=LinkPurpose(row.purpose),
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        voided_at=row.voided_at,
    )

"""Network memberships: which staff work in which watch networks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.store.repositories.inserts import insert_ignoring_duplicates
from engine.store.tables import memberships


class Members:
    """Adds and reads memberships of users in networks."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, user_id: int, network_id: int) -> bool:
        """Make a user a member of a network; False when they already were."""
        result = await self.conn.execute(
            insert_ignoring_duplicates(
                memberships, self.conn.dialect.name, "user_id", "network_id"
            ),
            {"user_id": user_id, "network_id": network_id},
        )
        return result.rowcount == 1

    async def networks_of(self, user_id: int) -> list[int]:
        """The ids of the networks a user belongs to, in id order."""
        rows = await self.conn.execute(
            select(memberships.c.network_id)
            .where(memberships.c.user_id == user_id)
            .order_by(memberships.c.network_id)
        )
        return list(rows.scalars())

"""Network memberships: which staff work in which watch networks."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.users import Role
from engine.store.repositories.inserts import insert_ignoring_duplicates
from engine.store.tables import memberships, users


class Members:
    """Adds, reads and removes memberships of users in networks."""

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

    async def remove(self, user_id: int, network_id: int) -> bool:
        """End a user's membership of a network; False when they were not a member."""
        result = await self.conn.execute(
            delete(memberships).where(
                memberships.c.user_id == user_id, memberships.c.network_id == network_id
            )
        )
        return result.rowcount == 1

    async def set_networks(
        self, user_id: int, network_ids: Iterable[int]
    ) -> tuple[list[int], list[int]]:
        """Make a user a member of exactly these networks; returns (added, removed) ids."""
        wanted = set(network_ids)
        current = set(await self.networks_of(user_id))
        added, removed = sorted(wanted - current), sorted(current - wanted)
        for network_id in added:
            await self.add(user_id, network_id)
        for network_id in removed:
            await self.remove(user_id, network_id)
        return added, removed

    async def networks_of(self, user_id: int) -> list[int]:
        """The ids of the networks a user belongs to, in id order."""
        rows = await self.conn.execute(
            select(memberships.c.network_id)
            .where(memberships.c.user_id == user_id)
            .order_by(memberships.c.network_id)
        )
        return list(rows.scalars())

    async def staff_of(self, network_id: int) -> list[tuple[int, str]]:
        """(id, name) of the active coordinators and managers of a network, by name."""
        rows = await self.conn.execute(
            select(users.c.id, users.c.name)
            .join(memberships, memberships.c.user_id == users.c.id)
            .where(
                memberships.c.network_id == network_id,
                users.c.active.is_(True),
                users.c.role.in_([str(Role.COORDINATOR), str(Role.MANAGER)]),
            )
            .order_by(users.c.name, users.c.id)
        )
        return [(row.id, row.name) for row in rows]

    async def all(self) -> dict[int, list[int]]:
        """Every user's network ids, by user id (users without a network are left out)."""
        rows = await self.conn.execute(
            select(memberships.c.user_id, memberships.c.network_id).order_by(
                memberships.c.user_id, memberships.c.network_id
            )
        )
        found: dict[int, list[int]] = {}
        for user_id, network_id in rows:
            found.setdefault(user_id, []).append(network_id)
        return found

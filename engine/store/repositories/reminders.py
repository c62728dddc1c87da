"""Due items as reminders: the scan's due rows, their status changes, who to tell."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, literal_column, or_, select, tuple_, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.partner import BusySeason
from engine.domain.reminders import OPEN_STATUSES, DueItem, DueStatus
from engine.domain.users import User
from engine.errors import NotFound
from engine.store.repositories.directory import user_from
from engine.store.tables import (
    busy_seasons,
    collaborations,
    due_items,
    memberships,
    networks,
    outbox,
    partners,
    users,
)

# A literal, not a bound parameter: the planner matches it to the partial index's
# predicate (status = 'pending') only when it sees the constant.
PENDING = due_items.c.status == literal_column(f"'{DueStatus.PENDING}'")

DUE_COLUMNS = (
    due_items.c.id,
    due_items.c.collaboration_id,
    due_items.c.rule,
    due_items.c.anchor_on,
    due_items.c.due_on,
    due_items.c.remind_on,
    due_items.c.kind,
    due_items.c.recipients,
    collaborations.c.owner_id,
    collaborations.c.network_id,
    collaborations.c.state,
    partners.c.id.label("partner_id"),
    partners.c.name.label("partner_name"),
    networks.c.name.label("network_name"),
    networks.c.timing.label("network_timing"),
)
DUE_FROM = (
    due_items.join(collaborations, collaborations.c.id == due_items.c.collaboration_id)
    .join(partners, partners.c.id == collaborations.c.partner_id)
    .join(networks, networks.c.id == collaborations.c.network_id)
)


DueRow = Row[Any]
"""A due item with its collaboration's state, network and partner, as the scan reads it."""


class Reminders:
    """Reads and status changes of due items, and the people they go to."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def due_now(
        self, today: date, limit: int, after: tuple[date, int] | None = None
    ) -> list[DueRow]:
        """Pending items to remind on or before ``today``, by (remind_on, id) past ``after``.

        Each row has the item's columns with the collaboration's owner_id,
        network_id and state, and partner_id, partner_name and network_name.
        On PostgreSQL the items stay locked until the transaction ends, and rows
        another scanner holds are skipped, so two scanners never take the same.
        """
        # In the partial index's order, so that it serves both the filter and the sort.
        query = (
            select(*DUE_COLUMNS)
            .select_from(DUE_FROM)
            .where(PENDING, due_items.c.remind_on <= today)
            .order_by(due_items.c.remind_on, due_items.c.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(tuple_(due_items.c.remind_on, due_items.c.id) > tuple_(*after))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=due_items)
        return list(await self.conn.execute(query))

    async def get(self, item_id: int, *, lock: bool = False) -> DueRow:
        """One due item's row; ``lock`` holds it until the transaction ends."""
        query = select(due_items).where(due_items.c.id == item_id)
        if lock:
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        if row is None:
            raise NotFound("due item", item_id)
        return row

    async def mark_notified(self, item_ids: Collection[int], now: datetime) -> None:
        """Record that the notices of these items went into the outbox."""
        await self._set(item_ids, status=str(DueStatus.NOTIFIED), notified_at=now)

    async def cancel(self, item_ids: Collection[int]) -> None:
        """Close items nobody needs to act on any more."""
        await self._set(item_ids, status=str(DueStatus.CANCELLED))

    async def acknowledge(self, item_id: int, now: datetime, user_id: int | None) -> None:
        """Close an item: someone has seen to it."""
        await self._set(
            (item_id,),
            status=str(DueStatus.ACKNOWLEDGED),
            acknowledged_at=now,
            acknowledged_by=user_id,
        )

    async def snooze(self, item_id: int, until: date) -> None:
        """Remind again on ``until``."""
        await self._set((item_id,), status=str(DueStatus.PENDING), remind_on=until)

    async def _set(self, item_ids: Collection[int], **values: Any) -> None:
        if item_ids:
            await self.conn.execute(
                update(due_items).where(due_items.c.id.in_(list(item_ids))).values(**values)
            )

    async def recipients_by_network(
        self, network_ids: Collection[int], role: str
    ) -> dict[int, list[User]]:
        """For each network, its active members with ``role``, by id: one query for all."""
        rows = await self.conn.execute(
            select(users, memberships.c.network_id.label("member_of"))
            .join(memberships, memberships.c.user_id == users.c.id)
            .where(
                memberships.c.network_id.in_(list(network_ids)),
                users.c.role == role,
                users.c.active.is_(True),
            )
            .order_by(memberships.c.network_id, users.c.id)
        )
        found: dict[int, list[User]] = {}
        for row in rows:
            found.setdefault(row.member_of, []).append(user_from(row))
        return found

    async def users_by_ids(self, user_ids: Iterable[int]) -> dict[int, User]:
        """Users by id (inactive ones included); unknown ids are left out."""
        ids = sorted(set(user_ids))
        if not ids:
            return {}
        rows = await self.conn.execute(select(users).where(users.c.id.in_(ids)))
        return {r.id: user_from(r) for r in rows}

    async def active_users(self, roles: Iterable[str]) -> list[User]:
        """Active users with any of ``roles``, by id."""
        rows = await self.conn.execute(
            select(users)
            .where(users.c.role.in_(list(roles)), users.c.active.is_(True))
            .order_by(users.c.id)
        )
        return [user_from(r) for r in rows]

    async def open_items(
        self, user_id: int, *, in_networks: bool, due_until: date | None = None
    ) -> list[DueItem]:
        """Open items of collaborations the user owns, soonest due first.

        ``in_networks`` adds every open item in the networks the user is a
        member of (managers); ``due_until`` keeps those due on or before it.
        """
        rows = await self.conn.execute(_open_items(user_id, in_networks, due_until))
        return [
            DueItem(
                id=r.id,
                collaboration_id=r.collaboration_id,
                network_id=r.network_id,
                partner_name=r.partner_name,
                state=r.state,
                rule=r.rule,
                kind=r.kind,
                due_on=r.due_on,
                remind_on=r.remind_on,
                status=DueStatus(r.status),
            )
            for r in rows
        ]

    async def busy_seasons(self, partner_ids: Iterable[int]) -> dict[int, tuple[BusySeason, ...]]:
        """The busy seasons of each of these partners (those without any are left out)."""
        ids = sorted(set(partner_ids))
        if not ids:
            return {}
        rows = await self.conn.execute(
            select(busy_seasons)
            .where(busy_seasons.c.partner_id.in_(ids))
            .order_by(busy_seasons.c.partner_id, busy_seasons.c.id)
        )
        seasons: dict[int, list[BusySeason]] = {}
        for s in rows:
            seasons.setdefault(s.partner_id, []).append(
                BusySeason((s.start_month, s.start_day), (s.end_month, s.end_day), s.note)
            )
        return {partner_id: tuple(found) for partner_id, found in seasons.items()}

    async def queued_keys(self, keys: Collection[str]) -> set[str]:
        """Which of these dedupe keys the outbox already holds."""
        if not keys:
            return set()
        rows = await self.conn.execute(
            select(outbox.c.dedupe_key).where(outbox.c.dedupe_key.in_(list(keys)))
        )
        return set(rows.scalars())


def _open_items(user_id: int, in_networks: bool, due_until: date | None) -> Select[Any]:
    mine = collaborations.c.owner_id == user_id
    if in_networks:
        theirs = select(memberships.c.network_id).where(memberships.c.user_id == user_id)
        mine = or_(mine, collaborations.c.network_id.in_(theirs))
    query = (
        select(*DUE_COLUMNS, due_items.c.status)
        .select_from(DUE_FROM)
        .where(due_items.c.status.in_([str(s) for s in OPEN_STATUSES]), mine)
        .order_by(due_items.c.due_on, partners.c.name, due_items.c.id)
    )
    if due_until is not None:
        query = query.where(due_items.c.due_on <= due_until)
    return query

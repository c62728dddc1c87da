"""Collaborations: the state-bearing rows, their history and their due items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, tuple_, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.access import EVERYTHING, Scope
from engine.domain.collaboration import Collaboration, HistoryEntry
from engine.errors import NotFound, VersionConflict
from engine.store.repositories.inserts import insert_ignoring_duplicates
from engine.store.repositories.scoping import visible
from engine.store.tables import collaborations, due_items, history
from engine.tracing import current_request_id

# Statements on the path of every move, built once: building one costs ~0.1 ms.
MOVE = (
    update(collaborations)
    .where(
        collaborations.c.id == bindparam("b_id"),
        collaborations.c.version == bindparam("b_version"),
    )
    .values(
        state=bindparam("b_state"),
        version=bindparam("b_new_version"),
        state_entered_at=bindparam("b_at"),
        cycle=bindparam("b_cycle"),
    )
)
APPEND_HISTORY = insert(history)
DELETE_UNWANTED = delete(due_items).where(
    due_items.c.collaboration_id == bindparam("b_id"),
    due_items.c.status == "pending",
    tuple_(due_items.c.rule, due_items.c.due_on).not_in(bindparam("b_keys", expanding=True)),
)


def collaboration_from(row: Row[Any]) -> Collaboration:
    """Map a collaborations row to the record."""
    return collaboration_from_mapping(row._mapping)


def collaboration_from_mapping(values: Mapping[str, Any]) -> Collaboration:
    """Map a collaborations row's columns (by name) to the record."""
    return Collaboration(**{name: values[name] for name in _COLLABORATION_FIELDS})


_COLLABORATION_FIELDS = tuple(Collaboration.__dataclass_fields__)


class Collaborations:
    """Reads and writes of collaboration rows and their history."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, record: Collaboration) -> Collaboration:
        """Insert a new collaboration at version 1."""
        values = {
            "network_id": record.network_id,
            "partner_id": record.partner_id,
            "state": record.state,
            "owner_id": record.owner_id,
            "planner": record.planner,
            "cycle": record.cycle,
            "state_entered_at": record.state_entered_at,
            "created_at": record.created_at,
            "last_activity_on": record.last_activity_on,
        }
        result = await self.conn.execute(insert(collaborations).values(**values, version=1))
        return await self.get(result.inserted_primary_key[0])

    async def get(
        self, collaboration_id: int, *, lock: bool = False, scope: Scope = EVERYTHING
    ) -> Collaboration:
        """One collaboration; ``lock`` holds its row until the transaction ends.

        One outside ``scope`` is not found, exactly like one that does not exist.
        """
        query = select(collaborations).where(
            collaborations.c.id == collaboration_id, visible(scope)
        )
        if lock:
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        if row is None:
            raise NotFound("collaboration", collaboration_id)
        return collaboration_from(row)

    async def ids_in_network(self, network_id: int) -> list[int]:
        """The ids of a network's collaborations."""
        rows = await self.conn.execute(
            select(collaborations.c.id).where(collaborations.c.network_id == network_id)
        )
        return list(rows.scalars())

    async def find(self, network_id: int, partner_id: int) -> Collaboration | None:
        """The collaboration of a partner in a network, if there is one."""
        row = (
            await self.conn.execute(
                select(collaborations).where(
                    collaborations.c.network_id == network_id,
                    collaborations.c.partner_id == partner_id,
                )
            )
        ).first()
        return collaboration_from(row) if row else None

    async def move(
        self, record: Collaboration, *, dest: str, version: int, at: datetime, cycle: int
    ) -> None:
        """Set the new state and version if nobody moved the row since ``record`` was read."""
        result = await self.conn.execute(
            MOVE,
            {
                "b_id": record.id,
                "b_version": record.version,
                "b_state": dest,
                "b_new_version": version,
                "b_at": at,
                "b_cycle": cycle,
            },
        )
        if result.rowcount != 1:
            current = await self.get(record.id)  # type: ignore[arg-type]
            raise VersionConflict("collaboration", record.id, record.version, current.version)

    async def update_fields(self, record: Collaboration, expected: int, **values: Any) -> int:
        """Change owner or planner, checking the version; returns the new version."""
        result = await self.conn.execute(
            update(collaborations)
            .where(collaborations.c.id == record.id, collaborations.c.version == expected)
            .values(**values, version=expected + 1)
        )
        if result.rowcount != 1:
            raise VersionConflict("collaboration", record.id, expected, record.version)
        return expected + 1

    async def touch(self, collaboration_id: int, day: date) -> None:
        """Note activity on ``day`` (keeps the later of the stored and the given date)."""
        await self.conn.execute(
            update(collaborations)
            .where(collaborations.c.id == collaboration_id)
            .values(
                last_activity_on=func.coalesce(
                    func.max(collaborations.c.last_activity_on, day)
                    if self.conn.dialect.name == "sqlite"
                    else func.greatest(collaborations.c.last_activity_on, day),
                    day,
                )
            )
        )

    async def append_history(self, entry: HistoryEntry) -> None:
        """Write one history entry (unique per collaboration and version)."""
        await self.conn.execute(
            APPEND_HISTORY,
            {
                "collaboration_id": entry.collaboration_id,
                "version": entry.version,
                "at": entry.at,
                "actor_id": entry.actor_id,
                "actor_name": entry.actor_name,
                "event": entry.event,
                "source": entry.source,
                "dest": entry.dest,
                "comment": entry.comment,
                "checks": [{"guard": g, "unmet": list(codes)} for g, codes in entry.checks],
                "request_id": current_request_id(),
            },
        )

    async def history(self, collaboration_id: int) -> list[HistoryEntry]:
        """Every state change of a collaboration, oldest first."""
        rows = await self.conn.execute(
            select(history)
            .where(history.c.collaboration_id == collaboration_id)
            .order_by(history.c.version)
        )
        return [
            HistoryEntry(
                id=r.id,
                collaboration_id=r.collaboration_id,
                version=r.version,
                at=r.at,
                actor_id=r.actor_id,
                actor_name=r.actor_name,
                event=r.event,
                source=r.source,
                dest=r.dest,
                comment=r.comment,
                checks=tuple((c["guard"], tuple(c["unmet"])) for c in r.checks),
            )
            for r in rows
        ]

    async def sync_due_items(
        self,
        collaboration_id: int,
        wanted: Sequence[Mapping[str, Any]],
        new: Sequence[Mapping[str, Any]],
        now: datetime,
    ) -> None:
        """Insert the ``new`` occurrences and delete pending ones that are not ``wanted``.

        An occurrence already stored, pending or delivered, is left alone by its
        unique key, so a repeated sync never duplicates one.
        """
        if new:
            await self.conn.execute(
                insert_ignoring_duplicates(
                    due_items, self.conn.dialect.name, "collaboration_id", "rule", "due_on"
                ),
                [{**w, "collaboration_id": collaboration_id, "created_at": now} for w in new],
            )
        await self.conn.execute(
            DELETE_UNWANTED,
            {"b_id": collaboration_id, "b_keys": [(w["rule"], w["due_on"]) for w in wanted]},
        )

    async def due_items(self, collaboration_id: int) -> list[Row[Any]]:
        """The due items of a collaboration, soonest first."""
        rows = await self.conn.execute(
            select(due_items)
            .where(due_items.c.collaboration_id == collaboration_id)
            .order_by(due_items.c.due_on, due_items.c.rule)
        )
        return list(rows)

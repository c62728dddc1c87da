"""The audit log: every write, with who did it and when, in the writing transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.users import Actor
from engine.store.sets import ID_BATCH, rows_by_id
from engine.store.tables import audit_log, collaborations, partners
from engine.tracing import current_request_id

_TABLES = {"partner": partners, "collaboration": collaborations}
"""The records that ``record_many`` writes entries about, by entity name."""


class Audit:
    """Appends to and reads the audit log."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def record(
        self,
        at: datetime,
        actor: Actor,
        action: str,
        entity: str,
        entity_id: int | None,
        **detail: Any,
    ) -> None:
        """Append one entry, with the id of the request (or job) in hand."""
        await self.conn.execute(
            insert(audit_log).values(
                at=at,
                actor_id=actor.id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail={"actor": actor.name, **detail},
                request_id=current_request_id(),
            )
        )

    async def record_many(
        self,
        at: datetime,
        actor: Actor,
        action: str,
        entity: str,
        entity_ids: list[int],
        **detail: Any,
    ) -> None:
        """Append one entry per record with the same action and detail.

        One ``INSERT … SELECT`` per thousand records: the shared columns are bound
        once per statement, not once per entry.
        """
        common = {
            "at": at,
            "actor_id": actor.id,
            "action": action,
            "entity": entity,
            "detail": {"actor": actor.name, **detail},
            "request_id": current_request_id(),
        }
        shared = [
            bindparam(name, value, type_=audit_log.c[name].type) for name, value in common.items()
        ]
        for start in range(0, len(entity_ids), ID_BATCH):
            ids = rows_by_id(_TABLES[entity], entity_ids[start : start + ID_BATCH])
            source = select(*shared, ids.c.id)
            await self.conn.execute(insert(audit_log).from_select([*common, "entity_id"], source))

    async def for_entity(self, entity: str, entity_id: int) -> list[Row[Any]]:
        """Entries about one record, oldest first."""
        rows = await self.conn.execute(
            select(audit_log)
            .where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
            .order_by(audit_log.c.id)
        )
        return list(rows)

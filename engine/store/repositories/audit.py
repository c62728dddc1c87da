"""The audit log: every write, with who did it and when, in the writing transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.users import Actor
from engine.store.tables import audit_log
from engine.tracing import current_request_id


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
        """Append one entry per record with the same action and detail, in one executemany."""
        if not entity_ids:
            return
        common = {
            "at": at,
            "actor_id": actor.id,
            "action": action,
            "entity": entity,
            "detail": {"actor": actor.name, **detail},
            "request_id": current_request_id(),
        }
        await self.conn.execute(
            insert(audit_log), [{**common, "entity_id": entity_id} for entity_id in entity_ids]
        )

    async def for_entity(self, entity: str, entity_id: int) -> list[Row[Any]]:
        """Entries about one record, oldest first."""
        rows = await self.conn.execute(
            select(audit_log)
            .where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
            .order_by(audit_log.c.id)
        )
        return list(rows)

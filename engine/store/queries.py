"""Read models for screens: lightweight rows selected column by column, no full records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from engine.domain.access import EVERYTHING, Scope
from engine.store.database import Database
from engine.store.repositories.scoping import visible
from engine.store.tables import collaborations, due_items, networks, outbox, partners, users


@dataclass(frozen=True, slots=True)
class CardRow:
    """What a pipeline card shows."""

    id: int
    version: int
    state: str
    network_id: int
    network_name: str
    partner_id: int
    partner_name: str
    industry: str
    area: str
    owner_name: str | None
    state_entered_at: datetime
    last_activity_on: date | None
    next_due_on: date | None
    failed_mails: int


async def pipeline(
    db: Database, scope: Scope = EVERYTHING, network_id: int | None = None
) -> list[CardRow]:
    """Every collaboration ``scope`` may see as a card row, in pipeline order within each state."""
    next_due = (
        select(func.min(due_items.c.due_on))
        .where(due_items.c.collaboration_id == collaborations.c.id, due_items.c.status == "pending")
        .scalar_subquery()
    )
    failed_mails = (
        select(func.count())
        .select_from(outbox)
        .where(outbox.c.collaboration_id == collaborations.c.id, outbox.c.status == "failed")
        .scalar_subquery()
    )
    query = (
        select(
            collaborations.c.id,
            collaborations.c.version,
            collaborations.c.state,
            collaborations.c.network_id,
            networks.c.name.label("network_name"),
            collaborations.c.partner_id,
            partners.c.name.label("partner_name"),
            partners.c.industry,
            partners.c.area,
            users.c.name.label("owner_name"),
            collaborations.c.state_entered_at,
            collaborations.c.last_activity_on,
            next_due.label("next_due_on"),
            failed_mails.label("failed_mails"),
        )
        .join(networks, networks.c.id == collaborations.c.network_id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .outerjoin(users, users.c.id == collaborations.c.owner_id)
        .where(visible(scope))
        .order_by(collaborations.c.state_entered_at, collaborations.c.id)
    )
    if network_id is not None:
        query = query.where(collaborations.c.network_id == network_id)
    async with db.read() as conn:
        return [CardRow(**row._mapping) for row in await conn.execute(query)]

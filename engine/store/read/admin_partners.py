"""Read models for the administration screens: partner organisations at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engine.store.database import Database
from engine.store.tables import busy_seasons, partners


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """A partner organisation in the administration's lists."""

    id: int
    name: str
    industry: str
    area: str
    busy_seasons: int


async def partner_rows(db: Database) -> list[PartnerRow]:
    """Every partner organisation by name, with the number of its busy seasons."""
    seasons = (
        select(func.count())
        .select_from(busy_seasons)
        .where(busy_seasons.c.partner_id == partners.c.id)
        .scalar_subquery()
    )
    query = select(
        partners.c.id,
        partners.c.name,
        partners.c.industry,
        partners.c.area,
        seasons.label("busy_seasons"),
    ).order_by(partners.c.name)
    async with db.read() as conn:
        return [PartnerRow(**row._mapping) for row in await conn.execute(query)]

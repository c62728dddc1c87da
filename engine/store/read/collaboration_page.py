"""The collaboration page beyond the file: its owner, the KPI reports and the open due items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from engine.domain.access import Scope
from engine.domain.reminders import OPEN_STATUSES
from engine.store.database import Database
from engine.store.tables import kpis, measurements, plans, users
from engine.store.uow import reading


@dataclass(frozen=True, slots=True)
class Report:
    """A measured KPI value with who reported it and when."""

    id: int
    kpi_id: int
    kpi_name: str
    unit: str
    period_start: date
    period_end: date
    value: float
    note: str
    source: str
    reporter_name: str | None
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class Due:
    """An open reminder or escalation of a collaboration (waiting, or notified and unanswered)."""

    rule: str
    due_on: date
    kind: str
    status: str


@dataclass(frozen=True, slots=True)
class CollaborationExtras:
    """What the collaboration page shows beyond the file: owner, reports, open due dates."""

    owner_name: str | None
    reports: tuple[Report, ...]
    due: tuple[Due, ...]


async def collaboration_extras(
    db: Database, scope: Scope, collaboration_id: int
) -> CollaborationExtras:
    """The owner's name, the current cycle's measurements with reporters, and open due items."""
    async with reading(db) as uow:
        record = await uow.collaborations.get(collaboration_id, scope=scope)
        owner = None if record.owner_id is None else await uow.users.get(record.owner_id)
        rows = await uow.conn.execute(
            select(
                measurements.c.id,
                measurements.c.kpi_id,
                kpis.c.name.label("kpi_name"),
                kpis.c.unit,
                measurements.c.period_start,
                measurements.c.period_end,
                measurements.c.value,
                measurements.c.note,
                measurements.c.source,
                users.c.name.label("reporter_name"),
                measurements.c.reported_at,
            )
            .join(kpis, kpis.c.id == measurements.c.kpi_id)
            .join(plans, plans.c.id == kpis.c.plan_id)
            .outerjoin(users, users.c.id == measurements.c.reported_by)
            .where(plans.c.collaboration_id == collaboration_id, plans.c.cycle == record.cycle)
            .order_by(measurements.c.period_end, measurements.c.id)
        )
        reports = tuple(Report(**row._mapping) for row in rows)
        due = tuple(
            Due(row.rule, row.due_on, row.kind, row.status)
            for row in await uow.collaborations.due_items(collaboration_id)
            if row.status in OPEN_STATUSES
        )
    return CollaborationExtras(owner.name if owner else None, reports, due)

"""Read models of the collaboration and partner pages, each limited to the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select

from engine.domain.access import Scope
from engine.domain.partner import Partner
from engine.domain.reminders import OPEN_STATUSES
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.repositories.scoping import visible
from engine.store.tables import (
    collaborations,
    kpis,
    measurements,
    networks,
    partners,
    plans,
    users,
)
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


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """A partner in the list, with how many of its collaborations the viewer sees."""

    id: int
    name: str
    industry: str
    area: str
    collaborations: int


def _partners_query(scope: Scope) -> Select[Any]:
    count = func.count(collaborations.c.id)
    query = (
        select(partners.c.id, partners.c.name, partners.c.industry, partners.c.area)
        .add_columns(count.label("collaborations"))
        .outerjoin(
            collaborations,
            and_(collaborations.c.partner_id == partners.c.id, visible(scope)),
        )
        .group_by(partners.c.id, partners.c.name, partners.c.industry, partners.c.area)
    )
    # Administrators see every partner; others only those they work with.
    return query if scope.everything else query.having(count > 0)


async def partner_list(
    db: Database, scope: Scope, *, search: str = "", industry: str = "", area: str = ""
) -> list[PartnerRow]:
    """Partners with a collaboration in ``scope``, by name, narrowed by the filters given."""
    query = _partners_query(scope).order_by(partners.c.name, partners.c.id)
    if search.strip():
        query = query.where(partners.c.name.icontains(search.strip(), autoescape=True))
    if industry:
        query = query.where(partners.c.industry == industry)
    if area:
        query = query.where(partners.c.area == area)
    async with db.read() as conn:
        return [PartnerRow(**row._mapping) for row in await conn.execute(query)]


async def partner_areas(db: Database, scope: Scope) -> list[str]:
    """The areas of the partners ``scope`` may see, for the list's filter."""
    query = select(func.distinct(_partners_query(scope).subquery().c.area))
    async with db.read() as conn:
        return sorted(await conn.scalars(query))


@dataclass(frozen=True, slots=True)
class PartnerCollaboration:
    """One of a partner's collaborations as its page lists it."""

    id: int
    network_name: str
    state: str
    owner_name: str | None
    planner: str
    state_entered_at: datetime
    last_activity_on: date | None


async def partner_page(
    db: Database, scope: Scope, partner_id: int
) -> tuple[Partner, list[PartnerCollaboration]]:
    """A partner and its collaborations inside ``scope``.

    A partner the viewer has no collaboration with is not found, like a missing
    one; administrators see every partner.
    """
    query = (
        select(
            collaborations.c.id,
            networks.c.name.label("network_name"),
            collaborations.c.state,
            users.c.name.label("owner_name"),
            collaborations.c.planner,
            collaborations.c.state_entered_at,
            collaborations.c.last_activity_on,
        )
        .join(networks, networks.c.id == collaborations.c.network_id)
        .outerjoin(users, users.c.id == collaborations.c.owner_id)
        .where(collaborations.c.partner_id == partner_id, visible(scope))
        .order_by(networks.c.name, collaborations.c.id)
    )
    async with reading(db) as uow:
        rows = [PartnerCollaboration(**row._mapping) for row in await uow.conn.execute(query)]
        if not rows and not scope.everything:
            raise NotFound("partner", partner_id)
        return await uow.partners.get(partner_id), rows

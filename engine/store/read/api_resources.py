"""Read models for the JSON API: pages of collaborations, partners and activities, scoped.

Every query filters with ``visible(scope)``: a record outside the caller's
scope is absent, exactly like a record that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from engine.domain.access import Scope
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.repositories.scoping import partner_visible, visible
from engine.store.tables import activities, collaborations, memberships, networks, partners, users

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CollaborationRow:
    """A collaboration with the names of its network, partner and owner."""

    id: int
    state: str
    version: int
    cycle: int
    network_id: int
    network_name: str
    partner_id: int
    partner_name: str
    owner_id: int | None
    owner_name: str | None
    planner: str
    state_entered_at: datetime
    created_at: datetime
    last_activity_on: date | None


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """A partner organisation as a list shows it."""

    id: int
    name: str
    industry: str
    area: str
    version: int


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """A logged contact or meeting of a collaboration."""

    id: int
    kind: str
    occurred_on: date
    summary: str
    agenda: str
    minutes: str
    decisions: str
    duration_minutes: int | None
    participants: str
    created_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of rows and the number of rows on every page together."""

    items: list[T]
    total: int


def _collaboration_query() -> Select[Any]:
    return (
        select(
            collaborations.c.id,
            collaborations.c.state,
            collaborations.c.version,
            collaborations.c.cycle,
            collaborations.c.network_id,
            networks.c.name.label("network_name"),
            collaborations.c.partner_id,
            partners.c.name.label("partner_name"),
            collaborations.c.owner_id,
            users.c.name.label("owner_name"),
            collaborations.c.planner,
            collaborations.c.state_entered_at,
            collaborations.c.created_at,
            collaborations.c.last_activity_on,
        )
        .join(networks, networks.c.id == collaborations.c.network_id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .outerjoin(users, users.c.id == collaborations.c.owner_id)
    )


async def collaboration_page(
    db: Database,
    scope: Scope,
    *,
    state: str | None = None,
    network_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[CollaborationRow]:
    """The collaborations ``scope`` may see, filtered, oldest first, one page of them."""
    where = [visible(scope)]
    if state is not None:
        where.append(collaborations.c.state == state)
    if network_id is not None:
        where.append(collaborations.c.network_id == network_id)
    query = (
        _collaboration_query()
        .where(*where)
        .order_by(collaborations.c.id)
        .limit(limit)
        .offset(offset)
    )
    count = select(func.count()).select_from(collaborations).where(*where)
    async with db.read() as conn:
        rows = [CollaborationRow(**row._mapping) for row in await conn.execute(query)]
        total = (await conn.execute(count)).scalar_one()
    return Page(rows, total)


async def collaboration(db: Database, scope: Scope, collaboration_id: int) -> CollaborationRow:
    """One collaboration with its names; NotFound outside ``scope``."""
    query = _collaboration_query().where(collaborations.c.id == collaboration_id, visible(scope))
    async with db.read() as conn:
        row = (await conn.execute(query)).first()
    if row is None:
        raise NotFound("collaboration", collaboration_id)
    return CollaborationRow(**row._mapping)


async def partner_page(
    db: Database, scope: Scope, *, limit: int = 50, offset: int = 0
) -> Page[PartnerRow]:
    """The partners ``scope`` may see, by name, one page of them."""
    where = partner_visible(scope)
    query = (
        select(
            partners.c.id, partners.c.name, partners.c.industry, partners.c.area, partners.c.version
        )
        .where(where)
        .order_by(partners.c.name, partners.c.id)
        .limit(limit)
        .offset(offset)
    )
    count = select(func.count()).select_from(partners).where(where)
    async with db.read() as conn:
        rows = [PartnerRow(**row._mapping) for row in await conn.execute(query)]
        total = (await conn.execute(count)).scalar_one()
    return Page(rows, total)


async def check_partner_visible(db: Database, scope: Scope, partner_id: int) -> None:
    """Raise NotFound unless the partner exists and ``scope`` may see it."""
    query = select(partners.c.id).where(partners.c.id == partner_id, partner_visible(scope))
    async with db.read() as conn:
        if (await conn.execute(query)).first() is None:
            raise NotFound("partner", partner_id)


async def partner_exists(db: Database, partner_id: int) -> bool:
    """True when a partner with this id exists, visible or not (partners may be shared)."""
    async with db.read() as conn:
        found = await conn.execute(select(partners.c.id).where(partners.c.id == partner_id))
        return found.first() is not None


async def is_member(db: Database, user_id: int, network_id: int) -> bool:
    """True when an active user is a member of the network."""
    query = (
        select(memberships.c.user_id)
        .join(users, users.c.id == memberships.c.user_id)
        .where(
            memberships.c.user_id == user_id,
            memberships.c.network_id == network_id,
            users.c.active.is_(True),
        )
    )
    async with db.read() as conn:
        return (await conn.execute(query)).first() is not None


async def activity_list(db: Database, scope: Scope, collaboration_id: int) -> list[ActivityRow]:
    """A collaboration's activities, newest first; NotFound outside ``scope``."""
    seen = select(collaborations.c.id).where(
        collaborations.c.id == collaboration_id, visible(scope)
    )
    query = (
        select(*(activities.c[name] for name in ActivityRow.__dataclass_fields__))
        .where(activities.c.collaboration_id == collaboration_id)
        .order_by(activities.c.occurred_on.desc(), activities.c.id.desc())
    )
    async with db.read() as conn:
        if (await conn.execute(seen)).first() is None:
            raise NotFound("collaboration", collaboration_id)
        return [ActivityRow(**row._mapping) for row in await conn.execute(query)]


async def activity(db: Database, scope: Scope, activity_id: int) -> ActivityRow:
    """One activity of a collaboration ``scope`` may see; NotFound otherwise."""
    query = (
        select(*(activities.c[name] for name in ActivityRow.__dataclass_fields__))
        .join(collaborations, collaborations.c.id == activities.c.collaboration_id)
        .where(activities.c.id == activity_id, visible(scope))
    )
    async with db.read() as conn:
        row = (await conn.execute(query)).first()
    if row is None:
        raise NotFound("activity", activity_id)
    return ActivityRow(**row._mapping)

"""The partner list and a partner's page, each limited to the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import Scope
from engine.domain.names import name_key
from engine.domain.partner import Partner
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.repositories.scoping import partner_visible, visible
from engine.store.tables import collaborations, networks, partners, users
from engine.store.uow import reading


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
    return (
        select(partners.c.id, partners.c.name, partners.c.industry, partners.c.area)
        .add_columns(count.label("collaborations"))
        .outerjoin(
            collaborations,
            and_(collaborations.c.partner_id == partners.c.id, visible(scope)),
        )
        .where(partner_visible(scope))
        .group_by(partners.c.id, partners.c.name, partners.c.industry, partners.c.area)
    )


async def partner_list(
    db: Database, scope: Scope, *, search: str = "", industry: str = "", area: str = ""
) -> list[PartnerRow]:
    """Partners in ``scope``'s lists, by name, narrowed by the filters given."""
    query = (
        _partners_query(scope)
        .where(*partner_filter(search=search, industry=industry, area=area))
        .order_by(partners.c.name, partners.c.id)
    )
    async with db.read() as conn:
        return [PartnerRow(**row._mapping) for row in await conn.execute(query)]


def partner_filter(*, search: str, industry: str, area: str) -> list[ColumnElement[bool]]:
    """The list's filters as WHERE clauses (the CSV export applies the same)."""
    where = []
    if search.strip():
        where.append(partners.c.name.icontains(search.strip(), autoescape=True))
    if industry:
        where.append(partners.c.industry == industry)
    if area:
        where.append(partners.c.area == area)
    return where


async def partner_areas(db: Database, scope: Scope) -> list[str]:
    """The areas of the partners ``scope`` may see, for the list's filter."""
    query = select(func.distinct(_partners_query(scope).subquery().c.area))
    async with db.read() as conn:
        return sorted(await conn.scalars(query))


@dataclass(frozen=True, slots=True)
class PartnerCollaboration:
    """One of a partner's collaborations as its page lists it."""

    id: int
    network_id: int
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

    A partner outside the viewer's networks' lists is not found, like a missing
    one; administrators see every partner.
    """
    query = (
        select(
            collaborations.c.id,
            collaborations.c.network_id,
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
    listed = select(partners.c.id).where(partners.c.id == partner_id, partner_visible(scope))
    async with reading(db) as uow:
        if (await uow.conn.execute(listed)).first() is None:
            raise NotFound("partner", partner_id)
        rows = [PartnerCollaboration(**row._mapping) for row in await uow.conn.execute(query)]
        return await uow.partners.get(partner_id), rows


@dataclass(frozen=True, slots=True)
class PartnerPick:
    """A partner offered by the board's 「候補を追加」 search."""

    id: int
    name: str
    kana: str
    area: str
    on_board: frozenset[int]
    """The networks whose pipeline already holds this partner."""


async def partner_picks(
    db: Database, scope: Scope, search: str, *, limit: int = 10
) -> list[PartnerPick]:
    """Partners in ``scope``'s lists whose name (as compared, legal forms folded) or reading
    contains ``search``, by reading and name."""
    key = name_key(search)
    if not key:
        return []
    reading_match = partners.c.kana.icontains(search.strip(), autoescape=True)
    query = (
        select(partners.c.id, partners.c.name, partners.c.kana, partners.c.area)
        .where(
            partner_visible(scope),
            partners.c.name_key.contains(key, autoescape=True) | reading_match,
        )
        .order_by(partners.c.kana, partners.c.name, partners.c.id)
        .limit(limit)
    )
    async with db.read() as conn:
        rows = (await conn.execute(query)).all()
        ids = [row.id for row in rows]
        boards = await conn.execute(
            select(collaborations.c.partner_id, collaborations.c.network_id).where(
                collaborations.c.partner_id.in_(ids), visible(scope)
            )
        )
        on_board: dict[int, set[int]] = {}
        for partner_id, network_id in boards:
            on_board.setdefault(partner_id, set()).add(network_id)
    return [
        PartnerPick(row.id, row.name, row.kana, row.area, frozenset(on_board.get(row.id, ())))
        for row in rows
    ]

"""Read models for screens: lightweight rows selected column by column, no full records.

The board reads only what a card shows. Its filters and paging run in SQL: a
window function numbers the cards of each state, so one statement returns the
first page of every column together with each column's count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import EVERYTHING, Scope
from engine.domain.partner import BusySeason
from engine.domain.reminders import OPEN_STATUSES
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.repositories.scoping import visible
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
    approach_reminder_months: int = 2
    approach_escalation_months: int = 3


@dataclass(frozen=True, slots=True)
class BoardFilter:
    """What the board is narrowed to; empty fields do not filter."""

    network_id: int | None = None
    area: str = ""
    industry: str = ""
    owner_id: int | None = None
    entered_before: datetime | None = None
    """Only cards that entered their stage before this moment (stage age)."""
    search: str = ""
    """Part of the partner's name."""


@dataclass(frozen=True, slots=True)
class Board:
    """The first cards of every column, each column's count, and per-card extras."""

    cards: list[CardRow]
    counts: dict[str, int]
    extras: CardExtras


@dataclass(frozen=True, slots=True)
class CardExtras:
    """Things a card's badges need beyond its row: open due rules and busy seasons."""

    due_rules: dict[int, frozenset[str]]
    """Per collaboration: the rules of open due items whose day has come."""
    busy_seasons: dict[int, tuple[BusySeason, ...]]
    """Per partner: its busy seasons."""


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The choices the board's filters offer, all inside the viewer's scope."""

    networks: list[tuple[int, str]]
    areas: list[str]
    owners: list[tuple[int, str]]


def _next_due() -> Any:
    return (
        select(func.min(due_items.c.due_on))
        .where(due_items.c.collaboration_id == collaborations.c.id, due_items.c.status == "pending")
        .scalar_subquery()
    )


def _failed_mails() -> Any:
    return (
        select(func.count())
        .select_from(outbox)
        .where(outbox.c.collaboration_id == collaborations.c.id, outbox.c.status == "failed")
        .scalar_subquery()
    )


def _card_query(base: Any = collaborations) -> Select[Any]:
    """The card's columns from ``base`` onwards; the two subqueries run only for rows returned."""
    return (
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
            _next_due().label("next_due_on"),
            _failed_mails().label("failed_mails"),
            networks.c.approach_reminder_months,
            networks.c.approach_escalation_months,
        )
        .select_from(base)
        .join(networks, networks.c.id == collaborations.c.network_id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .outerjoin(users, users.c.id == collaborations.c.owner_id)
    )


def _conditions(scope: Scope, board_filter: BoardFilter) -> list[ColumnElement[bool]]:
    """WHERE clauses over collaborations joined with partners."""
    where = [visible(scope)]
    f = board_filter
    if f.network_id is not None:
        where.append(collaborations.c.network_id == f.network_id)
    if f.area:
        where.append(partners.c.area == f.area)
    if f.industry:
        where.append(partners.c.industry == f.industry)
    if f.owner_id is not None:
        where.append(collaborations.c.owner_id == f.owner_id)
    if f.entered_before is not None:
        where.append(collaborations.c.state_entered_at < f.entered_before)
    if f.search.strip():
        pattern = "%" + _escape_like(f.search.strip()) + "%"
        where.append(partners.c.name.like(pattern, escape="\\"))
    return where


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


ORDER = (collaborations.c.state_entered_at, collaborations.c.id)


async def board(
    db: Database, scope: Scope, board_filter: BoardFilter, per_column: int, today: date
) -> Board:
    """The first ``per_column`` cards of every state and the count of each, for ``scope``."""
    ranked_from = collaborations
    if board_filter.area or board_filter.industry or board_filter.search.strip():
        ranked_from = collaborations.join(partners, partners.c.id == collaborations.c.partner_id)
    ranked = (
        select(
            collaborations.c.id,
            func.row_number()
            .over(partition_by=collaborations.c.state, order_by=ORDER)
            .label("rank"),
            func.count().over(partition_by=collaborations.c.state).label("total"),
        )
        .select_from(ranked_from)
        .where(*_conditions(scope, board_filter))
        .subquery()
    )
    # The numbered page comes first in the join, so only its rows meet the other tables.
    query = (
        _card_query(ranked.join(collaborations, collaborations.c.id == ranked.c.id))
        .add_columns(ranked.c.total)
        .where(ranked.c.rank <= per_column)
        .order_by(collaborations.c.state, *ORDER)
    )
    async with db.read() as conn:
        cards, counts = [], {}
        for row in await conn.execute(query):
            values = dict(row._mapping)
            counts[values["state"]] = values.pop("total")
            cards.append(CardRow(**values))
        extras = await _extras(conn, scope, cards, today)
    return Board(cards, counts, extras)


async def column(
    db: Database,
    scope: Scope,
    board_filter: BoardFilter,
    state: str,
    offset: int,
    limit: int,
    today: date,
) -> tuple[list[CardRow], bool, CardExtras]:
    """A page of one state's cards; the flag says whether more follow."""
    query = (
        _card_query()
        .where(collaborations.c.state == state, *_conditions(scope, board_filter))
        .order_by(*ORDER)
        .offset(offset)
        .limit(limit + 1)
    )
    async with db.read() as conn:
        cards = [CardRow(**row._mapping) for row in await conn.execute(query)]
        more = len(cards) > limit
        cards = cards[:limit]
        return cards, more, await _extras(conn, scope, cards, today)


async def card(
    db: Database, scope: Scope, collaboration_id: int, today: date
) -> tuple[CardRow, CardExtras]:
    """One card; NotFound when it does not exist or lies outside ``scope``."""
    query = _card_query().where(collaborations.c.id == collaboration_id, visible(scope))
    async with db.read() as conn:
        row = (await conn.execute(query)).first()
        if row is None:
            raise NotFound("collaboration", collaboration_id)
        found = CardRow(**row._mapping)
        return found, await _extras(conn, scope, [found], today)


async def counts(db: Database, scope: Scope, board_filter: BoardFilter) -> dict[str, int]:
    """How many cards each state holds under the filter."""
    query = (
        select(collaborations.c.state, func.count())
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .where(*_conditions(scope, board_filter))
        .group_by(collaborations.c.state)
    )
    async with db.read() as conn:
        return {state: n for state, n in await conn.execute(query)}


async def _extras(conn: Any, scope: Scope, cards: list[CardRow], today: date) -> CardExtras:
    """Open due rules whose day has come, and busy seasons, for the given cards only."""
    if not cards:
        return CardExtras({}, {})
    ids = [c.id for c in cards]
    due_rows = await conn.execute(
        select(due_items.c.collaboration_id, due_items.c.rule)
        .join(collaborations, collaborations.c.id == due_items.c.collaboration_id)
        .where(
            due_items.c.collaboration_id.in_(ids),
            due_items.c.status.in_([str(s) for s in OPEN_STATUSES]),
            due_items.c.due_on <= today,
            visible(scope),
        )
    )
    rules: defaultdict[int, set[str]] = defaultdict(set)
    for cid, rule in due_rows:
        rules[cid].add(rule)
    season_rows = await conn.execute(
        select(busy_seasons).where(busy_seasons.c.partner_id.in_({c.partner_id for c in cards}))
    )
    seasons: defaultdict[int, list[BusySeason]] = defaultdict(list)
    for s in season_rows:
        seasons[s.partner_id].append(
            BusySeason((s.start_month, s.start_day), (s.end_month, s.end_day), s.note)
        )
    return CardExtras(
        {cid: frozenset(r) for cid, r in rules.items()},
        {pid: tuple(s) for pid, s in seasons.items()},
    )


async def filter_options(db: Database, scope: Scope) -> FilterOptions:
    """The networks, areas and owners found among the collaborations ``scope`` may see."""
    seen = select(collaborations.c.id).where(visible(scope))
    if scope.everything:
        network_query = select(networks.c.id, networks.c.name)
    elif scope.partner_id is None:
        network_query = select(networks.c.id, networks.c.name).where(
            networks.c.id.in_(sorted(scope.network_ids))
        )
    else:
        network_query = select(networks.c.id, networks.c.name).where(
            networks.c.id.in_(select(collaborations.c.network_id).where(visible(scope)))
        )
    # EXISTS lets the database stop at the first visible collaboration of each partner or user.
    area_query = (
        select(partners.c.area)
        .where(seen.where(collaborations.c.partner_id == partners.c.id).exists())
        .distinct()
        .order_by(partners.c.area)
    )
    owner_query = (
        select(users.c.id, users.c.name)
        .where(seen.where(collaborations.c.owner_id == users.c.id).exists())
        .order_by(users.c.name)
    )
    async with db.read() as conn:
        network_rows = await conn.execute(network_query.order_by(networks.c.name))
        area_rows = await conn.execute(area_query)
        owner_rows = await conn.execute(owner_query)
        return FilterOptions(
            [(i, n) for i, n in network_rows],
            [a for (a,) in area_rows],
            [(i, n) for i, n in owner_rows],
        )


async def approvers(db: Database, network_id: int) -> list[str]:
    """Names of the active managers of a network: who can give an approval."""
    async with db.read() as conn:
        rows = await conn.execute(
            select(users.c.name)
            .join(memberships, memberships.c.user_id == users.c.id)
            .where(
                memberships.c.network_id == network_id,
                users.c.role == "manager",
                users.c.active.is_(True),
            )
            .order_by(users.c.name)
        )
        return [name for (name,) in rows]


async def pipeline(
    db: Database, scope: Scope = EVERYTHING, network_id: int | None = None
) -> list[CardRow]:
    """Every collaboration ``scope`` may see as a card row, in pipeline order within each state."""
    query = (
        _card_query()
        .where(*_conditions(scope, BoardFilter(network_id=network_id)))
        .order_by(*ORDER)
    )
    async with db.read() as conn:
        return [CardRow(**row._mapping) for row in await conn.execute(query)]

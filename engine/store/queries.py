"""Read models for screens: lightweight rows selected column by column, no full records.

The board reads only what a card shows. Its filters and paging run in SQL:
each column's first page is a short range of an index in stage order, so a
board costs what it shows, however many cards the network holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from engine.domain.access import Scope
from engine.domain.partner import BusySeason
from engine.errors import NotFound
from engine.store.board_sql import (
    ORDER,
    SEASONS,
    BoardFilter,
    bind,
    card_query,
    card_statement,
    column_statement,
    count_statement,
    first_cards_statement,
    option_statements,
)
from engine.store.database import Database
from engine.store.repositories.scoping import scope_kind, scope_params
from engine.store.tables import memberships, users


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
    open_rules: frozenset[str] = frozenset()
    """The rules of the card's open due items whose day has come."""


@dataclass(frozen=True, slots=True)
class Board:
    """The first cards of every column, each column's count, and per-card extras."""

    cards: list[CardRow]
    counts: dict[str, int]
    extras: CardExtras
    options: FilterOptions | None = None
    """The filter choices, when asked for."""


@dataclass(frozen=True, slots=True)
class CardExtras:
    """What a card's badges need beyond its row: its partner's busy seasons."""

    busy_seasons: dict[int, tuple[BusySeason, ...]]
    """Per partner: its busy seasons."""


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The choices the board's filters offer, all inside the viewer's scope."""

    networks: list[tuple[int, str]]
    areas: list[str]
    owners: list[tuple[int, str]]


def _card_row(row: Any) -> CardRow:
    values = dict(row._mapping)
    values["open_rules"] = frozenset((values["open_rules"] or "").split())
    return CardRow(**values)


async def board(
    db: Database,
    scope: Scope,
    board_filter: BoardFilter,
    states: Sequence[str],
    per_column: int,
    today: date,
    with_options: bool = False,
) -> Board:
    """The first ``per_column`` cards of every state and the count of each, for ``scope``.

    Counts, busy seasons and (``with_options``) the filter choices are read in
    the same transaction: one consistent snapshot.
    """
    shape, params = bind(scope, board_filter)
    first_cards = first_cards_statement(shape, tuple(states), per_column)
    async with db.read() as conn:
        rows = await conn.execute(first_cards, {**params, "today": today})
        cards = [_card_row(row) for row in rows]
        counts = {state: n for state, n in await conn.execute(count_statement(shape), params)}
        seasons = await _busy_seasons(conn, cards)
        options = await _filter_options(conn, scope) if with_options else None
    return Board(cards, counts, seasons, options)


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
    shape, params = bind(scope, board_filter)
    params.update(state=state, offset=offset, limit=limit + 1, today=today)
    async with db.read() as conn:
        cards = [_card_row(row) for row in await conn.execute(column_statement(shape), params)]
        more = len(cards) > limit
        cards = cards[:limit]
        return cards, more, await _busy_seasons(conn, cards)


async def card(
    db: Database, scope: Scope, collaboration_id: int, today: date
) -> tuple[CardRow, CardExtras]:
    """One card; NotFound when it does not exist or lies outside ``scope``."""
    params = {"id": collaboration_id, "today": today, **scope_params(scope)}
    async with db.read() as conn:
        row = (await conn.execute(card_statement(scope_kind(scope)), params)).first()
        if row is None:
            raise NotFound("collaboration", collaboration_id)
        found = _card_row(row)
        return found, await _busy_seasons(conn, [found])


async def counts(db: Database, scope: Scope, board_filter: BoardFilter) -> dict[str, int]:
    """How many cards each state holds under the filter."""
    shape, params = bind(scope, board_filter)
    async with db.read() as conn:
        return {state: n for state, n in await conn.execute(count_statement(shape), params)}


async def _busy_seasons(conn: Any, cards: list[CardRow]) -> CardExtras:
    """The busy seasons of the given cards' partners."""
    if not cards:
        return CardExtras({})
    rows = await conn.execute(SEASONS, {"partner_ids": sorted({c.partner_id for c in cards})})
    seasons: defaultdict[int, list[BusySeason]] = defaultdict(list)
    for s in rows:
        seasons[s.partner_id].append(
            BusySeason((s.start_month, s.start_day), (s.end_month, s.end_day), s.note)
        )
    return CardExtras({pid: tuple(s) for pid, s in seasons.items()})


async def filter_options(db: Database, scope: Scope) -> FilterOptions:
    """The networks, areas and owners found among the collaborations ``scope`` may see."""
    async with db.read() as conn:
        return await _filter_options(conn, scope)


async def _filter_options(conn: Any, scope: Scope) -> FilterOptions:
    network_query, area_query, owner_query = option_statements(scope_kind(scope))
    params = scope_params(scope)
    network_rows = await conn.execute(network_query, params)
    area_rows = await conn.execute(area_query, params)
    owner_rows = await conn.execute(owner_query, params)
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
    db: Database, scope: Scope, today: date, network_id: int | None = None
) -> list[CardRow]:
    """Every collaboration ``scope`` may see as a card row, in pipeline order within each state."""
    shape, params = bind(scope, BoardFilter(network_id=network_id))
    query = card_query().where(*shape.where()).order_by(*ORDER)
    async with db.read() as conn:
        return [_card_row(row) for row in await conn.execute(query, {**params, "today": today})]

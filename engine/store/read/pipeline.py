"""Read models for screens: lightweight rows selected column by column, no full records.

The board reads only what a card shows. Its filters and paging run in SQL:
each column's first page is a short range of an index in stage order, so a
board costs what it shows, however many cards the network holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from engine.domain.access import Scope
from engine.domain.partner import BusySeason
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.read.pipeline_sql import (
    ORDER,
    BoardFilter,
    bind,
    card_query,
    card_statement,
    column_statement,
    count_statement,
    first_cards_statement,
    options_statement,
)
from engine.store.repositories.scoping import scope_kind, scope_params
from engine.store.tables import collaborations, memberships, users


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
    busy_seasons: tuple[BusySeason, ...] = ()
    """The partner's busy seasons."""


@dataclass(frozen=True, slots=True)
class Board:
    """The first cards of every column, each column's count, and maybe the filter choices."""

    cards: list[CardRow]
    counts: dict[str, int]
    options: FilterOptions | None = None
    """The filter choices, when asked for."""


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The choices the board's filters offer, all inside the viewer's scope."""

    networks: list[tuple[int, str]]
    areas: list[str]
    owners: list[tuple[int, str]]


def _card_row(row: Any) -> CardRow:
    # Positional: card_query's columns are CardRow's fields in order (a test checks it).
    *columns, rules, seasons = row
    return CardRow(*columns, frozenset((rules or "").split()), _seasons(seasons or ""))


@lru_cache(maxsize=1024)
def _seasons(text: str) -> tuple[BusySeason, ...]:
    """Seasons from "3/1-4/15 12/20-1/10" (see board_sql); partners repeat them."""
    found = []
    for season in text.split():
        start, end = season.split("-")
        start_month, start_day = start.split("/")
        end_month, end_day = end.split("/")
        found.append(BusySeason((int(start_month), int(start_day)), (int(end_month), int(end_day))))
    return tuple(found)


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

    Counts and (``with_options``) the filter choices are read in
    the same transaction: one consistent snapshot.
    """
    shape, params = bind(scope, board_filter)
    first_cards = first_cards_statement(shape, tuple(states), per_column)
    async with db.read() as conn:
        rows = await conn.execute(first_cards, {**params, "today": today})
        cards = [_card_row(row) for row in rows]
        counts = {state: n for state, n in await conn.execute(count_statement(shape), params)}
        options = await _filter_options(conn, scope) if with_options else None
    return Board(cards, counts, options)


async def column(
    db: Database,
    scope: Scope,
    board_filter: BoardFilter,
    state: str,
    offset: int,
    limit: int,
    today: date,
) -> tuple[list[CardRow], bool]:
    """A page of one state's cards; the flag says whether more follow."""
    shape, params = bind(scope, board_filter)
    params.update(state=state, offset=offset, limit=limit + 1, today=today)
    async with db.read() as conn:
        cards = [_card_row(row) for row in await conn.execute(column_statement(shape), params)]
        more = len(cards) > limit
        cards = cards[:limit]
        return cards, more


async def card(db: Database, scope: Scope, collaboration_id: int, today: date) -> CardRow:
    """One card; NotFound when it does not exist or lies outside ``scope``."""
    params = {"id": collaboration_id, "today": today, **scope_params(scope)}
    async with db.read() as conn:
        row = (await conn.execute(card_statement(scope_kind(scope)), params)).first()
        if row is None:
            raise NotFound("collaboration", collaboration_id)
        return _card_row(row)


async def counts(db: Database, scope: Scope, board_filter: BoardFilter) -> dict[str, int]:
    """How many cards each state holds under the filter."""
    shape, params = bind(scope, board_filter)
    async with db.read() as conn:
        return {state: n for state, n in await conn.execute(count_statement(shape), params)}


async def filter_options(db: Database, scope: Scope) -> FilterOptions:
    """The networks, areas and owners found among the collaborations ``scope`` may see."""
    async with db.read() as conn:
        return await _filter_options(conn, scope)


async def _filter_options(conn: Any, scope: Scope) -> FilterOptions:
    rows = await conn.execute(options_statement(scope_kind(scope)), scope_params(scope))
    found: dict[str, list[Any]] = {"network": [], "area": [], "owner": []}
    for kind, row_id, name in rows:
        found[kind].append(name if kind == "area" else (row_id, name))
    return FilterOptions(found["network"], found["area"], found["owner"])


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
    db: Database,
    scope: Scope,
    today: date,
    network_id: int | None = None,
    states: Sequence[str] = (),
) -> list[CardRow]:
    """The collaborations ``scope`` may see (in ``states``, when given) as card rows,
    in pipeline order within each state."""
    shape, params = bind(scope, BoardFilter(network_id=network_id))
    query = card_query().where(*shape.where()).order_by(*ORDER)
    if states:
        query = query.where(collaborations.c.state.in_(list(states)))
    async with db.read() as conn:
        return [_card_row(row) for row in await conn.execute(query, {**params, "today": today})]

"""Rows for the CSV exports: the board as filtered, the partner list, a collaboration's history.

Each export reads in one transaction (one consistent snapshot) and yields
rows as the database hands them over, never the whole table: on PostgreSQL
through a server-side cursor (``stream``), on SQLite in keyset batches
(``WHERE (key) > (last key) ... LIMIT``), since its driver fetches a result
whole. Memory stays the same for a hundred rows or a hundred thousand.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.access import Scope
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.read.partner_pages import partner_filter
from engine.store.read.pipeline_sql import ORDER, BoardFilter, Shape, bind
from engine.store.repositories.scoping import partner_visible, visible
from engine.store.tables import (
    collaborations,
    contacts,
    due_items,
    history,
    networks,
    partners,
    users,
)

BATCH = 500
"""Rows per batch (SQLite) or per cursor fetch (PostgreSQL)."""
FIELD, ITEM = "\x1f", "\x1e"  # unit and record separators: never typed into a form


@dataclass(frozen=True, slots=True)
class BoardLine:
    """A card of the board as the export writes it."""

    id: int
    network_name: str
    partner_name: str
    industry: str
    area: str
    state: str
    state_entered_at: datetime
    owner_name: str | None
    last_activity_on: date | None
    next_due_on: date | None
    version: int


@dataclass(frozen=True, slots=True)
class PartnerLine:
    """A partner of the list with its contacts and its visible collaborations."""

    id: int
    name: str
    kana: str
    industry: str
    area: str
    address: str
    phone: str
    website: str
    note: str
    contacts: tuple[tuple[str, str, str, str], ...]
    """(name, title, e-mail, phone) of each contact."""
    collaborations: int


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One state change."""

    version: int
    at: datetime
    event: str
    source: str
    dest: str
    actor_name: str
    comment: str


@dataclass(frozen=True, slots=True)
class HistorySubject:
    """Whose history it is, for the file name."""

    collaboration_id: int
    network_name: str
    partner_name: str


async def _walk(
    conn: AsyncConnection,
    sqlite: bool,
    statement: Callable[[bool], Any],
    params: dict[str, Any],
    key: Callable[[Any], dict[str, Any]],
) -> AsyncIterator[Any]:
    """Every row of ``statement(keyed)`` in its order, a batch at a time.

    ``statement(False)`` is the first batch (or, on PostgreSQL, the whole
    result through a cursor); ``statement(True)`` the batch after the key
    that ``key(last row)`` binds.
    """
    if not sqlite:
        result = await conn.stream(statement(False), params)
        async for partition in result.partitions(BATCH):
            for row in partition:
                yield row
        return
    keyed = False
    after: dict[str, Any] = {}
    while True:
        rows = (await conn.execute(statement(keyed), {**params, **after, "batch": BATCH})).all()
        for row in rows:
            yield row
        if len(rows) < BATCH:
            return
        keyed, after = True, key(rows[-1])


def _limited(query: Any, sqlite: bool) -> Any:
    if sqlite:
        return query.limit(bindparam("batch", type_=Integer()))
    return query.execution_options(yield_per=BATCH)


def _after(*columns: Any) -> Any:
    """``(columns) > (:after_0, :after_1, ...)``, typed like the columns."""
    binds = [bindparam(f"after_{i}", type_=c.type) for i, c in enumerate(columns)]
    return tuple_(*columns) > tuple_(*binds)


def _next_due() -> Any:
    return (
        select(func.min(due_items.c.due_on))
        .where(due_items.c.collaboration_id == collaborations.c.id, due_items.c.status == "pending")
        .scalar_subquery()
    )


@cache
def _board_statement(shape: Shape, sqlite: bool, keyed: bool) -> Any:
    query = (
        select(
            collaborations.c.id,
            networks.c.name.label("network_name"),
            partners.c.name.label("partner_name"),
            partners.c.industry,
            partners.c.area,
            collaborations.c.state,
            collaborations.c.state_entered_at,
            users.c.name.label("owner_name"),
            collaborations.c.last_activity_on,
            _next_due().label("next_due_on"),
            collaborations.c.version,
        )
        .join(networks, networks.c.id == collaborations.c.network_id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .outerjoin(users, users.c.id == collaborations.c.owner_id)
        .where(collaborations.c.state == bindparam("state"), *shape.where())
        .order_by(*ORDER)
    )
    if keyed:
        query = query.where(_after(*ORDER))
    return _limited(query, sqlite)


async def board_lines(
    db: Database, scope: Scope, board_filter: BoardFilter, states: Sequence[str]
) -> AsyncIterator[BoardLine]:
    """Every card the board shows under ``board_filter``: state by state in ``states``' order,
    each in the board's order (longest in its stage first)."""
    shape, params = bind(scope, board_filter)
    async with db.read() as conn:
        for state in states:
            rows = _walk(
                conn,
                db.is_sqlite,
                lambda keyed: _board_statement(shape, db.is_sqlite, keyed),
                {**params, "state": state},
                lambda row: {"after_0": row.state_entered_at, "after_1": row.id},
            )
            async for row in rows:
                yield BoardLine(*row)


def _contacts_text() -> Any:
    c = contacts.c
    one = c.name + FIELD + c.title + FIELD + c.email + FIELD + c.phone
    return (
        select(func.aggregate_strings(one, ITEM))
        .where(c.partner_id == partners.c.id)
        .scalar_subquery()
    )


def _contacts(text: str | None) -> tuple[tuple[str, str, str, str], ...]:
    found = []
    for item in (text or "").split(ITEM):
        if item:
            name, title, email, phone = item.split(FIELD)
            found.append((name, title, email, phone))
    return tuple(found)


async def partner_lines(
    db: Database, scope: Scope, *, search: str = "", industry: str = "", area: str = ""
) -> AsyncIterator[PartnerLine]:
    """The partner list as /partners shows it (same filters, same order), with contacts."""
    counted = (
        select(func.count())
        .select_from(collaborations)
        .where(collaborations.c.partner_id == partners.c.id, visible(scope))
        .scalar_subquery()
    )
    p = partners.c
    base = (
        select(
            p.id,
            p.name,
            p.kana,
            p.industry,
            p.area,
            p.address,
            p.phone,
            p.website,
            p.note,
            _contacts_text().label("contacts"),
            counted.label("collaborations"),
        )
        .where(
            partner_visible(scope),
            *partner_filter(search=search, industry=industry, area=area),
        )
        .order_by(p.name, p.id)
    )

    def statement(keyed: bool) -> Any:
        return _limited(base.where(_after(p.name, p.id)) if keyed else base, db.is_sqlite)

    async with db.read() as conn:
        rows = _walk(
            conn,
            db.is_sqlite,
            statement,
            {},
            lambda row: {"after_0": row.name, "after_1": row.id},
        )
        async for row in rows:
            *fields, text, count = row
            yield PartnerLine(*fields, _contacts(text), count)


async def history_subject(db: Database, scope: Scope, collaboration_id: int) -> HistorySubject:
    """The collaboration's network and partner; NotFound outside ``scope``, like a missing one."""
    query = (
        select(collaborations.c.id, networks.c.name, partners.c.name)
        .join(networks, networks.c.id == collaborations.c.network_id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .where(collaborations.c.id == collaboration_id, visible(scope))
    )
    async with db.read() as conn:
        row = (await conn.execute(query)).first()
    if row is None:
        raise NotFound("collaboration", collaboration_id)
    return HistorySubject(*row)


@cache
def _history_statement(sqlite: bool, keyed: bool) -> Any:
    h = history.c
    query = (
        select(h.version, h.at, h.event, h.source, h.dest, h.actor_name, h.comment)
        .where(h.collaboration_id == bindparam("collaboration_id"))
        .order_by(h.version)
    )
    if keyed:
        query = query.where(h.version > bindparam("after_0", type_=Integer()))
    return _limited(query, sqlite)


async def history_lines(
    db: Database, scope: Scope, collaboration_id: int
) -> AsyncIterator[HistoryLine]:
    """A collaboration's state changes, oldest first (nothing outside ``scope``)."""
    visible_one = select(collaborations.c.id).where(
        collaborations.c.id == collaboration_id, visible(scope)
    )
    async with db.read() as conn:
        if (await conn.execute(visible_one)).first() is None:
            raise NotFound("collaboration", collaboration_id)
        rows = _walk(
            conn,
            db.is_sqlite,
            lambda keyed: _history_statement(db.is_sqlite, keyed),
            {"collaboration_id": collaboration_id},
            lambda row: {"after_0": row.version},
        )
        async for row in rows:
            yield HistoryLine(*row)

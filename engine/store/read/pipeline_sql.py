"""The board's SQL: card columns, filters as bind parameters, one statement per shape.

Statements are built once per *shape* (which filters are set, which kind of
scope looks) and cached; the values travel as bind parameters, so a board
request neither rebuilds nor recompiles its SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import Scope
from engine.domain.reminders import OPEN_STATUSES
from engine.store.repositories.scoping import (
    EVERYTHING_KIND,
    NETWORKS_KIND,
    scope_kind,
    scope_params,
    visible_to,
)
from engine.store.tables import (
    busy_seasons,
    collaborations,
    due_items,
    networks,
    outbox,
    partners,
    users,
)


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


def _open_rules() -> Any:
    """The rules of the card's open due items whose day has come (``today`` is bound)."""
    return (
        select(func.aggregate_strings(due_items.c.rule, " "))
        .where(
            due_items.c.collaboration_id == collaborations.c.id,
            due_items.c.status.in_([str(s) for s in OPEN_STATUSES]),
            due_items.c.due_on <= bindparam("today"),
        )
        .scalar_subquery()
    )


def _busy_seasons_text() -> Any:
    """The partner's busy seasons as text, "3/1-4/15 12/20-1/10" (parsed by the read model)."""

    def day(month: Any, day: Any) -> Any:
        return cast(month, String) + "/" + cast(day, String)

    s = busy_seasons.c
    season = day(s.start_month, s.start_day) + "-" + day(s.end_month, s.end_day)
    return (
        select(func.aggregate_strings(season, " "))
        .where(s.partner_id == collaborations.c.partner_id)
        .scalar_subquery()
    )


def card_query(base: Any = collaborations) -> Select[Any]:
    """The card's columns from ``base`` onwards; the subqueries run only for rows returned."""
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
            _open_rules().label("open_rules"),
            _busy_seasons_text().label("busy_seasons"),
        )
        .select_from(base)
        .join(networks, networks.c.id == collaborations.c.network_id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .outerjoin(users, users.c.id == collaborations.c.owner_id)
    )


@dataclass(frozen=True, slots=True)
class Shape:
    """Which clauses a board statement has. Statements are built once per shape;
    the values travel as bind parameters (see ``bind``)."""

    seeing: str
    network: bool = False
    area: bool = False
    industry: bool = False
    owner: bool = False
    entered: bool = False
    search: bool = False

    @property
    def source(self) -> Any:
        """Collaborations, joined with partners only when a filter reads a partner's column."""
        if self.area or self.industry or self.search:
            return collaborations.join(partners, partners.c.id == collaborations.c.partner_id)
        return collaborations

    def where(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses over ``source``."""
        where = [visible_to(self.seeing)]
        if self.network:
            where.append(collaborations.c.network_id == bindparam("f_network"))
        if self.area:
            where.append(partners.c.area == bindparam("f_area"))
        if self.industry:
            where.append(partners.c.industry == bindparam("f_industry"))
        if self.owner:
            where.append(collaborations.c.owner_id == bindparam("f_owner"))
        if self.entered:
            where.append(collaborations.c.state_entered_at < bindparam("f_entered"))
        if self.search:
            where.append(partners.c.name.like(bindparam("f_search"), escape="\\"))
        return where


def bind(scope: Scope, board_filter: BoardFilter) -> tuple[Shape, dict[str, Any]]:
    """The statement shape for a scope and filter, and the values to bind."""
    f = board_filter
    search = f.search.strip()
    shape = Shape(
        scope_kind(scope),
        network=f.network_id is not None,
        area=bool(f.area),
        industry=bool(f.industry),
        owner=f.owner_id is not None,
        entered=f.entered_before is not None,
        search=bool(search),
    )
    params = scope_params(scope)
    if shape.network:
        params["f_network"] = f.network_id
    if shape.area:
        params["f_area"] = f.area
    if shape.industry:
        params["f_industry"] = f.industry
    if shape.owner:
        params["f_owner"] = f.owner_id
    if shape.entered:
        params["f_entered"] = f.entered_before
    if shape.search:
        params["f_search"] = "%" + _escape_like(search) + "%"
    return shape, params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


ORDER = (collaborations.c.state_entered_at, collaborations.c.id)


@cache
def first_cards_statement(shape: Shape, states: tuple[str, ...], per_column: int) -> Any:
    """The first cards of every state.

    Each state's page is its own short index range (``LIMIT`` per state, joined
    by ``UNION ALL``), so the cost follows the cards shown, not the cards held.
    """
    pages = []
    for state in states:
        page = (
            select(collaborations.c.id)
            .select_from(shape.source)
            .where(collaborations.c.state == state, *shape.where())
            .order_by(*ORDER)
            .limit(per_column)
            .subquery()
        )
        pages.append(select(page.c.id))
    shown = union_all(*pages).subquery()
    return card_query(shown.join(collaborations, collaborations.c.id == shown.c.id)).order_by(
        collaborations.c.state, *ORDER
    )


@cache
def count_statement(shape: Shape) -> Any:
    return (
        select(collaborations.c.state, func.count())
        .select_from(shape.source)
        .where(*shape.where())
        .group_by(collaborations.c.state)
    )


@cache
def column_statement(shape: Shape) -> Any:
    return (
        card_query()
        .where(collaborations.c.state == bindparam("state"), *shape.where())
        .order_by(*ORDER)
        .offset(bindparam("offset", type_=Integer()))
        .limit(bindparam("limit", type_=Integer()))
    )


@cache
def card_statement(seeing: str) -> Any:
    return card_query().where(collaborations.c.id == bindparam("id"), visible_to(seeing))


@cache
def options_statement(seeing: str) -> Any:
    """The filter choices in one statement, as rows of (kind, id, name).

    Kinds "network" and "owner": those with a visible card; kind "area" (no
    id): the areas of partners with a visible card.
    """
    seen = visible_to(seeing)
    network_rows = select(literal("network").label("kind"), networks.c.id, networks.c.name)
    if seeing == NETWORKS_KIND:
        network_rows = network_rows.where(
            networks.c.id.in_(bindparam("scope_networks", expanding=True))
        )
    elif seeing != EVERYTHING_KIND:
        network_rows = network_rows.where(
            networks.c.id.in_(select(collaborations.c.network_id).where(seen))
        )
    names = _area_names()
    in_use = (
        select(collaborations.c.id)
        .join(partners, partners.c.id == collaborations.c.partner_id)
        .where(partners.c.area == names.c.name, seen)
        .exists()
    )
    area_rows = select(
        literal("area").label("kind"), null().label("id"), names.c.name.label("name")
    ).where(names.c.name.is_not(None), names.c.name != "", in_use)
    # EXISTS on (owner, network) stops at each user's first visible card.
    owner_rows = select(literal("owner").label("kind"), users.c.id, users.c.name).where(
        select(collaborations.c.id).where(collaborations.c.owner_id == users.c.id, seen).exists()
    )
    every = union_all(network_rows, area_rows, owner_rows).subquery()
    return select(every.c.kind, every.c.id, every.c.name).order_by(every.c.kind, every.c.name)


def _area_names() -> Any:
    """Each distinct partner area once, by a recursive walk over the area index.

    A "loose index scan": one index probe per distinct area instead of reading
    every partner, so the filter's areas cost what the area list holds.
    """
    later = partners.alias("later")
    names = select(func.min(partners.c.area).label("name")).cte("area_names", recursive=True)
    following = select(func.min(later.c.area)).where(later.c.area > names.c.name)
    return names.union_all(select(following.scalar_subquery()).where(names.c.name.is_not(None)))

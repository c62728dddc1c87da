"""The audit log as administrators read it: every write and login, newest first, filtered.

Two tables hold the trail: ``audit_log`` (logins, refusals, every write) and
``history`` (each lifecycle move, which is the audit record of a state change).
The viewer reads both as one list; a move shows as ``collaboration.<event>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, String, Text, cast, literal, null, select, union_all

from engine.clock import JST
from engine.store.database import Database
from engine.store.tables import audit_log, history, users

SYSTEM_ACTOR = 0
"""The actor filter's value for entries made by the system or an anonymous visitor."""


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to show; empty fields do not filter."""

    action: str = ""
    """An action prefix such as ``auth.`` or ``user.create``."""
    actor_id: int | None = None
    """A user id, or SYSTEM_ACTOR for entries without a logged-in user."""
    since: date | None = None
    """The first day (in Japan) to show."""
    until: date | None = None
    """The last day (in Japan) to show."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the trail."""

    at: datetime
    action: str
    entity: str
    entity_id: int | None
    actor_id: int | None
    actor_name: str
    actor_email: str | None
    detail: dict[str, Any]
    request_id: str | None = None
    """The web request (X-Request-ID) or job (``job:<id>``) that wrote the entry."""


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of entries, and whether an older page follows."""

    entries: list[AuditEntry]
    page: int
    has_next: bool


def _trail() -> Any:
    """audit_log and history as one selectable with the same columns."""
    logged = select(
        audit_log.c.at,
        literal(0).label("source"),
        audit_log.c.id.label("row_id"),
        audit_log.c.actor_id,
        audit_log.c.action,
        audit_log.c.entity,
        audit_log.c.entity_id,
        audit_log.c.detail,
        cast(null(), String).label("actor_name"),
        cast(null(), String).label("from_state"),
        cast(null(), String).label("to_state"),
        cast(null(), Text).label("comment"),
        audit_log.c.request_id,
    )
    moved = select(
        history.c.at,
        literal(1).label("source"),
        history.c.id.label("row_id"),
        history.c.actor_id,
        (literal("collaboration.", String) + history.c.event).label("action"),
        literal("collaboration", String).label("entity"),
        history.c.collaboration_id.label("entity_id"),
        cast(null(), JSON).label("detail"),
        history.c.actor_name,
        history.c.source.label("from_state"),
        history.c.dest.label("to_state"),
        history.c.comment,
        history.c.request_id,
    )
    return union_all(logged, moved).subquery("trail")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), JST)


async def audit_page(
    db: Database, wanted: AuditFilter, page: int = 1, per_page: int = 50
) -> AuditPage:
    """Page ``page`` (from 1) of the entries matching ``wanted``, newest first."""
    page = max(page, 1)
    trail = _trail()
    query = (
        select(trail, users.c.name.label("user_name"), users.c.email.label("user_email"))
        .outerjoin(users, users.c.id == trail.c.actor_id)
        .order_by(trail.c.at.desc(), trail.c.source.desc(), trail.c.row_id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    if wanted.action:
        query = query.where(trail.c.action.startswith(wanted.action.strip(), autoescape=True))
    if wanted.actor_id == SYSTEM_ACTOR:
        query = query.where(trail.c.actor_id.is_(None))
    elif wanted.actor_id is not None:
        query = query.where(trail.c.actor_id == wanted.actor_id)
    if wanted.since is not None:
        query = query.where(trail.c.at >= _day_start(wanted.since))
    if wanted.until is not None:
        query = query.where(trail.c.at < _day_start(wanted.until + timedelta(days=1)))
    async with db.read() as conn:
        rows = list(await conn.execute(query))
    return AuditPage([_entry(row) for row in rows[:per_page]], page, len(rows) > per_page)


def _entry(row: Any) -> AuditEntry:
    if row.detail is not None:  # an audit_log entry
        detail = dict(row.detail)
        name = detail.pop("actor", "")
    else:  # a lifecycle move from the history
        detail = {"from": row.from_state, "to": row.to_state}
        if row.comment:
            detail["comment"] = row.comment
        name = row.actor_name
    return AuditEntry(
        at=row.at,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        actor_id=row.actor_id,
        actor_name=row.user_name or name,
        actor_email=row.user_email,
        detail=detail,
        request_id=row.request_id,
    )

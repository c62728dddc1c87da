"""Loading a collaboration's whole file in one statement.

The collaboration and its one-to-one records are joined; its lists (activities,
KPIs, checkpoints, measurements, contacts, busy seasons, approvals) come back as JSON
arrays built by the database. One round trip instead of a dozen matters on
SQLite, where every statement is a hop to the driver's thread. The statement
is built once per dialect and lock mode.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import JSON, Select, bindparam, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import EVERYTHING, Scope
from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Approval,
    Checkpoint,
    Collaboration,
    CollaborationFile,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.domain.partner import BusySeason, Contact, Industry, Partner
from engine.errors import NotFound
from engine.store.repositories.directory import network_from_mapping
from engine.store.repositories.scoping import visible
from engine.store.tables import (
    activities,
    approvals,
    busy_seasons,
    checkpoints,
    collaborations,
    contacts,
    evaluations,
    kpis,
    measurements,
    memoranda,
    networks,
    partners,
    plans,
    renewals,
    scorecards,
)

T = TypeVar("T")
ONE_TO_ONE = (
    collaborations,
    networks,
    partners,
    scorecards,
    memoranda,
    plans,
    evaluations,
    renewals,
)
ACTIVITY_COLUMNS = (
    "id",
    "kind",
    "occurred_on",
    "summary",
    "agenda",
    "minutes",
    "decisions",
    "duration_minutes",
    "participants",
    "created_by",
)


async def load_file(
    conn: AsyncConnection, collaboration_id: int, *, lock: bool = False, scope: Scope = EVERYTHING
) -> CollaborationFile:
    """Everything the guards and timing rules look at, for the current cycle.

    A collaboration outside ``scope`` is reported as not found, exactly like
    one that does not exist.
    """
    query = _file_query(conn.dialect.name, lock)
    if not scope.everything:
        query = query.where(visible(scope))
    row = (await conn.execute(query, {"collaboration_id": collaboration_id})).first()
    if row is None:
        raise NotFound("collaboration", collaboration_id)
    parts = _split(row._mapping)
    lists = parts.pop("lists")
    plan = None
    if parts["plans"]["id"] is not None:
        plan = Plan(
            **_fields(Plan, parts["plans"]),
            kpis=tuple(
                sorted(
                    (Kpi(n, u, t, id=i) for i, n, u, t in _rows(lists["kpis"])),
                    key=lambda k: k.id or 0,
                )
            ),
            checkpoints=tuple(
                sorted(
                    (
                        Checkpoint(_day(d), label, id=i)
                        for i, d, label in _rows(lists["checkpoints"])
                    ),
                    key=lambda c: (c.due_on, c.id or 0),
                )
            ),
        )
    partner = parts["partners"]
    return CollaborationFile(
        collaboration=Collaboration(**_fields(Collaboration, parts["collaborations"])),
        partner=Partner(
            **_fields(Partner, partner),
            contacts=tuple(
                sorted(
                    (Contact(n, t, e, p, id=i) for i, n, t, e, p in _rows(lists["contacts"])),
                    key=lambda c: c.id or 0,
                )
            ),
            busy_seasons=tuple(
                BusySeason((sm, sd), (em, ed), note)
                for _, sm, sd, em, ed, note in sorted(_rows(lists["seasons"]))
            ),
        ),
        network=network_from_mapping(parts["networks"]),
        activities=tuple(
            sorted(
                (_activity(collaboration_id, values) for values in _rows(lists["activities"])),
                key=lambda a: (a.occurred_on, a.id or 0),
                reverse=True,
            )
        ),
        scorecard=_optional(Scorecard, parts["scorecards"]),
        memorandum=_optional(Memorandum, parts["memoranda"]),
        plan=plan,
        measurements=tuple(
            sorted(
                (
                    Measurement(k, _day(s), _day(e), v, note, src, id=i)
                    for i, k, s, e, v, note, src in _rows(lists["measurements"])
                ),
                key=lambda m: (m.period_start, m.id or 0),
            )
        ),
        evaluation=_optional(Evaluation, parts["evaluations"]),
        renewal=_optional(Renewal, parts["renewals"]),
        approvals=tuple(
            Approval(kind, cycle, by, name, _moment(at), note)
            for _, kind, cycle, by, name, at, note in sorted(_rows(lists["approvals"]))
        ),
    )


@cache
def _file_query(dialect: str, lock: bool) -> Select[Any]:
    c = collaborations
    as_list = _json_list(dialect)
    lists = {
        "activities": as_list(
            activities,
            activities.c.collaboration_id == c.c.id,
            *(activities.c[name] for name in ACTIVITY_COLUMNS),
        ),
        "kpis": as_list(
            kpis, kpis.c.plan_id == plans.c.id, kpis.c.id, kpis.c.name, kpis.c.unit, kpis.c.target
        ),
        "checkpoints": as_list(
            checkpoints,
            checkpoints.c.plan_id == plans.c.id,
            checkpoints.c.id,
            checkpoints.c.due_on,
            checkpoints.c.label,
        ),
        "measurements": as_list(
            measurements.join(kpis, kpis.c.id == measurements.c.kpi_id),
            kpis.c.plan_id == plans.c.id,
            measurements.c.id,
            measurements.c.kpi_id,
            measurements.c.period_start,
            measurements.c.period_end,
            measurements.c.value,
            measurements.c.note,
            measurements.c.source,
        ),
        "contacts": as_list(
            contacts,
            contacts.c.partner_id == partners.c.id,
            contacts.c.id,
            contacts.c.name,
            contacts.c.title,
            contacts.c.email,
            contacts.c.phone,
        ),
        "approvals": as_list(
            approvals,
            approvals.c.collaboration_id == c.c.id,
            approvals.c.id,
            approvals.c.kind,
            approvals.c.cycle,
            approvals.c.approved_by,
            approvals.c.approver_name,
            approvals.c.approved_at,
            approvals.c.note,
        ),
        "seasons": as_list(
            busy_seasons,
            busy_seasons.c.partner_id == partners.c.id,
            busy_seasons.c.id,
            busy_seasons.c.start_month,
            busy_seasons.c.start_day,
            busy_seasons.c.end_month,
            busy_seasons.c.end_day,
            busy_seasons.c.note,
        ),
    }
    query = (
        select(
            *(col.label(f"{t.name}__{col.name}") for t in ONE_TO_ONE for col in t.c),
            *(expr.label(f"lists__{name}") for name, expr in lists.items()),
        )
        .select_from(c)
        .join(networks, networks.c.id == c.c.network_id)
        .join(partners, partners.c.id == c.c.partner_id)
        .outerjoin(scorecards, scorecards.c.collaboration_id == c.c.id)
        .outerjoin(memoranda, memoranda.c.collaboration_id == c.c.id)
        .outerjoin(plans, (plans.c.collaboration_id == c.c.id) & (plans.c.cycle == c.c.cycle))
        .outerjoin(
            evaluations,
            (evaluations.c.collaboration_id == c.c.id) & (evaluations.c.cycle == c.c.cycle),
        )
        .outerjoin(
            renewals, (renewals.c.collaboration_id == c.c.id) & (renewals.c.cycle == c.c.cycle)
        )
        .where(c.c.id == bindparam("collaboration_id"))
    )
    # Lock only the collaboration row: every write to its records takes this lock first.
    return query.with_for_update(of=c) if lock else query


def _json_list(dialect: str) -> Callable[..., ColumnElement[Any]]:
    """A correlated subquery giving the matching rows as a JSON array of arrays."""
    if dialect == "postgresql":
        aggregate, row = func.json_agg, func.json_build_array
    else:
        aggregate, row = func.json_group_array, func.json_array

    def as_list(source: Any, where: ColumnElement[bool], *columns: Any) -> ColumnElement[Any]:
        subquery = select(aggregate(row(*columns))).select_from(source).where(where)
        return type_coerce(subquery.scalar_subquery(), JSON)

    return as_list


def _split(mapping: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    parts: dict[str, dict[str, Any]] = {t.name: {} for t in ONE_TO_ONE}
    parts["lists"] = {}
    for key, value in mapping.items():
        table, column = key.split("__", 1)
        parts[table][column] = value
    return parts


def _fields(kind: type, values: Mapping[str, Any]) -> dict[str, Any]:
    names = kind.__dataclass_fields__  # type: ignore[attr-defined]
    found = {k: v for k, v in values.items() if k in names}
    if kind is Partner:
        found["industry"] = Industry(found["industry"])
    found.pop("kpis", None)
    found.pop("checkpoints", None)
    found.pop("contacts", None)
    found.pop("busy_seasons", None)
    return found


def _optional(kind: type[T], values: Mapping[str, Any]) -> T | None:
    return None if values["version"] is None else kind(**_fields(kind, values))


def _rows(value: list[list[Any]] | None) -> list[list[Any]]:
    return value or []  # PostgreSQL's json_agg gives NULL for no rows


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _moment(value: str | datetime) -> datetime:
    # SQLite hands back the stored naive UTC text, PostgreSQL an ISO time with its offset.
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _activity(collaboration_id: int, values: list[Any]) -> Activity:
    fields = dict(zip(ACTIVITY_COLUMNS, values, strict=True))
    return Activity(
        collaboration_id=collaboration_id,
        **{
            **fields,
            "kind": ActivityKind(fields["kind"]),
            "occurred_on": _day(fields["occurred_on"]),
        },
    )

"""What a partner sees of its own collaborations: a read model without the municipality's notes.

Only facts the partner shares with the municipality are copied out of the
records: the stage, the plan's terms, KPIs and figures, upcoming meetings and
checkpoints. Scorecards, approvals, due items, history comments and staff
e-mail addresses never enter these objects, so no template can show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.clock import Clock, local_date
from engine.domain.access import Scope
from engine.domain.collaboration import CollaborationFile
from engine.errors import NotFound
from engine.store.database import Database
from engine.store.repositories.scoping import visible
from engine.store.repositories.snapshot import load_file
from engine.store.tables import collaborations, kpis, measurements, networks, partners, plans, users


@dataclass(frozen=True, slots=True)
class Figure:
    """A reported KPI value for a period, and who reported it."""

    id: int
    kpi_id: int
    period_start: date
    period_end: date
    value: float
    note: str
    from_partner: bool
    reporter: str
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class KpiStatus:
    """A KPI of the current plan with its target and the figures reported so far."""

    id: int
    name: str
    unit: str
    target: float
    figures: tuple[Figure, ...] = ()  # the latest period first

    @property
    def total(self) -> float:
        """The sum of every reported figure (KPIs count activity over successive periods)."""
        return sum(f.value for f in self.figures)

    @property
    def latest(self) -> Figure | None:
        """The figure for the most recent period, if any."""
        return self.figures[0] if self.figures else None

    @property
    def percent(self) -> int:
        """The total as a share of the target, in whole percent."""
        return round(100 * self.total / self.target) if self.target > 0 else 0


@dataclass(frozen=True, slots=True)
class Milestone:
    """A coming date that concerns the partner: a meeting, a checkpoint, the pilot, a review."""

    on: date
    kind: str  # meeting, checkpoint, pilot_start, pilot_end or review
    label: str = ""  # the meeting's title or the checkpoint's name


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """The parts of the plan both sides agreed on: term, benefits, roles and burden."""

    starts_on: date | None
    ends_on: date | None
    partner_benefit: str
    partner_role: str
    partner_burden: str
    municipality_role: str


@dataclass(frozen=True, slots=True)
class PortalCollaboration:
    """One collaboration as its partner sees it."""

    id: int
    state: str
    cycle: int
    network_name: str
    municipality: str
    partner_name: str
    owner_name: str | None
    state_entered_at: datetime
    plan: PlanTerms | None
    kpis: tuple[KpiStatus, ...]
    milestones: tuple[Milestone, ...]  # from today on, soonest first

    @property
    def next_milestone(self) -> Milestone | None:
        """The soonest coming date."""
        return self.milestones[0] if self.milestones else None


class Portal:
    """A partner's collaborations, read within the viewer's scope."""

    def __init__(self, db: Database, clock: Clock, scope: Scope) -> None:
        self.db = db
        self.clock = clock
        self.scope = scope

    async def collaborations(self) -> list[PortalCollaboration]:
        """Every collaboration in the scope, by network."""
        today = local_date(self.clock.now())
        query = _HEADER.where(visible(self.scope)).order_by(networks.c.name, collaborations.c.id)
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
            return [await self._view(conn, row, today) for row in rows]

    async def collaboration(self, collaboration_id: int) -> PortalCollaboration:
        """One collaboration; NotFound when it does not exist or is outside the scope."""
        today = local_date(self.clock.now())
        query = _HEADER.where(visible(self.scope), collaborations.c.id == collaboration_id)
        async with self.db.read() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                raise NotFound("collaboration", collaboration_id)
            return await self._view(conn, row, today)

    async def _view(self, conn: AsyncConnection, row: Row[Any], today: date) -> PortalCollaboration:
        file = await load_file(conn, row.id, scope=self.scope)
        figures = await self._figures(conn, file.plan.id) if file.plan and file.plan.id else []
        plan = file.plan
        return PortalCollaboration(
            id=row.id,
            state=row.state,
            cycle=row.cycle,
            network_name=row.network_name,
            municipality=row.municipality,
            partner_name=row.partner_name,
            owner_name=row.owner_name,
            state_entered_at=row.state_entered_at,
            plan=None
            if plan is None
            else PlanTerms(
                plan.starts_on,
                plan.ends_on,
                plan.partner_benefit,
                plan.partner_role,
                plan.partner_burden,
                plan.municipality_role,
            ),
            kpis=tuple(
                KpiStatus(
                    k.id,
                    k.name,
                    k.unit,
                    k.target,
                    tuple(f for f in figures if f.kpi_id == k.id),
                )
                for k in (plan.kpis if plan else ())
                if k.id is not None
            ),
            milestones=_milestones(file, today),
        )

    async def _figures(self, conn: AsyncConnection, plan_id: int) -> list[Figure]:
        query = (
            select(
                measurements.c.id,
                measurements.c.kpi_id,
                measurements.c.period_start,
                measurements.c.period_end,
                measurements.c.value,
                measurements.c.note,
                measurements.c.source,
                users.c.name.label("reporter"),
                measurements.c.reported_at,
            )
            .join(kpis, kpis.c.id == measurements.c.kpi_id)
            .join(plans, plans.c.id == kpis.c.plan_id)
            .join(collaborations, collaborations.c.id == plans.c.collaboration_id)
            .outerjoin(users, users.c.id == measurements.c.reported_by)
            .where(plans.c.id == plan_id, visible(self.scope))
            .order_by(measurements.c.period_end.desc(), measurements.c.id.desc())
        )
        return [
            Figure(
                r.id,
                r.kpi_id,
                r.period_start,
                r.period_end,
                r.value,
                r.note,
                r.source == "partner",
                r.reporter or "",
                r.reported_at,
            )
            for r in await conn.execute(query)
        ]


_HEADER = (
    select(
        collaborations.c.id,
        collaborations.c.state,
        collaborations.c.cycle,
        collaborations.c.state_entered_at,
        networks.c.name.label("network_name"),
        networks.c.municipality,
        partners.c.name.label("partner_name"),
        users.c.name.label("owner_name"),
    )
    .join(networks, networks.c.id == collaborations.c.network_id)
    .join(partners, partners.c.id == collaborations.c.partner_id)
    .outerjoin(users, users.c.id == collaborations.c.owner_id)
)


def _milestones(file: CollaborationFile, today: date) -> tuple[Milestone, ...]:
    """Dates from today on that the partner takes part in, soonest first."""
    found = [
        Milestone(a.occurred_on, "meeting", a.summary)
        for a in file.activities
        if a.occurred_on >= today
    ]
    plan = file.plan
    # Once the cycle is evaluated its pilot is over: its checkpoints no longer lie ahead.
    if plan is not None and file.evaluation is None:
        found += [Milestone(c.due_on, "checkpoint", c.label) for c in plan.checkpoints]
        if plan.starts_on is not None:
            found.append(Milestone(plan.starts_on, "pilot_start"))
        if plan.ends_on is not None:
            found.append(Milestone(plan.ends_on, "pilot_end"))
    review = file.renewal.review_on if file.renewal else None
    if review is not None:
        found.append(Milestone(review, "review"))
    return tuple(sorted((m for m in found if m.on >= today), key=lambda m: (m.on, m.kind)))

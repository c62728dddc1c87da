"""The records a collaboration accumulates, and the snapshot the guards read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.access import EVERYTHING, Scope
from engine.domain.collaboration import (
    Activity,
    Checkpoint,
    CollaborationFile,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.store.repositories.snapshot import load_file
from engine.store.repositories.versioned import save_versioned
from engine.store.tables import (
    activities,
    checkpoints,
    evaluations,
    kpis,
    measurements,
    memoranda,
    plans,
    renewals,
    scorecards,
)

T = TypeVar("T")

PLAN_TEXT = (
    "partner_benefit",
    "municipality_benefit",
    "partner_role",
    "municipality_role",
    "partner_burden",
    "municipality_burden",
)


def _fields(record: Any, *drop: str) -> dict[str, Any]:
    return {k: v for k, v in asdict(record).items() if k not in drop}


class Records:
    """Versioned writes of a collaboration's records, and loading its whole file."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add_activity(self, activity: Activity, now: datetime) -> Activity:
        """Log a contact or meeting."""
        values = _fields(activity, "id")
        values["kind"] = str(activity.kind)
        result = await self.conn.execute(insert(activities).values(**values, created_at=now))
        return Activity(**{**asdict(activity), "id": result.inserted_primary_key[0]})

    async def save_scorecard(self, collaboration_id: int, card: Scorecard) -> int:
        """Create or update the scorecard; returns its new version."""
        return await save_versioned(
            self.conn,
            scorecards,
            scorecards.c.collaboration_id == collaboration_id,
            {"collaboration_id": collaboration_id},
            card.version,
            _fields(card, "version"),
        )

    async def save_memorandum(self, collaboration_id: int, memo: Memorandum) -> int:
        """Create or update the memorandum; returns its new version."""
        return await save_versioned(
            self.conn,
            memoranda,
            memoranda.c.collaboration_id == collaboration_id,
            {"collaboration_id": collaboration_id},
            memo.version,
            _fields(memo, "version"),
        )

    async def save_plan(self, collaboration_id: int, plan: Plan) -> Plan:
        """Create or update the plan of a cycle with its KPIs and checkpoints.

        KPIs keep their ids when they are kept (so their measurements stay with
        them); KPIs left out are removed with their measurements.
        """
        where = (plans.c.collaboration_id == collaboration_id) & (plans.c.cycle == plan.cycle)
        values = {name: getattr(plan, name) for name in PLAN_TEXT}
        values.update(starts_on=plan.starts_on, ends_on=plan.ends_on)
        version = await save_versioned(
            self.conn,
            plans,
            where,
            {"collaboration_id": collaboration_id, "cycle": plan.cycle},
            plan.version,
            values,
        )
        plan_id = (await self.conn.execute(select(plans.c.id).where(where))).scalar_one()
        await self._replace_kpis(plan_id, plan.kpis)
        await self.conn.execute(delete(checkpoints).where(checkpoints.c.plan_id == plan_id))
        if plan.checkpoints:
            await self.conn.execute(
                insert(checkpoints),
                [
                    {"plan_id": plan_id, "due_on": c.due_on, "label": c.label}
                    for c in plan.checkpoints
                ],
            )
        saved = await self.plan(collaboration_id, plan.cycle)
        assert saved is not None and saved.version == version
        return saved

    async def _replace_kpis(self, plan_id: int, wanted: tuple[Kpi, ...]) -> None:
        kept = {k.id for k in wanted if k.id is not None}
        existing = set(
            (await self.conn.execute(select(kpis.c.id).where(kpis.c.plan_id == plan_id))).scalars()
        )
        gone = existing - kept
        if gone:
            await self.conn.execute(delete(kpis).where(kpis.c.id.in_(gone)))
        for kpi in wanted:
            values = {"name": kpi.name, "unit": kpi.unit, "target": kpi.target}
            if kpi.id in existing:
                await self.conn.execute(kpis.update().where(kpis.c.id == kpi.id).values(**values))
            else:
                await self.conn.execute(insert(kpis).values(plan_id=plan_id, **values))

    async def plan(self, collaboration_id: int, cycle: int) -> Plan | None:
        """The plan of a cycle with its KPIs and checkpoints."""
        row = (
            await self.conn.execute(
                select(plans).where(
                    plans.c.collaboration_id == collaboration_id, plans.c.cycle == cycle
                )
            )
        ).first()
        return None if row is None else await self._plan_from(row._mapping)

    async def _plan_from(self, row: Mapping[str, Any]) -> Plan:
        kpi_rows = await self.conn.execute(
            select(kpis).where(kpis.c.plan_id == row["id"]).order_by(kpis.c.id)
        )
        checkpoint_rows = await self.conn.execute(
            select(checkpoints)
            .where(checkpoints.c.plan_id == row["id"])
            .order_by(checkpoints.c.due_on)
        )
        return Plan(
            cycle=row["cycle"],
            **{name: row[name] for name in PLAN_TEXT},
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            kpis=tuple(Kpi(k.name, k.unit, k.target, id=k.id) for k in kpi_rows),
            checkpoints=tuple(Checkpoint(c.due_on, c.label, id=c.id) for c in checkpoint_rows),
            id=row["id"],
            version=row["version"],
        )

    async def add_measurement(
        self, measurement: Measurement, reported_by: int | None, now: datetime
    ) -> Measurement:
        """Record a KPI value for a period."""
        values = _fields(measurement, "id")
        result = await self.conn.execute(
            insert(measurements).values(**values, reported_by=reported_by, reported_at=now)
        )
        return Measurement(**{**asdict(measurement), "id": result.inserted_primary_key[0]})

    async def save_evaluation(self, collaboration_id: int, evaluation: Evaluation) -> int:
        """Create or update the evaluation of a cycle; returns its new version."""
        return await save_versioned(
            self.conn,
            evaluations,
            (evaluations.c.collaboration_id == collaboration_id)
            & (evaluations.c.cycle == evaluation.cycle),
            {"collaboration_id": collaboration_id, "cycle": evaluation.cycle},
            evaluation.version,
            _fields(evaluation, "version", "cycle"),
        )

    async def save_renewal(self, collaboration_id: int, renewal: Renewal) -> int:
        """Create or update the renewal decision of a cycle; returns its new version."""
        return await save_versioned(
            self.conn,
            renewals,
            (renewals.c.collaboration_id == collaboration_id) & (renewals.c.cycle == renewal.cycle),
            {"collaboration_id": collaboration_id, "cycle": renewal.cycle},
            renewal.version,
            _fields(renewal, "version", "cycle"),
        )

    async def load_file(
        self, collaboration_id: int, *, lock: bool = False, scope: Scope = EVERYTHING
    ) -> CollaborationFile:
        """Everything the guards look at, for the current cycle; NotFound outside ``scope``."""
        return await load_file(self.conn, collaboration_id, lock=lock, scope=scope)

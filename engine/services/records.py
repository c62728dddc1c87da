"""Recording what happens in a collaboration: contacts, memo, plan, figures, decisions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar

from engine.clock import local_date
from engine.domain.access import EVERYTHING, Scope
from engine.domain.collaboration import (
    Activity,
    Approval,
    CollaborationFile,
    Comment,
    Evaluation,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.domain.users import Actor
from engine.errors import InvalidInput
from engine.i18n import N_
from engine.services.context import Context, refresh_due_items
from engine.store.repositories.discussion import Discussion
from engine.store.uow import UnitOfWork, reading, writing

T = TypeVar("T")


class RecordService:
    """Writes of a collaboration's records, each locked, audited and followed by due items."""

    def __init__(self, ctx: Context, scope: Scope = EVERYTHING) -> None:
        self.ctx = ctx
        self.scope = scope

    async def _write(
        self,
        collaboration_id: int,
        actor: Actor,
        action: str,
        write: Callable[[UnitOfWork, CollaborationFile, datetime], Awaitable[T]],
        activity_on: date | None = None,
    ) -> T:
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            file = await uow.records.load_file(collaboration_id, lock=True, scope=self.scope)
            result = await write(uow, file, now)
            if activity_on is not None:
                await uow.collaborations.touch(collaboration_id, min(activity_on, local_date(now)))
            await uow.audit.record(now, actor, action, "collaboration", collaboration_id)
            after = await uow.records.load_file(collaboration_id)
            await refresh_due_items(self.ctx, uow, after, now, before=file)
        return result

    async def log_activity(self, activity: Activity, actor: Actor) -> Activity:
        """Log a phone call, letter, visit, hearing or consultation meeting."""
        activity.validate(local_date(self.ctx.clock.now()))

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> Activity:
            return await uow.records.add_activity(replace(activity, created_by=actor.id), now)

        return await self._write(
            activity.collaboration_id,
            actor,
            f"activity.{activity.kind}",
            write,
            activity_on=activity.occurred_on,
        )

    async def save_scorecard(self, collaboration_id: int, card: Scorecard, actor: Actor) -> int:
        """Save the candidate scorecard; returns its new version."""
        card.validate()

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> int:
            return await uow.records.save_scorecard(collaboration_id, card)

        return await self._write(collaboration_id, actor, "scorecard.save", write)

    async def save_memorandum(self, collaboration_id: int, memo: Memorandum, actor: Actor) -> int:
        """Save the memorandum's signing details; returns its new version."""
        memo.validate(local_date(self.ctx.clock.now()))

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> int:
            return await uow.records.save_memorandum(collaboration_id, memo)

        return await self._write(
            collaboration_id, actor, "memorandum.save", write, activity_on=memo.signed_on
        )

    async def save_plan(self, collaboration_id: int, plan: Plan, actor: Actor) -> Plan:
        """Save the current cycle's plan with its KPIs and checkpoints."""
        plan.validate()

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> Plan:
            if plan.cycle != file.collaboration.cycle:
                raise InvalidInput({"cycle": N_("Only the current cycle's plan can be changed.")})
            return await uow.records.save_plan(collaboration_id, plan)

        return await self._write(collaboration_id, actor, "plan.save", write)

    async def record_measurement(
        self, collaboration_id: int, measurement: Measurement, actor: Actor
    ) -> Measurement:
        """Record a measured KPI value of the current plan."""
        measurement.validate(local_date(self.ctx.clock.now()))

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> Measurement:
            if file.plan is None or measurement.kpi_id not in {k.id for k in file.plan.kpis}:
                raise InvalidInput({"kpi_id": N_("Choose a KPI of the current plan.")})
            return await uow.records.add_measurement(measurement, actor.id, now)

        return await self._write(
            collaboration_id, actor, "measurement.add", write, activity_on=measurement.period_end
        )

    async def save_evaluation(
        self, collaboration_id: int, evaluation: Evaluation, actor: Actor
    ) -> int:
        """Save the current cycle's evaluation; returns its new version."""
        evaluation.validate(local_date(self.ctx.clock.now()))

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> int:
            if evaluation.cycle != file.collaboration.cycle:
                raise InvalidInput({"cycle": N_("Only the current cycle can be evaluated.")})
            return await uow.records.save_evaluation(collaboration_id, evaluation)

        return await self._write(collaboration_id, actor, "evaluation.save", write)

    async def save_renewal(self, collaboration_id: int, renewal: Renewal, actor: Actor) -> int:
        """Save the current cycle's renewal decision; returns its new version."""
        renewal.validate(local_date(self.ctx.clock.now()))

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> int:
            if renewal.cycle != file.collaboration.cycle:
                raise InvalidInput({"cycle": N_("Only the current cycle can be renewed.")})
            return await uow.records.save_renewal(collaboration_id, renewal)

        return await self._write(collaboration_id, actor, "renewal.save", write)

    async def approve(self, collaboration_id: int, kind: str, actor: Actor, note: str = "") -> bool:
        """Record a manager's approval for the current cycle; False if already approved."""

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> bool:
            approval = Approval(kind, file.collaboration.cycle, actor.id, actor.name, now, note)
            approval.validate()
            return await Discussion(uow.conn).approve(collaboration_id, approval)

        return await self._write(collaboration_id, actor, f"approval.{kind}", write)

    async def comment(
        self, collaboration_id: int, body: str, actor: Actor, *, from_partner: bool = False
    ) -> Comment:
        """Add a comment (from the portal when ``from_partner``); it counts as contact."""
        now = self.ctx.clock.now()
        comment = Comment(collaboration_id, actor.id, actor.name, now, body, from_partner)
        comment.validate()

        async def write(uow: UnitOfWork, file: CollaborationFile, now: datetime) -> Comment:
            return await Discussion(uow.conn).add_comment(comment)

        return await self._write(
            collaboration_id, actor, "comment.add", write, activity_on=local_date(now)
        )

    async def comments(self, collaboration_id: int) -> list[Comment]:
        """A collaboration's comments, newest first (NotFound outside the scope)."""
        async with reading(self.ctx.db) as uow:
            await uow.collaborations.get(collaboration_id, scope=self.scope)
            return await Discussion(uow.conn).comments(collaboration_id)

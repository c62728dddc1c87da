"""The steps of a script: one service call each, leaving one audit entry each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from mimamori.demo.runner import Actors, Runner


@dataclass(frozen=True, slots=True)
class Step:
    """One dated service call in a collaboration's script."""

    day: date

    @property
    def audit(self) -> str:
        """The audit action (or ``event.<name>`` history entry) the step leaves behind."""
        raise NotImplementedError

    async def run(self, r: Runner, actors: Actors) -> None:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Create(Step):
    audit = "collaboration.create"

    async def run(self, r: Runner, actors: Actors) -> None:
        record = await r.collaborations.add_candidate(
            r.network_id, r.partner_id, actors.owner, owner_id=actors.owner.id
        )
        assert record.id is not None
        r.created(record.id, record.version)


@dataclass(frozen=True, slots=True)
class Log(Step):
    kind: ActivityKind
    summary: str
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""
    duration: int | None = None
    participants: str = ""
    occurs_on: date | None = None
    """The meeting day when it is scheduled ahead; otherwise the step's day."""

    @property
    def audit(self) -> str:
        return f"activity.{self.kind}"

    async def run(self, r: Runner, actors: Actors) -> None:
        assert r.cid is not None
        activity = Activity(
            None,
            r.cid,
            self.kind,
            self.occurs_on or self.day,
            self.summary,
            agenda=self.agenda,
            minutes=self.minutes,
            decisions=self.decisions,
            duration_minutes=self.duration,
            participants=self.participants,
        )
        await r.records.log_activity(activity, actors.owner)


@dataclass(frozen=True, slots=True)
class SaveScorecard(Step):
    card: Scorecard
    audit = "scorecard.save"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        card = replace(self.card, version=r.versions["scorecard"])
        r.versions["scorecard"] = await r.records.save_scorecard(cid, card, actors.owner)


@dataclass(frozen=True, slots=True)
class SaveMemo(Step):
    memo: Memorandum
    signed: bool
    audit = "memorandum.save"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        memo = replace(
            self.memo,
            signed_on=self.day if self.signed else None,
            version=r.versions["memorandum"],
        )
        r.versions["memorandum"] = await r.records.save_memorandum(cid, memo, actors.owner)


@dataclass(frozen=True, slots=True)
class AssignPlanner(Step):
    planner: str
    audit = "collaboration.assign"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        assert r.version is not None
        record = await r.collaborations.assign(
            cid, expected_version=r.version, actor=actors.owner, planner=self.planner
        )
        r.version = record.version


@dataclass(frozen=True, slots=True)
class SavePlan(Step):
    plan: Plan
    cycle: int
    kpis: tuple[tuple[str, str, float], ...] | None
    """(name, unit, target); None keeps the KPIs the plan has."""
    audit = "plan.save"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        if self.kpis is None:
            kpis = tuple(r.kpis.values())
        else:
            kpis = tuple(
                Kpi(name, unit, target, id=r.kpis[name].id if name in r.kpis else None)
                for name, unit, target in self.kpis
            )
        plan = replace(self.plan, cycle=self.cycle, kpis=kpis, version=r.versions["plan"])
        saved = await r.records.save_plan(cid, plan, actors.owner)
        r.versions["plan"] = saved.version
        r.kpis = {k.name: k for k in saved.kpis}


@dataclass(frozen=True, slots=True)
class Measure(Step):
    kpi: str
    period_start: date
    period_end: date
    value: float
    note: str
    source: str
    audit = "measurement.add"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        measurement = Measurement(
            r.kpis[self.kpi].id,  # type: ignore[arg-type]
            self.period_start,
            min(self.period_end, self.day),
            self.value,
            note=self.note,
            source=self.source,
        )
        await r.records.record_measurement(cid, measurement, actors.owner)


@dataclass(frozen=True, slots=True)
class SaveEvaluation(Step):
    cycle: int
    went_well: str
    to_improve: str
    audit = "evaluation.save"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        evaluation = Evaluation(
            self.cycle, self.day, self.went_well, self.to_improve, r.versions["evaluation"]
        )
        r.versions["evaluation"] = await r.records.save_evaluation(cid, evaluation, actors.owner)


@dataclass(frozen=True, slots=True)
class SaveRenewal(Step):
    cycle: int
    approved_by: str
    years: int
    approved: bool
    audit = "renewal.save"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        renewal = Renewal(
            self.cycle,
            approved_on=self.day if self.approved else None,
            approved_by=self.approved_by,
            term_years=self.years,
            starts_on=self.day if self.approved else None,
            version=r.versions["renewal"],
        )
        r.versions["renewal"] = await r.records.save_renewal(cid, renewal, actors.owner)


@dataclass(frozen=True, slots=True)
class Approve(Step):
    """A manager approves signing the memorandum or the renewal."""

    kind: str
    note: str = ""

    @property
    def audit(self) -> str:
        return f"approval.{self.kind}"

    async def run(self, r: Runner, actors: Actors) -> None:
        await r.records.approve(await r.ready(), self.kind, actors.approver, self.note)


@dataclass(frozen=True, slots=True)
class Fire(Step):
    event: str
    comment: str = ""
    by_approver: bool = False

    @property
    def audit(self) -> str:
        return f"event.{self.event}"

    async def run(self, r: Runner, actors: Actors) -> None:
        cid = await r.ready()
        assert r.version is not None
        moved = await r.collaborations.fire(
            cid,
            self.event,
            expected_version=r.version,
            actor=actors.approver if self.by_approver else actors.owner,
            comment=self.comment,
        )
        r.version = moved.collaboration.version
        if "new_cycle" in r.ctx.workflow.events[self.event].effects:
            r.version = None  # the next cycle starts from a carried-over plan: read it

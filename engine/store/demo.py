"""A fictional demo dataset, made by walking collaborations through the real services.

``seed_demo`` creates two watch networks of the made-up prefecture 架空県, their
staff, about thirty partner organisations and a collaboration in every state of
the lifecycle. Each collaboration is told as a story (``demo_data.STORIES``):
the events it went through and how long it has been in its final state. The
story is laid out backwards from the seeding day, turned into a script of
dated steps (log a call, save the scorecard, fire an event...) and played with
a ``FixedClock`` that moves forward with the steps, so every record, history
entry, audit entry and due item looks as if coordinators had done the work
over months and years. Nothing is dated after the day before ``today``, except
consultation meetings that are scheduled ahead on purpose.

Running it again creates nothing twice: networks, users and partners are found
by name or e-mail, and a collaboration that exists is compared with its script
through the audit log (one entry per step). A collaboration left half-way by an
interrupted run is completed from where it stopped; one that was changed by
hand is left as it is.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from engine.calendar import BusinessCalendar, add_months
from engine.clock import JST, FixedClock
from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Checkpoint,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.domain.network import Network
from engine.domain.partner import BusySeason, Contact, Partner
from engine.domain.users import SYSTEM, Actor, User
from engine.errors import EngineError
from engine.store.database import Database
from engine.store.demo_data import (
    CONSULTATIONS,
    INDUSTRY_TEXTS,
    MEASUREMENT_NOTES,
    MUNICIPALITY_BENEFITS,
    MUNICIPALITY_BURDENS,
    MUNICIPALITY_ROLES,
    NETWORKS,
    NEXT_CYCLE_CONSULTATIONS,
    PARTNER_BENEFITS,
    PARTNER_BURDENS,
    PARTNERS,
    SCORE_FIELD,
    SCORE_MANAGEMENT,
    SCORE_OVERVIEW,
    STORIES,
    TO_IMPROVE,
    USERS,
    WENT_WELL,
    NetworkSpec,
    PartnerSpec,
    Story,
)
from engine.store.services import CollaborationService, Context, DirectoryService, RecordService
from engine.store.uow import reading
from engine.workflow import Workflow

DEFAULT_SEED = 20240401
"""The seed of the demo's random choices: the same seed and day give the same data."""

_DAY = timedelta(days=1)
_CALENDAR = BusinessCalendar()


# --- The report ----------------------------------------------------------------------


@dataclass
class DemoReport:
    """What one run of ``seed_demo`` created, completed or left alone."""

    today: date
    networks: list[str] = field(default_factory=list)
    """Names of the networks created."""
    users: list[str] = field(default_factory=list)
    """E-mail addresses of the accounts created."""
    partners: list[str] = field(default_factory=list)
    """Names of the partner organisations created."""
    collaborations: Counter[str] = field(default_factory=Counter)
    """Collaborations created, by the state they were left in."""
    resumed: list[str] = field(default_factory=list)
    """Collaborations an interrupted run had started, completed now."""
    existing: int = 0
    """Collaborations already complete, left untouched."""
    left_as_is: list[str] = field(default_factory=list)
    """Collaborations that differ from their script (changed by hand), left untouched."""
    failed: list[str] = field(default_factory=list)
    """Collaborations whose script a service refused, with the reason."""
    steps: int = 0
    """Service calls made for collaborations."""
    seconds: float = 0.0

    @property
    def collaborations_created(self) -> int:
        """The number of collaborations created."""
        return sum(self.collaborations.values())

    @property
    def created(self) -> int:
        """Everything created or completed by this run."""
        return (
            len(self.networks)
            + len(self.users)
            + len(self.partners)
            + self.collaborations_created
            + len(self.resumed)
        )

    def counts(self) -> dict[str, int]:
        """The numbers of this run, by kind."""
        return {
            "networks": len(self.networks),
            "users": len(self.users),
            "partners": len(self.partners),
            "collaborations": self.collaborations_created,
            "resumed": len(self.resumed),
            "existing": self.existing,
            "left_as_is": len(self.left_as_is),
            "failed": len(self.failed),
        }

    def lines(self) -> list[str]:
        """Human-readable lines for the command line."""
        lines = [f"Demo data (fictional, 架空県) as of {self.today.isoformat()}:"]
        if self.networks:
            lines.append(f"  networks created: {len(self.networks)} ({', '.join(self.networks)})")
        if self.users:
            lines.append(f"  users created: {len(self.users)} ({', '.join(self.users)})")
        if self.partners:
            lines.append(f"  partners created: {len(self.partners)}")
        if self.collaborations:
            by_state = ", ".join(f"{s} {n}" for s, n in self.collaborations.items())
            lines.append(f"  collaborations created: {self.collaborations_created} ({by_state})")
        if self.resumed:
            lines.append(f"  collaborations completed from an interrupted run: {len(self.resumed)}")
            lines.extend(f"    {label}" for label in self.resumed)
        if self.existing:
            lines.append(f"  collaborations already present: {self.existing}")
        if self.left_as_is:
            lines.append(
                f"  collaborations changed since seeding, left as is: {len(self.left_as_is)}"
            )
            lines.extend(f"    {label}" for label in self.left_as_is)
        if self.failed:
            lines.append(f"  collaborations that could not be completed: {len(self.failed)}")
            lines.extend(f"    {label}" for label in self.failed)
        if not self.created:
            lines.append("  nothing to create: the demo data is already there")
        lines.append(f"  ({self.steps} service calls in {self.seconds:.1f} s)")
        return lines


# --- Steps: one service call each, one audit entry each ------------------------------


class _Runner:
    """Plays the steps of one collaboration against the services.

    It remembers the versions the services hand back, so a step rarely needs to
    read the collaboration's file first; after a new cycle, or when resuming an
    interrupted run, it reads them once from the file.
    """

    def __init__(self, ctx: Context, clock: FixedClock, network_id: int, partner_id: int) -> None:
        self.ctx = ctx
        self.clock = clock
        self.network_id = network_id
        self.partner_id = partner_id
        self.collaborations = CollaborationService(ctx)
        self.records = RecordService(ctx)
        self.cid: int | None = None
        self.version: int | None = None
        """The collaboration's version; None until read."""
        self.versions: dict[str, int] = {}
        """Versions of the scorecard, memorandum and the current cycle's plan, evaluation
        and renewal (0: not saved yet)."""
        self.kpis: dict[str, Kpi] = {}
        """The current plan's KPIs by name."""
        self._day: date | None = None
        self._tick = 0

    def set_clock(self, day: date) -> None:
        """Half past nine in Japan on ``day``, seven minutes later for each further step."""
        self._tick = self._tick + 1 if day == self._day else 0
        self._day = day
        start = datetime.combine(day, clock_time(9, 30), JST)
        self.clock.set(start + timedelta(minutes=7 * self._tick))

    def created(self, cid: int, version: int) -> None:
        """Start from a fresh candidate: nothing saved yet."""
        self.cid, self.version = cid, version
        self.versions = dict.fromkeys(_VERSIONED, 0)
        self.kpis = {}

    async def ready(self) -> int:
        """The collaboration's id, once the versions are known."""
        assert self.cid is not None
        if self.version is None:
            file = await self.collaborations.file(self.cid)
            self.version = file.collaboration.version
            self.versions = {
                name: getattr(getattr(file, name), "version", 0) or 0 for name in _VERSIONED
            }
            self.kpis = {k.name: k for k in file.plan.kpis} if file.plan else {}
        return self.cid


_VERSIONED = ("scorecard", "memorandum", "plan", "evaluation", "renewal")


@dataclass(frozen=True, slots=True)
class _Actors:
    owner: Actor
    approver: Actor


@dataclass(frozen=True, slots=True)
class _Step:
    day: date

    @property
    def audit(self) -> str:
        """The audit action (or ``event.<name>`` history entry) the step leaves behind."""
        raise NotImplementedError

    async def run(self, r: _Runner, actors: _Actors) -> None:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class _Create(_Step):
    audit = "collaboration.create"

    async def run(self, r: _Runner, actors: _Actors) -> None:
        record = await r.collaborations.add_candidate(
            r.network_id, r.partner_id, actors.owner, owner_id=actors.owner.id
        )
        assert record.id is not None
        r.created(record.id, record.version)


@dataclass(frozen=True, slots=True)
class _Log(_Step):
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

    async def run(self, r: _Runner, actors: _Actors) -> None:
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
class _SaveScorecard(_Step):
    card: Scorecard
    audit = "scorecard.save"

    async def run(self, r: _Runner, actors: _Actors) -> None:
        cid = await r.ready()
        card = replace(self.card, version=r.versions["scorecard"])
        r.versions["scorecard"] = await r.records.save_scorecard(cid, card, actors.owner)


@dataclass(frozen=True, slots=True)
class _SaveMemo(_Step):
    memo: Memorandum
    signed: bool
    audit = "memorandum.save"

    async def run(self, r: _Runner, actors: _Actors) -> None:
        cid = await r.ready()
        memo = replace(
            self.memo,
            signed_on=self.day if self.signed else None,
            version=r.versions["memorandum"],
        )
        r.versions["memorandum"] = await r.records.save_memorandum(cid, memo, actors.owner)


@dataclass(frozen=True, slots=True)
class _AssignPlanner(_Step):
    planner: str
    audit = "collaboration.assign"

    async def run(self, r: _Runner, actors: _Actors) -> None:
        cid = await r.ready()
        assert r.version is not None
        record = await r.collaborations.assign(
            cid, expected_version=r.version, actor=actors.owner, planner=self.planner
        )
        r.version = record.version


@dataclass(frozen=True, slots=True)
class _SavePlan(_Step):
    plan: Plan
    cycle: int
    kpis: tuple[tuple[str, str, float], ...] | None
    """(name, unit, target); None keeps the KPIs the plan has."""
    audit = "plan.save"

    async def run(self, r: _Runner, actors: _Actors) -> None:
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
class _Measure(_Step):
    kpi: str
    period_start: date
    period_end: date
    value: float
    note: str
    source: str
    audit = "measurement.add"

    async def run(self, r: _Runner, actors: _Actors) -> None:
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
class _SaveEvaluation(_Step):
    cycle: int
    went_well: str
    to_improve: str
    audit = "evaluation.save"

    async def run(self, r: _Runner, actors: _Actors) -> None:
        cid = await r.ready()
        evaluation = Evaluation(
            self.cycle, self.day, self.went_well, self.to_improve, r.versions["evaluation"]
        )
        r.versions["evaluation"] = await r.records.save_evaluation(cid, evaluation, actors.owner)


@dataclass(frozen=True, slots=True)
class _SaveRenewal(_Step):
    cycle: int
    approved_by: str
    years: int
    approved: bool
    audit = "renewal.save"

    async def run(self, r: _Runner, actors: _Actors) -> None:
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
class _Fire(_Step):
    event: str
    comment: str = ""
    by_approver: bool = False

    @property
    def audit(self) -> str:
        return f"event.{self.event}"

    async def run(self, r: _Runner, actors: _Actors) -> None:
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


# --- Scripts: a story laid out in dated steps ---------------------------------------


@dataclass
class _Visit:
    """One stay in a state: entered by ``via``, left by ``exit`` (None: still there)."""

    state: str
    cycle: int
    via: str | None
    exit: str | None = None
    enter: date | None = None
    span: int = 0
    """Days planned in the state (for the final state: its nominal length)."""
    consults: int = 0
    delay: int = 0
    term: int = 6
    years: int = 1
    ends_on: date | None = None


def _prev_bday(day: date) -> date:
    return _CALENDAR.previous_business_day(day)


def _next_bday(day: date) -> date:
    return _CALENDAR.next_business_day(day)


def _ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _label(network: NetworkSpec, partner: PartnerSpec) -> str:
    return f"{network.municipality} / {partner.name}"


class _Script:
    """Turns a story into dated steps; pure, so every run plans the same steps."""

    def __init__(
        self,
        story: Story,
        network: NetworkSpec,
        partner: PartnerSpec,
        workflow: Workflow,
        today: date,
        seed: int,
    ) -> None:
        self.story = story
        self.network = network
        self.partner = partner
        self.text = INDUSTRY_TEXTS[partner.industry]
        self.rng = random.Random(f"{seed}:{story.network}:{story.partner}")
        self.today = today
        self.last_day = today - _DAY
        self.head_name, self.head_title = partner.contacts[0]
        self.field_name, self.field_title = partner.contacts[-1]
        self.visits = self._visits(workflow)
        self.final_state = self.visits[-1].state
        self.steps: list[_Step] = []
        self._plan_texts = self._draw_plan_texts()
        self._draw()
        self._lay_out()
        for i, visit in enumerate(self.visits):
            self._visit_steps(i, visit)
        self.steps = self._in_order(self.steps)

    # Planning ----------------------------------------------------------------------

    def _visits(self, workflow: Workflow) -> list[_Visit]:
        state, cycle = workflow.initial, 1
        visits = [_Visit(state, cycle, None)]
        for name in self.story.path:
            event = workflow.resolve(state, name)
            if "new_cycle" in event.effects:
                cycle += 1
            state = event.dest
            visits[-1].exit = name
            visits.append(_Visit(state, cycle, name))
        return visits

    def _draw(self) -> None:
        """Draw every duration up front, in story order, whatever the day."""
        rng, story = self.rng, self.story
        for visit in self.visits:
            visit.term = story.terms[min(visit.cycle, len(story.terms)) - 1]
            visit.years = story.renewal_years[min(visit.cycle, len(story.renewal_years)) - 1]
            state, exit_ = visit.state, visit.exit
            if state == "candidate":
                visit.span = rng.randint(10, 35)
            elif state == "approached":
                visit.span = rng.randint(30, 70) if exit_ != "withdraw" else rng.randint(20, 45)
                if exit_ is None:
                    visit.span = rng.randint(50, 80)
            elif state == "memo_signed":
                visit.span = rng.randint(14, 35)
            elif state == "plan":
                if exit_ == "withdraw":
                    visit.consults = rng.randint(2, 3)
                elif visit.cycle == 1:
                    visit.consults = rng.randint(4, 6) if exit_ else 5
                else:
                    visit.consults = rng.randint(2, 3)
                first = 0 if visit.cycle == 1 else 10
                visit.span = first + 14 * (visit.consults - 1) + rng.randint(7, 14)
                if exit_ == "withdraw":
                    visit.span += rng.randint(14, 30)
            elif state == "pilot":
                visit.delay = rng.randint(7, 28)
                visit.span = rng.randint(100, 200)  # used only when withdrawn mid-pilot
            elif state == "evaluated":
                visit.span = rng.randint(14, 30) if exit_ == "revise_plan" else rng.randint(14, 40)
            elif state == "renewed":
                visit.span = 365 * visit.years - rng.randint(45, 75)
            elif state == "withdrawn":
                visit.span = rng.randint(90, 180)
        self.visits[-1].span = self.story.elapsed

    def _lay_out(self) -> None:
        """Entry days, backwards from the final state's entry ``elapsed`` days ago."""
        visits = self.visits
        final = visits[-1]
        final.enter = _prev_bday(self.today - timedelta(days=self.story.elapsed))
        if final.state == "pilot":
            final.ends_on = add_months(final.enter, final.term) - _DAY
        for i in range(len(visits) - 2, -1, -1):
            visit, leave = visits[i], visits[i + 1].enter
            assert leave is not None
            if visit.state == "pilot" and visit.exit == "evaluate":
                visit.ends_on = leave - timedelta(days=visit.delay)
                visit.enter = _prev_bday(add_months(visit.ends_on + _DAY, -visit.term))
            else:
                visit.enter = _prev_bday(leave - timedelta(days=visit.span))
                if visit.state == "pilot":
                    visit.ends_on = add_months(visit.enter, visit.term) - _DAY

    def _in_order(self, steps: list[_Step]) -> list[_Step]:
        """Never earlier than the step before, never later than yesterday."""
        ordered: list[_Step] = []
        floor = steps[0].day
        for step in steps:
            day = min(max(step.day, floor), self.last_day)
            floor = day
            ordered.append(replace(step, day=day))
        return ordered

    # Helpers -------------------------------------------------------------------------

    def _at(self, visit: _Visit, offset: int) -> date:
        assert visit.enter is not None
        return max(_prev_bday(visit.enter + timedelta(days=offset)), visit.enter)

    def _alive(self, visit: _Visit, offset: int) -> bool:
        """True when a step ``offset`` days into the visit has already happened."""
        return visit.exit is not None or offset < self.story.elapsed

    def _leave(self, i: int) -> date:
        following = self.visits[i + 1].enter
        assert following is not None
        return following

    def _participants(self) -> str:
        staff = self.rng.choice(self.network.staff)
        return (
            f"{self.network.section}：{staff}／{self.partner.name}："
            f"{self.field_name}（{self.field_title}）"
        )

    def _draw_plan_texts(self) -> dict[str, str]:
        rng, scene = self.rng, self.text.scene
        cost = rng.choice((3, 5, 8, 10))
        return {
            "partner_benefit": rng.choice(PARTNER_BENEFITS),
            "municipality_benefit": rng.choice(MUNICIPALITY_BENEFITS).format(scene=scene),
            "partner_role": self.text.role + "。",
            "municipality_role": rng.choice(MUNICIPALITY_ROLES),
            "partner_burden": rng.choice(PARTNER_BURDENS),
            "municipality_burden": rng.choice(MUNICIPALITY_BURDENS).format(cost=cost),
        }

    def _kpis(self, term: int, factor: float = 1.0) -> tuple[tuple[str, str, float], ...]:
        return tuple(
            (name, unit, float(max(1, round(rate * term * factor))))
            for name, unit, rate in self.text.kpis
        )

    def _checkpoints(self, starts_on: date, ends_on: date) -> tuple[Checkpoint, ...]:
        points = []
        k = 1
        while (due := add_months(starts_on, 3 * k)) < ends_on - timedelta(days=20):
            points.append(Checkpoint(_prev_bday(due), f"第{k}回 中間評価（{3 * k}か月）"))
            k += 1
        points.append(Checkpoint(ends_on, "最終評価"))
        return tuple(points)

    def _plan_record(self, starts_on: date | None, ends_on: date | None) -> Plan:
        checkpoints = self._checkpoints(starts_on, ends_on) if starts_on and ends_on else ()
        return Plan(
            cycle=0,
            **self._plan_texts,
            starts_on=starts_on,
            ends_on=ends_on,
            checkpoints=checkpoints,
        )

    def _consultation(
        self, day: date, number: int, texts: tuple[str, str, str, str], ahead: bool = False
    ) -> _Log:
        title, agenda, minutes, decisions = (
            t.format(n=number, scene=self.text.scene) for t in texts
        )
        participants = self._participants()
        if ahead:
            return _Log(
                self.last_day,
                ActivityKind.CONSULTATION,
                f"{title}（予定）",
                agenda=agenda,
                duration=60,
                participants=participants,
                occurs_on=day,
            )
        return _Log(
            day,
            ActivityKind.CONSULTATION,
            title,
            agenda=agenda,
            minutes=minutes,
            decisions=decisions,
            duration=60,
            participants=participants,
        )

    # Steps per state -----------------------------------------------------------------

    def _visit_steps(self, i: int, visit: _Visit) -> None:
        handlers = {
            "candidate": self._candidate,
            "approached": self._approached,
            "memo_signed": self._memo_signed,
            "plan": self._planning,
            "pilot": self._pilot,
            "evaluated": self._evaluated,
            "renewed": self._renewed,
            "withdrawn": self._withdrawn,
        }
        handlers[visit.state](i, visit)

    def _candidate(self, i: int, v: _Visit) -> None:
        rng, flags, steps = self.rng, self.story.flags, self.steps
        ratings = (rng.randint(3, 5), rng.randint(2, 5), rng.randint(3, 5))
        notes = (
            rng.choice(SCORE_OVERVIEW),
            rng.choice(SCORE_MANAGEMENT).format(head=self.head_title),
            rng.choice(SCORE_FIELD).format(scene=self.text.scene),
        )
        offset = min(3, max(v.span - 1, 0))
        if i == 0:
            assert v.enter is not None
            steps.append(_Create(v.enter))
        if v.via == "reopen":
            steps.append(
                _Log(
                    v.enter,  # type: ignore[arg-type]
                    ActivityKind.PHONE,
                    f"{self.field_name}様に連絡し、繁忙期明けの再検討を依頼",
                    duration=10,
                )
            )
        if "no_scorecard" in flags or not self._alive(v, offset):
            pass
        elif "draft_scorecard" in flags:
            card = Scorecard(overview_rating=ratings[0], overview_note=notes[0])
            steps.append(_SaveScorecard(self._at(v, offset), card))
        else:
            card = Scorecard(
                ratings[0],
                notes[0],
                ratings[1],
                notes[1],
                ratings[2],
                notes[2],
                contact_name=self.field_name,
                contact_title=self.field_title,
            )
            steps.append(_SaveScorecard(self._at(v, offset), card))
        if v.exit == "approach":
            steps.append(_Fire(self._leave(i), "approach", "候補の比較を終え、打診を開始"))
        elif v.exit == "withdraw":
            leave = self._leave(i)
            steps.append(
                _Log(
                    leave,
                    ActivityKind.PHONE,
                    f"{self.head_title}に事前に打診したところ、辞退の連絡があった",
                    duration=15,
                )
            )
            steps.append(_Fire(leave, "withdraw", self.story.reason))

    def _approached(self, i: int, v: _Visit) -> None:
        steps, span = self.steps, v.span
        letter, visit_, hearing = max(2, round(0.15 * span)), round(0.4 * span), round(0.7 * span)
        participants = self._participants()
        steps.append(
            _Log(
                self._at(v, 0),
                ActivityKind.PHONE,
                f"{self.head_title}の{self.head_name}様に電話で見守りネットワークへの参加を打診",
                duration=10,
            )
        )
        if self._alive(v, letter):
            steps.append(
                _Log(
                    self._at(v, letter),
                    ActivityKind.LETTER,
                    "依頼文書と見守りネットワークの概要資料を送付",
                )
            )
        if self._alive(v, visit_):
            steps.append(
                _Log(
                    self._at(v, visit_),
                    ActivityKind.VISIT,
                    f"{self.partner.name}を訪問し、{self.head_title}に連携の趣旨を説明",
                    duration=45,
                    participants=participants,
                )
            )
        if v.exit != "withdraw" and self._alive(v, hearing):
            steps.append(
                _Log(
                    self._at(v, hearing),
                    ActivityKind.HEARING,
                    f"{self.field_name}（{self.field_title}）から{self.text.scene}の業務と"
                    "声掛けできる場面をヒアリング",
                    minutes="現場で気になる高齢者に出会う場面、報告できる体制、繁忙期を確認した。",
                    duration=60,
                    participants=participants,
                )
            )
        memo = Memorandum(
            municipality_signatory=self.network.signatory,
            partner_signatory=f"{self.partner.name} {self.head_title} {self.head_name}",
            title="高齢者等の消費者被害防止のための見守り活動に関する覚書",
        )
        if v.exit == "sign_memo":
            leave = self._leave(i)
            steps.append(_SaveMemo(leave, memo, signed=True))
            steps.append(_Fire(leave, "sign_memo", "双方の決裁を経て覚書を締結", by_approver=True))
        elif v.exit == "withdraw":
            steps.append(_Fire(self._leave(i), "withdraw", self.story.reason))
        elif "memo_draft" in self.story.flags:
            steps.append(_SaveMemo(self._at(v, self.story.elapsed - 2), memo, signed=False))

    def _memo_signed(self, i: int, v: _Visit) -> None:
        steps = self.steps
        planner = self.rng.choice(self.network.staff)
        if self._alive(v, 3):
            steps.append(
                _Log(
                    self._at(v, 3),
                    ActivityKind.PHONE,
                    f"{self.field_name}様と第1回実務者協議の日程を調整",
                    duration=10,
                )
            )
        if v.exit == "start_planning":
            leave = self._leave(i)
            steps.append(self._consultation(leave, 1, CONSULTATIONS[0]))
            steps.append(_AssignPlanner(leave, planner))
            steps.append(_Fire(leave, "start_planning", f"実務者協議を開始（計画担当：{planner}）"))

    def _planning(self, i: int, v: _Visit) -> None:
        steps, rng = self.steps, self.rng
        texts = CONSULTATIONS if v.cycle == 1 else NEXT_CYCLE_CONSULTATIONS
        first = 1 if v.cycle == 1 else 0  # cycle 1's first meeting opened the state
        base = 0 if v.cycle == 1 else 10
        offsets = [base + 14 * k + rng.randint(-2, 2) * (k > 0) for k in range(v.consults)]
        pilot = self.visits[i + 1] if v.exit == "start_pilot" else None
        if pilot is None and "plan_ready" in self.story.flags:
            starts_on = _next_bday(self.today + timedelta(days=rng.randint(7, 21)))
            ends_on = add_months(starts_on, v.term) - _DAY
        elif pilot is not None:
            starts_on, ends_on = pilot.enter, pilot.ends_on
        else:
            starts_on = ends_on = None
        held = 0
        for k in range(first, v.consults):
            if not self._alive(v, offsets[k]):
                if "upcoming_meeting" in self.story.flags:
                    day = _next_bday(v.enter + timedelta(days=offsets[k]))  # type: ignore[operator]
                    if day <= self.today:
                        day = _next_bday(self.today + timedelta(days=7))
                    steps.append(
                        self._consultation(day, k + 1, texts[min(k, len(texts) - 1)], True)
                    )
                break
            day = self._at(v, offsets[k])
            steps.append(self._consultation(day, k + 1, texts[min(k, len(texts) - 1)]))
            held = k + 1
            if v.cycle == 1 and k == 1:
                steps.append(_SavePlan(day, self._plan_record(None, None), v.cycle, kpis=None))
        complete = starts_on is not None and held == v.consults
        if complete:
            factor = 1.0 if v.cycle == 1 else rng.uniform(1.0, 1.2)
            kpis = self._kpis(v.term if pilot is None else pilot.term, factor)
            steps.append(
                _SavePlan(steps[-1].day, self._plan_record(starts_on, ends_on), v.cycle, kpis)
            )
        if v.exit == "start_pilot":
            assert starts_on is not None and ends_on is not None
            steps.append(
                _Fire(
                    self._leave(i),
                    "start_pilot",
                    f"試行を開始（{_ja(starts_on)}〜{_ja(ends_on)}）",
                )
            )
        elif v.exit == "withdraw":
            steps.append(_Fire(self._leave(i), "withdraw", self.story.reason))

    def _pilot(self, i: int, v: _Visit) -> None:
        steps, rng = self.steps, self.rng
        assert v.enter is not None and v.ends_on is not None
        checkpoints = self._checkpoints(v.enter, v.ends_on)
        kpis = self._kpis(v.term)
        achievement = {name: rng.uniform(0.7, 1.3) for name, _, _ in kpis}
        trainees = rng.randint(8, 40)
        training = rng.randint(3, 10)
        leave = self._leave(i) if v.exit else None
        if self._alive(v, training):
            steps.append(
                _Log(
                    self._at(v, training),
                    ActivityKind.VISIT,
                    f"従業員向け見守り研修を実施（参加{trainees}名）",
                    duration=60,
                    participants=self._participants(),
                )
            )

        def measure(day: date, start: date, end: date) -> None:
            months = max((end - start).days, 1) / 30.4
            for name, _, target in kpis:
                rate = target / v.term
                value = float(round(rate * months * achievement[name] * rng.uniform(0.8, 1.2)))
                source = rng.choice(("coordinator", "partner"))
                steps.append(
                    _Measure(day, name, start, end, value, rng.choice(MEASUREMENT_NOTES), source)
                )

        start = v.enter
        for k, point in enumerate(checkpoints[:-1], start=1):
            if v.exit != "evaluate" and 92 * k >= v.span:  # not reached yet
                break
            steps.append(
                _Log(
                    point.due_on,
                    ActivityKind.HEARING,
                    f"第{k}回 中間確認：実績の報告と課題の共有",
                    minutes="報告件数と現場の声を共有した。大きな支障はなく試行を継続する。",
                    duration=60,
                    participants=self._participants(),
                )
            )
            measure(point.due_on, start, point.due_on)
            start = point.due_on
        if v.exit == "evaluate":
            assert leave is not None
            measure(leave, start, v.ends_on)
            cases = rng.randint(1, 4)
            steps.append(
                _SaveEvaluation(
                    leave,
                    v.cycle,
                    rng.choice(WENT_WELL).format(scene=self.text.scene, cases=cases),
                    rng.choice(TO_IMPROVE),
                )
            )
            steps.append(_Fire(leave, "evaluate", "試行期間が終了し、評価を取りまとめた"))
        elif v.exit == "withdraw":
            steps.append(_Fire(leave, "withdraw", self.story.reason))  # type: ignore[arg-type]

    def _evaluated(self, i: int, v: _Visit) -> None:
        steps = self.steps
        if self._alive(v, 7):
            steps.append(
                _Log(
                    self._at(v, 7),
                    ActivityKind.HEARING,
                    "評価結果を先方と共有し、今後の進め方について意見交換",
                    duration=60,
                    participants=self._participants(),
                )
            )
        if v.exit == "renew":
            leave = self._leave(i)
            steps.append(
                _SaveRenewal(leave, v.cycle, self.network.approver, v.years, approved=True)
            )
            steps.append(_Fire(leave, "renew", f"{v.years}年間の継続を決定", by_approver=True))
        elif v.exit == "revise_plan":
            steps.append(
                _Fire(
                    self._leave(i), "revise_plan", "目標値と報告方法を見直して再試行することで合意"
                )
            )
        elif "renewal_draft" in self.story.flags:
            day = self._at(v, min(10, self.story.elapsed - 1))
            steps.append(_SaveRenewal(day, v.cycle, self.network.approver, v.years, approved=False))

    def _renewed(self, i: int, v: _Visit) -> None:
        steps = self.steps
        if self._alive(v, 14):
            steps.append(
                _Log(
                    self._at(v, 14),
                    ActivityKind.VISIT,
                    f"感謝状を贈呈（{self.network.signatory}から現場の従業員へ）",
                    duration=30,
                    participants=self._participants(),
                )
            )
        for offset in range(120, v.span, 120):
            if not self._alive(v, offset):
                break
            steps.append(
                _Log(
                    self._at(v, offset),
                    ActivityKind.HEARING,
                    "継続状況の確認：実績の報告と意見交換",
                    duration=45,
                    participants=self._participants(),
                )
            )
        if v.exit == "next_cycle":
            steps.append(_Fire(self._leave(i), "next_cycle", "新年度に向けて次期計画の協議を開始"))

    def _withdrawn(self, i: int, v: _Visit) -> None:
        if v.exit == "reopen":
            self.steps.append(
                _Fire(self._leave(i), "reopen", "繁忙期明けに改めて打診することとし、候補に戻す")
            )


# --- Seeding -------------------------------------------------------------------------


async def seed_demo(
    db: Database,
    workflow: Workflow,
    today: date,
    *,
    seed: int = DEFAULT_SEED,
    stories: Sequence[Story] = STORIES,
) -> DemoReport:
    """Create the demo networks, users, partners and collaborations that are missing.

    Every date lies before ``today`` (scheduled meetings aside); the same
    ``seed`` and ``today`` give the same data. ``stories`` picks the
    collaborations to seed (all of them unless a test wants fewer).
    """
    started = time.perf_counter()
    report = DemoReport(today)
    networks = {n.key: n for n in NETWORKS}
    partners = {p.key: p for p in PARTNERS}
    scripts = [
        _Script(s, networks[s.network], partners[s.partner], workflow, today, seed) for s in stories
    ]
    first_day = min((script.steps[0].day for script in scripts), default=today) - timedelta(days=14)
    clock = FixedClock(datetime.combine(first_day, clock_time(9, 0), JST))
    ctx = Context(db=db, workflow=workflow, clock=clock)

    network_ids = await _ensure_networks(ctx, report)
    user_ids = await _ensure_users(ctx, report)
    partner_ids = await _ensure_partners(ctx, report)

    manager = next(u for u in USERS if u.network is None)
    for script in scripts:
        story = script.story
        owner = next(u for u in USERS if u.network == story.network)
        approver = manager if story.network == "midori" else owner
        actors = _Actors(
            Actor(user_ids[owner.email], owner.name),
            Actor(user_ids[approver.email], approver.name),
        )
        runner = _Runner(ctx, clock, network_ids[story.network], partner_ids[story.partner])
        await _play(runner, script, actors, report)
    report.collaborations = Counter(
        {s: report.collaborations[s] for s in workflow.states if report.collaborations[s]}
    )
    report.seconds = time.perf_counter() - started
    return report


async def _ensure_networks(ctx: Context, report: DemoReport) -> dict[str, int]:
    directory, ids = DirectoryService(ctx), {}
    for spec in NETWORKS:
        async with reading(ctx.db) as uow:
            found = await uow.networks.by_name(spec.name)
        if found is None:
            found = await directory.add_network(
                Network(
                    None,
                    spec.name,
                    spec.municipality,
                    spec.prefecture,
                    spec.approach_reminder_months,
                    spec.approach_escalation_months,
                ),
                SYSTEM,
            )
            report.networks.append(spec.name)
        assert found.id is not None
        ids[spec.key] = found.id
    return ids


async def _ensure_users(ctx: Context, report: DemoReport) -> dict[str, int]:
    directory, ids = DirectoryService(ctx), {}
    for spec in USERS:
        async with reading(ctx.db) as uow:
            found = await uow.users.by_email(spec.email)
        if found is None:
            found = await directory.add_user(
                User(None, spec.email, spec.name, str(spec.role)), SYSTEM
            )
            report.users.append(spec.email)
        assert found.id is not None
        ids[spec.email] = found.id
    return ids


async def _ensure_partners(ctx: Context, report: DemoReport) -> dict[str, int]:
    directory, ids = DirectoryService(ctx), {}
    for spec in PARTNERS:
        async with reading(ctx.db) as uow:
            found = await uow.partners.id_by_name(spec.name)
        if found is None:
            contacts = tuple(
                Contact(name, title, email=f"mimamori@{spec.email_domain}" if i else "")
                for i, (name, title) in enumerate(spec.contacts)
            )
            seasons = tuple(BusySeason(start, end, note) for start, end, note in spec.busy_seasons)
            partner = Partner(
                None,
                spec.name,
                spec.industry,
                spec.area,
                note=spec.note,
                contacts=contacts,
                busy_seasons=seasons,
            )
            found = (await directory.add_partner(partner, SYSTEM)).id
            report.partners.append(spec.name)
        assert found is not None
        ids[spec.key] = found
    return ids


async def _done_so_far(runner: _Runner) -> list[str] | None:
    """The steps already taken for this collaboration (None: it does not exist yet).

    Every step leaves one trace: an audit entry, or a history entry for a state
    change. Each step of a script runs at a later moment than the one before, so
    the traces merged by time spell out the steps in order.
    """
    async with reading(runner.ctx.db) as uow:
        existing = await uow.collaborations.find(runner.network_id, runner.partner_id)
        if existing is None or existing.id is None:
            return None
        runner.cid = existing.id
        audit = await uow.audit.for_entity("collaboration", existing.id)
        history = await uow.collaborations.history(existing.id)
    moves = {(h.at, f"event.{h.event}") for h in history}
    traces = [(h.at, 1, f"event.{h.event}") for h in history]
    traces += [
        (row.at, 0, row.action)
        for row in audit
        if (row.at, row.action) not in moves  # a service may audit a move as well
    ]
    return [action for _, _, action in sorted(traces, key=lambda t: (t[0], t[1]))]


async def _play(runner: _Runner, script: _Script, actors: _Actors, report: DemoReport) -> None:
    """Play a script, or the rest of it when an interrupted run played its beginning."""
    label = _label(script.network, script.partner)
    expected = [step.audit for step in script.steps]
    done = await _done_so_far(runner)
    if done is not None:
        if done[: len(expected)] != expected[: len(done)]:
            report.left_as_is.append(label)
            return
        if len(done) >= len(expected):
            report.existing += 1
            return
        for step in script.steps[: len(done)]:
            runner.set_clock(step.day)  # so that resumed steps come later than those taken
    try:
        for step in script.steps[len(done or ()) :]:
            runner.set_clock(step.day)
            await step.run(runner, actors)
            report.steps += 1
    except EngineError as exc:
        report.failed.append(f"{label}: {exc}")
        return
    if done is not None:
        report.resumed.append(label)
    else:
        report.collaborations[script.final_state] += 1

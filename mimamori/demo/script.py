"""A story laid out in time, and the helpers the steps of each state share.

``playbook.write_script`` fills a Script with its steps; the modules of each
stage (``approach``, ``planning``, ``pilot``) add theirs through these helpers.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from engine.calendar import add_months
from engine.domain.collaboration import ActivityKind, Checkpoint, Plan
from engine.workflow import Workflow
from mimamori.demo.industries import INDUSTRY_TEXTS
from mimamori.demo.networks import NetworkSpec
from mimamori.demo.partners import PartnerSpec
from mimamori.demo.steps import Log, Step
from mimamori.demo.stories import Story
from mimamori.demo.texts import (
    MUNICIPALITY_BENEFITS,
    MUNICIPALITY_BURDENS,
    MUNICIPALITY_ROLES,
    PARTNER_BENEFITS,
    PARTNER_BURDENS,
)
from mimamori.demo.timeline import DAY, Visit, draw, lay_out, prev_bday, visits


class Script:
    """A story's days and drawn texts, and the dated steps planned for it so far; pure."""

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
        # The last business day before today: nobody logs a meeting on a Sunday or on 3 January.
        self.last_day = prev_bday(today - DAY)
        self.head_name, self.head_title = partner.contacts[0]
        self.field_name, self.field_title = partner.contacts[-1]
        self.visits = visits(story, workflow)
        self.final_state = self.visits[-1].state
        self.steps: list[Step] = []
        self._plan_texts = self._draw_plan_texts()
        draw(self.visits, story, self.rng)
        lay_out(self.visits, story, today)

    def put_in_order(self) -> None:
        """Each step never earlier than the one before, never later than the last business day."""
        ordered: list[Step] = []
        floor = self.steps[0].day
        for step in self.steps:
            day = min(max(step.day, floor), self.last_day)
            floor = day
            ordered.append(replace(step, day=day))
        self.steps = ordered

    def at(self, visit: Visit, offset: int) -> date:
        """The business day ``offset`` days into the visit (not before its first day)."""
        assert visit.enter is not None
        return max(prev_bday(visit.enter + timedelta(days=offset)), visit.enter)

    def alive(self, visit: Visit, offset: int) -> bool:
        """True when a step ``offset`` days into the visit has already happened."""
        return visit.exit is not None or offset < self.story.elapsed

    def leave(self, i: int) -> date:
        """The day the ``i``-th visit ends: the day the next one begins."""
        following = self.visits[i + 1].enter
        assert following is not None
        return following

    def participants(self) -> str:
        """Who attends a meeting: one of the secretariat's staff and the partner's field contact."""
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

    def kpis(self, term: int, factor: float = 1.0) -> tuple[tuple[str, str, float], ...]:
        """(name, unit, target) of the partner's KPIs over a pilot of ``term`` months."""
        return tuple(
            (name, unit, float(max(1, round(rate * term * factor))))
            for name, unit, rate in self.text.kpis
        )

    def checkpoints(self, starts_on: date, ends_on: date) -> tuple[Checkpoint, ...]:
        """An interim review every three months, then the final one on the last day."""
        points = []
        k = 1
        while (due := add_months(starts_on, 3 * k)) < ends_on - timedelta(days=20):
            points.append(Checkpoint(prev_bday(due), f"第{k}回 中間評価（{3 * k}か月）"))
            k += 1
        points.append(Checkpoint(ends_on, "最終評価"))
        return tuple(points)

    def plan_record(self, starts_on: date | None, ends_on: date | None) -> Plan:
        """The plan with the texts drawn for this story (its cycle and KPIs set by the step)."""
        checkpoints = self.checkpoints(starts_on, ends_on) if starts_on and ends_on else ()
        return Plan(
            cycle=0,
            **self._plan_texts,
            starts_on=starts_on,
            ends_on=ends_on,
            checkpoints=checkpoints,
        )

    def consultation(
        self, day: date, number: int, texts: tuple[str, str, str, str], ahead: bool = False
    ) -> Log:
        """The ``number``-th consultation meeting: held on ``day``, or scheduled for it."""
        title, agenda, minutes, decisions = (
            t.format(n=number, scene=self.text.scene) for t in texts
        )
        participants = self.participants()
        if ahead:
            return Log(
                self.last_day,
                ActivityKind.CONSULTATION,
                f"{title}（予定）",
                agenda=agenda,
                duration=60,
                participants=participants,
                occurs_on=day,
            )
        return Log(
            day,
            ActivityKind.CONSULTATION,
            title,
            agenda=agenda,
            minutes=minutes,
            decisions=decisions,
            duration=60,
            participants=participants,
        )

"""The steps of planning: arranging the consultations, then holding them until the plan is made."""

from __future__ import annotations

from datetime import date, timedelta

from engine.calendar import add_months
from engine.domain.collaboration import ActivityKind
from mimamori.demo.script import Script
from mimamori.demo.steps import AssignPlanner, Fire, Log, SavePlan
from mimamori.demo.texts import CONSULTATIONS, NEXT_CYCLE_CONSULTATIONS
from mimamori.demo.timeline import DAY, Visit, next_bday


def _ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def memo_signed(script: Script, i: int, v: Visit) -> None:
    """After the memorandum: the first consultation arranged and a planner named."""
    steps = script.steps
    planner = script.rng.choice(script.network.staff)
    if script.alive(v, 3):
        steps.append(
            Log(
                script.at(v, 3),
                ActivityKind.PHONE,
                f"{script.field_name}様と第1回実務者協議の日程を調整",
                duration=10,
            )
        )
    if v.exit == "start_planning":
        leave = script.leave(i)
        steps.append(script.consultation(leave, 1, CONSULTATIONS[0]))
        steps.append(AssignPlanner(leave, planner))
        steps.append(Fire(leave, "start_planning", f"実務者協議を開始（計画担当：{planner}）"))


def plan(script: Script, i: int, v: Visit) -> None:
    """Planning: consultations every two weeks, the plan saved, then the pilot or a withdrawal."""
    steps, rng = script.steps, script.rng
    texts = CONSULTATIONS if v.cycle == 1 else NEXT_CYCLE_CONSULTATIONS
    first = 1 if v.cycle == 1 else 0  # cycle 1's first meeting opened the state
    base = 0 if v.cycle == 1 else 10
    offsets = [base + 14 * k + rng.randint(-2, 2) * (k > 0) for k in range(v.consults)]
    pilot = script.visits[i + 1] if v.exit == "start_pilot" else None
    if pilot is None and "plan_ready" in script.story.flags:
        starts_on = next_bday(script.today + timedelta(days=rng.randint(7, 21)))
        ends_on = add_months(starts_on, v.term) - DAY
    elif pilot is not None:
        starts_on, ends_on = pilot.enter, pilot.ends_on
    else:
        starts_on = ends_on = None
    held = 0
    for k in range(first, v.consults):
        if not script.alive(v, offsets[k]):
            if "upcoming_meeting" in script.story.flags:
                day = next_bday(v.enter + timedelta(days=offsets[k]))  # type: ignore[operator]
                if day <= script.today:
                    day = next_bday(script.today + timedelta(days=7))
                steps.append(script.consultation(day, k + 1, texts[min(k, len(texts) - 1)], True))
            break
        day = script.at(v, offsets[k])
        steps.append(script.consultation(day, k + 1, texts[min(k, len(texts) - 1)]))
        held = k + 1
        if v.cycle == 1 and k == 1:
            steps.append(SavePlan(day, script.plan_record(None, None), v.cycle, kpis=None))
    complete = starts_on is not None and held == v.consults
    if complete:
        factor = 1.0 if v.cycle == 1 else rng.uniform(1.0, 1.2)
        kpis = script.kpis(v.term if pilot is None else pilot.term, factor)
        steps.append(SavePlan(steps[-1].day, script.plan_record(starts_on, ends_on), v.cycle, kpis))
    if v.exit == "start_pilot":
        assert starts_on is not None and ends_on is not None
        steps.append(
            Fire(
                script.leave(i),
                "start_pilot",
                f"試行を開始（{_ja(starts_on)}〜{_ja(ends_on)}）",
            )
        )
    elif v.exit == "withdraw":
        steps.append(Fire(script.leave(i), "withdraw", script.story.reason))

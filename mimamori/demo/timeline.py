"""A story's stays in states, with their lengths drawn and their days laid out."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from engine.calendar import BusinessCalendar, add_months
from engine.workflow import Workflow
from mimamori.demo.stories import Story

DAY = timedelta(days=1)
_CALENDAR = BusinessCalendar()


@dataclass
class Visit:
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


def prev_bday(day: date) -> date:
    """The business day ``day`` is, or the last one before it."""
    return _CALENDAR.previous_business_day(day)


def next_bday(day: date) -> date:
    """The business day ``day`` is, or the first one after it."""
    return _CALENDAR.next_business_day(day)


def visits(story: Story, workflow: Workflow) -> list[Visit]:
    """The states the story's path passes through, one visit each."""
    state, cycle = workflow.initial, 1
    stays = [Visit(state, cycle, None)]
    for name in story.path:
        event = workflow.resolve(state, name)
        if "new_cycle" in event.effects:
            cycle += 1
        state = event.dest
        stays[-1].exit = name
        stays.append(Visit(state, cycle, name))
    return stays


def draw(stays: list[Visit], story: Story, rng: random.Random) -> None:
    """Draw every duration up front, in story order, whatever the day."""
    for visit in stays:
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
    stays[-1].span = story.elapsed


def lay_out(stays: list[Visit], story: Story, today: date) -> None:
    """Entry days, backwards from the final state's entry ``elapsed`` days ago."""
    final = stays[-1]
    final.enter = prev_bday(today - timedelta(days=story.elapsed))
    if final.state == "pilot":
        final.ends_on = add_months(final.enter, final.term) - DAY
    for i in range(len(stays) - 2, -1, -1):
        visit, leave = stays[i], stays[i + 1].enter
        assert leave is not None
        if visit.state == "pilot" and visit.exit == "evaluate":
            visit.ends_on = leave - timedelta(days=visit.delay)
            visit.enter = prev_bday(add_months(visit.ends_on + DAY, -visit.term))
        else:
            visit.enter = prev_bday(leave - timedelta(days=visit.span))
            if visit.state == "pilot":
                visit.ends_on = add_months(visit.enter, visit.term) - DAY

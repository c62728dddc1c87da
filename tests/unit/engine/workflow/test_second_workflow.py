"""A second lifecycle, defined with the engine's public API only: a fraud drill.

The guidebook suggests a drill: a simulated case run through the whole chain
(partner staff notice, report to the consumer centre, the centre instructs) to
test it. Nothing here touches the engine; if these tests pass, a workflow is
data plus guard functions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum

import pytest

from engine.calendar import BusinessCalendar
from engine.clock import local_date
from engine.errors import EventNotAllowed, GuardBlocked, UnknownEvent
from engine.workflow import (
    PASS,
    Event,
    Offset,
    Requirement,
    TimingRule,
    Verdict,
    Workflow,
    fire,
)
from engine.workflow.timing import Kind, Recipients


class DrillState(StrEnum):
    PLANNED = "planned"
    RUN = "run"
    REVIEWED = "reviewed"


@dataclass(frozen=True, slots=True)
class Drill:
    """What the drill's guards and timing rules read."""

    scheduled_on: date
    participants: tuple[str, ...] = ()
    scenario: str = ""
    ran_on: date | None = None
    findings: str = ""


PARTICIPANTS = Requirement(
    "drill.participants", "Name at least {minimum} participants.", {"minimum": 2}
)
SCENARIO = Requirement("drill.scenario", "Describe the simulated case.")
NOT_YET = Requirement("drill.scheduled_on", "The drill is scheduled for {day}.")
FINDINGS = Requirement("drill.findings", "Write down what the drill found.")


def participants_named(drill: Drill, now: datetime) -> Verdict:
    """At least two people take part: someone who notices and someone who is told."""
    return PASS if len([p for p in drill.participants if p.strip()]) >= 2 else (PARTICIPANTS,)


def scenario_written(drill: Drill, now: datetime) -> Verdict:
    """The simulated case is described."""
    return PASS if drill.scenario.strip() else (SCENARIO,)


def scheduled_day_reached(drill: Drill, now: datetime) -> Verdict:
    """A drill runs on or after its scheduled day (Japanese date)."""
    if local_date(now) >= drill.scheduled_on:
        return PASS
    return (replace(NOT_YET, params={"day": drill.scheduled_on.isoformat()}),)


def findings_written(drill: Drill, now: datetime) -> Verdict:
    """The review records findings."""
    return PASS if drill.findings.strip() else (FINDINGS,)


def _scheduled(drill: Drill):
    return (drill.scheduled_on,)


def _ran(drill: Drill):
    return (drill.ran_on,) if drill.ran_on else ()


DRILL = Workflow(
    "drill",
    states=DrillState,
    initial=DrillState.PLANNED,
    events=(
        Event(
            "run",
            (DrillState.PLANNED,),
            DrillState.RUN,
            "Run the drill",
            (participants_named, scenario_written, scheduled_day_reached),
        ),
        Event("review", (DrillState.RUN,), DrillState.REVIEWED, "Review", (findings_written,)),
        Event("rerun", (DrillState.REVIEWED,), DrillState.PLANNED, "Plan it again", (), True),
    ),
    timing=(
        TimingRule(
            "drill_ahead",
            (DrillState.PLANNED,),
            Kind.REMINDER,
            Recipients.OWNER,
            "The drill is in a week: brief the participants.",
            _scheduled,
            Offset(days=-7),
        ),
        TimingRule(
            "review_due",
            (DrillState.RUN,),
            Kind.ESCALATION,
            Recipients.MANAGERS,
            "The drill has not been reviewed.",
            _ran,
            Offset(days=14, months=1),
            settings_key="drill_review_months",
            done=lambda drill, anchor: bool(drill.findings.strip()),
        ),
    ),
)

NOW = datetime(2026, 9, 24, 1, 0, tzinfo=UTC)  # Thu 24 Sep 2026, 10:00 JST
READY = Drill(
    scheduled_on=date(2026, 9, 24),
    participants=("販売員 山田", "消費生活センター 相談員 木村"),
    scenario="訪問販売で高額な布団を契約した一人暮らしの高齢者",
)


def fire_drill(state, event, drill, *, version=1, comment="", now=NOW):
    return fire(
        DRILL,
        record_id=9,
        state=state,
        version=version,
        expected_version=version,
        snapshot=drill,
        event=event,
        now=now,
        actor_id=None,
        comment=comment,
    )


def test_the_drill_table_is_derived_from_its_machine():
    assert DRILL.states == ("planned", "run", "reviewed")
    assert {s: [(e.name, e.dest) for e in DRILL.events_from(s)] for s in DRILL.states} == {
        "planned": [("run", "run")],
        "run": [("review", "reviewed")],
        "reviewed": [("rerun", "planned")],
    }
    assert DRILL.machine.get_triggers("run") == ["review"]


def test_a_drill_runs_through_its_lifecycle():
    ran = fire_drill("planned", "run", READY)
    assert (ran.source, ran.dest, ran.version) == ("planned", "run", 2)
    assert ran.events[0].workflow == "drill"

    done = replace(READY, ran_on=date(2026, 9, 24), findings="連絡は30分で警察まで届いた")
    reviewed = fire_drill("run", "review", done, version=2)
    assert (reviewed.dest, reviewed.version) == ("reviewed", 3)

    again = fire_drill("reviewed", "rerun", done, version=3, comment="Next year with the bank.")
    assert (again.dest, again.version, again.comment) == ("planned", 4, "Next year with the bank.")


def test_drill_guards_block_with_their_reasons():
    lonely = Drill(scheduled_on=date(2026, 10, 1), participants=("山田", " "))
    with pytest.raises(GuardBlocked) as caught:
        fire_drill("planned", "run", lonely)
    assert [r.code for r in caught.value.unmet] == [
        "drill.participants",
        "drill.scenario",
        "drill.scheduled_on",
    ]
    assert [r.text("en") for r in caught.value.unmet] == [
        "Name at least 2 participants.",
        "Describe the simulated case.",
        "The drill is scheduled for 2026-10-01.",
    ]


def test_drill_options_show_what_blocks_each_event():
    (option,) = DRILL.options("planned", replace(READY, participants=()), NOW)
    assert option.event.name == "run"
    assert not option.allowed
    assert [r.code for r in option.unmet] == ["drill.participants"]


def test_a_drill_event_needing_a_comment_refuses_a_blank_one():
    with pytest.raises(GuardBlocked) as caught:
        fire_drill("reviewed", "rerun", READY, comment="  ")
    assert [r.code for r in caught.value.unmet] == ["comment.required"]


def test_the_drill_refuses_unknown_and_misplaced_events():
    with pytest.raises(UnknownEvent):
        fire_drill("planned", "approach", READY)
    with pytest.raises(EventNotAllowed) as caught:
        fire_drill("planned", "review", READY)
    assert caught.value.allowed == ("run",)


def test_drill_timing_rules_on_the_business_calendar():
    calendar = BusinessCalendar()
    ahead, review_due = DRILL.timing

    # Thu 24 Sep - 7 = Thu 17 Sep, open.
    assert ahead.due_dates(READY, calendar, {}) == ((date(2026, 9, 24), date(2026, 9, 17)),)
    # Mon 28 Sep - 7 = Mon 21 Sep (敬老の日), Sun, Sat -> Fri 18 Sep.
    later = replace(READY, scheduled_on=date(2026, 9, 28))
    assert ahead.due_dates(later, calendar, {}) == ((date(2026, 9, 28), date(2026, 9, 18)),)

    ran = replace(READY, ran_on=date(2026, 9, 24))
    assert review_due.due_dates(READY, calendar, {}) == ()
    # Thu 24 Sep + 1 month = Sat 24 Oct, + 14 days = Sat 7 Nov -> Mon 9 Nov.
    assert review_due.due_dates(ran, calendar, {}) == ((date(2026, 9, 24), date(2026, 11, 9)),)
    # With a network setting of 2 months: Tue 24 Nov + 14 = Tue 8 Dec.
    assert review_due.due_dates(ran, calendar, {"drill_review_months": 2}) == (
        (date(2026, 9, 24), date(2026, 12, 8)),
    )
    # An office closure the network adds: Tue 8 Dec closed -> Wed 9 Dec.
    closed = BusinessCalendar(extra_closed=[date(2026, 12, 8)])
    assert review_due.due_dates(ran, closed, {"drill_review_months": 2}) == (
        (date(2026, 9, 24), date(2026, 12, 9)),
    )
    reviewed = replace(ran, findings="問題なし")
    assert review_due.due_dates(reviewed, calendar, {}) == ()

"""The collaboration's timing rules on given dates, with the real Japanese calendar.

Every expected date below was worked out by hand from the calendar; the weekday
and the reason a date moves are noted beside it.

2026 holidays used: 1 Jan, 20 Jul (海の日), 11 Aug (山の日), 21-23 Sep (敬老の日,
国民の休日, 秋分の日), 3 Nov (文化の日). 2027: 1 Jan, 3-5 May (Golden Week).
The office is also closed from 29 December to 3 January.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engine.calendar import BusinessCalendar
from engine.domain.collaboration import ActivityKind, Checkpoint
from engine.workflow.timing import Kind, Recipients
from tests.unit.conftest import (
    activity,
    consultation,
    make_file,
    make_memorandum,
    make_network,
    make_plan,
)
from tests.unit.conftest import make_renewal as renewal
from workflows.collaboration import COLLABORATION, OPEN

RULES = {rule.name: rule for rule in COLLABORATION.timing}
CALENDAR = BusinessCalendar()
DEFAULT_SETTINGS = make_network().timing_settings()


def jst_morning(day: date) -> datetime:
    """09:00 in Japan on ``day``, as the UTC moment a state would be entered."""
    return datetime(day.year, day.month, day.day, 0, 0, tzinfo=UTC)


def due(rule_name: str, snapshot, settings=DEFAULT_SETTINGS) -> list[tuple[date, date]]:
    return list(RULES[rule_name].due_dates(snapshot, CALENDAR, settings))


def approached_on(day: date, **overrides):
    return make_file("approached", state_entered_at=jst_morning(day), **overrides)


def test_every_rule_has_its_states_kind_and_recipients():
    summary = {name: (rule.states, rule.kind, rule.recipients) for name, rule in RULES.items()}
    assert summary == {
        "approach_window_reminder": (("approached",), Kind.REMINDER, Recipients.OWNER),
        "approach_window_escalation": (("approached",), Kind.ESCALATION, Recipients.MANAGERS),
        "consultation_cadence": (("plan",), Kind.REMINDER, Recipients.OWNER),
        "checkpoint_ahead": (("pilot",), Kind.REMINDER, Recipients.OWNER),
        "renewal_review_90": (("renewed",), Kind.REMINDER, Recipients.OWNER),
        "renewal_review_30": (("renewed",), Kind.REMINDER, Recipients.OWNER),
        "renewal_review_7": (("renewed",), Kind.REMINDER, Recipients.OWNER),
        "renewal_review_overdue": (("renewed",), Kind.ESCALATION, Recipients.MANAGERS),
        "stale": (OPEN, Kind.REMINDER, Recipients.OWNER),
    }


# --- approach window ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "reminder", "escalation"),
    [
        # Mon 1 Jun + 2 months = Sat 1 Aug -> Mon 3 Aug; + 3 months = Tue 1 Sep.
        (date(2026, 6, 1), date(2026, 8, 3), date(2026, 9, 1)),
        # Tue 19 May + 2 = Sun 19 Jul, Mon 20 Jul is 海の日 -> Tue 21 Jul; + 3 = Wed 19 Aug.
        (date(2026, 5, 19), date(2026, 7, 21), date(2026, 8, 19)),
        # Thu 23 Jul + 2 = Wed 23 Sep (秋分の日) -> Thu 24 Sep; + 3 = Fri 23 Oct.
        (date(2026, 7, 23), date(2026, 9, 24), date(2026, 10, 23)),
        # Tue 21 Jul + 2 = Mon 21 Sep, the start of three holidays -> Thu 24 Sep.
        (date(2026, 7, 21), date(2026, 9, 24), date(2026, 10, 21)),
        # Thu 29 Oct + 2 = Tue 29 Dec (year-end closure) -> Mon 4 Jan 2027; + 3 = Fri 29 Jan.
        (date(2026, 10, 29), date(2027, 1, 4), date(2027, 1, 29)),
        # Fri 31 Oct 2025 + 2 = Wed 31 Dec (closure to Sat 3 Jan, then Sun) -> Mon 5 Jan 2026;
        # + 3 = Sat 31 Jan -> Mon 2 Feb.
        (date(2025, 10, 31), date(2026, 1, 5), date(2026, 2, 2)),
        # Tue 31 Mar + 2 = Sun 31 May -> Mon 1 Jun; + 3 = Tue 30 Jun (clamped to month end).
        (date(2026, 3, 31), date(2026, 6, 1), date(2026, 6, 30)),
    ],
)
def test_approach_window_with_the_default_2_and_3_months(entered, reminder, escalation):
    snapshot = approached_on(entered)
    assert due("approach_window_reminder", snapshot) == [(entered, reminder)]
    assert due("approach_window_escalation", snapshot) == [(entered, escalation)]


def test_a_three_month_window_sends_reminder_and_escalation_on_the_same_day():
    settings = make_network(approach_reminder_months=3).timing_settings()
    snapshot = approached_on(date(2026, 6, 1))
    # Mon 1 Jun + 3 months = Tue 1 Sep.
    assert due("approach_window_reminder", snapshot, settings) == [
        (date(2026, 6, 1), date(2026, 9, 1))
    ]
    assert due("approach_window_escalation", snapshot, settings) == [
        (date(2026, 6, 1), date(2026, 9, 1))
    ]


def test_a_three_month_window_landing_in_the_year_end_closure():
    settings = make_network(approach_reminder_months=3).timing_settings()
    # Wed 30 Sep + 3 months = Wed 30 Dec (closure) -> Mon 4 Jan 2027.
    snapshot = approached_on(date(2026, 9, 30))
    assert due("approach_window_reminder", snapshot, settings) == [
        (date(2026, 9, 30), date(2027, 1, 4))
    ]


def test_the_network_setting_replaces_the_default_offset():
    rule = RULES["approach_window_reminder"]
    assert rule.offset_for({}).months == 2
    assert rule.offset_for({"approach_reminder_months": 3}).months == 3
    assert rule.offset_for({"unrelated": 9}).months == 2


def test_the_anchor_is_the_japanese_date_the_state_was_entered():
    # 15:30 UTC on Sun 31 May is 00:30 JST on Mon 1 Jun.
    snapshot = make_file("approached", state_entered_at=datetime(2026, 5, 31, 15, 30, tzinfo=UTC))
    assert due("approach_window_reminder", snapshot) == [(date(2026, 6, 1), date(2026, 8, 3))]


def test_once_the_memo_is_signed_the_approach_window_is_silent():
    snapshot = approached_on(
        date(2026, 6, 1), memorandum=make_memorandum(signed_on=date(2026, 7, 10))
    )
    assert due("approach_window_reminder", snapshot) == []
    assert due("approach_window_escalation", snapshot) == []


def test_a_drafted_but_unsigned_memo_keeps_the_approach_window_running():
    snapshot = approached_on(date(2026, 6, 1), memorandum=make_memorandum(signed_on=None))
    assert due("approach_window_reminder", snapshot) == [(date(2026, 6, 1), date(2026, 8, 3))]


# --- renewal review -----------------------------------------------------------------


def renewed(starts_on: date, term_years: int = 1):
    return make_file("renewed", renewal=renewal(starts_on=starts_on, term_years=term_years))


REVIEW_RULES = (
    "renewal_review_90",
    "renewal_review_30",
    "renewal_review_7",
    "renewal_review_overdue",
)


@pytest.mark.parametrize(
    ("starts_on", "term", "review_on", "expected"),
    [
        # Review Thu 1 Apr 2027. -90 = Fri 1 Jan 2027 (closure back to Tue 29 Dec) -> Mon 28 Dec;
        # -30 = Tue 2 Mar; -7 = Thu 25 Mar; +1 = Fri 2 Apr.
        (
            date(2026, 4, 1),
            1,
            date(2027, 4, 1),
            (date(2026, 12, 28), date(2027, 3, 2), date(2027, 3, 25), date(2027, 4, 2)),
        ),
        # Review Sat 8 May 2027. -90 = Sun 7 Feb -> Fri 5 Feb; -30 = Thu 8 Apr;
        # -7 = Sat 1 May -> Fri 30 Apr; +1 = Sun 9 May -> Mon 10 May.
        (
            date(2026, 5, 8),
            1,
            date(2027, 5, 8),
            (date(2027, 2, 5), date(2027, 4, 8), date(2027, 4, 30), date(2027, 5, 10)),
        ),
        # Review Sun 2 May 2027. -90 = Mon 1 Feb; -30 = Fri 2 Apr; -7 = Sun 25 Apr -> Fri 23 Apr;
        # +1 = Mon 3 May (憲法記念日), 4 and 5 May are holidays too -> Thu 6 May.
        (
            date(2026, 5, 2),
            1,
            date(2027, 5, 2),
            (date(2027, 2, 1), date(2027, 4, 2), date(2027, 4, 23), date(2027, 5, 6)),
        ),
        # Review Mon 10 May 2027 after 3 years. -90 = Tue 9 Feb; -30 = Sat 10 Apr -> Fri 9 Apr;
        # -7 = Mon 3 May (holiday), Sun, Sat -> Fri 30 Apr; +1 = Tue 11 May.
        (
            date(2024, 5, 10),
            3,
            date(2027, 5, 10),
            (date(2027, 2, 9), date(2027, 4, 9), date(2027, 4, 30), date(2027, 5, 11)),
        ),
    ],
)
def test_renewal_review_reminders_move_back_and_the_escalation_forward(
    starts_on, term, review_on, expected
):
    snapshot = renewed(starts_on, term)
    assert snapshot.renewal.review_on == review_on
    assert [due(name, snapshot) for name in REVIEW_RULES] == [
        [(review_on, day)] for day in expected
    ]


def test_no_review_date_means_no_review_reminders():
    for snapshot in (make_file("renewed", renewal=None), renewed(date(2026, 4, 1), None)):
        for name in REVIEW_RULES:
            assert due(name, snapshot) == []


# --- pilot checkpoints --------------------------------------------------------------


def test_a_reminder_7_days_before_each_checkpoint():
    plan = make_plan(
        starts_on=date(2026, 6, 1),
        ends_on=date(2027, 3, 31),
        checkpoints=(
            # Mon 31 Aug - 7 = Mon 24 Aug, open.
            Checkpoint(date(2026, 8, 31), "初回確認"),
            # Mon 28 Sep - 7 = Mon 21 Sep (敬老の日), Sun, Sat -> Fri 18 Sep.
            Checkpoint(date(2026, 9, 28), "中間確認"),
            # Fri 8 Jan 2027 - 7 = Fri 1 Jan (closure from 29 Dec) -> Mon 28 Dec 2026.
            Checkpoint(date(2027, 1, 8), "年明け確認"),
        ),
    )
    assert due("checkpoint_ahead", make_file("pilot", plan=plan)) == [
        (date(2026, 8, 31), date(2026, 8, 24)),
        (date(2026, 9, 28), date(2026, 9, 18)),
        (date(2027, 1, 8), date(2026, 12, 28)),
    ]


def test_no_plan_or_no_checkpoint_means_no_checkpoint_reminder():
    assert due("checkpoint_ahead", make_file("pilot", plan=None)) == []
    assert due("checkpoint_ahead", make_file("pilot", plan=make_plan(checkpoints=()))) == []


# --- consultation cadence -----------------------------------------------------------


def planning_since(entered: date, *consultation_days: date):
    return make_file(
        "plan",
        state_entered_at=jst_morning(entered),
        activities=tuple(consultation(day) for day in consultation_days),
    )


def test_a_consultation_reminder_21_days_after_the_last_consultation():
    # Wed 1 Jul + 21 = Wed 22 Jul.
    snapshot = planning_since(date(2026, 6, 15), date(2026, 6, 17), date(2026, 7, 1))
    assert due("consultation_cadence", snapshot) == [(date(2026, 7, 1), date(2026, 7, 22))]


def test_a_consultation_reminder_moves_forward_over_a_holiday():
    # Tue 21 Jul + 21 = Tue 11 Aug (山の日) -> Wed 12 Aug.
    snapshot = planning_since(date(2026, 7, 1), date(2026, 7, 21))
    assert due("consultation_cadence", snapshot) == [(date(2026, 7, 21), date(2026, 8, 12))]


def test_without_a_consultation_the_cadence_counts_from_entering_planning():
    # Mon 15 Jun + 21 = Mon 6 Jul. Hearings are not consultations.
    snapshot = make_file(
        "plan",
        state_entered_at=jst_morning(date(2026, 6, 15)),
        activities=(activity(ActivityKind.HEARING, date(2026, 6, 20)),),
    )
    assert due("consultation_cadence", snapshot) == [(date(2026, 6, 15), date(2026, 7, 6))]


def test_consultations_of_an_earlier_cycle_do_not_move_the_cadence_back():
    # Re-entered planning on Mon 15 Jun 2026 (next cycle); last consultation a year ago.
    snapshot = planning_since(date(2026, 6, 15), date(2025, 7, 1))
    assert due("consultation_cadence", snapshot) == [(date(2026, 6, 15), date(2026, 7, 6))]


# --- stale collaborations -----------------------------------------------------------


@pytest.mark.parametrize(
    ("last_activity_on", "anchor", "expected"),
    [
        # Mon 1 Jun + 30 = Wed 1 Jul.
        (date(2026, 6, 1), date(2026, 6, 1), date(2026, 7, 1)),
        # Sun 4 Oct + 30 = Tue 3 Nov (文化の日) -> Wed 4 Nov.
        (date(2026, 10, 4), date(2026, 10, 4), date(2026, 11, 4)),
        # Sun 29 Nov + 30 = Tue 29 Dec (closure) -> Mon 4 Jan 2027.
        (date(2026, 11, 29), date(2026, 11, 29), date(2027, 1, 4)),
        # Activity before the state was entered (Fri 15 May): count from entry -> Sun 14 Jun
        # -> Mon 15 Jun.
        (date(2026, 4, 1), date(2026, 5, 15), date(2026, 6, 15)),
        # No activity logged yet: count from entry.
        (None, date(2026, 5, 15), date(2026, 6, 15)),
    ],
)
def test_stale_30_days_after_the_last_activity(last_activity_on, anchor, expected):
    snapshot = make_file(
        "pilot",
        state_entered_at=jst_morning(date(2026, 5, 15)),
        last_activity_on=last_activity_on,
    )
    assert due("stale", snapshot) == [(anchor, expected)]


def test_a_reminder_ahead_of_a_date_lapses_once_the_date_has_passed():
    from workflows.collaboration import TIMING

    rule = next(r for r in TIMING if r.name == "checkpoint_ahead")
    file = make_file("pilot")
    assert file.plan is not None and file.plan.checkpoints
    checkpoints = sorted(c.due_on for c in file.plan.checkpoints)
    day_after_first = checkpoints[0] + timedelta(days=1)
    anchors = [a for a, _ in rule.due_dates(file, BusinessCalendar(), {}, day_after_first)]
    assert anchors == checkpoints[1:]

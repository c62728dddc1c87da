"""A network's own offsets and recipients for the lifecycle's timing rules."""

from __future__ import annotations

from datetime import timedelta

from engine.calendar import BusinessCalendar
from engine.workflow.timing import Offset, Override, Recipients
from tests.unit.conftest import make_file, make_network
from workflows.collaboration import TIMING

RULES = {rule.name: rule for rule in TIMING}


def test_an_override_replaces_only_what_it_names():
    stale = RULES["stale"]
    assert stale.offset_for({"stale": Override(days=45)}) == Offset(days=45)
    assert stale.offset_for({"stale": Override(recipients=Recipients.MANAGERS)}) == Offset(days=30)
    assert stale.recipients_for({"stale": Override(recipients=Recipients.MANAGERS)}) == "managers"
    assert stale.recipients_for({}) == "owner"


def test_the_approach_months_setting_and_an_override_combine():
    rule = RULES["approach_window_reminder"]
    settings = {"approach_reminder_months": 3, "approach_window_reminder": Override(days=7)}
    assert rule.offset_for(settings) == Offset(days=7, months=3)


def test_a_reminder_ahead_of_a_date_must_stay_ahead_and_one_after_must_stay_after():
    assert RULES["renewal_review_90"].override_problem(Override(days=-60)) is None
    assert RULES["renewal_review_90"].override_problem(Override(days=10)) is not None
    assert RULES["renewal_review_90"].override_problem(Override(days=0)) is not None
    assert RULES["stale"].override_problem(Override(days=-5)) is not None
    assert RULES["stale"].override_problem(Override(days=60)) is None


def test_a_networks_override_moves_the_due_date():
    file = make_file("approached")
    network = make_network(timing={"stale": Override(days=45)})
    calendar = BusinessCalendar()
    ((anchor, due),) = RULES["stale"].due_dates(file, calendar, network.timing_settings())
    assert due == calendar.next_business_day(anchor + timedelta(days=45))

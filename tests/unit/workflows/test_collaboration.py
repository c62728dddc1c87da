"""The collaboration lifecycle: its transition table, firing, and every guard's verdicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from engine.domain.collaboration import ActivityKind, ApprovalKind, Checkpoint, Kpi
from engine.errors import EventNotAllowed, GuardBlocked, UnknownEvent, VersionConflict
from engine.events import StateChanged
from engine.workflow import fire
from tests.unit.conftest import (
    EXPECTED_TABLE,
    LEAFLETS,
    NOW,
    RESIDENTS,
    TODAY,
    activity,
    complete_file,
    consultation,
    hearing,
    make_approvals,
    make_evaluation,
    make_file,
    make_memorandum,
    make_plan,
    make_renewal,
    make_scorecard,
    measurement,
)
from workflows import collaboration_guards as guards
from workflows.collaboration import COLLABORATION, OPEN, Stage

# --- the transition table ----------------------------------------------------------

ROWS = [
    (state, event, dest) for state, row in EXPECTED_TABLE.items() for event, dest in row.items()
]


def row_id(row: tuple[str, str, str]) -> str:
    return f"{row[0]}-{row[1]}->{row[2]}"


def test_the_table_covers_every_state_and_event_of_the_workflow():
    assert set(EXPECTED_TABLE) == set(COLLABORATION.states) == {s.value for s in Stage}
    assert COLLABORATION.initial == "candidate"
    named = {event for row in EXPECTED_TABLE.values() for event in row}
    assert named == set(COLLABORATION.events)


@pytest.mark.parametrize("state", EXPECTED_TABLE)
def test_events_from_each_state_match_the_table(state):
    offered = COLLABORATION.events_from(state)
    assert {e.name: e.dest for e in offered} == EXPECTED_TABLE[state]
    assert len(offered) == len(EXPECTED_TABLE[state])
    assert set(COLLABORATION.targets_from(state)) == set(EXPECTED_TABLE[state].values())


@pytest.mark.parametrize("state", EXPECTED_TABLE)
def test_the_derived_table_agrees_with_the_machine(state):
    machine = COLLABORATION.machine
    assert set(machine.get_triggers(state)) == set(EXPECTED_TABLE[state])
    for name, dest in EXPECTED_TABLE[state].items():
        transitions = machine.events[name].transitions[state]
        assert len(transitions) == 1
        assert transitions[0].dest == dest


@pytest.mark.parametrize(("state", "event", "dest"), ROWS, ids=map(row_id, ROWS))
def test_event_between_finds_each_row(state, event, dest):
    found = COLLABORATION.event_between(state, dest)
    assert found is not None
    assert found.name == event


def test_event_between_returns_none_for_a_skip():
    assert COLLABORATION.event_between("candidate", "pilot") is None


def test_withdraw_is_offered_from_every_open_state_and_only_reopen_from_withdrawn():
    assert set(OPEN) == set(EXPECTED_TABLE) - {"withdrawn"}
    assert COLLABORATION.events["withdraw"].needs_comment
    assert not any(
        e.needs_comment for name, e in COLLABORATION.events.items() if name != "withdraw"
    )


# --- firing -------------------------------------------------------------------------


def fire_at(state, event, snapshot=None, *, version=4, expected=None, comment="", now=NOW):
    return fire(
        COLLABORATION,
        record_id=42,
        state=state,
        version=version,
        expected_version=version if expected is None else expected,
        snapshot=complete_file(state) if snapshot is None else snapshot,
        event=event,
        now=now,
        actor_id=3,
        comment=comment,
    )


@pytest.mark.parametrize(("state", "event", "dest"), ROWS, ids=map(row_id, ROWS))
def test_each_row_fires_with_a_complete_file(state, event, dest):
    comment = "Partner stopped the service area." if event == "withdraw" else ""

    firing = fire_at(state, event, version=4, comment=comment)

    assert (firing.event, firing.source, firing.dest) == (event, state, dest)
    assert firing.version == 5
    assert firing.at == NOW
    assert firing.comment == comment
    assert all(not check.unmet for check in firing.checks)
    assert firing.events == (StateChanged("collaboration", 42, event, state, dest, NOW, 3),)


def test_a_successful_firing_reports_each_guard_by_name():
    firing = fire_at("approached", "sign_memo")
    assert [(c.guard, c.unmet) for c in firing.checks] == [
        ("hearing_logged", ()),
        ("memorandum_signed", ()),
        ("memo_approved", ()),
    ]


def test_an_unknown_event_is_refused():
    with pytest.raises(UnknownEvent) as caught:
        fire_at("candidate", "teleport")
    assert (caught.value.workflow, caught.value.event) == ("collaboration", "teleport")


def test_an_event_not_offered_from_the_state_lists_the_allowed_ones():
    with pytest.raises(EventNotAllowed) as caught:
        fire_at("candidate", "renew")
    error = caught.value
    assert (error.event, error.state) == ("renew", "candidate")
    assert set(error.allowed) == {"approach", "withdraw"}
    assert "approach" in str(error)
    assert "withdraw" in str(error)


def test_reopen_is_not_offered_from_an_open_state():
    with pytest.raises(EventNotAllowed) as caught:
        fire_at("pilot", "reopen")
    assert set(caught.value.allowed) == {"evaluate", "withdraw"}


def test_a_stale_version_is_refused_before_anything_else():
    with pytest.raises(VersionConflict) as caught:
        fire_at("candidate", "no_such_event", version=5, expected=4)
    error = caught.value
    assert (error.kind, error.key, error.expected, error.actual) == ("collaboration", 42, 4, 5)


def test_a_blocked_event_raises_with_every_unmet_requirement():
    with pytest.raises(GuardBlocked) as caught:
        fire_at("approached", "sign_memo", make_file("approached"), comment="")
    assert caught.value.event == "sign_memo"
    assert codes(caught.value.unmet) == [
        "activity.hearing",
        "memo.signed_on",
        "memo.municipality_signatory",
        "memo.partner_signatory",
        "approval.memo",
    ]


def test_make_file_holds_what_each_state_needed_to_be_entered():
    """Each state's own snapshot lets its forward event fire only with the next records."""
    assert codes(unmet_of("approach", make_file("candidate")))
    assert not unmet_of("approach", make_file("approached"))
    assert not unmet_of("sign_memo", make_file("memo_signed"))
    assert not unmet_of("start_planning", make_file("plan"))
    assert not unmet_of("start_pilot", make_file("pilot"))
    assert not unmet_of("evaluate", make_file("evaluated"))
    assert not unmet_of("renew", make_file("renewed"))
    assert codes(unmet_of("renew", make_file("evaluated"))) == [
        "renewal.term",
        "renewal.approved_on",
        "approval.renewal",
    ]


# --- withdrawing needs a reason -----------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   ", "\n\t"])
def test_withdraw_without_a_reason_is_refused(comment):
    with pytest.raises(GuardBlocked) as caught:
        fire_at("plan", "withdraw", comment=comment)
    assert codes(caught.value.unmet) == ["comment.required"]
    assert texts(caught.value.unmet) == ["Give a reason in the comment."]


def test_withdraw_with_a_reason_records_it():
    firing = fire_at("candidate", "withdraw", make_file("candidate"), comment="Declined by phone.")
    assert firing.dest == "withdrawn"
    assert firing.comment == "Declined by phone."


def test_check_reports_the_missing_comment_as_its_own_result():
    event = COLLABORATION.events["withdraw"]
    results = COLLABORATION.check(event, make_file("plan"), NOW, comment=" ")
    assert [(r.guard, codes(r.unmet)) for r in results] == [("comment_given", ["comment.required"])]
    assert codes(COLLABORATION.unmet(event, make_file("plan"), NOW, comment=None)) == [
        "comment.required"
    ]


# --- helpers for the guards ---------------------------------------------------------


def codes(verdict) -> list[str]:
    return [r.code for r in verdict]


def texts(verdict) -> list[str]:
    return [r.text("en") for r in verdict]


def unmet_of(event: str, snapshot, now: datetime = NOW):
    return COLLABORATION.unmet(COLLABORATION.events[event], snapshot, now)


TOMORROW = TODAY + timedelta(days=1)


# --- scorecard_complete (candidate -> approached) -----------------------------------


def test_scorecard_complete_passes_when_rated_with_a_contact():
    assert guards.scorecard_complete(make_file("candidate", scorecard=make_scorecard()), NOW) == ()


def test_scorecard_missing_asks_for_every_level_and_a_contact():
    verdict = guards.scorecard_complete(make_file("candidate"), NOW)
    assert codes(verdict) == [
        "scorecard.overview",
        "scorecard.management",
        "scorecard.field",
        "scorecard.contact",
    ]
    assert texts(verdict) == [
        "Rate the organisation overview and business health on the scorecard (1-5).",
        "Rate management's stance on collaboration on the scorecard (1-5).",
        "Rate the field staff's motivation on the scorecard (1-5).",
        "Name a contact person on the scorecard.",
    ]


@pytest.mark.parametrize(
    ("missing", "code", "text"),
    [
        (
            "overview_rating",
            "scorecard.overview",
            "Rate the organisation overview and business health on the scorecard (1-5).",
        ),
        (
            "management_rating",
            "scorecard.management",
            "Rate management's stance on collaboration on the scorecard (1-5).",
        ),
        (
            "field_rating",
            "scorecard.field",
            "Rate the field staff's motivation on the scorecard (1-5).",
        ),
    ],
)
def test_scorecard_names_the_unrated_level(missing, code, text):
    card = make_scorecard(**{missing: None})
    verdict = guards.scorecard_complete(make_file("candidate", scorecard=card), NOW)
    assert codes(verdict) == [code]
    assert texts(verdict) == [text]


@pytest.mark.parametrize("contact", ["", "   "])
def test_scorecard_needs_a_named_contact(contact):
    card = make_scorecard(contact_name=contact)
    verdict = guards.scorecard_complete(make_file("candidate", scorecard=card), NOW)
    assert codes(verdict) == ["scorecard.contact"]
    assert texts(verdict) == ["Name a contact person on the scorecard."]


# --- hearing_logged and memorandum_signed (approached -> memo_signed) ----------------


@pytest.mark.parametrize("kind", [ActivityKind.HEARING, ActivityKind.VISIT])
def test_a_past_hearing_or_visit_counts(kind):
    snapshot = make_file("approached", activities=(activity(kind, date(2026, 5, 20)),))
    assert guards.hearing_logged(snapshot, NOW) == ()


def test_a_hearing_today_counts():
    assert guards.hearing_logged(make_file("approached", activities=(hearing(TODAY),)), NOW) == ()


def test_a_hearing_on_todays_japanese_date_counts_while_utc_is_still_yesterday():
    early_morning_in_japan = datetime(2026, 5, 31, 16, 0, tzinfo=UTC)  # 1 June, 01:00 JST
    snapshot = make_file("approached", activities=(hearing(date(2026, 6, 1)),))
    assert guards.hearing_logged(snapshot, early_morning_in_japan) == ()


@pytest.mark.parametrize(
    "activities",
    [
        (),
        (activity(ActivityKind.PHONE, date(2026, 5, 1)),),
        (activity(ActivityKind.LETTER, date(2026, 5, 8)),),
        (consultation(date(2026, 5, 15)),),
        (hearing(TOMORROW),),
        (activity(ActivityKind.VISIT, date(2026, 7, 1)),),
    ],
    ids=[
        "none",
        "phone only",
        "letter only",
        "consultation only",
        "hearing tomorrow",
        "visit ahead",
    ],
)
def test_no_past_hearing_or_visit_fails(activities):
    verdict = guards.hearing_logged(make_file("approached", activities=activities), NOW)
    assert codes(verdict) == ["activity.hearing"]
    assert texts(verdict) == ["Log at least one hearing or visit."]


def test_memorandum_signed_passes_when_dated_and_signed_by_both():
    assert (
        guards.memorandum_signed(make_file("approached", memorandum=make_memorandum()), NOW) == ()
    )


def test_memorandum_signed_today_passes():
    memo = make_memorandum(signed_on=TODAY)
    assert guards.memorandum_signed(make_file("approached", memorandum=memo), NOW) == ()


def test_no_memorandum_asks_for_date_and_both_signatories():
    verdict = guards.memorandum_signed(make_file("approached"), NOW)
    assert codes(verdict) == [
        "memo.signed_on",
        "memo.municipality_signatory",
        "memo.partner_signatory",
    ]
    assert texts(verdict) == [
        "Record the date the memorandum was signed.",
        "Record who signed the memorandum for the municipality.",
        "Record who signed the memorandum for the partner.",
    ]


@pytest.mark.parametrize(
    ("change", "code", "text"),
    [
        ({"signed_on": None}, "memo.signed_on", "Record the date the memorandum was signed."),
        ({"signed_on": TOMORROW}, "memo.signed_on", "Record the date the memorandum was signed."),
        (
            {"municipality_signatory": " "},
            "memo.municipality_signatory",
            "Record who signed the memorandum for the municipality.",
        ),
        (
            {"partner_signatory": ""},
            "memo.partner_signatory",
            "Record who signed the memorandum for the partner.",
        ),
    ],
    ids=["no date", "future date", "no municipality signatory", "no partner signatory"],
)
def test_memorandum_signed_names_what_is_missing(change, code, text):
    memo = make_memorandum(**change)
    verdict = guards.memorandum_signed(make_file("approached", memorandum=memo), NOW)
    assert codes(verdict) == [code]
    assert texts(verdict) == [text]


# --- consultation_started and planner_named (memo_signed -> plan) --------------------


def test_consultation_started_passes_after_a_consultation():
    snapshot = make_file("memo_signed", activities=(consultation(date(2026, 5, 25)),))
    assert guards.consultation_started(snapshot, NOW) == ()


@pytest.mark.parametrize(
    "activities",
    [(), (hearing(date(2026, 5, 1)),), (consultation(TOMORROW),)],
    ids=["none", "hearing only", "consultation scheduled for tomorrow"],
)
def test_consultation_started_fails_without_a_held_consultation(activities):
    verdict = guards.consultation_started(make_file("memo_signed", activities=activities), NOW)
    assert codes(verdict) == ["activity.consultation"]
    assert texts(verdict) == ["Log the first practitioner-level consultation meeting."]


def test_planner_named_passes_with_a_name():
    assert guards.planner_named(make_file("memo_signed", planner="佐藤 美咲"), NOW) == ()


@pytest.mark.parametrize("planner", ["", "  "])
def test_planner_named_fails_without_a_name(planner):
    verdict = guards.planner_named(make_file("memo_signed", planner=planner), NOW)
    assert codes(verdict) == ["collaboration.planner"]
    assert texts(verdict) == ["Name the person in charge of the plan."]


# --- plan_ready (plan -> pilot) -----------------------------------------------------

PLAN_FIELD_TEXTS = {
    "partner_benefit": "Describe what the partner gains from the plan.",
    "municipality_benefit": "Describe what the municipality gains from the plan.",
    "partner_role": "Describe the partner's role.",
    "municipality_role": "Describe the municipality's role.",
    "partner_burden": "Describe the partner's burden and how it is kept light.",
    "municipality_burden": "Describe the municipality's burden.",
}
KPI_TEXT = "Add at least one KPI with a unit and a target."
CHECKPOINT_TEXT = "Add at least one evaluation checkpoint inside the plan's term."
DATES_TEXT = "Give the plan's start and end dates."


def plan_verdict(**change):
    return guards.plan_ready(make_file("plan", plan=make_plan(**change)), NOW)


def test_plan_ready_passes_for_a_complete_plan():
    assert plan_verdict() == ()


def test_no_plan_asks_for_everything():
    verdict = guards.plan_ready(make_file("plan"), NOW)
    assert codes(verdict) == [
        *(f"plan.{name}" for name in PLAN_FIELD_TEXTS),
        "plan.kpi",
        "plan.checkpoint",
        "plan.dates",
    ]
    assert texts(verdict) == [*PLAN_FIELD_TEXTS.values(), KPI_TEXT, CHECKPOINT_TEXT, DATES_TEXT]


@pytest.mark.parametrize("field", PLAN_FIELD_TEXTS)
def test_plan_ready_names_each_blank_description(field):
    verdict = plan_verdict(**{field: "  "})
    assert codes(verdict) == [f"plan.{field}"]
    assert texts(verdict) == [PLAN_FIELD_TEXTS[field]]


@pytest.mark.parametrize(
    "kpis",
    [
        (),
        (Kpi("Residents spoken to", "", 200, id=11),),
        (Kpi("Residents spoken to", "people", 0, id=11),),
    ],
    ids=["no KPI", "KPI without unit", "KPI with zero target"],
)
def test_plan_ready_needs_a_kpi_with_unit_and_target(kpis):
    verdict = plan_verdict(kpis=kpis)
    assert codes(verdict) == ["plan.kpi"]
    assert texts(verdict) == [KPI_TEXT]


def test_one_good_kpi_among_bad_ones_is_enough():
    assert plan_verdict(kpis=(Kpi("Leaflets", "", 0, id=1), RESIDENTS)) == ()


@pytest.mark.parametrize(
    "change",
    [
        {"starts_on": None},
        {"ends_on": None},
        {"starts_on": date(2026, 3, 1), "ends_on": date(2025, 9, 1)},
        {"starts_on": date(2025, 9, 1), "ends_on": date(2025, 9, 1)},
    ],
    ids=["no start", "no end", "end before start", "end on start"],
)
def test_plan_ready_needs_a_start_before_the_end(change):
    verdict = plan_verdict(**change)
    # Without a valid term no checkpoint can be inside it.
    assert codes(verdict) == ["plan.checkpoint", "plan.dates"]
    assert texts(verdict) == [CHECKPOINT_TEXT, DATES_TEXT]


@pytest.mark.parametrize(
    "due_on",
    [date(2025, 8, 29), date(2026, 2, 28), date(2026, 6, 30)],
    ids=["before the start", "after the end", "long after"],
)
def test_a_checkpoint_outside_the_term_fails(due_on):
    verdict = plan_verdict(checkpoints=(Checkpoint(due_on, "確認"),))
    assert codes(verdict) == ["plan.checkpoint"]
    assert texts(verdict) == [CHECKPOINT_TEXT]


def test_no_checkpoint_fails():
    assert codes(plan_verdict(checkpoints=())) == ["plan.checkpoint"]


def test_a_checkpoint_on_the_last_day_is_inside_the_term():
    assert plan_verdict(checkpoints=(Checkpoint(date(2026, 2, 27), "最終確認"),)) == ()


def test_plan_ready_lists_every_problem_at_once():
    verdict = plan_verdict(partner_role="", kpis=(), checkpoints=())
    assert codes(verdict) == ["plan.partner_role", "plan.kpi", "plan.checkpoint"]


# --- kpis_measured and evaluation_written (pilot -> evaluated) -----------------------


def test_kpis_measured_passes_when_every_kpi_has_a_value():
    assert guards.kpis_measured(make_file("evaluated"), NOW) == ()


def test_kpis_measured_names_the_unmeasured_kpi():
    snapshot = make_file("pilot", measurements=(measurement(RESIDENTS, 150),))
    verdict = guards.kpis_measured(snapshot, NOW)
    assert codes(verdict) == ["kpi.measured"]
    assert texts(verdict) == ["Record a measured value for the KPI “Leaflets handed out”."]
    assert LEAFLETS.name in verdict[0].text("en")


def test_kpis_measured_names_every_unmeasured_kpi():
    verdict = guards.kpis_measured(make_file("pilot"), NOW)
    assert codes(verdict) == ["kpi.measured", "kpi.measured"]
    assert texts(verdict) == [
        "Record a measured value for the KPI “Residents spoken to”.",
        "Record a measured value for the KPI “Leaflets handed out”.",
    ]


def test_a_measurement_of_a_kpi_not_in_the_plan_does_not_count():
    stray = replace(measurement(RESIDENTS, 10), kpi_id=999)
    snapshot = make_file("pilot", measurements=(stray, measurement(LEAFLETS, 1)))
    assert texts(guards.kpis_measured(snapshot, NOW)) == [
        "Record a measured value for the KPI “Residents spoken to”."
    ]


@pytest.mark.parametrize("plan", [None, make_plan(kpis=())], ids=["no plan", "plan without KPIs"])
def test_kpis_measured_without_kpis_asks_for_one(plan):
    verdict = guards.kpis_measured(make_file("pilot", plan=plan), NOW)
    assert codes(verdict) == ["plan.kpi"]
    assert texts(verdict) == [KPI_TEXT]


def test_evaluation_written_passes_with_both_notes():
    assert guards.evaluation_written(make_file("pilot", evaluation=make_evaluation()), NOW) == ()


@pytest.mark.parametrize(
    "evaluation",
    [None, make_evaluation(went_well=""), make_evaluation(to_improve="   ")],
    ids=["none", "nothing went well", "whitespace to improve"],
)
def test_evaluation_written_needs_both_notes(evaluation):
    verdict = guards.evaluation_written(make_file("pilot", evaluation=evaluation), NOW)
    assert codes(verdict) == ["evaluation.notes"]
    assert texts(verdict) == ["Write what went well and what to improve in the evaluation."]


# --- renewal_approved (evaluated -> renewed) ----------------------------------------

TERM_TEXT = "Choose a renewal term of 1 to 3 years."
APPROVAL_TEXT = "Record the date the decision maker approved the renewal."


@pytest.mark.parametrize("term", [1, 2, 3])
def test_a_renewal_of_1_to_3_years_passes(term):
    renewal = make_renewal(term_years=term)
    assert guards.renewal_approved(make_file("evaluated", renewal=renewal), NOW) == ()


@pytest.mark.parametrize("term", [None, 0, 4, -1])
def test_a_renewal_term_outside_1_to_3_years_fails(term):
    renewal = make_renewal(term_years=term)
    verdict = guards.renewal_approved(make_file("evaluated", renewal=renewal), NOW)
    assert codes(verdict) == ["renewal.term"]
    assert texts(verdict) == [TERM_TEXT]


@pytest.mark.parametrize("approved_on", [None, TOMORROW], ids=["no date", "future date"])
def test_a_renewal_needs_a_past_approval_date(approved_on):
    renewal = make_renewal(approved_on=approved_on)
    verdict = guards.renewal_approved(make_file("evaluated", renewal=renewal), NOW)
    assert codes(verdict) == ["renewal.approved_on"]
    assert texts(verdict) == [APPROVAL_TEXT]


def test_no_renewal_asks_for_term_and_approval():
    verdict = guards.renewal_approved(make_file("evaluated"), NOW)
    assert codes(verdict) == ["renewal.term", "renewal.approved_on"]
    assert texts(verdict) == [TERM_TEXT, APPROVAL_TEXT]


# --- options: what the board shows for a card ----------------------------------------


@pytest.mark.parametrize("state", EXPECTED_TABLE)
def test_options_offer_every_event_of_the_state(state):
    options = COLLABORATION.options(state, complete_file(state), NOW)
    assert {o.event.name: o.event.dest for o in options} == EXPECTED_TABLE[state]
    # Comments are asked for when firing, so withdraw is shown as allowed too.
    assert all(o.allowed for o in options)
    assert all(o.unmet == () for o in options)


def test_options_show_what_blocks_each_event():
    options = {o.event.name: o for o in COLLABORATION.options("evaluated", make_file("pilot"), NOW)}
    assert set(options) == {"renew", "revise_plan", "withdraw"}
    assert not options["renew"].allowed
    assert codes(options["renew"].unmet) == [
        "renewal.term",
        "renewal.approved_on",
        "approval.renewal",
    ]
    assert options["revise_plan"].allowed
    assert options["withdraw"].allowed
    assert options["withdraw"].event.needs_comment


def test_options_of_a_fresh_candidate():
    (approach, withdraw) = sorted(
        COLLABORATION.options("candidate", make_file("candidate"), NOW), key=lambda o: o.event.name
    )
    assert approach.event.name == "approach"
    assert not approach.allowed
    assert codes(approach.unmet) == [
        "scorecard.overview",
        "scorecard.management",
        "scorecard.field",
        "scorecard.contact",
    ]
    assert withdraw.allowed


def test_options_combine_the_unmet_requirements_of_all_guards_in_order():
    options = COLLABORATION.options("pilot", make_file("pilot", evaluation=None), NOW)
    evaluate = next(o for o in options if o.event.name == "evaluate")
    assert codes(evaluate.unmet) == ["kpi.measured", "kpi.measured", "evaluation.notes"]


def test_options_use_the_time_given():
    snapshot = make_file("approached", activities=(hearing(TOMORROW),))
    snapshot = replace(
        snapshot,
        memorandum=make_memorandum(signed_on=TOMORROW),
        approvals=make_approvals(ApprovalKind.MEMO),
    )
    today = {o.event.name: o for o in COLLABORATION.options("approached", snapshot, NOW)}
    tomorrow = {
        o.event.name: o
        for o in COLLABORATION.options("approached", snapshot, NOW + timedelta(days=1))
    }
    assert codes(today["sign_memo"].unmet) == ["activity.hearing", "memo.signed_on"]
    assert tomorrow["sign_memo"].allowed


def test_memo_signing_and_renewal_need_a_managers_approval_for_the_current_cycle():
    memo = unmet_of("sign_memo", make_file("memo_signed", approvals=()))
    assert codes(memo) == ["approval.memo"]
    assert "A manager must approve signing the memorandum." in [r.message for r in memo]
    renewed = make_file("renewed")
    next_cycle = replace(renewed, collaboration=replace(renewed.collaboration, cycle=2))
    assert codes(unmet_of("renew", next_cycle)) == ["approval.renewal"]

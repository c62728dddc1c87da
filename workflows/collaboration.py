"""The collaboration lifecycle of the guidebook: states, events, guards, timing rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from engine.clock import local_date
from engine.domain.collaboration import ActivityKind, CollaborationFile
from engine.i18n import N_
from engine.workflow import Event, Offset, TimingRule, Workflow
from engine.workflow.timing import Kind, Recipients
from workflows.collaboration_guards import (
    consultation_started,
    evaluation_written,
    hearing_logged,
    kpis_measured,
    memo_approved,
    memorandum_signed,
    plan_ready,
    planner_named,
    renewal_approved,
    renewal_manager_approved,
    scorecard_complete,
)


class Stage(StrEnum):
    """The states of a collaboration, in pipeline order."""

    CANDIDATE = "candidate"
    APPROACHED = "approached"
    MEMO_SIGNED = "memo_signed"
    PLAN = "plan"
    PILOT = "pilot"
    EVALUATED = "evaluated"
    RENEWED = "renewed"
    WITHDRAWN = "withdrawn"


OPEN = tuple(s.value for s in Stage if s is not Stage.WITHDRAWN)

STAGE_LABELS = {
    Stage.CANDIDATE: N_("Candidate"),
    Stage.APPROACHED: N_("Approached"),
    Stage.MEMO_SIGNED: N_("Memorandum signed"),
    Stage.PLAN: N_("Planning"),
    Stage.PILOT: N_("Pilot"),
    Stage.EVALUATED: N_("Evaluated"),
    Stage.RENEWED: N_("Renewed"),
    Stage.WITHDRAWN: N_("Withdrawn"),
}

EVENTS = (
    Event(
        "approach",
        (Stage.CANDIDATE,),
        Stage.APPROACHED,
        N_("Start the approach"),
        (scorecard_complete,),
    ),
    Event(
        "sign_memo",
        (Stage.APPROACHED,),
        Stage.MEMO_SIGNED,
        N_("Sign the memorandum"),
        (hearing_logged, memorandum_signed, memo_approved),
    ),
    Event(
        "start_planning",
        (Stage.MEMO_SIGNED,),
        Stage.PLAN,
        N_("Start planning"),
        (consultation_started, planner_named),
    ),
    Event("start_pilot", (Stage.PLAN,), Stage.PILOT, N_("Start the pilot"), (plan_ready,)),
    Event(
        "evaluate",
        (Stage.PILOT,),
        Stage.EVALUATED,
        N_("Complete the evaluation"),
        (kpis_measured, evaluation_written),
    ),
    Event(
        "renew",
        (Stage.EVALUATED,),
        Stage.RENEWED,
        N_("Renew"),
        (renewal_approved, renewal_manager_approved),
    ),
    Event(
        "revise_plan",
        (Stage.EVALUATED,),
        Stage.PLAN,
        N_("Revise the plan and run again"),
        effects=("new_cycle",),
    ),
    Event(
        "next_cycle",
        (Stage.RENEWED,),
        Stage.PLAN,
        N_("Plan the next cycle"),
        effects=("new_cycle",),
    ),
    Event("withdraw", OPEN, Stage.WITHDRAWN, N_("Withdraw"), needs_comment=True),
    Event("reopen", (Stage.WITHDRAWN,), Stage.CANDIDATE, N_("Reopen as a candidate")),
)


def _entered(file: CollaborationFile) -> Iterable[date]:
    return (local_date(file.collaboration.state_entered_at),)


def _memo_signed(file: CollaborationFile, anchor: date) -> bool:
    memo = file.memorandum
    return memo is not None and memo.signed_on is not None


def _last_consultation_or_entry(file: CollaborationFile) -> Iterable[date]:
    dates = [a.occurred_on for a in file.activities if a.kind == ActivityKind.CONSULTATION]
    dates.append(local_date(file.collaboration.state_entered_at))
    return (max(dates),)


def _checkpoints(file: CollaborationFile) -> Iterable[date]:
    return tuple(c.due_on for c in file.plan.checkpoints) if file.plan else ()


def _review(file: CollaborationFile) -> Iterable[date]:
    review = file.renewal.review_on if file.renewal else None
    return (review,) if review else ()


def _last_activity(file: CollaborationFile) -> Iterable[date]:
    entered = local_date(file.collaboration.state_entered_at)
    last = file.collaboration.last_activity_on
    return (max(last, entered) if last else entered,)


TIMING = (
    TimingRule(
        "approach_window_reminder",
        (Stage.APPROACHED,),
        Kind.REMINDER,
        Recipients.OWNER,
        N_("The approach window is closing: aim to sign the memorandum soon."),
        _entered,
        Offset(months=2),
        "approach_reminder_months",
        _memo_signed,
    ),
    TimingRule(
        "approach_window_escalation",
        (Stage.APPROACHED,),
        Kind.ESCALATION,
        Recipients.MANAGERS,
        N_("The approach window has closed without a signed memorandum."),
        _entered,
        Offset(months=3),
        "approach_escalation_months",
        _memo_signed,
    ),
    TimingRule(
        "consultation_cadence",
        (Stage.PLAN,),
        Kind.REMINDER,
        Recipients.OWNER,
        N_("No consultation meeting for three weeks: schedule the next one."),
        _last_consultation_or_entry,
        Offset(days=21),
    ),
    TimingRule(
        "checkpoint_ahead",
        (Stage.PILOT,),
        Kind.REMINDER,
        Recipients.OWNER,
        N_("An evaluation checkpoint is coming up."),
        _checkpoints,
        Offset(days=-7),
    ),
    TimingRule(
        "renewal_review_90",
        (Stage.RENEWED,),
        Kind.REMINDER,
        Recipients.OWNER,
        N_("The renewal review is due in 90 days."),
        _review,
        Offset(days=-90),
    ),
    TimingRule(
        "renewal_review_30",
        (Stage.RENEWED,),
        Kind.REMINDER,
        Recipients.OWNER,
        N_("The renewal review is due in 30 days."),
        _review,
        Offset(days=-30),
    ),
    TimingRule(
        "renewal_review_7",
        (Stage.RENEWED,),
        Kind.REMINDER,
        Recipients.OWNER,
        N_("The renewal review is due in 7 days."),
        _review,
        Offset(days=-7),
    ),
    TimingRule(
        "renewal_review_overdue",
        (Stage.RENEWED,),
        Kind.ESCALATION,
        Recipients.MANAGERS,
        N_("The renewal review date has passed."),
        _review,
        Offset(days=1),
    ),
    TimingRule(
        "stale",
        OPEN,
        Kind.REMINDER,
        Recipients.OWNER,
        N_("No activity for 30 days."),
        _last_activity,
        Offset(days=30),
    ),
)

COLLABORATION = Workflow(
    "collaboration",
    states=(s.value for s in Stage),
    initial=Stage.CANDIDATE,
    events=EVENTS,
    timing=TIMING,
    labels=STAGE_LABELS,
)

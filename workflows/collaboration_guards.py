"""Guards of the collaboration lifecycle: pure checks of a CollaborationFile at a time."""

from __future__ import annotations

from datetime import datetime

from engine.clock import local_date
from engine.domain.collaboration import (
    FACE_TO_FACE,
    ActivityKind,
    ApprovalKind,
    CollaborationFile,
)
from engine.i18n import N_
from engine.workflow import PASS, Requirement, Verdict

SCORE_LEVELS = tuple(
    (f"{level}_rating", Requirement(f"scorecard.{level}", message))
    for level, message in (
        (
            "overview",
            N_("Rate the organisation overview and business health on the scorecard (1-5)."),
        ),
        ("management", N_("Rate management's stance on collaboration on the scorecard (1-5).")),
        ("field", N_("Rate the field staff's motivation on the scorecard (1-5).")),
    )
)
CONTACT = Requirement("scorecard.contact", N_("Name a contact person on the scorecard."))
CONSULTATIONS = frozenset({ActivityKind.CONSULTATION})
HEARING = Requirement("activity.hearing", N_("Log at least one hearing or visit."))
MEMO_DATE = Requirement("memo.signed_on", N_("Record the date the memorandum was signed."))
MEMO_MUNICIPALITY = Requirement(
    "memo.municipality_signatory", N_("Record who signed the memorandum for the municipality.")
)
MEMO_PARTNER = Requirement(
    "memo.partner_signatory", N_("Record who signed the memorandum for the partner.")
)
CONSULTATION = Requirement(
    "activity.consultation", N_("Log the first practitioner-level consultation meeting.")
)
PLANNER = Requirement("collaboration.planner", N_("Name the person in charge of the plan."))
PLAN_FIELDS = tuple(
    (name, Requirement(f"plan.{name}", message))
    for name, message in (
        ("partner_benefit", N_("Describe what the partner gains from the plan.")),
        ("municipality_benefit", N_("Describe what the municipality gains from the plan.")),
        ("partner_role", N_("Describe the partner's role.")),
        ("municipality_role", N_("Describe the municipality's role.")),
        ("partner_burden", N_("Describe the partner's burden and how it is kept light.")),
        ("municipality_burden", N_("Describe the municipality's burden.")),
    )
)
PLAN_DATES = Requirement("plan.dates", N_("Give the plan's start and end dates."))
PLAN_KPI = Requirement("plan.kpi", N_("Add at least one KPI with a unit and a target."))
PLAN_CHECKPOINT = Requirement(
    "plan.checkpoint", N_("Add at least one evaluation checkpoint inside the plan's term.")
)
EVALUATION_NOTES = Requirement(
    "evaluation.notes", N_("Write what went well and what to improve in the evaluation.")
)
RENEWAL_TERM = Requirement("renewal.term", N_("Choose a renewal term of 1 to 3 years."))
RENEWAL_APPROVAL = Requirement(
    "renewal.approved_on", N_("Record the date the decision maker approved the renewal.")
)

MEMO_APPROVAL = Requirement("approval.memo", N_("A manager must approve signing the memorandum."))
RENEWAL_MANAGER_APPROVAL = Requirement(
    "approval.renewal", N_("A manager must approve the renewal.")
)


def scorecard_complete(file: CollaborationFile, now: datetime) -> Verdict:
    """The three-level scorecard is rated and names a contact."""
    card = file.scorecard
    if card is None:
        return (*(requirement for _, requirement in SCORE_LEVELS), CONTACT)
    unmet: Verdict = PASS
    for attribute, requirement in SCORE_LEVELS:
        if getattr(card, attribute) is None:
            unmet += (requirement,)
    if not card.contact_name.strip():
        unmet += (CONTACT,)
    return unmet


def _held(file: CollaborationFile, now: datetime, kinds: frozenset[ActivityKind]) -> bool:
    today = local_date(now)
    return any(a.kind in kinds and a.occurred_on <= today for a in file.activities)


def hearing_logged(file: CollaborationFile, now: datetime) -> Verdict:
    """At least one hearing or visit has taken place."""
    return PASS if _held(file, now, FACE_TO_FACE) else (HEARING,)


def memorandum_signed(file: CollaborationFile, now: datetime) -> Verdict:
    """The memorandum has a signing date (not ahead) and both signatories."""
    memo = file.memorandum
    if memo is None:
        return (MEMO_DATE, MEMO_MUNICIPALITY, MEMO_PARTNER)
    unmet: Verdict = PASS
    if memo.signed_on is None or memo.signed_on > local_date(now):
        unmet += (MEMO_DATE,)
    if not memo.municipality_signatory.strip():
        unmet += (MEMO_MUNICIPALITY,)
    if not memo.partner_signatory.strip():
        unmet += (MEMO_PARTNER,)
    return unmet


def memo_approved(file: CollaborationFile, now: datetime) -> Verdict:
    """A manager has approved signing the memorandum."""
    return PASS if file.approval(ApprovalKind.MEMO) else (MEMO_APPROVAL,)


def consultation_started(file: CollaborationFile, now: datetime) -> Verdict:
    """A practitioner-level consultation has been held."""
    return PASS if _held(file, now, CONSULTATIONS) else (CONSULTATION,)


def planner_named(file: CollaborationFile, now: datetime) -> Verdict:
    """Someone is in charge of the plan."""
    return PASS if file.collaboration.planner.strip() else (PLANNER,)


def plan_ready(file: CollaborationFile, now: datetime) -> Verdict:
    """The plan states benefits, roles, burden, a KPI, a checkpoint inside its term and dates."""
    plan = file.plan
    if plan is None:
        return (
            *(requirement for _, requirement in PLAN_FIELDS),
            PLAN_KPI,
            PLAN_CHECKPOINT,
            PLAN_DATES,
        )
    unmet: Verdict = PASS
    for attribute, requirement in PLAN_FIELDS:
        if not getattr(plan, attribute).strip():
            unmet += (requirement,)
    if not any(k.name.strip() and k.unit.strip() and k.target > 0 for k in plan.kpis):
        unmet += (PLAN_KPI,)
    if plan.starts_on is None or plan.ends_on is None or plan.ends_on <= plan.starts_on:
        return (*unmet, PLAN_CHECKPOINT, PLAN_DATES)
    if not any(plan.starts_on < c.due_on <= plan.ends_on for c in plan.checkpoints):
        unmet += (PLAN_CHECKPOINT,)
    return unmet


def kpis_measured(file: CollaborationFile, now: datetime) -> Verdict:
    """Every KPI of the current plan has at least one measured value."""
    if file.plan is None or not file.plan.kpis:
        return (PLAN_KPI,)
    measured = {m.kpi_id for m in file.measurements}
    return tuple(
        Requirement(
            "kpi.measured", N_("Record a measured value for the KPI “{kpi}”."), {"kpi": k.name}
        )
        for k in file.plan.kpis
        if k.id not in measured
    )


def evaluation_written(file: CollaborationFile, now: datetime) -> Verdict:
    """The evaluation says what went well and what to improve."""
    evaluation = file.evaluation
    if evaluation and evaluation.went_well.strip() and evaluation.to_improve.strip():
        return PASS
    return (EVALUATION_NOTES,)


def renewal_approved(file: CollaborationFile, now: datetime) -> Verdict:
    """A renewal of 1-3 years has been approved on a recorded date."""
    renewal = file.renewal
    if renewal is None:
        return (RENEWAL_TERM, RENEWAL_APPROVAL)
    unmet: Verdict = PASS
    if renewal.term_years is None or not 1 <= renewal.term_years <= 3:
        unmet += (RENEWAL_TERM,)
    if renewal.approved_on is None or renewal.approved_on > local_date(now):
        unmet += (RENEWAL_APPROVAL,)
    return unmet


def renewal_manager_approved(file: CollaborationFile, now: datetime) -> Verdict:
    """A manager has approved this cycle's renewal."""
    return PASS if file.approval(ApprovalKind.RENEWAL) else (RENEWAL_MANAGER_APPROVAL,)

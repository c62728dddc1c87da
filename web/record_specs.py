"""The record forms of a collaboration: what each shows filled in, and how each is saved."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    ApprovalKind,
    Checkpoint,
    CollaborationFile,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.i18n import N_
from engine.store.services import CollaborationService, Context, RecordService
from web.form_input import FormInput, iso, plain_number

RATING = (1, 5, N_("Choose a rating from 1 to 5."))
TERM = (1, 3, N_("The renewal term is 1 to 3 years."))
LEVELS = ("overview", "management", "field")
PLAN_TEXT = (
    "partner_benefit",
    "municipality_benefit",
    "partner_role",
    "municipality_role",
    "partner_burden",
    "municipality_burden",
)
ACTIVITY_KINDS = {
    "hearing": N_("Hearing"),
    "visit": N_("Visit"),
    "consultation": N_("Consultation meeting"),
    "phone": N_("Phone call"),
    "letter": N_("Letter"),
}
APPROVAL_KINDS = {
    "memo": N_("Signing the memorandum"),
    "renewal": N_("The renewal"),
}

Prefill = Callable[[CollaborationFile, Mapping[str, str]], dict[str, Any]]
Save = Callable[[Context, Viewer, CollaborationFile, FormInput], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class RecordForm:
    """One form: its title, who may use it, its fields, how it is filled in and saved."""

    name: str
    title: str
    permission: Permission
    fields: frozenset[str]
    prefill: Prefill
    save: Save


def _id(file: CollaborationFile) -> int:
    assert file.collaboration.id is not None
    return file.collaboration.id


def _records(ctx: Context, viewer: Viewer) -> RecordService:
    return RecordService(ctx, viewer.scope)


# --- scorecard ------------------------------------------------------------------------------


def scorecard_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The scorecard form's fields as they are stored (what the form shows first)."""
    card = file.scorecard or Scorecard()
    values: dict[str, Any] = {"version": card.version}
    for level in LEVELS:
        rating = getattr(card, f"{level}_rating")
        values[f"{level}_rating"] = "" if rating is None else str(rating)
        values[f"{level}_note"] = getattr(card, f"{level}_note")
    values.update(contact_name=card.contact_name, contact_title=card.contact_title)
    return values


async def save_scorecard(
    ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput
) -> str:
    """Check and save the scorecard form; returns the confirmation message id."""
    ratings = {f"{level}_rating": d.whole(f"{level}_rating", within=RATING) for level in LEVELS}
    notes = {f"{level}_note": d.text(f"{level}_note") for level in LEVELS}
    card = Scorecard(
        **ratings,  # type: ignore[arg-type]
        **notes,
        contact_name=d.text("contact_name", limit=100),
        contact_title=d.text("contact_title", limit=100),
        version=d.version(),
    )
    d.check()
    await _records(ctx, viewer).save_scorecard(_id(file), card, viewer.actor)
    return N_("The scorecard was saved.")


def _kind_asked(params: Mapping[str, str], kinds: Collection[str]) -> dict[str, Any]:
    """The ``?kind=`` the form was opened with, when it is one of ``kinds``."""
    kind = params.get("kind", "")
    return {"kind": kind if kind in kinds else ""}


# --- activity -------------------------------------------------------------------------------


def activity_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The contact or meeting form's fields as they are stored (what the form shows first)."""
    return _kind_asked(params, ACTIVITY_KINDS)


async def save_activity(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the contact or meeting form; returns the confirmation message id."""
    kind = d.raw("kind")
    if kind not in ACTIVITY_KINDS:
        d.errors["kind"] = N_("Choose what kind of contact it was.")
    activity = Activity(
        None,
        _id(file),
        ActivityKind(kind) if kind in ACTIVITY_KINDS else ActivityKind.PHONE,
        d.day("occurred_on", required=True),  # type: ignore[arg-type]
        d.text("summary", limit=500, required=True),
        agenda=d.text("agenda", limit=10000),
        minutes=d.text("minutes", limit=10000),
        decisions=d.text("decisions", limit=10000),
        duration_minutes=d.whole("duration_minutes"),
        participants=d.text("participants", limit=10000),
    )
    d.check()
    await _records(ctx, viewer).log_activity(activity, viewer.actor)
    return N_("The activity was logged.")


# --- memorandum and planner -----------------------------------------------------------------


def memorandum_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The memorandum form's fields as they are stored (what the form shows first)."""
    memo = file.memorandum or Memorandum()
    return {
        "signed_on": iso(memo.signed_on),
        "municipality_signatory": memo.municipality_signatory,
        "partner_signatory": memo.partner_signatory,
        "title": memo.title,
        "version": memo.version,
    }


async def save_memorandum(
    ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput
) -> str:
    """Check and save the memorandum form; returns the confirmation message id."""
    memo = Memorandum(
        d.day("signed_on"),
        d.text("municipality_signatory", limit=100),
        d.text("partner_signatory", limit=100),
        d.text("title", limit=200),
        version=d.version(),
    )
    d.check()
    await _records(ctx, viewer).save_memorandum(_id(file), memo, viewer.actor)
    return N_("The memorandum was saved.")


def planner_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The planner form's fields as they are stored (what the form shows first)."""
    return {"planner": file.collaboration.planner, "version": file.collaboration.version}


async def save_planner(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the planner form; returns the confirmation message id."""
    planner = d.text("planner", limit=100, required=True)
    d.check()
    await CollaborationService(ctx, viewer.scope).assign(
        _id(file), expected_version=d.version(), actor=viewer.actor, planner=planner
    )
    return N_("The person in charge of the plan was saved.")


# --- plan -----------------------------------------------------------------------------------


def plan_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The plan form's fields as they are stored (what the form shows first)."""
    plan = file.plan or Plan(cycle=file.collaboration.cycle)
    values: dict[str, Any] = {name: getattr(plan, name) for name in PLAN_TEXT}
    values.update(starts_on=iso(plan.starts_on), ends_on=iso(plan.ends_on), version=plan.version)
    values["kpis"] = [
        {
            "kpi_id": str(k.id or ""),
            "kpi_name": k.name,
            "kpi_unit": k.unit,
            "kpi_target": plain_number(k.target),
        }
        for k in plan.kpis
    ]
    values["checkpoints"] = [
        {"checkpoint_due_on": iso(c.due_on), "checkpoint_label": c.label} for c in plan.checkpoints
    ]
    return values


def plan_rows(d: FormInput) -> dict[str, Any]:
    """The repeated KPI and checkpoint rows as sent, for showing the form again."""
    return {
        "kpis": d.rows("kpi_id", "kpi_name", "kpi_unit", "kpi_target"),
        "checkpoints": d.rows("checkpoint_due_on", "checkpoint_label"),
    }


async def save_plan(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the plan form; returns the confirmation message id."""
    rows = plan_rows(d)
    kpis = []
    for i, row in enumerate(rows["kpis"]):
        target = d.number(f"kpis.{i}.target", raw=row["kpi_target"], required=True)
        kpi_id = row["kpi_id"]
        kpis.append(
            Kpi(
                row["kpi_name"],
                row["kpi_unit"],
                target if target is not None else 0.0,
                id=int(kpi_id) if kpi_id.isdigit() and len(kpi_id) <= 9 else None,
            )
        )
    checkpoints = []
    for i, row in enumerate(rows["checkpoints"]):
        due_on = d.day(f"checkpoints.{i}.due_on", raw=row["checkpoint_due_on"], required=True)
        if due_on is not None:
            checkpoints.append(Checkpoint(due_on, row["checkpoint_label"]))
    plan = Plan(
        cycle=file.collaboration.cycle,
        **{name: d.text(name, limit=5000) for name in PLAN_TEXT},
        starts_on=d.day("starts_on"),
        ends_on=d.day("ends_on"),
        kpis=tuple(kpis),
        checkpoints=tuple(checkpoints),
        version=d.version(),
    )
    d.check()
    await _records(ctx, viewer).save_plan(_id(file), plan, viewer.actor)
    return N_("The plan was saved.")


# --- measurement, evaluation, renewal -------------------------------------------------------


def measurement_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The measured KPI value form's fields as they are stored (what the form shows first)."""
    return {"kpi_id": ""}


async def save_measurement(
    ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput
) -> str:
    """Check and save the measured KPI value form; returns the confirmation message id."""
    kpi_id = d.whole("kpi_id", required=True)
    start = d.day("period_start", required=True)
    end = d.day("period_end", required=True)
    value = d.number("value", required=True)
    note = d.text("note")
    d.check()
    assert kpi_id is not None and start and end and value is not None
    measurement = Measurement(kpi_id, start, end, value, note)
    await _records(ctx, viewer).record_measurement(_id(file), measurement, viewer.actor)
    return N_("The measured value was recorded.")


def evaluation_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The evaluation form's fields as they are stored (what the form shows first)."""
    evaluation = file.evaluation or Evaluation(cycle=file.collaboration.cycle)
    return {
        "evaluated_on": iso(evaluation.evaluated_on),
        "went_well": evaluation.went_well,
        "to_improve": evaluation.to_improve,
        "version": evaluation.version,
    }


async def save_evaluation(
    ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput
) -> str:
    """Check and save the evaluation form; returns the confirmation message id."""
    evaluation = Evaluation(
        file.collaboration.cycle,
        d.day("evaluated_on"),
        d.text("went_well", limit=10000),
        d.text("to_improve", limit=10000),
        version=d.version(),
    )
    d.check()
    await _records(ctx, viewer).save_evaluation(_id(file), evaluation, viewer.actor)
    return N_("The evaluation was saved.")


def renewal_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The renewal form's fields as they are stored (what the form shows first)."""
    renewal = file.renewal or Renewal(cycle=file.collaboration.cycle)
    return {
        "approved_on": iso(renewal.approved_on),
        "approved_by": renewal.approved_by,
        "term_years": "" if renewal.term_years is None else str(renewal.term_years),
        "starts_on": iso(renewal.starts_on),
        "version": renewal.version,
    }


async def save_renewal(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the renewal form; returns the confirmation message id."""
    renewal = Renewal(
        file.collaboration.cycle,
        d.day("approved_on"),
        d.text("approved_by", limit=100),
        d.whole("term_years", within=TERM),
        d.day("starts_on"),
        version=d.version(),
    )
    d.check()
    await _records(ctx, viewer).save_renewal(_id(file), renewal, viewer.actor)
    return N_("The renewal was saved.")


# --- approval and comment -------------------------------------------------------------------


def approval_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The manager's approval form's fields as they are stored (what the form shows first)."""
    return _kind_asked(params, APPROVAL_KINDS)


async def save_approval(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the manager's approval form; returns the confirmation message id."""
    kind = d.raw("kind")
    if kind not in APPROVAL_KINDS:
        d.errors["kind"] = N_("There is no such approval.")
    note = d.text("note")
    d.check()
    added = await _records(ctx, viewer).approve(_id(file), ApprovalKind(kind), viewer.actor, note)
    return N_("Your approval was recorded.") if added else N_("This was already approved.")


def comment_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The comment form's fields as they are stored (what the form shows first)."""
    return {}


async def save_comment(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the comment form; returns the confirmation message id."""
    body = d.text("body", required=True)
    d.check()
    await _records(ctx, viewer).comment(_id(file), body, viewer.actor)
    return N_("The comment was added.")


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


SCORECARD_FIELDS = _fields(
    *(f"{level}_{part}" for level in LEVELS for part in ("rating", "note")),
    "contact_name",
    "contact_title",
)
FORMS = {
    form.name: form
    for form in (
        RecordForm(
            "scorecard",
            N_("Scorecard"),
            Permission.EDIT,
            SCORECARD_FIELDS,
            scorecard_values,
            save_scorecard,
        ),
        RecordForm(
            "activity",
            N_("Log a contact or meeting"),
            Permission.EDIT,
            _fields(
                "kind",
                "occurred_on",
                "summary",
                "participants",
                "duration_minutes",
                "agenda",
                "minutes",
                "decisions",
            ),
            activity_values,
            save_activity,
        ),
        RecordForm(
            "memorandum",
            N_("Memorandum"),
            Permission.EDIT,
            _fields("signed_on", "municipality_signatory", "partner_signatory", "title"),
            memorandum_values,
            save_memorandum,
        ),
        RecordForm(
            "planner",
            N_("Person in charge of the plan"),
            Permission.EDIT,
            _fields("planner"),
            planner_values,
            save_planner,
        ),
        RecordForm(
            "plan",
            N_("Plan"),
            Permission.EDIT,
            _fields(*PLAN_TEXT, "starts_on", "ends_on"),
            plan_values,
            save_plan,
        ),
        RecordForm(
            "measurement",
            N_("Record a measured KPI value"),
            Permission.EDIT,
            _fields("kpi_id", "period_start", "period_end", "value", "note"),
            measurement_values,
            save_measurement,
        ),
        RecordForm(
            "evaluation",
            N_("Evaluation"),
            Permission.EDIT,
            _fields("evaluated_on", "went_well", "to_improve"),
            evaluation_values,
            save_evaluation,
        ),
        RecordForm(
            "renewal",
            N_("Renewal"),
            Permission.EDIT,
            _fields("approved_on", "approved_by", "term_years", "starts_on"),
            renewal_values,
            save_renewal,
        ),
        RecordForm(
            "approval",
            N_("Manager's approval"),
            Permission.APPROVE,
            _fields("kind", "note"),
            approval_values,
            save_approval,
        ),
        RecordForm(
            "comment", N_("Comment"), Permission.EDIT, _fields("body"), comment_values, save_comment
        ),
    )
}

"""The approach's record forms: the scorecard, contacts and meetings, memorandum, planner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    CollaborationFile,
    Memorandum,
    Scorecard,
)
from engine.i18n import N_
from engine.services import CollaborationService, Context
from web.form_input import FormInput, iso
from web.record_specs.base import (
    ACTIVITY_KINDS,
    RecordForm,
    field_set,
    kind_asked,
    record_id,
    records,
)

RATING = (1, 5, N_("Choose a rating from 1 to 5."))
LEVELS = ("overview", "management", "field")


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
    await records(ctx, viewer).save_scorecard(record_id(file), card, viewer.actor)
    return N_("The scorecard was saved.")


def activity_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The contact or meeting form's fields as they are stored (what the form shows first)."""
    return kind_asked(params, ACTIVITY_KINDS)


async def save_activity(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the contact or meeting form; returns the confirmation message id."""
    kind = d.raw("kind")
    if kind not in ACTIVITY_KINDS:
        d.errors["kind"] = N_("Choose what kind of contact it was.")
    activity = Activity(
        None,
        record_id(file),
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
    await records(ctx, viewer).log_activity(activity, viewer.actor)
    return N_("The activity was logged.")


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
    await records(ctx, viewer).save_memorandum(record_id(file), memo, viewer.actor)
    return N_("The memorandum was saved.")


def planner_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The planner form's fields as they are stored (what the form shows first)."""
    return {"planner": file.collaboration.planner, "version": file.collaboration.version}


async def save_planner(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the planner form; returns the confirmation message id."""
    planner = d.text("planner", limit=100, required=True)
    d.check()
    await CollaborationService(ctx, viewer.scope).assign(
        record_id(file), expected_version=d.version(), actor=viewer.actor, planner=planner
    )
    return N_("The person in charge of the plan was saved.")


SCORECARD_FIELDS = field_set(
    *(f"{level}_{part}" for level in LEVELS for part in ("rating", "note")),
    "contact_name",
    "contact_title",
)
FORMS = (
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
        field_set(
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
        field_set("signed_on", "municipality_signatory", "partner_signatory", "title"),
        memorandum_values,
        save_memorandum,
    ),
    RecordForm(
        "planner",
        N_("Person in charge of the plan"),
        Permission.EDIT,
        field_set("planner"),
        planner_values,
        save_planner,
    ),
)

"""The record forms any stage has: the manager's approval and a comment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import (
    ApprovalKind,
    CollaborationFile,
)
from engine.i18n import N_
from engine.services import Context
from web.form_input import FormInput
from web.record_specs.base import (
    APPROVAL_KINDS,
    RecordForm,
    field_set,
    kind_asked,
    record_id,
    records,
)


def approval_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The manager's approval form's fields as they are stored (what the form shows first)."""
    return kind_asked(params, APPROVAL_KINDS)


async def save_approval(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the manager's approval form; returns the confirmation message id."""
    kind = d.raw("kind")
    if kind not in APPROVAL_KINDS:
        d.errors["kind"] = N_("There is no such approval.")
    note = d.text("note")
    d.check()
    added = await records(ctx, viewer).approve(
        record_id(file), ApprovalKind(kind), viewer.actor, note
    )
    return N_("Your approval was recorded.") if added else N_("This was already approved.")


def comment_values(file: CollaborationFile, params: Mapping[str, str]) -> dict[str, Any]:
    """The comment form's fields as they are stored (what the form shows first)."""
    return {}


async def save_comment(ctx: Context, viewer: Viewer, file: CollaborationFile, d: FormInput) -> str:
    """Check and save the comment form; returns the confirmation message id."""
    body = d.text("body", required=True)
    d.check()
    await records(ctx, viewer).comment(record_id(file), body, viewer.actor)
    return N_("The comment was added.")


FORMS = (
    RecordForm(
        "approval",
        N_("Manager's approval"),
        Permission.APPROVE,
        field_set("kind", "note"),
        approval_values,
        save_approval,
    ),
    RecordForm(
        "comment", N_("Comment"), Permission.EDIT, field_set("body"), comment_values, save_comment
    ),
)

"""What every record form shares: the form's description, and the helpers its steps use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import CollaborationFile
from engine.i18n import N_
from engine.services import Context, RecordService
from web.form_input import FormInput

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


def record_id(file: CollaborationFile) -> int:
    """The id of the collaboration a form is saved to."""
    assert file.collaboration.id is not None
    return file.collaboration.id


def records(ctx: Context, viewer: Viewer) -> RecordService:
    """The record service, limited to what the viewer may see."""
    return RecordService(ctx, viewer.scope)


def field_set(*names: str) -> frozenset[str]:
    """The names of a form's fields."""
    return frozenset(names)


def kind_asked(params: Mapping[str, str], kinds: Collection[str]) -> dict[str, Any]:
    """The ``?kind=`` the form was opened with, when it is one of ``kinds``."""
    kind = params.get("kind", "")
    return {"kind": kind if kind in kinds else ""}

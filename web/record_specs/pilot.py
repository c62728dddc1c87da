"""The record forms of the pilot and after: measured KPI values, the evaluation, the renewal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import (
    CollaborationFile,
    Evaluation,
    Measurement,
    Renewal,
)
from engine.i18n import N_
from engine.services import Context
from web.form_input import FormInput, iso
from web.record_specs.base import RecordForm, field_set, record_id, records

TERM = (1, 3, N_("The renewal term is 1 to 3 years."))


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
    await records(ctx, viewer).record_measurement(record_id(file), measurement, viewer.actor)
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
    await records(ctx, viewer).save_evaluation(record_id(file), evaluation, viewer.actor)
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
    await records(ctx, viewer).save_renewal(record_id(file), renewal, viewer.actor)
    return N_("The renewal was saved.")


FORMS = (
    RecordForm(
        "measurement",
        N_("Record a measured KPI value"),
        Permission.EDIT,
        field_set("kpi_id", "period_start", "period_end", "value", "note"),
        measurement_values,
        save_measurement,
    ),
    RecordForm(
        "evaluation",
        N_("Evaluation"),
        Permission.EDIT,
        field_set("evaluated_on", "went_well", "to_improve"),
        evaluation_values,
        save_evaluation,
    ),
    RecordForm(
        "renewal",
        N_("Renewal"),
        Permission.EDIT,
        field_set("approved_on", "approved_by", "term_years", "starts_on"),
        renewal_values,
        save_renewal,
    ),
)

"""The record form of the plan: the terms for both sides, its KPIs and its checkpoints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import (
    Checkpoint,
    CollaborationFile,
    Kpi,
    Plan,
)
from engine.i18n import N_
from engine.services import Context
from web.form_input import FormInput, iso, plain_number
from web.record_specs.base import RecordForm, field_set, record_id, records

PLAN_TEXT = (
    "partner_benefit",
    "municipality_benefit",
    "partner_role",
    "municipality_role",
    "partner_burden",
    "municipality_burden",
)


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
    await records(ctx, viewer).save_plan(record_id(file), plan, viewer.actor)
    return N_("The plan was saved.")


FORMS = (
    RecordForm(
        "plan",
        N_("Plan"),
        Permission.EDIT,
        field_set(*PLAN_TEXT, "starts_on", "ends_on"),
        plan_values,
        save_plan,
    ),
)

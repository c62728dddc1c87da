"""Record forms as fragments: GET shows one filled in, POST saves it or shows what is wrong.

The same URLs serve the board's "supply what is missing" panel and the
collaboration page; a save answers with ``HX-Trigger: records-changed`` so that
whatever shows the records can refresh itself.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath

from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import CollaborationFile
from engine.errors import InvalidInput, VersionConflict
from engine.i18n import N_
from engine.services import CollaborationService
from web.form_input import FormInput, first_errors
from web.fragments import render
from web.guards import CurrentViewer, requires
from web.record_specs import ACTIVITY_KINDS, APPROVAL_KINDS, FORMS, RecordForm, plan_rows

PATH = "/collaborations/{collaboration_id:int}/forms/{form:str}"
STALE = N_(
    "Someone else saved this in the meantime. The form now shows what they saved; "
    "make your change again if it is still needed."
)
CHECK = N_("Please check the fields marked below.")


async def form_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """EDIT for every record form; APPROVE for the manager's approval."""
    form = FORMS.get(connection.path_params.get("form", ""))
    await requires(form.permission if form else Permission.EDIT)(connection, handler)


def _spec(name: str) -> RecordForm:
    form = FORMS.get(name)
    if form is None:
        raise NotFoundException()
    return form


def _show(
    request: Request,
    spec: RecordForm,
    file: CollaborationFile,
    values: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Any:
    errors = errors or {}
    if spec.name == "plan":  # always one empty row to add a KPI or a checkpoint
        values["kpis"] = [*values.get("kpis", []), {}]
        values["checkpoints"] = [*values.get("checkpoints", []), {}]
    context = {
        "spec": spec,
        "file": file,
        "url": f"/collaborations/{file.collaboration.id}/forms/{spec.name}",
        "values": values,
        "errors": errors,
        "top_errors": first_errors(errors, set(spec.fields)),
        "notice": notice or (CHECK if errors else ""),
        "activity_kinds": ACTIVITY_KINDS,
        "approval_kinds": APPROVAL_KINDS,
    }
    return render(request, f"forms/{spec.name}.html", "form", context, status_code=status_code)


async def _file(state: State, viewer: Viewer, collaboration_id: int) -> CollaborationFile:
    return await CollaborationService(state.ctx, viewer.scope).file(collaboration_id)


@get(PATH, guards=[form_guard])
async def show_form(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    form: FromPath[str],
) -> Any:
    """The form filled in with what is stored (404 outside the viewer's networks)."""
    spec = _spec(form)
    file = await _file(state, viewer, collaboration_id)
    return _show(request, spec, file, spec.prefill(file, request.query_params))


@post(PATH, guards=[form_guard])
async def save_form(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    form: FromPath[str],
) -> Any:
    """Save the form; on bad input show it again with a message by each field (422)."""
    spec = _spec(form)
    file = await _file(state, viewer, collaboration_id)
    submitted = FormInput(await request.form())
    try:
        message = await spec.save(state.ctx, viewer, file, submitted)
    except InvalidInput as exc:
        values: dict[str, Any] = submitted.values()
        if spec.name == "plan":
            values.update(plan_rows(submitted))
        return _show(request, spec, file, values, errors=exc.errors, status_code=422)
    except VersionConflict:
        file = await _file(state, viewer, collaboration_id)
        values = spec.prefill(file, submitted.data)
        return _show(request, spec, file, values, notice=STALE, status_code=409)
    context = {"spec": spec, "file": file, "message": message}
    return render(
        request, "forms/saved.html", "form", context, headers={"HX-Trigger": "records-changed"}
    )


ROUTES = [show_form, save_form]

"""Importing a partner list from a CSV file: upload, preview every row, then import.

Coordinators and managers import into their networks' lists, administrators
into any. The upload stays on the server between the preview and the import
(web/staged_uploads.py); the import re-checks exactly those bytes, and if the
network's list changed in between it shows the new preview instead.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.params import FromQuery

from engine.domain.access import Permission, Viewer
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import N_, translate
from engine.importing.partners_csv import FileRefused
from engine.services.partner_import import (
    ImportPlan,
    ImportRejected,
    PartnerImportService,
    Status,
    display_name,
)
from web.fragments import page
from web.guards import CurrentViewer
from web.i18n import current_locale
from web.routes.admin_common import text
from web.routes.partner_forms import CHOOSE_NETWORK, EDITORS, _networks
from web.staged_uploads import Staged, StagedUploads

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CHOOSE_FILE = N_("Choose the CSV file to import.")
TOO_BIG = N_("The file is larger than 5 MB. Split the list into several files.")
EXPIRED = N_(
    "This upload is no longer available (it was imported already, or it is more than an "
    "hour old). Choose the file again."
)


def _say(message: str) -> str:
    return translate(message, current_locale.get())


def _view_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    locale = current_locale.get()
    rows = []
    for planned in plan.rows:
        row, partner = planned.row, planned.row.partner
        rows.append(
            {
                "line": row.line,
                "status": str(planned.status),
                "name": row.cells.get("name", ""),
                "kana": partner.kana if partner else row.cells.get("kana", ""),
                "industry": INDUSTRY_LABELS[partner.industry] if partner else "",
                "industry_written": row.cells.get("industry", ""),
                "area": row.cells.get("area", ""),
                "contact": row.cells.get("contact", ""),
                "existing": planned.existing,
                "problems": [p.describe(locale) for p in row.problems],
            }
        )
    return rows


async def _upload_form(
    state: State, viewer: Viewer, *, network: str = "", error: str = "", status: int = 200
) -> Any:
    """The upload form; ``error`` is already in the reader's language (it may quote the file)."""
    context = {"networks": await _networks(state, viewer), "network_id": network, "error": error}
    return page("partner_import.html", context, status_code=status)


def _preview(plan: ImportPlan, token: str, file_name: str, notice: str = "") -> Any:
    context = {
        "plan": plan,
        "rows": _view_rows(plan),
        "counts": {s.value: len(plan.having(s)) for s in Status},
        "token": token,
        "file_name": file_name,
        "notice": notice,
        "preview": True,
    }
    return page("partner_import.html", context, status_code=200 if plan.importable else 422)


def _stage(state: State, viewer: Viewer, plan: ImportPlan, data: bytes, file_name: str) -> str:
    """Keep an importable upload for its confirmation; a file with errors is not kept."""
    if not plan.importable:
        return ""
    assert plan.network.id is not None
    staged = Staged(data, viewer.user_id, plan.network.id, file_name, plan.new_lines)
    return StagedUploads().put(staged, state.ctx.clock.now())


@get("/partners/import", guards=EDITORS)
async def import_form(state: State, viewer: CurrentViewer, network: FromQuery[str] = "") -> Any:
    """The upload form."""
    return await _upload_form(state, viewer, network=network)


@post("/partners/import", guards=EDITORS, status_code=200)
async def preview_import(request: Request, state: State, viewer: CurrentViewer) -> Any:
    """Check an uploaded file and show what importing it would do, row by row."""
    form = await request.form()
    raw_network = text(form, "network_id")
    allowed = {n.id for n in await _networks(state, viewer)}
    network_id = int(raw_network) if raw_network.isdigit() else None
    upload = form.get("file")
    if network_id not in allowed:
        return await _upload_form(state, viewer, error=_say(CHOOSE_NETWORK), status=422)
    assert network_id is not None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _upload_form(
            state, viewer, network=raw_network, error=_say(CHOOSE_FILE), status=422
        )
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return await _upload_form(
            state, viewer, network=raw_network, error=_say(TOO_BIG), status=422
        )
    file_name = display_name(upload.filename)
    try:
        plan = await PartnerImportService(state.ctx).preview(data, network_id)
    except FileRefused as exc:
        message = exc.problem.describe(current_locale.get())
        return await _upload_form(state, viewer, network=raw_network, error=message, status=422)
    return _preview(plan, _stage(state, viewer, plan, data, file_name), file_name)


@post("/partners/import/confirm", guards=EDITORS, status_code=200)
async def confirm_import(request: Request, state: State, viewer: CurrentViewer) -> Any:
    """Import the upload previewed under this token: all its new rows, or nothing."""
    form = await request.form()
    token = text(form, "token")
    uploads = StagedUploads()
    staged = uploads.get(token, viewer.user_id, state.ctx.clock.now())
    allowed = {n.id for n in await _networks(state, viewer)}
    if staged is None or staged.network_id not in allowed:
        return await _upload_form(state, viewer, error=_say(EXPIRED), status=422)
    open_candidates = form.get("open_candidates") == "1" and viewer.can(Permission.EDIT)
    try:
        report = await PartnerImportService(state.ctx).run(
            staged.data,
            staged.network_id,
            viewer.actor,
            file_name=staged.file_name,
            open_candidates=open_candidates,
            expect_new=staged.new_lines,
        )
    except ImportRejected as exc:  # the list changed since the preview: show the new one
        uploads.discard(token)
        fresh = _stage(state, viewer, exc.plan, staged.data, staged.file_name)
        return _preview(exc.plan, fresh, staged.file_name, notice=_say(exc.errors["file"]))
    uploads.discard(token)
    context = {"report": report, "file_name": staged.file_name}
    return page("partner_import.html", context)


ROUTES = [import_form, preview_import, confirm_import]

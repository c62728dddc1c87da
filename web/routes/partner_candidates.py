"""Opening a candidate collaboration for a partner, from the partner's page."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect

from engine.domain.access import Permission
from engine.errors import InvalidInput
from engine.i18n import N_
from engine.services import CollaborationService
from engine.store.read.api_resources import check_partner_visible
from web.guards import CurrentViewer, requires
from web.routes.admin_common import form_of, text
from web.routes.partners import partner_template

NOT_YOURS = N_("Choose one of your networks.")


@post("/partners/{partner_id:int}/candidates", guards=[requires(Permission.EDIT)], status_code=200)
async def open_candidate(
    request: Request, state: State, viewer: CurrentViewer, partner_id: FromPath[int]
) -> Any:
    """Put the partner on a network's board as a candidate; then show its card's page."""
    await check_partner_visible(state.ctx.db, viewer.scope, partner_id)
    raw = text(await form_of(request), "network_id")
    if not raw.isdigit() or int(raw) not in viewer.network_ids:
        return await partner_template(state, viewer, partner_id, error=NOT_YOURS)
    service = CollaborationService(state.ctx, viewer.scope)
    try:
        record = await service.add_candidate(int(raw), partner_id, viewer.actor)
    except InvalidInput as exc:
        # Already in that network's pipeline: the page lists the card with its link.
        return await partner_template(
            state, viewer, partner_id, error=next(iter(exc.errors.values()))
        )
    return Redirect(f"/collaborations/{record.id}", status_code=303)


ROUTES = [open_candidate]

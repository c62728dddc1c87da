"""Opening a candidate collaboration for a partner, from the partner's page."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from engine.domain.access import Permission
from engine.errors import InvalidInput
from engine.i18n import N_
from engine.services import CollaborationService, DirectoryService
from engine.store.read.api_resources import check_partner_visible
from engine.store.read.partner_pages import partner_picks
from web.fragments import asked_block, page
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


@get("/partners/pick", guards=[requires(Permission.EDIT)])
async def pick_partner(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    q: FromQuery[str] = "",
    block: FromQuery[str | None] = None,
) -> Any:
    """The board's 「候補を追加」: find a partner by name or reading, or register a new one.

    htmx asks for the results block as the person types; without JavaScript the
    search form opens this page whole.
    """
    wanted = asked_block(request, block, frozenset({"picker", "results"}))
    networks = await DirectoryService(state.ctx).networks_in(viewer.scope)
    picks = await partner_picks(state.ctx.db, viewer.scope, q[:100]) if q.strip() else []
    context = {"q": q, "picks": picks, "networks": networks}
    return page("partner_pick.html", context, block=wanted)


ROUTES = [open_candidate, pick_partner]

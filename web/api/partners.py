"""API: list, read and register partner organisations."""

from __future__ import annotations

from litestar import get, post, put
from litestar.datastructures import State
from litestar.params import JSONBody

from engine.domain.access import Permission
from engine.services import CollaborationService, DirectoryService
from engine.store.read import api_resources
from web.api.collaborations import check_new_collaboration
from web.api.convert import collaboration_summary, partner_detail, partner_from
from web.api.errors import documented
from web.api.params import Limit, Locale, Offset, PathId
from web.api.schemas import (
    NewPartner,
    PartnerCreated,
    PartnerDetail,
    PartnerEdit,
    PartnerPage,
    PartnerSummary,
)
from web.guards import CurrentViewer, logged_in, requires


@get(
    "/partners",
    guards=[logged_in()],  # every role reads; the scope decides what
    responses=documented(),
    summary="The partners the caller may see",
)
async def list_partners(
    state: State, viewer: CurrentViewer, limit: Limit = 50, offset: Offset = 0
) -> PartnerPage:
    """Partners with a collaboration in the caller's reach (a partner user: their own)."""
    page = await api_resources.partner_page(state.ctx.db, viewer.scope, limit=limit, offset=offset)
    return PartnerPage(
        items=[
            PartnerSummary(
                id=p.id, name=p.name, industry=p.industry, area=p.area, version=p.version
            )
            for p in page.items
        ],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@get(
    "/partners/{partner_id:int}",
    guards=[logged_in()],
    responses=documented(404),
    summary="One partner with its contacts and busy seasons",
)
async def read_partner(state: State, viewer: CurrentViewer, partner_id: PathId) -> PartnerDetail:
    """A partner the caller may see; 404 otherwise."""
    await api_resources.check_partner_visible(state.ctx.db, viewer.scope, partner_id)
    return partner_detail(await DirectoryService(state.ctx).partner(partner_id))


@post(
    "/partners",
    guards=[requires(Permission.EDIT)],
    responses=documented(403, 422),
    summary="Register a partner and put it into one of the caller's networks as a candidate",
)
async def create_partner(
    state: State, viewer: CurrentViewer, locale: Locale, data: JSONBody[NewPartner]
) -> PartnerCreated:
    """network_id: a partner outside all the caller's networks would be invisible to them."""
    await check_new_collaboration(state, viewer, data.network_id, None)
    partner, record = await CollaborationService(state.ctx, viewer.scope).add_partner_as_candidate(
        data.network_id, partner_from(data), viewer.actor, despite_similar=data.despite_similar
    )
    assert record.id is not None
    row = await api_resources.collaboration(state.ctx.db, viewer.scope, record.id)
    return PartnerCreated(
        partner=partner_detail(partner),
        collaboration=collaboration_summary(row, state.ctx.workflow, locale),
    )


@put(
    "/partners/{partner_id:int}",
    guards=[requires(Permission.EDIT_PARTNERS)],
    responses=documented(403, 404, 409, 422),
    summary="Change a partner's details, contacts and busy seasons",
)
async def update_partner(
    state: State, viewer: CurrentViewer, partner_id: PathId, data: JSONBody[PartnerEdit]
) -> PartnerDetail:
    """The whole partner is replaced by the body; ``version`` must be the one last read."""
    await api_resources.check_partner_visible(state.ctx.db, viewer.scope, partner_id)
    saved = await DirectoryService(state.ctx).update_partner(
        partner_from(data, partner_id, data.version), viewer.actor
    )
    return partner_detail(saved)


ROUTES = [list_partners, read_partner, create_partner, update_partner]

"""API: list and read collaborations, open one, and fire lifecycle events."""

from __future__ import annotations

from typing import Annotated

from litestar import get, post
from litestar.datastructures import State
from litestar.params import JSONBody, QueryParameter

from engine.domain.access import Permission, Viewer
from engine.errors import InvalidInput
from engine.i18n import N_, translate
from engine.services import CollaborationService
from engine.store.read import api_resources
from web.api.convert import collaboration_detail, collaboration_summary
from web.api.errors import documented
from web.api.params import Limit, Locale, Offset, PathId
from web.api.schemas import (
    CollaborationDetail,
    CollaborationPage,
    CollaborationSummary,
    FireEvent,
    Moved,
    NewCollaboration,
)
from web.guards import CurrentViewer, logged_in, requires
from workflows.collaboration import Stage

NOT_YOUR_NETWORK = N_("Choose one of your networks.")
NO_SUCH_PARTNER = N_("There is no partner with this id.")
NOT_A_MEMBER = N_("Choose an active member of this network.")


@get(
    "/collaborations",
    guards=[logged_in()],  # every role reads; the scope decides what
    responses=documented(),
    summary="The collaborations the caller may see",
)
async def list_collaborations(
    state: State,
    viewer: CurrentViewer,
    locale: Locale,
    stage: Annotated[Stage | None, QueryParameter(name="state")] = None,
    network_id: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CollaborationPage:
    """Staff see their networks', admins everything, partner users their organisation's."""
    page = await api_resources.collaboration_page(
        state.ctx.db,
        viewer.scope,
        state=str(stage) if stage else None,
        network_id=network_id,
        limit=limit,
        offset=offset,
    )
    workflow = state.ctx.workflow
    return CollaborationPage(
        items=[collaboration_summary(row, workflow, locale) for row in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@get(
    "/collaborations/{collaboration_id:int}",
    guards=[logged_in()],
    responses=documented(404),
    summary="One collaboration with its history and the events it offers",
)
async def read_collaboration(
    state: State, viewer: CurrentViewer, locale: Locale, collaboration_id: PathId
) -> CollaborationDetail:
    """State, version, history and each event with what still blocks it."""
    row = await api_resources.collaboration(state.ctx.db, viewer.scope, collaboration_id)
    service = CollaborationService(state.ctx, viewer.scope)
    _, options = await service.options(collaboration_id)
    history = await service.history(collaboration_id)
    internal = viewer.can(Permission.VIEW_PIPELINE)
    return collaboration_detail(row, history, options, state.ctx.workflow, locale, internal)


@post(
    "/collaborations/{collaboration_id:int}/events",
    guards=[requires(Permission.MOVE)],
    status_code=200,
    responses=documented(403, 404, 409, 422),
    summary="Fire a lifecycle event on the version the caller read",
)
async def fire_event(
    state: State,
    viewer: CurrentViewer,
    locale: Locale,
    collaboration_id: PathId,
    data: JSONBody[FireEvent],
) -> Moved:
    """Move the collaboration if its version is current and every requirement is met."""
    moved = await CollaborationService(state.ctx, viewer.scope).fire(
        collaboration_id,
        data.event,
        expected_version=data.version,
        actor=viewer.actor,
        comment=data.comment,
    )
    record = moved.collaboration
    return Moved(
        id=collaboration_id,
        event=moved.firing.event,
        state=record.state,
        state_label=translate(state.ctx.workflow.label(record.state), locale),
        version=record.version,
    )


@post(
    "/collaborations",
    guards=[requires(Permission.EDIT)],
    responses=documented(403, 422),
    summary="Put a partner into one of the caller's networks as a candidate",
)
async def create_collaboration(
    state: State, viewer: CurrentViewer, locale: Locale, data: JSONBody[NewCollaboration]
) -> CollaborationSummary:
    """Any existing partner may be added: a partner may work with several networks."""
    await check_new_collaboration(state, viewer, data.network_id, data.owner_id)
    if not await api_resources.partner_exists(state.ctx.db, data.partner_id):
        raise InvalidInput({"partner_id": NO_SUCH_PARTNER})
    record = await CollaborationService(state.ctx, viewer.scope).add_candidate(
        data.network_id, data.partner_id, viewer.actor, owner_id=data.owner_id
    )
    assert record.id is not None
    row = await api_resources.collaboration(state.ctx.db, viewer.scope, record.id)
    return collaboration_summary(row, state.ctx.workflow, locale)


async def check_new_collaboration(
    state: State, viewer: Viewer, network_id: int, owner_id: int | None
) -> None:
    """Refuse a network the caller is not a member of, or an owner outside the network."""
    if network_id not in viewer.network_ids:
        raise InvalidInput({"network_id": NOT_YOUR_NETWORK})
    if owner_id is not None and not await api_resources.is_member(
        state.ctx.db, owner_id, network_id
    ):
        raise InvalidInput({"owner_id": NOT_A_MEMBER})


ROUTES = [list_collaborations, read_collaboration, fire_event, create_collaboration]

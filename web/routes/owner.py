"""Re-assigning a collaboration's owner (担当職員) from its page."""

from __future__ import annotations

from litestar import Request, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect

from engine.domain.access import Permission
from engine.errors import InvalidInput, VersionConflict
from engine.services import CollaborationService
from web.guards import CurrentViewer, requires
from web.routes.admin_common import form_of, read_version, text


@post("/collaborations/{collaboration_id:int}/owner", guards=[requires(Permission.EDIT)])
async def assign_owner(
    request: Request, state: State, viewer: CurrentViewer, collaboration_id: FromPath[int]
) -> Redirect:
    """Give the collaboration to another of its network's staff, or to nobody; back to its page.

    The page then says what happened: saved, someone changed it meanwhile, or the
    person chosen cannot own it (the query names only which of these, never data).
    """
    form = await form_of(request)
    raw = text(form, "owner_id")
    service = CollaborationService(state.ctx, viewer.scope)
    await service.file(collaboration_id)  # 404 outside the viewer's networks
    outcome = "owner"
    try:
        if raw and not raw.isdigit():
            raise InvalidInput({"owner_id": "not a number"})
        await service.assign(
            collaboration_id,
            expected_version=read_version(form),
            actor=viewer.actor,
            owner_id=int(raw) if raw else None,
        )
    except VersionConflict:
        outcome = "conflict"
    except InvalidInput:
        outcome = "not_staff"
    key = "saved" if outcome == "owner" else "problem"
    return Redirect(f"/collaborations/{collaboration_id}?{key}={outcome}", status_code=303)


ROUTES = [assign_owner]

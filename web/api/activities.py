"""API: a collaboration's logged contacts and meetings."""

from __future__ import annotations

from litestar import get, post
from litestar.datastructures import State
from litestar.params import JSONBody

from engine.domain.access import Permission
from engine.domain.collaboration import Activity
from engine.services import RecordService
from engine.store.read import api_resources
from web.api.convert import activity_out
from web.api.errors import documented
from web.api.params import PathId
from web.api.schemas import ActivityOut, NewActivity
from web.guards import CurrentViewer, logged_in, requires


@get(
    "/collaborations/{collaboration_id:int}/activities",
    guards=[logged_in()],  # every role reads; the scope decides what
    responses=documented(404),
    summary="A collaboration's activities, newest first",
)
async def list_activities(
    state: State, viewer: CurrentViewer, collaboration_id: PathId
) -> list[ActivityOut]:
    """Phone calls, letters, visits, hearings and consultation meetings."""
    rows = await api_resources.activity_list(state.ctx.db, viewer.scope, collaboration_id)
    return [activity_out(row) for row in rows]


@post(
    "/collaborations/{collaboration_id:int}/activities",
    guards=[requires(Permission.EDIT)],
    responses=documented(403, 404, 422),
    summary="Log an activity",
)
async def log_activity(
    state: State, viewer: CurrentViewer, collaboration_id: PathId, data: JSONBody[NewActivity]
) -> ActivityOut:
    """Consultations may be planned ahead; other kinds must have happened already."""
    saved = await RecordService(state.ctx, viewer.scope).log_activity(
        Activity(
            id=None,
            collaboration_id=collaboration_id,
            kind=data.kind,
            occurred_on=data.occurred_on,
            summary=data.summary,
            agenda=data.agenda,
            minutes=data.minutes,
            decisions=data.decisions,
            duration_minutes=data.duration_minutes,
            participants=data.participants,
        ),
        viewer.actor,
    )
    assert saved.id is not None
    return activity_out(await api_resources.activity(state.ctx.db, viewer.scope, saved.id))


ROUTES = [list_activities, log_activity]

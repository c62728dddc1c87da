"""Moving a card: fire the event, or say in plain words what blocks it and how to supply it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect

from engine.clock import local_date
from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import CollaborationFile
from engine.errors import EventNotAllowed, GuardBlocked, UnknownEvent, VersionConflict
from engine.i18n import N_
from engine.services import CollaborationService
from engine.store.read import pipeline
from engine.workflow import Requirement
from engine.workflow.spec import COMMENT_REQUIRED
from web.board_query import BoardQuery
from web.cards import Card, card_context, card_of
from web.fragments import is_htmx, render
from web.guards import CurrentViewer, requires
from web.i18n import current_locale
from web.requirement_forms import form_for
from workflows.collaboration import STAGE_LABELS, Stage

CONFLICT = N_(
    "Someone else moved or changed this card in the meantime. "
    "It now shows where it really is; check it and try again if you still want to move it."
)
REFUSED = N_("This card cannot move there from its current stage.")


@dataclass
class Need:
    """Sentences of unmet requirements that one record form supplies."""

    texts: list[str]
    form_url: str | None = None
    approvers: list[str] | None = None
    """For an approval the viewer may not give: the managers who can."""


@dataclass
class Panel:
    """What the board says after a move that did not happen, or before retrying one."""

    kind: str  # "blocked", "ready", "conflict" or "refused"
    collaboration_id: int
    partner_name: str
    version: int
    event: str = ""
    event_label: str = ""
    dest_label: str = ""
    message: str = ""
    needs: list[Need] = field(default_factory=list)
    comment_needed: str = ""
    """The sentence asking for a comment, when the move needs one."""


def _event_to(state: State, source: str, dest: str) -> str:
    event = state.ctx.workflow.event_between(source, dest) if dest else None
    return event.name if event else ""


def _whole(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) <= 9 else None


async def _panel(
    state: State,
    viewer: Viewer,
    file: CollaborationFile,
    kind: str,
    event_name: str,
    unmet: tuple[Requirement, ...] = (),
    message: str = "",
) -> Panel:
    record = file.collaboration
    assert record.id is not None
    event = state.ctx.workflow.events.get(event_name)
    panel = Panel(
        kind,
        record.id,
        file.partner.name,
        record.version,
        event.name if event else "",
        event.label if event else "",
        STAGE_LABELS[Stage(event.dest)] if event else "",
        message,
    )
    locale = current_locale.get()
    can_approve = viewer.can(Permission.APPROVE)
    by_form: dict[str, Need] = {}
    for requirement in unmet:
        if requirement.code == COMMENT_REQUIRED.code:
            panel.comment_needed = requirement.text(locale)
            continue
        link = form_for(requirement.code)
        key = link.url(record.id) if link else requirement.code
        if key not in by_form:
            need = by_form[key] = Need([])
            if link and link.is_approval and not can_approve:
                need.approvers = await pipeline.approvers(state.ctx.db, record.network_id)
            elif link:
                need.form_url = key
        by_form[key].texts.append(requirement.text(locale))
    panel.needs = list(by_form.values())
    if event and event.needs_comment and kind == "ready":
        panel.comment_needed = COMMENT_REQUIRED.text(locale)
    return panel


async def _card(state: State, viewer: Viewer, collaboration_id: int) -> Card:
    today = local_date(state.ctx.clock.now())
    row = await pipeline.card(state.ctx.db, viewer.scope, collaboration_id, today)
    return card_of(row, today)


@post("/collaborations/{collaboration_id:int}/move", guards=[requires(Permission.MOVE)])
async def move(
    request: Request, state: State, viewer: CurrentViewer, collaboration_id: FromPath[int]
) -> Any:
    """Fire the event towards ``dest`` (or the named ``event``) if the card's version is current."""
    form = await request.form()
    query = BoardQuery.parse(form)
    service = CollaborationService(state.ctx, viewer.scope)
    file = await service.file(collaboration_id)
    version = _whole(form.get("version"))
    event_name = form.get("event") or _event_to(state, file.collaboration.state, form.get("dest"))
    status, panel = 200, None
    try:
        if version != file.collaboration.version:
            raise VersionConflict(
                "collaboration", collaboration_id, version or 0, file.collaboration.version
            )
        await service.fire(
            collaboration_id,
            event_name,
            expected_version=version,
            actor=viewer.actor,
            comment=(form.get("comment") or "")[:2000],
        )
    except VersionConflict:
        file = await service.file(collaboration_id)
        status, panel = 409, await _panel(state, viewer, file, "conflict", "", message=CONFLICT)
    except GuardBlocked as blocked:
        status, panel = 422, await _panel(state, viewer, file, "blocked", event_name, blocked.unmet)
    except (UnknownEvent, EventNotAllowed):
        status, panel = 422, await _panel(state, viewer, file, "refused", "", message=REFUSED)
    if panel is None and not is_htmx(request):
        if form.get("return_to") == "collaboration":  # a fixed place, never a given URL
            return Redirect(f"/collaborations/{collaboration_id}?saved=moved", status_code=303)
        return Redirect(query.url("/board"), status_code=303)
    counts = await pipeline.counts(
        state.ctx.db, viewer.scope, query.store_filter(state.ctx.clock.now())
    )
    context = {
        "card": await _card(state, viewer, collaboration_id),
        "counts": {stage: counts.get(stage, 0) for stage in Stage},
        "panel": panel,
        **card_context(request.scope, can_move=True),
        "query": query,
    }
    return render(request, "move.html", ["card", "move_result"], context, status_code=status)


@get("/collaborations/{collaboration_id:int}/moves/{event:str}", guards=[requires(Permission.MOVE)])
async def move_check(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    event: FromPath[str],
) -> Any:
    """What a move still needs now, with the forms to supply it and a button to retry it."""
    file, options = await CollaborationService(state.ctx, viewer.scope).options(collaboration_id)
    option = next((o for o in options if o.event.name == event), None)
    if option is None:
        panel = await _panel(state, viewer, file, "refused", "", message=REFUSED)
    elif option.unmet:
        panel = await _panel(state, viewer, file, "blocked", event, option.unmet)
    else:
        panel = await _panel(state, viewer, file, "ready", event)
    context = {
        "card": await _card(state, viewer, collaboration_id),
        "panel": panel,
        **card_context(request.scope, can_move=True),
        "query": BoardQuery.parse(request.query_params),
        "refresh_card": is_htmx(request),
    }
    return render(request, "move.html", "panel", context)


ROUTES = [move, move_check]

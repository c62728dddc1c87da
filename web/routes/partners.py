"""Partner organisation pages and the side-by-side comparison of candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from litestar import Request, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from engine.clock import local_date
from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import FACE_TO_FACE, CollaborationFile
from engine.domain.partner import INDUSTRY_LABELS, Industry
from engine.i18n import N_
from engine.services import CollaborationService, DirectoryService
from engine.store.read import partner_pages, pipeline
from web.fragments import asked_block, page
from web.guards import CurrentViewer, requires
from web.i18n import current_locale
from web.routes.collaborations import Level, score_levels
from workflows.collaboration import STAGE_LABELS, Stage

MAX_COMPARED = 10
TOO_MANY = N_("Choose at most 10 candidates to compare.")
# Candidates are compared while choosing whom to approach, and during the approach.
COMPARABLE = (Stage.CANDIDATE, Stage.APPROACHED)


def month_day(pair: tuple[int, int]) -> str:
    """A yearly date such as a busy season's start (3月1日 / Mar 1)."""
    month, day = pair
    # A leap year, so 29 February can be shown.
    return format_skeleton("MMMd", date(2000, month, day), locale=current_locale.get())


@get("/partners", guards=[requires(Permission.VIEW_PIPELINE)])
async def partner_list(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    q: FromQuery[str] = "",
    industry: FromQuery[str] = "",
    area: FromQuery[str] = "",
    block: FromQuery[str | None] = None,
) -> Template:
    """The partners the viewer works with, searchable by name and filtered by industry and area."""
    wanted = asked_block(request, block, frozenset({"results"}))
    if industry not in Industry.__members__.values():
        industry = ""
    rows = await partner_pages.partner_list(
        state.ctx.db, viewer.scope, search=q, industry=industry, area=area
    )
    return page(
        "partners.html",
        {
            "rows": rows,
            "q": q,
            "industry": industry,
            "area": area,
            "areas": await partner_pages.partner_areas(state.ctx.db, viewer.scope),
            "industry_labels": INDUSTRY_LABELS,
        },
        block=wanted,
    )


@get("/partners/{partner_id:int}", guards=[requires(Permission.VIEW_PIPELINE)])
async def partner_page(
    state: State, viewer: CurrentViewer, partner_id: FromPath[int], saved: FromQuery[str] = ""
) -> Template:
    """A partner's details, contacts, busy seasons and the collaborations the viewer may see."""
    return await partner_template(state, viewer, partner_id, saved=saved)


async def partner_template(
    state: State, viewer: Viewer, partner_id: int, *, saved: str = "", error: str = ""
) -> Template:
    """The partner page, with a notice of what was just saved or why a candidate was refused."""
    partner, collaborations = await partner_pages.partner_page(
        state.ctx.db, viewer.scope, partner_id
    )
    taken = {row.network_id for row in collaborations}
    openable = []
    if viewer.can(Permission.EDIT):
        mine = await DirectoryService(state.ctx).networks_in(viewer.scope)
        openable = [n for n in mine if n.id not in taken]
    return Template(
        "partner.html",
        context={
            "partner": partner,
            "collaborations": collaborations,
            "openable": openable,
            "saved": saved if saved in SAVED_NOTICES else "",
            "saved_notices": SAVED_NOTICES,
            "error": error,
            "industry_labels": INDUSTRY_LABELS,
            "stage_labels": STAGE_LABELS,
            "month_day": month_day,
        },
        status_code=422 if error else 200,
    )


SAVED_NOTICES = {
    "created": N_("The partner was registered."),
    "updated": N_("Saved."),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One column of the comparison."""

    file: CollaborationFile
    levels: list[Level]
    face_to_face: int


def _ids(request: Request) -> list[int]:
    """The ids asked for, as ``?ids=1,2`` or ``?ids=1&ids=2``, in order and once each."""
    ids: list[int] = []
    for value in request.query_params.getall("ids", []):
        for part in value.split(","):
            if not part.strip():
                continue
            if not part.strip().isdigit():
                raise NotFoundException()
            if int(part) not in ids:
                ids.append(int(part))
    return ids


async def _chooser(state: State, viewer: Viewer, message: str = "", status: int = 200) -> Template:
    today = local_date(state.ctx.clock.now())
    cards = await pipeline.pipeline(
        state.ctx.db, viewer.scope, today, states=[s.value for s in COMPARABLE]
    )
    return Template(
        "compare.html",
        context={
            "choices": cards,
            "candidates": [],
            "message": message,
            "industry_labels": INDUSTRY_LABELS,
            "stage_labels": STAGE_LABELS,
        },
        status_code=status,
    )


@get("/compare", guards=[requires(Permission.VIEW_PIPELINE)])
async def compare(request: Request, state: State, viewer: CurrentViewer) -> Template:
    """Candidates' scorecards side by side; without ids, a list of candidates to choose from.

    An id outside the viewer's scope answers 404 for the whole page, never a
    table with a gap.
    """
    ids = _ids(request)
    if not ids:
        return await _chooser(state, viewer)
    if len(ids) > MAX_COMPARED:
        return await _chooser(state, viewer, TOO_MANY, 422)
    service = CollaborationService(state.ctx, viewer.scope)
    candidates = []
    for collaboration_id in ids:
        file = await service.file(collaboration_id)
        candidates.append(
            Candidate(
                file,
                score_levels(file.scorecard),
                sum(1 for a in file.activities if a.kind in FACE_TO_FACE),
            )
        )
    return Template(
        "compare.html",
        context={
            "choices": [],
            "candidates": candidates,
            "message": "",
            "industry_labels": INDUSTRY_LABELS,
            "stage_labels": STAGE_LABELS,
            "month_day": month_day,
        },
    )


ROUTES = [partner_list, partner_page, compare]

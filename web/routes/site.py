"""The start page, the language switch, health, calendar feeds and the pipeline overview."""

from __future__ import annotations

from litestar import Request, get
from litestar.datastructures import Cookie, State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from engine.domain.access import Permission
from engine.domain.partner import INDUSTRY_LABELS
from engine.errors import NotFound
from engine.i18n import DEFAULT_LOCALE, LOCALES, N_
from engine.store import queries
from engine.store.services.calendar_feed import CalendarFeedService
from web.guards import CurrentViewer, requires
from web.routes.auth import home_of
from web.security import viewer_of
from workflows.collaboration import STAGE_LABELS, Stage

INDUSTRY_FALLBACK = N_("Other")


@get("/", sync_to_thread=False)
def index(request: Request) -> Redirect:
    """Staff start on the board, partners on the portal, everyone else at the login."""
    viewer = viewer_of(request.scope)
    return Redirect(home_of(viewer) if viewer else "/login")


@get("/lang/{code:str}", sync_to_thread=False)
def switch_language(code: FromPath[str], next_url: FromQuery[str] = "/") -> Redirect:
    """Remember the reader's language in a cookie and go back to where they were."""
    if code not in LOCALES:
        code = DEFAULT_LOCALE
    # Only local paths: never redirect to another site.
    target = next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"
    return Redirect(
        target,
        cookies=[
            Cookie(key="lang", value=code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        ],
    )


@get("/calendar/{token:str}/due.ics")
async def calendar_feed(state: State, token: FromPath[str]) -> Response[bytes]:
    """A person's open due dates as all-day events; the token in the URL is the credential."""
    try:
        body = await CalendarFeedService(state.ctx).render(token)
    except NotFound as exc:
        raise NotFoundException() from exc
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer"},
    )


@get("/healthz")
async def health(state: State) -> dict[str, str]:
    """Liveness and database reachability, for load balancers."""
    await state.ctx.db.ping()
    return {"status": "ok"}


@get("/board", guards=[requires(Permission.VIEW_PIPELINE)])
async def board(
    state: State, viewer: CurrentViewer, network: FromQuery[int | None] = None
) -> Template:
    """A read-only overview of the pipeline by stage, limited to the viewer's networks."""
    cards = await queries.pipeline(state.ctx.db, viewer.scope, network)
    columns = [
        (stage, STAGE_LABELS[stage], [c for c in cards if c.state == stage]) for stage in Stage
    ]
    return Template(
        "board.html",
        context={
            "columns": columns,
            "industries": {str(k): v for k, v in INDUSTRY_LABELS.items()},
            "industry_fallback": INDUSTRY_FALLBACK,
            "total": len(cards),
        },
    )


ROUTES = [index, switch_language, calendar_feed, health, board]

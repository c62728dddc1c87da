"""The start page, the language switch, health and calendar feeds."""

from __future__ import annotations

from litestar import Request, get
from litestar.datastructures import Cookie, State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response

from engine.errors import NotFound
from engine.i18n import DEFAULT_LOCALE, LOCALES
from engine.services.calendar_feed import CalendarFeedService
from web.routes.auth import home_of
from web.security import viewer_of


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


ROUTES = [index, switch_language, calendar_feed, health]

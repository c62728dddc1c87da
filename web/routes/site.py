"""The start page, the language switch, health and calendar feeds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, get
from litestar.datastructures import Cookie, State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response

from engine.errors import NotFound
from engine.i18n import DEFAULT_LOCALE, LOCALES
from engine.services.calendar_feed import CalendarFeedService
from engine.services.health import HealthService
from web.redis_probe import redis_answer
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


@get("/healthz", opt={"probe": True})
async def health() -> dict[str, str]:
    """Liveness: the process answers. It asks nothing of the database, so a supervisor
    that restarts on it does not restart every web process when PostgreSQL blips;
    routing and alerting belong to /readyz."""
    return {"status": "ok"}


@get("/readyz", opt={"probe": True})
async def readiness(state: State) -> Response[dict[str, Any]]:
    """Readiness for a monitor: the database, Redis, the last background round, waiting mail.

    503 when the database or a configured Redis does not answer; the ages are
    there to alert on (a worker that stopped, mail that does not leave).
    """
    found = await HealthService(state.ctx).readiness()
    redis = await redis_answer(state.redis)
    body = {
        "database": "ok" if found.database else "unreachable",
        "redis": redis,
        "background_last_seen": _iso(found.background_seen_at),
        "background_seconds_ago": found.seconds_since(found.background_seen_at),
        "oldest_unsent_mail_seconds": found.seconds_since(found.oldest_unsent_at),
    }
    ready = found.database and redis != "unreachable"
    return Response(
        {"status": "ready" if ready else "not_ready", **body},
        status_code=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


ROUTES = [index, switch_language, calendar_feed, health, readiness]

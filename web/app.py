"""The litestar application: built from a Settings object and the wired services."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from litestar import Litestar, Request, get
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.datastructures import Cookie, State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Response, Template
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from engine.config import Settings
from engine.domain.partner import INDUSTRY_LABELS
from engine.errors import NotFound
from engine.i18n import DEFAULT_LOCALE, LOCALES, N_
from engine.mail.transport import transport_from_settings
from engine.store import queries
from engine.store.services import Context
from engine.store.services.calendar_feed import CalendarFeedService
from web.background import upkeep_loop
from web.i18n import build_environment, current_locale, pick_locale
from workflows.collaboration import COLLABORATION, STAGE_LABELS, Stage

HERE = Path(__file__).parent
INDUSTRY_FALLBACK = N_("Other")


async def _set_locale(request: Request) -> None:
    current_locale.set(
        pick_locale(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
        )
    )


@get("/", sync_to_thread=False)
def index() -> Redirect:
    """The board is the home page."""
    return Redirect("/board")


@get("/lang/{code:str}", sync_to_thread=False)
def switch_language(code: FromPath[str], next_url: FromQuery[str] = "/board") -> Redirect:
    """Remember the reader's language in a cookie and go back to where they were."""
    if code not in LOCALES:
        code = DEFAULT_LOCALE
    # Only local paths: never redirect to another site.
    target = next_url if next_url.startswith("/") and not next_url.startswith("//") else "/board"
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


@get("/board")
async def board(state: State, network: FromQuery[int | None] = None) -> Template:
    """A read-only overview of the pipeline by stage."""
    cards = await queries.pipeline(state.ctx.db, network)
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


def create_app(settings: Settings) -> Litestar:
    """Build the app; the database and services open at start-up and close at shutdown."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        ctx = Context.from_settings(settings, COLLABORATION)
        app.state.ctx = ctx
        app.state.settings = settings
        upkeep = None
        if settings.embedded:
            transport = transport_from_settings(settings)
            upkeep = asyncio.create_task(upkeep_loop(ctx, transport, settings))
        try:
            yield
        finally:
            if upkeep is not None:
                upkeep.cancel()
                with suppress(asyncio.CancelledError):
                    await upkeep
            await ctx.db.dispose()

    env = build_environment(str(HERE / "templates"))
    return Litestar(
        route_handlers=[
            index,
            switch_language,
            calendar_feed,
            health,
            board,
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],
        lifespan=[lifespan],
        before_request=_set_locale,
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(env)),
        allowed_hosts=AllowedHostsConfig(allowed_hosts=list(settings.allowed_hosts)),
    )


def create_app_from_env() -> Litestar:
    """Factory for ASGI servers that start several worker processes."""
    return create_app(Settings.from_env(os.environ))

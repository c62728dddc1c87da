"""The litestar application: built from a Settings object and the wired services."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from pathlib import Path

from litestar import Litestar, Request
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from markupsafe import Markup, escape

from engine.clock import Clock
from engine.config import Settings
from engine.mail.transport import transport_from_settings
from engine.services import Context
from engine.services.accounts import AccountService, SessionPolicy
from engine.services.invitations import InvitationService
from engine.services.password_links import PasswordLinkService
from engine.store.sessions import DatabaseSessions
from web.api import API_ROUTER, OPENAPI_CONFIG
from web.background import upkeep_loop
from web.cards import CARD_CACHE_SIZE, card_renderer
from web.delivery_nudge import DeliveryNudge, deliver_when_nudged
from web.errors import EXCEPTION_HANDLERS
from web.guards import current_viewer
from web.i18n import build_environment, current_locale, pick_locale
from web.metrics import instrument
from web.redis_probe import redis_client
from web.request_log import install as install_request_tracing
from web.retry_reads import RetryReads
from web.routes import (
    admin,
    attachments,
    auth,
    board,
    collaborations,
    due,
    exports,
    moves,
    owner,
    partner_candidates,
    partner_forms,
    partner_import,
    partners,
    password_links,
    portal,
    record_forms,
    site,
)
from web.security import SecurityMiddleware, add_headers, csrf_token_of
from workflows.collaboration import COLLABORATION

HERE = Path(__file__).parent
ROUTES = [
    *site.ROUTES,
    *auth.ROUTES,
    *password_links.ROUTES,
    *due.ROUTES,
    *admin.ROUTES,
    *collaborations.ROUTES,
    *partners.ROUTES,
    *partner_import.ROUTES,
    *partner_forms.ROUTES,
    *owner.ROUTES,
    *partner_candidates.ROUTES,
    *portal.ROUTES,
    *board.ROUTES,
    *exports.ROUTES,
    *moves.ROUTES,
    *record_forms.ROUTES,
    *attachments.ROUTES,
]


async def _set_locale(request: Request) -> None:
    current_locale.set(
        pick_locale(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
        )
    )


def csrf_field(request: Request) -> Markup:
    """The hidden form field carrying the page's CSRF token."""
    token = escape(csrf_token_of(request.scope))
    return Markup(f'<input type="hidden" name="_csrf" value="{token}">')


def create_app(settings: Settings, clock: Clock | None = None) -> Litestar:
    """Build the app; the database and services open at start-up and close at shutdown.

    Everything the app does reads the time from ``clock`` (the system clock unless
    one is given), so a test can run it on the same clock as the data it built.
    """

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        ctx = Context.from_settings(settings, COLLABORATION, clock, "mimamori-web")
        sessions = DatabaseSessions(ctx.db)
        app.state.ctx = ctx
        app.state.settings = settings
        app.state.redis = redis_client(settings.redis_url)
        app.state.accounts = AccountService(
            ctx,
            sessions,
            SessionPolicy(
                idle=timedelta(minutes=settings.session_idle_minutes),
                absolute=timedelta(hours=settings.session_absolute_hours),
            ),
        )
        app.state.links = PasswordLinkService(ctx)
        app.state.invitations = InvitationService(ctx)
        app.state.nudge = DeliveryNudge(ctx, app.state.redis)
        loops = []
        if settings.embedded:
            transport = transport_from_settings(settings)
            loops.append(asyncio.create_task(upkeep_loop(ctx, transport, settings)))
            loops.append(asyncio.create_task(deliver_when_nudged(ctx, transport, app.state.nudge)))
        try:
            yield
        finally:
            for loop in loops:
                loop.cancel()
                with suppress(asyncio.CancelledError):
                    await loop
            await sessions.close()
            if app.state.redis is not None:
                await app.state.redis.aclose()
            await ctx.db.dispose()

    env = build_environment(str(HERE / "templates"), settings.reload_templates)
    env.globals["csrf_field"] = csrf_field
    env.globals["csrf_value"] = lambda request: csrf_token_of(request.scope)
    cache_size = 0 if settings.reload_templates else CARD_CACHE_SIZE
    env.globals["card_html"] = card_renderer(env, cache_size)
    app = Litestar(
        route_handlers=[
            *ROUTES,
            API_ROUTER,
            create_static_files_router(
                path="/static", directories=[HERE / "static"], opt={"public": True}
            ),
        ],
        lifespan=[lifespan],
        middleware=[RetryReads(), SecurityMiddleware(settings.secure_cookies)],
        before_request=_set_locale,
        before_send=[add_headers],
        dependencies={"viewer": Provide(current_viewer, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(env)),
        allowed_hosts=AllowedHostsConfig(allowed_hosts=list(settings.allowed_hosts)),
        openapi_config=OPENAPI_CONFIG,
        include_in_schema=False,  # only the API router documents itself
        # Logging is set up once per process (engine/logs.py), not replaced by litestar's.
        logging_config=None,
    )
    return install_request_tracing(instrument(app, settings), settings.trusted_proxies)


def create_app_from_env() -> Litestar:
    """Factory for ASGI servers that start several worker processes."""
    return create_app(Settings.from_env(os.environ))

"""The JSON API under /api: collaborations, events, partners and activities.

Authentication is the session cookie (with the X-CSRF-Token header on writes)
or ``Authorization: Bearer <token>``; web/security.py resolves both. Every
error answers ``{"error": code, "message": text, ...}`` (web/api/errors.py).
"""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from web.api import activities, collaborations, partners
from web.api.errors import EXCEPTION_HANDLERS
from web.api.params import reader_locale
from web.security import SESSION_COOKIE

API_ROUTER = Router(
    "/api",
    route_handlers=[*collaborations.ROUTES, *partners.ROUTES, *activities.ROUTES],
    dependencies={"locale": Provide(reader_locale, sync_to_thread=False)},
    exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    include_in_schema=True,  # the app's HTML routes are left out of the document
    tags=["api"],
)

OPENAPI_CONFIG = OpenAPIConfig(
    title="Mimamori API",
    version="1",
    path="/schema",
    render_plugins=[JsonRenderPlugin()],
    components=Components(
        security_schemes={
            "bearer": SecurityScheme(
                type="http",
                scheme="bearer",
                description="An API token (mimamori token create --email ...).",
            ),
            "session": SecurityScheme(
                type="apiKey",
                security_scheme_in="cookie",
                name=SESSION_COOKIE,
                description="The browser session; writes also need the X-CSRF-Token header.",
            ),
        }
    ),
    security=[{"bearer": []}, {"session": []}],
)

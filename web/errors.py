"""Errors to HTTP, in one place: pages for browsers, JSON under /api, redirects to the login."""

from __future__ import annotations

import logging
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from engine.errors import NotFound, StoreUnavailable
from engine.i18n import N_
from web.request_log import request_id_of, route_of
from web.retry_reads import UNAVAILABLE
from web.security import CsrfFailed

LOG = logging.getLogger("mimamori.web")
TITLES = {
    401: N_("Please log in"),
    403: N_("You do not have access to this page"),
    404: N_("Page not found"),
    405: N_("This action is not available here"),
    409: N_("Someone else changed this in the meantime"),
    422: N_("Please check your input"),
    500: N_("Something went wrong on our side"),
    503: N_("The system is briefly unavailable"),
}
UNAVAILABLE_MESSAGE = N_(
    "The database could not be reached just now (a restart or maintenance). Wait a moment "
    "and reload the page. If you had just saved something, reload first to see whether it "
    "was saved before sending it again."
)
RETRY_AFTER = "5"
"""Seconds a client is asked to wait before trying again after a 503."""
CSRF_MESSAGE = N_(
    "The form had expired or did not come from this site. Reload the page and try again."
)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def _page(request: Request, status: int, message: str = "") -> Response:
    if _wants_json(request):
        code = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}.get(status, "error")
        body = {"error": code, "message": message or TITLES.get(status, "")}
        return Response(body, status_code=status, media_type=MediaType.JSON)
    return Template(
        "error.html",
        context={
            "status": status,
            "title": TITLES.get(status, TITLES[500]),
            "message": message,
            # For support: the same id is in the server's log lines of this request.
            "request_id": request_id_of(request.scope) if status >= 500 else "",
        },
        status_code=status,
    )


def not_authenticated(request: Request, _: Exception) -> Response:
    """Browsers go to the login page and come back; htmx is told to do the same."""
    if _wants_json(request):
        return _page(request, 401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = f"/login?next={quote(target, safe='')}"
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": login})
    return Redirect(login, status_code=303)


def forbidden(request: Request, exc: Exception) -> Response:
    """403: logged in but without the role, or a request without its CSRF token."""
    return _page(request, 403, CSRF_MESSAGE if isinstance(exc, CsrfFailed) else "")


def not_found(request: Request, _: Exception) -> Response:
    """404 for anything missing or out of the viewer's reach: the two look the same."""
    return _page(request, 404)


def http_error(request: Request, exc: HTTPException) -> Response:
    """Other HTTP errors litestar raises (405, 400 ...), as a page or JSON."""
    if _wants_json(request):
        return Response(
            {"error": "error", "message": exc.detail, "extra": exc.extra},
            status_code=exc.status_code,
            media_type=MediaType.JSON,
        )
    return _page(request, exc.status_code)


def unavailable(request: Request, exc: StoreUnavailable) -> Response:
    """503 when the database is out of reach: never a 500 for a blip in infrastructure."""
    LOG.warning("%s %s: %s", request.method, route_of(request.scope), exc)
    request.scope[UNAVAILABLE] = True  # type: ignore[literal-required]
    response = _page(request, 503, UNAVAILABLE_MESSAGE)
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def server_error(request: Request, exc: Exception) -> Response:
    """500: the traceback goes to the server's log, never to the reader."""
    LOG.error("%s %s failed", request.method, route_of(request.scope), exc_info=exc)
    return _page(request, HTTP_500_INTERNAL_SERVER_ERROR)


EXCEPTION_HANDLERS = {
    NotAuthorizedException: not_authenticated,
    PermissionDeniedException: forbidden,
    NotFoundException: not_found,
    NotFound: not_found,
    HTTPException: http_error,
    StoreUnavailable: unavailable,
    HTTP_500_INTERNAL_SERVER_ERROR: server_error,
}

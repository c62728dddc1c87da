"""Errors of the JSON API: one body shape, ``{"error": code, "message": text, ...}``, everywhere.

The handlers here are the API router's own, so browser-style answers (login
redirects, error pages) never reach an API client. ``documented`` lists the
same answers for the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from engine.errors import (
    EventNotAllowed,
    GuardBlocked,
    InvalidInput,
    NotFound,
    StoreUnavailable,
    UnknownEvent,
    VersionConflict,
)
from engine.i18n import N_
from web.api.language import api_locale, text
from web.api.schemas import ApiError, Unmet
from web.errors import LOG, RETRY_AFTER
from web.request_log import route_of
from web.retry_reads import UNAVAILABLE
from web.security import CsrfFailed

MESSAGES = {
    "bad_request": N_("The request's parameters are malformed."),
    "not_authenticated": N_("Log in, or send a valid API token."),
    "forbidden": N_("Your role may not do this."),
    "csrf_failed": N_("The CSRF token is missing or wrong: send the X-CSRF-Token header."),
    "not_found": N_("There is no such record, or you may not see it."),
    "method_not_allowed": N_("This method is not available here."),
    "guard_blocked": N_("Some requirements of this step are not met yet."),
    "version_conflict": N_("Someone else changed this in the meantime: reload and try again."),
    "event_not_allowed": N_("This step is not possible from the current state."),
    "invalid_body": N_("The request body is malformed."),
    "invalid_input": N_("Please check your input."),
    "server_error": N_("Something went wrong on our side"),
    "unavailable": N_(
        "The database could not be reached just now. Try again in a moment; "
        "read the record first to see whether a change you sent was saved."
    ),
}
NO_SUCH_EVENT = N_("There is no such step.")

DESCRIPTIONS = {
    400: "bad_request: a query parameter is malformed.",
    401: "not_authenticated: no session cookie and no valid bearer token.",
    403: "forbidden: the role lacks the permission; csrf_failed: a session request "
    "without its X-CSRF-Token header.",
    404: "not_found: no such record, or not visible to the caller (the two look the same).",
    409: "guard_blocked (with unmet), version_conflict (with current_version) or "
    "event_not_allowed (with allowed).",
    422: "invalid_body (with fields): the body is not JSON or does not match the schema; "
    "invalid_input (with fields): a value was refused.",
    503: "unavailable: the database could not be reached (a restart or a failover); retry "
    "after Retry-After seconds. A write may or may not have been saved: read the record, "
    "whose version says.",
}


def documented(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses a route can answer, with the error body."""
    return {
        status: ResponseSpec(
            data_container=ApiError, description=DESCRIPTIONS[status], generate_examples=False
        )
        for status in (400, 401, *statuses, 503)
    }


def error_response(
    request: Request, status: int, code: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[ApiError]:
    """The JSON error body for ``code``, its message in the request's language."""
    body = ApiError(error=code, message=text(request, MESSAGES[code]), **extra)
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def _not_authenticated(request: Request, _: Exception) -> Response[ApiError]:
    return error_response(request, 401, "not_authenticated", {"WWW-Authenticate": "Bearer"})


def _forbidden(request: Request, exc: Exception) -> Response[ApiError]:
    return error_response(
        request, 403, "csrf_failed" if isinstance(exc, CsrfFailed) else "forbidden"
    )


def _not_found(request: Request, _: Exception) -> Response[ApiError]:
    return error_response(request, 404, "not_found")


def _invalid_input(request: Request, exc: InvalidInput) -> Response[ApiError]:
    fields = {name: text(request, message) for name, message in exc.errors.items()}
    return error_response(request, 422, "invalid_input", fields=fields)


def _unknown_event(request: Request, _: UnknownEvent) -> Response[ApiError]:
    return error_response(
        request, 422, "invalid_input", fields={"event": text(request, NO_SUCH_EVENT)}
    )


def _field_of(problem: dict[str, Any]) -> str:
    """The field a litestar/msgspec message is about: "... - at `$.version`" -> "version"."""
    message = str(problem.get("message", ""))
    for pattern in (r"at `\$\.([^`]+)`", r"field `([^`]+)`"):
        if found := re.search(pattern, message):
            return found.group(1)
    return str(problem.get("key") or "body")


def _validation(request: Request, exc: ValidationException) -> Response[ApiError]:
    """Litestar refused the request: 422 for the body, 400 for query parameters."""
    problems = [
        p for p in (exc.extra if isinstance(exc.extra, list) else []) if isinstance(p, dict)
    ]
    fields = {_field_of(p): str(p.get("message", "")) for p in problems}
    if not problems or any(p.get("source") in (None, "body") for p in problems):
        return error_response(request, 422, "invalid_body", fields=fields or {"body": exc.detail})
    return error_response(request, 400, "bad_request", fields=fields)


def _guard_blocked(request: Request, exc: GuardBlocked) -> Response[ApiError]:
    locale = api_locale(request)
    unmet = [Unmet(r.code, r.text(locale)) for r in exc.unmet]
    return error_response(request, 409, "guard_blocked", unmet=unmet)


def _version_conflict(request: Request, exc: VersionConflict) -> Response[ApiError]:
    return error_response(request, 409, "version_conflict", current_version=exc.actual)


def _event_not_allowed(request: Request, exc: EventNotAllowed) -> Response[ApiError]:
    return error_response(request, 409, "event_not_allowed", allowed=list(exc.allowed))


def _http_error(request: Request, exc: HTTPException) -> Response[ApiError]:
    """Other refusals: a body litestar could not read (422), a method the path lacks (405)."""
    if exc.status_code == 400:
        return error_response(request, 422, "invalid_body", fields={"body": exc.detail})
    if exc.status_code == 405:
        return error_response(request, 405, "method_not_allowed")
    if exc.status_code < 500:
        return error_response(request, exc.status_code, "bad_request")
    return _server_error(request, exc)


def _server_error(request: Request, exc: Exception) -> Response[ApiError]:
    LOG.error("%s %s failed", request.method, route_of(request.scope), exc_info=exc)
    return error_response(request, 500, "server_error")


def _unavailable(request: Request, exc: StoreUnavailable) -> Response[ApiError]:
    LOG.warning("%s %s: %s", request.method, route_of(request.scope), exc)
    request.scope[UNAVAILABLE] = True  # type: ignore[literal-required]
    return error_response(request, 503, "unavailable", headers={"Retry-After": RETRY_AFTER})


EXCEPTION_HANDLERS: dict[type[Exception] | int, Callable[..., Response[ApiError]]] = {
    NotAuthorizedException: _not_authenticated,
    PermissionDeniedException: _forbidden,
    NotFoundException: _not_found,
    NotFound: _not_found,
    InvalidInput: _invalid_input,
    UnknownEvent: _unknown_event,
    ValidationException: _validation,
    GuardBlocked: _guard_blocked,
    VersionConflict: _version_conflict,
    EventNotAllowed: _event_not_allowed,
    HTTPException: _http_error,
    StoreUnavailable: _unavailable,
    HTTP_500_INTERNAL_SERVER_ERROR: _server_error,
}

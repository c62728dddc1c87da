"""Who is asking, and is the request genuine: sessions, bearer tokens, CSRF, security headers.

One ASGI middleware runs before every handler. It resolves the session cookie
or the ``Authorization: Bearer`` token into a Viewer (``scope["user"]``), and
refuses an unsafe request made with a session cookie unless it carries that
session's CSRF token (``X-CSRF-Token`` header, as htmx sends it, or the
``_csrf`` form field). Requests with a bearer token are exempt: a browser
never adds one by itself; so are API calls with no credentials at all, which
their guards refuse with 401. Anonymous forms (the login) use a double-submit
cookie. Every response gets the security headers.

A multipart body is read only as far as its first field (web/multipart.py):
when that is ``_csrf`` an upload streams on to its handler untouched; otherwise
the form is read whole as before, except on routes that stream uploads
themselves, which then refuse it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from engine.domain.access import Session, Viewer
from web.multipart import PEEK_LIMIT, peek_field
from web.request_log import note_viewer

SESSION_COOKIE = "mimamori_session"
ANONYMOUS_CSRF_COOKIE = "mimamori_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
STREAMED_UPLOAD = "streamed_upload"
"""Route opt: the handler streams the multipart body itself, so _csrf must be its first field."""
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


@dataclass(frozen=True, slots=True)
class Auth:
    """How the request authenticated: by session cookie, by bearer token, or not at all."""

    kind: str  # "session", "token" or "anonymous"
    cookie: str | None = None
    session: Session | None = None


class CsrfFailed(PermissionDeniedException):
    """An unsafe request without the page's CSRF token: refused before any handler runs."""

    detail = "CSRF token missing or wrong"


async def add_headers(message: Message, scope: Scope) -> None:
    """before_send hook: security headers and pending cookies on every response, errors too."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value
    for cookie in scope.get("mimamori_cookies", ()):
        headers.add("set-cookie", cookie)


def viewer_of(scope: Scope) -> Viewer | None:
    """The logged-in viewer of a request, if any."""
    return scope.get("user")  # type: ignore[return-value]


def csrf_token_of(scope: Scope) -> str:
    """The CSRF token forms and htmx requests of this page must send back."""
    return scope.get("mimamori_csrf", "")  # type: ignore[return-value]


def client_of(scope: Scope) -> str:
    """The client's address as the server saw it."""
    client = scope.get("client")
    return client[0] if client else ""


class SecurityMiddleware(ASGIMiddleware):
    """Authentication, CSRF and security headers (see the module docstring)."""

    scopes = ("http",)  # type: ignore[assignment]
    # Health probes ask nothing of the database, not even for a session cookie.
    exclude_opt_key = "probe"

    def __init__(self, secure_cookies: bool) -> None:
        self.secure = secure_cookies

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request: Request = Request(scope, receive)
        accounts = scope["app"].state.accounts
        cookies = request.cookies
        new_cookies: list[str] = []
        viewer: Viewer | None = None
        auth = Auth("anonymous")
        authorization = request.headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            viewer = await accounts.resolve_token(authorization[7:].strip())
            auth = Auth("token")  # a wrong token stays unauthenticated (401), not a CSRF case
        elif cookie := cookies.get(SESSION_COOKIE):
            found = await accounts.resolve_session(cookie)
            if found is not None:
                viewer, session = found
                auth = Auth("session", cookie, session)
            else:  # expired or revoked: drop the stale cookie
                new_cookies.append(cookie_header(SESSION_COOKIE, "", self.secure, max_age=0))
        if auth.kind == "session":
            assert auth.session is not None
            token = auth.session.csrf_token
        else:
            token = cookies.get(ANONYMOUS_CSRF_COOKIE) or ""
            if not token and auth.kind == "anonymous":
                token = secrets.token_urlsafe(32)
                new_cookies.append(cookie_header(ANONYMOUS_CSRF_COOKIE, token, self.secure))
        scope["user"] = viewer
        scope["auth"] = auth
        note_viewer(scope)  # the request's log lines carry the user's id from here on
        scope["mimamori_csrf"] = token
        scope["mimamori_cookies"] = new_cookies
        if scope["method"] not in SAFE_METHODS and _needs_csrf(auth, scope["path"]):
            sent, receive = await _sent_csrf_token(request, receive)
            if not token or not sent or not secrets.compare_digest(sent, token):
                raise CsrfFailed()
        await next_app(scope, receive, send)


def _needs_csrf(auth: Auth, path: str) -> bool:
    """Whether an unsafe request must prove it comes from one of this site's pages.

    Not with a bearer token (a browser never adds one), nor for an API call
    carrying no credentials at all: there is nothing to forge, and its guard
    answers 401. Anonymous forms (the login) still need their token.
    """
    if auth.kind == "token":
        return False
    return not (auth.kind == "anonymous" and (path == "/api" or path.startswith("/api/")))


def cookie_header(name: str, value: str, secure: bool, max_age: int | None = None) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Lax, for the whole site, Secure over HTTPS."""
    morsel = SimpleCookie()
    morsel[name] = value
    morsel[name]["path"] = "/"
    morsel[name]["httponly"] = True
    morsel[name]["samesite"] = "Lax"
    if secure:
        morsel[name]["secure"] = True
    if max_age is not None:
        morsel[name]["max-age"] = max_age
    return morsel[name].OutputString()


def _small(request: Request) -> bool:
    length = request.headers.get("content-length", "")
    return length.isdigit() and int(length) <= PEEK_LIMIT


async def _sent_csrf_token(request: Request, receive: Receive) -> tuple[str, Receive]:
    """The token sent, and the body to read on with (a multipart body may have been peeked)."""
    if header := request.headers.get("x-csrf-token"):
        return header, receive
    content_type = request.headers.get("content-type", "")
    handler = request.scope.get("route_handler")
    streamed = bool(handler is not None and handler.opt.get(STREAMED_UPLOAD, False))
    if content_type.startswith("multipart/form-data"):
        # Only the first field is read (pages put _csrf first), so that an upload
        # streams on to its handler instead of being spooled here.
        peeked = await peek_field(receive, request.content_type[1].get("boundary", ""), "_csrf")
        receive = peeked.receive
        if peeked.value is not None or streamed:
            return peeked.value or "", receive
        request = Request(request.scope, receive)
    elif streamed and not _small(request):
        return "", receive  # a route without a body limit reads no large form here
    if content_type.startswith(FORM_TYPES):
        # Read through litestar's request, which keeps the body for the handler.
        form = await request.form()
        value = form.get("_csrf")
        return (value if isinstance(value, str) else ""), receive
    return "", receive

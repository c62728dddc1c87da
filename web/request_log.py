"""Every request traced: its id, the proxy headers it may trust, and one access line.

The outermost layer of the app (around litestar's router and error handling,
so 404s and 500s are counted too). It looks at the direct peer before
anything rewrites the client address: only a trusted proxy's
``X-Request-ID`` (a sane token) is kept, any other request gets a fresh id.
Then it applies ``X-Forwarded-For``/``-Proto`` for trusted proxies (uvicorn's
own middleware, run here instead of in the server so the one trust rule
decides both), makes the trace current for the log lines and audit entries of
the request, returns the id in the response's ``X-Request-ID`` header and
writes one access line: method, route template (never the path, which may
hold a calendar token), status, duration and the user's id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from ipaddress import ip_address, ip_network

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from engine import tracing

REQUEST_ID_HEADER = "x-request-id"
ACCESS = logging.getLogger("mimamori.access")


def route_of(scope: Scope) -> str:
    """The route template (``/collaborations/{collaboration_id}``), or ``-`` if unrouted."""
    return scope.get("path_template") or "-"  # type: ignore[return-value]


def note_viewer(scope: Scope) -> None:
    """Put the route and the viewer's id (never more) on the request's trace."""
    trace = tracing.current()
    if trace is None:
        return
    trace.route = scope.get("path_template")  # type: ignore[assignment]
    viewer = scope.get("user")
    trace.user_id = getattr(viewer, "user_id", None)


class TrustedPeers:
    """Whether the direct peer is one of the configured reverse proxies."""

    def __init__(self, proxies: Iterable[str]) -> None:
        self.networks = tuple(ip_network(p, strict=False) for p in proxies)

    def __contains__(self, peer: str | None) -> bool:
        if not peer:
            return False
        try:
            address = ip_address(peer)
        except ValueError:  # a unix socket or the test client: not a proxy
            return False
        return any(address in network for network in self.networks)


class RequestTracing:
    """ASGI wrapper: request id, proxy headers, trace context and the access line."""

    def __init__(self, app: ASGIApp, trusted_proxies: Iterable[str]) -> None:
        proxies = list(trusted_proxies)
        self.trusted = TrustedPeers(proxies)
        self.app = ProxyHeadersMiddleware(app, trusted_hosts=proxies)  # type: ignore[arg-type]

    def request_id(self, scope: Scope) -> str:
        """A trusted proxy's sane X-Request-ID, or a fresh one."""
        client = scope.get("client")
        if client and client[0] in self.trusted:
            for name, value in scope["headers"]:
                if name == b"x-request-id":
                    if sane := tracing.sane_request_id(value.decode("latin-1")):
                        return sane
                    break
        return tracing.new_request_id()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # type: ignore[arg-type]
            return
        trace = tracing.Trace(self.request_id(scope))
        scope["mimamori_request_id"] = trace.request_id  # type: ignore[typeddict-unknown-key]
        status = 500
        started = time.perf_counter()  # a duration, not a moment: no clock needed

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableScopeHeaders.from_message(message)
                headers[REQUEST_ID_HEADER] = trace.request_id
            await send(message)

        with tracing.traced(trace):
            try:
                await self.app(scope, receive, send_with_id)  # type: ignore[arg-type]
            finally:
                _access_line(scope, trace, status, time.perf_counter() - started)


def _access_line(scope: Scope, trace: tracing.Trace, status: int, seconds: float) -> None:
    route = route_of(scope)
    viewer = scope.get("user")
    trace.route = scope.get("path_template")  # type: ignore[assignment]
    trace.user_id = getattr(viewer, "user_id", None)
    duration_ms = round(seconds * 1000, 1)
    ACCESS.info(
        "%s %s %s %.1f ms",
        scope["method"],
        route,
        status,
        duration_ms,
        extra={
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
        },
    )


def request_id_of(scope: Scope) -> str:
    """The id of the request, as its response's X-Request-ID header says."""
    return scope.get("mimamori_request_id", "")  # type: ignore[return-value]


def install(app: Litestar, trusted_proxies: Iterable[str]) -> Litestar:
    """Make request tracing the outermost layer of ``app``."""
    app.asgi_handler = RequestTracing(app.asgi_handler, trusted_proxies)
    return app

"""A read that meets a cut database connection is answered by a second try, not an error.

After a failover or a restart of the database every pooled connection is dead.
``pool_pre_ping`` replaces those found dead while idle; a request that was using
one when it died gets StoreUnavailable. For GET and HEAD, which change nothing,
the whole request runs once more on a fresh connection before anyone sees a 503.
"""

from __future__ import annotations

import logging

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from engine.errors import StoreUnavailable
from web.request_log import route_of

LOG = logging.getLogger("mimamori.web")
SAFE_METHODS = frozenset({"GET", "HEAD"})
UNAVAILABLE = "mimamori_unavailable"
"""Set in the scope by the 503 handler, so the retry knows the answer is one to hold back."""


class RetryReads(ASGIMiddleware):
    """Run a GET or HEAD once more when the database connection broke under it."""

    scopes = ("http",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["method"] not in SAFE_METHODS:
            await next_app(scope, receive, send)
            return
        first = _FirstTry(scope, receive, send)
        try:
            await next_app(scope, first.receive, first.send)
        except StoreUnavailable:
            if first.started:
                raise
        else:
            if not first.held_back:
                return
        LOG.info(
            "%s %s: the database connection broke; trying once more",
            scope["method"],
            route_of(scope),
        )
        scope.pop(UNAVAILABLE, None)  # type: ignore[misc]
        await next_app(scope, first.replay, send)


class _FirstTry:
    """The first run's channels: what it received is kept, a 503 for a lost database held back."""

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        self.received: list[Message] = []
        self.started = False
        self.held_back = False

    async def receive(self) -> Message:
        message = await self._receive()
        self.received.append(message)
        return message

    async def replay(self) -> Message:
        """For the second run: what the first one received, then the client's channel again."""
        if self.received:
            return self.received.pop(0)
        return await self._receive()

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start" and self.scope.get(UNAVAILABLE):
            self.held_back = True
        if self.held_back:
            return
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)

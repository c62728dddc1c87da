"""Role guards: every route says which permission it needs, checked before the handler."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from engine.domain.access import Permission, Viewer
from web.security import client_of, viewer_of

Guard = Callable[[ASGIConnection, BaseRouteHandler], Coroutine[Any, Any, None]]


def requires(*permissions: Permission) -> Guard:
    """A guard letting through logged-in viewers whose role grants every permission.

    Nobody logged in: 401 (the login page for browsers). Logged in without the
    permission: 403, and the refusal is written to the audit log.
    """

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        viewer = viewer_of(connection.scope)
        if viewer is None:
            raise NotAuthorizedException()
        if not all(viewer.can(p) for p in permissions):
            await connection.app.state.accounts.refused(
                viewer, connection.scope["method"], connection.url.path, client_of(connection.scope)
            )
            raise PermissionDeniedException()

    return guard


def logged_in() -> Guard:
    """A guard letting through anyone logged in, whatever their role."""
    return requires()


def current_viewer(request: Request) -> Viewer:
    """Dependency: the logged-in viewer (routes using it are guarded, so there is one)."""
    viewer = viewer_of(request.scope)
    if viewer is None:
        raise NotAuthorizedException()
    return viewer


CurrentViewer = NamedDependency[Viewer]
"""Annotation for a handler parameter ``viewer``: the logged-in viewer."""

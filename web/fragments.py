"""Fragments are template blocks: htmx requests get the block, everyone else the whole page."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import MediaType, Request
from litestar.exceptions import NotFoundException


def is_htmx(request: Request) -> bool:
    """True for an htmx request that swaps a part of the page.

    A history restore asks for a whole page even though htmx sends it.
    """
    headers = request.headers
    return bool(headers.get("hx-request")) and not headers.get("hx-history-restore-request")


def wanted_block(request: Request, name: str) -> str | None:
    """``name`` for an htmx request that swaps a part of the page; None (the whole page)
    for any other request."""
    return name if is_htmx(request) else None


def asked_block(request: Request, block: str | None, known: frozenset[str]) -> str | None:
    """The block a ``?block=`` parameter names, as ``wanted_block`` decides.

    A name the page does not have is a 404, like any unknown address.
    """
    if block is None:
        return None
    if block not in known:
        raise NotFoundException()
    return wanted_block(request, block)


def page(
    template: str,
    context: dict[str, Any],
    *,
    block: str | list[str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMXBlockTemplate:
    """``template`` whole, or only ``block`` (one name or several) when the caller chose one."""
    options: dict[str, Any] = {
        "template_name": template,
        "context": context,
        "status_code": status_code,
        "headers": headers,
        # Explicit: a handler that may also redirect is annotated Any, whose default is JSON.
        "media_type": MediaType.HTML,
    }
    if isinstance(block, list):
        return HTMXBlockTemplate(block_names=block, **options)
    return HTMXBlockTemplate(block_name=block, **options)


def render(
    request: Request,
    template: str,
    blocks: str | list[str],
    context: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMXBlockTemplate:
    """``template`` whole, or only ``blocks`` (one name or several) for htmx."""
    chosen = blocks if is_htmx(request) else None
    return page(template, context, block=chosen, status_code=status_code, headers=headers)

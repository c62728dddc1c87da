"""Fragments are template blocks: htmx requests get the block, everyone else the whole page."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import MediaType, Request


def is_htmx(request: Request) -> bool:
    """True for an htmx request that swaps a part of the page.

    A history restore asks for a whole page even though htmx sends it.
    """
    headers = request.headers
    return bool(headers.get("hx-request")) and not headers.get("hx-history-restore-request")


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
    options: dict[str, Any] = {
        "template_name": template,
        "context": context,
        "status_code": status_code,
        "headers": headers,
        # Explicit: a handler that may also redirect is annotated Any, whose default is JSON.
        "media_type": MediaType.HTML,
    }
    if not is_htmx(request):
        return HTMXBlockTemplate(**options)
    if isinstance(blocks, str):
        return HTMXBlockTemplate(block_name=blocks, **options)
    return HTMXBlockTemplate(block_names=blocks, **options)

"""Fragments are blocks: htmx requests get one block of a screen's template, others the page."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Request
from litestar.response import Template


def page_or_block(
    request: Request, template: str, block: str, context: dict[str, Any], status_code: int = 200
) -> Template:
    """The named block for an htmx request (unless it asks for the whole page), else the page."""
    if request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
        return HTMXBlockTemplate(
            template_name=template, block_name=block, context=context, status_code=status_code
        )
    return Template(template, context=context, status_code=status_code)

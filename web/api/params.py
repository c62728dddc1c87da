"""Parameters shared by the API's routes: ids in paths, paging, and the reader's language."""

from __future__ import annotations

from typing import Annotated

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from web.api.language import api_locale

PathId = Annotated[int, PathParameter(ge=1, le=2**31 - 1, description="The record's id.")]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="At most this many items.")]
Offset = Annotated[
    int, QueryParameter(ge=0, le=2**31 - 1, description="Skip this many items first.")
]
Lang = Annotated[
    str | None,
    QueryParameter(
        max_length=10,
        description="ja or en (default: Accept-Language).",
    ),
]


def reader_locale(request: Request, lang: Lang = None) -> str:
    """Dependency ``locale``: the language to answer in."""
    return api_locale(request, lang)


Locale = NamedDependency[str]
"""Annotation for a handler parameter ``locale``: the language to answer in."""

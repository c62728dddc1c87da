"""The language of API messages: ?lang=, then Accept-Language, then the caller's own setting."""

from __future__ import annotations

from litestar import Request

from engine.i18n import DEFAULT_LOCALE, LOCALES, translate
from web.security import viewer_of


def _from_accept_language(header: str) -> str | None:
    """The supported language the client ranks highest, if any ("en-GB;q=0.8, ja" -> "ja")."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().split("-")[0].lower()
        if language in LOCALES and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def api_locale(request: Request, lang: str | None = None) -> str:
    """The language to answer in: ``lang`` (default: the ?lang= parameter), then the headers."""
    asked = lang if lang is not None else request.query_params.get("lang")
    if asked in LOCALES:
        return asked  # type: ignore[return-value]
    if header := _from_accept_language(request.headers.get("accept-language", "")):
        return header
    viewer = viewer_of(request.scope)
    if viewer is not None and viewer.locale in LOCALES:
        return viewer.locale
    return DEFAULT_LOCALE


def text(request: Request, message: str, **params: object) -> str:
    """A message id in the request's language."""
    return translate(message, api_locale(request), **params)

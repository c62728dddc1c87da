"""Per-request locale for templates: gettext callables that read a context variable."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape

from engine.clock import JST
from engine.domain.prefectures import PREFECTURES, prefecture_name
from engine.i18n import DEFAULT_LOCALE, LOCALES, translations

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def _gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


def pick_locale(query: str | None, cookie: str | None) -> str:
    """The locale asked for by ?lang=, then the cookie, then Japanese by default."""
    for candidate in (query, cookie):
        if candidate in LOCALES:
            return candidate  # type: ignore[return-value]
    return DEFAULT_LOCALE


def local_day(value: date | datetime | None, locale: str | None = None) -> str:
    """A date in the reader's format (2026年4月6日 / Apr 6, 2026); ``locale`` defaults to
    the request's."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(JST).date()
    locale = locale or current_locale.get()
    return format_date(value, format="long" if locale == "ja" else "medium", locale=locale)


def local_time(value: datetime | None, locale: str | None = None) -> str:
    """A moment as its reader writes it, in Japan time: 2026年4月6日 18:05 / Apr 6, 2026 18:05."""
    if value is None:
        return ""
    return f"{local_day(value, locale)} {value.astimezone(JST):%H:%M}"


def prefecture(code: str, locale: str | None = None) -> str:
    """A prefecture's name in the reader's language; an unknown old value as it is."""
    return prefecture_name(code, locale or current_locale.get())


def build_environment(template_dir: str, reload: bool = False) -> Environment:
    """A Jinja environment with autoescaping and gettext bound to the request's locale.

    Without ``reload`` a template is compiled once per process: checking its file
    on every use costs a ``stat`` per import, which on the board is one per card.
    """
    env = Environment(
        auto_reload=reload,
        loader=FileSystemLoader(template_dir),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["current_locale"] = current_locale.get
    env.filters["local_day"] = local_day
    env.filters["local_time"] = local_time
    env.filters["prefecture"] = prefecture
    env.globals["prefectures"] = PREFECTURES
    return env

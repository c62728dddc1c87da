"""Message catalogues: English message ids, translated at display time.

Code marks a string for extraction with ``N_`` and keeps it untranslated; the
layer that shows it picks the reader's locale with ``translations``.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "mimamori"
LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = ("ja", "en")
DEFAULT_LOCALE = "ja"


def N_(message: str) -> str:
    """Mark a message id for extraction without translating it."""
    return message


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalogue for a locale; English (the message ids) for unknown ones."""
    if locale not in LOCALES or locale == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale])


def translate(message: str, locale: str, **params: object) -> str:
    """Translate a message id and fill in its named parameters."""
    text = translations(locale).gettext(message)
    return text.format(**params) if params else text

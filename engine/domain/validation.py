"""Small helpers that collect per-field messages and raise them together."""

from __future__ import annotations

import re
from datetime import date

from engine.errors import InvalidInput
from engine.i18n import N_

REQUIRED = N_("This field is required.")
TOO_LONG = N_("This text is too long.")
FUTURE = N_("This date is in the future.")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Digits with the separators people write: 03-1234-5678, (0120) 12-3456, +81 3 1234 5678.
PHONE = re.compile(r"^\+?[0-9()\- ]{6,30}$")


class Errors:
    """Collects field errors; ``raise_if_any`` raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        """Record a message for a field (the first one wins)."""
        self.errors.setdefault(field, message)

    def text(self, field: str, value: str | None, *, required: bool = True, limit: int = 2000):
        """Check a free-text field for presence and length."""
        if required and not (value and value.strip()):
            self.add(field, REQUIRED)
        elif value and len(value) > limit:
            self.add(field, TOO_LONG)

    def email(self, field: str, value: str, *, required: bool = False) -> None:
        """Check an e-mail address (empty is fine unless required)."""
        if not value:
            if required:
                self.add(field, REQUIRED)
        elif not EMAIL.match(value) or len(value) > 254:
            self.add(field, N_("Enter a valid e-mail address."))

    def phone(self, field: str, value: str) -> None:
        """Check an optional telephone number, written with the usual separators."""
        if value and not PHONE.match(value):
            self.add(field, N_("Enter a telephone number: digits, hyphens and brackets."))

    def rating(self, field: str, value: int | None) -> None:
        """Check a 1-5 rating."""
        if value is None:
            self.add(field, REQUIRED)
        elif not 1 <= value <= 5:
            self.add(field, N_("Choose a rating from 1 to 5."))

    def not_future(
        self, field: str, value: date | None, today: date, *, required: bool = True
    ) -> None:
        """Check a date that must have happened already."""
        if value is None:
            if required:
                self.add(field, REQUIRED)
        elif value > today:
            self.add(field, FUTURE)

    def raise_if_any(self) -> None:
        """Raise InvalidInput when anything was recorded."""
        if self.errors:
            raise InvalidInput(self.errors)

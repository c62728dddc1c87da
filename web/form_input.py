"""Reading a submitted form: text, dates and numbers, with a message per field that is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from engine.errors import InvalidInput
from engine.i18n import N_

REQUIRED = N_("This field is required.")
TOO_LONG = N_("This text is too long.")
NOT_A_DATE = N_("Enter a date (for example 2026-04-06).")
NOT_WHOLE = N_("Enter a whole number.")
NOT_A_NUMBER = N_("Enter a number.")


class FormInput:
    """A submitted form's fields; each parse records a message for a bad value."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def raw(self, name: str) -> str:
        """The value as sent (the first one), or empty."""
        value = self.data.get(name)
        return value if isinstance(value, str) else ""

    def text(self, name: str, *, limit: int = 2000, required: bool = False) -> str:
        """Free text, trimmed, no longer than ``limit``."""
        value = self.raw(name).strip()
        if required and not value:
            self.errors.setdefault(name, REQUIRED)
        if len(value) > limit:
            self.errors.setdefault(name, TOO_LONG)
        return value

    def day(self, name: str, *, required: bool = False, raw: str | None = None) -> date | None:
        """A date in ISO form (what <input type=date> sends)."""
        value = (self.raw(name) if raw is None else raw).strip()
        if not value:
            if required:
                self.errors.setdefault(name, REQUIRED)
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors.setdefault(name, NOT_A_DATE)
            return None

    def whole(
        self, name: str, *, required: bool = False, within: tuple[int, int, str] | None = None
    ) -> int | None:
        """A whole number; ``within`` is (lowest, highest, message when outside)."""
        value = self.raw(name).strip()
        if not value:
            if required:
                self.errors.setdefault(name, REQUIRED)
            return None
        if not value.lstrip("-").isdigit() or len(value) > 9:
            self.errors.setdefault(name, NOT_WHOLE)
            return None
        number = int(value)
        if within is not None and not within[0] <= number <= within[1]:
            self.errors.setdefault(name, within[2])
        return number

    def number(self, name: str, *, required: bool = False, raw: str | None = None) -> float | None:
        """A decimal number."""
        value = (self.raw(name) if raw is None else raw).strip().replace(",", "")
        if not value:
            if required:
                self.errors.setdefault(name, REQUIRED)
            return None
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):  # NaN or infinite
            self.errors.setdefault(name, NOT_A_NUMBER)
            return None
        return number

    def version(self) -> int:
        """The record version the form was filled in against (0 for a new record)."""
        value = self.raw("version").strip()
        return int(value) if value.isdigit() and len(value) <= 9 else 0

    def rows(self, *names: str) -> list[dict[str, str]]:
        """Repeated rows (fields sent once per row), without the rows left entirely blank."""
        columns = [self.data.getall(name, []) for name in names]
        count = max((len(c) for c in columns), default=0)
        rows = []
        for i in range(count):
            row = {
                name: (column[i] if i < len(column) else "").strip()
                for name, column in zip(names, columns, strict=True)
            }
            if any(row.values()):
                rows.append(row)
        return rows

    def check(self) -> None:
        """Raise InvalidInput with every message recorded so far."""
        if self.errors:
            raise InvalidInput(self.errors)

    def values(self) -> dict[str, str]:
        """Every field as sent, for showing the form again."""
        return {key: self.raw(key) for key in self.data}


def iso(value: date | None) -> str:
    """A date as <input type=date> expects it, or empty."""
    return value.isoformat() if value else ""


def plain_number(value: float | None) -> str:
    """A number without a pointless '.0'."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def first_errors(errors: Mapping[str, str], known: set[str]) -> list[str]:
    """Messages for fields the form does not show (they go at the top)."""
    rows = ("kpis.", "checkpoints.")
    return [m for k, m in errors.items() if k not in known and not k.startswith(rows)]

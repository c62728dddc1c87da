"""People who use the system and the roles they act in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from engine.domain.validation import Errors
from engine.i18n import N_

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Role(StrEnum):
    """What a user may do: see DOMAIN.md's table of people."""

    ADMIN = "admin"
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    PARTNER = "partner"


@dataclass(frozen=True, slots=True)
class User:
    """An account."""

    id: int | None
    email: str
    name: str
    role: str
    active: bool = True
    locale: str = "ja"

    def validate(self) -> None:
        """Raise InvalidInput for a malformed e-mail, a blank name or an unknown role."""
        errors = Errors()
        if not EMAIL.match(self.email or ""):
            errors.add("email", N_("Enter a valid e-mail address."))
        errors.text("name", self.name, limit=100)
        if self.role not in Role.__members__.values():
            errors.add("role", N_("Choose a role from the list."))
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is doing something now: a user, or the system itself (id None)."""

    id: int | None
    name: str


SYSTEM = Actor(None, "system")

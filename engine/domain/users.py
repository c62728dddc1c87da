"""People who use the system and the roles they act in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.domain.validation import Errors
from engine.i18n import LOCALES, N_


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
    partner_id: int | None = None
    version: int = 1
    has_password: bool = True
    """False for an invited account whose person has not set a password yet."""

    def validate(self) -> None:
        """Raise InvalidInput for a malformed e-mail, a blank name, an unknown role or locale,
        or a partner organisation given to staff (or missing for a partner user)."""
        errors = Errors()
        errors.email("email", self.email or "", required=True)
        errors.text("name", self.name, limit=100)
        if self.role not in Role.__members__.values():
            errors.add("role", N_("Choose a role from the list."))
        elif self.role == Role.PARTNER and self.partner_id is None:
            errors.add("partner_id", N_("Choose the partner organisation this user belongs to."))
        elif self.role != Role.PARTNER and self.partner_id is not None:
            errors.add("partner_id", N_("Only partner users belong to a partner organisation."))
        if self.locale not in LOCALES:
            errors.add("locale", N_("Choose a language from the list."))
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is doing something now: a user, or the system itself (id None)."""

    id: int | None
    name: str


SYSTEM = Actor(None, "system")


ROLE_LABELS = {
    Role.ADMIN: N_("Administrator"),
    Role.MANAGER: N_("Manager"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.PARTNER: N_("Partner user"),
}

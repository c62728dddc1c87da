"""Who may do what, and which records they may see: pure rules, enforced by web/ and the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from engine.domain.users import Actor, Role


class Permission(StrEnum):
    """Things a route or a service call needs; each role holds a fixed set."""

    VIEW_PIPELINE = "view_pipeline"  # the board, collaboration and partner pages
    EDIT = "edit"  # log records, add candidates
    EDIT_PARTNERS = "edit_partners"  # register and edit partner organisations
    MOVE = "move"  # fire lifecycle events
    APPROVE = "approve"  # the manager's approval before memo signing and renewal
    ADMINISTER = "administer"  # users, networks, timing settings, the audit log
    PORTAL = "portal"  # the partner portal
    REPORT = "report"  # KPI figures and comments on one's own collaborations


STAFF_WORK = frozenset(
    {Permission.VIEW_PIPELINE, Permission.EDIT, Permission.EDIT_PARTNERS, Permission.MOVE}
)

GRANTS: dict[Role, frozenset[Permission]] = {
    # Administrators run the system and read every network; they do not take
    # pipeline decisions, which belong to the municipalities' own staff.
    # The directory of partners is theirs to keep tidy too.
    Role.ADMIN: frozenset(
        {Permission.VIEW_PIPELINE, Permission.EDIT_PARTNERS, Permission.ADMINISTER}
    ),
    Role.MANAGER: STAFF_WORK | {Permission.APPROVE},
    Role.COORDINATOR: STAFF_WORK,
    Role.PARTNER: frozenset({Permission.PORTAL, Permission.REPORT}),
}


@dataclass(frozen=True, slots=True)
class Scope:
    """Which collaborations a viewer may see.

    ``everything`` for administrators; otherwise the collaborations of the
    listed networks, or those of one partner organisation. A scope with
    nothing in it sees nothing.
    """

    everything: bool = False
    network_ids: frozenset[int] = frozenset()
    partner_id: int | None = None

    def allows(self, network_id: int, partner_id: int) -> bool:
        """True when a collaboration of this network and partner is visible."""
        if self.everything:
            return True
        if self.partner_id is not None:
            return partner_id == self.partner_id
        return network_id in self.network_ids


EVERYTHING = Scope(everything=True)


@dataclass(frozen=True, slots=True)
class Viewer:
    """A logged-in person as the request sees them: role, networks, organisation."""

    user_id: int
    email: str
    name: str
    role: Role
    network_ids: frozenset[int] = frozenset()
    partner_id: int | None = None
    locale: str = "ja"

    def can(self, permission: Permission) -> bool:
        """True when the viewer's role grants the permission."""
        return permission in GRANTS[self.role]

    @property
    def scope(self) -> Scope:
        """The collaborations this viewer may see."""
        if self.role is Role.ADMIN:
            return EVERYTHING
        if self.role is Role.PARTNER:
            # A partner user without an organisation sees nothing, not everything.
            return Scope(partner_id=self.partner_id if self.partner_id is not None else -1)
        return Scope(network_ids=self.network_ids)

    @property
    def actor(self) -> Actor:
        """The viewer as the author of a write."""
        return Actor(self.user_id, self.name)

    @property
    def is_staff(self) -> bool:
        """Municipal staff (not a partner company)."""
        return self.role is not Role.PARTNER


@dataclass(frozen=True, slots=True)
class Session:
    """A login session: whose it is, its CSRF token, and when it began and was last used."""

    user_id: int
    csrf_token: str
    created_at: datetime
    seen_at: datetime

    def expired(self, now: datetime, idle: timedelta, absolute: timedelta) -> bool:
        """True after ``idle`` without use or ``absolute`` after the login, whichever is first."""
        return now - self.seen_at > idle or now - self.created_at > absolute

"""Links e-mailed to a person so that they can set a password: invitations and resets.

A link carries a random secret; only its SHA-256 is stored. It works once, until it
expires, and only while it is the account's newest link of its purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from engine.i18n import N_


class LinkPurpose(StrEnum):
    """What a link is for; a link of one purpose is never accepted for the other."""

    INVITATION = "invitation"
    RESET = "reset"


VALID_FOR = {
    LinkPurpose.INVITATION: timedelta(days=7),
    LinkPurpose.RESET: timedelta(hours=1),
}
"""How long a link works: an invitation waits a week for its person, a reset an hour."""


class LinkProblem(StrEnum):
    """Why a link no longer works, in words for the person holding it."""

    UNKNOWN = "unknown"
    USED = "used"
    REPLACED = "replaced"
    EXPIRED = "expired"


PROBLEM_TEXT = {
    LinkProblem.UNKNOWN: N_("This link is not valid. Check that you copied all of it."),
    LinkProblem.USED: N_("This link has already been used."),
    LinkProblem.REPLACED: N_(
        "This link is no longer valid: a newer one was sent, or it was withdrawn."
    ),
    LinkProblem.EXPIRED: N_("This link has expired."),
}


@dataclass(frozen=True, slots=True)
class Link:
    """A stored link (without its secret)."""

    id: int
    user_id: int
    purpose: LinkPurpose
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    voided_at: datetime | None = None

    def problem(self, now: datetime) -> LinkProblem | None:
        """Why the link cannot be used at ``now``, or None when it can."""
        if self.used_at is not None:
            return LinkProblem.USED
        if self.voided_at is not None:
            return LinkProblem.REPLACED
        if now >= self.expires_at:
            return LinkProblem.EXPIRED
        return None

"""Due items as people see them: one occurrence of a timing rule, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DueStatus(StrEnum):
    """Where an occurrence of a timing rule stands."""

    PENDING = "pending"
    """Waiting for its reminder day (or for someone to tell)."""
    NOTIFIED = "notified"
    """The notice went out; still open until someone acknowledges it."""
    ACKNOWLEDGED = "acknowledged"
    CANCELLED = "cancelled"
    """It lapsed or its rule is gone: nobody needs to act."""


OPEN_STATUSES = (DueStatus.PENDING, DueStatus.NOTIFIED)


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open due item of a collaboration, with what a list of them shows."""

    id: int
    collaboration_id: int
    network_id: int
    partner_name: str
    state: str
    rule: str
    kind: str
    due_on: date
    remind_on: date
    status: DueStatus
    message: str = ""
    """The rule's message id (translated when shown); empty when the rule is gone."""

    def overdue(self, today: date) -> bool:
        """True when the due day is before ``today``."""
        return self.due_on < today

"""Domain events: facts a transition reports, handled after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StateChanged:
    """A record moved from one state to another."""

    workflow: str
    record_id: int
    event: str
    source: str
    dest: str
    at: datetime
    actor_id: int | None

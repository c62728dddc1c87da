"""Firing an event, decided purely: version check, guards, the resulting change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.errors import VersionConflict
from engine.events import StateChanged
from engine.workflow.spec import GuardResult, Workflow


@dataclass(frozen=True, slots=True)
class Firing:
    """The outcome of an allowed event: what to write and which domain events to publish."""

    event: str
    source: str
    dest: str
    version: int
    at: datetime
    comment: str
    checks: tuple[GuardResult, ...]
    events: tuple[StateChanged, ...]


def fire(
    workflow: Workflow,
    *,
    record_id: int,
    state: str,
    version: int,
    expected_version: int,
    snapshot: Any,
    event: str,
    now: datetime,
    actor_id: int | None,
    comment: str = "",
) -> Firing:
    """Decide an event for a record read at ``version``; raise if stale, unknown or blocked."""
    if expected_version != version:
        raise VersionConflict(workflow.name, record_id, expected_version, version)
    chosen, checks = workflow.decide(state, event, snapshot, now, comment)
    changed = StateChanged(workflow.name, record_id, chosen.name, state, chosen.dest, now, actor_id)
    return Firing(chosen.name, state, chosen.dest, version + 1, now, comment, checks, (changed,))

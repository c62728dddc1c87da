"""What the parts of the fire_event benchmark share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tests.integration.builders import COORDINATOR

TARGET_RATIO = 3.0
COMMENT = "先方の体制変更のため一時中断"
RECORDS_DAY = date(2026, 3, 16)

UPDATE_SQL = (
    "UPDATE collaborations SET state = ?, version = version + 1, state_entered_at = ? "
    "WHERE id = ? AND version = ?"
)
HISTORY_SQL = (
    "INSERT INTO history (collaboration_id, version, at, actor_id, actor_name, event, "
    "source, dest, comment, checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass
class Tracked:
    """What a method knows about its own collaborations between fires."""

    state: dict[int, str] = field(default_factory=dict)
    version: dict[int, int] = field(default_factory=dict)

    def next_move(self, cid: int) -> tuple[str, str, str]:
        """(event, source, dest): withdraw an open collaboration, reopen a withdrawn one."""
        source = self.state[cid]
        if source == "withdrawn":
            return "reopen", source, "candidate"
        return "withdraw", source, "withdrawn"


def _history_row(
    cid: int, version: int, at: str, name: str, source: str, dest: str
) -> tuple[object, ...]:
    """The history row the raw baselines insert, as the service would write it."""
    comment = COMMENT if name == "withdraw" else ""
    return (cid, version + 1, at, None, COORDINATOR.name, name, source, dest, comment, "[]")


def _sqlite_time(moment: datetime) -> str:
    """A UTC moment as SQLAlchemy stores it in SQLite (naive, microseconds)."""
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

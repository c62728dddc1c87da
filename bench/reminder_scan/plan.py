"""The query plan of the due query, and the statement the scan actually sends."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event as sa_event

from bench.reminder_scan.common import INDEX, LIMIT, TODAY
from engine.store.database import Database
from engine.store.repositories.reminders import Reminders


@dataclass
class Plan:
    """EXPLAIN QUERY PLAN of a statement, and whether it searches the partial index."""

    title: str
    lines: list[str]

    @property
    def uses_index(self) -> bool:
        due = [line for line in self.lines if "due_items" in line or " d " in f" {line} "]
        return any(line.startswith("SEARCH") and INDEX in line for line in due) and not any(
            line.startswith("SCAN") and INDEX not in line for line in due
        )

    @property
    def full_scans(self) -> list[str]:
        """SCAN lines without an index (a whole table read)."""
        return [line for line in self.lines if line.startswith("SCAN") and "INDEX" not in line]


def explain(conn: sqlite3.Connection, title: str, sql: str, params: Sequence[Any]) -> Plan:
    rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", tuple(params)).fetchall()
    return Plan(title, [row[3] for row in rows])


async def captured_due_now(db: Database, after: tuple[date, int] | None) -> tuple[str, Any]:
    """The SQL and parameters ``Reminders.due_now`` sends to the database."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    sa_event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with db.read() as conn:
            await Reminders(conn).due_now(TODAY, LIMIT, after)
    finally:
        sa_event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
    selects = [s for s in seen if s[0].lstrip().upper().startswith("SELECT")]
    return selects[-1]

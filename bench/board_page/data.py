"""The board's data: collaborations in every column, bulk-inserted, and who looks at it."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from pathlib import Path

from bench._stats import NOW
from bench.board_page.common import AREAS, EMAIL, INDUSTRIES, PASSWORD, STATES
from engine.clock import FixedClock
from engine.domain.names import name_key
from engine.domain.users import SYSTEM, User
from engine.services import Context
from engine.services.accounts import AccountService
from engine.store import migrate
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from workflows.collaboration import COLLABORATION


def _stamp(moment) -> str:
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path: Path, cards: int) -> None:
    """Partners, collaborations in every state, owners, due items and busy seasons, in raw SQL."""
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO users (id, email, name, role, active, locale, created_at, version) "
            "VALUES (?, ?, ?, 'coordinator', 1, 'ja', ?, 1)",
            [(100 + i, f"owner{i}@example.jp", f"担当者{i:02d}", _stamp(NOW)) for i in range(12)],
        )
        conn.executemany(
            "INSERT INTO partners (id, name, name_key, industry, area, note, version) "
            "VALUES (?, ?, ?, ?, ?, '', 1)",
            [
                (
                    i + 1,
                    f"協力事業者{i:05d}",
                    name_key(f"協力事業者{i:05d}"),
                    rng.choice(INDUSTRIES),
                    rng.choice(AREAS),
                )
                for i in range(cards)
            ],
        )
        rows = []
        for i in range(cards):
            entered = NOW - timedelta(days=rng.randint(0, 400), minutes=i)
            rows.append(
                (
                    i + 1,
                    1,
                    i + 1,
                    rng.choice(STATES),
                    rng.choice([None, *range(100, 112)]),
                    _stamp(entered),
                    _stamp(entered),
                    (entered + timedelta(days=rng.randint(0, 30))).date().isoformat(),
                )
            )
        conn.executemany(
            "INSERT INTO collaborations (id, network_id, partner_id, state, version, owner_id, "
            "planner, cycle, state_entered_at, created_at, last_activity_on) "
            "VALUES (?, ?, ?, ?, 1, ?, '', 1, ?, ?, ?)",
            rows,
        )
        # Already notified (an open stale badge) and due next year (the card's next due date):
        # neither is due for sending, so the app's reminder round has nothing to do meanwhile.
        due = "INSERT INTO due_items (collaboration_id, rule, anchor_on, due_on, kind, recipients, "
        due += "remind_on, status, created_at) VALUES (?, ?, ?, ?, 'reminder', 'owner', ?, ?, ?)"
        later = (NOW + timedelta(days=400)).date().isoformat()
        conn.executemany(
            due,
            [
                (r[0], rule, day, day, day, status, _stamp(NOW))
                for r in rows
                if r[3] != "withdrawn" and r[0] % 2 == 0
                for rule, day, status in (
                    ("stale", r[7], "notified"),
                    ("consultation", later, "pending"),
                )
            ],
        )
        conn.executemany(
            "INSERT INTO busy_seasons (partner_id, start_month, start_day, end_month, end_day, "
            "note) VALUES (?, 3, 1, 4, 15, '年度末')",
            [(i + 1,) for i in range(0, cards, 5)],
        )
    conn.close()


async def prepare(folder: Path, cards: int) -> str:
    """A migrated database with one network, ``cards`` collaborations and a coordinator."""
    url = f"sqlite:///{folder / 'board.db'}"
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    async with db.write() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO networks (id, name, municipality, prefecture, approach_reminder_months, "
            "approach_escalation_months, version, timing) "
            "VALUES (1, 'みどり市見守りネットワーク', 'みどり市', '13', 2, 3, 1, '{}')"
        )
    await db.dispose()
    fill(folder / "board.db", cards)
    db = Database(url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    await AccountService(ctx, DatabaseSessions(db)).create_user(
        User(None, EMAIL, "山田 花子", "coordinator"), PASSWORD, SYSTEM, (1,)
    )
    await db.dispose()
    return url

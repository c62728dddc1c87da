"""The population of ``bench.backup``: collaborations with their records, loaded in bulk."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench._stats import NOW

STATES = ("candidate", "approached", "memo_signed", "plan", "pilot", "evaluated", "renewed")
Rows = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]


def population(n: int, seed: int = 20260406) -> Rows:
    """N collaborations (1,000 per network) with about 14 rows of records each."""
    rng = random.Random(seed)
    nets, users = max(1, n // 1000), []
    for k in range(nets * 3):
        users.append((k + 1, f"user{k + 1}@example.jp", f"職員 {k + 1}", "coordinator", NOW))
    partners = [
        (p + 1, f"協力事業者{p:06d}", f"協力事業者{p:06d}", "bank", "中央地区") for p in range(n)
    ]
    collabs, history, activities, scorecards, due, audit, outbox = [], [], [], [], [], [], []
    for i in range(n):
        cid, net, owner = i + 1, i % nets + 1, (i % nets) * 3 + 1
        state = STATES[rng.randrange(len(STATES))]
        entered = NOW - timedelta(days=rng.randrange(1, 700))
        collabs.append((cid, net, cid, state, 1 + STATES.index(state), owner, entered, entered))
        for v in range(2, 2 + STATES.index(state)):
            moved = entered + timedelta(hours=v)
            history.append(
                (
                    len(history) + 1,
                    cid,
                    v,
                    moved,
                    owner,
                    "職員",
                    "advance",
                    STATES[v - 2],
                    STATES[v - 1],
                    "次の段階へ進める",
                    "[]",
                )
            )
        for a in range(2):
            day = (entered + timedelta(days=a * 9)).date()
            activities.append(
                (
                    len(activities) + 1,
                    cid,
                    "hearing",
                    day,
                    "支店長へのヒアリング" * 3,
                    owner,
                    entered,
                )
            )
        scorecards.append((cid, 4, "地域密着の金融機関で窓口の声掛けに前向き", 5, 3, "佐藤 一郎"))
        for r, rule in enumerate(("stale", "consultation_cadence")):
            on = (entered + timedelta(days=30 + r)).date()
            due.append((len(due) + 1, cid, rule, on, on, "reminder", "owner", on, entered))
        for e in range(3):
            detail = f'{{"network_id": {net}, "step": {e}, "note": "記録の更新"}}'
            audit.append(
                (len(audit) + 1, entered, owner, "record.update", "collaboration", cid, detail)
            )
        if i % 2 == 0:
            outbox.append(
                (
                    len(outbox) + 1,
                    f"due:{cid}",
                    f"<{cid}@bench>",
                    "reminder",
                    cid,
                    f"user{owner}@example.jp",
                    "【見守り】対応期限のお知らせ",
                    "本文" * 200,
                    "sent",
                    entered,
                    entered,
                )
            )
    return {
        "networks": (
            ("id", "name", "municipality", "prefecture"),
            [(k + 1, f"見本{k:03d}市ネットワーク", f"見本{k:03d}市", "13") for k in range(nets)],
        ),
        "users": (("id", "email", "name", "role", "created_at"), users),
        "memberships": (("user_id", "network_id"), [(u[0], (u[0] - 1) // 3 + 1) for u in users]),
        "partners": (("id", "name", "name_key", "industry", "area"), partners),
        "network_partners": (("network_id", "partner_id"), [(c[1], c[2]) for c in collabs]),
        "collaborations": (
            (
                "id",
                "network_id",
                "partner_id",
                "state",
                "version",
                "owner_id",
                "state_entered_at",
                "created_at",
            ),
            collabs,
        ),
        "history": (
            (
                "id",
                "collaboration_id",
                "version",
                "at",
                "actor_id",
                "actor_name",
                "event",
                "source",
                "dest",
                "comment",
                "checks",
            ),
            history,
        ),
        "activities": (
            (
                "id",
                "collaboration_id",
                "kind",
                "occurred_on",
                "summary",
                "created_by",
                "created_at",
            ),
            activities,
        ),
        "scorecards": (
            (
                "collaboration_id",
                "overview_rating",
                "overview_note",
                "management_rating",
                "field_rating",
                "contact_name",
            ),
            scorecards,
        ),
        "due_items": (
            (
                "id",
                "collaboration_id",
                "rule",
                "anchor_on",
                "due_on",
                "kind",
                "recipients",
                "remind_on",
                "created_at",
            ),
            due,
        ),
        "audit_log": (("id", "at", "actor_id", "action", "entity", "entity_id", "detail"), audit),
        "outbox": (
            (
                "id",
                "dedupe_key",
                "message_id",
                "kind",
                "collaboration_id",
                "to_addr",
                "subject",
                "body",
                "status",
                "next_attempt_at",
                "created_at",
            ),
            outbox,
        ),
    }


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # as UTCDateTime stores it on SQLite: naive UTC
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value.isoformat() if isinstance(value, date) else value


def load_sqlite(path: Path, rows: Rows) -> None:
    """Insert the population in one transaction with sqlite3, then back to WAL."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for table, (columns, values) in rows.items():
        marks = ", ".join("?" * len(columns))
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            ([_sqlite_value(v) for v in row] for row in values),
        )
    conn.execute("COMMIT")
    conn.close()


async def load_postgres(url: str, rows: Rows) -> None:
    """COPY the population in, then move the id sequences past it and ANALYZE."""
    conn = await asyncpg.connect(url)
    try:
        for table, (columns, values) in rows.items():
            await conn.copy_records_to_table(table, records=values, columns=list(columns))
            if columns[0] == "id":
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {len(values)})"
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()

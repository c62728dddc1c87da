"""The same measurements on a scratch PostgreSQL database (optional, --postgres)."""

from __future__ import annotations

import sqlite3
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench._stats import NOW
from bench.reminder_scan.common import INDEX, LIMIT, RAW_SQL, TODAY
from bench.reminder_scan.measure import Query, Samples, timed
from bench.reminder_scan.plan import captured_due_now
from bench.reminder_scan.population import Population, grow
from engine.clock import FixedClock
from engine.services import Context
from engine.services.reminders import ReminderService
from engine.store import migrate
from engine.store.database import Database
from engine.store.repositories.reminders import Reminders
from workflows.collaboration import COLLABORATION


async def run_postgres(url: str, sizes: Sequence[int], repeats: int) -> int:
    """The same population in a scratch PostgreSQL database (COPY from the SQLite build)."""
    import asyncpg  # the postgres extra; only needed here

    base = make_url(Database(url).url)
    name = f"mimamori_bench_{uuid.uuid4().hex[:10]}"
    admin_url = base.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    target = base.set(database=name)
    plain = target.set(drivername="postgresql").render_as_string(hide_password=False)
    print(f"\n  PostgreSQL: scratch database {name} (dropped at the end)")
    ok = True
    try:
        db = Database(target.render_as_string(hide_password=False))
        await migrate.upgrade(db)
        await db.dispose()
        with tempfile.TemporaryDirectory(prefix="mimamori-bench-") as folder:
            path = Path(folder) / "source.db"
            source_db = Database(f"sqlite:///{path}")
            await migrate.upgrade(source_db)
            await source_db.dispose()
            pop = Population()
            copied = {"networks": 0, "users": 0, "partners": 0, "collaborations": 0}
            for k, n in enumerate(sizes):
                started = time.perf_counter()
                grow(path, pop, n, plant_due=k == 0)
                await copy_to_postgres(path, plain, copied)
                built = time.perf_counter() - started
                ok = await measure_postgres(plain, target, pop, n, built, repeats) and ok
    finally:
        admin = await asyncpg.connect(admin_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return 0 if ok else 1


TABLES = {
    "networks": ("id", "name", "municipality", "prefecture"),
    "users": ("id", "email", "name", "role", "active", "locale", "created_at"),
    "memberships": ("user_id", "network_id"),
    "partners": ("id", "name", "industry", "area", "note"),
    "busy_seasons": (
        "id",
        "partner_id",
        "start_month",
        "start_day",
        "end_month",
        "end_day",
        "note",
    ),
    "collaborations": (
        "id",
        "network_id",
        "partner_id",
        "state",
        "owner_id",
        "planner",
        "cycle",
        "state_entered_at",
        "created_at",
        "last_activity_on",
    ),
    "due_items": (
        "id",
        "collaboration_id",
        "rule",
        "anchor_on",
        "due_on",
        "kind",
        "recipients",
        "status",
        "created_at",
        "remind_on",
        "notified_at",
        "acknowledged_at",
        "acknowledged_by",
    ),
}
DATE_COLUMNS = {"anchor_on", "due_on", "remind_on", "last_activity_on"}
TIME_COLUMNS = {"created_at", "notified_at", "acknowledged_at", "state_entered_at"}


def _pg_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(value)
    if column in TIME_COLUMNS:
        return datetime.fromisoformat(value + "+00:00")
    if column == "active":
        return bool(value)
    return value


async def copy_to_postgres(path: Path, url: str, copied: dict[str, int]) -> None:
    """COPY the rows the SQLite file gained since the last call (ids only grow)."""
    import asyncpg

    lib = sqlite3.connect(path)
    pg = await asyncpg.connect(url)
    try:
        async with pg.transaction():
            for table, columns in TABLES.items():
                key = "user_id" if table == "memberships" else "id"
                since = copied.get(table, 0)
                rows = lib.execute(
                    f"SELECT {', '.join(columns)} FROM {table} WHERE {key} > ? ORDER BY {key}",
                    (since,),
                ).fetchall()
                if not rows:
                    continue
                records = [
                    tuple(_pg_value(c, v) for c, v in zip(columns, row, strict=True))
                    for row in rows
                ]
                await pg.copy_records_to_table(table, records=records, columns=list(columns))
                copied[table] = max(row[0] for row in rows)
        for table in TABLES:
            if table != "memberships":
                await pg.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await pg.execute("ANALYZE")
    finally:
        await pg.close()
        lib.close()


async def measure_postgres(
    plain: str, target: Any, pop: Population, n: int, built: float, repeats: int
) -> bool:
    import asyncpg

    db = Database(target.render_as_string(hide_password=False))
    pg = await asyncpg.connect(plain)
    try:
        ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
        service = ReminderService(ctx)
        due = len(pop.due_ids)
        raw = RAW_SQL.format(hint="", param="$1", limit=LIMIT) + " FOR UPDATE OF d SKIP LOCKED"

        async def reset() -> None:
            await pg.execute(
                "UPDATE due_items SET status = 'pending', notified_at = NULL "
                "WHERE id = ANY($1::int[])",
                pop.due_ids,
            )
            await pg.execute("DELETE FROM outbox")

        sql, params = await captured_due_now(db, None)
        plan = [r[0] for r in await pg.fetch(f"EXPLAIN {sql}", *params)]
        uses = any(INDEX in line for line in plan) and not any(
            line.strip().startswith("->  Seq Scan") or line.startswith("Seq Scan") for line in plan
        )

        async def scan() -> int:
            report = await service.scan(LIMIT)
            if report.queued != pop.expected_mails:
                raise RuntimeError(f"unexpected scan: {report}")
            return report.notified

        async def direct() -> int:
            async with pg.transaction():
                return len(await pg.fetch(raw, TODAY))

        async def raw_async() -> int:
            async with db.read() as conn:
                return len((await conn.exec_driver_sql(raw, (TODAY,))).fetchall())

        async def due_now() -> int:
            async with db.read() as conn:
                return len(await Reminders(conn).due_now(TODAY, LIMIT))

        queries: dict[str, Query] = {"asyncpg": direct, "raw-async": raw_async, "due_now": due_now}
        series = {name: Samples() for name in ("scan", *queries)}
        await reset()
        for fn in queries.values():
            await timed(fn, Samples(), due)
        await timed(scan, Samples(), due)
        for _ in range(repeats):
            await reset()
            for _ in range(10):
                for name, fn in queries.items():
                    await timed(fn, series[name], due)
            await timed(scan, series["scan"], due)
        await reset()

        print(f"\n  PostgreSQL, N = {n:,}: built and copied in {built:.1f} s")
        print(f"  EXPLAIN of due_now's query:{'  [index: OK]' if uses else '  [index: MISSED]'}")
        for line in plan:
            print(f"    {line}")
        print("  per call, µs (median / p95):")
        for label, key in (
            ("ReminderService.scan()", "scan"),
            ("Reminders.due_now (SQLAlchemy)", "due_now"),
            ("raw SELECT, async engine", "raw-async"),
            ("raw SELECT, asyncpg", "asyncpg"),
        ):
            print(f"    {label:<34} {series[key].median:>11,.0f} / {series[key].p95:>11,.0f}")
        scan_median = series["scan"].median
        print(
            f"    scan / raw (asyncpg) = {scan_median / series['asyncpg'].median:,.1f}x, "
            f"due_now / raw-async = "
            f"{series['due_now'].median / series['raw-async'].median:.2f}x, "
            f"per due item {scan_median / due:,.0f} µs"
        )
        return uses
    finally:
        await pg.close()
        await db.dispose()

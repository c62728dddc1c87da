"""Firing an event with its history write, on a SQLite file database.

Times ``CollaborationService.fire`` (snapshot load under the write lock, guards,
version check, state update, history, audit, due-item refresh) alternating
``withdraw`` and ``reopen`` on N collaborations, against the minimal writes
the same move needs, done in raw SQL through the same async engine and through
the standard library's sqlite3. All three write into the same migrated file.

Run: ``python -m bench.fire_event [--quick] [--repeats N] [--profile]``.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import aiosqlite.core
from sqlalchemy import event as sa_event

from bench._stats import NOW, environment, median, p95, parse_args, profile_report, verdict
from engine.calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.store import migrate
from engine.store.database import SQLITE_PRAGMAS, Database
from engine.store.services import CollaborationService, Context
from engine.store.services.context import refresh_due_items
from engine.store.uow import writing
from tests.integration import builders
from tests.integration.builders import COORDINATOR
from workflows.collaboration import COLLABORATION

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


# --- Preparing the collaborations -----------------------------------------------------------


async def prepare(ctx: Context, n: int, prefix: str, *, records: bool) -> Tracked:
    """``n`` candidates; with ``records``, a third bare, a third with scorecard and memo,
    a third also with a consultation, a planner and a complete plan (KPI, checkpoint)."""
    tracked = Tracked()
    service = CollaborationService(ctx)
    for i in range(n):
        cid = await builders.candidate(ctx, f"{prefix}協力事業者{i:04d}")
        if records and i % 3 >= 1:
            await builders.complete_scorecard(ctx, cid)
            await builders.sign_memo(ctx, cid, RECORDS_DAY)
        if records and i % 3 == 2:
            await builders.prepare_plan(ctx, cid, RECORDS_DAY)
        record = (await service.file(cid)).collaboration
        tracked.state[cid] = record.state
        tracked.version[cid] = record.version
    return tracked


# --- The three ways to fire -----------------------------------------------------------------

Fire = Callable[[int], Awaitable[None]]


def ours(ctx: Context, tracked: Tracked) -> Fire:
    """The service: everything a real move does."""
    service = CollaborationService(ctx)

    async def fire(cid: int) -> None:
        name, _, _ = tracked.next_move(cid)
        moved = await service.fire(
            cid,
            name,
            expected_version=tracked.version[cid],
            actor=COORDINATOR,
            comment=COMMENT if name == "withdraw" else "",
        )
        tracked.state[cid] = moved.collaboration.state
        tracked.version[cid] = moved.collaboration.version

    return fire


def raw_async(db: Database, clock: FixedClock, tracked: Tracked) -> Fire:
    """The minimal writes, as driver SQL on a ``db.write()`` connection (BEGIN IMMEDIATE)."""

    async def fire(cid: int) -> None:
        name, source, dest = tracked.next_move(cid)
        version = tracked.version[cid]
        at = _sqlite_time(clock.now())
        async with db.write() as conn:
            result = await conn.exec_driver_sql(UPDATE_SQL, (dest, at, cid, version))
            if result.rowcount != 1:
                raise RuntimeError(f"collaboration {cid} moved underneath the benchmark")
            await conn.exec_driver_sql(
                HISTORY_SQL, _history_row(cid, version, at, name, source, dest)
            )
        tracked.state[cid] = dest
        tracked.version[cid] = version + 1

    return fire


def stdlib(path: Path, clock: FixedClock, tracked: Tracked) -> tuple[Fire, sqlite3.Connection]:
    """The minimal writes through the standard library's sqlite3, same pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        conn.execute(pragma)

    async def fire(cid: int) -> None:
        name, source, dest = tracked.next_move(cid)
        version = tracked.version[cid]
        at = _sqlite_time(clock.now())
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.execute(UPDATE_SQL, (dest, at, cid, version))
            if cursor.rowcount != 1:
                raise RuntimeError(f"collaboration {cid} moved underneath the benchmark")
            conn.execute(HISTORY_SQL, _history_row(cid, version, at, name, source, dest))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        tracked.state[cid] = dest
        tracked.version[cid] = version + 1

    return fire, conn


def _first(method: tuple[Fire, list[int]], k: int) -> tuple[Fire, list[int]]:
    fire, ids = method
    return fire, ids[:k]


# --- Measuring ------------------------------------------------------------------------------


async def one_round(
    fire: Fire, ids: list[int], clock: FixedClock
) -> tuple[list[float], list[float]]:
    """Fire one event on every collaboration; wall µs and main-thread CPU µs per fire."""
    wall, cpu = [], []
    for cid in ids:
        cpu_start = time.thread_time_ns()
        start = time.perf_counter_ns()
        await fire(cid)
        wall.append((time.perf_counter_ns() - start) / 1000)
        cpu.append((time.thread_time_ns() - cpu_start) / 1000)
        clock.advance(seconds=1)
    return wall, cpu


@dataclass
class Series:
    """Per-repeat medians and p95s of one method."""

    medians: list[float] = field(default_factory=list)
    p95s: list[float] = field(default_factory=list)
    cpu_medians: list[float] = field(default_factory=list)

    def add(self, samples: tuple[list[float], list[float]]) -> None:
        wall, cpu = samples
        self.medians.append(median(wall))
        self.p95s.append(p95(wall))
        self.cpu_medians.append(median(cpu))

    @property
    def cpu(self) -> float:
        return median(self.cpu_medians)

    @property
    def median(self) -> float:
        return median(self.medians)

    @property
    def p95(self) -> float:
        return median(self.p95s)


@dataclass
class Traffic:
    """Median per fire: SQL statements and trips to aiosqlite's worker thread."""

    statements: float
    round_trips: float


async def traffic_per_fire(db: Database, fire: Fire, ids: list[int]) -> Traffic:
    """Count statements (BEGIN included, COMMIT is a driver call) and worker-thread round trips."""
    statements = 0
    trips = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    original = aiosqlite.core.Connection._execute

    async def counting(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal trips
        trips += 1
        return await original(self, fn, *args, **kwargs)

    sa_event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    aiosqlite.core.Connection._execute = counting  # type: ignore[method-assign]
    try:
        per_statement, per_trip = [], []
        for cid in ids:
            statements_before, trips_before = statements, trips
            await fire(cid)
            per_statement.append(statements - statements_before)
            per_trip.append(trips - trips_before)
    finally:
        aiosqlite.core.Connection._execute = original  # type: ignore[method-assign]
        sa_event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    return Traffic(median(per_statement), median(per_trip))


async def breakdown(ctx: Context, ids: list[int], repeats: int) -> dict[str, float]:
    """Median µs of the pieces a fire is made of, each measured on its own."""
    db = ctx.db
    empty, load, refresh = [], [], []
    for _ in range(repeats):
        for cid in ids:
            start = time.perf_counter_ns()
            async with db.write():
                pass
            empty.append((time.perf_counter_ns() - start) / 1000)
            async with writing(db) as uow:
                start = time.perf_counter_ns()
                file = await uow.records.load_file(cid, lock=True)
                load.append((time.perf_counter_ns() - start) / 1000)
                start = time.perf_counter_ns()
                await refresh_due_items(ctx, uow, file, ctx.clock.now())
                refresh.append((time.perf_counter_ns() - start) / 1000)
    return {
        "empty db.write() transaction (BEGIN IMMEDIATE, COMMIT)": median(empty),
        "records.load_file(lock=True)": median(load),
        "refresh_due_items (nothing to change)": median(refresh),
    }


async def run(n: int, repeats: int, profile: bool, quick: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="mimamori-bench-") as folder:
        path = Path(folder) / "bench.db"
        db = Database(f"sqlite:///{path}")
        try:
            await migrate.upgrade(db)
            clock = FixedClock(NOW)
            ctx = Context(db=db, workflow=COLLABORATION, clock=clock, calendar=BusinessCalendar())

            started = time.perf_counter()
            mine = await prepare(ctx, n, "S", records=True)
            raw = await prepare(ctx, n, "A", records=False)
            lib = await prepare(ctx, n, "L", records=False)
            prepared = time.perf_counter() - started
            print(
                f"  prepared 3 x {n} collaborations in {prepared:.1f} s "
                f"(file DB {path.stat().st_size / 1e6:.1f} MB, WAL, synchronous=NORMAL)"
            )

            lib_fire, lib_conn = stdlib(path, clock, lib)
            methods: dict[str, tuple[Fire, list[int]]] = {
                "ours": (ours(ctx, mine), list(mine.state)),
                "raw-async": (raw_async(db, clock, raw), list(raw.state)),
                "stdlib": (lib_fire, list(lib.state)),
            }
            series = {name: Series() for name in methods}

            for fire, ids in methods.values():  # warm-up round: caches, compiled statements
                await one_round(fire, ids, clock)

            order = list(methods)
            for k in range(repeats):
                rotated = order[k % len(order) :] + order[: k % len(order)]
                for name in rotated:
                    fire, ids = methods[name]
                    gc.collect()
                    series[name].add(await one_round(fire, ids, clock))

            ours_traffic = await traffic_per_fire(db, *_first(methods["ours"], 30))
            raw_traffic = await traffic_per_fire(db, *_first(methods["raw-async"], 30))
            pieces = await breakdown(ctx, list(mine.state)[: 30 if quick else 90], 3)

            o, a, s = series["ours"], series["raw-async"], series["stdlib"]
            ratio = o.median / a.median
            print(
                f"\nPer transition, {repeats} repeats x {n} fires each "
                f"(median across repeats of each repeat's median / p95)"
            )
            print(f"  {'':34} {'median':>10} {'p95':>10}")
            print(f"  {'ours  CollaborationService.fire':34} {o.median:8.0f}µs {o.p95:8.0f}µs")
            print(f"  {'raw SQL via db.write() (async)':34} {a.median:8.0f}µs {a.p95:8.0f}µs")
            print(f"  {'raw SQL via stdlib sqlite3':34} {s.median:8.0f}µs {s.p95:8.0f}µs")
            print(
                f"  ratio ours / raw-async : {ratio:5.2f}x median, {o.p95 / a.p95:5.2f}x p95 "
                f"(target <= {TARGET_RATIO:.0f}x: {verdict(ratio, TARGET_RATIO)})"
            )
            print(
                f"  ratio ours / stdlib    : {o.median / s.median:5.1f}x median, "
                f"{o.p95 / s.p95:5.1f}x p95"
            )
            print(
                f"  ratio raw-async / stdlib: {a.median / s.median:4.1f}x "
                f"(the async driver's own cost per transaction)"
            )
            print(
                f"  throughput (1 writer): ours {1e6 / o.median:,.0f}/s, "
                f"raw-async {1e6 / a.median:,.0f}/s, stdlib {1e6 / s.median:,.0f}/s"
            )
            print(
                f"  per-repeat medians (µs): ours {[round(x) for x in o.medians]}, "
                f"raw-async {[round(x) for x in a.medians]}"
            )

            print("\nWhere ours spends it")
            print(f"  per fire (median)          {'ours':>8} {'raw-async':>10}")
            print(
                f"  SQL statements (BEGIN incl.) {ours_traffic.statements:6.0f} "
                f"{raw_traffic.statements:10.0f}"
            )
            print(
                f"  aiosqlite thread round trips {ours_traffic.round_trips:6.0f} "
                f"{raw_traffic.round_trips:10.0f}"
            )
            print(
                f"  main-thread CPU              {o.cpu:6.0f}µs {a.cpu:8.0f}µs "
                f"(stdlib {s.cpu:.0f}µs); the rest of the wall time is waiting on the worker"
            )
            print("  pieces, each timed on its own (median):")
            for label, us in pieces.items():
                print(f"    {label:52} {us:7.0f}µs")

            if profile or (ratio > TARGET_RATIO and not quick):
                fire, ids = methods["ours"]
                profiler = cProfile.Profile()
                profiler.enable()
                await one_round(fire, ids, clock)
                profiler.disable()
                print(
                    f"\nProfile of one more round of ours ({len(ids)} fires, main thread; "
                    "time in the aiosqlite worker thread shows up as waiting)"
                )
                print(profile_report(profiler, 12))
            lib_conn.close()
        finally:
            await db.dispose()


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    n = 60 if args.quick else 300
    repeats = args.repeats or (3 if args.quick else 7)
    begun = time.perf_counter()
    print("fire_event: firing withdraw/reopen with history on a SQLite file")
    print(
        f"  {environment()}; FixedClock from {NOW.isoformat()}, +1 s per fire; "
        f"{n} collaborations per method, {repeats} repeats"
    )
    asyncio.run(run(n, repeats, args.profile, args.quick))
    print(f"\n  total run time {time.perf_counter() - begun:.1f} s")


if __name__ == "__main__":
    main()

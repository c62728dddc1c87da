"""Timing each way, the statements and bytes per fire, and the report."""

from __future__ import annotations

import cProfile
import gc
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite.core
from sqlalchemy import event as sa_event

from bench._stats import NOW, median, p95, profile_report, verdict
from bench.fire_event.common import TARGET_RATIO
from bench.fire_event.prepare import prepare
from bench.fire_event.ways import Fire, first_of, ours, raw_async, stdlib
from engine.calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.services import Context
from engine.services.context import refresh_due_items
from engine.store import migrate
from engine.store.database import Database
from engine.store.uow import writing
from workflows.collaboration import COLLABORATION


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

            ours_traffic = await traffic_per_fire(db, *first_of(methods["ours"], 30))
            raw_traffic = await traffic_per_fire(db, *first_of(methods["raw-async"], 30))
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

"""Measuring the scan against the raw SELECT on SQLite, size by size, and the report."""

from __future__ import annotations

import cProfile
import gc
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event as sa_event

from bench._stats import NOW, median, p95, profile_report, verdict
from bench.reminder_scan.common import GROWTH_TARGET, INDEX, LIMIT, RAW_SQL, TODAY
from bench.reminder_scan.plan import Plan, captured_due_now, explain
from bench.reminder_scan.population import Population, day_text, grow
from engine.calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.services import Context
from engine.services.reminders import ReminderService
from engine.store import migrate
from engine.store.database import SQLITE_PRAGMAS, Database
from engine.store.repositories.reminders import Reminders
from workflows.collaboration import COLLABORATION

Query = Callable[[], Awaitable[int]]


@dataclass
class Samples:
    """Wall µs of every timed call of one method."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return median(self.values)

    @property
    def p95(self) -> float:
        return p95(self.values)


async def timed(fn: Query, samples: Samples, expected: int) -> None:
    start = time.perf_counter_ns()
    got = await fn()
    samples.values.append((time.perf_counter_ns() - start) / 1000)
    if got != expected:
        raise RuntimeError(f"expected {expected} due rows, got {got}")


@dataclass
class SizeResult:
    n: int
    due_items: int
    pending: int
    size_mb: float
    build_s: float
    series: dict[str, Samples]
    full_scan: Samples
    plans: list[Plan]
    statements: Counter[str]
    profile: str = ""


async def measure(
    path: Path, pop: Population, n: int, build_s: float, repeats: int, profile: bool
) -> SizeResult:
    db = Database(f"sqlite:///{path}")
    lib = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        lib.execute(pragma)
    try:
        clock = FixedClock(NOW)
        ctx = Context(db=db, workflow=COLLABORATION, clock=clock, calendar=BusinessCalendar())
        service = ReminderService(ctx)
        due = len(pop.due_ids)
        ids = ",".join(str(i) for i in pop.due_ids)

        # The plans: what due_now really sends, first page and a later page.
        plans = []
        for title, after in (("due_now, first page", None), ("due_now, next page", (TODAY, 0))):
            sql, params = await captured_due_now(db, after)
            plans.append(explain(lib, title, sql, params))
        raw = RAW_SQL.format(hint="", param="?", limit=LIMIT)
        plans.append(explain(lib, "raw SELECT (baseline)", raw, (day_text(TODAY),)))

        async def reset() -> None:
            """Put the due rows back as the scan found them."""
            lib.execute("BEGIN IMMEDIATE")
            lib.execute(
                f"UPDATE due_items SET status = 'pending', notified_at = NULL WHERE id IN ({ids})"
            )
            lib.execute("DELETE FROM outbox")
            lib.execute("COMMIT")

        async def scan() -> int:
            report = await service.scan(LIMIT)
            if report.queued != pop.expected_mails or report.cancelled or report.skipped:
                raise RuntimeError(f"unexpected scan: {report}, {pop.expected_mails} mails wanted")
            return report.notified

        async def stdlib() -> int:
            return len(lib.execute(raw, (day_text(TODAY),)).fetchall())

        async def raw_async() -> int:
            async with db.read() as conn:
                result = await conn.exec_driver_sql(raw, (day_text(TODAY),))
                return len(result.fetchall())

        async def due_now() -> int:
            async with db.read() as conn:
                return len(await Reminders(conn).due_now(TODAY, LIMIT))

        queries: dict[str, Query] = {
            "stdlib": stdlib,
            "raw-async": raw_async,
            "due_now": due_now,
        }
        series = {name: Samples() for name in ("scan", *queries)}

        # Warm-up: caches, compiled statements, translations, babel's locale data.
        await reset()
        for fn in queries.values():
            await timed(fn, Samples(), due)
        await timed(scan, Samples(), due)

        order = list(queries)
        per_repeat = 10
        for k in range(repeats):
            await reset()
            rotated = order[k % len(order) :] + order[: k % len(order)]
            gc.collect()
            for _ in range(per_repeat):
                for name in rotated:
                    await timed(queries[name], series[name], due)
            gc.collect()
            await timed(scan, series["scan"], due)

        # For reference: the same query told not to use an index on due_items.
        full_scan = Samples()
        unindexed = RAW_SQL.format(hint="NOT INDEXED", param="?", limit=LIMIT)
        await reset()
        for _ in range(3):
            start = time.perf_counter_ns()
            got = len(lib.execute(unindexed, (day_text(TODAY),)).fetchall())
            full_scan.values.append((time.perf_counter_ns() - start) / 1000)
            if got != due:
                raise RuntimeError(f"full scan found {got} rows, wanted {due}")
        plans.append(
            explain(
                lib, "raw SELECT, due_items NOT INDEXED (reference)", unindexed, (day_text(TODAY),)
            )
        )

        await reset()
        statements = await count_statements(db, scan)

        profiled = ""
        if profile:
            await reset()
            profiler = cProfile.Profile()
            profiler.enable()
            await scan()
            profiler.disable()
            profiled = profile_report(profiler, 15)

        await reset()
        return SizeResult(
            n,
            pop.due_items,
            pop.pending,
            _megabytes(path),
            build_s,
            series,
            full_scan,
            plans,
            statements,
            profiled,
        )
    finally:
        lib.close()
        await db.dispose()


async def count_statements(db: Database, scan: Query) -> Counter[str]:
    """The SQL statements one scan sends, by kind (``SELECT users``, ``UPDATE due_items``)."""
    seen: Counter[str] = Counter()

    def count(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        words = statement.split()
        verb = words[0].upper()
        if verb == "SELECT" and "FROM" in words:
            table = words[words.index("FROM") + 1]
        elif verb in ("INSERT", "DELETE"):
            table = words[2]
        else:
            table = words[1] if len(words) > 1 else ""
        seen[f"{verb} {table}"] += 1

    sa_event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        await scan()
    finally:
        sa_event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    return seen


def _megabytes(path: Path) -> float:
    return path.stat().st_size / 1e6


def _fresh(path: Path) -> Path:
    """``path`` with no database (nor WAL) left from an earlier run, its folder made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def report(result: SizeResult, due: int, mails: int) -> bool:
    """Print one size's figures; False when a plan misses the index."""
    s = result.series
    print(
        f"\n  N = {result.n:,} collaborations: {result.due_items:,} due items "
        f"({result.pending:,} pending), file {result.size_mb:,.0f} MB, "
        f"built in {result.build_s:.1f} s"
    )
    ok = True
    print("  query plans (EXPLAIN QUERY PLAN):")
    for plan in result.plans:
        reference = "NOT INDEXED" in plan.title
        good = plan.uses_index
        mark = "" if reference else ("  [index: OK]" if good else "  [index: MISSED]")
        print(f"    {plan.title}:{mark}")
        for line in plan.lines:
            print(f"      {line}")
        if not reference:
            ok = ok and good and not plan.full_scans
    print(f"  per call, µs (median / p95), {due} due rows, {mails} mails per scan:")
    width = 34
    scan = s["scan"]
    rows = [
        ("ReminderService.scan()", scan),
        ("Reminders.due_now (SQLAlchemy)", s["due_now"]),
        ("raw SELECT, async engine", s["raw-async"]),
        ("raw SELECT, stdlib sqlite3", s["stdlib"]),
        ("raw SELECT, NOT INDEXED (ref.)", result.full_scan),
    ]
    for label, samples in rows:
        print(
            f"    {label:<{width}} {samples.median:>11,.0f} / {samples.p95:>11,.0f}"
            f"   ({len(samples.values)} samples)"
        )
    print(
        f"    scan per due item: {scan.median / due:,.0f} µs; per queued mail: "
        f"{scan.median / mails:,.0f} µs"
    )
    print(
        f"    scan / raw (stdlib) = {scan.median / s['stdlib'].median:,.1f}x, "
        f"scan / raw-async = {scan.median / s['raw-async'].median:,.1f}x"
    )
    print(
        f"    due_now / raw-async = {s['due_now'].median / s['raw-async'].median:.2f}x, "
        f"raw-async / stdlib = {s['raw-async'].median / s['stdlib'].median:.2f}x, "
        f"NOT INDEXED / stdlib = {result.full_scan.median / s['stdlib'].median:,.0f}x"
    )
    parts = ", ".join(f"{kind} {k}" for kind, k in result.statements.most_common())
    print(f"  SQL statements in one scan: {sum(result.statements.values())} ({parts})")
    if result.profile:
        print("  profile of one more scan (main thread; the worker thread shows up as waiting):")
        print(result.profile)
    return ok


async def run_sqlite(sizes: Sequence[int], repeats: int, profile: bool, keep: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="mimamori-bench-") as folder:
        path = _fresh((keep or Path(folder)) / "reminder_scan.db")
        db = Database(f"sqlite:///{path}")
        await migrate.upgrade(db)
        await db.dispose()
        pop = Population()
        results = []
        ok = True
        for k, n in enumerate(sizes):
            started = time.perf_counter()
            grow(path, pop, n, plant_due=k == 0)
            built = time.perf_counter() - started
            result = await measure(path, pop, n, built, repeats, profile)
            ok = report(result, len(pop.due_ids), pop.expected_mails) and ok
            results.append(result)
        summarise(results)
        if len(results) > 1:
            growth = results[-1].series["due_now"].median / results[0].series["due_now"].median
            print(
                f"\n  due_now at N = {results[-1].n:,} / at N = {results[0].n:,}: "
                f"{growth:.2f}x (target ≤ {GROWTH_TARGET}x: {verdict(growth, GROWTH_TARGET)})"
            )
        if not ok:
            print("\n  FAILED: the due query does not search the partial index", INDEX)
            return 1
        print(f"\n  due query plan: SEARCH using {INDEX} at every N: OK")
        return 0


def summarise(results: Sequence[SizeResult]) -> None:
    if len(results) < 2:
        return
    print("\n  median µs per call by N (the due rows are the same at every N):")
    header = "".join(f"{r.n:>14,}" for r in results)
    print(f"    {'N':<32}{header}")
    for label, key in (
        ("ReminderService.scan()", "scan"),
        ("Reminders.due_now", "due_now"),
        ("raw SELECT, async engine", "raw-async"),
        ("raw SELECT, stdlib sqlite3", "stdlib"),
    ):
        cells = "".join(f"{r.series[key].median:>14,.0f}" for r in results)
        print(f"    {label:<32}{cells}")
    cells = "".join(f"{r.full_scan.median:>14,.0f}" for r in results)
    print(f"    {'raw SELECT, NOT INDEXED (ref.)':<32}{cells}")

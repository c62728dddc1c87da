"""The reminder scan over 100k and 1M collaborations on a SQLite file database.

Builds a migrated SQLite file with N collaborations and their due items (two or
three each: pending occurrences spread over the next two years, notified,
acknowledged and cancelled history, and about 200 due today), inserted in bulk
with the standard library's sqlite3. Then times, on the same due rows each
repeat:

* ``ReminderService.scan()``: the due query, recipients, busy seasons, the
  rendered Japanese/English e-mails into the outbox, the items marked notified;
* the same due rows read by a raw SQL SELECT (joined like ``Reminders.due_now``)
  through the standard library's sqlite3 and through the same async engine;
* ``Reminders.due_now`` alone, through SQLAlchemy.

It prints the query plan of the due query and exits non-zero when it does not
search the partial index ``ix_due_items_pending_remind_on``. The 100k file is
extended to 1M, so both sizes face exactly the same due rows.

Run: ``python -m bench.reminder_scan [--quick] [--repeats N] [--profile] [--keep DIR]
[--postgres URL]``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url

from bench._stats import NOW, environment, median, p95, profile_report, verdict
from engine.calendar import BusinessCalendar
from engine.clock import FixedClock, local_date
from engine.store import migrate
from engine.store.database import SQLITE_PRAGMAS, Database
from engine.store.repositories.reminders import Reminders
from engine.store.services import Context
from engine.store.services.reminders import ReminderService
from workflows.collaboration import COLLABORATION

TODAY = local_date(NOW)
DUE = 200
"""Due items planted in the first (smallest) size; larger sizes add none."""
LIMIT = 500
"""The scan's batch size (ReminderService.scan's default), also the raw query's LIMIT."""
INDEX = "ix_due_items_pending_remind_on"
GROWTH_TARGET = 1.5
"""due_now at the largest N over due_now at the smallest: an index-bound query stays flat."""

RAW_SQL = """
SELECT d.id, d.collaboration_id, d.rule, d.anchor_on, d.due_on, d.remind_on, d.kind,
       d.recipients, c.owner_id, c.network_id, c.state, p.id AS partner_id,
       p.name AS partner_name, n.name AS network_name
FROM due_items AS d {hint}
JOIN collaborations AS c ON c.id = d.collaboration_id
JOIN partners AS p ON p.id = c.partner_id
JOIN networks AS n ON n.id = c.network_id
WHERE d.status = 'pending' AND d.remind_on <= {param}
ORDER BY d.remind_on, d.id
LIMIT {limit}
"""

# --- The population ---------------------------------------------------------------------------

# Offsets in days from the anchor, as the workflow's timing rules have them (months ~ 30.5 days).
RULES: dict[str, tuple[str, str, int]] = {
    "approach_window_reminder": ("reminder", "owner", 61),
    "approach_window_escalation": ("escalation", "managers", 92),
    "consultation_cadence": ("reminder", "owner", 21),
    "checkpoint_ahead": ("reminder", "owner", -7),
    "renewal_review_90": ("reminder", "owner", -90),
    "renewal_review_30": ("reminder", "owner", -30),
    "renewal_review_7": ("reminder", "owner", -7),
    "renewal_review_overdue": ("escalation", "managers", 1),
    "stale": ("reminder", "owner", 30),
}
STATE_RULES: dict[str, tuple[str, ...]] = {
    "candidate": ("stale",),
    "approached": ("approach_window_reminder", "approach_window_escalation", "stale"),
    "memo_signed": ("stale",),
    "plan": ("consultation_cadence", "stale"),
    "pilot": ("checkpoint_ahead", "stale"),
    "evaluated": ("stale",),
    "renewed": (
        "renewal_review_90",
        "renewal_review_30",
        "renewal_review_7",
        "renewal_review_overdue",
        "stale",
    ),
    "withdrawn": (),
}
STATE_WEIGHTS = {
    "candidate": 25,
    "approached": 15,
    "memo_signed": 10,
    "plan": 15,
    "pilot": 12,
    "evaluated": 5,
    "renewed": 10,
    "withdrawn": 8,
}
# What the due rows are about: owners' reminders mostly, some escalations to managers.
DUE_KINDS = (
    ("approached", "approach_window_reminder"),
    ("candidate", "stale"),
    ("plan", "consultation_cadence"),
    ("approached", "approach_window_escalation"),
    ("pilot", "checkpoint_ahead"),
    ("memo_signed", "stale"),
    ("renewed", "renewal_review_30"),
    ("plan", "stale"),
    ("renewed", "renewal_review_overdue"),
    ("evaluated", "stale"),
)
INDUSTRIES = ("bank", "coop", "post", "delivery", "insurance", "convenience_store", "newspaper")
AREAS = ("中央地区", "北地区", "南地区", "東地区", "西地区", "山間地区")
PREFECTURES = ("架空県", "仮想県", "見本県")
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
GIVEN = ("花子", "一郎", "美咲", "健太", "陽子", "大輔", "恵", "翔")
COORDINATORS_PER_NETWORK = 5
MANAGERS_PER_NETWORK = 2
USERS_PER_NETWORK = COORDINATORS_PER_NETWORK + MANAGERS_PER_NETWORK
COLLABORATIONS_PER_NETWORK = 1000


def _day(d: date) -> str:
    return d.isoformat()


def _moment(d: date, seconds: int = 3600) -> str:
    """A UTC moment as SQLAlchemy stores it in SQLite (naive, microseconds)."""
    return f"{d.isoformat()} {seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:00.000000"


@dataclass
class Population:
    """What the file holds, and what a scan of it should do."""

    collaborations: int = 0
    networks: int = 0
    partners: int = 0
    due_ids: list[int] = field(default_factory=list)
    expected_mails: int = 0
    due_items: int = 0
    pending: int = 0


NOW_TEXT = NOW.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _ensure_networks(conn: sqlite3.Connection, pop: Population, wanted: int) -> None:
    """Networks up to ``wanted``, each with five coordinators and two managers as members."""
    if wanted <= pop.networks:
        return
    networks, users, members = [], [], []
    for n in range(pop.networks, wanted):
        nid = n + 1
        town = f"見本{n:04d}市"
        networks.append((nid, f"{town}見守りネットワーク", town, PREFECTURES[n % 3]))
        for k in range(USERS_PER_NETWORK):
            uid = n * USERS_PER_NETWORK + k + 1
            role = "coordinator" if k < COORDINATORS_PER_NETWORK else "manager"
            name = f"{SURNAMES[uid % 10]} {GIVEN[uid % 8]}"
            locale = "en" if uid % 10 == 3 else "ja"
            users.append((uid, f"user{uid}@example.jp", name, role, 1, locale, NOW_TEXT))
            members.append((uid, nid))
    conn.executemany(
        "INSERT INTO networks (id, name, municipality, prefecture) VALUES (?, ?, ?, ?)", networks
    )
    conn.executemany(
        "INSERT INTO users (id, email, name, role, active, locale, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        users,
    )
    conn.executemany("INSERT INTO memberships (user_id, network_id) VALUES (?, ?)", members)
    pop.networks = wanted


def _ensure_partners(conn: sqlite3.Connection, pop: Population, wanted: int, rng: random.Random):
    """Partners up to ``wanted`` (each works with two networks); a tenth have a busy season."""
    if wanted <= pop.partners:
        return
    partners, seasons = [], []
    for p in range(pop.partners, wanted):
        pid = p + 1
        partners.append((pid, f"協力事業者{p:07d}株式会社", INDUSTRIES[p % 7], AREAS[p % 6], ""))
        if rng.random() < 0.1:
            month = rng.randrange(1, 13)
            seasons.append((pid, month, 1, month, 28, "繁忙期"))
    conn.executemany(
        "INSERT INTO partners (id, name, industry, area, note) VALUES (?, ?, ?, ?, ?)", partners
    )
    conn.executemany(
        "INSERT INTO busy_seasons (partner_id, start_month, start_day, end_month, end_day, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        seasons,
    )
    pop.partners = wanted


def grow(path: Path, pop: Population, total: int, *, plant_due: bool, seed: int = 20260406) -> None:
    """Add collaborations (and their networks, partners, due items) up to ``total``.

    Collaboration i (0-based) is in network i mod K (K = total / 1000) with
    partner i div 2 and one of the network's coordinators as owner. With
    ``plant_due``, DUE collaborations spread over the range (and the networks)
    get one pending item due today, or for about one in seven up to five days
    ago (a missed scan, or snoozed until today).
    """
    rng = random.Random(seed + pop.collaborations)
    conn = sqlite3.connect(path, isolation_level=None)
    # A bulk load: no journal, no syncing, a large page cache for the index b-trees.
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("BEGIN")
    networks = max(2, total // COLLABORATIONS_PER_NETWORK)
    _ensure_networks(conn, pop, networks)
    _ensure_partners(conn, pop, (total + 1) // 2, rng)

    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    start = pop.collaborations
    # One due item in each stretch of `stride` collaborations, at a varying place in it so
    # that the due items fall in many networks (network = i mod `networks`).
    stride = max(1, (total - start) // DUE)
    chosen = {start + k * stride + (k * 37) % stride for k in range(DUE)} if plant_due else set()
    planted = 0
    all_rules = list(RULES)
    history_status = ("notified", "acknowledged", "acknowledged", "acknowledged", "cancelled")
    due_id = conn.execute("SELECT coalesce(max(id), 0) FROM due_items").fetchone()[0]
    collab_rows: list[tuple[Any, ...]] = []
    due_rows: list[tuple[Any, ...]] = []
    season_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        conn.executemany(
            "INSERT INTO collaborations (id, network_id, partner_id, state, owner_id, planner, "
            "cycle, state_entered_at, created_at, last_activity_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            collab_rows,
        )
        conn.executemany(
            "INSERT INTO due_items (id, collaboration_id, rule, anchor_on, due_on, kind, "
            "recipients, status, created_at, remind_on, notified_at, acknowledged_at, "
            "acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            due_rows,
        )
        collab_rows.clear()
        due_rows.clear()

    for i in range(start, total):
        cid = i + 1
        n = i % networks
        due_here = i in chosen
        if due_here:
            state, due_rule = DUE_KINDS[planted % len(DUE_KINDS)]
        else:
            state, due_rule = rng.choices(states, weights)[0], None
        owner = n * USERS_PER_NETWORK + 1 + i % COORDINATORS_PER_NETWORK
        if state == "candidate" and not due_here and rng.random() < 0.05:
            owner = None  # not yet assigned
        entered = TODAY - timedelta(days=rng.randrange(0, 400))
        created = entered - timedelta(days=rng.randrange(0, 300))
        activity = entered + timedelta(days=rng.randrange(0, max(1, (TODAY - entered).days + 1)))
        collab_rows.append(
            (
                cid,
                n + 1,
                i // 2 + 1,
                state,
                owner,
                "企画 太郎" if state in ("plan", "pilot") else "",
                1 + (state == "renewed"),
                _moment(entered, i),
                _moment(created, i),
                _day(activity),
            )
        )
        count = 2 + (rng.random() < 0.5)
        rules = STATE_RULES[state]
        used: set[tuple[str, date]] = set()
        for j in range(count):
            if due_here and j == 0:
                rule = due_rule
                assert rule is not None
                # A quarter were due earlier: a missed scan, or snoozed until today. Not the
                # notices ahead of a date (negative offset): they lapse once it has passed.
                late = planted % 4 == 0 and RULES[rule][2] > 0
                remind = TODAY - timedelta(days=1 + planted % 5 if late else 0)
                due = remind - timedelta(days=7) if late and planted % 8 == 0 else remind
                status = "pending"
                if planted % 4 == 1:  # the partner's busy season is now: the notice says so
                    season_rows.append((i // 2 + 1, 4, 1, 4, 15, "年度初めの繁忙期"))
                _kind, recipients, _offset = RULES[rule]
                pop.expected_mails += 1 if recipients == "owner" else MANAGERS_PER_NETWORK
                planted += 1
            elif j == 0 or not rules:  # history: a notice that went out in the last year
                rule = all_rules[(i + j) % len(all_rules)]
                remind = TODAY - timedelta(days=rng.randrange(7, 366))
                due = remind
                status = "cancelled" if state == "withdrawn" else history_status[(i + j) % 5]
            else:  # pending: reminded on some day of the next two years
                rule = rules[(i + j) % len(rules)]
                remind = TODAY + timedelta(days=rng.randrange(1, 731))
                due = remind if rng.random() < 0.95 else remind - timedelta(days=3)
                status = "pending"
            if (rule, due) in used:
                due += timedelta(days=1)
                remind = max(remind, due) if status == "pending" else due
            used.add((rule, due))
            kind, recipients, offset = RULES[rule]
            anchor = due - timedelta(days=offset)
            due_id += 1
            if due_here and j == 0:
                pop.due_ids.append(due_id)
            pop.due_items += 1
            pop.pending += status == "pending"
            notified = _moment(remind, 3600) if status in ("notified", "acknowledged") else None
            acknowledged = (
                _moment(remind + timedelta(days=2), 7200) if status == "acknowledged" else None
            )
            due_rows.append(
                (
                    due_id,
                    cid,
                    rule,
                    _day(anchor),
                    _day(due),
                    kind,
                    recipients,
                    status,
                    _moment(anchor, i),
                    _day(remind),
                    notified,
                    acknowledged,
                    owner if acknowledged else None,
                )
            )
        if len(collab_rows) >= 50_000:
            flush()
    flush()
    conn.executemany(
        "INSERT INTO busy_seasons (partner_id, start_month, start_day, end_month, end_day, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        season_rows,
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")  # as production runs it
    conn.close()
    # Write the file out now, so that the kernel's writeback does not run under the timings.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    pop.collaborations = total
    if plant_due and planted != DUE:
        raise RuntimeError(f"planted {planted} due items, wanted {DUE}")


# --- The query plan ---------------------------------------------------------------------------


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


# --- Measuring --------------------------------------------------------------------------------

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
        plans.append(explain(lib, "raw SELECT (baseline)", raw, (_day(TODAY),)))

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
            return len(lib.execute(raw, (_day(TODAY),)).fetchall())

        async def raw_async() -> int:
            async with db.read() as conn:
                result = await conn.exec_driver_sql(raw, (_day(TODAY),))
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
            got = len(lib.execute(unindexed, (_day(TODAY),)).fetchall())
            full_scan.values.append((time.perf_counter_ns() - start) / 1000)
            if got != due:
                raise RuntimeError(f"full scan found {got} rows, wanted {due}")
        plans.append(
            explain(lib, "raw SELECT, due_items NOT INDEXED (reference)", unindexed, (_day(TODAY),))
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


# --- PostgreSQL (optional) ---------------------------------------------------------------------


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


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small, fast run (smoke test)")
    parser.add_argument("--repeats", type=int, default=None, help="override the repeat count")
    parser.add_argument("--profile", action="store_true", help="profile one extra scan per N")
    parser.add_argument("--keep", type=Path, default=None, help="build the file in this folder")
    parser.add_argument(
        "--postgres", metavar="URL", default=None, help="also run on a scratch PostgreSQL database"
    )
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    sizes = (10_000,) if args.quick else (100_000, 1_000_000)
    repeats = args.repeats or (3 if args.quick else 7)
    begun = time.perf_counter()
    print("reminder_scan: the due-reminder scan on a SQLite file, against a raw SELECT")
    print(
        f"  {environment()}; FixedClock at {NOW.isoformat()} (today {TODAY} in Japan); "
        f"{DUE} due items; sizes {', '.join(f'{n:,}' for n in sizes)}; {repeats} repeats"
    )
    status = asyncio.run(run_sqlite(sizes, repeats, args.profile, args.keep))
    if args.postgres:
        status = asyncio.run(run_postgres(args.postgres, sizes, repeats)) or status
    print(f"\n  total run time {time.perf_counter() - begun:.1f} s")
    sys.exit(status)


if __name__ == "__main__":
    main()

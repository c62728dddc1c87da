"""CSV export of the collaborations: streamed in constant memory, against list-then-write.

A SQLite file (migrated, filled in bulk through ``sqlite3``) holds N
collaborations in one network, each with its own partner and contact, and a
pending due item. Each measurement runs in a fresh child process, so the
peak RSS (``VmHWM`` of /proc/self/status) belongs to that one export:

* **ours**: ``ExportService.board`` through ``engine.csv_export.csv_chunks``,
  what ``GET /board.csv`` and ``mimamori export collaborations`` stream:
  keyset batches of 500 rows, labels, formula escaping, BOM, UTF-8 chunks
  written to /dev/null as they come;
* **list** (baseline): the same rows fetched whole with ``sqlite3``
  (``fetchall``, same joins and next-due subquery), then written with
  ``csv.writer`` from that list, encoded at the end: the usual way.

Reported per N (1,000, 10,000 and 100,000; 200 and 2,000 with ``--quick``):
median time over the repeats (each in its own child), peak RSS and its growth
over the child's RSS before the export, the ratios ours / list, and between
sizes the peak RSS ratio and the extra memory per 1,000 more rows. Target:
ours' peak RSS at 10,000 rows within 1.1x of that at 1,000 (not growing with
the rows). The growth of ours at 1,000 rows is smaller than at 10,000 by a
fixed amount, not per row: below 500 rows per stage no second batch is
read, so the keyset statement is never compiled.

Run: ``python -m bench.export [--quick] [--repeats N]``.
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._stats import NOW, environment, median, parse_args, verdict

NOW_TEXT = NOW.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
STATES = ("candidate", "approached", "memo_signed", "plan", "pilot", "evaluated", "renewed")


def populate(path: Path, n: int) -> None:
    """A migrated SQLite file with ``n`` collaborations, one partner and contact each."""
    from engine.store import migrate
    from engine.store.database import Database

    async def create() -> None:
        db = Database(f"sqlite:///{path}")
        await migrate.upgrade(db)
        await db.dispose()

    asyncio.run(create())
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO networks (id, name, municipality, prefecture) "
            "VALUES (1, 'みどり市見守りネットワーク', 'みどり市', '13')"
        )
        conn.executemany(
            "INSERT INTO partners (id, name, name_key, kana, industry, area, address, phone) "
            "VALUES (?, ?, ?, ?, 'bank', '中央地区', '架空県みどり市中央1-2-3', '03-0000-0000')",
            [
                (i, name, name, "みどりしんようきんこ")
                for i in range(1, n + 1)
                for name in [("=" if i % 100 == 0 else "") + f"みどり信用金庫 第{i:05d}支店"]
            ],
        )
        conn.executemany(
            "INSERT INTO network_partners (network_id, partner_id) VALUES (1, ?)",
            [(i,) for i in range(1, n + 1)],
        )
        conn.executemany(
            "INSERT INTO contacts (partner_id, name, title, email) "
            "VALUES (?, '佐藤 一郎', '支店長', 'sato@example.jp')",
            [(i,) for i in range(1, n + 1)],
        )
        conn.executemany(
            "INSERT INTO collaborations (id, network_id, partner_id, state, version, "
            "state_entered_at, created_at, last_activity_on) "
            "VALUES (?, 1, ?, ?, 1, ?, ?, '2026-03-30')",
            [(i, i, STATES[i % len(STATES)], NOW_TEXT, NOW_TEXT) for i in range(1, n + 1)],
        )
        conn.executemany(
            "INSERT INTO due_items (collaboration_id, rule, anchor_on, due_on, kind, recipients, "
            "remind_on, status, created_at) VALUES (?, 'approach_window', '2026-04-06', "
            "'2026-06-08', 'reminder', 'owner', '2026-06-08', 'pending', ?)",
            [(i, NOW_TEXT) for i in range(1, n + 1)],
        )
    conn.close()


def _status_kb(field: str) -> int:
    """A memory figure of this process from /proc (VmRSS now, VmHWM its peak), in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


async def _ours(path: Path) -> int:
    from engine.clock import FixedClock
    from engine.csv_export import csv_chunks
    from engine.domain.access import EVERYTHING
    from engine.services import Context
    from engine.services.exports import ExportService
    from engine.store.database import Database
    from engine.store.read.pipeline import BoardFilter
    from workflows.collaboration import COLLABORATION

    db = Database(f"sqlite:///{path}")
    ctx = Context(db, COLLABORATION, FixedClock(NOW))
    written = 0
    out = open(os.devnull, "wb")  # noqa: ASYNC230, SIM115 - /dev/null never blocks
    table = ExportService(ctx, EVERYTHING).board(BoardFilter())
    async for chunk in csv_chunks(table.header, table.rows):
        written += out.write(chunk)
    out.close()
    await db.dispose()
    return written


BASELINE_SQL = """
SELECT c.id, n.name, p.name, p.industry, p.area, c.state, c.state_entered_at, u.name,
       c.last_activity_on,
       (SELECT min(d.due_on) FROM due_items d
        WHERE d.collaboration_id = c.id AND d.status = 'pending'),
       c.version
FROM collaborations c JOIN networks n ON n.id = c.network_id
JOIN partners p ON p.id = c.partner_id LEFT JOIN users u ON u.id = c.owner_id
ORDER BY c.state, c.state_entered_at, c.id
"""


def _baseline(path: Path) -> int:
    conn = sqlite3.connect(path)
    rows = conn.execute(BASELINE_SQL).fetchall()
    conn.close()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "ID",
            "ネットワーク",
            "事業者名",
            "業種",
            "地区",
            "段階",
            "日",
            "担当",
            "活動",
            "期限",
            "版",
        ]
    )
    writer.writerows(rows)
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    with open(os.devnull, "wb") as out:
        return out.write(data)


def child(method: str, path: Path) -> None:
    """One export in this process; prints its time, bytes and memory as JSON."""
    if method == "ours":  # imports first, so the RSS before counts the code, not the rows
        import engine.services.exports  # noqa: F401
        import workflows.collaboration  # noqa: F401
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    written = asyncio.run(_ours(path)) if method == "ours" else _baseline(path)
    seconds = time.perf_counter() - start
    # Not getrusage's ru_maxrss: across fork and exec it keeps the parent's peak.
    peak = _status_kb("VmHWM")
    print(json.dumps({"seconds": seconds, "bytes": written, "before": before, "peak": peak}))


def run_child(method: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", "--child", method, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
        return
    args = parse_args(__doc__.splitlines()[0])
    sizes = (1_000, 10_000, 100_000) if not args.quick else (200, 2_000)
    repeats = args.repeats or (3 if args.quick else 5)
    results: dict[int, dict[str, list[dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"export-{n}.db"
            populate(path, n)
            results[n] = {"ours": [], "list": []}
            for r in range(repeats):
                order = ("ours", "list") if r % 2 == 0 else ("list", "ours")
                for method in order:
                    results[n][method].append(run_child(method, path))
    print(f"export: collaborations as CSV, SQLite, one child process per run; {environment()}")
    print(f"  {repeats} repeats; medians; RSS in MB (growth = peak - RSS before the export)")
    peaks: dict[str, dict[int, float]] = {"ours": {}, "list": {}}
    growth: dict[str, dict[int, float]] = {"ours": {}, "list": {}}
    for n, by_method in results.items():
        line = [f"  N={n:7,d}"]
        for method, runs in by_method.items():
            seconds = median([run["seconds"] for run in runs]) * 1000
            peaks[method][n] = median([run["peak"] for run in runs]) / 1024
            growth[method][n] = median([run["peak"] - run["before"] for run in runs]) / 1024
            size = runs[0]["bytes"] / 1024
            line.append(
                f"{method}: {seconds:7.1f} ms, peak RSS {peaks[method][n]:5.1f} MB "
                f"(+{growth[method][n]:5.1f}), {size:,.0f} kB"
            )
        ours_s = median([run["seconds"] for run in by_method["ours"]])
        list_s = median([run["seconds"] for run in by_method["list"]])
        line.append(f"ours / list {ours_s / list_s:.1f}x")
        print("  |  ".join(line))
    for small, large in itertools.pairwise(sizes):
        for method in ("ours", "list"):
            ratio = peaks[method][large] / peaks[method][small]
            per_1000 = (growth[method][large] - growth[method][small]) / (large - small) * 1000
            target = f" (target <= 1.1x: {verdict(ratio, 1.1)})" if method == "ours" else ""
            print(
                f"  {method:4s} peak RSS N={large:,d} / N={small:,d}: {ratio:.2f}x{target}; "
                f"{per_1000 * 1024:+.0f} kB per 1,000 more rows"
            )


if __name__ == "__main__":
    main()

"""Backup and restore: ours against a file copy (SQLite) and bare pg_dump/pg_restore.

Builds N collaborations with their records (history, activities, scorecards,
due items, audit entries, outbox mail) in bulk, on SQLite and, when it
answers, on PostgreSQL, and times in the same run, in rotated order:

* SQLite: ``make_backup`` (online backup API, checksums, tar) against
  ``shutil.copyfile`` of the database file (what an operator does with the app
  stopped); ``restore_backup`` into a new file against copying the file back.
* PostgreSQL: ``make_backup`` (snapshot, checksums, ``pg_dump -Fc``, tar)
  against a bare ``pg_dump -Fc``; ``restore_backup`` into an empty database
  against a bare ``pg_restore -d`` into another.

Run: ``python -m bench.backup [--quick] [--repeats N] [--postgres URL]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg

from bench._stats import NOW, environment, median
from bench.backup_population import load_postgres, load_sqlite, population
from engine.clock import FixedClock, monotonic
from engine.store import migrate
from engine.store.backup import make_backup, restore_backup
from engine.store.backup.pgtools import libpq_env
from engine.store.database import Database
from tests.conftest import reachable

POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


async def timed(work: Callable[[], Awaitable[Any]]) -> float:
    """Seconds ``work`` took."""
    started = monotonic()
    await work()
    return monotonic() - started


async def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    """A tool of PostgreSQL's, failing loudly."""
    done = await asyncio.to_thread(subprocess.run, cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed: {done.stderr.strip()}")


def quiet(_line: str) -> None:
    """Progress lines are not part of the figures."""


class Scratch:
    """PostgreSQL databases created for the run and dropped at its end."""

    def __init__(self, server: str) -> None:
        self.server, self.names = server, []

    async def create(self, migrated: bool = False) -> str:
        name = f"mimamori_bench_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(self.server)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        self.names.append(name)
        url = self.server.rsplit("/", 1)[0] + f"/{name}"
        if migrated:
            db = Database(url)
            await migrate.upgrade(db)
            await db.dispose()
        return url

    async def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(self.server)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def sqlite_round(folder: Path, source: Path, k: int) -> dict[str, float]:
    """One repeat on SQLite: both backups and both restores, in an order rotated by ``k``."""
    db, out, clock = Database(f"sqlite:///{source}"), {}, FixedClock(NOW)
    ours, copy = folder / f"ours{k}.mimamori", folder / f"copy{k}.db"
    steps = {
        "backup ours": lambda: make_backup(db, ours, clock, progress=quiet),
        "backup copy": lambda: asyncio.to_thread(shutil.copyfile, source, copy),
    }
    for name in list(steps)[k % 2 :] + list(steps)[: k % 2]:
        out[name] = await timed(steps[name])
    await db.dispose()
    target = Database(f"sqlite:///{folder / f'restored{k}.db'}")
    out["restore ours"] = await timed(lambda: restore_backup(target, ours, progress=quiet))
    await target.dispose()
    back = folder / f"back{k}.db"
    out["restore copy"] = await timed(lambda: asyncio.to_thread(shutil.copyfile, copy, back))
    out["size ours"], out["size copy"] = ours.stat().st_size, copy.stat().st_size
    for path in (ours, copy, back, folder / f"restored{k}.db"):
        path.unlink()
    return out


async def postgres_round(scratch: Scratch, url: str, folder: Path, k: int) -> dict[str, float]:
    """One repeat on PostgreSQL: ours against bare pg_dump and pg_restore."""
    db, out, env = Database(url), {}, libpq_env(url)
    ours, bare = folder / f"ours{k}.mimamori", folder / f"bare{k}.pgdump"
    steps = {
        "backup ours": lambda: make_backup(db, ours, FixedClock(NOW), progress=quiet),
        "backup bare": lambda: run(["pg_dump", "-Fc", "-w", f"--file={bare}"], env),
    }
    for name in list(steps)[k % 2 :] + list(steps)[: k % 2]:
        out[name] = await timed(steps[name])
    await db.dispose()
    into_ours, into_bare = await scratch.create(), await scratch.create()
    target = Database(into_ours)
    out["restore ours"] = await timed(lambda: restore_backup(target, ours, progress=quiet))
    await target.dispose()
    bare_env = libpq_env(into_bare)
    restore = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d"]
    out["restore bare"] = await timed(
        lambda: run([*restore, bare_env["PGDATABASE"], str(bare)], bare_env)
    )
    out["size ours"], out["size bare"] = ours.stat().st_size, bare.stat().st_size
    for scratch_url in (into_ours, into_bare):
        await scratch.drop(scratch_url)
    ours.unlink()
    bare.unlink()
    return out


def report(engine: str, n: int, base: str, rounds: list[dict[str, float]]) -> None:
    """Medians and ratios of one engine and size."""
    m = {key: median([r[key] for r in rounds]) for key in rounds[0]}
    print(f"  {engine:10s} N={n:>6,}  ({len(rounds)} repeats, medians)")
    for what in ("backup", "restore"):
        ours, other = m[f"{what} ours"], m[f"{what} {base}"]
        ratio = ours / other
        print(
            f"    {what:8s} ours {ours:7.2f} s   {base} {other:7.2f} s  ours / {base} {ratio:5.1f}x"
        )
    ours, other = m["size ours"], m[f"size {base}"]
    sizes = f"ours {ours / 1e6:7.1f} MB  {base} {other / 1e6:7.1f} MB"
    print(f"    size     {sizes}  ours / {base} {ours / other:5.2f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small, fast run (smoke test)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument(
        "--postgres", default=POSTGRES, help="a server to make scratch databases on"
    )
    args = parser.parse_args()
    sizes, repeats = (
        ((1_000,), args.repeats or 1) if args.quick else ((5_000, 50_000), args.repeats or 5)
    )
    server = Database(args.postgres).url.replace("+asyncpg", "")
    host, port = libpq_env(server)["PGHOST"], int(libpq_env(server).get("PGPORT", 5432))
    with_pg = reachable(host, port) and shutil.which("pg_dump") is not None
    print(f"backup: mimamori backup/restore against a file copy and bare pg_dump; {environment()}")
    scratch = Scratch(server)
    try:
        for n in sizes:
            rows = population(n)
            with tempfile.TemporaryDirectory(
                prefix="mimamori-bench-", dir=os.environ.get("TMPDIR")
            ) as tmp:
                folder = Path(tmp)
                source = folder / "source.db"
                db = Database(f"sqlite:///{source}")
                await migrate.upgrade(db)
                await db.dispose()
                load_sqlite(source, rows)
                report(
                    "SQLite",
                    n,
                    "copy",
                    [await sqlite_round(folder, source, k) for k in range(repeats)],
                )
                if not with_pg:
                    print(f"  PostgreSQL skipped: nothing answers at {host}:{port}, or no pg_dump")
                    continue
                url = await scratch.create(migrated=True)
                await load_postgres(url, rows)
                report(
                    "PostgreSQL",
                    n,
                    "bare",
                    [await postgres_round(scratch, url, folder, k) for k in range(repeats)],
                )
                await scratch.drop(url)
    finally:
        for name in scratch.names:
            await scratch.drop(f"/{name}")


if __name__ == "__main__":
    asyncio.run(main())

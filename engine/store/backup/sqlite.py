"""SQLite: a snapshot through the online backup API, and a restore through it in reverse.

Both run in a worker thread (``asyncio.to_thread``): sqlite3 releases the GIL
while it copies, so the app's own writers carry on meanwhile.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from engine.store.backup.checksum import batches_checksum
from engine.store.backup.errors import BackupError, BackupRefused
from engine.store.backup.manifest import TableSum

BUSY_MS = 10_000
BATCH = 10_000
RESTORE_PAGES = 4096
"""Pages per restore step: 16 MB at the default page size, one progress line each."""


def snapshot(
    source: Path, copy: Path, excluded: Iterable[str], progress: Callable[[str], None]
) -> tuple[str | None, dict[str, TableSum], str]:
    """Copy ``source`` to ``copy`` consistently; (revision, table sums, SQLite version)."""
    if not source.is_file():
        raise BackupRefused(f"there is no SQLite database at {source}")
    progress(f"copying {source} ({source.stat().st_size / 1e6:,.1f} MB)")
    src = _connect(source)
    dst = _connect(copy)
    try:
        # One step: a stepped copy restarts whenever another process writes (the running
        # app), while a single step reads one consistent snapshot and never blocks writers.
        src.backup(dst)
        tables = table_names(dst)
        # Sessions stay behind: the copy forgets their rows and the pages that held them.
        dst.execute("PRAGMA secure_delete=ON")
        for name in excluded:
            if name in tables:
                dst.execute(f'DELETE FROM "{name}"')
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return revision(dst), table_sums(dst, tables, progress), sqlite3.sqlite_version
    finally:
        src.close()
        dst.close()


def restore(
    payload: Path, target: Path, expected: dict[str, TableSum], progress: Callable[[str], None]
) -> None:
    """Overwrite ``target`` with ``payload`` in one transaction, then check it against the sums."""
    src = _connect(payload)
    dst = _connect(target)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            progress(f"restoring: {100 * (total - remaining) // max(total, 1)} %")

        # The destination stays locked and its transaction open across the steps: a
        # restore that fails or is killed half-way is rolled back by the journal.
        src.backup(dst, pages=RESTORE_PAGES, progress=step)
        dst.execute("PRAGMA journal_mode=WAL")
        differ = differences(table_sums(dst, table_names(dst), lambda _: None), expected)
        if differ:
            raise BackupError(f"the restored database differs from the backup in {differ}")
    except sqlite3.Error as exc:
        raise BackupError(f"restoring into {target} failed: {exc}") from exc
    finally:
        src.close()
        dst.close()


def contents(path: Path, ignored: Iterable[str]) -> dict[str, int]:
    """Rows per table of the database at ``path`` (nothing when there is no file)."""
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    conn = _connect(path)
    try:
        skip = set(ignored)
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in table_names(conn)
            if name not in skip
        }
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(
            f"{path} is not a SQLite database ({exc}): nothing was changed"
        ) from exc
    finally:
        conn.close()


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The tables of the database, SQLite's own left out."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def table_sums(
    conn: sqlite3.Connection, tables: Iterable[str], progress: Callable[[str], None]
) -> dict[str, TableSum]:
    """Row count and checksum of every table."""
    sums = {}
    for name in tables:
        keys = [
            row[1]
            for row in sorted(conn.execute(f'PRAGMA table_info("{name}")'), key=lambda r: r[5])
            if row[5]
        ]
        order = ", ".join(f'"{key}"' for key in keys) or "rowid"
        cursor = conn.execute(f'SELECT * FROM "{name}" ORDER BY {order}')
        count, checksum = batches_checksum(iter(partial(cursor.fetchmany, BATCH), []))
        sums[name] = TableSum(count, checksum)
        if count:
            progress(f"  {name}: {count:,} rows")
    return sums


def revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision recorded in the database, if any."""
    if "alembic_version" not in table_names(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def differences(actual: dict[str, TableSum], expected: dict[str, TableSum]) -> str:
    """The tables whose rows differ, in words ('' when none do)."""
    names = sorted(n for n in expected.keys() | actual.keys() if actual.get(n) != expected.get(n))
    return ", ".join(names)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return conn

"""PostgreSQL restore: pg_restore's SQL fed to psql in one transaction that checks itself.

``pg_restore`` turns the archive into SQL, which is fed to ``psql`` after
``BEGIN`` and the drop of the tables there; before ``COMMIT`` a check
compares every table with the manifest. Any error, in pg_restore, in the SQL
or in the check, ends the session without a commit: nothing changes.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from engine.store.backup.checksum import PG_OUTPUT_SETTINGS, pg_sum_sql
from engine.store.backup.errors import BackupError
from engine.store.backup.manifest import Manifest, TableSum
from engine.store.backup.pgtools import find_tool, libpq_env
from engine.store.backup.postgres import current_tables, ident, server_version
from engine.store.database import Database

CHUNK = 1 << 20
COPYING = re.compile(rb'^COPY (?:[^ .]+\.)?"?([^ ."]+)"? ', re.M)
LOCK_TIMEOUT = "30s"
"""How long the restore waits for a table another session uses (the app must be stopped)."""


async def restore(
    db: Database, payload: Path, manifest: Manifest, progress: Callable[[str], None]
) -> None:
    """Replace every table of the database with the payload's, in one transaction."""
    async with db.read() as conn:
        _, major = await server_version(conn)
        schema, existing = await current_tables(conn)
    pg_restore, psql = find_tool("pg_restore", major), find_tool("psql", major)
    env = libpq_env(db.url)
    with tempfile.TemporaryFile() as feeder_err, tempfile.TemporaryFile() as loader_err:
        feeder = await asyncio.create_subprocess_exec(
            *(pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--file=-"),
            str(payload),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=feeder_err,
        )
        loader = await asyncio.create_subprocess_exec(
            *(psql, "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", "-"),
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=loader_err,
        )
        assert feeder.stdout is not None and loader.stdin is not None
        try:
            drops = "".join(
                f"DROP TABLE IF EXISTS {ident(schema)}.{ident(t)} CASCADE;\n" for t in existing
            )
            loader.stdin.write(
                f"BEGIN;\nSET LOCAL lock_timeout = '{LOCK_TIMEOUT}';\n{drops}".encode()
            )
            await _relay(feeder.stdout, loader.stdin, manifest, progress)
            if await feeder.wait() != 0:
                # psql reaches the end of its input inside the transaction: it is rolled back.
                loader.stdin.close()
                await loader.wait()
                raise BackupError(
                    f"pg_restore failed: {_first_error(feeder_err)}; nothing was changed"
                )
            progress("checking every table against the manifest")
            loader.stdin.write(_verification(schema, manifest).encode() + b"COMMIT;\n")
            await loader.stdin.drain()
            loader.stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            pass  # psql stopped at an error; what it wrote says which
        finally:
            if feeder.returncode is None:
                feeder.kill()
                await feeder.wait()
        if await loader.wait() != 0:
            raise BackupError(f"restore failed: {_first_error(loader_err)}; nothing was changed")


async def _relay(
    source: asyncio.StreamReader,
    sink: asyncio.StreamWriter,
    manifest: Manifest,
    progress: Callable[[str], None],
) -> None:
    """Copy pg_restore's SQL into psql, naming each table as its rows begin."""
    tail = b""
    seen: set[str] = set()
    while chunk := await source.read(CHUNK):
        for found in COPYING.finditer(tail + chunk):
            name = found.group(1).decode(errors="replace")
            if name not in seen:
                seen.add(name)
                rows = manifest.tables.get(name, TableSum(0, "")).rows
                progress(f"  {name}: {rows:,} rows")
        tail = chunk[-200:]
        sink.write(chunk)
        await sink.drain()


def _verification(schema: str, manifest: Manifest) -> str:
    """SQL that raises, before the commit, when a table's rows differ from the manifest."""
    checks = []
    for name, expected in sorted(manifest.tables.items()):
        table = f"{ident(schema)}.{ident(name)}"
        checks.append(
            f"  SELECT s.n, s.c INTO got_rows, got_sum FROM ({pg_sum_sql(table)}) AS s(n, c);\n"
            f"  IF got_rows <> {expected.rows} OR got_sum <> {int(expected.checksum, 16)} THEN "
            f"differ := differ || '{name.replace(chr(39), chr(39) * 2)}'::text; END IF;\n"
        )
    settings = "".join(f"{statement};\n" for statement in PG_OUTPUT_SETTINGS)
    return (
        f"{settings}DO $verify$\nDECLARE\n  differ text[] := '{{}}';\n  got_rows bigint;\n"
        f"  got_sum numeric;\nBEGIN\n{''.join(checks)}"
        "  IF cardinality(differ) > 0 THEN\n"
        "    RAISE EXCEPTION 'the restored tables differ from the backup: %',"
        " array_to_string(differ, ', ');\n  END IF;\nEND\n$verify$;\n"
    )


def _first_error(stream: IO[bytes]) -> str:
    """The first error line a tool wrote (its cause), without the tool's prefix."""
    stream.seek(0)
    lines = stream.read().decode(errors="replace").splitlines()
    errors = (
        [line for line in lines if "ERROR" in line or "error" in line] or lines or ["no message"]
    )
    return re.sub(r"^(psql:<stdin>:\d+: |pg_restore: )?(ERROR|error):\s*", "", errors[0]).strip()

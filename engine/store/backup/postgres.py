"""PostgreSQL: pg_dump inside a snapshot shared with the checksums (restoring: ``pgrestore``).

A REPEATABLE READ transaction exports its snapshot; ``pg_dump --snapshot``
dumps exactly what that transaction sees while the same transaction computes
every table's checksum, so the manifest describes the dump to the row however
many writers are busy meanwhile.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from engine.store.backup.checksum import PG_OUTPUT_SETTINGS, fold, pg_sum_sql
from engine.store.backup.errors import BackupError
from engine.store.backup.manifest import TableSum
from engine.store.backup.pgtools import find_tool, libpq_env
from engine.store.database import Database

CHUNK = 1 << 20
DUMPING = re.compile(r'dumping contents of table "(?:[^".]+\.)?([^"]+)"')


async def snapshot(
    db: Database, dump: Path, excluded: Iterable[str], progress: Callable[[str], None]
) -> tuple[str | None, dict[str, TableSum], str]:
    """``pg_dump -Fc`` to ``dump``; (revision, table sums, server version) of the same snapshot."""
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        async with conn.begin():
            version, major = await server_version(conn)
            pg_dump = find_tool("pg_dump", major)
            for statement in PG_OUTPUT_SETTINGS:
                await conn.exec_driver_sql(statement)
            shared = (await conn.exec_driver_sql("SELECT pg_export_snapshot()")).scalar_one()
            schema, tables = await current_tables(conn)
            skip = [name for name in excluded if name in tables]
            progress(f"dumping the database (PostgreSQL {version}, snapshot {shared})")
            dumping = await asyncio.create_subprocess_exec(
                pg_dump,
                "--format=custom",
                "--verbose",
                "--no-password",
                f"--snapshot={shared}",
                *(f"--exclude-table-data={schema}.{name}" for name in skip),
                f"--file={dump}",
                env=libpq_env(db.url),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            assert dumping.stderr is not None
            errors, sums = await asyncio.gather(
                _follow_dump(dumping.stderr, progress), table_sums(conn, schema, tables, skip)
            )
            if await dumping.wait() != 0:
                raise BackupError(f"pg_dump failed: {errors[0] if errors else 'no message'}")
            revision = None
            if "alembic_version" in tables:
                query = f"SELECT version_num FROM {ident(schema)}.alembic_version"
                revision = (await conn.exec_driver_sql(query)).scalar()
    return revision, sums, version


async def contents(db: Database, ignored: Iterable[str]) -> dict[str, int]:
    """Rows per table of the database's schema."""
    skip = set(ignored)
    async with db.read() as conn:
        schema, tables = await current_tables(conn)
        return {
            name: (
                await conn.exec_driver_sql(f"SELECT count(*) FROM {ident(schema)}.{ident(name)}")
            ).scalar_one()
            for name in tables
            if name not in skip
        }


async def server_version(conn: AsyncConnection) -> tuple[str, int]:
    """The server's version text and its major number."""
    query = "SELECT current_setting('server_version'), current_setting('server_version_num')::int"
    text, number = (await conn.exec_driver_sql(query)).one()
    return text.split()[0], number // 10000


async def current_tables(conn: AsyncConnection) -> tuple[str, list[str]]:
    """The schema the app's tables are in, and their names."""
    schema = (await conn.exec_driver_sql("SELECT current_schema()")).scalar_one()
    rows = await conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return schema, [name for (name,) in rows]


async def table_sums(
    conn: AsyncConnection, schema: str, tables: Iterable[str], empty: Iterable[str]
) -> dict[str, TableSum]:
    """Row count and checksum of each table (``empty`` ones as the dump holds them: no rows)."""
    sums = {}
    for name in tables:
        if name in empty:
            sums[name] = TableSum(0, fold(0))
            continue
        count, total = (
            await conn.exec_driver_sql(pg_sum_sql(f"{ident(schema)}.{ident(name)}"))
        ).one()
        sums[name] = TableSum(count, fold(int(total)))
    return sums


async def _follow_dump(stream: asyncio.StreamReader, progress: Callable[[str], None]) -> list[str]:
    """Show pg_dump's progress, table by table; returns its error lines."""
    errors = []
    async for raw in stream:
        line = raw.decode(errors="replace").rstrip()
        if found := DUMPING.search(line):
            progress(f"  {found.group(1)}")
        elif "error" in line.lower():
            errors.append(line)
    return errors


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

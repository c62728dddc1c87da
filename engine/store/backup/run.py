"""Backing up and restoring a database: the checks, the order of the steps, the report."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from engine.clock import Clock
from engine.files.storage import LocalFiles
from engine.store import migrate
from engine.store.backup import archive, documents, pgrestore, postgres, sqlite
from engine.store.backup.errors import BackupRefused
from engine.store.backup.manifest import PAYLOADS, Manifest, mimamori_version
from engine.store.database import Database

NOT_RESTORED = ("sessions",)
"""Tables whose rows a backup leaves out: after a restore everyone logs in again."""
NOT_DATA = ("alembic_version", "heartbeats", "login_failures", "sessions")
"""Rows that do not make a database worth keeping: a restore may overwrite them unasked."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    manifest: Manifest
    replaced: dict[str, int]
    """Rows per table of the database that was replaced (empty when there was none)."""
    upgraded_to: str | None
    """The schema revision after upgrading an older backup; None when none was needed."""


async def make_backup(
    db: Database,
    path: Path,
    clock: Clock,
    files: LocalFiles | None = None,
    *,
    force: bool = False,
    progress: Progress = print,
) -> Manifest:
    """Write a consistent backup of ``db`` (and of the attachments' ``files``) to ``path``
    while the app keeps running."""
    archive.check_target(path, force=force)
    created_at = clock.now()
    engine = _engine(db)
    with tempfile.TemporaryDirectory(prefix=".mimamori-backup-", dir=path.parent) as work:
        payload = Path(work) / PAYLOADS[engine]
        if db.is_sqlite:
            revision, sums, version = await asyncio.to_thread(
                sqlite.snapshot, sqlite_path(db), payload, NOT_RESTORED, progress
            )
        else:
            revision, sums, version = await postgres.snapshot(db, payload, NOT_RESTORED, progress)
        if revision is None:
            raise BackupRefused("the database has no schema yet (mimamori db upgrade): no backup")
        size, sha256 = await asyncio.to_thread(archive.digest, payload)
        held: dict[str, int] = {}
        if files is not None:
            held, missing = documents.present(files, await documents.referenced(db))
            if missing:
                progress(
                    f"warning: {len(missing)} attached files are missing from {files.root}"
                    f" (first: {missing[0]}); the backup holds the other {len(held)}"
                )
        manifest = Manifest(
            engine=engine,
            schema_revision=revision,
            mimamori_version=mimamori_version(),
            created_at=created_at,
            server_version=version,
            tables=sums,
            payload_bytes=size,
            payload_sha256=sha256,
            data_excluded=NOT_RESTORED,
            files=held,
        )
        progress(f"writing {path}")
        await asyncio.to_thread(archive.write, path, manifest, payload, files, force=force)
    return manifest


async def restore_backup(
    db: Database,
    path: Path,
    files: LocalFiles | None = None,
    *,
    replace: bool = False,
    progress: Progress = print,
) -> Restored:
    """Restore the backup at ``path`` into ``db``, which must hold no data unless ``replace``,
    and its attached files into ``files``."""
    manifest = await asyncio.to_thread(archive.read_manifest, path)
    engine = _engine(db)
    if manifest.engine != engine:
        raise BackupRefused(
            f"{path} is a backup of a {manifest.engine} database and MIMAMORI_DATABASE_URL "
            f"is {engine}: restore it into {manifest.engine}; nothing was changed"
        )
    if not _known(manifest.schema_revision):
        raise BackupRefused(
            f"{path} has schema revision {manifest.schema_revision}, newer than this Mimamori "
            f"knows (its newest is {migrate.head_revision()}): restore it with Mimamori "
            f"{manifest.mimamori_version} or newer; nothing was changed"
        )
    held = await _contents(db)
    if held and not replace:
        raise BackupRefused(
            f"the database is not empty ({describe(held)}); nothing was changed: "
            "add --replace to replace it with the backup"
        )
    if manifest.files and files is None:
        raise BackupRefused(f"{path} holds attached files: say where they go; nothing was changed")
    if files is not None:
        # Before the database: a damaged file refuses the restore with nothing changed (files
        # put in place by then are named by their content, and nothing refers to them yet).
        await asyncio.to_thread(documents.restore_from, path, manifest.files, files, progress)
    folder = sqlite_path(db).parent if db.is_sqlite else None
    with tempfile.TemporaryDirectory(prefix=".mimamori-restore-", dir=folder) as work:
        payload = Path(work) / manifest.payload_name
        await asyncio.to_thread(archive.extract_payload, path, manifest, payload, progress)
        if held:
            progress(f"replacing a database that holds {describe(held)}: these rows are lost")
        progress(f"restoring {manifest.rows:,} rows of {len(manifest.tables)} tables")
        if db.is_sqlite:
            await asyncio.to_thread(
                sqlite.restore, payload, sqlite_path(db), manifest.tables, progress
            )
        else:
            await pgrestore.restore(db, payload, manifest, progress)
    await _forget_sessions(db)
    upgraded_to = None
    if manifest.schema_revision != migrate.head_revision():
        progress(f"upgrading the schema from {manifest.schema_revision}")
        await migrate.upgrade(db)
        upgraded_to = await migrate.current_revision(db)
    return Restored(manifest, held, upgraded_to)


def describe(counts: dict[str, int]) -> str:
    """Rows per table in words: '241 rows in 2 tables (collaborations 31, history 210)'."""
    held = {name: rows for name, rows in sorted(counts.items()) if rows}
    each = ", ".join(f"{name} {rows:,}" for name, rows in held.items())
    return f"{sum(held.values()):,} rows in {len(held)} tables ({each})" if held else "no rows"


def sqlite_path(db: Database) -> Path:
    """The file of a SQLite database."""
    return Path(make_url(db.url).database or "")


def _engine(db: Database) -> str:
    return "sqlite" if db.is_sqlite else "postgresql"


async def _contents(db: Database) -> dict[str, int]:
    """The tables of ``db`` that hold rows worth keeping."""
    if db.is_sqlite:
        counts = await asyncio.to_thread(sqlite.contents, sqlite_path(db), NOT_DATA)
    else:
        counts = await postgres.contents(db, NOT_DATA)
    return {name: rows for name, rows in counts.items() if rows}


async def _forget_sessions(db: Database) -> None:
    """Empty the sessions table: a restored database knows no logins."""
    async with db.write() as conn:
        tables = await conn.run_sync(lambda sync: sync.dialect.get_table_names(sync))
        for name in NOT_RESTORED:
            if name in tables:
                await conn.exec_driver_sql(f'DELETE FROM "{name}"')


def _known(revision: str) -> bool:
    """True when the code has the migration ``revision`` (a newer Mimamori's it has not)."""
    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPTS))
    try:
        return ScriptDirectory.from_config(config).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for a revision it cannot resolve
        return False

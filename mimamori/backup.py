"""``mimamori backup`` and ``mimamori restore``: the whole database to one file and back.

Progress goes to stderr, the outcome to stdout. A refusal (a file that is not
a backup, a database that holds data) is one line and exit code 2, with
nothing changed; a failure on the way (a missing pg_dump) is one line and exit
code 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from engine.clock import SystemClock
from engine.errors import StoreUnavailable
from engine.files.storage import LocalFiles
from engine.store.backup import (
    BackupError,
    BackupRefused,
    Manifest,
    Restored,
    describe,
    make_backup,
    restore_backup,
)
from engine.store.database import Database
from mimamori.runtime import BadInput, settings_from_env, with_db

T = TypeVar("T")


def _progress(line: str) -> None:
    click.echo(line, err=True)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup(file: Path, force: bool) -> None:
    """Write a consistent backup of the database to FILE; the app may keep running."""
    settings = settings_from_env()

    async def work(database: Database) -> Manifest:
        files = LocalFiles(settings.files_dir)
        return await make_backup(
            database, file, SystemClock(), files, force=force, progress=_progress
        )

    manifest = _run(lambda: with_db(settings, work))
    click.echo(
        f"backup written to {file}: {manifest.engine}, schema {manifest.schema_revision}, "
        f"{len(manifest.tables)} tables, {manifest.rows:,} rows, {len(manifest.files):,} attached "
        f"files, {file.stat().st_size / 1e6:,.1f} MB (sessions are not included)"
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Replace a database that holds data (its rows are lost)."
)
def restore(file: Path, replace: bool) -> None:
    """Restore a backup FILE into an empty database, then upgrade its schema if it is older."""
    settings = settings_from_env()

    async def work(database: Database) -> Restored:
        files = LocalFiles(settings.files_dir)
        return await restore_backup(database, file, files, replace=replace, progress=_progress)

    done = _run(lambda: with_db(settings, work))
    manifest = done.manifest
    click.echo(
        f"restored {file} (made {manifest.created_at:%Y-%m-%d %H:%M:%S} UTC by Mimamori "
        f"{manifest.mimamori_version}): {len(manifest.tables)} tables, {manifest.rows:,} rows, "
        f"{len(manifest.files):,} attached files, each checked against the backup's checksums"
    )
    if done.replaced:
        click.echo(f"replaced what the database held: {describe(done.replaced)}")
    if done.upgraded_to:
        click.echo(f"schema upgraded from {manifest.schema_revision} to {done.upgraded_to}")
    click.echo("sessions were not restored: everyone logs in again")


def _run(call: Callable[[], T]) -> T:
    """``call()``, with the backup errors as one-line command errors."""
    try:
        return call()
    except BackupRefused as exc:
        raise BadInput(str(exc)) from exc
    except (BackupError, StoreUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc

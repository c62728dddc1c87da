"""What every command needs: the settings, a database for one run, and bad-input errors."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click

from engine.config import Settings
from engine.errors import ConfigError
from engine.logs import configure_logging
from engine.store.database import Database, normalise_url

T = TypeVar("T")


class BadInput(click.ClickException):
    """Input the command refuses: one line on stderr, exit code 2, nothing stored."""

    exit_code = 2


def settings_from_env() -> Settings:
    """The settings from the environment (and the process's logging set up by them);
    a bad value is a one-line usage error.

    The database URL is checked here too (its form, and that its driver is
    installed), so every command refuses it before starting anything.
    """
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        normalise_url(settings.database_url)
    except ConfigError as exc:
        raise click.UsageError(f"MIMAMORI_DATABASE_URL: {exc}") from exc
    # Commands say what they did on stdout; their log shows warnings and errors only
    # (`serve` and `worker` log at INFO, in the same format).
    configure_logging(settings.log_format, level="WARNING")
    return settings


def with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run ``work`` with the configured database, closed afterwards."""

    async def run() -> T:
        try:
            db = Database(settings.database_url, "mimamori-cli")
        except ConfigError as exc:
            raise click.UsageError(f"MIMAMORI_DATABASE_URL: {exc}") from exc
        try:
            return await work(db)
        finally:
            await db.dispose()

    _prepare_sqlite_folder(settings.database_url)
    return asyncio.run(run())


def _prepare_sqlite_folder(url: str) -> None:
    if url.startswith("sqlite") and ":///" in url:
        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)

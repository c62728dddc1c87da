"""The ``mimamori`` command: database, demo data, accounts, the worker and the web server."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date
from typing import Any

import click

from engine.clock import SystemClock, local_date
from engine.logs import logging_config
from engine.store import migrate
from engine.store.database import Database
from mimamori.accounts import token, user
from mimamori.backup import backup, restore
from mimamori.demo import seed_demo
from mimamori.exports import export
from mimamori.imports import import_
from mimamori.metrics_dir import shared_metrics_dir
from mimamori.runtime import settings_from_env, with_db
from workflows.collaboration import COLLABORATION

GRACEFUL_STOP_SECONDS = 30
"""How long ``mimamori serve`` lets requests in hand finish after SIGTERM."""


@click.group()
def main() -> None:
    """Mimamori: the partner pipeline of a watch network."""


main.add_command(user)
main.add_command(token)
main.add_command(backup)
main.add_command(restore)
main.add_command(export)
main.add_command(import_)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or upgrade the schema."""
    settings = settings_from_env()

    async def work(database: Database) -> str | None:
        await migrate.upgrade(database, revision)
        return await migrate.current_revision(database)

    click.echo(f"database at revision {with_db(settings, work)}")


@db.command("current")
def db_current() -> None:
    """Show the schema revision."""
    current = with_db(settings_from_env(), migrate.current_revision)
    click.echo(f"database at revision {current or '(empty)'}; code head {migrate.head_revision()}")


async def _upgrade_and_seed(database: Database, today: date) -> list[str]:
    await migrate.upgrade(database)
    report = await seed_demo(database, COLLABORATION, today)
    return report.lines()


@main.command()
def demo() -> None:
    """Load a fictional demo network (safe to run again: nothing is created twice)."""
    today = local_date(SystemClock().now())
    for line in with_db(settings_from_env(), lambda database: _upgrade_and_seed(database, today)):
        click.echo(line)


@main.command()
@click.option("--burst", is_flag=True, help="Run what is due now, then exit.")
def worker(burst: bool) -> None:
    """Run the background worker (needs MIMAMORI_REDIS_URL): reminders, digests, e-mail."""
    from tasks.worker import run

    settings = settings_from_env()
    if settings.redis_url is None:
        raise click.UsageError(
            "MIMAMORI_REDIS_URL is not set: without Redis, `mimamori serve` runs reminders itself"
        )
    sys.exit(run(settings, burst=burst))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", "with_demo", is_flag=True, help="Upgrade the schema and load demo data.")
def serve(host: str, port: int, workers: int, with_demo: bool) -> None:
    """Run the web app."""
    import uvicorn

    from web.app import create_app

    settings = settings_from_env()
    if with_demo:
        today = local_date(SystemClock().now())
        for line in with_db(settings, lambda database: _upgrade_and_seed(database, today)):
            click.echo(line)
    hosts = {
        *settings.allowed_hosts,
        host,
        f"{host}:{port}",
        f"127.0.0.1:{port}",
        f"localhost:{port}",
    }
    os.environ["MIMAMORI_ALLOWED_HOSTS"] = ",".join(sorted(hosts))
    click.echo(f"Mimamori: http://{host}:{port}/board")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        # Every process (each of --workers N too) logs in MIMAMORI_LOG_FORMAT; the app
        # writes its own access line (route template, status, duration, user id, request id).
        "log_config": logging_config(settings.log_format),
        "access_log": False,
        # The app applies X-Forwarded-For (and X-Request-ID) itself, from the trusted
        # proxies only: it must see the direct peer (web/request_log.py).
        "proxy_headers": False,
        # SIGTERM: stop accepting, finish the requests in hand (a rolling restart loses none).
        "timeout_graceful_shutdown": GRACEFUL_STOP_SECONDS,
    }
    if workers > 1:
        # The processes report as one at /metrics through files in a folder of this run.
        with shared_metrics_dir(settings.metrics_dir):
            uvicorn.run("web.app:create_app_from_env", factory=True, workers=workers, **options)
    else:  # one process: its metrics are in memory, whatever MIMAMORI_METRICS_DIR says
        uvicorn.run(create_app(replace(settings_from_env(), metrics_dir=None)), **options)

"""The arq worker: cron schedules in Japan time, one shared database handle per process."""

from __future__ import annotations

import logging
from typing import Any

from arq import Worker, cron, func
from arq.connections import RedisSettings

from engine.clock import JST, Clock
from engine.config import Settings
from engine.mail.transport import transport_from_settings
from engine.services import Context
from tasks.jobs import deliver_outbox, scan_due, send_digests
from workflows.collaboration import COLLABORATION

EVERY_FIVE_MINUTES = set(range(0, 60, 5))
EVERY_MINUTE = set(range(60))


def run(settings: Settings, *, burst: bool = False) -> None:
    """Run the worker until stopped (SIGINT/SIGTERM let running jobs finish first).

    With ``burst`` it runs what is due now (the start-up scan and its delivery)
    and exits, for running from a scheduler instead of as a daemon.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    Worker(**worker_settings(settings, burst=burst)).run()


def worker_settings(
    settings: Settings, clock: Clock | None = None, **overrides: Any
) -> dict[str, Any]:
    """Keyword arguments for ``arq.Worker``, built from the application's settings.

    The jobs read the time from ``clock`` (the system clock unless one is given).
    """
    if settings.redis_url is None:
        raise ValueError("MIMAMORI_REDIS_URL is required to run the worker")

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["settings"] = settings
        ctx["mimamori"] = Context.from_settings(settings, COLLABORATION, clock)
        ctx["transport"] = transport_from_settings(settings)

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "mimamori" in ctx:
            await ctx["mimamori"].db.dispose()

    return {
        # No kept result, so the fixed-id delivery job can be queued again right away.
        "functions": [func(deliver_outbox, keep_result=0)],
        "cron_jobs": [
            # unique: one run per tick however many workers; each job is idempotent anyway.
            cron(scan_due, minute=EVERY_FIVE_MINUTES, run_at_startup=True, unique=True),
            cron(send_digests, minute={0, 30}, unique=True),
            cron(deliver_outbox, minute=EVERY_MINUTE, unique=True),
        ],
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "on_startup": startup,
        "on_shutdown": shutdown,
        "timezone": JST,
        "job_timeout": 300,
        **overrides,
    }

"""The arq worker: cron schedules in Japan time, one shared database handle per process."""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from arq import Worker, cron, func
from arq.connections import RedisSettings
from redis.exceptions import RedisError

from engine.clock import JST, Clock
from engine.config import Settings
from engine.logs import configure_logging
from engine.mail.transport import transport_from_settings
from engine.services import Context
from tasks.job_trace import job_started, traced_job
from tasks.jobs import apply_retention, deliver_outbox, heartbeat, scan_due, send_digests
from workflows.collaboration import COLLABORATION

EVERY_FIVE_MINUTES = set(range(0, 60, 5))
EVERY_MINUTE = set(range(60))
JOB_TIMEOUT = 300
"""Seconds a job may run; also how long a stop waits for the jobs in hand."""
RETRY_FIRST, RETRY_MAX = 1.0, 60.0
"""Seconds before trying Redis again after losing it, doubling up to the maximum."""

log = logging.getLogger("mimamori.worker")


def run(settings: Settings, *, burst: bool = False) -> int:
    """Run the worker until SIGINT or SIGTERM, which let the jobs in hand finish first.

    A lost Redis never ends it: the worker says so, waits (1 s, doubling up to a
    minute) and starts again, and the reminders that fell due meanwhile go out
    then, since they wait in the database. With ``burst`` it runs what is due now
    (the start-up scan and its delivery) and exits, for running from a scheduler
    instead of as a daemon; then an unreachable Redis is an error (exit status 1).
    """
    configure_logging(settings.log_format)
    delay = RETRY_FIRST
    while True:
        worker = Worker(**worker_settings(settings, burst=burst))
        try:
            worker.run()
            return 0
        except (RedisError, OSError) as exc:
            lost = exc
        finally:
            # A worker that got as far as its start-up had Redis: the backoff begins again.
            started = "mimamori" in worker.ctx
            _release(worker)
        if burst:
            log.error("Redis unreachable (%s): nothing was run", lost)
            return 1
        delay = RETRY_FIRST if started else min(delay * 2, RETRY_MAX)
        log.warning("Redis unreachable (%s), retrying in %.0f s", lost, delay)
        time.sleep(delay)


def _release(worker: Worker) -> None:
    """After a worker ends: give the signals back (a stop while waiting just exits) and the
    database connections it held (its shutdown hook does not run when Redis is gone)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        worker.loop.remove_signal_handler(sig)
    if "mimamori" in worker.ctx:
        worker.loop.run_until_complete(worker.ctx.pop("mimamori").db.dispose())


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
        ctx["mimamori"] = Context.from_settings(settings, COLLABORATION, clock, "mimamori-worker")
        ctx["transport"] = transport_from_settings(settings)

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "mimamori" in ctx:
            await ctx.pop("mimamori").db.dispose()

    return {
        # No kept result, so the fixed-id delivery job can be queued again right away.
        "functions": [func(traced_job(deliver_outbox), keep_result=0)],
        "cron_jobs": [
            # unique: one run per tick however many workers; each job is idempotent anyway.
            cron(traced_job(scan_due), minute=EVERY_FIVE_MINUTES, run_at_startup=True, unique=True),
            cron(traced_job(send_digests), minute={0, 30}, unique=True),
            cron(traced_job(deliver_outbox), minute=EVERY_MINUTE, unique=True),
            cron(traced_job(heartbeat), minute=EVERY_MINUTE, run_at_startup=True, unique=True),
            # Daily at night; at start-up too, so a worker stopped at 03:00 misses no day.
            cron(traced_job(apply_retention), hour=3, minute=17, run_at_startup=True, unique=True),
        ],
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "on_startup": startup,
        "on_shutdown": shutdown,
        "on_job_start": job_started,
        "timezone": JST,
        "job_timeout": JOB_TIMEOUT,
        # SIGTERM stops picking jobs and lets the ones in hand finish (a rolling restart).
        "job_completion_wait": JOB_TIMEOUT,
        **overrides,
    }

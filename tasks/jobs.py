"""arq jobs: each opens the services on the worker's context and returns a summary."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from engine.services import DeliveryService
from engine.services.delivery import delivery_job_id
from engine.services.health import HealthService
from engine.services.reminders import ReminderService
from engine.services.retention import RetentionPolicy, RetentionService
from engine.services.upkeep import send_digests_if_time

log = logging.getLogger("mimamori.worker")


async def scan_due(ctx: dict[str, Any]) -> dict[str, Any]:
    """Turn the reminders due today into queued e-mails, then have them delivered."""
    started = ctx["mimamori"].clock.now()
    report = await ReminderService(ctx["mimamori"]).scan()
    await HealthService(ctx["mimamori"]).round_ran(started)  # its duration, for /metrics
    job_id = delivery_job_id(ctx["mimamori"].clock.now())
    await ctx["redis"].enqueue_job("deliver_outbox", _job_id=job_id)
    return asdict(report)


async def send_digests(ctx: dict[str, Any]) -> dict[str, Any]:
    """Queue today's digests (one per person per day, whatever the retries)."""
    queued = await send_digests_if_time(ctx["mimamori"], ctx["settings"].digest_hour)
    return {"queued": queued}


async def deliver_outbox(ctx: dict[str, Any]) -> dict[str, Any]:
    """Send what the outbox holds; failures wait for their next attempt."""
    return asdict(await DeliveryService(ctx["mimamori"], ctx["transport"]).deliver())


async def heartbeat(ctx: dict[str, Any]) -> dict[str, Any]:
    """Say in the database that a worker is running (read by /readyz)."""
    await HealthService(ctx["mimamori"]).beat()
    return {"beat": True}


async def apply_retention(ctx: dict[str, Any]) -> dict[str, Any]:
    """Once a day: remove ended sessions, old login records and delivered mail bodies."""
    policy = RetentionPolicy.from_settings(ctx["settings"])
    report = await RetentionService(ctx["mimamori"], policy).run_if_due()
    if report is None:
        return {"ran": False}
    log.info("retention: %s", report.summary())
    return {"ran": True, **asdict(report)}

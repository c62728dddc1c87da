"""arq jobs: each opens the services on the worker's context and returns a summary."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from engine.services import DeliveryService
from engine.services.health import HealthService
from engine.services.reminders import ReminderService
from engine.services.upkeep import send_digests_if_time

DELIVERY_BUCKET_SECONDS = 10


async def scan_due(ctx: dict[str, Any]) -> dict[str, Any]:
    """Turn the reminders due today into queued e-mails, then have them delivered."""
    report = await ReminderService(ctx["mimamori"]).scan()
    # One id per ten seconds: scans finishing together queue one delivery, and a job
    # orphaned by a killed worker does not hold the id until arq's timeout.
    bucket = int(ctx["mimamori"].clock.now().timestamp() // DELIVERY_BUCKET_SECONDS)
    await ctx["redis"].enqueue_job("deliver_outbox", _job_id=f"deliver-outbox:{bucket}")
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

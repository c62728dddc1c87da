"""One round of the background work: reminders due, the daily digest, the outbox.

The arq worker runs the pieces as separate jobs; the embedded mode runs a round
at start-up and then on a timer inside the web process. Every piece is
idempotent, so rounds may overlap across processes without duplicating mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.clock import JST
from engine.mail.transport import Transport
from engine.services.context import Context
from engine.services.delivery import DeliveryReport, DeliveryService
from engine.services.digests import DigestService
from engine.services.health import HealthService
from engine.services.reminders import ReminderService, ScanReport
from engine.services.retention import RetentionPolicy, RetentionReport, RetentionService


@dataclass(frozen=True, slots=True)
class UpkeepReport:
    """What one round did."""

    scan: ScanReport
    digests: int
    delivery: DeliveryReport
    retention: RetentionReport | None
    """None when today's run was done already."""


async def send_digests_if_time(ctx: Context, digest_hour: int) -> int:
    """Queue today's digests once the local hour has reached ``digest_hour``."""
    if ctx.clock.now().astimezone(JST).hour < digest_hour:
        return 0
    return await DigestService(ctx).send_daily()


async def run_once(
    ctx: Context, transport: Transport, digest_hour: int, retention: RetentionPolicy
) -> UpkeepReport:
    """Scan for due reminders, queue digests when it is time, deliver the outbox,
    and once a day remove what is past its retention."""
    started = ctx.clock.now()
    scan = await ReminderService(ctx).scan()
    await HealthService(ctx).round_ran(started)
    digests = await send_digests_if_time(ctx, digest_hour)
    delivery = await DeliveryService(ctx, transport).deliver()
    removed = await RetentionService(ctx, retention).run_if_due()
    await HealthService(ctx).beat()
    return UpkeepReport(scan, digests, delivery, removed)

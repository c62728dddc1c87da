"""One round of the background work: reminders due, the daily digest, the outbox.

The arq worker runs the pieces as separate jobs; the embedded mode runs a round
at start-up and then on a timer inside the web process. Every piece is
idempotent, so rounds may overlap across processes without duplicating mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from engine.clock import JST
from engine.mail.transport import Transport
from engine.services.accounts import THROTTLE_WINDOW
from engine.services.context import Context
from engine.services.delivery import DeliveryReport, DeliveryService
from engine.services.digests import DigestService
from engine.services.health import HealthService
from engine.services.reminders import ReminderService, ScanReport
from engine.store.repositories.accounts import LoginFailures, Sessions
from engine.store.uow import writing

# Longer than the longest absolute session lifetime the settings allow (168 hours).
SESSION_RETENTION = timedelta(days=8)


@dataclass(frozen=True, slots=True)
class UpkeepReport:
    """What one round did."""

    scan: ScanReport
    digests: int
    delivery: DeliveryReport


async def send_digests_if_time(ctx: Context, digest_hour: int) -> int:
    """Queue today's digests once the local hour has reached ``digest_hour``."""
    if ctx.clock.now().astimezone(JST).hour < digest_hour:
        return 0
    return await DigestService(ctx).send_daily()


async def run_once(ctx: Context, transport: Transport, digest_hour: int) -> UpkeepReport:
    """Scan for due reminders, queue digests when it is time, deliver the outbox."""
    scan = await ReminderService(ctx).scan()
    digests = await send_digests_if_time(ctx, digest_hour)
    delivery = await DeliveryService(ctx, transport).deliver()
    await forget_stale_logins(ctx)
    await HealthService(ctx).beat()
    return UpkeepReport(scan, digests, delivery)


async def forget_stale_logins(ctx: Context) -> None:
    """Drop database sessions long expired and failed logins past the throttling window."""
    now = ctx.clock.now()
    async with writing(ctx.db) as uow:
        await Sessions(uow.conn).delete_idle_since(now - SESSION_RETENTION)
        await LoginFailures(uow.conn).delete_before(now - 2 * THROTTLE_WINDOW)

"""Embedded mode: without Redis the web process does the worker's rounds itself."""

from __future__ import annotations

import asyncio
import logging

from engine.config import Settings
from engine.mail.transport import Transport
from engine.services import Context
from engine.services.retention import RetentionPolicy
from engine.services.upkeep import run_once

log = logging.getLogger("mimamori.upkeep")


async def upkeep_loop(ctx: Context, transport: Transport, settings: Settings) -> None:
    """A round at start-up, then one every ``scan_interval`` seconds, until cancelled.

    A failed round is logged and the next one runs on time: a mail server that is
    down must not stop reminders from being recorded.
    """
    retention = RetentionPolicy.from_settings(settings)
    while True:
        try:
            report = await run_once(ctx, transport, settings.digest_hour, retention)
            log.info(
                "upkeep: %d reminders queued, %d digests, %d sent, %d retried, %d failed,"
                " %d waiting for the mail server",
                report.scan.notified,
                report.digests,
                report.delivery.sent,
                report.delivery.retried,
                report.delivery.failed,
                report.delivery.waiting,
            )
            if report.retention is not None:
                log.info("retention: %s", report.retention.summary())
        except Exception:
            log.exception("upkeep round failed; retrying in %s s", settings.scan_interval)
        await asyncio.sleep(settings.scan_interval)

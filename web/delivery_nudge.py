"""Mail a person waits for (an invitation, a reset link) goes out now, not at the next round.

With Redis the web process queues the worker's delivery job by name (web/ never imports
tasks/); in the embedded mode it wakes its own delivery loop. Either way the message is
already in the outbox: a nudge that fails only means the next regular round sends it.
"""

from __future__ import annotations

import asyncio
import logging

from arq.connections import ArqRedis
from redis.asyncio import Redis
from redis.exceptions import RedisError

from engine.mail.transport import Transport
from engine.services import Context, DeliveryService
from engine.services.delivery import delivery_job_id

log = logging.getLogger("mimamori.mail")


class DeliveryNudge:
    """``await nudge()`` after queueing mail that someone is waiting for."""

    def __init__(self, ctx: Context, redis: Redis | None) -> None:
        self.ctx = ctx
        self.queue = None if redis is None else ArqRedis(pool_or_conn=redis.connection_pool)
        self.wake = asyncio.Event()

    async def __call__(self) -> None:
        if self.queue is None:
            self.wake.set()
            return
        try:
            job_id = delivery_job_id(self.ctx.clock.now())
            await self.queue.enqueue_job("deliver_outbox", _job_id=job_id)
        except (RedisError, OSError) as exc:
            log.warning(
                "could not ask the worker to send mail now (%s); it goes out in its round", exc
            )


async def deliver_when_nudged(ctx: Context, transport: Transport, nudge: DeliveryNudge) -> None:
    """The embedded mode's loop: a delivery run each time the nudge is pulled, until cancelled."""
    while True:
        await nudge.wake.wait()
        nudge.wake.clear()
        try:
            await DeliveryService(ctx, transport).deliver()
        except Exception:
            log.exception("delivery on request failed; the next upkeep round retries")

"""Sending the outbox: claim due messages, hand them to a transport, record each outcome."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import MessageError

from engine.domain.mail import SECRET_LINK_KINDS, QueuedMail, without_secret_links
from engine.mail import (
    PermanentFailure,
    ServerUnreachable,
    TemporaryFailure,
    Transport,
    build_message,
)
from engine.services.context import Context
from engine.store.uow import writing

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
"""How long a claimed message is reserved for its sender before another may take it."""
BATCH = 10
"""Messages claimed per transaction, few enough to be sent well within the lease."""
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
"""The wait after the n-th temporary failure; after one more failed attempt we give up."""
MAX_ATTEMPTS = len(BACKOFF) + 1
DELIVERY_BUCKET_SECONDS = 10
_OUTCOMES = ("sent", "retried", "failed", "waiting")


def delivery_job_id(now: datetime) -> str:
    """The arq job id of a delivery asked for at ``now``: one id per ten seconds.

    Requests close together queue one delivery, and a job orphaned by a killed worker
    does not hold the id until arq's timeout.
    """
    return f"deliver-outbox:{int(now.timestamp() // DELIVERY_BUCKET_SECONDS)}"


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0
    """Handed back without an attempt because the mail server could not be reached."""


class DeliveryService:
    """Delivers due outbox messages; the transport is never called inside a transaction."""

    def __init__(self, ctx: Context, transport: Transport) -> None:
        self.ctx = ctx
        self.transport = transport

    async def deliver(self, limit: int = 100) -> DeliveryReport:
        """Send up to ``limit`` due messages, with backoff on temporary failures."""
        outcomes: Counter[str] = Counter()
        remaining = limit
        while remaining > 0:
            claimed_at = self.ctx.clock.now()
            async with writing(self.ctx.db) as uow:
                batch = await uow.outbox.claim(claimed_at, LEASE, min(BATCH, remaining))
            if not batch:
                break
            remaining -= len(batch)
            # Past half the lease another sender may soon take these over: hand back the rest.
            deadline = claimed_at + LEASE / 2
            for index, queued in enumerate(batch):
                if self.ctx.clock.now() >= deadline:
                    await self._release(batch[index:])
                    remaining = 0
                    break
                try:
                    outcomes[await self._attempt(queued)] += 1
                except ServerUnreachable as exc:
                    # The server is down, not the message at fault: every message keeps
                    # its attempts and waits for the next run, however long the outage.
                    await self._release(batch[index:], exc.reason)
                    outcomes["waiting"] += len(batch) - index
                    log.info("mail server unreachable (%s); the outbox waits", exc.reason)
                    remaining = 0
                    break
        return DeliveryReport(**{field: outcomes[field] for field in _OUTCOMES})

    async def _attempt(self, queued: QueuedMail) -> str:
        """Try one claimed message and record the outcome: "sent", "retried" or "failed"."""
        try:
            if queued.attempts > MAX_ATTEMPTS:
                # A sender died during the last allowed attempt: do not try beyond the limit.
                last = queued.last_error or "the sender stopped mid-attempt"
                raise PermanentFailure(f"gave up after {queued.attempts - 1} attempts: {last}")
            try:
                message = build_message(queued, self.ctx.mail_from)
            except (ValueError, MessageError) as exc:
                raise PermanentFailure(f"cannot build the message: {exc}") from exc
            await self.transport.send(message)
        except ServerUnreachable:
            raise
        except TemporaryFailure as exc:
            return await self._retry_or_give_up(queued, exc.reason)
        except PermanentFailure as exc:
            await self._fail(queued, exc.reason)
            return "failed"
        except Exception as exc:
            # A fault in a transport must not stall the rest of the outbox.
            log.exception("unexpected error sending outbox message %s", queued.id)
            return await self._retry_or_give_up(queued, f"{type(exc).__name__}: {exc}")
        now = self.ctx.clock.now()
        mail = queued.mail
        kept = without_secret_links(mail.body) if mail.kind in SECRET_LINK_KINDS else None
        async with writing(self.ctx.db) as uow:
            await uow.outbox.sent(queued.id, now, kept)
        return "sent"

    async def _retry_or_give_up(self, queued: QueuedMail, reason: str) -> str:
        if queued.attempts >= MAX_ATTEMPTS:
            await self._fail(queued, f"gave up after {queued.attempts} attempts: {reason}")
            return "failed"
        at = self.ctx.clock.now() + BACKOFF[queued.attempts - 1]
        log.info("outbox message %s: %s; retrying at %s", queued.id, reason, at.isoformat())
        async with writing(self.ctx.db) as uow:
            await uow.outbox.retry(queued.id, at, reason)
        return "retried"

    async def _fail(self, queued: QueuedMail, reason: str) -> None:
        log.warning("outbox message %s failed: %s", queued.id, reason)
        async with writing(self.ctx.db) as uow:
            await uow.outbox.failed(queued.id, reason)

    async def _release(self, batch: list[QueuedMail], reason: str | None = None) -> None:
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            await uow.outbox.release([queued.id for queued in batch], now, reason)

"""Health that tells the truth: whether the database answers, when background work last ran,
and how long the oldest unsent message has waited, for a monitor to alert on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.errors import StoreUnavailable
from engine.services.context import Context
from engine.store.repositories.heartbeats import Heartbeats
from engine.store.uow import reading, writing

BACKGROUND = "background"
"""The heartbeat of the background rounds: the arq worker's, or a web process's own."""
ROUND_STARTED = "reminder_round.started"
ROUND_FINISHED = "reminder_round.finished"
"""When the last reminder round began and ended, written together as it ends; two heartbeat
rows rather than a new column, so that /metrics reads a worker's round from the database."""


@dataclass(frozen=True, slots=True)
class Readiness:
    """What /readyz reports, as of ``now``."""

    now: datetime
    database: bool
    background_seen_at: datetime | None = None
    oldest_unsent_at: datetime | None = None

    def seconds_since(self, moment: datetime | None) -> int | None:
        """Whole seconds from ``moment`` to now (None for None)."""
        return None if moment is None else max(0, int((self.now - moment).total_seconds()))


class HealthService:
    """Heartbeats of the background work, and the readiness answer built on them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def beat(self) -> None:
        """The background work ran now."""
        async with writing(self.ctx.db) as uow:
            await Heartbeats(uow.conn).beat(BACKGROUND, self.ctx.clock.now())

    async def round_ran(self, started: datetime) -> None:
        """A reminder round that began at ``started`` ended now."""
        async with writing(self.ctx.db) as uow:
            beats = Heartbeats(uow.conn)
            await beats.beat(ROUND_STARTED, started)
            await beats.beat(ROUND_FINISHED, self.ctx.clock.now())

    async def readiness(self) -> Readiness:
        """The database's answer, the last heartbeat and the oldest waiting message."""
        now = self.ctx.clock.now()
        try:
            async with reading(self.ctx.db) as uow:
                beats = Heartbeats(uow.conn)
                return Readiness(
                    now, True, await beats.last(BACKGROUND), await beats.oldest_unsent()
                )
        except StoreUnavailable:
            return Readiness(now, False)

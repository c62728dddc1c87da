"""The figures /metrics reports from the database: waiting mail, pending notices, the
background heartbeat and the last reminder round, read in one short transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.clock import local_date
from engine.domain.mail import MailStatus
from engine.errors import StoreUnavailable
from engine.services.context import Context
from engine.services.health import BACKGROUND, ROUND_FINISHED, ROUND_STARTED
from engine.store.repositories.figures import OperationsFigures
from engine.store.repositories.heartbeats import Heartbeats
from engine.store.uow import reading


@dataclass(frozen=True, slots=True)
class Figures:
    """What the database says as of ``now``; only ``now`` and ``database`` when it is down."""

    now: datetime
    database: bool
    outbox: dict[MailStatus, int] = field(default_factory=dict)
    oldest_unsent_at: datetime | None = None
    notices_today: int = 0
    notices_overdue: int = 0
    heartbeat_at: datetime | None = None
    round_started_at: datetime | None = None
    round_finished_at: datetime | None = None

    def age(self, moment: datetime | None) -> float | None:
        """Seconds from ``moment`` to now (None for None)."""
        return None if moment is None else max(0.0, (self.now - moment).total_seconds())

    @property
    def round_seconds(self) -> float | None:
        """How long the last reminder round took, if one has finished."""
        if self.round_started_at is None or self.round_finished_at is None:
            return None
        return max(0.0, (self.round_finished_at - self.round_started_at).total_seconds())


class MetricsService:
    """Counts and ages for a monitor; each is one indexed query, cheap enough for every scrape."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def figures(self) -> Figures:
        """The current figures; a database that does not answer gives ``database=False``."""
        now = self.ctx.clock.now()
        try:
            async with reading(self.ctx.db) as uow:
                counts = OperationsFigures(uow.conn)
                beats = Heartbeats(uow.conn)
                today, overdue = await counts.pending_notices(local_date(now))
                return Figures(
                    now=now,
                    database=True,
                    outbox=await counts.outbox_by_status(),
                    oldest_unsent_at=await beats.oldest_unsent(),
                    notices_today=today,
                    notices_overdue=overdue,
                    heartbeat_at=await beats.last(BACKGROUND),
                    round_started_at=await beats.last(ROUND_STARTED),
                    round_finished_at=await beats.last(ROUND_FINISHED),
                )
        except StoreUnavailable:
            return Figures(now, False)

    def connections_in_use(self) -> int:
        """Database connections this process has handed out at this moment."""
        return self.ctx.db.connections_in_use()

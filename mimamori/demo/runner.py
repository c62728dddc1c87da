"""Who plays a collaboration's steps against the services, and as whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from engine.clock import JST, FixedClock
from engine.domain.collaboration import Kpi
from engine.domain.users import Actor
from engine.services import CollaborationService, Context, RecordService

_VERSIONED = ("scorecard", "memorandum", "plan", "evaluation", "renewal")


class Runner:
    """Plays the steps of one collaboration against the services.

    It remembers the versions the services hand back, so a step rarely needs to
    read the collaboration's file first; after a new cycle, or when resuming an
    interrupted run, it reads them once from the file.
    """

    def __init__(self, ctx: Context, clock: FixedClock, network_id: int, partner_id: int) -> None:
        self.ctx = ctx
        self.clock = clock
        self.network_id = network_id
        self.partner_id = partner_id
        self.collaborations = CollaborationService(ctx)
        self.records = RecordService(ctx)
        self.cid: int | None = None
        self.version: int | None = None
        """The collaboration's version; None until read."""
        self.versions: dict[str, int] = {}
        """Versions of the scorecard, memorandum and the current cycle's plan, evaluation
        and renewal (0: not saved yet)."""
        self.kpis: dict[str, Kpi] = {}
        """The current plan's KPIs by name."""
        self._day: date | None = None
        self._tick = 0

    def set_clock(self, day: date) -> None:
        """Half past nine in Japan on ``day``, seven minutes later for each further step."""
        self._tick = self._tick + 1 if day == self._day else 0
        self._day = day
        start = datetime.combine(day, clock_time(9, 30), JST)
        self.clock.set(start + timedelta(minutes=7 * self._tick))

    def created(self, cid: int, version: int) -> None:
        """Start from a fresh candidate: nothing saved yet."""
        self.cid, self.version = cid, version
        self.versions = dict.fromkeys(_VERSIONED, 0)
        self.kpis = {}

    async def ready(self) -> int:
        """The collaboration's id, once the versions are known."""
        assert self.cid is not None
        if self.version is None:
            file = await self.collaborations.file(self.cid)
            self.version = file.collaboration.version
            self.versions = {
                name: getattr(getattr(file, name), "version", 0) or 0 for name in _VERSIONED
            }
            self.kpis = {k.name: k for k in file.plan.kpis} if file.plan else {}
        return self.cid


@dataclass(frozen=True, slots=True)
class Actors:
    """Who works on a collaboration: its owner, and who approves memoranda and renewals."""

    owner: Actor
    approver: Actor

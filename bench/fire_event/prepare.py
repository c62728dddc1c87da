"""Preparing the collaborations each way fires on."""

from __future__ import annotations

from bench.fire_event.common import RECORDS_DAY, Tracked
from engine.services import CollaborationService, Context
from tests.integration import builders


async def prepare(ctx: Context, n: int, prefix: str, *, records: bool) -> Tracked:
    """``n`` candidates; with ``records``, a third bare, a third with scorecard and memo,
    a third also with a consultation, a planner and a complete plan (KPI, checkpoint)."""
    tracked = Tracked()
    service = CollaborationService(ctx)
    for i in range(n):
        cid = await builders.candidate(ctx, f"{prefix}協力事業者{i:04d}")
        if records and i % 3 >= 1:
            await builders.complete_scorecard(ctx, cid)
            await builders.sign_memo(ctx, cid, RECORDS_DAY)
        if records and i % 3 == 2:
            await builders.prepare_plan(ctx, cid, RECORDS_DAY)
        record = (await service.file(cid)).collaboration
        tracked.state[cid] = record.state
        tracked.version[cid] = record.version
    return tracked

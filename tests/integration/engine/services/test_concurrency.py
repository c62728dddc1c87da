"""Two people acting on the same collaboration at once: one wins, the other is told."""

from __future__ import annotations

import asyncio

from engine.errors import VersionConflict
from engine.services import CollaborationService, Context
from engine.store.database import Database
from tests.integration import builders
from tests.integration.builders import COORDINATOR


async def test_two_concurrent_moves_on_the_same_version_one_wins_one_conflicts(ctx, clock):
    cid = await builders.candidate(ctx)
    await builders.complete_scorecard(ctx, cid)
    # A second process's view of the same database: its own engine and connections.
    other_db = Database(ctx.db.url)
    other = Context(db=other_db, workflow=ctx.workflow, clock=clock)
    try:
        results = await asyncio.gather(
            CollaborationService(ctx).fire(cid, "approach", expected_version=1, actor=COORDINATOR),
            CollaborationService(other).fire(
                cid, "withdraw", expected_version=1, actor=COORDINATOR, comment="重複登録"
            ),
            return_exceptions=True,
        )
    finally:
        await other_db.dispose()
    conflicts = [r for r in results if isinstance(r, VersionConflict)]
    wins = [r for r in results if not isinstance(r, BaseException)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    file = await CollaborationService(ctx).file(cid)
    history = await CollaborationService(ctx).history(cid)
    assert file.collaboration.state == wins[0].collaboration.state
    assert file.collaboration.version == 2
    assert [h.dest for h in history] == [wins[0].collaboration.state]


async def test_many_concurrent_writers_queue_instead_of_failing(ctx, clock):
    ids = [await builders.candidate(ctx, f"事業者{i}") for i in range(8)]
    databases = [Database(ctx.db.url) for _ in range(4)]
    try:
        services = [
            CollaborationService(Context(db=d, workflow=ctx.workflow, clock=clock))
            for d in databases
        ]
        await asyncio.gather(
            *(
                services[i % 4].fire(
                    cid, "withdraw", expected_version=1, actor=COORDINATOR, comment="一斉整理"
                )
                for i, cid in enumerate(ids)
            )
        )
    finally:
        for d in databases:
            await d.dispose()
    for cid in ids:
        assert (await CollaborationService(ctx).file(cid)).collaboration.state == "withdrawn"

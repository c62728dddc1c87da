"""Audit entries and lifecycle moves keep the id of the request (or job) that wrote them."""

from __future__ import annotations

from engine import tracing
from engine.services import CollaborationService
from engine.store import migrate
from engine.store.read.audit_log import AuditFilter, audit_page
from tests.integration import builders


async def test_writes_inside_a_trace_carry_its_id_and_others_none(ctx):
    with tracing.traced(tracing.Trace("req-0123456789")):
        cid = await builders.candidate(ctx)
        await builders.complete_scorecard(ctx, cid)
    await CollaborationService(ctx).fire(
        cid, "approach", expected_version=1, actor=builders.COORDINATOR
    )
    found = await audit_page(ctx.db, AuditFilter())
    traced = {e.action: e.request_id for e in found.entries}
    assert traced["collaboration.approach"] is None  # outside any request: the command line
    assert {a: r for a, r in traced.items() if a != "collaboration.approach"}
    assert all(r == "req-0123456789" for a, r in traced.items() if a != "collaboration.approach")


async def test_a_move_in_a_job_is_traced_as_the_job(ctx):
    cid = await builders.candidate(ctx)
    await builders.complete_scorecard(ctx, cid)
    with tracing.traced(tracing.Trace("job:cron:scan_due:1775437200000")):
        await CollaborationService(ctx).fire(
            cid, "approach", expected_version=1, actor=builders.COORDINATOR
        )
    moves = await audit_page(ctx.db, AuditFilter(action="collaboration.approach"))
    assert [e.request_id for e in moves.entries] == ["job:cron:scan_due:1775437200000"]


async def test_0007_adds_the_column_and_goes_back_keeping_the_entries(db, ctx):
    with tracing.traced(tracing.Trace("before-downgrade-1")):
        await builders.candidate(ctx)
    await migrate.downgrade(db, "0006")
    async with db.read() as conn:
        kept = (await conn.exec_driver_sql("SELECT count(*) FROM audit_log")).scalar_one()
    assert kept >= 1
    await migrate.upgrade(db)
    async with db.read() as conn:
        ids = list(await conn.exec_driver_sql("SELECT request_id FROM audit_log"))
        moves = list(await conn.exec_driver_sql("SELECT request_id FROM history"))
    assert len(ids) == kept and all(row[0] is None for row in [*ids, *moves])

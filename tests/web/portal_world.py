"""A collaboration taken into a running pilot, for the partner portal's tests (web and e2e)."""

from __future__ import annotations

from datetime import timedelta

from engine.clock import local_date
from engine.domain.collaboration import Activity, ActivityKind, Checkpoint, Kpi, Plan
from engine.services import CollaborationService, Context, RecordService
from tests.integration import builders
from tests.integration.builders import COORDINATOR

INTERNAL_NOTE = "内部メモ：先方の予算に不安あり"
KPIS = (
    Kpi("声掛けした住民", "人", 120.0),
    Kpi("配布したチラシ", "枚", 500.0),
    Kpi("消費生活センターへつないだ件数", "件", 10.0),
)


async def running_pilot(ctx: Context, cid: int, owner_id: int | None = None) -> Plan:
    """Approach, sign, plan and start the pilot of ``cid``; the dates are around ctx's today.

    The pilot has three KPIs, two checkpoints ahead and a consultation booked in
    ten days. The records a partner must never see are filled in too: the
    scorecard's notes, the manager's approval and a comment on a move.
    """
    today = local_date(ctx.clock.now())
    if owner_id is not None:
        await assign(ctx, cid, owner_id=owner_id)
    await builders.complete_scorecard(ctx, cid)
    await fire(ctx, cid, "approach")
    await builders.sign_memo(ctx, cid, today - timedelta(days=60))
    await fire(ctx, cid, "sign_memo")
    await builders.prepare_plan(ctx, cid, today - timedelta(days=45))
    await fire(ctx, cid, "start_planning", comment=INTERNAL_NOTE)
    records = RecordService(ctx)
    current = (await CollaborationService(ctx).file(cid)).plan
    assert current is not None
    plan = await records.save_plan(
        cid,
        Plan(
            cycle=1,
            partner_benefit="地域貢献の実績と顧客の信頼",
            municipality_benefit="高齢者の被害の早期発見",
            partner_role="店頭での声掛けとチラシの配布",
            municipality_role="研修と相談対応",
            partner_burden="月1回の報告のみ",
            municipality_burden="研修講師の派遣",
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=180),
            kpis=KPIS,
            checkpoints=(
                Checkpoint(today + timedelta(days=40), "中間評価"),
                Checkpoint(today + timedelta(days=170), "最終評価"),
            ),
            version=current.version,
        ),
        COORDINATOR,
    )
    await fire(ctx, cid, "start_pilot")
    await records.log_activity(
        Activity(
            None, cid, ActivityKind.CONSULTATION, today + timedelta(days=10), "第3回 実務者協議"
        ),
        COORDINATOR,
    )
    return plan


async def assign(ctx: Context, cid: int, **fields: object) -> None:
    file = await CollaborationService(ctx).file(cid)
    await CollaborationService(ctx).assign(
        cid, expected_version=file.collaboration.version, actor=COORDINATOR, **fields
    )


async def fire(ctx: Context, cid: int, event: str, comment: str = "") -> None:
    file = await CollaborationService(ctx).file(cid)
    await CollaborationService(ctx).fire(
        cid,
        event,
        expected_version=file.collaboration.version,
        actor=COORDINATOR,
        comment=comment,
    )

"""The collaboration lifecycle through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import EventNotAllowed, GuardBlocked, InvalidInput, NotFound, VersionConflict
from engine.services import CollaborationService, RecordService
from engine.store.uow import reading
from tests.integration import builders
from tests.integration.builders import COORDINATOR


async def _fire(ctx, cid: int, event: str, comment: str = ""):
    service = CollaborationService(ctx)
    file = await service.file(cid)
    return await service.fire(
        cid,
        event,
        expected_version=file.collaboration.version,
        actor=COORDINATOR,
        comment=comment,
    )


async def test_a_collaboration_runs_its_whole_lifecycle_with_one_history_entry_per_move(ctx, clock):
    cid = await builders.candidate(ctx)
    await builders.complete_scorecard(ctx, cid)
    assert (await _fire(ctx, cid, "approach")).collaboration.state == "approached"

    clock.advance(days=20)
    await builders.sign_memo(ctx, cid, date(2026, 4, 24))
    await _fire(ctx, cid, "sign_memo", "覚書調印式を実施")

    clock.advance(days=14)
    await builders.prepare_plan(ctx, cid, date(2026, 5, 8))
    await _fire(ctx, cid, "start_planning")
    await _fire(ctx, cid, "start_pilot")

    clock.advance(days=200)
    await builders.evaluate(ctx, cid, date(2026, 11, 20))
    await _fire(ctx, cid, "evaluate")
    await builders.renew(ctx, cid, date(2026, 11, 24))
    moved = await _fire(ctx, cid, "renew")

    assert moved.collaboration.state == "renewed"
    assert moved.collaboration.version == 8  # six moves and the planner assignment
    history = await CollaborationService(ctx).history(cid)
    assert [(h.source, h.dest) for h in history] == [
        ("candidate", "approached"),
        ("approached", "memo_signed"),
        ("memo_signed", "plan"),
        ("plan", "pilot"),
        ("pilot", "evaluated"),
        ("evaluated", "renewed"),
    ]
    assert history[1].comment == "覚書調印式を実施"
    assert history[1].actor_name == "山田 花子"
    assert ("memorandum_signed", ()) in history[1].checks
    # The renewal review reminders are due before the 2-year term ends (2028-11-24).
    async with reading(ctx.db) as uow:
        due = {r.rule: r.due_on for r in await uow.collaborations.due_items(cid)}
    assert due["renewal_review_90"] == date(2028, 8, 25)  # 26 Aug 2028 is a Saturday
    assert due["renewal_review_overdue"] == date(2028, 11, 27)  # 25 Nov is a Saturday


async def test_a_blocked_move_names_what_is_missing_and_changes_nothing(ctx):
    cid = await builders.candidate(ctx)
    with pytest.raises(GuardBlocked) as blocked:
        await _fire(ctx, cid, "approach")
    assert [r.code for r in blocked.value.unmet] == [
        "scorecard.overview",
        "scorecard.management",
        "scorecard.field",
        "scorecard.contact",
    ]
    assert blocked.value.unmet[0].text("ja").startswith("スコアカード")
    file = await CollaborationService(ctx).file(cid)
    assert (file.collaboration.state, file.collaboration.version) == ("candidate", 1)
    assert await CollaborationService(ctx).history(cid) == []


async def test_an_event_from_the_wrong_state_is_refused_with_the_allowed_ones(ctx):
    cid = await builders.candidate(ctx)
    with pytest.raises(EventNotAllowed) as refused:
        await _fire(ctx, cid, "renew")
    assert refused.value.allowed == ("approach", "withdraw")


async def test_withdrawal_needs_a_reason_and_can_be_reopened(ctx):
    cid = await builders.candidate(ctx)
    with pytest.raises(GuardBlocked):
        await _fire(ctx, cid, "withdraw", "   ")
    await _fire(ctx, cid, "withdraw", "先方が辞退")
    async with reading(ctx.db) as uow:
        assert await uow.collaborations.due_items(cid) == []  # nothing to remind of any more
    reopened = await _fire(ctx, cid, "reopen")
    assert reopened.collaboration.state == "candidate"
    assert [h.comment for h in await CollaborationService(ctx).history(cid)] == ["先方が辞退", ""]


async def test_a_stale_version_is_a_conflict_and_loses_nothing(ctx):
    cid = await builders.candidate(ctx)
    await builders.complete_scorecard(ctx, cid)
    service = CollaborationService(ctx)
    await service.fire(cid, "approach", expected_version=1, actor=COORDINATOR)
    with pytest.raises(VersionConflict) as conflict:
        await service.fire(cid, "withdraw", expected_version=1, actor=COORDINATOR, comment="x")
    assert (conflict.value.expected, conflict.value.actual) == (1, 2)
    file = await service.file(cid)
    assert file.collaboration.state == "approached"
    assert len(await service.history(cid)) == 1


async def test_revising_the_plan_starts_a_new_cycle_from_the_old_plan(ctx, clock):
    cid = await builders.candidate(ctx)
    await builders.complete_scorecard(ctx, cid)
    await _fire(ctx, cid, "approach")
    await builders.sign_memo(ctx, cid, date(2026, 4, 6))
    await _fire(ctx, cid, "sign_memo")
    await builders.prepare_plan(ctx, cid, date(2026, 4, 6))
    await _fire(ctx, cid, "start_planning")
    await _fire(ctx, cid, "start_pilot")
    clock.advance(days=240)
    await builders.evaluate(ctx, cid, date(2026, 11, 30))
    await _fire(ctx, cid, "evaluate")

    moved = await _fire(ctx, cid, "revise_plan", "KPIを見直して再試行")

    file = await CollaborationService(ctx).file(cid)
    assert (moved.collaboration.state, file.collaboration.cycle) == ("plan", 2)
    assert file.plan is not None and file.plan.partner_benefit == "地域貢献の実績と顧客の信頼"
    assert [k.name for k in file.plan.kpis] == ["声掛け人数"]
    assert (file.plan.starts_on, file.plan.checkpoints, file.measurements) == (None, (), ())
    with pytest.raises(GuardBlocked) as blocked:
        await _fire(ctx, cid, "start_pilot")
    assert {r.code for r in blocked.value.unmet} == {"plan.dates", "plan.checkpoint"}


async def test_bad_input_is_refused_per_field_and_stores_nothing(ctx):
    cid = await builders.candidate(ctx)
    from engine.domain.collaboration import Scorecard

    with pytest.raises(InvalidInput) as invalid:
        await RecordService(ctx).save_scorecard(cid, Scorecard(overview_rating=9), COORDINATOR)
    assert set(invalid.value.errors) == {"overview_rating"}
    assert (await CollaborationService(ctx).file(cid)).scorecard is None


async def test_an_unknown_collaboration_is_not_found(ctx):
    with pytest.raises(NotFound):
        await CollaborationService(ctx).file(987654)


async def test_the_approach_window_reminders_are_cancelled_once_the_memo_is_signed(ctx, clock):
    cid = await builders.candidate(ctx)
    await builders.complete_scorecard(ctx, cid)
    await _fire(ctx, cid, "approach")  # 2026-04-06
    async with reading(ctx.db) as uow:
        due = {r.rule: r.due_on for r in await uow.collaborations.due_items(cid)}
    assert due["approach_window_reminder"] == date(2026, 6, 8)  # 6 June is a Saturday
    assert due["approach_window_escalation"] == date(2026, 7, 6)
    await builders.sign_memo(ctx, cid, date(2026, 4, 6))
    async with reading(ctx.db) as uow:
        rules = {r.rule for r in await uow.collaborations.due_items(cid)}
    assert not rules & {"approach_window_reminder", "approach_window_escalation"}

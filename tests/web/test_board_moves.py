"""Moving cards: allowed, blocked with the reasons, forged, stale, and out of reach."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest

from engine.clock import FixedClock
from engine.services import CollaborationService, Context
from engine.store.database import Database
from tests.integration import builders
from tests.web.conftest import csrf_of, login
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION

HTMX = {"HX-Request": "true"}


@asynccontextmanager
async def services(world_url: str) -> AsyncIterator[Context]:
    """A context on the test world's database, to arrange records and read them back."""
    db = Database(world_url)
    try:
        yield Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    finally:
        await db.dispose()


async def stored(world_url: str, cid: int):
    async with services(world_url) as ctx:
        return (await CollaborationService(ctx).file(cid)).collaboration


async def history(world_url: str, cid: int):
    async with services(world_url) as ctx:
        return await CollaborationService(ctx).history(cid)


async def signed_in(as_role, key: str):
    """Log in as ``key`` and send the session's CSRF token with every request, as htmx does."""
    client = await as_role(key)
    client.headers["X-CSRF-Token"] = csrf_of((await client.get("/account")).text)
    return client


@pytest.fixture
async def coordinator(as_role):
    return await signed_in(as_role, "coordinator")


async def move(client, cid: int, headers=HTMX, **fields):
    return await client.post(f"/collaborations/{cid}/move", data=fields, headers=headers)


async def test_an_allowed_move_answers_with_the_card_in_its_new_stage(
    coordinator, world, world_url
):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
    answer = await move(coordinator, cid, dest="approached", version="1", comment="電話で打診")
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith(f'<article class="card" id="card-{cid}"')
    assert 'data-state="approached"' in answer.text and 'data-version="2"' in answer.text
    assert 'id="count-approached" hx-swap-oob="true">1<' in answer.text
    assert 'id="count-candidate" hx-swap-oob="true">1<' in answer.text
    assert (await stored(world_url, cid)).state == "approached"
    (entry,) = await history(world_url, cid)
    assert (entry.event, entry.comment) == ("approach", "電話で打診")
    assert entry.actor_name == "coordinator さん"
    board = await coordinator.get("/board")
    assert 'id="count-approached">1<' in board.text


async def test_a_blocked_move_names_what_is_missing_and_links_the_forms(
    coordinator, world, world_url
):
    cid = world.collaborations["A"]
    answer = await move(coordinator, cid, dest="approached", version="1")
    assert answer.status_code == 422
    assert 'data-state="candidate"' in answer.text  # the card goes back
    assert "スコアカード" in answer.text and "担当者" in answer.text
    assert f'hx-get="/collaborations/{cid}/forms/scorecard"' in answer.text
    assert answer.text.count(f"/collaborations/{cid}/forms/scorecard") == 2  # one form for four
    assert "もう一度移動する" in answer.text
    assert (await stored(world_url, cid)).version == 1
    assert await history(world_url, cid) == []


async def test_after_supplying_the_missing_record_the_retry_succeeds(coordinator, world, world_url):
    cid = world.collaborations["A"]
    await move(coordinator, cid, dest="approached", version="1")
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
    panel = await coordinator.get(f"/collaborations/{cid}/moves/approach", headers=HTMX)
    assert panel.status_code == 200
    assert "この移動に必要な記録はすべてそろっています。" in panel.text
    assert f'id="card-{cid}"' in panel.text and 'hx-swap-oob="true"' in panel.text
    retried = await move(coordinator, cid, event="approach", version="1")
    assert retried.status_code == 200 and 'data-state="approached"' in retried.text


async def test_a_forged_move_is_refused_and_changes_nothing(coordinator, world, world_url):
    cid = world.collaborations["A"]
    for fields in ({"dest": "renewed"}, {"event": "renew"}, {"event": "explode"}, {}):
        answer = await move(coordinator, cid, version="1", **fields)
        assert answer.status_code == 422, fields
        assert "このカードは現在の段階からそこへは移動できません。" in answer.text
    assert (await stored(world_url, cid)).version == 1
    assert await history(world_url, cid) == []


async def test_a_stale_version_is_a_conflict_and_shows_the_true_state(
    coordinator, world, world_url
):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
    first = await move(coordinator, cid, dest="approached", version="1")
    assert first.status_code == 200
    second = await move(coordinator, cid, dest="withdrawn", version="1", comment="辞退")
    assert second.status_code == 409
    assert "ほかの人が移動または変更しました" in second.text
    assert 'data-state="approached"' in second.text and 'data-version="2"' in second.text
    record = await stored(world_url, cid)
    assert (record.state, record.version) == ("approached", 2)


async def test_withdrawing_asks_for_a_reason(coordinator, world, world_url):
    cid = world.collaborations["A"]
    asked = await move(coordinator, cid, dest="withdrawn", version="1")
    assert asked.status_code == 422
    assert "理由" in asked.text and 'name="comment"' in asked.text and "required" in asked.text
    done = await move(coordinator, cid, event="withdraw", version="1", comment="先方が辞退")
    assert done.status_code == 200 and 'data-state="withdrawn"' in done.text


async def test_a_coordinator_of_another_network_cannot_reach_the_card(as_role, world, world_url):
    aoba = await signed_in(as_role, "aoba")
    cid = world.collaborations["A"]
    answer = await move(aoba, cid, dest="withdrawn", version="1", comment="x")
    assert answer.status_code == 404
    assert (await aoba.get(f"/collaborations/{cid}/moves/approach")).status_code == 404
    assert (await stored(world_url, cid)).version == 1


async def test_the_approval_is_a_form_for_managers_and_words_for_coordinators(
    as_role, world, world_url
):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
        await CollaborationService(ctx).fire(
            cid, "approach", expected_version=1, actor=builders.COORDINATOR
        )
    coordinator = await signed_in(as_role, "coordinator")
    blocked = await move(coordinator, cid, dest="memo_signed", version="2")
    assert blocked.status_code == 422
    assert "管理職の承認" in blocked.text or "承認" in blocked.text
    assert "manager さん" in blocked.text  # who can approve
    assert "forms/approval" not in blocked.text
    assert f"/collaborations/{cid}/forms/activity?kind=hearing" in blocked.text
    assert f"/collaborations/{cid}/forms/memorandum" in blocked.text
    manager = await signed_in(as_role, "manager")
    panel = await manager.get(f"/collaborations/{cid}/moves/sign_memo", headers=HTMX)
    assert f"/collaborations/{cid}/forms/approval?kind=memo" in panel.text


async def test_the_move_panel_is_a_whole_page_without_htmx(coordinator, world):
    cid = world.collaborations["A"]
    page = await coordinator.get(f"/collaborations/{cid}/moves/approach")
    assert page.status_code == 200 and "<html" in page.text and "スコアカード" in page.text


async def test_a_blocked_move_without_htmx_is_a_whole_page(coordinator, world):
    cid = world.collaborations["A"]
    answer = await move(coordinator, cid, headers={}, dest="approached", version="1")
    assert answer.status_code == 422
    assert "<html" in answer.text and "スコアカード" in answer.text


async def test_a_move_without_htmx_goes_back_to_the_board(coordinator, world, world_url):
    cid = world.collaborations["A"]
    answer = await coordinator.post(
        f"/collaborations/{cid}/move",
        data={"event": "withdraw", "version": "1", "comment": "辞退", "q": "信用"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/board?q=%E4%BF%A1%E7%94%A8"


async def test_admins_and_partners_may_not_move(as_role, world):
    for role in ("admin", "partner"):
        client = await signed_in(as_role, role)
        answer = await move(client, world.collaborations["A"], dest="withdrawn", version="1")
        assert answer.status_code == 403, role


async def test_a_move_without_the_csrf_token_is_refused(client, world):
    await login(client, world.emails["coordinator"])
    answer = await client.post(
        f"/collaborations/{world.collaborations['A']}/move",
        data={"event": "withdraw", "version": "1", "comment": "x"},
    )
    assert answer.status_code == 403


async def test_a_move_into_a_new_cycle_shows_the_card_in_planning(coordinator, world, world_url):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        service = CollaborationService(ctx)
        await builders.complete_scorecard(ctx, cid)
        await service.fire(cid, "approach", expected_version=1, actor=builders.COORDINATOR)
        await builders.sign_memo(ctx, cid, date(2026, 4, 1))
        await service.fire(cid, "sign_memo", expected_version=2, actor=builders.COORDINATOR)
        await builders.prepare_plan(ctx, cid, date(2026, 4, 2))
    version = (await stored(world_url, cid)).version
    answer = await move(coordinator, cid, dest="plan", version=str(version))
    assert answer.status_code == 200 and 'data-state="plan"' in answer.text

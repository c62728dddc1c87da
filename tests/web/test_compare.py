"""Comparing candidates: scorecards side by side, the chooser, and ids outside the scope."""

from __future__ import annotations

import re
from datetime import date

import pytest

from engine.clock import FixedClock
from engine.domain.collaboration import Activity, ActivityKind, Scorecard
from engine.services import CollaborationService, Context, RecordService
from engine.store.database import Database
from tests.integration import builders
from tests.web.conftest import login
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION


@pytest.fixture
async def rated(world_url, world) -> tuple[int, int]:
    """A and C-midori, both rated; A also visited twice."""
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    a, c = world.collaborations["A"], world.collaborations["C-midori"]
    try:
        await builders.complete_scorecard(ctx, a)
        records = RecordService(ctx)
        await records.save_scorecard(
            c,
            Scorecard(
                2, "<b>経営</b>は縮小傾向", 3, "理事会は慎重", 5, "配達員が熱心", "伊藤 恵", "課長"
            ),
            builders.COORDINATOR,
        )
        for day in (date(2026, 3, 2), date(2026, 3, 16)):
            await records.log_activity(
                Activity(None, a, ActivityKind.VISIT, day, "支店訪問"), builders.COORDINATOR
            )
    finally:
        await db.dispose()
    return a, c


@pytest.fixture
async def coordinator(client, world):
    await login(client, world.emails["coordinator"])
    return client


def row(text: str, header: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(header)}</th>(.*?)</tr>", text, re.S)
    assert match, header
    return match.group(1)


async def test_two_candidates_side_by_side(rated, coordinator):
    a, c = rated
    page = await coordinator.get(f"/compare?ids={a},{c}")
    assert page.status_code == 200
    text = page.text
    assert text.index("みどり信用金庫") < text.index("共栄生協")
    assert re.findall(r"<td>(.*?)</td>", row(text, "業種")) == ["銀行・信用金庫", "生協"]
    overview = row(text, "全体像：組織の概要と運営状況")
    assert "5段階中4" in overview and "地域密着" in overview
    assert "5段階中2" in overview and "&lt;b&gt;経営&lt;/b&gt;は縮小傾向" in overview
    assert "配達員が熱心" in row(text, "実務者：担当者を含む現場のやる気")
    assert "15点中12点" in row(text, "合計") and "15点中10点" in row(text, "合計")
    assert "佐藤 一郎" in row(text, "担当者") and "伊藤 恵 (課長)" in row(text, "担当者")
    assert re.findall(r">(\d+)</td>", row(text, "ヒアリング・訪問の回数")) == ["2", "0"]
    assert "中央地区" in row(text, "地区")


async def test_repeated_ids_work_too_and_keep_their_order(rated, coordinator):
    a, c = rated
    text = (await coordinator.get(f"/compare?ids={c}&ids={a}&ids={c}")).text
    assert text.index("共栄生協") < text.index("みどり信用金庫")
    assert text.count('href="/collaborations/') == 2


async def test_an_id_outside_the_scope_refuses_the_whole_comparison(rated, coordinator, world):
    a, _ = rated
    for other in (world.collaborations["C-aoba"], 9999):
        page = await coordinator.get(f"/compare?ids={a},{other}")
        assert page.status_code == 404
        assert "みどり信用金庫" not in page.text
    assert (await coordinator.get(f"/compare?ids={a},x")).status_code == 404


async def test_without_ids_the_viewers_candidates_can_be_chosen(coordinator, world):
    page = await coordinator.get("/compare")
    assert page.status_code == 200
    assert 'method="get" action="/compare"' in page.text
    boxes = re.findall(r'<input type="checkbox" id="ids-\d+" name="ids" value="(\d+)">', page.text)
    assert sorted(map(int, boxes)) == sorted(
        [world.collaborations["A"], world.collaborations["C-midori"]]
    )
    assert "あおば運輸" not in page.text


async def test_the_chooser_offers_only_candidates_and_approached_partners(
    coordinator, world, world_url
):
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    try:
        await CollaborationService(ctx).fire(
            world.collaborations["C-midori"],
            "withdraw",
            expected_version=1,
            actor=builders.COORDINATOR,
            comment="先方の事情",
        )
    finally:
        await db.dispose()
    page = await coordinator.get("/compare")
    boxes = re.findall(r'name="ids" value="(\d+)"', page.text)
    assert boxes == [str(world.collaborations["A"])]


async def test_too_many_candidates_are_refused_with_a_message(coordinator):
    page = await coordinator.get("/compare?ids=" + ",".join(str(i) for i in range(1, 12)))
    assert page.status_code == 422
    assert "比較する候補は10件までにしてください。" in page.text


async def test_the_comparison_reads_in_english(rated, coordinator):
    a, c = rated
    text = (await coordinator.get(f"/compare?ids={a},{c}&lang=en")).text
    assert "Compare candidates" in text and "4 of 5" in text and "Hearings and visits" in text

"""The collaboration page: every section, its htmx blocks, tenancy, escaping and language."""

from __future__ import annotations

import re
from datetime import date

import pytest

from engine.clock import FixedClock
from engine.domain.collaboration import Activity, ActivityKind, Measurement
from engine.domain.users import Actor
from engine.services import CollaborationService, Context, RecordService
from engine.store.database import Database
from tests.integration import builders
from tests.web.conftest import login
from tests.web.world import NOW
from web.routes.collaborations import BLOCKS
from workflows.collaboration import COLLABORATION

PAGE = "/collaborations/{}"
HTMX = {"HX-Request": "true"}


async def run_a_pilot(world_url: str, world) -> int:
    """Take みどり市's collaboration with A into the pilot, with records of every kind."""
    db = Database(world_url)
    try:
        return await _run_a_pilot(
            Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW)), world
        )
    finally:
        await db.dispose()


async def _run_a_pilot(ctx: Context, world) -> int:
    cid = world.collaborations["A"]
    moves = CollaborationService(ctx)
    records = RecordService(ctx)

    async def move(event: str, comment: str = "") -> None:
        version = (await moves.file(cid)).collaboration.version
        await moves.fire(
            cid, event, expected_version=version, actor=builders.COORDINATOR, comment=comment
        )

    await builders.complete_scorecard(ctx, cid)
    await move("approach", "<b>支店長</b>に電話で打診")
    await builders.sign_memo(ctx, cid, date(2026, 4, 1))
    await move("sign_memo")
    await builders.prepare_plan(ctx, cid, date(2026, 4, 2))
    await move("start_planning")
    await move("start_pilot")
    kpi = (await moves.file(cid)).plan.kpis[0]
    partner = Actor(world.users["partner"], "partner さん")
    await records.record_measurement(
        cid,
        Measurement(kpi.id, date(2026, 4, 1), date(2026, 4, 3), 40.0, source="partner"),
        partner,
    )
    await records.log_activity(
        Activity(None, cid, ActivityKind.PHONE, date(2026, 4, 3), "<img src=x onerror=alert(1)>"),
        builders.COORDINATOR,
    )
    await records.comment(cid, "<script>alert('c')</script>了解です", builders.COORDINATOR)
    await records.comment(cid, "来月の数値も送ります", partner, from_partner=True)
    return cid


@pytest.fixture
async def pilot(world_url, world) -> int:
    return await run_a_pilot(world_url, world)


@pytest.fixture
async def coordinator(client, world):
    await login(client, world.emails["coordinator"])
    return client


async def test_the_page_shows_every_section_of_a_running_pilot(pilot, coordinator):
    page = await coordinator.get(PAGE.format(pilot))
    assert page.status_code == 200
    text = page.text
    for heading in (
        "段階",
        "履歴",
        "活動記録",
        "スコアカード",
        "覚書",
        "プラン",
        "測定値",
        "評価",
        "継続",
        "次の手順",
        "今後の期日",
        "管理職の承認",
        "コメント",
    ):
        assert f">{heading}</h3>" in text, heading
    assert "みどり信用金庫" in text and "みどり市見守りネットワーク" in text
    assert "田中 三郎" in text  # the planner
    assert "支店長へのヒアリング" in text and "第1回 実務者協議" in text
    assert "窓口での声掛け手順を確認" in text and "試行は6か月" in text  # the minutes
    assert "みどり市長 鈴木 太郎" in text and "2026年4月1日" in text  # the memorandum
    assert "声掛け人数" in text and "120 人" in text and "40 人" in text  # target and value
    assert "目標の33%" in text  # the latest value against the target
    assert "事業者: partner さん" in text  # who reported it
    assert "中間評価" in text and "2026年12月1日" in text  # the checkpoint
    assert "2026年11月24日" in text  # the reminder a week before the checkpoint
    assert "高橋 誠" in text  # the manager who approved the memorandum


async def test_the_timeline_highlights_the_current_stage_and_marks_the_ones_reached(
    pilot, coordinator
):
    page = await coordinator.get(PAGE.format(pilot))
    steps = re.findall(
        r'<li class="step (\w+)"[^>]*>\s*<span class="step-label">([^<]+)<', page.text
    )
    assert steps == [
        ("done", "候補"),
        ("done", "打診中"),
        ("done", "覚書締結"),
        ("done", "プラン策定"),
        ("current", "実証中"),
        ("ahead", "評価済み"),
        ("ahead", "継続"),
    ]
    assert page.text.count('aria-current="step"') == 1


async def test_the_history_lists_each_move_with_who_when_and_the_comment(pilot, coordinator):
    page = await coordinator.get(PAGE.format(pilot) + "?block=history", headers=HTMX)
    rows = re.findall(r"<tr>(.*?)</tr>", page.text, re.S)[1:]
    assert len(rows) == 4
    assert "2026年4月6日" in rows[0] and "山田 花子" in rows[0]
    assert "打診を開始" in rows[0] and "候補 → 打診中" in rows[0]
    assert "&lt;b&gt;支店長&lt;/b&gt;に電話で打診" in rows[0]
    assert "プラン策定 → 実証中" in rows[3]


async def test_the_options_name_what_is_still_missing(pilot, coordinator):
    page = await coordinator.get(PAGE.format(pilot) + "?block=options", headers=HTMX)
    assert "評価を完了" in page.text
    assert "評価に、うまくいった点と改善点を記入してください。" in page.text
    assert "取り下げ" in page.text


async def test_comments_are_newest_first_and_the_partners_are_marked(pilot, coordinator):
    page = await coordinator.get(PAGE.format(pilot) + "?block=comments", headers=HTMX)
    text = page.text
    assert text.index("来月の数値も送ります") < text.index("了解です")
    assert text.count("事業者から") == 1
    assert text.index("事業者から") < text.index("来月の数値も送ります")


async def test_an_htmx_request_gets_just_the_block_it_asks_for(pilot, coordinator):
    for block in sorted(BLOCKS):
        fragment = await coordinator.get(PAGE.format(pilot) + f"?block={block}", headers=HTMX)
        assert fragment.status_code == 200, block
        assert "<html" not in fragment.text and "<h3" not in fragment.text, block
        assert re.findall(r'id="(block-\w+)"', fragment.text) == [f"block-{block}"]
        assert "hx-swap-oob" not in fragment.text


async def test_every_section_is_re_read_in_one_request_when_a_record_changes(pilot, coordinator):
    page = await coordinator.get(PAGE.format(pilot))
    assert (
        f'hx-get="/collaborations/{pilot}?block=all" '
        'hx-trigger="records-changed from:body" hx-swap="none"'
    ) in page.text
    fragment = await coordinator.get(PAGE.format(pilot) + "?block=all", headers=HTMX)
    assert "<html" not in fragment.text
    swapped = re.findall(r'id="block-(\w+)" hx-swap-oob="true"', fragment.text)
    assert sorted(swapped) == sorted(BLOCKS)


async def test_without_htmx_a_block_url_is_the_whole_page(pilot, coordinator):
    page = await coordinator.get(PAGE.format(pilot) + "?block=plan")
    assert (
        "<html" in page.text
        and 'id="block-plan"' in page.text
        and 'id="block-history"' in page.text
    )


async def test_an_unknown_block_is_not_found(coordinator, world):
    page = await coordinator.get(PAGE.format(world.collaborations["A"]) + "?block=x", headers=HTMX)
    assert page.status_code == 404


async def test_each_section_loads_the_form_fragment_into_its_own_slot(coordinator, world):
    cid = world.collaborations["A"]
    text = (await coordinator.get(PAGE.format(cid))).text
    for form in (
        "scorecard",
        "activity?kind=hearing",
        "activity?kind=visit",
        "activity?kind=consultation",
        "activity?kind=phone",
        "activity?kind=letter",
        "memorandum",
        "planner",
        "plan",
        "measurement",
        "evaluation",
        "renewal",
        "comment",
    ):
        slot = form.partition("?")[0]
        assert f'hx-get="/collaborations/{cid}/forms/{form}" hx-target="#form-{slot}"' in text
        assert f'id="form-{slot}"' in text
    assert "/forms/approval" not in text  # a coordinator does not approve
    assert 'href="/board"' in text


async def test_a_manager_gets_the_approval_buttons(client, world):
    await login(client, world.emails["manager"])
    cid = world.collaborations["A"]
    text = (await client.get(PAGE.format(cid))).text
    assert f'hx-get="/collaborations/{cid}/forms/approval?kind=memo"' in text
    assert f'hx-get="/collaborations/{cid}/forms/approval?kind=renewal"' in text


async def test_an_administrator_reads_without_edit_buttons(client, world):
    await login(client, world.emails["admin"])
    page = await client.get(PAGE.format(world.collaborations["B"]))
    assert page.status_code == 200 and "あおば運輸" in page.text
    assert "/forms/" not in page.text


async def test_another_networks_collaboration_is_not_found(client, world):
    await login(client, world.emails["aoba"])
    for url in (PAGE.format(world.collaborations["A"]), PAGE.format(9999)):
        page = await client.get(url)
        assert page.status_code == 404 and "みどり信用金庫" not in page.text
    fragment = await client.get(
        PAGE.format(world.collaborations["A"]) + "?block=history", headers=HTMX
    )
    assert fragment.status_code == 404


async def test_a_partner_user_is_refused(client, world):
    await login(client, world.emails["partner"])
    page = await client.get(PAGE.format(world.collaborations["A"]))
    assert page.status_code == 403


async def test_nobody_logged_in_is_sent_to_the_login(client, world):
    page = await client.get(PAGE.format(world.collaborations["A"]), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")


@pytest.fixture
async def shady(world_url, world) -> int:
    """A candidate whose partner's name carries a script."""
    db = Database(world_url)
    try:
        ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
        return await builders.candidate(ctx, "<script>alert('x')</script>商店")
    finally:
        await db.dispose()


async def test_html_in_summaries_and_comments_is_escaped(pilot, coordinator):
    text = (await coordinator.get(PAGE.format(pilot))).text
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script>alert('c')" not in text
    assert "&lt;script&gt;alert(&#39;c&#39;)&lt;/script&gt;了解です" in text
    assert "<b>支店長</b>" not in text and "&lt;b&gt;支店長&lt;/b&gt;" in text


async def test_html_in_a_partner_name_is_escaped(shady, client, world):
    await login(client, world.emails["admin"])
    text = (await client.get(PAGE.format(shady))).text
    assert "<script>alert('x')" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;商店" in text


async def test_the_page_is_japanese_by_default_and_english_on_request(pilot, coordinator):
    japanese = (await coordinator.get(PAGE.format(pilot))).text
    assert '<html lang="ja">' in japanese and "ボードに戻る" in japanese
    english = (await coordinator.get(PAGE.format(pilot) + "?lang=en")).text
    assert '<html lang="en">' in english
    for label in ("Back to the board", "History", "Activity log", "Scorecard", "Apr 1, 2026"):
        assert label in english, label
    assert "Partner: partner さん" in english

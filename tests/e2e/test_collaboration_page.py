"""The collaboration page in a real Chromium: timeline and history, in Japanese then English."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from engine.clock import FixedClock
from engine.services import CollaborationService, Context, RecordService
from engine.store.database import Database
from tests.e2e.accounts import add_account, log_in
from tests.e2e.harness import LiveServer, Seed, run_async, snap
from tests.integration import builders
from tests.integration.conftest import START
from workflows.collaboration import COLLABORATION

pytestmark = pytest.mark.e2e

EMAIL = "tanaka@midori.example.jp"


@pytest.fixture
def seed() -> Seed:
    async def signed_memo(ctx: Context) -> int:
        cid = await builders.candidate(ctx, "みどり信用金庫")
        moves = CollaborationService(ctx)
        await builders.complete_scorecard(ctx, cid)
        await moves.fire(
            cid, "approach", expected_version=1, actor=builders.COORDINATOR, comment="支店長に打診"
        )
        await builders.sign_memo(ctx, cid, date(2026, 1, 20))
        await moves.fire(
            cid, "sign_memo", expected_version=2, actor=builders.COORDINATOR, comment="覚書を締結"
        )
        await RecordService(ctx).comment(
            cid, "来週、実務者協議の日程を調整します", builders.COORDINATOR
        )
        file = await moves.file(cid)
        await add_account(
            ctx, EMAIL, "coordinator", network_ids=(file.network.id,), name="田中 一郎"
        )
        return cid

    return signed_memo


def test_the_timeline_and_history_in_japanese_then_english(page: Page, live_server: LiveServer):
    cid = live_server.seeded
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/collaborations/{cid}")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=2)).to_contain_text("みどり信用金庫")

    current = page.locator(".timeline [aria-current=step]")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("覚書締結")
    expect(page.locator(".timeline .step.done")).to_have_text(
        [
            re.compile("候補"),
            re.compile("打診中"),
        ]
    )

    history = page.locator("#block-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("山田 花子")
    expect(history.nth(0)).to_contain_text("支店長に打診")
    expect(history.nth(1)).to_contain_text("打診中 → 覚書締結")
    expect(history.nth(1)).to_contain_text("覚書を締結")
    expect(page.locator("#block-memorandum")).to_contain_text("2026年1月20日")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/collaborations/{cid}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.locator(".timeline [aria-current=step]")).to_contain_text("Memorandum signed")
    expect(history.nth(1)).to_contain_text("Approached → Memorandum signed")
    expect(page.locator("#block-memorandum")).to_contain_text("Jan 20, 2026")
    snap(page, "collaboration")


async def add_comment(database_url: str, collaboration_id: int, body: str) -> None:
    db = Database(database_url)
    try:
        ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(START))
        await RecordService(ctx).comment(collaboration_id, body, builders.MANAGER)
    finally:
        await db.dispose()


def test_a_section_reloads_itself_when_a_record_changes(page: Page, live_server: LiveServer):
    cid = live_server.seeded
    log_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/collaborations/{cid}")
    comments = page.locator("#block-comments")
    expect(comments).to_contain_text("来週、実務者協議の日程を調整します")
    run_async(add_comment(live_server.database_url, cid, "協議の資料を共有しました"))
    # What a record form's POST answers with (HX-Trigger: records-changed) fires this event.
    page.evaluate("document.body.dispatchEvent(new CustomEvent('records-changed'))")
    expect(comments.locator("article").first).to_contain_text("協議の資料を共有しました")
    expect(comments.locator("article")).to_have_count(2)
    expect(page.locator("#block-history tbody tr")).to_have_count(2)

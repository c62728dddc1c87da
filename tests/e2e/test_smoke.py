"""Smoke: the board in a real Chromium, in Japanese first, then in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from engine.services import CollaborationService, Context
from tests.e2e.accounts import add_account, log_in
from tests.e2e.harness import LiveServer, Seed, snap
from tests.integration import builders

pytestmark = pytest.mark.e2e

JAPANESE_COLUMNS = [
    "候補",
    "打診中",
    "覚書締結",
    "プラン策定",
    "実証中",
    "評価済み",
    "継続",
    "取り下げ",
]


@pytest.fixture
def seed() -> Seed:
    async def one_candidate(ctx: Context) -> int:
        cid = await builders.candidate(ctx, "あおば生協")
        file = await CollaborationService(ctx).file(cid)
        await add_account(
            ctx, "yamada@midori.example.jp", "coordinator", network_ids=(file.network.id,)
        )
        return cid

    return one_candidate


def test_the_board_opens_in_japanese_and_switches_to_english(page: Page, live_server: LiveServer):
    log_in(page, live_server.url, "yamada@midori.example.jp")
    page.goto(f"{live_server.url}/board")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=2)).to_contain_text(JAPANESE_COLUMNS)
    expect(page.get_by_role("heading", name="候補")).to_be_visible()
    expect(page.get_by_role("heading", name="打診中")).to_be_visible()
    expect(page.locator(f"#card-{live_server.seeded}")).to_contain_text("あおば生協")
    snap(page, "board-ja")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/board")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Candidate")).to_be_visible()
    expect(page.get_by_role("heading", name="Memorandum signed")).to_be_visible()
    snap(page, "board-en")

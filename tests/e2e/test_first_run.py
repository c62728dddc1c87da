"""The first run: a new municipality's administrator opens an empty board and is guided."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from engine.services import Context
from tests.e2e.accounts import add_account, log_in
from tests.e2e.harness import LiveServer, Seed, snap

pytestmark = pytest.mark.e2e

ADMIN = "kanri@hikari.example.jp"
MAX_TABS = 40


@pytest.fixture
def seed() -> Seed:
    async def one_administrator(ctx: Context) -> int:
        return await add_account(ctx, ADMIN, "admin", name="管理 太郎")

    return one_administrator


def test_an_empty_board_guides_a_fresh_administrator(page: Page, live_server: LiveServer):
    log_in(page, live_server.url, ADMIN)
    page.goto(f"{live_server.url}/board")
    guide = page.get_by_role("region", name="はじめに")
    expect(guide).to_be_visible()
    expect(guide.get_by_role("listitem")).to_have_count(5)
    expect(guide).to_contain_text("最初の見守りネットワークを作成する")
    expect(page.locator("#empty-candidate")).to_contain_text("「＋ 候補を追加」")
    expect(page.locator("#empty-memo_signed")).to_contain_text("覚書を締結したら")
    snap(page, "first_run_board")

    # From the top of the page, Tab reaches the first step's link.
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/admin/networks/new":
            break
    else:
        pytest.fail("Tab never reached the link to create a network")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/admin/networks/new")

    page.goto(f"{live_server.url}/admin")
    expect(page.get_by_role("region", name="はじめに")).to_be_visible()
    snap(page, "first_run_admin")

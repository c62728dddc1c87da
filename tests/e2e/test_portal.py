"""The partner portal on a phone: its own collaboration, a KPI figure, and no one else's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from engine.services import CollaborationService, Context
from tests.e2e.accounts import add_account, log_in
from tests.e2e.harness import LiveServer, Seed, snap
from tests.integration import builders
from tests.web.portal_world import running_pilot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PARTNER = "tanaka@midori-shinkin.example.jp"


@pytest.fixture
def seed() -> Seed:
    async def two_partners(ctx: Context) -> dict[str, int]:
        own = await builders.candidate(ctx, "みどり信用金庫")
        other = await builders.candidate(ctx, "あおば運輸")
        await running_pilot(ctx, own)
        await running_pilot(ctx, other)
        file = await CollaborationService(ctx).file(own)
        await add_account(ctx, PARTNER, "partner", partner_id=file.partner.id, name="田中 店長")
        return {"own": own, "other": other}

    return two_partners


def test_a_partner_reports_a_figure_from_a_phone(page: Page, live_server: LiveServer):
    page.set_viewport_size(PHONE)
    ids = live_server.seeded
    log_in(page, live_server.url, PARTNER)
    expect(page).to_have_url(f"{live_server.url}/portal")
    card = page.locator(f"#collaboration-{ids['own']}")
    expect(card).to_contain_text("みどり信用金庫")
    expect(card.locator(".timeline li.current")).to_have_text("実証中")
    expect(card).to_contain_text("第3回 実務者協議")
    expect(page.locator("article.collaboration")).to_have_count(1)
    _fits_the_screen(page)
    snap(page, "portal")

    card.get_by_role("link", name="詳細・実績の報告・連絡").click()
    page.get_by_label("指標（KPI）").select_option(label="配布したチラシ (枚)")
    page.get_by_label("実績値").fill("250")
    page.get_by_label("備考（任意）").fill("駅前の店舗で配布")
    start = page.get_by_label("開始日").input_value()
    page.get_by_label("終了日").fill("2020-01-31")
    page.get_by_role("button", name="実績を送信する").click()
    # htmx swaps the refused form in, with the message and what was typed.
    expect(page.locator("#period_end-error")).to_have_text(
        "終了日は開始日より後の日付にしてください。"
    )
    expect(page.get_by_label("実績値")).to_have_value("250")
    page.get_by_label("終了日").fill(start)
    page.get_by_role("button", name="実績を送信する").click()
    figures = page.locator("#figures")
    expect(figures.get_by_role("status")).to_contain_text("実績を受け付けました")
    expect(figures.locator(".reported")).to_contain_text("配布したチラシ: 250 枚")
    expect(figures.locator(".reported")).to_contain_text("田中 店長")
    _fits_the_screen(page)
    snap(page, "portal-collaboration")

    page.goto(f"{live_server.url}/portal/collaborations/{ids['other']}")
    expect(page.get_by_role("heading", name="ページが見つかりません")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("あおば運輸")


def test_the_forms_work_without_javascript(browser: Browser, live_server: LiveServer):
    context = browser.new_context(
        java_script_enabled=False, locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE
    )
    try:
        page = context.new_page()
        log_in(page, live_server.url, PARTNER)
        page.goto(f"{live_server.url}/portal/collaborations/{live_server.seeded['own']}")
        page.get_by_label("実績値").fill("12")
        page.get_by_label("終了日").fill("2020-01-31")
        page.get_by_role("button", name="実績を送信する").click()
        expect(page.locator("#period_end-error")).to_have_text(
            "終了日は開始日より後の日付にしてください。"
        )

        page.get_by_label("終了日").fill(page.get_by_label("開始日").input_value())
        page.get_by_role("button", name="実績を送信する").click()
        expect(page).to_have_url(re.compile(r"\?saved=figure#figures$"))
        expect(page.locator("#figures .reported")).to_contain_text("声掛けした住民: 12 人")

        page.get_by_label("メッセージ").fill("来月の打ち合わせは<b>午後</b>希望です")
        page.get_by_role("button", name="メッセージを送信する").click()
        expect(page.locator(".thread li").first).to_contain_text(
            "来月の打ち合わせは<b>午後</b>希望です"
        )
    finally:
        context.close()


def _fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways at phone width."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

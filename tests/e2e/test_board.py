"""The pipeline board in a real Chromium: drag, a blocked move fixed on the spot, languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from engine.services import CollaborationService, Context
from tests.e2e.accounts import add_account, log_in
from tests.e2e.harness import LiveServer, Seed, snap
from tests.integration import builders

pytestmark = pytest.mark.e2e

COORDINATOR = "yamada@midori.example.jp"


@pytest.fixture
def seed() -> Seed:
    async def board(ctx: Context) -> dict[str, int]:
        ready = await builders.candidate(ctx, "みどり信用金庫")
        await builders.complete_scorecard(ctx, ready)
        bare = await builders.candidate(ctx, "あおば生協")
        spare = await builders.candidate(ctx, "ひかり薬局")
        file = await CollaborationService(ctx).file(ready)
        await add_account(
            ctx, COORDINATOR, "coordinator", network_ids=(file.network.id,), name="山田 花子"
        )
        return {"ready": ready, "bare": bare, "spare": spare}

    return board


def column(page: Page, stage: str):
    return page.locator(f'.cards[data-stage="{stage}"]')


def drag(page: Page, card_id: int, stage: str) -> None:
    """Drag a card by its handle onto a column with the mouse, in small steps (as a hand would)."""
    # Bounding boxes are in viewport coordinates: the card must be on screen to be grabbed.
    page.locator(f"#card-{card_id} .handle").scroll_into_view_if_needed()
    handle = page.locator(f"#card-{card_id} .handle").bounding_box()
    target = column(page, stage).bounding_box()
    assert handle is not None and target is not None
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(handle["x"] + 20, handle["y"] + 10, steps=5)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 20, steps=20)
    page.mouse.up()


def test_a_card_dragged_to_an_allowed_column_stays_there(page: Page, live_server: LiveServer):
    ready = live_server.seeded["ready"]
    log_in(page, live_server.url, COORDINATOR)
    page.goto(f"{live_server.url}/board")
    expect(column(page, "candidate").locator(f"#card-{ready}")).to_be_visible()
    drag(page, ready, "approached")
    expect(column(page, "approached").locator(f"#card-{ready}")).to_have_attribute(
        "data-state", "approached"
    )
    expect(page.locator("#count-approached")).to_have_text("1")
    expect(page.locator("#count-candidate")).to_have_text("2")
    snap(page, "board")
    page.reload()
    expect(column(page, "approached").locator(f"#card-{ready}")).to_be_visible()


def test_a_blocked_move_returns_the_card_and_the_missing_record_is_supplied_inline(
    page: Page, live_server: LiveServer
):
    bare = live_server.seeded["bare"]
    log_in(page, live_server.url, COORDINATOR)
    page.goto(f"{live_server.url}/board")
    drag(page, bare, "approached")
    panel = page.locator("#move-panel")
    expect(panel).to_contain_text("このカードはまだ「打診中」に移動できません")
    expect(panel).to_contain_text("スコアカード")
    expect(column(page, "candidate").locator(f"#card-{bare}")).to_be_visible()
    expect(column(page, "approached").locator(f"#card-{bare}")).to_have_count(0)
    form = panel.locator("#form-scorecard")
    expect(form).to_be_visible()
    snap(page, "board-blocked")
    form.locator("#scorecard-overview_rating").select_option("4")
    form.locator("#scorecard-management_rating").select_option("5")
    form.locator("#scorecard-field_rating").select_option("3")
    form.locator("#scorecard-contact_name").fill("鈴木 次郎")
    form.get_by_role("button", name="保存").click()
    expect(panel).to_contain_text("この移動に必要な記録はすべてそろっています。")

    panel.get_by_role("button", name="もう一度移動する").click()
    expect(column(page, "approached").locator(f"#card-{bare}")).to_be_visible()
    expect(panel).to_be_empty()
    page.reload()
    expect(column(page, "approached").locator(f"#card-{bare}")).to_be_visible()


def test_the_move_to_control_works_from_the_keyboard(page: Page, live_server: LiveServer):
    spare = live_server.seeded["spare"]
    log_in(page, live_server.url, COORDINATOR)
    page.goto(f"{live_server.url}/board")
    card = page.locator(f"#card-{spare}")
    card.locator("summary").focus()
    page.keyboard.press("Enter")
    card.get_by_label("段階").select_option(label="取り下げ (取り下げる)")
    card.get_by_label("コメント").fill("先方の体制変更のため")
    card.get_by_label("コメント").press("Enter")
    expect(column(page, "withdrawn").locator(f"#card-{spare}")).to_have_count(1)
    expect(page.locator("#count-withdrawn")).to_have_text("1")


def test_the_board_in_english(page: Page, live_server: LiveServer):
    log_in(page, live_server.url, COORDINATOR)
    page.goto(f"{live_server.url}/board")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Candidate")).to_be_visible()
    expect(page.get_by_role("heading", name="Approached")).to_be_visible()
    expect(page.get_by_label("Partner name")).to_be_visible()
    page.get_by_label("Partner name").fill("生協")
    page.get_by_label("Partner name").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/board?q=%E7%94%9F%E5%8D%94")
    expect(page.locator(".card")).to_have_count(1)
    snap(page, "board-en")

"""A coordinator's first partner, in a real Chromium: from the board to the approach."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from engine.domain.network import Network
from engine.domain.users import SYSTEM
from engine.services import Context, DirectoryService
from tests.e2e.accounts import add_account, log_in
from tests.e2e.harness import LiveServer, Seed, snap

pytestmark = pytest.mark.e2e

COORDINATOR = "yamada@midori.example.jp"


@pytest.fixture
def seed() -> Seed:
    async def empty_network(ctx: Context) -> dict[str, int]:
        network = await DirectoryService(ctx).add_network(
            Network(None, "みどり市見守りネットワーク", "みどり市", "13"), SYSTEM
        )
        assert network.id is not None
        await add_account(ctx, COORDINATOR, "coordinator", network_ids=(network.id,))
        return {"network": network.id}

    return empty_network


def test_a_partner_registered_from_the_board_is_rated_and_approached(
    page: Page, live_server: LiveServer
):
    log_in(page, live_server.url, COORDINATOR)
    page.goto(f"{live_server.url}/board")
    page.get_by_text("＋ 候補を追加", exact=True).click()
    # Typed as a person types, so the field's handler (set up as the picker arrives) hears it.
    page.get_by_label("事業者名またはよみがな").press_sequentially("みどり", delay=80)
    expect(page.locator("#block-results")).to_contain_text("その名前の事業者はありません")
    page.get_by_role("link", name="新しい事業者を登録して候補にする").click()

    expect(page.get_by_label("続けてボードに候補として追加する")).to_be_checked()
    page.get_by_label("事業者名").fill("株式会社みどり商店")
    page.get_by_label("よみがな", exact=True).fill("みどりしょうてん")
    page.get_by_label("業種").select_option(label="移動販売（買い物支援）")
    page.get_by_label("地区").first.fill("北地区")
    page.get_by_label("担当者1：氏名").fill("中村 さくら")
    snap(page, "partner-form")
    page.get_by_role("button", name="登録", exact=True).click()

    expect(page.locator("#record-title")).to_contain_text("株式会社みどり商店")
    page.get_by_role("button", name="スコアカードを編集").click()
    form = page.locator(".form-slot .record-form")
    for level in ("overview", "management", "field"):
        form.locator(f"select[name={level}_rating]").select_option("4")
    form.locator("input[name=contact_name]").fill("中村 さくら")
    form.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".record-form.saved")).to_be_visible()

    page.reload()
    page.get_by_role("button", name="実行：打診を開始").click()
    expect(page.get_by_role("status")).to_contain_text("段階を移動しました。")
    expect(page.locator(".stage-now")).to_have_text("打診中")
    snap(page, "partner-approached")


def test_a_spreadsheet_of_partners_is_imported_through_its_preview(
    page: Page, live_server: LiveServer, tmp_path
):
    sheet = tmp_path / "協力事業者一覧.csv"
    # As Excel's 「CSV (コンマ区切り)」 writes it: Shift_JIS with CRLF.
    sheet.write_bytes(
        "事業者名,よみがな,業種,地区,電話\r\n"
        "株式会社あおば運輸,あおばうんゆ,宅配,南地区,03-1111-2222\r\n"
        "ひかり薬局,ひかりやっきょく,薬局,北地区,\r\n".encode("cp932")
    )
    log_in(page, live_server.url, COORDINATOR)
    page.goto(f"{live_server.url}/partners")
    page.get_by_role("link", name="CSVから取り込む").first.click()
    page.locator("input[type=file]").set_input_files(sheet)
    page.get_by_role("button", name="プレビュー").click()

    expect(page.locator("table")).to_contain_text("株式会社あおば運輸")
    expect(page.locator("table")).to_contain_text("ひかり薬局")
    snap(page, "partner-import-preview")
    page.get_by_label("新規の事業者それぞれについて候補の連携を作成する").check()
    page.get_by_role("button", name="新規の事業者2件を取り込む").click()

    expect(page.get_by_role("status")).to_contain_text("2")
    page.goto(f"{live_server.url}/board")
    candidates = page.locator('.cards[data-stage="candidate"]')
    expect(candidates).to_contain_text("株式会社あおば運輸")
    expect(candidates).to_contain_text("ひかり薬局")

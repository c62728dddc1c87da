"""A municipality's first day, from an empty database to a partner reading its collaboration.

The administrator (made with ``mimamori user create``) creates the network, invites a
coordinator by e-mail; the coordinator chooses a password through the link in the mail,
registers the partner and opens its candidate card; the administrator invites the
partner's contact, who chooses a password and sees the collaboration in the portal.
Every e-mail is read from the mail directory, as the recipient would read it.
"""

from __future__ import annotations

import re
import time
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from engine.services import Context
from tests.e2e.accounts import add_account, log_in
from tests.e2e.axe import assert_accessible
from tests.e2e.harness import LiveServer, Seed, snap
from tests.web.mailbox import LINK

pytestmark = pytest.mark.e2e

ADMIN = "kanri@hikari.example.jp"
COORDINATOR = "tanto@hikari.example.jp"
PARTNER_USER = "madoguchi@hikari-taxi.example.jp"
NETWORK = "ひかり市見守りネットワーク"
PARTNER = "ひかりタクシー株式会社"


@pytest.fixture
def seed() -> Seed:
    async def the_first_administrator(ctx: Context) -> int:
        return await add_account(ctx, ADMIN, "admin", name="管理 太郎")

    return the_first_administrator


def _link_for(mail_dir: Path, address: str) -> str:
    """The set-a-password link of the newest mail to ``address`` (delivered within seconds)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for path in sorted(
            mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True
        ):
            message = message_from_bytes(path.read_bytes(), policy=default)
            if str(message["To"]) == address and (found := LINK.search(message.get_content())):
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no mail with a link reached {address}")


def _choose_password(page: Page, link: str, password: str) -> None:
    page.goto(link)
    assert_accessible(page)
    page.locator("#password").fill(password)
    page.locator("#password_again").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("パスワードを設定しました")


def _invite(page: Page, base: str, name: str, email: str, role: str) -> None:
    page.goto(f"{base}/admin/users/invite")
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#role").select_option(role)
    if role == "coordinator":
        page.get_by_label(NETWORK).check()
    else:
        page.locator("#partner_id").select_option(label=PARTNER)
    assert_accessible(page)
    page.get_by_role("button", name="招待メールを送る").click()
    expect(page.get_by_role("status")).to_contain_text(f"{email} に招待メールを送りました")
    assert_accessible(page)


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="ログアウト", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login"))


def test_from_an_empty_database_to_a_partner_reading_its_collaboration(
    page: Page, browser: Browser, live_server: LiveServer
):
    base, mail_dir = live_server.url, live_server.settings.mail_dir
    log_in(page, base, ADMIN)
    page.goto(f"{base}/board")
    expect(page.get_by_role("region", name="はじめに")).to_be_visible()
    assert_accessible(page)

    # The network, in a prefecture chosen from the list.
    page.goto(f"{base}/admin/networks/new")
    page.locator("#name").fill(NETWORK)
    page.locator("#prefecture").select_option(label="徳島県")
    page.locator("#municipality").fill("ひかり市")
    assert_accessible(page)
    page.locator("form.admin-form button[type=submit]").first.click()
    page.goto(f"{base}/admin/networks")
    expect(page.get_by_role("main")).to_contain_text("徳島県")

    # The coordinator is invited and listed as such until they choose a password.
    _invite(page, base, "担当 花子", COORDINATOR, "coordinator")
    page.goto(f"{base}/admin/users")
    expect(page.get_by_role("row", name="担当 花子")).to_contain_text("招待中")
    assert_accessible(page)
    snap(page, "day_one_invited")

    colleague = browser.new_page(locale="ja-JP")
    try:
        _choose_password(colleague, _link_for(mail_dir, COORDINATOR), "Sakura-namiki-2026")
        log_in(colleague, base, COORDINATOR, "Sakura-namiki-2026")
        # The partner is registered and put on the board as a candidate.
        colleague.goto(f"{base}/partners/new")
        colleague.locator("#partner-name").fill(PARTNER)
        colleague.locator("#partner-industry").select_option("delivery")
        colleague.locator("#partner-area").fill("中央地区")
        colleague.locator("#form-partner button[type=submit]").click()
        expect(colleague.get_by_role("heading", name=PARTNER)).to_be_visible()
        colleague.locator("form[action$='/candidates'] button[type=submit]").click()
        colleague.goto(f"{base}/board")
        candidates = colleague.locator(".cards[data-stage=candidate]")
        expect(candidates).to_contain_text(PARTNER)
    finally:
        colleague.close()

    _invite(page, base, "窓口 一郎", PARTNER_USER, "partner")
    _log_out(page)
    _choose_password(page, _link_for(mail_dir, PARTNER_USER), "Hikari-no-michi-8")
    log_in(page, base, PARTNER_USER, "Hikari-no-michi-8")
    expect(page).to_have_url(f"{base}/portal")
    expect(page.get_by_role("main")).to_contain_text(NETWORK)
    assert_accessible(page)
    snap(page, "day_one_portal")


def test_the_way_back_from_a_forgotten_password_is_accessible(page: Page, live_server: LiveServer):
    base = live_server.url
    page.goto(f"{base}/login")
    page.get_by_role("link", name="パスワードをお忘れの方").click()
    assert_accessible(page)
    page.locator("#email").fill("nobody@hikari.example.jp")
    page.get_by_role("button", name="リンクを送る").click()
    expect(page.get_by_role("status")).to_contain_text("nobody@hikari.example.jp")
    assert_accessible(page)
    page.goto(f"{base}/password/reset/not-a-real-link")
    expect(page.get_by_role("alert")).to_contain_text("このリンクは正しくありません")
    assert_accessible(page)

"""Accounts for end-to-end tests: create one in a seed, log in through the real form."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from engine.domain.users import SYSTEM, User
from engine.services import Context
from engine.services.accounts import AccountService
from engine.store.sessions import DatabaseSessions

PASSWORD = "Kusunoki-2026!"


async def add_account(
    ctx: Context,
    email: str,
    role: str,
    *,
    network_ids: tuple[int, ...] = (),
    partner_id: int | None = None,
    name: str = "",
) -> int:
    """Create an account with PASSWORD (inside a ``seed``); returns its id."""
    user = await AccountService(ctx, DatabaseSessions(ctx.db)).create_user(
        User(None, email, name or email.partition("@")[0], role, partner_id=partner_id),
        PASSWORD,
        SYSTEM,
        network_ids,
    )
    assert user.id is not None
    return user.id


def log_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Fill in the login form (in either language) and wait to leave the login page."""
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page).not_to_have_url(f"{base_url}/login")

"""Accounts on SQLite and PostgreSQL, and sessions in a real Redis."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from engine.domain.users import SYSTEM, User
from engine.errors import InvalidInput, LoginRefused, LoginThrottled
from engine.services.accounts import (
    MAX_FAILURES_PER_CLIENT,
    AccountService,
    SessionPolicy,
)
from engine.store.sessions import DatabaseSessions

PASSWORD = "Kusunoki-2026!"


async def _user(accounts: AccountService, email: str = "sato@midori.example.jp") -> User:
    return await accounts.create_user(
        User(None, email, "佐藤 美咲", "coordinator"), PASSWORD, SYSTEM
    )


@pytest.fixture
def accounts(ctx) -> AccountService:
    return AccountService(ctx, DatabaseSessions(ctx.db))


async def test_a_login_opens_a_session_that_resolves_to_the_viewer(accounts):
    user = await _user(accounts)
    done = await accounts.login("SATO@midori.example.jp ", PASSWORD, "10.0.0.1")
    viewer, session = await accounts.resolve_session(done.cookie)
    assert (viewer.user_id, viewer.role, session.csrf_token) == (
        user.id,
        "coordinator",
        done.session.csrf_token,
    )


async def test_sessions_expire_when_idle_and_after_their_absolute_lifetime(ctx, clock):
    accounts = AccountService(
        ctx, DatabaseSessions(ctx.db), SessionPolicy(timedelta(minutes=30), timedelta(hours=2))
    )
    await _user(accounts)
    done = await accounts.login("sato@midori.example.jp", PASSWORD, "10.0.0.1")
    clock.advance(minutes=29)
    assert await accounts.resolve_session(done.cookie) is not None
    clock.advance(minutes=29)  # used a minute ago, so still alive
    assert await accounts.resolve_session(done.cookie) is not None
    clock.advance(minutes=31)
    assert await accounts.resolve_session(done.cookie) is None
    again = await accounts.login("sato@midori.example.jp", PASSWORD, "10.0.0.1")
    for _ in range(4):
        clock.advance(minutes=25)
        assert await accounts.resolve_session(again.cookie) is not None
    clock.advance(minutes=25)  # 2 h 5 min after the login: over, however busy
    assert await accounts.resolve_session(again.cookie) is None


async def test_failures_from_one_client_are_throttled_across_accounts(accounts, clock):
    for i in range(MAX_FAILURES_PER_CLIENT):
        with pytest.raises(LoginRefused):
            await accounts.login(f"guess{i}@example.jp", "wrong-password", "203.0.113.9")
    await _user(accounts)
    with pytest.raises(LoginThrottled):
        await accounts.login("sato@midori.example.jp", PASSWORD, "203.0.113.9")
    assert await accounts.login("sato@midori.example.jp", PASSWORD, "198.51.100.1")
    clock.advance(minutes=16)
    assert await accounts.login("sato@midori.example.jp", PASSWORD, "203.0.113.9")


async def test_a_common_or_short_password_is_refused_and_nothing_is_created(accounts):
    for weak in ("qwerty123", "short"):
        with pytest.raises(InvalidInput) as refused:
            await accounts.create_user(
                User(None, "w@example.jp", "渡辺", "coordinator"), weak, SYSTEM
            )
        assert "password" in refused.value.errors
    with pytest.raises(LoginRefused):
        await accounts.login("w@example.jp", "qwerty123", "10.0.0.1")


async def test_tokens_resolve_until_the_user_is_disabled(accounts):
    user = await _user(accounts)
    token = await accounts.create_token(user.email, "会計システム連携", SYSTEM)
    assert (await accounts.resolve_token(token)).user_id == user.id
    assert await accounts.resolve_token(token + "x") is None
    await accounts.set_active(user.id, False, SYSTEM)
    assert await accounts.resolve_token(token) is None


async def test_the_last_active_administrator_can_be_neither_disabled_nor_demoted(accounts):
    first = await accounts.create_user(
        User(None, "admin1@example.jp", "管理 一郎", "admin"), PASSWORD, SYSTEM
    )
    assert first.id is not None
    for refused in (
        accounts.set_active(first.id, False, SYSTEM),
        accounts.update_user(replace(first, role="coordinator"), (), SYSTEM),
    ):
        with pytest.raises(InvalidInput) as error:
            await refused
        assert "last active administrator" in next(iter(error.value.errors.values()))
    assert (await accounts.user(first.id))[0].active
    second = await accounts.create_user(
        User(None, "admin2@example.jp", "管理 二郎", "admin"), PASSWORD, SYSTEM
    )
    assert second.id is not None
    await accounts.set_active(first.id, False, SYSTEM)  # another administrator remains
    with pytest.raises(InvalidInput):
        await accounts.set_active(second.id, False, SYSTEM)

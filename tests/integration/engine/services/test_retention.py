"""Retention on SQLite and PostgreSQL: what is removed after its time, and what never is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.config import Settings
from engine.domain.mail import Mail, MailKind, MailStatus
from engine.domain.users import SYSTEM, User
from engine.errors import ConfigError, LoginRefused
from engine.mail import FileTransport
from engine.services import CollaborationService, DeliveryService
from engine.services.accounts import AccountService, digest
from engine.services.password_links import PasswordLinkService
from engine.services.retention import RetentionPolicy, RetentionService
from engine.store.sessions import DatabaseSessions
from engine.store.tables import account_links, audit_log, login_failures, outbox, reset_requests
from engine.store.uow import reading, writing
from tests.integration.builders import candidate

PASSWORD = "Kusunoki-2026!"
POLICY = RetentionPolicy.from_settings(Settings())


@pytest.fixture
def accounts(ctx) -> AccountService:
    return AccountService(ctx, DatabaseSessions(ctx.db))


@pytest.fixture
def retention(ctx) -> RetentionService:
    return RetentionService(ctx, POLICY)


async def _user(accounts: AccountService, email: str) -> User:
    return await accounts.create_user(
        User(None, email, "佐藤 美咲", "coordinator"), PASSWORD, SYSTEM
    )


async def _actions(ctx) -> list[str]:
    async with reading(ctx.db) as uow:
        rows = await uow.conn.execute(select(audit_log.c.action).order_by(audit_log.c.id))
        return list(rows.scalars())


async def test_an_ended_session_is_removed_a_week_after_it_ended(ctx, clock, accounts, retention):
    await _user(accounts, "sato@midori.example.jp")
    await _user(accounts, "kato@midori.example.jp")
    old = await accounts.login("sato@midori.example.jp", PASSWORD, "10.0.0.1")
    clock.advance(days=3)
    recent = await accounts.login("kato@midori.example.jp", PASSWORD, "10.0.0.2")
    clock.advance(days=5)  # the first ended 8 days ago, the second 5 days ago

    report = await retention.run_if_due()

    assert report is not None and report.sessions == 1
    assert await accounts.sessions.get(digest(old.cookie)) is None
    assert await accounts.sessions.get(digest(recent.cookie)) is not None


async def test_login_records_go_after_a_year_and_the_history_of_changes_never(
    ctx, clock, accounts, retention
):
    await _user(accounts, "sato@midori.example.jp")
    await accounts.login("sato@midori.example.jp", PASSWORD, "10.0.0.1")
    cid = await candidate(ctx)
    await CollaborationService(ctx).fire(
        cid, "withdraw", expected_version=1, actor=SYSTEM, comment="見送り"
    )
    before = await _actions(ctx)
    assert "auth.login" in before and "collaboration.create" in before
    clock.advance(days=366)

    report = await retention.run_if_due()

    after = await _actions(ctx)
    assert report is not None and report.login_records == 1
    assert [a for a in after if a != "retention.run"] == [
        a for a in before if not a.startswith("auth.")
    ]
    assert after[-1] == "retention.run"  # the removal itself is on record, with its counts
    history = await CollaborationService(ctx).history(cid)
    assert [h.event for h in history] == ["withdraw"]


async def test_failed_logins_past_the_throttle_window_are_forgotten(
    ctx, clock, accounts, retention
):
    await _user(accounts, "sato@midori.example.jp")
    with pytest.raises(LoginRefused):
        await accounts.login("sato@midori.example.jp", "wrong-password", "10.0.0.1")
    clock.advance(days=1)

    await retention.run_if_due()

    async with reading(ctx.db) as uow:
        assert (await uow.conn.execute(select(login_failures))).first() is None


async def test_reset_requests_go_with_their_window_and_spent_links_after_a_year(
    ctx, clock, accounts, retention
):
    await _user(accounts, "sato@midori.example.jp")
    links = PasswordLinkService(ctx)
    await links.request_reset("sato@midori.example.jp", "10.0.0.1")
    await links.request_reset("nobody@midori.example.jp", "10.0.0.1")
    clock.advance(days=1)
    await retention.run_if_due()
    async with reading(ctx.db) as uow:
        assert (await uow.conn.execute(select(reset_requests))).first() is None
        assert (await uow.conn.execute(select(account_links))).first() is not None
    clock.advance(days=366)
    await retention.run_if_due()
    async with reading(ctx.db) as uow:
        assert (await uow.conn.execute(select(account_links))).first() is None


async def test_delivered_mail_keeps_its_record_but_not_its_body_after_90_days(
    ctx, clock, retention, tmp_path
):
    cid = await candidate(ctx)
    sent = Mail(
        "due:1:sent",
        MailKind.REMINDER,
        "y@example.jp",
        "期限のお知らせ",
        "本文",
        collaboration_id=cid,
    )
    async with writing(ctx.db) as uow:
        await uow.outbox.add([sent], clock.now(), ctx.mail_domain)
    await DeliveryService(ctx, FileTransport(tmp_path)).deliver()
    waiting = Mail(
        "due:1:waiting",
        MailKind.REMINDER,
        "z@example.jp",
        "未送信",
        "待つ本文",
        collaboration_id=cid,
    )
    async with writing(ctx.db) as uow:
        await uow.outbox.add([waiting], clock.now(), ctx.mail_domain)
    clock.advance(days=91)

    report = await retention.run_if_due()

    assert report is not None and report.mail_bodies == 1
    async with reading(ctx.db) as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    assert [(r.subject, r.to_addr, r.status, r.body) for r in rows] == [
        ("期限のお知らせ", "y@example.jp", str(MailStatus.SENT), ""),
        ("未送信", "z@example.jp", str(MailStatus.QUEUED), "待つ本文"),
    ]


async def test_it_runs_once_a_day_in_japan_time(ctx, clock, accounts, retention):
    assert await retention.run_if_due() is not None
    assert await retention.run_if_due() is None
    clock.advance(days=1)
    assert await retention.run_if_due() is not None
    assert "retention.run" not in await _actions(ctx)  # nothing was removed: nothing to note


@pytest.mark.parametrize(
    ("name", "raw"),
    [("RETAIN_MAIL_DAYS", "0"), ("RETAIN_SESSIONS_DAYS", "a week"), ("RETAIN_LOGINS_DAYS", "-1")],
)
def test_a_bad_retention_setting_is_refused_by_name(name, raw):
    with pytest.raises(ConfigError, match=f"MIMAMORI_{name}='{raw}' is not valid"):
        Settings.from_env({f"MIMAMORI_{name}": raw})


def test_the_settings_give_the_policy():
    policy = RetentionPolicy.from_settings(
        Settings.from_env({"MIMAMORI_RETAIN_MAIL_DAYS": "30", "MIMAMORI_RETAIN_LOGINS_DAYS": "730"})
    )
    assert (policy.mail_bodies, policy.logins, policy.sessions) == (
        timedelta(days=30),
        timedelta(days=730),
        timedelta(days=7),
    )

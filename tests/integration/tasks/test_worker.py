"""The arq worker against a real Redis, a real database and a real SMTP server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis.asyncio as redis
from arq import Worker
from sqlalchemy import select, update

from engine.clock import FixedClock
from engine.config import Settings
from engine.domain.mail import Mail, MailKind, MailStatus
from engine.domain.users import SYSTEM
from engine.store.database import Database
from engine.store.tables import audit_log, outbox
from engine.store.uow import reading, writing
from tasks.worker import worker_settings
from tests.conftest import REDIS_URL, require_service
from tests.integration import builders
from tests.integration.smtp import SmtpServer

REMINDER_DAY = datetime(2026, 6, 8, 1, 0, tzinfo=UTC)  # two months after START, a Monday


@pytest.fixture
async def redis_url():
    """An empty Redis database for the test's queue."""
    require_service("Redis", "127.0.0.1", 6379)
    client = redis.from_url(REDIS_URL)
    await client.flushdb()
    yield REDIS_URL
    await client.flushdb()
    await client.aclose()


def _worker(db: Database, smtp: SmtpServer, redis_url: str, **overrides: Any) -> Worker:
    """A burst worker wired as in production, on the test's database, clock and SMTP server."""
    settings = Settings(
        database_url=db.url,
        redis_url=redis_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_starttls=False,
    )
    options = {"burst": True, "poll_delay": 0.05}
    return Worker(**worker_settings(settings, FixedClock(REMINDER_DAY), **options, **overrides))


async def _run(*workers: Worker) -> None:
    try:
        await asyncio.gather(*(w.main() for w in workers))
    finally:
        for w in workers:
            await w.close()


async def test_the_worker_scans_and_delivers_a_due_reminder_exactly_once(ctx, smtp, redis_url):
    _, owner = await builders.approached_with_owner(ctx)

    await _run(_worker(ctx.db, smtp, redis_url))
    await _run(_worker(ctx.db, smtp, redis_url))  # a second run finds nothing new

    # Two notices fall due on 8 June: the approach window's two-month mark and the
    # stale card (no activity for 30 days). Each arrives once, the rerun adds nothing.
    subjects = sorted(str(r.message["Subject"]) for r in smtp.handler.received)
    assert subjects == [
        "【見守り連携】みどり信用金庫: 30日間、活動の記録がありません。",
        "【見守り連携】みどり信用金庫: "
        "打診期間の終了が近づいています。早めの覚書締結を目指してください。",
    ]
    assert all(r.rcpt_tos == [owner.email] for r in smtp.handler.received)
    assert all(r.message["Auto-Submitted"] == "auto-generated" for r in smtp.handler.received)


async def test_two_workers_at_once_send_each_reminder_once(ctx, smtp, redis_url):
    await builders.approached_with_owner(ctx)

    await _run(_worker(ctx.db, smtp, redis_url), _worker(ctx.db, smtp, redis_url))

    assert len(smtp.handler.received) == 2  # the two notices due, each once


async def test_a_worker_killed_mid_send_loses_and_duplicates_nothing(ctx, smtp, redis_url):
    cid = await builders.candidate(ctx)
    async with writing(ctx.db) as uow:
        await uow.outbox.add(
            [
                Mail(
                    "test:killed",
                    MailKind.REMINDER,
                    "sato@aoba.example.jp",
                    "件名",
                    "本文",
                    collaboration_id=cid,
                )
            ],
            datetime.now(UTC),
            ctx.mail_domain,
        )
    env = {
        **os.environ,
        "MIMAMORI_DATABASE_URL": ctx.db.url,
        "MIMAMORI_REDIS_URL": redis_url,
        "MIMAMORI_SMTP_HOST": "127.0.0.1",
        "MIMAMORI_SMTP_PORT": str(smtp.port),
        "MIMAMORI_SMTP_STARTTLS": "false",
    }
    smtp.handler.stall_seconds = 60  # the server hangs in the middle of the conversation
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mimamori", "worker", env=env
    )
    try:
        await _wait_for_status(ctx.db, MailStatus.SENDING)
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    assert smtp.handler.received == []

    # The dead sender's lease runs out; a restarted worker takes the message over.
    async with writing(ctx.db) as uow:
        await uow.conn.execute(
            update(outbox).values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    smtp.handler.stall_seconds = 0
    restarted = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mimamori", "worker", env=env
    )
    try:
        await _wait_for_status(ctx.db, MailStatus.SENT, seconds=90)
    finally:
        restarted.send_signal(signal.SIGTERM)  # a clean stop
        assert await asyncio.wait_for(restarted.wait(), timeout=60) == 0
    assert [r.rcpt_tos for r in smtp.handler.received] == [["sato@aoba.example.jp"]]
    async with reading(ctx.db) as uow:
        (mail,) = await uow.outbox.for_collaboration(cid)
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)


async def _wait_for_status(db: Database, status: MailStatus, seconds: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        async with reading(db) as uow:
            rows = await uow.conn.execute(outbox.select().where(outbox.c.status == str(status)))
            if rows.first() is not None:
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"no outbox message reached {status} within {seconds} s")


async def test_the_worker_applies_retention_at_start_and_once_a_day(ctx, smtp, redis_url):
    async with writing(ctx.db) as uow:
        await uow.audit.record(
            REMINDER_DAY - timedelta(days=400), SYSTEM, "auth.login", "user", None, client="x"
        )

    await _run(_worker(ctx.db, smtp, redis_url))
    await _run(_worker(ctx.db, smtp, redis_url))  # the same day: nothing runs twice

    async with reading(ctx.db) as uow:
        actions = list((await uow.conn.execute(select(audit_log.c.action))).scalars())
    assert actions == ["retention.run"]

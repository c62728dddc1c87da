"""The figures behind /metrics, counted in the database on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from engine.clock import local_date
from engine.domain.mail import Mail, MailKind, MailStatus
from engine.domain.reminders import DueStatus
from engine.services.health import HealthService
from engine.services.metrics import MetricsService
from engine.store.tables import due_items
from engine.store.uow import writing
from tests.integration import builders


async def test_nothing_yet_gives_zeros_and_no_round(ctx):
    found = await MetricsService(ctx).figures()
    assert found.database
    assert found.outbox == {MailStatus.QUEUED: 0, MailStatus.SENDING: 0, MailStatus.FAILED: 0}
    assert (found.oldest_unsent_at, found.heartbeat_at, found.round_seconds) == (None,) * 3


async def test_the_outbox_by_state_and_the_oldest_waiting_message(ctx, clock):
    queued_at = clock.now()
    async with writing(ctx.db) as uow:
        mails = [
            Mail(f"t:{n}", MailKind.REMINDER, f"a{n}@example.jp", "件名", "本文") for n in range(4)
        ]
        await uow.outbox.add(mails, queued_at, "localhost")
        first, _ = await uow.outbox.claim(queued_at, timedelta(minutes=5), limit=2)
        await uow.outbox.failed(first.id, "550 no such user")
    clock.advance(minutes=3)
    found = await MetricsService(ctx).figures()
    assert found.outbox == {MailStatus.QUEUED: 2, MailStatus.SENDING: 1, MailStatus.FAILED: 1}
    assert found.age(found.oldest_unsent_at) == 180  # the failed one no longer waits


async def test_pending_notices_of_today_and_of_days_gone_by(ctx, clock):
    cid = await builders.candidate(ctx)
    before = await MetricsService(ctx).figures()
    today = local_date(clock.now())
    rows = [
        (today, DueStatus.PENDING, "today"),
        (today, DueStatus.NOTIFIED, "sent already"),
        (today - timedelta(days=3), DueStatus.PENDING, "overdue"),
        (today + timedelta(days=1), DueStatus.PENDING, "tomorrow"),
    ]
    async with writing(ctx.db) as uow:
        await uow.conn.execute(
            insert(due_items),
            [
                {
                    "collaboration_id": cid,
                    "rule": f"test_{rule.replace(' ', '_')}",
                    "anchor_on": day,
                    "due_on": day,
                    "remind_on": day,
                    "kind": "reminder",
                    "recipients": "owner",
                    "status": str(status),
                    "created_at": clock.now(),
                }
                for day, status, rule in rows
            ],
        )
    found = await MetricsService(ctx).figures()
    assert found.notices_today - before.notices_today == 1
    assert found.notices_overdue - before.notices_overdue == 1


async def test_the_last_round_is_timed_on_the_clock_and_kept_in_the_database(ctx, clock):
    health = HealthService(ctx)
    started = clock.now()
    clock.advance(seconds=42)
    await health.round_ran(started)
    clock.advance(minutes=5)
    await health.round_ran(clock.now())  # a quick one: the last round is the one reported
    found = await MetricsService(ctx).figures()
    assert found.round_seconds == 0
    assert found.round_finished_at == clock.now()
    clock.advance(seconds=7)
    await health.round_ran(clock.now() - timedelta(seconds=7))
    assert (await MetricsService(ctx).figures()).round_seconds == 7

"""/readyz, for a monitor: the database, Redis, when background work last ran, waiting mail."""

from __future__ import annotations

import asyncio

from engine.domain.mail import Mail, MailKind
from engine.store.database import Database
from engine.store.uow import writing


async def _after_the_first_round(client) -> dict:
    for _ in range(100):
        answer = await client.get("/readyz")
        if answer.json()["background_last_seen"] is not None:
            return answer.json()
        await asyncio.sleep(0.05)
    raise AssertionError("the start-up round never reported")


async def test_readiness_reports_the_last_round_and_the_oldest_waiting_mail(
    client, world, world_url, clock
):
    first = await _after_the_first_round(client)
    assert first["status"] == "ready" and first["database"] == "ok"
    assert first["redis"] == "not_configured"  # the embedded mode: rounds in the web process
    assert first["background_seconds_ago"] == 0
    assert first["oldest_unsent_mail_seconds"] is None

    db = Database(world_url)
    async with writing(db) as uow:
        mail = Mail("test:waiting", MailKind.REMINDER, "sato@example.jp", "件名", "本文")
        await uow.outbox.add([mail], clock.now(), "localhost")
    await db.dispose()
    clock.advance(minutes=10)  # and no round since: as when the worker has stopped
    later = (await client.get("/readyz")).json()
    assert later["status"] == "ready"
    assert later["background_seconds_ago"] == 600
    assert later["oldest_unsent_mail_seconds"] == 600

"""`mimamori worker` outlives its Redis: it waits, comes back, and sends what fell due meanwhile."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from engine.clock import SystemClock
from engine.domain.mail import Mail, MailKind, MailStatus
from engine.services import Context
from engine.services.health import HealthService
from engine.store.uow import reading, writing
from tests.integration import builders
from tests.integration.redis_server import RedisProcess
from tests.integration.smtp import SmtpServer
from workflows.collaboration import COLLABORATION


async def _queue(ctx: Context, cid: int, key: str, to: str) -> None:
    async with writing(ctx.db) as uow:
        mail = Mail(key, MailKind.REMINDER, to, "件名", "本文", collaboration_id=cid)
        # Queued "now" on the system clock, the one the worker process runs on.
        await uow.outbox.add([mail], ctx.clock.now(), ctx.mail_domain)


async def _wait_until_sent(ctx: Context, cid: int, count: int, seconds: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        async with reading(ctx.db) as uow:
            sent = [
                m for m in await uow.outbox.for_collaboration(cid) if m.status is MailStatus.SENT
            ]
        if len(sent) >= count:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"fewer than {count} messages were sent within {seconds} s")


async def _wait_for_line(log: Path, text: str, seconds: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if text in _tail(log):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the worker never logged {text!r}:\n{_tail(log)}")


def _tail(log: Path) -> str:
    """The end of the worker's log (all of it, for a run this short)."""
    return log.read_text(errors="replace")[-20_000:]


async def test_a_redis_restart_pauses_the_worker_and_loses_nothing(
    db, smtp: SmtpServer, redis_server: RedisProcess, tmp_path
):
    # The worker is a process of its own on the system clock: date the data by it too.
    ctx = Context(db=db, workflow=COLLABORATION, clock=SystemClock())
    cid = await builders.candidate(ctx)
    await _queue(ctx, cid, "test:before", "before@aoba.example.jp")
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "MIMAMORI_DATABASE_URL": db.url,
        "MIMAMORI_REDIS_URL": redis_server.url,
        "MIMAMORI_SMTP_HOST": "127.0.0.1",
        "MIMAMORI_SMTP_PORT": str(smtp.port),
        "MIMAMORI_SMTP_STARTTLS": "false",
    }
    with log.open("wb") as out:
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "mimamori", "worker", env=env, stdout=out, stderr=out
        )
    try:
        await _wait_until_sent(ctx, cid, 1)
        redis_server.stop()
        await _wait_for_line(log, "Redis unreachable")
        await _queue(ctx, cid, "test:during", "during@aoba.example.jp")  # falls due meanwhile
        await asyncio.sleep(3)
        assert worker.returncode is None, _tail(log)  # still running
        redis_server.start()
        await _wait_until_sent(ctx, cid, 2)
        worker.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(worker.wait(), timeout=60) == 0
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
    assert sorted(r.rcpt_tos[0] for r in smtp.handler.received) == [
        "before@aoba.example.jp",
        "during@aoba.example.jp",
    ]
    assert "Traceback" not in _tail(log)
    assert (await HealthService(ctx).readiness()).background_seen_at is not None  # it beat

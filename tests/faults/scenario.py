"""The data, the mail that falls due, and the faults, one after another under load."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import make_url

from engine.domain.mail import Mail, MailKind
from engine.domain.users import SYSTEM, User
from engine.services import CollaborationService, Context
from engine.services.accounts import AccountService
from engine.store.sessions import DatabaseSessions
from engine.store.uow import writing
from tests.faults.load import Ledger
from tests.faults.shape import HARNESS, WEB_WORKERS, Shape
from tests.integration import builders

PASSWORD = "Kusunoki-2026!"
COLLABORATIONS = 200
STAFF = 3
LEAD = 1.0
"""Seconds between naming a phase and its fault: requests are counted in the phase they
start in, so those in flight when the fault strikes belong to it."""
MAIL_EVERY = 1.0
"""Seconds between two messages falling due, the whole run long."""


@dataclass(frozen=True)
class Lengths:
    """How long each part lasts, in seconds."""

    calm: float
    settle: float
    """After each fault, before the next."""
    smtp_down: float
    redis_down: float = 15


SHORT = Lengths(calm=5, settle=4, smtp_down=20)
FULL = Lengths(calm=20, settle=15, smtp_down=60)


def lengths_from_env() -> Lengths:
    """``MIMAMORI_FAULTS=full`` (``make faults``) runs the issue's lengths; CI a shorter run."""
    return FULL if os.environ.get("MIMAMORI_FAULTS") == "full" else SHORT


@dataclass(frozen=True)
class Seeded:
    cards: list[int]
    token: str
    staff: list[str]


async def seed(ctx: Context) -> Seeded:
    """Candidates in one network, an API token and staff who belong to the network."""
    cards = [await builders.candidate(ctx, f"協力事業者{n:03d}") for n in range(COLLABORATIONS)]
    network_id = (await CollaborationService(ctx).file(cards[0])).network.id
    accounts = AccountService(ctx, DatabaseSessions(ctx.db))
    emails = [f"staff{n}@midori.example.jp" for n in range(STAFF + 1)]
    for n, email in enumerate(emails):
        user = User(None, email, f"職員{n}", "coordinator")
        await accounts.create_user(user, PASSWORD, SYSTEM, (network_id,))
    token = await accounts.create_token(emails[0], "fault load", SYSTEM)
    return Seeded(cards, token, emails[1:])


async def feed_mail(
    ctx: Context, cid: int, ledger: Ledger, stop: asyncio.Event, queued: dict[str, str]
) -> None:
    """Queue a message every ``MAIL_EVERY`` seconds, as reminders falling due do; key → phase."""
    n = 0
    while not stop.is_set():
        n += 1
        key = f"faults:{n}"
        mail = Mail(
            key,
            MailKind.REMINDER,
            f"m{n}@aoba.example.jp",
            "期限のお知らせ",
            "本文",
            collaboration_id=cid,
        )
        async with writing(ctx.db) as uow:
            await uow.outbox.add([mail], ctx.clock.now(), ctx.mail_domain)
        queued[key] = ledger.phase
        await asyncio.sleep(MAIL_EVERY)


async def cut_connections(database_url: str) -> int:
    """pg_terminate_backend on every connection of the app (as a failover does); how many."""
    url = make_url(database_url)
    admin = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database="postgres"
    )
    try:
        rows = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND application_name <> $2 AND pid <> pg_backend_pid()",
            url.database,
            HARNESS,
        )
    finally:
        await admin.close()
    return len(rows)


async def inject(shape: Shape, ledger: Ledger, lengths: Lengths) -> dict[str, str]:
    """Each fault in turn, with calm between; what was done, by phase."""
    done: dict[str, str] = {}
    await asyncio.sleep(lengths.calm)

    ledger.phase = "web worker killed"
    await asyncio.sleep(LEAD)
    before = set(shape.web_workers())
    victim = shape.kill_web_worker()
    started = time.monotonic()
    while not (len(set(shape.web_workers()) - before) == 1 and len(shape.web_workers()) == 2):
        assert time.monotonic() - started < 60, "the killed web worker was never replaced"
        await asyncio.sleep(0.1)
    done[ledger.phase] = f"pid {victim} SIGKILLed, replaced in {time.monotonic() - started:.1f} s"
    await asyncio.sleep(lengths.settle)

    ledger.phase = "connections cut"
    await asyncio.sleep(LEAD)
    cut = [await cut_connections(shape.database_url)]
    await asyncio.sleep(1)
    cut.append(await cut_connections(shape.database_url))
    done[ledger.phase] = f"pg_terminate_backend twice, 1 s apart: {cut[0]} + {cut[1]} connections"
    await asyncio.sleep(lengths.settle)

    ledger.phase = f"Redis down {lengths.redis_down:.0f} s"
    await asyncio.sleep(LEAD)
    await asyncio.to_thread(shape.redis.stop)
    await asyncio.sleep(lengths.redis_down)
    assert shape.worker is not None and shape.worker.poll() is None, "the worker exited"
    await asyncio.to_thread(shape.redis.start)
    done[ledger.phase] = "stopped, started again empty (no persistence)"
    await asyncio.sleep(lengths.settle)

    ledger.phase = "worker SIGKILLed"
    await asyncio.sleep(LEAD)
    await asyncio.to_thread(shape.kill_worker)
    await asyncio.sleep(2)  # deploy/mimamori-worker.service: RestartSec=2
    shape.start_worker()
    done[ledger.phase] = "killed, started again 2 s later (as systemd would)"
    await asyncio.sleep(lengths.settle)

    ledger.phase = f"SMTP down {lengths.smtp_down:.0f} s"
    await asyncio.sleep(LEAD)
    await asyncio.to_thread(shape.smtp.stop)
    await asyncio.sleep(lengths.smtp_down)
    await asyncio.to_thread(shape.smtp.start)
    done[ledger.phase] = "stopped while mail fell due, started again"
    await asyncio.sleep(lengths.settle)
    ledger.phase = "after"
    await asyncio.sleep(lengths.settle)
    assert len(shape.web_workers()) == WEB_WORKERS
    return done

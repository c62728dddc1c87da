"""The ways to deliver the outbox, timed against plain SMTP sends, and the report."""

from __future__ import annotations

import cProfile
import gc
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import aiosmtplib
from sqlalchemy import select

from bench._stats import NOW, median, p95, profile_report
from bench.outbox_delivery.common import HOST, MAIL_FROM, japanese_mail
from bench.outbox_delivery.smtp_server import Server, start_server
from engine.calendar import BusinessCalendar
from engine.clock import FixedClock
from engine.mail import SmtpTransport, build_message
from engine.services import Context
from engine.services.delivery import BATCH, LEASE, DeliveryService
from engine.store import migrate
from engine.store.database import Database
from engine.store.repositories.outbox import queued_from
from engine.store.tables import outbox
from engine.store.uow import reading, writing
from workflows.collaboration import COLLABORATION


class TimedTransport:
    """SmtpTransport, with the time of every send recorded."""

    def __init__(self, inner: SmtpTransport) -> None:
        self.inner = inner
        self.sends: list[float] = []

    async def send(self, message: EmailMessage) -> None:
        start = time.perf_counter_ns()
        await self.inner.send(message)
        self.sends.append((time.perf_counter_ns() - start) / 1000)


@dataclass
class Run:
    seconds: float
    sends: list[float]
    """µs per message handed to the server (empty when not measured per message)."""


Method = Callable[[], Awaitable[Run]]


@dataclass
class Series:
    rates: list[float] = field(default_factory=list)
    sends: list[float] = field(default_factory=list)
    overheads: list[float] = field(default_factory=list)
    """µs per message outside the send (ours: claim, build, mark sent)."""
    received: list[int] = field(default_factory=list)

    def add(self, run: Run, m: int, received: int) -> None:
        self.rates.append(m / run.seconds)
        self.received.append(received)
        if run.sends:
            self.sends.extend(run.sends)
            self.overheads.append((run.seconds * 1e6 - sum(run.sends)) / m)

    @property
    def rate(self) -> float:
        return median(self.rates)


async def queue(ctx: Context, m: int) -> list[EmailMessage]:
    """Queue ``m`` messages; return them as the sender builds them (for the baseline)."""
    mails = [japanese_mail(i) for i in range(m)]
    for start in range(0, m, 500):
        async with writing(ctx.db) as uow:
            await uow.outbox.add(mails[start : start + 500], NOW, ctx.mail_domain)
    async with reading(ctx.db) as uow:
        rows = await uow.conn.execute(select(outbox).order_by(outbox.c.id))
        return [build_message(queued_from(r), ctx.mail_from) for r in rows]


async def requeue(db: Database) -> None:
    """Every message back to queued and due, as if never attempted."""
    async with db.write() as conn:
        await conn.exec_driver_sql(
            "UPDATE outbox SET status = 'queued', attempts = 0, lease_until = NULL, "
            "sent_at = NULL, last_error = '', next_attempt_at = ?",
            (NOW.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f"),),
        )


async def sent_count(db: Database) -> int:
    async with db.read() as conn:
        result = await conn.exec_driver_sql("SELECT count(*) FROM outbox WHERE status = 'sent'")
        return int(result.scalar_one())


def methods(ctx: Context, port: int, messages: list[EmailMessage]) -> dict[str, Method]:
    m = len(messages)

    async def ours() -> Run:
        await requeue(ctx.db)
        transport = TimedTransport(SmtpTransport(HOST, port, None, None, starttls=False))
        gc.collect()
        start = time.perf_counter()
        report = await DeliveryService(ctx, transport).deliver(limit=m)
        seconds = time.perf_counter() - start
        if report.sent != m or report.retried or report.failed:
            raise RuntimeError(f"deliver: {report}, wanted {m} sent")
        if await sent_count(ctx.db) != m:
            raise RuntimeError("the outbox does not show every message sent")
        return Run(seconds, transport.sends)

    async def direct() -> Run:
        sends = []
        gc.collect()
        start = time.perf_counter()
        for message in messages:
            begun = time.perf_counter_ns()
            await aiosmtplib.send(
                message,
                hostname=HOST,
                port=port,
                username=None,
                password=None,
                start_tls=False,
                timeout=30,
            )
            sends.append((time.perf_counter_ns() - begun) / 1000)
        return Run(time.perf_counter() - start, sends)

    async def one_connection() -> Run:
        gc.collect()
        start = time.perf_counter()
        client = aiosmtplib.SMTP(hostname=HOST, port=port, start_tls=False, timeout=30)
        async with client:
            for message in messages:
                await client.send_message(message)
        return Run(time.perf_counter() - start, [])

    return {"ours": ours, "direct": direct, "one-connection": one_connection}


def check_sample(server: Server, first: EmailMessage) -> None:
    """The first message the server got is the first one queued, Japanese text intact."""
    got = message_from_bytes(server.sample.read_bytes(), policy=default)
    problems = [
        name
        for name, ok in (
            ("Subject", got["Subject"] == first["Subject"]),
            ("Message-ID", got["Message-ID"] == first["Message-ID"]),
            ("Auto-Submitted", got["Auto-Submitted"] == "auto-generated"),
            ("body", got.get_content() == first.get_content()),  # type: ignore[attr-defined]
        )
        if not ok
    ]
    if problems:
        raise RuntimeError(f"the received message differs in {', '.join(problems)}")


async def run(m: int, repeats: int, profile: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="mimamori-bench-") as name:
        folder = Path(name)
        server = start_server(folder)
        db = Database(f"sqlite:///{folder / 'bench.db'}")
        try:
            await migrate.upgrade(db)
            ctx = Context(
                db=db,
                workflow=COLLABORATION,
                clock=FixedClock(NOW),
                calendar=BusinessCalendar(),
                mail_from=MAIL_FROM,
            )
            messages = await queue(ctx, m)
            size = sum(len(message.as_bytes()) for message in messages) / m
            print(
                f"  {m} messages queued, {size:,.0f} bytes each on the wire on average "
                f"(UTF-8 body, RFC 2047 subject); aiosmtpd in a child process on {HOST}"
            )
            timed = methods(ctx, server.port, messages)
            series = {name: Series() for name in timed}

            # Warm-up: a short run of each on the first messages (connections, imports, caches).
            warm = methods(ctx, server.port, messages[:50])
            for method in warm.values():
                await method()

            order = list(timed)
            for k in range(repeats):
                for name in order[k % len(order) :] + order[: k % len(order)]:
                    server.reset()
                    result = await timed[name]()
                    series[name].add(result, m, server.received)
                    check_sample(server, messages[0])

            pieces = await breakdown(ctx, min(m // 4, 200))

            profiled = ""
            if profile:
                profiler = cProfile.Profile()
                profiler.enable()
                await timed["ours"]()
                profiler.disable()
                profiled = profile_report(profiler, 15)
        finally:
            await db.dispose()
            server.stop.set()
            server.process.join(10)
            if server.process.is_alive():
                server.process.kill()

    return report(series, m, repeats, pieces, profiled)


async def breakdown(ctx: Context, count: int) -> dict[str, float]:
    """Median µs per message of the pieces of ours outside the send, each timed on its own."""
    await requeue(ctx.db)
    claims, builds, marks, empties = [], [], [], []
    done = 0
    while done < count:
        start = time.perf_counter_ns()
        async with writing(ctx.db) as uow:
            batch = await uow.outbox.claim(NOW, LEASE, BATCH)
        claims.append((time.perf_counter_ns() - start) / 1000 / max(1, len(batch)))
        if not batch:
            break
        for queued in batch:
            start = time.perf_counter_ns()
            build_message(queued, ctx.mail_from)
            builds.append((time.perf_counter_ns() - start) / 1000)
            start = time.perf_counter_ns()
            async with writing(ctx.db) as uow:
                await uow.outbox.sent(queued.id, NOW)
            marks.append((time.perf_counter_ns() - start) / 1000)
            start = time.perf_counter_ns()
            async with ctx.db.write():
                pass
            empties.append((time.perf_counter_ns() - start) / 1000)
        done += len(batch)
    return {
        f"outbox.claim, per message (batches of {BATCH})": median(claims),
        "build_message (headers, UTF-8 body)": median(builds),
        "outbox.sent in its own write transaction": median(marks),
        "  of which an empty db.write() (BEGIN IMMEDIATE, COMMIT)": median(empties),
    }


def report(
    series: dict[str, Series], m: int, repeats: int, pieces: dict[str, float], profiled: str
) -> int:
    ours, direct, single = series["ours"], series["direct"], series["one-connection"]
    print(f"\n  messages per second (median over {repeats} repeats; slowest repeat in brackets):")
    rows = (
        ("ours: DeliveryService.deliver + SmtpTransport", ours),
        ("direct: aiosmtplib.send per message", direct),
        ("one connection for all (reference)", single),
    )
    for label, s in rows:
        print(f"    {label:<48} {s.rate:>8,.0f}  ({min(s.rates):,.0f})")
    print("  per message, µs (median / p95):")
    print(
        f"    {'send inside deliver (SmtpTransport.send)':<48} "
        f"{median(ours.sends):>8,.0f} / {p95(ours.sends):,.0f}"
    )
    print(
        f"    {'aiosmtplib.send, direct':<48} "
        f"{median(direct.sends):>8,.0f} / {p95(direct.sends):,.0f}"
    )
    print(
        f"    {'deliver outside the send (claim, build, mark)':<48} "
        f"{median(ours.overheads):>8,.0f}   (total time - sends) / M, median of repeats"
    )
    print(
        f"  direct / ours = {direct.rate / ours.rate:.2f}x (for information); "
        f"one connection / direct = {single.rate / direct.rate:.2f}x"
    )
    print("  the pieces of ours outside the send, each timed on its own (median µs per message):")
    for label, value in pieces.items():
        print(f"    {label:<58} {value:>6,.0f}")
    if profiled:
        print("  profile of one more run of ours (main thread):")
        print(profiled)
    wrong = {name: s.received for name, s in series.items() if any(r != m for r in s.received)}
    if wrong:
        print(f"\n  FAILED: the server did not receive exactly {m} per repeat: {wrong}")
        return 1
    print(f"\n  server received exactly {m} messages in every repeat of every method: OK")
    return 0

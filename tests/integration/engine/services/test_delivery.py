"""Delivering the outbox to a real SMTP server on loopback (aiosmtpd) and to files."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from engine.clock import FixedClock
from engine.config import Settings
from engine.domain.mail import Mail, MailKind, MailStatus, QueuedMail
from engine.mail import (
    FileTransport,
    ServerUnreachable,
    SmtpTransport,
    TemporaryFailure,
    transport_from_settings,
)
from engine.services import Context, DeliveryReport, DeliveryService
from engine.store.uow import reading, writing
from tests.integration.builders import candidate
from tests.integration.smtp import SmtpServer, free_port

SUBJECT = "【見守り】みどり信用金庫：実務者協議の期限が近づいています"
BODY = (
    "山田 花子 様\n\n"
    "実務者協議の期限（2026年6月8日）が近づいています。\n"
    "ボードで確認してください。\n"
)
RECIPIENT = "yamada@example.jp"


def mail(cid: int, key: str = "due:1:2026-04-13:approach", to: str = RECIPIENT) -> Mail:
    """A Japanese reminder about collaboration ``cid``."""
    return Mail(key, MailKind.REMINDER, to, SUBJECT, BODY, collaboration_id=cid)


async def queue(ctx: Context, *mails: Mail) -> None:
    """Put messages in the outbox as a reminder scan would."""
    async with writing(ctx.db) as uow:
        await uow.outbox.add(list(mails), ctx.clock.now(), ctx.mail_domain)


async def outbox(ctx: Context, cid: int) -> list[QueuedMail]:
    """The collaboration's messages, oldest first."""
    async with reading(ctx.db) as uow:
        return list(reversed(await uow.outbox.for_collaboration(cid)))


async def only(ctx: Context, cid: int) -> QueuedMail:
    """The collaboration's single message."""
    [queued] = await outbox(ctx, cid)
    return queued


async def test_delivered_message_arrives_with_recipient_subject_body_and_headers(
    ctx: Context, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))

    report = await DeliveryService(ctx, smtp.transport).deliver()

    assert report == DeliveryReport(sent=1)
    [received] = smtp.handler.received
    queued = await only(ctx, cid)
    assert received.rcpt_tos == [RECIPIENT]
    assert received.message["To"] == RECIPIENT
    assert received.message["From"] == ctx.mail_from
    assert received.message["Subject"] == SUBJECT
    assert received.message.get_content().splitlines() == BODY.splitlines()
    assert received.message["Message-ID"] == queued.message_id
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message["Date"]
    assert (queued.status, queued.attempts, queued.last_error) == (MailStatus.SENT, 1, "")


async def test_451_twice_then_accepted_arrives_exactly_once(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))
    smtp.handler.data_replies = ["451 4.3.0 try again", "451 4.3.0 try again"]
    service = DeliveryService(ctx, smtp.transport)

    assert await service.deliver() == DeliveryReport(retried=1)
    clock.advance(minutes=1)
    assert await service.deliver() == DeliveryReport(retried=1)
    clock.advance(minutes=5)
    assert await service.deliver() == DeliveryReport(sent=1)
    clock.advance(hours=5)
    assert await service.deliver() == DeliveryReport()

    assert len(smtp.handler.received) == 1
    queued = await only(ctx, cid)
    assert (queued.status, queued.attempts) == (MailStatus.SENT, 3)


async def test_550_is_marked_failed_with_the_reason_and_not_retried(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))
    smtp.handler.data_replies = ["550 5.1.1 mailbox unavailable"]
    service = DeliveryService(ctx, smtp.transport)

    assert await service.deliver() == DeliveryReport(failed=1)
    clock.advance(days=2)
    assert await service.deliver() == DeliveryReport()

    assert smtp.handler.received == []
    queued = await only(ctx, cid)
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, 1)
    assert "550" in queued.last_error
    assert "mailbox unavailable" in queued.last_error


async def test_recipient_refused_550_fails_and_450_retries(ctx: Context, smtp: SmtpServer) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid, "a", "nobody@example.jp"), mail(cid, "b", "busy@example.jp"))
    smtp.handler.rcpt_replies = ["550 5.1.1 no such user", "450 4.2.1 mailbox busy"]

    report = await DeliveryService(ctx, smtp.transport).deliver()

    assert report == DeliveryReport(retried=1, failed=1)
    refused, busy = await outbox(ctx, cid)
    assert refused.status == MailStatus.FAILED
    assert "550 5.1.1 no such user" in refused.last_error
    assert "nobody@example.jp" in refused.last_error
    assert busy.status == MailStatus.QUEUED
    assert "450" in busy.last_error


async def test_nothing_is_sent_before_the_backoff_ends(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))
    smtp.handler.data_replies = ["451 4.3.0 try again"]
    service = DeliveryService(ctx, smtp.transport)

    assert await service.deliver() == DeliveryReport(retried=1)
    assert await service.deliver() == DeliveryReport()
    clock.advance(seconds=59)
    assert await service.deliver() == DeliveryReport()

    assert smtp.handler.received == []
    queued = await only(ctx, cid)
    assert (queued.status, queued.attempts) == (MailStatus.QUEUED, 1)
    assert "451 4.3.0 try again" in queued.last_error
    clock.advance(seconds=1)
    assert await service.deliver() == DeliveryReport(sent=1)


async def test_backoff_grows_and_gives_up_after_six_attempts(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))
    smtp.handler.data_replies = ["451 4.3.0 try again"] * 6
    service = DeliveryService(ctx, smtp.transport)

    for wait in (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15)):
        assert await service.deliver() == DeliveryReport(retried=1)
        clock.advance(seconds=wait.total_seconds() - 1)
        assert await service.deliver() == DeliveryReport()
        clock.advance(seconds=1)
    for wait in (timedelta(hours=1), timedelta(hours=4)):
        assert await service.deliver() == DeliveryReport(retried=1)
        clock.advance(seconds=wait.total_seconds())
    assert await service.deliver() == DeliveryReport(failed=1)

    queued = await only(ctx, cid)
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, 6)
    assert queued.last_error == "gave up after 6 attempts: 451 4.3.0 try again"


async def test_a_dead_senders_message_is_delivered_after_its_lease_and_a_live_one_is_not(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid, "abandoned"))
    async with writing(ctx.db) as uow:  # a sender claims it and dies
        await uow.outbox.claim(clock.now(), timedelta(minutes=5), 10)
    clock.advance(minutes=3)
    await queue(ctx, mail(cid, "in-flight"))
    async with writing(ctx.db) as uow:  # another sender is still working on this one
        await uow.outbox.claim(clock.now(), timedelta(minutes=5), 10)
    service = DeliveryService(ctx, smtp.transport)

    clock.advance(minutes=1)  # both leases still running
    assert await service.deliver() == DeliveryReport()
    clock.advance(minutes=1, seconds=1)  # the first lease has ended
    assert await service.deliver() == DeliveryReport(sent=1)

    abandoned, in_flight = await outbox(ctx, cid)
    assert (abandoned.status, abandoned.attempts) == (MailStatus.SENT, 2)
    assert (in_flight.status, in_flight.attempts) == (MailStatus.SENDING, 1)
    assert [r.message["Message-ID"] for r in smtp.handler.received] == [abandoned.message_id]


async def test_a_mail_server_down_for_hours_costs_no_message_an_attempt(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, *(mail(cid, f"due:{n}") for n in range(3)))
    down = SmtpTransport("127.0.0.1", free_port(), None, None, starttls=False, timeout=5)
    service = DeliveryService(ctx, down)

    # A run a minute, for longer than the whole backoff would last: one connection
    # attempt each, and nothing is given up.
    for _ in range(8):
        assert await service.deliver() == DeliveryReport(waiting=3)
        clock.advance(hours=1)

    waiting = await outbox(ctx, cid)
    assert {(q.status, q.attempts) for q in waiting} == {(MailStatus.QUEUED, 0)}
    assert all("no connection to 127.0.0.1" in q.last_error for q in waiting)
    assert await DeliveryService(ctx, smtp.transport).deliver() == DeliveryReport(sent=3)
    assert len(smtp.handler.received) == 3
    assert {(q.status, q.attempts) for q in await outbox(ctx, cid)} == {(MailStatus.SENT, 1)}


async def test_a_server_that_turns_connections_away_at_the_greeting_is_waited_for(
    ctx: Context,
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        transport = SmtpTransport("127.0.0.1", port, None, None, starttls=False, timeout=5)

        async def turn_away() -> None:
            conn, _ = await asyncio.get_running_loop().sock_accept(busy)
            with conn:
                conn.sendall(b"421 4.3.2 service not available, closing\r\n")

        busy.setblocking(False)
        turned = asyncio.ensure_future(turn_away())
        report = await DeliveryService(ctx, transport).deliver()
        await turned

    assert report == DeliveryReport(waiting=1)
    queued = await only(ctx, cid)
    assert (queued.status, queued.attempts) == (MailStatus.QUEUED, 0)
    assert "421" in queued.last_error


async def test_limit_bounds_one_run_across_batches(ctx: Context, smtp: SmtpServer) -> None:
    cid = await candidate(ctx)
    await queue(ctx, *(mail(cid, f"due:{n}") for n in range(25)))
    service = DeliveryService(ctx, smtp.transport)

    assert await service.deliver(limit=23) == DeliveryReport(sent=23)
    assert await service.deliver(limit=23) == DeliveryReport(sent=2)

    assert len({r.message["Message-ID"] for r in smtp.handler.received}) == 25
    assert {q.status for q in await outbox(ctx, cid)} == {MailStatus.SENT}


@dataclass
class SlowTransport:
    """Takes three minutes per message, as a struggling server might."""

    clock: FixedClock
    sent: list[EmailMessage] = field(default_factory=list)

    async def send(self, message: EmailMessage) -> None:
        self.clock.advance(minutes=3)
        self.sent.append(message)


async def test_a_slow_run_hands_back_messages_before_their_lease_ends(
    ctx: Context, clock: FixedClock
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, *(mail(cid, f"due:{n}") for n in range(3)))
    transport = SlowTransport(clock)

    assert await DeliveryService(ctx, transport).deliver() == DeliveryReport(sent=1)

    first, *rest = await outbox(ctx, cid)
    assert first.status == MailStatus.SENT
    assert {q.status for q in rest} == {MailStatus.QUEUED}
    assert {q.attempts for q in rest} == {0}  # handed back unsent: no attempt was made
    assert await DeliveryService(ctx, transport).deliver() == DeliveryReport(sent=1)


@dataclass
class BrokenTransport:
    """A transport with a bug."""

    async def send(self, message: EmailMessage) -> None:
        raise RuntimeError("boom")


async def test_an_unexpected_transport_error_is_retried_and_the_run_goes_on(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid, "a"), mail(cid, "b"))

    report = await DeliveryService(ctx, BrokenTransport()).deliver()

    assert report == DeliveryReport(retried=2)
    assert {q.last_error for q in await outbox(ctx, cid)} == {"RuntimeError: boom"}
    assert "boom" in caplog.text


async def test_file_transport_writes_one_eml_per_message_idempotently(
    ctx: Context, tmp_path: Path
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid, "a"), mail(cid, "b"))
    folder = tmp_path / "mail" / "out"
    transport = FileTransport(folder)

    assert await DeliveryService(ctx, transport).deliver() == DeliveryReport(sent=2)

    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    parsed = [message_from_bytes(f.read_bytes(), policy=default) for f in files]
    assert {p["Message-ID"] for p in parsed} == {q.message_id for q in await outbox(ctx, cid)}
    for message in parsed:
        assert message["Subject"] == SUBJECT
        assert message.get_content().splitlines() == BODY.splitlines()
        assert message["Auto-Submitted"] == "auto-generated"

    # A sender that dies after writing sends again: the same file is replaced, not duplicated.
    again = parsed[0]
    await transport.send(again)
    assert sorted(folder.iterdir()) == files


async def test_file_transport_reports_an_unwritable_folder_as_temporary(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    message = EmailMessage()
    message["Message-ID"] = "<x@example.jp>"
    message.set_content("本文")

    with pytest.raises(TemporaryFailure, match="cannot write"):
        await FileTransport(blocker / "mail").send(message)


async def test_a_server_that_never_greets_counts_as_unreachable() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        transport = SmtpTransport("127.0.0.1", port, None, None, starttls=False, timeout=0.3)
        message = EmailMessage()
        message["From"] = "mimamori@localhost"
        message["To"] = RECIPIENT
        message.set_content("本文")

        with pytest.raises(ServerUnreachable, match=r"(?i)timed out"):
            await transport.send(message)


def test_transport_follows_the_settings(tmp_path: Path) -> None:
    smtp = transport_from_settings(
        Settings(smtp_host="mail.example.jp", smtp_port=2525, smtp_starttls=False)
    )
    files = transport_from_settings(Settings(mail_dir=tmp_path))

    assert isinstance(smtp, SmtpTransport)
    assert (smtp.host, smtp.port, smtp.starttls) == ("mail.example.jp", 2525, False)
    assert isinstance(files, FileTransport)
    assert files.folder == tmp_path


async def test_a_message_whose_senders_keep_dying_is_given_up(
    ctx: Context, clock: FixedClock, smtp: SmtpServer
) -> None:
    cid = await candidate(ctx)
    await queue(ctx, mail(cid))
    for _ in range(6):  # six senders claim it and die mid-attempt
        async with writing(ctx.db) as uow:
            await uow.outbox.claim(clock.now(), timedelta(minutes=5), 10)
        clock.advance(minutes=6)

    assert await DeliveryService(ctx, smtp.transport).deliver() == DeliveryReport(failed=1)

    assert smtp.handler.received == []
    queued = await only(ctx, cid)
    assert queued.status == MailStatus.FAILED
    assert queued.last_error == "gave up after 6 attempts: the sender stopped mid-attempt"

"""A real SMTP server on loopback (aiosmtpd) for tests: scripted replies, recorded mail."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from engine.mail import SmtpTransport


@dataclass
class Received:
    """One message the server accepted."""

    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class ScriptedHandler:
    """An aiosmtpd handler that answers DATA (or RCPT) from a script, then accepts and records."""

    data_replies: list[str] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    stall_seconds: float = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.stall_seconds:
            # A server that hangs mid-conversation: the message itself is never sent.
            await asyncio.sleep(self.stall_seconds)
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 OK"


@dataclass
class SmtpServer:
    """A running loopback SMTP server and a transport pointed at it."""

    handler: ScriptedHandler
    port: int

    @property
    def transport(self) -> SmtpTransport:
        return SmtpTransport("127.0.0.1", self.port, None, None, starttls=False, timeout=5)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """aiosmtpd on 127.0.0.1, in its own thread, stopped after the test."""
    handler = ScriptedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(handler, controller.port)
    finally:
        controller.stop()

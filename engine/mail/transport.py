"""Where messages go: an SMTP server, or ``.eml`` files in a folder when none is configured."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Protocol

import aiosmtplib

from engine.config import Settings
from engine.mail.errors import (
    DeliveryError,
    PermanentFailure,
    ServerUnreachable,
    TemporaryFailure,
)


class Transport(Protocol):
    """Hands a message over, or raises TemporaryFailure or PermanentFailure."""

    async def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` to the recipients in its headers."""
        ...


class SmtpTransport:
    """Delivery through an SMTP server, one connection per message."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        starttls: bool,
        timeout: float = 30,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        """Deliver ``message``; the server's reply decides whether a failure is temporary."""
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                start_tls=self.starttls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPConnectError as exc:
            # Refused, unreachable, timed out or turned away at the greeting (421).
            raise ServerUnreachable(
                f"no connection to {self.host}:{self.port}: {_text(exc)}"
            ) from exc
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise _refused(exc.recipients) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            # A wrong password fails every message alike: keep them queued while it is fixed.
            raise TemporaryFailure(f"authentication failed: {_reply(exc)}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _by_code(exc.code, _reply(exc)) from exc
        except TimeoutError as exc:  # SMTPTimeoutError and asyncio.TimeoutError alike
            raise TemporaryFailure(f"timed out talking to {self.host}:{self.port}") from exc
        except (aiosmtplib.SMTPServerDisconnected, OSError) as exc:
            # Lost mid-conversation: the message may be at fault, so this attempt counts.
            raise TemporaryFailure(
                f"connection to {self.host}:{self.port} lost: {_text(exc)}"
            ) from exc
        except aiosmtplib.SMTPException as exc:
            # E.g. STARTTLS or AUTH not offered: a setting to fix, not a fault of the message.
            raise TemporaryFailure(_text(exc)) from exc


class FileTransport:
    """Writes each message to ``<message-id>.eml`` in a folder; for the demo and development."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    async def send(self, message: EmailMessage) -> None:
        """Write the message; writing it again replaces the same file."""
        message_id = message["Message-ID"]
        if not message_id:
            raise PermanentFailure("the message has no Message-ID")
        path = self.folder / f"{_file_stem(str(message_id))}.eml"
        try:
            await asyncio.to_thread(_write_atomically, path, message.as_bytes(policy=SMTP))
        except OSError as exc:
            raise TemporaryFailure(f"cannot write {path}: {_text(exc)}") from exc


def transport_from_settings(settings: Settings) -> Transport:
    """SMTP when a host is configured, otherwise ``.eml`` files in ``mail_dir``."""
    if settings.smtp_host:
        return SmtpTransport(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_starttls,
        )
    return FileTransport(settings.mail_dir)


def _refused(recipients: list[aiosmtplib.SMTPRecipientRefused]) -> DeliveryError:
    reason = "; ".join(f"{_reply(r)} ({r.recipient})" for r in recipients)
    if recipients and all(400 <= r.code < 500 for r in recipients):
        return TemporaryFailure(reason)
    return _by_code(max((r.code for r in recipients), default=0), reason)


def _by_code(code: int, reason: str) -> DeliveryError:
    if 500 <= code < 600:
        return PermanentFailure(reason)
    # 4xx, and anything unexpected: another attempt costs little and may succeed.
    return TemporaryFailure(reason)


def _reply(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}".strip()


def _text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


_UNSAFE = re.compile(r"[^A-Za-z0-9._@+=-]")


def _file_stem(message_id: str) -> str:
    return _UNSAFE.sub("_", message_id.strip().strip("<>")).lstrip(".") or "message"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

"""Reading the mail the app wrote to its mail directory, as the recipient would."""

from __future__ import annotations

import asyncio
import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

LINK = re.compile(r"https?://\S+/(?:invitation|password/reset)/[A-Za-z0-9_-]+")


def messages_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    """Every message to ``address`` in the mail directory, oldest first."""
    if not mail_dir.exists():
        return []
    found = []
    for path in sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = message_from_bytes(path.read_bytes(), policy=default)
        if str(message["To"]) == address:
            found.append(message)
    return found  # type: ignore[return-value]


async def wait_for_mail(mail_dir: Path, address: str, count: int = 1) -> list[EmailMessage]:
    """The messages to ``address`` once there are ``count`` of them (the app sends them now)."""
    for _ in range(100):
        found = messages_to(mail_dir, address)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} message(s) to {address} expected, found {len(found)}")


def body_of(message: EmailMessage) -> str:
    """The plain-text body."""
    return message.get_content()


def link_in(message: EmailMessage) -> str:
    """The path (with its secret) of the set-a-password link in a message."""
    found = LINK.search(body_of(message))
    assert found, body_of(message)
    return "/" + found.group(0).split("/", 3)[3]

"""Outgoing e-mail as plain data: what to send, to whom, and where it stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MailKind(StrEnum):
    """Why a message is sent."""

    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"
    ACCOUNT = "account"
    """A notice about the recipient's own account (their password was changed)."""


SECRET_LINK_KINDS = frozenset({MailKind.INVITATION, MailKind.PASSWORD_RESET})
"""Messages whose body carries a secret link, removed from the outbox's copy once sent."""
_SECRET_LINK = re.compile(r"(/(?:invitation|password/reset)/)[A-Za-z0-9_-]+")


def without_secret_links(body: str) -> str:
    """``body`` with the secret of every set-a-password link replaced by a placeholder."""
    return _SECRET_LINK.sub(r"\1[removed after sending]", body)


class MailStatus(StrEnum):
    """Where a message stands in the outbox."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Mail:
    """One message to one recipient, as queued in the outbox."""

    dedupe_key: str
    kind: MailKind
    to_addr: str
    subject: str
    body: str
    user_id: int | None = None
    collaboration_id: int | None = None


@dataclass(frozen=True, slots=True)
class QueuedMail:
    """A message in the outbox, with its delivery state."""

    id: int
    message_id: str
    mail: Mail
    status: MailStatus
    attempts: int
    created_at: datetime
    last_error: str = ""

"""Outgoing e-mail as plain data: what to send, to whom, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MailKind(StrEnum):
    """Why a message is sent."""

    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"


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

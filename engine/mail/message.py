"""An outbox entry as an RFC 5322 message: stable Message-ID, Japanese text intact."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from engine.domain.mail import QueuedMail


def build_message(queued: QueuedMail, mail_from: str) -> EmailMessage:
    """The message to send for an outbox entry; identical on every attempt."""
    # The SMTP policy folds with CRLF and RFC 2047-encodes non-ASCII headers, so the
    # message needs no SMTPUTF8 support from the server.
    message = EmailMessage(policy=SMTP)
    message["From"] = mail_from
    message["To"] = queued.mail.to_addr
    message["Subject"] = queued.mail.subject
    message["Date"] = format_datetime(queued.created_at)
    # From the dedupe key, so a retried or re-sent notice is recognisably the same message.
    message["Message-ID"] = queued.message_id
    # RFC 3834: keeps vacation responders and Exchange auto-replies from answering.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(queued.mail.body, charset="utf-8")
    return message

"""Outgoing e-mail: building messages from the outbox and handing them to a transport.

Imports the standard library and aiosmtplib only; the store's delivery service
decides what to send and records the outcome.
"""

from engine.mail.errors import (
    DeliveryError,
    PermanentFailure,
    ServerUnreachable,
    TemporaryFailure,
)
from engine.mail.message import build_message
from engine.mail.transport import FileTransport, SmtpTransport, Transport, transport_from_settings

__all__ = [
    "DeliveryError",
    "FileTransport",
    "PermanentFailure",
    "ServerUnreachable",
    "SmtpTransport",
    "TemporaryFailure",
    "Transport",
    "build_message",
    "transport_from_settings",
]

"""Why a message could not be handed over.

DeliveryError
 ├── TemporaryFailure   worth another attempt later: 4xx replies, timeouts mid-message
 │    └── ServerUnreachable   the server took no message at all: down, refusing, not greeting
 └── PermanentFailure   will fail the same way again: 5xx replies, an unsendable message

``reason`` is short and human-readable ("550 5.1.1 mailbox unavailable"); it is
stored with the message and shown to coordinators.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A transport could not deliver a message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(DeliveryError):
    """The attempt failed for now; the same message may go through later."""


class ServerUnreachable(TemporaryFailure):
    """No conversation with the server: no message was at fault, so none loses an attempt."""


class PermanentFailure(DeliveryError):
    """The message will never go through as it is; retrying is pointless."""

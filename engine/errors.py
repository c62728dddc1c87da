"""The engine's error tree.

EngineError
 ├── NotFound            the record does not exist, or the caller may not see it
 ├── InvalidInput        user input failed validation; carries per-field messages
 ├── ConfigError         a setting has a bad value; the message names the variable
 ├── LoginRefused        wrong e-mail or password, or a disabled account
 ├── LoginThrottled      too many failed logins; carries the seconds to wait
 ├── StoreUnavailable    the database could not be reached, or the connection was cut
 └── WorkflowError
      ├── UnknownEvent   the workflow has no such event
      ├── EventNotAllowed  the event exists but not from the record's current state
      ├── GuardBlocked   the event is allowed from here but requirements are unmet
      └── VersionConflict  someone else changed the record since it was read

Messages carry gettext message ids plus parameters so every layer can show them
in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.i18n import N_

if TYPE_CHECKING:
    from engine.workflow.verdict import Requirement


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class NotFound(EngineError):
    """The record does not exist or is not visible to the caller."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class InvalidInput(EngineError):
    """Input failed validation; ``errors`` maps a field name to message ids."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class DuplicatePartner(InvalidInput):
    """A partner with the same normalised name is already in the network's list.

    ``matches`` are (id, name) pairs, for a link to each; saving anyway needs a
    confirmation.
    """

    def __init__(self, matches: list[tuple[int, str]]) -> None:
        super().__init__({"name": N_("A partner with a similar name is already registered.")})
        self.matches = matches


class ConfigError(EngineError):
    """A configuration value is missing or malformed."""


class StoreUnavailable(EngineError):
    """The database could not be reached, or the connection was cut during the work.

    A read can simply be tried again. A write may or may not have been committed
    when the connection broke: the record's version, read afresh, says which.
    """


class WorkflowError(EngineError):
    """A workflow refused an event."""


class UnknownEvent(WorkflowError):
    """The workflow defines no event with this name."""

    def __init__(self, workflow: str, event: str) -> None:
        super().__init__(f"workflow {workflow!r} has no event {event!r}")
        self.workflow = workflow
        self.event = event


class EventNotAllowed(WorkflowError):
    """The event exists but cannot be fired from the current state."""

    def __init__(self, event: str, state: str, allowed: tuple[str, ...]) -> None:
        super().__init__(
            f"event {event!r} is not allowed from state {state!r}; allowed: {', '.join(allowed)}"
        )
        self.event = event
        self.state = state
        self.allowed = allowed


class GuardBlocked(WorkflowError):
    """The event is possible from this state but some requirements are unmet."""

    def __init__(self, event: str, unmet: tuple[Requirement, ...]) -> None:
        super().__init__(f"event {event!r} is blocked: " + "; ".join(r.code for r in unmet))
        self.event = event
        self.unmet = unmet


class VersionConflict(WorkflowError):
    """The record changed since the caller read it."""

    def __init__(self, kind: str, key: object, expected: int, actual: int | None) -> None:
        super().__init__(
            f"{kind} {key!r} was changed by someone else "
            f"(you had version {expected}, it is now {actual})"
        )
        self.kind = kind
        self.key = key
        self.expected = expected
        self.actual = actual


class LoginRefused(EngineError):
    """Wrong e-mail or password, or a disabled account: deliberately not told apart."""

    def __init__(self) -> None:
        super().__init__("login refused")


class LoginThrottled(EngineError):
    """Too many failed logins for this account or from this client; try again later."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed logins; retry after {retry_after} s")


class LinkRefused(EngineError):
    """An invitation or password-reset link that cannot be used: ``problem`` says why."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"link refused: {problem}")


class ResetThrottled(EngineError):
    """Too many password-reset requests for this address or from this client."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many reset requests; retry after {retry_after} s")

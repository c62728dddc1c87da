"""What the running code is part of: one web request or one background job.

The web layer (or the worker) begins a Trace when a request (or job) starts;
log records and the audit writer read it from a context variable, so no
service call has to pass the request id along. Each request runs in its own
task, and asyncio copies the context into the tasks and threads it starts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

REQUEST_ID_MAX = 64
"""The longest request id accepted from a proxy (and the column holds 100 for job ids)."""
_SANE = re.compile(rf"[A-Za-z0-9._:+=/-]{{8,{REQUEST_ID_MAX}}}")


@dataclass(slots=True)
class Trace:
    """The request (or job) in hand; the web layer fills in the route and user as it learns them."""

    request_id: str
    route: str | None = None
    user_id: int | None = None
    job: str | None = None
    job_id: str | None = None


_current: ContextVar[Trace | None] = ContextVar("mimamori_trace", default=None)


def current() -> Trace | None:
    """The trace of the running request or job, if any."""
    return _current.get()


def current_request_id() -> str | None:
    """The id of the running request (``job:<id>`` in a job); None in a command."""
    trace = _current.get()
    return trace.request_id if trace is not None else None


@contextmanager
def traced(trace: Trace) -> Iterator[Trace]:
    """Run the block as part of ``trace``; the previous trace comes back afterwards."""
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)


def begin(trace: Trace) -> None:
    """Make ``trace`` current until the end of the running task (the worker's job hook)."""
    _current.set(trace)


def new_request_id() -> str:
    """A fresh request id: 32 hex digits."""
    return uuid.uuid4().hex


def sane_request_id(raw: str | None) -> str | None:
    """``raw`` if it is a plausible request id (8 to 64 letters, digits or ``._:+=/-``)."""
    if raw is None:
        return None
    raw = raw.strip()
    return raw if _SANE.fullmatch(raw) else None

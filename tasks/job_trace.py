"""Each arq job's log lines and audit entries carry the job's name and id.

arq runs every job in a task of its own: the start hook begins a trace there
(so arq's own start and end lines carry the id too), and the wrapper around
the job function adds the job's name. The audit entries a job writes get
``job:<arq job id>`` as their request id.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from engine import tracing

Job = Callable[..., Awaitable[Any]]


def _trace_of(ctx: dict[str, Any]) -> tracing.Trace:
    job_id = str(ctx.get("job_id", ""))
    trace = tracing.current()
    if trace is None or trace.job_id != job_id:
        trace = tracing.Trace(request_id=f"job:{job_id}"[:100], job_id=job_id)
        tracing.begin(trace)
    return trace


async def job_started(ctx: dict[str, Any]) -> None:
    """arq's on_job_start hook: the job's trace, current for the rest of its task."""
    _trace_of(ctx)


def traced_job(job: Job) -> Job:
    """``job`` (keeping its name for arq) running with its name on its trace."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        _trace_of(ctx).job = job.__name__
        return await job(ctx, *args, **kwargs)

    return run

"""Whether the worker's Redis answers, for the readiness probe (the app needs nothing else)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis
from redis.exceptions import RedisError

PROBE_SECONDS = 1.0


def redis_client(url: str | None) -> Redis | None:
    """A client for probing ``url`` (None without Redis), quick to give up."""
    if url is None:
        return None
    return Redis.from_url(url, socket_connect_timeout=PROBE_SECONDS, socket_timeout=PROBE_SECONDS)


async def redis_answer(client: Redis | None) -> str:
    """ "ok", "unreachable", or "not_configured" (the embedded mode, reminders in-process)."""
    if client is None:
        return "not_configured"
    try:
        await asyncio.wait_for(client.ping(), PROBE_SECONDS * 2)
    except (RedisError, OSError, TimeoutError):
        return "unreachable"
    return "ok"

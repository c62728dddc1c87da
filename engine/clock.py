"""Time for the engine: a clock to inject, and the date in Japan."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
"""Japan Standard Time, the zone every local date is taken in."""


class Clock(Protocol):
    """Anything that tells the current time."""

    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real clock: the only place that asks the system for the time."""

    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and replays."""

    def __init__(self, moment: datetime) -> None:
        self._moment = _as_utc(moment)

    def now(self) -> datetime:
        """The moment the clock is set to, in UTC."""
        return self._moment

    def advance(self, **delta: float) -> None:
        """Move the clock forward by timedelta(**delta); negative values move it back."""
        self._moment += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        """Set the clock to an aware moment."""
        self._moment = _as_utc(moment)


def monotonic() -> float:
    """Seconds on a clock that never goes back: for how long something took, not when."""
    return time.perf_counter()


@lru_cache(maxsize=256)  # guards ask it for the same "now" many times per request
def local_date(moment: datetime) -> date:
    """The calendar date in Japan at an aware moment."""
    return _require_aware(moment).astimezone(JST).date()


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: a timezone is required")
    return moment


def _as_utc(moment: datetime) -> datetime:
    return _require_aware(moment).astimezone(UTC)

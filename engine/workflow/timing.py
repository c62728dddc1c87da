"""Timing rules: a reminder or an escalation some time after or before an anchor date."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from engine.calendar import BusinessCalendar, add_months


class Kind(StrEnum):
    """Whether a rule nudges the owner or escalates to managers."""

    REMINDER = "reminder"
    ESCALATION = "escalation"


class Recipients(StrEnum):
    """Who a rule's notice goes to."""

    OWNER = "owner"
    MANAGERS = "managers"


@dataclass(frozen=True, slots=True)
class Offset:
    """A calendar distance; negative values reach back before the anchor."""

    days: int = 0
    months: int = 0

    def apply(self, anchor: date) -> date:
        """The anchor moved by this offset (months first, then days)."""
        return add_months(anchor, self.months) + timedelta(days=self.days)


@dataclass(frozen=True, slots=True)
class TimingRule:
    """A notice due at ``offset`` from each anchor date while the record is in ``states``.

    ``anchors`` reads the anchor dates from a snapshot (the day the state was
    entered, each checkpoint, the review date); ``settings_key`` names a network
    setting (in months) that replaces the default offset; ``done`` says the
    notice is no longer needed (the memo got signed, the meeting was logged).
    """

    name: str
    states: tuple[str, ...]
    kind: Kind
    recipients: Recipients
    message: str
    anchors: Callable[[Any], Iterable[date]]
    offset: Offset
    settings_key: str | None = None
    done: Callable[[Any, date], bool] | None = None

    def offset_for(self, settings: Mapping[str, int]) -> Offset:
        """The offset, with the network's setting applied when one is named."""
        if self.settings_key and self.settings_key in settings:
            return Offset(days=self.offset.days, months=settings[self.settings_key])
        return self.offset

    def due_dates(
        self,
        snapshot: Any,
        calendar: BusinessCalendar,
        settings: Mapping[str, int],
        today: date | None = None,
    ) -> tuple[tuple[date, date], ...]:
        """(anchor, due business day) pairs for every anchor still needing a notice.

        A notice ahead of a date (a negative offset) lapses once that date is
        before ``today``: there is nothing left to prepare for.
        """
        offset = self.offset_for(settings)
        ahead = offset.days < 0 or offset.months < 0
        pairs = []
        for anchor in self.anchors(snapshot):
            if self.done is not None and self.done(snapshot, anchor):
                continue
            if ahead and today is not None and anchor < today:
                continue
            raw = offset.apply(anchor)
            due = (
                calendar.next_business_day(raw)
                if offset.days >= 0 and offset.months >= 0
                else calendar.previous_business_day(raw)
            )
            pairs.append((anchor, due))
        return tuple(pairs)

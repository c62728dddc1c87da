"""Timing rules: a reminder or an escalation some time after or before an anchor date."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from engine.calendar import BusinessCalendar, add_months
from engine.i18n import N_


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
class Override:
    """A network's own offset or recipients for one timing rule (None keeps the default)."""

    days: int | None = None
    months: int | None = None
    recipients: Recipients | None = None


Settings = Mapping[str, "int | Override"]
"""A network's timing settings: month counts by settings key, overrides by rule name."""


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

    @property
    def ahead(self) -> bool:
        """True for a notice before its anchor (the review date, a checkpoint)."""
        return self.offset.days < 0 or self.offset.months < 0

    def offset_for(self, settings: Settings) -> Offset:
        """The offset after the network's settings: its named months, then its override."""
        months = self.offset.months
        if self.settings_key and isinstance(settings.get(self.settings_key), int):
            months = settings[self.settings_key]  # type: ignore[assignment]
        override = settings.get(self.name)
        if isinstance(override, Override):
            return Offset(
                days=self.offset.days if override.days is None else override.days,
                months=months if override.months is None else override.months,
            )
        return Offset(days=self.offset.days, months=months)

    def recipients_for(self, settings: Settings) -> Recipients:
        """Who gets the notice in a network: its override, else the rule's default."""
        override = settings.get(self.name)
        if isinstance(override, Override) and override.recipients is not None:
            return override.recipients
        return self.recipients

    def override_problem(self, override: Override) -> str | None:
        """Why an override cannot apply to this rule (a gettext message id), if it cannot."""
        offset = Offset(
            days=self.offset.days if override.days is None else override.days,
            months=self.offset.months if override.months is None else override.months,
        )
        if self.ahead and (offset.days > 0 or offset.months > 0 or offset == Offset()):
            return N_("This reminder comes before its date: give a negative number of days.")
        if not self.ahead and (offset.days < 0 or offset.months < 0):
            return N_("This reminder comes after its date: give a positive number of days.")
        return None

    def due_dates(
        self,
        snapshot: Any,
        calendar: BusinessCalendar,
        settings: Settings,
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

"""Japanese business days, month arithmetic, fiscal years and yearly date ranges.

Closed days are Saturdays, Sundays, Japanese national holidays (substitute
holidays included), the year-end closure from 29 December to 3 January, and any
extra days an office closes. The fiscal year starts on 1 April.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache

import holidays

YEAR_END_CLOSURE = "年末年始"
"""The name holiday_name gives to days of the year-end closure."""

MonthDay = tuple[int, int]
"""A (month, day) pair that recurs every year."""

_ONE_DAY = timedelta(days=1)


@cache
def _national_holidays(year: int) -> Mapping[date, str]:
    """Japanese national holidays of one year, with their Japanese names."""
    return dict(holidays.country_holidays("JP", years=year, language="ja"))


def _in_year_end_closure(d: date) -> bool:
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


class BusinessCalendar:
    """Which days a Japanese office is open, and counting in open days."""

    def __init__(self, extra_closed: Iterable[date] = ()) -> None:
        self._extra_closed = frozenset(extra_closed)

    def is_business_day(self, d: date) -> bool:
        """True when the office is open on d."""
        return (
            d.weekday() < 5
            and d not in self._extra_closed
            and not _in_year_end_closure(d)
            and d not in _national_holidays(d.year)
        )

    def holiday_name(self, d: date) -> str | None:
        """The national holiday on d, "年末年始" in the year-end closure, otherwise None."""
        name = _national_holidays(d.year).get(d)
        if name is None and _in_year_end_closure(d):
            return YEAR_END_CLOSURE
        return name

    def next_business_day(self, d: date, *, include_today: bool = True) -> date:
        """The first business day on or after d (strictly after, if not include_today)."""
        if not include_today:
            d += _ONE_DAY
        while not self.is_business_day(d):
            d += _ONE_DAY
        return d

    def previous_business_day(self, d: date, *, include_today: bool = True) -> date:
        """The last business day on or before d (strictly before, if not include_today)."""
        if not include_today:
            d -= _ONE_DAY
        while not self.is_business_day(d):
            d -= _ONE_DAY
        return d

    def add_business_days(self, d: date, n: int) -> date:
        """The n-th business day after d (before, if n < 0), not counting d; d itself if n == 0."""
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_business_day(d):
                remaining -= 1
        return d

    def business_days_between(self, a: date, b: date) -> int:
        """The number of business days in [a, b); zero when b <= a."""
        return sum(self.is_business_day(a + timedelta(days=i)) for i in range((b - a).days))


def _days_in_month(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - _ONE_DAY).day


def _clamped(year: int, month: int, day: int) -> date:
    """The date year-month-day, with day cut back to the month's last day."""
    return date(year, month, min(day, _days_in_month(year, month)))


def add_months(d: date, months: int) -> date:
    """d moved by whole months (back if negative), clamped to month end: 31 Jan + 1 -> 28 Feb."""
    index = d.year * 12 + d.month - 1 + months
    return _clamped(index // 12, index % 12 + 1, d.day)


def fiscal_year(d: date) -> int:
    """The Japanese fiscal year of d, named by the calendar year it starts in (April to March)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_start(fy: int) -> date:
    """1 April of fiscal year fy."""
    return date(fy, 4, 1)


def fiscal_year_end(fy: int) -> date:
    """31 March closing fiscal year fy, in calendar year fy + 1."""
    return date(fy + 1, 3, 31)


def in_month_day_range(d: date, start: MonthDay, end: MonthDay) -> bool:
    """True when d falls in the yearly range start..end inclusive, which may wrap the year end.

    (2, 29) stands for 28 February in years without a 29 February.
    """
    first, last = _clamped(d.year, *start), _clamped(d.year, *end)
    if start <= end:
        return first <= d <= last
    return d >= first or d <= last


def first_day_after_range(d: date, start: MonthDay, end: MonthDay) -> date:
    """The day after the end of the occurrence of the yearly range start..end that contains d."""
    if not in_month_day_range(d, start, end):
        raise ValueError(f"{d.isoformat()} is not within {start}..{end}")
    year = d.year
    if start > end and d >= _clamped(d.year, *start):
        year += 1
    return _clamped(year, *end) + _ONE_DAY

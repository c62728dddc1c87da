from datetime import date, timedelta

import pytest

from engine.calendar import (
    BusinessCalendar,
    add_months,
    first_day_after_range,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_start,
    in_month_day_range,
)

cal = BusinessCalendar()


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- closed days -----------------------------------------------------------------


def test_new_years_day_is_a_national_holiday_inside_the_year_end_closure():
    assert not cal.is_business_day(date(2026, 1, 1))
    assert cal.holiday_name(date(2026, 1, 1)) == "元日"


def test_year_end_closure_runs_from_29_december_to_3_january():
    for d in days(date(2025, 12, 29), date(2026, 1, 3)):
        assert not cal.is_business_day(d), d
    assert cal.holiday_name(date(2025, 12, 29)) == "年末年始"  # a Monday
    assert cal.holiday_name(date(2026, 1, 2)) == "年末年始"  # a Friday
    assert cal.is_business_day(date(2025, 12, 26))  # Friday before
    assert cal.is_business_day(date(2026, 1, 5))  # Monday after


def test_after_the_last_saturday_of_the_year_work_resumes_on_5_january():
    assert cal.next_business_day(date(2025, 12, 27)) == date(2026, 1, 5)


def test_golden_week_2026():
    assert cal.holiday_name(date(2026, 4, 29)) == "昭和の日"
    assert cal.holiday_name(date(2026, 5, 3)) == "憲法記念日"  # a Sunday
    assert cal.holiday_name(date(2026, 5, 4)) == "みどりの日"
    assert cal.holiday_name(date(2026, 5, 5)) == "こどもの日"
    assert cal.holiday_name(date(2026, 5, 6)) == "振替休日"  # substitute for 3 May
    open_days = [d for d in days(date(2026, 4, 27), date(2026, 5, 8)) if cal.is_business_day(d)]
    assert open_days == [
        date(2026, 4, 27),
        date(2026, 4, 28),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 5, 7),
        date(2026, 5, 8),
    ]
    assert cal.next_business_day(date(2026, 5, 2)) == date(2026, 5, 7)
    assert cal.previous_business_day(date(2026, 5, 6)) == date(2026, 5, 1)


def test_silver_week_2026_citizens_holiday_between_two_holidays():
    assert cal.holiday_name(date(2026, 9, 22)) == "国民の休日"
    assert cal.next_business_day(date(2026, 9, 19)) == date(2026, 9, 24)


def test_ordinary_days_have_no_holiday_name():
    assert cal.holiday_name(date(2026, 4, 28)) is None
    assert cal.holiday_name(date(2026, 4, 25)) is None  # a plain Saturday


def test_extra_closed_days():
    office = BusinessCalendar(extra_closed=[date(2026, 4, 30), date(2026, 5, 1)])
    assert not office.is_business_day(date(2026, 4, 30))
    assert office.holiday_name(date(2026, 4, 30)) is None
    assert office.next_business_day(date(2026, 4, 29)) == date(2026, 5, 7)
    assert cal.is_business_day(date(2026, 4, 30))  # other calendars are unaffected


# --- rolling -----------------------------------------------------------------------


def test_saturday_rolls_to_monday():
    assert cal.next_business_day(date(2026, 1, 17)) == date(2026, 1, 19)
    assert cal.previous_business_day(date(2026, 1, 17)) == date(2026, 1, 16)


def test_monday_holiday_rolls_to_tuesday():
    assert cal.holiday_name(date(2026, 1, 12)) == "成人の日"
    assert cal.next_business_day(date(2026, 1, 12)) == date(2026, 1, 13)
    assert cal.next_business_day(date(2026, 1, 9), include_today=False) == date(2026, 1, 13)


def test_include_today():
    friday = date(2026, 1, 16)
    assert cal.next_business_day(friday) == friday
    assert cal.next_business_day(friday, include_today=False) == date(2026, 1, 19)
    assert cal.previous_business_day(friday) == friday
    assert cal.previous_business_day(friday, include_today=False) == date(2026, 1, 15)
    assert cal.previous_business_day(date(2026, 1, 5), include_today=False) == date(2025, 12, 26)


# --- counting ----------------------------------------------------------------------


def test_add_business_days_across_the_year_end_closure():
    assert cal.add_business_days(date(2025, 12, 26), 1) == date(2026, 1, 5)
    assert cal.add_business_days(date(2025, 12, 25), 3) == date(2026, 1, 6)
    assert cal.add_business_days(date(2025, 12, 27), 1) == date(2026, 1, 5)  # from a Saturday


def test_add_business_days_backwards():
    assert cal.add_business_days(date(2026, 1, 5), -1) == date(2025, 12, 26)
    assert cal.add_business_days(date(2026, 5, 7), -2) == date(2026, 4, 30)
    assert cal.add_business_days(date(2026, 5, 7), -3) == date(2026, 4, 28)  # skips 昭和の日


def test_add_zero_business_days_is_the_same_day():
    assert cal.add_business_days(date(2026, 1, 17), 0) == date(2026, 1, 17)


def test_business_days_between_counts_the_half_open_range():
    assert cal.business_days_between(date(2026, 4, 1), date(2026, 5, 1)) == 21  # April 2026
    assert cal.business_days_between(date(2025, 12, 26), date(2026, 1, 6)) == 2
    assert cal.business_days_between(date(2026, 1, 5), date(2026, 1, 5)) == 0
    assert cal.business_days_between(date(2026, 1, 9), date(2026, 1, 5)) == 0


@pytest.mark.parametrize("n", [-25, -7, -1, 1, 2, 5, 40, 250])
def test_counting_undoes_adding(n):
    start = date(2025, 12, 26)
    end = cal.add_business_days(start, n)
    assert cal.is_business_day(end)
    if n > 0:
        assert cal.business_days_between(start, end) == n
    else:
        assert cal.business_days_between(end, start) == -n


# --- months and fiscal years -------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2025, 11, 30), 1, date(2025, 12, 30)),
    ],
)
def test_add_months_clamps_to_month_end(d, months, expected):
    assert add_months(d, months) == expected


def test_fiscal_year_turns_on_1_april():
    assert fiscal_year(date(2026, 3, 31)) == 2025
    assert fiscal_year(date(2026, 4, 1)) == 2026
    assert fiscal_year(date(2026, 1, 1)) == 2025
    assert fiscal_year(date(2026, 12, 31)) == 2026
    assert fiscal_year_start(2026) == date(2026, 4, 1)
    assert fiscal_year_end(2025) == date(2026, 3, 31)
    assert fiscal_year_end(2025) + timedelta(days=1) == fiscal_year_start(2026)


# --- recurring yearly ranges -------------------------------------------------------

WINTER = ((12, 1), (1, 15))


@pytest.mark.parametrize(
    ("d", "inside"),
    [
        (date(2025, 11, 30), False),
        (date(2025, 12, 1), True),
        (date(2025, 12, 31), True),
        (date(2026, 1, 1), True),
        (date(2026, 1, 15), True),
        (date(2026, 1, 16), False),
        (date(2026, 7, 1), False),
    ],
)
def test_range_wrapping_the_year_end(d, inside):
    assert in_month_day_range(d, *WINTER) is inside


def test_range_within_one_year():
    assert in_month_day_range(date(2026, 4, 1), (4, 1), (5, 31))
    assert in_month_day_range(date(2026, 5, 31), (4, 1), (5, 31))
    assert not in_month_day_range(date(2026, 3, 31), (4, 1), (5, 31))
    assert not in_month_day_range(date(2026, 6, 1), (4, 1), (5, 31))


def test_first_day_after_a_wrapping_range():
    assert first_day_after_range(date(2025, 12, 10), *WINTER) == date(2026, 1, 16)
    assert first_day_after_range(date(2026, 1, 10), *WINTER) == date(2026, 1, 16)
    assert first_day_after_range(date(2026, 1, 15), *WINTER) == date(2026, 1, 16)


def test_first_day_after_a_range_within_one_year():
    assert first_day_after_range(date(2026, 3, 15), (3, 1), (3, 31)) == date(2026, 4, 1)


def test_first_day_after_range_outside_the_range_is_an_error():
    with pytest.raises(ValueError, match="not within"):
        first_day_after_range(date(2026, 7, 1), *WINTER)


def test_29_february_in_ranges_means_28_february_in_common_years():
    february = ((2, 1), (2, 29))
    assert in_month_day_range(date(2025, 2, 28), *february)
    assert not in_month_day_range(date(2025, 3, 1), *february)
    assert first_day_after_range(date(2025, 2, 10), *february) == date(2025, 3, 1)
    assert first_day_after_range(date(2024, 2, 29), *february) == date(2024, 3, 1)

    leap_start = ((2, 29), (3, 10))
    assert in_month_day_range(date(2025, 2, 28), *leap_start)
    assert not in_month_day_range(date(2025, 2, 27), *leap_start)
    assert not in_month_day_range(date(2024, 2, 28), *leap_start)
    assert in_month_day_range(date(2024, 2, 29), *leap_start)

    winter = ((12, 1), (2, 29))
    assert in_month_day_range(date(2027, 2, 28), *winter)
    assert in_month_day_range(date(2028, 2, 29), *winter)
    assert not in_month_day_range(date(2027, 3, 1), *winter)
    assert first_day_after_range(date(2027, 12, 15), *winter) == date(2028, 3, 1)

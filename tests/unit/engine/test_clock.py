from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from engine.clock import JST, FixedClock, SystemClock, local_date


def test_system_clock_is_aware_utc():
    moment = SystemClock().now()
    assert moment.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=1)


def test_fixed_clock_stands_still_until_moved():
    clock = FixedClock(datetime(2026, 3, 31, 15, 30, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 3, 31, 15, 30, tzinfo=UTC)

    clock.advance(days=1, hours=2)
    assert clock.now() == datetime(2026, 4, 1, 17, 30, tzinfo=UTC)

    clock.advance(minutes=-30)
    assert clock.now() == datetime(2026, 4, 1, 17, 0, tzinfo=UTC)

    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2027, 1, 1, tzinfo=UTC)


def test_fixed_clock_reports_utc_for_a_japanese_time():
    clock = FixedClock(datetime(2026, 4, 1, 9, 0, tzinfo=JST))
    assert clock.now() == datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_fixed_clock_rejects_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        FixedClock(datetime(2026, 4, 1, 9, 0))
    clock = FixedClock(datetime(2026, 4, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="naive"):
        clock.set(datetime(2026, 4, 2))
    assert clock.now() == datetime(2026, 4, 1, tzinfo=UTC)


def test_local_date_is_the_date_in_japan():
    # 15:30 UTC on 31 March is 00:30 JST on 1 April: the new fiscal year has begun in Japan.
    assert local_date(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert local_date(datetime(2026, 3, 31, 14, 59, tzinfo=UTC)) == date(2026, 3, 31)
    new_york = timezone(timedelta(hours=-5))
    assert local_date(datetime(2025, 12, 31, 12, 0, tzinfo=new_york)) == date(2026, 1, 1)


def test_local_date_rejects_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2026, 3, 31, 15, 30))

"""Partner records: busy seasons and validation."""

from __future__ import annotations

from datetime import date

import pytest

from engine.domain.partner import BusySeason, Contact, Industry, Partner
from engine.errors import InvalidInput

YEAR_END = BusySeason((12, 1), (1, 10), "お歳暮と年末年始の配達")
SUMMER = BusySeason((7, 1), (8, 15), "お中元")


def _partner(**overrides) -> Partner:
    values = {
        "id": 1,
        "name": "さくら運輸",
        "industry": Industry.DELIVERY,
        "area": "北部地区",
        "busy_seasons": (YEAR_END, SUMMER),
    }
    return Partner(**{**values, **overrides})


def test_the_busy_season_a_day_falls_in_is_named():
    assert _partner().busy_season_on(date(2026, 12, 20)) == YEAR_END
    assert _partner().busy_season_on(date(2027, 1, 10)) == YEAR_END
    assert _partner().busy_season_on(date(2026, 8, 1)) == SUMMER
    assert _partner().busy_season_on(date(2026, 10, 1)) is None


def test_the_first_day_after_a_season_that_wraps_the_year_end():
    assert YEAR_END.first_day_after(date(2026, 12, 20)) == date(2027, 1, 11)
    assert YEAR_END.first_day_after(date(2027, 1, 5)) == date(2027, 1, 11)


def test_an_impossible_busy_season_and_a_blank_name_are_refused_per_field():
    bad = BusySeason((2, 30), (13, 1))
    with pytest.raises(InvalidInput) as invalid:
        _partner(name=" ", busy_seasons=(bad,), contacts=(Contact(""),)).validate()
    assert set(invalid.value.errors) == {
        "name",
        "busy_seasons.0.start",
        "busy_seasons.0.end",
        "contacts.0.name",
    }

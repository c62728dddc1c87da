"""Organisation names compared as a secretariat reads them."""

from __future__ import annotations

import pytest

from engine.domain.names import name_key
from engine.domain.partner import Industry, Partner
from engine.errors import InvalidInput


@pytest.mark.parametrize(
    "spelling",
    [
        "株式会社みどり商店",
        "（株）みどり商店",
        "(株)みどり商店",
        "㈱みどり 商店",
        "みどり商店　株式会社",
        "みどり・商店",
    ],
)
def test_the_spellings_of_one_company_share_a_key(spelling):
    assert name_key(spelling) == name_key("みどり商店") == "みどり商店"


def test_width_and_case_of_latin_letters_do_not_matter():
    assert name_key("ＪＡ みどり") == name_key("ja みどり") == "jaみどり"
    assert name_key("Midori Bank") == name_key("ＭＩＤＯＲＩ　ＢＡＮＫ")


def test_different_companies_keep_different_keys():
    assert name_key("みどり商店") != name_key("みどり薬局")
    assert name_key("特定非営利活動法人ささえあい") == name_key("NPO法人 ささえあい")


def _partner(**fields) -> Partner:
    return Partner(None, fields.pop("name", "みどり商店"), Industry.OTHER, "中央地区", **fields)


def test_a_name_that_is_only_a_legal_form_is_refused():
    with pytest.raises(InvalidInput) as error:
        _partner(name="株式会社").validate()
    assert set(error.value.errors) == {"name"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kana", "Midori"),
        ("phone", "電話してください"),
        ("website", "midori.example.jp"),
    ],
)
def test_bad_details_are_refused_by_field(field, value):
    with pytest.raises(InvalidInput) as error:
        _partner(**{field: value}).validate()
    assert set(error.value.errors) == {field}


def test_good_details_pass():
    _partner(
        kana="みどりしょうてん", phone="(0120) 12-3456", website="https://midori.example.jp/"
    ).validate()

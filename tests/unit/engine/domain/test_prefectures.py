"""The 47 prefectures: their JIS X 0401 codes, names, and reading what people type."""

from __future__ import annotations

import pytest

from engine.domain.prefectures import PREFECTURES, prefecture_code, prefecture_name
from engine.errors import InvalidInput
from tests.unit.conftest import make_network

# JIS X 0401, written out once more by hand (code and name side by side, as the
# standard lists them) so a slip in the table shows.
JIS_X_0401 = """
01 北海道 02 青森県 03 岩手県 04 宮城県 05 秋田県 06 山形県 07 福島県 08 茨城県
09 栃木県 10 群馬県 11 埼玉県 12 千葉県 13 東京都 14 神奈川県 15 新潟県 16 富山県
17 石川県 18 福井県 19 山梨県 20 長野県 21 岐阜県 22 静岡県 23 愛知県 24 三重県
25 滋賀県 26 京都府 27 大阪府 28 兵庫県 29 奈良県 30 和歌山県 31 鳥取県 32 島根県
33 岡山県 34 広島県 35 山口県 36 徳島県 37 香川県 38 愛媛県 39 高知県 40 福岡県
41 佐賀県 42 長崎県 43 熊本県 44 大分県 45 宮崎県 46 鹿児島県 47 沖縄県
"""


def test_the_table_holds_the_47_prefectures_in_code_order():
    assert len(PREFECTURES) == 47
    assert [p.code for p in PREFECTURES] == [f"{n:02d}" for n in range(1, 48)]
    assert len({p.ja for p in PREFECTURES}) == len({p.en for p in PREFECTURES}) == 47
    listed = JIS_X_0401.split()
    assert [(p.code, p.ja) for p in PREFECTURES] == list(
        zip(listed[::2], listed[1::2], strict=True)
    )


@pytest.mark.parametrize(
    ("code", "ja", "en"),
    [
        ("01", "北海道", "Hokkaido"),
        ("13", "東京都", "Tokyo"),
        ("26", "京都府", "Kyoto"),
        ("27", "大阪府", "Osaka"),
        ("28", "兵庫県", "Hyogo"),
        ("47", "沖縄県", "Okinawa"),
    ],
)
def test_a_code_is_shown_by_name_in_the_reader_s_language(code, ja, en):
    assert prefecture_name(code, "ja") == ja
    assert prefecture_name(code, "en") == en


def test_an_unknown_stored_value_is_shown_as_it_is():
    assert prefecture_name("ムー大陸", "ja") == "ムー大陸"
    assert prefecture_name("ムー大陸", "en") == "ムー大陸"
    assert prefecture_name("", "ja") == ""


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("13", "13"),
        ("1", "01"),
        ("01", "01"),
        ("１３", "13"),
        ("東京都", "13"),
        ("東京", "13"),
        ("東京 都", "13"),
        ("京都", "26"),
        ("京都府", "26"),
        ("大阪", "27"),
        ("北海道", "01"),
        ("鹿児島", "46"),
        ("徳島県", "36"),
        ("ＴＯＫＹＯ", "13"),
        ("Tokyo", "13"),
        ("tokyo", "13"),
        ("tokyo-to", "13"),
        ("Tokyo To", "13"),
        ("Kyoto-fu", "26"),
        ("Hyogo-ken", "28"),
        ("Osaka Prefecture", "27"),
        ("osaka-fu prefecture", "27"),
        ("Shizuoka Pref.", "22"),
        ("Hokkai-do", "01"),
        ("Tōkyō", "13"),
        ("Ōita", "44"),
        ("  沖縄県 ", "47"),
    ],
)
def test_what_people_type_is_read_as_a_code(text, code):
    assert prefecture_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0",
        "00",
        "48",
        "013",
        "北海",
        "ムー大陸",
        "架空県",
        "東",
        "to",
        "ken",
        "Edo",
        None,
    ],
)
def test_text_naming_no_prefecture_has_no_code(text):
    assert prefecture_code(text) is None


def test_a_network_needs_a_prefecture_code():
    make_network(prefecture="13").validate()
    for value in ("", "東京都", "Tokyo", "ムー大陸", "48"):
        with pytest.raises(InvalidInput) as refused:
            make_network(prefecture=value).validate()
        assert refused.value.errors == {"prefecture": "Choose a prefecture from the list."}

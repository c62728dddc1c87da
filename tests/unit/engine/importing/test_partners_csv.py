"""The partner-list reader on files written the way Excel and kintone write them."""

from __future__ import annotations

import pytest

from engine.domain.partner import Industry
from engine.importing.partners_csv import (
    ENCODING,
    NO_NAME,
    NOT_TEXT,
    WORKBOOK,
    FileRefused,
    parse,
)

ROWS = [
    ["事業者名", "フリガナ", "業種", "地区", "電話番号", "担当者名", "メールアドレス", "作成者"],
    [
        "株式会社みどり商店",
        "ﾐﾄﾞﾘｼｮｳﾃﾝ",
        "移動販売",
        "北地区",
        "０３-1234-5678",
        "木村",
        "k@example.jp",
        "x",
    ],
    ["あおば運輸", "", "宅配", "南地区", "", "", "", "x"],
]


def _csv(rows, sep=",", quote_all=False) -> str:
    cell = (lambda c: f'"{c}"') if quote_all else (lambda c: c)
    return "\r\n".join(sep.join(cell(c) for c in row) for row in rows) + "\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_csv(ROWS).encode("cp932"), "Shift_JIS"),  # Excel 「CSV (コンマ区切り)」
        (b"\xef\xbb\xbf" + _csv(ROWS).encode(), "UTF-8 (BOM)"),  # Excel 「CSV UTF-8」
        (_csv(ROWS, quote_all=True).encode(), "UTF-8"),  # kintone, every cell quoted
        (_csv(ROWS, sep="\t").encode("utf-16"), "UTF-16"),  # Excel 「Unicode テキスト」
    ],
)
def test_excel_and_kintone_files_are_read(data, encoding):
    read = parse(data)
    assert read.encoding == encoding
    assert read.unknown_columns == ("作成者",)
    first, second = read.rows
    assert (first.line, second.line) == (2, 3)
    assert first.partner.kana == "ミドリショウテン"  # half-width katakana made standard
    assert first.partner.phone == "03-1234-5678"
    assert first.partner.industry is Industry.SHOPPING_SUPPORT
    assert first.partner.contacts[0].email == "k@example.jp"
    assert second.partner.industry is Industry.DELIVERY


def test_tabs_and_english_headings_below_a_title_line():
    rows = [
        ["Partner list 2026"],
        ["Name", "Industry", "Area", "Website"],
        ["Aoba Taxi", "transport", "North", "https://aoba.example.jp"],
    ]
    read = parse(_csv(rows, sep="\t").encode())
    assert read.delimiter == "\t"
    assert read.rows[0].line == 3
    assert read.rows[0].partner.industry is Industry.TRANSPORT


def test_bad_rows_carry_their_line_and_reason_and_duplicates_are_errors():
    text = (
        '事業者名,業種,地区,メール\nA社,魚屋,北,\n"B社\n(本店)",銀行,,\n'
        "C社,銀行,南,not-mail\n(株)A社,銀行,北,\n"
    )
    rows = parse(text.encode()).rows
    by_line = {r.line: [p.describe("en") for p in r.problems] for r in rows}
    assert "Unknown industry “魚屋”" in by_line[2][0] and "Taxi / bus" in by_line[2][0]
    assert by_line[3] == ["Area: This field is required."]  # a cell over two lines
    assert any(p.startswith("E-mail:") for p in by_line[5])
    assert by_line[6] == [
        "Organisation name: The same partner as on line 2: each partner once per file."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), NOT_TEXT),
        (b"PK\x03\x04" + bytes(64), WORKBOOK),
        (bytes(range(256)) * 4, NOT_TEXT),
        ("住所,地区\n北,南\n".encode(), NO_NAME),
        # UTF-8 read as CP932 and saved again: mojibake
        (
            "事業者名,地区\nみどり商店,中央地区\nあおば運輸,北地区\n".encode()
            .decode("cp932", "ignore")
            .encode(),
            ENCODING,
        ),
        ("事業者名,地区\nみどり商店,中央地区\n".encode("euc-jp") + b"\xff\xfe\xfd", ENCODING),
    ],
)
def test_files_that_are_not_partner_lists_are_refused(data, message):
    with pytest.raises(FileRefused) as refused:
        parse(data)
    assert refused.value.problem.message == message


def test_ten_megabytes_of_one_line_is_refused_with_its_line_number():
    with pytest.raises(FileRefused) as refused:
        parse("事業者名,地区\n".encode() + b"x," * (5 * 1024 * 1024))
    assert "Line 2 is longer than" in refused.value.problem.describe("en")

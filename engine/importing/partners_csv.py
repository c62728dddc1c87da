"""A partner list in CSV, as Excel and kintone write it: decoded, split and checked row by row.

Accepted: UTF-8 with or without a byte-order mark, Shift_JIS (CP932, what
Japanese Excel writes as 「CSV (コンマ区切り)」) and UTF-16 with a byte-order mark
(Excel's 「Unicode テキスト」); commas or tabs; Japanese or English headings,
on the first line or below a title line or two. The file is refused whole,
with one message, when it cannot be a partner list: binary content, an
encoding that does not decode or decodes to mojibake, a line longer than
``MAX_LINE_CHARS``, no name or area column. Otherwise every row is checked on
its own and carries its problems, each with the line number in the file.

Pure: bytes in, records out. Whether a row matches a partner already in the
network's list is the use-case's question (engine.services.partner_import).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from engine.domain.names import name_key
from engine.domain.partner import INDUSTRY_LABELS, Contact, Industry, Partner
from engine.errors import InvalidInput
from engine.i18n import N_, translate, translations

MAX_LINE_CHARS = 65_536
"""A longer line is not a partner list (and would only cost memory to split)."""
HEADING_SEARCH_LINES = 10
"""How many non-empty lines may stand above the heading line (a title, a date)."""

NOT_TEXT = N_(
    "This is not a CSV file: it holds binary data, such as an image or a document. "
    "Choose the CSV file of the partner list."
)
WORKBOOK = N_(
    "This is an Excel workbook, not a CSV file. In Excel, save it as “CSV UTF-8” "
    "or “CSV (Comma delimited)” and choose that file."
)
ENCODING = N_(
    "The file's encoding could not be recognised; save it as CSV UTF-8 or CSV (Shift_JIS)."
)
EMPTY = N_("The file is empty.")
LINE_TOO_LONG = N_("Line {line} is longer than {limit} characters, so this is not a partner list.")
BROKEN = N_("Line {line} could not be read as CSV: check its quotation marks.")
NO_NAME = N_("The file has no column for the partner's name. Head it with one of: {headings}.")
NO_AREA = N_("The file has no column for the area. Head it with one of: {headings}.")
TWICE = N_("The columns “{first}” and “{second}” hold the same field: keep one of them.")
NO_ROWS = N_("The file has a heading line but no partners.")
UNKNOWN_INDUSTRY = N_("Unknown industry “{value}”. Use one of: {allowed}.")
DUPLICATE = N_("The same partner as on line {line}: each partner once per file.")
WITH_FIELD = N_("{field}: {problem}")

FIELD_LABELS = {
    "name": N_("Organisation name"),
    "kana": N_("Reading (kana)"),
    "industry": N_("Industry"),
    "area": N_("Area"),
    "address": N_("Address"),
    "phone": N_("Telephone"),
    "website": N_("Website"),
    "note": N_("Note"),
    "contact": N_("Contact person"),
    "title": N_("Job title"),
    "email": N_("E-mail"),
    "contact_phone": N_("Contact person's telephone"),
}
"""The columns the importer knows, by field, with the label shown for each."""

# Headings as people write them, compared after _heading_key (width, case, spaces,
# a bracketed remark such as 「（必須）」 folded).
HEADINGS: dict[str, tuple[str, ...]] = {
    "name": (
        "事業者名",
        "名称",
        "会社名",
        "企業名",
        "団体名",
        "法人名",
        "事業所名",
        "組織名",
        "name",
        "organisation",
        "organization",
        "company",
    ),
    "kana": (
        "よみがな",
        "ふりがな",
        "フリガナ",
        "ヨミガナ",
        "よみ",
        "読み",
        "読み仮名",
        "カナ",
        "kana",
        "reading",
    ),
    "industry": ("業種", "業態", "industry"),
    "area": ("地区", "エリア", "地域", "担当地区", "area", "district"),
    "address": ("住所", "所在地", "address"),
    "phone": ("電話", "電話番号", "代表電話", "tel", "phone", "telephone"),
    "website": ("ウェブサイト", "ホームページ", "url", "website", "web", "hp"),
    "note": ("備考", "メモ", "note", "notes", "memo", "remarks"),
    "contact": ("担当者", "担当者名", "連絡担当者", "contact", "contactname", "contactperson"),
    "title": ("役職", "肩書", "肩書き", "title", "jobtitle"),
    "email": ("メール", "メールアドレス", "電子メール", "email", "mail", "emailaddress"),
    "contact_phone": ("担当者電話", "担当者電話番号", "contactphone", "contacttelephone"),
}
# Words people use for an industry besides its label; the labels (Japanese and
# English, whole or each part of 「銀行・信用金庫」) and the enum values always match.
INDUSTRY_WORDS: dict[Industry, tuple[str, ...]] = {
    Industry.SHOPPING_SUPPORT: ("移動スーパー", "移動販売車"),
    Industry.BANK: ("信用組合", "金融機関", "信金"),
    Industry.DELIVERY: ("宅配便", "運輸", "運送", "物流"),
    Industry.CONVENIENCE_STORE: ("コンビニ",),
    Industry.NEWSPAPER: ("新聞", "新聞販売店"),
    Industry.PHARMACY: ("ドラッグストア",),
}
_SIGNATURES = (
    (b"PK\x03\x04", WORKBOOK),  # .xlsx (a zip archive)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", WORKBOOK),  # .xls
    (b"\x89PNG", NOT_TEXT),
    (b"\xff\xd8\xff", NOT_TEXT),
    (b"GIF8", NOT_TEXT),
    (b"%PDF", NOT_TEXT),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BRACKETED = re.compile(r"[(\[（【「<＜].*?[)\]）】」>＞]")
_HEADING_NOISE = re.compile(r"[\s_\-・*※:：]+")
_LABEL_PARTS = re.compile(r"\s*[・/／()（）]\s*")
# UTF-8 Japanese read as CP932: 縺 繧 繝 are the lead bytes of hiragana and katakana.
_CP932_MOJIBAKE = frozenset("縺繧繝")
# UTF-8 read as Latin-1 or Windows-1252 and saved again.
_LATIN_MOJIBAKE = re.compile(r"[\u00c2-\u00ef][\u0080-\u00bf\u0152-\u2122]")
# EUC-JP read as CP932: half-width 「｡｢｣､･」 where kana should be.
_HALFWIDTH_PUNCTUATION = re.compile(r"[\uff61-\uff65]")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, as a message id with parameters, about one field or the whole row.

    A parameter given as a tuple is a list of message ids, translated and joined.
    """

    message: str
    params: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    field: str = ""

    def describe(self, locale: str) -> str:
        """The problem in the reader's language, with the column's label when it has one."""
        joiner = "、" if locale == "ja" else ", "
        params = {
            key: joiner.join(translate(v, locale) for v in value)
            if isinstance(value, tuple)
            else value
            for key, value in self.params.items()
        }
        text = translate(self.message, locale, **params)
        if not self.field:
            return text
        label = translate(FIELD_LABELS.get(self.field, self.field), locale)
        return translate(WITH_FIELD, locale, field=label, problem=text)


class FileRefused(InvalidInput):
    """The file as a whole cannot be imported; ``problem`` says why."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__({"file": message})
        self.problem = Problem(message, params)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of partner data: its cells by field, the partner, or its problems."""

    line: int
    cells: Mapping[str, str]
    partner: Partner | None
    key: str
    """The normalised name, which duplicate detection compares."""
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class PartnerFile:
    """A decoded, split and checked partner list."""

    encoding: str
    delimiter: str
    columns: tuple[tuple[str, str], ...]
    """(heading as written, field) of the columns taken."""
    unknown_columns: tuple[str, ...]
    rows: tuple[Row, ...]

    @property
    def errors(self) -> tuple[Row, ...]:
        """The rows that cannot be imported."""
        return tuple(row for row in self.rows if row.problems)


def parse(data: bytes) -> PartnerFile:
    """Read a partner list; raises FileRefused when the file cannot be one."""
    text, encoding = decode(data)
    top = _top_lines(text)
    delimiter = "\t" if top.count("\t") > top.count(",") else ","
    records = _records(text, delimiter)
    _, headings = _heading(records)
    columns, unknown = _columns(headings)
    rows = _rows(records, columns)
    if not rows:
        raise FileRefused(NO_ROWS)
    taken = tuple((headings[i], name) for i, name in sorted(columns.items()))
    return PartnerFile(encoding, delimiter, taken, unknown, tuple(_mark_duplicates(rows)))


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the name of its encoding; FileRefused when it is not text."""
    if not data.strip():
        raise FileRefused(EMPTY)
    for signature, message in _SIGNATURES:
        if data.startswith(signature):
            raise FileRefused(message)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _strict(data, "utf-16", "UTF-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data, "utf-8-sig", "UTF-8 (BOM)")
    elif b"\x00" in data:
        raise FileRefused(NOT_TEXT)
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = _strict(data, "cp932", "Shift_JIS")
    if _CONTROL.search(text):
        raise FileRefused(NOT_TEXT)
    if looks_garbled(text):
        raise FileRefused(ENCODING)
    return text, encoding


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError:
        raise FileRefused(ENCODING) from None


_SUSPICIOUS = re.compile("[" + re.escape("".join(sorted(_CP932_MOJIBAKE))) + "]")


def looks_garbled(text: str) -> bool:
    """True for text that decoded, but as mojibake: characters that a wrong guess produces."""
    if "\ufffd" in text:
        return True
    # Counted by the C code of str.encode and re, not a loop over every character.
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return False
    suspicious = len(_SUSPICIOUS.findall(text))
    if suspicious >= 3 and suspicious * 20 >= non_ascii:
        return True
    if len(_LATIN_MOJIBAKE.findall(text)) >= 3:
        return True
    halfwidth = len(_HALFWIDTH_PUNCTUATION.findall(text))
    return halfwidth >= 3 and halfwidth * 10 >= non_ascii


def _top_lines(text: str) -> str:
    """The lines where the heading may be: they decide between commas and tabs."""
    return "\n".join(text[: MAX_LINE_CHARS * 2].split("\n", HEADING_SEARCH_LINES)[:-1] or [text])


def _lines(text: str) -> Iterator[str]:
    # newline="": the csv module sees \r\n itself, also inside a quoted cell.
    for number, line in enumerate(io.StringIO(text, newline=""), 1):
        if len(line) > MAX_LINE_CHARS:
            raise FileRefused(LINE_TOO_LONG, line=str(number), limit=f"{MAX_LINE_CHARS:,}")
        yield line


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of every record with something in it."""
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=False)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileRefused(BROKEN, line=str(start)) from None
        if any(cell.strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1


def _heading(records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The heading line: the first with a name column, among the first few lines."""
    for _ in range(HEADING_SEARCH_LINES):
        found = next(records, None)
        if found is None:
            break
        line, cells = found
        if any(_field_of(cell) == "name" for cell in cells):
            return line, [cell.strip() for cell in cells]
    raise FileRefused(NO_NAME, headings=_examples("name"))


def _columns(headings: list[str]) -> tuple[dict[int, str], tuple[str, ...]]:
    """The field of each known column by position, and the headings not understood."""
    columns: dict[int, str] = {}
    first_of: dict[str, str] = {}
    unknown = []
    for position, heading in enumerate(headings):
        name = _field_of(heading)
        if name is None:
            if heading:
                unknown.append(heading)
            continue
        if name in first_of:
            raise FileRefused(TWICE, first=first_of[name], second=heading)
        first_of[name] = heading
        columns[position] = name
    if "area" not in first_of:
        raise FileRefused(NO_AREA, headings=_examples("area"))
    return columns, tuple(unknown)


def _examples(name: str) -> str:
    """The usual headings of a column, Japanese then English, for a message."""
    words = HEADINGS[name]
    return ", ".join((*words[:3], next(w for w in words if w.isascii())))


def _heading_key(heading: str) -> str:
    folded = unicodedata.normalize("NFKC", heading).casefold()
    return _HEADING_NOISE.sub("", _BRACKETED.sub("", folded))


@cache
def _heading_index() -> dict[str, str]:
    return {_heading_key(h): name for name, words in HEADINGS.items() for h in words}


def _field_of(heading: str) -> str | None:
    return _heading_index().get(_heading_key(heading))


def _rows(records: Iterator[tuple[int, list[str]]], columns: dict[int, str]) -> list[Row]:
    rows = []
    for line, cells in records:
        values = dict.fromkeys(FIELD_LABELS, "")
        for position, name in columns.items():
            if position < len(cells):
                values[name] = cells[position].strip()
        rows.append(row_of(line, values))
    return rows


def row_of(line: int, cells: Mapping[str, str]) -> Row:
    """Check one row's cells (by field) and build its partner when they are fine."""
    problems = []
    industry = Industry.OTHER
    if written := cells.get("industry", ""):
        found = industry_of(written)
        if found is None:
            allowed = tuple(INDUSTRY_LABELS.values())
            problems.append(Problem(UNKNOWN_INDUSTRY, {"value": written, "allowed": allowed}))
        else:
            industry = found
    contact = cells.get("contact", "")
    details = (cells.get("title", ""), cells.get("email", ""), cells.get("contact_phone", ""))
    contacts = ()
    if contact or any(details):
        contacts = (Contact(contact, details[0], details[1], _nfkc(details[2])),)
    partner = Partner(
        id=None,
        name=cells.get("name", ""),
        industry=industry,
        area=cells.get("area", ""),
        note=cells.get("note", ""),
        contacts=contacts,
        kana=_nfkc(cells.get("kana", "")),
        address=cells.get("address", ""),
        phone=_nfkc(cells.get("phone", "")),
        website=cells.get("website", ""),
    )
    try:
        partner.validate()
    except InvalidInput as exc:
        problems.extend(Problem(m, field=_column_of(f)) for f, m in exc.errors.items())
    key = name_key(partner.name)
    if problems:
        return Row(line, cells, None, key, tuple(problems))
    return Row(line, cells, partner, key)


def _nfkc(value: str) -> str:
    """Full-width digits and half-width katakana, as older systems write them, made standard."""
    return unicodedata.normalize("NFKC", value)


def _column_of(partner_field: str) -> str:
    """The column a Partner.validate() field comes from: ``contacts.0.email`` → ``email``."""
    if partner_field.startswith("contacts."):
        last = partner_field.rsplit(".", 1)[1]
        return {"name": "contact", "phone": "contact_phone"}.get(last, last)
    return partner_field


@lru_cache(maxsize=256)  # a list names a handful of industries, row after row
def industry_of(written: str) -> Industry | None:
    """The industry a cell names: by its Japanese or English label, a part of one, or its value."""
    return _industry_index().get(_word_key(written))


def _word_key(word: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", word).casefold())


@cache
def _industry_index() -> dict[str, Industry]:
    japanese = translations("ja")
    index: dict[str, Industry] = {}
    for industry, label in INDUSTRY_LABELS.items():
        words = [industry.value, label, japanese.gettext(label), *INDUSTRY_WORDS.get(industry, ())]
        for word in list(words[1:3]):
            words.extend(part for part in _LABEL_PARTS.split(word) if part)
        for word in words:
            index.setdefault(_word_key(word), industry)
    return index


def _mark_duplicates(rows: list[Row]) -> Iterator[Row]:
    """The rows, the second and later occurrence of a name marked as an error."""
    first_line: dict[str, int] = {}
    for row in rows:
        key = row.key
        if key and key in first_line:
            duplicate = Problem(DUPLICATE, {"line": str(first_line[key])}, field="name")
            yield Row(row.line, row.cells, None, key, (*row.problems, duplicate))
            continue
        if key:
            first_line[key] = row.line
        yield row

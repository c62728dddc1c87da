"""The 47 prefectures (都道府県), stored by their JIS X 0401 code: "01" 北海道 ... "47" 沖縄県.

A network stores the two-digit code; pages show the name in the reader's
language. ``prefecture_code`` reads what people type and what older data holds
(東京, 東京都, Tokyo, tokyo-to, １３), so free text can be turned into a code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_JA_SUFFIXES = ("都", "府", "県")
# English suffixes people add; "-do" is not one: "Hokkai-do" folds to "hokkaido".
_EN_SUFFIX = re.compile(r"\s(prefecture|pref|metropolis|to|fu|ken)\.?$")
_SEPARATORS = re.compile(r"[\s\-_‐‑–—−]+")


@dataclass(frozen=True, slots=True)
class Prefecture:
    """A prefecture: its JIS X 0401 code and its Japanese and English names."""

    code: str
    ja: str
    en: str

    def name(self, locale: str) -> str:
        """The name in ``locale``: English for "en", Japanese otherwise."""
        return self.en if locale == "en" else self.ja


_NAMES = (
    ("北海道", "Hokkaido"),
    ("青森県", "Aomori"),
    ("岩手県", "Iwate"),
    ("宮城県", "Miyagi"),
    ("秋田県", "Akita"),
    ("山形県", "Yamagata"),
    ("福島県", "Fukushima"),
    ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"),
    ("埼玉県", "Saitama"),
    ("千葉県", "Chiba"),
    ("東京都", "Tokyo"),
    ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"),
    ("富山県", "Toyama"),
    ("石川県", "Ishikawa"),
    ("福井県", "Fukui"),
    ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"),
    ("岐阜県", "Gifu"),
    ("静岡県", "Shizuoka"),
    ("愛知県", "Aichi"),
    ("三重県", "Mie"),
    ("滋賀県", "Shiga"),
    ("京都府", "Kyoto"),
    ("大阪府", "Osaka"),
    ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"),
    ("鳥取県", "Tottori"),
    ("島根県", "Shimane"),
    ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"),
    ("山口県", "Yamaguchi"),
    ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"),
    ("高知県", "Kochi"),
    ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"),
    ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"),
    ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"),
    ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
)

PREFECTURES = tuple(
    Prefecture(f"{number:02d}", ja, en) for number, (ja, en) in enumerate(_NAMES, start=1)
)
"""The 47 prefectures in code order."""

BY_CODE = {p.code: p for p in PREFECTURES}


def _lookup() -> dict[str, str]:
    """Every accepted spelling (already folded) to its code."""
    found: dict[str, str] = {}
    for p in PREFECTURES:
        found[p.ja] = p.code
        # 東京 for 東京都; 北海道 keeps its 道, since 北海 alone is not a name anyone uses.
        if p.ja.endswith(_JA_SUFFIXES):
            found[p.ja[:-1]] = p.code
        found[p.en.casefold()] = p.code
    return found


_LOOKUP = _lookup()


def _fold(text: str) -> str:
    """Full-width to half-width (NFKC) and case folded; Latin text also loses its macrons."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    # Tōkyō, Ōita: without the macrons. Kana keep their marks (が is か with one).
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    return plain if plain.isascii() else folded


def prefecture_code(text: str | None) -> str | None:
    """The code of the prefecture ``text`` names (code, name, short or English name), or None."""
    folded = _fold(text or "")
    if folded.isdigit() and folded.isascii():
        code = f"{int(folded):02d}" if len(folded) <= 2 else ""
        return code if code in BY_CODE else None
    if folded.isascii():
        spaced = _SEPARATORS.sub(" ", folded).strip()
        while (shorter := _EN_SUFFIX.sub("", spaced)) != spaced:
            spaced = shorter
        return _LOOKUP.get(spaced.replace(" ", ""))
    return _LOOKUP.get(_SEPARATORS.sub("", folded))


def prefecture_name(code: str, locale: str) -> str:
    """The prefecture's name in ``locale``; the text itself when it is not a known code."""
    found = BY_CODE.get(code)
    return found.name(locale) if found is not None else code

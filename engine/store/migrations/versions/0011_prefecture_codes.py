"""prefecture codes: networks.prefecture holds the JIS X 0401 code ("13" for 東京都)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00

Free text made 「東京」, 「東京都」 and 「Tokyo」 three prefectures. Every value that
names one of the 47 (its code, its name with or without 都/府/県, full-width, or
its English name with an optional -to/-fu/-ken/Prefecture) becomes its code. A
value naming none is left exactly as it was: pages show it as it is and the
network's form asks for a choice on its next edit. The column stays String(20).
The downgrade turns codes back into the Japanese names.

The lookup is a copy, frozen here, rather than an import of
engine.domain.prefectures: what this migration did to one database it must do
to every other, whenever it runs, and ``prefecture_code`` may learn more
spellings later. The 47 names and their codes never change (the test compares
this copy with the table in the code).
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# (Japanese, English) in JIS X 0401 order: the code is the position, "01" to "47".
NAMES = (
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
CODES = {f"{n:02d}": ja for n, (ja, _) in enumerate(NAMES, start=1)}
EN_SUFFIX = re.compile(r"\s(prefecture|pref|metropolis|to|fu|ken)\.?$")
SEPARATORS = re.compile(r"[\s\-_‐‑–—−]+")


def _spellings() -> dict[str, str]:
    found = {}
    for n, (ja, en) in enumerate(NAMES, start=1):
        code = f"{n:02d}"
        found[ja] = found[en.casefold()] = code
        if ja[-1] in "都府県":  # 北海道 keeps its 道
            found[ja[:-1]] = code
    return found


SPELLINGS = _spellings()


def code_of(text: str) -> str | None:
    """The code of the prefecture ``text`` names, or None (as prefecture_code did in 0011)."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    folded = plain if plain.isascii() else folded
    if folded.isdigit() and folded.isascii():
        code = f"{int(folded):02d}" if len(folded) <= 2 else ""
        return code if code in CODES else None
    if folded.isascii():
        spaced = SEPARATORS.sub(" ", folded).strip()
        while (shorter := EN_SUFFIX.sub("", spaced)) != spaced:
            spaced = shorter
        return SPELLINGS.get(spaced.replace(" ", ""))
    return SPELLINGS.get(SEPARATORS.sub("", folded))


networks = sa.table("networks", sa.column("id"), sa.column("prefecture"))


def upgrade() -> None:
    conn = op.get_bind()
    for row in conn.execute(sa.select(networks.c.id, networks.c.prefecture)).all():
        code = code_of(row.prefecture)
        if code is not None and code != row.prefecture:
            conn.execute(
                networks.update().where(networks.c.id == row.id).values(prefecture=code)
            )


def downgrade() -> None:
    conn = op.get_bind()
    for code, name in CODES.items():
        conn.execute(
            networks.update().where(networks.c.prefecture == code).values(prefecture=name)
        )

"""Organisation names compared the way a secretariat reads them.

「株式会社みどり商店」, 「(株)みどり商店」, 「㈱みどり 商店」 and 「みどり商店」 are one
company to a person. The key folds what differs between such spellings: the
width of letters and digits (NFKC), spaces and middle dots, the case of Latin
letters, and the legal-form designators written before or after the name.
The name itself is stored as given; only the key is compared.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Longest first, so 「特定非営利活動法人」 is removed whole, not as 「法人」 leftovers.
_LEGAL_FORMS = sorted(
    (
        "株式会社",
        "有限会社",
        "合同会社",
        "合資会社",
        "合名会社",
        "一般社団法人",
        "公益社団法人",
        "一般財団法人",
        "公益財団法人",
        "社会福祉法人",
        "医療法人社団",
        "医療法人財団",
        "医療法人",
        "特定非営利活動法人",
        "NPO法人",
        "(株)",
        "(有)",
        "(同)",
        "(社)",
        "(財)",
        "(福)",
        "(医)",
        "(特非)",
    ),
    key=len,
    reverse=True,
)
_FORMS = re.compile("|".join(re.escape(f.casefold()) for f in _LEGAL_FORMS))
_IGNORED = re.compile(r"[\s・･.,、。]+")


@lru_cache(maxsize=4096)  # an import asks for each row's key several times in a row
def name_key(name: str) -> str:
    """The comparison key of an organisation's name; empty for a name of only a legal form."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = _IGNORED.sub("", folded)
    return _FORMS.sub("", folded)

"""Partner organisations: the companies a network collaborates with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from engine.calendar import first_day_after_range, in_month_day_range
from engine.domain.names import name_key
from engine.domain.validation import Errors
from engine.i18n import N_


class Industry(StrEnum):
    """Industries (業種) of watch-network partners named in the guidebook."""

    SHOPPING_SUPPORT = "shopping_support"
    BANK = "bank"
    COOP = "coop"
    POST = "post"
    DELIVERY = "delivery"
    INSURANCE = "insurance"
    CONVENIENCE_STORE = "convenience_store"
    TRANSPORT = "transport"
    UTILITY = "utility"
    NEWSPAPER = "newspaper"
    PHARMACY = "pharmacy"
    OTHER = "other"


INDUSTRY_LABELS = {
    Industry.SHOPPING_SUPPORT: N_("Mobile shopping support"),
    Industry.BANK: N_("Bank / credit union"),
    Industry.COOP: N_("Co-op"),
    Industry.POST: N_("Post office"),
    Industry.DELIVERY: N_("Home delivery"),
    Industry.INSURANCE: N_("Insurance"),
    Industry.CONVENIENCE_STORE: N_("Convenience store"),
    Industry.TRANSPORT: N_("Taxi / bus"),
    Industry.UTILITY: N_("Gas / electricity / water"),
    Industry.NEWSPAPER: N_("Newspaper delivery"),
    Industry.PHARMACY: N_("Pharmacy"),
    Industry.OTHER: N_("Other"),
}


@dataclass(frozen=True, slots=True)
class BusySeason:
    """A yearly busy period (繁忙期), as month/day bounds that may wrap the year end."""

    start: tuple[int, int]
    end: tuple[int, int]
    note: str = ""

    def contains(self, day: date) -> bool:
        """True when ``day`` falls inside this busy period."""
        return in_month_day_range(day, self.start, self.end)

    def first_day_after(self, day: date) -> date:
        """The first day after the occurrence of this period that contains ``day``."""
        return first_day_after_range(day, self.start, self.end)

    def validate_into(self, errors: Errors, prefix: str) -> None:
        """Add messages for impossible month/day bounds."""
        for name, (month, day) in (("start", self.start), ("end", self.end)):
            if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
                errors.add(f"{prefix}{name}", N_("Give a real month and day."))


_INDUSTRIES = frozenset(Industry)
"""The industries, which also match their values as plain strings."""
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000 ・ー]+")
WEBSITE = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Contact:
    """A person at the partner organisation."""

    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner organisation with its contacts and busy seasons."""

    id: int | None
    name: str
    industry: Industry
    area: str
    note: str = ""
    contacts: tuple[Contact, ...] = ()
    busy_seasons: tuple[BusySeason, ...] = field(default=())
    version: int = 1
    kana: str = ""
    """The reading (よみがな), for sorting and search."""
    address: str = ""
    phone: str = ""
    website: str = ""

    @property
    def key(self) -> str:
        """The normalised name that duplicate detection compares."""
        return name_key(self.name)

    def validate(self) -> None:
        """Raise InvalidInput for a missing name or area, a bad field or busy season."""
        errors = Errors()
        errors.text("name", self.name, limit=200)
        if self.name.strip() and not self.key:
            errors.add("name", N_("Give the organisation's name, not only its legal form."))
        errors.text("area", self.area, limit=100)
        errors.text("note", self.note, required=False)
        errors.text("address", self.address, required=False, limit=300)
        if self.kana and not KANA.fullmatch(self.kana):
            errors.add("kana", N_("Write the reading in hiragana or katakana."))
        errors.text("kana", self.kana, required=False, limit=200)
        errors.phone("phone", self.phone)
        if self.website and not WEBSITE.fullmatch(self.website):
            errors.add("website", N_("Give the address of a website, starting with https://."))
        errors.text("website", self.website, required=False, limit=300)
        if self.industry not in _INDUSTRIES:
            errors.add("industry", N_("Choose an industry from the list."))
        for i, contact in enumerate(self.contacts):
            errors.text(f"contacts.{i}.name", contact.name, limit=100)
            errors.text(f"contacts.{i}.title", contact.title, required=False, limit=100)
            errors.email(f"contacts.{i}.email", contact.email)
            errors.phone(f"contacts.{i}.phone", contact.phone)
        for i, season in enumerate(self.busy_seasons):
            season.validate_into(errors, f"busy_seasons.{i}.")
        errors.raise_if_any()

    def busy_season_on(self, day: date) -> BusySeason | None:
        """The busy season ``day`` falls in, if any."""
        for season in self.busy_seasons:
            if season.contains(day):
                return season
        return None

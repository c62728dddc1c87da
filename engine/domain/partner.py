"""Partner organisations: the companies a network collaborates with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from engine.calendar import first_day_after_range, in_month_day_range
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


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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

    def validate(self) -> None:
        """Raise InvalidInput for a missing name or area or a bad busy season."""
        errors = Errors()
        errors.text("name", self.name, limit=200)
        errors.text("area", self.area, limit=100)
        errors.text("note", self.note, required=False)
        if self.industry not in Industry.__members__.values():
            errors.add("industry", N_("Choose an industry from the list."))
        for i, contact in enumerate(self.contacts):
            errors.text(f"contacts.{i}.name", contact.name, limit=100)
        for i, season in enumerate(self.busy_seasons):
            season.validate_into(errors, f"busy_seasons.{i}.")
        errors.raise_if_any()

    def busy_season_on(self, day: date) -> BusySeason | None:
        """The busy season ``day`` falls in, if any."""
        for season in self.busy_seasons:
            if season.contains(day):
                return season
        return None

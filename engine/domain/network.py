"""The watch network (the municipality's council): the tenant."""

from __future__ import annotations

from dataclasses import dataclass

from engine.domain.validation import Errors
from engine.i18n import N_


@dataclass(frozen=True, slots=True)
class Network:
    """A municipality's watch network and its timing settings."""

    id: int | None
    name: str
    municipality: str
    prefecture: str
    approach_reminder_months: int = 2
    approach_escalation_months: int = 3
    version: int = 1

    def validate(self) -> None:
        """Raise InvalidInput for a missing name or an approach window outside 2-3 months."""
        errors = Errors()
        errors.text("name", self.name, limit=200)
        errors.text("municipality", self.municipality, limit=100)
        errors.text("prefecture", self.prefecture, limit=20)
        for field in ("approach_reminder_months", "approach_escalation_months"):
            if not 2 <= getattr(self, field) <= 3:
                errors.add(field, N_("The approach window is between 2 and 3 months."))
        if self.approach_reminder_months > self.approach_escalation_months:
            errors.add(
                "approach_reminder_months",
                N_("The reminder cannot come after the escalation."),
            )
        errors.raise_if_any()

    def timing_settings(self) -> dict[str, int]:
        """Network settings that timing rules may read."""
        return {
            "approach_reminder_months": self.approach_reminder_months,
            "approach_escalation_months": self.approach_escalation_months,
        }

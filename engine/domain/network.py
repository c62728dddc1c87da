"""The watch network (the municipality's council): the tenant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.domain.prefectures import BY_CODE
from engine.domain.validation import Errors
from engine.i18n import N_
from engine.workflow.timing import Override, Recipients

MAX_DAYS = 730
MAX_MONTHS = 36


@dataclass(frozen=True, slots=True)
class Network:
    """A municipality's watch network and its timing settings."""

    id: int | None
    name: str
    municipality: str
    prefecture: str
    """The prefecture's JIS X 0401 code ("13" for 東京都); see engine.domain.prefectures."""
    approach_reminder_months: int = 2
    approach_escalation_months: int = 3
    version: int = 1
    timing: Mapping[str, Override] = field(default_factory=dict)
    """The network's own offsets or recipients, by timing rule name."""

    def validate(self) -> None:
        """Raise InvalidInput for a missing name, an unknown prefecture code or an approach
        window outside 2-3 months."""
        errors = Errors()
        errors.text("name", self.name, limit=200)
        errors.text("municipality", self.municipality, limit=100)
        if self.prefecture not in BY_CODE:
            # Also what an old free-text value that no code was found for gets on its next edit.
            errors.add("prefecture", N_("Choose a prefecture from the list."))
        for name in ("approach_reminder_months", "approach_escalation_months"):
            if not 2 <= getattr(self, name) <= 3:
                errors.add(name, N_("The approach window is between 2 and 3 months."))
        for name, override in self.timing.items():
            if override.days is not None and not -MAX_DAYS <= override.days <= MAX_DAYS:
                errors.add(f"timing.{name}.days", N_("Give a number of days up to two years."))
            if override.months is not None and not -MAX_MONTHS <= override.months <= MAX_MONTHS:
                errors.add(
                    f"timing.{name}.months", N_("Give a number of months up to three years.")
                )
            if override.recipients is not None and override.recipients not in set(Recipients):
                errors.add(f"timing.{name}.recipients", N_("Choose who gets the reminder."))
        if self.approach_reminder_months > self.approach_escalation_months:
            errors.add(
                "approach_reminder_months",
                N_("The reminder cannot come after the escalation."),
            )
        errors.raise_if_any()

    def timing_settings(self) -> dict[str, int | Override]:
        """Network settings that timing rules read: the approach window and overrides."""
        return {
            "approach_reminder_months": self.approach_reminder_months,
            "approach_escalation_months": self.approach_escalation_months,
            **self.timing,
        }


def timing_to_json(timing: Mapping[str, Override]) -> dict[str, dict[str, object]]:
    """Overrides as stored: only the values a network changed."""
    return {
        name: {
            k: (str(v) if k == "recipients" else v)
            for k, v in (("days", o.days), ("months", o.months), ("recipients", o.recipients))
            if v is not None
        }
        for name, o in timing.items()
    }


def timing_from_json(raw: Mapping[str, Mapping[str, object]] | None) -> dict[str, Override]:
    """Overrides from their stored form."""
    return {
        name: Override(
            days=values.get("days"),  # type: ignore[arg-type]
            months=values.get("months"),  # type: ignore[arg-type]
            recipients=Recipients(values["recipients"]) if values.get("recipients") else None,
        )
        for name, values in (raw or {}).items()
    }

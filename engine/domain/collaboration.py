"""A collaboration between one network and one partner, and the records it accumulates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from engine.calendar import add_months
from engine.domain.network import Network
from engine.domain.partner import Partner
from engine.domain.validation import FUTURE, Errors
from engine.i18n import N_


class ActivityKind(StrEnum):
    """Kinds of contact: the approach steps and Stage 2 consultations."""

    PHONE = "phone"
    LETTER = "letter"
    VISIT = "visit"
    HEARING = "hearing"
    CONSULTATION = "consultation"


APPROACH_KINDS = frozenset({ActivityKind.PHONE, ActivityKind.LETTER, ActivityKind.VISIT})
FACE_TO_FACE = frozenset({ActivityKind.VISIT, ActivityKind.HEARING})


@dataclass(frozen=True, slots=True)
class Collaboration:
    """The state-bearing record: partner x network, owner and key dates."""

    id: int | None
    network_id: int
    partner_id: int
    state: str
    version: int
    owner_id: int | None
    state_entered_at: datetime
    created_at: datetime
    planner: str = ""
    cycle: int = 1
    last_activity_on: date | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One state change: who, when, from, to, by which event, and what the guards said."""

    collaboration_id: int
    version: int
    at: datetime
    actor_id: int | None
    actor_name: str
    event: str
    source: str
    dest: str
    comment: str
    checks: tuple[tuple[str, tuple[str, ...]], ...]
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """A logged contact or meeting; consultations carry agenda, minutes and decisions."""

    id: int | None
    collaboration_id: int
    kind: ActivityKind
    occurred_on: date
    summary: str
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""
    duration_minutes: int | None = None
    participants: str = ""
    created_by: int | None = None

    def validate(self, today: date) -> None:
        """Raise InvalidInput for a missing summary, a past-only kind in the future, etc."""
        errors = Errors()
        errors.text("summary", self.summary, limit=500)
        for name in ("agenda", "minutes", "decisions", "participants"):
            errors.text(name, getattr(self, name), required=False, limit=10000)
        if self.kind != ActivityKind.CONSULTATION:
            errors.not_future("occurred_on", self.occurred_on, today)
        if self.duration_minutes is not None and not 1 <= self.duration_minutes <= 600:
            errors.add("duration_minutes", N_("Give a duration between 1 and 600 minutes."))
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The three-level candidate assessment, each level rated 1-5."""

    overview_rating: int | None = None
    overview_note: str = ""
    management_rating: int | None = None
    management_note: str = ""
    field_rating: int | None = None
    field_note: str = ""
    contact_name: str = ""
    contact_title: str = ""
    version: int = 0

    @property
    def total(self) -> int | None:
        """The sum of the three ratings once all are given."""
        ratings = (self.overview_rating, self.management_rating, self.field_rating)
        return None if None in ratings else sum(ratings)  # type: ignore[arg-type]

    def validate(self) -> None:
        """Raise InvalidInput for ratings outside 1-5 (blank ratings may be saved as a draft)."""
        errors = Errors()
        for level in ("overview", "management", "field"):
            if getattr(self, f"{level}_rating") is not None:
                errors.rating(f"{level}_rating", getattr(self, f"{level}_rating"))
            errors.text(f"{level}_note", getattr(self, f"{level}_note"), required=False)
        errors.text("contact_name", self.contact_name, required=False, limit=100)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Memorandum:
    """The memorandum of understanding (覚書) signed by both decision makers."""

    signed_on: date | None = None
    municipality_signatory: str = ""
    partner_signatory: str = ""
    title: str = ""
    version: int = 0

    def validate(self, today: date) -> None:
        """Raise InvalidInput for a future signing date or over-long names."""
        errors = Errors()
        errors.not_future("signed_on", self.signed_on, today, required=False)
        errors.text(
            "municipality_signatory", self.municipality_signatory, required=False, limit=100
        )
        errors.text("partner_signatory", self.partner_signatory, required=False, limit=100)
        errors.text("title", self.title, required=False, limit=200)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Kpi:
    """A quantitative indicator with a unit and a target for the plan's term."""

    name: str
    unit: str
    target: float
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """An evaluation point inside the plan's term."""

    due_on: date
    label: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The collaboration plan of one cycle: benefits, roles, burden, KPIs, checkpoints, term."""

    cycle: int
    partner_benefit: str = ""
    municipality_benefit: str = ""
    partner_role: str = ""
    municipality_role: str = ""
    partner_burden: str = ""
    municipality_burden: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    kpis: tuple[Kpi, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    id: int | None = None
    version: int = 0

    def validate(self) -> None:
        """Raise InvalidInput for a term that ends before it starts or a malformed KPI."""
        errors = Errors()
        for name in (
            "partner_benefit",
            "municipality_benefit",
            "partner_role",
            "municipality_role",
            "partner_burden",
            "municipality_burden",
        ):
            errors.text(name, getattr(self, name), required=False, limit=5000)
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors.add("ends_on", N_("The end date must come after the start date."))
        for i, kpi in enumerate(self.kpis):
            errors.text(f"kpis.{i}.name", kpi.name, limit=200)
            errors.text(f"kpis.{i}.unit", kpi.unit, limit=30)
            if not kpi.target > 0:
                errors.add(f"kpis.{i}.target", N_("The target must be a number above zero."))
        for i, checkpoint in enumerate(self.checkpoints):
            errors.text(f"checkpoints.{i}.label", checkpoint.label, limit=200)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Measurement:
    """A measured KPI value for a period, reported by staff or by the partner."""

    kpi_id: int
    period_start: date
    period_end: date
    value: float
    note: str = ""
    source: str = "coordinator"
    id: int | None = None

    def validate(self, today: date) -> None:
        """Raise InvalidInput for a negative value or a period that is reversed or ahead."""
        errors = Errors()
        if self.value < 0:
            errors.add("value", N_("The value cannot be negative."))
        if self.period_end < self.period_start:
            errors.add("period_end", N_("The end date must come after the start date."))
        if self.period_start > today:
            errors.add("period_start", FUTURE)
        errors.text("note", self.note, required=False)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The evaluation of one cycle: the qualitative half (the figures are measurements)."""

    cycle: int
    evaluated_on: date | None = None
    went_well: str = ""
    to_improve: str = ""
    version: int = 0

    def validate(self, today: date) -> None:
        """Raise InvalidInput for a future evaluation date or over-long notes."""
        errors = Errors()
        errors.not_future("evaluated_on", self.evaluated_on, today, required=False)
        errors.text("went_well", self.went_well, required=False, limit=10000)
        errors.text("to_improve", self.to_improve, required=False, limit=10000)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Renewal:
    """The decision to continue for a term of 1 to 3 years, reviewed at its end."""

    cycle: int
    approved_on: date | None = None
    approved_by: str = ""
    term_years: int | None = None
    starts_on: date | None = None
    version: int = 0

    @property
    def review_on(self) -> date | None:
        """The review date: the renewal's start plus its term (the first day after the term)."""
        if self.starts_on is None or self.term_years is None:
            return None
        return add_months(self.starts_on, 12 * self.term_years)

    def validate(self, today: date) -> None:
        """Raise InvalidInput for a term outside 1-3 years or a future approval."""
        errors = Errors()
        if self.term_years is not None and not 1 <= self.term_years <= 3:
            errors.add("term_years", N_("The renewal term is 1 to 3 years."))
        errors.not_future("approved_on", self.approved_on, today, required=False)
        errors.text("approved_by", self.approved_by, required=False, limit=100)
        errors.raise_if_any()


class ApprovalKind(StrEnum):
    """Decisions that need a manager's approval record before the move."""

    MEMO = "memo"
    RENEWAL = "renewal"


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's approval of a decision, for one plan cycle."""

    kind: str
    cycle: int
    approved_by: int | None
    approver_name: str
    approved_at: datetime
    note: str = ""

    def validate(self) -> None:
        """Raise InvalidInput for an unknown kind or an overlong note."""
        errors = Errors()
        if self.kind not in ApprovalKind.__members__.values():
            errors.add("kind", N_("There is no such approval."))
        errors.text("note", self.note, required=False)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class Comment:
    """A message on a collaboration, from staff or from the partner through the portal."""

    collaboration_id: int
    author_id: int | None
    author_name: str
    at: datetime
    body: str
    from_partner: bool = False
    id: int | None = None

    def validate(self) -> None:
        """Raise InvalidInput for an empty or overlong comment."""
        errors = Errors()
        errors.text("body", self.body, limit=2000)
        errors.raise_if_any()


@dataclass(frozen=True, slots=True)
class CollaborationFile:
    """Everything the guards and timing rules look at, read in one go (the snapshot)."""

    collaboration: Collaboration
    partner: Partner
    network: Network
    activities: tuple[Activity, ...] = ()
    scorecard: Scorecard | None = None
    memorandum: Memorandum | None = None
    plan: Plan | None = None
    measurements: tuple[Measurement, ...] = ()
    evaluation: Evaluation | None = None
    renewal: Renewal | None = None
    approvals: tuple[Approval, ...] = ()

    def approval(self, kind: str) -> Approval | None:
        """The manager's approval of this kind for the current cycle, if given."""
        cycle = self.collaboration.cycle
        return next((a for a in self.approvals if a.kind == kind and a.cycle == cycle), None)

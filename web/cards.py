"""Pipeline cards as the board shows them: badges, time in stage and the moves on offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from engine.calendar import add_months
from engine.clock import local_date
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import N_
from engine.store.queries import CardExtras, CardRow
from workflows.collaboration import COLLABORATION, STAGE_LABELS, Stage

STALE_AFTER = timedelta(days=30)
RENEWAL_DUE_RULES = frozenset({"renewal_review_90", "renewal_review_30", "renewal_review_7"})
RENEWAL_OVERDUE_RULE = "renewal_review_overdue"
INDUSTRY_FALLBACK = N_("Other")


@dataclass(frozen=True, slots=True)
class Move:
    """An event a card's state offers, as a choice on the card."""

    event: str
    label: str
    dest: str
    dest_label: str
    needs_comment: bool


@dataclass(frozen=True, slots=True)
class Badge:
    """A short warning on a card: a css kind and a message id."""

    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Card:
    """One card: its row, what it warns about and where it may go."""

    row: CardRow
    badges: tuple[Badge, ...]
    days_in_stage: int
    moves: tuple[Move, ...]
    industry_label: str

    @property
    def destinations(self) -> str:
        """The states the card may be dropped on, space-separated (for a data attribute)."""
        return " ".join(m.dest for m in self.moves)


MOVES: dict[str, tuple[Move, ...]] = {
    state: tuple(
        Move(e.name, e.label, e.dest, STAGE_LABELS[Stage(e.dest)], e.needs_comment)
        for e in COLLABORATION.events_from(state)
    )
    for state in COLLABORATION.states
}


def badges(row: CardRow, extras: CardExtras, today: date) -> tuple[Badge, ...]:
    """The warnings a card carries today."""
    found: list[Badge] = []
    entered = local_date(row.state_entered_at)
    if row.state == Stage.APPROACHED:
        if today >= add_months(entered, row.approach_escalation_months):
            found.append(Badge("overdue", N_("Approach window passed")))
        elif today >= add_months(entered, row.approach_reminder_months):
            found.append(Badge("due", N_("Approach window running out")))
    rules = extras.due_rules.get(row.id, frozenset())
    if RENEWAL_OVERDUE_RULE in rules:
        found.append(Badge("overdue", N_("Renewal review overdue")))
    elif rules & RENEWAL_DUE_RULES:
        found.append(Badge("due", N_("Renewal review due")))
    last = max(row.last_activity_on or entered, entered)
    if row.state != Stage.WITHDRAWN and today - last >= STALE_AFTER:
        found.append(Badge("stale", N_("No activity for 30 days")))
    if any(s.contains(today) for s in extras.busy_seasons.get(row.partner_id, ())):
        found.append(Badge("busy", N_("Partner's busy season")))
    return tuple(found)


def card_of(row: CardRow, extras: CardExtras, today: date) -> Card:
    """A row with its badges, days in stage and moves."""
    return Card(
        row=row,
        badges=badges(row, extras, today),
        days_in_stage=(today - local_date(row.state_entered_at)).days,
        moves=MOVES[row.state],
        industry_label=INDUSTRY_LABELS.get(row.industry, INDUSTRY_FALLBACK),  # type: ignore[call-overload]
    )


def cards_of(rows: list[CardRow], extras: CardExtras, today: date) -> list[Card]:
    """Several rows as cards."""
    return [card_of(row, extras, today) for row in rows]

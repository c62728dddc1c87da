"""Pipeline cards as the board shows them: badges, time in stage and the moves on offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from engine.calendar import add_months
from engine.clock import local_date
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import N_, translate
from engine.store.queries import CardExtras, CardRow
from web.i18n import current_locale, local_day
from web.security import csrf_token_of
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
    next_due: str
    """The next due date in the reader's format, or empty."""

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
        next_due=_day(row.next_due_on, current_locale.get()) if row.next_due_on else "",
    )


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    # Formatting a date with babel costs more than the rest of a card; boards repeat dates.
    return local_day(value)


@cache
def labels(locale: str) -> dict[str, Any]:
    """Every fixed word a card shows, translated once per language rather than once per card."""

    def t(message: str) -> str:
        return translate(message, locale)

    return {
        "no_owner": t(N_("No owner")),
        "drag": t(N_("Drag to move")),
        "move_to": t(N_("Move to…")),
        "stage": t(N_("Stage")),
        "comment": t(N_("Comment")),
        "move": t(N_("Move")),
        "industries": {str(k): t(v) for k, v in INDUSTRY_LABELS.items()},
        "other_industry": t(INDUSTRY_FALLBACK),
        "moves": {
            state: [(m.event, m.dest, f"{t(m.dest_label)} ({t(m.label)})") for m in moves]
            for state, moves in MOVES.items()
        },
    }


def cards_of(rows: list[CardRow], extras: CardExtras, today: date) -> list[Card]:
    """Several rows as cards."""
    return [card_of(row, extras, today) for row in rows]


def card_context(scope: Any, can_move: bool) -> dict[str, Any]:
    """What _card.html needs besides the card: translated words, the CSRF token, move rights."""
    return {"t": labels(current_locale.get()), "csrf": csrf_token_of(scope), "can_move": can_move}

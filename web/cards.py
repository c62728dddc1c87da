"""Pipeline cards as the board shows them: badges, time in stage and the moves on offer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from engine.calendar import add_months
from engine.clock import local_date
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import N_, translate, translations
from engine.store.read.pipeline import CardRow
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
    moves: tuple[Move, ...]
    days_text: str
    """Time in the current stage, in the reader's language."""
    next_due_text: str
    """"Next due" with the date in the reader's format, or empty."""
    badge_texts: tuple[tuple[str, str], ...]
    """The badges as (css kind, translated text)."""

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


def badges(row: CardRow, today: date) -> tuple[Badge, ...]:
    """The warnings a card carries today."""
    found: list[Badge] = []
    entered = local_date(row.state_entered_at)
    if row.state == Stage.APPROACHED:
        if today >= add_months(entered, row.approach_escalation_months):
            found.append(Badge("overdue", N_("Approach window passed")))
        elif today >= add_months(entered, row.approach_reminder_months):
            found.append(Badge("due", N_("Approach window running out")))
    rules = row.open_rules
    if RENEWAL_OVERDUE_RULE in rules:
        found.append(Badge("overdue", N_("Renewal review overdue")))
    elif rules & RENEWAL_DUE_RULES:
        found.append(Badge("due", N_("Renewal review due")))
    last = max(row.last_activity_on or entered, entered)
    if row.state != Stage.WITHDRAWN and today - last >= STALE_AFTER:
        found.append(Badge("stale", N_("No activity for 30 days")))
    if any(s.contains(today) for s in row.busy_seasons):
        found.append(Badge("busy", N_("Partner's busy season")))
    return tuple(found)


def card_of(row: CardRow, today: date) -> Card:
    """A row with its badges, days in stage and moves, its words in the reader's language."""
    locale = current_locale.get()
    days = (today - local_date(row.state_entered_at)).days
    return Card(
        row=row,
        moves=MOVES[row.state],
        days_text=_days_text(days, locale),
        next_due_text=_next_due_text(row.next_due_on, locale) if row.next_due_on else "",
        badge_texts=tuple((b.kind, _text(b.label, locale)) for b in badges(row, today)),
    )


# A board repeats the same few values on hundreds of cards: each text is made
# once per value and language (gettext and babel's date formatting are the
# costly part of a card), not once per card.


@lru_cache(maxsize=4096)
def _days_text(days: int, locale: str) -> str:
    text = translations(locale).ngettext(
        "%(num)s day in this stage", "%(num)s days in this stage", days
    )
    return text % {"num": days}


@lru_cache(maxsize=4096)
def _next_due_text(value: date, locale: str) -> str:
    return translations(locale).gettext("Next due %(day)s") % {"day": local_day(value, locale)}


@lru_cache(maxsize=256)
def _text(message: str, locale: str) -> str:
    return translate(message, locale)


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
        # The <option>s of each state's "move to" list, escaped once here.
        "move_options": {
            state: Markup("").join(
                Markup('<option value="{}" data-dest="{}">{} ({})</option>').format(
                    m.event, m.dest, t(m.dest_label), t(m.label)
                )
                for m in moves
            )
            for state, moves in MOVES.items()
        },
    }


CARD_CACHE_SIZE = 4096
"""Rendered cards kept per process: about twenty boards of 200 cards (~1.3 kB each)."""


def card_renderer(env: Environment, size: int = CARD_CACHE_SIZE) -> Callable[..., Markup]:
    """``card_html(row, today, csrf, can_move)`` for templates: a card's HTML, remembered.

    A card's HTML is a pure function of its row (every column the card shows,
    its open due rules and busy seasons), the day, the reader's language, the
    page's CSRF token and the move right, so it is cached on exactly those: a
    card whose record, badges or date changes is a different key, never a
    stale answer. Boards are re-rendered over and over (filters, "load more",
    reloads) with most cards unchanged. ``size=0`` renders every time (for
    templates that reload while they are being edited).
    """
    article = env.get_template("_card.html").module.article  # type: ignore[attr-defined]

    @lru_cache(maxsize=size)
    def cached(row: CardRow, today: date, locale: str, csrf: str, can_move: bool) -> Markup:
        return Markup(article(card_of(row, today), labels(locale), csrf, can_move))

    def card_html(row: CardRow, today: date, csrf: str, can_move: bool) -> Markup:
        return cached(row, today, current_locale.get(), csrf, can_move)

    card_html.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return card_html


def card_context(scope: Any, can_move: bool) -> dict[str, Any]:
    """What _card.html needs besides the card: translated words, the CSRF token, move rights."""
    return {"t": labels(current_locale.get()), "csrf": csrf_token_of(scope), "can_move": can_move}

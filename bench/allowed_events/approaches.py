"""The two ways to list allowed moves: the engine's one Machine, and a Machine per card."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from transitions import Machine

from engine.domain.collaboration import (
    CollaborationFile,
)
from engine.workflow import Workflow
from workflows.collaboration import COLLABORATION


def ours(workflow: Workflow, files: Sequence[CollaborationFile], now: datetime) -> list:
    """The options of every record, from the shared per-state table."""
    return [workflow.options(f.collaboration.state, f, now) for f in files]


class Card:
    """The naive model: a record wrapper a per-record Machine attaches its triggers to."""

    def __init__(self, file: CollaborationFile, now: datetime) -> None:
        self.file = file
        self.now = now


def _condition(guard: Callable) -> Callable[[Card], bool]:
    def check(self: Card) -> bool:
        return not guard(self.file, self.now)

    return check


for _event in COLLABORATION.events.values():
    for _guard in _event.guards:
        setattr(Card, f"cond_{_guard.__name__}", _condition(_guard))

NAIVE_STATES = list(COLLABORATION.states)
NAIVE_TRANSITIONS = [
    {
        "trigger": e.name,
        "source": list(e.sources),
        "dest": e.dest,
        "conditions": [f"cond_{g.__name__}" for g in e.guards],
    }
    for e in COLLABORATION.events.values()
]
TRIGGERS = tuple(COLLABORATION.events)


def naive_machine(card: Card) -> Machine:
    """One Machine per record, started in the record's state (what STYLE.md forbids)."""
    return Machine(
        model=card,
        states=NAIVE_STATES,
        transitions=NAIVE_TRANSITIONS,
        initial=card.file.collaboration.state,
        auto_transitions=False,
    )


def naive_allowed(card: Card) -> tuple[str, ...]:
    """Ask the record's machine, trigger by trigger, whether it may fire now."""
    return tuple(t for t in TRIGGERS if getattr(card, f"may_{t}")())


def naive(cards: Sequence[Card]) -> list[tuple[Machine, tuple[str, ...]]]:
    """Build each record's machine and ask it about every trigger."""
    out = []
    for card in cards:
        machine = naive_machine(card)
        out.append((machine, naive_allowed(card)))
    return out

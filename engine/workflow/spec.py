"""A workflow is a table: states, events with sources and a destination, guards.

One ``transitions.Machine(model=None)`` per workflow validates the table once at
import; the per-state lookup is derived from that machine, so asking what a
record may do costs a dict lookup plus its guards, and nothing is attached to
records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from transitions import Machine

from engine.calendar import BusinessCalendar
from engine.errors import EventNotAllowed, GuardBlocked, UnknownEvent
from engine.i18n import N_
from engine.workflow.timing import Settings as TimingSettings
from engine.workflow.timing import TimingRule
from engine.workflow.verdict import PASS, Guard, Requirement, Verdict

logging.getLogger("transitions").setLevel(logging.WARNING)

COMMENT_REQUIRED = Requirement("comment.required", N_("Give a reason in the comment."))


@dataclass(frozen=True, slots=True)
class Event:
    """A named move from one of ``sources`` to ``dest``, allowed when every guard passes."""

    name: str
    sources: tuple[str, ...]
    dest: str
    label: str
    guards: tuple[Guard, ...] = ()
    needs_comment: bool = False
    effects: tuple[str, ...] = ()
    """Names of side effects the store applies when the event fires (e.g. a new cycle)."""


@dataclass(frozen=True, slots=True)
class GuardResult:
    """What one guard said when it was checked."""

    guard: str
    unmet: Verdict


@dataclass(frozen=True, slots=True)
class Option:
    """An event the record's state offers, with what still blocks it."""

    event: Event
    unmet: Verdict

    @property
    def allowed(self) -> bool:
        """True when nothing blocks the event."""
        return not self.unmet


def _check_table(name: str, states: tuple[str, ...], initial: str, events: tuple[Event, ...]):
    """Refuse a table with repeated names or moves to or from states it does not declare."""
    known = set(states)
    problems = []
    if len(known) != len(states):
        problems.append("a state is listed twice")
    if initial not in known:
        problems.append(f"initial state {initial!r} is not a state")
    seen: set[str] = set()
    for event in events:
        if event.name in seen:
            problems.append(f"event {event.name!r} is defined twice")
        seen.add(event.name)
        for state in (*event.sources, event.dest):
            if state not in known:
                problems.append(f"event {event.name!r} names unknown state {state!r}")
    if problems:
        raise ValueError(f"workflow {name!r}: " + "; ".join(problems))


class Workflow:
    """A lifecycle definition, built once per workflow and shared by all records."""

    def __init__(
        self,
        name: str,
        states: Iterable[str],
        initial: str,
        events: Iterable[Event],
        timing: Iterable[TimingRule] = (),
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        # Plain strings: transitions would name Enum members by their names, not values.
        self.states: tuple[str, ...] = tuple(str(s) for s in states)
        self.initial = str(initial)
        events = tuple(
            replace(e, sources=tuple(str(s) for s in e.sources), dest=str(e.dest)) for e in events
        )
        _check_table(name, self.states, self.initial, events)
        self.events: dict[str, Event] = {e.name: e for e in events}
        self.timing: tuple[TimingRule, ...] = tuple(timing)
        # gettext message ids naming each state for people; the state code otherwise.
        self.labels: dict[str, str] = {str(k): v for k, v in (labels or {}).items()}
        self.machine = Machine(
            model=None,
            states=list(self.states),
            initial=self.initial,
            transitions=[
                {"trigger": e.name, "source": list(e.sources), "dest": e.dest}
                for e in self.events.values()
            ],
            auto_transitions=False,
        )
        self._from_state = self._table_from_machine()

    def _table_from_machine(self) -> dict[str, tuple[Event, ...]]:
        table: dict[str, list[Event]] = {state: [] for state in self.states}
        for name, machine_event in self.machine.events.items():
            for source in machine_event.transitions:
                table[source].append(self.events[name])
        return {state: tuple(events) for state, events in table.items()}

    def due_dates(
        self,
        state: str,
        snapshot: Any,
        calendar: BusinessCalendar,
        settings: TimingSettings,
        today: date | None = None,
    ) -> tuple[tuple[TimingRule, date, date], ...]:
        """(rule, anchor, due day) for every timing rule active in ``state``."""
        return tuple(
            (rule, anchor, due)
            for rule in self.timing
            if state in rule.states
            for anchor, due in rule.due_dates(snapshot, calendar, settings, today)
        )

    def label(self, state: str) -> str:
        """The message id naming ``state`` for people (the code when none is declared)."""
        return self.labels.get(state, state)

    def events_from(self, state: str) -> tuple[Event, ...]:
        """The events the table offers from a state, guards not considered."""
        return self._from_state[state]

    def targets_from(self, state: str) -> tuple[str, ...]:
        """The states reachable from ``state`` in one event."""
        return tuple(e.dest for e in self._from_state[state])

    def resolve(self, state: str, event_name: str) -> Event:
        """The event by name, if the workflow has it and the state offers it."""
        event = self.events.get(event_name)
        if event is None:
            raise UnknownEvent(self.name, event_name)
        if event not in self._from_state[state]:
            raise EventNotAllowed(event_name, state, tuple(e.name for e in self._from_state[state]))
        return event

    def event_between(self, source: str, dest: str) -> Event | None:
        """The event that moves a record from ``source`` to ``dest``, if any."""
        for event in self._from_state[source]:
            if event.dest == dest:
                return event
        return None

    def check(
        self, event: Event, snapshot: Any, now: datetime, comment: str | None = None
    ) -> tuple[GuardResult, ...]:
        """Run every guard of ``event``; each result lists its unmet requirements."""
        results = tuple(GuardResult(g.__name__, g(snapshot, now)) for g in event.guards)
        if event.needs_comment and not (comment and comment.strip()):
            results += (GuardResult("comment_given", (COMMENT_REQUIRED,)),)
        return results

    def unmet(
        self, event: Event, snapshot: Any, now: datetime, comment: str | None = None
    ) -> Verdict:
        """All unmet requirements of ``event``, in guard order."""
        return tuple(
            r for result in self.check(event, snapshot, now, comment) for r in result.unmet
        )

    def options(self, state: str, snapshot: Any, now: datetime) -> tuple[Option, ...]:
        """Every event offered from ``state`` and, for each, what blocks it (comments aside)."""
        return tuple(
            Option(event, self._guards_unmet(event, snapshot, now))
            for event in self._from_state[state]
        )

    def _guards_unmet(self, event: Event, snapshot: Any, now: datetime) -> Verdict:
        unmet: Verdict = PASS
        for guard in event.guards:
            unmet += guard(snapshot, now)
        return unmet

    def decide(
        self, state: str, event_name: str, snapshot: Any, now: datetime, comment: str | None
    ) -> tuple[Event, tuple[GuardResult, ...]]:
        """Resolve and check an event; raise when it may not fire now."""
        event = self.resolve(state, event_name)
        results = self.check(event, snapshot, now, comment)
        unmet = tuple(r for result in results for r in result.unmet)
        if unmet:
            raise GuardBlocked(event.name, unmet)
        return event, results

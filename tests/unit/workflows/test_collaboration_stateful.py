"""A collaboration lived at random: records supplied (some of them wrong), events fired.

The machine keeps what a store would keep: the state, the version, the snapshot
the guards read and the history. Whatever the order of steps, the lifecycle's
promises hold: moves follow the table, each one is recorded once, a signed
memorandum stands behind every later stage, a renewal has a real term, and a
withdrawal always says why.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from engine.clock import local_date
from engine.domain.collaboration import (
    ActivityKind,
    Approval,
    ApprovalKind,
    Checkpoint,
    HistoryEntry,
    Kpi,
    Measurement,
)
from engine.errors import EventNotAllowed, GuardBlocked, UnknownEvent, VersionConflict
from engine.workflow import fire
from tests.unit.conftest import (
    EXPECTED_TABLE,
    NOW,
    activity,
    make_evaluation,
    make_file,
    make_memorandum,
    make_plan,
    make_renewal,
    make_scorecard,
)
from workflows.collaboration import COLLABORATION

ALL_EVENTS = (*COLLABORATION.events, "teleport")
SIGNED_STATES = frozenset({"memo_signed", "plan", "pilot", "evaluated", "renewed"})
MEMO_EDITABLE = frozenset({"candidate", "approached", "withdrawn"})
"""A signed memorandum is locked: it can be redrafted only before signing or after a withdrawal."""

COMMENTS = st.sampled_from(["", " ", "\t", "Partner stopped the route.", "理由: 繁忙期で継続困難"])

FLAWS: dict[str, tuple[str, ...]] = {
    "scorecard": ("unrated_overview", "unrated_field", "no_contact"),
    "hearing": ("in_future", "phone_instead"),
    "memorandum": ("no_date", "dated_ahead", "no_municipality", "no_partner"),
    "consultation": ("scheduled_only",),
    "planner": ("blank",),
    "plan": ("blank_benefit", "no_kpi", "no_unit", "reversed_term", "checkpoint_outside"),
    "measurements": ("one_missing",),
    "evaluation": ("blank_went_well", "blank_to_improve"),
    "renewal": ("term_0", "term_4", "no_term", "approval_ahead", "no_approval"),
    "memo_approval": ("missing", "other_kind"),
    "renewal_approval": ("missing", "last_cycle"),
}
"""Each record the lifecycle asks for, and the ways it can be filled in wrongly."""
RECORDS = tuple(FLAWS)

PATH = (
    ("approach", ("scorecard",)),
    ("sign_memo", ("hearing", "memorandum", "memo_approval")),
    ("start_planning", ("consultation", "planner")),
    ("start_pilot", ("plan",)),
    ("evaluate", ("measurements", "evaluation")),
    ("renew", ("renewal", "renewal_approval")),
)
"""The forward path and the records each step needs."""
NEEDS = {COLLABORATION.events[event].sources[0]: kinds for event, kinds in PATH}
"""The records the forward event of each state asks for."""


class CollaborationLifecycle(RuleBasedStateMachine):
    """One collaboration, from candidate onwards, kept in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.now = NOW
        self.state = "candidate"
        self.version = 1
        self.history: list[HistoryEntry] = []
        self.file = make_file("candidate", state_entered_at=NOW, created_at=NOW)

    # --- helpers ------------------------------------------------------------------

    @property
    def today(self) -> date:
        return local_date(self.now)

    def day(self, offset: int | None) -> date | None:
        return None if offset is None else self.today + timedelta(days=offset)

    def update(self, **changes) -> None:
        self.file = replace(self.file, **changes)

    def update_collaboration(self, **changes) -> None:
        self.update(collaboration=replace(self.file.collaboration, **changes))

    # --- time ---------------------------------------------------------------------

    @rule(days=st.integers(min_value=0, max_value=45))
    def let_time_pass(self, days):
        self.now += timedelta(days=days)

    # --- supplying records (sometimes wrong) ---------------------------------------

    @rule(data=st.data())
    def supply_records(self, data):
        """Fill in a random subset of records; each one may carry a flaw a guard must catch."""
        kinds = data.draw(st.lists(st.sampled_from(RECORDS), min_size=1, unique=True), "records")
        for kind in kinds:
            flaw = data.draw(st.one_of(st.none(), st.sampled_from(FLAWS[kind])), kind)
            self.supply(kind, flaw)

    @precondition(lambda self: self.state in NEEDS)
    @rule(data=st.data())
    def supply_what_the_next_step_needs(self, data):
        """A diligent coordinator: the records the next stage asks for, still sometimes wrong."""
        for kind in NEEDS[self.state]:
            self.supply(kind, data.draw(st.one_of(st.none(), st.sampled_from(FLAWS[kind])), kind))

    def supply(self, kind: str, flaw: str | None = None) -> None:
        """Write one record of ``kind``: correct, or wrong in the way ``flaw`` names."""
        getattr(self, f"_supply_{kind}")(flaw)

    def _supply_scorecard(self, flaw):
        card = make_scorecard()
        if flaw == "unrated_overview":
            card = replace(card, overview_rating=None)
        elif flaw == "unrated_field":
            card = replace(card, field_rating=None)
        elif flaw == "no_contact":
            card = replace(card, contact_name=" ")
        self.update(scorecard=card)

    def _log(self, kind: ActivityKind, occurred_on: date) -> None:
        self.update(activities=(*self.file.activities, activity(kind, occurred_on)))
        last = self.file.collaboration.last_activity_on
        self.update_collaboration(last_activity_on=max(filter(None, (last, occurred_on))))

    def _supply_hearing(self, flaw):
        if flaw == "phone_instead":
            self._log(ActivityKind.PHONE, self.today)
        else:
            self._log(ActivityKind.HEARING, self.day(3 if flaw == "in_future" else -1))

    def _supply_consultation(self, flaw):
        self._log(ActivityKind.CONSULTATION, self.day(7 if flaw == "scheduled_only" else 0))

    def _supply_memorandum(self, flaw):
        if self.state not in MEMO_EDITABLE:
            return
        memo = make_memorandum(signed_on=self.today)
        if flaw == "no_date":
            memo = replace(memo, signed_on=None)
        elif flaw == "dated_ahead":
            memo = replace(memo, signed_on=self.day(5))
        elif flaw == "no_municipality":
            memo = replace(memo, municipality_signatory="")
        elif flaw == "no_partner":
            memo = replace(memo, partner_signatory="  ")
        self.update(memorandum=memo)

    def _supply_planner(self, flaw):
        self.update_collaboration(planner="  " if flaw == "blank" else "佐藤 美咲")

    def _supply_plan(self, flaw):
        start, end = self.today, self.today + timedelta(days=180)
        kpis = (Kpi("Residents spoken to", "people", 200, 101), Kpi("Leaflets", "sheets", 500, 102))
        checkpoint = Checkpoint(start + timedelta(days=90), "中間確認")
        plan = make_plan(
            cycle=self.file.collaboration.cycle,
            starts_on=start,
            ends_on=end,
            kpis=kpis,
            checkpoints=(checkpoint,),
        )
        if flaw == "blank_benefit":
            plan = replace(plan, partner_benefit=" ")
        elif flaw == "no_kpi":
            plan = replace(plan, kpis=())
        elif flaw == "no_unit":
            plan = replace(plan, kpis=tuple(replace(k, unit="") for k in kpis))
        elif flaw == "reversed_term":
            plan = replace(plan, starts_on=end, ends_on=start)
        elif flaw == "checkpoint_outside":
            plan = replace(plan, checkpoints=(replace(checkpoint, due_on=end + timedelta(1)),))
        self.update(plan=plan, measurements=())

    def _supply_measurements(self, flaw):
        if self.file.plan is None:
            return
        kpis = self.file.plan.kpis[1:] if flaw == "one_missing" else self.file.plan.kpis
        start = self.file.plan.starts_on or self.today
        measured = tuple(Measurement(k.id, start, self.today, 12.0) for k in kpis)
        self.update(measurements=(*self.file.measurements, *measured))

    def _supply_evaluation(self, flaw):
        evaluation = make_evaluation(cycle=self.file.collaboration.cycle, evaluated_on=self.today)
        if flaw == "blank_went_well":
            evaluation = replace(evaluation, went_well="")
        elif flaw == "blank_to_improve":
            evaluation = replace(evaluation, to_improve=" ")
        self.update(evaluation=evaluation)

    def _supply_renewal(self, flaw):
        if self.state == "renewed":
            return
        renewal = make_renewal(
            cycle=self.file.collaboration.cycle, approved_on=self.today, starts_on=self.today
        )
        if flaw in ("term_0", "term_4"):
            renewal = replace(renewal, term_years=int(flaw[-1]))
        elif flaw == "no_term":
            renewal = replace(renewal, term_years=None)
        elif flaw == "approval_ahead":
            renewal = replace(renewal, approved_on=self.day(10))
        elif flaw == "no_approval":
            renewal = replace(renewal, approved_on=None)
        self.update(renewal=renewal)

    def _approve(self, kind: ApprovalKind, cycle: int) -> None:
        approval = Approval(kind, cycle, 2, "課長 高橋 誠", self.now)
        self.update(approvals=(*self.file.approvals, approval))

    def _supply_memo_approval(self, flaw):
        cycle = self.file.collaboration.cycle
        if flaw is None:
            self._approve(ApprovalKind.MEMO, cycle)
        elif flaw == "other_kind":
            self._approve(ApprovalKind.RENEWAL, cycle)

    def _supply_renewal_approval(self, flaw):
        cycle = self.file.collaboration.cycle
        if flaw is None:
            self._approve(ApprovalKind.RENEWAL, cycle)
        elif flaw == "last_cycle" and cycle > 1:
            self._approve(ApprovalKind.RENEWAL, cycle - 1)
        elif flaw == "last_cycle":
            self._approve(ApprovalKind.RENEWAL, 0)

    # --- firing events ------------------------------------------------------------

    @rule(event=st.sampled_from(ALL_EVENTS), comment=COMMENTS)
    def fire_any_event(self, event, comment):
        self.fire(event, comment)

    @rule(data=st.data(), comment=COMMENTS)
    def fire_an_offered_event(self, data, comment):
        """An event the state offers, leaning towards moving on so that runs get past the pilot."""
        offered = sorted(EXPECTED_TABLE[self.state])
        onward = [name for name in offered if name != "withdraw"]
        # Withdraw one time in six (when offered), move on otherwise.
        choices = [*onward * 5, "withdraw"] if "withdraw" in offered else onward
        event = data.draw(st.sampled_from(choices), label="event")
        self.fire(event, comment)

    @rule(event=st.sampled_from(ALL_EVENTS), behind=st.integers(min_value=1, max_value=3))
    def fire_with_a_stale_version(self, event, behind):
        before = (self.state, self.version, len(self.history))
        try:
            self.fire_at(event, "reason", expected_version=self.version - behind)
        except VersionConflict as error:
            assert (error.expected, error.actual) == (self.version - behind, self.version)
        else:
            raise AssertionError("a stale version fired")
        assert (self.state, self.version, len(self.history)) == before

    def fire_at(self, event: str, comment: str, expected_version: int):
        return fire(
            COLLABORATION,
            record_id=42,
            state=self.state,
            version=self.version,
            expected_version=expected_version,
            snapshot=self.file,
            event=event,
            now=self.now,
            actor_id=3,
            comment=comment,
        )

    def fire(self, event: str, comment: str) -> None:
        offered = EXPECTED_TABLE[self.state]
        needs_comment = event in COLLABORATION.events and COLLABORATION.events[event].needs_comment
        options = {o.event.name: o for o in COLLABORATION.options(self.state, self.file, self.now)}
        try:
            firing = self.fire_at(event, comment, expected_version=self.version)
        except UnknownEvent:
            assert event not in COLLABORATION.events
            return
        except EventNotAllowed as error:
            assert event in COLLABORATION.events
            assert event not in offered
            assert set(error.allowed) == set(offered)
            return
        except GuardBlocked as error:
            assert event in offered
            assert error.unmet
            assert not options[event].allowed or (needs_comment and not comment.strip())
            return

        assert event in offered
        assert options[event].allowed
        assert not needs_comment or comment.strip()
        assert (firing.source, firing.dest) == (self.state, offered[event])
        assert firing.version == self.version + 1
        self.history.append(
            HistoryEntry(
                collaboration_id=42,
                version=firing.version,
                at=firing.at,
                actor_id=3,
                actor_name="佐藤 美咲",
                event=firing.event,
                source=firing.source,
                dest=firing.dest,
                comment=firing.comment,
                checks=tuple((c.guard, tuple(r.code for r in c.unmet)) for c in firing.checks),
            )
        )
        self.state, self.version = firing.dest, firing.version
        self.update_collaboration(state=self.state, version=self.version, state_entered_at=self.now)
        if firing.event == "next_cycle":
            # A new cycle starts with a blank plan, figures, evaluation and renewal.
            self.update_collaboration(cycle=self.file.collaboration.cycle + 1)
            self.update(plan=None, measurements=(), evaluation=None, renewal=None)

    # --- invariants ---------------------------------------------------------------

    @invariant()
    def every_change_is_recorded_once(self):
        assert self.version == 1 + len(self.history)
        assert self.file.collaboration.version == self.version
        assert [entry.version for entry in self.history] == list(range(2, self.version + 1))

    @invariant()
    def the_state_only_moves_along_the_table(self):
        state = "candidate"
        for entry in self.history:
            assert entry.source == state
            assert EXPECTED_TABLE[state][entry.event] == entry.dest
            state = entry.dest
        assert state == self.state == self.file.collaboration.state

    @invariant()
    def a_signed_memorandum_stands_behind_every_later_stage(self):
        if self.state in SIGNED_STATES:
            memo = self.file.memorandum
            assert memo is not None
            assert memo.signed_on is not None
            assert memo.signed_on <= self.today
            assert memo.municipality_signatory.strip()
            assert memo.partner_signatory.strip()

    @invariant()
    def a_renewal_has_a_term_of_1_to_3_years(self):
        if self.state == "renewed":
            renewal = self.file.renewal
            assert renewal is not None
            assert renewal.term_years in (1, 2, 3)
            assert renewal.approved_on is not None

    @invariant()
    def a_withdrawal_always_gives_a_reason(self):
        for entry in self.history:
            if entry.dest == "withdrawn":
                assert entry.comment.strip()


CollaborationLifecycle.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=100,
    deadline=None,
    database=None,
)
TestCollaborationLifecycle = CollaborationLifecycle.TestCase


def check_invariants(machine: CollaborationLifecycle) -> None:
    machine.every_change_is_recorded_once()
    machine.the_state_only_moves_along_the_table()
    machine.a_signed_memorandum_stands_behind_every_later_stage()
    machine.a_renewal_has_a_term_of_1_to_3_years()
    machine.a_withdrawal_always_gives_a_reason()


def test_the_machine_walks_to_a_renewal_and_into_the_next_cycle():
    """The steps a random run takes, in the order a coordinator would take them."""
    machine = CollaborationLifecycle()
    for event, kinds in PATH:
        for kind in kinds:
            machine.supply(kind)
        machine.fire(event, "")
        machine.let_time_pass(30)
        check_invariants(machine)
    machine.fire("next_cycle", "")
    machine.fire("withdraw", "Not renewed by the partner.")
    machine.fire("reopen", "")
    check_invariants(machine)

    assert [entry.dest for entry in machine.history] == [
        "approached",
        "memo_signed",
        "plan",
        "pilot",
        "evaluated",
        "renewed",
        "plan",
        "withdrawn",
        "candidate",
    ]
    assert machine.version == 10
    assert machine.file.collaboration.cycle == 2
    assert machine.file.renewal is None


@pytest.mark.parametrize(
    ("kind", "flaw"), [(kind, flaw) for kind, flaws in FLAWS.items() for flaw in flaws]
)
def test_every_flaw_the_machine_can_supply_blocks_its_event(kind, flaw):
    """A flaw that no guard noticed would make the random runs prove less than they seem."""
    machine = CollaborationLifecycle()
    for event, kinds in PATH:
        for needed in kinds:
            machine.supply(needed, flaw if needed == kind else None)
        before = machine.state
        machine.fire(event, "")
        if kind in kinds:
            assert machine.state == before
            return
        assert machine.state != before
    raise AssertionError(f"{kind} is not on the path")

"""The demo dataset: seeded through the real services, consistent, and never seeded twice."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from engine.calendar import BusinessCalendar
from engine.clock import JST, FixedClock
from engine.domain.partner import Industry
from engine.domain.users import Actor
from engine.services import CollaborationService, Context, RecordService
from engine.store.database import Database
from engine.store.tables import (
    activities,
    audit_log,
    collaborations,
    evaluations,
    measurements,
    memoranda,
    metadata,
    networks,
    partners,
    renewals,
    users,
)
from engine.store.uow import reading
from mimamori.demo import DemoReport, seed_demo
from mimamori.demo.networks import NETWORKS, USERS
from mimamori.demo.partners import PARTNERS
from mimamori.demo.playbook import write_script
from mimamori.demo.script import Script
from mimamori.demo.stories import STORIES, Story
from workflows.collaboration import COLLABORATION

TODAY = date(2026, 4, 6)
CALENDAR = BusinessCalendar()


def midnight(today: date) -> datetime:
    """The start of the seeding day in Japan: nothing may happen from here on."""
    return datetime.combine(today, time(0, 0), JST)


async def _table_counts(db: Database) -> dict[str, int]:
    async with db.read() as conn:
        return {
            table.name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in metadata.sorted_tables
        }


async def _rows(db: Database, table, *where):
    async with db.read() as conn:
        return list(await conn.execute(select(table).where(*where)))


async def _assert_history_is_consistent(db: Database, today: date = TODAY) -> None:
    """Each history starts at the initial state and chains source to dest, version by version.

    Versions skip only where a planner was assigned: ``assign`` bumps the
    version without moving the state, so it leaves no history entry.
    """
    async with reading(db) as uow:
        for row in await _rows(db, collaborations):
            history = await uow.collaborations.history(row.id)
            assigns = [
                a
                for a in await uow.audit.for_entity("collaboration", row.id)
                if a.action == "collaboration.assign"
            ]
            if row.state == COLLABORATION.initial and not history:
                assert row.version == 1 + len(assigns)
                continue
            assert history[0].source == COLLABORATION.initial
            for before, after in pairwise(history):
                assert after.source == before.dest
                assert after.version > before.version
                assert after.at > before.at
            assert history[0].version == 2
            assert history[-1].dest == row.state
            versions = {h.version for h in history}
            skipped = set(range(2, row.version + 1)) - versions
            assert len(skipped) == len(assigns) <= 1
            assert row.version == 1 + len(history) + len(assigns)
            assert history[-1].at == row.state_entered_at
            assert history[-1].at < midnight(today)


async def _assert_nothing_is_dated_ahead(db: Database, today: date = TODAY) -> None:
    """Past facts lie before the seeding day, on business days; only meetings are ahead."""
    rows = await _rows(db, activities)
    for row in rows:
        if row.kind != "consultation":
            assert row.occurred_on < today, row.summary
        assert CALENDAR.is_business_day(row.occurred_on), (row.summary, row.occurred_on)
    ahead = [r for r in rows if r.occurred_on >= today]
    assert ahead  # a planning partner has its next meeting in the calendar
    assert len({r.collaboration_id for r in ahead}) == len(ahead)  # one scheduled meeting each
    assert all("予定" in r.summary for r in ahead)
    assert all(r.period_end < today for r in await _rows(db, measurements))
    assert all(r.signed_on is None or r.signed_on < today for r in await _rows(db, memoranda))
    assert all(r.evaluated_on < today for r in await _rows(db, evaluations))
    assert all(r.approved_on is None or r.approved_on < today for r in await _rows(db, renewals))
    assert all(r.at < midnight(today) for r in await _rows(db, audit_log))
    for row in await _rows(db, collaborations):
        assert row.created_at <= row.state_entered_at < midnight(today)
        assert row.last_activity_on < today


async def test_the_demo_walks_every_state_once_and_a_second_run_creates_nothing(db):
    report = await seed_demo(db, COLLABORATION, TODAY)

    assert report.counts() == {
        "networks": 2,
        "users": len(USERS),
        "partners": 30,
        "collaborations": len(STORIES),
        "resumed": 0,
        "existing": 0,
        "left_as_is": 0,
        "failed": 0,
    }
    assert set(report.collaborations) == set(COLLABORATION.states)
    assert sum(n >= 3 for n in report.collaborations.values()) >= 6  # several in most states
    assert any("32" in line for line in report.lines())

    rows = await _rows(db, collaborations)
    assert Counter(r.state for r in rows) == report.collaborations
    assert all(r.owner_id is not None for r in rows)
    assert {r.name for r in await _rows(db, networks)} == {n.name for n in NETWORKS}
    assert {r.email for r in await _rows(db, users)} == {u.email for u in USERS}
    assert all(r.email.endswith(".example.jp") for r in await _rows(db, users))
    partner_rows = await _rows(db, partners)
    assert len(partner_rows) == len(PARTNERS) == 30
    assert len({r.industry for r in partner_rows}) == len(Industry)
    await _assert_history_is_consistent(db)
    await _assert_nothing_is_dated_ahead(db)

    async with reading(db) as uow:
        withdrawn = [r for r in rows if r.state == "withdrawn"]
        reasons = {s.reason for s in STORIES if s.reason}
        for row in withdrawn:
            last = (await uow.collaborations.history(row.id))[-1]
            assert (last.event, last.comment in reasons) == ("withdraw", True)
        reopened = [r for r in rows if r.state == "candidate" and r.version > 1]
        assert reopened
        events = [h.event for h in await uow.collaborations.history(reopened[0].id)]
        assert events[-2:] == ["withdraw", "reopen"]
        due = [
            (r.rule, r.due_on) for row in rows for r in await uow.collaborations.due_items(row.id)
        ]
    # The board has something to chase: a closed approach window, a renewal review soon.
    assert any(rule == "approach_window_escalation" and on < TODAY for rule, on in due)
    assert any(rule == "approach_window_reminder" and on >= TODAY for rule, on in due)
    assert any(
        rule == "renewal_review_overdue" and TODAY <= on <= TODAY + timedelta(days=45)
        for rule, on in due
    )
    assert any(rule == "checkpoint_ahead" and on >= TODAY for rule, on in due)

    before = await _table_counts(db)
    again = await seed_demo(db, COLLABORATION, TODAY)
    assert (again.created, again.existing, again.steps) == (0, len(STORIES), 0)
    assert again.left_as_is == again.failed == []
    assert any("nothing to create" in line for line in again.lines())
    assert await _table_counts(db) == before


@pytest.mark.parametrize(
    "today", [date(2026, 12, 29), date(2027, 3, 31), date(2027, 4, 1), date(2028, 2, 29)]
)
async def test_the_demo_seeded_on_an_awkward_day_is_just_as_coherent(sqlite_db, today):
    report = await seed_demo(sqlite_db, COLLABORATION, today)
    assert report.counts()["failed"] == 0
    assert set(report.collaborations) == set(COLLABORATION.states)
    await _assert_history_is_consistent(sqlite_db, today)
    await _assert_nothing_is_dated_ahead(sqlite_db, today)


async def test_an_interrupted_run_is_completed_by_the_next_one(sqlite_db, monkeypatch):
    stories = [
        next(s for s in STORIES if s.partner == "shinkin_midori"),  # two cycles, 70+ steps
        next(s for s in STORIES if s.partner == "komorebi"),
        next(s for s in STORIES if s.partner == "unyu_midori"),
    ]
    calls = 0
    log_activity = RecordService.log_activity

    async def failing(self, activity, actor):
        nonlocal calls
        calls += 1
        if calls == 20:  # in the middle of the first story
            raise ConnectionError("the database went away")
        return await log_activity(self, activity, actor)

    monkeypatch.setattr(RecordService, "log_activity", failing)
    with pytest.raises(ConnectionError):
        await seed_demo(sqlite_db, COLLABORATION, TODAY, stories=stories)
    monkeypatch.setattr(RecordService, "log_activity", log_activity)
    halfway = await _rows(sqlite_db, collaborations)
    assert [r.state for r in halfway] == ["plan"]  # of the first cycle

    report = await seed_demo(sqlite_db, COLLABORATION, TODAY, stories=stories)

    assert report.networks == report.users == report.partners == []
    assert report.failed == report.left_as_is == []
    assert (report.existing, report.collaborations_created) == (0, 2)
    assert report.resumed == ["みどり市 / 架空信用金庫 みどり中央支店"]
    states = Counter(r.state for r in await _rows(sqlite_db, collaborations))
    assert states == Counter({"renewed": 1, "candidate": 1, "withdrawn": 1})
    await _assert_history_is_consistent(sqlite_db)
    third = await seed_demo(sqlite_db, COLLABORATION, TODAY, stories=stories)
    assert (third.created, third.existing) == (0, 3)


async def test_demo_collaborations_worked_on_by_hand_are_left_alone(sqlite_db, monkeypatch):
    fresh = next(s for s in STORIES if s.partner == "denki_midori")  # a candidate, one step
    drafted = next(s for s in STORIES if s.partner == "post_kita")  # created, then a scorecard
    save_scorecard = RecordService.save_scorecard

    async def interrupted(self, *args, **kwargs):
        raise ConnectionError("the database went away")

    await seed_demo(sqlite_db, COLLABORATION, TODAY, stories=[fresh])
    monkeypatch.setattr(RecordService, "save_scorecard", interrupted)
    with pytest.raises(ConnectionError):
        await seed_demo(sqlite_db, COLLABORATION, TODAY, stories=[drafted])
    monkeypatch.setattr(RecordService, "save_scorecard", save_scorecard)
    ctx = Context(sqlite_db, COLLABORATION, FixedClock(midnight(TODAY)))
    someone = Actor(None, "山田 花子")
    for row in await _rows(sqlite_db, collaborations):  # people pick both up
        await CollaborationService(ctx).fire(
            row.id, "withdraw", expected_version=1, actor=someone, comment="先方が辞退"
        )

    report = await seed_demo(sqlite_db, COLLABORATION, TODAY, stories=[fresh, drafted])

    assert (report.created, report.existing) == (0, 1)  # the fresh one was complete already
    assert report.left_as_is == ["みどり市 / みどり北郵便局"]  # no longer where the run stopped
    assert any("left as is" in line for line in report.lines())
    assert {r.state for r in await _rows(sqlite_db, collaborations)} == {"withdrawn"}


# The days a calendar bug would show on: the year-end closure and the first day after it, the
# fiscal year's last and first days, leap days, a holiday, a Monday after a holiday.
AWKWARD_DAYS = [
    date(2026, 12, 29),
    date(2026, 12, 31),
    date(2027, 1, 4),
    date(2027, 3, 31),
    date(2027, 4, 1),
    date(2024, 2, 29),
    date(2028, 2, 29),
    date(2025, 1, 1),
    date(2025, 5, 5),
    date(2025, 5, 7),
]


@pytest.mark.parametrize("today", [*AWKWARD_DAYS, TODAY])
def test_every_script_plans_the_same_steps_whatever_the_day_and_none_ahead(today):
    by_network = {n.key: n for n in NETWORKS}
    by_partner = {p.key: p for p in PARTNERS}

    def script(story: Story, day: date) -> Script:
        return write_script(
            story, by_network[story.network], by_partner[story.partner], COLLABORATION, day, 1
        )

    for story in STORIES:
        steps = script(story, today).steps
        assert [s.audit for s in steps] == [s.audit for s in script(story, TODAY).steps]
        days = [s.day for s in steps]
        assert days == sorted(days)
        assert days[-1] < today
        assert all(CALENDAR.is_business_day(d) for d in days), story.partner
        assert days[0] > today - timedelta(days=5 * 365)


def test_the_report_reads_well_when_nothing_was_created():
    report = DemoReport(TODAY, existing=32)
    assert report.created == 0
    assert report.lines()[1:] == [
        "  collaborations already present: 32",
        "  nothing to create: the demo data is already there",
        "  (0 service calls in 0.0 s)",
    ]

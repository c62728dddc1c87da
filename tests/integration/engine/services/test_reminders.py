"""The reminder scan on given dates: the right notice to the right people, exactly once."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from engine.clock import JST, FixedClock
from engine.domain.mail import MailKind
from engine.domain.network import Network
from engine.domain.partner import BusySeason, Contact, Industry, Partner
from engine.domain.reminders import DueStatus
from engine.domain.users import Actor, Role, User
from engine.errors import InvalidInput, NotFound
from engine.services import CollaborationService, Context, DirectoryService
from engine.services.reminders import ReminderService
from engine.store.database import Database
from engine.store.tables import audit_log, outbox
from engine.store.uow import reading
from tests.integration import builders
from tests.integration.builders import COORDINATOR

MIDORI = "みどり市見守りネットワーク"
YAMABIKO = "やまびこ村見守りネットワーク"


def at(clock: FixedClock, day: date) -> None:
    """Set the clock to 9:00 in Japan on ``day``."""
    clock.set(datetime.combine(day, time(9, 0), JST))


async def network(ctx: Context, name: str = MIDORI) -> int:
    """The id of the network with this name, created when missing."""
    async with reading(ctx.db) as uow:
        found = await uow.networks.by_name(name)
    if found is None:
        found = await DirectoryService(ctx).add_network(
            Network(None, name, name.removesuffix("見守りネットワーク"), "13"), COORDINATOR
        )
    assert found.id is not None
    return found.id


async def staff(
    ctx: Context, email: str, role: Role, *networks: int, name: str = "山田 花子", locale="ja"
) -> User:
    """An account that is a member of ``networks``."""
    directory = DirectoryService(ctx)
    user = await directory.add_user(User(None, email, name, str(role), locale=locale), COORDINATOR)
    assert user.id is not None
    for network_id in networks:
        assert await directory.add_member(user.id, network_id, COORDINATOR)
    return user


async def approached(
    ctx: Context,
    clock: FixedClock,
    day: date,
    network_id: int,
    owner: User | None,
    partner: str = "みどり信用金庫",
    busy: tuple[BusySeason, ...] = (BusySeason((3, 1), (3, 31), "年度末"),),
) -> int:
    """A collaboration with a new partner that entered ``approached`` on ``day``."""
    at(clock, day)
    saved = await DirectoryService(ctx).add_partner(
        Partner(
            None,
            partner,
            Industry.BANK,
            "中央地区",
            contacts=(Contact("佐藤 一郎", "支店長"),),
            busy_seasons=busy,
        ),
        COORDINATOR,
    )
    assert saved.id is not None
    owner_id = owner.id if owner else None
    record = await CollaborationService(ctx).add_candidate(
        network_id, saved.id, COORDINATOR, owner_id=owner_id
    )
    assert record.id is not None
    await builders.complete_scorecard(ctx, record.id)
    await fire(ctx, record.id, "approach")
    return record.id


async def fire(ctx: Context, cid: int, event: str, comment: str = "") -> None:
    """Fire an event at the collaboration's current version."""
    service = CollaborationService(ctx)
    file = await service.file(cid)
    await service.fire(
        cid, event, expected_version=file.collaboration.version, actor=COORDINATOR, comment=comment
    )


async def item(ctx: Context, cid: int, rule: str):
    """The collaboration's due item of ``rule`` (the soonest, if several)."""
    async with reading(ctx.db) as uow:
        rows = [r for r in await uow.collaborations.due_items(cid) if r.rule == rule]
    assert rows, f"no {rule} item"
    return rows[0]


async def mails(db: Database, item_id: int | None = None):
    """Outbox rows, oldest first; only those about one due item when ``item_id`` is given."""
    async with db.read() as conn:
        rows = list(await conn.execute(select(outbox).order_by(outbox.c.id)))
    if item_id is None:
        return rows
    return [r for r in rows if r.dedupe_key.startswith(f"due:{item_id}:")]


@pytest.fixture
def reminders(ctx: Context) -> ReminderService:
    return ReminderService(ctx)


async def test_the_approach_window_reminds_the_owner_once_then_escalates_to_its_managers(
    ctx, clock, reminders
):
    midori, other = await network(ctx), await network(ctx, YAMABIKO)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    boss = await staff(ctx, "boss@midori.example.jp", Role.MANAGER, midori, name="佐々木 誠")
    await staff(ctx, "boss@yamabiko.example.jp", Role.MANAGER, other, name="石井 和夫")
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    reminder = await item(ctx, cid, "approach_window_reminder")
    assert reminder.due_on == date(2026, 6, 8)  # 6 June 2026 is a Saturday

    at(clock, date(2026, 6, 5))
    await reminders.scan()
    assert await mails(ctx.db, reminder.id) == []
    assert (await item(ctx, cid, "approach_window_reminder")).status == DueStatus.PENDING

    at(clock, date(2026, 6, 8))
    report = await reminders.scan()
    [mail] = await mails(ctx.db, reminder.id)
    assert report.notified >= 1 and report.queued >= 1
    assert (mail.to_addr, mail.user_id, mail.kind) == (owner.email, owner.id, MailKind.REMINDER)
    assert mail.collaboration_id == cid
    assert mail.dedupe_key == f"due:{reminder.id}:2026-06-08:{owner.id}"
    assert mail.subject.startswith("【見守り連携】みどり信用金庫: ")
    assert "打診期間" in mail.subject
    assert "山田 花子 様" in mail.body
    assert "打診期間の終了が近づいています" in mail.body
    assert "事業者：みどり信用金庫" in mail.body
    assert "ネットワーク：みどり市見守りネットワーク" in mail.body
    assert "現在の段階：打診中" in mail.body
    assert "期限：2026年6月8日" in mail.body
    assert "期限超過" not in mail.body
    assert f"http://127.0.0.1:8000/collaborations/{cid}" in mail.body
    assert "繁忙期" not in mail.body
    assert (await item(ctx, cid, "approach_window_reminder")).status == DueStatus.NOTIFIED
    assert (await item(ctx, cid, "approach_window_reminder")).notified_at == clock.now()

    before = await mails(ctx.db)
    again = await reminders.scan()
    assert again.notified == again.queued == 0
    assert await mails(ctx.db) == before

    at(clock, date(2026, 7, 6))
    await reminders.scan()
    escalation = await item(ctx, cid, "approach_window_escalation")
    assert escalation.due_on == date(2026, 7, 6)
    [sent] = await mails(ctx.db, escalation.id)
    assert (sent.to_addr, sent.kind) == (boss.email, MailKind.ESCALATION)
    assert "佐々木 誠 様" in sent.body
    assert "覚書が締結されていません" in sent.body
    assert "ご判断をお願いします" in sent.body


async def test_a_memo_signed_before_the_reminder_is_due_means_no_mail_ever(ctx, clock, reminders):
    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    await staff(ctx, "boss@midori.example.jp", Role.MANAGER, midori)
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    reminder = await item(ctx, cid, "approach_window_reminder")

    at(clock, date(2026, 5, 20))
    await builders.sign_memo(ctx, cid, date(2026, 5, 20))
    for day in (date(2026, 6, 8), date(2026, 7, 6), date(2026, 9, 1)):
        at(clock, day)
        await reminders.scan()

    async with reading(ctx.db) as uow:
        rules = {r.rule for r in await uow.collaborations.due_items(cid)}
    assert not rules & {"approach_window_reminder", "approach_window_escalation"}
    assert await mails(ctx.db, reminder.id) == []
    assert not [m for m in await mails(ctx.db) if "打診期間" in m.subject]


async def test_a_reminder_in_the_partners_busy_season_proposes_the_first_business_day_after_it(
    ctx, clock, reminders
):
    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    busy = (BusySeason((6, 1), (6, 14), "株主総会の準備"),)
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner, busy=busy)
    reminder = await item(ctx, cid, "approach_window_reminder")

    at(clock, date(2026, 6, 8))
    await reminders.scan()

    [mail] = await mails(ctx.db, reminder.id)
    # The season ends on Sunday 14 June: the first business day after it is Monday 15 June.
    assert "2026年6月8日月曜日はみどり信用金庫の繁忙期（株主総会の準備）にあたります" in mail.body
    assert "2026年6月15日月曜日以降のご連絡をご検討ください" in mail.body


async def test_a_due_day_in_the_year_end_closure_moves_to_the_first_business_day(
    ctx, clock, reminders
):
    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    cid = await approached(ctx, clock, date(2026, 10, 29), midori, owner)
    reminder = await item(ctx, cid, "approach_window_reminder")
    assert reminder.due_on == date(2027, 1, 4)  # two months on is 29 Dec, in the closure

    at(clock, date(2026, 12, 29))
    await reminders.scan()
    assert await mails(ctx.db, reminder.id) == []

    at(clock, date(2027, 1, 4))
    await reminders.scan()
    [mail] = await mails(ctx.db, reminder.id)
    assert "期限：2027年1月4日月曜日" in mail.body


async def test_a_reader_who_prefers_english_gets_english(ctx, clock, reminders):
    midori = await network(ctx)
    owner = await staff(
        ctx, "emma@midori.example.jp", Role.COORDINATOR, midori, name="Emma Brown", locale="en"
    )
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    reminder = await item(ctx, cid, "approach_window_reminder")

    at(clock, date(2026, 6, 9))  # a day late
    await reminders.scan()

    [mail] = await mails(ctx.db, reminder.id)
    assert mail.subject == (
        "[Mimamori] みどり信用金庫: "
        "The approach window is closing: aim to sign the memorandum soon."
    )
    assert mail.body.startswith("Dear Emma Brown,\n")
    assert "Stage: Approached" in mail.body
    assert "Due: Monday, June 8, 2026 (overdue)" in mail.body
    assert "打診" not in mail.body


async def test_with_nobody_to_tell_the_item_waits_until_an_owner_is_assigned(ctx, clock, reminders):
    midori = await network(ctx)
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, None)
    reminder = await item(ctx, cid, "approach_window_reminder")

    at(clock, date(2026, 6, 8))
    report = await reminders.scan()
    assert report.skipped >= 1 and report.notified == 0
    assert await mails(ctx.db) == []
    assert (await item(ctx, cid, "approach_window_reminder")).status == DueStatus.PENDING

    # A colleague who joins the network, and is given the card.
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    file = await CollaborationService(ctx).file(cid)
    await CollaborationService(ctx).assign(
        cid, expected_version=file.collaboration.version, actor=COORDINATOR, owner_id=owner.id
    )
    at(clock, date(2026, 6, 9))
    await reminders.scan()
    [mail] = await mails(ctx.db, reminder.id)
    assert mail.to_addr == owner.email
    assert "期限：2026年6月8日月曜日（期限超過）" in mail.body


async def test_an_inactive_owner_is_replaced_by_the_networks_coordinators(ctx, clock, reminders):
    midori = await network(ctx)
    directory = DirectoryService(ctx)
    gone = await directory.add_user(
        User(None, "gone@midori.example.jp", "退職 者", "coordinator", active=False), COORDINATOR
    )
    colleague = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, gone)
    reminder = await item(ctx, cid, "approach_window_reminder")

    at(clock, date(2026, 6, 8))
    await reminders.scan()
    assert [m.to_addr for m in await mails(ctx.db, reminder.id)] == [colleague.email]


async def test_two_scans_at_once_notify_each_item_once(ctx, clock):
    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    await staff(ctx, "boss@midori.example.jp", Role.MANAGER, midori)
    for n in range(6):
        await approached(ctx, clock, date(2026, 4, 6), midori, owner, partner=f"架空商店{n}")
    at(clock, date(2026, 7, 6))  # reminder, escalation and stale notice of each: 18 items
    second = Database(ctx.db.url)
    try:
        other = Context(db=second, workflow=ctx.workflow, clock=clock)
        one, two = await asyncio.gather(
            ReminderService(ctx).scan(limit=2), ReminderService(other).scan(limit=2)
        )
    finally:
        await second.dispose()

    rows = await mails(ctx.db)
    assert one.notified + two.notified == 18
    assert one.queued + two.queued == len(rows) == 18
    assert len({r.dedupe_key for r in rows}) == len({r.message_id for r in rows}) == 18
    assert await ReminderService(ctx).scan() == type(one)()


async def test_acknowledge_and_snooze_to_a_business_day(ctx, clock, reminders):
    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    actor = Actor(owner.id, owner.name)
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    reminder = await item(ctx, cid, "approach_window_reminder")
    at(clock, date(2026, 6, 8))
    await reminders.scan()
    assert reminder.id in {i.id for i in await reminders.open_items(owner.id)}

    for day in (date(2026, 6, 8), date(2026, 6, 1)):
        with pytest.raises(InvalidInput) as refused:
            await reminders.snooze(reminder.id, day, actor)
        assert "until" in refused.value.errors
    assert await reminders.snooze(reminder.id, date(2026, 6, 13), actor) == date(2026, 6, 15)
    snoozed = await item(ctx, cid, "approach_window_reminder")
    assert (snoozed.status, snoozed.remind_on) == (DueStatus.PENDING, date(2026, 6, 15))

    at(clock, date(2026, 6, 12))
    await reminders.scan()
    assert len(await mails(ctx.db, reminder.id)) == 1
    at(clock, date(2026, 6, 15))
    await reminders.scan()
    assert [m.dedupe_key.split(":")[2] for m in await mails(ctx.db, reminder.id)] == [
        "2026-06-08",
        "2026-06-15",
    ]

    count = await reminders.open_count(owner.id)
    await reminders.acknowledge(reminder.id, actor)
    await reminders.acknowledge(reminder.id, actor)  # again: nothing changes
    done = await item(ctx, cid, "approach_window_reminder")
    assert (done.status, done.acknowledged_by) == (DueStatus.ACKNOWLEDGED, owner.id)
    assert await reminders.open_count(owner.id) == count - 1
    assert reminder.id not in {i.id for i in await reminders.open_items(owner.id)}
    with pytest.raises(InvalidInput):
        await reminders.snooze(reminder.id, date(2026, 7, 1), actor)
    at(clock, date(2026, 6, 22))
    await reminders.scan()
    assert len(await mails(ctx.db, reminder.id)) == 2

    async with ctx.db.read() as conn:
        actions = list(
            await conn.execute(
                select(audit_log.c.action, audit_log.c.actor_id).where(
                    audit_log.c.entity == "due_item", audit_log.c.entity_id == reminder.id
                )
            )
        )
    assert [tuple(a) for a in actions] == [
        ("due_item.snooze", owner.id),
        ("due_item.acknowledge", owner.id),
    ]
    for call in (
        reminders.acknowledge(987654, actor),
        reminders.snooze(987654, date(2026, 7, 1), actor),
    ):
        with pytest.raises(NotFound):
            await call


async def test_open_items_are_the_owners_and_for_managers_their_networks(ctx, clock, reminders):
    midori, other = await network(ctx), await network(ctx, YAMABIKO)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    colleague = await staff(ctx, "kenta@midori.example.jp", Role.COORDINATOR, midori)
    boss = await staff(ctx, "boss@midori.example.jp", Role.MANAGER, midori)
    elsewhere = await staff(ctx, "boss@yamabiko.example.jp", Role.MANAGER, other)
    mine = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    theirs = await approached(ctx, clock, date(2026, 4, 7), midori, colleague, partner="青葉生協")

    items = await reminders.open_items(owner.id)
    assert {i.collaboration_id for i in items} == {mine}
    assert [i.due_on for i in items] == sorted(i.due_on for i in items)
    first = items[0]
    assert (first.partner_name, first.state, first.rule) == (
        "みどり信用金庫",
        "approached",
        "stale",
    )
    assert first.message == "No activity for 30 days."
    assert {i.collaboration_id for i in await reminders.open_items(boss.id)} == {mine, theirs}
    assert await reminders.open_count(boss.id) == 6
    assert await reminders.open_items(elsewhere.id) == []
    with pytest.raises(NotFound):
        await reminders.open_items(987654)


async def test_a_checkpoint_reminder_that_was_not_sent_in_time_lapses(ctx, clock, reminders):
    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    at(clock, date(2026, 4, 24))
    await builders.sign_memo(ctx, cid, date(2026, 4, 24))
    await fire(ctx, cid, "sign_memo")
    at(clock, date(2026, 5, 8))
    await builders.prepare_plan(ctx, cid, date(2026, 5, 8))  # a checkpoint on 1 December
    await fire(ctx, cid, "start_planning")
    await fire(ctx, cid, "start_pilot")
    ahead = await item(ctx, cid, "checkpoint_ahead")
    assert (ahead.anchor_on, ahead.due_on) == (date(2026, 12, 1), date(2026, 11, 24))

    at(clock, date(2026, 12, 2))  # the scanner did not run in between
    report = await reminders.scan()

    assert report.cancelled >= 1
    assert (await item(ctx, cid, "checkpoint_ahead")).status == DueStatus.CANCELLED
    assert await mails(ctx.db, ahead.id) == []
    assert ahead.id not in {i.id for i in await reminders.open_items(owner.id)}


async def test_a_network_can_send_a_rule_to_its_managers_instead_of_the_owner(
    ctx, clock, reminders
):
    from dataclasses import replace

    from engine.workflow.timing import Override, Recipients

    midori = await network(ctx)
    owner = await staff(ctx, "hanako@midori.example.jp", Role.COORDINATOR, midori)
    boss = await staff(ctx, "boss@midori.example.jp", Role.MANAGER, midori, name="佐々木 誠")
    directory = DirectoryService(ctx)
    settings = next(n for n in await directory.networks() if n.id == midori)
    await directory.update_network(
        replace(
            settings, timing={"approach_window_reminder": Override(recipients=Recipients.MANAGERS)}
        ),
        COORDINATOR,
    )
    cid = await approached(ctx, clock, date(2026, 4, 6), midori, owner)
    reminder = await item(ctx, cid, "approach_window_reminder")

    at(clock, date(2026, 6, 8))
    await reminders.scan()

    assert [m.to_addr for m in await mails(ctx.db, reminder.id)] == [boss.email]

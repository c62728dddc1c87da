"""Reminders: the scan that turns due items into e-mail, and what people do with them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from babel.dates import format_date

from engine.clock import local_date
from engine.domain.access import EVERYTHING, Scope
from engine.domain.mail import Mail, MailKind
from engine.domain.network import timing_from_json
from engine.domain.partner import BusySeason
from engine.domain.reminders import DueItem, DueStatus
from engine.domain.users import Actor, Role, User
from engine.errors import InvalidInput
from engine.i18n import LOCALES, N_, translate
from engine.services.context import Context
from engine.store.repositories.reminders import DueRow, Reminders
from engine.store.uow import UnitOfWork, reading, writing
from engine.workflow import Workflow
from engine.workflow.timing import Recipients, TimingRule

SUBJECT = N_("[Mimamori] {partner}: {notice}")
GREETING = N_("Dear {name},")
INTRO = {
    MailKind.REMINDER: N_("A reminder about a collaboration in {network}:"),
    MailKind.ESCALATION: N_("An escalation about a collaboration in {network}, for your decision:"),
}
PARTNER = N_("Partner: {partner}")
NETWORK = N_("Network: {network}")
STAGE = N_("Stage: {stage}")
DUE = N_("Due: {date}")
DUE_OVERDUE = N_("Due: {date} (overdue)")
BUSY = N_(
    "{day} falls in the busy season of {partner}. "
    "Consider contacting them from {proposal}, the first business day after it."
)
BUSY_WITH_NOTE = N_(
    "{day} falls in the busy season of {partner} ({note}). "
    "Consider contacting them from {proposal}, the first business day after it."
)
OPEN_CARD = N_("Open the card: {url}")
FOOTER = N_("This message was sent automatically by Mimamori. Please do not reply to it.")
NOT_OPEN = N_("This item is no longer open.")
AFTER_TODAY = N_("Choose a day after today.")


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What one scan did."""

    notified: int = 0
    """Items whose notices went into the outbox."""
    cancelled: int = 0
    """Items that lapsed or whose rule is gone."""
    queued: int = 0
    """Messages written to the outbox."""
    skipped: int = 0
    """Items left pending because nobody could be told (no owner, no staff)."""

    def __add__(self, other: ScanReport) -> ScanReport:
        return ScanReport(
            self.notified + other.notified,
            self.cancelled + other.cancelled,
            self.queued + other.queued,
            self.skipped + other.skipped,
        )


class ReminderService:
    """Send due reminders once, and let people acknowledge or snooze them."""

    def __init__(self, ctx: Context, scope: Scope = EVERYTHING) -> None:
        self.ctx = ctx
        self.scope = scope
        self.rules = {rule.name: rule for rule in ctx.workflow.timing}

    async def scan(self, limit: int = 500) -> ScanReport:
        """Queue the notices of every due item, in transactions of at most ``limit`` items."""
        now = self.ctx.clock.now()
        today = local_date(now)
        total: ScanReport = ScanReport()
        after: tuple[date, int] | None = None
        while True:
            async with writing(self.ctx.db) as uow:
                repo = Reminders(uow.conn)
                rows = await repo.due_now(today, limit, after)
                if rows:
                    total += await self._notify(uow, repo, rows, now, today)
            if len(rows) < limit:
                return total
            # Items left pending (nobody to tell) stay behind this point until the next scan.
            after = (rows[-1].remind_on, rows[-1].id)

    async def _notify(
        self, uow: UnitOfWork, repo: Reminders, rows: Sequence[DueRow], now: datetime, today: date
    ) -> ScanReport:
        lapsed = {r.id for r in rows if self._lapsed(r, today)}
        live = [r for r in rows if r.id not in lapsed]
        owners = await repo.users_by_ids(r.owner_id for r in live if r.owner_id is not None)
        seasons = await repo.busy_seasons(r.partner_id for r in live)
        network_ids = {r.network_id for r in live}
        staff = {  # every network's coordinators and managers: two queries per batch
            role: await repo.recipients_by_network(network_ids, role) if live else {}
            for role in (Role.COORDINATOR, Role.MANAGER)
        }

        def members(network_id: int, role: Role) -> list[User]:
            return staff[role].get(network_id, [])

        mails: list[Mail] = []
        notified: list[int] = []
        for row in live:
            rule = self.rules[row.rule]
            owner = owners.get(row.owner_id) if row.owner_id is not None else None
            settings = timing_from_json(row.network_timing)
            if rule.recipients_for(settings) == Recipients.OWNER:
                order = (Role.COORDINATOR, Role.MANAGER)
                people = [owner] if owner is not None and owner.active else []
            else:
                order, people = (Role.MANAGER, Role.COORDINATOR), []
            for role in order:  # the fallbacks, while nobody is found
                if not people:
                    people = members(row.network_id, role)
            if not people:
                continue  # stays pending: it goes out once someone is assigned
            contact_on = max(today, row.due_on)
            mails.extend(
                self._mail(row, rule, user, today, contact_on, seasons.get(row.partner_id, ()))
                for user in people
            )
            notified.append(row.id)
        await uow.outbox.add(mails, now, self.ctx.mail_domain)
        await repo.mark_notified(notified, now)
        await repo.cancel(lapsed)
        return ScanReport(len(notified), len(lapsed), len(mails), len(live) - len(notified))

    def _lapsed(self, row: DueRow, today: date) -> bool:
        """True for an item nobody needs any more: its rule is gone or its date passed."""
        rule = self.rules.get(row.rule)
        if rule is None or row.state not in rule.states:
            return True
        ahead = rule.offset.days < 0 or rule.offset.months < 0
        return ahead and row.anchor_on < today

    def _mail(
        self,
        row: DueRow,
        rule: TimingRule,
        user: User,
        today: date,
        contact_on: date,
        seasons: Sequence[BusySeason],
    ) -> Mail:
        assert user.id is not None
        locale = user.locale
        kind = MailKind(str(rule.kind))
        message = translate(rule.message, locale)
        stage = self.ctx.workflow.label(row.state)
        due = DUE_OVERDUE if row.due_on < today else DUE
        lines = [
            translate(GREETING, locale, name=user.name),
            "",
            translate(INTRO[kind], locale, network=row.network_name),
            message,
            "",
            translate(PARTNER, locale, partner=row.partner_name),
            translate(NETWORK, locale, network=row.network_name),
            translate(STAGE, locale, stage=translate(stage, locale)),
            translate(due, locale, date=format_day(row.due_on, locale)),
        ]
        season = next((s for s in seasons if s.contains(contact_on)), None)
        if season is not None:
            proposal = self.ctx.calendar.next_business_day(season.first_day_after(contact_on))
            lines += [
                "",
                translate(
                    BUSY_WITH_NOTE if season.note else BUSY,
                    locale,
                    day=format_day(contact_on, locale),
                    partner=row.partner_name,
                    note=season.note,
                    proposal=format_day(proposal, locale),
                ),
            ]
        lines += [
            "",
            translate(OPEN_CARD, locale, url=card_url(self.ctx, row.collaboration_id)),
            "",
            "-- ",
            translate(FOOTER, locale),
        ]
        return Mail(
            dedupe_key=f"due:{row.id}:{row.remind_on.isoformat()}:{user.id}",
            kind=kind,
            to_addr=user.email,
            subject=translate(SUBJECT, locale, partner=row.partner_name, notice=message),
            body="\n".join(lines) + "\n",
            user_id=user.id,
            collaboration_id=row.collaboration_id,
        )

    async def acknowledge(self, item_id: int, actor: Actor) -> None:
        """Close an open item: the actor has seen to it (again: nothing changes)."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            repo = Reminders(uow.conn)
            row = await repo.get(item_id, lock=True)
            await uow.collaborations.get(row.collaboration_id, scope=self.scope)
            if row.status == DueStatus.ACKNOWLEDGED:
                return
            if row.status == DueStatus.CANCELLED:
                raise InvalidInput({"item": NOT_OPEN})
            await repo.acknowledge(item_id, now, actor.id)
            await uow.audit.record(
                now,
                actor,
                "due_item.acknowledge",
                "due_item",
                item_id,
                collaboration_id=row.collaboration_id,
                rule=row.rule,
            )

    async def snooze(self, item_id: int, until: date, actor: Actor) -> date:
        """Remind again on ``until`` (after today), moved to a business day; returns that day."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            repo = Reminders(uow.conn)
            row = await repo.get(item_id, lock=True)
            await uow.collaborations.get(row.collaboration_id, scope=self.scope)
            if row.status not in (DueStatus.PENDING, DueStatus.NOTIFIED):
                raise InvalidInput({"item": NOT_OPEN})
            if until <= local_date(now):
                raise InvalidInput({"until": AFTER_TODAY})
            day = self.ctx.calendar.next_business_day(until)
            await repo.snooze(item_id, day)
            await uow.audit.record(
                now,
                actor,
                "due_item.snooze",
                "due_item",
                item_id,
                collaboration_id=row.collaboration_id,
                rule=row.rule,
                until=day.isoformat(),
            )
        return day

    async def open_items(self, user_id: int) -> list[DueItem]:
        """The user's open items (a manager's: all in their networks), soonest due first."""
        async with reading(self.ctx.db) as uow:
            user = await uow.users.get(user_id)
            items = await Reminders(uow.conn).open_items(
                user_id, in_networks=user.role == Role.MANAGER
            )
        return current_items(items, self.ctx.workflow)

    async def open_count(self, user_id: int) -> int:
        """How many open items the user has (the badge)."""
        return len(await self.open_items(user_id))


def current_items(items: Sequence[DueItem], workflow: Workflow) -> list[DueItem]:
    """The items whose rule still applies to the collaboration's state, with its message."""
    rules = {rule.name: rule for rule in workflow.timing}
    return [
        replace(item, message=rules[item.rule].message)
        for item in items
        if item.rule in rules and item.state in rules[item.rule].states
    ]


def format_day(day: date, locale: str, *, weekday: bool = True) -> str:
    """A date as the reader writes it: 2026年6月8日月曜日, Monday, June 8, 2026."""
    return format_date(day, "full" if weekday else "long", locale=_babel_locale(locale))


def card_url(ctx: Context, collaboration_id: int) -> str:
    """The link to a collaboration's page."""
    return f"{ctx.base_url.rstrip('/')}/collaborations/{collaboration_id}"


def _babel_locale(locale: str) -> str:
    return locale if locale in LOCALES else "en"

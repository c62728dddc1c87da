"""The daily digest: one e-mail per person listing what is overdue and due soon."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from engine.clock import local_date
from engine.domain.mail import Mail, MailKind
from engine.domain.reminders import DueItem
from engine.domain.users import Role, User
from engine.i18n import N_, translate
from engine.services.context import Context
from engine.services.reminders import FOOTER, GREETING, card_url, current_items, format_day
from engine.store.repositories.reminders import Reminders
from engine.store.uow import writing

HORIZON = timedelta(days=7)
"""How far ahead the digest looks."""

SUBJECT = N_("[Mimamori] Due items as of {date}: {count}")
INTRO_MANAGER = N_("What is overdue or due soon in your networks as of {date}:")
INTRO_OWNER = N_("What is overdue or due soon in your collaborations as of {date}:")
OVERDUE = N_("Overdue ({count})")
TODAY = N_("Due today ({count})")
UPCOMING = N_("Due in the next 7 days ({count})")
LINE = N_("{partner}: {notice} (due {date})")
BOARD = N_("The board: {url}")
MARKS = {"ja": ("■ ", "・")}
"""How a heading and a list item start, per locale (default: a plain heading, a dash)."""


class DigestService:
    """Compose and queue the daily digests of managers and coordinators."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def send_daily(self) -> int:
        """Queue today's digest for every manager and coordinator with something due.

        Managers get every open item in their networks, coordinators the items
        of the collaborations they own. Each person gets one digest a day: a
        second run on the same day queues nothing. Returns how many were queued.
        """
        now = self.ctx.clock.now()
        today = local_date(now)
        async with writing(self.ctx.db) as uow:
            repo = Reminders(uow.conn)
            people = await repo.active_users((Role.MANAGER, Role.COORDINATOR))
            keys = {user.id: f"digest:{user.id}:{today.isoformat()}" for user in people}
            sent = await repo.queued_keys(list(keys.values()))
            mails = []
            for user in people:
                assert user.id is not None
                if keys[user.id] in sent:
                    continue
                items = await repo.open_items(
                    user.id, in_networks=user.role == Role.MANAGER, due_until=today + HORIZON
                )
                items = current_items(items, self.ctx.workflow)
                if items:
                    mails.append(self._mail(user, items, today, keys[user.id]))
            await uow.outbox.add(mails, now, self.ctx.mail_domain)
        return len(mails)

    def _mail(self, user: User, items: Sequence[DueItem], today: date, key: str) -> Mail:
        locale = user.locale
        heading_mark, bullet = MARKS.get(locale, ("", "- "))
        intro = INTRO_MANAGER if user.role == Role.MANAGER else INTRO_OWNER
        lines = [
            translate(GREETING, locale, name=user.name),
            "",
            translate(intro, locale, date=format_day(today, locale)),
        ]
        groups = (
            (OVERDUE, [i for i in items if i.due_on < today]),
            (TODAY, [i for i in items if i.due_on == today]),
            (UPCOMING, [i for i in items if i.due_on > today]),
        )
        for heading, group in groups:
            if not group:
                continue
            lines += ["", heading_mark + translate(heading, locale, count=len(group))]
            for item in group:
                line = translate(
                    LINE,
                    locale,
                    partner=item.partner_name,
                    notice=translate(item.message, locale),
                    date=format_day(item.due_on, locale, weekday=False),
                )
                lines += [bullet + line, f"  {card_url(self.ctx, item.collaboration_id)}"]
        board = f"{self.ctx.base_url.rstrip('/')}/board"
        lines += ["", translate(BOARD, locale, url=board), "", "-- ", translate(FOOTER, locale)]
        return Mail(
            dedupe_key=key,
            kind=MailKind.DIGEST,
            to_addr=user.email,
            subject=translate(
                SUBJECT, locale, date=format_day(today, locale, weekday=False), count=len(items)
            ),
            body="\n".join(lines) + "\n",
            user_id=user.id,
            collaboration_id=None,
        )

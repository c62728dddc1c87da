"""Each person's due dates as an iCalendar feed, at a URL only they know."""

from __future__ import annotations

import secrets
from datetime import timedelta

from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.errors import NotFound
from engine.i18n import N_, translate
from engine.store.services.context import Context
from engine.store.services.reminders import ReminderService, card_url
from engine.store.tables import users
from engine.store.uow import reading, writing


class CalendarFeedService:
    """Issue, revoke and render the per-user calendar feed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def token(self, user_id: int) -> str:
        """The user's feed token, made on first use (a read otherwise: the due page asks often)."""
        async with reading(self.ctx.db) as uow:
            await uow.users.get(user_id)
            current = await self._current(uow.conn, user_id)
        if current:
            return current
        async with writing(self.ctx.db) as uow:
            # Another request may have made it meanwhile: keep theirs.
            return await self._current(uow.conn, user_id) or await self._replace(uow.conn, user_id)

    async def _current(self, conn: AsyncConnection, user_id: int) -> str | None:
        return (
            await conn.execute(select(users.c.ical_token).where(users.c.id == user_id))
        ).scalar_one()

    async def revoke(self, user_id: int) -> str:
        """Give the user a new token; the old feed URL stops working."""
        async with writing(self.ctx.db) as uow:
            await uow.users.get(user_id)
            return await self._replace(uow.conn, user_id)

    async def _replace(self, conn, user_id: int) -> str:  # type: ignore[no-untyped-def]
        token = secrets.token_urlsafe(32)
        await conn.execute(update(users).where(users.c.id == user_id).values(ical_token=token))
        return token

    async def render(self, token: str) -> bytes:
        """The feed for a token: one all-day event per open due item, with stable UIDs."""
        async with reading(self.ctx.db) as uow:
            row = (
                await uow.conn.execute(
                    select(users.c.id, users.c.locale).where(
                        users.c.ical_token == token, users.c.active.is_(True)
                    )
                )
            ).first()
        if row is None or not token:
            raise NotFound("calendar", "…")  # never echo a guessed token back
        items = await ReminderService(self.ctx).open_items(row.id)
        calendar = Calendar()
        calendar.add("prodid", "-//Mimamori//due items//JA")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", translate(FEED_NAME, row.locale))
        stamp = self.ctx.clock.now()
        for item in items:
            event = Event()
            event.add("uid", f"due-{item.id}@{self.ctx.mail_domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.due_on)
            event.add("dtend", item.due_on + timedelta(days=1))
            event.add("summary", f"{item.partner_name}: {translate(item.message, row.locale)}")
            event.add("url", card_url(self.ctx, item.collaboration_id))
            calendar.add_component(event)
        return calendar.to_ical()


FEED_NAME = N_("Mimamori due dates")

"""Each person's due dates as an iCalendar feed, at a URL only they know."""

from __future__ import annotations

import secrets
from datetime import timedelta

from icalendar import Calendar, Event

from engine.errors import NotFound
from engine.i18n import N_, translate
from engine.services.context import Context
from engine.services.reminders import ReminderService, card_url
from engine.store.repositories.calendar_tokens import CalendarTokens
from engine.store.uow import reading, writing


class CalendarFeedService:
    """Issue, revoke and render the per-user calendar feed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def token(self, user_id: int) -> str:
        """The user's feed token, made on first use (a read otherwise: the due page asks often)."""
        async with reading(self.ctx.db) as uow:
            await uow.users.get(user_id)
            current = await CalendarTokens(uow.conn).current(user_id)
        if current:
            return current
        async with writing(self.ctx.db) as uow:
            tokens = CalendarTokens(uow.conn)
            # Another request may have made it meanwhile: keep theirs.
            return await tokens.current(user_id) or await _replace(tokens, user_id)

    async def revoke(self, user_id: int) -> str:
        """Give the user a new token; the old feed URL stops working."""
        async with writing(self.ctx.db) as uow:
            await uow.users.get(user_id)
            return await _replace(CalendarTokens(uow.conn), user_id)

    async def render(self, token: str) -> bytes:
        """The feed for a token: one all-day event per open due item, with stable UIDs."""
        async with reading(self.ctx.db) as uow:
            owner = await CalendarTokens(uow.conn).owner(token)
        if owner is None or not token:
            raise NotFound("calendar", "…")  # never echo a guessed token back
        user_id, locale = owner
        items = await ReminderService(self.ctx).open_items(user_id)
        calendar = Calendar()
        calendar.add("prodid", "-//Mimamori//due items//JA")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", translate(FEED_NAME, locale))
        stamp = self.ctx.clock.now()
        for item in items:
            event = Event()
            event.add("uid", f"due-{item.id}@{self.ctx.mail_domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.due_on)
            event.add("dtend", item.due_on + timedelta(days=1))
            event.add("summary", f"{item.partner_name}: {translate(item.message, locale)}")
            event.add("url", card_url(self.ctx, item.collaboration_id))
            calendar.add_component(event)
        return calendar.to_ical()


async def _replace(tokens: CalendarTokens, user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    await tokens.replace(user_id, token)
    return token


FEED_NAME = N_("Mimamori due dates")

"""The per-person iCalendar feed of due dates."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from engine.errors import NotFound
from engine.services.calendar_feed import CalendarFeedService
from engine.store.tables import users
from engine.store.uow import writing
from tests.integration import builders


async def test_the_feed_lists_open_due_dates_as_all_day_events_with_stable_uids(ctx):
    _, owner = await builders.approached_with_owner(ctx)
    feeds = CalendarFeedService(ctx)
    token = await feeds.token(owner.id)
    assert await feeds.token(owner.id) == token  # made once, then kept

    first = Calendar.from_ical(await feeds.render(token))
    again = Calendar.from_ical(await feeds.render(token))

    events = {str(e["uid"]): e for e in first.walk("VEVENT")}
    assert set(events) == {str(e["uid"]) for e in again.walk("VEVENT")}
    by_day = {e.decoded("dtstart"): str(e["summary"]) for e in events.values()}
    assert by_day[date(2026, 6, 8)] == (
        "みどり信用金庫: 打診期間の終了が近づいています。早めの覚書締結を目指してください。"
    )
    assert all(isinstance(day, date) for day in by_day)  # all-day: dates, not times
    assert str(first["x-wr-calname"]) != ""


async def test_a_revoked_wrong_or_disabled_token_finds_nothing(ctx):
    _, owner = await builders.approached_with_owner(ctx)
    feeds = CalendarFeedService(ctx)
    old = await feeds.token(owner.id)
    new = await feeds.revoke(owner.id)
    assert new != old
    for token in (old, "not-a-token", ""):
        with pytest.raises(NotFound):
            await feeds.render(token)
    async with writing(ctx.db) as uow:
        await uow.conn.execute(users.update().values(active=False))
    with pytest.raises(NotFound):
        await feeds.render(new)

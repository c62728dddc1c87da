"""My due items: what needs doing, a badge count, acknowledge, snooze, and the calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from engine.clock import local_date
from engine.domain.access import Permission
from engine.errors import InvalidInput
from engine.services.calendar_feed import CalendarFeedService
from engine.services.reminders import ReminderService
from web.fragments import page, render
from web.guards import CurrentViewer, requires
from workflows.collaboration import STAGE_LABELS

STAFF = [requires(Permission.VIEW_PIPELINE)]


@dataclass
class SnoozeForm:
    until: date | None = None


async def _context(state: State, viewer: CurrentViewer, **extra: object) -> dict[str, object]:
    today = local_date(state.ctx.clock.now())
    items = [
        item
        for item in await ReminderService(state.ctx, viewer.scope).open_items(viewer.user_id)
        # An owner who has left a network no longer sees its items.
        if viewer.scope.everything or item.network_id in viewer.scope.network_ids
    ]
    feed = await CalendarFeedService(state.ctx).token(viewer.user_id)
    return {
        "items": items,
        "today": today,
        "stage_labels": STAGE_LABELS,
        "feed_url": f"{state.settings.base_url}/calendar/{feed}/due.ics",
        "default_snooze": state.ctx.calendar.next_business_day(today + timedelta(days=7)),
        "errors": {},
        "count": len(items),
    } | extra


@get("/due", guards=STAFF)
async def due_page(request: Request, state: State, viewer: CurrentViewer) -> Template:
    """The viewer's open items (a manager's: their networks'), soonest first."""
    return render(request, "due.html", "items", await _context(state, viewer))


@get("/due/count", guards=STAFF)
async def due_count(state: State, viewer: CurrentViewer) -> Template:
    """The badge: how many items are open (loaded by htmx into the navigation)."""
    count = await ReminderService(state.ctx, viewer.scope).open_count(viewer.user_id)
    return page("due.html", {"count": count}, block="badge")


@post("/due/{item_id:int}/acknowledge", guards=STAFF)
async def acknowledge(
    request: Request, state: State, viewer: CurrentViewer, item_id: FromPath[int]
) -> Template | Redirect:
    """Close an item: it has been seen to."""
    await ReminderService(state.ctx, viewer.scope).acknowledge(item_id, viewer.actor)
    return await _after_change(request, state, viewer)


@post("/due/{item_id:int}/snooze", guards=STAFF)
async def snooze(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    item_id: FromPath[int],
    data: Annotated[SnoozeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Remind again on a later business day."""
    try:
        # No date is judged like a past one, after the item is found (or not: 404).
        until = data.until or date.min
        await ReminderService(state.ctx, viewer.scope).snooze(item_id, until, viewer.actor)
    except InvalidInput as exc:
        context = await _context(state, viewer, errors={item_id: exc.errors})
        return render(request, "due.html", "items", context, status_code=422)
    return await _after_change(request, state, viewer)


@post("/due/feed/revoke", guards=STAFF)
async def revoke_feed(state: State, viewer: CurrentViewer) -> Redirect:
    """A new calendar feed address; the old one stops working."""
    await CalendarFeedService(state.ctx).revoke(viewer.user_id)
    return Redirect("/due", status_code=303)


async def _after_change(
    request: Request, state: State, viewer: CurrentViewer
) -> Template | Redirect:
    if not request.headers.get("hx-request"):
        return Redirect("/due", status_code=303)  # no JavaScript: back to the list
    return render(request, "due.html", "items", await _context(state, viewer))


ROUTES = [due_page, due_count, acknowledge, snooze, revoke_feed]

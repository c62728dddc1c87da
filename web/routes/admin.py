"""Administration: the overview and the audit log viewer; the other screens live beside it."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from litestar import get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from engine.clock import JST
from engine.i18n import N_
from engine.store.read.audit_log import SYSTEM_ACTOR, AuditFilter, audit_page
from web.first_run import first_run_guide
from web.guards import CurrentViewer
from web.routes import admin_invitations, admin_networks, admin_partners, admin_users
from web.routes.admin_common import ADMIN_ONLY

ACTION_PREFIXES = (
    "auth.",
    "auth.login_failed",
    "auth.refused",
    "user.",
    "token.",
    "network.",
    "partner.",
    "collaboration.",
)
"""Suggestions for the action filter; any prefix works."""
BAD_DAY = N_("Give a date as YYYY-MM-DD.")
PER_PAGE = 50


@get("/admin", guards=ADMIN_ONLY)
async def overview(state: State, viewer: CurrentViewer) -> Template:
    """Links to the administration screens, below the first-run guide while it has steps to do."""
    guide = await first_run_guide(state.ctx.db, viewer)
    return Template("admin/index.html", context={"guide": guide})


@get("/admin/audit", guards=ADMIN_ONLY)
async def audit(
    state: State,
    action: FromQuery[str] = "",
    actor: FromQuery[str] = "",
    since: FromQuery[str] = "",
    until: FromQuery[str] = "",
    page: FromQuery[int] = 1,
) -> Template:
    """The audit log, newest first, filtered by action prefix, actor and days (in Japan)."""
    errors: dict[str, str] = {}
    wanted = AuditFilter(
        action=action.strip()[:60],
        actor_id=SYSTEM_ACTOR if actor == "system" else (int(actor) if actor.isdigit() else None),
        since=_day(since, "since", errors),
        until=_day(until, "until", errors),
    )
    found = await audit_page(state.ctx.db, wanted, page, PER_PAGE)
    filters = {"action": action, "actor": actor, "since": since, "until": until}
    query = urlencode({k: v for k, v in filters.items() if v})
    return Template(
        "admin/audit.html",
        context={
            "found": found,
            "filters": filters,
            "query": query,
            "errors": errors,
            "prefixes": ACTION_PREFIXES,
            "accounts": [user for user, _ in await state.accounts.users()],
            "japan_time": _japan_time,
        },
    )


def _japan_time(at: datetime) -> str:
    return at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


def _day(raw: str, name: str, errors: dict[str, str]) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = BAD_DAY
        return None


ROUTES = [
    overview,
    audit,
    *admin_invitations.ROUTES,
    *admin_users.ROUTES,
    *admin_networks.ROUTES,
    *admin_partners.ROUTES,
]

"""Administration of partners' busy seasons (繁忙期): yearly month/day ranges."""

from __future__ import annotations

from dataclasses import replace

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from engine.domain.partner import INDUSTRY_LABELS, Partner
from engine.errors import InvalidInput, VersionConflict
from engine.services import DirectoryService
from engine.store.read.admin_partners import partner_rows
from web.guards import CurrentViewer
from web.partner_rows import Row, blank_season, season_from, season_row, season_rows
from web.routes.admin_common import ADMIN_ONLY, CONFLICT, form_of, read_version, text

BLANK_ROWS = 2
"""Empty rows offered below a partner's seasons for adding new ones."""


@get("/admin/partners", guards=ADMIN_ONLY)
async def partners(state: State) -> Template:
    """Every partner organisation with the number of its busy seasons."""
    rows = await partner_rows(state.ctx.db)
    industries = {str(k): v for k, v in INDUSTRY_LABELS.items()}
    return Template("admin/partners.html", context={"partners": rows, "industries": industries})


@get("/admin/partners/{partner_id:int}", guards=ADMIN_ONLY)
async def edit_seasons(
    state: State, partner_id: FromPath[int], saved: FromQuery[bool] = False
) -> Template:
    """A partner's busy seasons, with empty rows to add more."""
    partner = await DirectoryService(state.ctx).partner(partner_id)
    rows = [season_row(season) for season in partner.busy_seasons]
    return _form(partner, rows, str(partner.version), saved=saved)


@post("/admin/partners/{partner_id:int}", guards=ADMIN_ONLY, status_code=200)
async def save_seasons(
    request: Request, state: State, viewer: CurrentViewer, partner_id: FromPath[int]
) -> Template | Redirect:
    """Replace a partner's busy seasons, checking its version; empty rows are dropped."""
    directory = DirectoryService(state.ctx)
    current = await directory.partner(partner_id)
    form = await form_of(request)
    rows = season_rows(form)
    errors: dict[str, str] = {}
    seasons = tuple(season_from(i, row, errors) for i, row in enumerate(rows))
    version = text(form, "version")
    if errors:
        return _form(current, rows, version, errors)
    changed = replace(current, busy_seasons=seasons, version=read_version(form))
    try:
        await directory.update_partner(changed, viewer.actor)
    except InvalidInput as exc:
        return _form(current, rows, version, exc.errors)
    except VersionConflict:
        return _form(current, rows, version, {"form": CONFLICT}, status=409)
    return Redirect(f"/admin/partners/{partner_id}?saved=true", status_code=303)


def _form(
    partner: Partner,
    rows: list[Row],
    version: str,
    errors: dict[str, str] | None = None,
    status: int | None = None,
    saved: bool = False,
) -> Template:
    errors = errors or {}
    return Template(
        "admin/partner_seasons.html",
        context={
            "partner": partner,
            "rows": [*rows, *(blank_season() for _ in range(BLANK_ROWS))],
            "version": version,
            "errors": errors,
            "saved": saved,
        },
        status_code=status or (422 if errors else 200),
    )


ROUTES = [partners, edit_seasons, save_seasons]

"""Administration of partners' busy seasons (繁忙期): yearly month/day ranges."""

from __future__ import annotations

from dataclasses import replace

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from engine.domain.partner import INDUSTRY_LABELS, BusySeason, Partner
from engine.domain.validation import TOO_LONG
from engine.errors import InvalidInput, VersionConflict
from engine.i18n import N_
from engine.services import DirectoryService
from engine.store.read.admin_partners import partner_rows
from web.guards import CurrentViewer
from web.routes.admin_common import ADMIN_ONLY, CONFLICT, form_of, read_version, text

BLANK_ROWS = 2
"""Empty rows offered below a partner's seasons for adding new ones."""
PARTS = ("start_month", "start_day", "end_month", "end_day")
NOTE_LIMIT = 200
INCOMPLETE = N_("Give a month and a day for both the start and the end.")

Row = dict[str, str]


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
    rows = [_row(season) for season in partner.busy_seasons]
    return _form(partner, rows, str(partner.version), saved=saved)


@post("/admin/partners/{partner_id:int}", guards=ADMIN_ONLY, status_code=200)
async def save_seasons(
    request: Request, state: State, viewer: CurrentViewer, partner_id: FromPath[int]
) -> Template | Redirect:
    """Replace a partner's busy seasons, checking its version; empty rows are dropped."""
    directory = DirectoryService(state.ctx)
    current = await directory.partner(partner_id)
    form = await form_of(request)
    rows = _rows(form)
    errors: dict[str, str] = {}
    seasons = tuple(_season(i, row, errors) for i, row in enumerate(rows))
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


def _row(season: BusySeason) -> Row:
    (start_month, start_day), (end_month, end_day) = season.start, season.end
    return {
        "start_month": str(start_month),
        "start_day": str(start_day),
        "end_month": str(end_month),
        "end_day": str(end_day),
        "note": season.note,
    }


def _rows(form: FormMultiDict) -> list[Row]:
    """The filled-in rows of the form, in order (empty rows are left out)."""
    count = len(form.getall("season", []))
    rows = []
    for i in range(count):
        row = {part: text(form, f"seasons.{i}.{part}") for part in (*PARTS, "note")}
        if any(row.values()):
            rows.append(row)
    return rows


def _season(i: int, row: Row, errors: dict[str, str]) -> BusySeason:
    """A busy season from a row; unreadable numbers leave a message for the row."""
    values = [int(row[part]) if row[part].isdigit() else 0 for part in PARTS]
    if not all(values):
        errors[f"busy_seasons.{i}.start"] = INCOMPLETE
    if len(row["note"]) > NOTE_LIMIT:
        errors[f"busy_seasons.{i}.note"] = TOO_LONG
    return BusySeason((values[0], values[1]), (values[2], values[3]), row["note"])


def _form(
    partner: Partner,
    rows: list[Row],
    version: str,
    errors: dict[str, str] | None = None,
    status: int | None = None,
    saved: bool = False,
) -> Template:
    errors = errors or {}
    blank = dict.fromkeys((*PARTS, "note"), "")
    return Template(
        "admin/partner_seasons.html",
        context={
            "partner": partner,
            "rows": [*rows, *([blank] * BLANK_ROWS)],
            "version": version,
            "errors": errors,
            "saved": saved,
        },
        status_code=status or (422 if errors else 200),
    )


ROUTES = [partners, edit_seasons, save_seasons]

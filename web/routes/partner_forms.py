"""Registering and editing partner organisations from the staff pages.

Coordinators and managers work in their networks' lists, administrators in
all. A name like one already in the network's list is shown with a link, and
saving it anyway needs the box 「別の事業者として登録する」 ticked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from engine.domain.access import Permission, Viewer
from engine.domain.network import Network
from engine.domain.partner import INDUSTRY_LABELS, Industry, Partner
from engine.errors import DuplicatePartner, InvalidInput, VersionConflict
from engine.i18n import N_
from engine.services import CollaborationService, DirectoryService
from engine.store.read.api_resources import check_partner_visible
from web.fragments import page
from web.guards import CurrentViewer, requires
from web.partner_rows import (
    Row,
    blank_contact,
    blank_season,
    contact_from,
    contact_row,
    contact_rows,
    season_from,
    season_row,
    season_rows,
)
from web.routes.admin_common import CONFLICT, form_of, read_version, text

EDITORS = [requires(Permission.EDIT_PARTNERS)]
FIELDS = ("name", "kana", "industry", "area", "address", "phone", "website", "note")
BLANK_ROWS = 2
CHOOSE_NETWORK = N_("Choose one of your networks.")


async def _networks(state: State, viewer: Viewer) -> list[Network]:
    """The networks whose lists the viewer keeps."""
    return await DirectoryService(state.ctx).networks_in(viewer.scope)


def _values(partner: Partner) -> dict[str, str]:
    return {name: str(getattr(partner, name)) for name in FIELDS} | {
        "version": str(partner.version)
    }


def _partner_from(form: FormMultiDict, errors: dict[str, str], base: Partner | None) -> Partner:
    seasons = tuple(season_from(i, row, errors) for i, row in enumerate(season_rows(form)))
    industry = text(form, "industry")
    fields: dict[str, Any] = {name: text(form, name) for name in FIELDS}
    fields["industry"] = Industry(industry) if industry in Industry.__members__.values() else ""
    fields["note"] = (form.get("note") or "").strip()
    contacts = tuple(contact_from(row) for row in contact_rows(form))
    if base is None:
        return Partner(id=None, contacts=contacts, busy_seasons=seasons, **fields)
    return replace(
        base, contacts=contacts, busy_seasons=seasons, version=read_version(form), **fields
    )


def _form(
    template_context: dict[str, Any],
    *,
    values: dict[str, str],
    contacts: list[Row],
    seasons: list[Row],
    errors: dict[str, str] | None = None,
    status: int | None = None,
) -> Any:
    errors = errors or {}
    context = {
        "spec": {"name": "partner"},
        "values": values,
        "errors": errors,
        "top_errors": [],
        "contacts": [*contacts, *(blank_contact() for _ in range(BLANK_ROWS))],
        "seasons": [*seasons, *(blank_season() for _ in range(BLANK_ROWS))],
        "industries": [(str(k), v) for k, v in INDUSTRY_LABELS.items()],
        "similar": [],
        **template_context,
    }
    return page("partner_form.html", context, status_code=status or (422 if errors else 200))


@get("/partners/new", guards=EDITORS)
async def new_partner(
    state: State, viewer: CurrentViewer, network: FromQuery[int] = 0, candidate: FromQuery[int] = 0
) -> Any:
    """The registration form, for one of the viewer's networks (from the board: as a candidate)."""
    networks = await _networks(state, viewer)
    values = dict.fromkeys(FIELDS, "") | {
        "network_id": str(network or ""),
        "open_candidate": "1" if candidate and viewer.can(Permission.EDIT) else "",
    }
    return _form(
        {"networks": networks, "action": "/partners", "partner": None},
        values=values,
        contacts=[],
        seasons=[],
    )


@post("/partners", guards=EDITORS, status_code=200)
async def create_partner(request: Request, state: State, viewer: CurrentViewer) -> Any:
    """Register a partner in a network's list; similar names need the confirmation box."""
    form = await form_of(request)
    networks = await _networks(state, viewer)
    errors: dict[str, str] = {}
    partner = _partner_from(form, errors, None)
    raw_network = text(form, "network_id")
    network_id = int(raw_network) if raw_network.isdigit() else None
    if network_id not in {n.id for n in networks}:
        errors["network_id"] = CHOOSE_NETWORK
    context = {"networks": networks, "action": "/partners", "partner": None}
    as_candidate = form.get("open_candidate") == "1" and viewer.can(Permission.EDIT)
    values = {name: text(form, name) for name in FIELDS} | {
        "network_id": raw_network,
        "open_candidate": "1" if as_candidate else "",
    }
    rows = {"contacts": contact_rows(form), "seasons": season_rows(form)}
    despite_similar = form.get("despite_similar") == "1"
    try:
        if errors:
            raise InvalidInput(errors)
        assert network_id is not None
        if as_candidate:
            _, record = await CollaborationService(
                state.ctx, viewer.scope
            ).add_partner_as_candidate(
                network_id, partner, viewer.actor, despite_similar=despite_similar
            )
            return Redirect(f"/collaborations/{record.id}", status_code=303)
        saved = await DirectoryService(state.ctx).add_partner(
            partner, viewer.actor, network_id, despite_similar=despite_similar
        )
    except DuplicatePartner as exc:
        context["similar"] = exc.matches
        return _form(context, values=values, errors=exc.errors, **rows)
    except InvalidInput as exc:
        return _form(context, values=values, errors=exc.errors | errors, **rows)
    return Redirect(f"/partners/{saved.id}?saved=created", status_code=303)


@get("/partners/{partner_id:int}/edit", guards=EDITORS)
async def edit_partner(state: State, viewer: CurrentViewer, partner_id: FromPath[int]) -> Any:
    """A partner's details, contacts and busy seasons, for editing."""
    await check_partner_visible(state.ctx.db, viewer.scope, partner_id)
    partner = await DirectoryService(state.ctx).partner(partner_id)
    return _form(
        {"action": f"/partners/{partner_id}/edit", "partner": partner},
        values=_values(partner),
        contacts=[contact_row(c) for c in partner.contacts],
        seasons=[season_row(s) for s in partner.busy_seasons],
    )


@post("/partners/{partner_id:int}/edit", guards=EDITORS, status_code=200)
async def save_partner(
    request: Request, state: State, viewer: CurrentViewer, partner_id: FromPath[int]
) -> Any:
    """Save an edit, checking the version the editor read."""
    await check_partner_visible(state.ctx.db, viewer.scope, partner_id)
    directory = DirectoryService(state.ctx)
    current = await directory.partner(partner_id)
    form = await form_of(request)
    errors: dict[str, str] = {}
    changed = _partner_from(form, errors, current)
    context = {"action": f"/partners/{partner_id}/edit", "partner": current}
    values = {name: text(form, name) for name in FIELDS} | {"version": text(form, "version")}
    rows = {"contacts": contact_rows(form), "seasons": season_rows(form)}
    try:
        if errors:
            raise InvalidInput(errors)
        await directory.update_partner(changed, viewer.actor)
    except InvalidInput as exc:
        return _form(context, values=values, errors=exc.errors | errors, **rows)
    except VersionConflict:
        return _form(context, values=values, errors={"form": CONFLICT}, status=409, **rows)
    return Redirect(f"/partners/{partner_id}?saved=updated", status_code=303)


ROUTES = [new_partner, create_partner, edit_partner, save_partner]

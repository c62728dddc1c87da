"""Administration of watch networks: names, the approach window and per-rule timing overrides."""

from __future__ import annotations

from dataclasses import replace

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from engine.domain.network import Network
from engine.errors import InvalidInput, NotFound, VersionConflict
from engine.i18n import N_
from engine.services import DirectoryService
from engine.workflow.timing import Override, Recipients, TimingRule
from web.guards import CurrentViewer
from web.routes.admin_common import ADMIN_ONLY, CONFLICT, form_of, number, read_version, text

RECIPIENT_LABELS = {
    Recipients.OWNER: N_("The collaboration's owner"),
    Recipients.MANAGERS: N_("The network's managers"),
}
KIND_LABELS = {"reminder": N_("Reminder"), "escalation": N_("Escalation")}
BAD_RECIPIENTS = N_("Choose who gets the reminder.")
NETWORK_FIELDS = (
    "name",
    "municipality",
    "prefecture",
    "approach_reminder_months",
    "approach_escalation_months",
)


@get("/admin/networks", guards=ADMIN_ONLY)
async def networks(state: State) -> Template:
    """Every watch network with its approach window and how many rules it changed."""
    found = await DirectoryService(state.ctx).networks()
    return Template("admin/networks.html", context={"networks": found})


@get("/admin/networks/new", guards=ADMIN_ONLY)
async def new_network(state: State) -> Template:
    """The form for a new network (timing overrides are set once it exists)."""
    blank = Network(None, "", "", "")
    return _form(state, None, _values(blank, ()))


@post("/admin/networks", guards=ADMIN_ONLY, status_code=200)
async def create_network(
    request: Request, state: State, viewer: CurrentViewer
) -> Template | Redirect:
    """Create a network, then go to its page for the timing settings."""
    form = await form_of(request)
    errors: dict[str, str] = {}
    network = _parse(form, Network(None, "", "", ""), (), errors)
    if errors:
        return _form(state, None, dict(form), errors)
    try:
        saved = await DirectoryService(state.ctx).add_network(network, viewer.actor)
    except InvalidInput as exc:
        return _form(state, None, dict(form), exc.errors)
    return Redirect(f"/admin/networks/{saved.id}", status_code=303)


@get("/admin/networks/{network_id:int}", guards=ADMIN_ONLY)
async def edit_network(
    state: State, network_id: FromPath[int], saved: FromQuery[bool] = False
) -> Template:
    """A network's settings and the offset and recipients of every timing rule."""
    network = await _network(state, network_id)
    return _form(state, network, _values(network, state.ctx.workflow.timing), saved=saved)


@post("/admin/networks/{network_id:int}", guards=ADMIN_ONLY, status_code=200)
async def update_network(
    request: Request, state: State, viewer: CurrentViewer, network_id: FromPath[int]
) -> Template | Redirect:
    """Save a network's settings, checking its version; due dates move with the timing."""
    current = await _network(state, network_id)
    form = await form_of(request)
    errors: dict[str, str] = {}
    rules = state.ctx.workflow.timing
    network = _parse(form, replace(current, version=read_version(form)), rules, errors)
    if errors:
        return _form(state, current, dict(form), errors)
    try:
        await DirectoryService(state.ctx).update_network(network, viewer.actor)
    except InvalidInput as exc:
        return _form(state, current, dict(form), exc.errors)
    except VersionConflict:
        return _form(state, current, dict(form), {"form": CONFLICT}, status=409)
    return Redirect(f"/admin/networks/{network_id}?saved=true", status_code=303)


async def _network(state: State, network_id: int) -> Network:
    for network in await DirectoryService(state.ctx).networks():
        if network.id == network_id:
            return network
    raise NotFound("network", network_id)


def _parse(
    form: FormMultiDict,
    base: Network,
    rules: tuple[TimingRule, ...],
    errors: dict[str, str],
) -> Network:
    """The network the form describes; blank override fields keep the workflow's default."""
    timing = {}
    for rule in rules:
        key = f"timing.{rule.name}"
        days = number(form, f"{key}.days", errors)
        raw = text(form, f"{key}.recipients")
        recipients = Recipients(raw) if raw in set(Recipients) else None
        if raw and recipients is None:
            errors[f"{key}.recipients"] = BAD_RECIPIENTS
        # Month offsets are not on the form (the approach window sets them): keep any stored.
        kept = base.timing.get(rule.name)
        months = kept.months if kept is not None else None
        if days is not None or months is not None or recipients is not None:
            timing[rule.name] = Override(days=days, months=months, recipients=recipients)
    return replace(
        base,
        name=text(form, "name"),
        municipality=text(form, "municipality"),
        prefecture=text(form, "prefecture"),
        approach_reminder_months=number(form, "approach_reminder_months", errors) or 0,
        approach_escalation_months=number(form, "approach_escalation_months", errors) or 0,
        timing=timing if rules else base.timing,
    )


def _values(network: Network, rules: tuple[TimingRule, ...]) -> dict[str, str]:
    """The form's fields as text, by input name."""
    values = {name: str(getattr(network, name)) for name in NETWORK_FIELDS}
    values["version"] = str(network.version)
    for rule in rules:
        override = network.timing.get(rule.name) or Override()
        key = f"timing.{rule.name}"
        values[f"{key}.days"] = "" if override.days is None else str(override.days)
        values[f"{key}.recipients"] = str(override.recipients or "")
    return values


def _form(
    state: State,
    network: Network | None,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int | None = None,
    saved: bool = False,
) -> Template:
    errors = errors or {}
    return Template(
        "admin/network_form.html",
        context={
            "network": network,
            "saved": saved,
            "values": values,
            "errors": errors,
            "rules": state.ctx.workflow.timing if network is not None else (),
            "recipient_labels": RECIPIENT_LABELS,
            "kind_labels": KIND_LABELS,
        },
        status_code=status or (422 if errors else 200),
    )


ROUTES = [networks, new_network, create_network, edit_network, update_network]

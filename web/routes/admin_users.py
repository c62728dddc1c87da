"""Administration of accounts: list, create, edit, disable or enable, reset the password."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from engine.domain.users import ROLE_LABELS, Role, User
from engine.errors import InvalidInput, VersionConflict
from engine.i18n import LOCALES
from engine.services import DirectoryService
from engine.services.accounts import generated_password
from engine.store.read.admin_partners import partner_rows
from web.guards import CurrentViewer
from web.routes.admin_common import (
    ADMIN_ONLY,
    CONFLICT,
    form_of,
    number,
    numbers,
    read_version,
    text,
)

LOCALE_LABELS = {"ja": "日本語", "en": "English"}
STAFF_WITH_NETWORKS = (Role.MANAGER, Role.COORDINATOR)
NO_STORE = {"Cache-Control": "no-store"}  # a page showing a password once: never cached


@get("/admin/users", guards=ADMIN_ONLY)
async def users(state: State) -> Template:
    """Every account: name, e-mail, role, networks, partner organisation, active."""
    accounts = await state.accounts.users()
    invitations = await state.invitations.states([user for user, _ in accounts])
    return Template(
        "admin/users.html",
        context={"accounts": accounts, "invitations": invitations, **await _choices(state)},
    )


@get("/admin/users/new", guards=ADMIN_ONLY)
async def new_user(state: State) -> Template:
    """The form for a new account."""
    return await user_form(state, None, {"role": Role.COORDINATOR, "locale": "ja"})


@post("/admin/users", guards=ADMIN_ONLY, status_code=200)
async def create_user(request: Request, state: State, viewer: CurrentViewer) -> Template:
    """Create an account; a password left blank is generated and shown once."""
    form = await form_of(request)
    errors: dict[str, str] = {}
    user, network_ids = parse_account(form, User(None, text(form, "email"), "", ""), errors)
    typed = text(form, "password")
    values = account_values(user, network_ids)
    if errors:
        return await user_form(state, None, values, errors)
    password = typed or generated_password(user)
    try:
        saved = await state.accounts.create_user(user, password, viewer.actor, network_ids)
    except InvalidInput as exc:
        return await user_form(state, None, values, exc.errors)
    return Template(
        "admin/user_done.html",
        context={"account": saved, "password": None if typed else password},
        headers=NO_STORE,
    )


@get("/admin/users/{user_id:int}", guards=ADMIN_ONLY)
async def edit_user(state: State, user_id: FromPath[int], sent: FromQuery[str] = "") -> Template:
    """One account's form, with its invitation, enable/disable and password buttons.

    ``sent`` says which e-mail was just queued ("invitation" or "reset").
    """
    user, network_ids = await state.accounts.user(user_id)
    return await user_form(state, user, account_values(user, tuple(network_ids)), sent=sent[:20])


@post("/admin/users/{user_id:int}", guards=ADMIN_ONLY, status_code=200)
async def update_user(
    request: Request, state: State, viewer: CurrentViewer, user_id: FromPath[int]
) -> Template | Redirect:
    """Save a changed name, role, networks, organisation or language, checking the version."""
    current, _ = await state.accounts.user(user_id)
    form = await form_of(request)
    errors: dict[str, str] = {}
    user, network_ids = parse_account(form, replace(current, version=read_version(form)), errors)
    values = account_values(user, network_ids)
    if errors:
        return await user_form(state, current, values, errors)
    try:
        await state.accounts.update_user(user, network_ids, viewer.actor)
    except InvalidInput as exc:
        return await user_form(state, current, values, exc.errors)
    except VersionConflict:
        return await user_form(state, current, values, {"form": CONFLICT}, status=409)
    return Redirect("/admin/users", status_code=303)


@post("/admin/users/{user_id:int}/active", guards=ADMIN_ONLY)
async def set_active(
    request: Request, state: State, viewer: CurrentViewer, user_id: FromPath[int]
) -> Template | Redirect:
    """Disable an account (its sessions end at once) or enable it again."""
    current, network_ids = await state.accounts.user(user_id)
    active = text(await form_of(request), "active") == "true"
    try:
        await state.accounts.set_active(user_id, active, viewer.actor)
    except InvalidInput as exc:
        return await user_form(
            state, current, account_values(current, tuple(network_ids)), exc.errors
        )
    return Redirect(f"/admin/users/{user_id}", status_code=303)


@post("/admin/users/{user_id:int}/password", guards=ADMIN_ONLY, status_code=200)
async def reset_password(
    request: Request, state: State, viewer: CurrentViewer, user_id: FromPath[int]
) -> Template:
    """Give an account a new password (typed, or generated and shown once); sessions end."""
    current, network_ids = await state.accounts.user(user_id)
    password = text(await form_of(request), "password")
    new = password or generated_password(current)
    try:
        await state.accounts.set_password(user_id, new, viewer.actor)
    except InvalidInput as exc:
        return await user_form(
            state, current, account_values(current, tuple(network_ids)), exc.errors
        )
    return Template(
        "admin/user_done.html",
        context={"account": current, "password": None if password else new, "reset": True},
        headers=NO_STORE,
    )


def parse_account(
    form: FormMultiDict, base: User, errors: dict[str, str]
) -> tuple[User, tuple[int, ...]]:
    """The account the form describes; fields that do not apply to the role are left out."""
    role = text(form, "role")
    partner_id = number(form, "partner_id", errors) if role == Role.PARTNER else None
    network_ids = numbers(form, "network_ids", errors) if role in STAFF_WITH_NETWORKS else ()
    user = replace(
        base,
        name=text(form, "name"),
        role=role,
        partner_id=partner_id,
        locale=text(form, "locale") or "ja",
    )
    return user, network_ids


def account_values(user: User, network_ids: tuple[int, ...]) -> dict[str, Any]:
    """The form's values for ``user``."""
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "partner_id": user.partner_id,
        "network_ids": set(network_ids),
        "locale": user.locale,
        "version": user.version,
    }


async def _choices(state: State) -> dict[str, Any]:
    """Networks, partners and roles by id, for selects and for showing names."""
    networks = await DirectoryService(state.ctx).networks()
    partners = await partner_rows(state.ctx.db)
    return {
        "networks": {n.id: n for n in networks},
        "partners": {p.id: p for p in partners},
        "roles": ROLE_LABELS,
        "locales": {code: LOCALE_LABELS[code] for code in LOCALES},
    }


async def user_form(
    state: State,
    account: User | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int | None = None,
    **extra: Any,
) -> Template:
    """The account form: a new account, an invitation (``inviting=True``) or an existing one."""
    errors = errors or {}
    invitation = None
    if account is not None and not account.has_password:
        invitation = (await state.invitations.states([account])).get(account.id or 0)
    return Template(
        "admin/user_form.html",
        context={
            "account": account,
            "values": values,
            "errors": errors,
            "invitation": invitation,
            "inviting": False,
            **extra,
            **await _choices(state),
        },
        status_code=status or (422 if errors else 200),
    )


ROUTES = [users, new_user, create_user, edit_user, update_user, set_active, reset_password]

"""Inviting people by e-mail from the accounts page, and sending password links.

「招待する」 creates the account without a password and e-mails a link to choose one;
the account page sends the invitation again, withdraws it, or e-mails a reset link to
an account that has a password (so that nobody has to read a password out on the phone).
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect, Template

from engine.domain.users import Role, User
from engine.errors import InvalidInput
from web.guards import CurrentViewer
from web.routes.admin_common import ADMIN_ONLY, form_of, text
from web.routes.admin_users import account_values, parse_account, user_form


@get("/admin/users/invite", guards=ADMIN_ONLY)
async def invite_form(state: State) -> Template:
    """The invitation form: who, their role, their networks or organisation, their language."""
    values = {"role": Role.COORDINATOR, "locale": "ja", "network_ids": set()}
    return await user_form(state, None, values, inviting=True)


@post("/admin/users/invite", guards=ADMIN_ONLY, status_code=200)
async def invite(request: Request, state: State, viewer: CurrentViewer) -> Template | Redirect:
    """Create the invited account and queue its e-mail; then show the account."""
    form = await form_of(request)
    errors: dict[str, str] = {}
    user, network_ids = parse_account(form, User(None, text(form, "email"), "", ""), errors)
    values = account_values(user, network_ids)
    if not errors:
        try:
            done = await state.invitations.invite(user, network_ids, viewer.actor)
        except InvalidInput as exc:
            errors = dict(exc.errors)
    if errors:
        return await user_form(state, None, values, errors, inviting=True)
    await state.nudge()
    return Redirect(f"/admin/users/{done.user.id}?sent=invitation", status_code=303)


@post("/admin/users/{user_id:int}/invitation", guards=ADMIN_ONLY)
async def resend(
    state: State, viewer: CurrentViewer, user_id: FromPath[int]
) -> Template | Redirect:
    """Send the invitation again with a new link (the old link stops working)."""
    try:
        await state.invitations.resend(user_id, viewer.actor)
    except InvalidInput as exc:
        return await _refused(state, user_id, exc)
    await state.nudge()
    return Redirect(f"/admin/users/{user_id}?sent=invitation", status_code=303)


@post("/admin/users/{user_id:int}/invitation/withdraw", guards=ADMIN_ONLY)
async def withdraw(
    state: State, viewer: CurrentViewer, user_id: FromPath[int]
) -> Template | Redirect:
    """Withdraw the invitation: its link stops working and the account is disabled."""
    try:
        await state.invitations.withdraw(user_id, viewer.actor)
    except InvalidInput as exc:
        return await _refused(state, user_id, exc)
    return Redirect(f"/admin/users/{user_id}", status_code=303)


@post("/admin/users/{user_id:int}/reset-link", guards=ADMIN_ONLY)
async def send_reset(state: State, viewer: CurrentViewer, user_id: FromPath[int]) -> Redirect:
    """E-mail the account a link to choose a new password (valid for an hour)."""
    await state.links.send_reset(user_id, viewer.actor)
    await state.nudge()
    return Redirect(f"/admin/users/{user_id}?sent=reset", status_code=303)


async def _refused(state: State, user_id: int, exc: InvalidInput) -> Template:
    """The account page again, saying why (the invitation was accepted meanwhile)."""
    current, network_ids = await state.accounts.user(user_id)
    values = account_values(current, tuple(network_ids))
    return await user_form(state, current, values, dict(exc.errors))


ROUTES = [invite_form, invite, resend, withdraw, send_reset]

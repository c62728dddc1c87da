"""Choosing a password through an e-mailed link: 「パスワードをお忘れの方」 and invitations.

The pages under a link are never cached and send no referrer; the access log and the
metrics see only the route template, never the secret in the path.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from engine.clock import monotonic
from engine.domain.account_links import PROBLEM_TEXT, LinkProblem, LinkPurpose
from engine.domain.validation import Errors
from engine.errors import InvalidInput, LinkRefused, ResetThrottled
from engine.i18n import N_
from web.security import client_of

ANSWER_SECONDS = 0.4
"""Every answer to a reset request takes this long, so its timing tells no one whether
the address has an account (the work behind it takes a few milliseconds either way)."""
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
THROTTLED = N_("Too many requests for a new password. Please wait 15 minutes and try again.")
MISMATCH = N_("The two passwords are not the same.")
WHERE = {LinkPurpose.INVITATION: "/invitation/", LinkPurpose.RESET: "/password/reset/"}
DONE = {LinkPurpose.INVITATION: "welcome", LinkPurpose.RESET: "reset"}


@dataclass
class ForgotForm:
    email: str = ""


@dataclass
class NewPasswordForm:
    password: str = ""
    password_again: str = ""


@get("/password/forgot", sync_to_thread=False)
def forgot_page() -> Template:
    """The form asking for the address to send a reset link to."""
    return Template("password_forgot.html", context={"email": "", "errors": {}})


@post("/password/forgot", status_code=200)
async def forgot(
    request: Request,
    state: State,
    data: Annotated[ForgotForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template:
    """Send a reset link if the address has an account; the answer is the same either way."""
    started = monotonic()
    email = data.email.strip()[:254]
    errors = Errors()
    errors.email("email", email, required=True)
    if errors.errors:
        return Template(
            "password_forgot.html",
            context={"email": email, "errors": errors.errors},
            status_code=422,
        )
    status, context = 200, {"email": email, "sent": True, "errors": {}}
    try:
        await state.links.request_reset(email, client_of(request.scope))
    except ResetThrottled:
        status, context = 429, {"email": email, "errors": {"form": THROTTLED}}
    else:
        await state.nudge()
    await asyncio.sleep(max(0.0, ANSWER_SECONDS - (monotonic() - started)))
    return Template("password_forgot.html", context=context, status_code=status, headers=PRIVATE)


@get("/password/reset/{secret:str}")
async def reset_page(state: State, secret: FromPath[str]) -> Template:
    """The form for a new password, or why the link does not work."""
    return await _page(state, secret, LinkPurpose.RESET)


@post("/password/reset/{secret:str}", status_code=303)
async def reset(
    request: Request,
    state: State,
    secret: FromPath[str],
    data: Annotated[NewPasswordForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Set the new password; every session of the account ends; then log in as usual."""
    return await _set(request, state, secret, LinkPurpose.RESET, data)


@get("/invitation/{secret:str}")
async def invitation_page(state: State, secret: FromPath[str]) -> Template:
    """The invited person's first page: choose a password."""
    return await _page(state, secret, LinkPurpose.INVITATION)


@post("/invitation/{secret:str}", status_code=303)
async def accept_invitation(
    request: Request,
    state: State,
    secret: FromPath[str],
    data: Annotated[NewPasswordForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Accept the invitation by choosing a password; then log in with it."""
    return await _set(request, state, secret, LinkPurpose.INVITATION, data)


async def _page(state: State, secret: str, purpose: LinkPurpose) -> Template:
    try:
        found = await state.links.holder(secret, purpose)
    except LinkRefused as exc:
        return _refused(purpose, exc.problem)
    return _form(purpose, secret, found.user, {})


async def _set(
    request: Request, state: State, secret: str, purpose: LinkPurpose, data: NewPasswordForm
) -> Template | Redirect:
    try:
        found = await state.links.holder(secret, purpose)
        if data.password != data.password_again:
            return _form(purpose, secret, found.user, {"password_again": MISMATCH})
        await state.links.set_password(secret, purpose, data.password, client_of(request.scope))
    except LinkRefused as exc:
        return _refused(purpose, exc.problem)
    except InvalidInput as exc:
        return _form(purpose, secret, found.user, dict(exc.errors))
    if purpose == LinkPurpose.RESET:
        await state.nudge()  # the notice that the password changed
    return Redirect(f"/login?done={DONE[purpose]}", status_code=303, headers=PRIVATE)


def _form(purpose: LinkPurpose, secret: str, user: Any, errors: dict[str, str]) -> Template:
    return Template(
        "password_set.html",
        context={
            "purpose": str(purpose),
            "action": f"{WHERE[purpose]}{secret}",
            "account": user,
            "errors": errors,
        },
        status_code=422 if errors else 200,
        headers=PRIVATE,
    )


def _refused(purpose: LinkPurpose, problem: str) -> Template:
    return Template(
        "password_link_refused.html",
        context={"purpose": str(purpose), "problem": PROBLEM_TEXT[LinkProblem(problem)]},
        status_code=404 if problem == LinkProblem.UNKNOWN else 410,
        headers=PRIVATE,
    )


ROUTES = [forgot_page, forgot, reset_page, reset, invitation_page, accept_invitation]

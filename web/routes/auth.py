"""Logging in and out, and a user's own account page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from engine.domain.access import Permission, Viewer
from engine.domain.users import ROLE_LABELS, Role
from engine.errors import InvalidInput, LoginRefused, LoginThrottled
from engine.i18n import N_
from web.guards import CurrentViewer, logged_in
from web.security import SESSION_COOKIE, client_of, cookie_header

REFUSED = N_("The e-mail address or password is not correct.")
THROTTLED = N_("Too many failed attempts. Please wait 15 minutes and try again.")


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = ""


@dataclass
class PasswordForm:
    current_password: str = ""
    password: str = ""


def home_of(viewer: Viewer) -> str:
    """Where a viewer starts: the board for staff, the portal for partners."""
    if viewer.can(Permission.VIEW_PIPELINE):
        return "/board"
    return "/portal" if viewer.can(Permission.PORTAL) else "/account"


def _local(target: str) -> str:
    # Only paths on this site: never send someone to another site after logging in.
    return target if target.startswith("/") and not target.startswith("//") else ""


@get("/login", sync_to_thread=False)
def login_page(
    next_url: Annotated[str, QueryParameter(name="next")] = "", done: FromQuery[str] = ""
) -> Template:
    """The login form; ``done`` says a password was just set through a link."""
    return Template(
        "login.html",
        context={"next_url": _local(next_url), "email": "", "done": done[:20]},
    )


@post("/login")
async def login(
    request: Request,
    state: State,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Check the password, start a new session (a new id) and go where the user was heading."""
    try:
        done = await state.accounts.login(
            data.email, data.password, client_of(request.scope), request.cookies.get(SESSION_COOKIE)
        )
    except (LoginRefused, LoginThrottled) as exc:
        return Template(
            "login.html",
            context={
                "error": THROTTLED if isinstance(exc, LoginThrottled) else REFUSED,
                "email": data.email[:254],
                "next_url": _local(data.next),
            },
            status_code=429 if isinstance(exc, LoginThrottled) else 401,
        )
    request.scope["mimamori_cookies"].append(
        cookie_header(SESSION_COOKIE, done.cookie, state.settings.secure_cookies)
    )
    return Redirect(_local(data.next) or home_of(done.viewer), status_code=303)


@post("/logout", guards=[logged_in()])
async def logout(request: Request, state: State, viewer: CurrentViewer) -> Redirect:
    """End this session."""
    await state.accounts.logout(request.cookies.get(SESSION_COOKIE, ""), viewer)
    request.scope["mimamori_cookies"].append(
        cookie_header(SESSION_COOKIE, "", state.settings.secure_cookies, max_age=0)
    )
    return Redirect("/login", status_code=303)


@get("/account", guards=[logged_in()], sync_to_thread=False)
def account(viewer: CurrentViewer, changed: FromQuery[bool] = False) -> Template:
    """Who you are logged in as, and the form to change your password."""
    return Template("account.html", context=_account_context(viewer, changed=changed))


@post("/account/password", guards=[logged_in()])
async def change_password(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    data: Annotated[PasswordForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Change your own password: every session ends, and this browser gets a fresh one."""
    try:
        await state.accounts.change_own_password(
            viewer.user_id, data.current_password, data.password
        )
    except InvalidInput as exc:
        return Template(
            "account.html", context=_account_context(viewer, errors=exc.errors), status_code=422
        )
    done = await state.accounts.login(viewer.email, data.password, client_of(request.scope))
    request.scope["mimamori_cookies"].append(
        cookie_header(SESSION_COOKIE, done.cookie, state.settings.secure_cookies)
    )
    return Redirect("/account?changed=true", status_code=303)


def _account_context(viewer: Viewer, **extra: object) -> dict[str, object]:
    return {
        "viewer": viewer,
        "role_label": ROLE_LABELS[Role(viewer.role)],
        "errors": {},
        "changed": False,
    } | extra


ROUTES = [login_page, login, logout, account, change_password]

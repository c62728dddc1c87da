"""``mimamori user`` and ``mimamori token``: accounts and API tokens from the command line.

Secrets (a generated password, a token) are printed once on stdout and never
stored in the clear. Bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import TypeVar

import click

from engine.clock import JST, SystemClock
from engine.config import Settings
from engine.domain.users import Actor, Role, User
from engine.errors import InvalidInput, NotFound
from engine.services import Context, DirectoryService
from engine.services.accounts import AccountService, generated_password
from engine.services.invitations import InvitationService, Invited
from engine.store.database import Database
from engine.store.read.admin_partners import partner_rows
from engine.store.sessions import DatabaseSessions
from mimamori.runtime import BadInput, settings_from_env, with_db
from workflows.collaboration import COLLABORATION

T = TypeVar("T")

COMMAND_LINE = Actor(None, "command line")
"""The author of writes made with this command, as the audit log shows it."""


@click.group()
def user() -> None:
    """Accounts: create, invite, disable or enable."""


@user.command("create")
@click.option("--email", required=True, help="The login e-mail address.")
@click.option("--role", required=True, help="admin, manager, coordinator or partner.")
@click.option(
    "--network", "networks", multiple=True, help="A network (id or exact name); repeatable."
)
@click.option("--partner", help="The partner organisation (id or exact name) of a partner user.")
@click.option("--name", help="The person's name (default: the part of the e-mail before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(
    email: str,
    role: str,
    networks: tuple[str, ...],
    partner: str | None,
    name: str | None,
    password_stdin: bool,
) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    if role not in set(Role):
        raise BadInput(f"--role: {role!r} is not one of {', '.join(Role)}")
    password = _read_password() if password_stdin else None
    settings = settings_from_env()

    async def work(db: Database) -> tuple[User, str]:
        async with _account_service(db) as accounts:
            network_ids = await _network_ids(accounts.ctx, networks)
            partner_id = await _partner_id(db, partner) if partner else None
            account = User(
                None, email, name or email.partition("@")[0], role, partner_id=partner_id
            )
            chosen = password if password is not None else generated_password(account)
            saved = await _refusing(
                accounts.create_user(account, chosen, COMMAND_LINE, network_ids)
            )
            return saved, chosen

    saved, chosen = with_db(settings, work)
    click.echo(f"created {saved.role} account {saved.email} (id {saved.id})")
    if password is None:
        click.echo(f"password (shown only this once): {chosen}")


@user.command("invite")
@click.option(
    "--email", required=True, help="The person's e-mail address: the invitation goes there."
)
@click.option("--role", required=True, help="admin, manager, coordinator or partner.")
@click.option(
    "--network", "networks", multiple=True, help="A network (id or exact name); repeatable."
)
@click.option("--partner", help="The partner organisation (id or exact name) of a partner user.")
@click.option("--name", required=True, help="The person's name, as the invitation greets them.")
@click.option("--locale", default="ja", show_default=True, help="ja or en: the e-mail's language.")
def invite_user(
    email: str,
    role: str,
    networks: tuple[str, ...],
    partner: str | None,
    name: str,
    locale: str,
) -> None:
    """Invite a person by e-mail: the account waits until they choose a password."""
    if role not in set(Role):
        raise BadInput(f"--role: {role!r} is not one of {', '.join(Role)}")
    settings = settings_from_env()

    async def work(db: Database) -> Invited:
        ctx = _context(db, settings)
        network_ids = await _network_ids(ctx, networks)
        partner_id = await _partner_id(db, partner) if partner else None
        account = User(None, email, name, role, locale=locale, partner_id=partner_id)
        return await _refusing(InvitationService(ctx).invite(account, network_ids, COMMAND_LINE))

    done = with_db(settings, work)
    click.echo(f"invited {done.user.email} as {done.user.role} (id {done.user.id})")
    until = done.link.expires_at.astimezone(JST)
    click.echo(f"the e-mail is in the outbox; its link works until {until:%Y-%m-%d %H:%M} JST")
    if settings.embedded:
        click.echo("it is sent by the running `mimamori serve` (or the next one started)")


@user.command("disable")
@click.option("--email", required=True)
def disable_user(email: str) -> None:
    """Disable an account; its sessions end at once."""
    done = _set_active(email, False)
    click.echo(f"disabled {done.email}; its sessions have ended")


@user.command("enable")
@click.option("--email", required=True)
def enable_user(email: str) -> None:
    """Enable a disabled account again; it logs in with its existing password."""
    done = _set_active(email, True)
    click.echo(f"enabled {done.email}")


def _set_active(email: str, active: bool) -> User:
    """Enable or disable the account with this e-mail address, as the command line."""
    settings = settings_from_env()

    async def work(db: Database) -> User:
        async with _account_service(db) as accounts:
            found = await _refusing(accounts.user_by_email(email))
            assert found.id is not None
            return await _refusing(accounts.set_active(found.id, active, COMMAND_LINE))

    return with_db(settings, work)


@click.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--email", required=True, help="Whose token: it acts with that account's role.")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def create_token(email: str, name: str) -> None:
    """Create an API token and print it once (send it as ``Authorization: Bearer <token>``)."""
    settings = settings_from_env()

    async def work(db: Database) -> str:
        async with _account_service(db) as accounts:
            return await _refusing(accounts.create_token(email, name, COMMAND_LINE))

    value = with_db(settings, work)
    click.echo("token (shown only this once):", err=True)
    click.echo(value)


def _context(db: Database, settings: Settings) -> Context:
    """The services' context over ``db``: links in e-mails point at the configured site."""
    return Context(
        db=db,
        workflow=COLLABORATION,
        clock=SystemClock(),
        base_url=settings.base_url,
        mail_from=settings.mail_from,
    )


@asynccontextmanager
async def _account_service(db: Database) -> AsyncIterator[AccountService]:
    """The account service over ``db`` and the sessions kept there, as the web app has them."""
    sessions = DatabaseSessions(db)
    try:
        yield AccountService(Context(db=db, workflow=COLLABORATION, clock=SystemClock()), sessions)
    finally:
        await sessions.close()


async def _refusing(call: Awaitable[T]) -> T:
    """Await a service call, turning refused input into a one-line error."""
    try:
        return await call
    except InvalidInput as exc:
        raise BadInput("; ".join(f"{k}: {v}" for k, v in exc.errors.items())) from exc
    except NotFound as exc:
        raise BadInput(f"no such {exc.kind}: {exc.key}") from exc


def _read_password() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise BadInput("--password-stdin: standard input held no password")
    return line


async def _network_ids(ctx: Context, wanted: tuple[str, ...]) -> tuple[int, ...]:
    """Network ids for ids or exact names."""
    networks = await DirectoryService(ctx).networks()
    found = []
    for key in wanted:
        match = next((n.id for n in networks if key in (str(n.id), n.name)), None)
        if match is None:
            raise BadInput(f"--network: no network with the id or name {key!r}")
        found.append(match)
    return tuple(found)


async def _partner_id(db: Database, key: str) -> int:
    """A partner organisation's id for its id or exact name."""
    for row in await partner_rows(db):
        if key in (str(row.id), row.name):
            return row.id
    raise BadInput(f"--partner: no partner organisation with the id or name {key!r}")

"""Accounts: passwords, logins with throttling, sessions, API tokens, and who sees what."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from engine.domain.access import Session, Viewer
from engine.domain.users import SYSTEM, Actor, Role, User
from engine.errors import InvalidInput, LoginRefused, LoginThrottled, NotFound
from engine.i18n import N_
from engine.passwords import hash_password, needs_rehash, password_problem, verify_password
from engine.services.context import Context
from engine.store.repositories.account_links import AccountLinks
from engine.store.repositories.accounts import LoginFailures, Tokens
from engine.store.repositories.members import Members
from engine.store.sessions import SessionStore
from engine.store.uow import UnitOfWork, reading, writing

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 20
TOUCH_EVERY = timedelta(minutes=1)
TOKEN_PREFIX = "mmr_"


def digest(secret: str) -> str:
    """The SHA-256 under which a session cookie or API token is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long a session lives: without use, and at most."""

    idle: timedelta = timedelta(minutes=60)
    absolute: timedelta = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """A fresh session: the cookie value (shown once) and whose it is."""

    cookie: str
    session: Session
    viewer: Viewer


class AccountService:
    """Everything about accounts that web/ and the CLI need."""

    def __init__(
        self, ctx: Context, sessions: SessionStore, policy: SessionPolicy | None = None
    ) -> None:
        self.ctx = ctx
        self.sessions = sessions
        self.policy = policy or SessionPolicy()

    # --- accounts ---------------------------------------------------------------

    async def create_user(
        self,
        user: User,
        password: str | None,
        actor: Actor,
        network_ids: tuple[int, ...] = (),
    ) -> User:
        """Create an account, with a password (checked against the rules) and memberships."""
        check_account(user, network_ids)
        if password is not None:
            check_password(password, user)
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            return await add_account(
                uow, user, hash_password(password) if password else None, network_ids, actor, now
            )

    async def set_password(self, user_id: int, password: str, actor: Actor) -> None:
        """Give an account a new password; every session of that account ends."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            user = await uow.users.get(user_id)
            check_password(password, user)
            await uow.users.set_password_hash(user_id, hash_password(password), now)
            await AccountLinks(uow.conn).void(user_id, now)  # a reset link sent before is void
            await uow.audit.record(now, actor, "user.password", "user", user_id)
        await self.sessions.delete_for_user(user_id)

    async def change_own_password(self, user_id: int, current: str, new: str) -> None:
        """A user changes their password, proving they know the current one."""
        async with reading(self.ctx.db) as uow:
            user = await uow.users.get(user_id)
            stored = await uow.users.password_hash(user_id)
        if not verify_password(stored, current):
            raise InvalidInput({"current_password": N_("The current password is not correct.")})
        await self.set_password(user_id, new, Actor(user.id, user.name))

    async def set_active(self, user_id: int, active: bool, actor: Actor) -> User:
        """Enable or disable an account; disabling ends its sessions at once."""
        if not active and actor.id == user_id:
            raise InvalidInput({"active": N_("You cannot disable your own account.")})
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            user = await uow.users.get(user_id)
            if not active:
                await _keep_an_administrator(uow, user, "active")
            saved = await uow.users.update(replace(user, active=active))
            await uow.audit.record(
                now, actor, "user.enable" if active else "user.disable", "user", user_id
            )
        if not active:
            await self.sessions.delete_for_user(user_id)
        return saved

    async def update_user(self, user: User, network_ids: tuple[int, ...], actor: Actor) -> User:
        """Change an account's name, role, organisation, language and networks.

        ``user.version`` is the version the editor read: a stale one raises
        VersionConflict and changes nothing. The e-mail address and the active
        flag are kept (``set_active`` changes the latter).
        """
        check_account(user, network_ids)
        assert user.id is not None
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            current = await uow.users.get(user.id)
            if user.role != Role.ADMIN:
                await _keep_an_administrator(uow, current, "role")
            await _check_links(uow, user, network_ids)
            saved = await uow.users.update(
                replace(user, email=current.email, active=current.active)
            )
            added, removed = await Members(uow.conn).set_networks(user.id, network_ids)
            await uow.audit.record(
                now,
                actor,
                "user.update",
                "user",
                user.id,
                role=str(saved.role),
                networks_added=added,
                networks_removed=removed,
            )
        return saved

    async def users(self) -> list[tuple[User, list[int]]]:
        """Every account with the ids of its networks, by role and name."""
        async with reading(self.ctx.db) as uow:
            members = await Members(uow.conn).all()
            return [(user, members.get(user.id or 0, [])) for user in await uow.users.all()]

    async def user(self, user_id: int) -> tuple[User, list[int]]:
        """One account with the ids of its networks; NotFound when there is none."""
        async with reading(self.ctx.db) as uow:
            return await uow.users.get(user_id), await Members(uow.conn).networks_of(user_id)

    async def user_by_email(self, email: str) -> User:
        """An account by e-mail; NotFound when there is none."""
        async with reading(self.ctx.db) as uow:
            user = await uow.users.by_email(email)
        if user is None:
            raise NotFound("user", email)
        return user

    async def viewer(self, user_id: int) -> Viewer:
        """The user as a request sees them, with their networks."""
        async with reading(self.ctx.db) as uow:
            return await _viewer(uow, await uow.users.get(user_id))

    # --- logging in and out -------------------------------------------------------

    async def login(
        self, email: str, password: str, client: str, replacing: str | None = None
    ) -> LoggedIn:
        """Check the password and open a new session (the old one, if any, is ended).

        Failures are throttled per account and per client; every outcome is audited.
        """
        email = email.strip().lower()
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            failures = LoginFailures(uow.conn)
            per_account, per_client = await failures.counts_since(
                email, client, now - THROTTLE_WINDOW
            )
            if per_account >= MAX_FAILURES_PER_ACCOUNT or per_client >= MAX_FAILURES_PER_CLIENT:
                await uow.audit.record(
                    now, SYSTEM, "auth.throttled", "user", None, email=email, client=client
                )
                throttled = True
            else:
                throttled = False
                user = await uow.users.by_email(email)
                stored = await uow.users.password_hash(user.id) if user and user.id else None
                ok = verify_password(stored, password) and user is not None and user.active
                if not ok:
                    await failures.add(email, client, now)
                    await uow.audit.record(
                        now,
                        SYSTEM,
                        "auth.login_failed",
                        "user",
                        user.id if user else None,
                        email=email,
                        client=client,
                    )
        if throttled:
            raise LoginThrottled(int(THROTTLE_WINDOW.total_seconds()))
        if not ok or user is None or user.id is None:
            raise LoginRefused()
        rehash = hash_password(password) if stored and needs_rehash(stored) else None
        return await self._open_session(user, rehash, client, replacing, now)

    async def _open_session(
        self, user: User, rehash: str | None, client: str, replacing: str | None, now: datetime
    ) -> LoggedIn:
        assert user.id is not None
        if replacing:
            # A new id at every login: a session id planted before login is worth nothing.
            await self.sessions.delete(digest(replacing))
        cookie = secrets.token_urlsafe(32)
        session = Session(user.id, secrets.token_urlsafe(32), now, now)
        await self.sessions.create(digest(cookie), session, client)
        async with writing(self.ctx.db) as uow:
            await LoginFailures(uow.conn).clear(user.email)
            if rehash is not None:  # stored with weaker parameters than today's
                await uow.users.set_password_hash(user.id, rehash, now)
            await uow.audit.record(
                now, Actor(user.id, user.name), "auth.login", "user", user.id, client=client
            )
            viewer = await _viewer(uow, user)
        return LoggedIn(cookie, session, viewer)

    async def logout(self, cookie: str, viewer: Viewer) -> None:
        """End a session."""
        await self.sessions.delete(digest(cookie))
        async with writing(self.ctx.db) as uow:
            await uow.audit.record(
                self.ctx.clock.now(), viewer.actor, "auth.logout", "user", viewer.user_id
            )

    async def resolve_session(self, cookie: str) -> tuple[Viewer, Session] | None:
        """The viewer behind a session cookie, or None when it is unknown, expired or revoked."""
        key = digest(cookie)
        session = await self.sessions.get(key)
        if session is None:
            return None
        now = self.ctx.clock.now()
        if session.expired(now, self.policy.idle, self.policy.absolute):
            await self.sessions.delete(key)
            return None
        async with reading(self.ctx.db) as uow:
            try:
                user = await uow.users.get(session.user_id)
            except NotFound:
                user = None
            viewer = await _viewer(uow, user) if user is not None and user.active else None
        if viewer is None:
            await self.sessions.delete(key)
            return None
        if now - session.seen_at >= TOUCH_EVERY:
            await self.sessions.touch(key, session, now)
        return viewer, session

    # --- API tokens -----------------------------------------------------------------

    async def create_token(self, email: str, name: str, actor: Actor) -> str:
        """A new API token for an account; the value is returned once and stored hashed."""
        now = self.ctx.clock.now()
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        async with writing(self.ctx.db) as uow:
            user = await uow.users.by_email(email)
            if user is None or user.id is None:
                raise NotFound("user", email)
            token_id = await Tokens(uow.conn).add(user.id, digest(token), name, now)
            await uow.audit.record(
                now, actor, "token.create", "user", user.id, token_id=token_id, name=name
            )
        return token

    async def resolve_token(self, token: str) -> Viewer | None:
        """The viewer behind a bearer token, or None for an unknown, revoked or disabled one."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        now = self.ctx.clock.now()
        async with reading(self.ctx.db) as uow:
            found = await Tokens(uow.conn).owner(digest(token))
            if found is None:
                return None
            token_id, user_id, last_used = found
            user = await uow.users.get(user_id)
            if not user.active:
                return None
            viewer = await _viewer(uow, user)
        if last_used is None or now - last_used >= TOUCH_EVERY:
            async with writing(self.ctx.db) as uow:
                await Tokens(uow.conn).used(token_id, now)
        return viewer

    # --- the audit of refusals ------------------------------------------------------

    async def refused(self, viewer: Viewer | None, method: str, path: str, client: str) -> None:
        """Audit a request refused for lack of a role or permission."""
        async with writing(self.ctx.db) as uow:
            await uow.audit.record(
                self.ctx.clock.now(),
                viewer.actor if viewer else SYSTEM,
                "auth.refused",
                "route",
                None,
                method=method,
                path=path[:300],
                client=client,
            )


async def add_account(
    uow: UnitOfWork,
    user: User,
    password_hash: str | None,
    network_ids: tuple[int, ...],
    actor: Actor,
    now: datetime,
    action: str = "user.create",
) -> User:
    """Insert a checked account with its memberships, audited, in the caller's transaction."""
    if await uow.users.by_email(user.email) is not None:
        raise InvalidInput({"email": N_("An account with this e-mail already exists.")})
    await _check_links(uow, user, network_ids)
    saved = await uow.users.add(user, now, password_hash)
    assert saved.id is not None
    for network_id in network_ids:
        await Members(uow.conn).add(saved.id, network_id)
    await uow.audit.record(now, actor, action, "user", saved.id, role=str(user.role))
    return saved


def check_account(user: User, network_ids: tuple[int, ...]) -> None:
    """Raise InvalidInput for a malformed account or memberships that do not fit its role."""
    user.validate()
    _check_memberships(user, network_ids)


def generated_password(user: User) -> str:
    """A random password that meets the rules, for an account created without one."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password, email=user.email, name=user.name) is None:
            return password


def _check_memberships(user: User, network_ids: tuple[int, ...]) -> None:
    if user.role == Role.PARTNER and network_ids:
        raise InvalidInput({"network_ids": N_("Partner users do not belong to a network.")})


async def _check_links(uow: UnitOfWork, user: User, network_ids: tuple[int, ...]) -> None:
    """Refuse a partner organisation or a network that does not exist."""
    try:
        if user.partner_id is not None:
            await uow.partners.get(user.partner_id)
    except NotFound:
        message = N_("Choose a partner organisation from the list.")
        raise InvalidInput({"partner_id": message}) from None
    try:
        for network_id in network_ids:
            await uow.networks.get(network_id)
    except NotFound:
        raise InvalidInput({"network_ids": N_("Choose networks from the list.")}) from None


def check_password(password: str, user: User) -> None:
    """Raise InvalidInput when ``password`` breaks the rules for this account."""
    problem = password_problem(password, email=user.email, name=user.name)
    if problem is not None:
        raise InvalidInput({"password": problem})


LAST_ADMINISTRATOR = N_(
    "This is the last active administrator: make another account an administrator first."
)


async def _keep_an_administrator(uow: UnitOfWork, user: User, field: str) -> None:
    """Refuse to disable or demote the last active administrator, or nobody could administer.

    The active administrators' rows are locked, so two administrators removing
    each other at once cannot both succeed.
    """
    if user.role != Role.ADMIN or not user.active:
        return
    if await uow.users.active_administrators(lock=True) == [user.id]:
        raise InvalidInput({field: LAST_ADMINISTRATOR})


async def _viewer(uow: UnitOfWork, user: User) -> Viewer:
    assert user.id is not None
    networks = await Members(uow.conn).networks_of(user.id)
    return Viewer(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=Role(user.role),
        network_ids=frozenset(networks),
        partner_id=user.partner_id,
        locale=user.locale,
    )

"""Setting a password through an e-mailed link: resets asked for on the login page, and the
shared part of invitations (issuing a link, and using one).

Built as OWASP ASVS V2.5 and the Forgot Password Cheat Sheet ask: the same answer whether
or not the address has an account, a random single-use secret stored only as a hash and
valid for an hour, void once used or once a newer one is sent, requests throttled per
address and per client, every other session ended when the password is set, a notice
to the account afterwards, and all of it in the audit log. The person then logs in as
usual: a link never opens a session by itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.domain.account_links import VALID_FOR, Link, LinkProblem, LinkPurpose
from engine.domain.users import SYSTEM, Actor, User
from engine.errors import LinkRefused, NotFound, ResetThrottled
from engine.passwords import hash_password
from engine.services.account_mail import changed_mail, reset_mail
from engine.services.accounts import check_password, digest
from engine.services.context import Context
from engine.store.repositories.account_links import AccountLinks, ResetRequests
from engine.store.repositories.accounts import Sessions
from engine.store.uow import UnitOfWork, reading, writing

RESET_WINDOW = timedelta(minutes=15)
MAX_RESETS_PER_ADDRESS = 3
"""Per address in the window: enough for a mail that went to spam, too few to flood a mailbox."""
MAX_RESETS_PER_CLIENT = 10
LINK_PATHS = {LinkPurpose.INVITATION: "/invitation/", LinkPurpose.RESET: "/password/reset/"}


@dataclass(frozen=True, slots=True)
class Issued:
    """A link just made: its id, the URL with the secret (for the e-mail only), its expiry."""

    id: int
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkHolder:
    """Whose link it is, for the page where its holder chooses a password."""

    user: User
    link: Link


async def issue_link(
    ctx: Context, uow: UnitOfWork, user: User, purpose: LinkPurpose, now: datetime, actor: Actor
) -> Issued:
    """Make a new link for ``user`` (voiding their earlier one of this purpose)."""
    assert user.id is not None
    secret = secrets.token_urlsafe(32)
    expires_at = now + VALID_FOR[purpose]
    link_id = await AccountLinks(uow.conn).add(
        user.id, purpose, digest(secret), now, expires_at, actor.id
    )
    url = f"{ctx.base_url.rstrip('/')}{LINK_PATHS[purpose]}{secret}"
    return Issued(link_id, url, expires_at)


class PasswordLinkService:
    """Ask for a reset link, look a link up, and set a password with it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def request_reset(self, email: str, client: str) -> None:
        """Send a reset link to ``email`` if it has an active account; otherwise do nothing.

        The caller answers the same in both cases. Raises ResetThrottled (for known and
        unknown addresses alike) past the limits.
        """
        email = email.strip().lower()[:254]
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            requests = ResetRequests(uow.conn)
            per_address, per_client = await requests.counts_since(email, client, now - RESET_WINDOW)
            throttled = per_address >= MAX_RESETS_PER_ADDRESS or per_client >= MAX_RESETS_PER_CLIENT
            action = "auth.reset_throttled" if throttled else "auth.reset_requested"
            user = None if throttled else await uow.users.by_email(email)
            if not throttled:
                await requests.add(email, client, now)
            if user is not None and user.active:
                issued = await issue_link(self.ctx, uow, user, LinkPurpose.RESET, now, SYSTEM)
                await uow.outbox.add(
                    [reset_mail(user, issued.url, issued.id, issued.expires_at)],
                    now,
                    self.ctx.mail_domain,
                )
            target = user.id if user is not None else None
            await uow.audit.record(now, SYSTEM, action, "user", target, email=email, client=client)
        if throttled:
            raise ResetThrottled(int(RESET_WINDOW.total_seconds()))

    async def send_reset(self, user_id: int, actor: Actor) -> Issued:
        """An administrator sends an account its reset link (instead of telling a password)."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            user = await uow.users.get(user_id)
            issued = await issue_link(self.ctx, uow, user, LinkPurpose.RESET, now, actor)
            await uow.outbox.add(
                [reset_mail(user, issued.url, issued.id, issued.expires_at)],
                now,
                self.ctx.mail_domain,
            )
            await uow.audit.record(
                now, actor, "user.reset_sent", "user", user_id, link_id=issued.id
            )
        return issued

    async def holder(self, secret: str, purpose: LinkPurpose) -> LinkHolder:
        """The account a usable link belongs to; LinkRefused says why a link is not usable."""
        async with reading(self.ctx.db) as uow:
            return await _usable(uow, secret, purpose, self.ctx.clock.now())

    async def set_password(
        self, secret: str, purpose: LinkPurpose, password: str, client: str
    ) -> User:
        """Set the account's password with its link: the link is spent, every session ends.

        A reset also sends the account a notice that its password changed. Raises
        LinkRefused for a link that is not usable and InvalidInput for a weak password
        (the link then stays usable).
        """
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            found = await _usable(uow, secret, purpose, now)
            user = found.user
            assert user.id is not None
            check_password(password, user)
            links = AccountLinks(uow.conn)
            if not await links.use(found.link.id, now):  # another tab was quicker
                raise LinkRefused(LinkProblem.USED)
            await links.void(user.id, now)
            await uow.users.set_password_hash(user.id, hash_password(password), now)
            ended = await Sessions(uow.conn).delete_for_user(user.id)
            accepted = purpose == LinkPurpose.INVITATION
            if not accepted:
                await uow.outbox.add(
                    [changed_mail(user, now, found.link.id)], now, self.ctx.mail_domain
                )
            await uow.audit.record(
                now,
                Actor(user.id, user.name),
                "user.invitation_accepted" if accepted else "user.password_reset",
                "user",
                user.id,
                link_id=found.link.id,
                sessions_ended=ended,
                client=client,
            )
        return user


async def _usable(uow: UnitOfWork, secret: str, purpose: LinkPurpose, now: datetime) -> LinkHolder:
    link = await AccountLinks(uow.conn).by_hash(digest(secret)) if secret else None
    if link is None or link.purpose != purpose:
        raise LinkRefused(LinkProblem.UNKNOWN)
    if (problem := link.problem(now)) is not None:
        raise LinkRefused(problem)
    try:
        user = await uow.users.get(link.user_id)
    except NotFound:
        raise LinkRefused(LinkProblem.UNKNOWN) from None
    if not user.active:  # disabled after the link was sent
        raise LinkRefused(LinkProblem.REPLACED)
    return LinkHolder(user, link)

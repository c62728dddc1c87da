"""Inviting people by e-mail: an account without a password, and a link to choose one.

The account is "invited" until its person sets a password through the link (see
``password_links``). The invitation can be sent again (a new link; the old one is
void) or withdrawn (the link is void and the account disabled, so the address can
be invited again later). Every step is in the audit log, and the e-mail goes
through the outbox in the same transaction, so it is sent exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from engine.domain.account_links import Link, LinkPurpose
from engine.domain.users import Actor, Role, User
from engine.errors import InvalidInput
from engine.i18n import N_
from engine.services.account_mail import invitation_mail
from engine.services.accounts import add_account, check_account
from engine.services.context import Context
from engine.services.password_links import Issued, issue_link
from engine.store.repositories.account_links import AccountLinks
from engine.store.repositories.members import Members
from engine.store.uow import UnitOfWork, reading, writing

ALREADY_ACCEPTED = N_("This person has already set a password: the invitation was accepted.")


@dataclass(frozen=True, slots=True)
class Invited:
    """An account invited just now, and its link (the URL goes only into the e-mail)."""

    user: User
    link: Issued


@dataclass(frozen=True, slots=True)
class InvitationState:
    """Where an account's invitation stands, for the list of accounts."""

    sent_at: datetime
    expires_at: datetime
    expired: bool
    withdrawn: bool


class InvitationService:
    """Invite, send again, withdraw, and tell where invitations stand."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def invite(self, user: User, network_ids: tuple[int, ...], actor: Actor) -> Invited:
        """Create the account without a password and queue its invitation e-mail."""
        check_account(user, network_ids)
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            saved = await add_account(uow, user, None, network_ids, actor, now, "user.invite")
            issued = await self._send(uow, saved, actor, now)
        return Invited(saved, issued)

    async def resend(self, user_id: int, actor: Actor) -> Invited:
        """A new link for an invited account (a withdrawn one is enabled again)."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            user = await self._invited(uow, user_id)
            if not user.active:
                user = await uow.users.update(replace(user, active=True))
            issued = await self._send(uow, user, actor, now)
            await uow.audit.record(
                now, actor, "user.invitation_resent", "user", user_id, link_id=issued.id
            )
        return Invited(user, issued)

    async def withdraw(self, user_id: int, actor: Actor) -> User:
        """Void the invitation's link and disable the account."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            user = await self._invited(uow, user_id)
            await AccountLinks(uow.conn).void(user_id, now)
            saved = await uow.users.update(replace(user, active=False))
            await uow.audit.record(now, actor, "user.invitation_withdrawn", "user", user_id)
        return saved

    async def states(self, users: list[User]) -> dict[int, InvitationState]:
        """The invitation of every account in ``users`` that has not set a password yet."""
        waiting = [u.id for u in users if u.id is not None and not u.has_password]
        now = self.ctx.clock.now()
        async with reading(self.ctx.db) as uow:
            links = await AccountLinks(uow.conn).latest_invitations(waiting)
        return {user_id: _state(link, now) for user_id, link in links.items()}

    async def _invited(self, uow: UnitOfWork, user_id: int) -> User:
        user = await uow.users.get(user_id)
        if user.has_password:
            raise InvalidInput({"invitation": ALREADY_ACCEPTED})
        return user

    async def _send(self, uow: UnitOfWork, user: User, actor: Actor, now: datetime) -> Issued:
        issued = await issue_link(self.ctx, uow, user, LinkPurpose.INVITATION, now, actor)
        mail = invitation_mail(
            user, issued.url, issued.id, issued.expires_at, actor.name, await _where(uow, user)
        )
        await uow.outbox.add([mail], now, self.ctx.mail_domain)
        return issued


async def _where(uow: UnitOfWork, user: User) -> list[str]:
    """The names of the invited person's networks, or of their partner organisation."""
    if user.role == Role.PARTNER and user.partner_id is not None:
        return [(await uow.partners.get(user.partner_id)).name]
    assert user.id is not None
    ids = await Members(uow.conn).networks_of(user.id)
    return [(await uow.networks.get(network_id)).name for network_id in sorted(ids)]


def _state(link: Link, now: datetime) -> InvitationState:
    return InvitationState(
        sent_at=link.created_at,
        expires_at=link.expires_at,
        expired=link.used_at is None and link.voided_at is None and now >= link.expires_at,
        withdrawn=link.voided_at is not None,
    )

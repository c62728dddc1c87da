"""Networks, partners and users: the directory the pipeline works within."""

from __future__ import annotations

from datetime import datetime

from engine.domain.access import Scope
from engine.domain.network import Network
from engine.domain.partner import Partner
from engine.domain.users import Actor, User
from engine.errors import DuplicatePartner, InvalidInput
from engine.i18n import N_
from engine.services.context import Context, refresh_due_items
from engine.store.repositories.members import Members
from engine.store.uow import UnitOfWork, reading, writing


class DirectoryService:
    """Create and change networks, partners and users."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def add_network(self, network: Network, actor: Actor) -> Network:
        """Create a watch network."""
        network.validate()
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            if await uow.networks.by_name(network.name) is not None:
                raise InvalidInput({"name": N_("A network with this name already exists.")})
            saved = await uow.networks.add(network)
            await uow.audit.record(now, actor, "network.create", "network", saved.id)
        return saved

    async def update_network(self, network: Network, actor: Actor) -> Network:
        """Change a network's name or timing settings, checking its version.

        New timing settings move the due dates of the network's collaborations
        in the same transaction.
        """
        network.validate()
        self._check_overrides(network)
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            before = await uow.networks.get(network.id)  # type: ignore[arg-type]
            saved = await uow.networks.update(network)
            await uow.audit.record(now, actor, "network.update", "network", saved.id)
            if saved.timing_settings() != before.timing_settings():
                for cid in await uow.collaborations.ids_in_network(saved.id):  # type: ignore[arg-type]
                    await refresh_due_items(self.ctx, uow, await uow.records.load_file(cid), now)
        return saved

    def _check_overrides(self, network: Network) -> None:
        rules = {rule.name: rule for rule in self.ctx.workflow.timing}
        errors = {}
        for name, override in network.timing.items():
            if name not in rules:
                errors[f"timing.{name}"] = N_("There is no such reminder.")
            elif (problem := rules[name].override_problem(override)) is not None:
                errors[f"timing.{name}"] = problem
        if errors:
            raise InvalidInput(errors)

    async def networks(self) -> list[Network]:
        """Every network."""
        async with reading(self.ctx.db) as uow:
            return await uow.networks.all()

    async def networks_in(self, scope: Scope) -> list[Network]:
        """The networks ``scope`` works in: every one for administrators."""
        every = await self.networks()
        return every if scope.everything else [n for n in every if n.id in scope.network_ids]

    async def add_partner(
        self,
        partner: Partner,
        actor: Actor,
        network_id: int | None = None,
        *,
        despite_similar: bool = False,
    ) -> Partner:
        """Register a partner organisation, in a network's list when one is given."""
        partner.validate()
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            return await register_partner(
                uow, partner, actor, now, network_id, despite_similar=despite_similar
            )

    async def update_partner(self, partner: Partner, actor: Actor) -> Partner:
        """Change a partner's details, contacts and busy seasons, checking its version."""
        partner.validate()
        async with writing(self.ctx.db) as uow:
            return await save_partner(uow, partner, actor, self.ctx.clock.now())

    async def partner(self, partner_id: int) -> Partner:
        """One partner."""
        async with reading(self.ctx.db) as uow:
            return await uow.partners.get(partner_id)

    async def add_user(self, user: User, actor: Actor) -> User:
        """Create an account."""
        user.validate()
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            if await uow.users.by_email(user.email) is not None:
                raise InvalidInput({"email": N_("An account with this e-mail already exists.")})
            saved = await uow.users.add(user, now)
            await uow.audit.record(now, actor, "user.create", "user", saved.id)
        return saved

    async def add_member(self, user_id: int, network_id: int, actor: Actor) -> bool:
        """Make a user a member of a network; False (and nothing recorded) if already one."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            await uow.users.get(user_id)
            await uow.networks.get(network_id)
            added = await Members(uow.conn).add(user_id, network_id)
            if added:
                await uow.audit.record(
                    now, actor, "network.add_member", "network", network_id, user_id=user_id
                )
        return added


async def register_partner(
    uow: UnitOfWork,
    partner: Partner,
    actor: Actor,
    now: datetime,
    network_id: int | None = None,
    *,
    despite_similar: bool = False,
) -> Partner:
    """Store a validated new partner with its audit entry, in a network's list if given.

    A partner of the same normalised name already in that list raises
    DuplicatePartner, unless the person confirmed it is another organisation.
    """
    if network_id is not None:
        await uow.networks.get(network_id)
        similar = await uow.partners.same_name_in(partner.key, (network_id,))
        if similar and not despite_similar:
            raise DuplicatePartner(similar)
    saved = await uow.partners.add(partner)
    assert saved.id is not None
    detail = {} if network_id is None else {"network_id": network_id}
    await uow.audit.record(now, actor, "partner.create", "partner", saved.id, **detail)
    if network_id is not None:
        await uow.partners.link(network_id, saved.id)
    return saved


async def save_partner(uow: UnitOfWork, partner: Partner, actor: Actor, now: datetime) -> Partner:
    """Store a validated change to a partner, checking its version, with its audit entry."""
    saved = await uow.partners.update(partner)
    await uow.audit.record(now, actor, "partner.update", "partner", saved.id)
    return saved

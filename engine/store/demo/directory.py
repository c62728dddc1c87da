"""The demo's networks, accounts and partners: found by name or e-mail, or created."""

from __future__ import annotations

from engine.domain.network import Network
from engine.domain.partner import BusySeason, Contact, Partner
from engine.domain.users import SYSTEM, User
from engine.store.demo.networks import NETWORKS, USERS, UserSpec
from engine.store.demo.partners import PARTNERS
from engine.store.demo.report import DemoReport
from engine.store.services import Context, DirectoryService
from engine.store.uow import reading


async def ensure_networks(ctx: Context, report: DemoReport) -> dict[str, int]:
    """The ids of the demo networks by key, creating those missing."""
    directory, ids = DirectoryService(ctx), {}
    for spec in NETWORKS:
        async with reading(ctx.db) as uow:
            found = await uow.networks.by_name(spec.name)
        if found is None:
            found = await directory.add_network(
                Network(
                    None,
                    spec.name,
                    spec.municipality,
                    spec.prefecture,
                    spec.approach_reminder_months,
                    spec.approach_escalation_months,
                ),
                SYSTEM,
            )
            report.networks.append(spec.name)
        assert found.id is not None
        ids[spec.key] = found.id
    return ids


async def ensure_users(ctx: Context, report: DemoReport) -> dict[str, int]:
    """The ids of the demo accounts by e-mail, creating those missing."""
    directory, ids = DirectoryService(ctx), {}
    for spec in USERS:
        async with reading(ctx.db) as uow:
            found = await uow.users.by_email(spec.email)
        if found is None:
            found = await directory.add_user(
                User(None, spec.email, spec.name, str(spec.role)), SYSTEM
            )
            report.users.append(spec.email)
        assert found.id is not None
        ids[spec.email] = found.id
        await _ensure_memberships(ctx, found.id, spec)
    return ids


async def _ensure_memberships(ctx: Context, user_id: int, spec: UserSpec) -> None:
    """A coordinator belongs to their network; an account without one to every network."""
    wanted = [n.name for n in NETWORKS if spec.network in (None, n.key)]
    async with reading(ctx.db) as uow:
        network_ids = [found.id for name in wanted if (found := await uow.networks.by_name(name))]
    for network_id in network_ids:
        assert network_id is not None
        await DirectoryService(ctx).add_member(user_id, network_id, SYSTEM)


async def ensure_partners(ctx: Context, report: DemoReport) -> dict[str, int]:
    """The ids of the demo partners by key, creating those missing."""
    directory, ids = DirectoryService(ctx), {}
    for spec in PARTNERS:
        async with reading(ctx.db) as uow:
            found = await uow.partners.id_by_name(spec.name)
        if found is None:
            contacts = tuple(
                Contact(name, title, email=f"mimamori@{spec.email_domain}" if i else "")
                for i, (name, title) in enumerate(spec.contacts)
            )
            seasons = tuple(BusySeason(start, end, note) for start, end, note in spec.busy_seasons)
            partner = Partner(
                None,
                spec.name,
                spec.industry,
                spec.area,
                note=spec.note,
                contacts=contacts,
                busy_seasons=seasons,
            )
            found = (await directory.add_partner(partner, SYSTEM)).id
            report.partners.append(spec.name)
        assert found is not None
        ids[spec.key] = found
    return ids

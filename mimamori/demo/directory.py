"""The demo's networks, accounts and partners: found by name or e-mail, or created."""

from __future__ import annotations

from engine.domain.network import Network
from engine.domain.partner import BusySeason, Contact, Partner
from engine.domain.users import SYSTEM, Role, User
from engine.services import Context, DirectoryService
from engine.services.accounts import AccountService
from engine.store.sessions import DatabaseSessions
from engine.store.uow import reading
from mimamori.demo.networks import DEMO_PASSWORD, NETWORKS, USERS, UserSpec
from mimamori.demo.partners import PARTNERS
from mimamori.demo.report import DemoReport


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


async def ensure_users(
    ctx: Context, report: DemoReport, partner_ids: dict[str, int]
) -> dict[str, int]:
    """The ids of the demo accounts by e-mail, creating those missing.

    The accounts that can log in get DEMO_PASSWORD and are listed in the report.
    """
    accounts, ids = AccountService(ctx, DatabaseSessions(ctx.db)), {}
    for spec in USERS:
        password = DEMO_PASSWORD if spec.login else None
        async with reading(ctx.db) as uow:
            found = await uow.users.by_email(spec.email)
            has_password = found is not None and bool(await uow.users.password_hash(found.id))
        if found is None:
            partner_id = partner_ids[spec.partner] if spec.partner else None
            user = User(None, spec.email, spec.name, str(spec.role), partner_id=partner_id)
            found = await accounts.create_user(user, password, SYSTEM)
            report.users.append(spec.email)
        elif password and not has_password:  # seeded before demo accounts could log in
            assert found.id is not None
            await accounts.set_password(found.id, password, SYSTEM)
        assert found.id is not None
        ids[spec.email] = found.id
        if password:
            report.logins.append((str(spec.role), spec.email, password))
        await _ensure_memberships(ctx, found.id, spec)
    return ids


async def _ensure_memberships(ctx: Context, user_id: int, spec: UserSpec) -> None:
    """Staff belong to their network, or to every network when they name none."""
    if spec.role not in (Role.MANAGER, Role.COORDINATOR):
        return
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

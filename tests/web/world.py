"""A small world for web tests: two municipalities, a shared partner, and one account per role.

みどり市 works with みどり信用金庫 (A) and 共栄生協 (C); あおば町 works with
あおば運輸 (B) and also with 共栄生協 (C), the partner the two share. The
partner user belongs to A.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from engine.clock import FixedClock
from engine.domain.network import Network
from engine.domain.partner import Contact, Industry, Partner
from engine.domain.users import SYSTEM, User
from engine.services import CollaborationService, Context, DirectoryService
from engine.services.accounts import AccountService
from engine.store import migrate
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from workflows.collaboration import COLLABORATION

PASSWORD = "Kusunoki-2026!"
NOW = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)


@dataclass
class World:
    """Ids of what was created, by short names."""

    networks: dict[str, int] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)
    collaborations: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)


async def build_world(url: str) -> World:
    """Migrate the database at ``url`` and fill it."""
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    directory, collaborations = DirectoryService(ctx), CollaborationService(ctx)
    accounts = AccountService(ctx, DatabaseSessions(db))
    world = World()
    for key, name, town in (
        ("midori", "みどり市見守りネットワーク", "みどり市"),
        ("aoba", "あおば町見守りネットワーク", "あおば町"),
    ):
        network = await directory.add_network(Network(None, name, town, "13"), SYSTEM)
        assert network.id is not None
        world.networks[key] = network.id
    for key, name, industry in (
        ("A", "みどり信用金庫", Industry.BANK),
        ("B", "あおば運輸", Industry.DELIVERY),
        ("C", "共栄生協", Industry.COOP),
    ):
        partner = await directory.add_partner(
            Partner(None, name, industry, "中央地区", contacts=(Contact("佐藤 一郎", "支店長"),)),
            SYSTEM,
        )
        assert partner.id is not None
        world.partners[key] = partner.id
    for key, network, partner in (
        ("A", "midori", "A"),
        ("B", "aoba", "B"),
        ("C-midori", "midori", "C"),
        ("C-aoba", "aoba", "C"),
    ):
        record = await collaborations.add_candidate(
            world.networks[network], world.partners[partner], SYSTEM
        )
        assert record.id is not None
        world.collaborations[key] = record.id
    for key, role, networks, partner in (
        ("admin", "admin", (), None),
        ("manager", "manager", ("midori",), None),
        ("coordinator", "coordinator", ("midori",), None),
        ("aoba", "coordinator", ("aoba",), None),
        ("partner", "partner", (), "A"),
        ("partner_b", "partner", (), "B"),
    ):
        email = f"{key}@example.jp"
        user = await accounts.create_user(
            User(
                None,
                email,
                f"{key} さん",
                role,
                partner_id=world.partners[partner] if partner else None,
            ),
            PASSWORD,
            SYSTEM,
            tuple(world.networks[n] for n in networks),
        )
        assert user.id is not None
        world.users[key] = user.id
        world.emails[key] = email
    await db.dispose()
    return world

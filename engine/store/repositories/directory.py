"""Networks, partner organisations and users."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, delete, insert, literal, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from engine.domain.network import Network, timing_from_json, timing_to_json
from engine.domain.partner import BusySeason, Contact, Industry, Partner
from engine.domain.users import User
from engine.errors import NotFound
from engine.store.repositories.versioned import save_versioned
from engine.store.sets import ID_BATCH, rows_by_id
from engine.store.tables import (
    busy_seasons,
    contacts,
    network_partners,
    networks,
    partners,
    users,
)


def network_from(row: Row[Any]) -> Network:
    """Map a networks row to the record."""
    return network_from_mapping(row._mapping)


def network_from_mapping(values: Mapping[str, Any]) -> Network:
    """Map a networks row's columns (by name) to the record."""
    fields = {name: values[name] for name in Network.__dataclass_fields__}
    fields["timing"] = timing_from_json(fields["timing"])
    return Network(**fields)


class Networks:
    """The watch networks (tenants)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, network: Network) -> Network:
        """Insert a network; returns it with its id."""
        values = _network_values(network)
        new_id = (await self.conn.execute(insert(networks).values(**values))).inserted_primary_key
        return await self.get(new_id[0])

    async def update(self, network: Network) -> Network:
        """Save changed settings, checking the version the caller read."""
        assert network.id is not None
        await save_versioned(
            self.conn,
            networks,
            networks.c.id == network.id,
            {"id": network.id},
            network.version,
            _network_values(network),
        )
        return await self.get(network.id)

    async def get(self, network_id: int) -> Network:
        """One network by id."""
        row = (await self.conn.execute(select(networks).where(networks.c.id == network_id))).first()
        if row is None:
            raise NotFound("network", network_id)
        return network_from(row)

    async def by_name(self, name: str) -> Network | None:
        """A network by its unique name."""
        row = (await self.conn.execute(select(networks).where(networks.c.name == name))).first()
        return network_from(row) if row else None

    async def all(self) -> list[Network]:
        """Every network, by name."""
        rows = await self.conn.execute(select(networks).order_by(networks.c.name))
        return [network_from(r) for r in rows]


def _network_values(network: Network) -> dict[str, Any]:
    return {
        "name": network.name,
        "municipality": network.municipality,
        "prefecture": network.prefecture,
        "approach_reminder_months": network.approach_reminder_months,
        "approach_escalation_months": network.approach_escalation_months,
        "timing": timing_to_json(network.timing),
    }


class Partners:
    """Partner organisations with their contacts and busy seasons."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, partner: Partner) -> Partner:
        """Insert a partner with its contacts and busy seasons."""
        result = await self.conn.execute(insert(partners).values(**_partner_values(partner)))
        partner_id = result.inserted_primary_key[0]
        await self._write_children(partner_id, partner)
        return await self.get(partner_id)

    async def update(self, partner: Partner) -> Partner:
        """Replace a partner's fields, contacts and busy seasons, checking its version."""
        assert partner.id is not None
        await save_versioned(
            self.conn,
            partners,
            partners.c.id == partner.id,
            {"id": partner.id},
            partner.version,
            _partner_values(partner),
        )
        await self.conn.execute(delete(contacts).where(contacts.c.partner_id == partner.id))
        await self.conn.execute(delete(busy_seasons).where(busy_seasons.c.partner_id == partner.id))
        await self._write_children(partner.id, partner)
        return await self.get(partner.id)

    async def _write_children(self, partner_id: int, partner: Partner) -> None:
        if partner.contacts:
            await self.conn.execute(
                insert(contacts),
                [
                    {
                        "partner_id": partner_id,
                        "name": c.name,
                        "title": c.title,
                        "email": c.email,
                        "phone": c.phone,
                    }
                    for c in partner.contacts
                ],
            )
        if partner.busy_seasons:
            await self.conn.execute(
                insert(busy_seasons),
                [
                    {
                        "partner_id": partner_id,
                        "start_month": s.start[0],
                        "start_day": s.start[1],
                        "end_month": s.end[0],
                        "end_day": s.end[1],
                        "note": s.note,
                    }
                    for s in partner.busy_seasons
                ],
            )

    async def get(self, partner_id: int) -> Partner:
        """One partner with contacts and busy seasons."""
        row = (await self.conn.execute(select(partners).where(partners.c.id == partner_id))).first()
        if row is None:
            raise NotFound("partner", partner_id)
        return await self._with_children(row._mapping)

    async def _with_children(self, row: Mapping[str, Any]) -> Partner:
        """A partner from its row's columns, with contacts and busy seasons read in."""
        partner_id = row["id"]
        contact_rows = await self.conn.execute(
            select(contacts).where(contacts.c.partner_id == partner_id).order_by(contacts.c.id)
        )
        season_rows = await self.conn.execute(
            select(busy_seasons)
            .where(busy_seasons.c.partner_id == partner_id)
            .order_by(busy_seasons.c.id)
        )
        return Partner(
            id=partner_id,
            name=row["name"],
            industry=Industry(row["industry"]),
            area=row["area"],
            note=row["note"],
            contacts=tuple(
                Contact(c.name, c.title, c.email, c.phone, id=c.id) for c in contact_rows
            ),
            busy_seasons=tuple(
                BusySeason((s.start_month, s.start_day), (s.end_month, s.end_day), s.note)
                for s in season_rows
            ),
            version=row["version"],
            kana=row["kana"],
            address=row["address"],
            phone=row["phone"],
            website=row["website"],
        )

    async def link(self, network_id: int, partner_id: int) -> bool:
        """Put a partner in a network's list; False if it was there already."""
        there = await self.conn.execute(
            select(network_partners.c.partner_id).where(
                network_partners.c.network_id == network_id,
                network_partners.c.partner_id == partner_id,
            )
        )
        if there.first() is not None:
            return False
        values = {"network_id": network_id, "partner_id": partner_id}
        await self.conn.execute(insert(network_partners).values(**values))
        return True

    async def networks_of(self, partner_id: int) -> set[int]:
        """The networks whose list holds this partner."""
        query = select(network_partners.c.network_id).where(
            network_partners.c.partner_id == partner_id
        )
        return set((await self.conn.execute(query)).scalars())

    async def same_name_in(self, key: str, network_ids: Iterable[int]) -> list[tuple[int, str]]:
        """(id, name) of the partners in these networks' lists whose name has this key."""
        query = (
            select(partners.c.id, partners.c.name)
            .where(
                partners.c.name_key == key,
                partners.c.id.in_(
                    select(network_partners.c.partner_id).where(
                        network_partners.c.network_id.in_(sorted(network_ids))
                    )
                ),
            )
            .order_by(partners.c.id)
        )
        return [(row.id, row.name) for row in await self.conn.execute(query)]

    async def id_by_name(self, name: str) -> int | None:
        """The id of the partner with this exact name."""
        return (
            await self.conn.execute(select(partners.c.id).where(partners.c.name == name))
        ).scalar_one_or_none()

    async def keys_in(self, network_id: int) -> dict[str, tuple[int, str]]:
        """(id, name) of each partner in a network's list, by normalised name (lowest id)."""
        query = (
            select(partners.c.id, partners.c.name, partners.c.name_key)
            .join(network_partners, network_partners.c.partner_id == partners.c.id)
            .where(network_partners.c.network_id == network_id)
            .order_by(partners.c.id.desc())
        )
        return {row.name_key: (row.id, row.name) for row in await self.conn.execute(query)}

    async def add_many(self, new: list[Partner], network_id: int) -> list[int]:
        """Insert validated new partners with their contacts into a network's list, in bulk.

        Multi-row INSERT … RETURNING for the partners (ids in the order given),
        an executemany for their contacts and one INSERT … SELECT for the list
        entries. Busy seasons are not written: an import has none.
        """
        if not new:
            return []
        # Matched back by name key (unique within an import), not by parameter order:
        # sorted RETURNING makes SQLite insert one row per statement.
        rows = [_partner_values(p) for p in new]
        returning = insert(partners).returning(partners.c.id, partners.c.name_key)
        by_key = {row.name_key: row.id for row in await self.conn.execute(returning, rows)}
        if len(by_key) != len(new):
            raise ValueError("an import's partners must have distinct name keys")
        ids = [by_key[row["name_key"]] for row in rows]
        people = [
            {
                "partner_id": pid,
                "name": c.name,
                "title": c.title,
                "email": c.email,
                "phone": c.phone,
            }
            for pid, partner in zip(ids, new, strict=True)
            for c in partner.contacts
        ]
        if people:
            await self.conn.execute(insert(contacts), people)
        for start in range(0, len(ids), ID_BATCH):
            added = rows_by_id(partners, ids[start : start + ID_BATCH])
            links = select(literal(network_id, Integer), added.c.id)
            await self.conn.execute(
                insert(network_partners).from_select(["network_id", "partner_id"], links)
            )
        return ids


def _partner_values(partner: Partner) -> dict[str, Any]:
    return {
        "name": partner.name.strip(),
        "name_key": partner.key,
        "kana": partner.kana.strip(),
        "industry": str(partner.industry),
        "area": partner.area.strip(),
        "address": partner.address.strip(),
        "phone": partner.phone.strip(),
        "website": partner.website.strip(),
        "note": partner.note,
    }


class Users:
    """Staff and partner accounts."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, user: User, now: datetime, password_hash: str | None = None) -> User:
        """Insert a user, with a password hash when one is set at once."""
        values = {
            "email": user.email.strip().lower(),
            "name": user.name.strip(),
            "role": str(user.role),
            "active": user.active,
            "locale": user.locale,
            "partner_id": user.partner_id,
        }
        result = await self.conn.execute(
            insert(users).values(
                **values,
                created_at=now,
                password_hash=password_hash,
                password_changed_at=now if password_hash else None,
            )
        )
        return await self.get(result.inserted_primary_key[0])

    async def update(self, user: User) -> User:
        """Save a changed name, role, locale, organisation or active flag, checking the version."""
        assert user.id is not None
        await save_versioned(
            self.conn,
            users,
            users.c.id == user.id,
            {"id": user.id},
            user.version,
            {
                "name": user.name.strip(),
                "role": str(user.role),
                "active": user.active,
                "locale": user.locale,
                "partner_id": user.partner_id,
            },
        )
        return await self.get(user.id)

    async def by_email(self, email: str) -> User | None:
        """A user by e-mail, case-insensitively."""
        row = (
            await self.conn.execute(select(users).where(users.c.email == email.strip().lower()))
        ).first()
        return user_from(row) if row else None

    async def get(self, user_id: int) -> User:
        """One user by id."""
        row = (await self.conn.execute(select(users).where(users.c.id == user_id))).first()
        if row is None:
            raise NotFound("user", user_id)
        return user_from(row)

    async def active_administrators(self, lock: bool = False) -> list[int]:
        """The ids of the active administrators; ``lock`` holds their rows until commit."""
        query = (
            select(users.c.id)
            .where(users.c.role == "admin", users.c.active.is_(True))
            .order_by(users.c.id)
        )
        if lock:
            query = query.with_for_update()
        return [user_id for (user_id,) in await self.conn.execute(query)]

    async def all(self) -> list[User]:
        """Every account, staff first by role, then by name."""
        rows = await self.conn.execute(select(users).order_by(users.c.role, users.c.name))
        return [user_from(r) for r in rows]

    async def password_hash(self, user_id: int) -> str | None:
        """The stored hash, read only when checking a password."""
        return (
            await self.conn.execute(select(users.c.password_hash).where(users.c.id == user_id))
        ).scalar_one_or_none()

    async def set_password_hash(self, user_id: int, password_hash: str, now: datetime) -> None:
        """Store a new hash (a new password, or a rehash with today's parameters)."""
        await self.conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=password_hash, password_changed_at=now)
        )


def user_from(row: Row[Any]) -> User:
    """Map a users row to the record."""
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=row.role,
        active=row.active,
        locale=row.locale,
        partner_id=row.partner_id,
        version=row.version,
        has_password=row.password_hash is not None,
    )

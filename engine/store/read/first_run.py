"""The first-run guide: which of the setting-up steps the data already shows as done.

Nothing is stored about the guide itself: each step is read from the records it
asks for, within the networks the viewer works in (administrators: all of them).
Two queries: the networks in reach, then three EXISTS in one SELECT.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import Scope
from engine.domain.users import Role
from engine.store.database import Database
from engine.store.tables import collaborations, memberships, network_partners, networks, users

NETWORKS_READ = 50
"""Networks looked at for step two; a municipality has a handful."""
STAFF_ROLES = (Role.MANAGER.value, Role.COORDINATOR.value)


@dataclass(frozen=True, slots=True)
class FirstRunFacts:
    """What the database holds that the guide's steps ask for."""

    network_id: int | None
    """The network to open for its timing rules: the first not yet looked at, else the first."""
    has_network: bool
    timing_checked: bool
    has_colleague: bool
    has_partner: bool
    has_collaboration: bool

    @property
    def all_done(self) -> bool:
        """True when every step is done."""
        return all(
            (
                self.has_network,
                self.timing_checked,
                self.has_colleague,
                self.has_partner,
                self.has_collaboration,
            )
        )


def _in_reach(column: ColumnElement[int], scope: Scope) -> ColumnElement[bool]:
    if scope.everything:
        return column.is_not(None)
    return column.in_(sorted(scope.network_ids))


async def first_run_facts(db: Database, scope: Scope, viewer_id: int) -> FirstRunFacts:
    """The guide's facts for a staff viewer with ``scope``; ``viewer_id`` is not a colleague."""
    if not scope.everything and not scope.network_ids:
        return FirstRunFacts(None, False, False, False, False, False)
    reach = (
        select(networks.c.id, networks.c.version, networks.c.timing)
        .where(_in_reach(networks.c.id, scope))
        .order_by(networks.c.id)
        .limit(NETWORKS_READ)
    )
    colleague = select(users.c.id).where(users.c.id != viewer_id, users.c.role.in_(STAFF_ROLES))
    if not scope.everything:
        colleague = colleague.where(
            exists().where(
                memberships.c.user_id == users.c.id, _in_reach(memberships.c.network_id, scope)
            )
        )
    partner = select(network_partners.c.partner_id).where(
        _in_reach(network_partners.c.network_id, scope)
    )
    collaboration = select(collaborations.c.id).where(_in_reach(collaborations.c.network_id, scope))
    found = select(
        exists(colleague).label("colleague"),
        exists(partner).label("partner"),
        exists(collaboration).label("collaboration"),
    )
    async with db.read() as conn:
        rows = (await conn.execute(reach)).all()
        facts = (await conn.execute(found)).one()
    # Saved since it was created, or with timing of its own: someone has looked at it.
    checked = [row.version > 1 or bool(row.timing) for row in rows]
    unchecked = [row.id for row, seen in zip(rows, checked, strict=True) if not seen]
    return FirstRunFacts(
        network_id=(unchecked or [row.id for row in rows] or [None])[0],
        has_network=bool(rows),
        timing_checked=any(checked),
        has_colleague=bool(facts.colleague),
        has_partner=bool(facts.partner),
        has_collaboration=bool(facts.collaboration),
    )

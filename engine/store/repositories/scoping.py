"""Visibility in the queries themselves: the WHERE clause that keeps tenants apart.

``visible(scope)`` gives the clause with the scope's values written in. Hot
read models build their statement once per *kind* of scope with
``visible_to(kind)`` and pass ``scope_params(scope)`` at each execution. Both
follow ``scope_kind``, and tests run every scope kind through both.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Table, bindparam, exists, false, select, true
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import Scope
from engine.store.tables import collaborations, network_partners, partners

EVERYTHING_KIND = "everything"
PARTNER_KIND = "partner"
NETWORKS_KIND = "networks"
NOTHING_KIND = "nothing"


def scope_kind(scope: Scope) -> str:
    """Which shape of visibility clause ``scope`` needs."""
    if scope.everything:
        return EVERYTHING_KIND
    if scope.partner_id is not None:
        return PARTNER_KIND
    return NETWORKS_KIND if scope.network_ids else NOTHING_KIND


def scope_params(scope: Scope) -> dict[str, object]:
    """The bind values of ``visible_to(scope_kind(scope))``."""
    kind = scope_kind(scope)
    if kind == PARTNER_KIND:
        return {"scope_partner": scope.partner_id}
    if kind == NETWORKS_KIND:
        return {"scope_networks": sorted(scope.network_ids)}
    return {}


@cache
def visible_to(kind: str, table: Table = collaborations) -> ColumnElement[bool]:
    """The visibility clause for a kind of scope, its values left as bind parameters."""
    if kind == EVERYTHING_KIND:
        return true()
    if kind == PARTNER_KIND:
        return table.c.partner_id == bindparam("scope_partner")
    if kind == NETWORKS_KIND:
        return table.c.network_id.in_(bindparam("scope_networks", expanding=True))
    return false()


def visible(scope: Scope, table: Table = collaborations) -> ColumnElement[bool]:
    """Rows of ``table`` (with network_id and partner_id columns) that ``scope`` may see."""
    kind = scope_kind(scope)
    if kind == PARTNER_KIND:
        return table.c.partner_id == scope.partner_id
    if kind == NETWORKS_KIND:
        return table.c.network_id.in_(sorted(scope.network_ids))
    return true() if kind == EVERYTHING_KIND else false()


def partner_visible(scope: Scope) -> ColumnElement[bool]:
    """Partners ``scope`` may see: those in its networks' lists (a partner user: their own)."""
    kind = scope_kind(scope)
    if kind == EVERYTHING_KIND:
        return true()
    if kind == PARTNER_KIND:
        return partners.c.id == scope.partner_id
    if kind == NOTHING_KIND:
        return false()
    listed = select(network_partners.c.partner_id).where(
        network_partners.c.partner_id == partners.c.id, visible(scope, network_partners)
    )
    return exists(listed)

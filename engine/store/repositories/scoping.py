"""Visibility in the queries themselves: the WHERE clause that keeps tenants apart."""

from __future__ import annotations

from sqlalchemy import Table, false, true
from sqlalchemy.sql.elements import ColumnElement

from engine.domain.access import Scope
from engine.store.tables import collaborations


def visible(scope: Scope, table: Table = collaborations) -> ColumnElement[bool]:
    """Rows of ``table`` (with network_id and partner_id columns) that ``scope`` may see."""
    if scope.everything:
        return true()
    if scope.partner_id is not None:
        return table.c.partner_id == scope.partner_id
    if not scope.network_ids:
        return false()
    return table.c.network_id.in_(sorted(scope.network_ids))

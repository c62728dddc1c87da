"""The schema as SQLAlchemy Core tables, one module per area; Alembic migrations create it."""

from engine.store.tables.accounts import (
    account_links,
    api_tokens,
    login_failures,
    memberships,
    reset_requests,
    sessions,
    users,
)
from engine.store.tables.attachments import attachments
from engine.store.tables.base import UTCDateTime, metadata
from engine.store.tables.collaborations import (
    activities,
    approvals,
    checkpoints,
    collaborations,
    comments,
    evaluations,
    history,
    kpis,
    measurements,
    memoranda,
    plans,
    renewals,
    scorecards,
)
from engine.store.tables.directory import (
    busy_seasons,
    contacts,
    network_partners,
    networks,
    partners,
)
from engine.store.tables.notices import audit_log, due_items, heartbeats, outbox

__all__ = [
    "UTCDateTime",
    "account_links",
    "activities",
    "api_tokens",
    "approvals",
    "attachments",
    "audit_log",
    "busy_seasons",
    "checkpoints",
    "collaborations",
    "comments",
    "contacts",
    "due_items",
    "evaluations",
    "heartbeats",
    "history",
    "kpis",
    "login_failures",
    "measurements",
    "memberships",
    "memoranda",
    "metadata",
    "network_partners",
    "networks",
    "outbox",
    "partners",
    "plans",
    "renewals",
    "reset_requests",
    "scorecards",
    "sessions",
    "users",
]

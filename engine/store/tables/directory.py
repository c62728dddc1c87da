"""The directory: watch networks, partner organisations, their contacts and busy seasons."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from engine.store.tables.base import (
    id_column,
    metadata,
    version_column,
)

networks = Table(
    "networks",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("municipality", String(100), nullable=False),
    Column("prefecture", String(20), nullable=False),
    Column("approach_reminder_months", Integer, nullable=False, server_default="2"),
    Column("approach_escalation_months", Integer, nullable=False, server_default="3"),
    version_column(),
    # Per-rule offsets and recipients that differ from the workflow's defaults.
    Column("timing", JSON, nullable=False, server_default="{}"),
)

partners = Table(
    "partners",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    # engine.domain.names.name_key(name): what duplicate detection and imports compare.
    Column("name_key", String(200), nullable=False, index=True),
    Column("kana", String(200), nullable=False, server_default=""),
    Column("industry", String(30), nullable=False, index=True),
    Column("area", String(100), nullable=False, index=True),
    Column("address", String(300), nullable=False, server_default=""),
    Column("phone", String(30), nullable=False, server_default=""),
    Column("website", String(300), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    version_column(),
)

# Which networks hold a partner in their list: the partners a network's staff see
# and may edit, with or without a collaboration yet. Two networks working with one
# company share its row.
network_partners = Table(
    "network_partners",
    metadata,
    Column("network_id", Integer, ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_network_partners_partner_id", "partner_id"),
)

contacts = Table(
    "contacts",
    metadata,
    id_column(),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("title", String(100), nullable=False, server_default=""),
    Column("email", String(254), nullable=False, server_default=""),
    Column("phone", String(30), nullable=False, server_default=""),
    Index("ix_contacts_partner_id", "partner_id"),
)

busy_seasons = Table(
    "busy_seasons",
    metadata,
    id_column(),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="CASCADE"), nullable=False),
    Column("start_month", Integer, nullable=False),
    Column("start_day", Integer, nullable=False),
    Column("end_month", Integer, nullable=False),
    Column("end_day", Integer, nullable=False),
    Column("note", String(200), nullable=False, server_default=""),
    Index("ix_busy_seasons_partner_id", "partner_id"),
)

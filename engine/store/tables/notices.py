"""What happened and what is due: the audit log, the due items and the outbox."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from engine.store.tables.base import (
    UTCDateTime,
    collaboration_fk,
    id_column,
    metadata,
)

audit_log = Table(
    "audit_log",
    metadata,
    id_column(),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("action", String(60), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("detail", JSON, nullable=False),
    # The web request (X-Request-ID) or job (job:<id>) that wrote it; none from the CLI.
    Column("request_id", String(100), nullable=True),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_entity", "entity", "entity_id"),
)

due_items = Table(
    "due_items",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("rule", String(60), nullable=False),
    Column("anchor_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("recipients", String(20), nullable=False),
    # The day to send the notice: the due day, or later when someone snoozes it.
    Column("remind_on", Date, nullable=False),
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("notified_at", UTCDateTime, nullable=True),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("acknowledged_by", Integer, ForeignKey("users.id"), nullable=True),
    # The occurrence key: a rescan, a second worker or a retried job cannot add it twice.
    UniqueConstraint("collaboration_id", "rule", "due_on", name="uq_due_items_occurrence"),
    Index(
        "ix_due_items_pending_remind_on",
        "remind_on",
        postgresql_where=text("status = 'pending'"),
        sqlite_where=text("status = 'pending'"),
    ),
)

outbox = Table(
    "outbox",
    metadata,
    id_column(),
    # What the message is about, e.g. "due:42:2026-06-08:7": the same notice is queued once.
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("message_id", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column(
        "collaboration_id",
        Integer,
        ForeignKey("collaborations.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("to_addr", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False, server_default="queued"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
    Index("ix_outbox_collaboration_id", "collaboration_id"),
)

heartbeats = Table(
    "heartbeats",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("seen_at", UTCDateTime, nullable=False),
)
"""When each background role (the worker, or a web process doing its rounds) last ran."""

"""Attachments: which document belongs to which record; the bytes are in the file store."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    false,
)

from engine.store.tables.base import (
    UTCDateTime,
    collaboration_fk,
    id_column,
    metadata,
    version_column,
)

attachments = Table(
    "attachments",
    metadata,
    id_column(),
    collaboration_fk(),
    # The memorandum, a plan or an activity of the collaboration; both empty: the whole.
    Column("record_kind", String(20), nullable=True),
    Column("record_id", Integer, nullable=True),
    Column("name", String(200), nullable=False),  # for display only, never a path
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("uploaded_by_name", String(100), nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
    Column("shared_with_partner", Boolean, nullable=False, server_default=false()),
    version_column(),
    Column("removed_at", UTCDateTime, nullable=True),
    Column("removed_by", Integer, ForeignKey("users.id"), nullable=True),
    CheckConstraint(
        "(record_kind IS NULL AND record_id IS NULL) OR "
        "(record_kind IN ('memorandum', 'plan', 'activity') AND record_id IS NOT NULL)",
        name="record",
    ),
    Index("ix_attachments_collaboration_id", "collaboration_id"),
    Index("ix_attachments_sha256", "sha256"),
)

"""Collaborations, their history, and the records of each stage (scorecards to renewals)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
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
    version_column,
)

collaborations = Table(
    "collaborations",
    metadata,
    id_column(),
    Column("network_id", Integer, ForeignKey("networks.id"), nullable=False),
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("state", String(20), nullable=False),
    version_column(),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("planner", String(100), nullable=False, server_default=""),
    Column("cycle", Integer, nullable=False, server_default="1"),
    Column("state_entered_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_activity_on", Date, nullable=True),
    UniqueConstraint("network_id", "partner_id", name="uq_collaborations_network_partner"),
    Index("ix_collaborations_state_entered", "state", "state_entered_at"),
    Index(
        "ix_collaborations_network_state_entered", "network_id", "state", "state_entered_at", "id"
    ),
    Index("ix_collaborations_owner_network", "owner_id", "network_id"),
    Index("ix_collaborations_state_activity", "state", "last_activity_on"),
    Index("ix_collaborations_partner_id", "partner_id"),
)

history = Table(
    "history",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("version", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("actor_name", String(100), nullable=False),
    Column("event", String(40), nullable=False),
    Column("source", String(20), nullable=False),
    Column("dest", String(20), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("checks", JSON, nullable=False),
    Column("request_id", String(100), nullable=True),  # as audit_log.request_id
    # One entry per version: a second writer of the same version fails here too.
    UniqueConstraint("collaboration_id", "version", name="uq_history_collaboration_version"),
)

activities = Table(
    "activities",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("kind", String(20), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("summary", String(500), nullable=False),
    Column("agenda", Text, nullable=False, server_default=""),
    Column("minutes", Text, nullable=False, server_default=""),
    Column("decisions", Text, nullable=False, server_default=""),
    Column("duration_minutes", Integer, nullable=True),
    Column("participants", Text, nullable=False, server_default=""),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_activities_collaboration_occurred", "collaboration_id", "occurred_on"),
)

scorecards = Table(
    "scorecards",
    metadata,
    Column(
        "collaboration_id",
        Integer,
        ForeignKey("collaborations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    *(
        col
        for level in ("overview", "management", "field")
        for col in (
            Column(f"{level}_rating", Integer, nullable=True),
            Column(f"{level}_note", Text, nullable=False, server_default=""),
        )
    ),
    Column("contact_name", String(100), nullable=False, server_default=""),
    Column("contact_title", String(100), nullable=False, server_default=""),
    version_column(),
    CheckConstraint(
        "(overview_rating IS NULL OR overview_rating BETWEEN 1 AND 5) AND "
        "(management_rating IS NULL OR management_rating BETWEEN 1 AND 5) AND "
        "(field_rating IS NULL OR field_rating BETWEEN 1 AND 5)",
        name="ratings",
    ),
)

memoranda = Table(
    "memoranda",
    metadata,
    Column(
        "collaboration_id",
        Integer,
        ForeignKey("collaborations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("signed_on", Date, nullable=True),
    Column("municipality_signatory", String(100), nullable=False, server_default=""),
    Column("partner_signatory", String(100), nullable=False, server_default=""),
    Column("title", String(200), nullable=False, server_default=""),
    version_column(),
)

plans = Table(
    "plans",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("cycle", Integer, nullable=False),
    *(
        Column(name, Text, nullable=False, server_default="")
        for name in (
            "partner_benefit",
            "municipality_benefit",
            "partner_role",
            "municipality_role",
            "partner_burden",
            "municipality_burden",
        )
    ),
    Column("starts_on", Date, nullable=True),
    Column("ends_on", Date, nullable=True),
    version_column(),
    UniqueConstraint("collaboration_id", "cycle", name="uq_plans_collaboration_cycle"),
)

kpis = Table(
    "kpis",
    metadata,
    id_column(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit", String(30), nullable=False),
    Column("target", Float, nullable=False),
    Index("ix_kpis_plan_id", "plan_id"),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    id_column(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("label", String(200), nullable=False),
    Index("ix_checkpoints_plan_id", "plan_id"),
)

measurements = Table(
    "measurements",
    metadata,
    id_column(),
    Column("kpi_id", Integer, ForeignKey("kpis.id", ondelete="CASCADE"), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("source", String(20), nullable=False),
    Column("reported_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("reported_at", UTCDateTime, nullable=False),
    Index("ix_measurements_kpi_id", "kpi_id"),
)

evaluations = Table(
    "evaluations",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("cycle", Integer, nullable=False),
    Column("evaluated_on", Date, nullable=True),
    Column("went_well", Text, nullable=False, server_default=""),
    Column("to_improve", Text, nullable=False, server_default=""),
    version_column(),
    UniqueConstraint("collaboration_id", "cycle", name="uq_evaluations_collaboration_cycle"),
)

renewals = Table(
    "renewals",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("cycle", Integer, nullable=False),
    Column("approved_on", Date, nullable=True),
    Column("approved_by", String(100), nullable=False, server_default=""),
    Column("term_years", Integer, nullable=True),
    Column("starts_on", Date, nullable=True),
    version_column(),
    UniqueConstraint("collaboration_id", "cycle", name="uq_renewals_collaboration_cycle"),
    CheckConstraint("term_years IS NULL OR term_years BETWEEN 1 AND 3", name="term"),
)

approvals = Table(
    "approvals",
    metadata,
    id_column(),
    collaboration_fk(),
    # What is approved: "memo" (signing the memorandum) or "renewal", once per plan cycle.
    Column("kind", String(20), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("approved_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("approver_name", String(100), nullable=False),
    Column("approved_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    UniqueConstraint("collaboration_id", "kind", "cycle", name="uq_approvals_occurrence"),
)

comments = Table(
    "comments",
    metadata,
    id_column(),
    collaboration_fk(),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("author_name", String(100), nullable=False),
    # True when a partner user wrote it through the portal.
    Column("from_partner", Boolean, nullable=False, server_default=text("false")),
    Column("at", UTCDateTime, nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_comments_collaboration_at", "collaboration_id", "at"),
)

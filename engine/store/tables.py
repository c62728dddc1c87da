"""The schema, as SQLAlchemy Core tables. Alembic migrations create and upgrade it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _version() -> Column[int]:
    return Column("version", Integer, nullable=False, server_default="1")


def _collaboration_fk(**kw: Any) -> Column[int]:
    return Column(
        "collaboration_id",
        Integer,
        ForeignKey("collaborations.id", ondelete="CASCADE"),
        nullable=False,
        **kw,
    )


users = Table(
    "users",
    metadata,
    _id(),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("locale", String(5), nullable=False, server_default="ja"),
    Column("created_at", UTCDateTime, nullable=False),
    # The secret part of the user's calendar feed URL; replaced to revoke the feed.
    Column("ical_token", String(64), nullable=True, unique=True),
    # argon2 hash; None for an account that cannot log in with a password yet.
    Column("password_hash", String(200), nullable=True),
    Column("password_changed_at", UTCDateTime, nullable=True),
    # Set for partner users only: the one organisation whose collaborations they see.
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=True, index=True),
    _version(),
)

sessions = Table(
    "sessions",
    metadata,
    # SHA-256 of the cookie value: a leaked table does not hand out live sessions.
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
    Column("client", String(64), nullable=False, server_default=""),
    Index("ix_sessions_user_id", "user_id"),
    Index("ix_sessions_seen_at", "seen_at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index("ix_api_tokens_user_id", "user_id"),
)

login_failures = Table(
    "login_failures",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),
    Index("ix_login_failures_email_at", "email", "at"),
    Index("ix_login_failures_client_at", "client", "at"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", Integer, ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_memberships_network_id", "network_id"),
)

networks = Table(
    "networks",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("municipality", String(100), nullable=False),
    Column("prefecture", String(20), nullable=False),
    Column("approach_reminder_months", Integer, nullable=False, server_default="2"),
    Column("approach_escalation_months", Integer, nullable=False, server_default="3"),
    _version(),
    # Per-rule offsets and recipients that differ from the workflow's defaults.
    Column("timing", JSON, nullable=False, server_default="{}"),
)

partners = Table(
    "partners",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("industry", String(30), nullable=False, index=True),
    Column("area", String(100), nullable=False, index=True),
    Column("note", Text, nullable=False, server_default=""),
    _version(),
)

contacts = Table(
    "contacts",
    metadata,
    _id(),
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
    _id(),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="CASCADE"), nullable=False),
    Column("start_month", Integer, nullable=False),
    Column("start_day", Integer, nullable=False),
    Column("end_month", Integer, nullable=False),
    Column("end_day", Integer, nullable=False),
    Column("note", String(200), nullable=False, server_default=""),
    Index("ix_busy_seasons_partner_id", "partner_id"),
)

collaborations = Table(
    "collaborations",
    metadata,
    _id(),
    Column("network_id", Integer, ForeignKey("networks.id"), nullable=False),
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("state", String(20), nullable=False),
    _version(),
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
    _id(),
    _collaboration_fk(),
    Column("version", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("actor_name", String(100), nullable=False),
    Column("event", String(40), nullable=False),
    Column("source", String(20), nullable=False),
    Column("dest", String(20), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("checks", JSON, nullable=False),
    # One entry per version: a second writer of the same version fails here too.
    UniqueConstraint("collaboration_id", "version", name="uq_history_collaboration_version"),
)

activities = Table(
    "activities",
    metadata,
    _id(),
    _collaboration_fk(),
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
    _version(),
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
    _version(),
)

plans = Table(
    "plans",
    metadata,
    _id(),
    _collaboration_fk(),
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
    _version(),
    UniqueConstraint("collaboration_id", "cycle", name="uq_plans_collaboration_cycle"),
)

kpis = Table(
    "kpis",
    metadata,
    _id(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit", String(30), nullable=False),
    Column("target", Float, nullable=False),
    Index("ix_kpis_plan_id", "plan_id"),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    _id(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("label", String(200), nullable=False),
    Index("ix_checkpoints_plan_id", "plan_id"),
)

measurements = Table(
    "measurements",
    metadata,
    _id(),
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
    _id(),
    _collaboration_fk(),
    Column("cycle", Integer, nullable=False),
    Column("evaluated_on", Date, nullable=True),
    Column("went_well", Text, nullable=False, server_default=""),
    Column("to_improve", Text, nullable=False, server_default=""),
    _version(),
    UniqueConstraint("collaboration_id", "cycle", name="uq_evaluations_collaboration_cycle"),
)

renewals = Table(
    "renewals",
    metadata,
    _id(),
    _collaboration_fk(),
    Column("cycle", Integer, nullable=False),
    Column("approved_on", Date, nullable=True),
    Column("approved_by", String(100), nullable=False, server_default=""),
    Column("term_years", Integer, nullable=True),
    Column("starts_on", Date, nullable=True),
    _version(),
    UniqueConstraint("collaboration_id", "cycle", name="uq_renewals_collaboration_cycle"),
    CheckConstraint("term_years IS NULL OR term_years BETWEEN 1 AND 3", name="term"),
)

approvals = Table(
    "approvals",
    metadata,
    _id(),
    _collaboration_fk(),
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
    _id(),
    _collaboration_fk(),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("author_name", String(100), nullable=False),
    # True when a partner user wrote it through the portal.
    Column("from_partner", Boolean, nullable=False, server_default=text("false")),
    Column("at", UTCDateTime, nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_comments_collaboration_at", "collaboration_id", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("action", String(60), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("detail", JSON, nullable=False),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_entity", "entity", "entity_id"),
)

due_items = Table(
    "due_items",
    metadata,
    _id(),
    _collaboration_fk(),
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
    _id(),
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

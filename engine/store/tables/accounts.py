"""Accounts: users, their sessions, API tokens, failed logins, network memberships, and the
invitation and password-reset links sent by e-mail."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    text,
)

from engine.store.tables.base import (
    UTCDateTime,
    id_column,
    metadata,
    version_column,
)

users = Table(
    "users",
    metadata,
    id_column(),
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
    version_column(),
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
    id_column(),
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
    id_column(),
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

account_links = Table(
    "account_links",
    metadata,
    id_column(),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # "invitation" or "reset": a link of one kind is never accepted as the other.
    Column("purpose", String(20), nullable=False),
    # SHA-256 of the secret in the e-mailed link; the secret itself is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    # Set when a newer link replaced it, the invitation was withdrawn or the password changed.
    Column("voided_at", UTCDateTime, nullable=True),
    Column("created_by", Integer, nullable=True),
    Index("ix_account_links_user_id", "user_id", "purpose"),
)

reset_requests = Table(
    "reset_requests",
    metadata,
    id_column(),
    Column("at", UTCDateTime, nullable=False),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),
    Index("ix_reset_requests_email_at", "email", "at"),
    Index("ix_reset_requests_client_at", "client", "at"),
)

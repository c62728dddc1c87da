"""Retention: once a day, remove what the settings say is kept only for a while.

Ended sessions, the audit's login records (logins, failed logins, logouts,
refusals, reset requests: they hold e-mail and client addresses) with the login and
reset throttles' own rows once they no longer count, expired set-a-password links,
and the bodies of delivered mail. The audit
history of changes to records is never removed. A run that removed anything is
itself audited with its counts, so the removal of personal data can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from engine.clock import local_date
from engine.config import Settings
from engine.domain.users import SYSTEM
from engine.services.accounts import THROTTLE_WINDOW
from engine.services.context import Context
from engine.services.password_links import RESET_WINDOW
from engine.store.repositories.account_links import AccountLinks, ResetRequests
from engine.store.repositories.accounts import LoginFailures
from engine.store.repositories.heartbeats import Heartbeats
from engine.store.repositories.retention import Retention
from engine.store.uow import writing

RETENTION = "retention"
"""The heartbeat row saying when the last run was, so a day has one run whoever runs it."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each kind of record is kept."""

    sessions: timedelta
    """After a session has ended."""
    logins: timedelta
    mail_bodies: timedelta
    session_idle: timedelta
    session_lifetime: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        """The policy the settings give."""
        return cls(
            sessions=timedelta(days=settings.retain_sessions_days),
            logins=timedelta(days=settings.retain_logins_days),
            mail_bodies=timedelta(days=settings.retain_mail_days),
            session_idle=timedelta(minutes=settings.session_idle_minutes),
            session_lifetime=timedelta(hours=settings.session_absolute_hours),
        )


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """How many of each were removed."""

    sessions: int
    login_records: int
    mail_bodies: int

    def summary(self) -> str:
        """One line for the log."""
        return (
            f"removed {self.sessions} ended sessions and {self.login_records} login records,"
            f" emptied {self.mail_bodies} delivered mail bodies"
        )


class RetentionService:
    """Runs the policy at most once per day (Japan time), from the worker or a web process."""

    def __init__(self, ctx: Context, policy: RetentionPolicy) -> None:
        self.ctx = ctx
        self.policy = policy

    async def run_if_due(self) -> RetentionReport | None:
        """Remove what is past its time unless that was done today already; None if it was."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            beats = Heartbeats(uow.conn)
            last = await beats.last(RETENTION)
            if last is not None and local_date(last) >= local_date(now):
                return None
            retention, policy = Retention(uow.conn), self.policy
            report = RetentionReport(
                sessions=await retention.drop_sessions(
                    idle_before=now - policy.session_idle - policy.sessions,
                    created_before=now - policy.session_lifetime - policy.sessions,
                ),
                login_records=await retention.drop_login_records(now - policy.logins)
                # The throttles' own rows hold addresses too, and count only while recent.
                + await LoginFailures(uow.conn).delete_before(now - 2 * THROTTLE_WINDOW)
                + await ResetRequests(uow.conn).delete_before(now - 2 * RESET_WINDOW)
                # Spent and expired links are kept as long as the login records, then go.
                + await AccountLinks(uow.conn).delete_expired_before(now - policy.logins),
                mail_bodies=await retention.blank_sent_bodies(now - policy.mail_bodies),
            )
            if report.sessions or report.login_records or report.mail_bodies:
                await uow.audit.record(
                    now,
                    SYSTEM,
                    "retention.run",
                    "system",
                    None,
                    sessions=report.sessions,
                    login_records=report.login_records,
                    mail_bodies=report.mail_bodies,
                )
            await beats.beat(RETENTION, now)
        return report

"""What every service needs: the database, the workflow, the clock and the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from engine.calendar import BusinessCalendar
from engine.clock import Clock, SystemClock, local_date
from engine.config import Settings
from engine.domain.collaboration import CollaborationFile
from engine.files.storage import FileStore, LocalFiles
from engine.store.database import Database
from engine.store.uow import UnitOfWork
from engine.workflow import Workflow


@dataclass
class Context:
    """Shared dependencies, built once by the application that wires the services."""

    db: Database
    workflow: Workflow
    clock: Clock
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    base_url: str = "http://127.0.0.1:8000"
    mail_from: str = "mimamori@localhost"
    files: FileStore = field(default_factory=lambda: LocalFiles(Path("./var/files")))
    max_upload_bytes: int = 20 * 2**20

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        workflow: Workflow,
        clock: Clock | None = None,
        application_name: str = "mimamori",
    ) -> Context:
        """The configured database, on ``clock`` (the system clock unless one is given);
        ``application_name`` says which process holds its PostgreSQL connections."""
        return cls(
            db=Database(settings.database_url, application_name),
            workflow=workflow,
            clock=clock or SystemClock(),
            base_url=settings.base_url,
            mail_from=settings.mail_from,
            files=LocalFiles(settings.files_dir),
            max_upload_bytes=settings.max_upload_mb * 2**20,
        )

    @property
    def mail_domain(self) -> str:
        """The domain of the sender address, used in Message-IDs."""
        return self.mail_from.rpartition("@")[2] or "localhost"


async def refresh_due_items(
    ctx: Context,
    uow: UnitOfWork,
    file: CollaborationFile,
    now: datetime,
    before: CollaborationFile | None = None,
) -> None:
    """Bring a collaboration's pending reminders in line with the workflow's timing rules.

    With ``before`` (the file as it was earlier in this transaction) only the
    occurrences new since then are inserted: the others were stored when the
    file last changed, since the wanted set only shrinks as time passes.
    Pending occurrences no longer wanted are always removed.
    """
    wanted = _wanted(ctx, file, now)
    new = wanted
    if before is not None:
        had = {(w["rule"], w["due_on"]) for w in _wanted(ctx, before, now)}
        new = [w for w in wanted if (w["rule"], w["due_on"]) not in had]
    assert file.collaboration.id is not None
    await uow.collaborations.sync_due_items(file.collaboration.id, wanted, new, now)


def _wanted(ctx: Context, file: CollaborationFile, now: datetime) -> list[dict[str, object]]:
    due = ctx.workflow.due_dates(
        file.collaboration.state,
        file,
        ctx.calendar,
        file.network.timing_settings(),
        local_date(now),
    )
    return [
        {
            "rule": rule.name,
            "anchor_on": anchor,
            "due_on": day,
            "remind_on": day,
            "kind": str(rule.kind),
            "recipients": str(rule.recipients),
        }
        for rule, anchor, day in due
    ]

"""Without Redis the web process scans and delivers reminders itself, to files by default."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default

from litestar.testing import AsyncTestClient

from engine.clock import FixedClock
from engine.config import Settings
from engine.services import Context
from engine.services.calendar_feed import CalendarFeedService
from engine.store import migrate
from engine.store.database import Database
from tests.integration import builders
from web.app import create_app
from workflows.collaboration import COLLABORATION

SEEDED = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)  # a Monday, 10:00 in Japan
RUNS = SEEDED + timedelta(weeks=10)  # when the app starts: after 7:00 in Japan, a business day


async def _seed(url: str) -> str:
    """An approach started ten weeks before the app runs; returns the owner's feed token."""
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(SEEDED))
    _, owner = await builders.approached_with_owner(ctx)
    token = await CalendarFeedService(ctx).token(owner.id)
    await db.dispose()
    return token


def _reminder_subjects(mail_dir) -> list[str]:
    """Subjects of the reminder files; the daily digest also goes out after 7:00 in Japan."""
    if not mail_dir.exists():
        return []
    subjects = (
        str(message_from_bytes(f.read_bytes(), policy=default)["Subject"])
        for f in mail_dir.glob("*.eml")
    )
    return sorted(s for s in subjects if "期限一覧" not in s)


async def test_reminders_due_are_written_as_eml_files_at_start_up(tmp_path):
    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    token = await _seed(url)
    mail_dir = tmp_path / "mail"
    settings = Settings(
        database_url=url,
        mail_dir=mail_dir,
        scan_interval=3600,
        allowed_hosts=("testserver.local",),
    )
    async with AsyncTestClient(app=create_app(settings, FixedClock(RUNS))) as client:
        for _ in range(100):
            if len(_reminder_subjects(mail_dir)) >= 2:
                break
            await asyncio.sleep(0.1)
        feed = await client.get(f"/calendar/{token}/due.ics")
        missing = await client.get("/calendar/guessed-token/due.ics")

    subjects = _reminder_subjects(mail_dir)
    # Ten weeks in: the two-month approach reminder and the 30-day stale card are due.
    assert subjects == [
        "【見守り連携】みどり信用金庫: 30日間、活動の記録がありません。",
        "【見守り連携】みどり信用金庫: "
        "打診期間の終了が近づいています。早めの覚書締結を目指してください。",
    ]
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in feed.text
    assert missing.status_code == 404

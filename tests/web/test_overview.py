"""The read-only pipeline overview served until the board lands: language and escaping."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from engine.config import Settings
from engine.store import migrate
from engine.store.database import Database
from engine.store.services import Context
from tests.integration import builders
from web.app import create_app
from workflows.collaboration import COLLABORATION


@pytest.fixture
async def client(tmp_path):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    db = Database(url)
    await migrate.upgrade(db)
    from engine.clock import FixedClock
    from tests.integration.conftest import START

    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(START))
    await builders.candidate(ctx, "<script>alert('x')</script>商店")
    await db.dispose()
    app = create_app(
        Settings(database_url=url, allowed_hosts=("testserver.local",), mail_dir=tmp_path)
    )
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_the_board_is_japanese_by_default_with_a_column_per_stage(client):
    page = await client.get("/board")
    assert page.status_code == 200
    for label in (
        "候補",
        "打診中",
        "覚書締結",
        "プラン策定",
        "実証中",
        "評価済み",
        "継続",
        "取り下げ",
    ):
        assert label in page.text
    assert '<html lang="ja">' in page.text


async def test_the_english_switch_shows_english_labels(client):
    page = await client.get("/board?lang=en")
    assert "Memorandum signed" in page.text and '<html lang="en">' in page.text


async def test_html_in_a_partner_name_is_escaped(client):
    page = await client.get("/board")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;商店" in page.text


async def test_health_reports_the_database_reachable(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_the_language_choice_is_remembered_across_pages(client):
    switched = await client.get("/lang/en?next_url=/board", follow_redirects=False)
    assert switched.status_code in (302, 303) and switched.headers["location"] == "/board"
    page = await client.get("/board")
    assert "Memorandum signed" in page.text and 'href="/lang/ja?next_url=/board"' in page.text


async def test_the_language_switch_never_redirects_off_site(client):
    switched = await client.get("/lang/en?next_url=//evil.example", follow_redirects=False)
    assert switched.headers["location"] == "/board"


async def test_a_card_says_when_its_reminder_mail_could_not_be_delivered(tmp_path):
    from datetime import UTC, datetime

    from engine.clock import FixedClock
    from engine.domain.mail import Mail, MailKind
    from engine.store.uow import writing
    from tests.integration.conftest import START

    url = f"sqlite:///{tmp_path / 'failed.db'}"
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(START))
    cid = await builders.candidate(ctx, "あおば生協")
    async with writing(db) as uow:
        await uow.outbox.add(
            [Mail("due:x", MailKind.REMINDER, "nobody@example.jp", "件名", "本文", None, cid)],
            datetime.now(UTC),
            "localhost",
        )
        (queued,) = await uow.outbox.for_collaboration(cid)
        await uow.outbox.failed(queued.id, "550 5.1.1 mailbox unavailable")
    await db.dispose()
    app = create_app(
        Settings(database_url=url, allowed_hosts=("testserver.local",), mail_dir=tmp_path)
    )
    async with AsyncTestClient(app=app) as client:
        page = await client.get("/board")
    assert "リマインダーメール1件を配信できませんでした" in page.text

"""The pipeline overview: language, escaping, tenancy and undelivered-mail notes."""

from __future__ import annotations

import pytest

from engine.clock import FixedClock
from engine.domain.mail import Mail, MailKind
from engine.services import Context
from engine.store.database import Database
from engine.store.uow import writing
from tests.integration import builders
from tests.web.conftest import login
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION


@pytest.fixture
async def admin(client, world, world_url):
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    await builders.candidate(ctx, "<script>alert('x')</script>商店")
    await db.dispose()
    await login(client, world.emails["admin"])
    return client


async def test_the_board_is_japanese_by_default_with_a_column_per_stage(admin):
    page = await admin.get("/board")
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


async def test_the_english_switch_shows_english_labels(admin):
    page = await admin.get("/board?lang=en")
    assert "Memorandum signed" in page.text and '<html lang="en">' in page.text


async def test_html_in_a_partner_name_is_escaped(admin):
    page = await admin.get("/board")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;商店" in page.text


async def test_health_reports_the_database_reachable(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_the_language_choice_is_remembered_across_pages(admin):
    switched = await admin.get("/lang/en?next_url=/board", follow_redirects=False)
    assert switched.status_code in (302, 303) and switched.headers["location"] == "/board"
    page = await admin.get("/board")
    assert "Memorandum signed" in page.text and 'href="/lang/ja?next_url=/board"' in page.text


async def test_the_language_switch_never_redirects_off_site(client):
    switched = await client.get("/lang/en?next_url=//evil.example", follow_redirects=False)
    assert switched.headers["location"] == "/"


async def test_a_coordinator_sees_only_their_own_networks_cards(client, world):
    await login(client, world.emails["aoba"])
    page = await client.get("/board")
    assert "あおば運輸" in page.text and "共栄生協" in page.text
    assert "みどり信用金庫" not in page.text
    assert page.text.count("共栄生協") == 1  # the shared partner: only あおば町's collaboration


async def test_a_card_says_when_its_reminder_mail_could_not_be_delivered(client, world, world_url):
    db = Database(world_url)
    cid = world.collaborations["A"]
    async with writing(db) as uow:
        await uow.outbox.add(
            [Mail("due:x", MailKind.REMINDER, "nobody@example.jp", "件名", "本文", None, cid)],
            NOW,
            "localhost",
        )
        (queued,) = [
            m for m in await uow.outbox.for_collaboration(cid) if m.mail.dedupe_key == "due:x"
        ]
        await uow.outbox.failed(queued.id, "550 5.1.1 mailbox unavailable")
    await db.dispose()
    await login(client, world.emails["coordinator"])
    page = await client.get("/board")
    assert "リマインダーメール1件を配信できませんでした" in page.text

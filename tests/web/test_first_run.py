"""The first-run guide and the empty states, on a database as a new municipality starts it.

Each test starts from an empty database holding one administrator, and puts in
through the services exactly what a step asks for.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from engine.clock import FixedClock
from engine.domain.network import Network
from engine.domain.partner import Industry, Partner
from engine.domain.users import SYSTEM, User
from engine.services import CollaborationService, Context, DirectoryService
from engine.services.accounts import AccountService
from engine.store import migrate
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from tests.web.conftest import login
from tests.web.world import NOW, PASSWORD, World
from workflows.collaboration import COLLABORATION

ADMIN = "first-admin@example.jp"
COORDINATOR = "first-coordinator@example.jp"
STEPS = ("network", "timing", "colleagues", "partners", "candidate")


async def _empty(url: str) -> None:
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    accounts = AccountService(ctx, DatabaseSessions(db))
    await accounts.create_user(User(None, ADMIN, "最初の管理者", "admin"), PASSWORD, SYSTEM)
    await db.dispose()


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory) -> Path:
    """An empty database with one administrator, built once per module."""
    path = tmp_path_factory.mktemp("first-run") / "empty.db"
    runner = threading.Thread(target=lambda: asyncio.run(_empty(f"sqlite:///{path}")))
    runner.start()
    runner.join()
    assert path.exists()
    return path


@pytest.fixture
def world_url(tmp_path, empty_template) -> str:
    path = tmp_path / "empty.db"
    shutil.copyfile(empty_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def world(world_url) -> World:
    return World(emails={"admin": ADMIN})


@pytest.fixture
async def ctx(world_url):
    db = Database(world_url)
    yield Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    await db.dispose()


def step(html: str, key: str) -> str:
    """The guide's list item for one step."""
    found = re.search(rf'<li id="first-run-{key}" class="(done|todo)">.*?</li>', html, re.S)
    assert found, f"no step {key}"
    return found.group(0)


def done(html: str) -> set[str]:
    return {key for key in STEPS if 'class="done"' in step(html, key)}


async def _network(ctx: Context) -> Network:
    return await DirectoryService(ctx).add_network(
        Network(None, "ひかり市見守りネットワーク", "ひかり市", "13"), SYSTEM
    )


async def _coordinator(ctx: Context, network_id: int) -> None:
    accounts = AccountService(ctx, DatabaseSessions(ctx.db))
    await accounts.create_user(
        User(None, COORDINATOR, "担当 花子", "coordinator"), PASSWORD, SYSTEM, (network_id,)
    )


async def test_a_fresh_administrator_sees_every_step_to_do(client):
    await login(client, ADMIN)
    for path in ("/board", "/admin"):
        page = (await client.get(path)).text
        assert '<section class="first-run no-print" aria-labelledby="first-run-heading">' in page
        assert '<h2 id="first-run-heading">はじめに</h2>' in page
        assert "5件中0件の手順が完了しています" in page
        assert done(page) == set()
        assert page.count("未完了") == 5
        assert 'href="/admin/networks/new"' in step(page, "network")
        assert 'href="/admin/users/invite"' in step(page, "colleagues")
        assert 'href="/partners/new"' in step(page, "partners")
        assert 'href="/partners/import"' in step(page, "partners")
        # Opening candidates is the network staff's work, not the administrator's.
        assert "href" not in step(page, "candidate")
        assert "管理職と担当職員がボードから追加します" in step(page, "candidate")


async def test_each_step_ticks_itself_off_when_its_data_appears(client, ctx):
    await login(client, ADMIN)
    directory = DirectoryService(ctx)
    network = await _network(ctx)
    page = (await client.get("/admin")).text
    assert done(page) == {"network"}
    assert f'href="/admin/networks/{network.id}"' in step(page, "timing")
    assert "完了" in step(page, "network")

    await directory.update_network(replace(network, approach_reminder_months=3), SYSTEM)
    assert done((await client.get("/admin")).text) == {"network", "timing"}

    assert network.id is not None
    await _coordinator(ctx, network.id)
    assert done((await client.get("/board")).text) == {"network", "timing", "colleagues"}

    partner = await directory.add_partner(
        Partner(None, "ひかり運輸", Industry.DELIVERY, "北地区"), SYSTEM, network.id
    )
    page = (await client.get("/board")).text
    assert done(page) == {"network", "timing", "colleagues", "partners"}
    assert "5件中4件の手順が完了しています" in page

    assert partner.id is not None
    await CollaborationService(ctx).add_candidate(network.id, partner.id, SYSTEM)
    for path in ("/board", "/admin"):
        page = (await client.get(path)).text
        assert "first-run" not in page
        assert "はじめに" not in page


async def test_a_coordinator_sees_the_administrators_steps_without_links(client, ctx):
    network = await _network(ctx)
    assert network.id is not None
    await _coordinator(ctx, network.id)
    await login(client, COORDINATOR)
    page = (await client.get("/board")).text
    assert done(page) == {"network"}
    for key in ("network", "timing", "colleagues"):
        assert "href" not in step(page, key)
    assert "同僚の招待はシステム管理者に依頼してください。" in step(page, "colleagues")
    assert "通知時期の確認はシステム管理者に依頼してください。" in step(page, "timing")
    assert 'href="/partners/new"' in step(page, "partners")
    assert 'href="/partners/pick"' in step(page, "candidate")


async def test_the_colleague_step_counts_only_colleagues_in_the_viewers_networks(client, ctx):
    mine = await _network(ctx)
    other = await DirectoryService(ctx).add_network(
        Network(None, "そら町見守りネットワーク", "そら町", "13"), SYSTEM
    )
    assert mine.id is not None and other.id is not None
    await _coordinator(ctx, mine.id)
    accounts = AccountService(ctx, DatabaseSessions(ctx.db))
    await accounts.create_user(
        User(None, "sora@example.jp", "そら 次郎", "manager"), PASSWORD, SYSTEM, (other.id,)
    )
    await login(client, COORDINATOR)
    assert "colleagues" not in done((await client.get("/board")).text)


async def test_htmx_requests_for_the_board_leave_the_guide_out(client):
    await login(client, ADMIN)
    fragment = await client.get("/board?q=x", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "first-run" not in fragment.text


async def test_empty_board_columns_say_what_belongs_there(client):
    await login(client, ADMIN)
    page = (await client.get("/board")).text
    candidates = re.search(r'<p class="empty" id="empty-candidate">(.*?)</p>', page, re.S)
    assert candidates and "「＋ 候補を追加」" in candidates.group(1)
    signed = re.search(r'<p class="empty" id="empty-memo_signed">(.*?)</p>', page, re.S)
    assert signed and "覚書を締結したら" in signed.group(1)
    assert page.count('<p class="empty" id="empty-') == 8
    assert "条件に合う連携はありません。" not in page


async def test_a_board_filter_matching_nothing_offers_to_clear_it(client):
    await login(client, ADMIN)
    page = (await client.get("/board?q=該当なし")).text
    assert "条件に合う連携はありません。" in page
    assert 'id="empty-candidate">この段階に、条件に合う連携はありません。' in page
    assert re.search(r'<p class="no-match" role="status">.*?<a href="/board">', page)


async def test_the_empty_partner_list_offers_registering_and_importing(client):
    await login(client, ADMIN)
    page = (await client.get("/partners")).text
    assert "まだ事業者はありません。" in page
    empty = page[page.index('<div id="block-results"') :]
    assert '<a class="button" href="/partners/new">' in empty
    assert '<a class="button secondary" href="/partners/import">' in empty
    filtered = (await client.get("/partners?q=該当なし")).text
    assert "条件に合う事業者はありません。" in filtered
    assert '<a href="/partners">絞り込みを解除</a>' in filtered


async def test_empty_administration_lists_say_how_to_fill_them(client):
    await login(client, ADMIN)
    networks = (await client.get("/admin/networks")).text
    assert "見守りネットワークはまだありません。" in networks
    assert networks.count('href="/admin/networks/new"') == 2
    seasons = (await client.get("/admin/partners")).text
    assert "連携先はまだありません。" in seasons
    assert 'href="/partners/new"' in seasons
    form = (await client.get("/admin/users/new")).text
    assert re.search(r"ネットワークはまだありません。.{0,40}href=\"/admin/networks/new\"", form)
    audit = (await client.get("/admin/audit?action=nothing.")).text
    assert "条件に合う記録はありません。" in audit
    assert '<a href="/admin/audit">絞り込みを解除</a>' in audit


async def test_the_due_page_and_the_portal_say_what_will_appear(client, ctx):
    await login(client, ADMIN)
    assert "あなた宛ての通知がここに表示されます" in (await client.get("/due")).text
    partner = await DirectoryService(ctx).add_partner(
        Partner(None, "ひかり運輸", Industry.DELIVERY, "北地区"), SYSTEM
    )
    accounts = AccountService(ctx, DatabaseSessions(ctx.db))
    await accounts.create_user(
        User(None, "hikari@example.jp", "ひかり 三郎", "partner", partner_id=partner.id),
        PASSWORD,
        SYSTEM,
    )
    client.cookies.clear()
    await login(client, "hikari@example.jp")
    portal = (await client.get("/portal")).text
    assert "このアカウントを用意した自治体の担当職員にお問い合わせください" in portal
    assert "first-run" not in portal

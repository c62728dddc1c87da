"""My due items: the list, the badge, acknowledge and snooze, limited to the viewer's networks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from engine.clock import FixedClock
from engine.domain.users import SYSTEM
from engine.services import CollaborationService, Context
from engine.store.database import Database
from tests.web.conftest import csrf_of, login
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION


@pytest.fixture
def clock() -> FixedClock:
    """The app runs three months after the world was built."""
    return FixedClock(NOW + timedelta(days=90))


@pytest.fixture
async def owned(world, world_url):
    """みどり信用金庫 (A) owned by the coordinator: a stale candidate, overdue for months."""
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    await CollaborationService(ctx).assign(
        world.collaborations["A"],
        expected_version=1,
        actor=SYSTEM,
        owner_id=world.users["coordinator"],
    )
    await db.dispose()
    return world


def _item_id(page: str) -> int:
    return int(re.search(r'id="due-(\d+)"', page).group(1))


async def test_the_owner_sees_the_item_and_the_badge_counts_it(client, owned):
    await login(client, owned.emails["coordinator"])
    page = await client.get("/due")
    assert page.status_code == 200
    assert "みどり信用金庫" in page.text and "期限超過" in page.text
    badge = await client.get("/due/count", headers={"HX-Request": "true"})
    assert re.search(r'id="due-badge" class="badge">1<', badge.text)
    assert "<html" not in badge.text


async def test_acknowledging_removes_the_item(client, owned):
    await login(client, owned.emails["coordinator"])
    page = await client.get("/due")
    item = _item_id(page.text)
    done = await client.post(
        f"/due/{item}/acknowledge",
        data={"_csrf": csrf_of(page.text)},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and f'id="due-{item}"' not in done.text
    assert 'id="due-badge" class="badge" hx-swap-oob="true" hidden>0<' in done.text
    assert f'id="due-{item}"' not in (await client.get("/due")).text


async def test_snoozing_to_a_past_day_is_refused_and_a_later_day_is_kept(client, owned):
    await login(client, owned.emails["coordinator"])
    page = await client.get("/due")
    item, token = _item_id(page.text), csrf_of(page.text)
    refused = await client.post(
        f"/due/{item}/snooze",
        data={"_csrf": token, "until": "2020-01-06"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422 and "明日以降の日付" in refused.text
    kept = await client.post(
        f"/due/{item}/snooze",
        data={"_csrf": token, "until": "2031-01-01"},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    after = await client.get("/due")
    # 1 January is closed; the reminder moves to the first business day after it.
    assert "2031年1月6日まで延期" in after.text


async def test_another_networks_coordinator_cannot_touch_the_item(client, owned, second_browser):
    await login(client, owned.emails["coordinator"])
    item = _item_id((await client.get("/due")).text)
    await login(second_browser, owned.emails["aoba"])
    page = await second_browser.get("/due")
    assert "みどり信用金庫" not in page.text
    response = await second_browser.post(
        f"/due/{item}/acknowledge", data={"_csrf": csrf_of(page.text)}
    )
    assert response.status_code == 404
    assert f'id="due-{item}"' in (await client.get("/due")).text


async def test_partner_users_have_no_due_page(client, owned):
    await login(client, owned.emails["partner"])
    assert (await client.get("/due")).status_code == 403

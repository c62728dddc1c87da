"""Partner pages: the list, search and filters, one partner's page, tenancy and escaping."""

from __future__ import annotations

import re

import pytest

from engine.clock import FixedClock
from engine.domain.partner import BusySeason, Contact, Industry, Partner
from engine.domain.users import SYSTEM
from engine.services import CollaborationService, Context, DirectoryService
from engine.store.database import Database
from tests.web.conftest import login
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION

HTMX = {"HX-Request": "true"}


def partner_names(text: str) -> list[str]:
    return re.findall(r'<a href="/partners/\d+">([^<]+)</a>', text)


@pytest.fixture
async def seasonal(world_url, world) -> int:
    """A partner of みどり市 with a busy season, two contacts and HTML in its name."""
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    try:
        partner = await DirectoryService(ctx).add_partner(
            Partner(
                None,
                "<i>ひまわり</i>薬局",
                Industry.PHARMACY,
                "北地区",
                contacts=(Contact("木村 花", "店長", "kimura@example.jp"), Contact("森 大輔")),
                busy_seasons=(BusySeason((12, 20), (1, 10), "年末年始"),),
            ),
            SYSTEM,
        )
        await CollaborationService(ctx).add_candidate(world.networks["midori"], partner.id, SYSTEM)
    finally:
        await db.dispose()
    return partner.id


async def test_a_coordinator_lists_only_the_partners_of_their_network(seasonal, client, world):
    await login(client, world.emails["coordinator"])
    page = await client.get("/partners")
    assert page.status_code == 200
    assert partner_names(page.text) == [
        "&lt;i&gt;ひまわり&lt;/i&gt;薬局",
        "みどり信用金庫",
        "共栄生協",
    ]
    assert "あおば運輸" not in page.text


async def test_the_list_searches_by_name_and_filters_by_industry_and_area(seasonal, client, world):
    await login(client, world.emails["coordinator"])
    assert partner_names((await client.get("/partners?q=信用")).text) == ["みどり信用金庫"]
    assert partner_names((await client.get("/partners?industry=coop")).text) == ["共栄生協"]
    by_area = (await client.get("/partners?area=北地区")).text
    assert partner_names(by_area) == ["&lt;i&gt;ひまわり&lt;/i&gt;薬局"]
    assert partner_names((await client.get("/partners?q=%25")).text) == []  # % is not a wildcard
    assert "条件に合う事業者はありません。" in (await client.get("/partners?q=存在しない")).text


async def test_an_htmx_search_gets_just_the_results(seasonal, client, world):
    await login(client, world.emails["coordinator"])
    fragment = await client.get("/partners?q=生協&block=results", headers=HTMX)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="block-results"')
    assert "<form" not in fragment.text and partner_names(fragment.text) == ["共栄生協"]
    whole = await client.get("/partners?q=生協&block=results")
    assert "<html" in whole.text and "<form" in whole.text


async def test_the_partner_page_shows_details_contacts_and_busy_seasons(seasonal, client, world):
    await login(client, world.emails["coordinator"])
    page = await client.get(f"/partners/{seasonal}")
    assert page.status_code == 200
    text = page.text
    assert "<i>ひまわり</i>" not in text and "&lt;i&gt;ひまわり&lt;/i&gt;薬局" in text
    assert "薬局" in text and "北地区" in text
    assert "木村 花" in text and "店長" in text and "mailto:kimura@example.jp" in text
    assert "森 大輔" in text
    assert "12月20日 – 1月10日" in text and "年末年始" in text
    assert "みどり市見守りネットワーク" in text and "候補" in text
    english = (await client.get(f"/partners/{seasonal}?lang=en")).text
    assert "Dec 20 – Jan 10" in english and "Busy seasons" in english and "Pharmacy" in english


async def test_the_shared_partner_shows_only_the_viewers_own_collaboration(client, world):
    await login(client, world.emails["coordinator"])
    page = await client.get(f"/partners/{world.partners['C']}")
    assert page.status_code == 200
    assert "みどり市見守りネットワーク" in page.text
    assert "あおば町" not in page.text
    assert f'href="/collaborations/{world.collaborations["C-midori"]}"' in page.text
    assert f'href="/collaborations/{world.collaborations["C-aoba"]}"' not in page.text


async def test_an_administrator_sees_both_networks_of_the_shared_partner(client, world):
    await login(client, world.emails["admin"])
    page = await client.get(f"/partners/{world.partners['C']}")
    assert "みどり市見守りネットワーク" in page.text and "あおば町見守りネットワーク" in page.text


async def test_a_partner_outside_the_viewers_networks_is_not_found(client, world):
    await login(client, world.emails["coordinator"])
    for partner_id in (world.partners["B"], 9999):
        page = await client.get(f"/partners/{partner_id}")
        assert page.status_code == 404 and "あおば運輸" not in page.text


@pytest.mark.parametrize("url", ["/partners", "/partners/1", "/compare"])
async def test_a_partner_user_is_refused(client, world, url):
    await login(client, world.emails["partner"])
    assert (await client.get(url)).status_code == 403


async def test_the_list_is_japanese_by_default_and_english_on_request(client, world):
    await login(client, world.emails["coordinator"])
    japanese = (await client.get("/partners")).text
    assert "業種" in japanese and "すべての地区" in japanese and "信用金庫" in japanese
    english = (await client.get("/partners?lang=en")).text
    assert "Industry" in english and "All areas" in english and "Bank / credit union" in english

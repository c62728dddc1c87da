"""The pipeline board: columns and counts, fragments for htmx, filters, paging, tenancy."""

from __future__ import annotations

import pytest

from engine.clock import FixedClock
from engine.domain.partner import Industry, Partner
from engine.domain.users import SYSTEM
from engine.services import CollaborationService, Context, DirectoryService
from engine.store.database import Database
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION

HTMX = {"HX-Request": "true"}


@pytest.fixture
async def coordinator(as_role):
    return await as_role("coordinator")


async def add_candidates(world_url: str, network_id: int, names: list[str]) -> list[int]:
    """Partners with these names as candidates of a network; returns the collaboration ids."""
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    ids = []
    for name in names:
        partner = await DirectoryService(ctx).add_partner(
            Partner(None, name, Industry.PHARMACY, "北地区"), SYSTEM
        )
        assert partner.id is not None
        record = await CollaborationService(ctx).add_candidate(network_id, partner.id, SYSTEM)
        assert record.id is not None
        ids.append(record.id)
    await db.dispose()
    return ids


async def test_the_board_shows_a_column_per_stage_with_counts_and_cards(coordinator, world):
    page = await coordinator.get("/board")
    assert page.status_code == 200
    assert '<html lang="ja">' in page.text
    assert 'id="count-candidate">2<' in page.text  # A and C-midori
    assert 'id="count-approached">0<' in page.text
    card = page.text[page.text.index(f'id="card-{world.collaborations["A"]}"') :]
    card = card[: card.index("</article>")]
    for shown in ("みどり信用金庫", "銀行・信用金庫", "中央地区", "担当職員なし", "この段階で"):
        assert shown in card, shown
    assert '<details class="folded">' in page.text and "取り下げ" in page.text


async def test_an_htmx_request_gets_only_the_board_block(coordinator):
    page = await coordinator.get("/board", headers=HTMX)
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<div id="board"')
    assert "<html" not in page.text and 'id="board-filters"' not in page.text


async def test_filters_narrow_the_board_and_stay_in_the_form(coordinator, world):
    page = await coordinator.get("/board", params={"q": "信用"})
    assert "みどり信用金庫" in page.text and "共栄生協" not in page.text
    assert 'name="q" value="信用"' in page.text
    coop = await coordinator.get("/board", params={"industry": "coop"})
    assert "共栄生協" in coop.text and "みどり信用金庫" not in coop.text
    assert '<option value="coop" selected>' in coop.text
    ancient = await coordinator.get("/board", params={"days": "36500"}, headers=HTMX)
    assert "card-" not in ancient.text and 'id="count-candidate">0<' in ancient.text
    other_network = await coordinator.get("/board", params={"network": world.networks["aoba"]})
    assert "共栄生協" not in other_network.text  # aoba is not the coordinator's network


async def test_nonsense_in_the_filters_is_ignored(coordinator):
    page = await coordinator.get("/board", params={"network": "x", "owner": "-1", "days": "y"})
    assert page.status_code == 200 and "みどり信用金庫" in page.text


async def test_a_long_column_loads_more_on_demand(coordinator, world, world_url):
    await add_candidates(world_url, world.networks["midori"], [f"薬局{i:02d}" for i in range(30)])
    page = await coordinator.get("/board")
    assert 'id="count-candidate">32<' in page.text
    assert page.text.count('data-state="candidate"') == 25
    more = "/board/columns/candidate?offset=25"
    assert f'hx-get="{more}"' in page.text
    rest = await coordinator.get(more, headers=HTMX)
    assert rest.status_code == 200 and "<html" not in rest.text
    assert rest.text.count('data-state="candidate"') == 7 and "offset=" not in rest.text
    whole = await coordinator.get(more)
    assert "<html" in whole.text and whole.text.count('data-state="candidate"') == 7


async def test_load_more_keeps_the_filters(coordinator, world, world_url):
    await add_candidates(world_url, world.networks["midori"], [f"薬局{i:02d}" for i in range(30)])
    page = await coordinator.get("/board", params={"industry": "pharmacy"})
    assert "/board/columns/candidate?industry=pharmacy&amp;offset=25" in page.text
    rest = await coordinator.get(
        "/board/columns/candidate", params={"industry": "pharmacy", "offset": 25}, headers=HTMX
    )
    assert rest.text.count('data-state="candidate"') == 5


async def test_one_card_as_a_fragment(coordinator, world):
    cid = world.collaborations["A"]
    card = await coordinator.get(f"/board/cards/{cid}", headers=HTMX)
    assert card.text.lstrip().startswith(f'<article class="card" id="card-{cid}"')
    assert card.text.rstrip().endswith("</article>")
    assert 'data-moves="approached withdrawn"' in card.text


async def test_a_card_of_another_network_is_not_found(coordinator, world):
    page = await coordinator.get(f"/board/cards/{world.collaborations['B']}", headers=HTMX)
    assert page.status_code == 404


async def test_an_unknown_column_is_not_found(coordinator):
    assert (await coordinator.get("/board/columns/nowhere")).status_code == 404


async def test_html_in_a_partner_name_is_escaped_in_every_fragment(coordinator, world, world_url):
    (cid,) = await add_candidates(world_url, world.networks["midori"], ["<b>悪</b>商店"])
    for url in ("/board", f"/board/cards/{cid}"):
        page = await coordinator.get(url, headers=HTMX)
        assert "<b>悪</b>" not in page.text
        assert "&lt;b&gt;悪&lt;/b&gt;商店" in page.text


async def test_admins_see_every_network_but_no_move_controls(as_role):
    admin = await as_role("admin")
    page = await admin.get("/board")
    assert "あおば運輸" in page.text and "みどり信用金庫" in page.text
    assert 'class="move-to"' not in page.text and 'data-moves=""' in page.text


async def test_partners_may_not_open_the_board(as_role):
    partner = await as_role("partner")
    assert (await partner.get("/board", follow_redirects=False)).status_code == 403

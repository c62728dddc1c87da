"""The warnings a card carries on the board, read from the database as a coordinator sees them.

The world's records are dated at its NOW and the app runs four months later:
a card untouched since then is stale, an approach started then has run past
its window.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from engine.clock import FixedClock
from engine.domain.partner import BusySeason
from engine.domain.users import SYSTEM
from engine.services import CollaborationService, DirectoryService
from tests.integration import builders
from tests.web.test_board_moves import services
from tests.web.world import NOW

HTMX = {"HX-Request": "true"}


@pytest.fixture
def clock() -> FixedClock:
    """The app's clock, four months after the world's records."""
    return FixedClock(NOW + timedelta(days=120))


@pytest.fixture
async def coordinator(as_role):
    return await as_role("coordinator")


def card_text(page: str, cid: int) -> str:
    card = page[page.index(f'id="card-{cid}"') :]
    return card[: card.index("</article>")]


async def test_a_card_warns_of_a_busy_season_and_of_no_activity(coordinator, world, world_url):
    async with services(world_url) as ctx:
        directory = DirectoryService(ctx)
        partner = await directory.partner(world.partners["A"])
        # Two seasons, one of them the whole year: whatever today is, it is busy.
        seasons = (BusySeason((3, 1), (4, 15), "年度末"), BusySeason((1, 1), (12, 31), "通年"))
        await directory.update_partner(replace(partner, busy_seasons=seasons), SYSTEM)
    card = card_text((await coordinator.get("/board")).text, world.collaborations["A"])
    assert "事業者の繁忙期" in card
    assert "30日間動きなし" in card
    other = card_text((await coordinator.get("/board")).text, world.collaborations["C-midori"])
    assert "事業者の繁忙期" not in other


async def test_an_approach_past_its_window_is_flagged(coordinator, world, world_url):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx:
        await builders.complete_scorecard(ctx, cid)
        await CollaborationService(ctx).fire(
            cid, "approach", expected_version=1, actor=builders.COORDINATOR
        )
    card = card_text((await coordinator.get("/board")).text, cid)
    assert 'data-state="approached"' in card and "打診期間超過" in card


async def test_an_open_renewal_review_item_shows_as_due_or_overdue(coordinator, world, world_url):
    cid = world.collaborations["A"]
    async with services(world_url) as ctx, ctx.db.write() as conn:
        # What the reminder rules store for a renewed collaboration, due long ago.
        await conn.exec_driver_sql(
            "INSERT INTO due_items (collaboration_id, rule, anchor_on, due_on, kind, recipients,"
            " remind_on, status, created_at) VALUES (?, 'renewal_review_overdue', ?, ?,"
            " 'escalation', 'managers', ?, 'notified', ?)",
            (cid, date(2026, 4, 1), date(2026, 4, 1), date(2026, 4, 1), NOW.replace(tzinfo=None)),
        )
    page = await coordinator.get("/board", headers=HTMX)
    assert "継続の見直し期限超過" in card_text(page.text, cid)
    assert "継続の見直し期限超過" not in card_text(page.text, world.collaborations["C-midori"])


async def test_a_card_seen_before_shows_its_partners_change_on_the_next_view(
    coordinator, world, world_url
):
    # Cards are rendered once and remembered: a change must still show at once.
    cid = world.collaborations["A"]
    before = card_text((await coordinator.get("/board")).text, cid)
    assert "事業者の繁忙期" not in before and "みどり信用金庫" in before
    async with services(world_url) as ctx:
        directory = DirectoryService(ctx)
        partner = await directory.partner(world.partners["A"])
        await directory.update_partner(
            replace(
                partner,
                name="みどり信用金庫 本店",
                busy_seasons=(BusySeason((1, 1), (12, 31), "通年"),),
            ),
            SYSTEM,
        )
    after = card_text((await coordinator.get("/board")).text, cid)
    assert "事業者の繁忙期" in after and "みどり信用金庫 本店" in after
    english = card_text((await coordinator.get("/board?lang=en")).text, cid)
    assert "Partner's busy season" in english or "Partner&#39;s busy season" in english

"""The board's read model on SQLite and PostgreSQL: pages per stage, counts, filters, scope."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

from engine.domain.access import EVERYTHING, Scope
from engine.domain.network import Network
from engine.domain.partner import Industry, Partner
from engine.services import CollaborationService, DirectoryService
from engine.store.read import pipeline
from engine.store.read.pipeline import BoardFilter, CardRow
from engine.store.read.pipeline_sql import card_query
from tests.integration import builders
from workflows.collaboration import Stage

STATES = [s.value for s in Stage]
TODAY = date(2026, 4, 6)


async def network_with_candidates(
    ctx, names: list[str], area: str = "北地区"
) -> tuple[int, list[int]]:
    """A network of its own with a candidate per partner name; returns their ids in order."""
    directory = DirectoryService(ctx)
    network = await directory.add_network(
        Network(None, f"{names[0]}ネットワーク", "あおば町", "13"), builders.COORDINATOR
    )
    assert network.id is not None
    ids = []
    for name in names:
        partner = await directory.add_partner(
            Partner(None, name, Industry.PHARMACY, area), builders.COORDINATOR
        )
        assert partner.id is not None
        record = await CollaborationService(ctx).add_candidate(
            network.id, partner.id, builders.COORDINATOR
        )
        assert record.id is not None
        ids.append(record.id)
    return network.id, ids


def test_the_card_query_selects_the_card_row_fields_in_order():
    # The read model builds a CardRow from each row by position.
    columns = [c.name for c in card_query().selected_columns]
    assert columns == [f.name for f in fields(CardRow)]


async def test_each_stage_shows_its_first_cards_oldest_first_with_its_count(ctx, clock):
    ids = []
    for number in range(5):
        ids.append(await builders.candidate(ctx, f"事業者{number}"))
        clock.advance(hours=1)
    await builders.complete_scorecard(ctx, ids[4])
    await CollaborationService(ctx).fire(
        ids[4], "approach", expected_version=1, actor=builders.COORDINATOR
    )
    board = await pipeline.board(ctx.db, EVERYTHING, BoardFilter(), STATES, 3, TODAY)
    assert board.counts == {"candidate": 4, "approached": 1}
    assert [c.id for c in board.cards if c.state == "candidate"] == ids[:3]
    assert [c.id for c in board.cards if c.state == "approached"] == [ids[4]]
    more, has_more = await pipeline.column(
        ctx.db, EVERYTHING, BoardFilter(), "candidate", 3, 3, TODAY
    )
    assert ([c.id for c in more], has_more) == ([ids[3]], False)
    first, has_more = await pipeline.column(
        ctx.db, EVERYTHING, BoardFilter(), "candidate", 0, 3, TODAY
    )
    assert ([c.id for c in first], has_more) == (ids[:3], True)


async def test_a_card_carries_its_partners_busy_seasons_and_its_open_due_rules(ctx, clock):
    cid = await builders.candidate(ctx)
    card = await pipeline.card(ctx.db, EVERYTHING, cid, TODAY)
    assert [(s.start, s.end) for s in card.busy_seasons] == [((3, 1), (3, 31))]
    assert card.partner_name == "みどり信用金庫" and card.area == "中央地区"
    # The stale rule's item comes due 30 days after the last activity.
    later = await pipeline.card(ctx.db, EVERYTHING, cid, TODAY + timedelta(days=60))
    assert "stale" in later.open_rules and "stale" not in card.open_rules


async def test_filters_and_the_search_narrow_cards_and_counts(ctx):
    await builders.candidate(ctx, "みどり信用金庫")
    network_id, (percent, plain) = await network_with_candidates(ctx, ["100%薬局", "あおば薬局"])
    scope = Scope(network_ids=frozenset({network_id}))
    found = await pipeline.board(ctx.db, scope, BoardFilter(search="%"), STATES, 25, TODAY)
    assert [c.id for c in found.cards] == [percent] and found.counts == {"candidate": 1}
    found = await pipeline.board(ctx.db, scope, BoardFilter(search="薬局"), STATES, 25, TODAY)
    assert {c.id for c in found.cards} == {percent, plain}
    found = await pipeline.board(ctx.db, EVERYTHING, BoardFilter(area="北地区"), STATES, 25, TODAY)
    assert {c.id for c in found.cards} == {percent, plain}
    found = await pipeline.board(
        ctx.db, EVERYTHING, BoardFilter(industry="bank"), STATES, 25, TODAY
    )
    assert [c.partner_name for c in found.cards] == ["みどり信用金庫"]
    assert await pipeline.counts(ctx.db, scope, BoardFilter(search="あおば")) == {"candidate": 1}


async def test_a_viewer_sees_only_the_cards_and_choices_of_their_networks(ctx):
    await builders.candidate(ctx, "みどり信用金庫")
    network_id, ids = await network_with_candidates(ctx, ["あおば薬局"], area="西地区")
    scope = Scope(network_ids=frozenset({network_id}))
    found = await pipeline.board(ctx.db, scope, BoardFilter(), STATES, 25, TODAY, with_options=True)
    assert [c.id for c in found.cards] == ids
    assert found.options is not None
    assert found.options.areas == ["西地区"]
    assert [name for _, name in found.options.networks] == ["あおば薬局ネットワーク"]
    everything = await pipeline.filter_options(ctx.db, EVERYTHING)
    assert everything.areas == ["中央地区", "西地区"]
    nobody = await pipeline.board(ctx.db, Scope(), BoardFilter(), STATES, 25, TODAY)
    assert (nobody.cards, nobody.counts) == ([], {})

"""The export read models stream every row in order, in batches, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from engine.domain.access import EVERYTHING, Scope
from engine.domain.users import SYSTEM
from engine.errors import NotFound
from engine.services import CollaborationService
from engine.store.read import exports
from engine.store.read.pipeline_sql import BoardFilter
from tests.integration import builders

STATES = ("candidate", "withdrawn")


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of two, so every export spans several of them (and cursor fetches)."""
    monkeypatch.setattr(exports, "BATCH", 2)


async def test_every_card_comes_once_stage_by_stage_in_board_order(ctx, clock):
    ids = []
    for i in range(7):
        ids.append(await builders.candidate(ctx, f"協力事業者{i}"))
        clock.advance(minutes=1)
    service = CollaborationService(ctx)
    for cid in ids[:3]:
        await service.fire(cid, "withdraw", expected_version=1, actor=SYSTEM, comment="中断")
    lines = [c async for c in exports.board_lines(ctx.db, EVERYTHING, BoardFilter(), STATES)]
    assert [(c.id, c.state) for c in lines] == [(i, "candidate") for i in ids[3:]] + [
        (i, "withdrawn") for i in ids[:3]
    ]
    search = BoardFilter(search="事業者4")
    assert [c.id async for c in exports.board_lines(ctx.db, EVERYTHING, search, STATES)] == [ids[4]]
    nobody = Scope()
    assert [c async for c in exports.board_lines(ctx.db, nobody, BoardFilter(), STATES)] == []


async def test_partners_come_by_name_with_their_contacts(ctx):
    for name in ("ち", "い", "ろ", "は", "に"):
        await builders.candidate(ctx, name)
    lines = [p async for p in exports.partner_lines(ctx.db, EVERYTHING)]
    assert [p.name for p in lines] == ["い", "ち", "に", "は", "ろ"]  # by code point, as /partners
    assert lines[0].contacts == (("佐藤 一郎", "支店長", "", ""),)
    assert {p.collaborations for p in lines} == {1}


async def test_history_in_version_order_and_hidden_outside_the_scope(ctx):
    cid = await builders.candidate(ctx)
    service = CollaborationService(ctx)
    for version in range(1, 6):
        event = "withdraw" if version % 2 else "reopen"
        await service.fire(cid, event, expected_version=version, actor=SYSTEM, comment="理由")
    lines = [h async for h in exports.history_lines(ctx.db, EVERYTHING, cid)]
    assert [h.version for h in lines] == [2, 3, 4, 5, 6]  # the version each change made
    assert lines[0].source == "candidate" and lines[0].dest == "withdrawn"
    with pytest.raises(NotFound):
        [h async for h in exports.history_lines(ctx.db, Scope(network_ids=frozenset({999})), cid)]
    with pytest.raises(NotFound):
        await exports.history_subject(ctx.db, Scope(), cid)

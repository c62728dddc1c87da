"""Networks' partner lists on SQLite and PostgreSQL: registering, duplicates, visibility."""

from __future__ import annotations

import pytest

from engine.domain.access import Scope
from engine.domain.network import Network
from engine.domain.partner import Industry, Partner
from engine.errors import DuplicatePartner, NotFound
from engine.services import DirectoryService
from engine.store.read import partner_pages
from tests.integration.builders import COORDINATOR


async def _networks(ctx) -> tuple[int, int]:
    directory = DirectoryService(ctx)
    ids = []
    for name, town in (
        ("みどり市見守りネットワーク", "みどり市"),
        ("あおば町見守りネットワーク", "あおば町"),
    ):
        network = await directory.add_network(Network(None, name, town, "13"), COORDINATOR)
        assert network.id is not None
        ids.append(network.id)
    return ids[0], ids[1]


def _shop(name: str = "株式会社みどり商店") -> Partner:
    return Partner(None, name, Industry.SHOPPING_SUPPORT, "北地区", kana="みどりしょうてん")


async def test_a_registered_partner_is_in_its_networks_list_without_any_collaboration(ctx):
    midori, aoba = await _networks(ctx)
    saved = await DirectoryService(ctx).add_partner(_shop(), COORDINATOR, midori)
    assert saved.id is not None and saved.kana == "みどりしょうてん"

    mine = await partner_pages.partner_list(ctx.db, Scope(network_ids=frozenset({midori})))
    theirs = await partner_pages.partner_list(ctx.db, Scope(network_ids=frozenset({aoba})))

    assert [(r.name, r.collaborations) for r in mine] == [("株式会社みどり商店", 0)]
    assert theirs == []
    with pytest.raises(NotFound):
        await partner_pages.partner_page(ctx.db, Scope(network_ids=frozenset({aoba})), saved.id)


async def test_a_similar_name_in_the_same_list_needs_a_confirmation(ctx):
    midori, _ = await _networks(ctx)
    directory = DirectoryService(ctx)
    first = await directory.add_partner(_shop(), COORDINATOR, midori)

    with pytest.raises(DuplicatePartner) as duplicate:
        await directory.add_partner(_shop("（株）みどり 商店"), COORDINATOR, midori)

    assert duplicate.value.matches == [(first.id, "株式会社みどり商店")]
    listed = await partner_pages.partner_list(ctx.db, Scope(network_ids=frozenset({midori})))
    assert len(listed) == 1  # nothing was stored

    # The coordinator looked, and it is another shop of the same name: saved on confirmation.
    second = await directory.add_partner(
        _shop("（株）みどり 商店"), COORDINATOR, midori, despite_similar=True
    )
    listed = await partner_pages.partner_list(ctx.db, Scope(network_ids=frozenset({midori})))
    assert {r.id for r in listed} == {first.id, second.id}


async def test_another_networks_partner_of_the_same_name_is_neither_revealed_nor_shared(ctx):
    midori, aoba = await _networks(ctx)
    directory = DirectoryService(ctx)
    theirs = await directory.add_partner(_shop(), COORDINATOR, aoba)
    mine = await directory.add_partner(_shop(), COORDINATOR, midori)
    assert mine.id != theirs.id

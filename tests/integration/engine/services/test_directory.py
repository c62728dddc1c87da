"""Editing networks and partners: validation and version checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.domain.network import Network
from engine.domain.partner import BusySeason, Contact, Industry, Partner
from engine.errors import InvalidInput, NotFound, VersionConflict
from engine.services import CollaborationService, DirectoryService
from tests.integration import builders
from tests.integration.builders import COORDINATOR


async def test_a_partner_edit_replaces_contacts_and_seasons_and_checks_the_version(ctx):
    cid = await builders.candidate(ctx)
    directory = DirectoryService(ctx)
    file = await CollaborationService(ctx).file(cid)
    partner = file.partner
    edited = replace(
        partner,
        contacts=(Contact("鈴木 花", "業務課長", "hana@shinkin.example.jp"),),
        busy_seasons=(BusySeason((12, 1), (1, 10), "年末"),),
    )
    saved = await directory.update_partner(edited, COORDINATOR)
    assert saved.version == 2
    assert [c.name for c in saved.contacts] == ["鈴木 花"]
    assert saved.busy_seasons[0].note == "年末"
    with pytest.raises(VersionConflict):
        await directory.update_partner(replace(edited, area="南部地区"), COORDINATOR)
    assert (await directory.partner(partner.id)).area == partner.area


async def test_network_timing_settings_stay_within_the_guidebook_window(ctx):
    directory = DirectoryService(ctx)
    network = await directory.add_network(
        Network(None, "あおば町見守りネットワーク", "あおば町", "13"), COORDINATOR
    )
    with pytest.raises(InvalidInput) as invalid:
        await directory.update_network(replace(network, approach_escalation_months=4), COORDINATOR)
    assert set(invalid.value.errors) == {"approach_escalation_months"}
    saved = await directory.update_network(
        replace(network, approach_reminder_months=3), COORDINATOR
    )
    assert (saved.approach_reminder_months, saved.version) == (3, 2)
    with pytest.raises(InvalidInput):
        await directory.add_network(
            Network(None, "あおば町見守りネットワーク", "あおば町", "13"), COORDINATOR
        )


async def test_a_networks_own_timing_moves_its_due_dates_in_the_same_transaction(ctx):
    from engine.store.uow import reading
    from engine.workflow.timing import Override

    cid = await builders.candidate(ctx)
    directory = DirectoryService(ctx)
    (network,) = await directory.networks()

    async def stale_due():
        async with reading(ctx.db) as uow:
            items = await uow.collaborations.due_items(cid)
        return next(i.due_on for i in items if i.rule == "stale")

    before = await stale_due()
    await directory.update_network(
        replace(network, timing={"stale": Override(days=60)}), COORDINATOR
    )
    assert (await stale_due() - before).days >= 28


async def test_timing_overrides_for_unknown_rules_or_the_wrong_direction_are_refused(ctx):
    from engine.workflow.timing import Override

    await builders.candidate(ctx)
    directory = DirectoryService(ctx)
    (network,) = await directory.networks()
    with pytest.raises(InvalidInput) as invalid:
        await directory.update_network(
            replace(
                network,
                timing={"no_such_rule": Override(days=3), "renewal_review_7": Override(days=7)},
            ),
            COORDINATOR,
        )
    assert set(invalid.value.errors) == {"timing.no_such_rule", "timing.renewal_review_7"}
    assert (await directory.networks())[0].timing == {}


async def test_a_new_partner_and_its_candidate_are_stored_together_or_not_at_all(ctx):
    await builders.candidate(ctx)
    network_id = (await DirectoryService(ctx).networks())[0].id
    assert network_id is not None
    newcomer = Partner(None, "あおば薬局", Industry.PHARMACY, "北地区")
    service = CollaborationService(ctx)
    with pytest.raises(NotFound):
        await service.add_partner_as_candidate(network_id + 100, newcomer, COORDINATOR)
    # Nothing of the failed attempt stayed behind: the same name registers cleanly.
    partner, record = await service.add_partner_as_candidate(network_id, newcomer, COORDINATOR)
    assert partner.name == "あおば薬局" and record.partner_id == partner.id
    assert (record.network_id, record.state, record.version) == (network_id, "candidate", 1)
    with pytest.raises(InvalidInput):
        await service.add_partner_as_candidate(network_id, newcomer, COORDINATOR)

"""Importing partner lists on SQLite and PostgreSQL: all or nothing, idempotent, audited."""

from __future__ import annotations

import pytest

from engine.domain.network import Network
from engine.domain.users import SYSTEM
from engine.errors import NotFound
from engine.services import DirectoryService
from engine.services.partner_import import ImportRejected, PartnerImportService, PreviewOutdated
from engine.store.uow import reading

LIST = "事業者名,業種,地区,担当者\r\n" + "".join(
    f"協力事業者{i},銀行,中央地区,担当{i}\r\n" for i in range(1_100)
)
"""More rows than one bulk statement takes, so the batches meet."""


async def _network(ctx) -> int:
    saved = await DirectoryService(ctx).add_network(
        Network(None, "みどり市", "みどり市", "13"), SYSTEM
    )
    assert saved.id is not None
    return saved.id


async def test_import_twice_creates_nothing_the_second_time(ctx):
    network_id = await _network(ctx)
    service = PartnerImportService(ctx)
    first = await service.run(LIST.encode("cp932"), network_id, SYSTEM, file_name="../../a.csv")
    assert len(first.created) == 1_100
    second = await service.run(LIST.encode(), network_id, SYSTEM)
    assert (second.created, second.existing) == ((), 1_100)
    async with reading(ctx.db) as uow:
        listed = await uow.partners.keys_in(network_id)
        partner = await uow.partners.get(first.created[-1])
        audit = await uow.audit.for_entity("network", network_id)
        created = [await uow.audit.for_entity("partner", pid) for pid in first.created]
    assert sorted(pid for pid, _ in listed.values()) == sorted(first.created)
    assert partner.name == "協力事業者1099" and partner.contacts[0].name == "担当1099"
    imports = [row for row in audit if row.action == "partner.import"]
    assert imports[0].detail["created"] == 1_100 and imports[0].detail["file"] == "a.csv"
    assert {
        (len(e), e[0].action, e[0].detail["file"], e[0].detail["network_id"]) for e in created
    } == {(1, "partner.create", "a.csv", network_id)}


async def test_one_bad_row_stores_nothing(ctx):
    network_id = await _network(ctx)
    bad = LIST + "壊れた行,魚屋,北\r\n"
    with pytest.raises(ImportRejected) as rejected:
        await PartnerImportService(ctx).run(bad.encode(), network_id, SYSTEM)
    assert [r.row.line for r in rejected.value.plan.rows if r.row.problems] == [1_102]
    async with reading(ctx.db) as uow:
        assert await uow.partners.keys_in(network_id) == {}


async def test_candidates_open_and_a_changed_list_outdates_the_preview(ctx):
    network_id = await _network(ctx)
    service = PartnerImportService(ctx)
    data = "事業者名,地区\nA社,北\nB社,南\n".encode()
    plan = await service.preview(data, network_id)
    await DirectoryService(ctx).add_partner(plan.rows[0].row.partner, SYSTEM, network_id)
    with pytest.raises(PreviewOutdated):
        await service.run(data, network_id, SYSTEM, expect_new=plan.new_lines)
    report = await service.run(data, network_id, SYSTEM, open_candidates=True)
    assert (len(report.created), report.existing, report.candidates) == (1, 1, 1)


async def test_an_unknown_network_is_refused(ctx):
    with pytest.raises(NotFound):
        await PartnerImportService(ctx).preview(LIST.encode(), 999)

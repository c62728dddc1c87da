"""The store behind the administration screens, on SQLite and PostgreSQL: the audit trail
read model, and account edits with their version check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from engine.clock import local_date
from engine.domain.network import Network
from engine.domain.users import SYSTEM, User
from engine.errors import InvalidInput, LoginRefused, VersionConflict
from engine.services import CollaborationService, DirectoryService
from engine.services.accounts import AccountService
from engine.store.read.audit_log import SYSTEM_ACTOR, AuditFilter, audit_page
from engine.store.sessions import DatabaseSessions
from tests.integration.builders import COORDINATOR, candidate, complete_scorecard

PASSWORD = "Kusunoki-2026!"


@pytest.fixture
def accounts(ctx) -> AccountService:
    return AccountService(ctx, DatabaseSessions(ctx.db))


async def _staff(accounts: AccountService, network_ids: tuple[int, ...]) -> User:
    user = User(None, "yamada@example.jp", "山田 花子", "coordinator")
    return await accounts.create_user(user, PASSWORD, SYSTEM, network_ids)


async def test_the_trail_merges_writes_logins_and_moves_newest_first(ctx, clock, accounts):
    cid = await candidate(ctx)
    clock.advance(minutes=1)
    await complete_scorecard(ctx, cid)
    clock.advance(minutes=1)
    await CollaborationService(ctx).fire(cid, "approach", expected_version=1, actor=COORDINATOR)
    network = (await DirectoryService(ctx).networks())[0]
    staff = await _staff(accounts, (network.id,))
    clock.advance(days=1)
    await accounts.login(staff.email, PASSWORD, "10.0.0.1")
    clock.advance(minutes=1)
    with pytest.raises(LoginRefused):
        await accounts.login(staff.email, "wrong-password", "10.0.0.2")

    page = await audit_page(ctx.db, AuditFilter())

    actions = [e.action for e in page.entries]
    assert actions[:2] == ["auth.login_failed", "auth.login"]
    assert "collaboration.approach" in actions and "scorecard.save" in actions
    assert [e.at for e in page.entries] == sorted((e.at for e in page.entries), reverse=True)
    move = next(e for e in page.entries if e.action == "collaboration.approach")
    assert (move.entity, move.entity_id, move.actor_name) == ("collaboration", cid, "山田 花子")
    assert move.detail == {"from": "candidate", "to": "approached"}
    login = next(e for e in page.entries if e.action == "auth.login")
    assert (login.actor_id, login.actor_email, login.detail) == (
        staff.id,
        staff.email,
        {"client": "10.0.0.1"},
    )
    moves = await audit_page(ctx.db, AuditFilter(action="collaboration."))
    assert {e.action for e in moves.entries} == {"collaboration.create", "collaboration.approach"}
    by_staff = await audit_page(ctx.db, AuditFilter(actor_id=staff.id))
    assert [e.action for e in by_staff.entries] == ["auth.login"]
    anonymous = await audit_page(ctx.db, AuditFilter(action="auth.", actor_id=SYSTEM_ACTOR))
    assert [e.action for e in anonymous.entries] == ["auth.login_failed"]
    assert anonymous.entries[0].detail["email"] == staff.email
    # "%" and "_" in a prefix match themselves, not anything.
    assert (await audit_page(ctx.db, AuditFilter(action="auth%"))).entries == []


async def test_days_are_days_in_japan_and_pages_do_not_overlap(ctx, clock):
    # START is 10:00 on Monday 6 April 2026 in Japan; 14 hours later it is the 7th there.
    await candidate(ctx)
    clock.advance(hours=14)
    await candidate(ctx, "あおば運輸")

    sixth = await audit_page(ctx.db, AuditFilter(until=date(2026, 4, 6)))
    seventh = await audit_page(ctx.db, AuditFilter(since=date(2026, 4, 7)))

    assert sixth.entries and {local_date(e.at) for e in sixth.entries} == {date(2026, 4, 6)}
    assert [e.action for e in seventh.entries] == ["collaboration.create", "partner.create"]
    assert {e.at.date() for e in seventh.entries} == {date(2026, 4, 6)}  # still the 6th in UTC
    everything = (await audit_page(ctx.db, AuditFilter(), per_page=100)).entries
    first = await audit_page(ctx.db, AuditFilter(), 1, per_page=3)
    second = await audit_page(ctx.db, AuditFilter(), 2, per_page=3)
    assert first.has_next and first.entries + second.entries == everything[:6]


async def test_an_account_edit_changes_role_and_networks_and_checks_the_version(ctx, accounts):
    directory = DirectoryService(ctx)
    await candidate(ctx)
    midori = (await directory.networks())[0]
    aoba = await directory.add_network(Network(None, "あおば町", "あおば町", "13"), SYSTEM)
    staff = await _staff(accounts, (midori.id,))

    saved = await accounts.update_user(
        replace(staff, role="manager", name="山田 花子", email="ignored@example.jp"),
        (aoba.id,),
        SYSTEM,
    )

    assert (saved.role, saved.email, saved.version) == ("manager", staff.email, 2)
    assert await accounts.user(staff.id) == (saved, [aoba.id])
    with pytest.raises(VersionConflict):
        await accounts.update_user(replace(staff, name="古い版"), (midori.id,), SYSTEM)
    with pytest.raises(InvalidInput) as refused:
        await accounts.update_user(replace(saved, role="partner"), (), SYSTEM)
    assert set(refused.value.errors) == {"partner_id"}
    with pytest.raises(InvalidInput) as refused:
        await accounts.update_user(saved, (9999,), SYSTEM)
    assert set(refused.value.errors) == {"network_ids"}
    assert await accounts.user(staff.id) == (saved, [aoba.id])

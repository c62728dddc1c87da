"""The schema comes only from migrations, and they match the tables the code uses."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from engine.store import migrate
from engine.store.tables import metadata


async def test_migrations_run_from_empty_to_head_and_back(db):
    assert await migrate.current_revision(db) == migrate.head_revision()
    await migrate.downgrade(db, "base")
    assert await migrate.current_revision(db) is None
    async with db.read() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await migrate.upgrade(db)
    assert await migrate.current_revision(db) == migrate.head_revision()


async def test_the_migrated_schema_matches_the_tables_in_code(db):
    async with db.read() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )
    assert diff == []


async def test_the_reminder_scan_uses_the_pending_due_date_index(db):
    query = (
        "SELECT collaboration_id FROM due_items "
        "WHERE status = 'pending' AND remind_on <= '2026-06-01'"
    )
    async with db.read() as conn:
        if db.is_sqlite:
            plan = " ".join(
                str(r[-1]) for r in await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}")
            )
        else:
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(r[0] for r in await conn.exec_driver_sql(f"EXPLAIN {query}"))
    assert "ix_due_items_pending_remind_on" in plan


async def test_upgrading_a_populated_0001_database_keeps_reminders_and_owners(db, clock):
    from sqlalchemy import update

    from engine.domain.users import User
    from engine.services import CollaborationService, Context, DirectoryService
    from engine.store.tables import collaborations
    from tests.integration import builders
    from workflows.collaboration import COLLABORATION

    ctx = Context(db=db, workflow=COLLABORATION, clock=clock)
    owner = await DirectoryService(ctx).add_user(
        User(None, "owner@midori.example.jp", "山田 花子", "coordinator"), builders.COORDINATOR
    )
    cid = await builders.candidate(ctx)
    file = await CollaborationService(ctx).file(cid)
    # Before 0004 an owner needed no membership; such a card is written as it was then.
    async with db.write() as conn:
        await conn.execute(
            update(collaborations).where(collaborations.c.id == cid).values(owner_id=owner.id)
        )
    await migrate.downgrade(db, "0001")
    async with db.read() as conn:
        before = list(await conn.exec_driver_sql("SELECT rule, due_on FROM due_items"))
    assert before  # the stale-card reminder of the new candidate
    await migrate.upgrade(db)
    async with db.read() as conn:
        after = list(await conn.exec_driver_sql("SELECT rule, due_on, remind_on FROM due_items"))
        members = list(await conn.exec_driver_sql("SELECT user_id, network_id FROM memberships"))
    assert [(r[0], str(r[1])) for r in after] == [(r[0], str(r[1])) for r in before]
    assert all(str(r[2]) == str(r[1]) for r in after)
    assert [(m[0], m[1]) for m in members] == [(owner.id, file.collaboration.network_id)]


async def test_upgrading_to_partner_lists_puts_each_partner_in_its_networks_lists(db, clock):
    from engine.services import Context
    from tests.integration import builders
    from workflows.collaboration import COLLABORATION

    ctx = Context(db=db, workflow=COLLABORATION, clock=clock)
    cid = await builders.candidate(ctx, "株式会社 みどり商店")
    await migrate.downgrade(db, "0007")
    await migrate.upgrade(db)
    async with db.read() as conn:
        keys = list(await conn.exec_driver_sql("SELECT name, name_key FROM partners"))
        lists = list(
            await conn.exec_driver_sql("SELECT network_id, partner_id FROM network_partners")
        )
        wanted = list(
            await conn.exec_driver_sql("SELECT network_id, partner_id FROM collaborations")
        )
    assert [tuple(k) for k in keys] == [("株式会社 みどり商店", "みどり商店")]
    assert [tuple(r) for r in lists] == [tuple(r) for r in wanted] and cid


def _prefecture_migration():
    import importlib.util
    from pathlib import Path

    path = Path(migrate.__file__).parent / "migrations/versions/0011_prefecture_codes.py"
    spec = importlib.util.spec_from_file_location("prefecture_codes_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_upgrading_to_prefecture_codes_converts_what_it_recognises_and_keeps_the_rest(db):
    from sqlalchemy import text

    await migrate.downgrade(db, "0010")
    old = {"あおば町": "東京", "みどり市": "Tokyo", "さくら村": "徳島県", "ひかり町": "ムー大陸"}
    async with db.write() as conn:
        await conn.execute(
            text("INSERT INTO networks (name, municipality, prefecture) VALUES (:n, :n, :p)"),
            [{"n": town, "p": prefecture} for town, prefecture in old.items()],
        )
    await migrate.upgrade(db)
    query = text("SELECT name, prefecture FROM networks")
    async with db.read() as conn:
        upgraded = {r.name: r.prefecture for r in await conn.execute(query)}
    assert upgraded == {
        "あおば町": "13",
        "みどり市": "13",
        "さくら村": "36",
        "ひかり町": "ムー大陸",
    }
    await migrate.downgrade(db, "0010")
    async with db.read() as conn:
        downgraded = {r.name: r.prefecture for r in await conn.execute(query)}
    assert downgraded == {
        "あおば町": "東京都",
        "みどり市": "東京都",
        "さくら村": "徳島県",
        "ひかり町": "ムー大陸",
    }
    await migrate.upgrade(db)


def test_the_prefecture_migration_s_frozen_lookup_agrees_with_the_code():
    from engine.domain.prefectures import PREFECTURES, prefecture_code

    migration = _prefecture_migration()
    assert [(p.ja, p.en) for p in PREFECTURES] == list(migration.NAMES)
    for spelling in (
        "13",
        "1",
        "１３",
        "東京",
        "東京都",
        "北海道",
        "北海",
        "ＴＯＫＹＯ",
        "tokyo-to",
        "Osaka Prefecture",
        "Tōkyō",
        "ムー大陸",
        "",
        "48",
    ):
        assert migration.code_of(spelling) == prefecture_code(spelling), spelling

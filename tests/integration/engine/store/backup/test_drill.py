"""The restore drill: a backup taken while a writer moves cards, restored into a fresh database.

On SQLite and PostgreSQL: the restored database holds every table exactly as
at the backup's snapshot (the manifest's counts and checksums, taken inside
that snapshot), the writer's moves up to that moment and none after it, no
move half there, and the restored app serves the board and the history to
someone who logs in again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from engine.clock import FixedClock
from engine.config import Settings
from engine.domain.users import Actor
from engine.services import CollaborationService, Context
from engine.store import migrate
from engine.store.backup import make_backup, restore_backup
from engine.store.backup.postgres import current_tables
from engine.store.backup.postgres import table_sums as pg_table_sums
from engine.store.backup.run import sqlite_path
from engine.store.backup.sqlite import table_names
from engine.store.backup.sqlite import table_sums as sqlite_table_sums
from engine.store.database import Database
from engine.store.tables import collaborations, history, metadata, outbox, partners, sessions
from tests.integration.engine.store.backup.conftest import build_world
from workflows.collaboration import COLLABORATION

WRITER = Actor(None, "ドリル 書き手")
COORDINATOR = "coordinator@midori.example.jp"
DEMO_PASSWORD = "mimamori-demo-2026"
BEFORE, DURING, AFTER = 0, 1, 2


@dataclass(frozen=True)
class Move:
    """One confirmed move, and the phase of the backup when it began and when it was confirmed."""

    cid: int
    version: int
    dest: str
    comment: str
    began: int
    confirmed: int


class Writer:
    """Withdraws and reopens a few cards, one move after another, until told to stop."""

    def __init__(self, ctx: Context, cards: dict[int, tuple[str, int]]) -> None:
        self.service = CollaborationService(ctx)
        self.clock = ctx.clock
        self.cards = dict(cards)
        self.phase = BEFORE
        self.moves: list[Move] = []
        self.stop = asyncio.Event()
        self.moved = asyncio.Event()

    async def run(self) -> None:
        k = 0
        ids = sorted(self.cards)
        while not self.stop.is_set():
            cid = ids[k % len(ids)]
            state, version = self.cards[cid]
            event = "withdraw" if state == "candidate" else "reopen"
            began, comment = self.phase, f"ドリル移動 {k:04d}"
            moved = await self.service.fire(
                cid, event, expected_version=version, actor=WRITER, comment=comment
            )
            record = moved.collaboration
            self.cards[cid] = (record.state, record.version)
            self.moves.append(Move(cid, record.version, record.state, comment, began, self.phase))
            assert isinstance(self.clock, FixedClock)
            self.clock.advance(seconds=7)
            k += 1
            self.moved.set()
            await asyncio.sleep(0)

    async def until(self, count: int) -> None:
        while len(self.moves) < count:
            self.moved.clear()
            await self.moved.wait()


async def sums_of(db: Database):
    """Every table's row count and checksum, as the manifest has them."""
    if db.is_sqlite:
        import sqlite3

        conn = sqlite3.connect(sqlite_path(db))
        try:
            return sqlite_table_sums(conn, table_names(conn), lambda _: None)
        finally:
            conn.close()
    async with db.read() as conn:
        schema, tables = await current_tables(conn)
        return await pg_table_sums(conn, schema, tables, ())


async def login(client: AsyncTestClient, email: str) -> None:
    page = await client.get("/login")
    marker = 'name="_csrf" value="'
    start = page.text.index(marker) + len(marker)
    token = page.text[start : page.text.index('"', start)]
    answer = await client.post(
        "/login",
        data={"email": email, "password": DEMO_PASSWORD, "_csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code in (302, 303), answer.text[:300]


def app_on(db: Database, tmp_path: Path, clock: FixedClock) -> AsyncTestClient:
    from web.app import create_app

    url = db.url.replace("+aiosqlite", "").replace("+asyncpg", "")
    settings = Settings(
        database_url=url, allowed_hosts=("testserver.local",), mail_dir=tmp_path / "mail"
    )
    return AsyncTestClient(app=create_app(settings, clock), base_url="http://testserver.local")


async def test_a_backup_taken_under_writes_restores_exactly_its_moment(
    db: Database, empty_db: Database, clock: FixedClock, tmp_path: Path
):
    await build_world(db, clock)
    async with app_on(db, tmp_path, clock) as browser:  # a session that must not survive
        await login(browser, COORDINATOR)
        assert (await browser.get("/board")).status_code == 200
        old_cookies = dict(browser.cookies)
    async with db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(sessions))).scalar_one() == 1
        assert (await conn.execute(select(func.count()).select_from(outbox))).scalar_one() > 0
        rows = await conn.execute(
            select(collaborations.c.id, collaborations.c.state, collaborations.c.version)
            .where(
                collaborations.c.state.in_(("candidate", "withdrawn")),
                collaborations.c.network_id == 1,
            )
            .order_by(collaborations.c.id)
            .limit(3)
        )
        cards = {cid: (state, version) for cid, state, version in rows}
    assert len(cards) == 3

    writer = Writer(Context(db=db, workflow=COLLABORATION, clock=clock), cards)
    writing = asyncio.create_task(writer.run())
    await writer.until(6)
    writer.phase = DURING
    path = tmp_path / "drill.mimamori"
    manifest = await make_backup(db, path, FixedClock(clock.now()), progress=lambda _: None)
    writer.phase = AFTER
    await writer.until(len(writer.moves) + 6)
    writer.stop.set()
    await writing
    assert any(DURING in (m.began, m.confirmed) for m in writer.moves), "no move overlapped"

    lines: list[str] = []
    done = await restore_backup(empty_db, path, progress=lines.append)
    assert done.replaced == {} and done.upgraded_to is None
    assert await migrate.current_revision(empty_db) == migrate.head_revision()

    # Every table as at the snapshot: the manifest's sums were taken inside it.
    restored = await sums_of(empty_db)
    assert restored == manifest.tables
    assert manifest.tables["sessions"].rows == 0 and manifest.tables["outbox"].rows > 0
    async with empty_db.read() as conn:
        for table in metadata.sorted_tables:
            count = (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            assert count == manifest.tables[table.name].rows, table.name
        now = dict(
            list(
                await conn.execute(
                    select(collaborations.c.id, collaborations.c.version).where(
                        collaborations.c.id.in_(cards)
                    )
                )
            )
        )
        states = dict(
            list(
                await conn.execute(
                    select(collaborations.c.id, collaborations.c.state).where(
                        collaborations.c.id.in_(cards)
                    )
                )
            )
        )
        entries = set(
            await conn.execute(
                select(history.c.collaboration_id, history.c.version, history.c.comment).where(
                    history.c.comment.like("ドリル移動%")
                )
            )
        )
        last_version = dict(
            list(
                await conn.execute(
                    select(history.c.collaboration_id, func.max(history.c.version))
                    .where(history.c.collaboration_id.in_(cards))
                    .group_by(history.c.collaboration_id)
                )
            )
        )
        a_partner = (
            await conn.execute(
                select(partners.c.name)
                .join(collaborations, collaborations.c.partner_id == partners.c.id)
                .where(collaborations.c.id == min(cards))
            )
        ).scalar_one()

    # The writer's moves up to the snapshot and none after; no move half there.
    kept = [m for m in writer.moves if m.version <= now[m.cid]]
    assert entries == {(m.cid, m.version, m.comment) for m in kept}
    assert all(m in kept for m in writer.moves if m.confirmed == BEFORE)
    assert not [m for m in writer.moves if m.began == AFTER and m in kept]
    assert len(kept) < len(writer.moves)
    for cid, (state, version) in cards.items():
        mine = [m for m in kept if m.cid == cid]
        assert states[cid] == (mine[-1].dest if mine else state)
        assert now[cid] == last_version.get(cid, version) == (mine[-1].version if mine else version)

    # The restored app: the old login is gone, a new one sees the board and the history.
    last_in = max(kept, key=lambda m: (m.cid == min(cards), m.version))
    first_out = min(
        (m for m in writer.moves if m.cid == last_in.cid and m not in kept), key=lambda m: m.version
    )
    async with app_on(empty_db, tmp_path, clock) as browser:
        browser.cookies.update(old_cookies)
        assert (await browser.get("/board", follow_redirects=False)).status_code in (302, 303, 401)
        browser.cookies.clear()
        await login(browser, COORDINATOR)
        board = await browser.get("/board")
        assert board.status_code == 200 and a_partner in board.text
        page = await browser.get(f"/collaborations/{last_in.cid}")
        assert page.status_code == 200
        assert last_in.comment in page.text and first_out.comment not in page.text

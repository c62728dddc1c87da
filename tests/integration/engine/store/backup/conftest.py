"""A demo world to back up, and an empty database of the same engine to restore into."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy.engine import make_url

from engine.clock import FixedClock, local_date
from engine.services import Context
from engine.services.reminders import ReminderService
from engine.store.database import Database
from mimamori.demo import seed_demo
from tests.conftest import POSTGRES_URL, _pg_admin
from tests.integration.conftest import START
from workflows.collaboration import COLLABORATION

TODAY: date = local_date(START)


async def build_world(db: Database, clock: FixedClock) -> None:
    """The demo's networks, partners and collaborations, and the reminders due today queued."""
    await seed_demo(db, COLLABORATION, TODAY)
    report = await ReminderService(Context(db=db, workflow=COLLABORATION, clock=clock)).scan()
    assert report.queued > 0, "the demo should have reminders due on its seeding day"


@pytest.fixture
async def empty_db(db: Database, tmp_path) -> AsyncIterator[Database]:
    """A database of the same engine as ``db`` with nothing in it, not even a schema."""
    if db.is_sqlite:
        target = Database(f"sqlite:///{tmp_path / 'restored' / 'mimamori.db'}")
        (tmp_path / "restored").mkdir()
        yield target
        await target.dispose()
        return
    name = f"mimamori_test_{uuid.uuid4().hex[:12]}"
    admin = await _pg_admin()
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    target = Database(str(make_url(POSTGRES_URL).set(database=name)))
    yield target
    await target.dispose()
    admin = await _pg_admin()
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()

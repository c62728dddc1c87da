"""The unit of work: every repository over one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection

from engine.store.database import Database
from engine.store.repositories.attachments import Attachments
from engine.store.repositories.audit import Audit
from engine.store.repositories.collaborations import Collaborations
from engine.store.repositories.directory import Networks, Partners, Users
from engine.store.repositories.outbox import Outbox
from engine.store.repositories.records import Records


class UnitOfWork:
    """Repositories sharing one connection and transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.networks = Networks(conn)
        self.partners = Partners(conn)
        self.users = Users(conn)
        self.collaborations = Collaborations(conn)
        self.records = Records(conn)
        self.audit = Audit(conn)
        self.outbox = Outbox(conn)
        self.attachments = Attachments(conn)


@asynccontextmanager
async def writing(db: Database) -> AsyncIterator[UnitOfWork]:
    """A unit of work in a write transaction, committed on normal exit."""
    async with db.write() as conn:
        yield UnitOfWork(conn)


@asynccontextmanager
async def reading(db: Database) -> AsyncIterator[UnitOfWork]:
    """A unit of work in a read transaction."""
    async with db.read() as conn:
        yield UnitOfWork(conn)

"""Reset links on SQLite and PostgreSQL: one link, two tabs at once, one password."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from engine.domain.account_links import LinkPurpose
from engine.domain.users import SYSTEM, User
from engine.errors import LinkRefused
from engine.services.accounts import AccountService
from engine.services.password_links import PasswordLinkService
from engine.store.sessions import DatabaseSessions
from engine.store.tables import outbox
from engine.store.uow import reading

EMAIL = "sato@midori.example.jp"


async def _secret(ctx) -> str:
    async with reading(ctx.db) as uow:
        body = (await uow.conn.execute(select(outbox.c.body))).scalar_one()
    line = next(line for line in body.splitlines() if "/password/reset/" in line)
    return line.rsplit("/", 1)[1]


async def test_two_submissions_of_one_link_set_one_password(ctx):
    accounts = AccountService(ctx, DatabaseSessions(ctx.db))
    await accounts.create_user(
        User(None, EMAIL, "佐藤 美咲", "coordinator"), "Kusunoki-2026!", SYSTEM
    )
    links = PasswordLinkService(ctx)
    await links.request_reset(EMAIL, "10.0.0.1")
    secret = await _secret(ctx)

    outcomes = await asyncio.gather(
        links.set_password(secret, LinkPurpose.RESET, "Hinoki-first-11", "10.0.0.1"),
        links.set_password(secret, LinkPurpose.RESET, "Sugi-second-22", "10.0.0.2"),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, LinkRefused)]
    assert len(refused) == 1, outcomes
    winner = "Hinoki-first-11" if isinstance(outcomes[1], LinkRefused) else "Sugi-second-22"
    assert (await accounts.login(EMAIL, winner, "10.0.0.3")).viewer.email == EMAIL
    with pytest.raises(LinkRefused):
        await links.holder(secret, LinkPurpose.RESET)

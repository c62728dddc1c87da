"""Every response names its request; the audit entries and log lines of that request say the same.

A proxy's X-Request-ID is kept only when the request comes from a trusted
proxy (MIMAMORI_TRUSTED_PROXIES) and is a sane token; otherwise the app makes
one. The app runs in-process behind httpx's ASGI transport, which lets a test
choose the peer address the app sees.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest

from engine.logs import JsonFormatter
from engine.store.database import Database
from engine.store.read.audit_log import AuditFilter, audit_page
from tests.web.conftest import csrf_of
from tests.web.world import PASSWORD
from web.app import create_app

PROXY = "127.0.0.1"  # trusted by default
STRANGER = "198.51.100.23"
GENERATED = re.compile(r"[0-9a-f]{32}")


@asynccontextmanager
async def browser_from(settings, clock, peer: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser whose requests reach the app from ``peer``."""
    app = create_app(settings, clock)
    transport = httpx.ASGITransport(app=app, client=(peer, 50123))
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client,
    ):
        yield client


async def log_in(client: httpx.AsyncClient, email: str, **headers: str) -> httpx.Response:
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "_csrf": csrf_of(page.text)},
        headers=headers,
    )


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """Everything logged at INFO and above during the test, as the JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_a_request_without_an_id_gets_a_fresh_one(client):
    first = await client.get("/login")
    second = await client.get("/login")
    assert GENERATED.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_errors_and_unrouted_paths_carry_an_id_too(client):
    missing = await client.get("/no-such-page")
    assert missing.status_code == 404
    assert GENERATED.fullmatch(missing.headers["x-request-id"])


async def test_a_trusted_proxys_id_is_kept(world, settings, clock):
    async with browser_from(settings, clock, PROXY) as client:
        response = await client.get("/login", headers={"X-Request-ID": "proxy-7f3a9c01"})
    assert response.headers["x-request-id"] == "proxy-7f3a9c01"


@pytest.mark.parametrize(
    "sent",
    ["short", "x" * 65, "has space inside", "a@b.example.jp-ffff", "<script>alert(1)</script>"],
)
async def test_a_malformed_id_from_a_trusted_proxy_is_replaced(world, settings, clock, sent):
    async with browser_from(settings, clock, PROXY) as client:
        response = await client.get("/login", headers={"X-Request-ID": sent})
    assert GENERATED.fullmatch(response.headers["x-request-id"])


async def test_an_id_sent_by_an_untrusted_client_is_replaced(world, settings, clock):
    async with browser_from(settings, clock, STRANGER) as client:
        response = await client.get("/login", headers={"X-Request-ID": "forged-0123456789"})
    assert response.headers["x-request-id"] != "forged-0123456789"
    assert GENERATED.fullmatch(response.headers["x-request-id"])


async def test_the_test_clients_own_peer_is_not_a_proxy(client):
    response = await client.get("/login", headers={"X-Request-ID": "forged-0123456789"})
    assert response.headers["x-request-id"] != "forged-0123456789"


async def test_the_audit_entry_of_a_change_carries_the_requests_id(world, settings, clock):
    async with browser_from(settings, clock, PROXY) as client:
        response = await log_in(
            client, world.emails["admin"], **{"X-Request-ID": "login-req-000001"}
        )
        assert response.status_code == 303
        assert response.headers["x-request-id"] == "login-req-000001"
        page = await client.get("/admin/audit", params={"action": "auth.login"})
    assert "login-req-000001" in page.text  # shown to administrators
    db = Database(settings.database_url)
    try:
        found = await audit_page(db, AuditFilter(action="auth.login"))
    finally:
        await db.dispose()
    assert [e.request_id for e in found.entries if e.actor_id == world.users["admin"]] == [
        "login-req-000001"
    ]


async def test_a_move_made_in_a_request_is_traced_in_the_history(world, settings, clock):
    async with browser_from(settings, clock, STRANGER) as client:
        await log_in(client, world.emails["coordinator"])
        account = await client.get("/account")
        cid = world.collaborations["A"]
        moved = await client.post(
            f"/collaborations/{cid}/move",
            data={"event": "withdraw", "version": "1", "comment": "予算がつかなかった"},
            headers={"X-CSRF-Token": csrf_of(account.text), "HX-Request": "true"},
        )
    assert moved.status_code == 200, moved.text
    db = Database(settings.database_url)
    try:
        found = await audit_page(db, AuditFilter(action="collaboration.withdraw"))
    finally:
        await db.dispose()
    assert [e.request_id for e in found.entries] == [moved.headers["x-request-id"]]


async def test_json_lines_trace_each_request_and_never_name_an_email(
    world, settings, clock, json_lines
):
    async with browser_from(settings, clock, PROXY) as client:
        await log_in(client, world.emails["coordinator"], **{"X-Request-ID": "trace-me-0001"})
        board = await client.get("/board", headers={"X-Request-ID": "trace-me-0002"})
        await client.get(f"/collaborations/{world.collaborations['A']}")
    assert board.status_code == 200
    text = json_lines.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line["logger"] == "mimamori.access"]
    assert len(access) >= 4  # the login page, the login, the board, the collaboration
    for line in access:
        assert {"time", "level", "request_id", "route", "status", "duration_ms"} <= line.keys()
        assert isinstance(line["duration_ms"], float)
    by_id = {line["request_id"]: line for line in access}
    assert by_id["trace-me-0001"]["route"] == "/login"
    assert by_id["trace-me-0001"]["status"] == 303
    assert by_id["trace-me-0002"] | {"time": "", "duration_ms": 0} == {
        "time": "",
        "level": "INFO",
        "logger": "mimamori.access",
        "message": by_id["trace-me-0002"]["message"],
        "request_id": "trace-me-0002",
        "route": "/board",
        "method": "GET",
        "status": 200,
        "duration_ms": 0,
        "user_id": world.users["coordinator"],
    }
    assert access[-1]["route"] == "/collaborations/{collaboration_id}"  # not the path
    assert all(email not in text for email in world.emails.values())
    assert "@" not in text and PASSWORD not in text

"""Redis carries the worker's queue and nothing else: with it down, people log in and work."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from tests.web.conftest import csrf_of, login
from web.app import create_app


def _closed_port() -> int:
    """A loopback port nothing listens on: Redis is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def settings(settings):
    """The production shape (a worker beside the web process), with its Redis unreachable."""
    return replace(settings, redis_url=f"redis://127.0.0.1:{_closed_port()}/0")


async def test_with_redis_down_a_login_holds_and_every_page_answers(client, world, settings, clock):
    assert not settings.embedded
    assert (await login(client, world.emails["coordinator"])).status_code == 303
    for path in ("/board", "/due", "/partners", f"/collaborations/{world.collaborations['A']}"):
        assert (await client.get(path)).status_code == 200, path
    page = await client.get(f"/collaborations/{world.collaborations['A']}")
    comment = await client.post(
        f"/collaborations/{world.collaborations['A']}/forms/comment",
        data={"body": "Redis が止まっていても記録できます", "_csrf": csrf_of(page.text)},
    )
    assert comment.status_code == 200
    page = await client.get(f"/collaborations/{world.collaborations['A']}")
    assert "Redis が止まっていても記録できます" in page.text
    # Another web process (a restart, or the next worker behind the proxy) knows the session too.
    async with AsyncTestClient(app=create_app(settings, clock)) as other:
        other.cookies = client.cookies
        assert (await other.get("/board")).status_code == 200


async def test_readiness_says_redis_is_down_while_the_pages_work(client, world):
    answer = await client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "not_ready"
    assert answer.json()["redis"] == "unreachable" and answer.json()["database"] == "ok"
    assert (await client.get("/healthz")).status_code == 200

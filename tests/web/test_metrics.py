"""/metrics as Prometheus reads it: the figures a monitor alerts on, and who may read them."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send
from prometheus_client.parser import text_string_to_metric_families

from engine.domain.mail import Mail, MailKind
from engine.errors import ConfigError
from engine.store.database import Database
from engine.store.uow import writing
from web.app import create_app
from web.metrics import _forget_dead_processes

TOKEN = "scrape-token-0123456789abcdef"
OUTSIDE = "203.0.113.9"


def from_peer(app: ASGIApp, peer: str) -> ASGIApp:
    """The app as reached over TCP from ``peer`` (the test client has no address of its own)."""

    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["client"] = (peer, 40312)
        await app(scope, receive, send)

    return asgi


@pytest.fixture
def reach(world, settings, clock) -> Callable[..., AsyncIterator[AsyncTestClient]]:
    """A client from a given peer address, to an app with the given settings changed."""

    def open_from(peer: str, **changes) -> AsyncTestClient:
        app = create_app(dataclasses.replace(settings, **changes), clock)
        client = AsyncTestClient(app=from_peer(app, peer))
        client.litestar = app  # type: ignore[attr-defined]
        return client

    return open_from


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample by (name, labels), as Prometheus's own parser reads the answer."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:
    return found[(name, frozenset(labels.items()))]


async def scrape(client: AsyncTestClient, **headers: str) -> dict:
    answer = await client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(answer.text)


async def until_the_first_round(client: AsyncTestClient) -> None:
    for _ in range(100):
        if (await client.get("/readyz")).json()["background_last_seen"] is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the start-up round never reported")


async def test_a_request_is_counted_under_its_route_template_and_status(reach):
    async with reach("127.0.0.1") as client:
        for _ in range(2):
            assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/lang/en", follow_redirects=False)).status_code == 302
        assert (await client.get("/no/such/page/42")).status_code == 404
        found = await scrape(client)

    requests = "mimamori_http_requests_total"
    assert value(found, requests, route="/healthz", method="GET", status="200") == 2
    assert value(found, requests, route="/lang/{code}", method="GET", status="302") == 1
    # An unknown path is one series, whatever the path: no raw URLs in the labels.
    assert value(found, requests, route="unmatched", method="GET", status="404") == 1
    assert not any("/no/such" in str(labels) for _, labels in found)
    latency = "mimamori_http_request_duration_seconds"
    assert value(found, f"{latency}_count", route="/healthz", method="GET") == 2
    assert value(found, f"{latency}_bucket", route="/healthz", method="GET", le="+Inf") == 2


async def test_the_pool_figure_counts_the_connections_handed_out(reach):
    pool = "mimamori_database_pool_connections_in_use"
    async with reach("127.0.0.1") as client:
        await until_the_first_round(client)
        for _ in range(100):  # the round hands its last connection back just after the beat
            if value(await scrape(client), pool) == 0:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("a connection stayed out after the start-up round")
        async with client.litestar.state.ctx.db.read():
            assert value(await scrape(client), pool) == 1


async def test_the_figures_a_monitor_alerts_on(reach, world_url, clock):
    async with reach("127.0.0.1") as client:
        await until_the_first_round(client)
        first = await scrape(client)
        assert value(first, "mimamori_database_up") == 1
        assert value(first, "mimamori_background_heartbeat_age_seconds") == 0
        assert value(first, "mimamori_reminder_round_duration_seconds") == 0  # the clock stood
        assert value(first, "mimamori_outbox_messages", status="queued") == 0
        assert value(first, "mimamori_outbox_oldest_unsent_age_seconds") == 0
        assert value(first, "mimamori_due_notices_today") >= 0

        db = Database(world_url)
        async with writing(db) as uow:
            mails = [
                Mail(f"test:{n}", MailKind.REMINDER, f"sato{n}@example.jp", "件名", "本文")
                for n in range(3)
            ]
            await uow.outbox.add(mails, clock.now(), "localhost")
        await db.dispose()
        clock.advance(minutes=10)  # and no round since: as when the worker has stopped
        later = await scrape(client)

    assert value(later, "mimamori_outbox_messages", status="queued") == 3
    assert value(later, "mimamori_outbox_messages", status="failed") == 0
    assert value(later, "mimamori_outbox_oldest_unsent_age_seconds") == 600
    assert value(later, "mimamori_background_heartbeat_age_seconds") == 600
    assert value(later, "mimamori_background_heartbeat_timestamp_seconds") == (
        clock.now().timestamp() - 600
    )


async def test_a_database_that_does_not_answer_is_reported_not_an_error(reach, tmp_path):
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'x.db'}"
    async with reach("127.0.0.1", database_url=missing) as client:
        found = await scrape(client)
    assert value(found, "mimamori_database_up") == 0
    assert ("mimamori_outbox_messages", frozenset({("status", "queued")})) not in found


@pytest.mark.parametrize("peer", ["127.0.0.1", "::1"])
async def test_loopback_may_read_it(reach, peer):
    async with reach(peer) as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert "set-cookie" not in answer.headers  # no session machinery, not even a CSRF cookie


async def test_another_address_is_told_nothing_exists(reach):
    async with reach(OUTSIDE) as client:
        answer = await client.get("/metrics")
        page = await client.get("/no/such/page")
    assert (answer.status_code, page.status_code) == (404, 404)  # like any missing page
    assert answer.headers["content-type"] == page.headers["content-type"]
    assert "mimamori_" not in answer.text


async def test_a_configured_network_may_read_it(reach):
    async with reach("10.1.2.3", metrics_allow=("10.0.0.0/8",)) as client:
        assert (await client.get("/metrics")).status_code == 200
    async with reach("127.0.0.1", metrics_allow=("10.0.0.0/8",)) as client:
        assert (await client.get("/metrics")).status_code == 404  # the list replaces loopback


async def test_the_token_lets_a_scraper_in_from_anywhere_and_a_wrong_one_does_not(reach):
    async with reach(OUTSIDE, metrics_token=TOKEN) as client:
        assert (
            await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        ).is_success
        wrong = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"})
        assert wrong.status_code == 404
        assert (await client.get("/metrics")).status_code == 404
    async with reach(OUTSIDE) as client:  # no token configured: a sent one opens nothing
        answer = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 404


async def test_through_the_reverse_proxy_on_loopback_the_outside_client_is_refused(reach):
    # The proxy (127.0.0.1, trusted by default) forwards a request from outside.
    async with reach("127.0.0.1") as client:
        answer = await client.get("/metrics", headers={"X-Forwarded-For": OUTSIDE})
        assert answer.status_code == 404
        # A forged loopback entry is only the left of the chain the proxy appends to.
        chain = {"X-Forwarded-For": f"127.0.0.1, {OUTSIDE}"}
        assert (await client.get("/metrics", headers=chain)).status_code == 404


async def test_a_proxy_the_server_does_not_trust_does_not_make_a_request_local(reach):
    # A proxy on loopback, but MIMAMORI_TRUSTED_PROXIES names another host: the
    # forwarded client is never resolved, and the loopback peer proves nothing.
    async with reach("127.0.0.1", trusted_proxies=("192.0.2.10",)) as client:
        for header in ("X-Forwarded-For", "X-Real-IP"):
            answer = await client.get("/metrics", headers={header: OUTSIDE})
            assert answer.status_code == 404, header
        forwarded = await client.get("/metrics", headers={"Forwarded": f"for={OUTSIDE}"})
        assert forwarded.status_code == 404


async def test_an_allowed_scraper_behind_the_trusted_proxy_is_let_in(reach):
    async with reach("127.0.0.1", metrics_allow=("10.0.0.0/8",)) as client:
        answer = await client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    assert answer.status_code == 200


def test_a_shared_folder_without_the_multiprocess_mode_is_refused_at_start(settings, tmp_path):
    # Under another process manager both variables must be set before the start.
    with pytest.raises(ConfigError, match="PROMETHEUS_MULTIPROC_DIR"):
        create_app(dataclasses.replace(settings, metrics_dir=tmp_path))


def test_a_killed_process_not_yet_reaped_no_longer_counts_in_the_pool(tmp_path):
    """Between SIGKILL and its supervisor's wait, a process is a zombie: dead for the scrape."""
    child = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / f"gauge_livesum_{child.pid}.db").write_bytes(b"")
        (tmp_path / f"gauge_livesum_{os.getpid()}.db").write_bytes(b"")
        child.kill()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
            assert time.monotonic() < deadline, "the child never became a zombie"
            time.sleep(0.01)
        _forget_dead_processes(tmp_path)
        assert not (tmp_path / f"gauge_livesum_{child.pid}.db").exists()
        assert (tmp_path / f"gauge_livesum_{os.getpid()}.db").exists()  # the living stay
    finally:
        child.wait()

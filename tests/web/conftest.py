"""A running app over a fresh SQLite database with the test world, and logging in to it."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from engine.clock import FixedClock
from engine.config import Settings
from tests.web.world import NOW, PASSWORD, World, build_world
from web.app import create_app


@pytest.fixture(scope="session")
def world_template(tmp_path_factory) -> tuple[Path, World]:
    """The world built once (migrations and password hashing take seconds), copied per test."""
    path = tmp_path_factory.mktemp("world") / "web.db"
    built: list[World] = []
    # A thread of its own: the caller's thread may have an event loop marked running.
    runner = threading.Thread(
        target=lambda: built.append(asyncio.run(build_world(f"sqlite:///{path}")))
    )
    runner.start()
    runner.join()
    assert built, "building the test world failed"
    return path, built[0]


@pytest.fixture
def world_url(tmp_path, world_template) -> str:
    path = tmp_path / "web.db"
    shutil.copyfile(world_template[0], path)
    return f"sqlite:///{path}"


@pytest.fixture
def world(world_url, world_template) -> World:
    return world_template[1]


@pytest.fixture
def settings(world_url, tmp_path) -> Settings:
    return Settings(
        database_url=world_url,
        allowed_hosts=("testserver.local",),
        mail_dir=tmp_path / "mail",
        files_dir=tmp_path / "files",
        max_upload_mb=1,
    )


@pytest.fixture
def clock() -> FixedClock:
    """The app's clock, at the moment the world was built; a module overrides it to run later."""
    return FixedClock(NOW)


@pytest.fixture
async def client(world, settings, clock) -> AsyncIterator[AsyncTestClient]:
    """An anonymous browser."""
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        yield client


@pytest.fixture
async def second_browser(world, settings, clock) -> AsyncIterator[AsyncTestClient]:
    """Another browser (its own app process, on the same clock) on the same database."""
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        yield client


async def login(client: AsyncTestClient, email: str, password: str = PASSWORD):
    """Log in through the form, as a browser would, with the token the login page carries."""
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={"email": email, "password": password, "_csrf": csrf_of(page.text)},
        follow_redirects=False,
    )


def csrf_of(page_text: str) -> str:
    """The CSRF token a page carries in its forms."""
    marker = 'name="_csrf" value="'
    start = page_text.index(marker) + len(marker)
    return page_text[start : page_text.index('"', start)]


@pytest.fixture
def as_role(client, world):
    """Log the client in as one of the world's accounts; returns the client."""

    async def log_in(key: str) -> AsyncTestClient:
        response = await login(client, world.emails[key])
        assert response.status_code in (302, 303), response.text
        return client

    return log_in

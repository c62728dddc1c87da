"""A running app over a fresh SQLite database with the test world, and logging in to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from engine.config import Settings
from tests.web.world import PASSWORD, World, build_world
from web.app import create_app


@pytest.fixture
async def world_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
async def world(world_url) -> World:
    return await build_world(world_url)


@pytest.fixture
def settings(world_url, tmp_path) -> Settings:
    return Settings(
        database_url=world_url, allowed_hosts=("testserver.local",), mail_dir=tmp_path / "mail"
    )


@pytest.fixture
async def client(world, settings) -> AsyncIterator[AsyncTestClient]:
    """An anonymous browser."""
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
async def second_browser(world, settings) -> AsyncIterator[AsyncTestClient]:
    """Another browser (its own app process) on the same database."""
    async with AsyncTestClient(app=create_app(settings)) as client:
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

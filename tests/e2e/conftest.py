"""End-to-end fixtures: Debian's Chromium, a fresh page per test, the real app on a free port.

Tests and fixtures here stay synchronous: Playwright's sync API cannot run inside an
event loop (see harness.py). A module puts data in by overriding ``seed``:

    @pytest.fixture
    def seed():
        async def put(ctx: Context) -> int:
            return await builders.candidate(ctx, "あおば生協")
        return put

and reads what ``put`` returned as ``live_server.seeded``.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import IN_CI
from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, LiveServer, Seed, serve, snap

CALL_REPORT = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep the call phase's report on the item, so ``page`` knows whether the test failed."""
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; without it skip, or under CI=true fail."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"{CHROMIUM} is missing: `apt-get install chromium` (`make test` does it)"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: the e2e tests are required)")
    pytest.skip(message)


# Package rather than session scope: between its calls Playwright marks the main
# thread's event loop as running, which would break every async test that pytest
# runs after this folder while the browser is still open.
@pytest.fixture(scope="package")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """One headless Chromium for the e2e tests, driven through Playwright's sync API."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (navigator.language, Accept-Language); override to change."""
    return "ja-JP"


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, browser_locale: str) -> Iterator[Page]:
    """A page in a new browser context; screenshotted into artifacts/ when the test fails."""
    if inspect.iscoroutinefunction(request.function):
        pytest.fail("e2e tests must be plain functions: Playwright's sync API runs no event loop")
    context = browser.new_context(
        locale=browser_locale,
        timezone_id="Asia/Tokyo",
        viewport={"width": 1280, "height": 800},
    )
    try:
        page = context.new_page()
        yield page
        report = request.node.stash.get(CALL_REPORT, None)
        if report is not None and report.failed:
            # Best effort: a crashed page must not hide the failure that matters.
            with suppress(PlaywrightError):
                name = f"{request.node.path.stem}.{request.node.name}-failed"
                snap(page, re.sub(r"[^\w.-]+", "_", name))
    finally:
        context.close()


@pytest.fixture
def seed() -> Seed | None:
    """What the live server's database holds besides the schema; a module overrides this."""
    return None


@pytest.fixture
def live_server_settings() -> dict[str, Any]:
    """Settings fields to change for the live server (e.g. ``locale``); override to change."""
    return {}


@pytest.fixture
def live_server(
    tmp_path: Path, seed: Seed | None, live_server_settings: dict[str, Any]
) -> Iterator[LiveServer]:
    """The real app under uvicorn on 127.0.0.1, on a fresh migrated and seeded SQLite file."""
    with serve(tmp_path, seed, **live_server_settings) as server:
        yield server

"""Every kind of page, as each role sees it on the demo data, passes axe-core's WCAG 2.1 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from engine.clock import local_date
from engine.services import Context
from mimamori.demo import seed_demo
from mimamori.demo.networks import DEMO_PASSWORD
from tests.e2e.accounts import log_in
from tests.e2e.axe import assert_accessible, violations
from tests.e2e.harness import LiveServer, Seed

pytestmark = pytest.mark.e2e

COORDINATOR = "coordinator@midori.example.jp"
MANAGER = "manager@midori.example.jp"
ADMIN = "admin@kakuu-ken.example.jp"
PARTNER = "kimura@kakuu-bank.example.jp"


@pytest.fixture
def seed() -> Seed:
    async def the_demo(ctx: Context) -> None:
        await seed_demo(ctx.db, ctx.workflow, local_date(ctx.clock.now()))

    return the_demo


def _first_link(page: Page, pattern: str) -> str:
    """The first link on the page whose address matches ``pattern``."""
    for href in page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    ):
        if re.fullmatch(pattern, href or ""):
            return href
    raise AssertionError(f"no link like {pattern} on {page.url}")


def _check(page: Page, base: str, paths: list[str]) -> list[str]:
    broken = []
    for path in paths:
        answer = page.goto(base + path)
        assert answer is not None and answer.status == 200, (path, answer and answer.status)
        broken += [f"{path}: {line}" for line in violations(page)]
    return broken


def test_the_checker_finds_what_it_is_meant_to(page: Page, live_server: LiveServer):
    page.goto(f"{live_server.url}/login")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert any(line.startswith("image-alt") for line in violations(page))


def test_staff_pages(page: Page, live_server: LiveServer):
    base = live_server.url
    page.goto(f"{base}/login")
    assert_accessible(page)
    log_in(page, base, COORDINATOR, DEMO_PASSWORD)
    page.goto(f"{base}/board")
    collaboration = _first_link(page, r"/collaborations/\d+")
    page.goto(f"{base}/partners")
    partner = _first_link(page, r"/partners/\d+")
    paths = [
        "/board",
        "/board?industry=bank",
        collaboration,
        "/partners",
        partner,
        f"{partner}/edit",
        "/partners/new",
        "/partners/import",
        "/partners/pick",
        "/due",
        "/account",
        "/password/forgot",
    ]
    broken = _check(page, base, paths)
    assert not broken, "\n".join(broken)


def test_manager_and_administrator_pages(page: Page, live_server: LiveServer):
    base = live_server.url
    log_in(page, base, MANAGER, DEMO_PASSWORD)
    broken = _check(page, base, ["/board", "/due"])
    page.get_by_role("button", name="ログアウト", exact=True).click()
    log_in(page, base, ADMIN, DEMO_PASSWORD)
    page.goto(f"{base}/admin/users")
    account = _first_link(page, r"/admin/users/\d+")
    page.goto(f"{base}/admin/networks")
    network = _first_link(page, r"/admin/networks/\d+")
    page.goto(f"{base}/admin/partners")
    seasons = _first_link(page, r"/admin/partners/\d+")
    paths = [
        "/admin",
        "/admin/users",
        account,
        "/admin/users/new",
        "/admin/users/invite",
        "/admin/networks",
        network,
        "/admin/networks/new",
        "/admin/partners",
        seasons,
        "/admin/audit",
    ]
    broken += _check(page, base, paths)
    assert not broken, "\n".join(broken)


def test_partner_portal_pages(page: Page, live_server: LiveServer):
    base = live_server.url
    log_in(page, base, PARTNER, DEMO_PASSWORD)
    page.goto(f"{base}/portal")
    mine = _first_link(page, r"/portal/collaborations/\d+")
    broken = _check(page, base, ["/portal", mine, "/account"])
    assert not broken, "\n".join(broken)

"""Every route × every role → the expected outcome; a new route without a row fails the test.

Outcomes: OK (the role may: any answer but 401/403/404/5xx, so a form rejecting the
empty submission with 422 still counts), DENIED (403), LOGIN (anonymous: 303 to the login
page, or 401 under /api), and PUBLIC (OK for everyone, logged in or not).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.clock import FixedClock
from engine.domain.users import SYSTEM
from engine.files.storage import LocalFiles
from engine.services import Context
from engine.services.attachments import AttachmentService
from engine.services.calendar_feed import CalendarFeedService
from engine.store.database import Database
from tests.web.conftest import csrf_of, login
from tests.web.world import NOW, World
from workflows.collaboration import COLLABORATION

ROLES = ("anonymous", "admin", "manager", "coordinator", "partner")
OK, DENIED, LOGIN = "ok", "denied", "login"


def _row(anonymous: str, admin: str, manager: str, coordinator: str, partner: str):
    return dict(zip(ROLES, (anonymous, admin, manager, coordinator, partner), strict=True))


PUBLIC = _row(OK, OK, OK, OK, OK)
ANYONE_LOGGED_IN = _row(LOGIN, OK, OK, OK, OK)
STAFF_VIEW = _row(LOGIN, OK, OK, OK, DENIED)
STAFF_EDIT = _row(LOGIN, DENIED, OK, OK, DENIED)
MANAGERS = _row(LOGIN, DENIED, OK, DENIED, DENIED)
ADMINS = _row(LOGIN, OK, DENIED, DENIED, DENIED)
PARTNERS = _row(LOGIN, DENIED, DENIED, DENIED, OK)
# Not for any session: loopback, listed addresses or the metrics token (tests/web/test_metrics.py);
# or a link's secret (tests/web/test_password_reset.py, test_invitations.py).
HIDDEN = _row(*["HTTP 404"] * 5)

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/lang/{code:str}"): PUBLIC,
    ("GET", "/calendar/{token:str}/due.ics"): PUBLIC,  # the token is the credential
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): HIDDEN,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/password/forgot"): PUBLIC,
    ("POST", "/password/forgot"): PUBLIC,
    # The secret in the e-mailed link is the credential: a wrong one is not found, for anyone.
    ("GET", "/password/reset/{secret:str}"): HIDDEN,
    ("POST", "/password/reset/{secret:str}"): HIDDEN,
    ("GET", "/invitation/{secret:str}"): HIDDEN,
    ("POST", "/invitation/{secret:str}"): HIDDEN,
    ("POST", "/logout"): ANYONE_LOGGED_IN,
    ("GET", "/account"): ANYONE_LOGGED_IN,
    ("POST", "/account/password"): ANYONE_LOGGED_IN,
    ("GET", "/board"): STAFF_VIEW,
    ("GET", "/due"): STAFF_VIEW,
    ("GET", "/due/count"): STAFF_VIEW,
    ("POST", "/due/{item_id:int}/acknowledge"): STAFF_VIEW,
    ("POST", "/due/{item_id:int}/snooze"): STAFF_VIEW,
    ("POST", "/due/feed/revoke"): STAFF_VIEW,
    ("GET", "/collaborations/{collaboration_id:int}"): STAFF_VIEW,
    ("GET", "/partners"): STAFF_VIEW,
    ("GET", "/partners/{partner_id:int}"): STAFF_VIEW,
    ("GET", "/partners/new"): STAFF_VIEW,  # administrators keep the directory too
    ("GET", "/partners/import"): STAFF_VIEW,
    ("POST", "/partners/import"): STAFF_VIEW,
    ("POST", "/partners/import/confirm"): STAFF_VIEW,
    ("POST", "/partners"): STAFF_VIEW,
    ("GET", "/partners/{partner_id:int}/edit"): STAFF_VIEW,
    ("POST", "/partners/{partner_id:int}/edit"): STAFF_VIEW,
    ("POST", "/partners/{partner_id:int}/candidates"): STAFF_EDIT,
    ("POST", "/collaborations/{collaboration_id:int}/owner"): STAFF_EDIT,
    ("GET", "/partners/pick"): STAFF_EDIT,
    ("GET", "/compare"): STAFF_VIEW,
    ("GET", "/board/columns/{stage:str}"): STAFF_VIEW,
    ("GET", "/board/cards/{collaboration_id:int}"): STAFF_VIEW,
    ("GET", "/board.csv"): STAFF_VIEW,
    ("GET", "/partners.csv"): STAFF_VIEW,
    ("GET", "/collaborations/{collaboration_id:int}/history.csv"): STAFF_VIEW,
    ("POST", "/collaborations/{collaboration_id:int}/move"): STAFF_EDIT,
    ("GET", "/collaborations/{collaboration_id:int}/moves/{event:str}"): STAFF_EDIT,
    ("GET", "/collaborations/{collaboration_id:int}/forms/{form:str}"): STAFF_EDIT,
    ("POST", "/collaborations/{collaboration_id:int}/forms/{form:str}"): STAFF_EDIT,
    ("POST", "/collaborations/{collaboration_id:int}/attachments"): STAFF_EDIT,
    ("GET", "/collaborations/{collaboration_id:int}/attachments/{attachment_id:int}"): STAFF_VIEW,
    (
        "POST",
        "/collaborations/{collaboration_id:int}/attachments/{attachment_id:int}/share",
    ): STAFF_EDIT,
    (
        "POST",
        "/collaborations/{collaboration_id:int}/attachments/{attachment_id:int}/remove",
    ): STAFF_EDIT,
}
BY_PREFIX = {"/admin": ADMINS, "/portal": PARTNERS}
"""Whole areas with one policy: every route under the prefix answers like this."""
# Files and the API description are public by design; /api has its own role and IDOR
# matrices with bearer tokens in tests/web/test_api_access.py.
NOT_IN_MATRIX = ("/static/", "/schema", "/api/")


def _routes(app) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if route.path.startswith(NOT_IN_MATRIX):
            continue
        for method in sorted(getattr(route, "methods", ())):
            if method not in ("OPTIONS", "HEAD"):
                found.append((method, route.path))
    return found


async def _samples(world: World, world_url: str, files_dir: Path) -> dict[str, str]:
    """A value for each path parameter: records of みどり市, which manager and coordinator serve."""
    db = Database(world_url)
    async with db.read() as conn:
        due_item = (
            await conn.exec_driver_sql(
                "SELECT id FROM due_items WHERE collaboration_id = ?",
                (world.collaborations["A"],),
            )
        ).scalar()
    await db.dispose()
    ctx = Context(db=Database(world_url), workflow=COLLABORATION, clock=FixedClock(NOW))
    feed = await CalendarFeedService(ctx).token(world.users["coordinator"])
    attachment = await _shared_attachment(world, world_url, files_dir)
    await ctx.db.dispose()
    return {
        "code": "en",
        "secret": "not-a-link-anyone-was-sent",
        "stage": "candidate",
        "event": "approach",
        "form": "scorecard",
        "token": feed,
        "item_id": str(due_item),
        "collaboration_id": str(world.collaborations["A"]),
        "cid": str(world.collaborations["A"]),  # the partner user's own organisation's
        "id": str(world.collaborations["A"]),
        "partner_id": str(world.partners["A"]),
        "user_id": str(world.users["coordinator"]),
        "network_id": str(world.networks["midori"]),
        "attachment_id": str(attachment),
    }


async def _shared_attachment(world: World, world_url: str, files_dir: Path) -> int:
    """An attachment of みどり市's collaboration with A, shared with partner A's users."""
    ctx = Context(
        db=Database(world_url),
        workflow=COLLABORATION,
        clock=FixedClock(NOW),
        files=LocalFiles(files_dir),
    )
    upload = ctx.files.begin(ctx.max_upload_bytes)
    upload.write(b"%PDF-1.7\n%%EOF\n")
    found = await AttachmentService(ctx).attach(
        world.collaborations["A"], upload, "memo.pdf", None, True, SYSTEM
    )
    await ctx.db.dispose()
    return found.id


def _expected(method: str, template: str) -> dict[str, str] | None:
    if (method, template) in EXPECTED:
        return EXPECTED[(method, template)]
    return next((row for prefix, row in BY_PREFIX.items() if template.startswith(prefix)), None)


def _fill(path: str, samples: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: samples[m.group(1)], path)


def _outcome(status: int, location: str, path: str) -> str:
    if status == 403:
        return DENIED
    # The guards send browsers to /login?next=…; logging out lands on a bare /login.
    if (status == 303 and location.startswith("/login?next=")) or (
        status == 401 and path.startswith("/api")
    ):
        return LOGIN
    # A 401 page off /api is the login form refusing the empty submission.
    return OK if status < 500 and status != 404 else f"HTTP {status}"


def test_every_route_has_a_row_in_the_matrix(client):
    missing = [r for r in _routes(client.app) if _expected(*r) is None]
    assert not missing, f"add these routes to EXPECTED: {missing}"


@pytest.mark.parametrize("role", ROLES)
async def test_each_route_answers_each_role_as_expected(client, world, world_url, role):
    samples = await _samples(world, world_url, client.app.state.settings.files_dir)
    if role != "anonymous":
        await login(client, world.emails[role])
    # Logging out would end the session the other rows need: it goes last.
    routes = sorted(_routes(client.app), key=lambda r: r == ("POST", "/logout"))
    wrong = []
    for method, template in routes:
        path = _fill(template, samples)
        if method == "GET":
            response = await client.get(path, follow_redirects=False)
        else:
            token = csrf_of((await client.get("/login")).text)
            response = await client.request(
                method, path, data={"_csrf": token}, follow_redirects=False
            )
        got = _outcome(response.status_code, response.headers.get("location", ""), path)
        if got != _expected(method, template)[role]:
            wrong.append(f"{method} {path}: {got} ({response.status_code})")
    assert not wrong, f"{role}: {wrong}"


ID_PARAMS = ("collaboration_id", "partner_id", "cid", "item_id", "attachment_id")


@pytest.mark.parametrize(("role", "area"), [("aoba", "staff"), ("partner_b", "/portal")])
async def test_another_tenants_ids_answer_404_like_missing_ones(
    client, world, world_url, role, area
):
    """あおば町's coordinator and partner B's user aim at みどり市's records of partner A."""
    samples = await _samples(world, world_url, client.app.state.settings.files_dir)
    await login(client, world.emails[role])
    routes = [
        (method, template)
        for method, template in _routes(client.app)
        if any(f"{{{p}:" in template for p in ID_PARAMS)
        and template.startswith("/portal") == (area == "/portal")
        and not template.startswith("/admin")
    ]
    assert routes
    wrong = []
    for method, template in routes:
        for values, label in (
            (samples, "another's"),
            (
                dict.fromkeys(samples, "999999")
                | {k: v for k, v in samples.items() if k not in ID_PARAMS},
                "missing",
            ),
        ):
            path = _fill(template, values)
            if method == "GET":
                response = await client.get(path, follow_redirects=False)
            else:
                token = csrf_of((await client.get("/login")).text)
                response = await client.request(
                    method, path, data={"_csrf": token}, follow_redirects=False
                )
            if response.status_code != 404:
                wrong.append(f"{label} {method} {path}: {response.status_code}")
    assert not wrong, wrong

"""Who may call the API: tokens and sessions, CSRF, the role matrix, and ids out of reach."""

from __future__ import annotations

import pytest

from engine.domain.users import SYSTEM
from engine.services.accounts import AccountService
from engine.store.repositories.accounts import Tokens
from engine.store.sessions import DatabaseSessions
from tests.web.api_client import MISSING, bearer, session_csrf, store
from tests.web.conftest import login

ACTIVITY = {"kind": "phone", "occurred_on": "2026-04-01", "summary": "電話で趣旨を説明"}


async def test_without_credentials_the_api_answers_401_json(client):
    response = await client.get("/api/collaborations")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"].startswith("application/json")


async def test_unknown_revoked_and_disabled_tokens_answer_401(client, world):
    forged = {"Authorization": "Bearer mimamori_not-a-real-token"}
    assert (await client.get("/api/collaborations", headers=forged)).status_code == 401
    headers = await bearer(client, world, "coordinator")
    assert (await client.get("/api/collaborations", headers=headers)).status_code == 200
    async with store(client) as ctx, ctx.db.write() as conn:
        await Tokens(conn).revoke_for_user(world.users["coordinator"], ctx.clock.now())
    revoked = await client.post(
        f"/api/collaborations/{world.collaborations['A']}/activities",
        json=ACTIVITY,
        headers=headers,
    )
    assert revoked.status_code == 401 and revoked.json()["error"] == "not_authenticated"
    headers = await bearer(client, world, "manager")
    async with store(client) as ctx:
        await AccountService(ctx, DatabaseSessions(ctx.db)).set_active(
            world.users["manager"], False, SYSTEM
        )
    assert (await client.get("/api/collaborations", headers=headers)).status_code == 401


async def test_a_session_reads_and_writes_with_its_csrf_header(client, world):
    await login(client, world.emails["coordinator"])
    assert (await client.get("/api/collaborations")).json()["total"] == 2
    url = f"/api/collaborations/{world.collaborations['A']}/activities"
    response = await client.post(
        url, json=ACTIVITY, headers={"X-CSRF-Token": await session_csrf(client)}
    )
    assert response.status_code == 201


async def test_a_session_write_without_the_csrf_header_is_refused_and_stores_nothing(client, world):
    await login(client, world.emails["coordinator"])
    url = f"/api/collaborations/{world.collaborations['A']}/activities"
    for headers in ({}, {"X-CSRF-Token": "guessed"}):
        response = await client.post(url, json=ACTIVITY, headers=headers)
        assert response.status_code == 403
        assert response.json()["error"] == "csrf_failed"
    moved = await client.post(
        f"/api/collaborations/{world.collaborations['A']}/events",
        json={"event": "withdraw", "version": 1, "comment": "辞退"},
    )
    assert moved.status_code == 403
    assert (await client.get(url)).json() == []
    detail = await client.get(f"/api/collaborations/{world.collaborations['A']}")
    assert detail.json()["version"] == 1


async def test_a_bearer_token_needs_no_csrf_header(client, world):
    headers = await bearer(client, world, "coordinator")
    url = f"/api/collaborations/{world.collaborations['A']}/activities"
    assert (await client.post(url, json=ACTIVITY, headers=headers)).status_code == 201


# --- the role matrix --------------------------------------------------------------------------

ROLES = ("anonymous", "admin", "manager", "coordinator", "aoba", "partner", "partner_b")


def _routes(world):
    a, partner_a = world.collaborations["A"], world.partners["A"]
    midori = world.networks["midori"]
    new_partner = {"name": "みどり薬局", "industry": "pharmacy", "area": "北地区"}
    return {
        "list": ("GET", "/api/collaborations", None),
        "read": ("GET", f"/api/collaborations/{a}", None),
        "fire": ("POST", f"/api/collaborations/{a}/events", {"event": "withdraw", "version": 1}),
        "activities": ("GET", f"/api/collaborations/{a}/activities", None),
        "log": ("POST", f"/api/collaborations/{a}/activities", ACTIVITY),
        "partners": ("GET", "/api/partners", None),
        "partner": ("GET", f"/api/partners/{partner_a}", None),
        "register": ("POST", "/api/partners", {**new_partner, "network_id": midori}),
        "open": (
            "POST",
            "/api/collaborations",
            {"network_id": midori, "partner_id": world.partners["B"]},
        ),
    }


# Anonymous calls carry no credentials: 401, writes too (there is no session to forge).
# A withdrawal without a reason is blocked by its guard (409) for those who may move.
# aoba's coordinator cannot see A's collaboration (404) and may not use midori (422).
EXPECTED = {
    "list": (401, 200, 200, 200, 200, 200, 200),
    "read": (401, 200, 200, 200, 404, 200, 404),
    "fire": (401, 403, 409, 409, 404, 403, 403),
    "activities": (401, 200, 200, 200, 404, 200, 404),
    "log": (401, 403, 201, 201, 404, 403, 403),
    "partners": (401, 200, 200, 200, 200, 200, 200),
    "partner": (401, 200, 200, 200, 404, 200, 404),
    "register": (401, 403, 201, 201, 422, 403, 403),
    "open": (401, 403, 201, 201, 422, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
async def test_the_role_matrix(client, world, role):
    headers = {} if role == "anonymous" else await bearer(client, world, role)
    column = ROLES.index(role)
    got = {}
    for name, (method, url, body) in _routes(world).items():
        response = await client.request(method, url, json=body, headers=headers)
        assert response.headers["content-type"].startswith("application/json")
        got[name] = response.status_code
    assert got == {name: statuses[column] for name, statuses in EXPECTED.items()}


# --- ids out of reach answer exactly like ids that do not exist -------------------------------


def _id_routes(collaboration: int, partner: int):
    fire = {"event": "withdraw", "version": 1, "comment": "辞退"}
    return [
        ("GET", f"/api/collaborations/{collaboration}", None),
        ("POST", f"/api/collaborations/{collaboration}/events", fire),
        ("GET", f"/api/collaborations/{collaboration}/activities", None),
        ("POST", f"/api/collaborations/{collaboration}/activities", ACTIVITY),
        ("GET", f"/api/partners/{partner}", None),
    ]


OUT_OF_REACH = [
    ("coordinator", "B", "B"),  # another network's collaboration and partner
    ("coordinator", "C-aoba", "B"),  # the shared partner's collaboration in the other network
    ("manager", "B", "B"),
    ("aoba", "A", "A"),
    ("partner", "B", "B"),  # another partner organisation
    ("partner", "C-midori", "C"),
    ("partner_b", "A", "A"),
]


@pytest.mark.parametrize(("role", "collaboration", "partner"), OUT_OF_REACH)
async def test_ids_out_of_reach_look_like_missing_ones(client, world, role, collaboration, partner):
    headers = await bearer(client, world, role)
    theirs = _id_routes(world.collaborations[collaboration], world.partners[partner])
    missing = _id_routes(MISSING, MISSING)
    for (method, url, body), (_, nowhere, _) in zip(theirs, missing, strict=True):
        response = await client.request(method, url, json=body, headers=headers)
        absent = await client.request(method, nowhere, json=body, headers=headers)
        assert (response.status_code, response.json()) == (absent.status_code, absent.json()), url
        if not (method == "POST" and role.startswith("partner")):  # partners may not write at all
            assert response.status_code == 404, url
    admin = await bearer(client, world, "admin")
    target = world.collaborations[collaboration]
    detail = (await client.get(f"/api/collaborations/{target}", headers=admin)).json()
    assert detail["version"] == 1 and detail["state"] == "candidate"
    activities = await client.get(f"/api/collaborations/{target}/activities", headers=admin)
    assert activities.json() == []

"""The JSON API: what each endpoint answers, on success and on every kind of refusal."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.builders import complete_scorecard
from tests.web.api_client import MISSING, bearer, store
from tests.web.world import NOW


async def test_the_openapi_document_describes_the_api_and_its_authentication(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["paths"] and all(path.startswith("/api/") for path in document["paths"])
    assert set(document["components"]["securitySchemes"]) == {"bearer", "session"}
    fire = document["paths"]["/api/collaborations/{collaboration_id}/events"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(fire["responses"])
    error = document["components"]["schemas"]["ApiError"]
    assert error["required"] == ["error", "message"]


async def test_a_coordinator_lists_the_collaborations_of_their_network(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await client.get("/api/collaborations", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert {c["id"] for c in body["items"]} == {
        world.collaborations["A"],
        world.collaborations["C-midori"],
    }
    assert body["items"][0]["state"] == "candidate" and body["items"][0]["state_label"] == "候補"


async def test_the_list_filters_and_pages(client, world):
    headers = await bearer(client, world, "admin")
    everything = (await client.get("/api/collaborations", headers=headers)).json()
    assert everything["total"] == 4
    aoba = await client.get(
        "/api/collaborations", params={"network_id": world.networks["aoba"]}, headers=headers
    )
    assert {c["partner"]["name"] for c in aoba.json()["items"]} == {"あおば運輸", "共栄生協"}
    page = await client.get("/api/collaborations?limit=1&offset=1", headers=headers)
    assert page.json()["total"] == 4 and len(page.json()["items"]) == 1
    assert page.json()["items"][0]["id"] == everything["items"][1]["id"]
    none = await client.get("/api/collaborations?state=pilot", headers=headers)
    assert none.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


async def test_a_partner_user_lists_only_their_organisations_collaborations(client, world):
    headers = await bearer(client, world, "partner")
    body = (await client.get("/api/collaborations", headers=headers)).json()
    assert [c["id"] for c in body["items"]] == [world.collaborations["A"]] and body["total"] == 1


async def test_a_partner_user_reads_the_history_without_the_staffs_names_and_notes(client, world):
    cid = world.collaborations["A"]
    staff = await bearer(client, world, "coordinator")
    fired = await client.post(
        f"/api/collaborations/{cid}/events",
        json={"event": "withdraw", "version": 1, "comment": "支店長の異動で保留"},
        headers=staff,
    )
    assert fired.status_code == 200
    seen_by_staff = (await client.get(f"/api/collaborations/{cid}", headers=staff)).json()
    entry = seen_by_staff["history"][0]
    assert entry["comment"] == "支店長の異動で保留" and entry["actor"]["name"] == "coordinator さん"
    partner = await bearer(client, world, "partner")
    seen_by_partner = (await client.get(f"/api/collaborations/{cid}", headers=partner)).json()
    entry = seen_by_partner["history"][0]
    assert (entry["event"], entry["dest"]) == ("withdraw", "withdrawn")
    assert entry["actor"] is None and entry["comment"] is None
    assert "支店長の異動で保留" not in str(seen_by_partner)


async def test_a_malformed_query_parameter_is_a_400_with_the_field(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await client.get("/api/collaborations?limit=many", headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request" and "limit" in response.json()["fields"]
    unknown_state = await client.get("/api/collaborations?state=flying", headers=headers)
    assert unknown_state.status_code == 400


async def test_a_collaboration_shows_its_events_with_unmet_requirements(client, world):
    headers = await bearer(client, world, "coordinator")
    cid = world.collaborations["A"]
    body = (await client.get(f"/api/collaborations/{cid}", headers=headers)).json()
    assert body["state"] == "candidate" and body["version"] == 1 and body["cycle"] == 1
    assert body["network"]["name"] == "みどり市見守りネットワーク"
    assert body["partner"] == {"id": world.partners["A"], "name": "みどり信用金庫"}
    assert body["owner"] is None and body["history"] == []
    events = {e["name"]: e for e in body["events"]}
    assert set(events) == {"approach", "withdraw"}
    approach = events["approach"]
    assert approach["allowed"] is False and approach["dest"] == "approached"
    assert "scorecard.overview" in {u["code"] for u in approach["unmet"]}
    assert "スコアカード" in approach["unmet"][0]["message"]
    assert events["withdraw"]["needs_comment"] is True


async def test_messages_follow_lang_then_accept_language(client, world):
    headers = await bearer(client, world, "coordinator")
    url = f"/api/collaborations/{world.collaborations['A']}"
    english = (
        await client.get(url, headers={**headers, "Accept-Language": "en-GB,en;q=0.9"})
    ).json()
    assert english["state_label"] == "Candidate"
    assert english["events"][0]["unmet"][0]["message"].startswith("Rate")
    asked = (
        await client.get(f"{url}?lang=ja", headers={**headers, "Accept-Language": "en"})
    ).json()
    assert asked["state_label"] == "候補"
    missing = await client.get(f"/api/collaborations/{MISSING}?lang=en", headers=headers)
    assert missing.json()["message"] == "There is no such record, or you may not see it."
    japanese = await client.get(f"/api/collaborations/{MISSING}", headers=headers)
    assert japanese.json()["message"] == "該当する記録がないか、閲覧する権限がありません。"


async def test_firing_an_event_answers_the_new_state_and_version(client, world):
    headers = await bearer(client, world, "coordinator")
    cid = world.collaborations["A"]
    async with store(client) as ctx:
        await complete_scorecard(ctx, cid)
    version = (await client.get(f"/api/collaborations/{cid}", headers=headers)).json()["version"]
    response = await client.post(
        f"/api/collaborations/{cid}/events",
        json={"event": "approach", "version": version, "comment": "電話で打診"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": cid,
        "event": "approach",
        "state": "approached",
        "state_label": "打診中",
        "version": version + 1,
    }
    after = (await client.get(f"/api/collaborations/{cid}", headers=headers)).json()
    assert after["state"] == "approached"
    [entry] = after["history"]
    assert entry["event"] == "approach" and entry["source"] == "candidate"
    assert entry["dest"] == "approached" and entry["comment"] == "電話で打診"
    assert entry["actor"] == {"id": world.users["coordinator"], "name": "coordinator さん"}


async def fire(client, headers, cid, **body):
    return await client.post(f"/api/collaborations/{cid}/events", json=body, headers=headers)


async def test_a_blocked_guard_answers_409_with_the_unmet_requirements(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await fire(client, headers, world.collaborations["A"], event="approach", version=1)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "guard_blocked"
    assert [u["code"] for u in body["unmet"]] == [
        "scorecard.overview",
        "scorecard.management",
        "scorecard.field",
        "scorecard.contact",
    ]
    no_reason = await fire(client, headers, world.collaborations["A"], event="withdraw", version=1)
    assert no_reason.status_code == 409
    assert no_reason.json()["unmet"][0]["code"] == "comment.required"


async def test_a_stale_version_answers_409_with_its_own_code_and_the_current_version(client, world):
    headers = await bearer(client, world, "coordinator")
    cid = world.collaborations["A"]
    ok = await fire(client, headers, cid, event="withdraw", version=1, comment="先方が辞退")
    assert ok.status_code == 200 and ok.json()["state"] == "withdrawn"
    stale = await fire(client, headers, cid, event="reopen", version=1)
    assert stale.status_code == 409
    assert stale.json()["error"] == "version_conflict" and stale.json()["current_version"] == 2


async def test_an_event_the_state_does_not_offer_answers_409_with_the_allowed_ones(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await fire(client, headers, world.collaborations["A"], event="renew", version=1)
    assert response.status_code == 409
    assert response.json()["error"] == "event_not_allowed"
    assert response.json()["allowed"] == ["approach", "withdraw"]
    unknown = await fire(client, headers, world.collaborations["A"], event="fly", version=1)
    assert unknown.status_code == 422 and "event" in unknown.json()["fields"]


async def test_a_malformed_event_body_is_a_422_and_changes_nothing(client, world):
    headers = await bearer(client, world, "coordinator")
    cid = world.collaborations["A"]
    url = f"/api/collaborations/{cid}/events"
    for body in (
        {"event": "withdraw", "comment": "x"},  # no version
        {"event": "withdraw", "version": "one", "comment": "x"},  # wrong type
        {"event": "withdraw", "version": 1, "comment": "x", "force": True},  # junk
        ["withdraw", 1],
    ):
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["error"] == "invalid_body"
    broken = await client.post(
        url, content=b"{event:", headers={**headers, "Content-Type": "application/json"}
    )
    assert broken.status_code == 422 and broken.json()["error"] == "invalid_body"
    missing = await client.post(url, json={"event": "withdraw"}, headers=headers)
    assert "version" in missing.json()["fields"]
    after = (await client.get(f"/api/collaborations/{cid}", headers=headers)).json()
    assert after["version"] == 1 and after["state"] == "candidate"


async def test_roles_without_the_move_permission_get_403(client, world):
    for key in ("partner", "admin"):
        headers = await bearer(client, world, key)
        response = await fire(
            client, headers, world.collaborations["A"], event="withdraw", version=1, comment="x"
        )
        assert response.status_code == 403 and response.json()["error"] == "forbidden", key


async def test_another_networks_collaboration_is_404_for_every_verb(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await fire(
        client, headers, world.collaborations["B"], event="withdraw", version=1, comment="x"
    )
    assert response.status_code == 404 and response.json()["error"] == "not_found"


# --- partners ---------------------------------------------------------------------------------


async def test_partners_are_listed_as_far_as_the_caller_may_see(client, world):
    coordinator = await client.get("/api/partners", headers=await bearer(client, world, "aoba"))
    assert [p["name"] for p in coordinator.json()["items"]] == ["あおば運輸", "共栄生協"]
    partner = await client.get("/api/partners", headers=await bearer(client, world, "partner"))
    assert [p["id"] for p in partner.json()["items"]] == [world.partners["A"]]
    admin = await client.get("/api/partners", headers=await bearer(client, world, "admin"))
    assert admin.json()["total"] == 3


async def test_a_partner_is_read_with_its_contacts(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await client.get(f"/api/partners/{world.partners['C']}", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "共栄生協" and body["industry"] == "coop"
    assert body["contacts"] == [{"name": "佐藤 一郎", "title": "支店長", "email": "", "phone": ""}]
    other = await client.get(f"/api/partners/{world.partners['B']}", headers=headers)
    assert other.status_code == 404


NEW_PARTNER = {
    "name": "みどり薬局",
    "industry": "pharmacy",
    "area": "北地区",
    "note": "駅前の店舗",
    "contacts": [{"name": "中村 さくら", "title": "店長", "phone": "0120-000-000"}],
    "busy_seasons": [{"start_month": 12, "start_day": 1, "end_month": 1, "end_day": 10}],
}


async def test_creating_a_partner_puts_it_into_the_network_as_a_candidate(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await client.post(
        "/api/partners",
        json={**NEW_PARTNER, "network_id": world.networks["midori"]},
        headers=headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["partner"]["name"] == "みどり薬局"
    assert body["partner"]["busy_seasons"][0] == {
        "start_month": 12,
        "start_day": 1,
        "end_month": 1,
        "end_day": 10,
        "note": "",
    }
    assert body["collaboration"]["state"] == "candidate"
    assert body["collaboration"]["network"]["id"] == world.networks["midori"]
    seen = await client.get(f"/api/partners/{body['partner']['id']}", headers=headers)
    assert seen.status_code == 200 and seen.json()["contacts"][0]["name"] == "中村 さくら"


async def test_a_partner_for_another_network_or_with_bad_fields_is_refused(client, world):
    headers = await bearer(client, world, "coordinator")
    other = await client.post(
        "/api/partners", json={**NEW_PARTNER, "network_id": world.networks["aoba"]}, headers=headers
    )
    assert other.status_code == 422 and "network_id" in other.json()["fields"]
    blank = await client.post(
        "/api/partners",
        json={**NEW_PARTNER, "name": "  ", "network_id": world.networks["midori"]},
        headers=headers,
    )
    assert blank.status_code == 422 and blank.json()["error"] == "invalid_input"
    assert blank.json()["fields"] == {"name": "この項目は必須です。"}
    taken = await client.post(
        "/api/partners",
        json={
            **NEW_PARTNER,
            "name": "（株）みどり 信用金庫",
            "network_id": world.networks["midori"],
        },
        headers=headers,
    )
    assert taken.status_code == 422
    assert taken.json()["fields"] == {"name": "似た名前の事業者がすでに登録されています。"}
    # Another network's list is not looked into: its partners' names are not revealed.
    elsewhere = await client.post(
        "/api/partners",
        json={**NEW_PARTNER, "name": "あおば運輸", "network_id": world.networks["midori"]},
        headers=headers,
    )
    assert elsewhere.status_code == 201
    admin = await client.post(
        "/api/partners",
        json={**NEW_PARTNER, "network_id": world.networks["midori"]},
        headers=await bearer(client, world, "admin"),
    )
    assert admin.status_code == 403
    listed = await client.get("/api/partners", headers=await bearer(client, world, "admin"))
    assert listed.json()["total"] == 4  # nothing was stored but midori's own あおば運輸


# --- opening collaborations -------------------------------------------------------------------


async def test_a_shared_partner_can_be_added_to_the_callers_network(client, world):
    headers = await bearer(client, world, "coordinator")
    response = await client.post(
        "/api/collaborations",
        json={
            "network_id": world.networks["midori"],
            "partner_id": world.partners["B"],
            "owner_id": world.users["coordinator"],
        },
        headers=headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["partner"]["name"] == "あおば運輸" and body["state"] == "candidate"
    assert body["owner"] == {"id": world.users["coordinator"], "name": "coordinator さん"}
    # The partner is now within the coordinator's reach; aoba's collaboration with it is not.
    assert (
        await client.get(f"/api/partners/{world.partners['B']}", headers=headers)
    ).status_code == 200
    assert (
        await client.get(f"/api/collaborations/{world.collaborations['B']}", headers=headers)
    ).status_code == 404


async def test_opening_a_collaboration_checks_network_partner_and_owner(client, world):
    headers = await bearer(client, world, "coordinator")
    midori = world.networks["midori"]
    cases = [
        ({"network_id": world.networks["aoba"], "partner_id": world.partners["B"]}, "network_id"),
        ({"network_id": midori, "partner_id": MISSING}, "partner_id"),
        ({"network_id": midori, "partner_id": world.partners["A"]}, "partner_id"),  # already in
        (
            {
                "network_id": midori,
                "partner_id": world.partners["B"],
                "owner_id": world.users["aoba"],
            },
            "owner_id",
        ),
    ]
    for body, field in cases:
        response = await client.post("/api/collaborations", json=body, headers=headers)
        assert response.status_code == 422, body
        assert field in response.json()["fields"], body
    listed = await client.get("/api/collaborations", headers=headers)
    assert listed.json()["total"] == 2
    partner = await client.post(
        "/api/collaborations",
        json={"network_id": midori, "partner_id": world.partners["B"]},
        headers=await bearer(client, world, "partner"),
    )
    assert partner.status_code == 403


# --- activities -------------------------------------------------------------------------------


async def test_activities_are_logged_and_listed_newest_first(client, world):
    headers = await bearer(client, world, "coordinator")
    url = f"/api/collaborations/{world.collaborations['A']}/activities"
    assert (await client.get(url, headers=headers)).json() == []
    day = NOW.date()
    for offset, kind, summary in ((3, "phone", "電話で趣旨を説明"), (1, "visit", "支店を訪問")):
        response = await client.post(
            url,
            json={
                "kind": kind,
                "occurred_on": (day - timedelta(days=offset)).isoformat(),
                "summary": summary,
                "duration_minutes": 30,
                "participants": "支店長",
            },
            headers=headers,
        )
        assert response.status_code == 201
        assert response.json()["summary"] == summary and response.json()["kind"] == kind
    listed = (await client.get(url, headers=headers)).json()
    assert [a["summary"] for a in listed] == ["支店を訪問", "電話で趣旨を説明"]
    assert listed[0]["created_by"] == world.users["coordinator"]
    partner = await client.get(url, headers=await bearer(client, world, "partner"))
    assert partner.status_code == 200 and len(partner.json()) == 2


async def test_a_refused_activity_names_its_fields(client, world):
    headers = await bearer(client, world, "coordinator")
    url = f"/api/collaborations/{world.collaborations['A']}/activities"
    future = await client.post(
        url,
        json={"kind": "visit", "occurred_on": "2099-01-01", "summary": "", "duration_minutes": 900},
        headers={**headers, "Accept-Language": "en"},
    )
    assert future.status_code == 422
    assert future.json()["fields"] == {
        "summary": "This field is required.",
        "occurred_on": "This date is in the future.",
        "duration_minutes": "Give a duration between 1 and 600 minutes.",
    }
    wrong_kind = await client.post(
        url, json={"kind": "fax", "occurred_on": "2026-04-01", "summary": "x"}, headers=headers
    )
    assert wrong_kind.status_code == 422 and "kind" in wrong_kind.json()["fields"]
    partner = await client.post(
        url,
        json={"kind": "phone", "occurred_on": "2026-04-01", "summary": "x"},
        headers=await bearer(client, world, "partner"),
    )
    assert partner.status_code == 403
    assert (await client.get(url, headers=headers)).json() == []


async def test_a_partner_is_edited_with_its_version_and_a_stale_edit_answers_409(client, world):
    headers = await bearer(client, world, "coordinator")
    partner_id = world.partners["A"]
    read = (await client.get(f"/api/partners/{partner_id}", headers=headers)).json()
    body = {
        "name": read["name"],
        "industry": read["industry"],
        "area": "南地区",
        "kana": "みどりしんようきんこ",
        "phone": "03-1234-5678",
        "contacts": [{"name": "鈴木 花", "title": "業務課長"}],
        "version": read["version"],
    }

    saved = await client.put(f"/api/partners/{partner_id}", json=body, headers=headers)

    assert saved.status_code == 200, saved.text
    assert (saved.json()["area"], saved.json()["kana"], saved.json()["version"]) == (
        "南地区",
        "みどりしんようきんこ",
        read["version"] + 1,
    )
    assert [c["name"] for c in saved.json()["contacts"]] == ["鈴木 花"]
    stale = await client.put(
        f"/api/partners/{partner_id}", json={**body, "area": "東地区"}, headers=headers
    )
    assert stale.status_code == 409
    theirs = await client.put(f"/api/partners/{world.partners['B']}", json=body, headers=headers)
    assert theirs.status_code == 404
    bad = await client.put(
        f"/api/partners/{partner_id}",
        json={**body, "version": read["version"] + 1, "website": "ftp://x"},
        headers=headers,
    )
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"website"}


async def test_a_similar_name_is_registered_when_the_caller_says_it_is_another(client, world):
    headers = await bearer(client, world, "coordinator")
    body = {**NEW_PARTNER, "name": "（株）みどり 信用金庫", "network_id": world.networks["midori"]}
    assert (await client.post("/api/partners", json=body, headers=headers)).status_code == 422
    again = await client.post(
        "/api/partners", json={**body, "despite_similar": True}, headers=headers
    )
    assert again.status_code == 201

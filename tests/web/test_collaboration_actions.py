"""Owner and stage changes from the collaboration page itself, without the board."""

from __future__ import annotations

import re

from tests.web.conftest import csrf_of


def _version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


async def test_a_coordinator_withdraws_a_card_from_its_page_with_a_reason(as_role, world):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    page = await client.get(f"/collaborations/{cid}")
    assert "段階の移動は、ここでもボードでもできます。" in page.text
    assert 'name="event" value="withdraw"' in page.text

    moved = await client.post(
        f"/collaborations/{cid}/move",
        data={
            "_csrf": csrf_of(page.text),
            "event": "withdraw",
            "version": _version(page.text),
            "comment": "今年度は見送り",
            "return_to": "collaboration",
        },
        follow_redirects=False,
    )

    assert moved.status_code == 303
    assert moved.headers["location"] == f"/collaborations/{cid}?saved=moved"
    after = await client.get(moved.headers["location"])
    assert "段階を移動しました。" in after.text
    assert "今年度は見送り" in after.text  # the history shows the reason


async def test_the_owner_is_chosen_among_the_networks_staff(as_role, world):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    page = await client.get(f"/collaborations/{cid}")
    options = re.findall(r'<option value="(\d+)"', page.text.split('id="owner-choice"')[1])
    assert set(map(int, options)) == {world.users["manager"], world.users["coordinator"]}

    data = {"_csrf": csrf_of(page.text), "version": _version(page.text)}
    saved = await client.post(
        f"/collaborations/{cid}/owner",
        data={**data, "owner_id": str(world.users["manager"])},
        follow_redirects=False,
    )
    assert saved.headers["location"] == f"/collaborations/{cid}?saved=owner"
    after = await client.get(saved.headers["location"])
    assert "担当職員を変更しました。" in after.text and "manager さん" in after.text

    stale = await client.post(
        f"/collaborations/{cid}/owner",
        data={**data, "owner_id": str(world.users["coordinator"])},
        follow_redirects=False,
    )
    assert stale.headers["location"] == f"/collaborations/{cid}?problem=conflict"
    conflict = await client.get(stale.headers["location"])
    assert "その間にほかの人がこの連携を変更したため" in conflict.text

    fresh = await client.get(f"/collaborations/{cid}")
    outsider = await client.post(
        f"/collaborations/{cid}/owner",
        data={
            "_csrf": csrf_of(fresh.text),
            "version": _version(fresh.text),
            "owner_id": str(world.users["aoba"]),
        },
        follow_redirects=False,
    )
    assert outsider.headers["location"] == f"/collaborations/{cid}?problem=not_staff"
    assert "manager さん" in (await client.get(f"/collaborations/{cid}")).text


async def test_another_networks_card_answers_404(as_role, world):
    client = await as_role("coordinator")
    page = await client.get("/board")
    theirs = world.collaborations["B"]
    answer = await client.post(
        f"/collaborations/{theirs}/owner",
        data={"_csrf": csrf_of(page.text), "version": "1", "owner_id": ""},
        follow_redirects=False,
    )
    assert answer.status_code == 404

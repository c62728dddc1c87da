"""A network's prefecture: one of the 47, chosen from a list, stored as its code, shown by name."""

from __future__ import annotations

import re

from sqlalchemy import text

from engine.services import DirectoryService
from engine.store.database import Database
from tests.web.conftest import csrf_of

NEW_NETWORK = {
    "name": "さくら村見守りネットワーク",
    "municipality": "さくら村",
    "approach_reminder_months": "2",
    "approach_escalation_months": "3",
}


async def _post(client, path: str, data: dict, page: str):
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={**data, "_csrf": token}, follow_redirects=False)


def _options(page_text: str) -> list[tuple[str, bool, str]]:
    """The prefecture select's options: (value, selected, label)."""
    select = re.search(
        r'<select id="prefecture" name="prefecture"[^>]*>(.*?)</select>', page_text, re.S
    )
    assert select is not None
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1)
        )
    ]


def _version_of(page_text: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page_text).group(1)  # type: ignore[union-attr]


async def _stored(client, network_id: int) -> str:
    networks = await DirectoryService(client.app.state.ctx).networks()
    return next(n.prefecture for n in networks if n.id == network_id)


async def test_the_form_offers_the_47_prefectures_in_code_order_after_an_empty_choice(as_role):
    client = await as_role("admin")
    options = _options((await client.get("/admin/networks/new")).text)
    assert options[0] == ("", False, "選択してください")
    assert [value for value, _, _ in options[1:]] == [f"{n:02d}" for n in range(1, 48)]
    assert options[1][2] == "北海道" and options[13][2] == "東京都" and options[47][2] == "沖縄県"
    english = _options((await client.get("/admin/networks/new?lang=en")).text)
    assert english[0][2] == "Choose…" and english[13][2] == "Tokyo" and english[27][2] == "Osaka"
    assert "この都道府県内の市区町村" in (await client.get("/admin/networks/new")).text


async def test_a_new_network_stores_the_chosen_code_and_lists_it_by_name(as_role):
    client = await as_role("admin")
    form = {**NEW_NETWORK, "prefecture": "36"}
    response = await _post(client, "/admin/networks", form, page="/admin/networks/new")
    assert response.status_code == 303
    network_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert await _stored(client, network_id) == "36"
    edit = _options((await client.get(response.headers["location"])).text)
    assert [value for value, selected, _ in edit if selected] == ["36"]
    assert "<td>徳島県</td>" in (await client.get("/admin/networks")).text
    assert "<td>Tokushima</td>" in (await client.get("/admin/networks?lang=en")).text


async def test_a_missing_or_unknown_prefecture_is_refused_with_a_message(as_role):
    client = await as_role("admin")
    for value in ("", "48", "東京都の外", "ムー大陸"):
        form = {**NEW_NETWORK, "prefecture": value}
        response = await _post(client, "/admin/networks", form, page="/admin/networks/new")
        assert response.status_code == 422, value
        assert "一覧から都道府県を選んでください。" in response.text, value
    english = await _post(
        client, "/admin/networks?lang=en", {**NEW_NETWORK, "prefecture": "x"}, "/admin/networks/new"
    )
    assert "Choose a prefecture from the list." in english.text
    names = [n.name for n in await DirectoryService(client.app.state.ctx).networks()]
    assert NEW_NETWORK["name"] not in names


async def test_an_old_unrecognised_value_is_shown_but_must_be_chosen_again(
    as_role, world, world_url
):
    client = await as_role("admin")
    network_id = world.networks["aoba"]
    # What the 0011 migration leaves of a value that names no prefecture.
    db = Database(world_url)
    async with db.write() as conn:
        await conn.execute(
            text("UPDATE networks SET prefecture = 'ムー大陸' WHERE id = :id"), {"id": network_id}
        )
    await db.dispose()
    assert "<td>ムー大陸</td>" in (await client.get("/admin/networks")).text
    path = f"/admin/networks/{network_id}"
    page = await client.get(path)
    options = _options(page.text)
    assert [(v, label) for v, selected, label in options if selected] == [
        ("ムー大陸", "ムー大陸（選び直してください）")
    ]
    form = {
        **NEW_NETWORK,
        "name": "あおば町見守りネットワーク",
        "municipality": "あおば町",
        "prefecture": "ムー大陸",
        "version": _version_of(page.text),
    }
    refused = await _post(client, path, form, page=path)
    assert refused.status_code == 422 and "一覧から都道府県を選んでください。" in refused.text
    assert await _stored(client, network_id) == "ムー大陸"
    chosen = await _post(client, path, {**form, "prefecture": "22"}, page=path)
    assert chosen.status_code == 303
    assert await _stored(client, network_id) == "22"

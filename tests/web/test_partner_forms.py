"""Registering and editing partners, and opening candidates, from the staff pages."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import csrf_of

NEW = {
    "name": "株式会社みどり商店",
    "kana": "みどりしょうてん",
    "industry": "shopping_support",
    "area": "北地区",
    "address": "みどり市北町1-2-3",
    "phone": "0120-12-3456",
    "website": "https://shop.midori.example.jp/",
    "note": "移動販売車2台",
    "contact": ["0", "1"],
    "contacts.0.name": "中村 さくら",
    "contacts.0.title": "店長",
    "contacts.0.email": "nakamura@shop.midori.example.jp",
    "contacts.0.phone": "",
    "contacts.1.name": "",
    "season": ["0"],
    "seasons.0.start_month": "12",
    "seasons.0.start_day": "1",
    "seasons.0.end_month": "1",
    "seasons.0.end_day": "7",
    "seasons.0.note": "年末年始",
}


async def _register(client, network_id: int, **changes):
    form_page = await client.get(f"/partners/new?network={network_id}")
    assert form_page.status_code == 200
    data = {**NEW, "network_id": str(network_id), "_csrf": csrf_of(form_page.text), **changes}
    return await client.post("/partners", data=data, follow_redirects=False)


async def test_a_coordinator_registers_a_partner_and_opens_its_candidate(as_role, world):
    client = await as_role("coordinator")
    listing = await client.get("/partners")
    assert 'href="/partners/new"' in listing.text

    created = await _register(client, world.networks["midori"])

    assert created.status_code == 303
    page = await client.get(created.headers["location"])
    assert "事業者を登録しました。" in page.text
    for shown in (
        "株式会社みどり商店",
        "みどりしょうてん",
        "みどり市北町1-2-3",
        "中村 さくら",
        "12月1日",
    ):
        assert shown in page.text
    # One network: one button puts it on that board.
    partner_id = int(created.headers["location"].split("/")[2].split("?")[0])
    opened = await client.post(
        f"/partners/{partner_id}/candidates",
        data={"network_id": str(world.networks["midori"]), "_csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    card = await client.get(opened.headers["location"])
    assert "株式会社みどり商店" in card.text and "候補" in card.text
    board = await client.get("/board")
    assert "株式会社みどり商店" in board.text


async def test_a_similar_name_is_shown_with_a_link_and_saved_only_when_confirmed(as_role, world):
    client = await as_role("coordinator")
    first = await _register(client, world.networks["midori"])
    first_id = first.headers["location"].split("?")[0]

    again = await _register(client, world.networks["midori"], name="（株）みどり 商店")

    assert again.status_code == 422
    assert "似た名前の事業者がすでに登録されています。" in again.text
    assert f'href="{first_id}"' in again.text
    assert 'value="（株）みどり 商店"' in again.text  # nothing typed is lost
    confirmed = await _register(
        client, world.networks["midori"], name="（株）みどり 商店", despite_similar="1"
    )
    assert confirmed.status_code == 303


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "この項目は必須です。"),
        ("kana", "Midori", "よみがなは、ひらがなかカタカナで入力してください。"),
        (
            "website",
            "javascript:alert(1)",
            "https:// で始まるウェブサイトのアドレスを入力してください。",
        ),
        ("contacts.0.email", "nakamura@", "正しいメールアドレスを入力してください。"),
        ("seasons.0.end_day", "", "開始と終了の月と日をそれぞれ入力してください。"),
    ],
)
async def test_bad_input_is_answered_next_to_the_field_and_nothing_is_stored(
    as_role, world, field, value, message
):
    client = await as_role("coordinator")
    answer = await _register(client, world.networks["midori"], **{field: value})
    assert answer.status_code == 422
    assert message in answer.text
    listing = await client.get("/partners?q=みどり商店")
    assert "株式会社みどり商店" not in listing.text


async def test_a_partner_cannot_be_registered_into_another_network(as_role, world):
    client = await as_role("coordinator")
    answer = await _register(client, world.networks["aoba"])
    assert answer.status_code == 422
    assert "担当しているネットワークから選んでください。" in answer.text


async def test_an_edit_saves_and_a_stale_edit_is_refused(as_role, world, second_browser):
    client = await as_role("coordinator")
    partner_id = world.partners["A"]
    form = await client.get(f"/partners/{partner_id}/edit")
    assert form.status_code == 200 and 'value="みどり信用金庫"' in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)
    data = {
        "_csrf": csrf_of(form.text),
        "version": version,
        "name": "みどり信用金庫",
        "industry": "bank",
        "area": "南地区",
        "phone": "03-1234-5678",
        "contact": ["0"],
        "contacts.0.name": "佐藤 一郎",
        "contacts.0.title": "支店長",
    }
    saved = await client.post(f"/partners/{partner_id}/edit", data=data, follow_redirects=False)
    assert saved.status_code == 303
    page = await client.get(f"/partners/{partner_id}")
    assert "南地区" in page.text and "03-1234-5678" in page.text

    stale = await client.post(
        f"/partners/{partner_id}/edit", data={**data, "area": "東地区"}, follow_redirects=False
    )
    assert stale.status_code == 409
    assert "その間にほかの人が変更したため、保存しませんでした。" in stale.text
    assert 'value="東地区"' in stale.text  # the typing is kept for another try
    assert "南地区" in (await client.get(f"/partners/{partner_id}")).text


async def test_another_networks_partner_answers_404_on_every_new_route(as_role, world):
    client = await as_role("coordinator")
    theirs = world.partners["B"]
    page = await client.get("/partners")
    token = csrf_of(page.text)
    assert (await client.get(f"/partners/{theirs}/edit")).status_code == 404
    edit = await client.post(
        f"/partners/{theirs}/edit", data={"_csrf": token, "name": "x"}, follow_redirects=False
    )
    assert edit.status_code == 404
    opened = await client.post(
        f"/partners/{theirs}/candidates",
        data={"_csrf": token, "network_id": str(world.networks["midori"])},
        follow_redirects=False,
    )
    assert opened.status_code == 404


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("admin", 200), ("manager", 200)])
async def test_who_may_open_the_registration_form(as_role, role, status):
    client = await as_role(role)
    assert (await client.get("/partners/new")).status_code == status


async def test_the_boards_add_control_finds_a_partner_by_a_part_of_its_name(as_role, world):
    client = await as_role("coordinator")
    board = await client.get("/board")
    assert 'hx-get="/partners/pick?block=picker"' in board.text
    await _register(client, world.networks["midori"])

    found = await client.get(
        "/partners/pick?block=results&q=みどり商店", headers={"HX-Request": "true"}
    )
    assert found.status_code == 200
    assert "株式会社みどり商店" in found.text
    assert "候補に追加" in found.text
    on_board = await client.get("/partners/pick?q=信用金庫")  # the whole page without htmx
    assert "みどり信用金庫" in on_board.text and "のボードにあります" in on_board.text
    assert "あおば運輸" not in (await client.get("/partners/pick?q=運輸")).text


async def test_a_partner_registered_from_the_board_lands_on_it_as_a_candidate(as_role, world):
    client = await as_role("coordinator")
    form = await client.get(f"/partners/new?network={world.networks['midori']}&candidate=1")
    assert 'name="open_candidate" value="1" checked' in form.text

    answer = await _register(client, world.networks["midori"], open_candidate="1")

    assert answer.status_code == 303 and answer.headers["location"].startswith("/collaborations/")
    card = await client.get(answer.headers["location"])
    assert "株式会社みどり商店" in card.text

"""Importing a partner list through the browser: upload, preview, import, and who may."""

from __future__ import annotations

import re

from engine.store.database import Database
from tests.web.conftest import csrf_of, login

HEADINGS = "事業者名,よみがな,業種,地区,担当者,メール,レコード番号"
GOOD = "\r\n".join(
    [
        HEADINGS,
        "株式会社みどり商店,みどりしょうてん,移動販売,北地区,木村 花子,kimura@example.jp,1",
        "みどりタクシー,,タクシー,南地区,,,2",
        "（株）みどり信用金庫,,銀行,中央地区,,,3",  # みどり信用金庫 is in みどり市's list
    ]
).encode("cp932")


async def _upload(client, network_id: int, data: bytes, name: str = "協力事業者.csv"):
    page = await client.get("/partners/import")
    return await client.post(
        "/partners/import",
        data={"_csrf": csrf_of(page.text), "network_id": str(network_id)},
        files={"file": (name, data, "text/csv")},
    )


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


async def _confirm(client, page: str, **extra: str):
    data = {"_csrf": csrf_of(page), "token": _token(page), **extra}
    return await client.post("/partners/import/confirm", data=data)


async def _partners_of(world_url: str, network_id: int) -> list[str]:
    db = Database(world_url)
    async with db.read() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT p.name FROM partners p JOIN network_partners n ON n.partner_id = p.id "
            "WHERE n.network_id = ? ORDER BY p.name",
            (network_id,),
        )
        names = [name for (name,) in rows]
    await db.dispose()
    return names


async def test_the_partner_list_links_to_the_import(as_role):
    client = await as_role("coordinator")
    assert 'href="/partners/import"' in (await client.get("/partners")).text


async def test_upload_preview_then_import_and_again_creates_nothing(as_role, world, world_url):
    client = await as_role("coordinator")
    midori = world.networks["midori"]
    before = await _partners_of(world_url, midori)
    preview = await _upload(client, midori, GOOD)
    assert preview.status_code == 200, preview.text
    assert "<caption>" in preview.text and 'scope="row"' in preview.text
    assert "レコード番号" in preview.text  # the unknown column is reported
    assert f'href="/partners/{world.partners["A"]}"' in preview.text  # matched, linked
    assert await _partners_of(world_url, midori) == before  # a preview stores nothing
    done = await _confirm(client, preview.text, open_candidates="1")
    assert done.status_code == 200, done.text
    after = await _partners_of(world_url, midori)
    assert sorted(set(after) - set(before)) == ["みどりタクシー", "株式会社みどり商店"]
    board = await client.get("/board")
    assert "みどりタクシー" in board.text  # opened as a candidate
    again = await _upload(client, midori, GOOD)
    assert again.text.count('class="import-new"') == 0
    assert again.text.count('class="import-existing"') == 3
    await _confirm(client, again.text)
    assert await _partners_of(world_url, midori) == after


async def test_a_token_is_used_once_and_only_by_its_uploader(as_role, client, world):
    await as_role("coordinator")
    preview = await _upload(client, world.networks["midori"], GOOD)
    token_page = preview.text
    first = await _confirm(client, token_page)
    assert first.status_code == 200
    second = await _confirm(client, token_page)
    assert second.status_code == 422  # imported already: gone
    tampered = await client.post(
        "/partners/import/confirm",
        data={"_csrf": csrf_of(token_page), "token": "../../etc/passwd"},
    )
    assert tampered.status_code == 422


async def test_another_users_token_is_refused(as_role, client, second_browser, world):
    await as_role("coordinator")
    preview = await _upload(client, world.networks["midori"], GOOD)
    await login(second_browser, world.emails["manager"])
    page = await second_browser.get("/partners/import")
    answer = await second_browser.post(
        "/partners/import/confirm",
        data={"_csrf": csrf_of(page.text), "token": _token(preview.text)},
    )
    assert answer.status_code == 422


async def test_a_file_with_a_bad_row_imports_nothing_and_names_the_line(as_role, world, world_url):
    client = await as_role("coordinator")
    midori = world.networks["midori"]
    before = await _partners_of(world_url, midori)
    bad = "事業者名,業種,地区\nみどり商会,銀行,北\nみどり運送,魚屋,南\nみどり商会,銀行,北\n"
    preview = await _upload(client, midori, bad.encode())
    assert preview.status_code == 422
    assert 'id="line-3"' in preview.text and "魚屋" in preview.text
    assert 'href="#line-4"' in preview.text  # the duplicate within the file
    assert 'name="token"' not in preview.text  # nothing to confirm
    assert await _partners_of(world_url, midori) == before


async def test_files_that_are_not_partner_lists_are_refused_with_a_message(as_role, world):
    client = await as_role("coordinator")
    midori = world.networks["midori"]
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    for data, name in (
        (png, "list.csv"),
        (b"PK\x03\x04" + bytes(100), "list.xlsx"),
        ("住所,電話\n北,03\n".encode(), "no-name.csv"),
        (b"a" * (6 * 1024 * 1024), "../../big.csv"),
        ("事業者名,地区\n".encode() + "縺ｿ縺ｩ繧雁膚蠎,荳ｭ螟ｮ\n".encode(), "mojibake.csv"),
    ):
        answer = await _upload(client, midori, data, name)
        assert answer.status_code == 422, name
        assert 'class="field-error"' in answer.text, name
        assert "<caption>" not in answer.text


async def test_another_networks_id_is_refused(as_role, world, world_url):
    client = await as_role("coordinator")  # みどり市 only
    aoba = world.networks["aoba"]
    before = await _partners_of(world_url, aoba)
    answer = await _upload(client, aoba, GOOD)
    assert answer.status_code == 422
    assert "<caption>" not in answer.text
    assert await _partners_of(world_url, aoba) == before


async def test_an_administrator_imports_into_any_network(as_role, world, world_url):
    client = await as_role("admin")
    preview = await _upload(client, world.networks["aoba"], GOOD)
    assert preview.status_code == 200
    assert "open_candidates" not in preview.text  # administrators do not open candidates
    await _confirm(client, preview.text)
    assert "みどりタクシー" in await _partners_of(world_url, world.networks["aoba"])

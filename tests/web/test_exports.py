"""CSV downloads: the board as filtered, the partner list and a history, as Excel would get them."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from engine.clock import FixedClock
from engine.csv_export import csv_chunks
from engine.domain.partner import Contact, Industry, Partner
from engine.domain.users import SYSTEM
from engine.services import CollaborationService, Context, DirectoryService
from engine.store.database import Database
from engine.store.read import exports
from tests.web.world import NOW
from workflows.collaboration import COLLABORATION

EVIL = '=HYPERLINK("http://evil")'
BOARD_HEADER = [
    "ID",
    "ネットワーク",
    "事業者名",
    "業種",
    "地区",
    "段階",
    "この段階に入った日",
    "担当職員",
    "最終活動日",
    "次の期限",
    "版",
    "リンク",
]


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download, after checking and stripping its byte-order mark."""
    assert response.content.startswith(b"\xef\xbb\xbf"), response.content[:20]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))


@pytest.fixture
async def evil(world_url, world) -> int:
    """A partner of みどり市 whose name is a formula, with two contacts, as a candidate."""
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    try:
        partner = await DirectoryService(ctx).add_partner(
            Partner(
                None,
                EVIL,
                Industry.PHARMACY,
                "北地区",
                phone="+81-3-0000-0000",
                note="-- 要確認\n二行目",
                contacts=(Contact("木村 花", "店長", "kimura@example.jp"), Contact("@森 大輔")),
            ),
            SYSTEM,
        )
        record = await CollaborationService(ctx).add_candidate(
            world.networks["midori"], partner.id, SYSTEM
        )
    finally:
        await db.dispose()
    return record.id


@pytest.fixture
async def moved(world_url, world) -> int:
    """みどり市's collaboration with A, withdrawn and reopened (two history entries)."""
    db = Database(world_url)
    clock = FixedClock(NOW)
    service = CollaborationService(Context(db=db, workflow=COLLABORATION, clock=clock))
    cid = world.collaborations["A"]
    try:
        await service.fire(
            cid, "withdraw", expected_version=1, actor=SYSTEM, comment="=1+1 先方都合"
        )
        clock.advance(days=1)
        await service.fire(cid, "reopen", expected_version=2, actor=SYSTEM, comment="再開")
    finally:
        await db.dispose()
    return cid


async def test_the_board_csv_has_every_card_of_the_coordinators_networks(as_role, world, evil):
    client = await as_role("coordinator")
    response = await client.get("/board.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == BOARD_HEADER
    ids = sorted(int(row[0]) for row in rows[1:])
    assert ids == sorted([world.collaborations["A"], world.collaborations["C-midori"], evil])
    assert {row[1] for row in rows[1:]} == {"みどり市見守りネットワーク"}
    by_id = {int(row[0]): row for row in rows[1:]}
    first = by_id[world.collaborations["A"]]
    assert first[2:7] == ["みどり信用金庫", "銀行・信用金庫", "中央地区", "候補", "2026-04-06"]
    assert first[-1] == f"http://127.0.0.1:8000/collaborations/{world.collaborations['A']}"


async def test_a_formula_in_a_name_is_quoted_not_run(as_role, evil):
    client = await as_role("coordinator")
    rows = read_csv(await client.get("/board.csv"))
    by_id = {int(row[0]): row for row in rows[1:]}
    assert by_id[evil][2] == "'" + EVIL
    partners = read_csv(await client.get("/partners.csv?q=HYPERLINK"))
    [row] = partners[1:]
    assert row[0] == "'" + EVIL
    assert row[5] == "'+81-3-0000-0000"
    assert row[7] == "'-- 要確認\n二行目"  # the line break stays inside the quoted cell
    assert row[8] == "木村 花（店長） kimura@example.jp / @森 大輔"


async def test_the_board_csv_keeps_the_boards_filters(as_role, world, evil):
    client = await as_role("admin")
    rows = read_csv(await client.get(f"/board.csv?network={world.networks['aoba']}"))
    ids = sorted(int(row[0]) for row in rows[1:])
    assert ids == sorted([world.collaborations["B"], world.collaborations["C-aoba"]])
    rows = read_csv(await client.get("/board.csv?q=生協"))
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(
        [world.collaborations["C-midori"], world.collaborations["C-aoba"]]
    )
    rows = read_csv(await client.get("/board.csv?industry=pharmacy&area=北地区"))
    assert [int(r[0]) for r in rows[1:]] == [evil]
    rows = read_csv(await client.get("/board.csv?days=30"))  # none is that old
    assert rows[1:] == []


async def test_the_board_csv_has_all_the_cards_not_a_page(as_role, world_url, world, monkeypatch):
    # Small batches, so a column's cards come in several of them.
    monkeypatch.setattr(exports, "BATCH", 2)
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    try:
        added = []
        for i in range(30):
            partner = await DirectoryService(ctx).add_partner(
                Partner(None, f"協力事業者{i:02d}", Industry.POST, "南地区"), SYSTEM
            )
            record = await CollaborationService(ctx).add_candidate(
                world.networks["midori"], partner.id, SYSTEM
            )
            added.append(record.id)
    finally:
        await db.dispose()
    client = await as_role("coordinator")
    rows = read_csv(await client.get("/board.csv?area=南地区"))
    assert [int(r[0]) for r in rows[1:]] == added  # the board's order: oldest in stage first
    partners = read_csv(await client.get("/partners.csv?area=南地区"))
    assert [r[0] for r in partners[1:]] == [f"協力事業者{i:02d}" for i in range(30)]


async def test_the_downloads_are_named_in_japanese_with_an_ascii_fallback(as_role, world, moved):
    client = await as_role("coordinator")
    board = await client.get("/board.csv")
    assert board.headers["content-disposition"] == (
        'attachment; filename="mimamori-board-2026-04-06.csv"; '
        f"filename*=UTF-8''{quote('連携パイプライン_2026-04-06')}.csv"
    )
    assert board.headers["cache-control"] == "no-store"
    history = await client.get(f"/collaborations/{moved}/history.csv")
    assert history.headers["content-disposition"] == (
        f'attachment; filename="mimamori-history-{moved}.csv"; '
        f"filename*=UTF-8''{quote(f'履歴_みどり信用金庫_{moved}')}.csv"
    )


async def test_the_partner_csv_lists_what_the_partner_list_shows(as_role, world):
    client = await as_role("coordinator")
    rows = read_csv(await client.get("/partners.csv"))
    assert rows[0] == [
        "事業者名",
        "よみがな",
        "業種",
        "地区",
        "住所",
        "電話",
        "ウェブサイト",
        "備考",
        "連絡先",
        "連携数",
    ]
    assert [(r[0], r[2], r[8], r[9]) for r in rows[1:]] == [
        ("みどり信用金庫", "銀行・信用金庫", "佐藤 一郎（支店長）", "1"),
        ("共栄生協", "生協", "佐藤 一郎（支店長）", "1"),  # its あおば町 card is not counted
    ]
    rows = read_csv(await client.get("/partners.csv?industry=coop"))
    assert [r[0] for r in rows[1:]] == ["共栄生協"]
    rows = read_csv(await client.get("/partners.csv?industry=nonsense"))
    assert len(rows) == 3  # an unknown industry is ignored, as on the page


async def test_the_history_csv_in_japan_time_with_labels(as_role, moved):
    client = await as_role("manager")
    response = await client.get(f"/collaborations/{moved}/history.csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows == [
        ["日時（日本時間）", "操作", "変更前の段階", "変更後の段階", "操作者", "コメント"],
        ["2026-04-06 10:00", "取り下げる", "候補", "取り下げ", "system", "'=1+1 先方都合"],
        ["2026-04-07 10:00", "候補として再開", "取り下げ", "候補", "system", "再開"],
    ]


async def test_english_readers_get_english_titles(as_role, moved):
    client = await as_role("coordinator")
    rows = read_csv(await client.get(f"/collaborations/{moved}/history.csv?lang=en"))
    assert rows[0] == ["When (Japan time)", "Event", "From stage", "To stage", "Who", "Comment"]
    assert rows[1][2:4] == ["Candidate", "Withdrawn"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 404), ("partner", 403), ("admin", 200), ("manager", 404)],
)
async def test_another_networks_history_is_not_found(as_role, world, role, status):
    client = await as_role(role)
    response = await client.get(f"/collaborations/{world.collaborations['B']}/history.csv")
    assert response.status_code == status
    missing = await client.get("/collaborations/999999/history.csv")
    assert missing.status_code == (403 if role == "partner" else 404)


@pytest.mark.parametrize("path", ["/board.csv", "/partners.csv"])
async def test_partner_users_may_not_download_lists(as_role, path):
    client = await as_role("partner")
    assert (await client.get(path)).status_code == 403


@pytest.mark.parametrize("path", ["/board.csv", "/partners.csv", "/collaborations/1/history.csv"])
async def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


async def test_another_networks_filter_gives_an_empty_file(as_role, world):
    client = await as_role("coordinator")
    rows = read_csv(await client.get(f"/board.csv?network={world.networks['aoba']}"))
    assert rows == [BOARD_HEADER]


async def test_the_pages_link_to_their_downloads(as_role, world):
    client = await as_role("coordinator")
    board = await client.get(f"/board?area={quote('中央地区')}")
    assert f'href="/board.csv?area={quote("中央地区")}"' in board.text
    assert "CSVで出力" in board.text
    partners = await client.get("/partners?industry=bank")
    assert 'href="/partners.csv?industry=bank"' in partners.text
    cid = world.collaborations["A"]
    page = await client.get(f"/collaborations/{cid}")
    assert f'href="/collaborations/{cid}/history.csv"' in page.text


async def test_the_file_is_a_bom_a_header_and_chunks_of_rows_as_they_come():
    async def rows():
        for i in range(5):
            yield (i, f"=名前{i}", "二行\n目")

    chunks = [chunk async for chunk in csv_chunks(("ID", "名前", "メモ"), rows(), 2)]
    assert len(chunks) == 4  # the header, then 2 + 2 + 1 rows
    data = b"".join(chunks)
    assert data.count("\ufeff".encode()) == 1 and b"\r\n" in data
    read = list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff"))))
    assert read == [["ID", "名前", "メモ"]] + [[str(i), f"'=名前{i}", "二行\n目"] for i in range(5)]

"""The partner portal: own collaborations only, KPI figures, messages, and nothing internal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Row, Table, func, select

from engine.calendar import add_months
from engine.clock import local_date
from engine.services import Context
from engine.store.database import Database
from engine.store.tables import comments, measurements
from tests.integration import builders
from tests.integration.builders import MANAGER
from tests.web.conftest import csrf_of, login
from tests.web.portal_world import INTERNAL_NOTE, fire, running_pilot
from tests.web.world import NOW
from web.i18n import local_day
from workflows.collaboration import COLLABORATION

MISSING = 999_999
NEVER = 2**63  # larger than any id the database can hold
OTHERS = ("B", "C-midori", "C-aoba")


@pytest.fixture
async def pilots(world, world_url, clock) -> dict[str, list[int]]:
    """A's and B's collaborations in a running pilot; the KPI ids of each."""
    db = Database(world_url)
    # Dated around the app's today.
    ctx = Context(db=db, workflow=COLLABORATION, clock=clock)
    kpis = {}
    try:
        for key, owner in (("A", "coordinator"), ("B", "aoba")):
            plan = await running_pilot(ctx, world.collaborations[key], world.users[owner])
            kpis[key] = [k.id for k in plan.kpis]
    finally:
        await db.dispose()
    return kpis


@pytest.fixture
async def partner(client, world, pilots):
    """The client logged in as A's partner user."""
    response = await login(client, world.emails["partner"])
    assert response.headers["location"] == "/portal"
    return client


@pytest.fixture
def stored(world_url):
    """How many KPI figures and comments the database holds."""

    async def count() -> tuple[int, int]:
        db = Database(world_url)
        try:
            async with db.read() as conn:
                count_of = select(func.count()).select_from
                return (
                    (await conn.execute(count_of(measurements))).scalar_one(),
                    (await conn.execute(count_of(comments))).scalar_one(),
                )
        finally:
            await db.dispose()

    return count


async def rows(url: str, table: Table) -> list[Row[Any]]:
    """Every row of a table."""
    db = Database(url)
    try:
        async with db.read() as conn:
            return list((await conn.execute(select(table))).all())
    finally:
        await db.dispose()


TODAY = local_date(NOW)
"""The app's today: the portal tests run on the world's clock, which stands still."""


async def token(client, cid: int) -> str:
    return csrf_of((await client.get(f"/portal/collaborations/{cid}")).text)


def figure(kpi_id: int, **changes: str) -> dict[str, str]:
    """A well-formed report of 34 for the month so far, with ``changes``."""
    form = {
        "kpi_id": str(kpi_id),
        "period_start": TODAY.replace(day=1).isoformat(),
        "period_end": TODAY.isoformat(),
        "value": "34",
        "note": "店頭で声掛け",
    }
    return form | changes


async def test_the_portal_lists_only_the_partners_own_collaborations(partner, world):
    page = await partner.get("/portal")
    assert page.status_code == 200 and '<html lang="ja">' in page.text
    assert f'href="/portal/collaborations/{world.collaborations["A"]}"' in page.text
    assert "みどり市見守りネットワーク" in page.text and "みどり信用金庫" in page.text
    for other in OTHERS:
        assert f"/portal/collaborations/{world.collaborations[other]}" not in page.text
    assert "あおば" not in page.text and "共栄生協" not in page.text


async def test_each_collaboration_shows_its_stage_what_comes_next_and_its_kpis(partner):
    page = (await partner.get("/portal")).text
    for stage in ("候補", "打診中", "覚書締結", "プラン策定", "評価済み", "継続"):
        assert f">{stage}</li>" in page
    assert '<li class="current" aria-current="step">実証中</li>' in page
    assert "連携プランを実施中です" in page
    assert f'次の予定: <strong><time datetime="{TODAY + timedelta(days=10)}">' in page
    assert "打ち合わせ: 第3回 実務者協議" in page
    assert f"{local_day(TODAY + timedelta(days=40))}</time>" in page
    assert "評価の節目: 中間評価" in page
    for name, target in (
        ("声掛けした住民", "120 人"),
        ("配布したチラシ", "500 枚"),
        ("消費生活センターへつないだ件数", "10 件"),
    ):
        assert name in page and f"目標 {target}" in page


async def test_the_detail_shows_the_plan_meetings_and_the_forms(partner, world):
    page = await partner.get(f"/portal/collaborations/{world.collaborations['A']}")
    assert page.status_code == 200
    assert "店頭での声掛けとチラシの配布" in page.text  # the partner's role in the plan
    assert "市町村の担当者：coordinator さん" in page.text
    assert 'name="kpi_id"' in page.text and 'name="body"' in page.text
    assert page.text.count('name="_csrf"') == 3  # the two forms and the logout button
    assert '<link rel="stylesheet" href="/static/portal.css">' in page.text


async def test_a_renewed_collaboration_shows_the_review_date_next(partner, world, world_url, clock):
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=clock)
    cid = world.collaborations["A"]
    try:
        await builders.evaluate(ctx, cid, TODAY)
        await fire(ctx, cid, "evaluate")
        await builders.renew(ctx, cid, TODAY, years=2)
        await fire(ctx, cid, "renew")
    finally:
        await db.dispose()
    page = (await partner.get(f"/portal/collaborations/{cid}")).text
    assert '<li class="current" aria-current="step">継続</li>' in page
    assert "見直しの日に、市町村が貴社と一緒に振り返ります" in page
    review = add_months(TODAY, 24)
    assert f'<time datetime="{review}">{local_day(review)}</time>' in page
    assert "<span>継続の見直し</span>" in page
    assert "中間評価" not in page  # the pilot's checkpoints are behind it now
    assert "声掛けした住民: 134 人" in page and "市町村" in page  # measured by staff


async def test_the_portal_switches_to_english(partner):
    page = await partner.get("/portal?lang=en")
    assert '<li class="current" aria-current="step">Pilot</li>' in page.text
    assert "The plan is running." in page.text


async def test_nothing_internal_reaches_the_partner(partner, world):
    page = (await partner.get(f"/portal/collaborations/{world.collaborations['A']}")).text
    page += (await partner.get("/portal")).text
    for internal in (
        "地域密着",  # scorecard notes
        "支店長が前向き",
        "窓口職員の関心は中程度",
        INTERNAL_NOTE,  # the comment on a move, in the history
        MANAGER.name,  # the approval of the memorandum
        world.emails["coordinator"],  # the owner's e-mail
        "支店長へのヒアリング",  # a past hearing logged by staff
        "試行は6か月",  # consultation minutes
        "リマインダー",
    ):
        assert internal not in page


async def test_a_reported_figure_is_stored_as_the_partners_and_listed(
    partner, world, world_url, pilots
):
    cid = world.collaborations["A"]
    kpi = pilots["A"][0]
    response = await partner.post(
        f"/portal/collaborations/{cid}/figures",
        data={**figure(kpi, value="34"), "_csrf": await token(partner, cid)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/portal/collaborations/{cid}?saved=figure#figures"
    page = (await partner.get(response.headers["location"])).text
    assert "実績を受け付けました" in page
    assert "声掛けした住民: 34 人" in page and "partner さん" in page
    assert "<strong>34 人</strong>" in page and "(28%)" in page
    (row,) = await rows(world_url, measurements)
    assert (row.kpi_id, row.value, row.source, row.reported_by) == (
        kpi,
        34.0,
        "partner",
        world.users["partner"],
    )


async def test_htmx_gets_the_figures_section_with_the_new_figure(partner, world, pilots):
    cid = world.collaborations["A"]
    response = await partner.post(
        f"/portal/collaborations/{cid}/figures",
        data=figure(pilots["A"][1], value="250"),
        headers={"HX-Request": "true", "X-CSRF-Token": await token(partner, cid)},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="figures"')
    assert "<html" not in response.text
    assert "配布したチラシ: 250 枚" in response.text and "実績を受け付けました" in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "-5"}, "value", "負の値は入力できません。"),
        ({"value": "たくさん"}, "value", "数字で入力してください"),
        ({"value": "nan"}, "value", "数字で入力してください"),
        ({"period_end": "2026-01-01", "period_start": "2026-02-01"}, "period_end", "終了日は"),
        ({"period_start": "tomorrow"}, "period_start", "日付を入力してください。"),
        ({"kpi_id": ""}, "kpi_id", "現在のプランのKPIを選択してください。"),
    ],
)
async def test_bad_figures_are_refused_next_to_the_field(
    partner, world, pilots, stored, changes, field, message
):
    cid = world.collaborations["A"]
    before = await stored()
    response = await partner.post(
        f"/portal/collaborations/{cid}/figures",
        data={**figure(pilots["A"][0]), **changes, "_csrf": await token(partner, cid)},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert f'aria-describedby="{field}-error"' in response.text
    error = response.text.index(f'id="{field}-error"')
    assert message in response.text[error : error + 200]
    assert "まだ保存されていません" in response.text
    assert await stored() == before


async def test_a_future_period_is_refused(partner, world, pilots, stored):
    cid = world.collaborations["A"]
    ahead = TODAY + timedelta(days=3)
    response = await partner.post(
        f"/portal/collaborations/{cid}/figures",
        data={
            **figure(pilots["A"][0], period_start=ahead.isoformat(), period_end=ahead.isoformat()),
            "_csrf": await token(partner, cid),
        },
    )
    assert response.status_code == 422 and 'id="period_start-error"' in response.text
    assert await stored() == (0, 0)


async def test_a_kpi_of_another_plan_is_refused(partner, world, pilots, stored):
    cid = world.collaborations["A"]
    response = await partner.post(
        f"/portal/collaborations/{cid}/figures",
        data={**figure(pilots["B"][0]), "_csrf": await token(partner, cid)},
    )
    assert response.status_code == 422 and 'id="kpi_id-error"' in response.text
    assert await stored() == (0, 0)


async def test_htmx_gets_a_refused_form_back_as_a_fragment(partner, world, pilots, stored):
    cid = world.collaborations["A"]
    response = await partner.post(
        f"/portal/collaborations/{cid}/figures",
        data=figure(pilots["A"][0], value="-1", note="メモ"),
        headers={"HX-Request": "true", "X-CSRF-Token": await token(partner, cid)},
    )
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<section id="figures"')
    assert 'value="-1"' in response.text and ">メモ</textarea>" in response.text
    assert await stored() == (0, 0)


async def test_a_message_is_stored_escaped_and_listed_newest_first(
    partner, world, world_url, stored
):
    cid = world.collaborations["A"]
    csrf = await token(partner, cid)
    for body in ("<script>alert('x')</script>最初の連絡", "<b>二通目</b>"):
        response = await partner.post(
            f"/portal/collaborations/{cid}/comments",
            data={"body": body, "_csrf": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
    page = (await partner.get(f"/portal/collaborations/{cid}?saved=comment")).text
    assert "<script>alert" not in page and "<b>二通目" not in page
    first = page.index("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;最初の連絡")
    assert page.index("&lt;b&gt;二通目&lt;/b&gt;") < first
    assert "メッセージを市町村に送信しました" in page
    stored_comments = await rows(world_url, comments)
    assert {(r.from_partner, r.author_id) for r in stored_comments} == {
        (True, world.users["partner"])
    }
    assert await stored() == (0, 2)


async def test_an_empty_message_is_refused(partner, world, stored):
    cid = world.collaborations["A"]
    response = await partner.post(
        f"/portal/collaborations/{cid}/comments",
        data={"body": "   ", "_csrf": await token(partner, cid)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<section id="comments"')
    assert 'id="body-error"' in response.text
    assert await stored() == (0, 0)


PORTAL_ROUTES = [
    ("GET", "/portal/collaborations/{cid}"),
    ("POST", "/portal/collaborations/{cid}/figures"),
    ("POST", "/portal/collaborations/{cid}/comments"),
]


@pytest.mark.parametrize(("method", "path"), PORTAL_ROUTES)
async def test_another_partners_collaboration_answers_404_like_a_missing_one(
    partner, world, pilots, stored, method, path
):
    csrf = await token(partner, world.collaborations["A"])

    async def ask(cid: int, kpi_id: int, htmx: bool) -> tuple[int, str]:
        url = path.format(cid=cid)
        headers = {"X-CSRF-Token": csrf} | ({"HX-Request": "true"} if htmx else {})
        if method == "GET":
            response = await partner.get(url, headers=headers)
        else:
            data = {**figure(kpi_id), "body": "他社の連携へ"}
            response = await partner.post(url, data=data, headers=headers)
        # The page links to its own address (the language switch): only that may differ.
        return response.status_code, response.text.replace(f"/collaborations/{cid}", "/…")

    for htmx in (False, True):
        missing = await ask(MISSING, pilots["A"][0], htmx)
        assert missing[0] == 404
        assert await ask(NEVER, pilots["A"][0], htmx) == missing
        for target in OTHERS:
            # A well-formed figure for the target's own plan, where it has one.
            kpi_id = (pilots.get(target) or pilots["A"])[0]
            assert await ask(world.collaborations[target], kpi_id, htmx) == missing, target
    assert await stored() == (0, 0)


async def test_partner_b_cannot_open_as_collaboration(client, world, pilots):
    await login(client, world.emails["partner_b"])
    assert (
        await client.get(f"/portal/collaborations/{world.collaborations['A']}")
    ).status_code == 404
    page = await client.get("/portal")
    assert "あおば町見守りネットワーク" in page.text and "みどり" not in page.text


@pytest.mark.parametrize("role", ["admin", "manager", "coordinator", "aoba"])
async def test_staff_are_refused_the_portal(client, world, pilots, stored, role):
    await login(client, world.emails[role])
    cid = world.collaborations["A"]
    csrf = csrf_of((await client.get("/account")).text)
    assert (await client.get("/portal")).status_code == 403
    assert (await client.get(f"/portal/collaborations/{cid}")).status_code == 403
    for path, data in (("figures", figure(pilots["A"][0])), ("comments", {"body": "職員から"})):
        response = await client.post(
            f"/portal/collaborations/{cid}/{path}", data={**data, "_csrf": csrf}
        )
        assert response.status_code == 403
    assert await stored() == (0, 0)


async def test_a_partner_is_refused_the_staff_board(partner):
    assert (await partner.get("/board")).status_code == 403


async def test_anonymous_visitors_are_sent_to_the_login(client):
    response = await client.get("/portal", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("csrf", ["", "wrong-token"])
async def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(
    partner, world, pilots, stored, csrf
):
    cid = world.collaborations["A"]
    for path, data in (("figures", figure(pilots["A"][0])), ("comments", {"body": "偽の送信"})):
        response = await partner.post(
            f"/portal/collaborations/{cid}/{path}",
            data={**data, "_csrf": csrf} if csrf else data,
            follow_redirects=False,
        )
        assert response.status_code == 403
    assert await stored() == (0, 0)

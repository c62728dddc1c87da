"""The administration screens: who may open them, accounts, and what bad input does."""

from __future__ import annotations

import pytest

from engine.clock import FixedClock
from engine.services import CollaborationService, Context, DirectoryService
from engine.services.accounts import AccountService
from engine.store.database import Database
from tests.integration.builders import COORDINATOR, complete_scorecard
from tests.web.conftest import csrf_of, login
from tests.web.world import NOW, PASSWORD
from workflows.collaboration import COLLABORATION

PAGES = (
    ("/admin", "管理"),
    ("/admin/users", "admin さん"),
    ("/admin/users/new", "新しいアカウント"),
    ("/admin/networks", "みどり市見守りネットワーク"),
    ("/admin/networks/new", "新しいネットワーク"),
    ("/admin/partners", "みどり信用金庫"),
    ("/admin/audit", "auth.login"),
)
ROUTES = (
    ("GET", "/admin"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users"),
    ("GET", "/admin/users/{user}"),
    ("POST", "/admin/users/{user}"),
    ("POST", "/admin/users/{user}/active"),
    ("POST", "/admin/users/{user}/password"),
    ("GET", "/admin/users/invite"),
    ("POST", "/admin/users/invite"),
    ("POST", "/admin/users/{user}/invitation"),
    ("POST", "/admin/users/{user}/invitation/withdraw"),
    ("POST", "/admin/users/{user}/reset-link"),
    ("GET", "/admin/networks"),
    ("GET", "/admin/networks/new"),
    ("POST", "/admin/networks"),
    ("GET", "/admin/networks/{network}"),
    ("POST", "/admin/networks/{network}"),
    ("GET", "/admin/partners"),
    ("GET", "/admin/partners/{partner}"),
    ("POST", "/admin/partners/{partner}"),
    ("GET", "/admin/audit"),
)


def _path(template: str, world) -> str:
    return template.format(
        user=world.users["coordinator"],
        network=world.networks["midori"],
        partner=world.partners["A"],
    )


async def _post(client, path: str, data: dict, page: str = "/account"):
    """Post a form with the CSRF token of the client's session, as the browser would."""
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={**data, "_csrf": token}, follow_redirects=False)


async def _accounts(client) -> AccountService:
    return client.app.state.accounts


async def test_every_admin_page_renders_for_an_administrator(as_role, world):
    client = await as_role("admin")
    for path, expected in (*PAGES, (f"/admin/users/{world.users['partner']}", "partner さん")):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
    midori = await client.get(f"/admin/networks/{world.networks['midori']}")
    assert "打診期間" in midori.text and "繁忙期" in (await client.get("/admin")).text


@pytest.mark.parametrize("role", ["manager", "coordinator", "partner"])
async def test_every_admin_route_refuses_other_roles(as_role, world, role):
    client = await as_role(role)
    for method, template in ROUTES:
        path = _path(template, world)
        if method == "GET":
            response = await client.get(path, follow_redirects=False)
        else:
            response = await _post(client, path, {"name": "x", "active": "false"})
        assert response.status_code == 403, (method, path)
    # Nothing changed: the coordinator's account is still active and named as before.
    user, _ = await (await _accounts(client)).user(world.users["coordinator"])
    assert user.active and user.name == "coordinator さん"


async def test_every_admin_route_sends_an_anonymous_visitor_to_the_login(client, world):
    for method, template in ROUTES:
        path = _path(template, world)
        if method == "GET":
            response = await client.get(path, follow_redirects=False)
        else:
            response = await _post(client, path, {"name": "x"}, page="/login")
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/login?next="), (method, path)


async def _user_count(client) -> int:
    return len(await (await _accounts(client)).users())


async def test_an_administrator_creates_an_account_that_can_log_in(as_role, world, second_browser):
    client = await as_role("admin")
    response = await _post(
        client,
        "/admin/users",
        {
            "name": "新人 一郎",
            "email": "Shinjin@Example.jp",
            "role": "coordinator",
            "network_ids": [str(world.networks["aoba"])],
            "partner_id": str(world.partners["A"]),  # ignored: staff have no organisation
            "locale": "ja",
            "password": "Hinoki-Forest-31",
        },
        page="/admin/users/new",
    )
    assert response.status_code == 200 and "アカウントを作成しました" in response.text
    assert "Hinoki-Forest-31" not in response.text  # a typed password is not shown back
    listing = await client.get("/admin/users")
    assert "新人 一郎" in listing.text and "shinjin@example.jp" in listing.text
    logged_in = await login(second_browser, "shinjin@example.jp", "Hinoki-Forest-31")
    assert logged_in.status_code == 303
    board = await second_browser.get("/board")  # the new coordinator sees aoba's pipeline only
    assert "あおば運輸" in board.text and "みどり信用金庫" not in board.text
    user = await (await _accounts(client)).user_by_email("shinjin@example.jp")
    assert user.partner_id is None
    assert (await (await _accounts(client)).user(user.id))[1] == [world.networks["aoba"]]


async def test_a_generated_password_is_shown_once_and_works(as_role, world, second_browser):
    client = await as_role("admin")
    response = await _post(
        client,
        "/admin/users",
        {
            "name": "窓口 花子",
            "email": "madoguchi@example.jp",
            "role": "partner",
            "partner_id": str(world.partners["B"]),
            "network_ids": [str(world.networks["midori"])],  # ignored: partners have none
            "locale": "ja",
            "password": "",
        },
        page="/admin/users/new",
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    start = response.text.index("<code>") + len("<code>")
    password = response.text[start : response.text.index("</code>")]
    assert len(password) >= 12
    assert (await login(second_browser, "madoguchi@example.jp", password)).status_code == 303
    user = await (await _accounts(client)).user_by_email("madoguchi@example.jp")
    assert user.partner_id == world.partners["B"]
    assert password not in (await client.get(f"/admin/users/{user.id}")).text


BAD_ACCOUNTS = (
    ({"email": "not-an-address"}, "正しいメールアドレスを入力してください"),
    ({"email": "coordinator@example.jp"}, "このメールアドレスのアカウントはすでに登録されています"),
    ({"password": "password1"}, "よく使われています"),
    ({"role": "partner", "partner_id": ""}, "このユーザーが所属する連携先を選んでください"),
    ({"role": "partner", "partner_id": "99999"}, "一覧から連携先を選んでください"),
    ({"role": "owner"}, "一覧から"),
    ({"name": ""}, "この項目は必須です"),
    ({"network_ids": ["x"]}, "整数で入力してください"),
)


async def test_bad_account_input_is_refused_with_a_message_and_nothing_stored(as_role):
    client = await as_role("admin")
    before = await _user_count(client)
    for fields, message in BAD_ACCOUNTS:
        form = {
            "name": "新人 二郎",
            "email": "jiro@example.jp",
            "role": "coordinator",
            "locale": "ja",
            "password": "Hinoki-Forest-31",
            **fields,
        }
        response = await _post(client, "/admin/users", form, page="/admin/users/new")
        assert response.status_code == 422, fields
        assert message in response.text, fields
        assert 'class="field-error"' in response.text
    assert await _user_count(client) == before


async def test_editing_an_account_changes_role_and_networks(as_role, world):
    client = await as_role("admin")
    path = f"/admin/users/{world.users['coordinator']}"
    page = await client.get(path)
    version = _version_of(page.text)
    response = await _post(
        client,
        path,
        {
            "name": "昇任 さん",
            "role": "manager",
            "network_ids": [str(world.networks["midori"]), str(world.networks["aoba"])],
            "locale": "en",
            "version": version,
        },
        page=path,
    )
    assert response.status_code == 303
    user, networks = await (await _accounts(client)).user(world.users["coordinator"])
    assert (user.name, user.role, user.locale) == ("昇任 さん", "manager", "en")
    assert user.email == "coordinator@example.jp"
    assert networks == sorted(world.networks.values())


async def test_the_last_administrator_cannot_be_demoted(as_role, world):
    client = await as_role("admin")
    path = f"/admin/users/{world.users['admin']}"
    version = _version_of((await client.get(path)).text)
    fields = {"name": "admin さん", "role": "manager", "locale": "ja", "version": version}
    response = await _post(client, path, fields, page=path)
    assert response.status_code == 422
    assert "有効な管理者はこのアカウントだけです" in response.text
    assert (await client.get("/admin")).status_code == 200


async def test_a_stale_version_is_a_conflict_and_overwrites_nothing(as_role, world):
    client = await as_role("admin")
    path = f"/admin/users/{world.users['coordinator']}"
    stale = _version_of((await client.get(path)).text)
    first = {"name": "先の変更", "role": "coordinator", "locale": "ja", "version": stale}
    first["network_ids"] = [str(world.networks["midori"])]
    assert (await _post(client, path, first, page=path)).status_code == 303
    second = {**first, "name": "後の変更", "role": "manager"}
    response = await _post(client, path, second, page=path)
    assert response.status_code == 409
    assert "ほかの人が変更したため、保存しませんでした" in response.text
    user, _ = await (await _accounts(client)).user(world.users["coordinator"])
    assert (user.name, user.role) == ("先の変更", "coordinator")


async def test_disabling_an_account_ends_its_live_session(as_role, world, second_browser):
    client = await as_role("admin")
    assert (await login(second_browser, world.emails["coordinator"])).status_code == 303
    assert (await second_browser.get("/board")).status_code == 200
    path = f"/admin/users/{world.users['coordinator']}"
    response = await _post(client, f"{path}/active", {"active": "false"}, page=path)
    assert response.status_code == 303
    assert "無効" in (await client.get(path)).text
    gone = await second_browser.get("/board", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    assert (await login(second_browser, world.emails["coordinator"])).status_code == 401
    await _post(client, f"{path}/active", {"active": "true"}, page=path)
    assert (await login(second_browser, world.emails["coordinator"])).status_code == 303


async def test_an_administrator_cannot_disable_their_own_account(as_role, world):
    client = await as_role("admin")
    path = f"/admin/users/{world.users['admin']}"
    response = await _post(client, f"{path}/active", {"active": "false"}, page=path)
    assert response.status_code == 422 and "自分のアカウントは無効にできません" in response.text
    assert (await client.get("/admin")).status_code == 200


async def test_resetting_a_password_ends_sessions_and_the_old_password(
    as_role, world, second_browser
):
    client = await as_role("admin")
    await login(second_browser, world.emails["partner"])
    path = f"/admin/users/{world.users['partner']}"
    weak = await _post(client, f"{path}/password", {"password": "12345678"}, page=path)
    assert weak.status_code == 422 and "よく使われています" in weak.text
    assert (await second_browser.get("/account")).status_code == 200  # nothing changed yet
    response = await _post(client, f"{path}/password", {"password": ""}, page=path)
    assert response.status_code == 200 and "再設定しました" in response.text
    start = response.text.index("<code>") + len("<code>")
    password = response.text[start : response.text.index("</code>")]
    assert (await second_browser.get("/account", follow_redirects=False)).status_code == 303
    assert (await login(second_browser, world.emails["partner"], PASSWORD)).status_code == 401
    assert (await login(second_browser, world.emails["partner"], password)).status_code == 303


async def test_html_in_a_user_name_is_shown_as_text(as_role):
    client = await as_role("admin")
    name = '<script>alert("x")</script><b>太郎</b>'
    form = {"name": name, "email": "taro@example.jp", "role": "admin", "locale": "ja"}
    response = await _post(client, "/admin/users", form, page="/admin/users/new")
    assert response.status_code == 200
    for page in (response, await client.get("/admin/users"), await client.get("/admin/audit")):
        assert "<script>alert" not in page.text and "<b>太郎" not in page.text
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;太郎&lt;/b&gt;"
    assert escaped in (await client.get("/admin/users")).text


def _version_of(page_text: str) -> str:
    marker = 'name="version" value="'
    start = page_text.index(marker) + len(marker)
    return page_text[start : page_text.index('"', start)]


async def _network(client, network_id: int):
    networks = await DirectoryService(client.app.state.ctx).networks()
    return next(n for n in networks if n.id == network_id)


def _network_form(page_text: str, **changes: str) -> dict[str, str]:
    form = {
        "name": "みどり市見守りネットワーク",
        "municipality": "みどり市",
        "prefecture": "13",
        "approach_reminder_months": "2",
        "approach_escalation_months": "3",
        "version": _version_of(page_text),
    }
    return {**form, **changes}


async def test_a_network_gets_its_own_timing_for_a_rule(as_role, world):
    client = await as_role("admin")
    path = f"/admin/networks/{world.networks['midori']}"
    page = await client.get(path)
    assert "打診期間" in page.text and "7日前" in page.text
    form = _network_form(
        page.text,
        approach_reminder_months="3",
        **{
            "timing.checkpoint_ahead.days": "-14",
            "timing.stale.recipients": "managers",
        },
    )
    response = await _post(client, path, form, page=path)
    assert response.status_code == 303
    saved = await client.get(response.headers["location"])
    assert "保存しました" in saved.text and 'value="-14"' in saved.text
    network = await _network(client, world.networks["midori"])
    assert network.approach_reminder_months == 3
    assert network.timing["checkpoint_ahead"].days == -14
    assert network.timing["stale"].recipients == "managers"
    assert network.timing["stale"].days is None


async def test_a_bad_timing_value_is_refused_with_a_message(as_role, world):
    client = await as_role("admin")
    path = f"/admin/networks/{world.networks['midori']}"
    for changes, message in (
        ({"timing.checkpoint_ahead.days": "7"}, "負の日数を指定してください"),
        ({"timing.stale.days": "-3"}, "正の日数を指定してください"),
        ({"timing.stale.days": "thirty"}, "整数で入力してください"),
        ({"timing.stale.days": "5000"}, "2年"),
        ({"timing.stale.recipients": "everyone"}, "通知先を選んでください"),
        ({"approach_reminder_months": "4"}, "2〜3か月"),
    ):
        page = await client.get(path)
        response = await _post(client, path, _network_form(page.text, **changes), page=path)
        assert response.status_code == 422, changes
        assert message in response.text, changes
    network = await _network(client, world.networks["midori"])
    assert (network.timing, network.approach_reminder_months, network.version) == ({}, 2, 1)


async def test_a_stale_network_version_is_a_conflict(as_role, world):
    client = await as_role("admin")
    path = f"/admin/networks/{world.networks['aoba']}"
    page = await client.get(path)
    first = _network_form(page.text, name="あおば町見守りネットワーク", municipality="あおば町")
    assert (await _post(client, path, first, page=path)).status_code == 303
    second = {**first, "name": "上書きされない名前"}
    response = await _post(client, path, second, page=path)
    assert response.status_code == 409 and "保存しませんでした" in response.text
    assert (await _network(client, world.networks["aoba"])).name == "あおば町見守りネットワーク"


async def test_a_new_network_is_created_and_a_duplicate_name_refused(as_role):
    client = await as_role("admin")
    form = {
        "name": "さくら村見守りネットワーク",
        "municipality": "さくら村",
        "prefecture": "13",
        "approach_reminder_months": "2",
        "approach_escalation_months": "3",
    }
    response = await _post(client, "/admin/networks", form, page="/admin/networks/new")
    assert response.status_code == 303
    assert "さくら村見守りネットワーク" in (await client.get(response.headers["location"])).text
    again = await _post(client, "/admin/networks", form, page="/admin/networks/new")
    assert again.status_code == 422 and "同じ名前のネットワーク" in again.text
    names = [n.name for n in await DirectoryService(client.app.state.ctx).networks()]
    assert names.count("さくら村見守りネットワーク") == 1


async def test_busy_seasons_are_saved_and_may_wrap_the_year_end(as_role, world):
    client = await as_role("admin")
    path = f"/admin/partners/{world.partners['B']}"
    page = await client.get(path)
    form = {
        "version": _version_of(page.text),
        "season": ["0", "1", "2"],
        "seasons.0.start_month": "12",
        "seasons.0.start_day": "1",
        "seasons.0.end_month": "1",
        "seasons.0.end_day": "7",
        "seasons.0.note": "お歳暮と年末年始の配達",
        "seasons.2.start_month": "3",
        "seasons.2.start_day": "20",
        "seasons.2.end_month": "4",
        "seasons.2.end_day": "5",
    }
    response = await _post(client, path, form, page=path)
    assert response.status_code == 303
    partner = await DirectoryService(client.app.state.ctx).partner(world.partners["B"])
    assert [(s.start, s.end, s.note) for s in partner.busy_seasons] == [
        ((12, 1), (1, 7), "お歳暮と年末年始の配達"),
        ((3, 20), (4, 5), ""),
    ]
    assert partner.contacts  # the contacts are kept
    listing = await client.get("/admin/partners")
    assert "あおば運輸" in listing.text


async def test_an_impossible_busy_season_is_refused_with_a_message(as_role, world):
    client = await as_role("admin")
    path = f"/admin/partners/{world.partners['A']}"
    for row, message in (
        (("13", "1", "1", "7"), "実在する月日を入力してください"),
        (("2", "30", "3", "1"), "実在する月日を入力してください"),
        (("12", "", "1", "7"), "開始と終了の月と日をそれぞれ入力してください"),
    ):
        page = await client.get(path)
        form = {"version": _version_of(page.text), "season": ["0"]}
        parts = ("start_month", "start_day", "end_month", "end_day")
        for part, value in zip(parts, row, strict=True):
            form[f"seasons.0.{part}"] = value
        response = await _post(client, path, form, page=path)
        assert response.status_code == 422, row
        assert message in response.text, row
    partner = await DirectoryService(client.app.state.ctx).partner(world.partners["A"])
    assert (partner.busy_seasons, partner.version) == ((), 1)


async def test_the_audit_log_shows_failed_logins_and_refused_accesses(
    client, world, second_browser
):
    assert (await login(second_browser, world.emails["aoba"], "wrong-password")).status_code == 401
    await login(second_browser, world.emails["aoba"])
    assert (await second_browser.get("/admin/users")).status_code == 403
    await login(client, world.emails["admin"])
    failed, refused = "<code>auth.login_failed</code>", "<code>auth.refused</code>"
    everything = await client.get("/admin/audit")
    assert failed in everything.text and refused in everything.text
    assert "aoba@example.jp" in everything.text
    only_refused = await client.get("/admin/audit", params={"action": "auth.refused"})
    assert refused in only_refused.text and failed not in only_refused.text
    assert "path: /admin/users" in only_refused.text and "aoba さん" in only_refused.text
    by_actor = await client.get("/admin/audit", params={"actor": str(world.users["aoba"])})
    assert refused in by_actor.text and failed not in by_actor.text
    system = await client.get("/admin/audit", params={"actor": "system", "action": "auth."})
    assert failed in system.text and refused not in system.text
    later = await client.get("/admin/audit", params={"since": "2099-01-01"})
    assert "条件に合う記録はありません" in later.text
    bad_day = await client.get("/admin/audit", params={"until": "yesterday"})
    assert "YYYY-MM-DD" in bad_day.text


async def test_the_audit_log_pages_newest_first_and_shows_moves(
    as_role, world, world_url, clock, monkeypatch
):
    # The app runs on its own event loop: write through a database of the test's own.
    ctx = Context(Database(world_url), COLLABORATION, FixedClock(NOW))
    cid = world.collaborations["A"]
    await complete_scorecard(ctx, cid)
    await CollaborationService(ctx).fire(cid, "approach", expected_version=1, actor=COORDINATOR)
    await ctx.db.dispose()
    clock.advance(minutes=5)  # the administrator looks a little later
    client = await as_role("admin")
    moves = await client.get("/admin/audit", params={"action": "collaboration."})
    assert "<code>collaboration.approach</code>" in moves.text
    assert "from: candidate" in moves.text and "to: approached" in moves.text
    monkeypatch.setattr("web.routes.admin.PER_PAGE", 5)
    first = await client.get("/admin/audit")
    assert first.text.count('<td class="when">') == 5 and 'rel="next"' in first.text
    rows = first.text.split('<td class="when">')[1:]
    times = [row[: row.index("<")] for row in rows]
    assert times == sorted(times, reverse=True)
    assert "<code>auth.login</code>" in rows[0]  # the administrator's own login is the newest
    second = await client.get("/admin/audit", params={"page": "2"})
    assert 'rel="prev"' in second.text and rows[0] not in second.text

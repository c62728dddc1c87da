"""Logging in, sessions, throttling, CSRF and the security headers."""

from __future__ import annotations

from engine.clock import FixedClock
from engine.domain.users import SYSTEM
from engine.services import Context
from engine.services.accounts import MAX_FAILURES_PER_ACCOUNT, AccountService, digest
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from tests.web.conftest import csrf_of, login
from tests.web.world import NOW, PASSWORD
from web.security import SESSION_COOKIE
from workflows.collaboration import COLLABORATION


async def test_the_board_sends_an_anonymous_visitor_to_the_login_and_back(client):
    response = await client.get("/board?network=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fboard%3Fnetwork%3D1"
    page = await client.get(response.headers["location"])
    assert "ログイン" in page.text and 'name="next" value="/board?network=1"' in page.text


async def test_a_coordinator_logs_in_and_lands_on_the_board(client, world):
    response = await login(client, world.emails["coordinator"])
    assert response.status_code == 303 and response.headers["location"] == "/board"
    board = await client.get("/board")
    assert board.status_code == 200 and "coordinator さん" in board.text


async def test_login_rotates_the_session_id(client, world, second_browser):
    await client.get("/login")
    await login(client, world.emails["coordinator"])
    first = client.cookies.get(SESSION_COOKIE)
    await login(client, world.emails["manager"])
    second = client.cookies.get(SESSION_COOKIE)
    assert first and second and first != second
    # The session from before the second login is over.
    second_browser.cookies.set(SESSION_COOKIE, first)
    assert (await second_browser.get("/board", follow_redirects=False)).status_code == 303


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, world):
    wrong = await login(client, world.emails["coordinator"], "not-the-password")
    unknown = await login(client, "nobody@example.jp", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "メールアドレスまたはパスワードが正しくありません" in wrong.text
    assert wrong.text.count("正しくありません") == unknown.text.count("正しくありません")
    assert SESSION_COOKIE not in client.cookies


async def test_failed_logins_are_throttled_per_account(client, world):
    email = world.emails["coordinator"]
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert (await login(client, email, "wrong-password")).status_code == 401
    blocked = await login(client, email, PASSWORD)  # even the right password waits now
    assert blocked.status_code == 429 and "15分" in blocked.text
    assert SESSION_COOKIE not in client.cookies
    other = await login(client, world.emails["manager"])  # another account is unaffected
    assert other.status_code == 303


async def test_disabling_a_user_ends_their_session_at_once(client, world, world_url):
    await login(client, world.emails["coordinator"])
    assert (await client.get("/board")).status_code == 200
    # An administrator elsewhere (another process on the same database) disables the account.
    db = Database(world_url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    await AccountService(ctx, DatabaseSessions(db)).set_active(
        world.users["coordinator"], False, SYSTEM
    )
    await db.dispose()
    assert (await client.get("/board", follow_redirects=False)).status_code == 303
    assert (await login(client, world.emails["coordinator"])).status_code == 401


async def test_changing_the_password_ends_other_sessions_and_keeps_this_one(
    client, world, second_browser
):
    await login(client, world.emails["coordinator"])
    await login(second_browser, world.emails["coordinator"])
    page = await client.get("/account")
    response = await client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "Shirakaba-Forest-77",
            "_csrf": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (await client.get("/board")).status_code == 200
    assert (await second_browser.get("/board", follow_redirects=False)).status_code == 303
    assert (await login(client, world.emails["coordinator"], PASSWORD)).status_code == 401


async def test_a_weak_new_password_is_refused_with_a_message(client, world):
    await login(client, world.emails["coordinator"])
    page = await client.get("/account")
    response = await client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "password1", "_csrf": csrf_of(page.text)},
    )
    assert response.status_code == 422
    assert "よく使われる" in response.text


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, world):
    await login(client, world.emails["coordinator"])
    for token in (None, "forged-token"):
        data = {"current_password": PASSWORD, "password": "Shirakaba-Forest-77"}
        if token:
            data["_csrf"] = token
        response = await client.post("/account/password", data=data)
        assert response.status_code == 403
        assert "再読み込み" in response.text
    # The password did not change.
    client.cookies.clear()
    assert (await login(client, world.emails["coordinator"], PASSWORD)).status_code == 303


async def test_the_login_form_itself_needs_its_csrf_cookie(client, world):
    response = await client.post(
        "/login", data={"email": world.emails["coordinator"], "password": PASSWORD}
    )
    assert response.status_code == 403 and SESSION_COOKIE not in client.cookies


async def test_every_response_carries_the_security_headers(client):
    for path in ("/login", "/board", "/no-such-page", "/static/mimamori.css"):
        response = await client.get(path, follow_redirects=False)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


async def test_sessions_are_stored_hashed(client, world, world_url):
    await login(client, world.emails["coordinator"])
    cookie = client.cookies.get(SESSION_COOKIE)
    db = Database(world_url)
    async with db.read() as conn:
        ids = [row[0] for row in await conn.exec_driver_sql("SELECT id FROM sessions")]
    await db.dispose()
    assert digest(cookie) in ids and cookie not in ids


async def test_logging_out_ends_the_session(client, world):
    await login(client, world.emails["coordinator"])
    cookie = client.cookies.get(SESSION_COOKIE)
    page = await client.get("/board")
    response = await client.post(
        "/logout", data={"_csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    client.cookies.set(SESSION_COOKIE, cookie)  # replaying the old cookie does not work
    assert (await client.get("/board", follow_redirects=False)).status_code == 303


async def test_a_partner_user_is_refused_the_board_and_the_refusal_is_audited(client, world):
    await login(client, world.emails["partner"])
    response = await client.get("/board")
    assert response.status_code == 403
    db = Database(client.app.state.settings.database_url)
    async with db.read() as conn:
        rows = list(await conn.exec_driver_sql("SELECT action, actor_id FROM audit_log"))
    await db.dispose()
    assert ("auth.refused", world.users["partner"]) in [tuple(r) for r in rows]
    assert ("auth.login", world.users["partner"]) in [tuple(r) for r in rows]

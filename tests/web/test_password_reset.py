"""Password reset by e-mail: every rule of the link, seen by its holder and by an attacker."""

from __future__ import annotations

from sqlalchemy import select, update

from engine.store.database import Database
from engine.store.tables import audit_log, outbox, users
from tests.web.conftest import csrf_of, login
from tests.web.mailbox import body_of, link_in, messages_to, wait_for_mail
from tests.web.world import PASSWORD

NEW_PASSWORD = "Hinoki-no-mori-77"
SAME_ANSWER = "If {email} belongs to an account"


async def ask(client, email: str):
    page = await client.get("/password/forgot")
    return await client.post("/password/forgot", data={"email": email, "_csrf": csrf_of(page.text)})


async def choose(client, path: str, password: str = NEW_PASSWORD, again: str | None = None):
    page = await client.get(path)
    # A link that no longer works shows no form: take the token from another page.
    token = csrf_of(page.text if "_csrf" in page.text else (await client.get("/login")).text)
    return await client.post(
        path,
        data={"password": password, "password_again": again or password, "_csrf": token},
        follow_redirects=False,
    )


async def reset_link(client, settings, email: str, count: int = 1) -> str:
    assert (await ask(client, email)).status_code == 200
    return link_in((await wait_for_mail(settings.mail_dir, email, count))[-1])


async def test_the_login_page_offers_a_way_back(client):
    page = await client.get("/login?lang=en")
    assert 'href="/password/forgot"' in page.text
    assert "Forgot your password?" in page.text


async def test_a_known_and_an_unknown_address_get_the_same_answer(client, world, settings):
    known, unknown = world.emails["coordinator"], "nobody@example.jp"
    answers = [await ask(client, known), await ask(client, unknown)]
    assert [a.status_code for a in answers] == [200, 200]
    texts = [a.text.replace(known, "{email}").replace(unknown, "{email}") for a in answers]
    assert texts[0] == texts[1]
    assert (await wait_for_mail(settings.mail_dir, known))[0]["Subject"]
    assert messages_to(settings.mail_dir, unknown) == []
    assert answers[0].headers["cache-control"] == "no-store"


async def test_the_link_sets_a_new_password_and_ends_every_session(
    client, second_browser, world, settings
):
    email = world.emails["coordinator"]
    assert (await login(second_browser, email)).status_code == 303
    path = await reset_link(client, settings, email)
    assert path.startswith("/password/reset/")
    form = await client.get(path)
    assert form.status_code == 200 and email in form.text

    done = await choose(client, path)
    assert done.status_code == 303 and done.headers["location"] == "/login?done=reset"
    # The browser that was logged in is logged out; the old password no longer works.
    assert (await second_browser.get("/board", follow_redirects=False)).status_code in (302, 303)
    assert (await login(client, email, PASSWORD)).status_code == 401
    assert (await login(client, email, NEW_PASSWORD)).status_code == 303
    # The account is told that its password changed.
    notice = (await wait_for_mail(settings.mail_dir, email, 2))[-1]
    assert "/password/reset/" not in body_of(notice)  # a notice, with no link


async def test_a_link_works_once(client, world, settings):
    path = await reset_link(client, settings, world.emails["manager"])
    assert (await choose(client, path)).status_code == 303
    again = await client.get(path)
    assert again.status_code == 410
    used = await choose(client, path, "Another-pass-88")
    assert used.status_code == 410
    assert (await login(client, world.emails["manager"], "Another-pass-88")).status_code == 401


async def test_a_link_expires_after_an_hour(client, world, settings, clock):
    path = await reset_link(client, settings, world.emails["manager"])
    clock.advance(minutes=59)
    assert (await client.get(path)).status_code == 200
    clock.advance(minutes=1)
    expired = await client.get(path + "?lang=en")
    assert expired.status_code == 410 and "expired" in expired.text
    assert (await choose(client, path)).status_code == 410


async def test_a_newer_link_voids_the_one_before(client, world, settings):
    email = world.emails["manager"]
    first = await reset_link(client, settings, email)
    second = await reset_link(client, settings, email, count=2)
    assert first != second
    assert (await client.get(first)).status_code == 410
    assert (await choose(client, second)).status_code == 303


async def test_a_link_changes_its_own_account_and_no_other(client, second_browser, world, settings):
    assert (await login(second_browser, world.emails["aoba"])).status_code == 303
    path = await reset_link(client, settings, world.emails["manager"])
    assert (await choose(client, path)).status_code == 303
    assert (await login(client, world.emails["aoba"], PASSWORD)).status_code == 303
    assert (await second_browser.get("/board")).status_code == 200  # still logged in


async def test_a_reset_link_is_no_invitation_and_a_guess_is_nothing(client, world, settings):
    path = await reset_link(client, settings, world.emails["manager"])
    secret = path.rsplit("/", 1)[1]
    assert (await client.get(f"/invitation/{secret}")).status_code == 404
    assert (await client.get("/password/reset/guessed-secret-0000")).status_code == 404
    assert (await client.get(path)).status_code == 200  # the real one still works


async def test_a_weak_password_or_a_typo_is_refused_and_the_link_still_works(
    client, world, settings
):
    path = await reset_link(client, settings, world.emails["manager"])
    weak = await choose(client, path, "password")
    assert weak.status_code == 422
    typo = await choose(client, path, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert typo.status_code == 422
    assert (await choose(client, path)).status_code == 303


async def test_requests_are_throttled_per_address_known_or_not(client, world, settings):
    for email in (world.emails["manager"], "nobody@example.jp"):
        statuses = [(await ask(client, email)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
    assert len(messages_to(settings.mail_dir, world.emails["manager"])) <= 3


async def test_a_disabled_account_gets_no_link(client, world, settings):
    db = Database(settings.database_url)
    async with db.write() as conn:
        await conn.execute(
            update(users).where(users.c.id == world.users["aoba"]).values(active=False)
        )
    await db.dispose()
    answer = await ask(client, world.emails["aoba"])
    assert answer.status_code == 200
    await ask(client, world.emails["manager"])  # mail to someone else arrives meanwhile
    await wait_for_mail(settings.mail_dir, world.emails["manager"])
    assert messages_to(settings.mail_dir, world.emails["aoba"]) == []


async def test_the_secret_is_stored_nowhere_once_sent_and_every_step_is_audited(
    client, world, settings
):
    email = world.emails["manager"]
    path = await reset_link(client, settings, email)
    secret = path.rsplit("/", 1)[1]
    await choose(client, path)
    db = Database(settings.database_url)
    async with db.read() as conn:
        bodies = [row.body for row in await conn.execute(select(outbox.c.body))]
        actions = [row.action for row in await conn.execute(select(audit_log.c.action))]
    await db.dispose()
    assert not any(secret in body for body in bodies)
    assert "auth.reset_requested" in actions and "user.password_reset" in actions

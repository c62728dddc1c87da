"""Inviting a colleague by e-mail: the invitation, the link, sending again and withdrawing."""

from __future__ import annotations

from tests.web.conftest import csrf_of, login
from tests.web.mailbox import body_of, link_in, messages_to, wait_for_mail

CHOSEN = "Sakura-namiki-2026"
NEWCOMER = "kato@example.jp"


async def _post(client, path: str, data: dict, page: str = "/admin/users/invite"):
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={**data, "_csrf": token}, follow_redirects=False)


async def _invite(client, world, email: str = NEWCOMER, **changes):
    form = {
        "name": "加藤 美咲",
        "email": email,
        "role": "coordinator",
        "network_ids": str(world.networks["midori"]),
        "locale": "ja",
        **changes,
    }
    return await _post(client, "/admin/users/invite", form)


async def _account_id(client, email: str) -> int:
    return (await client.app.state.accounts.user_by_email(email)).id


async def _choose(client, path: str, password: str = CHOSEN):
    token = csrf_of((await client.get("/login")).text)
    return await client.post(
        path,
        data={"password": password, "password_again": password, "_csrf": token},
        follow_redirects=False,
    )


async def test_an_invited_colleague_chooses_a_password_and_logs_in(as_role, world, settings):
    admin = await as_role("admin")
    form = await admin.get("/admin/users/invite")
    assert form.status_code == 200 and "招待" in form.text and 'name="password"' not in form.text
    sent = await _invite(admin, world)
    assert sent.status_code == 303
    account = await admin.get(sent.headers["location"])
    assert NEWCOMER in account.text and "/invitation" in account.text
    listed = await admin.get("/admin/users")
    assert "招待" in listed.text

    mail = (await wait_for_mail(settings.mail_dir, NEWCOMER))[0]
    assert "みどり市見守りネットワーク" in body_of(mail) and "admin さん" in body_of(mail)
    path = link_in(mail)
    assert path.startswith("/invitation/")
    newcomer = admin  # the same browser, as when the administrator tries the link
    await newcomer.post("/logout", data={"_csrf": csrf_of((await newcomer.get("/account")).text)})
    welcome = await newcomer.get(path)
    assert welcome.status_code == 200 and "加藤 美咲" in welcome.text
    done = await _choose(newcomer, path)
    assert done.status_code == 303 and done.headers["location"] == "/login?done=welcome"
    assert (await login(newcomer, NEWCOMER, CHOSEN)).status_code == 303
    assert (await newcomer.get("/board")).status_code == 200
    assert (await newcomer.get(path)).status_code == 410  # used once


async def test_sending_again_voids_the_first_link(as_role, world, settings):
    admin = await as_role("admin")
    await _invite(admin, world)
    first = link_in((await wait_for_mail(settings.mail_dir, NEWCOMER))[0])
    user_id = await _account_id(admin, NEWCOMER)
    again = await _post(admin, f"/admin/users/{user_id}/invitation", {})
    assert again.status_code == 303
    second = link_in((await wait_for_mail(settings.mail_dir, NEWCOMER, 2))[-1])
    assert second != first
    assert (await admin.get(first)).status_code == 410
    assert (await admin.get(second)).status_code == 200


async def test_a_withdrawn_invitation_no_longer_works_until_sent_again(as_role, world, settings):
    admin = await as_role("admin")
    await _invite(admin, world)
    path = link_in((await wait_for_mail(settings.mail_dir, NEWCOMER))[0])
    user_id = await _account_id(admin, NEWCOMER)
    withdrawn = await _post(admin, f"/admin/users/{user_id}/invitation/withdraw", {})
    assert withdrawn.status_code == 303
    assert (await admin.get(path)).status_code == 410
    assert "招待を取り消しました" in (await admin.get("/admin/users")).text
    assert (await _choose(admin, path)).status_code == 410
    # Sent again, the account is enabled and the new link works.
    await _post(admin, f"/admin/users/{user_id}/invitation", {})
    fresh = link_in((await wait_for_mail(settings.mail_dir, NEWCOMER, 2))[-1])
    assert (await _choose(admin, fresh)).status_code == 303


async def test_an_invitation_expires_after_a_week(as_role, world, settings, clock):
    admin = await as_role("admin")
    await _invite(admin, world)
    path = link_in((await wait_for_mail(settings.mail_dir, NEWCOMER))[0])
    clock.advance(days=7)
    assert (await admin.get(path)).status_code == 410
    admin = await as_role("admin")  # the session outlived the clock's week
    assert "招待の期限" in (await admin.get("/admin/users")).text


async def test_an_address_in_use_is_refused_on_the_form_and_nothing_is_sent(
    as_role, world, settings
):
    admin = await as_role("admin")
    refused = await _invite(admin, world, email=world.emails["manager"])
    assert refused.status_code == 422 and "すでに登録されています" in refused.text
    assert messages_to(settings.mail_dir, world.emails["manager"]) == []


async def test_an_accepted_invitation_cannot_be_sent_again(as_role, world, settings):
    admin = await as_role("admin")
    user_id = world.users["manager"]  # has a password
    refused = await _post(admin, f"/admin/users/{user_id}/invitation", {})
    assert refused.status_code == 422
    assert messages_to(settings.mail_dir, world.emails["manager"]) == []


async def test_the_administrator_sends_a_reset_link_instead_of_a_password(as_role, world, settings):
    admin = await as_role("admin")
    user_id = world.users["coordinator"]
    page = await admin.get(f"/admin/users/{user_id}")
    assert f"/admin/users/{user_id}/reset-link" in page.text
    sent = await _post(admin, f"/admin/users/{user_id}/reset-link", {})
    assert sent.status_code == 303 and sent.headers["location"].endswith("?sent=reset")
    path = link_in((await wait_for_mail(settings.mail_dir, world.emails["coordinator"]))[0])
    assert path.startswith("/password/reset/")

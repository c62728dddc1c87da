"""Accounts and API tokens from the command line, and the demo's accounts, on SQLite."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from engine.clock import SystemClock, local_date
from engine.domain.network import Network
from engine.domain.partner import Industry, Partner
from engine.domain.users import SYSTEM
from engine.errors import LoginRefused, NotFound
from engine.services import Context, DirectoryService
from engine.services.accounts import AccountService
from engine.store import migrate
from engine.store.database import Database
from engine.store.read import pipeline
from engine.store.sessions import DatabaseSessions
from engine.store.tables import outbox, users
from workflows.collaboration import COLLABORATION

STRONG = "Hinoki-Forest-31"


def _mimamori(*args: str, url: str, cwd, stdin: str | None = None, **env: str):
    return subprocess.run(
        [sys.executable, "-m", "mimamori", *args],
        env={"PATH": "/usr/bin:/bin", "MIMAMORI_DATABASE_URL": url, **env},
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _refused_in_one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a refused command (exit code 2, no traceback)."""
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


@pytest.fixture
async def url(tmp_path) -> AsyncIterator[str]:
    """A migrated SQLite database with one network and one partner."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = Database(url)
    await migrate.upgrade(db)
    directory = DirectoryService(Context(db, COLLABORATION, SystemClock()))
    network = Network(None, "みどり市見守りネットワーク", "みどり市", "13")
    await directory.add_network(network, SYSTEM)
    await directory.add_partner(Partner(None, "みどり信用金庫", Industry.BANK, "中央地区"), SYSTEM)
    await db.dispose()
    yield url


@pytest.fixture
async def accounts(url) -> AsyncIterator[AccountService]:
    """The account service on the same database, as the web app would use it."""
    db = Database(url)
    yield AccountService(Context(db, COLLABORATION, SystemClock()), DatabaseSessions(db))
    await db.dispose()


async def test_a_generated_password_is_printed_once_and_logs_in(url, tmp_path, accounts):
    done = _mimamori(
        "user", "create", "--email", "Yamada@Midori.example.jp", "--role", "coordinator",
        "--network", "みどり市見守りネットワーク", "--name", "山田 花子",
        url=url, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "created coordinator account yamada@midori.example.jp" in done.stdout
    [line] = [line for line in done.stdout.splitlines() if line.startswith("password")]
    password = line.rpartition(": ")[2]
    logged_in = await accounts.login("yamada@midori.example.jp", password, "cli-test")
    assert logged_in.viewer.name == "山田 花子"
    assert logged_in.viewer.network_ids == frozenset({1})


async def test_a_password_from_stdin_is_used_and_not_printed(url, tmp_path, accounts):
    done = _mimamori(
        "user", "create", "--email", "tanaka@example.jp", "--role", "partner",
        "--partner", "1", "--password-stdin",
        url=url, cwd=tmp_path, stdin=f"{STRONG}\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert STRONG not in done.stdout and "password" not in done.stdout
    logged_in = await accounts.login("tanaka@example.jp", STRONG, "cli-test")
    assert logged_in.viewer.partner_id == 1 and logged_in.viewer.network_ids == frozenset()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("--role", "admin", "--password-stdin"), "password1\n", "too common"),
        (("--role", "owner"), None, "'owner' is not one of admin, manager, coordinator"),
        (("--role", "coordinator", "--network", "さくら村"), None, "no network"),
        (("--role", "partner", "--partner", "99"), None, "no partner organisation"),
        (("--role", "partner"), None, "partner_id"),
        (("--role", "admin", "--password-stdin"), "", "held no password"),
    ],
)
async def test_bad_input_is_one_line_exit_2_and_stores_nothing(
    url, tmp_path, accounts, args, stdin, message
):
    done = _mimamori(
        "user", "create", "--email", "new@example.jp", *args,
        url=url, cwd=tmp_path, stdin=stdin,
    )  # fmt: skip
    assert message in _refused_in_one_line(done)
    assert "Traceback" not in done.stderr
    with pytest.raises(NotFound):
        await accounts.user_by_email("new@example.jp")


async def test_disabling_a_user_ends_their_sessions_and_enabling_lets_them_back(
    url, tmp_path, accounts
):
    for email in ("suzuki@example.jp", "kato@example.jp"):
        create = _mimamori(
            "user", "create", "--email", email, "--role", "admin", "--password-stdin",
            url=url, cwd=tmp_path, stdin=STRONG,
        )  # fmt: skip
        assert create.returncode == 0, create.stderr
    session = await accounts.login("kato@example.jp", STRONG, "cli-test")
    assert await accounts.resolve_session(session.cookie) is not None

    done = _mimamori("user", "disable", "--email", "kato@example.jp", url=url, cwd=tmp_path)

    assert done.returncode == 0 and "disabled kato@example.jp" in done.stdout
    assert await accounts.resolve_session(session.cookie) is None
    with pytest.raises(LoginRefused):
        await accounts.login("kato@example.jp", STRONG, "cli-test")
    last = _mimamori("user", "disable", "--email", "suzuki@example.jp", url=url, cwd=tmp_path)
    assert "last active administrator" in _refused_in_one_line(last)
    unknown = _mimamori("user", "disable", "--email", "nobody@example.jp", url=url, cwd=tmp_path)
    assert "no such user" in _refused_in_one_line(unknown)

    back = _mimamori("user", "enable", "--email", "kato@example.jp", url=url, cwd=tmp_path)

    assert back.returncode == 0 and "enabled kato@example.jp" in back.stdout
    assert (await accounts.login("kato@example.jp", STRONG, "cli-test")).cookie


async def test_a_token_is_printed_once_and_finds_its_user(url, tmp_path, accounts):
    create = _mimamori(
        "user", "create", "--email", "robot@example.jp", "--role", "coordinator",
        "--network", "1", url=url, cwd=tmp_path,
    )  # fmt: skip
    assert create.returncode == 0, create.stderr

    done = _mimamori(
        "token", "create", "--email", "robot@example.jp", "--name", "集計システム",
        url=url, cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    viewer = await accounts.resolve_token(token)
    assert viewer is not None and viewer.email == "robot@example.jp"
    assert await accounts.resolve_token(token + "x") is None
    unknown = _mimamori("token", "create", "--email", "nobody@example.jp", url=url, cwd=tmp_path)
    assert "no such user" in _refused_in_one_line(unknown)


async def test_the_demo_prints_one_account_per_role_that_logs_in(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = _mimamori("demo", url=url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = _mimamori("demo", url=url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "users created" in first.stdout and "users created" not in again.stdout

    logins = _printed_logins(first.stdout)
    assert [role for role, _, _ in logins] == ["admin", "manager", "coordinator", "partner"]
    assert _printed_logins(again.stdout) == logins
    db = Database(url)
    service = AccountService(Context(db, COLLABORATION, SystemClock()), DatabaseSessions(db))
    try:
        viewers = {
            role: (await service.login(email, password, "cli-test")).viewer
            for role, email, password in logins
        }
        # The command ran on the system clock: read the board on the same day it seeded for.
        today = local_date(SystemClock().now())
        partner_cards = await pipeline.pipeline(db, viewers["partner"].scope, today)
        staff_cards = await pipeline.pipeline(db, viewers["coordinator"].scope, today)
    finally:
        await db.dispose()
    assert {card.state for card in partner_cards} & {"plan", "pilot"}
    assert len({card.partner_id for card in partner_cards}) == 1
    assert {card.network_name for card in staff_cards} == {"みどり市見守りネットワーク"}


def _printed_logins(stdout: str) -> list[tuple[str, str, str]]:
    """(role, e-mail, password) from the demo command's account lines."""
    lines = stdout.split("Demo accounts", 1)[1].splitlines()[1:]
    found = []
    for line in lines:
        role, email, _, password = line.split()
        found.append((role, email, password))
    return found


async def test_user_invite_queues_the_invitation_with_a_link_to_the_configured_site(url, tmp_path):
    done = _mimamori(
        *("user", "invite", "--email", "Sato@Example.jp", "--name", "佐藤 花子"),
        *("--role", "coordinator", "--network", "みどり市見守りネットワーク"),
        url=url,
        cwd=tmp_path,
        MIMAMORI_BASE_URL="https://mimamori.city.example.jp",
    )
    assert done.returncode == 0, done.stderr
    assert "invited sato@example.jp as coordinator" in done.stdout
    db = Database(url)
    async with db.read() as conn:
        mail = (await conn.execute(select(outbox.c.to_addr, outbox.c.body))).one()
        account = (
            await conn.execute(select(users).where(users.c.email == "sato@example.jp"))
        ).one()
    await db.dispose()
    assert mail.to_addr == "sato@example.jp"
    assert "https://mimamori.city.example.jp/invitation/" in mail.body
    assert "みどり市見守りネットワーク" in mail.body
    assert account.password_hash is None and account.active


async def test_user_invite_refuses_an_address_already_in_use_in_one_line(url, tmp_path):
    args = ("user", "invite", "--email", "a@example.jp", "--name", "A", "--role", "manager")
    assert _mimamori(*args, url=url, cwd=tmp_path).returncode == 0
    line = _refused_in_one_line(_mimamori(*args, url=url, cwd=tmp_path))
    assert "already exists" in line

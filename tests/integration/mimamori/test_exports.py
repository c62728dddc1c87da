"""``mimamori export`` as an operator runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from engine.domain.network import Network
from engine.domain.partner import Contact, Industry, Partner
from engine.domain.users import SYSTEM
from engine.services import CollaborationService, Context, DirectoryService
from engine.store.database import Database

EVIL = '=HYPERLINK("http://evil")'


def _export(*args: str, db: Database, cwd) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mimamori", "export", *args],
        env={"PATH": "/usr/bin:/bin", "MIMAMORI_DATABASE_URL": db.url},
        cwd=cwd,
        capture_output=True,
        timeout=120,
    )


def _rows(done: subprocess.CompletedProcess[bytes]) -> list[list[str]]:
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(done.stdout.decode("utf-8")[1:])))


@pytest.fixture
async def two_networks(ctx: Context) -> dict[str, int]:
    """みどり市 with みどり信用金庫 and a partner named like a formula; あおば町 with あおば運輸."""
    directory, collaborations = DirectoryService(ctx), CollaborationService(ctx)
    ids = {}
    for key, name, partner_names in (
        ("midori", "みどり市見守りネットワーク", ("みどり信用金庫", EVIL)),
        ("aoba", "あおば町見守りネットワーク", ("あおば運輸",)),
    ):
        network = await directory.add_network(Network(None, name, name[:3], "13"), SYSTEM)
        assert network.id is not None
        ids[key] = network.id
        for partner_name in partner_names:
            partner = await directory.add_partner(
                Partner(
                    None,
                    partner_name,
                    Industry.BANK,
                    "中央地区",
                    contacts=(Contact("佐藤 一郎", "支店長", "sato@example.jp"),),
                ),
                SYSTEM,
            )
            assert partner.id is not None
            await collaborations.add_candidate(network.id, partner.id, SYSTEM)
    return ids


async def test_the_system_exports_every_networks_collaborations(db, two_networks, tmp_path):
    rows = _rows(_export("collaborations", db=db, cwd=tmp_path))
    assert rows[0][:3] == ["ID", "ネットワーク", "事業者名"]
    assert sorted((r[1], r[2]) for r in rows[1:]) == [
        ("あおば町見守りネットワーク", "あおば運輸"),
        ("みどり市見守りネットワーク", "'" + EVIL),
        ("みどり市見守りネットワーク", "みどり信用金庫"),
    ]
    assert {r[5] for r in rows[1:]} == {"候補"}


async def test_network_narrows_the_export_by_name_or_id(db, two_networks, tmp_path):
    by_name = _rows(
        _export("partners", "--network", "あおば町見守りネットワーク", db=db, cwd=tmp_path)
    )
    assert [r[0] for r in by_name[1:]] == ["あおば運輸"]
    assert by_name[1][8:] == ["佐藤 一郎（支店長） sato@example.jp", "1"]
    by_id = _rows(
        _export("partners", "--network", str(two_networks["midori"]), db=db, cwd=tmp_path)
    )
    assert [r[0] for r in by_id[1:]] == ["'" + EVIL, "みどり信用金庫"]
    english = _rows(
        _export("collaborations", "--lang", "en", "--network", "1", db=db, cwd=tmp_path)
    )
    assert english[0][:3] == ["ID", "Network", "Partner name"]


async def test_an_unknown_network_is_a_one_line_error(db, two_networks, tmp_path):
    done = _export("collaborations", "--network", "どこか市", db=db, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().strip().splitlines() == [
        "Error: --network: no network with the id or name 'どこか市'"
    ]

"""``mimamori import partners`` as an operator runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

from engine.domain.network import Network
from engine.domain.users import SYSTEM
from engine.services import DirectoryService
from engine.store.uow import reading


def _mimamori(*args: str, url: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mimamori", "import", "partners", *args, "--lang", "en"],
        env={"PATH": "/usr/bin:/bin", "MIMAMORI_DATABASE_URL": url},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_import_dry_run_bad_lines_and_unknown_network(ctx, tmp_path):
    network = await DirectoryService(ctx).add_network(
        Network(None, "みどり市見守りネットワーク", "みどり市", "13"), SYSTEM
    )
    url = ctx.db.engine.url.render_as_string(hide_password=False)
    good = tmp_path / "list.csv"
    good.write_bytes("事業者名,業種,地区,メモ欄\nA社,銀行,北,x\nB社,宅配,南,y\n".encode("cp932"))
    dry = _mimamori(str(good), "--network", network.name, "--dry-run", url=url, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "2 new" in dry.stdout and "メモ欄" in dry.stdout
    done = _mimamori(
        str(good), "--network", str(network.id), "--open-candidates", url=url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "imported 2 partners" in done.stdout
    again = _mimamori(str(good), "--network", str(network.id), url=url, cwd=tmp_path)
    assert "imported 0 partners" in again.stdout and "2 were already" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("事業者名,業種,地区\nC社,魚屋,北\nD社,銀行,\n", encoding="utf-8-sig")
    refused = _mimamori(str(bad), "--network", str(network.id), url=url, cwd=tmp_path)
    assert refused.returncode == 2
    assert "line 2: Unknown industry" in refused.stderr and "line 3: Area:" in refused.stderr
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert "not a CSV file" in _mimamori(str(png), "--network", "1", url=url, cwd=tmp_path).stderr
    unknown = _mimamori(str(good), "--network", "どこか", url=url, cwd=tmp_path)
    assert unknown.returncode == 2 and "no network" in unknown.stderr
    async with reading(ctx.db) as uow:
        assert sorted(k for k in await uow.partners.keys_in(network.id)) == ["a社", "b社"]

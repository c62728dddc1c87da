"""Importing 10,000 partner rows from CSV against a bare executemany of the same rows.

* **ours**: ``PartnerImportService.run`` on a Shift_JIS file: decode, split,
  map the headings, validate every row, read the network's list, then the bulk
  insert of partners (INSERT … RETURNING), contacts, list entries and audit
  entries in one transaction.
* **bare** (the issue's baseline): ``executemany`` of the same partner rows,
  already as tuples, through the same driver (``exec_driver_sql`` on the app's
  engine), in one transaction: no parsing, no checks, no contacts, links or audit.
* **bare, every row** (a second view): the same, for every row the import
  stores: the partners, then their ids read back, their contacts, list entries
  and audit entries, each table one ``executemany`` of ready tuples.

Each repeat uses a fresh copy of a migrated SQLite file for each of the three,
their order rotating every repeat.
Targets: ours ≤ 3x bare, and the whole import under 10 s.

Run: ``python -m bench.import_partners [--quick] [--repeats N]``.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench._stats import NOW, environment, median, parse_args, verdict
from engine.clock import FixedClock
from engine.domain.names import name_key
from engine.domain.network import Network
from engine.domain.users import SYSTEM
from engine.services import Context, DirectoryService
from engine.services.partner_import import PartnerImportService
from engine.store import migrate
from engine.store.database import Database
from workflows.collaboration import COLLABORATION

INDUSTRIES = ("銀行・信用金庫", "宅配", "生協", "タクシー・バス", "薬局", "新聞配達")
COLUMNS = "name, name_key, kana, industry, area, address, phone, website, note"
NETWORK_PARTNER = "network_id, partner_id"
AUDIT = "at, action, entity, entity_id, detail"


def rows(n: int) -> list[tuple[str, ...]]:
    """The partner rows: name, kana, industry label, area, address, phone, contact, e-mail."""
    return [
        (
            f"株式会社協力事業者{i:05d}",
            "きょうりょくじぎょうしゃ",
            INDUSTRIES[i % len(INDUSTRIES)],
            f"第{i % 12 + 1}地区",
            f"架空県みどり市本町{i % 50 + 1}-{i % 9 + 1}",
            f"03-{i % 10000:04d}-{(i * 7) % 10000:04d}",
            f"担当 {i:05d}" if i % 2 else "",
            f"contact{i:05d}@example.jp" if i % 2 else "",
        )
        for i in range(n)
    ]


def csv_bytes(data: list[tuple[str, ...]]) -> bytes:
    """The rows as Excel's 「CSV (コンマ区切り)」 writes them: Shift_JIS, CRLF."""
    head = "事業者名,よみがな,業種,地区,住所,電話,担当者,メール"
    return "\r\n".join([head, *(",".join(r) for r in data)]).encode("cp932") + b"\r\n"


async def prepare(url: str) -> int:
    """Migrate and create the network; returns its id."""
    db = Database(url)
    await migrate.upgrade(db)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    network = await DirectoryService(ctx).add_network(
        Network(None, "みどり市", "みどり市", "13"), SYSTEM
    )
    await db.dispose()
    assert network.id is not None
    return network.id


async def ours(url: str, network_id: int, data: bytes) -> float:
    db = Database(url)
    ctx = Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW))
    start = time.perf_counter()
    report = await PartnerImportService(ctx).run(data, network_id, SYSTEM, file_name="bench.csv")
    elapsed = time.perf_counter() - start
    await db.dispose()
    assert len(report.created) > 0
    return elapsed


def _insert(table: str, columns: str) -> str:
    marks = ", ".join(["?"] * (columns.count(",") + 1))
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})"


async def bare(url: str, data: list[tuple[str, ...]], network_id: int, every: bool) -> float:
    db = Database(url)
    values = [(r[0], name_key(r[0]), r[1], "bank", r[3], r[4], r[5], "", "") for r in data]
    detail = json.dumps({"actor": SYSTEM.name, "network_id": network_id, "file": "bench.csv"})
    start = time.perf_counter()
    async with db.write() as conn:
        await conn.exec_driver_sql(_insert("partners", COLUMNS), values)
        if every:
            found = await conn.exec_driver_sql("SELECT id, name FROM partners")
            ids = {name: pid for pid, name in found}
            people = [(ids[r[0]], r[6], r[7]) for r in data if r[6]]
            await conn.exec_driver_sql(_insert("contacts", "partner_id, name, email"), people)
            links = [(network_id, pid) for pid in ids.values()]
            await conn.exec_driver_sql(_insert("network_partners", NETWORK_PARTNER), links)
            at = NOW.isoformat(" ")
            audit = [(at, "partner.create", "partner", pid, detail) for pid in ids.values()]
            await conn.exec_driver_sql(_insert("audit_log", AUDIT), audit)
    elapsed = time.perf_counter() - start
    await db.dispose()
    return elapsed


def run_sqlite(n: int, repeats: int, folder: Path) -> list[list[float]]:
    """Times of ours, bare and bare-every-row, in an order rotated every repeat."""
    template = folder / "template.db"
    network_id = asyncio.run(prepare(f"sqlite:///{template}"))
    data, raw = csv_bytes(rows(n)), rows(n)
    times: list[list[float]] = [[], [], []]
    for repeat in range(repeats):
        for which in (0, 1, 2)[repeat % 3 :] + (0, 1, 2)[: repeat % 3]:
            copy = folder / f"run{repeat}-{which}.db"
            shutil.copyfile(template, copy)
            url = f"sqlite:///{copy}"
            work = (
                ours(url, network_id, data)
                if which == 0
                else bare(url, raw, network_id, which == 2)
            )
            times[which].append(asyncio.run(work))
    return times


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    n = 1_000 if args.quick else 10_000
    repeats = args.repeats or (3 if args.quick else 7)
    print(f"import_partners: {n:,} rows, {repeats} repeats; {environment()}")
    with tempfile.TemporaryDirectory() as folder:
        mine, baseline, every = run_sqlite(n, repeats, Path(folder))
    ratio = median(mine) / median(baseline)
    print(f"  SQLite  ours  median {median(mine) * 1000:8.1f} ms  ({n / median(mine):,.0f} rows/s)")
    print(f"  SQLite  bare  median {median(baseline) * 1000:8.1f} ms  (the partner rows)")
    print(f"  SQLite  bare  median {median(every) * 1000:8.1f} ms  (every row the import stores)")
    print(
        f"  ratio ours/bare {ratio:.2f}x (target <= 3x: {verdict(ratio, 3.0)}); "
        f"ours/bare every row {median(mine) / median(every):.2f}x; "
        f"whole import {median(mine):.2f} s (target < 10 s: {verdict(median(mine), 10.0)})"
    )


if __name__ == "__main__":
    main()

"""A backup carries the attachments' files, and a restore puts back exactly those bytes."""

from __future__ import annotations

import dataclasses
import tarfile

import pytest

from engine.domain.users import SYSTEM
from engine.files.storage import LocalFiles
from engine.services.attachments import AttachmentService
from engine.store.backup import BackupRefused, make_backup, restore_backup
from engine.store.backup.documents import PREFIX
from tests.integration.builders import candidate

MEMO = b"%PDF-1.7\n% the signed memorandum\n%%EOF\n" * 50
HANDOUT = b"%PDF-1.7\n% the meeting handout\n%%EOF\n" * 80


async def _attach(ctx, cid: int, name: str, data: bytes) -> str:
    upload = ctx.files.begin(ctx.max_upload_bytes)
    upload.write(data)
    found = await AttachmentService(ctx).attach(cid, upload, name, None, False, SYSTEM)
    return found.sha256


@pytest.fixture
def files_ctx(ctx, tmp_path):
    return dataclasses.replace(ctx, files=LocalFiles(tmp_path / "files"))


async def test_the_files_come_back_byte_for_byte_into_another_folder(
    files_ctx, empty_db, clock, tmp_path
):
    cid = await candidate(files_ctx)
    shas = [
        await _attach(files_ctx, cid, n, d) for n, d in (("覚書.pdf", MEMO), ("h.pdf", HANDOUT))
    ]
    path = tmp_path / "with-files.mimamori"
    manifest = await make_backup(
        files_ctx.db, path, clock, files_ctx.files, progress=lambda _: None
    )
    assert sorted(manifest.files) == sorted(shas)
    with tarfile.open(path) as tar:
        assert sorted(n for n in tar.getnames() if n.startswith(PREFIX)) == sorted(
            PREFIX + s for s in shas
        )

    restored = LocalFiles(tmp_path / "elsewhere")
    await restore_backup(empty_db, path, restored, progress=lambda _: None)
    assert {restored.path_of(s).read_bytes() for s in shas} == {MEMO, HANDOUT}


async def test_a_damaged_file_refuses_the_restore_before_the_database_is_touched(
    files_ctx, empty_db, clock, tmp_path
):
    cid = await candidate(files_ctx)
    sha = await _attach(files_ctx, cid, "覚書.pdf", MEMO)
    files_ctx.files.path_of(sha).write_bytes(MEMO[:-4] + b"XXXX")  # same size, other bytes
    path = tmp_path / "damaged.mimamori"
    await make_backup(files_ctx.db, path, clock, files_ctx.files, progress=lambda _: None)

    with pytest.raises(BackupRefused, match="does not match its SHA-256"):
        await restore_backup(empty_db, path, LocalFiles(tmp_path / "elsewhere"), progress=print)
    async with empty_db.read() as conn:
        tables = await conn.run_sync(lambda sync: sync.dialect.get_table_names(sync))
    assert "collaborations" not in tables


async def test_a_missing_file_is_reported_and_the_others_are_kept(files_ctx, clock, tmp_path):
    cid = await candidate(files_ctx)
    lost = await _attach(files_ctx, cid, "lost.pdf", MEMO)
    kept = await _attach(files_ctx, cid, "kept.pdf", HANDOUT)
    files_ctx.files.path_of(lost).unlink()
    lines: list[str] = []
    manifest = await make_backup(
        files_ctx.db, tmp_path / "b.mimamori", clock, files_ctx.files, progress=lines.append
    )
    assert list(manifest.files) == [kept]
    assert any("1 attached files are missing" in line for line in lines)

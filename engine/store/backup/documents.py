"""The attachments' files in a backup: the bytes behind every ``attachments`` row.

Files are content-addressed and never changed or deleted, so the files named by
the rows as they are just after the database snapshot include every file the
snapshot refers to (a file attached meanwhile is carried along, harmlessly).
Each goes into the backup as ``files/<sha256>``; a restore checks every file's
SHA-256 against its name before it puts it in place, atomically, in the folder
of ``MIMAMORI_FILES_DIR``.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from sqlalchemy import inspect, select

from engine.files.storage import LocalFiles
from engine.store.backup.errors import BackupRefused
from engine.store.database import Database
from engine.store.tables import attachments

PREFIX = "files/"
CHUNK = 1 << 20


async def referenced(db: Database) -> list[str]:
    """The SHA-256 of every attached file, in order (none before the attachments schema)."""
    async with db.read() as conn:
        present = await conn.run_sync(lambda sync: inspect(sync).has_table("attachments"))
        if not present:
            return []
        rows = await conn.execute(select(attachments.c.sha256).distinct())
        return sorted(sha for (sha,) in rows)


def present(files: LocalFiles, wanted: list[str]) -> tuple[dict[str, int], list[str]]:
    """(size by SHA-256 of the files on disk, the SHA-256 of those missing)."""
    found, missing = {}, []
    for sha in wanted:
        path = files.path_of(sha)
        if path.is_file():
            found[sha] = path.stat().st_size
        else:
            missing.append(sha)
    return found, missing


def add_to(tar: tarfile.TarFile, files: LocalFiles, sizes: dict[str, int], mtime: float) -> None:
    """Append every file as ``files/<sha256>`` (after the manifest and the payload)."""
    for sha, size in sizes.items():
        info = tarfile.TarInfo(PREFIX + sha)
        info.size, info.mtime, info.mode = size, mtime, 0o600
        with files.path_of(sha).open("rb") as data:
            tar.addfile(info, data)


def restore_from(
    path: Path, sizes: dict[str, int], files: LocalFiles, progress: Callable[[str], None]
) -> int:
    """Put the backup's files in place; returns how many were written (others were there)."""
    if not sizes:
        return 0
    progress(f"restoring {len(sizes):,} attached files into {files.root}")
    written, seen = 0, set()
    damaged = f"{path} is truncated or damaged"
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member in tar:
                if not member.name.startswith(PREFIX):
                    continue
                sha = member.name.removeprefix(PREFIX)
                if sizes.get(sha) != member.size or not member.isfile():
                    raise BackupRefused(f"{damaged}: {member.name} is not in its manifest")
                source = tar.extractfile(member)
                assert source is not None
                written += _place(source, sha, files, damaged)
                seen.add(sha)
    except (tarfile.TarError, EOFError) as exc:
        raise BackupRefused(f"{damaged} ({exc})") from exc
    if missing := set(sizes) - seen:
        raise BackupRefused(f"{damaged}: {len(missing)} attached files are missing from it")
    return written


def _place(source: IO[bytes], sha: str, files: LocalFiles, damaged: str) -> int:
    target = files.path_of(sha)
    if target.is_file():
        return 0  # the same bytes, by their name
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".restore-", dir=target.parent)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha:
            raise BackupRefused(f"{damaged}: the file {sha[:12]}… does not match its SHA-256")
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return 1

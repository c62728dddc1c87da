"""The backup file: a plain tar of ``manifest.json``, the database payload, then the files.

A backup is written to a hidden temporary file beside its final name, synced
and renamed, so a failed or interrupted backup never leaves a half file under
that name. Reading checks the manifest before the payload, and the payload's
size and SHA-256 against the manifest before anything is restored from it.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from engine.files.storage import LocalFiles
from engine.store.backup import documents
from engine.store.backup.errors import BackupRefused
from engine.store.backup.manifest import Manifest, from_json

MANIFEST = "manifest.json"
CHUNK = 1 << 20
MAX_MANIFEST = 1 << 20


def digest(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def check_target(path: Path, *, force: bool) -> None:
    """Refuse a backup file name that exists (without ``force``) or whose folder does not."""
    if path.exists() and not force:
        raise BackupRefused(f"{path} exists: choose another name, or add --force to replace it")
    if path.is_dir():
        raise BackupRefused(f"{path} is a folder: give the backup file's name")
    if not path.parent.is_dir():
        raise BackupRefused(f"the folder {path.parent} does not exist")


def write(
    path: Path, manifest: Manifest, payload: Path, files: LocalFiles | None, *, force: bool
) -> None:
    """Write the archive to ``path`` atomically (temporary file, fsync, rename)."""
    check_target(path, force=force)
    mtime = manifest.created_at.timestamp()
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                raw = manifest.to_json()
                tar.addfile(_member(MANIFEST, len(raw), mtime), io.BytesIO(raw))
                with payload.open("rb") as data:
                    tar.addfile(_member(manifest.payload_name, manifest.payload_bytes, mtime), data)
                if files is not None:
                    documents.add_to(tar, files, manifest.files, mtime)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup file; a file that is not one is refused."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupRefused(f"{path} is not a Mimamori backup (no manifest.json first)")
            extracted = tar.extractfile(first)
            assert extracted is not None
            return from_json(extracted.read(MAX_MANIFEST))
    except (tarfile.TarError, EOFError) as exc:
        raise BackupRefused(f"{path} is not a Mimamori backup (not a tar file: {exc})") from exc


def extract_payload(
    path: Path, manifest: Manifest, dest: Path, progress: Callable[[str], None]
) -> None:
    """Copy the payload to ``dest``; a truncated or altered one is refused."""
    damaged = f"{path} is truncated or damaged"
    try:
        with tarfile.open(path, mode="r:") as tar:
            tar.next()
            member = tar.next()
            if member is None or member.name != manifest.payload_name:
                raise BackupRefused(f"{damaged}: its {manifest.payload_name} is missing")
            if member.size != manifest.payload_bytes:
                raise BackupRefused(f"{damaged}: its payload has not the size the manifest says")
            source = tar.extractfile(member)
            assert source is not None
            progress(f"checking the backup ({manifest.payload_bytes / 1e6:,.1f} MB)")
            sha, size = hashlib.sha256(), 0
            with dest.open("wb") as out:
                while chunk := source.read(CHUNK):
                    sha.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
    except (tarfile.TarError, EOFError) as exc:
        raise BackupRefused(f"{damaged} ({exc})") from exc
    if size != manifest.payload_bytes or sha.hexdigest() != manifest.payload_sha256:
        raise BackupRefused(f"{damaged}: its payload does not match the manifest's SHA-256")


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    return info


def _sync_folder(folder: Path) -> None:
    """Make the rename durable: a crash right after it must not lose the new name."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Uploaded files kept on the server between a preview and its confirmation.

Each upload is stored under a random token (never the client's file name) in
a private folder, with who uploaded it, for which network, and the rows the
preview showed as new. Only the same user gets it back, within ``KEEP``; the
confirmation re-reads these bytes, so what is imported is what was previewed
and nothing the browser sends can change it. Expired uploads are removed
whenever a new one is stored.

The folder is on the local disk: with several app servers behind a load
balancer the preview and the confirmation must reach the same one (or share
the folder).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

KEEP = timedelta(hours=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True, slots=True)
class Staged:
    """An upload waiting for its confirmation."""

    data: bytes
    user_id: int
    network_id: int
    file_name: str
    new_lines: tuple[int, ...]


def default_folder() -> Path:
    """The staging folder under the system's temporary directory."""
    return Path(tempfile.gettempdir()) / "mimamori-imports"


class StagedUploads:
    """Put, get back and discard staged uploads in one folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()

    def put(self, staged: Staged, now: datetime) -> str:
        """Store an upload; returns its token."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._purge(now)
        token = secrets.token_urlsafe(32)
        meta = {
            "user_id": staged.user_id,
            "network_id": staged.network_id,
            "file_name": staged.file_name,
            "new_lines": list(staged.new_lines),
            "sha256": hashlib.sha256(staged.data).hexdigest(),
            "staged_at": now.isoformat(),
        }
        _write_new(self.folder / f"{token}.csv", staged.data)
        _write_new(self.folder / f"{token}.json", json.dumps(meta).encode())
        return token

    def get(self, token: str, user_id: int, now: datetime) -> Staged | None:
        """The upload of this token if it is this user's and not expired; else None."""
        if not TOKEN.fullmatch(token):
            return None
        try:
            meta = json.loads((self.folder / f"{token}.json").read_bytes())
            data = (self.folder / f"{token}.csv").read_bytes()
        except (OSError, ValueError):
            return None
        if (
            meta.get("user_id") != user_id
            or now - datetime.fromisoformat(meta["staged_at"]) > KEEP
            or hashlib.sha256(data).hexdigest() != meta["sha256"]
        ):
            return None
        return Staged(
            data, user_id, meta["network_id"], meta["file_name"], tuple(meta["new_lines"])
        )

    def discard(self, token: str) -> None:
        """Remove an upload (after its import)."""
        if TOKEN.fullmatch(token):
            for suffix in (".csv", ".json"):
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / f"{token}{suffix}").unlink()

    def _purge(self, now: datetime) -> None:
        for meta_file in self.folder.glob("*.json"):
            try:
                staged_at = datetime.fromisoformat(json.loads(meta_file.read_bytes())["staged_at"])
            except (OSError, ValueError, KeyError):
                continue
            if now - staged_at > KEEP:
                self.discard(meta_file.stem)


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, readable by this user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)

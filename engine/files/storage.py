"""Where attachment bytes are kept: content-addressed by SHA-256, written atomically.

An upload is first written to a temporary file (hashed and counted as it
arrives, and cut off past the limit), checked, and only then moved into the
store under its hash: ``ab/cd/abcd…``. A failed or refused upload leaves
nothing behind. Equal files are stored once.

``FileStore`` is the small interface a service needs; ``LocalFiles`` keeps the
bytes in a folder. An object store (S3) would implement the same three calls.
Bytes are never deleted here: a removed attachment keeps its row, and so its
bytes, for the audit trail.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO, Protocol

from engine.domain.attachments import EMPTY_FILE, TooLarge, UploadRefused

CHUNK = 64 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


class Upload:
    """A file being received: written to a temporary file, hashed and counted."""

    def __init__(self, folder: Path, limit: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self._file: BinaryIO | None = os.fdopen(handle, "wb")
        self._hash = hashlib.sha256()
        self.limit = limit
        self.size = 0

    def write(self, chunk: bytes) -> None:
        """Append bytes; TooLarge (and the partial file removed) once past the limit."""
        self.size += len(chunk)
        if self.size > self.limit:
            self.discard()
            raise TooLarge(max(1, self.limit // 2**20))
        assert self._file is not None
        self._file.write(chunk)
        self._hash.update(chunk)

    def finish(self) -> str:
        """Close the file, flushed to disk; its SHA-256 (UploadRefused when empty)."""
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        if self.size == 0:
            self.discard()
            raise UploadRefused(EMPTY_FILE)
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Remove the temporary file (idempotent)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)


class FileStore(Protocol):
    """Bytes by their SHA-256."""

    def begin(self, limit: int) -> Upload:
        """Start receiving a file of at most ``limit`` bytes."""
        ...

    async def keep(self, upload: Upload, sha256: str) -> None:
        """Move a finished upload into the store under its hash."""
        ...

    def read(self, sha256: str) -> AsyncIterator[bytes]:
        """The stored bytes, in chunks."""
        ...


class LocalFiles:
    """A folder of files named by their hash, with a ``tmp`` folder on the same disk."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """Where the bytes of this hash live: ``ab/cd/abcd…``."""
        if not SHA256.fullmatch(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def begin(self, limit: int) -> Upload:
        """Start receiving a file of at most ``limit`` bytes in ``tmp``."""
        return Upload(self.root / "tmp", limit)

    async def keep(self, upload: Upload, sha256: str) -> None:
        """Rename the upload into place: atomic on one file system; equal bytes kept once."""
        target = self.path_of(sha256)

        def move() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                upload.discard()
            else:
                os.replace(upload.path, target)

        await asyncio.to_thread(move)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        """The stored bytes in chunks of 64 KiB."""
        with self.path_of(sha256).open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, CHUNK):
                yield chunk

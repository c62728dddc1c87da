"""The manifest of a backup file: what it holds, where from, and how to check it.

Stored as ``manifest.json``, the first member of the backup's tar container
(``archive``). ``tables`` has every table's row count and checksum taken inside
the same snapshot as the payload, so a restore can prove it put back exactly
what was there at that moment.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata

from engine.store.backup.errors import BackupRefused

FORMAT = "mimamori-backup"
FORMAT_VERSION = 2
"""2 added the attachments' files (``files``); a file of format 1 holds none."""
ENGINES = ("sqlite", "postgresql")
PAYLOADS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
"""The payload member of each engine: a SQLite database file, or a ``pg_dump -Fc`` archive."""


@dataclass(frozen=True)
class TableSum:
    """A table's row count and checksum (see ``checksum`` for how it is computed)."""

    rows: int
    checksum: str


@dataclass(frozen=True)
class Manifest:
    """Everything a restore checks before it touches a database."""

    engine: str
    schema_revision: str
    mimamori_version: str
    created_at: datetime
    server_version: str
    tables: dict[str, TableSum]
    payload_bytes: int = 0
    payload_sha256: str = ""
    data_excluded: tuple[str, ...] = ("sessions",)
    files: dict[str, int] = field(default_factory=dict)
    """The attached files it holds: size by SHA-256."""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def payload_name(self) -> str:
        """The tar member holding the database."""
        return PAYLOADS[self.engine]

    @property
    def rows(self) -> int:
        """Rows in all tables."""
        return sum(t.rows for t in self.tables.values())

    def to_json(self) -> bytes:
        """The manifest as UTF-8 JSON, keys in a stable order."""
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["data_excluded"] = list(self.data_excluded)
        data["payload"] = {
            "name": self.payload_name,
            "bytes": data.pop("payload_bytes"),
            "sha256": data.pop("payload_sha256"),
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"


def from_json(raw: bytes) -> Manifest:
    """Parse and check a manifest; anything unexpected is refused as not a backup."""
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupRefused("not a Mimamori backup (its manifest is of another format)")
        if data["format_version"] > FORMAT_VERSION:
            raise BackupRefused(
                f"the backup is in format {data['format_version']}, newer than this Mimamori "
                f"reads ({FORMAT_VERSION}): restore it with Mimamori {data['mimamori_version']} "
                "or newer"
            )
        if data["engine"] not in ENGINES:
            raise BackupRefused(f"the backup is of an unknown database {data['engine']!r}")
        return Manifest(
            engine=data["engine"],
            schema_revision=str(data["schema_revision"]),
            mimamori_version=str(data["mimamori_version"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            server_version=str(data["server_version"]),
            tables={
                name: TableSum(int(t["rows"]), str(t["checksum"]))
                for name, t in data["tables"].items()
            },
            payload_bytes=int(data["payload"]["bytes"]),
            payload_sha256=str(data["payload"]["sha256"]),
            data_excluded=tuple(data.get("data_excluded", ())),
            files={str(sha): int(size) for sha, size in data.get("files", {}).items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupRefused(f"not a Mimamori backup (its manifest cannot be read: {exc})") from exc


def mimamori_version() -> str:
    """The installed Mimamori's version, as its package metadata says."""
    try:
        return metadata.version("mimamori")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"

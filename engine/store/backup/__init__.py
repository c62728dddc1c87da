"""Backups of the whole database into one file, and restoring them.

The file is a plain tar: ``manifest.json`` (``manifest``) first, then the
payload, a SQLite database file (``sqlite``) or a ``pg_dump -Fc`` archive
(``postgres``). ``run`` has the two operations and their checks.
"""

from engine.store.backup.errors import BackupError, BackupRefused
from engine.store.backup.manifest import Manifest, TableSum
from engine.store.backup.run import Restored, describe, make_backup, restore_backup

__all__ = [
    "BackupError",
    "BackupRefused",
    "Manifest",
    "Restored",
    "TableSum",
    "describe",
    "make_backup",
    "restore_backup",
]

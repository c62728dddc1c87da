"""The errors of backing up and restoring, each a one-line message for an operator.

BackupError          the backup or restore failed (a tool missing, a tool's error)
 └── BackupRefused   the input was refused before anything was changed
"""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore failed; the message says why in one line."""


class BackupRefused(BackupError):
    """Refused before anything was written: a bad file, a non-empty target, another engine."""

"""File names as uploaded: for display only, never part of a path on disk."""

from __future__ import annotations

import unicodedata

MAX_NAME = 200
FALLBACK = "file"


def safe_name(raw: str) -> str:
    """The name without folders, control or direction characters, at most MAX_NAME long.

    ``../../etc/passwd`` becomes ``passwd``; a name left empty becomes ``file``.
    The extension is kept when the name is cut.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc (controls) and Cf (such as U+202E, which shows "exe.pdf" as "fdp.exe").
    name = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return FALLBACK
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 10:
            name = name[: MAX_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME]
    return name

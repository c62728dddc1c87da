"""What a file is, judged by its bytes, never by its name: the few types an office attaches.

Checked by hand rather than with a magic library: the list is short, and the
cases that matter (a program named ``.pdf``, macros inside an Office file, an
installer that is an OLE file like a .doc) need a look inside that generic
sniffers do not take.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from engine.domain.attachments import ARCHIVE, MACROS, PROGRAM, UNKNOWN_TYPE, WrongType

HEAD = 4096
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Stream names in an OLE compound file's directory (UTF-16), legacy Office's own.
OLE_STREAMS = {
    "WordDocument": "application/msword",
    "Workbook": "application/vnd.ms-excel",
    "Book": "application/vnd.ms-excel",
    "PowerPoint Document": "application/vnd.ms-powerpoint",
}
OLE_MACROS = ("_VBA_PROJECT", "Macros")
HEIF_BRANDS = {b"heic": "image/heic", b"heix": "image/heic", b"mif1": "image/heif"}
PROGRAM_HEADS = (
    b"MZ",  # Windows .exe, .dll
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts
)
ARCHIVE_HEADS = (b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh")
TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13}


@dataclass(frozen=True, slots=True)
class Detected:
    """The type a file was found to be."""

    content_type: str


def detect(path: Path) -> Detected:
    """The file's type, or UploadRefused saying why it cannot be attached."""
    with path.open("rb") as f:
        head = f.read(HEAD)
    if head.startswith(PROGRAM_HEADS):
        raise WrongType(PROGRAM)
    if b"%PDF-" in head[:1024]:
        return Detected("application/pdf")
    if head.startswith(b"\xff\xd8\xff"):
        return Detected("image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected("image/png")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Detected("image/tiff")
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return Detected(HEIF_BRANDS[head[8:12]])
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole(path)
    if head.startswith(ARCHIVE_HEADS):
        raise WrongType(ARCHIVE)
    if _is_text(path):
        return Detected("text/plain")
    raise WrongType(UNKNOWN_TYPE)


def _ooxml(path: Path) -> Detected:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        raise WrongType(UNKNOWN_TYPE) from None
    if "[Content_Types].xml" not in names:
        raise WrongType(ARCHIVE)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WrongType(MACROS)
    for folder, content_type in OOXML.items():
        if any(n.startswith(folder) for n in names):
            return Detected(content_type)
    raise WrongType(ARCHIVE)


def _ole(path: Path) -> Detected:
    # The directory's entries hold the stream names in UTF-16; a file of at most the
    # upload limit is read whole rather than walking the sector chains.
    data = path.read_bytes()
    if any(name.encode("utf-16-le") in data for name in OLE_MACROS):
        raise WrongType(MACROS)
    for name, content_type in OLE_STREAMS.items():
        if (name + "\x00").encode("utf-16-le") in data:
            return Detected(content_type)
    # Installers (.msi) and other compound files are not documents.
    raise WrongType(UNKNOWN_TYPE)


def _is_text(path: Path) -> bool:
    data = path.read_bytes()
    if any(b in TEXT_CONTROLS for b in set(data)):
        return False
    for encoding in ("utf-8-sig", "cp932"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False

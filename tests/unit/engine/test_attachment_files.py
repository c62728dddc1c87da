"""What an upload is, by its bytes, and what it may be called."""

from __future__ import annotations

import io
import zipfile

import pytest

from engine.domain.attachments import ARCHIVE, MACROS, PROGRAM, UNKNOWN_TYPE, WrongType
from engine.files.detect import detect
from engine.files.names import MAX_NAME, safe_name


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (
            _zip("[Content_Types].xml", "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip("[Content_Types].xml", "xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (OLE + "WordDocument\x00".encode("utf-16-le"), "application/msword"),
        (OLE + "Workbook\x00".encode("utf-16-le"), "application/vnd.ms-excel"),
        ("議事次第\r\n1. 挨拶\n".encode(), "text/plain"),
        ("議事次第\r\n".encode("cp932"), "text/plain"),
    ],
)
def test_documents_are_recognised_by_their_content(tmp_path, data, content_type):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    assert detect(path).content_type == content_type


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00" + b"%PDF-1.7" + b"\x00" * 100, PROGRAM),
        (b"\x7fELF\x02\x01\x01\x00", PROGRAM),
        (b"#!/bin/sh\nrm -rf /\n", PROGRAM),
        (_zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), MACROS),
        (OLE + "WordDocument\x00_VBA_PROJECT".encode("utf-16-le"), MACROS),
        (_zip("readme.txt", "setup.exe"), ARCHIVE),
        (b"\x1f\x8b\x08\x00", ARCHIVE),
        (OLE + "SummaryInformation".encode("utf-16-le"), UNKNOWN_TYPE),  # e.g. an .msi
        (bytes(range(256)), UNKNOWN_TYPE),
    ],
)
def test_programs_macros_archives_and_unknown_bytes_are_refused(tmp_path, data, message):
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    with pytest.raises(WrongType) as refused:
        detect(path)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\yamada\\覚書.pdf", "覚書.pdf"),
        ("請求書\u202efdp.exe", "請求書 fdp.exe"),
        ("a\x00b\nc.pdf", "a b c.pdf"),
        ("..", "file"),
        ("", "file"),
        ("  .hidden  ", "hidden"),
    ],
)
def test_file_names_lose_folders_and_control_characters(raw, shown):
    assert safe_name(raw) == shown


def test_long_names_are_cut_keeping_the_extension():
    name = safe_name("議" * 500 + ".xlsx")
    assert len(name) == MAX_NAME and name.endswith("議.xlsx")

"""Multipart bodies read as a stream: the CSRF field peeked first, an upload written as it comes.

litestar's ``request.form()`` spools every file to a temporary file before the
handler runs. An attachment instead goes straight to the file store's
temporary file while it is hashed and counted, and stops at the size limit.
For that the CSRF check must not read the body: it reads only the first field
(pages put ``_csrf`` first) and hands the bytes it read back to the handler.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from litestar import Request
from litestar.types import Message, Receive
from multipart import MultipartError, MultipartSegment, PushMultipartParser

from engine.domain.attachments import TooLarge, UploadRefused
from engine.files.storage import Upload
from engine.i18n import N_

PEEK_LIMIT = 64 * 1024
FIELD_LIMIT = 2048
MAX_PARTS = 16
OVERHEAD = 64 * 1024
"""Bytes a form may carry besides the file: boundaries, headers and the small fields."""
MALFORMED = N_("The upload arrived incomplete or garbled. Please try again.")


@dataclass
class Peeked:
    """The first field's value, if it was the one looked for, and the body to read on with."""

    value: str | None
    receive: Receive


async def peek_field(receive: Receive, boundary: str, name: str) -> Peeked:
    """Read the body only until the first field: its value if it is ``name``, else None."""
    buffered: deque[Message] = deque()
    value: str | None = None
    if boundary:
        parser = PushMultipartParser(boundary, max_header_size=4096)
        data = bytearray()
        seen, done = 0, False
        while not done:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            body = message.get("body", b"")
            seen += len(body)
            try:
                for part in parser.parse(body):
                    if isinstance(part, MultipartSegment):
                        if part.name != name or part.filename is not None:
                            done = True
                            break
                    elif part:
                        data.extend(part)
                    else:
                        value, done = data.decode("utf-8", "replace"), True
                        break
            except MultipartError:
                done = True
            done = done or not message.get("more_body", False) or seen > PEEK_LIMIT

    async def replay() -> Message:
        return buffered.popleft() if buffered else await receive()

    return Peeked(value, replay)


@dataclass
class UploadForm:
    """The small fields of an upload form and the one file received."""

    fields: dict[str, str] = field(default_factory=dict)
    upload: Upload | None = None
    filename: str = ""


async def read_upload(
    request: Request, begin: Callable[[], Upload], limit: int, file_field: str = "file"
) -> UploadForm:
    """Stream the form: ``file_field`` into ``begin()``'s upload, other fields kept as text.

    TooLarge as soon as the body (or its announced length) passes ``limit``;
    UploadRefused when the body is not a well-formed form. Nothing is left on
    disk when it fails.
    """
    content_type, options = request.content_type
    boundary = options.get("boundary", "")
    if content_type != "multipart/form-data" or not boundary:
        return UploadForm()
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + OVERHEAD:
        raise TooLarge(max(1, limit // 2**20))
    form = UploadForm()
    try:
        await _parse(request, boundary, begin, file_field, form)
    except BaseException:
        if form.upload is not None:
            form.upload.discard()
        raise
    return form


async def _parse(
    request: Request,
    boundary: str,
    begin: Callable[[], Upload],
    file_field: str,
    form: UploadForm,
) -> None:
    segment: MultipartSegment | None = None
    into: Upload | None = None  # the upload the current part is written to, if any
    text = bytearray()
    try:
        with PushMultipartParser(
            boundary, max_header_size=4096, max_segment_count=MAX_PARTS
        ) as parser:
            async for chunk in request.stream():
                for part in parser.parse(chunk):
                    if isinstance(part, MultipartSegment):
                        segment, text, into = part, bytearray(), None
                        if part.name == file_field and part.filename and form.upload is None:
                            form.upload, form.filename = begin(), part.filename
                            into = form.upload
                    elif part:
                        assert segment is not None
                        if segment.filename is None:
                            text.extend(part)
                            if len(text) > FIELD_LIMIT:
                                raise UploadRefused(MALFORMED)
                        elif into is not None:
                            into.write(part)
                    elif segment is not None and segment.filename is None:
                        form.fields.setdefault(segment.name, text.decode("utf-8", "replace"))
                if parser.closed:
                    break
    except MultipartError:
        raise UploadRefused(MALFORMED) from None

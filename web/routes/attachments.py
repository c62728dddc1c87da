"""Attachments: upload (streamed, checked by content), download, share with the partner, remove.

Every route first finds the collaboration in the viewer's scope, so another
network's collaboration or attachment answers 404 like a missing one. Files are
always sent as downloads (``Content-Disposition: attachment``, ``nosniff``)
with the type found by their content, never the one the uploader claimed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template

from engine.domain.access import Permission, Viewer
from engine.domain.attachments import Attachment, RecordKind, RecordRef, TooLarge, WrongType
from engine.errors import InvalidInput, VersionConflict
from engine.i18n import N_, translate
from engine.services.attachments import AttachmentService
from web.fragments import page
from web.guards import CurrentViewer, requires
from web.i18n import current_locale
from web.multipart import read_upload
from web.routes.admin_common import form_of, read_version, text
from web.security import STREAMED_UPLOAD

UPLOAD = "/collaborations/{collaboration_id:int}/attachments"
ITEM = UPLOAD + "/{attachment_id:int}"
PORTAL_ITEM = "/portal/collaborations/{cid:int}/attachments/{attachment_id:int}"
REFUSED_TITLE = N_("The file was not attached")
NOT_A_FORM = N_("Send the file with the upload form on the collaboration page.")


def _section(collaboration_id: int, outcome: str) -> Redirect:
    return Redirect(
        f"/collaborations/{collaboration_id}?attachment={outcome}#attachments", status_code=303
    )


def _record(raw: str) -> RecordRef | None:
    """``memorandum:12``, ``plan:3`` or ``activity:40``; empty for the collaboration itself."""
    if not raw:
        return None
    kind, _, number = raw.partition(":")
    if kind not in {k.value for k in RecordKind} or not number.isdigit():
        raise InvalidInput({"record": N_("Choose a record of this collaboration.")})
    return RecordRef(RecordKind(kind), int(number))


def _refused(collaboration_id: int, exc: InvalidInput, limit_mb: int) -> Template:
    message = next(iter(exc.errors.values()), NOT_A_FORM)
    status = 413 if isinstance(exc, TooLarge) else 415 if isinstance(exc, WrongType) else 422
    return page(
        "attachment_refused.html",
        {
            "title": REFUSED_TITLE,
            "message": translate(message, current_locale.get(), limit=limit_mb),
            "back": f"/collaborations/{collaboration_id}#attachments",
        },
        status_code=status,
    )


@post(
    UPLOAD,
    guards=[requires(Permission.EDIT)],
    # Counted and cut off at MIMAMORI_MAX_UPLOAD_MB while streaming, not by litestar.
    request_max_body_size=None,
    opt={STREAMED_UPLOAD: True},
)
async def upload_attachment(
    request: Request, state: State, viewer: CurrentViewer, collaboration_id: FromPath[int]
) -> Redirect | Template:
    """Receive one file (``file``), for a record (``record``), shared or not (``shared``)."""
    service = AttachmentService(state.ctx, viewer.scope)
    await service.check(collaboration_id)  # 404 before a byte of the file is read
    try:
        form = await read_upload(request, service.receive, state.ctx.max_upload_bytes)
        if form.upload is None and not form.fields:
            raise InvalidInput({"file": NOT_A_FORM})
        try:
            record = _record(form.fields.get("record", "").strip())
        except InvalidInput:
            if form.upload is not None:
                form.upload.discard()
            raise
        await service.attach(
            collaboration_id,
            form.upload,
            form.filename,
            record,
            form.fields.get("shared", "") in ("1", "on", "true"),
            viewer.actor,
        )
    except InvalidInput as exc:
        return _refused(collaboration_id, exc, service.limit_mb)
    return _section(collaboration_id, "added")


def _download(attachment: Attachment, chunks: AsyncIterator[bytes]) -> Stream:
    return Stream(
        chunks,
        media_type=attachment.content_type or "application/octet-stream",
        headers={
            "content-disposition": content_disposition(attachment.name),
            "content-length": str(attachment.size),
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
        },
    )


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one in RFC 5987 form."""
    fallback = "".join(c if 32 < ord(c) < 127 and c not in '"\\;%' else "_" for c in name)
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"


@get(ITEM, guards=[requires(Permission.VIEW_PIPELINE)])
async def download_attachment(
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Stream:
    """The file, as a download, for staff who may see the collaboration."""
    service = AttachmentService(state.ctx, viewer.scope)
    return _download(*await service.open(collaboration_id, attachment_id))


@get(PORTAL_ITEM, guards=[requires(Permission.PORTAL)])
async def portal_download(
    state: State, viewer: CurrentViewer, cid: FromPath[int], attachment_id: FromPath[int]
) -> Stream:
    """A file the municipality shared, for the partner's own users; anything else is 404."""
    service = AttachmentService(state.ctx, viewer.scope)
    return _download(*await service.open(cid, attachment_id))


async def _change(
    request: Request, viewer: Viewer, service: AttachmentService, cid: int, aid: int
) -> tuple[int, str]:
    await service.get(cid, aid)  # 404 outside the viewer's networks, or removed
    form = await form_of(request)
    return read_version(form), text(form, "shared")


@post(ITEM + "/share", guards=[requires(Permission.EDIT)])
async def share_attachment(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Redirect:
    """Show the attachment to the partner's users (``shared=1``) or hide it again."""
    service = AttachmentService(state.ctx, viewer.scope)
    version, raw = await _change(request, viewer, service, collaboration_id, attachment_id)
    shared = raw in ("1", "on", "true")
    try:
        await service.share(collaboration_id, attachment_id, shared, version, viewer.actor)
    except VersionConflict:
        return _section(collaboration_id, "conflict")
    return _section(collaboration_id, "shared" if shared else "unshared")


@post(ITEM + "/remove", guards=[requires(Permission.EDIT)])
async def remove_attachment(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Redirect:
    """Remove the attachment from the list (kept, with who removed it, for the audit trail)."""
    service = AttachmentService(state.ctx, viewer.scope)
    version, _ = await _change(request, viewer, service, collaboration_id, attachment_id)
    try:
        await service.remove(collaboration_id, attachment_id, version, viewer.actor)
    except VersionConflict:
        return _section(collaboration_id, "conflict")
    return _section(collaboration_id, "removed")


ROUTES = [
    upload_attachment,
    download_attachment,
    portal_download,
    share_attachment,
    remove_attachment,
]

"""Attaching documents to a collaboration's records, sharing them with the partner, removing them.

The bytes are received into a temporary file by the caller (``receive``), then
``attach`` checks what they are, stores the row and its audit entry in one
transaction and moves the bytes into the file store just before the commit: a
failure before that leaves nothing, a failed commit at most an unreferenced
file under its hash (the same upload later reuses it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from engine.domain.access import EVERYTHING, Scope
from engine.domain.attachments import (
    NO_FILE,
    UNKNOWN_RECORD,
    Attachment,
    DocumentEvent,
    RecordRef,
    UploadRefused,
)
from engine.domain.users import Actor
from engine.errors import InvalidInput
from engine.files.detect import detect
from engine.files.names import safe_name
from engine.files.storage import Upload
from engine.services.context import Context
from engine.store.uow import reading, writing


class AttachmentService:
    """Attachments as the viewer's scope allows: staff see all, a partner the shared ones."""

    def __init__(self, ctx: Context, scope: Scope = EVERYTHING) -> None:
        self.ctx = ctx
        self.scope = scope

    @property
    def limit_mb(self) -> int:
        """The size limit in megabytes, for the form to show."""
        return max(1, self.ctx.max_upload_bytes // 2**20)

    async def check(self, collaboration_id: int) -> None:
        """NotFound unless the collaboration is visible: asked before any byte is received."""
        async with reading(self.ctx.db) as uow:
            await uow.records.load_file(collaboration_id, scope=self.scope)

    def receive(self) -> Upload:
        """A temporary file for an upload, cut off at the size limit."""
        return self.ctx.files.begin(self.ctx.max_upload_bytes)

    async def attach(
        self,
        collaboration_id: int,
        upload: Upload | None,
        name: str,
        record: RecordRef | None,
        shared: bool,
        actor: Actor,
    ) -> Attachment:
        """Keep a received file with the collaboration (or one of its records), audited."""
        if upload is None:
            raise UploadRefused(NO_FILE)
        try:
            sha256 = await asyncio.to_thread(upload.finish)
            detected = await asyncio.to_thread(detect, upload.path)
            now = self.ctx.clock.now()
            async with writing(self.ctx.db) as uow:
                await uow.records.load_file(collaboration_id, lock=True, scope=self.scope)
                if record is not None and not await uow.attachments.record_exists(
                    collaboration_id, record
                ):
                    raise InvalidInput({"record": UNKNOWN_RECORD})
                attachment = Attachment(
                    id=0,
                    collaboration_id=collaboration_id,
                    record=record,
                    name=safe_name(name),
                    content_type=detected.content_type,
                    size=upload.size,
                    sha256=sha256,
                    uploaded_by=actor.id,
                    uploaded_by_name=actor.name,
                    uploaded_at=now,
                    shared_with_partner=shared,
                    version=1,
                )
                new_id = await uow.attachments.add(attachment)
                await uow.audit.record(
                    now,
                    actor,
                    "attachment.add",
                    "collaboration",
                    collaboration_id,
                    attachment_id=new_id,
                    name=attachment.name,
                    size=attachment.size,
                    sha256=sha256,
                    shared=shared,
                )
                await self.ctx.files.keep(upload, sha256)
        finally:
            upload.discard()
        return await self.get(collaboration_id, new_id)

    async def list(self, collaboration_id: int) -> list[Attachment]:
        """The collaboration's attachments, newest first; NotFound outside the scope."""
        async with reading(self.ctx.db) as uow:
            await uow.records.load_file(collaboration_id, scope=self.scope)
            return await uow.attachments.list(collaboration_id, self.scope)

    async def events(self, collaboration_id: int) -> list[DocumentEvent]:
        """When documents were attached and removed, for the staff's history of the card."""
        async with reading(self.ctx.db) as uow:
            await uow.records.load_file(collaboration_id, scope=self.scope)
            return await uow.attachments.events(collaboration_id)

    async def get(self, collaboration_id: int, attachment_id: int) -> Attachment:
        """One attachment; NotFound if removed, not shared (for a partner) or not visible."""
        async with reading(self.ctx.db) as uow:
            return await uow.attachments.get(collaboration_id, attachment_id, self.scope)

    async def open(
        self, collaboration_id: int, attachment_id: int
    ) -> tuple[Attachment, AsyncIterator[bytes]]:
        """The attachment and its bytes, in chunks."""
        attachment = await self.get(collaboration_id, attachment_id)
        return attachment, self.ctx.files.read(attachment.sha256)

    async def share(
        self,
        collaboration_id: int,
        attachment_id: int,
        shared: bool,
        expected_version: int,
        actor: Actor,
    ) -> int:
        """Show the attachment to the partner's users, or hide it again; the new version."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            found = await uow.attachments.get(collaboration_id, attachment_id, self.scope)
            version = await uow.attachments.share(attachment_id, expected_version, shared)
            await uow.audit.record(
                now,
                actor,
                "attachment.share",
                "collaboration",
                collaboration_id,
                attachment_id=attachment_id,
                name=found.name,
                shared=shared,
            )
        return version

    async def remove(
        self, collaboration_id: int, attachment_id: int, expected_version: int, actor: Actor
    ) -> None:
        """Remove the attachment from view; the row and the bytes stay for the audit trail."""
        now = self.ctx.clock.now()
        async with writing(self.ctx.db) as uow:
            found = await uow.attachments.get(collaboration_id, attachment_id, self.scope)
            await uow.attachments.remove(attachment_id, expected_version, now, actor)
            await uow.audit.record(
                now,
                actor,
                "attachment.remove",
                "collaboration",
                collaboration_id,
                attachment_id=attachment_id,
                name=found.name,
                sha256=found.sha256,
            )

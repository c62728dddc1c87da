"""Attachments on SQLite and PostgreSQL: the file store, the rows, scopes, records and the audit."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from engine.domain.access import Scope
from engine.domain.attachments import RecordKind, RecordRef, TooLarge, WrongType
from engine.domain.collaboration import Activity, ActivityKind, Memorandum
from engine.errors import InvalidInput, NotFound, VersionConflict
from engine.files.storage import LocalFiles
from engine.services import CollaborationService, RecordService
from engine.services.attachments import AttachmentService
from engine.store.uow import reading
from tests.integration import builders

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def files(ctx, tmp_path) -> LocalFiles:
    ctx.files = LocalFiles(tmp_path / "files")
    ctx.max_upload_bytes = 64 * 1024
    return ctx.files


def _stored(files: LocalFiles) -> list[str]:
    return sorted(p.name for p in files.root.rglob("*") if p.is_file())


async def _attach(ctx, cid, data=PDF, name="覚書.pdf", record=None, shared=False, scope=None):
    service = AttachmentService(ctx, scope or Scope(everything=True))
    upload = service.receive()
    upload.write(data)
    return await service.attach(cid, upload, name, record, shared, builders.COORDINATOR)


async def test_an_attachment_is_stored_under_its_hash_with_its_row_and_audit(ctx, files):
    cid = await builders.candidate(ctx)
    found = await _attach(ctx, cid, name="../../覚書\u202egpj.pdf")
    sha = hashlib.sha256(PDF).hexdigest()
    assert (found.sha256, found.size, found.content_type) == (sha, len(PDF), "application/pdf")
    assert found.name == "覚書 gpj.pdf" and found.uploaded_at == ctx.clock.now()
    assert files.path_of(sha) == files.root / sha[:2] / sha[2:4] / sha
    assert _stored(files) == [sha]  # nothing left in tmp
    attachment, chunks = await AttachmentService(ctx).open(cid, found.id)
    assert b"".join([c async for c in chunks]) == PDF and attachment == found
    async with reading(ctx.db) as uow:
        entries = await uow.audit.for_entity("collaboration", cid)
    added = [e for e in entries if e.action == "attachment.add"]
    assert [e.detail["attachment_id"] for e in added] == [found.id]


async def test_equal_files_are_stored_once_and_kept_while_referenced(ctx, files):
    cid = await builders.candidate(ctx)
    first = await _attach(ctx, cid)
    second = await _attach(ctx, cid, name="copy.pdf")
    assert first.sha256 == second.sha256 and len(_stored(files)) == 1
    service = AttachmentService(ctx)
    assert [a.id for a in await service.list(cid)] == [second.id, first.id]
    await service.remove(cid, first.id, first.version, builders.COORDINATOR)
    with pytest.raises(NotFound):
        await service.get(cid, first.id)
    with pytest.raises(VersionConflict):  # removed already: nothing to change
        await service.remove(cid, second.id, 5, builders.COORDINATOR)
    # Removal is soft: the row and the bytes stay for the audit trail.
    async with reading(ctx.db) as uow:
        entries = await uow.audit.for_entity("collaboration", cid)
    assert [e.detail["attachment_id"] for e in entries if e.action == "attachment.remove"] == [
        first.id
    ]
    assert _stored(files) == [first.sha256]


async def test_refused_uploads_leave_nothing_behind(ctx, files):
    cid = await builders.candidate(ctx)
    with pytest.raises(WrongType):
        await _attach(ctx, cid, data=b"\x7fELF\x02\x01\x01" + b"\x00" * 64, name="plan.pdf")
    upload = AttachmentService(ctx).receive()
    with pytest.raises(TooLarge):
        upload.write(b"%PDF-" + b"0" * ctx.max_upload_bytes)
    with pytest.raises(NotFound):
        await _attach(ctx, 999999)
    assert _stored(files) == []
    assert await AttachmentService(ctx).list(cid) == []


async def test_an_attachment_belongs_to_a_record_of_its_own_collaboration(ctx, files):
    cid = await builders.candidate(ctx)
    other = await builders.candidate(ctx, "あおば運輸")
    records = RecordService(ctx)
    meeting = await records.log_activity(
        Activity(None, cid, ActivityKind.HEARING, date(2026, 4, 3), "ヒアリング"),
        builders.COORDINATOR,
    )
    elsewhere = await records.log_activity(
        Activity(None, other, ActivityKind.VISIT, date(2026, 4, 3), "訪問"), builders.COORDINATOR
    )
    assert meeting.id is not None and elsewhere.id is not None
    kept = await _attach(ctx, cid, record=RecordRef(RecordKind.ACTIVITY, meeting.id))
    assert kept.record == RecordRef(RecordKind.ACTIVITY, meeting.id)
    for wrong in (
        RecordRef(RecordKind.ACTIVITY, elsewhere.id),
        RecordRef(RecordKind.MEMORANDUM, cid),  # none recorded yet
        RecordRef(RecordKind.PLAN, 1),
    ):
        with pytest.raises(InvalidInput):
            await _attach(ctx, cid, record=wrong)
    await records.save_memorandum(
        cid, Memorandum(date(2026, 4, 3), "市長", "理事長"), builders.COORDINATOR
    )
    memo = await _attach(ctx, cid, record=RecordRef(RecordKind.MEMORANDUM, cid))
    assert memo.record == RecordRef(RecordKind.MEMORANDUM, cid)


async def test_scopes_see_only_their_own_and_partners_only_the_shared(ctx, files):
    cid = await builders.candidate(ctx)
    file = await CollaborationService(ctx).file(cid)
    internal = await _attach(ctx, cid, name="internal.pdf")
    handout = await _attach(ctx, cid, data=PDF + b"%2", name="handout.pdf", shared=True)
    network = Scope(network_ids=frozenset({file.collaboration.network_id}))
    partner = Scope(partner_id=file.partner.id)
    stranger = Scope(network_ids=frozenset({999999}))
    assert {a.id for a in await AttachmentService(ctx, network).list(cid)} == {
        internal.id,
        handout.id,
    }
    assert [a.id for a in await AttachmentService(ctx, partner).list(cid)] == [handout.id]
    with pytest.raises(NotFound):
        await AttachmentService(ctx, partner).get(cid, internal.id)
    with pytest.raises(NotFound):
        await AttachmentService(ctx, Scope(partner_id=-1)).get(cid, handout.id)
    for call in (
        AttachmentService(ctx, stranger).list(cid),
        AttachmentService(ctx, stranger).get(cid, internal.id),
        AttachmentService(ctx, stranger).share(cid, internal.id, True, 1, builders.COORDINATOR),
        _attach(ctx, cid, scope=stranger),
    ):
        with pytest.raises(NotFound):
            await call
    version = await AttachmentService(ctx, network).share(
        cid, internal.id, True, internal.version, builders.COORDINATOR
    )
    assert version == internal.version + 1
    assert len(await AttachmentService(ctx, partner).list(cid)) == 2

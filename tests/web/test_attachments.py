"""Attachments through the browser: upload, list, download, share, remove, and what is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.store.database import Database
from tests.web.conftest import csrf_of, login

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n" * 20
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


async def _token(client, cid: int) -> str:
    return csrf_of((await client.get(f"/collaborations/{cid}")).text)


async def _upload(client, cid: int, name: str, data: bytes, *, record: str = "", shared=False):
    form = {"_csrf": await _token(client, cid), "record": record}
    if shared:
        form["shared"] = "1"
    return await client.post(
        f"/collaborations/{cid}/attachments",
        data=form,
        files={"file": (name, data, "application/pdf")},
        follow_redirects=False,
    )


async def _ids(world_url: str) -> list[int]:
    db = Database(world_url)
    async with db.read() as conn:
        rows = await conn.exec_driver_sql("SELECT id FROM attachments ORDER BY id")
        found = [r[0] for r in rows]
    await db.dispose()
    return found


async def _audit(world_url: str) -> list[str]:
    db = Database(world_url)
    async with db.read() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT action FROM audit_log WHERE action LIKE 'attachment.%' ORDER BY id"
        )
        found = [r[0] for r in rows]
    await db.dispose()
    return found


def _stored(settings) -> list[Path]:
    root: Path = settings.files_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_upload_lists_and_downloads_the_same_bytes(as_role, world, world_url, settings):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    response = await _upload(client, cid, "覚書（署名済）.pdf", PDF)
    assert response.status_code == 303
    assert response.headers["location"] == f"/collaborations/{cid}?attachment=added#attachments"
    page = (await client.get(f"/collaborations/{cid}?attachment=added")).text
    assert "覚書（署名済）.pdf" in page and "coordinator さん" in page
    [aid] = await _ids(world_url)
    assert f"/collaborations/{cid}/attachments/{aid}" in page

    download = await client.get(f"/collaborations/{cid}/attachments/{aid}")
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"_______.pdf\"; filename*=UTF-8''"
        "%E8%A6%9A%E6%9B%B8%EF%BC%88%E7%BD%B2%E5%90%8D%E6%B8%88%EF%BC%89.pdf"
    )
    sha = hashlib.sha256(PDF).hexdigest()
    # Content-addressed, sharded, and no temporary file left behind.
    assert _stored(settings) == [settings.files_dir / sha[:2] / sha[2:4] / sha]
    assert await _audit(world_url) == ["attachment.add"]


async def test_an_attachment_belongs_to_a_record_of_the_collaboration(as_role, world, world_url):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    refused = await _upload(client, cid, "plan.pdf", PDF, record="plan:999999")
    assert refused.status_code == 422
    assert await _ids(world_url) == []
    ok = await _upload(client, cid, "plan.pdf", PDF, record="")
    assert ok.status_code == 303


async def test_a_program_named_pdf_is_refused_and_nothing_is_kept(
    as_role, world, world_url, settings
):
    client = await as_role("coordinator")
    response = await _upload(client, world.collaborations["A"], "覚書.pdf", PROGRAM)
    assert response.status_code == 415
    assert "プログラム" in response.text
    assert await _ids(world_url) == [] and _stored(settings) == []


async def test_a_file_over_the_limit_is_refused_while_streaming(
    as_role, world, world_url, settings
):
    client = await as_role("coordinator")
    big = b"%PDF-1.7\n" + b"0" * (settings.max_upload_mb * 2**20)
    response = await _upload(client, world.collaborations["A"], "big.pdf", big)
    assert response.status_code == 413
    assert f"{settings.max_upload_mb} MB" in response.text
    assert await _ids(world_url) == [] and _stored(settings) == []


async def test_a_path_in_the_file_name_is_made_harmless(as_role, world, world_url, settings):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    response = await _upload(client, cid, "../../etc/passwd", "議事次第\n1. 挨拶\n".encode())
    assert response.status_code == 303
    [aid] = await _ids(world_url)
    download = await client.get(f"/collaborations/{cid}/attachments/{aid}")
    assert download.headers["content-type"].startswith("text/plain")
    assert download.headers["content-disposition"].startswith('attachment; filename="passwd"')
    assert all(settings.files_dir in p.parents for p in _stored(settings))


async def test_the_csrf_token_must_come_first_in_an_upload(as_role, world, world_url):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    token = await _token(client, cid)
    # httpx writes the plain fields first; without _csrf at all the upload is refused.
    missing = await client.post(
        f"/collaborations/{cid}/attachments",
        data={"record": ""},
        files={"file": ("a.pdf", PDF, "application/pdf")},
    )
    assert missing.status_code == 403
    late = await client.post(
        f"/collaborations/{cid}/attachments",
        data={"record": "", "_csrf": token},
        files={"file": ("a.pdf", PDF, "application/pdf")},
    )
    assert late.status_code == 403
    assert await _ids(world_url) == []


async def test_share_and_remove_need_the_current_version_and_are_audited(as_role, world, world_url):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    await _upload(client, cid, "handout.pdf", PDF)
    [aid] = await _ids(world_url)
    base = f"/collaborations/{cid}/attachments/{aid}"
    token = await _token(client, cid)
    stale = await client.post(
        f"{base}/share",
        data={"_csrf": token, "shared": "1", "version": "7"},
        follow_redirects=False,
    )
    assert stale.headers["location"].endswith("?attachment=conflict#attachments")
    shared = await client.post(
        f"{base}/share",
        data={"_csrf": token, "shared": "1", "version": "1"},
        follow_redirects=False,
    )
    assert shared.headers["location"].endswith("?attachment=shared#attachments")
    removed = await client.post(
        f"{base}/remove", data={"_csrf": token, "version": "2"}, follow_redirects=False
    )
    assert removed.headers["location"].endswith("?attachment=removed#attachments")
    assert (await client.get(base)).status_code == 404
    page = (await client.get(f"/collaborations/{cid}?lang=en")).text
    assert f'href="{base}"' not in page  # no longer offered for download
    assert await _audit(world_url) == ["attachment.add", "attachment.share", "attachment.remove"]
    # The history keeps both: when it came, and when it went and by whom.
    history = page[page.index('id="h-history"') : page.index('id="h-activities"')]
    assert "Document attached" in history and "Document removed" in history
    assert history.count("handout.pdf") == 2 and "coordinator さん" in history


async def test_administrators_read_but_do_not_upload(as_role, client, world, world_url):
    coordinator = await as_role("coordinator")
    cid = world.collaborations["A"]
    await _upload(coordinator, cid, "memo.pdf", PDF)
    [aid] = await _ids(world_url)
    await client.post("/logout", data={"_csrf": await _token(client, cid)})
    admin = await as_role("admin")
    assert (await admin.get(f"/collaborations/{cid}/attachments/{aid}")).content == PDF
    assert (await _upload(admin, cid, "x.pdf", PDF)).status_code == 403
    assert "Attach the file" not in (await admin.get(f"/collaborations/{cid}?lang=en")).text


async def test_another_networks_attachment_answers_404(client, world, world_url):
    await login(client, world.emails["coordinator"])
    cid = world.collaborations["A"]
    await _upload(client, cid, "memo.pdf", PDF)
    [aid] = await _ids(world_url)
    token = csrf_of((await client.get(f"/collaborations/{cid}")).text)
    await client.post("/logout", data={"_csrf": token})
    await login(client, world.emails["aoba"])
    token = csrf_of((await client.get("/board")).text)
    base = f"/collaborations/{cid}/attachments"
    assert (await client.get(f"{base}/{aid}")).status_code == 404
    assert (await _upload_with(client, cid, token)).status_code == 404
    for action in ("share", "remove"):
        answer = await client.post(f"{base}/{aid}/{action}", data={"_csrf": token, "version": "1"})
        assert answer.status_code == 404
    # Its own collaboration's id with another's attachment id: still not found.
    own = world.collaborations["B"]
    assert (await client.get(f"/collaborations/{own}/attachments/{aid}")).status_code == 404
    assert await _audit(world_url) == ["attachment.add"]


async def _upload_with(client, cid: int, token: str):
    return await client.post(
        f"/collaborations/{cid}/attachments",
        data={"_csrf": token},
        files={"file": ("x.pdf", PDF, "application/pdf")},
    )


async def test_partner_users_see_only_the_shared_attachments_of_their_own(client, world, world_url):
    await login(client, world.emails["coordinator"])
    cid = world.collaborations["A"]
    await _upload(client, cid, "internal-notes.pdf", PDF)
    await _upload(client, cid, "handout.pdf", PDF + b"%shared", shared=True)
    internal, handout = await _ids(world_url)
    await client.post("/logout", data={"_csrf": await _token(client, cid)})

    await login(client, world.emails["partner"])
    portal = (await client.get(f"/portal/collaborations/{cid}")).text
    assert "handout.pdf" in portal and "internal-notes.pdf" not in portal
    base = f"/portal/collaborations/{cid}/attachments"
    shared = await client.get(f"{base}/{handout}")
    assert shared.status_code == 200 and shared.content == PDF + b"%shared"
    assert shared.headers["content-disposition"].startswith("attachment;")
    assert (await client.get(f"{base}/{internal}")).status_code == 404
    # The staff URL is not theirs at all.
    assert (await client.get(f"/collaborations/{cid}/attachments/{handout}")).status_code == 403
    token = csrf_of((await client.get("/portal")).text)
    await client.post("/logout", data={"_csrf": token})

    await login(client, world.emails["partner_b"])
    assert (await client.get(f"{base}/{handout}")).status_code == 404


async def test_other_multipart_forms_still_reach_their_handler_whole(as_role, world):
    """The CSRF check peeks at a multipart body and hands all of it on, _csrf first or not."""
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    token = await _token(client, cid)
    for fields in (
        {"_csrf": token, "owner_id": "abc", "version": "1"},
        {"owner_id": "abc", "version": "1", "_csrf": token},
    ):
        response = await client.post(
            f"/collaborations/{cid}/owner",
            data=fields,
            files={"note": ("note.txt", b"x" * 70_000, "text/plain")},
            follow_redirects=False,
        )
        # "not_staff" answers the unreadable owner id: the handler saw the fields.
        assert response.headers["location"] == f"/collaborations/{cid}?problem=not_staff"

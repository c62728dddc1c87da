"""A 15 MB scan goes through when the limit allows it, past litestar's default body limit."""

from __future__ import annotations

import dataclasses

import pytest

from tests.web.test_attachments import _ids, _upload


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, max_upload_mb=20)


async def test_a_large_scan_streams_through_within_the_setting(as_role, world, world_url):
    client = await as_role("coordinator")
    cid = world.collaborations["A"]
    scan = b"%PDF-1.7\n" + b"0" * (15 * 2**20)
    response = await _upload(client, cid, "署名済み覚書.pdf", scan)
    assert response.status_code == 303
    [aid] = await _ids(world_url)
    assert (await client.get(f"/collaborations/{cid}/attachments/{aid}")).content == scan

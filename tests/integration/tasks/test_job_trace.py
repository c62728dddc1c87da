"""A worker's jobs log with their name and id, and their audit entries carry ``job:<id>``."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

from engine.domain.users import SYSTEM
from engine.logs import JsonFormatter
from engine.store.read.audit_log import AuditFilter, audit_page
from engine.store.uow import writing
from tests.integration.tasks.test_worker import (  # noqa: F401
    REMINDER_DAY,
    _run,
    _worker,
    redis_url,
)


async def test_job_lines_and_audit_entries_name_the_job(sqlite_db, smtp, redis_url):  # noqa: F811
    async with writing(sqlite_db) as uow:  # a login record past its time, for retention
        await uow.audit.record(REMINDER_DAY - timedelta(days=400), SYSTEM, "auth.login", "user", 1)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        await _run(_worker(sqlite_db, smtp, redis_url))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = [json.loads(row) for row in stream.getvalue().splitlines()]
    retention = [line for line in lines if line["message"].startswith("retention:")]
    assert retention, lines
    (line,) = retention
    assert line["job"] == "apply_retention"
    assert line["request_id"] == f"job:{line['job_id']}"
    # arq's own line at the end of the job carries the same trace.
    ended = [
        other
        for other in lines
        if other["logger"] == "arq.worker" and other.get("job_id") == line["job_id"]
    ]
    assert any("←" in other["message"] and other["job"] == "apply_retention" for other in ended)
    found = await audit_page(sqlite_db, AuditFilter(action="retention.run"))
    assert [e.request_id for e in found.entries] == [line["request_id"]]

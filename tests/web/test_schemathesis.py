"""Schemathesis against the OpenAPI document: no server errors, no undocumented answers.

A coordinator's token drives every operation with generated requests (valid
and invalid ones); each answer must be a documented status with a body and
content type matching the document.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from engine.clock import FixedClock
from engine.config import Settings
from engine.domain.users import SYSTEM
from engine.services import Context
from engine.services.accounts import AccountService
from engine.store.database import Database
from engine.store.sessions import DatabaseSessions
from tests.web.world import NOW, build_world
from web.app import create_app
from workflows.collaboration import COLLABORATION

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _world_with_token(url: str) -> str:
    """The test world, and a new API token for its coordinator."""
    world = await build_world(url)
    db = Database(url)
    try:
        accounts = AccountService(
            Context(db=db, workflow=COLLABORATION, clock=FixedClock(NOW)), DatabaseSessions(db)
        )
        return await accounts.create_token(world.emails["coordinator"], "schemathesis", SYSTEM)
    finally:
        await db.dispose()


# pytest 9 broke schemathesis' lazy ``from_fixture`` loader, so the schema is read from the app
# at import; the app touches its database only when the first request starts it, after the
# fixture below has built the world there.
FOLDER = Path(tempfile.gettempdir()) / f"mimamori-schemathesis-{os.getpid()}"
APP = create_app(
    Settings(
        database_url=f"sqlite:///{FOLDER / 'api.db'}",
        allowed_hosts=("testserver",),
        mail_dir=FOLDER / "mail",
    ),
    FixedClock(NOW),
)
schema = schemathesis.openapi.from_dict(APP.openapi_schema.to_schema())
schema.app = APP


@pytest.fixture(scope="module")
def api_token() -> Iterator[str]:
    """A coordinator's API token for the app's world; the world is removed afterwards."""
    shutil.rmtree(FOLDER, ignore_errors=True)  # left over by a killed run with the same pid
    FOLDER.mkdir()
    try:
        token = asyncio.run(_world_with_token(f"sqlite:///{FOLDER / 'api.db'}"))
        served = schemathesis.openapi.from_asgi("/schema/openapi.json", APP)
        assert served.raw_schema == schema.raw_schema  # what is tested is what is served
        yield token
    finally:
        shutdown_lifespans()  # schemathesis keeps the app started until told
        shutil.rmtree(FOLDER)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_to_its_document(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=CHECKS)

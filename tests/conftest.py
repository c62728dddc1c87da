"""Shared test settings: the real services and how their absence is handled."""

from __future__ import annotations

import os
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get(
    "MIMAMORI_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
# Test processes run side by side (pytest-xdist): each flushes a Redis database of its own,
# counting down from 15 (gw0 gets 15, gw1 14, ...).
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get(
    "MIMAMORI_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _XDIST_INDEX % 16}"
)


def reachable(host: str, port: int) -> bool:
    """True when something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip the test when a service is down; under CI=true fail instead."""
    if reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: services are required)")
    pytest.skip(f"{message}; start it to run this test")

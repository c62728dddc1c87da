"""`mimamori serve` as an operator runs it behind a reverse proxy: whose address is the client's."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

FORWARDED = "203.0.113.7"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _failed_login_from_behind_a_proxy(tmp_path: Path, trusted: str) -> str:
    """Serve with MIMAMORI_TRUSTED_PROXIES=``trusted``, fail a login sent with
    X-Forwarded-For, and return the client address the server recorded."""
    database = tmp_path / f"{trusted.replace('/', '_')}.db"
    env = {
        "PATH": "/usr/bin:/bin",
        "MIMAMORI_DATABASE_URL": f"sqlite:///{database}",
        "MIMAMORI_MAIL_DIR": str(tmp_path / "mail"),
        "MIMAMORI_TRUSTED_PROXIES": trusted,
    }
    upgrade = subprocess.run(
        [sys.executable, "-m", "mimamori", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mimamori", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(100):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("mimamori serve did not answer /healthz")
            login = client.get("/login")
            token = login.text.split('name="_csrf" value="')[1].split('"')[0]
            refused = client.post(
                "/login",
                data={"email": "nobody@example.jp", "password": "wrong-password", "_csrf": token},
                headers={"X-Forwarded-For": FORWARDED},
            )
            assert refused.status_code in (200, 401, 422)
    finally:
        server.terminate()
        server.wait(timeout=15)
    with closing(sqlite3.connect(database)) as conn:
        (client_address,) = conn.execute("SELECT client FROM login_failures").fetchone()
    return client_address


def test_behind_a_trusted_proxy_the_forwarded_client_is_the_one_throttled(tmp_path):
    assert _failed_login_from_behind_a_proxy(tmp_path, "127.0.0.1") == FORWARDED


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(tmp_path):
    # The request comes from 127.0.0.1, which is not the configured proxy.
    assert _failed_login_from_behind_a_proxy(tmp_path, "192.0.2.10") == "127.0.0.1"

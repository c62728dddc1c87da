"""`mimamori serve` with MIMAMORI_LOG_FORMAT=json: every line it writes is one JSON object."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.mimamori.test_serve import _free_port

CALENDAR_TOKEN = "not-a-real-calendar-token-0123456789"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "MIMAMORI_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "MIMAMORI_MAIL_DIR": str(tmp_path / "mail"),
        "MIMAMORI_LOG_FORMAT": "json",
        "MIMAMORI_SCAN_INTERVAL": "3600",
    }


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_writes_json_lines_with_the_request_id(tmp_path, workers):
    env = _env(tmp_path)
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
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mimamori",
                "serve",
                "--port",
                str(port),
                "--workers",
                f"{workers}",
            ],
            env=env,
            cwd=tmp_path,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                for _ in range(150):
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                else:
                    pytest.fail("mimamori serve did not answer /healthz")
                # From 127.0.0.1, a trusted proxy by default: its id is kept.
                login = client.get("/login", headers={"X-Request-ID": "from-the-proxy-01"})
                feed = client.get(f"/calendar/{CALENDAR_TOKEN}/due.ics")
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert login.headers["x-request-id"] == "from-the-proxy-01"
    assert feed.status_code == 404 and len(feed.headers["x-request-id"]) == 32
    lines = [json.loads(line) for line in err.read_text().splitlines() if line.strip()]
    assert out.read_text().splitlines() == [f"Mimamori: http://127.0.0.1:{port}/board"]
    loggers = {line["logger"] for line in lines}
    assert "uvicorn.error" in loggers  # uvicorn's own lines are JSON too
    assert "uvicorn.access" not in loggers  # replaced by the app's access line
    access = {line["request_id"]: line for line in lines if line["logger"] == "mimamori.access"}
    assert access["from-the-proxy-01"]["route"] == "/login"
    assert access["from-the-proxy-01"]["status"] == 200
    assert {"time", "level", "duration_ms"} <= access["from-the-proxy-01"].keys()
    assert access[feed.headers["x-request-id"]]["route"] == "/calendar/{token}/due.ics"
    assert CALENDAR_TOKEN not in err.read_text()  # the route template, never the path

"""`mimamori serve --workers 2`: both web processes' requests in one /metrics answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.mimamori.test_serve import _free_port

WORKERS = 2


def _workers(supervisor: int) -> set[int]:
    """The pids of the serving processes that uvicorn's supervisor started, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == supervisor and state != "Z" and b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


def _healthz(base: str) -> bool:
    """One request on a connection of its own (so that either process may take it)."""
    try:
        return httpx.get(f"{base}/healthz", timeout=5, trust_env=False).status_code == 200
    except httpx.TransportError:
        return False


def _served_healthz(base: str) -> float:
    answer = httpx.get(f"{base}/metrics", timeout=10, trust_env=False)
    assert answer.status_code == 200, answer.text
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            if sample.name == "mimamori_http_requests_total" and sample.labels == {
                "route": "/healthz",
                "method": "GET",
                "status": "200",
            }:
                return sample.value
    raise AssertionError(f"no /healthz requests counted:\n{answer.text}")


def _wait_for(condition, what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen:\n{log.read_text(errors='replace')}")


def test_both_web_processes_are_summed_and_a_killed_ones_requests_stay_counted(tmp_path):
    database = tmp_path / "web.db"
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_4242.db").write_bytes(b"left by an earlier run")  # must not be read
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "MIMAMORI_DATABASE_URL": f"sqlite:///{database}",
        "MIMAMORI_MAIL_DIR": str(tmp_path / "mail"),
        "MIMAMORI_METRICS_DIR": str(folder),
    }
    command = [sys.executable, "-m", "mimamori"]
    upgrade = subprocess.run(
        [*command, "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, timeout=120
    )
    assert upgrade.returncode == 0, upgrade.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "serve", "--workers", str(WORKERS), "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=out,
        )
    try:
        _wait_for(lambda: len(_workers(server.pid)) == WORKERS and _healthz(base), "start-up", log)
        sent = 1  # the request that found it up
        assert not (folder / "counter_4242.db").exists()
        first = _workers(server.pid)

        def both_served() -> bool:
            nonlocal sent
            with ThreadPoolExecutor(8) as pool:
                sent += sum(pool.map(lambda _: _healthz(base), range(16)))
            return all((folder / f"counter_{pid}.db").exists() for pid in first)

        _wait_for(both_served, "requests reaching both processes", log)
        assert _served_healthz(base) == sent

        victim = min(first)
        assert (folder / f"gauge_livesum_{victim}.db").exists()
        os.kill(victim, signal.SIGKILL)
        _wait_for(
            lambda: len(_workers(server.pid)) == WORKERS and victim not in _workers(server.pid),
            "a replacement process",
            log,
        )
        # The dead process's requests still count; its live-only pool figure does not.
        assert _served_healthz(base) == sent
        assert not (folder / f"gauge_livesum_{victim}.db").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

"""The mimamori command as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from engine.store import migrate


def _mimamori(*args: str, env: dict[str, str], cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mimamori", *args],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_db_upgrade_creates_the_schema_and_reports_the_revision(tmp_path):
    env = {"MIMAMORI_DATABASE_URL": f"sqlite:///{tmp_path}/data/m.db"}
    done = _mimamori("db", "upgrade", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    head = migrate.head_revision()
    assert f"database at revision {head}" in done.stdout
    current = _mimamori("db", "current", env=env, cwd=tmp_path)
    assert f"database at revision {head}; code head {head}" in current.stdout


def test_a_bad_setting_is_a_one_line_error_naming_the_variable(tmp_path):
    done = _mimamori("db", "upgrade", env={"MIMAMORI_DATABASE_URL": "mysql://x"}, cwd=tmp_path)
    assert done.returncode == 2
    error_lines = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert error_lines == [
        "Error: MIMAMORI_DATABASE_URL='mysql://x' is not valid: "
        "expected a sqlite:/// or postgresql:// URL"
    ]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [("serve",), ("worker",), ("db", "upgrade")])
def test_postgresql_without_its_driver_names_the_extra_to_install(tmp_path, command):
    # As after a plain `pip install mimamori`: asyncpg cannot be imported.
    hide_asyncpg = (
        "import sys; sys.modules['asyncpg'] = None; "
        "from mimamori.cli import main; sys.argv[0] = 'mimamori'; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", hide_asyncpg, *command],
        env={
            **os.environ,
            "MIMAMORI_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/mimamori",
            "MIMAMORI_REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: MIMAMORI_DATABASE_URL: PostgreSQL needs its driver, which is not installed: "
        "pip install 'mimamori[postgres]'"
    )

"""``mimamori backup`` and ``mimamori restore`` as an operator runs them, refusals included."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from engine.store import migrate
from engine.store.database import Database

HEAD = migrate.head_revision()


def _mimamori(*args: str, url: str, cwd: Path, path: str = "/usr/bin:/bin"):
    return subprocess.run(
        [sys.executable, "-m", "mimamori", *args],
        env={"PATH": path, "MIMAMORI_DATABASE_URL": url},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _error(done: subprocess.CompletedProcess[str]) -> str:
    """The command's one error line (and no traceback)."""
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    return errors[0]


def _rows(path: Path) -> dict[str, int]:
    """Rows per table, read straight from the file."""
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def _content(path: Path) -> str:
    """A digest of every row of the database (the file's bytes may move with WAL)."""
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """A SQLite database with the demo in it, built once for the module."""
    folder = tmp_path_factory.mktemp("demo")
    done = _mimamori("demo", url=f"sqlite:///{folder / 'demo.db'}", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "demo.db"


@pytest.fixture
def source(tmp_path, demo_file) -> Path:
    path = tmp_path / "live" / "mimamori.db"
    path.parent.mkdir()
    shutil.copyfile(demo_file, path)
    return path


@pytest.fixture
def backup_file(tmp_path, source) -> Path:
    done = _mimamori("backup", "nightly.mimamori", url=f"sqlite:///{source}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "nightly.mimamori"


def test_a_backup_is_a_tar_with_its_manifest_first_and_restores_into_an_empty_database(
    tmp_path, source, backup_file
):
    with tarfile.open(backup_file) as tar:
        assert tar.getnames() == ["manifest.json", "database.sqlite"]
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["format"] == "mimamori-backup" and manifest["engine"] == "sqlite"
    assert manifest["schema_revision"] == HEAD and manifest["mimamori_version"]
    rows = _rows(source)
    assert {n: t["rows"] for n, t in manifest["tables"].items()} == rows
    assert backup_file.stat().st_mode & 0o077 == 0  # it holds password hashes: the owner's only

    target = tmp_path / "new" / "mimamori.db"
    done = _mimamori("restore", str(backup_file), url=f"sqlite:///{target}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"restored {backup_file}" in done.stdout and "everyone logs in again" in done.stdout
    assert "restoring: 100 %" in done.stderr
    assert _rows(target) == rows


def test_backup_refuses_an_existing_file_unless_forced_and_leaves_no_half_file(
    tmp_path, source, backup_file
):
    url = f"sqlite:///{source}"
    keep = tmp_path / "keep.mimamori"
    keep.write_text("yesterday's backup")
    done = _mimamori("backup", str(keep), url=url, cwd=tmp_path)
    assert done.returncode == 2
    assert _error(done) == (
        f"Error: {keep} exists: choose another name, or add --force to replace it"
    )
    assert keep.read_text() == "yesterday's backup"
    forced = _mimamori("backup", "--force", str(keep), url=url, cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert tarfile.is_tarfile(keep)

    missing = _mimamori("backup", "x.mimamori", url=f"sqlite:///{tmp_path}/none.db", cwd=tmp_path)
    assert missing.returncode == 2
    assert _error(missing) == f"Error: there is no SQLite database at {tmp_path}/none.db"
    no_folder = _mimamori("backup", "gone/x.mimamori", url=url, cwd=tmp_path)
    assert _error(no_folder) == "Error: the folder gone does not exist"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "keep.mimamori",
        "live",
        "nightly.mimamori",
    ]


def test_restore_refuses_a_database_with_data_and_replace_says_what_is_lost(
    tmp_path, source, backup_file
):
    conn = sqlite3.connect(source)
    conn.execute("UPDATE partners SET note = 'after the backup' WHERE id = 1")
    conn.commit()
    conn.close()
    before = _content(source)
    url = f"sqlite:///{source}"
    done = _mimamori("restore", str(backup_file), url=url, cwd=tmp_path)
    assert done.returncode == 2
    error = _error(done)
    assert error.startswith("Error: the database is not empty (")
    assert f"collaborations {_rows(source)['collaborations']}" in error
    assert error.endswith("nothing was changed: add --replace to replace it with the backup")
    assert _content(source) == before

    replaced = _mimamori("restore", "--replace", str(backup_file), url=url, cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert "these rows are lost" in replaced.stderr
    assert "replaced what the database held: " in replaced.stdout
    conn = sqlite3.connect(source)
    assert (
        conn.execute("SELECT note FROM partners WHERE id = 1").fetchone()[0] != "after the backup"
    )
    conn.close()


def test_a_schema_only_database_counts_as_empty(tmp_path, backup_file):
    url = f"sqlite:///{tmp_path}/fresh.db"
    assert _mimamori("db", "upgrade", url=url, cwd=tmp_path).returncode == 0
    done = _mimamori("restore", str(backup_file), url=url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def _damaged(tmp_path: Path, backup_file: Path) -> dict[str, Path]:
    raw = backup_file.read_bytes()
    files = {
        "text": b"id,name\n1,not a backup\n",
        "truncated": raw[: len(raw) // 2],
        # One byte inside the database payload (the middle of the file) flipped.
        "altered": raw[: len(raw) // 2]
        + bytes([raw[len(raw) // 2] ^ 0xFF])
        + raw[len(raw) // 2 + 1 :],
    }
    paths = {}
    for name, content in files.items():
        paths[name] = tmp_path / f"{name}.mimamori"
        paths[name].write_bytes(content)
    paths["other tar"] = tmp_path / "other.tar"
    with tarfile.open(paths["other tar"], "w") as tar:
        tar.add(backup_file, arcname="notes.txt")
    return paths


def test_restore_refuses_what_is_not_a_whole_backup_and_changes_nothing(tmp_path, backup_file):
    target = tmp_path / "target" / "mimamori.db"
    messages = {}
    for name, path in _damaged(tmp_path, backup_file).items():
        done = _mimamori("restore", path.name, url=f"sqlite:///{target}", cwd=tmp_path)
        assert done.returncode == 2, (name, done.stderr)
        messages[name] = _error(done)
        assert not target.exists(), name
        assert list(target.parent.iterdir()) == [], name  # no payload left behind
    assert messages["text"].startswith("Error: text.mimamori is not a Mimamori backup (not a tar")
    assert messages["other tar"] == (
        "Error: other.tar is not a Mimamori backup (no manifest.json first)"
    )
    assert messages["truncated"].startswith("Error: truncated.mimamori is truncated or damaged")
    assert messages["altered"] == (
        "Error: altered.mimamori is truncated or damaged: "
        "its payload does not match the manifest's SHA-256"
    )


def test_an_older_backup_is_upgraded_and_a_newer_one_refused(tmp_path):
    old = f"sqlite:///{tmp_path}/old.db"
    assert _mimamori("db", "upgrade", "--revision", "0006", url=old, cwd=tmp_path).returncode == 0
    assert _mimamori("backup", "old.mimamori", url=old, cwd=tmp_path).returncode == 0
    target = f"sqlite:///{tmp_path}/new.db"
    done = _mimamori("restore", "old.mimamori", url=target, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"schema upgraded from 0006 to {HEAD}" in done.stdout
    assert (
        f"database at revision {HEAD};"
        in _mimamori("db", "current", url=target, cwd=tmp_path).stdout
    )

    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("UPDATE alembic_version SET version_num = '0099'")  # as a newer Mimamori leaves it
    conn.commit()
    conn.close()
    assert _mimamori("backup", "newer.mimamori", url=old, cwd=tmp_path).returncode == 0
    refused = _mimamori("restore", "newer.mimamori", url=f"sqlite:///{tmp_path}/n.db", cwd=tmp_path)
    assert refused.returncode == 2
    assert _error(refused) == (
        f"Error: newer.mimamori has schema revision 0099, newer than this Mimamori knows "
        f"(its newest is {HEAD}): restore it with Mimamori 0.1.0 or newer; nothing was changed"
    )
    assert not (tmp_path / "n.db").exists()


def _pg_url(db: Database) -> str:
    return db.url.replace("+asyncpg", "")


@pytest.mark.postgres
def test_postgresql_backup_restore_and_the_other_engine_refused(tmp_path, postgres_db, backup_file):
    url = _pg_url(postgres_db)
    assert _mimamori("demo", url=url, cwd=tmp_path).returncode == 0
    done = _mimamori("backup", "pg.mimamori", url=url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "backup written to pg.mimamori: postgresql" in done.stdout
    assert "  history" in done.stderr.splitlines()  # pg_dump's progress, table by table

    refused = _mimamori("restore", "pg.mimamori", url=url, cwd=tmp_path)
    assert refused.returncode == 2 and "the database is not empty" in _error(refused)
    replaced = _mimamori("restore", "--replace", "pg.mimamori", url=url, cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert "checking every table against the manifest" in replaced.stderr

    into_sqlite = _mimamori(
        "restore", "pg.mimamori", url=f"sqlite:///{tmp_path}/s.db", cwd=tmp_path
    )
    assert _error(into_sqlite) == (
        "Error: pg.mimamori is a backup of a postgresql database and MIMAMORI_DATABASE_URL is "
        "sqlite: restore it into postgresql; nothing was changed"
    )
    into_pg = _mimamori("restore", "--replace", str(backup_file), url=url, cwd=tmp_path)
    assert into_pg.returncode == 2 and "is a backup of a sqlite database" in _error(into_pg)


@pytest.mark.postgres
def test_pg_dump_missing_or_of_another_version_is_one_line_and_no_file(tmp_path, postgres_db):
    url = _pg_url(postgres_db)
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    done = _mimamori("backup", "pg.mimamori", url=url, cwd=tmp_path, path=str(empty_bin))
    assert done.returncode == 1
    assert _error(done) == (
        "Error: pg_dump was not found on PATH: install the PostgreSQL 15 client tools "
        "(Debian: apt-get install postgresql-client-15)"
    )
    # A stand-in for another major version's pg_dump: it only answers --version.
    stub = empty_bin / "pg_dump"
    stub.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.11'\n")
    stub.chmod(0o755)
    done = _mimamori("backup", "pg.mimamori", url=url, cwd=tmp_path, path=f"{empty_bin}:/usr/bin")
    assert done.returncode == 1
    assert _error(done) == (
        f"Error: {stub} is version 14.11 but the server is PostgreSQL 15: put pg_dump 15 first "
        "on PATH (Debian: /usr/lib/postgresql/15/bin)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]

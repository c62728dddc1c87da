"""PostgreSQL's client tools: finding them, checking their version, and the libpq connection."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from sqlalchemy.engine import make_url

from engine.store.backup.errors import BackupError

# asyncpg's ssl= values are libpq's sslmode names.
SSL_KEYS = ("sslmode", "ssl")


def libpq_env(url: str) -> dict[str, str]:
    """The environment for pg_dump, pg_restore and psql to reach the database at ``url``.

    The password travels in PGPASSWORD, never on a command line where ``ps`` shows
    it. The rest of the process's environment is kept (PATH, HOME for ~/.pgpass,
    PGSSLROOTCERT); the URL's parts override it.
    """
    parsed = make_url(url)
    env = dict(os.environ)
    parts = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
        "PGSSLMODE": next((str(parsed.query[k]) for k in SSL_KEYS if k in parsed.query), None),
        "PGAPPNAME": "mimamori-backup",
    }
    env.update({key: value for key, value in parts.items() if value})
    return env


def find_tool(name: str, server_major: int) -> str:
    """The path of ``name`` on PATH, refused unless it is of the server's major version."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL {server_major} client tools "
            f"(Debian: apt-get install postgresql-client-{server_major})"
        )
    try:
        answer = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError as exc:
        raise BackupError(f"{path} could not be run: {exc}") from exc
    found = re.search(r"\(PostgreSQL\) (\d+)(\S*)", answer)
    if found is None or int(found.group(1)) != server_major:
        version = found.group(1) + found.group(2) if found else repr(answer.strip()[:60])
        raise BackupError(
            f"{path} is version {version} but the server is PostgreSQL {server_major}: put "
            f"{name} {server_major} first on PATH (Debian: /usr/lib/postgresql/{server_major}/bin)"
        )
    return path

"""Per-table checksums, computed by each engine where it is fastest.

PostgreSQL: the sum, modulo 2**64, of the first 8 bytes (a signed big-endian
integer) of the MD5 of each row's text form (``t::text``) under fixed output
settings; a sum needs no sort, so the server does it in one pass of each table.
SQLite: the first 16 hex digits of the SHA-256 of the rows' ``repr`` (as
sqlite3 returns them), one per line, in primary-key order; hashing whole
batches keeps Python's per-row work to a ``repr``. MD5 is only a spreader
here, not a defence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

MODULUS = 2**64

PG_OUTPUT_SETTINGS = (
    # The row text of timestamps, floats and bytea depends on these session settings.
    "SET LOCAL TIME ZONE 'UTC'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL bytea_output = 'hex'",
)


def pg_sum_sql(qualified_table: str) -> str:
    """SQL giving (row count, folded checksum as a numeric) of one PostgreSQL table."""
    return (
        "SELECT count(*), mod(mod(coalesce(sum(('x' || left(md5(t::text), 16))"
        f"::bit(64)::bigint::numeric), 0), {MODULUS}::numeric) + {MODULUS}::numeric, "
        f"{MODULUS}::numeric) FROM {qualified_table} AS t"
    )


def fold(total: int) -> str:
    """A sum of row hashes as the 16 hex digits the manifest keeps."""
    return f"{total % MODULUS:016x}"


def batches_checksum(batches: Iterable[list[tuple[object, ...]]]) -> tuple[int, str]:
    """(count, checksum) of rows as sqlite3 returns them, in batches, in primary-key order."""
    count, sha = 0, hashlib.sha256()
    for batch in batches:
        sha.update(("\n".join(map(repr, batch)) + "\n").encode())
        count += len(batch)
    return count, sha.hexdigest()[:16]

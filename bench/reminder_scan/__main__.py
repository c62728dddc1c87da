"""The command line of the reminder-scan benchmark (the package's docstring says what it does)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import bench.reminder_scan
from bench._stats import NOW, environment
from bench.reminder_scan.common import DUE, TODAY
from bench.reminder_scan.measure import run_sqlite
from bench.reminder_scan.postgres import run_postgres


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(bench.reminder_scan.__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="a small, fast run (smoke test)")
    parser.add_argument("--repeats", type=int, default=None, help="override the repeat count")
    parser.add_argument("--profile", action="store_true", help="profile one extra scan per N")
    parser.add_argument("--keep", type=Path, default=None, help="build the file in this folder")
    parser.add_argument(
        "--postgres", metavar="URL", default=None, help="also run on a scratch PostgreSQL database"
    )
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    sizes = (10_000,) if args.quick else (100_000, 1_000_000)
    repeats = args.repeats or (3 if args.quick else 7)
    begun = time.perf_counter()
    print("reminder_scan: the due-reminder scan on a SQLite file, against a raw SELECT")
    print(
        f"  {environment()}; FixedClock at {NOW.isoformat()} (today {TODAY} in Japan); "
        f"{DUE} due items; sizes {', '.join(f'{n:,}' for n in sizes)}; {repeats} repeats"
    )
    status = asyncio.run(run_sqlite(sizes, repeats, args.profile, args.keep))
    if args.postgres:
        status = asyncio.run(run_postgres(args.postgres, sizes, repeats)) or status
    print(f"\n  total run time {time.perf_counter() - begun:.1f} s")
    sys.exit(status)


if __name__ == "__main__":
    main()

"""The command line of the outbox_delivery benchmark (the package's docstring says what it does)."""

from __future__ import annotations

import asyncio
import sys
import time

import bench.outbox_delivery
from bench._stats import NOW, environment, parse_args
from bench.outbox_delivery.methods import run


def main() -> None:
    args = parse_args((bench.outbox_delivery.__doc__ or "").splitlines()[0])
    m = 200 if args.quick else 2000
    repeats = args.repeats or (3 if args.quick else 5)
    begun = time.perf_counter()
    print("outbox_delivery: the outbox sent over SMTP to a loopback server")
    print(f"  {environment()}; FixedClock at {NOW.isoformat()}; M = {m}; {repeats} repeats")
    status = asyncio.run(run(m, repeats, args.profile))
    print(f"\n  total run time {time.perf_counter() - begun:.1f} s")
    sys.exit(status)


if __name__ == "__main__":
    main()

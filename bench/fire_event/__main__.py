"""The command line of the fire_event benchmark (the package's docstring says what it does)."""

from __future__ import annotations

import asyncio
import time

import bench.fire_event
from bench._stats import NOW, environment, parse_args
from bench.fire_event.measure import run


def main() -> None:
    args = parse_args((bench.fire_event.__doc__ or "").splitlines()[0])
    n = 60 if args.quick else 300
    repeats = args.repeats or (3 if args.quick else 7)
    begun = time.perf_counter()
    print("fire_event: firing withdraw/reopen with history on a SQLite file")
    print(
        f"  {environment()}; FixedClock from {NOW.isoformat()}, +1 s per fire; "
        f"{n} collaborations per method, {repeats} repeats"
    )
    asyncio.run(run(n, repeats, args.profile, args.quick))
    print(f"\n  total run time {time.perf_counter() - begun:.1f} s")


if __name__ == "__main__":
    main()

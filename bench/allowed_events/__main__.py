"""The command line of the allowed_events benchmark (the package's docstring says what it does)."""

from __future__ import annotations

import time

import bench.allowed_events
from bench._stats import NOW, environment, parse_args, verdict
from bench.allowed_events.common import NOISE_BYTES, TARGET_BYTES, TARGET_US
from bench.allowed_events.measure import (
    check_agreement,
    describe_population,
    measure_naive,
    measure_ours,
)
from bench.allowed_events.population import build_population


def main() -> None:
    args = parse_args((bench.allowed_events.__doc__ or "").splitlines()[0])
    sizes = (300,) if args.quick else (1_000, 10_000)
    repeats = args.repeats or (3 if args.quick else 7)
    now = NOW
    begun = time.perf_counter()
    print("allowed_events: which events can each record take now, and why not the others")
    print(f"  {environment()}; fixed now = {now.isoformat()}; {repeats} repeats, medians")

    sample = build_population(300 if args.quick else 2_000)
    check_agreement(sample, now)
    print(
        f"  agreement: ours and the naive machines allow the same events "
        f"on all {len(sample):,} records checked"
    )
    print(describe_population(sample, now))
    del sample

    populations = {n: build_population(n) for n in sizes}
    # Ours first for every size, before the naive runs churn the heap.
    mine = {n: measure_ours(populations[n], repeats, now) for n in sizes}
    for n in sizes:
        started = time.perf_counter()
        o = mine[n]
        v = measure_naive(populations[n], repeats, now)
        print(f"\nN = {n:,} records  (naive measured in {time.perf_counter() - started:.1f} s)")
        print(
            f"  ours   options()                 : {o.us:8.2f} µs/record"
            f"   (p95 of single records {o.p95_us:.2f} µs)"
        )
        print(f"  naive  Machine + may_*()         : {v.us:8.2f} µs/record")
        print(f"  naive  same, gc disabled         : {v.nogc_us:8.2f} µs/record")
        print(f"  naive  may_*() only, prebuilt    : {v.query_us:8.2f} µs/record")
        print(
            f"  ratio  naive / ours              : {v.us / o.us:8.1f}x"
            f"   (gc disabled {v.nogc_us / o.us:.1f}x, queries only {v.query_us / o.us:.1f}x)"
        )
        print("  retained, results dropped, records alive:")
        print(
            f"    ours : {o.bytes / n:8.1f} B/record  ({o.bytes:,} B total, noise ~±100 B;"
            f" {o.raw_bytes:,} B before clearing CPython's type-attribute cache)"
        )
        top = f"; top: {'; '.join(v.top)}" if v.top else ""
        print(f"    naive: {v.bytes / n:8,.0f} B/record  (machines kept{top})")
        print(
            "  ours by state (µs/record): "
            + ", ".join(f"{state} {us:.2f}" for state, us in o.by_state.items())
        )

    results = [mine[n] for n in sizes]
    print("\nTargets")
    for r in results:
        print(
            f"  N={r.n:>6,}: time {r.us:.2f} µs/record <= {TARGET_US:.0f} µs "
            f"[{verdict(r.us, TARGET_US)}]; "
            f"retained {r.bytes / r.n:.1f} B/record = {TARGET_BYTES:.0f} B "
            f"(within ±{NOISE_BYTES:.0f}) [{verdict(r.bytes / r.n, TARGET_BYTES + NOISE_BYTES)}]"
        )
    print(f"  total run time {time.perf_counter() - begun:.1f} s")


if __name__ == "__main__":
    main()

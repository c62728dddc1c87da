"""Timing and memory of both approaches, their agreement, and the report."""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bench._stats import median, p95
from bench.allowed_events.approaches import Card, naive, naive_allowed, naive_machine, ours
from bench.allowed_events.common import STATE_MIX
from engine.domain.collaboration import (
    CollaborationFile,
)
from workflows.collaboration import COLLABORATION


def check_agreement(files: Sequence[CollaborationFile], now: datetime) -> None:
    """Both approaches must allow exactly the same events, or the comparison means nothing."""
    for file in files:
        mine = tuple(
            o.event.name
            for o in COLLABORATION.options(file.collaboration.state, file, now)
            if o.allowed
        )
        card = Card(file, now)
        naive_machine(card)
        theirs = naive_allowed(card)
        if set(mine) != set(theirs):
            raise AssertionError(f"record {file.collaboration.id}: ours {mine}, naive {theirs}")


def time_batches(run: Callable[[], object], n: int, repeats: int) -> list[float]:
    """µs per record for each repeat (the whole batch timed, divided by ``n``)."""
    per_record = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter_ns()
        run()
        per_record.append((time.perf_counter_ns() - start) / n / 1000)
    return per_record


def per_record_p95_ours(files: Sequence[CollaborationFile], now: datetime) -> float:
    """p95 of single-record timings (µs), timer overhead subtracted."""
    clock = time.perf_counter_ns
    overhead = min(-(clock() - clock()) for _ in range(1000))
    samples = []
    options = COLLABORATION.options
    for f in files:
        state = f.collaboration.state
        start = clock()
        options(state, f, now)
        samples.append((clock() - start - overhead) / 1000)
    return p95(samples)


def retained_bytes(work: Callable[[], object], *, sites: bool = True) -> tuple[int, int, list[str]]:
    """Bytes still allocated after ``work`` ran and its result was dropped, plus top sites.

    ``work`` returns (kept, dropped): ``kept`` stays alive during the measurement
    (e.g. the naive machines), ``dropped`` is released before it. Returns the
    bytes retained as the interpreter left them, the bytes retained once
    CPython's type-attribute cache is cleared (it holds up to 4,096 attribute-name
    strings, keyed by the string's address, so names built by f-strings linger
    there; bounded, and not attached to any record), and the top allocation sites
    (skipped with ``sites=False``: snapshots of millions of traces take seconds).
    """
    sys._clear_type_cache()
    gc.collect()
    tracemalloc.start(1)
    try:
        gc.collect()
        before_snapshot = tracemalloc.take_snapshot() if sites else None
        before = tracemalloc.get_traced_memory()[0]
        kept, dropped = work()  # type: ignore[misc]
        del dropped
        gc.collect()
        raw = tracemalloc.get_traced_memory()[0] - before
        sys._clear_type_cache()
        gc.collect()
        cleared = tracemalloc.get_traced_memory()[0] - before
        after_snapshot = tracemalloc.take_snapshot() if sites else None
    finally:
        tracemalloc.stop()
    del kept
    if before_snapshot is None or after_snapshot is None:
        return raw, cleared, []
    ignore = (tracemalloc.Filter(False, tracemalloc.__file__),)
    diff = after_snapshot.filter_traces(ignore).compare_to(
        before_snapshot.filter_traces(ignore), "filename"
    )
    top = [
        f"{stat.traceback[0].filename.split('site-packages/')[-1]} {stat.size_diff:+,} B"
        for stat in diff[:3]
        if stat.size_diff
    ]
    return raw, cleared, top


@dataclass
class Ours:
    n: int
    us: float
    p95_us: float
    raw_bytes: int
    bytes: int
    by_state: dict[str, float]


@dataclass
class Naive:
    n: int
    us: float
    nogc_us: float
    query_us: float
    bytes: int
    top: list[str]


def _without_gc(run: Callable[[], object]) -> Callable[[], object]:
    def wrapped() -> object:
        gc.disable()
        try:
            return run()
        finally:
            gc.enable()

    return wrapped


def measure_ours(files: Sequence[CollaborationFile], repeats: int, now: datetime) -> Ours:
    """Time and memory of ``options()`` over ``files``."""
    n = len(files)
    ours(COLLABORATION, files, now)  # warm caches (zoneinfo, dataclass slots)
    runs = time_batches(lambda: ours(COLLABORATION, files, now), n, repeats)
    single_p95 = median([per_record_p95_ours(files, now) for _ in range(3)])
    groups: dict[str, list[CollaborationFile]] = {}
    for f in files:
        groups.setdefault(f.collaboration.state, []).append(f)
    by_state = {
        str(state): median(
            time_batches(
                lambda g=groups[str(state)]: ours(COLLABORATION, g, now),
                len(groups[str(state)]),
                repeats,
            )
        )
        for state, _ in STATE_MIX
        if str(state) in groups
    }

    def work() -> tuple[None, list]:
        return None, ours(COLLABORATION, files, now)

    raw, cleared, _ = retained_bytes(work)
    return Ours(n, median(runs), single_p95, raw, cleared, by_state)


def _time_queries_only(
    files: Sequence[CollaborationFile], repeats: int, now: datetime
) -> list[float]:
    prebuilt = [Card(f, now) for f in files]
    machines = [naive_machine(c) for c in prebuilt]
    runs = time_batches(lambda: [naive_allowed(c) for c in prebuilt], len(files), repeats)
    del machines
    return runs


def measure_naive(files: Sequence[CollaborationFile], repeats: int, now: datetime) -> Naive:
    """Time and memory of a Machine per record asked ``may_<trigger>()`` for every trigger."""
    n = len(files)
    # The naive approach costs ~100x more per record: fewer repeats on big batches.
    repeats = min(repeats, 3) if n > 5000 else repeats
    runs = time_batches(lambda: naive([Card(f, now) for f in files]), n, repeats)
    nogc = time_batches(_without_gc(lambda: naive([Card(f, now) for f in files])), n, repeats)

    # The query half alone: machines already built, only may_<trigger>() timed.
    queries = _time_queries_only(files, repeats, now)

    naive([Card(f, now) for f in files[:20]])  # warm-up: imports and caches
    cards = [Card(f, now) for f in files]  # the records, alive before and after

    def work() -> tuple[list, list]:
        # GC off while building: only what survives counts, and collecting 10,000
        # machine graphs under tracemalloc would take most of the run.
        built = _without_gc(lambda: naive(cards))()
        return [m for m, _ in built], [a for _, a in built]  # type: ignore[union-attr]

    _, cleared, top = retained_bytes(work, sites=n <= 2000)
    return Naive(n, median(runs), median(nogc), median(queries), cleared, top)


def describe_population(files: Sequence[CollaborationFile], now: datetime) -> str:
    states = Counter(f.collaboration.state for f in files)
    options = [COLLABORATION.options(f.collaboration.state, f, now) for f in files]
    offered = sum(len(o) for o in options)
    allowed = sum(1 for opts in options for o in opts if o.allowed)
    forward = sum(
        1 for opts in options if any(o.allowed and o.event.name != "withdraw" for o in opts)
    )
    mix = ", ".join(f"{s} {states[str(s)]}" for s, _ in STATE_MIX)
    return (
        f"  states: {mix}\n"
        f"  {offered / len(files):.2f} events offered per record, {allowed / offered:.0%} allowed; "
        f"{forward / len(files):.0%} of records may move forward now (withdraw aside)"
    )

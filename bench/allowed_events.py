"""Which events can each record take now, and why not the others.

Times ``COLLABORATION.options(state, snapshot, now)`` over in-memory
CollaborationFile snapshots in a realistic mix of states and completeness,
against the naive approach STYLE.md rule 2 forbids: one
``transitions.Machine`` per record, asked ``may_<trigger>()`` for every
trigger. Also measures the memory each approach leaves behind per record.

Run: ``python -m bench.allowed_events [--quick] [--repeats N]``.
"""

from __future__ import annotations

import gc
import random
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from transitions import Machine

from bench._stats import NOW, environment, median, p95, parse_args, verdict
from engine.clock import local_date
from engine.domain.collaboration import (
    Activity,
    ActivityKind,
    Checkpoint,
    Collaboration,
    CollaborationFile,
    Evaluation,
    Kpi,
    Measurement,
    Memorandum,
    Plan,
    Renewal,
    Scorecard,
)
from engine.domain.network import Network
from engine.domain.partner import Contact, Industry, Partner
from engine.workflow import Workflow
from workflows.collaboration import COLLABORATION, Stage

TARGET_US = 5.0
TARGET_BYTES = 0.0
NOISE_BYTES = 1.0
"""Per record: a few dozen bytes in total come and go between tracemalloc readings."""
SEED = 20260406

STATE_MIX = (
    (Stage.CANDIDATE, 25),
    (Stage.APPROACHED, 15),
    (Stage.MEMO_SIGNED, 10),
    (Stage.PLAN, 14),
    (Stage.PILOT, 10),
    (Stage.EVALUATED, 8),
    (Stage.RENEWED, 8),
    (Stage.WITHDRAWN, 10),
)
PIPELINE = [s for s, _ in STATE_MIX if s is not Stage.WITHDRAWN]


# --- Building a realistic population of snapshots -------------------------------------------


def _pick(rng: random.Random, missing: float, partial: float) -> str:
    roll = rng.random()
    if roll < missing:
        return "missing"
    return "partial" if roll < missing + partial else "complete"


def _build_file(rng: random.Random, cid: int, state: Stage, network: Network) -> CollaborationFile:
    """A snapshot whose records are as complete as a collaboration in ``state`` tends to be."""
    # A withdrawn collaboration carries whatever it had when it was withdrawn.
    stage = rng.choice(PIPELINE) if state is Stage.WITHDRAWN else state
    at = PIPELINE.index(stage)
    today = local_date(NOW)

    def past(days: int) -> date:
        return today - timedelta(days=rng.randint(1, days))

    activities: list[Activity] = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice((ActivityKind.PHONE, ActivityKind.LETTER))
        activities.append(Activity(len(activities) + 1, cid, kind, past(400), "電話で趣旨を説明"))
    if at > 1 or (at == 1 and rng.random() < 0.5):
        kind = rng.choice((ActivityKind.HEARING, ActivityKind.VISIT))
        activities.append(
            Activity(len(activities) + 1, cid, kind, past(300), "支店長へのヒアリング")
        )
    if at > 2 or (at == 2 and rng.random() < 0.5):
        for _ in range(rng.randint(1, 4)):
            activities.append(
                Activity(
                    len(activities) + 1,
                    cid,
                    ActivityKind.CONSULTATION,
                    past(200),
                    "実務者協議",
                    agenda="役割分担",
                    minutes="声掛け手順を確認",
                    decisions="試行は6か月",
                )
            )
    if at == 0 and rng.random() < 0.1:  # a consultation planned ahead does not count yet
        activities.append(
            Activity(99, cid, ActivityKind.CONSULTATION, today + timedelta(days=10), "予定")
        )
    activities.sort(key=lambda a: a.occurred_on, reverse=True)

    level = _pick(rng, 0.3, 0.3) if at == 0 else "complete"
    scorecard = None
    if level != "missing":
        rating = (lambda: rng.choice((None, 3))) if level == "partial" else (lambda: 4)
        scorecard = Scorecard(
            rating(),
            "",
            rating(),
            "",
            rating(),
            "",
            contact_name="" if level == "partial" and rng.random() < 0.5 else "佐藤 一郎",
        )

    level = _pick(rng, 0.4, 0.2) if at == 1 else ("complete" if at > 1 else "missing")
    memorandum = None
    if level != "missing":
        memorandum = Memorandum(
            past(250) if level == "complete" or rng.random() < 0.5 else None,
            "みどり市長 鈴木 太郎" if level == "complete" or rng.random() < 0.5 else "",
            "理事長 高橋 次郎",
        )

    planner = "田中 三郎" if at > 2 or (at == 2 and rng.random() < 0.5) else ""

    plan = None
    level = _pick(rng, 0.2, 0.4) if at == 3 else ("complete" if at > 3 else "missing")
    if level != "missing":
        starts = date(2025, 10, 1)
        kpis = tuple(
            Kpi(f"指標{i}", "人", 100.0 + i, id=cid * 10 + i) for i in range(rng.randint(1, 3))
        )
        checkpoints = tuple(
            Checkpoint(starts + timedelta(days=60 * (i + 1)), "中間評価")
            for i in range(rng.randint(1, 3))
        )
        text = "地域貢献の実績と顧客の信頼"
        if level == "partial":
            plan = Plan(
                1,
                text,
                "",
                text,
                "" if rng.random() < 0.5 else text,
                "",
                "",
                starts_on=starts if rng.random() < 0.5 else None,
                ends_on=date(2026, 9, 30),
                kpis=kpis if rng.random() < 0.5 else (),
                checkpoints=checkpoints,
            )
        else:
            plan = Plan(
                1,
                text,
                text,
                text,
                text,
                text,
                text,
                starts_on=starts,
                ends_on=date(2026, 9, 30),
                kpis=kpis,
                checkpoints=checkpoints,
            )

    measurements: tuple[Measurement, ...] = ()
    if plan is not None and at >= 4:
        share = 0.6 if at == 4 else 1.0
        measurements = tuple(
            Measurement(k.id, date(2025, 10, 1), date(2026, 3, 31), 134.0)  # type: ignore[arg-type]
            for k in plan.kpis
            if rng.random() < share
        )

    evaluation = None
    level = _pick(rng, 0.5, 0.2) if at == 4 else ("complete" if at > 4 else "missing")
    if level != "missing":
        evaluation = Evaluation(
            1,
            past(30),
            "二件の被害を未然に防いだ",
            "" if level == "partial" else "報告様式を簡単に",
        )

    renewal = None
    level = _pick(rng, 0.4, 0.2) if at == 5 else ("complete" if at > 5 else "missing")
    if level != "missing":
        renewal = Renewal(
            1,
            past(20) if level == "complete" else None,
            "みどり市長 鈴木 太郎",
            2 if level == "complete" or rng.random() < 0.5 else None,
            date(2026, 4, 1),
        )

    entered = NOW - timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 23))
    return CollaborationFile(
        collaboration=Collaboration(
            id=cid,
            network_id=1,
            partner_id=cid,
            state=str(state),
            version=rng.randint(1, 9),
            owner_id=None,
            state_entered_at=entered,
            created_at=entered - timedelta(days=30),
            planner=planner,
            last_activity_on=past(60),
        ),
        partner=Partner(
            cid,
            f"協力事業者{cid}",
            Industry.BANK,
            "中央地区",
            contacts=(Contact("佐藤 一郎", "支店長"),),
        ),
        network=network,
        activities=tuple(activities),
        scorecard=scorecard,
        memorandum=memorandum,
        plan=plan,
        measurements=measurements,
        evaluation=evaluation,
        renewal=renewal,
    )


def build_population(n: int, seed: int = SEED) -> list[CollaborationFile]:
    """``n`` snapshots in the STATE_MIX proportions, deterministic for a seed."""
    rng = random.Random(seed)
    network = Network(1, "みどり市見守りネットワーク", "みどり市", "架空県")
    states = [s for s, _ in STATE_MIX]
    weights = [w for _, w in STATE_MIX]
    return [_build_file(rng, i + 1, rng.choices(states, weights)[0], network) for i in range(n)]


# --- The two approaches ---------------------------------------------------------------------


def ours(workflow: Workflow, files: Sequence[CollaborationFile], now: datetime) -> list:
    """The options of every record, from the shared per-state table."""
    return [workflow.options(f.collaboration.state, f, now) for f in files]


class Card:
    """The naive model: a record wrapper a per-record Machine attaches its triggers to."""

    def __init__(self, file: CollaborationFile, now: datetime) -> None:
        self.file = file
        self.now = now


def _condition(guard: Callable) -> Callable[[Card], bool]:
    def check(self: Card) -> bool:
        return not guard(self.file, self.now)

    return check


for _event in COLLABORATION.events.values():
    for _guard in _event.guards:
        setattr(Card, f"cond_{_guard.__name__}", _condition(_guard))

NAIVE_STATES = list(COLLABORATION.states)
NAIVE_TRANSITIONS = [
    {
        "trigger": e.name,
        "source": list(e.sources),
        "dest": e.dest,
        "conditions": [f"cond_{g.__name__}" for g in e.guards],
    }
    for e in COLLABORATION.events.values()
]
TRIGGERS = tuple(COLLABORATION.events)


def naive_machine(card: Card) -> Machine:
    """One Machine per record, started in the record's state (what STYLE.md forbids)."""
    return Machine(
        model=card,
        states=NAIVE_STATES,
        transitions=NAIVE_TRANSITIONS,
        initial=card.file.collaboration.state,
        auto_transitions=False,
    )


def naive_allowed(card: Card) -> tuple[str, ...]:
    """Ask the record's machine, trigger by trigger, whether it may fire now."""
    return tuple(t for t in TRIGGERS if getattr(card, f"may_{t}")())


def naive(cards: Sequence[Card]) -> list[tuple[Machine, tuple[str, ...]]]:
    """Build each record's machine and ask it about every trigger."""
    out = []
    for card in cards:
        machine = naive_machine(card)
        out.append((machine, naive_allowed(card)))
    return out


# --- Measurements ---------------------------------------------------------------------------


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


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
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

"""Small helpers shared by the benchmarks: statistics, formatting, the command line."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

NOW = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)
"""The fixed moment every benchmark runs at (Monday 6 April 2026, 10:00 in Japan)."""


def parse_args(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options every benchmark accepts."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a small, fast run (smoke test)")
    parser.add_argument("--repeats", type=int, default=None, help="override the repeat count")
    parser.add_argument("--profile", action="store_true", help="profile an extra pass")
    return parser.parse_args(argv)


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, -(-95 * len(ordered) // 100))
    return ordered[rank - 1]


def environment() -> str:
    """One line describing where the numbers come from."""
    return (
        f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {sys.implementation.name}"
    )


def verdict(value: float, target: float, *, lower_is_better: bool = True) -> str:
    """'OK' or 'MISSED' against a target."""
    ok = value <= target if lower_is_better else value >= target
    return "OK" if ok else "MISSED"


def profile_report(profiler: cProfile.Profile, limit: int) -> str:
    """The top ``limit`` functions by own time, indented for a report."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(limit)
    lines = [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.lstrip().startswith(("Ordered by", "List reduced"))
    ]
    return "\n".join("    " + line for line in lines)

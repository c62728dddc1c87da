"""The fault run's figures, by phase, as a table for the README and the issue's note."""

from __future__ import annotations

from collections import Counter
from statistics import median

from tests.faults.load import Ledger

COLUMNS = (
    "phase",
    "moves",
    "409",
    "no answer: done/not",
    "500",
    "503",
    "resets",
    "sessions lost",
    "mails due",
    "delivered once",
    "median/max wait s",
)


def figures(
    ledger: Ledger,
    done: dict[str, str],
    queued: dict[str, str],
    drained: dict,
    worker_restarts: int,
) -> str:
    """A Markdown table with one row per phase, then what each fault was."""
    phases = ["calm", *done, "after"]
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for phase in phases:
        attempts = [a for a in ledger.attempts if a.phase == phase]
        outcomes = Counter(a.outcome for a in attempts)
        unknown = [a for a in attempts if a.outcome == "unknown"]
        kinds = Counter({kind: n for (p, kind), n in ledger.answers.items() if p == phase})
        errors = sum(n for kind, n in kinds.items() if kind[0] == "5" and kind != "503")
        mails = [key for key, p in queued.items() if p == phase]
        once = [k for k in mails if k not in drained["missing"] and k not in drained["twice"]]
        waits = [drained["waits"][k] for k in mails if k in drained["waits"]]
        wait = f"{median(waits):.0f}/{max(waits):.0f}" if waits else "-"
        row = (
            phase,
            outcomes["moved"],
            outcomes["refused"],
            f"{sum(a.applied for a in unknown)}/{sum(not a.applied for a in unknown)}",
            errors,
            kinds["503"],
            kinds["reset"],
            kinds["session lost"],
            len(mails),
            len(once),
            wait,
        )
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    lines.append("")
    lines.extend(f"- {phase}: {what}" for phase, what in done.items())
    lines.append(f"- worker restarts: {worker_restarts} (after its SIGKILL only)")
    return "\n".join(["", *lines, ""])

"""Generic workflows: states, events, guards with verdicts, timing rules."""

from engine.workflow.firing import Firing, fire
from engine.workflow.spec import Event, GuardResult, Option, Workflow
from engine.workflow.timing import Offset, TimingRule
from engine.workflow.verdict import PASS, Guard, Requirement, Verdict

__all__ = [
    "PASS",
    "Event",
    "Firing",
    "Guard",
    "GuardResult",
    "Offset",
    "Option",
    "Requirement",
    "TimingRule",
    "Verdict",
    "Workflow",
    "fire",
]

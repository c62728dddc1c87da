"""Which record form supplies what an unmet requirement asks for, by requirement code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FormLink:
    """A record form of a collaboration, with the query that presets it (e.g. kind=hearing)."""

    form: str
    query: str = ""

    def url(self, collaboration_id: int) -> str:
        """The form fragment's URL for one collaboration."""
        path = f"/collaborations/{collaboration_id}/forms/{self.form}"
        return f"{path}?{self.query}" if self.query else path

    @property
    def is_approval(self) -> bool:
        """True for the manager's approval, which only managers may give."""
        return self.form == "approval"


EXACT = {
    "activity.hearing": FormLink("activity", "kind=hearing"),
    "activity.consultation": FormLink("activity", "kind=consultation"),
    "approval.memo": FormLink("approval", "kind=memo"),
    "approval.renewal": FormLink("approval", "kind=renewal"),
    "collaboration.planner": FormLink("planner"),
    "kpi.measured": FormLink("measurement"),
}
BY_PREFIX = {
    "scorecard": FormLink("scorecard"),
    "memo": FormLink("memorandum"),
    "plan": FormLink("plan"),
    "evaluation": FormLink("evaluation"),
    "renewal": FormLink("renewal"),
}


def form_for(code: str) -> FormLink | None:
    """The form that meets requirement ``code``, or None when no record form does."""
    return EXACT.get(code) or BY_PREFIX.get(code.partition(".")[0])

"""The collaboration page: stage, history, records and due dates, each section a fragment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal
from litestar import Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from markupsafe import Markup

from engine.clock import local_date
from engine.domain.access import Permission
from engine.domain.attachments import DOCUMENT_EVENTS
from engine.domain.collaboration import ActivityKind, Kpi, Scorecard
from engine.domain.partner import INDUSTRY_LABELS
from engine.i18n import N_
from engine.services import CollaborationService, RecordService
from engine.services.attachments import AttachmentService
from engine.services.collaborations import NOT_STAFF
from engine.store.read.collaboration_page import Report, collaboration_extras
from web.attachment_section import attachment_section
from web.fragments import asked_block, page
from web.guards import CurrentViewer, requires
from web.i18n import current_locale
from workflows.collaboration import OPEN, STAGE_LABELS, Stage

ACTIVITY_LABELS = {
    ActivityKind.HEARING: N_("Hearing"),
    ActivityKind.VISIT: N_("Visit"),
    ActivityKind.CONSULTATION: N_("Consultation meeting"),
    ActivityKind.PHONE: N_("Phone call"),
    ActivityKind.LETTER: N_("Letter"),
}
SOURCE_LABELS = {"partner": N_("Partner"), "coordinator": N_("Coordinator")}
APPROVAL_LABELS = {"memo": N_("Signing the memorandum"), "renewal": N_("Renewal")}
DUE_KIND_LABELS = {"reminder": N_("Reminder"), "escalation": N_("Escalation")}
# The guidebook's three levels for judging a candidate (全体像, 運営者, 実務者).
SCORE_LEVELS = (
    ("overview", N_("Overview: the organisation and its business health")),
    ("management", N_("Management: its stance on collaboration")),
    ("field", N_("Field staff: their motivation, with a named contact")),
)

ALL = "all"
BLOCKS = frozenset(
    {
        "summary",
        "owner",
        "timeline",
        "options",
        "history",
        "due",
        "activities",
        "scorecard",
        "memorandum",
        "plan",
        "measurements",
        "evaluation",
        "renewal",
        "approvals",
        "comments",
    }
)


@dataclass(frozen=True, slots=True)
class Step:
    """A stage on the timeline: done, the current one, or still ahead."""

    stage: str
    label: str
    status: str


@dataclass(frozen=True, slots=True)
class KpiLine:
    """A KPI with its measured values, the latest one and how far it reached its target."""

    kpi: Kpi
    reports: tuple[Report, ...]

    @property
    def latest(self) -> Report | None:
        """The value of the most recent period."""
        return self.reports[-1] if self.reports else None

    @property
    def achieved_percent(self) -> int | None:
        """The latest value as a percentage of the target."""
        return None if self.latest is None else round(100 * self.latest.value / self.kpi.target)


def number(value: float) -> str:
    """A figure in the reader's format, without a needless ``.0``."""
    return format_decimal(value, locale=current_locale.get())


@dataclass(frozen=True, slots=True)
class Level:
    """One level of the scorecard: what it judges, its rating (1-5) and the notes."""

    label: str
    rating: int | None
    note: str


def score_levels(card: Scorecard | None) -> list[Level]:
    """The three levels of a scorecard, blank for a candidate not yet assessed."""
    return [
        Level(
            label,
            getattr(card, f"{name}_rating") if card else None,
            getattr(card, f"{name}_note") if card else "",
        )
        for name, label in SCORE_LEVELS
    ]


def _timeline(state: str, reached: set[str]) -> list[Step]:
    stages = [*OPEN, Stage.WITHDRAWN.value] if state == Stage.WITHDRAWN else list(OPEN)
    return [
        Step(
            stage,
            STAGE_LABELS[Stage(stage)],
            "current" if stage == state else "done" if stage in reached else "ahead",
        )
        for stage in stages
    ]


def _block_attributes(oob: bool) -> Any:
    def block_attributes(block: str) -> Markup:
        """The section's id; swapped out of band when every section is re-read at once."""
        return Markup('id="block-{0}"{1}').format(
            block, Markup(' hx-swap-oob="true"') if oob else ""
        )

    return block_attributes


NOTICES = {
    "owner": N_("The owner was changed."),
    "moved": N_("The card was moved."),
}
PROBLEMS = {
    "conflict": N_(
        "Someone else changed this collaboration in the meantime, so nothing was saved. "
        "Check it and try again."
    ),
    "not_staff": NOT_STAFF,
}


@get("/collaborations/{collaboration_id:int}", guards=[requires(Permission.VIEW_PIPELINE)])
async def collaboration_page(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    collaboration_id: FromPath[int],
    block: FromQuery[str | None] = None,
    saved: FromQuery[str] = "",
    problem: FromQuery[str] = "",
) -> Template:
    """One collaboration in full; an htmx request with ``?block=`` gets just that section.

    ``?block=all`` gives every section at once, each to be swapped into place by
    its id: the page asks for it when a form elsewhere says a record changed.
    """
    wanted = asked_block(request, block, BLOCKS | {ALL})
    ctx = state.ctx
    service = CollaborationService(ctx, viewer.scope)
    file, options = await service.options(collaboration_id)
    history = await service.history(collaboration_id)
    comments = await RecordService(ctx, viewer.scope).comments(collaboration_id)
    extras = await collaboration_extras(ctx.db, viewer.scope, collaboration_id)
    reached = {Stage.CANDIDATE.value} | {h.source for h in history} | {h.dest for h in history}
    kpis = [
        KpiLine(k, tuple(r for r in extras.reports if r.kpi_id == k.id))
        for k in (file.plan.kpis if file.plan else ())
    ]
    return page(
        "collaboration.html",
        {
            "file": file,
            "c": file.collaboration,
            "options": options,
            # State changes and documents attached or removed, as one history.
            "history": sorted(
                [*history, *await AttachmentService(ctx, viewer.scope).events(collaboration_id)],
                key=lambda entry: entry.at,
            ),
            "comments": comments,
            "attachments": await attachment_section(ctx, viewer, collaboration_id, request),
            "extras": extras,
            "kpis": kpis,
            "levels": score_levels(file.scorecard),
            "today": local_date(ctx.clock.now()),
            "timeline": _timeline(file.collaboration.state, reached),
            "can_edit": viewer.can(Permission.EDIT),
            "can_move": viewer.can(Permission.MOVE),
            "staff": await service.staff(collaboration_id) if viewer.can(Permission.EDIT) else [],
            "notice": NOTICES.get(saved, ""),
            "problem": PROBLEMS.get(problem, ""),
            "can_approve": viewer.can(Permission.APPROVE),
            "block_attributes": _block_attributes(oob=wanted == ALL),
            "number": number,
            "stage_labels": STAGE_LABELS,
            "event_labels": {name: e.label for name, e in ctx.workflow.events.items()}
            | DOCUMENT_EVENTS,
            "due_labels": {rule.name: rule.message for rule in ctx.workflow.timing},
            "due_kind_labels": DUE_KIND_LABELS,
            "activity_labels": ACTIVITY_LABELS,
            "source_labels": SOURCE_LABELS,
            "approval_labels": APPROVAL_LABELS,
            "industry_labels": INDUSTRY_LABELS,
        },
        block=sorted(BLOCKS) if wanted == ALL else wanted,
    )


ROUTES = [collaboration_page]

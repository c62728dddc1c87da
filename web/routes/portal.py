"""The partner portal: a partner's own collaborations, its KPI reports and its messages.

Every read and write goes through services given the viewer's scope, so
another partner's collaboration is not found, exactly like one that does not
exist. Forms post and redirect without JavaScript; htmx swaps the section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from babel.numbers import format_decimal
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from engine.clock import local_date
from engine.domain.access import Permission, Viewer
from engine.domain.collaboration import Measurement
from engine.errors import InvalidInput, NotFound
from engine.i18n import N_
from engine.services import RecordService
from engine.services.attachments import AttachmentService
from engine.store.read.portal import Portal
from web.attachment_section import size_label
from web.fragments import page, wanted_block
from web.guards import CurrentViewer, requires
from web.i18n import current_locale
from workflows.collaboration import OPEN, STAGE_LABELS, Stage

NEXT_STEPS = {
    Stage.CANDIDATE: N_("The municipality is considering asking you to join the watch network."),
    Stage.APPROACHED: N_(
        "The municipality is talking with you about joining. Next: a meeting with your "
        "managers and the memorandum."
    ),
    Stage.MEMO_SIGNED: N_(
        "The memorandum is signed. Next: staff from both sides meet to work out the plan."
    ),
    Stage.PLAN: N_(
        "The municipality is preparing the plan with you, in short meetings about every two weeks."
    ),
    Stage.PILOT: N_(
        "The plan is running. Please report your figures here, for example once a month."
    ),
    Stage.EVALUATED: N_(
        "The results have been evaluated. The municipality will talk with you about continuing."
    ),
    Stage.RENEWED: N_(
        "The collaboration continues. The municipality will review it with you on the review date."
    ),
    Stage.WITHDRAWN: N_("This collaboration has ended."),
}
MILESTONES = {
    "meeting": N_("Meeting"),
    "checkpoint": N_("Evaluation checkpoint"),
    "pilot_start": N_("The plan starts"),
    "pilot_end": N_("The plan ends"),
    "review": N_("Renewal review"),
}
SAVED = {
    "figure": N_("Thank you. Your figure has been recorded."),
    "comment": N_("Thank you. Your message has been sent to the municipality."),
}
CHOOSE_KPI = N_("Choose a KPI of the current plan.")
ENTER_DATE = N_("Enter a date.")
ENTER_NUMBER = N_("Enter a number, for example 12.")
LARGEST_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL


@dataclass
class FigureForm:
    """The KPI report form as typed: text until it is checked."""

    kpi_id: str = ""
    period_start: str = ""
    period_end: str = ""
    value: str = ""
    note: str = ""


@dataclass
class CommentForm:
    """The message form."""

    body: str = ""


@dataclass
class Forms:
    """What the two forms show: the values typed in and the messages next to the fields."""

    figure: FigureForm = field(default_factory=FigureForm)
    comment: CommentForm = field(default_factory=CommentForm)
    errors: dict[str, str] = field(default_factory=dict)


def number(value: float) -> str:
    """A figure in the reader's format, without a needless '.0'."""
    return format_decimal(value, format="#,##0.##", locale=current_locale.get())


def _common() -> dict[str, object]:
    return {
        "stages": [(Stage(s), STAGE_LABELS[Stage(s)]) for s in OPEN],
        "stage_labels": STAGE_LABELS,
        "next_steps": NEXT_STEPS,
        "milestone_labels": MILESTONES,
        "number": number,
    }


@get("/portal", guards=[requires(Permission.PORTAL)])
async def portal(state: State, viewer: CurrentViewer) -> Template:
    """The partner's collaborations: stage, what comes next, meetings and KPIs."""
    views = await Portal(state.ctx.db, state.ctx.clock, viewer.scope).collaborations()
    return page("portal.html", {**_common(), "views": views})


@get("/portal/collaborations/{cid:int}", guards=[requires(Permission.PORTAL)])
async def collaboration(
    state: State, viewer: CurrentViewer, cid: FromPath[int], saved: FromQuery[str] = ""
) -> Template:
    """One collaboration in detail, with the forms to report figures and to write."""
    _known(cid)
    return await _detail(state, viewer, cid, Forms(), saved=saved)


@post("/portal/collaborations/{cid:int}/figures", guards=[requires(Permission.REPORT)])
async def report_figure(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    cid: FromPath[int],
    data: Annotated[FigureForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Record a KPI figure from the partner; a rejected form comes back with its messages."""
    _known(cid)
    try:
        measurement = _measurement(data)
        await RecordService(state.ctx, viewer.scope).record_measurement(
            cid, measurement, viewer.actor
        )
    except InvalidInput as exc:
        forms = Forms(figure=data, errors=exc.errors)
        return await _detail(
            state, viewer, cid, forms, block=wanted_block(request, "figures"), status=422
        )
    return await _after_post(request, state, viewer, cid, "figures", "figure")


@post("/portal/collaborations/{cid:int}/comments", guards=[requires(Permission.REPORT)])
async def write_comment(
    request: Request,
    state: State,
    viewer: CurrentViewer,
    cid: FromPath[int],
    data: Annotated[CommentForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Send a message to the municipality; it shows in the thread on both sides."""
    _known(cid)
    try:
        await RecordService(state.ctx, viewer.scope).comment(
            cid, data.body, viewer.actor, from_partner=True
        )
    except InvalidInput as exc:
        forms = Forms(comment=data, errors=exc.errors)
        return await _detail(
            state, viewer, cid, forms, block=wanted_block(request, "comments"), status=422
        )
    return await _after_post(request, state, viewer, cid, "comments", "comment")


def _known(cid: int) -> None:
    """An id no collaboration can have is not found, like any other (not a database error)."""
    if not 0 < cid <= LARGEST_ID:
        raise NotFound("collaboration", cid)


async def _after_post(
    request: Request, state: State, viewer: Viewer, cid: int, section: str, saved: str
) -> Template | Redirect:
    block = wanted_block(request, section)
    if block is None:
        return Redirect(f"/portal/collaborations/{cid}?saved={saved}#{section}", status_code=303)
    return await _detail(state, viewer, cid, Forms(), saved=saved, block=block)


async def _detail(
    state: State,
    viewer: Viewer,
    cid: int,
    forms: Forms,
    *,
    saved: str = "",
    block: str | None = None,
    status: int = 200,
) -> Template:
    view = await Portal(state.ctx.db, state.ctx.clock, viewer.scope).collaboration(cid)
    thread = await RecordService(state.ctx, viewer.scope).comments(cid)
    today = local_date(state.ctx.clock.now())
    figure = forms.figure
    if figure == FigureForm():
        # Most partners report the month so far.
        figure = FigureForm(
            period_start=today.replace(day=1).isoformat(), period_end=today.isoformat()
        )
    return page(
        "portal_collaboration.html",
        {
            **_common(),
            "view": view,
            "thread": thread,
            # Only what the municipality marked as shared: the partner's scope sees no more.
            "attachments": await AttachmentService(state.ctx, viewer.scope).list(cid),
            "size_label": size_label,
            "figure": figure,
            "comment": forms.comment,
            "errors": forms.errors,
            "saved": saved if saved in SAVED else "",
            "saved_messages": SAVED,
            "today": today,
        },
        block=block,
        status_code=status,
    )


def _measurement(form: FigureForm) -> Measurement:
    """The figure the form describes; InvalidInput naming every field that cannot be read."""
    errors: dict[str, str] = {}
    kpi_id = int(form.kpi_id) if form.kpi_id.strip().isdigit() else None
    if kpi_id is None:
        errors["kpi_id"] = CHOOSE_KPI
    start, end = _day(form.period_start), _day(form.period_end)
    if start is None:
        errors["period_start"] = ENTER_DATE
    if end is None:
        errors["period_end"] = ENTER_DATE
    value = _number(form.value)
    if value is None:
        errors["value"] = ENTER_NUMBER
    if errors:
        raise InvalidInput(errors)
    assert kpi_id is not None and start is not None and end is not None and value is not None
    return Measurement(kpi_id, start, end, value, form.note.strip(), source="partner")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _number(text: str) -> float | None:
    # Phones may type full-width digits or a thousands separator.
    cleaned = text.strip().translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    try:
        value = float(cleaned.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


ROUTES = [portal, collaboration, report_figure, write_comment]
